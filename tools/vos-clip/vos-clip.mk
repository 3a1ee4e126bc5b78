# SPDX-License-Identifier: GPL-2.0-or-later
#
# vos-clip, the subsystem's own clipboard from inside it (issue 13):
# build/vos-clip, linked with lib/libvirtos/clipstore.c alone (libc only,
# like vos-call), so it runs in any root file system.

VOS_CLIP      := $(B)/vos-clip
VOS_CLIP_OBJS := $(B)/tools/vos-clip/vos-clip.o $(B)/tools/vos-clip/clipstore.o

$(B)/tools/vos-clip/clipstore.o: lib/libvirtos/clipstore.c lib/libvirtos/clipstore.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(VOS_CLIP): $(VOS_CLIP_OBJS) tools/vos-clip/vos-clip.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOS_CLIP_OBJS)

.PHONY: vos-clip install-vos-clip
vos-clip: $(VOS_CLIP)
ALL_TARGETS += vos-clip

install-vos-clip: vos-clip
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(VOS_CLIP) $(DESTDIR)$(BINDIR)/vos-clip
	install -m 0644 Documentation/vos-clip.1 $(DESTDIR)$(MANDIR)/man1/vos-clip.1

INSTALL_TARGETS += install-vos-clip
UNINSTALL_FILES += $(BINDIR)/vos-clip $(MANDIR)/man1/vos-clip.1
CLEAN_FILES += $(VOS_CLIP)

# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosd, the broker of calls between subsystems (issue 13), and vos-call,
# its client inside a subsystem: build/vosd (linked like vosctl, with the
# static libvirtos) and build/vos-call (no library: it only speaks
# tools/vosd/proto.h, so it runs in any root file system that has a libc).

VOSD        := $(B)/vosd
VOS_CALL    := $(B)/vos-call
VOSD_OBJS   := $(B)/tools/vosd/vosd.o $(B)/tools/vosd/crossing.o $(B)/tools/vosd/pool.o $(B)/tools/vosd/spool.o \
	$(B)/tools/vosd/launch.o $(B)/tools/vosctl/appentry.o $(B)/tools/vosctl/desktop.o \
	$(B)/tools/vosctl/parse.o
VOS_CALL_OBJS := $(B)/tools/vosd/vos-call.o $(B)/tools/vosd/client.o
# vos-copy (vos.FileCopy's sender and receiver): no library either
VOS_COPY    := $(B)/vos-copy
VOS_COPY_OBJS := $(B)/tools/vosd/vos-copy.o $(B)/tools/vosd/filecopy.o $(B)/tools/vosd/client.o
# vos-open (vos.OpenURL and vos.OpenFile, caller and handler): the same
VOS_OPEN    := $(B)/vos-open
VOS_OPEN_OBJS := $(B)/tools/vosd/vos-open.o $(B)/tools/vosd/filecopy.o $(B)/tools/vosd/client.o
VOSD_UNIT   := tools/vosd/vosd.service

$(VOSD): $(VOSD_OBJS) $(LIBVIRTOS_A) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOSD_OBJS) $(LIBVIRTOS_A) $(LIBVIRTOS_LIBS)

$(VOS_CALL): $(VOS_CALL_OBJS) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOS_CALL_OBJS)

$(VOS_COPY): $(VOS_COPY_OBJS) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOS_COPY_OBJS)

$(VOS_OPEN): $(VOS_OPEN_OBJS) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOS_OPEN_OBJS)

# The fast path of pooled disposables (issue 14): vos-stub, the app of
# each pooled member, and vos-run, its client on the host. Both static and
# without libvirtos: a start of vos-run is an exec of a small file, no
# ld.so; vos-stub runs in any root file system that shows it.
VOS_STUB    := $(B)/vos-stub
VOS_STUB_OBJS := $(B)/tools/vosd/vos-stub.o $(B)/tools/vosd/stubreq.o
VOS_RUN     := $(B)/vos-run
VOS_RUN_OBJS := $(B)/tools/vosd/vos-run.o $(B)/tools/vosd/fastrun.o $(B)/tools/vosd/stubreq.o \
	$(B)/tools/vosd/client.o
VOSD_STUB_PATH := $(PREFIX)/lib/virtos/vos-stub
$(B)/tools/vosd/vosd.o: private ALL_CFLAGS += -DVOSD_STUB=\"$(VOSD_STUB_PATH)\"

$(VOS_STUB): $(VOS_STUB_OBJS) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -static -o $@ $(VOS_STUB_OBJS)

$(VOS_RUN): $(VOS_RUN_OBJS) tools/vosd/vosd.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -static -o $@ $(VOS_RUN_OBJS)

.PHONY: vosd install-vosd
vosd: $(VOSD) $(VOS_CALL) $(VOS_COPY) $(VOS_OPEN) $(VOS_STUB) $(VOS_RUN)
ALL_TARGETS += vosd

install-vosd: vosd
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(BINDIR) $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0755 $(VOSD) $(DESTDIR)$(PREFIX)/sbin/vosd
	install -m 0755 $(VOS_CALL) $(DESTDIR)$(BINDIR)/vos-call
	install -m 0755 $(VOS_COPY) $(DESTDIR)$(BINDIR)/vos-copy
	install -m 0755 $(VOS_OPEN) $(DESTDIR)$(BINDIR)/vos-open
	install -m 0755 $(VOS_RUN) $(DESTDIR)$(BINDIR)/vos-run
	install -d $(DESTDIR)$(PREFIX)/lib/virtos
	install -m 0755 $(VOS_STUB) $(DESTDIR)$(VOSD_STUB_PATH)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' $(VOSD_UNIT) > $(DESTDIR)$(PREFIX)/lib/systemd/system/vosd.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/vosd.service
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man1
	install -m 0644 Documentation/vosd.8 $(DESTDIR)$(MANDIR)/man8/vosd.8
	install -m 0644 Documentation/vos-call.1 $(DESTDIR)$(MANDIR)/man1/vos-call.1
	install -m 0644 Documentation/vos-copy.1 $(DESTDIR)$(MANDIR)/man1/vos-copy.1
	install -m 0644 Documentation/vos-open.1 $(DESTDIR)$(MANDIR)/man1/vos-open.1
	install -m 0644 Documentation/vos-run.1 $(DESTDIR)$(MANDIR)/man1/vos-run.1

INSTALL_TARGETS += install-vosd
UNINSTALL_FILES += $(PREFIX)/sbin/vosd $(BINDIR)/vos-call $(BINDIR)/vos-copy $(BINDIR)/vos-open $(PREFIX)/lib/systemd/system/vosd.service \
	$(MANDIR)/man8/vosd.8 $(MANDIR)/man1/vos-call.1 $(MANDIR)/man1/vos-copy.1 \
	$(MANDIR)/man1/vos-open.1 $(BINDIR)/vos-run $(VOSD_STUB_PATH) $(MANDIR)/man1/vos-run.1
CLEAN_FILES += $(VOSD) $(VOS_CALL) $(VOS_COPY) $(VOS_OPEN) $(VOS_STUB) $(VOS_RUN)

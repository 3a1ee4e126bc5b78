# SPDX-License-Identifier: GPL-2.0-or-later
#
# libvirtos: build/lib/libvirtos.so.$(VERSION) (soname libvirtos.so.$(SOVERSION)),
# the libvirtos.so.$(SOVERSION) and libvirtos.so links, build/lib/libvirtos.a
# and build/lib/virtos.pc. Exports are limited by -fvisibility=hidden plus the
# version script libvirtos.map (nodes VIRTOS_0.x).
#
# The static library offers the same API and nothing more: its objects are
# linked into one (ld -r) whose hidden symbols are then made local, so a
# program linked statically (vosctl) reaches only what virtos.h exports.
# build/lib/libvirtos-test.a, never installed, holds the objects as built,
# internals included, for the unit tests (tests/unit/unit.mk).

LIBVIRTOS_DIR  := lib/libvirtos
LIBVIRTOS_SRCS := $(wildcard $(LIBVIRTOS_DIR)/*.c)
LIBVIRTOS_OBJS := $(patsubst %.c,$(B)/%.o,$(LIBVIRTOS_SRCS))
LIBVIRTOS_MAP  := $(LIBVIRTOS_DIR)/libvirtos.map
LIBVIRTOS_SO   := $(B)/lib/libvirtos.so.$(VERSION)
LIBVIRTOS_SONAME := libvirtos.so.$(SOVERSION)
LIBVIRTOS_LINK := $(B)/lib/libvirtos.so
LIBVIRTOS_A    := $(B)/lib/libvirtos.a
LIBVIRTOS_TEST_A := $(B)/lib/libvirtos-test.a
LIBVIRTOS_PC   := $(B)/lib/virtos.pc
# What programs linking the library need (static or shared).
LIBVIRTOS_LIBS := $(NL_LIBS) $(CAP_LIBS) $(INIH_LIBS)
OBJCOPY        ?= objcopy

$(LIBVIRTOS_OBJS): ALL_CFLAGS += -fvisibility=hidden -DVIRTOS_BUILDING

# The seccomp rules, compiled by libseccomp at build time (gen/seccomp-gen.c)
# into a header of BPF programs that seccomp.c includes: the library does
# not link libseccomp.
SECCOMP_GEN   := $(B)/lib/libvirtos/gen/seccomp-gen
SECCOMP_PROG  := $(B)/lib/libvirtos/gen/seccomp-prog.h

$(SECCOMP_GEN): $(B)/lib/libvirtos/gen/seccomp-gen.o
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(SECCOMP_LIBS)

$(SECCOMP_PROG): $(SECCOMP_GEN)
	$(SECCOMP_GEN) $@

# The mini init as a program of its own (init/vos-init.c): freestanding, no C
# library, a few kilobytes; inside.c carries it (.incbin) and runs it from a
# memfd.
VOS_INIT_PROG := $(B)/lib/libvirtos/init/vos-init

$(VOS_INIT_PROG): $(LIBVIRTOS_DIR)/init/vos-init.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARNFLAGS) -O2 -ffreestanding -fno-builtin -fno-stack-protector \
		-fno-asynchronous-unwind-tables -fno-pie -no-pie -nostdlib -static -s \
		-Wl,--build-id=none -Wl,-z,noexecstack -o $@ $<

$(B)/lib/libvirtos/inside.o: $(VOS_INIT_PROG)
$(B)/lib/libvirtos/inside.o: private ALL_CFLAGS += -DVOS_INIT_PROG=\"$(VOS_INIT_PROG)\"

$(B)/lib/libvirtos/seccomp.o: $(SECCOMP_PROG)
$(B)/lib/libvirtos/seccomp.o: private ALL_CFLAGS += -I$(B)/lib/libvirtos/gen

$(LIBVIRTOS_SO): $(LIBVIRTOS_OBJS) $(LIBVIRTOS_MAP)
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC $(ALL_LDFLAGS) -Wl,-soname,$(LIBVIRTOS_SONAME) \
		-Wl,--version-script=$(LIBVIRTOS_MAP) -Wl,--no-undefined \
		-o $@ $(LIBVIRTOS_OBJS) $(LIBVIRTOS_LIBS)

$(B)/lib/$(LIBVIRTOS_SONAME): $(LIBVIRTOS_SO)
	ln -sf libvirtos.so.$(VERSION) $@

$(LIBVIRTOS_LINK): $(B)/lib/$(LIBVIRTOS_SONAME)
	ln -sf $(LIBVIRTOS_SONAME) $@

$(LIBVIRTOS_A): $(LIBVIRTOS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ $(B)/lib/libvirtos-api.o
	$(LD) -r -o $(B)/lib/libvirtos-api.o $(LIBVIRTOS_OBJS)
	$(OBJCOPY) --localize-hidden $(B)/lib/libvirtos-api.o
	$(AR) rcs $@ $(B)/lib/libvirtos-api.o

$(LIBVIRTOS_TEST_A): $(LIBVIRTOS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $(LIBVIRTOS_OBJS)

# rebuilt every time: PREFIX/LIBDIR given to "make install" must show
.PHONY: libvirtos-pc-always
$(LIBVIRTOS_PC): $(LIBVIRTOS_DIR)/virtos.pc.in libvirtos-pc-always
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

.PHONY: libvirtos install-libvirtos
libvirtos: $(LIBVIRTOS_LINK) $(LIBVIRTOS_A) $(LIBVIRTOS_PC)

ALL_TARGETS += libvirtos

install-libvirtos: libvirtos
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIBVIRTOS_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libvirtos.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIBVIRTOS_SONAME)
	ln -sf $(LIBVIRTOS_SONAME) $(DESTDIR)$(LIBDIR)/libvirtos.so
	install -m 0644 $(LIBVIRTOS_A) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(LIBVIRTOS_DIR)/virtos.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/uapi/linux/vos.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 $(LIBVIRTOS_PC) $(DESTDIR)$(PKGCONFIGDIR)/

INSTALL_TARGETS += install-libvirtos
UNINSTALL_FILES += $(LIBDIR)/libvirtos.so.$(VERSION) $(LIBDIR)/$(LIBVIRTOS_SONAME) \
	$(LIBDIR)/libvirtos.so $(LIBDIR)/libvirtos.a $(INCLUDEDIR)/virtos.h \
	$(INCLUDEDIR)/linux/vos.h $(PKGCONFIGDIR)/virtos.pc

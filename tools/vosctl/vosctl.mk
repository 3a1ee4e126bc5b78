# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl: build/vosctl, statically linked with build/lib/libvirtos.a (so it
# runs from the tree without LD_LIBRARY_PATH) and, where there are archives
# of them, libnl and libcap (see VOSCTL_STATIC_LIBS), its man page and bash
# completion (installed), and the Check
# unit tests of the CLI logic (build/tests/unit/cli-test, appended to
# UNIT_TESTS; no module needed; they also check the man page's and the
# completion's option lists against libvirtos's option table).

VOSCTL_DIR    := tools/vosctl
VOSCTL_SRCS   := $(wildcard $(VOSCTL_DIR)/*.c) tools/vosd/client.c tools/vosd/filecopy.c \
	tools/vosd/fastrun.c tools/vosd/stubreq.c
VOSCTL_OBJS   := $(patsubst %.c,$(B)/%.o,$(VOSCTL_SRCS))
# Everything but main(): what the unit tests link against.
VOSCTL_LOBJS  := $(filter-out $(B)/$(VOSCTL_DIR)/main.o,$(VOSCTL_OBJS))
VOSCTL        := $(B)/vosctl
VOSCTL_MAN    := Documentation/vosctl.1
VOSCTL_COMPLETION := $(VOSCTL_DIR)/vosctl.bash-completion
# The shipped profiles of the subsystem definitions (issue 14): where
# libvirtos looks for them (VOS_PROFILE_DIR in virtos.h), whatever PREFIX
VOSCTL_PROFILES := $(wildcard $(VOSCTL_DIR)/profiles/*.conf)
VOS_PROFILEDIR  := /usr/share/virtos/profiles
# The unit that applies the Autostart=yes definitions at boot
SYSTEMDUNITDIR  ?= /lib/systemd/system
VOSCTL_LIBDEPS = $(LIBVIRTOS_A) $(VOSCTL_LIBS)

# libnl and libcap as archives too, where the system has them (Debian's -dev
# packages do): a start of vosctl then loads and relocates libc alone. The
# shared ones cost about a tenth of a start under TCG and 630 kB of the
# PSS vosctl keeps while the app runs, more than half of it
# (Documentation/performance.md). VOSCTL_STATIC_LIBS=no links them shared.
VOSCTL_STATIC_LIBS ?= auto
VOSCTL_ARCHIVES    := libnl-genl-3.a libnl-route-3.a libnl-3.a libcap.a libinih.a
ifeq ($(VOSCTL_STATIC_LIBS),auto)
ifeq ($(foreach a,$(VOSCTL_ARCHIVES),$(findstring /,$(shell $(CC) -print-file-name=$(a)))),$(foreach a,$(VOSCTL_ARCHIVES),/))
VOSCTL_LIBS := -Wl,-Bstatic $(NL_LIBS) $(CAP_LIBS) $(INIH_LIBS) -Wl,-Bdynamic -lpthread
endif
endif
VOSCTL_LIBS ?= $(LIBVIRTOS_LIBS)

$(VOSCTL): $(VOSCTL_OBJS) $(LIBVIRTOS_A) $(VOSCTL_DIR)/vosctl.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOSCTL_OBJS) $(VOSCTL_LIBDEPS)

.PHONY: vosctl install-vosctl check-unit-cli
vosctl: $(VOSCTL)
ALL_TARGETS += vosctl

# ---- unit tests (Check) -------------------------------------------------------
VOSCTL_UT_SRCS := $(wildcard tests/unit/cli/*.c)
VOSCTL_UT_OBJS := $(patsubst %.c,$(B)/%.o,$(VOSCTL_UT_SRCS))
VOSCTL_UT      := $(B)/tests/unit/cli-test

$(VOSCTL_UT_OBJS): ALL_CFLAGS += $(CHECK_CFLAGS) -I$(VOSCTL_DIR)

# linked against the test-only archive: the tests read the config that
# run and create parse into (private.h)
$(VOSCTL_UT): $(VOSCTL_UT_OBJS) $(VOSCTL_LOBJS) $(LIBVIRTOS_TEST_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(VOSCTL_UT_OBJS) $(VOSCTL_LOBJS) \
		$(LIBVIRTOS_TEST_A) $(LIBVIRTOS_LIBS) $(CHECK_LIBS)

UNIT_TESTS += $(VOSCTL_UT)

check-unit-cli: $(VOSCTL_UT)
	$(VOSCTL_UT)

# ---- install ----------------------------------------------------------------------
install-vosctl: $(VOSCTL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(VOSCTL) $(DESTDIR)$(BINDIR)/vosctl
	install -m 0644 $(VOSCTL_MAN) $(DESTDIR)$(MANDIR)/man1/vosctl.1
	install -D -m 0644 Documentation/virtos.conf.5 $(DESTDIR)$(MANDIR)/man5/virtos.conf.5
	install -D -m 0644 Documentation/virtos-routes.5 $(DESTDIR)$(MANDIR)/man5/virtos-routes.5
	install -D -m 0644 $(VOSCTL_COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/vosctl
	install -D -m 0644 $(VOSCTL_DIR)/virtos-open.desktop \
		$(DESTDIR)$(PREFIX)/share/applications/virtos-open.desktop
	install -d $(DESTDIR)$(VOS_PROFILEDIR)
	install -m 0644 $(VOSCTL_PROFILES) $(DESTDIR)$(VOS_PROFILEDIR)/
	install -D -m 0644 $(VOSCTL_DIR)/vos-subsystems.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/vos-subsystems.service

INSTALL_TARGETS += install-vosctl
UNINSTALL_FILES += $(BINDIR)/vosctl $(MANDIR)/man1/vosctl.1 $(BASHCOMPDIR)/vosctl \
	$(MANDIR)/man5/virtos-routes.5 $(PREFIX)/share/applications/virtos-open.desktop \
	$(MANDIR)/man5/virtos.conf.5 \
	$(addprefix $(VOS_PROFILEDIR)/,$(notdir $(VOSCTL_PROFILES))) \
	$(SYSTEMDUNITDIR)/vos-subsystems.service
CLEAN_FILES     +=

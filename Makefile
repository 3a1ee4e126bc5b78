# SPDX-License-Identifier: GPL-2.0-or-later
#
# virtos top-level build. One non-recursive make for user space; the module is
# built by Kbuild, once per target kernel, in its own output tree under
# build/kmod/<kernel release>/ so several kernels can be built side by side.
#
#   make                 library, vosctl, examples, module for the installed kernel
#   make KDIR=<dir>      ... module against another kernel build dir
#   make check           install deps, build, unit tests, guest tests on 3 kernels
#   make check-quick     host stages + the stock 6.1 guest (SUITES="lib cli/run")
#   make demo            vosctl run --isolate in a guest on the stock kernel
#   make bench           benchmarks (guest), prints a table, saves results/
#   make style           checkpatch (module) + clang-format (user space)
#   make install/uninstall   honours DESTDIR and PREFIX
#   make deb             Debian packages in build/deb/ (debian/, scripts/deb.sh)
#   make check-pkg       host test of the packaging (bash completion)
#   make check-contract  vos.h, vos.yaml, abi.md and virtos.h against each other

VERSION      := 0.1.0
SOVERSION    := 0
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions

B            := build
TOP          := $(CURDIR)

# --- kernel module -----------------------------------------------------------
# The installed Debian kernel: the running one if its headers are present,
# else the one linux-headers-amd64 points at (build hosts, CI).
KVER_RUNNING := $(shell uname -r)
ifneq ($(wildcard /lib/modules/$(KVER_RUNNING)/build),)
KDIR_DEFAULT := /lib/modules/$(KVER_RUNNING)/build
else
KDIR_DEFAULT := $(shell scripts/kernels.sh kdir stock61 2>/dev/null)
endif
KDIR         ?= $(KDIR_DEFAULT)
KREL          = $(shell scripts/kernels.sh krelease $(KDIR))
KMOD_OUT      = $(B)/kmod/$(KREL)
# The guest test kernels (scripts/kernels.sh list); module-<name> builds one.
VM_KERNELS   := $(shell scripts/kernels.sh list)

# --- user space ---------------------------------------------------------------
CC           ?= cc
PKG_CONFIG   ?= pkg-config
WARNFLAGS    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
                -Wmissing-prototypes -Wno-unused-parameter -Wvla
HARDEN       := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection \
                -fcf-protection -fno-strict-overflow -fno-delete-null-pointer-checks
CFLAGS       ?= -O2 -g
ALL_CFLAGS   := -std=gnu11 $(WARNFLAGS) $(HARDEN) $(CFLAGS) -D_GNU_SOURCE \
                -Iinclude/uapi -Ilib/libvirtos -DVIRTOS_VERSION=\"$(VERSION)\"
ALL_LDFLAGS  := -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)
NL_CFLAGS    := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 libnl-route-3.0 2>/dev/null)
NL_LIBS      := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 libnl-route-3.0 2>/dev/null)
CAP_LIBS     := $(shell $(PKG_CONFIG) --libs libcap 2>/dev/null || echo -lcap)
# libinih: the INI reader of the subsystem definitions (lib/libvirtos/def.c)
INIH_LIBS    := $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null || echo -lseccomp)
# libnftables: the host's masquerade for --uplink host (lib/libvirtos/net.c)
NFT_LIBS     := $(shell $(PKG_CONFIG) --libs libnftables 2>/dev/null || echo -lnftables)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# Fragments append to these. UNINSTALL_FILES are paths without $(DESTDIR).
ALL_TARGETS     :=
CLEAN_FILES     :=
INSTALL_TARGETS :=
UNINSTALL_FILES :=
UNIT_TESTS      :=

.PHONY: all module modules-all deps check check-quick check-unit check-vm demo bench style \
        install install-module uninstall clean deb check-pkg check-contract $(addprefix module-,$(VM_KERNELS))
all:

# Each component owns one fragment.
-include lib/libvirtos/lib.mk
-include tools/vosctl/vosctl.mk
-include tools/vosd/vosd.mk
-include tools/vos-clip/vos-clip.mk
-include tools/vos-wlproxy/wlproxy.mk
-include examples/examples.mk
-include tests/unit/unit.mk
-include $(sort $(wildcard tests/integration/*/*.mk))
-include tests/escape/escape.mk
-include bench/bench.mk
-include tests/vm/vm.mk

all: $(ALL_TARGETS) module

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(NL_CFLAGS) -MMD -MP -fPIC -c -o $@ $<

# Header dependencies of user-space objects (not the kernel trees under build/).
-include $(shell find $(B) \( -path '$(B)/kernels' -o -path '$(B)/kmod' -o -path '$(B)/vm' \) -prune \
	-o -name '*.d' -type f -print 2>/dev/null)

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel build dir: install linux-headers-amd64 or pass KDIR=" >&2; exit 1; }
	+scripts/build-module.sh "$(KDIR)" "$(KMOD_OUT)"

# The module for every kernel the guest tests use.
modules-all: $(addprefix module-,$(VM_KERNELS))
$(addprefix module-,$(VM_KERNELS)): module-%:
	+kdir=$$(scripts/kernels.sh kdir $*) && \
		scripts/build-module.sh "$$kdir" "$(B)/kmod/$$(scripts/kernels.sh krelease $$kdir)"

deps:
	scripts/deps.sh

style:
	scripts/style.sh

# --- tests --------------------------------------------------------------------
# make check: dependencies, build, unit tests, guest tests on every kernel,
# one line per suite and a final "N passed, N failed" (scripts/check.sh).
check:
	MAKE="$(MAKE)" scripts/check.sh

# The inner loop: host stages and the stock 6.1 guest, all of its suites or
# those SUITES names (make check-quick SUITES="lib cli/run").
check-quick:
	MAKE="$(MAKE)" scripts/check.sh quick $(SUITES)

# Host unit tests (Check); each binary prints "NN%: Checks: N, Failures: N, Errors: N".
check-unit: $(UNIT_TESTS)
	scripts/check.sh unit $(UNIT_TESTS)

# The contract's four places (uapi header, YNL spec, ABI reference, library
# header) against each other: "file:line: what differs" (scripts/contract.sh).
check-contract:
	scripts/contract.sh

# --- Debian packages -------------------------------------------------------------
# dpkg-buildpackage -us -uc -b on a copy of the tree: build/deb/*.deb.
# tests/pkg/run installs and purges them in a guest (make check).
deb:
	+scripts/deb.sh $(VERSION)

# Host test of what the packages install that needs no module: the bash
# completion against vosctl's help and the lists it accepts (TAP).
check-pkg: $(VOSCTL)
	tests/pkg/completion $(VOSCTL)
	desktop-file-validate tools/vosctl/virtos-open.desktop

# --- install ------------------------------------------------------------------
# The module goes to updates/ of the kernel it was built for; depmod only on
# a live system (not when staging into DESTDIR).
KMOD_DEST = $(DESTDIR)/lib/modules/$(KREL)/updates/vos.ko

install-module: module
	install -D -m 0644 $(KMOD_OUT)/module/vos.ko $(KMOD_DEST)
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KREL); fi

install: $(INSTALL_TARGETS) install-module

uninstall:
	rm -f $(addprefix $(DESTDIR),$(UNINSTALL_FILES))
	rm -f $(KMOD_DEST)
	if [ -z "$(DESTDIR)" ]; then depmod -a $(KREL); fi

clean:
	rm -rf $(B) $(CLEAN_FILES)

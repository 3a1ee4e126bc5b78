# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/vm: the guest-kernel harness (vm-run, guest-init, gate.sh), the
# demo program vos-peek, and the targets that boot guests:
#   make check-vm    guest tests on every kernel (scripts/check.sh vm)
#   make check-gate  self-test of the health gate (no guest)
#   make demo        vosctl run --isolate, shown in a stock 6.1 guest

VOS_PEEK := $(B)/tests/vm/vos-peek

$(VOS_PEEK): $(B)/tests/vm/demo/vos-peek.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CAP_LIBS)

ALL_TARGETS += $(VOS_PEEK)
CLEAN_FILES += $(VOS_PEEK)

.PHONY: check-gate

check-vm: all modules-all
	MAKE="$(MAKE)" scripts/check.sh vm $(VM_KERNELS)

check-gate:
	tests/vm/gate-selftest.sh

# Like check, it starts with the packages (a fresh machine has no QEMU), and
# builds in a second make, which sees what they installed (pkg-config, KDIR).
demo:
	scripts/deps.sh
	$(MAKE) all module-stock61
	tests/vm/vm-run --kernel stock61 --timeout 300 -- tests/vm/demo.sh

# SPDX-License-Identifier: GPL-2.0-or-later
#
# vos.ko integration tests: each tests/integration/module/vos-*.c is one
# TAP-printing program build/tests/integration/vos-<name>; bench-*.c are
# measuring programs built the same way (no TAP, not run as tests). They run
# as root in a guest with vos.ko loaded (tests/vm/vm-run) and use only the
# uapi header and libnl-genl, not libvirtos or vosctl.

MODTEST_DIR   := tests/integration/module
MODTEST_SRCS  := $(wildcard $(MODTEST_DIR)/vos-*.c $(MODTEST_DIR)/bench-*.c)
MODTEST_BINS  := $(patsubst $(MODTEST_DIR)/%.c,$(B)/tests/integration/%,$(MODTEST_SRCS))
MODTEST_LIBS  := $(NL_LIBS) -lpthread

$(MODTEST_BINS): $(B)/tests/integration/%: $(B)/$(MODTEST_DIR)/%.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(MODTEST_LIBS)

$(patsubst %,$(B)/%,$(MODTEST_SRCS:.c=.o)): $(MODTEST_DIR)/vostest.h

ALL_TARGETS += $(MODTEST_BINS)
CLEAN_FILES += $(MODTEST_BINS)

.PHONY: module-tests
module-tests: $(MODTEST_BINS)

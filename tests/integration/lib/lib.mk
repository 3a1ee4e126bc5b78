# SPDX-License-Identifier: GPL-2.0-or-later
#
# libvirtos integration tests: each tests/integration/lib/lib-*.c is one
# TAP-printing program build/tests/integration/lib-<name>, linked against
# the shared library. They run as root in a guest with vos.ko loaded
# (tests/vm/guest-tests.sh runs every build/tests/integration/* program).

LIBTEST_DIR  := tests/integration/lib
LIBTEST_SRCS := $(wildcard $(LIBTEST_DIR)/lib-*.c)
LIBTEST_BINS := $(patsubst $(LIBTEST_DIR)/%.c,$(B)/tests/integration/%,$(LIBTEST_SRCS))

$(LIBTEST_BINS): $(B)/tests/integration/%: $(B)/$(LIBTEST_DIR)/%.o $(LIBVIRTOS_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< -L$(B)/lib -lvirtos -Wl,-rpath,'$$ORIGIN/../../lib'

$(patsubst %,$(B)/%,$(LIBTEST_SRCS:.c=.o)): $(LIBTEST_DIR)/libtest.h

ALL_TARGETS += $(LIBTEST_BINS)
CLEAN_FILES += $(LIBTEST_BINS)

.PHONY: lib-tests
lib-tests: $(LIBTEST_BINS)

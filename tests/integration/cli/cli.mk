# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers of the vosctl CLI suites (tests/integration/cli/*.bats): each
# tests/integration/cli/vos-*.c is one program build/tests/integration/cli/
# vos-<name>, linked against the shared library. They are not suites: they
# live in a subdirectory, which tests/vm/guest-tests.sh does not run.

CLIHELP_DIR  := tests/integration/cli
CLIHELP_SRCS := $(wildcard $(CLIHELP_DIR)/vos-*.c)
CLIHELP_BINS := $(patsubst $(CLIHELP_DIR)/%.c,$(B)/$(CLIHELP_DIR)/%,$(CLIHELP_SRCS))

$(CLIHELP_BINS): $(B)/$(CLIHELP_DIR)/%: $(B)/$(CLIHELP_DIR)/%.o $(LIBVIRTOS_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< -L$(B)/lib -lvirtos -Wl,-rpath,'$$ORIGIN/../../../lib'

ALL_TARGETS += $(CLIHELP_BINS)
CLEAN_FILES += $(CLIHELP_BINS)

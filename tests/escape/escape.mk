# SPDX-License-Identifier: GPL-2.0-or-later
#
# Escape test suite: one attack program per class, run by tests/escape/run
# (inside a guest, as root) through `vosctl run --isolate`.

ESC_DIR   := $(B)/tests/escape
ESC_PROGS := esc_exe esc_fds esc_tty esc_ptywrap esc_cgroup esc_knobs \
             esc_masked esc_mount esc_userns esc_ptrace esc_signal \
             esc_canary esc_keyring esc_unix esc_dev esc_seccomp \
             esc_setuid esc_suidhelper esc_module esc_sockets esc_env \
             esc_identity
ESC_BINS  := $(addprefix $(ESC_DIR)/,$(ESC_PROGS))

$(ESC_BINS): $(ESC_DIR)/%: $(ESC_DIR)/%.o $(ESC_DIR)/esc_common.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^

.PHONY: escape
escape: $(ESC_BINS)

ALL_TARGETS += $(ESC_BINS)

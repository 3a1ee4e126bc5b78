# SPDX-License-Identifier: GPL-2.0-or-later
#
# Unit tests (Check) that run on the host, no module needed. Fragments
# included before this one may append their test binaries to UNIT_TESTS;
# `make check-unit` builds and runs them all and fails if any fails.

UNIT_TESTS += $(B)/tests/unit/test-libvirtos

$(B)/tests/unit/test-libvirtos.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes

# linked against the static library: the tests also reach internal
# (hidden) helpers such as the seccomp filter builder
$(B)/tests/unit/test-libvirtos: $(B)/tests/unit/test-libvirtos.o $(LIBVIRTOS_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBVIRTOS_A) $(LIBVIRTOS_LIBS) $(CHECK_LIBS)

CLEAN_FILES += $(B)/tests/unit

check-unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

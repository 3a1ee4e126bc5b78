# SPDX-License-Identifier: GPL-2.0-or-later
#
# Unit tests (Check) that run on the host, no module needed: append the
# binaries to UNIT_TESTS; the top Makefile's `make check-unit` builds and
# runs them all (scripts/check.sh unit).

UNIT_TESTS += $(B)/tests/unit/test-libvirtos $(B)/tests/unit/test-options \
	$(B)/tests/unit/test-firewall $(B)/tests/unit/test-policy

$(B)/tests/unit/test-libvirtos.o $(B)/tests/unit/test-options.o $(B)/tests/unit/test-firewall.o \
	$(B)/tests/unit/test-policy.o: \
	ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes

# linked against the test-only archive: the tests also reach internal
# (hidden) helpers such as the seccomp filter builder and the error record,
# which libvirtos.so and the installed libvirtos.a do not export
$(B)/tests/unit/test-%: $(B)/tests/unit/test-%.o $(LIBVIRTOS_TEST_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBVIRTOS_TEST_A) $(LIBVIRTOS_LIBS) $(CHECK_LIBS)

CLEAN_FILES += $(B)/tests/unit

# the definitions' parser (issue 14); reads the shipped profiles from the tree
UNIT_TESTS += $(B)/tests/unit/test-def
$(B)/tests/unit/test-def.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes \
	-DPROFILES=\"tools/vosctl/profiles\"

# vos.FileCopy's stream (issue 13): the receiver against hostile streams,
# and vosd's store and forward of limit=/scan= (spool.c); no library
UNIT_TESTS += $(B)/tests/unit/test-filecopy
$(B)/tests/unit/test-filecopy.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes -Itools/vosd
$(B)/tests/unit/test-filecopy: $(B)/tests/unit/test-filecopy.o $(B)/tools/vosd/filecopy.o \
	$(B)/tools/vosd/spool.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# the routes (issue 15) and a subsystem's own clipboard store (issue 13)
UNIT_TESTS += $(B)/tests/unit/test-route
$(B)/tests/unit/test-route.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes

# the fast path of pooled disposables (issue 14): the stub's request
# parser, and build/vos-stub itself against malformed requests; no library
UNIT_TESTS += $(B)/tests/unit/test-stubreq
$(B)/tests/unit/test-stubreq.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes -Itools/vosd \
	-DSTUB=\"$(B)/vos-stub\"
$(B)/tests/unit/test-stubreq: $(B)/tests/unit/test-stubreq.o $(B)/tools/vosd/stubreq.o $(B)/vos-stub
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/tools/vosd/stubreq.o $(CHECK_LIBS)

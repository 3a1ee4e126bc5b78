# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks: virtos against its peers, in a guest kernel (see
# Documentation/performance.md).
#
#   make bench                          stock 6.1 guest
#   make bench BENCH_KERNELS="stock61 stock612 debug"
#   make bench-bins                     only build the programs (host)
#
# The programs talk to vos.ko directly (uapi header + libnl-genl), not through
# libvirtos, so that what they time is the kernel interface itself.

BENCH_KERNELS ?= stock61
BENCH_B       := $(B)/bench
BENCH_PLAIN   := $(BENCH_B)/spawnbench $(BENCH_B)/forkloop $(BENCH_B)/seccomp-dump \
                 $(BENCH_B)/netperf
BENCH_NL      := $(BENCH_B)/scale $(BENCH_B)/events $(BENCH_B)/crossing
BENCH_BINS    := $(BENCH_PLAIN) $(BENCH_NL)
BENCH_NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)

ALL_TARGETS   += $(BENCH_BINS)

$(BENCH_PLAIN): $(BENCH_B)/%: $(B)/bench/%.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(BENCH_NL): $(BENCH_B)/%: $(B)/bench/%.o $(B)/bench/common.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BENCH_NL_LIBS)

.PHONY: bench-bins
bench-bins: $(BENCH_BINS)

# Needs vosctl and the module for every kernel it boots (bench/run.sh builds
# a missing one). A part that does not build or run yet does not stop the
# bench: its rows say "not measured" and why. Exit 0 unless something crashed.
bench: bench-bins
	@$(MAKE) --no-print-directory $(if $(VOSCTL),$(VOSCTL),build/vosctl) || \
		echo "bench: vosctl does not build: its rows will say so" >&2
	BENCH_KERNELS="$(BENCH_KERNELS)" bench/run.sh


// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-set-link NAME IFNAME ADDRESS: bind subsystem NAME's link, whose far
 * end is IFNAME in the caller's network namespace, with ADDRESS the
 * subsystem's IPv4 address on it (vos_subsys_set_link(), i.e.
 * VOS_SUBSYS_SET_LINK). A test helper for firewall.bats until --uplink
 * binds links itself; it is built into build/tests/integration/cli/, where
 * tests/vm/guest-tests.sh does not run it as a suite. Prints the library's
 * message and exits 1 on failure.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>

#include <virtos.h>

int main(int argc, char **argv)
{
	struct vos_subsys *s = NULL;
	struct vos_ctx *ctx = NULL;
	struct in_addr a;
	unsigned int ifindex;
	int ret;

	if (argc != 4) {
		fprintf(stderr, "usage: vos-set-link NAME IFNAME ADDRESS\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[2]);
	if (!ifindex || inet_pton(AF_INET, argv[3], &a) != 1) {
		fprintf(stderr, "vos-set-link: no device %s or bad address %s\n", argv[2], argv[3]);
		return 2;
	}
	ret = vos_ctx_new(&ctx);
	if (!ret)
		ret = vos_subsys_open(ctx, argv[1], &s);
	if (!ret)
		ret = vos_subsys_set_link(s, -1, ifindex, a.s_addr);
	if (ret)
		fprintf(stderr, "vos-set-link: %s\n", ctx ? vos_ctx_errmsg(ctx) : "out of memory");
	vos_subsys_free(s);
	vos_ctx_free(ctx);
	return ret ? 1 : 0;
}

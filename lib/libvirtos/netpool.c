// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * netpool.c - the address pool of subsystem links (issue 12), and the
 * host's masquerade of it.
 *
 * The pool is 10.213.0.0/16 unless /etc/virtos/network.conf says
 * otherwise (VIRTOS_NETWORK_CONF names another file, for tests):
 *
 *     [Network]
 *     Pool=10.77.0.0/16
 *
 * a private IPv4 range of prefix 8..24 that the host does not route
 * elsewhere. Read with libinih, as the definitions are. The kernel needs
 * no pool: it only keeps the addresses and ranges apart.
 *
 * Every pool ever used stays in the nft set "ip virtos pools", which the
 * one masquerade rule matches, so subsystems linked before the pool
 * changed keep their way out.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <ini.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define POOL_DEFAULT_BASE   0x0ad50000u /* 10.213.0.0/16 */
#define POOL_DEFAULT_PREFIX 16u

struct pool_read {
	struct vos_ctx *ctx;
	const char *path;
	FILE *f;
	int line; /* of the line read last (libinih gives handlers none) */
	uint32_t base;
	unsigned int prefix;
	int err;
};

static char *pool_line(char *str, int num, void *stream)
{
	struct pool_read *p = stream;
	char *s = fgets(str, num, p->f);

	if (s)
		p->line++;
	return s;
}

/* "A.B.C.D/N", N 8..24, no host bits: into @base (host order), @prefix */
int vos_net_pool_parse(const char *s, uint32_t *base, unsigned int *prefix)
{
	char ip[INET_ADDRSTRLEN], *end;
	const char *slash = s ? strchr(s, '/') : NULL;
	struct in_addr a;
	unsigned long n;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	n = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, ip, &a) != 1 || !slash[1] || *end || n < 8 || n > 24)
		return -EINVAL;
	if (ntohl(a.s_addr) & ~(~0u << (32 - n)))
		return -EINVAL;
	*base = ntohl(a.s_addr);
	*prefix = (unsigned int)n;
	return 0;
}

static int pool_key(void *user, const char *section, const char *key, const char *value)
{
	struct pool_read *p = user;
	int line = p->line;

	if (p->err)
		return 1;
	if (strcmp(section, "Network") || strcmp(key, "Pool"))
		p->err = vos_err_class(
			p->ctx, -EINVAL, VOS_ERR_USAGE,
			"%s:%d: [%s] %s=: not a key of this file; it has [Network] Pool=A.B.C.D/N",
			p->path, line, section, key);
	else if (vos_net_pool_parse(value, &p->base, &p->prefix) < 0)
		p->err = vos_err_class(
			p->ctx, -EINVAL, VOS_ERR_USAGE,
			"%s:%d: Pool=%s: use an IPv4 range A.B.C.D/N with N 8..24 and no host bits, e.g. Pool=10.213.0.0/16",
			p->path, line, value);
	return 1;
}

int vos_net_pool(struct vos_ctx *ctx, uint32_t *base, unsigned int *prefix)
{
	struct pool_read p = { .ctx = ctx,
			       .base = POOL_DEFAULT_BASE,
			       .prefix = POOL_DEFAULT_PREFIX };
	const char *env = getenv("VIRTOS_NETWORK_CONF");
	FILE *f;
	int r;

	p.path = env && *env ? env : VOS_NETWORK_CONF;
	f = fopen(p.path, "re");
	if (!f) {
		if (errno != ENOENT)
			return vos_err(ctx, -errno, "uplink: %s:", p.path);
	} else {
		p.f = f;
		r = ini_parse_stream(pool_line, &p, pool_key, &p);
		fclose(f);
		if (p.err)
			return p.err;
		if (r)
			return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
					     "%s:%d: not a line of an INI file", p.path, r);
	}
	*base = p.base;
	*prefix = p.prefix;
	return 0;
}

int vos_write_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		e = errno ? errno : EIO;
	close(fd);
	return e;
}

/* The host forwards and masquerades the pools (shared by every subsystem). */
int vos_net_host_nat(struct vos_ctx *ctx, uint32_t base, unsigned int prefix)
{
	struct in_addr a = { .s_addr = htonl(base) };
	char cmds[1024], cidr[INET_ADDRSTRLEN + 4];
	const char *errbuf;
	struct nft_ctx *nft;
	int r = vos_write_sysctl("/proc/sys/net/ipv4/ip_forward", "1");

	if (r)
		return vos_err(ctx, -r, "uplink: enable net.ipv4.ip_forward:");
	inet_ntop(AF_INET, &a, cidr, INET_ADDRSTRLEN);
	snprintf(cidr + strlen(cidr), sizeof(cidr) - strlen(cidr), "/%u", prefix);
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return vos_err(ctx, -ENOMEM,
			       "uplink: nftables: cannot load libnftables (install libnftables1)");
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	/* one transaction: the rule is replaced, never missing */
	snprintf(
		cmds, sizeof(cmds),
		"add table ip virtos\n"
		"add set ip virtos pools { type ipv4_addr; flags interval; }\n"
		"add element ip virtos pools { %s }\n"
		"add chain ip virtos postrouting { type nat hook postrouting priority srcnat; policy accept; }\n"
		"flush chain ip virtos postrouting\n"
		"add rule ip virtos postrouting ip saddr @pools oifname != \"vos*\" masquerade\n",
		cidr);
	if (nft_run_cmd_from_buffer(nft, cmds) != 0) {
		errbuf = nft_ctx_get_error_buffer(nft);
		r = vos_err(ctx, -EIO, "uplink: nftables masquerade for %s: %.*s", cidr,
			    (int)strcspn(errbuf ? errbuf : "", "\n"), errbuf ? errbuf : "");
	}
	nft_ctx_free(nft);
	return r;
}

/*
 * The host's resolver: the first IPv4 "nameserver" of /etc/resolv.conf
 * outside 127.0.0.0/8 (a loopback resolver, such as systemd-resolved's,
 * is not reachable from a subsystem), network byte order; 0 if none.
 */
VOS_EXPORT uint32_t vos_net_resolver4(void)
{
	char line[256], word[16], ip[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t found = 0;
	FILE *f = fopen("/etc/resolv.conf", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, " %15s %15s", word, ip) == 2 && !strcmp(word, "nameserver") &&
		    inet_pton(AF_INET, ip, &a) == 1 && (ntohl(a.s_addr) >> 24) != 127 &&
		    a.s_addr != INADDR_ANY)
			found = a.s_addr;
	fclose(f);
	return found;
}

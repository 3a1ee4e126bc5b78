// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * nftload.c - libnftables, opened the first time it is used.
 *
 * Only --uplink and --publish need nftables (net.c: the host's masquerade;
 * publish.c: published ports). Linked
 * as a library of its own, libnftables and the five it needs (libmnl,
 * libnftnl, libxtables, libjansson, libgmp) were mapped and relocated at
 * every start of every program linking libvirtos, and their pages were
 * about half of vosctl's resident memory while it waits for the app
 * (Documentation/performance.md, "Footprint"). So libvirtos does not link
 * it: the functions net.c calls are defined here with the same
 * declarations (nftables/libnftables.h) and look the library up with
 * dlopen() on first use. Without libnftables installed, nft_ctx_new()
 * returns NULL, as when it cannot allocate, and only --uplink host fails.
 *
 * A new nft_* call in net.c must be added here: the link of libvirtos.so
 * (--no-undefined) names it if it is missing.
 */
#include <dlfcn.h>
#include <nftables/libnftables.h>

#include "private.h"

/* The symbol @name of libnftables, NULL if it or the library is missing. */
static void *nft_sym(const char *name)
{
	static void *lib;

	if (!lib)
		lib = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		lib = dlopen("libnftables.so", RTLD_NOW | RTLD_LOCAL);
	return lib ? dlsym(lib, name) : NULL;
}

/* ret name(params): call the library's, or return @fail without it */
#define NFT_CALL(ret, name, params, args, fail)             \
	ret name params                                     \
	{                                                   \
		static ret(*fn) params;                     \
                                                            \
		if (!fn)                                    \
			fn = (ret(*) params)nft_sym(#name); \
		return fn ? fn args : fail;                 \
	}

NFT_CALL(struct nft_ctx *, nft_ctx_new, (uint32_t flags), (flags), NULL)
NFT_CALL(int, nft_ctx_buffer_output, (struct nft_ctx * ctx), (ctx), -1)
NFT_CALL(int, nft_ctx_buffer_error, (struct nft_ctx * ctx), (ctx), -1)
NFT_CALL(const char *, nft_ctx_get_error_buffer, (struct nft_ctx * ctx), (ctx), NULL)
NFT_CALL(const char *, nft_ctx_get_output_buffer, (struct nft_ctx * ctx), (ctx), NULL)
NFT_CALL(int, nft_run_cmd_from_buffer, (struct nft_ctx * nft, const char *buf), (nft, buf), -1)

void nft_ctx_free(struct nft_ctx *ctx)
{
	static void (*fn)(struct nft_ctx *);

	if (!fn)
		fn = (void (*)(struct nft_ctx *))nft_sym("nft_ctx_free");
	if (fn)
		fn(ctx);
}

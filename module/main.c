// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - vos.ko: an in-kernel supervisor of isolated subsystems.
 *
 * Init brings the parts up in dependency order (the registry first, the
 * device last, so nothing can reach a part that is not ready) and unwinds in
 * reverse on failure and at exit. Exit runs only when no subsystem is left,
 * because every live subsystem holds a reference on the module.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "vos.h"

static int __init vos_init(void)
{
	int ret;

	ret = vos_ids_init();
	if (ret)
		return ret;
	ret = vos_subsys_init();
	if (ret)
		goto err_subsys;
	ret = vos_netlink_init();
	if (ret)
		goto err_netlink;
	ret = vos_track_init();
	if (ret)
		goto err_track;
	ret = vos_net_init();
	if (ret)
		goto err_net;
	ret = vos_dev_init();
	if (ret)
		goto err_dev;
	pr_info("vos: virtos supervisor loaded, API version %d\n",
		VOS_API_VERSION);
	return 0;

err_dev:
	vos_net_uninit();
err_net:
	vos_track_uninit();
err_track:
	vos_netlink_uninit();
err_netlink:
	vos_subsys_uninit();
err_subsys:
	vos_ids_uninit();
	return ret;
}

static void __exit vos_exit(void)
{
	vos_dev_uninit();
	/* no ioctl can reach the slot now; wipe it while events can still go */
	vos_clip_uninit();
	vos_net_uninit();
	vos_track_uninit();
	vos_netlink_uninit();
	vos_subsys_uninit();
	vos_ids_uninit();
	pr_info("vos: unloaded\n");
}

module_init(vos_init);
module_exit(vos_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("virtos: in-kernel supervisor of isolated subsystems");
MODULE_AUTHOR("virtos developers");
MODULE_ALIAS_GENL_FAMILY(VOS_GENL_NAME);

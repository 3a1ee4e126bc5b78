// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - /dev/vos and subsystem fds: ioctl dispatch.
 *
 * One switch per fd type; each case copies in, calls a typed helper and
 * copies out. Structs that carry a size are read like clone3()/openat2()
 * (copy_struct_from_user()), so the size bits of the ioctl numbers are
 * ignored; the type, number and direction must match.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/signal.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "vos.h"

/* The first published size of each struct (version 1). */
#define VOS_CREATE_SIZE_VER0	sizeof(struct vos_create)
#define VOS_OPEN_SIZE_VER0	sizeof(struct vos_open)
#define VOS_ATTACH_SIZE_VER0	sizeof(struct vos_attach)
#define VOS_INFO_SIZE_VER0	sizeof(struct vos_subsys_info)
#define VOS_SIGNAL_SIZE_VER0	sizeof(struct vos_signal)
#define VOS_LINK_SIZE_VER0	offsetofend(struct vos_link, reserved)
#define VOS_RULES_SIZE_VER0	offsetofend(struct vos_rules, reserved)
#define VOS_LINK_INFO_SIZE_VER0	offsetofend(struct vos_link_info, reserved)
#define VOS_CLIP_SIZE_VER0	sizeof(struct vos_clip)
#define VOS_CHANNEL_SIZE_VER0	sizeof(struct vos_channel_create)
#define VOS_AUDIT_SIZE_VER0	sizeof(struct vos_crossing_audit)

#define VOS_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static const struct file_operations vos_subsys_fops;

/*
 * VOS_CHECK_EXTENSION: 1 for a capability this module has. A list, not a
 * range: numbers are handed out before the features land.
 */
static bool vos_has_cap(unsigned long cap)
{
	switch (cap) {
	case VOS_CAP_CREATE:
	case VOS_CAP_PERSISTENT:
	case VOS_CAP_ATTACH:
	case VOS_CAP_SIGNAL:
	case VOS_CAP_END:
	case VOS_CAP_NETLINK:
	case VOS_CAP_EVENTS:
	case VOS_CAP_NET_POLICY:
	case VOS_CAP_ID_RANGE:
	case VOS_CAP_NET_RULES:
	case VOS_CAP_NET_PROVIDER:
	case VOS_CAP_PEER:
	case VOS_CAP_CLIPBOARD:
	case VOS_CAP_RULE_HOSTS:
	case VOS_CAP_NET_IPV6:
	case VOS_CAP_CHANNEL:
		return true;
	default:
		return false;
	}
}

static bool vos_zero(const void *p, size_t size)
{
	return !memchr_inv(p, 0, size);
}

/* Read a sized struct: @ksize is ours, the user's is its first __u32. */
static int vos_copy_in(void *dst, size_t ksize, size_t min_size,
		       const void __user *src)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)src))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, src, usize);
	if (ret)
		return ret;
	*(u32 *)dst = usize;	/* the caller's size, for copying out */
	return 0;
}

static int vos_policy_valid(const struct vos_policy *p)
{
	if (p->net != VOS_NET_ISOLATED && p->net != VOS_NET_HOST)
		return -EINVAL;
	if (p->flags || !vos_zero(p->reserved, sizeof(p->reserved)))
		return -EINVAL;
	return 0;
}

/*
 * A new fd for @s. On success the caller's reference moves to the file; on
 * failure the caller still holds it.
 */
static int vos_subsys_new_fd(struct vos_subsys *s)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	vos_subsys_file_open(s);
	file = anon_inode_getfile("vos-subsys", &vos_subsys_fops, s, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		vos_subsys_file_close(s);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

static long vos_ioctl_create(struct vos_create __user *uarg)
{
	struct vos_subsys *s;
	struct vos_create c;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vos_copy_in(&c, sizeof(c), VOS_CREATE_SIZE_VER0, uarg);
	if (ret)
		return ret;
	/* @id, @id_base, @id_count are out only: their input is ignored */
	if ((c.flags & ~VOS_SUBSYS_FLAGS_ALL) ||
	    !vos_zero(c.reserved, sizeof(c.reserved)))
		return -EINVAL;
	ret = vos_policy_valid(&c.policy);
	if (ret)
		return ret;
	ret = vos_name_valid(c.name, sizeof(c.name));
	if (ret)
		return ret;

	s = vos_subsys_create(c.name, c.flags, &c.policy);
	if (IS_ERR(s))
		return PTR_ERR(s);
	/*
	 * Report the id before the fd exists, so that a failed copy leaves no
	 * fd behind. On failure nobody has seen the subsystem: end it, even a
	 * persistent one.
	 */
	ret = put_user(s->id, &uarg->id) || put_user(s->id_base, &uarg->id_base) ||
	      put_user(s->id_count, &uarg->id_count) ? -EFAULT : vos_subsys_new_fd(s);
	if (ret < 0) {
		vos_subsys_end(s);
		vos_subsys_put(s);
	}
	return ret;
}

static long vos_ioctl_open(struct vos_open __user *uarg)
{
	struct vos_subsys *s;
	struct vos_open o;
	int ret;

	ret = vos_copy_in(&o, sizeof(o), VOS_OPEN_SIZE_VER0, uarg);
	if (ret)
		return ret;
	if (!vos_zero(o.reserved, sizeof(o.reserved)))
		return -EINVAL;
	switch (o.flags) {
	case VOS_OPEN_BY_ID:
		s = vos_subsys_get_by_id(o.id);
		break;
	case VOS_OPEN_BY_NAME:
		ret = vos_name_valid(o.name, sizeof(o.name));
		if (ret)
			return ret;
		s = vos_subsys_get_by_name(o.name);
		break;
	default:
		return -EINVAL;
	}
	if (!s)
		return -ENOENT;
	if (!vos_subsys_visible(s) || READ_ONCE(s->ended)) {
		vos_subsys_put(s);
		return -ENOENT;
	}
	ret = vos_subsys_new_fd(s);
	if (ret < 0)
		vos_subsys_put(s);
	return ret;
}

/*
 * The clipboard ioctls: @op is clip.c's helper for @cmd, @s the subsystem
 * fd's (NULL for VOS_CLIP_INFO). The struct goes back on success and with
 * -ENOSPC, which reports the length a paste needs.
 */
static long vos_ioctl_clip(struct vos_subsys *s, unsigned int cmd,
			   void __user *argp)
{
	struct vos_clip c;
	u32 usize;
	int ret;

	ret = vos_copy_in(&c, sizeof(c), VOS_CLIP_SIZE_VER0, argp);
	if (ret)
		return ret;
	usize = c.size;
	switch (VOS_IOC_NOSIZE(cmd)) {
	case VOS_IOC_NOSIZE(VOS_CLIP_INFO):
		ret = vos_clip_info(&c);
		break;
	case VOS_IOC_NOSIZE(VOS_SUBSYS_CLIP_COPY):
		ret = vos_clip_copy(s, &c);
		break;
	default:
		ret = vos_clip_paste(s, &c);
		break;
	}
	if (ret && ret != -ENOSPC)
		return ret;
	c.size = min_t(u32, usize, sizeof(c));
	if (copy_to_user(argp, &c, c.size))
		return -EFAULT;
	return ret;
}

/* A channel between two subsystems, for a broker (channel.c) */
static long vos_ioctl_channel(struct vos_channel_create __user *uarg)
{
	struct vos_channel_create cc;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vos_copy_in(&cc, sizeof(cc), VOS_CHANNEL_SIZE_VER0, uarg);
	if (ret)
		return ret;
	/* @id and the fds are out only: their input is ignored */
	if (cc.flags || !vos_zero(cc.reserved, sizeof(cc.reserved)))
		return -EINVAL;
	return vos_channel_create(&cc, uarg);
}

static long vos_ioctl_audit(const void __user *argp)
{
	struct vos_crossing_audit a;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vos_copy_in(&a, sizeof(a), VOS_AUDIT_SIZE_VER0, argp);
	if (ret)
		return ret;
	if (a.flags || a.pad || !vos_zero(a.reserved, sizeof(a.reserved)))
		return -EINVAL;
	return vos_channel_audit(&a);
}

static long vos_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	/* /dev/vos is not in a subsystem's /dev; refuse members who reach it anyway */
	if (vos_current_is_member())
		return -EPERM;
	switch (VOS_IOC_NOSIZE(cmd)) {
	case VOS_IOC_NOSIZE(VOS_GET_API_VERSION):
		return arg ? -EINVAL : VOS_API_VERSION;
	case VOS_IOC_NOSIZE(VOS_CHECK_EXTENSION):
		return vos_has_cap(arg);
	case VOS_IOC_NOSIZE(VOS_CREATE_SUBSYS):
		return vos_ioctl_create(argp);
	case VOS_IOC_NOSIZE(VOS_OPEN_SUBSYS):
		return vos_ioctl_open(argp);
	case VOS_IOC_NOSIZE(VOS_CLIP_INFO):
		return vos_ioctl_clip(NULL, cmd, argp);
	case VOS_IOC_NOSIZE(VOS_CLIP_CLEAR):
		return arg ? -EINVAL : vos_clip_clear();
	case VOS_IOC_NOSIZE(VOS_CHANNEL_CREATE):
		return vos_ioctl_channel(argp);
	case VOS_IOC_NOSIZE(VOS_CHANNEL_AUDIT):
		return vos_ioctl_audit(argp);
	default:
		return -ENOTTY;
	}
}

static long vos_ioctl_attach(struct vos_subsys *s, const void __user *argp)
{
	struct vos_attach a;
	int ret;

	ret = vos_copy_in(&a, sizeof(a), VOS_ATTACH_SIZE_VER0, argp);
	if (ret)
		return ret;
	if (a.flags || a.pad || !vos_zero(a.reserved, sizeof(a.reserved)))
		return -EINVAL;
	return vos_subsys_attach(s, &a);
}

static long vos_ioctl_info(struct vos_subsys *s, void __user *argp)
{
	struct vos_subsys_info info;
	struct vos_snapshot sn;
	u32 usize;

	if (get_user(usize, (u32 __user *)argp))
		return -EFAULT;
	if (usize < VOS_INFO_SIZE_VER0)
		return -EINVAL;
	usize = min_t(u32, usize, sizeof(info));

	vos_subsys_snapshot(s, &sn);
	memset(&info, 0, sizeof(info));
	info.size = usize;
	info.flags = sn.flags;
	info.id = sn.id;
	memcpy(info.name, sn.name, sizeof(info.name));
	info.state = sn.state;
	info.owner_uid = from_kuid_munged(current_user_ns(), sn.owner);
	info.init_pid = sn.init_pid ? pid_vnr(sn.init_pid) : 0;
	info.exit_status = sn.exit_status;
	info.tasks_now = sn.tasks_now;
	info.tasks_ever = sn.tasks_ever;
	info.execs = sn.execs;
	info.denials = sn.denials;
	info.created_ns = sn.created_ns;
	info.pidns_inum = sn.pidns_inum;
	info.netns_inum = sn.netns_inum;
	info.cgroup_id = sn.cgroup_id;
	info.policy = sn.policy;
	info.id_base = sn.id_base;
	info.id_count = sn.id_count;
	put_pid(sn.init_pid);

	return copy_to_user(argp, &info, usize) ? -EFAULT : 0;
}

static long vos_ioctl_signal(struct vos_subsys *s, const void __user *argp)
{
	struct vos_signal sig;
	int ret;

	ret = vos_copy_in(&sig, sizeof(sig), VOS_SIGNAL_SIZE_VER0, argp);
	if (ret)
		return ret;
	if ((sig.flags & ~VOS_SIGNAL_INIT_ONLY) || sig.pad ||
	    !vos_zero(sig.reserved, sizeof(sig.reserved)))
		return -EINVAL;
	if (sig.signo < 1 || sig.signo >= _NSIG)
		return -EINVAL;
	return vos_subsys_signal(s, sig.signo,
				 sig.flags & VOS_SIGNAL_INIT_ONLY);
}

static long vos_ioctl_set_link(struct vos_subsys *s, const void __user *argp)
{
	struct vos_link l;
	int ret;

	ret = vos_copy_in(&l, sizeof(l), VOS_LINK_SIZE_VER0, argp);
	if (ret)
		return ret;
	return vos_net_set_link(s, &l);
}

static long vos_ioctl_get_link(struct vos_subsys *s, void __user *argp)
{
	struct vos_link_info li;
	u32 usize;
	int ret;

	ret = vos_copy_in(&li, sizeof(li), VOS_LINK_INFO_SIZE_VER0, argp);
	if (ret)
		return ret;
	usize = li.size;
	memset(&li, 0, sizeof(li));
	ret = vos_net_get_link(s, &li);
	if (ret)
		return ret;
	li.size = min_t(u32, usize, sizeof(li));
	return copy_to_user(argp, &li, li.size) ? -EFAULT : 0;
}

static long vos_ioctl_set_rules(struct vos_subsys *s, const void __user *argp)
{
	struct vos_rules r;
	int ret;

	ret = vos_copy_in(&r, sizeof(r), VOS_RULES_SIZE_VER0, argp);
	if (ret)
		return ret;
	/* the counters are out only */
	if (!vos_zero(r.reserved, sizeof(r.reserved)))
		return -EINVAL;
	return vos_net_set_rules(s, &r);
}

static long vos_ioctl_get_rules(struct vos_subsys *s, void __user *argp)
{
	struct vos_rules r;
	u32 usize;
	int ret;

	ret = vos_copy_in(&r, sizeof(r), VOS_RULES_SIZE_VER0, argp);
	if (ret)
		return ret;
	if (r.flags || !vos_zero(r.reserved, sizeof(r.reserved)) ||
	    r.count > VOS_RULES_MAX)
		return -EINVAL;
	usize = r.size;
	ret = vos_net_get_rules(s, &r, u64_to_user_ptr(r.rules),
				u64_to_user_ptr(r.hosts),
				u64_to_user_ptr(r.addrs6));
	if (ret)
		return ret;
	r.size = min_t(u32, usize, sizeof(r));
	return copy_to_user(argp, &r, r.size) ? -EFAULT : 0;
}

static long vos_subsys_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct vos_subsys *s = file->private_data;
	void __user *argp = (void __user *)arg;

	/* a subsystem fd that leaked into a subsystem is no key to it */
	if (vos_current_is_member())
		return -EPERM;
	switch (VOS_IOC_NOSIZE(cmd)) {
	case VOS_IOC_NOSIZE(VOS_SUBSYS_ATTACH):
		return vos_ioctl_attach(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_INFO):
		return vos_ioctl_info(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_SIGNAL):
		return vos_ioctl_signal(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_SET_LINK):
		return vos_ioctl_set_link(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_SET_RULES):
		return vos_ioctl_set_rules(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_GET_RULES):
		return vos_ioctl_get_rules(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_GET_LINK):
		return vos_ioctl_get_link(s, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_CLIP_COPY):
	case VOS_IOC_NOSIZE(VOS_SUBSYS_CLIP_PASTE):
		return vos_ioctl_clip(s, cmd, argp);
	case VOS_IOC_NOSIZE(VOS_SUBSYS_END):
		if (arg)
			return -EINVAL;
		vos_subsys_end(s);
		return 0;
	default:
		return -ENOTTY;
	}
}

static int vos_subsys_release(struct inode *inode, struct file *file)
{
	struct vos_subsys *s = file->private_data;

	vos_subsys_file_close(s);
	vos_subsys_put(s);
	return 0;
}

static const struct file_operations vos_subsys_fops = {
	.owner = THIS_MODULE,
	.release = vos_subsys_release,
	.unlocked_ioctl = vos_subsys_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static const struct file_operations vos_dev_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = vos_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* Anyone may open it: creating needs CAP_SYS_ADMIN, and everything else
 * shows a caller only the subsystems it owns.
 */
static struct miscdevice vos_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vos",
	.fops = &vos_dev_fops,
	.mode = 0666,
};

int vos_dev_init(void)
{
	return misc_register(&vos_misc);
}

void vos_dev_uninit(void)
{
	misc_deregister(&vos_misc);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clip.c - the clipboard slot (VOS_CAP_CLIPBOARD): one global slot for the
 * two-step copy between subsystems.
 *
 * The slot holds at most one content: bytes, their MIME type, the subsystem
 * they came from and a sequence number. A copy fills it from subsystem A
 * (the subsystem of the fd used, which the caller cannot choose otherwise);
 * a paste empties it into B. Whether A may paste into B is the broker's
 * (vosctl's) decision under the vos.Clipboard policy; vos.ko makes the rest
 * hold whatever the broker does: the content goes to one target only, never
 * outlives clip_ttl_ms, never exceeds clip_max_bytes, is zeroed before its
 * memory is freed, and every step is an event.
 *
 * Locking: vos_clip_lock (mutex) guards the slot; copy_{from,to}_user run
 * under it, so it is never taken in atomic context. It nests inside nothing
 * and takes nothing but the event lock (through vos_event_fill()).
 */

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "vos.h"

#define VOS_CLIP_MAX_DEFAULT	(4U << 20)
#define VOS_CLIP_TTL_DEFAULT	60000U		/* ms */
#define VOS_CLIP_TTL_MAX	86400000U	/* ms: one day */

static unsigned int clip_max_bytes = VOS_CLIP_MAX_DEFAULT;
static unsigned int clip_ttl_ms = VOS_CLIP_TTL_DEFAULT;

static int vos_clip_set_max(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (!v || v > VOS_CLIP_HARD_MAX)
		return -EINVAL;
	WRITE_ONCE(clip_max_bytes, v);
	return 0;
}

static int vos_clip_set_ttl(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v > VOS_CLIP_TTL_MAX)
		return -EINVAL;
	WRITE_ONCE(clip_ttl_ms, v);
	return 0;
}

static const struct kernel_param_ops vos_clip_max_ops = {
	.set = vos_clip_set_max,
	.get = param_get_uint,
};

static const struct kernel_param_ops vos_clip_ttl_ops = {
	.set = vos_clip_set_ttl,
	.get = param_get_uint,
};

module_param_cb(clip_max_bytes, &vos_clip_max_ops, &clip_max_bytes, 0644);
MODULE_PARM_DESC(clip_max_bytes,
		 "Largest clipboard content in bytes (1..64 MiB, default 4 MiB)");
module_param_cb(clip_ttl_ms, &vos_clip_ttl_ops, &clip_ttl_ms, 0644);
MODULE_PARM_DESC(clip_ttl_ms,
		 "Clipboard content expires this many ms after its copy (0: at once; default 60000)");

/* The slot, under vos_clip_lock. @data is NULL when it is empty. */
static struct {
	void *data;
	u64 length;
	u64 seq;
	u64 expires_ns;
	char mime[VOS_CLIP_MIME_MAX];
	struct vos_subsys *source;	/* a reference */
} vos_clip_slot;

static DEFINE_MUTEX(vos_clip_lock);
static u64 vos_clip_seq;		/* under vos_clip_lock */
static void vos_clip_expire_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vos_clip_expire_work, vos_clip_expire_fn);

struct vos_clip_ev {
	u32 op;				/* enum vos_clip_op */
	u64 seq;
	u64 length;
	const char *mime;
	u64 source;
};

static int vos_clip_fill(struct sk_buff *skb, const void *arg)
{
	const struct vos_clip_ev *e = arg;

	return nla_put_u32(skb, VOS_A_CLIP_OP, e->op) ||
	       nla_put_u64_64bit(skb, VOS_A_CLIP_SEQ, e->seq, VOS_A_PAD) ||
	       nla_put_u64_64bit(skb, VOS_A_CLIP_BYTES, e->length,
				 VOS_A_PAD) ||
	       nla_put_string(skb, VOS_A_CLIP_MIME, e->mime) ||
	       nla_put_u64_64bit(skb, VOS_A_CLIP_SOURCE, e->source,
				 VOS_A_PAD);
}

/* An event about the slot's content; @s is the subsystem it is about. */
static void vos_clip_event(struct vos_subsys *s, u32 op)
{
	struct vos_clip_ev e = {
		.op = op,
		.seq = vos_clip_slot.seq,
		.length = vos_clip_slot.length,
		.mime = vos_clip_slot.mime,
		.source = vos_clip_slot.source->id,
	};

	lockdep_assert_held(&vos_clip_lock);
	vos_event_fill(s, VOS_EVENT_CLIP, vos_clip_fill, &e);
}

/*
 * Empty the slot: the bytes are zeroed before their memory goes back. The
 * event, if @op is not 0, is sent before the content is forgotten.
 */
static void vos_clip_wipe(u32 op)
{
	struct vos_subsys *source = vos_clip_slot.source;

	lockdep_assert_held(&vos_clip_lock);
	if (!vos_clip_slot.data)
		return;
	if (op)
		vos_clip_event(source, op);
	kvfree_sensitive(vos_clip_slot.data, vos_clip_slot.length);
	memset(&vos_clip_slot, 0, sizeof(vos_clip_slot));
	vos_subsys_put(source);
}

/* Wipe an expired content; true if the slot is (now) empty. */
static bool vos_clip_expire(void)
{
	lockdep_assert_held(&vos_clip_lock);
	if (vos_clip_slot.data &&
	    ktime_get_boottime_ns() >= vos_clip_slot.expires_ns)
		vos_clip_wipe(VOS_CLIP_OP_EXPIRED);
	return !vos_clip_slot.data;
}

static void vos_clip_expire_fn(struct work_struct *work)
{
	mutex_lock(&vos_clip_lock);
	vos_clip_expire();
	mutex_unlock(&vos_clip_lock);
}

static int vos_clip_allowed(void)
{
	if (!capable(CAP_SYS_ADMIN) || vos_current_is_member())
		return -EPERM;
	return 0;
}

/* What the caller learns of the content, besides its bytes. */
static void vos_clip_describe(struct vos_clip *c)
{
	lockdep_assert_held(&vos_clip_lock);
	memcpy(c->mime, vos_clip_slot.mime, sizeof(c->mime));
	c->length = vos_clip_slot.length;
	c->seq = vos_clip_slot.seq;
	c->source = vos_clip_slot.source->id;
	strscpy(c->source_name, vos_clip_slot.source->name,
		sizeof(c->source_name));
	c->expires_ns = vos_clip_slot.expires_ns;
}

/* A MIME type: type/subtype[;params], printable ASCII, NUL-terminated. */
static int vos_clip_mime_valid(const char *mime)
{
	size_t len = strnlen(mime, VOS_CLIP_MIME_MAX);
	const char *slash;
	size_t i;

	if (!len || len == VOS_CLIP_MIME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if ((unsigned char)mime[i] < ' ' ||
		    (unsigned char)mime[i] > '~')
			return -EINVAL;
	slash = strchr(mime, '/');
	if (!slash || slash == mime || !slash[1] || slash[1] == ';')
		return -EINVAL;
	/* what follows the NUL must be zero too: no hidden bytes */
	if (memchr_inv(mime + len, 0, VOS_CLIP_MIME_MAX - len))
		return -EINVAL;
	return 0;
}

int vos_clip_info(struct vos_clip *c)
{
	int ret;

	ret = vos_clip_allowed();
	if (ret)
		return ret;
	if (c->flags || c->data || c->length ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)))
		return -EINVAL;
	mutex_lock(&vos_clip_lock);
	if (vos_clip_expire())
		ret = -ENOENT;
	else
		vos_clip_describe(c);
	mutex_unlock(&vos_clip_lock);
	return ret;
}

int vos_clip_clear(void)
{
	int ret;

	ret = vos_clip_allowed();
	if (ret)
		return ret;
	mutex_lock(&vos_clip_lock);
	vos_clip_wipe(VOS_CLIP_OP_CLEARED);
	mutex_unlock(&vos_clip_lock);
	return 0;
}

int vos_clip_copy(struct vos_subsys *s, struct vos_clip *c)
{
	u64 max = READ_ONCE(clip_max_bytes);
	u64 ttl = READ_ONCE(clip_ttl_ms);
	void *data;
	int ret;

	ret = vos_clip_allowed();
	if (ret)
		return ret;
	if (c->flags || c->seq || c->source || c->expires_ns ||
	    memchr_inv(c->source_name, 0, sizeof(c->source_name)) ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)))
		return -EINVAL;
	ret = vos_clip_mime_valid(c->mime);
	if (ret)
		return ret;
	if (!c->length)
		return -EINVAL;
	if (c->length > max)
		return -EFBIG;
	if (READ_ONCE(s->ended))
		return -ESRCH;

	/* charged to the caller's memory cgroup; bounded by clip_max_bytes */
	data = kvmalloc(c->length, GFP_KERNEL_ACCOUNT);
	if (!data)
		return -ENOMEM;
	if (copy_from_user(data, u64_to_user_ptr(c->data), c->length)) {
		kvfree_sensitive(data, c->length);
		return -EFAULT;
	}

	mutex_lock(&vos_clip_lock);
	vos_clip_wipe(VOS_CLIP_OP_CLEARED);
	kref_get(&s->ref);
	vos_clip_slot.source = s;
	vos_clip_slot.data = data;
	vos_clip_slot.length = c->length;
	memcpy(vos_clip_slot.mime, c->mime, sizeof(vos_clip_slot.mime));
	vos_clip_slot.seq = ++vos_clip_seq;
	vos_clip_slot.expires_ns = ktime_get_boottime_ns() +
				   ttl * NSEC_PER_MSEC;
	vos_clip_event(s, VOS_CLIP_OP_COPY);
	c->seq = vos_clip_slot.seq;
	c->expires_ns = vos_clip_slot.expires_ns;
	/* a later copy re-arms it; an earlier expiry finds nothing to do */
	mod_delayed_work(system_wq, &vos_clip_expire_work,
			 msecs_to_jiffies(ttl));
	mutex_unlock(&vos_clip_lock);
	return 0;
}

/*
 * Paste into @s. Only the content numbered @c->seq moves, so the broker's
 * decision (made on what VOS_CLIP_INFO showed) covers what B receives.
 */
int vos_clip_paste(struct vos_subsys *s, struct vos_clip *c)
{
	u64 room = c->length;
	int ret;

	ret = vos_clip_allowed();
	if (ret)
		return ret;
	if ((c->flags & ~VOS_CLIP_DENY) || !c->seq ||
	    memchr_inv(c->reserved, 0, sizeof(c->reserved)))
		return -EINVAL;
	if (!(c->flags & VOS_CLIP_DENY) && (!c->data || !room))
		return -EINVAL;
	if (READ_ONCE(s->ended))
		return -ESRCH;

	mutex_lock(&vos_clip_lock);
	if (vos_clip_expire()) {
		ret = -ENOENT;
		goto out;
	}
	if (c->seq != vos_clip_slot.seq) {
		ret = -ESTALE;
		goto out;
	}
	vos_clip_describe(c);
	if (c->flags & VOS_CLIP_DENY) {
		vos_clip_event(s, VOS_CLIP_OP_DENIED);
		goto out;
	}
	if (room < vos_clip_slot.length) {
		ret = -ENOSPC;
		goto out;
	}
	if (copy_to_user(u64_to_user_ptr(c->data), vos_clip_slot.data,
			 vos_clip_slot.length)) {
		ret = -EFAULT;
		goto out;
	}
	vos_clip_event(s, VOS_CLIP_OP_PASTE);
	vos_clip_wipe(0);
out:
	mutex_unlock(&vos_clip_lock);
	return ret;
}

void vos_clip_uninit(void)
{
	cancel_delayed_work_sync(&vos_clip_expire_work);
	mutex_lock(&vos_clip_lock);
	vos_clip_wipe(VOS_CLIP_OP_CLEARED);
	mutex_unlock(&vos_clip_lock);
}

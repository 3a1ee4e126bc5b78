// SPDX-License-Identifier: GPL-2.0
/*
 * channel.c - the stream of a call between subsystems (VOS_CAP_CHANNEL):
 * VOS_CHANNEL_CREATE, VOS_CHANNEL_AUDIT and the channel end fds.
 *
 * A channel is two directions of at most VOS_CHANNEL_BUF bytes each and
 * two end files. Each end is bound, for its whole life, to the tasks that
 * may use it: the members of one subsystem (membership is the PID
 * namespace, which no task leaves), or one host process (its thread group
 * pid, taken from a connected AF_UNIX socket's peer as GET_PEER does, so a
 * recycled pid number cannot stand in for it). Every read, write, poll and
 * shutdown checks the caller against its end: the fd itself is no key, so
 * passing it over SCM_RIGHTS gives the receiver nothing, and the broker
 * that minted it (a host process, never the bound one) cannot read it.
 *
 * Memory: 2 * VOS_CHANNEL_BUF per channel, at most VOS_CHANNEL_MAX
 * channels (64 MiB in all); a writer blocks when its direction is full.
 *
 * Lifetime: one reference per end file plus the creator's while it works.
 * The last one takes the channel off the list, reports it closed (final
 * byte counts) and frees it. Each end file holds the module (fops owner),
 * so rmmod with an open channel fails with EBUSY ("in use").
 *
 * Revocation: when a subsystem of the channel ends (vos_subsys_end()),
 * vos_channel_revoke() marks it revoked and wakes every waiter. It runs
 * under vos_lock, so it takes no channel's buffer lock (a task stalled in
 * a page fault while copying must not stall vos_lock): revoked, shut and
 * open are flags read and written with READ_ONCE/WRITE_ONCE that only ever
 * go one way.
 *
 * The last VOS_CROSSING_LOG crossing events are kept, for
 * VOS_CMD_GET_CROSSINGS (vosctl log): the same attributes as the events,
 * with their sequence numbers, oldest first.
 *
 * Locking: vos_lock, then vos_chan_lock (the list and the count), then
 * c->lock (a channel's buffers). vos_chan_rl_lock and vos_chan_log_lock
 * (spinlocks) stand alone.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <net/genetlink.h>

#include "compat.h"
#include "vos.h"

enum { VOS_END_SOURCE = 0, VOS_END_TARGET = 1 };

/* One direction: written at one end, read at the other. */
struct vos_chan_dir {
	char *buf;
	u32 head;		/* first unread byte, under c->lock */
	u32 len;		/* unread bytes, under c->lock (READ_ONCE) */
	bool shut;		/* the writer closed or shut down: EOF once drained */
	u64 bytes;		/* ever written (READ_ONCE) */
};

struct vos_channel;

struct vos_chan_end {
	struct vos_channel *chan;
	struct vos_subsys *subsys;	/* its members may use it; or */
	struct pid *pid;		/* this host process only */
	bool open;			/* its file is not released */
};

struct vos_channel {
	struct list_head node;		/* vos_chan_list */
	refcount_t ref;
	u64 id;
	struct mutex lock;		/* both directions' buffers */
	wait_queue_head_t wait;
	struct vos_chan_dir dir[2];	/* [VOS_END_SOURCE]: source to target */
	struct vos_chan_end end[2];
	bool revoked;
	bool opened;			/* OPENED was reported: report CLOSED */
	/* For the audit, fixed at creation. */
	struct vos_subsys *src;		/* NULL: the host */
	struct vos_subsys *dst;
	u32 verdict;
	char service[VOS_CROSSING_SERVICE_MAX];
};

static DEFINE_MUTEX(vos_chan_lock);
static LIST_HEAD(vos_chan_list);
static unsigned int vos_chan_count;	/* under vos_chan_lock */
static atomic64_t vos_chan_ids = ATOMIC64_INIT(0);

/*
 * Refused crossings are reported at most VOS_CROSSING_REFUSED_RATE times a
 * second per source; the rest are counted and the next report carries the
 * count. A small table of the sources seen last (a flood from more sources
 * at once than it holds evicts the quietest, whose pending count is lost).
 */
#define VOS_CHAN_RL_SLOTS	16
struct vos_chan_rl {
	u64 source;
	unsigned long window;		/* jiffies at the window's start */
	u32 sent;			/* in this window */
	u64 suppressed;			/* since the last report */
	bool used;
};

static DEFINE_SPINLOCK(vos_chan_rl_lock);
static struct vos_chan_rl vos_chan_rl[VOS_CHAN_RL_SLOTS];

static const struct file_operations vos_chan_fops;

/* A crossing event as it was sent, for VOS_CMD_GET_CROSSINGS */
struct vos_crossing_rec {
	u64 seq;			/* 0: an empty slot */
	u64 time_ns;
	u64 source_id;
	char source_name[VOS_NAME_MAX];
	u32 phase;
	u32 verdict;
	char service[VOS_CROSSING_SERVICE_MAX];
	u64 target_id;
	char target_name[VOS_NAME_MAX];
	u64 channel;
	u64 out;
	u64 in;
	u64 suppressed;
};

#define VOS_CROSSING_LOG	64
static DEFINE_SPINLOCK(vos_chan_log_lock);
static struct vos_crossing_rec vos_chan_log[VOS_CROSSING_LOG];
static unsigned int vos_chan_log_next;	/* under vos_chan_log_lock */

/* What a VOS_EVENT_CROSSING carries besides the source (the event's own). */
struct vos_crossing_ev {
	u32 phase;
	u32 verdict;
	const char *service;
	u64 target_id;
	const char *target_name;
	u64 channel;
	u64 out;
	u64 in;
	u64 suppressed;
};

static int vos_crossing_fill(struct sk_buff *skb, const void *arg)
{
	const struct vos_crossing_ev *x = arg;

	return nla_put_u32(skb, VOS_A_CROSSING_PHASE, x->phase) ||
	       nla_put_u32(skb, VOS_A_CROSSING_VERDICT, x->verdict) ||
	       nla_put_string(skb, VOS_A_CROSSING_SERVICE, x->service) ||
	       nla_put_u64_64bit(skb, VOS_A_CROSSING_TARGET_ID, x->target_id,
				 VOS_A_PAD) ||
	       nla_put_string(skb, VOS_A_CROSSING_TARGET_NAME,
			      x->target_name) ||
	       nla_put_u64_64bit(skb, VOS_A_CROSSING_CHANNEL, x->channel,
				 VOS_A_PAD) ||
	       nla_put_u64_64bit(skb, VOS_A_CROSSING_BYTES_OUT, x->out,
				 VOS_A_PAD) ||
	       nla_put_u64_64bit(skb, VOS_A_CROSSING_BYTES_IN, x->in,
				 VOS_A_PAD) ||
	       nla_put_u64_64bit(skb, VOS_A_CROSSING_SUPPRESSED, x->suppressed,
				 VOS_A_PAD);
}

/* Send the crossing event @x from @src (NULL: the host) and keep it */
static void vos_crossing_send(struct vos_subsys *src,
			      const struct vos_crossing_ev *x)
{
	struct vos_crossing_rec r = {
		.time_ns = ktime_get_boottime_ns(),
		.source_id = src ? src->id : 0,
		.phase = x->phase,
		.verdict = x->verdict,
		.target_id = x->target_id,
		.channel = x->channel,
		.out = x->out,
		.in = x->in,
		.suppressed = x->suppressed,
	};

	strscpy(r.source_name, src ? src->name : "@host",
		sizeof(r.source_name));
	strscpy(r.service, x->service, sizeof(r.service));
	strscpy(r.target_name, x->target_name, sizeof(r.target_name));
	r.seq = vos_event_fill(src, VOS_EVENT_CROSSING, vos_crossing_fill, x);
	spin_lock(&vos_chan_log_lock);
	vos_chan_log[vos_chan_log_next] = r;
	vos_chan_log_next = (vos_chan_log_next + 1) % VOS_CROSSING_LOG;
	spin_unlock(&vos_chan_log_lock);
}

/* Report @c in @phase, with its byte counts so far. */
static void vos_chan_event(struct vos_channel *c, u32 phase)
{
	struct vos_crossing_ev x = {
		.phase = phase,
		.verdict = c->verdict,
		.service = c->service,
		.target_id = c->dst->id,
		.target_name = c->dst->name,
		.channel = c->id,
		.out = READ_ONCE(c->dir[VOS_END_SOURCE].bytes),
		.in = READ_ONCE(c->dir[VOS_END_TARGET].bytes),
	};

	vos_crossing_send(c->src, &x);
}

/* 1.. printable ASCII bytes, no space, NUL-terminated within @size */
static int vos_crossing_text_valid(const char *s, size_t size, bool empty_ok)
{
	size_t i, len = strnlen(s, size);

	if (len == size || (!len && !empty_ok))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return -EINVAL;
	return 0;
}

static void vos_chan_free(struct vos_channel *c)
{
	int i;

	mutex_lock(&vos_chan_lock);
	if (!list_empty(&c->node)) {
		list_del(&c->node);
		vos_chan_count--;
	}
	mutex_unlock(&vos_chan_lock);
	if (c->opened)
		vos_chan_event(c, VOS_CROSSING_CLOSED);
	for (i = 0; i < 2; i++) {
		kvfree(c->dir[i].buf);
		put_pid(c->end[i].pid);
	}
	if (c->src)
		vos_subsys_put(c->src);
	if (c->dst)
		vos_subsys_put(c->dst);
	kfree(c);
}

static void vos_chan_put(struct vos_channel *c)
{
	if (refcount_dec_and_test(&c->ref))
		vos_chan_free(c);
}

static int vos_chan_side(const struct vos_chan_end *e)
{
	return e == &e->chan->end[VOS_END_TARGET];
}

/* May current use end @e? (see the top comment) */
static bool vos_chan_may(const struct vos_chan_end *e)
{
	if (e->pid)
		return task_tgid(current) == e->pid;
	return vos_subsys_has_task(e->subsys, current);
}

static bool vos_chan_wake_wanted(struct vos_channel *c)
{
	return wq_has_sleeper(&c->wait);
}

static void vos_chan_wake(struct vos_channel *c)
{
	if (vos_chan_wake_wanted(c))
		wake_up_interruptible_poll(&c->wait, EPOLLIN | EPOLLRDNORM |
					   EPOLLOUT | EPOLLWRNORM | EPOLLHUP |
					   EPOLLERR);
}

static bool vos_chan_readable(struct vos_channel *c, struct vos_chan_dir *d)
{
	return READ_ONCE(d->len) || READ_ONCE(d->shut) || READ_ONCE(c->revoked);
}

static bool vos_chan_writable(struct vos_channel *c, int side)
{
	return READ_ONCE(c->dir[side].len) < VOS_CHANNEL_BUF ||
	       READ_ONCE(c->dir[side].shut) || READ_ONCE(c->revoked) ||
	       !READ_ONCE(c->end[!side].open);
}

/* Copy up to @count unread bytes of @d out; under c->lock */
static ssize_t vos_dir_out(struct vos_chan_dir *d, char __user *ubuf,
			   size_t count)
{
	size_t n = min_t(size_t, count, d->len);
	size_t first = min_t(size_t, n, VOS_CHANNEL_BUF - d->head);

	if (copy_to_user(ubuf, d->buf + d->head, first) ||
	    copy_to_user(ubuf + first, d->buf, n - first))
		return -EFAULT;
	d->head = (d->head + n) % VOS_CHANNEL_BUF;
	WRITE_ONCE(d->len, d->len - n);
	return n;
}

/* Copy up to @count bytes into @d's free room; under c->lock */
static ssize_t vos_dir_in(struct vos_chan_dir *d, const char __user *ubuf,
			  size_t count)
{
	size_t n = min_t(size_t, count, VOS_CHANNEL_BUF - d->len);
	size_t tail = (d->head + d->len) % VOS_CHANNEL_BUF;
	size_t first = min_t(size_t, n, VOS_CHANNEL_BUF - tail);

	if (copy_from_user(d->buf + tail, ubuf, first) ||
	    copy_from_user(d->buf, ubuf + first, n - first))
		return -EFAULT;
	WRITE_ONCE(d->len, d->len + n);
	WRITE_ONCE(d->bytes, d->bytes + n);
	return n;
}

static ssize_t vos_chan_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct vos_chan_end *e = file->private_data;
	struct vos_channel *c = e->chan;
	struct vos_chan_dir *d = &c->dir[!vos_chan_side(e)];
	ssize_t ret;

	if (!vos_chan_may(e))
		return -EPERM;
	if (!count)
		return 0;
	mutex_lock(&c->lock);
	for (;;) {
		if (READ_ONCE(c->revoked)) {
			ret = 0;
			break;
		}
		if (d->len) {
			ret = vos_dir_out(d, ubuf, count);
			break;
		}
		if (READ_ONCE(d->shut)) {
			ret = 0;
			break;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&c->lock);
		if (wait_event_interruptible(c->wait, vos_chan_readable(c, d)))
			return -ERESTARTSYS;
		mutex_lock(&c->lock);
	}
	mutex_unlock(&c->lock);
	if (ret > 0)
		vos_chan_wake(c);
	return ret;
}

static ssize_t vos_chan_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct vos_chan_end *e = file->private_data;
	struct vos_channel *c = e->chan;
	int side = vos_chan_side(e);
	struct vos_chan_dir *d = &c->dir[side];
	ssize_t done = 0, ret = 0, n;

	if (!vos_chan_may(e))
		return -EPERM;
	if (!count)
		return 0;
	mutex_lock(&c->lock);
	while (done < count) {
		if (READ_ONCE(c->revoked) || READ_ONCE(d->shut) ||
		    !READ_ONCE(c->end[!side].open)) {
			ret = -EPIPE;
			break;
		}
		if (d->len < VOS_CHANNEL_BUF) {
			n = vos_dir_in(d, ubuf + done, count - done);
			if (n < 0) {
				ret = n;
				break;
			}
			done += n;
			continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&c->lock);
		vos_chan_wake(c);
		if (wait_event_interruptible(c->wait,
					     vos_chan_writable(c, side))) {
			ret = -ERESTARTSYS;
			goto out;
		}
		mutex_lock(&c->lock);
	}
	mutex_unlock(&c->lock);
out:
	if (done) {
		vos_chan_wake(c);
		return done;
	}
	/* as a pipe without readers does */
	if (ret == -EPIPE)
		send_sig(SIGPIPE, current, 0);
	return ret;
}

static __poll_t vos_chan_poll(struct file *file, poll_table *wait)
{
	struct vos_chan_end *e = file->private_data;
	struct vos_channel *c = e->chan;
	int side = vos_chan_side(e);
	struct vos_chan_dir *in = &c->dir[!side], *out = &c->dir[side];
	__poll_t mask = 0;

	if (!vos_chan_may(e))
		return EPOLLERR;
	poll_wait(file, &c->wait, wait);
	if (READ_ONCE(c->revoked))
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLERR;
	if (READ_ONCE(in->len) || READ_ONCE(in->shut))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(in->shut))
		mask |= EPOLLRDHUP;
	if (!READ_ONCE(c->end[!side].open))
		mask |= EPOLLHUP | EPOLLERR;
	if (READ_ONCE(out->len) < VOS_CHANNEL_BUF && !READ_ONCE(out->shut))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static long vos_chan_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct vos_chan_end *e = file->private_data;
	struct vos_channel *c = e->chan;

	if (cmd != VOS_CHANNEL_SHUTDOWN)
		return -ENOTTY;
	if (arg)
		return -EINVAL;
	if (!vos_chan_may(e))
		return -EPERM;
	WRITE_ONCE(c->dir[vos_chan_side(e)].shut, true);
	vos_chan_wake(c);
	return 0;
}

static int vos_chan_release(struct inode *inode, struct file *file)
{
	struct vos_chan_end *e = file->private_data;
	struct vos_channel *c = e->chan;

	WRITE_ONCE(c->dir[vos_chan_side(e)].shut, true);
	WRITE_ONCE(e->open, false);
	vos_chan_wake(c);
	vos_chan_put(c);
	return 0;
}

static const struct file_operations vos_chan_fops = {
	.owner = THIS_MODULE,
	.read = vos_chan_read,
	.write = vos_chan_write,
	.poll = vos_chan_poll,
	.unlocked_ioctl = vos_chan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = vos_chan_release,
	.llseek = noop_llseek,
};

/* The host process that is @fd's peer, a reference; ERR_PTR if none */
static struct pid *vos_chan_host_peer(int fd)
{
	struct pid *pid = vos_peer_of_socket(fd, NULL, NULL);
	bool host;

	if (IS_ERR(pid))
		return pid;
	rcu_read_lock();
	host = ns_of_pid(pid) == task_active_pid_ns(current) &&
	       !vos_subsys_find_rcu(ns_of_pid(pid));
	rcu_read_unlock();
	if (!host) {
		put_pid(pid);
		return ERR_PTR(-EPERM);
	}
	return pid;
}

/* Running, with an init, not ended; under vos_lock (attach and end hold it) */
static bool vos_chan_live(struct vos_subsys *s)
{
	bool ok;

	lockdep_assert_held(&vos_lock);
	spin_lock(&s->lock);
	ok = s->published && !s->ended && s->state == VOS_STATE_RUNNING;
	spin_unlock(&s->lock);
	return ok;
}

/*
 * Put @c on the list if its subsystems are live, under vos_lock, so that an
 * end that follows finds it (vos_channel_revoke()) and one that came first
 * makes this fail.
 */
static int vos_chan_publish(struct vos_channel *c)
{
	int ret = 0;

	mutex_lock(&vos_lock);
	if (!vos_chan_live(c->dst) || (c->src && !vos_chan_live(c->src)))
		ret = -ESRCH;
	mutex_lock(&vos_chan_lock);
	if (!ret && vos_chan_count >= VOS_CHANNEL_MAX)
		ret = -ENOSPC;
	if (!ret) {
		vos_chan_count++;
		list_add(&c->node, &vos_chan_list);
	}
	mutex_unlock(&vos_chan_lock);
	mutex_unlock(&vos_lock);
	return ret;
}

static struct vos_channel *vos_chan_alloc(void)
{
	struct vos_channel *c;
	int i;

	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	for (i = 0; i < 2; i++) {
		c->dir[i].buf = kvmalloc(VOS_CHANNEL_BUF, GFP_KERNEL_ACCOUNT);
		if (!c->dir[i].buf)
			goto err;
		c->end[i].chan = c;
	}
	INIT_LIST_HEAD(&c->node);
	refcount_set(&c->ref, 1);
	mutex_init(&c->lock);
	init_waitqueue_head(&c->wait);
	return c;
err:
	kvfree(c->dir[0].buf);
	kfree(c);
	return NULL;
}

/* The subsystem with id @id, a reference; NULL if none */
static struct vos_subsys *vos_chan_subsys(u64 id)
{
	return id ? vos_subsys_get_by_id(id) : NULL;
}

/*
 * VOS_CHANNEL_CREATE, @cc copied in, its size, flags and reserved checked
 * (dev.c). The ids
 * and fds are written to @uarg before the fds are installed, so a failed
 * copy leaves no fd behind.
 */
long vos_channel_create(struct vos_channel_create *cc,
			struct vos_channel_create __user *uarg)
{
	struct file *files[2] = { NULL, NULL };
	int fds[2] = { -1, -1 };
	struct vos_channel *c;
	struct pid *pid = NULL;
	long ret;
	int i;

	if (cc->verdict != VOS_VERDICT_ALLOW &&
	    cc->verdict != VOS_VERDICT_ASK_ALLOWED)
		return -EINVAL;
	if (vos_crossing_text_valid(cc->service, sizeof(cc->service), false))
		return -EINVAL;
	if (!cc->target || cc->source == cc->target || cc->peer_fd < -1 ||
	    (!cc->source && cc->peer_fd < 0))
		return -EINVAL;

	c = vos_chan_alloc();
	if (!c)
		return -ENOMEM;
	c->verdict = cc->verdict;
	memcpy(c->service, cc->service, sizeof(c->service));
	/* from here vos_chan_put() undoes everything */
	ret = -ENOENT;
	c->dst = vos_chan_subsys(cc->target);
	c->src = vos_chan_subsys(cc->source);
	if (!c->dst || (cc->source && !c->src))
		goto err;
	if (cc->peer_fd >= 0) {
		pid = vos_chan_host_peer(cc->peer_fd);
		if (IS_ERR(pid)) {
			ret = PTR_ERR(pid);
			goto err;
		}
	}
	c->end[VOS_END_SOURCE].pid = pid;
	c->end[VOS_END_SOURCE].subsys = pid ? NULL : c->src;
	c->end[VOS_END_TARGET].subsys = c->dst;

	for (i = 0; i < 2; i++) {
		fds[i] = get_unused_fd_flags(O_CLOEXEC);
		if (fds[i] < 0) {
			ret = fds[i];
			goto err_files;
		}
		files[i] = anon_inode_getfile("vos-channel", &vos_chan_fops,
					      &c->end[i], O_RDWR);
		if (IS_ERR(files[i])) {
			ret = PTR_ERR(files[i]);
			files[i] = NULL;
			goto err_files;
		}
		/* the file's reference, dropped by its release */
		refcount_inc(&c->ref);
		c->end[i].open = true;
	}
	ret = vos_chan_publish(c);
	if (ret)
		goto err_files;
	c->id = atomic64_inc_return(&vos_chan_ids);
	if (put_user(c->id, &uarg->id) ||
	    put_user(fds[VOS_END_SOURCE], &uarg->source_fd) ||
	    put_user(fds[VOS_END_TARGET], &uarg->target_fd)) {
		ret = -EFAULT;
		goto err_files;
	}
	WRITE_ONCE(c->opened, true);
	vos_chan_event(c, VOS_CROSSING_OPENED);
	for (i = 0; i < 2; i++)
		fd_install(fds[i], files[i]);
	vos_chan_put(c);
	return 0;

err_files:
	for (i = 0; i < 2; i++) {
		if (files[i])
			fput(files[i]);
		if (fds[i] >= 0)
			put_unused_fd(fds[i]);
	}
err:
	vos_chan_put(c);
	return ret;
}

/* May a refused crossing from @source be reported now? Else count it. */
static bool vos_chan_rl_pass(u64 source, u64 *suppressed)
{
	struct vos_chan_rl *r = NULL, *oldest = &vos_chan_rl[0];
	unsigned long now = jiffies;
	bool pass;
	int i;

	spin_lock(&vos_chan_rl_lock);
	for (i = 0; i < VOS_CHAN_RL_SLOTS && !r; i++) {
		struct vos_chan_rl *x = &vos_chan_rl[i];

		if (x->used && x->source == source)
			r = x;
		else if (!x->used || (oldest->used &&
				      time_before(x->window, oldest->window)))
			oldest = x;
	}
	if (!r) {
		r = oldest;
		memset(r, 0, sizeof(*r));
		r->used = true;
		r->source = source;
		r->window = now;
	}
	if (time_after_eq(now, r->window + HZ)) {
		r->window = now;
		r->sent = 0;
	}
	pass = r->sent < VOS_CROSSING_REFUSED_RATE;
	if (pass) {
		r->sent++;
		*suppressed = r->suppressed;
		r->suppressed = 0;
	} else {
		r->suppressed++;
	}
	spin_unlock(&vos_chan_rl_lock);
	return pass;
}

/* VOS_CHANNEL_AUDIT, @a copied in, its size, flags and reserved checked (dev.c) */
long vos_channel_audit(const struct vos_crossing_audit *a)
{
	struct vos_subsys *src = NULL, *dst = NULL;
	struct vos_crossing_ev x = {
		.phase = VOS_CROSSING_REFUSED,
		.verdict = a->verdict,
		.service = a->service,
	};
	long ret;

	if (a->verdict < VOS_VERDICT_DENY || a->verdict > VOS_VERDICT_REFUSED ||
	    a->verdict == VOS_VERDICT_ASK_ALLOWED)
		return -EINVAL;
	if (vos_crossing_text_valid(a->service, sizeof(a->service), false) ||
	    vos_crossing_text_valid(a->target_name, sizeof(a->target_name),
				    true) ||
	    (a->target && a->target_name[0]))
		return -EINVAL;
	ret = -ENOENT;
	src = vos_chan_subsys(a->source);
	if (a->source && !src)
		goto out;
	dst = vos_chan_subsys(a->target);
	if (a->target && !dst)
		goto out;
	ret = 0;
	if (!vos_chan_rl_pass(a->source, &x.suppressed))
		goto out;
	x.target_id = a->target;
	x.target_name = dst ? dst->name :
			a->target_name[0] ? a->target_name : "@host";
	vos_crossing_send(src, &x);
out:
	if (src)
		vos_subsys_put(src);
	if (dst)
		vos_subsys_put(dst);
	return ret;
}

/* @s ends (vos_subsys_end()): revoke its channels; under vos_lock */
void vos_channel_revoke(struct vos_subsys *s)
{
	struct vos_channel *c;

	lockdep_assert_held(&vos_lock);
	mutex_lock(&vos_chan_lock);
	list_for_each_entry(c, &vos_chan_list, node) {
		if ((c->src != s && c->dst != s) || READ_ONCE(c->revoked))
			continue;
		WRITE_ONCE(c->revoked, true);
		vos_chan_wake(c);
		if (READ_ONCE(c->opened))
			vos_chan_event(c, VOS_CROSSING_REVOKED);
	}
	mutex_unlock(&vos_chan_lock);
}

int vos_nl_crossings_start(struct netlink_callback *cb)
{
	if (vos_current_is_member()) {
		NL_SET_ERR_MSG(cb->extack, "members of a subsystem may not read the crossings");
		return -EPERM;
	}
	cb->args[0] = 0;	/* the last sequence number sent */
	return 0;
}

/* The kept record after sequence number @after, oldest first; false if none */
static bool vos_crossing_next(u64 after, struct vos_crossing_rec *out)
{
	const struct vos_crossing_rec *best = NULL;
	int i;

	spin_lock(&vos_chan_log_lock);
	for (i = 0; i < VOS_CROSSING_LOG; i++) {
		const struct vos_crossing_rec *r = &vos_chan_log[i];

		if (r->seq > after && (!best || r->seq < best->seq))
			best = r;
	}
	if (best)
		*out = *best;
	spin_unlock(&vos_chan_log_lock);
	return best;
}

int vos_nl_dump_crossings(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vos_crossing_rec r;

	while (vos_crossing_next(cb->args[0], &r)) {
		struct vos_crossing_ev x = {
			.phase = r.phase,
			.verdict = r.verdict,
			.service = r.service,
			.target_id = r.target_id,
			.target_name = r.target_name,
			.channel = r.channel,
			.out = r.out,
			.in = r.in,
			.suppressed = r.suppressed,
		};
		void *hdr = vos_genl_put_dump(skb, cb, VOS_CMD_GET_CROSSINGS);

		if (!hdr)
			break;
		if (nla_put_u32(skb, VOS_A_EVENT_TYPE, VOS_EVENT_CROSSING) ||
		    nla_put_u64_64bit(skb, VOS_A_EVENT_SEQ, r.seq, VOS_A_PAD) ||
		    nla_put_u64_64bit(skb, VOS_A_EVENT_TIME_NS, r.time_ns,
				      VOS_A_PAD) ||
		    nla_put_u64_64bit(skb, VOS_A_SUBSYS_ID, r.source_id,
				      VOS_A_PAD) ||
		    nla_put_string(skb, VOS_A_SUBSYS_NAME, r.source_name) ||
		    vos_crossing_fill(skb, &x)) {
			/* full: this one goes in the next part */
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = r.seq;
	}
	return skb->len;
}

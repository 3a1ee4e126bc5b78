// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-clip: the clipboard slot (VOS_CAP_CLIPBOARD). A copy from A, then
 * a paste into B delivers A's bytes and MIME type with A named as the
 * source and wipes the slot: a second paste, or C's, finds it empty; a
 * refused paste (VOS_CLIP_DENY) moves nothing and keeps the slot; a paste
 * of another content than the one decided on (@seq) is ESTALE; too little
 * room is ENOSPC with the length; the size limit (clip_max_bytes) and the
 * expiry (clip_ttl_ms 0: at once, both the lazy check and the work item);
 * a source destroyed before the paste; binary image bytes kept exactly;
 * every bad input refused with its errno and the slot left as it was; a
 * caller without CAP_SYS_ADMIN refused; each step's VOS_EVENT_CLIP with
 * op, seq, bytes, MIME type and source. It ends with content in the slot,
 * so the harness's rmmod unloads vos.ko with a full slot (kmemleak and
 * KASAN on the debug kernel see the wipe).
 *
 * Run time under TCG: about 1 s on 6.1 and 6.12, 5 s on the debug kernel
 * (measured; no task is started, no sleep).
 */
#include <grp.h>

#include "vostest.h"

#define PARAM "/sys/module/vos/parameters/"

struct cev {
	uint32_t op;
	uint64_t seq, bytes, source, id;
	char mime[VOS_CLIP_MIME_MAX];
};

#define MAXCEV 64
static struct cev cevs[MAXCEV];
static int ncev;

static int cev_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	struct cev *e;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL) || ncev >= MAXCEV)
		return NL_SKIP;
	if (attr_u32(tb, VOS_A_EVENT_TYPE) != VOS_EVENT_CLIP)
		return NL_SKIP;
	e = &cevs[ncev++];
	e->op = attr_u32(tb, VOS_A_CLIP_OP);
	e->seq = attr_u64(tb, VOS_A_CLIP_SEQ);
	e->bytes = attr_u64(tb, VOS_A_CLIP_BYTES);
	e->source = attr_u64(tb, VOS_A_CLIP_SOURCE);
	e->id = attr_u64(tb, VOS_A_SUBSYS_ID);
	snprintf(e->mime, sizeof(e->mime), "%s",
		 tb[VOS_A_CLIP_MIME] ? nla_get_string(tb[VOS_A_CLIP_MIME]) : "");
	return NL_OK;
}

static int no_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static struct nl_sock *evsk;

/* The clipboard event @op about subsystem @id with content @seq, waiting
 * for it at most 5 s (each receive is bounded by SO_RCVTIMEO)
 */
static const struct cev *want_ev(uint32_t op, uint64_t id, uint64_t seq)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	double end = now_ms() + 5000;
	const struct cev *found = NULL;
	int i, from = 0;

	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cev_cb, NULL);
	while (!found) {
		for (i = from; i < ncev && !found; i++)
			if (cevs[i].op == op && cevs[i].id == id && cevs[i].seq == seq)
				found = &cevs[i];
		from = ncev;
		if (found || now_ms() > end)
			break;
		nl_recvmsgs(evsk, cb);
	}
	nl_cb_put(cb);
	return found;
}

static int clip_copy(int fd, const char *mime, const void *data, uint64_t len, struct vos_clip *out)
{
	struct vos_clip c = { .size = sizeof(c) };

	snprintf(c.mime, sizeof(c.mime), "%s", mime);
	c.data = (uint64_t)(uintptr_t)data;
	c.length = len;
	if (ioctl(fd, VOS_SUBSYS_CLIP_COPY, &c) < 0)
		return -errno;
	if (out)
		*out = c;
	return 0;
}

static int clip_paste(int fd, uint64_t seq, uint32_t flags, void *buf, uint64_t room,
		      struct vos_clip *out)
{
	struct vos_clip c = { .size = sizeof(c), .flags = flags, .seq = seq };
	int ret;

	c.data = (uint64_t)(uintptr_t)buf;
	c.length = room;
	ret = ioctl(fd, VOS_SUBSYS_CLIP_PASTE, &c) < 0 ? -errno : 0;
	if (out)
		*out = c;
	return ret;
}

static int clip_info(int dev, struct vos_clip *out)
{
	struct vos_clip c = { .size = sizeof(c) };

	if (ioctl(dev, VOS_CLIP_INFO, &c) < 0)
		return -errno;
	if (out)
		*out = c;
	return 0;
}

static int set_param(const char *name, const char *val)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), PARAM "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Every bad input: its errno, and the slot still holds content @seq */
static void bad_input(int dev, int a, uint64_t seq)
{
	struct vos_clip c = { .size = sizeof(c) };
	char data[8] = "x";
	static const char *const mimes[] = { "",	  "text",	  "/plain",	  "text/",
					     "text/;x=1", "text/pl\tain", "text/pl\x80in" };
	unsigned int i;

	for (i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		is_num(clip_copy(a, mimes[i], data, 1, NULL), -EINVAL, "COPY MIME '%s': EINVAL",
		       mimes[i]);
	/* bytes after the NUL of the MIME type */
	snprintf(c.mime, sizeof(c.mime), "text/plain");
	c.mime[20] = 'x';
	c.data = (uint64_t)(uintptr_t)data;
	c.length = 1;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL,
		 "COPY: bytes after the MIME type's NUL");
	memset(c.mime, 0, sizeof(c.mime));
	snprintf(c.mime, sizeof(c.mime), "text/plain");
	c.flags = 1;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL, "COPY with flags: EINVAL");
	c.flags = 0;
	c.reserved[1] = 1;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL, "COPY with reserved: EINVAL");
	c.reserved[1] = 0;
	c.seq = 5;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL, "COPY with an out field set: EINVAL");
	c.seq = 0;
	c.length = 0;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL, "COPY of 0 bytes: EINVAL");
	c.length = 4;
	c.data = 8;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EFAULT, "COPY from a bad pointer: EFAULT");
	c.size = 8;
	is_errno(ioctl(a, VOS_SUBSYS_CLIP_COPY, &c), EINVAL, "COPY with a short size: EINVAL");
	is_errno(ioctl(dev, VOS_CLIP_INFO, &c), EINVAL, "INFO with a short size: EINVAL");
	is_errno(ioctl(dev, VOS_CLIP_CLEAR, 1), EINVAL, "CLEAR with an argument: EINVAL");
	is_num(clip_paste(a, 0, 0, data, sizeof(data), NULL), -EINVAL, "PASTE seq 0: EINVAL");
	is_num(clip_paste(a, seq, 2, data, sizeof(data), NULL), -EINVAL,
	       "PASTE unknown flag: EINVAL");
	is_num(clip_paste(a, seq, 0, NULL, 0, NULL), -EINVAL, "PASTE without room: EINVAL");
	is_num(clip_paste(a, seq, 0, (void *)8, 4096, NULL), -EFAULT,
	       "PASTE to a bad pointer: EFAULT");
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.length = 3;
	is_errno(ioctl(dev, VOS_CLIP_INFO, &c), EINVAL, "INFO with length set: EINVAL");
	is_num(clip_info(dev, &c), 0, "after all that the slot is there");
	is_num(c.seq, seq, "with the same content");
}

static void unprivileged(int dev, int a)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char d = 'x';

		if (setgroups(0, NULL) || setresgid(4000, 4000, 4000) ||
		    setresuid(4000, 4000, 4000))
			_exit(2);
		_exit(clip_info(dev, NULL) == -EPERM && ioctl(dev, VOS_CLIP_CLEAR, 0) < 0 &&
				      errno == EPERM &&
				      clip_copy(a, "text/plain", &d, 1, NULL) == -EPERM &&
				      clip_paste(a, 1, 0, &d, 1, NULL) == -EPERM
			      ? 0
			      : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "uid 4000 without capabilities: INFO, CLEAR, COPY, PASTE all EPERM");
}

int main(void)
{
	struct timeval tv = { 0, 200000 };
	struct vos_clip c, i;
	uint64_t ida, idb, idc, idd, seq;
	unsigned char img[4096], out[4096];
	char buf[64];
	int dev, a, b, cc, d, grp, n;
	const struct cev *e;

	printf("TAP version 13\n");
	dev = vos_open_dev();
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_CLIPBOARD), 1, "VOS_CAP_CLIPBOARD");
	evsk = nl_socket_alloc();
	if (!evsk || genl_connect(evsk))
		bail("event socket");
	grp = genl_ctrl_resolve_grp(evsk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	nl_socket_disable_seq_check(evsk);
	if (grp < 0 || nl_socket_add_membership(evsk, grp))
		bail("events group");
	setsockopt(nl_socket_get_fd(evsk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (set_param("clip_ttl_ms", "60000") || set_param("clip_max_bytes", "4194304"))
		bail("module parameters");

	a = vos_create(dev, "clip-a", 0);
	b = vos_create(dev, "clip-b", 0);
	cc = vos_create(dev, "clip-c", 0);
	if (a < 0 || b < 0 || cc < 0)
		bail("create");
	ida = vos_id_of(a);
	idb = vos_id_of(b);
	idc = vos_id_of(cc);

	is_num(ioctl(dev, VOS_CLIP_CLEAR, 0), 0, "CLEAR of an empty slot: 0");
	is_num(clip_info(dev, NULL), -ENOENT, "INFO of an empty slot: ENOENT");
	is_num(clip_paste(b, 1, 0, buf, sizeof(buf), NULL), -ENOENT,
	       "PASTE of an empty slot: ENOENT");

	/* A -> B */
	is_num(clip_copy(a, "text/plain;charset=utf-8", "hello", 5, &c), 0, "COPY from A");
	seq = c.seq;
	ok(seq > 0 && c.expires_ns > 0, "COPY gives a seq (%llu) and an expiry",
	   (unsigned long long)seq);
	e = want_ev(VOS_CLIP_OP_COPY, ida, seq);
	ok(e && e->bytes == 5 && e->source == ida && !strcmp(e->mime, "text/plain;charset=utf-8"),
	   "event COPY about A: 5 bytes, its MIME type, source A");
	is_num(clip_info(dev, &i), 0, "INFO");
	ok(i.seq == seq && i.length == 5 && i.source == ida && !strcmp(i.source_name, "clip-a") &&
		   !strcmp(i.mime, "text/plain;charset=utf-8"),
	   "INFO: A's content, 5 bytes, source clip-a");

	bad_input(dev, a, seq);
	unprivileged(dev, a);

	is_num(clip_paste(b, seq + 1, 0, buf, sizeof(buf), NULL), -ESTALE,
	       "PASTE of another seq: ESTALE");
	is_num(clip_paste(b, seq, 0, buf, 2, &c), -ENOSPC, "PASTE into 2 bytes: ENOSPC");
	is_num(c.length, 5, "ENOSPC says 5 bytes are needed");
	is_num(clip_paste(cc, seq, VOS_CLIP_DENY, NULL, 0, &c), 0, "a refused paste into C");
	e = want_ev(VOS_CLIP_OP_DENIED, idc, seq);
	ok(e && e->source == ida, "event DENIED about C, source A");
	is_num(clip_info(dev, &i), 0, "the refusal kept the slot");
	memset(buf, 0, sizeof(buf));
	is_num(clip_paste(b, seq, 0, buf, sizeof(buf), &c), 0, "PASTE into B");
	ok(!memcmp(buf, "hello", 6) && c.length == 5 && c.source == ida &&
		   !strcmp(c.source_name, "clip-a") && !strcmp(c.mime, "text/plain;charset=utf-8"),
	   "B got 'hello', 5 bytes, text/plain;charset=utf-8, from clip-a");
	e = want_ev(VOS_CLIP_OP_PASTE, idb, seq);
	ok(e && e->source == ida && e->bytes == 5, "event PASTE about B, source A, 5 bytes");
	is_num(clip_info(dev, NULL), -ENOENT, "the slot is empty after the paste");
	is_num(clip_paste(b, seq, 0, buf, sizeof(buf), NULL), -ENOENT,
	       "a second paste finds it empty");
	is_num(clip_paste(cc, seq, 0, buf, sizeof(buf), NULL), -ENOENT, "C gets nothing");

	/* an image, byte for byte; a new copy replaces (and wipes) the old */
	for (n = 0; n < (int)sizeof(img); n++)
		img[n] = (unsigned char)(n * 7 + 3);
	img[0] = 0x89;
	is_num(clip_copy(a, "text/plain", "old", 3, &c), 0, "COPY text");
	seq = c.seq;
	is_num(clip_copy(a, "image/png", img, sizeof(img), &c), 0, "COPY an image over it");
	ok(want_ev(VOS_CLIP_OP_CLEARED, ida, seq), "event CLEARED for the replaced content");
	is_num(clip_paste(b, seq, 0, out, sizeof(out), NULL), -ESTALE,
	       "the replaced content cannot be pasted");
	seq = c.seq;
	is_num(clip_paste(b, seq, 0, out, sizeof(out), &c), 0, "PASTE the image");
	ok(c.length == sizeof(img) && !memcmp(out, img, sizeof(img)) &&
		   !strcmp(c.mime, "image/png"),
	   "4096 bytes of image/png, byte for byte");

	/* the size limit */
	is_num(set_param("clip_max_bytes", "0"), -EINVAL, "clip_max_bytes 0: refused");
	is_num(set_param("clip_max_bytes", "67108865"), -EINVAL,
	       "clip_max_bytes over 64 MiB: refused");
	is_num(set_param("clip_ttl_ms", "86400001"), -EINVAL, "clip_ttl_ms over a day: refused");
	is_num(set_param("clip_max_bytes", "16"), 0, "clip_max_bytes 16");
	is_num(clip_copy(a, "text/plain", img, 17, NULL), -EFBIG, "17 bytes: EFBIG");
	is_num(clip_info(dev, NULL), -ENOENT, "and the slot stays empty");
	is_num(clip_copy(a, "text/plain", "0123456789abcdef", 16, &c), 0, "16 bytes: copied");
	is_num(set_param("clip_max_bytes", "4194304"), 0, "clip_max_bytes back to 4 MiB");
	is_num(ioctl(dev, VOS_CLIP_CLEAR, 0), 0, "CLEAR");
	ok(want_ev(VOS_CLIP_OP_CLEARED, ida, c.seq), "event CLEARED");
	is_num(clip_info(dev, NULL), -ENOENT, "cleared");

	/* expiry: clip_ttl_ms 0 expires at once; seen by INFO, or by the work */
	is_num(set_param("clip_ttl_ms", "0"), 0, "clip_ttl_ms 0");
	is_num(clip_copy(a, "text/plain", "soon", 4, &c), 0, "COPY");
	seq = c.seq;
	is_num(clip_paste(b, seq, 0, buf, sizeof(buf), NULL), -ENOENT,
	       "a paste after the expiry: ENOENT");
	ok(want_ev(VOS_CLIP_OP_EXPIRED, ida, seq), "event EXPIRED");
	is_num(clip_copy(a, "text/plain", "soon", 4, &c), 0, "COPY again, nobody looks");
	ok(want_ev(VOS_CLIP_OP_EXPIRED, ida, c.seq), "the expiry work wipes it: event EXPIRED");
	is_num(clip_info(dev, NULL), -ENOENT, "empty");
	is_num(set_param("clip_ttl_ms", "60000"), 0, "clip_ttl_ms back to 60 s");

	/* a source destroyed before the paste: the slot still names it */
	d = vos_create(dev, "clip-d", 0);
	idd = vos_id_of(d);
	is_num(clip_copy(d, "text/plain", "from d", 6, &c), 0, "COPY from D");
	seq = c.seq;
	close(d);
	ok(vos_wait_gone(dev, "clip-d", 5000), "D destroyed");
	is_num(clip_info(dev, &i), 0, "INFO after D is gone");
	ok(i.source == idd && !strcmp(i.source_name, "clip-d"), "still names clip-d");
	is_num(clip_paste(b, seq, 0, buf, sizeof(buf), &c), 0, "PASTE D's content into B");
	ok(!memcmp(buf, "from d", 6) && c.source == idd, "B got D's bytes");

	/* a target that has ended */
	is_num(clip_copy(a, "text/plain", "x", 1, &c), 0, "COPY");
	is_num(ioctl(cc, VOS_SUBSYS_END, 0), 0, "END C");
	is_num(clip_paste(cc, c.seq, 0, buf, sizeof(buf), NULL), -ESRCH,
	       "PASTE into an ended subsystem: ESRCH");
	is_num(clip_copy(cc, "text/plain", "x", 1, NULL), -ESRCH,
	       "COPY from an ended subsystem: ESRCH");

	/* leave content behind: the harness unloads vos.ko with a full slot */
	is_num(clip_copy(a, "text/plain", "left for rmmod", 14, NULL), 0,
	       "content left in the slot for the unload");
	close(a);
	close(b);
	close(cc);
	nl_socket_free(evsk);
	return tap_done();
}

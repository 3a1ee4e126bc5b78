// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * clip.c - the two-step clipboard between subsystems (issue 13,
 * vos.Clipboard): a subsystem's own clipboard (clipstore.c, reached
 * through its init's root) and vos.ko's global slot (VOS_CAP_CLIPBOARD).
 *
 * copy:  A's clipboard -> the slot (VOS_SUBSYS_CLIP_COPY on A's fd: vos.ko
 *        records A as the source; nobody can say otherwise)
 * paste: VOS_CLIP_INFO names the source; the policy decides source -> B for
 *        service vos.Clipboard; allowed, VOS_SUBSYS_CLIP_PASTE on B's fd
 *        takes exactly that content (by its seq) and wipes the slot, and it
 *        goes into B's clipboard; denied, VOS_CLIP_DENY records the refusal
 *        and the slot and B's clipboard stay as they were.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clipstore.h"
#include "private.h"

#define CLIP_TAGS 16

static void info_from(struct vos_clip_info *ci, const struct vos_clip *c)
{
	memset(ci, 0, sizeof(*ci));
	memcpy(ci->mime, c->mime, sizeof(ci->mime));
	ci->mime[sizeof(ci->mime) - 1] = '\0';
	ci->length = c->length;
	ci->seq = c->seq;
	ci->source_id = c->source;
	memcpy(ci->source, c->source_name, sizeof(ci->source));
	ci->source[sizeof(ci->source) - 1] = '\0';
	ci->expires_ns = c->expires_ns;
}

static int slot_err(struct vos_ctx *ctx, int err, const char *what)
{
	switch (err) {
	case -ENOENT:
		return vos_err_class(
			ctx, err, VOS_ERR_NAME,
			"%s: the clipboard slot is empty (nothing copied, or it expired)", what);
	case -ESTALE:
		return vos_err_class(ctx, err, VOS_ERR_NAME,
				     "%s: the clipboard slot was replaced meanwhile", what);
	case -EFBIG:
		return vos_err_class(ctx, err, VOS_ERR_USAGE,
				     "%s: over the slot's size limit (vos.ko's clip_max_bytes)",
				     what);
	case -ENOTTY:
		return vos_err_class(ctx, err, VOS_ERR_NOMODULE,
				     "%s: this vos.ko has no clipboard slot (VOS_CAP_CLIPBOARD)",
				     what);
	default:
		return vos_err(ctx, err, "%s:", what);
	}
}

int vos_clip_slot_info(struct vos_ctx *ctx, struct vos_clip_info *ci)
{
	struct vos_clip c = { .size = sizeof(c) };

	if (ctx->dev_fd < 0)
		return vos_err(ctx, -EBADF, "VOS_CLIP_INFO: not connected to /dev/vos");
	if (ioctl(ctx->dev_fd, VOS_CLIP_INFO, &c) < 0)
		return slot_err(ctx, -errno, "VOS_CLIP_INFO");
	info_from(ci, &c);
	return 0;
}

int vos_clip_slot_clear(struct vos_ctx *ctx)
{
	if (ctx->dev_fd < 0)
		return vos_err(ctx, -EBADF, "VOS_CLIP_CLEAR: not connected to /dev/vos");
	if (ioctl(ctx->dev_fd, VOS_CLIP_CLEAR, 0) < 0)
		return slot_err(ctx, -errno, "VOS_CLIP_CLEAR");
	return 0;
}

/* The root of running subsystem @s, O_PATH */
static int subsys_root(struct vos_subsys *s)
{
	struct vos_info a, b;
	char path[64];
	int ret, fd;

	ret = vos_subsys_info(s, &a);
	if (ret)
		return ret;
	if (a.state != VOS_STATE_RUNNING || a.init_pid <= 0)
		return vos_err_class(s->ctx, -ESRCH, VOS_ERR_NAME,
				     "subsystem '%s' does not run: start it first", s->name);
	snprintf(path, sizeof(path), "/proc/%d/root", a.init_pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return vos_err(s->ctx, -errno, "subsystem '%s': open %s:", s->name, path);
	/* the pid read again: one reused meanwhile is not the subsystem's */
	ret = vos_subsys_info(s, &b);
	if (!ret && (b.init_pid != a.init_pid || b.state != VOS_STATE_RUNNING))
		ret = vos_err_class(s->ctx, -ESRCH, VOS_ERR_NAME,
				    "subsystem '%s' stopped: start it again", s->name);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int vos_clip_get(struct vos_subsys *s, char *mime, size_t mimelen, void **datap, size_t *lenp)
{
	int fd, ret;

	fd = subsys_root(s);
	if (fd < 0)
		return fd;
	ret = vos_clipstore_read(fd, true, mime, mimelen, datap, lenp, VOS_CLIP_HARD_MAX);
	close(fd);
	if (ret == -ENOENT)
		return vos_err_class(
			s->ctx, ret, VOS_ERR_NAME,
			"the clipboard of '%s' is empty (put something in it with vos-clip put)",
			s->name);
	if (ret == -EBADMSG)
		return vos_err_class(s->ctx, ret, VOS_ERR_USAGE,
				     "the clipboard of '%s' (/%s/%s) is not a clipboard file",
				     s->name, VOS_CLIPSTORE_DIR, VOS_CLIPSTORE_FILE);
	if (ret)
		return vos_err(s->ctx, ret, "read the clipboard of '%s' (/%s/%s):", s->name,
			       VOS_CLIPSTORE_DIR, VOS_CLIPSTORE_FILE);
	return 0;
}

int vos_clip_set(struct vos_subsys *s, const char *mime, const void *data, size_t len)
{
	int fd, ret;

	fd = subsys_root(s);
	if (fd < 0)
		return fd;
	ret = vos_clipstore_write_owner(fd, true, mime, data, len);
	close(fd);
	if (ret == -EINVAL)
		return vos_err_class(s->ctx, ret, VOS_ERR_USAGE,
				     "'%s' is no MIME type (type/subtype), or the content is empty",
				     mime);
	if (ret)
		return vos_err(s->ctx, ret, "write the clipboard of '%s' (/%s/%s):", s->name,
			       VOS_CLIPSTORE_DIR, VOS_CLIPSTORE_FILE);
	return 0;
}

int vos_clip_copy(struct vos_subsys *s, struct vos_clip_info *ci)
{
	struct vos_clip c = { .size = sizeof(c) };
	size_t len = 0;
	void *data = NULL;
	int ret;

	ret = vos_clip_get(s, c.mime, sizeof(c.mime), &data, &len);
	if (ret)
		return ret;
	c.data = (uint64_t)(uintptr_t)data;
	c.length = len;
	ret = ioctl(s->fd, VOS_SUBSYS_CLIP_COPY, &c) < 0 ? -errno : 0;
	explicit_bzero(data, len);
	free(data);
	if (ret)
		return slot_err(s->ctx, ret, "VOS_SUBSYS_CLIP_COPY");
	c.source = s->id;
	snprintf(c.source_name, sizeof(c.source_name), "%s", s->name);
	info_from(ci, &c);
	return 0;
}

/* @who's tags (from its record, given by root at create) into @v */
static void tags_of(struct vos_ctx *ctx, const char *who, char *buf, size_t len, const char **v)
{
	char *save = NULL, *t;
	int n = 0;

	v[0] = NULL;
	if (vos_subsys_tags(ctx, NULL, who, buf, len) <= 0)
		return;
	for (t = strtok_r(buf, " ", &save); t && n < CLIP_TAGS; t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	v[n] = NULL;
}

int vos_clip_paste(struct vos_subsys *s, const struct vos_rpc_policy *p, struct vos_rpc_verdict *v,
		   struct vos_clip_info *ci)
{
	char sbuf[CLIP_TAGS * VOS_NAME_MAX], tbuf[CLIP_TAGS * VOS_NAME_MAX];
	const char *stags[CLIP_TAGS + 1], *ttags[CLIP_TAGS + 1];
	struct vos_clip c = { .size = sizeof(c) };
	struct vos_rpc_call call = { 0 };
	void *data;
	int ret;

	memset(v, 0, sizeof(*v));
	ret = vos_clip_slot_info(s->ctx, ci);
	if (ret)
		return ret;
	call.service = "vos.Clipboard";
	call.source = ci->source;
	call.target = s->name;
	tags_of(s->ctx, ci->source, sbuf, sizeof(sbuf), stags);
	tags_of(s->ctx, s->name, tbuf, sizeof(tbuf), ttags);
	call.source_tags = stags;
	call.target_tags = ttags;
	ret = vos_rpc_policy_eval(s->ctx, p, &call, v);
	if (ret)
		return ret;
	c.seq = ci->seq;
	/* ask has nobody to answer it here: it denies, as no answer does */
	if (v->action != VOS_RPC_ALLOW) {
		c.flags = VOS_CLIP_DENY;
		if (ioctl(s->fd, VOS_SUBSYS_CLIP_PASTE, &c) < 0)
			return slot_err(s->ctx, -errno, "VOS_SUBSYS_CLIP_PASTE");
		return 0;
	}
	data = malloc(ci->length ? ci->length : 1);
	if (!data)
		return vos_err(s->ctx, -ENOMEM, "clipboard paste:");
	c.data = (uint64_t)(uintptr_t)data;
	c.length = ci->length;
	ret = ioctl(s->fd, VOS_SUBSYS_CLIP_PASTE, &c) < 0 ? -errno : 0;
	if (ret) {
		free(data);
		return slot_err(s->ctx, ret, "VOS_SUBSYS_CLIP_PASTE");
	}
	info_from(ci, &c);
	ret = vos_clip_set(s, ci->mime, data, ci->length);
	explicit_bzero(data, ci->length);
	free(data);
	return ret;
}

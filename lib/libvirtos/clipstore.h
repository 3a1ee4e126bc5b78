/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clipstore.h - a subsystem's own clipboard (issue 13, vos.Clipboard).
 *
 * Every subsystem has one clipboard of its own: the one `vos-clip put/get`
 * use inside it, the one `vosctl clip copy --from` reads and `vosctl clip
 * paste --to` writes, and (issue 15) the one its Wayland proxy is to serve
 * as the selection of its windows. It is the file
 *
 *     /run/vos-clip/clipboard      (inside the subsystem, on its private /run)
 *
 * holding "MIME\n" and then the content's bytes, replaced as a whole
 * (written beside it and renamed over it), so a reader sees the old
 * content or the new one, never a mix. The directory is 0700 and belongs,
 * like the file (0600), to whoever made it inside, or to the owner of the
 * subsystem's /run when the host makes it.
 *
 * This is the whole interface: anything that serves a subsystem's
 * clipboard (vos-clip, libvirtos for vosctl, a Wayland proxy) goes
 * through these three functions, so the store can move (to the proxy's
 * memory, say) by changing this file alone. It needs only libc: vos-clip,
 * which runs inside subsystems, links it without libvirtos.
 *
 * @rootfd: the root to resolve the path in: an fd of "/" inside the
 * subsystem; the subsystem's root (/proc/PID/root, O_PATH) on the host,
 * with @in_root true: every path is then resolved with openat2()'s
 * RESOLVE_IN_ROOT, so no symlink inside leads the host out of it, and
 * nothing but regular files is read (no FIFO can block the reader).
 * Each returns 0 or a negative errno.
 */
#ifndef VOS_CLIPSTORE_H
#define VOS_CLIPSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define VOS_CLIPSTORE_DIR      "run/vos-clip" /* relative to the root */
#define VOS_CLIPSTORE_FILE     "clipboard"
#define VOS_CLIPSTORE_MIME_MAX 128 /* NUL included: VOS_CLIP_MIME_MAX */

/*
 * The clipboard's content: its MIME type in @mime and its bytes in a
 * malloc()ed *@datap (free() it), *@lenp of them. -ENOENT: empty; -EFBIG:
 * more than @max bytes; -EBADMSG: not a clipboard file.
 */
int vos_clipstore_read(int rootfd, bool in_root, char *mime, size_t mimelen, void **datap,
		       size_t *lenp, size_t max);
/*
 * Replace the content. The directory is made if missing, owned by
 * @uid/@gid (-1: the owner of the /run it is made in, the subsystem's
 * root); the file belongs to the directory's owner, so the subsystem's own
 * apps can replace it afterwards. -EINVAL: @mime is not type/subtype.
 */
int vos_clipstore_write(int rootfd, bool in_root, const char *mime, const void *data, size_t len,
			uid_t uid, gid_t gid);
/* Who the store's files are made as: the owner of its directory, or of
 * the /run it is to be made in (the subsystem's root inside)
 */
int vos_clipstore_owner(int rootfd, bool in_root, uid_t *uid, gid_t *gid);
/*
 * Replace the content as the owner of the store (or of the /run it is to
 * be made in), with the calling thread's file system ids switched to
 * that owner for the write: a file system of the subsystem's user
 * namespace (its /run tmpfs) takes no new inode from host root, whose id
 * it cannot map (EOVERFLOW). Needs CAP_SETUID/CAP_SETGID for another
 * owner; the ids are restored before it returns.
 */
int vos_clipstore_write_owner(int rootfd, bool in_root, const char *mime, const void *data,
			      size_t len);
/* Empty it (0 if it was empty) */
int vos_clipstore_clear(int rootfd, bool in_root);
/* A MIME type as the store and vos.ko take it: type/subtype[;params], printable ASCII */
bool vos_clipstore_mime_valid(const char *mime);

#endif /* VOS_CLIPSTORE_H */

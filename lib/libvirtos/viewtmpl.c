// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * viewtmpl.c - the view template: the part of the default view that is the
 * same for every subsystem on this host, made once and copied by each start
 * instead of made again mount by mount.
 *
 * That part (rootfs.c's P_HOST steps) is the read-only root tmpfs with its
 * empty directories and symlinks, the read-only binds of the host's system
 * directories, and /dev with the host's harmless nodes: about half of the
 * mounts of a view, and all of them the same for everyone. The template is
 * a mount namespace holding only that tree as its root, kept by a bind of
 * its nsfs file on /run/virtos/view/<signature>. A start enters it just
 * for the clone of the subsystem's init (setns, clone3 with CLONE_NEWNS,
 * setns back): the init's new mount namespace is then a copy of the
 * template, about 15 mounts instead of the host's whole table, whose
 * root holds the view, the host's /proc and /sys beside it (a new proc or
 * sysfs is mounted in a user namespace only where one is already fully
 * visible). The init stages on it as on the host's root, takes
 * a clone of the template's view (one open_tree()) as its new root and
 * makes its own part on it (rootfs.c's P_OWN steps: /proc, /sys, devpts,
 * /dev/shm, /tmp, /var/tmp, /run, /run/vos).
 *
 * What is the same as a view made whole: every mount, its flags, what it
 * shows. The copy is made into the subsystem's user namespace, so the
 * kernel locks the template's mounts to each other and their flags (as it
 * does for every mount a new user namespace inherits); its mounts are made
 * private before anything else, as the staging of a whole view does. What
 * differs: the root tmpfs and /dev belong to host root, not to the
 * subsystem's root (ls -ld / shows the overflow id inside, as /usr always
 * did), and they are one file system shared read-only by every subsystem.
 *
 * The template's binds are slaves of the host's mounts: a file system the
 * host mounts later below /usr, /etc or /opt is in the template too (on a
 * host whose mounts are shared, as systemd makes them). The signature is a
 * hash of what the template was made from that a mount does not carry:
 * which of the host's system directories exist, which are symlinks and to
 * what, the device numbers of the nodes, and this library's version. A
 * start whose host differs makes a new template and drops the old ones.
 *
 * Only for the default root without --ro, --rw or --tmpfs (their mount
 * points would be made in the root, which is the template's), and for a
 * caller that is root (making the template and entering it need
 * CAP_SYS_ADMIN on the host). Anything else, and any failure to find,
 * make or enter the template, makes the view whole as before: the
 * template only saves time (Documentation/performance.md).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include "private.h"

#define TMPL_DIR "/run/virtos/view"
/* what the template is made of changed: a new signature for every host */
#define TMPL_LAYOUT "view-template 1"

#define ROOT_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)

/* What the template's steps read of the host (rootfs.c's view[], kernfs.c) */
static const char *const sig_paths[] = {
	"usr", "bin",	   "sbin",     "lib",	   "lib32",	 "lib64",	"libx32",  "etc",
	"opt", "dev/null", "dev/zero", "dev/full", "dev/random", "dev/urandom", "dev/tty", NULL,
};

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		*h ^= *b++;
		*h *= 0x100000001b3ULL;
	}
}

/* The host's signature (see above) into @name (17 bytes) */
static int host_signature(char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char target[PATH_MAX], path[32];
	struct stat st;
	unsigned int i;
	ssize_t n;

	fnv(&h, TMPL_LAYOUT VIRTOS_VERSION, sizeof(TMPL_LAYOUT VIRTOS_VERSION));
	for (i = 0; sig_paths[i]; i++) {
		char kind = '-';

		fnv(&h, sig_paths[i], strlen(sig_paths[i]) + 1);
		snprintf(path, sizeof(path), "/%s", sig_paths[i]);
		if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				return -errno;
			st.st_mode = 0;
		}
		if (S_ISDIR(st.st_mode)) {
			kind = 'd';
		} else if (S_ISLNK(st.st_mode)) {
			kind = 'l';
			n = readlinkat(AT_FDCWD, path, target, sizeof(target));
			if (n < 0)
				return -errno;
			fnv(&h, target, (size_t)n);
		} else if (S_ISCHR(st.st_mode)) {
			kind = 'c';
			fnv(&h, &st.st_rdev, sizeof(st.st_rdev));
		} else if (st.st_mode) {
			kind = 'f';
		}
		fnv(&h, &kind, 1);
	}
	snprintf(name, len, "%016llx", (unsigned long long)h);
	return 0;
}

/* @path's mount namespace, if it is the nsfs file of one; else -1 */
static int open_ns(int dirfd, const char *name)
{
	_cleanup_close_ int fd = -1;
	struct statfs sf;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC ||
	    ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNS)
		return -1;
	return vos_take_fd(&fd);
}

/* Drop every template but @keep (made for another signature) */
static void drop_stale(int dirfd, const char *keep)
{
	char path[sizeof(TMPL_DIR) + NAME_MAX + 2];
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (strlen(de->d_name) != 16 || strcmp(de->d_name, keep) == 0 ||
		    strspn(de->d_name, "0123456789abcdef") != 16)
			continue;
		snprintf(path, sizeof(path), TMPL_DIR "/%s", de->d_name);
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
		unlinkat(dirfd, de->d_name, 0);
	}
	closedir(d);
}

/*
 * The template's builder: a child in a new mount namespace (a slave copy
 * of ours) that makes the template's tree its root (rootfs.c), says so on
 * @ready and waits for the caller to bind its namespace (EOF on @release).
 */
static void __attribute__((noreturn)) builder(struct vos_ctx *ctx, int ready, int release)
{
	char c;
	int e = 0, r;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (unshare(CLONE_NEWNS) < 0) {
		e = errno;
	} else {
		r = vos_view_template_make(ctx);
		e = r < 0 ? -r : 0;
	}
	if (write(ready, &e, sizeof(e)) != sizeof(e) || e)
		_exit(1);
	while (read(release, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Make the template @name in @dirfd (held locked by the caller) */
static int build(struct vos_ctx *ctx, int dirfd, const char *name)
{
	_cleanup_close_pair_ int rp[2] = { -1, -1 };
	_cleanup_close_pair_ int wp[2] = { -1, -1 };
	char ns[64], path[sizeof(TMPL_DIR) + 20];
	_cleanup_close_ int f = -1;
	int e = 0, r = -1, status;
	pid_t pid;

	if (pipe2(rp, O_CLOEXEC) < 0 || pipe2(wp, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(rp[0]);
		close(wp[1]);
		builder(ctx, rp[1], wp[0]);
	}
	vos_closep(&rp[1]);
	vos_closep(&wp[0]);
	if (read(rp[0], &e, sizeof(e)) == sizeof(e) && !e) {
		snprintf(ns, sizeof(ns), "/proc/%d/ns/mnt", (int)pid);
		snprintf(path, sizeof(path), TMPL_DIR "/%s", name);
		/* what is there is no template here: one bound in another mount
		 * namespace (a service's) shows here as an empty file
		 */
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
		unlinkat(dirfd, name, 0);
		f = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (f >= 0 && mount(ns, path, NULL, MS_BIND, NULL) == 0)
			r = 0;
		else if (f >= 0)
			unlinkat(dirfd, name, 0);
	}
	vos_closep(&wp[1]); /* the builder exits */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r;
}

/* The template for this host: found, or made (under a lock); -1 if none */
static int tmpl_open(struct vos_ctx *ctx)
{
	_cleanup_close_ int dirfd = -1;
	_cleanup_close_ int lock = -1;
	char name[17];
	struct stat st;
	int fd;

	if (host_signature(name, sizeof(name)) < 0)
		return -1;
	dirfd = open(TMPL_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		if (mkdir("/run/virtos", 0755) < 0 && errno != EEXIST)
			return -1;
		if (mkdir(TMPL_DIR, 0700) < 0 && errno != EEXIST)
			return -1;
		dirfd = open(TMPL_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dirfd < 0)
			return -1;
	}
	/* host root's own, or not ours to trust */
	if (fstat(dirfd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 022))
		return -1;
	fd = open_ns(dirfd, name);
	if (fd >= 0)
		return fd;
	lock = openat(dirfd, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		return -1;
	fd = open_ns(dirfd, name); /* made while we waited */
	if (fd >= 0)
		return fd;
	drop_stale(dirfd, name);
	if (build(ctx, dirfd, name) < 0)
		return -1;
	return open_ns(dirfd, name);
}

/* What the template cannot give: the view is then made whole */
static bool from_template_ok(const struct vos_config *cfg)
{
	return !cfg->rootfs && !cfg->host_root && !cfg->nbinds && !cfg->ntmpfs && geteuid() == 0;
}

void vos_view_tmpl_close(struct vos_view_tmpl *t)
{
	vos_closep(&t->host_mnt);
	vos_closep(&t->root);
	vos_closep(&t->cwd);
	vos_closep(&t->vosd_tree);
}

int vos_view_tmpl_enter(struct vos_ctx *ctx, const struct vos_config *cfg, struct vos_view_tmpl *t)
{
	_cleanup_close_ int ns = -1;
	_cleanup_close_ int src = -1;

	*t = (struct vos_view_tmpl)VOS_VIEW_TMPL_NONE;
	if (!from_template_ok(cfg))
		return 0;
	/* a failure here is only a slower start, not the caller's error: the
	 * parent's side sets none, the builder's stay in the builder
	 */
	ns = tmpl_open(ctx);
	if (ns < 0)
		return 0;
	t->root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	t->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	t->host_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (t->root < 0 || t->cwd < 0 || t->host_mnt < 0)
		goto none;
	/* the host's vosd directory, bound on /run/vos by the init (rootfs.c);
	 * one that cannot be opened: the whole view's step reports why
	 */
	src = vos_view_vosd_dir(t->root);
	if (src >= 0) {
		t->vosd_tree = vos_mnt_clone(src, ROOT_ATTRS);
		if (t->vosd_tree < 0)
			goto none;
	} else if (src != -ENOENT) {
		goto none;
	}
	/* fails in a process whose threads share its root and cwd */
	if (setns(ns, CLONE_NEWNS) < 0)
		goto none;
	t->entered = true;
	return 1;
none:
	vos_view_tmpl_close(t);
	return 0;
}

int vos_view_tmpl_leave(struct vos_ctx *ctx, struct vos_view_tmpl *t)
{
	if (!t->entered)
		return 0;
	t->entered = false;
	if (setns(t->host_mnt, CLONE_NEWNS) < 0 || fchdir(t->root) < 0 || chroot(".") < 0 ||
	    fchdir(t->cwd) < 0)
		return vos_err(ctx, -errno, "view template: back to the caller's mount namespace:");
	return 0;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup.c - cgroup v2: find the hierarchy, make the subsystem's leaf,
 * write its limits.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"

int vos_cgroup2_root(char *buf, size_t len)
{
	char line[8192];
	FILE *f;
	int r = -ENOENT;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[4096];

		if (!sep || strncmp(sep, " - cgroup2 ", 11) != 0)
			continue;
		/* id parent maj:min root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if ((size_t)snprintf(buf, len, "%s", mnt) >= len) {
			r = -ENAMETOOLONG;
			break;
		}
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

/* The caller's cgroup v2 path ("/a/b") from /proc/self/cgroup. */
static int own_cgroup(char *buf, size_t len)
{
	char line[4096];
	FILE *f;
	int r = -ENOENT;

	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if ((size_t)snprintf(buf, len, "%s", line + 3) >= len)
			r = -ENAMETOOLONG;
		else
			r = 0;
		break;
	}
	fclose(f);
	return r;
}

static int write_file_at(int dirfd, const char *file, const char *val)
{
	int fd, r = 0;
	size_t n = strlen(val);

	fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, n) != (ssize_t)n)
		r = -errno;
	close(fd);
	return r;
}

static bool has_controller(int dirfd, const char *file, const char *ctl)
{
	char buf[512], *tok, *save = NULL;
	ssize_t n;
	int fd;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (strcmp(tok, ctl) == 0)
			return true;
	return false;
}

/*
 * Create <parent>/vos-<name> and set its limits. Returns the directory fd
 * (O_DIRECTORY) and its path in @path, -ENOENT if no cgroup v2 is mounted.
 */
int vos_cgroup_create(struct vos_ctx *ctx, const struct vos_config *cfg, char *path, size_t len)
{
	char root[4096], own[4096], parent[8192], val[64];
	const char *ctls[3] = { NULL, NULL, NULL };
	bool need = cfg->memory || cfg->pids || cfg->cpu_milli;
	int r, pfd, fd, i;

	r = vos_cgroup2_root(root, sizeof(root));
	if (r < 0)
		return vos_err(ctx, r, "cgroup: no cgroup v2 hierarchy mounted");
	if (cfg->cgroup_parent) {
		if ((size_t)snprintf(parent, sizeof(parent), "%s", cfg->cgroup_parent) >=
		    sizeof(parent))
			return vos_err(ctx, -ENAMETOOLONG, "cgroup parent:");
	} else {
		r = own_cgroup(own, sizeof(own));
		if (r < 0)
			return vos_err(ctx, r, "cgroup: read /proc/self/cgroup:");
		if ((size_t)snprintf(parent, sizeof(parent), "%s%s", root,
				     strcmp(own, "/") ? own : "") >= sizeof(parent))
			return vos_err(ctx, -ENAMETOOLONG, "cgroup parent:");
	}
	pfd = open(parent, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (pfd < 0)
		return vos_err(ctx, -errno, "cgroup: open %s:", parent);
	if (cfg->memory)
		ctls[0] = "memory";
	if (cfg->pids)
		ctls[1] = "pids";
	if (cfg->cpu_milli)
		ctls[2] = "cpu";
	for (i = 0; i < 3; i++) {
		char op[16];

		if (!ctls[i] || has_controller(pfd, "cgroup.subtree_control", ctls[i]))
			continue;
		if (!has_controller(pfd, "cgroup.controllers", ctls[i])) {
			close(pfd);
			return vos_err(
				ctx, -EOPNOTSUPP,
				"cgroup %s: the %s controller is not available there (not delegated to this cgroup)",
				parent, ctls[i]);
		}
		snprintf(op, sizeof(op), "+%s", ctls[i]);
		r = write_file_at(pfd, "cgroup.subtree_control", op);
		if (r < 0) {
			close(pfd);
			return vos_err(
				ctx, r, "cgroup %s: enable %s controller: %s%s", parent, ctls[i],
				strerror(-r),
				r == -EBUSY
					? " (the cgroup has processes: give a cgroup parent without processes)"
					: "");
		}
	}
	if ((size_t)snprintf(path, len, "%s/vos-%s", parent, cfg->name) >= len) {
		close(pfd);
		return vos_err(ctx, -ENAMETOOLONG, "cgroup path:");
	}
	r = mkdirat(pfd, strrchr(path, '/') + 1, 0755) < 0 ? -errno : 0;
	/* left over by an ended persistent subsystem of the same name: an
	 * empty cgroup can go (rmdir fails with EBUSY if it has tasks)
	 */
	if (r == -EEXIST && unlinkat(pfd, strrchr(path, '/') + 1, AT_REMOVEDIR) == 0)
		r = mkdirat(pfd, strrchr(path, '/') + 1, 0755) < 0 ? -errno : 0;
	if (r < 0) {
		close(pfd);
		if (r == -EEXIST)
			return vos_err_class(
				ctx, r, VOS_ERR_NAME,
				"cgroup %s: already exists (a subsystem of that name is running?)",
				path);
		return vos_err(ctx, r, "cgroup: mkdir %s:", path);
	}
	close(pfd);
	fd = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = vos_err(ctx, -errno, "cgroup: open %s:", path);
		rmdir(path);
		return r;
	}
	if (cfg->memory) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)cfg->memory);
		r = write_file_at(fd, "memory.max", val);
		if (r < 0) {
			vos_err(ctx, r, "cgroup %s: write memory.max=%s:", path, val);
			goto fail;
		}
		/* no swap, or the limit would only slow the hog down */
		r = write_file_at(fd, "memory.swap.max", "0");
		if (r < 0 && r != -ENOENT) {
			vos_err(ctx, r, "cgroup %s: write memory.swap.max=0:", path);
			goto fail;
		}
	}
	if (cfg->pids) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)cfg->pids);
		r = write_file_at(fd, "pids.max", val);
		if (r < 0) {
			vos_err(ctx, r, "cgroup %s: write pids.max=%s:", path, val);
			goto fail;
		}
	}
	if (cfg->cpu_milli) {
		snprintf(val, sizeof(val), "%u 100000", cfg->cpu_milli * 100);
		r = write_file_at(fd, "cpu.max", val);
		if (r < 0) {
			vos_err(ctx, r, "cgroup %s: write cpu.max=%s:", path, val);
			goto fail;
		}
	}
	(void)need;
	return fd;
fail:
	close(fd);
	rmdir(path);
	return r;
}

/* Move @pid into the cgroup whose directory fd is @cgfd. */
int vos_cgroup_enter(int cgfd, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return write_file_at(cgfd, "cgroup.procs", val);
}

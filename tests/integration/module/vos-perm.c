// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-perm: what an unprivileged caller may see and do. A child drops to
 * uid 1000 (no capabilities) and reports its findings over a pipe; the
 * parent turns them into TAP lines.
 */
#include "vostest.h"

#include <grp.h>
#include <sys/prctl.h>
#include <linux/securebits.h>

#define UID 1000

static FILE *rep;

static void report(int pass, const char *what)
{
	fprintf(rep, "%c %s\n", pass ? 'P' : 'F', what);
	fflush(rep);
}

static int errno_is(long r, int err)
{
	return r == -1 && errno == err;
}

static void drop_to(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		_exit(70);
	/* as an ordinary login would be: setuid() made us non-dumpable, which
	 * gives our children's /proc files (their id maps) to root
	 */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static int count_cb(struct nlattr **tb, void *arg)
{
	(void)tb;
	(*(int *)arg)++;
	return NL_OK;
}

static int fn_pause(void *arg)
{
	(void)arg;
	pause();
	return 0;
}

static int fn_userns_init(void *arg)
{
	(void)arg;
	pause();
	return 0;
}

/* As the owner of @pid's user namespace: "0 OWN 1" for uid and gid. */
static int map_self(pid_t pid)
{
	static const char *const files[] = { "setgroups", "gid_map", "uid_map" };
	char path[64], line[64];
	int i, fd, n, r = 0;

	for (i = 0; i < 3 && !r; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, files[i]);
		n = i == 0 ? snprintf(line, sizeof(line), "deny")
			   : snprintf(line, sizeof(line), "0 %u 1\n",
				      i == 1 ? (unsigned)getegid() : (unsigned)geteuid());
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, line, n) != n)
			r = -1;
		if (fd >= 0)
			close(fd);
	}
	return r;
}

static void unprivileged(int rootfd, struct ns_init *rootinit, uint64_t root_id, uint64_t user_id)
{
	struct vos_subsys_info info;
	struct vnl v;
	struct nl_msg *m;
	int dev, fd, n, grp, sk;
	struct ns_init own;

	drop_to(UID);
	dev = open("/dev/vos", O_RDWR);
	report(dev >= 0, "uid 1000 can open /dev/vos");
	report(ioctl(dev, VOS_GET_API_VERSION, 0) == VOS_API_VERSION, "and get the API version");
	report(errno_is(vos_create(dev, "perm-mine", 0), EPERM),
	       "create without CAP_SYS_ADMIN: EPERM");
	report(errno_is(vos_open_name(dev, "perm-root"), ENOENT), "open root's by name: ENOENT");
	report(errno_is(vos_open_id(dev, root_id), ENOENT), "open root's by id: ENOENT");
	fd = vos_open_name(dev, "perm-u1000");
	report(fd >= 0, "open its own (owner uid 1000) by name");
	report(fd >= 0 && vos_info(fd, &info) == 0 && info.owner_uid == UID,
	       "info: owner_uid 1000");
	if (fd >= 0)
		close(fd);
	fd = vos_open_id(dev, user_id);
	report(fd >= 0, "open its own by id");
	if (fd >= 0)
		close(fd);

	if (vnl_open(&v)) {
		report(0, "genl resolves for uid 1000");
		return;
	}
	m = vnl_msg(&v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_u64(m, VOS_A_SUBSYS_ID, root_id);
	report(vnl_request(&v, m, NULL, NULL) == -ENOENT, "netlink get root's by id: ENOENT");
	m = vnl_msg(&v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_string(m, VOS_A_SUBSYS_NAME, "perm-root");
	report(vnl_request(&v, m, NULL, NULL) == -ENOENT, "netlink get root's by name: ENOENT");
	m = vnl_msg(&v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_string(m, VOS_A_SUBSYS_NAME, "perm-u1000");
	n = 0;
	report(vnl_request(&v, m, count_cb, &n) == 0 && n == 1, "netlink get its own by name");
	n = 0;
	report(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_SUBSYS, NLM_F_DUMP), count_cb, &n) == 0 &&
		       n == 1,
	       "dump shows only its own subsystem");
	report(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_STATS, 0), NULL, NULL) == -EPERM,
	       "GET_STATS (module-wide figures) without CAP_SYS_ADMIN: EPERM");
	grp = genl_ctrl_resolve_grp(v.sk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	sk = nl_socket_get_fd(v.sk);
	report(grp > 0 && errno_is(setsockopt(sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
					      sizeof(grp)),
				   EPERM),
	       "joining the events group without CAP_SYS_ADMIN: EPERM");
	vnl_close(&v);

	/* root's subsystem fd was inherited: holding it is not enough to
	 * attach a task of another user
	 */
	report(errno_is(vos_attach(rootfd, rootinit->pidfd, rootinit->pid, -1), EPERM),
	       "attach a root-owned init: EPERM");
	/* its own init (in a user namespace it owns, mapping only itself,
	 * as the HOST_IDS subsystem requires) is allowed
	 */
	if (ns_init_start(&own, CLONE_NEWUSER | CLONE_NEWNET, fn_userns_init, NULL)) {
		report(0, "uid 1000 starts a user+PID namespace init");
		return;
	}
	report(map_self(own.pid) == 0, "uid 1000 maps only itself in its namespace");
	report(vos_attach(rootfd, own.pidfd, own.pid, -1) == 0,
	       "attach its own init (same real uid) through a passed fd");
	report(vos_info(rootfd, &info) == 0 && info.state == VOS_STATE_RUNNING &&
		       info.init_pid == own.pid,
	       "RUNNING with that init");
	report(vos_signal(rootfd, SIGKILL, 0) == 1, "signal through the passed fd");
	ns_init_wait(&own);
	close(dev);
}

/*
 * Runs as init of an attached subsystem, as real root with every capability
 * and in the host's network namespace (net policy HOST): the most a member
 * could have. Every request to the module must still be refused.
 */
static int fn_member(void *arg)
{
	int dev, n;
	struct vnl v;
	struct nl_msg *m;

	rep = fdopen((int)(intptr_t)arg, "w");
	if (!rep)
		return 1;
	dev = open("/dev/vos", O_RDWR);
	report(dev >= 0, "member (root, all caps) opens /dev/vos");
	report(errno_is(ioctl(dev, VOS_GET_API_VERSION, 0), EPERM), "member: API version: EPERM");
	report(errno_is(vos_create(dev, "perm-inner", 0), EPERM), "member: create: EPERM");
	report(errno_is(vos_open_name(dev, "perm-member"), EPERM),
	       "member: open its own subsystem by name: EPERM");
	close(dev);
	if (vnl_open(&v)) {
		report(0, "member resolves genl in the host netns");
		fclose(rep);
		return 0;
	}
	m = vnl_msg(&v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_string(m, VOS_A_SUBSYS_NAME, "perm-member");
	report(vnl_request(&v, m, NULL, NULL) == -ENOENT, "member: netlink get own: ENOENT");
	n = 0;
	report(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_SUBSYS, NLM_F_DUMP), count_cb, &n) ==
			       -EPERM &&
		       n == 0,
	       "member: dump: EPERM, nothing listed");
	report(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_STATS, 0), NULL, NULL) == -EPERM,
	       "member: GET_STATS: EPERM");
	vnl_close(&v);
	fclose(rep);
	return 0;
}

static void member_checks(int dev)
{
	struct ns_init ni;
	int fd, pipefd[2], st;
	char line[256];
	FILE *in;

	fd = vos_create_net(dev, "perm-member", 0, VOS_NET_HOST);
	ok(fd >= 0, "create perm-member (net policy HOST)");
	if (fd < 0 || pipe(pipefd))
		bail("perm-member");
	if (ns_init_start(&ni, 0, fn_member, (void *)(intptr_t)pipefd[1]))
		bail("clone3 member");
	close(pipefd[1]);
	ok(vos_attach(fd, ni.pidfd, ni.pid, -1) == 0, "attach the member init");
	ns_init_go(&ni);
	in = fdopen(pipefd[0], "r");
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = 0;
		ok(line[0] == 'P', "%s", line + 2);
	}
	fclose(in);
	st = ns_init_wait(&ni);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "member init finished");
	close(fd);
	ok(vos_wait_gone(dev, "perm-member", 5000), "perm-member gone");
}

int main(void)
{
	int dev, rootfd, userfd, pipefd[2], st, status;
	struct ns_init rootinit;
	uint64_t root_id, user_id;
	pid_t child;
	char line[256];
	FILE *in;

	dev = vos_open_dev();
	rootfd = vos_create(dev, "perm-root", VOS_SUBSYS_PERSISTENT);
	if (rootfd < 0)
		bail("create perm-root");
	root_id = vos_id_of(rootfd);
	if (ns_init_start(&rootinit, CLONE_NEWNET, fn_pause, NULL))
		bail("clone3");

	/* a subsystem owned by uid 1000: create it with euid 1000 but keep
	 * CAP_SYS_ADMIN (no setuid fixup)
	 */
	child = fork();
	if (child == 0) {
		if (prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP) || setresuid(-1, UID, -1))
			_exit(71);
		userfd = vos_create(dev, "perm-u1000", VOS_SUBSYS_PERSISTENT);
		_exit(userfd < 0 ? 72 : 0);
	}
	waitpid(child, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "create a subsystem owned by euid 1000");
	userfd = vos_open_name(dev, "perm-u1000");
	ok(userfd >= 0, "root sees it");
	user_id = userfd >= 0 ? vos_id_of(userfd) : 0;
	{
		struct vos_subsys_info info;

		ok(userfd >= 0 && vos_info(userfd, &info) == 0 && info.owner_uid == UID,
		   "its owner_uid is 1000");
	}

	if (pipe(pipefd))
		bail("pipe");
	fflush(stdout);
	child = fork();
	if (child == 0) {
		close(pipefd[0]);
		rep = fdopen(pipefd[1], "w");
		unprivileged(rootfd, &rootinit, root_id, user_id);
		fclose(rep);
		_exit(0);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = 0;
		ok(line[0] == 'P', "%s", line + 2);
	}
	fclose(in);
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unprivileged child finished");

	kill(rootinit.pid, SIGKILL);
	ns_init_wait(&rootinit);
	ioctl(rootfd, VOS_SUBSYS_END, 0);
	close(rootfd);
	if (userfd >= 0) {
		ioctl(userfd, VOS_SUBSYS_END, 0);
		close(userfd);
	}
	member_checks(dev);
	ok(vos_wait_gone(dev, "perm-root", 5000), "perm-root gone");
	ok(vos_wait_gone(dev, "perm-u1000", 5000), "perm-u1000 gone");
	close(dev);
	return tap_done();
}

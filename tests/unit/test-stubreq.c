// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the pooled disposables' fast path (issue 14) on the host,
 * no module or vosd needed: the request parser (tools/vosd/stubreq.c)
 * against well-formed and malformed payloads (framing, magic, empty and
 * unknown strings, variables other than the locale, too many or too long,
 * no command, two or relative directories) and 5000 random and mutated
 * ones; and build/vos-stub itself, started on one end of a SOCK_SEQPACKET
 * pair as vosd starts it: malformed requests, a request without three
 * fds, and a terminal among them each end it with 124 and a message on
 * the stderr it was given, nothing run; a good one runs the command with
 * the given stdio, working directory and locale, and its exit status is
 * the command's (sent on the socket as soon as it has ended, also when a
 * signal killed it), its locale the caller's only; a closed socket leaves the
 * stub waiting (it must not end its subsystem). Runs in about a second.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stubreq.h"

static char buf[STUBREQ_MAX + 16];
static int last_ws; /* the wait status the stub sent, -1: none */

static int parse(const char *s, size_t len)
{
	struct stubreq r;
	const char *why = NULL;
	int ret;

	memcpy(buf, s, len);
	ret = stubreq_parse(buf, len, &r, &why);
	if (ret < 0)
		ck_assert_ptr_nonnull(why);
	return ret;
}

#define P(lit) parse(lit, sizeof(lit) - 1)

START_TEST(test_good)
{
	char *argv[] = { "/bin/echo", "a b", "", "c", NULL };
	char *envp[] = { "PATH=/x", "LANG=C.UTF-8", "LC_ALL=C", "LC_x=1", "LANGX=1", NULL };
	char *vars[] = { "X=1", "_y2=a=b", "X=", NULL };
	struct stubreq r;
	const char *why;
	int n;

	n = stubreq_build(buf, sizeof(buf), argv, "/tmp", envp, vars);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(stubreq_parse(buf, (size_t)n, &r, &why), 0);
	ck_assert_uint_eq(r.argc, 4);
	ck_assert_str_eq(r.argv[0], "/bin/echo");
	ck_assert_str_eq(r.argv[1], "a b");
	ck_assert_str_eq(r.argv[2], "");
	ck_assert_ptr_null(r.argv[4]);
	ck_assert_str_eq(r.cwd, "/tmp");
	/* only the locale went in */
	ck_assert_uint_eq(r.envc, 2);
	ck_assert_str_eq(r.envp[0], "LANG=C.UTF-8");
	ck_assert_str_eq(r.envp[1], "LC_ALL=C");
	/* the caller's variables, all of them, in order */
	ck_assert_uint_eq(r.varc, 3);
	ck_assert_str_eq(r.vars[0], "X=1");
	ck_assert_str_eq(r.vars[1], "_y2=a=b");
	ck_assert_str_eq(r.vars[2], "X=");
	ck_assert_int_eq(P("VOSSTUB1\0atrue\0"), 0);
	ck_assert_int_eq(P("VOSSTUB1\0vLD_PRELOAD=/x\0atrue\0"), 0);
	/* a variable that is not NAME=VALUE with a shell name: the builder refuses it */
	{
		char *bad[][2] = { { "1X=1", NULL },
				   { "X", NULL },
				   { "=1", NULL },
				   { "A-B=1", NULL },
				   { "A B=1", NULL } };

		for (n = 0; n < 5; n++)
			ck_assert_int_eq(stubreq_build(buf, sizeof(buf), argv, NULL, NULL, bad[n]),
					 -EINVAL);
	}
}
END_TEST

START_TEST(test_bad)
{
	ck_assert_int_eq(parse("", 0), -EBADMSG);
	ck_assert_int_eq(P("VOSSTUB1\0atrue"), -EBADMSG);	  /* no final NUL */
	ck_assert_int_eq(P("VOSSTUB2\0atrue\0"), -EBADMSG);	  /* magic */
	ck_assert_int_eq(P("atrue\0"), -EBADMSG);		  /* no magic */
	ck_assert_int_eq(P("VOSSTUB1\0atrue\0\0"), -EBADMSG);	  /* empty string */
	ck_assert_int_eq(P("VOSSTUB1\0xtrue\0"), -EBADMSG);	  /* unknown tag */
	ck_assert_int_eq(P("VOSSTUB1\0"), -EINVAL);		  /* no command */
	ck_assert_int_eq(P("VOSSTUB1\0a\0"), -EINVAL);		  /* empty command */
	ck_assert_int_eq(P("VOSSTUB1\0ctmp\0atrue\0"), -EBADMSG); /* relative */
	ck_assert_int_eq(P("VOSSTUB1\0c/\0c/\0atrue\0"), -EBADMSG);
	ck_assert_int_eq(P("VOSSTUB1\0ePATH=/x\0atrue\0"), -EPERM);
	ck_assert_int_eq(P("VOSSTUB1\0eLD_PRELOAD=/x\0atrue\0"), -EPERM);
	ck_assert_int_eq(P("VOSSTUB1\0eLC_=x\0atrue\0"), -EPERM);
	ck_assert_int_eq(P("VOSSTUB1\0eLANG\0atrue\0"), -EPERM);
	ck_assert_int_eq(P("VOSSTUB1\0e=x\0atrue\0"), -EPERM);
	ck_assert_int_eq(P("VOSSTUB1\0v1X=1\0atrue\0"), -EINVAL);
	ck_assert_int_eq(P("VOSSTUB1\0vX\0atrue\0"), -EINVAL);
	ck_assert_int_eq(P("VOSSTUB1\0v=1\0atrue\0"), -EINVAL);
	ck_assert_int_eq(P("VOSSTUB1\0vA-B=1\0atrue\0"), -EINVAL);
}
END_TEST

/* The magic, @count strings @s (with their NUL), then a command: its length */
static size_t repeated(const char *s, int count)
{
	size_t off = 9, n = strlen(s) + 1;
	int i;

	memcpy(buf, "VOSSTUB1", 9);
	for (i = 0; i < count; i++, off += n)
		memcpy(buf + off, s, n);
	memcpy(buf + off, "ax", 3);
	return off + 3;
}

START_TEST(test_limits)
{
	{
		struct stubreq r;
		const char *why;

		/* one argument, locale or variable too many each */
		ck_assert_int_eq(stubreq_parse(buf, repeated("ax", STUBREQ_ARGS), &r, &why),
				 -E2BIG);
		ck_assert_int_eq(stubreq_parse(buf, repeated("eLANG=C", STUBREQ_ENVS + 1), &r,
					       &why),
				 -E2BIG);
		ck_assert_int_eq(stubreq_parse(buf, repeated("vX=1", STUBREQ_ENVS + 1), &r, &why),
				 -E2BIG);
		/* as many as allowed: accepted */
		ck_assert_int_eq(stubreq_parse(buf, repeated("vX=1", STUBREQ_ENVS), &r, &why), 0);
		ck_assert_uint_eq(r.varc, STUBREQ_ENVS);
		ck_assert_int_eq(stubreq_parse(buf, repeated("ax", STUBREQ_ARGS - 1), &r, &why), 0);
		ck_assert_uint_eq(r.argc, STUBREQ_ARGS);
		memset(buf, 'a', STUBREQ_MAX + 1);
		buf[STUBREQ_MAX] = '\0';
		ck_assert_int_eq(stubreq_parse(buf, STUBREQ_MAX + 1, &r, &why), -E2BIG);
	}
	/* a payload that does not fit is refused by the builder */
	{
		static char big[STUBREQ_MAX];
		char *argv[] = { big, NULL };

		memset(big, 'x', sizeof(big) - 1);
		ck_assert_int_eq(stubreq_build(buf, sizeof(buf), argv, NULL, NULL, NULL), -E2BIG);
	}
}
END_TEST

/* Random and mutated payloads: never a crash; what parses has a command */
START_TEST(test_fuzz)
{
	char *argv[] = { "/bin/sh", "-c", "x", NULL };
	char *envp[] = { "LANG=C", NULL };
	static char good[4096];
	int i, n;

	n = stubreq_build(good, sizeof(good), argv, "/", envp, (char *[]){ "V=1", NULL });
	ck_assert_int_gt(n, 0);
	srand(14);
	for (i = 0; i < 5000; i++) {
		struct stubreq r;
		const char *why = NULL;
		size_t len, k;

		if (i % 2) {
			len = (size_t)(rand() % 200);
			for (k = 0; k < len; k++)
				buf[k] = (char)(rand() % 4 ? 'a' + rand() % 6 : 0);
		} else {
			len = (size_t)n - (size_t)(rand() % 3);
			memcpy(buf, good, len);
			for (k = 0; k < 3; k++)
				buf[rand() % len] = (char)(rand() % 256);
		}
		if (stubreq_parse(buf, len, &r, &why) == 0) {
			ck_assert_uint_ge(r.argc, 1);
			ck_assert(r.argv[0][0] != '\0');
			ck_assert_ptr_null(r.argv[r.argc]);
		} else {
			ck_assert_ptr_nonnull(why);
		}
	}
}
END_TEST

/*
 * Is the stub @pid still there, waiting, after its socket closed? A
 * bounded wait for a wrong exit (about 0.1 s); it is killed and reaped
 * either way. -1: it stayed; else its exit status (256: by a signal).
 */
static int stays(pid_t pid)
{
	int i, ws;

	for (i = 0; i < 50; i++) {
		struct timespec ts = { 0, 2000000 };

		if (waitpid(pid, &ws, WNOHANG) == pid)
			return WIFEXITED(ws) ? WEXITSTATUS(ws) : 256;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
	return -1;
}

/*
 * build/vos-stub on one end of a pair, stdout and stderr /dev/null as
 * vosd gives them; @fds (NULL: none) sent with @len bytes of @req. Its
 * exit status; or, where it sent the command's status (in last_ws), the
 * exit code a client makes of that (the stub itself stays until it is
 * ended from outside: killed here); -1: no request, and it stayed.
 */
static int stub_run(const char *req, size_t len, const int *fds, int nfd)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 4)];
	} cb;
	struct iovec iov = { .iov_base = (void *)req, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int sv[2], ws;
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(sv[1], 0);
		dup2(null, 1);
		dup2(null, 2);
		/* vosd's locale, which the caller's replaces */
		setenv("LC_ALL", "vosd's", 1);
		execl(STUB, "vos-stub", (char *)NULL);
		_exit(99);
	}
	close(sv[1]);
	/* started and waiting: it says so first, before any request */
	{
		char r[4];

		ck_assert_int_eq(recv(sv[0], r, sizeof(r), 0), 1);
		ck_assert_int_eq(r[0], 'r');
	}
	if (nfd) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfd);
		cb.h.cmsg_level = SOL_SOCKET;
		cb.h.cmsg_type = SCM_RIGHTS;
		cb.h.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfd);
		memcpy(CMSG_DATA(&cb.h), fds, sizeof(int) * (size_t)nfd);
	}
	last_ws = -1;
	if (req) {
		ck_assert_int_eq(sendmsg(sv[0], &m, 0), (ssize_t)len);
		/* the command's wait status, sent once it has ended; none if refused */
		if (recv(sv[0], &ws, sizeof(ws), 0) == sizeof(ws)) {
			last_ws = ws;
			/* and it stays, to be ended from outside (its teardown after us) */
			ck_assert_int_eq(waitpid(pid, &ws, WNOHANG), 0);
		}
	}
	close(sv[0]);
	/* no request: it must still be there, waiting */
	if (!req)
		return stays(pid);
	if (last_ws != -1) {
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
		return WIFEXITED(last_ws) ? WEXITSTATUS(last_ws) : 128 + WTERMSIG(last_ws);
	}
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 256;
}

/* stdin /dev/null, stdout and stderr a pipe: its text into @out */
static int stub_io(const char *req, size_t len, int nfd, char *out, size_t outlen)
{
	int p[2], fds[4], ret;
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	fds[0] = open("/dev/null", O_RDONLY);
	fds[1] = p[1];
	fds[2] = p[1];
	fds[3] = p[1];
	ret = stub_run(req, len, fds, nfd);
	close(p[1]);
	close(fds[0]);
	n = read(p[0], out, outlen - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return ret;
}

#define REQ(lit) lit, sizeof(lit) - 1

START_TEST(test_stub)
{
	char out[4096];

	/* a good request: the command's output, status, cwd and locale */
	ck_assert_int_eq(
		stub_io(REQ("VOSSTUB1\0c/usr\0eLANG=C.X\0a/bin/sh\0a-c\0aecho $PWD $LANG ${LC_ALL-unset}; "
			    "exit 7\0"),
			3, out, sizeof(out)),
		7);
	ck_assert_str_eq(out, "/usr C.X unset\n");
	ck_assert(WIFEXITED(last_ws) && WEXITSTATUS(last_ws) == 7);
	/* the caller's variables over the minimal environment, a later one winning */
	ck_assert_int_eq(
		stub_io(REQ("VOSSTUB1\0eLANG=C.X\0vLANG=C.Y\0vA=1\0vA=2\0vPATH=/none\0"
			    "a/bin/sh\0a-c\0aecho $LANG $A $PATH; /usr/bin/env | /bin/grep -c ^A=\0"),
			3, out, sizeof(out)),
		0);
	ck_assert_str_eq(out, "C.Y 2 /none\n1\n");
	/* killed by a signal: told as such */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0a/bin/sh\0a-c\0akill -TERM $$\0"), 3, out,
				 sizeof(out)),
			 128 + SIGTERM);
	ck_assert(WIFSIGNALED(last_ws) && WTERMSIG(last_ws) == SIGTERM);
	/* a directory it cannot enter: "/" */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0c/nonexistent\0apwd\0"), 3, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/\n");
	/* not found, not executable */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0a/nonexistent/x\0"), 3, out, sizeof(out)), 127);
	ck_assert_ptr_nonnull(strstr(out, "vos-stub: /nonexistent/x:"));
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0a/etc/passwd\0"), 3, out, sizeof(out)), 126);
	/* malformed: 124, told on the stderr given, nothing run */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0eLD_PRELOAD=/x\0atouch\0a/tmp/x\0"), 3, out,
				 sizeof(out)),
			 124);
	ck_assert_ptr_nonnull(strstr(out, "vos-stub: bad request: only the locale"));
	ck_assert_int_eq(last_ws, -1);
	ck_assert_int_eq(stub_io(REQ("VOSSTUB2\0atrue\0"), 3, out, sizeof(out)), 124);
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0atrue"), 3, out, sizeof(out)), 124);
	/* two fds or four: refused */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0atrue\0"), 2, out, sizeof(out)), 124);
	ck_assert_str_eq(out, ""); /* no stderr to tell */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0atrue\0"), 4, out, sizeof(out)), 124);
	ck_assert_ptr_nonnull(strstr(out, "three fds"));
	ck_assert_int_eq(stub_run(REQ("VOSSTUB1\0atrue\0"), NULL, 0), 124);
	/* a terminal among them: refused */
	{
		int pt = posix_openpt(O_RDWR | O_NOCTTY), fds[3];

		if (pt >= 0 && grantpt(pt) == 0 && unlockpt(pt) == 0) {
			int sl = open(ptsname(pt), O_RDWR | O_NOCTTY);

			ck_assert_int_ge(sl, 0);
			fds[0] = sl;
			fds[1] = open("/dev/null", O_WRONLY);
			fds[2] = fds[1];
			ck_assert_int_eq(stub_run(REQ("VOSSTUB1\0atrue\0"), fds, 3), 124);
			close(sl);
			close(fds[1]);
		}
		if (pt >= 0)
			close(pt);
	}
	/* the socket closed with no request: it stays (its subsystem lives on) */
	ck_assert_int_eq(stub_run(NULL, 0, NULL, 0), -1);
	/* the stub waits with every signal blocked; the command gets none blocked */
	ck_assert_int_eq(stub_io(REQ("VOSSTUB1\0a/bin/grep\0aSigBlk\0a/proc/self/status\0"), 3, out,
				 sizeof(out)),
			 0);
	ck_assert_str_eq(out, "SigBlk:\t0000000000000000\n");
}
END_TEST

/*
 * A signal to the stub (as the init forwards one) reaches the running
 * command: cat, started and waiting on a pipe this test holds open, ends
 * by the stub's SIGTERM, and the status says so. Without the forwarding
 * cat would wait for its input until the test's timeout.
 */
START_TEST(test_stub_forward)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * 3)];
	} cb;
	static const char req[] = "VOSSTUB1\0a/bin/sh\0a-c\0aecho up; exec cat\0";
	struct iovec iov = { .iov_base = (void *)req, .iov_len = sizeof(req) - 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int sv[2], in[2], out[2], fds[3], ws;
	char got[8];
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(sv[1], 0);
		execl(STUB, "vos-stub", (char *)NULL);
		_exit(99);
	}
	close(sv[1]);
	ck_assert_int_eq(recv(sv[0], got, sizeof(got), 0), 1);
	fds[0] = in[0];
	fds[1] = out[1];
	fds[2] = out[1];
	memset(&cb, 0, sizeof(cb));
	m.msg_control = cb.b;
	m.msg_controllen = sizeof(cb.b);
	cb.h.cmsg_level = SOL_SOCKET;
	cb.h.cmsg_type = SCM_RIGHTS;
	cb.h.cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(&cb.h), fds, sizeof(fds));
	ck_assert_int_eq(sendmsg(sv[0], &m, 0), (ssize_t)iov.iov_len);
	close(in[0]);
	close(out[1]);
	/* the command runs */
	ck_assert_int_eq(read(out[0], got, sizeof(got)), 3);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(recv(sv[0], &ws, sizeof(ws), 0), sizeof(ws));
	ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM);
	close(sv[0]);
	close(in[1]);
	close(out[0]);
	/*
	 * it does not end itself when its client has the status and has
	 * closed its end: vosd ends the disposable once the client has exited
	 * (vosd.c, end_run()); before, the stub's exit here started the
	 * teardown ahead of the client's own exit
	 */
	ck_assert_int_eq(stays(pid), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stubreq");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_fuzz);
	tcase_add_test(tc, test_stub);
	tcase_add_test(tc, test_stub_forward);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

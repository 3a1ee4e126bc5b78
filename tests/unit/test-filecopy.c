// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of vos.FileCopy's stream (tools/vosd/filecopy.c), no module
 * or vosd needed: streams written by the sender's functions, and hostile
 * ones built byte by byte, are received into a fresh temporary Incoming
 * directory. Covered: a tree arrives whole (content, exec bit, no other
 * mode bit); names that are absolute, have "..", ".", empty components or
 * control bytes, a record under a directory not sent, a symlink planted
 * where a file goes, unknown record types (what a device or symlink would
 * need), bytes after the end, a stream cut anywhere: each refused with
 * nothing kept; no overwrite (new names); the count and size limits; and
 * 2000 random and mutated streams, after each of which nothing exists
 * outside Incoming/SOURCE. Also vosd's spool (limit=, scan=): a payload
 * kept whole and read-only, one byte over the limit refused; a file's MIME
 * type by its name (fc_mime_of, what routes see). Runs in
 * about a second (also under valgrind).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecopy.h"
#include "spool.h"

static char dir[64]; /* the test's root: in/ is Incoming, out/ must stay empty */
static int base;     /* dir/in */
static struct fc_limits lim = { .max_bytes = 1 << 20, .max_files = 100 };
static struct fc_report rep;
static char err[512];

static void setup(void)
{
	char p[128];

	snprintf(dir, sizeof(dir), "/tmp/vos-fc-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/in", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/out", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/in", dir);
	base = open(p, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(base, 0);
}

static void teardown(void)
{
	char cmd[128];

	close(base);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A stream in a temporary file, read back from its start */
static int stream(const void *buf, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int receive(const void *buf, size_t len)
{
	int fd = stream(buf, len), ret;

	ret = fc_receive(fd, base, "src", &lim, &rep, err, sizeof(err));
	close(fd);
	return ret;
}

/* Entries under @rel (recursively), symlinks not followed */
static int count(const char *rel)
{
	char p[700];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	d = opendir(p);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char sub[600];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
		if (e->d_type == DT_DIR)
			n += count(sub);
	}
	closedir(d);
	return n;
}

/* Remove what is under @fd (a directory), symlinks not followed */
static void empty(int fd)
{
	struct dirent *e;
	DIR *d = fdopendir(openat(fd, ".", O_RDONLY | O_DIRECTORY));

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		int sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (sub >= 0) {
			empty(sub);
			close(sub);
			ck_assert_int_eq(unlinkat(fd, e->d_name, AT_REMOVEDIR), 0);
		} else {
			ck_assert_int_eq(unlinkat(fd, e->d_name, 0), 0);
		}
	}
	closedir(d);
}

/* Build a stream: magic, then records given as (type, name, data) */
struct buf {
	unsigned char b[1 << 16];
	size_t n;
};

static void add(struct buf *s, const void *p, size_t n)
{
	ck_assert_uint_le(s->n + n, sizeof(s->b));
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void rec(struct buf *s, char type, const char *name, size_t nlen, const char *data)
{
	unsigned char h[3] = { (unsigned char)type, (unsigned char)(nlen >> 8),
			       (unsigned char)nlen };

	add(s, h, 3);
	add(s, name, nlen);
	if (type == 'F') {
		size_t len = strlen(data);
		unsigned char m[10] = { 0x01, 0xa4 }; /* 0644 */
		int i;

		for (i = 0; i < 8; i++)
			m[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
		add(s, m, 10);
		add(s, data, len);
	}
}

static void start(struct buf *s)
{
	s->n = 0;
	add(s, FC_MAGIC, FC_MAGIC_LEN);
}

static void end(struct buf *s)
{
	add(s, "E\0\0", 3);
}

static void slurp(const char *rel, char *out, size_t len)
{
	char p[256];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "%s/in/src/%s", dir, rel);
	fd = open(p, O_RDONLY | O_NOFOLLOW);
	ck_assert_msg(fd >= 0, "%s: %s", rel, strerror(errno));
	n = read(fd, out, len - 1);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	close(fd);
}

START_TEST(test_names)
{
	static const char *bad[] = { "/etc/passwd", "..",   "../x", "a/../b", "a/..", ".",    "./a",
				     "a/.",	    "a//b", "a/",   "",	      "a\nb", "a\x7f" };
	static const char *good[] = { "a", "a/b", ".hidden", "...", "a..b", "..a", "a.", "x y" };
	char longc[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fc_name_check(bad[i], strlen(bad[i])) < 0, "%s", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(fc_name_check(good[i], strlen(good[i])) == 0, "%s", good[i]);
	memset(longc, 'a', 256);
	ck_assert_int_lt(fc_name_check(longc, 256), 0);
	ck_assert_int_eq(fc_name_check(longc, 255), 0);
	ck_assert_int_lt(fc_source_check("../x"), 0);
	ck_assert_int_lt(fc_source_check("a/b"), 0);
	ck_assert_int_lt(fc_source_check(".x"), 0);
	ck_assert_int_lt(fc_source_check(""), 0);
	ck_assert_int_eq(fc_source_check("@host"), 0);
	ck_assert_int_eq(fc_source_check("work-1"), 0);
}
END_TEST

/* What a routed vos-open sends for a file: its type by the name's extension */
START_TEST(test_mime_of)
{
	ck_assert_str_eq(fc_mime_of("/tmp/report.PDF"), "application/pdf");
	ck_assert_str_eq(fc_mime_of("notes.txt"), "text/plain");
	ck_assert_str_eq(fc_mime_of("a.tar"), "application/octet-stream");
	ck_assert_str_eq(fc_mime_of("dir.pdf/file"), "application/octet-stream");
	ck_assert_str_eq(fc_mime_of(".pdf.d/x."), "application/octet-stream");
	ck_assert_str_eq(fc_mime_of("noext"), "application/octet-stream");
}
END_TEST

/* The sender's writers and the receiver agree; exec bit kept, nothing else */
START_TEST(test_roundtrip)
{
	char p[256], got[64];
	int fd, wfd, sfd;
	struct stat st;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	wfd = fileno(f);
	snprintf(p, sizeof(p), "%s/out/data", dir);
	fd = open(p, O_RDWR | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "hello\n", 6), 6);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_eq(fc_put_magic(wfd, err, sizeof(err)), 0);
	ck_assert_int_eq(fc_put_dir(wfd, "d", err, sizeof(err)), 0);
	ck_assert_int_eq(fc_put_dir(wfd, "d/e", err, sizeof(err)), 0);
	ck_assert_int_eq(fc_put_file(wfd, "d/e/run.sh", fd, 6, true, err, sizeof(err)), 0);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_eq(fc_put_file(wfd, "top.txt", fd, 6, false, err, sizeof(err)), 0);
	lseek(fd, 0, SEEK_SET);
	/* a file that shrank: the sender says so */
	ck_assert_int_lt(fc_put_file(wfd, "x", fd, 100, false, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "shrank"));
	close(fd);
	unlink(p);
	/* the shrunk file's record (header, name, mode, size, 6 bytes) dropped */
	ck_assert_int_eq(ftruncate(wfd, (off_t)(lseek(wfd, 0, SEEK_CUR) - 3 - 1 - 10 - 6)), 0);
	lseek(wfd, 0, SEEK_END);
	ck_assert_int_eq(fc_put_end(wfd, err, sizeof(err)), 0);
	sfd = dup(wfd);
	fclose(f);
	lseek(sfd, 0, SEEK_SET);
	ck_assert_msg(fc_receive(sfd, base, "src", &lim, &rep, err, sizeof(err)) == 0, "%s", err);
	close(sfd);
	ck_assert_uint_eq(rep.files, 2);
	ck_assert_uint_eq(rep.dirs, 2);
	ck_assert_uint_eq(rep.bytes, 12);
	slurp("d/e/run.sh", got, sizeof(got));
	ck_assert_str_eq(got, "hello\n");
	snprintf(p, sizeof(p), "%s/in/src/d/e/run.sh", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0755 & ~(mode_t)umask(022));
	snprintf(p, sizeof(p), "%s/in/src/top.txt", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 07111, 0);
}
END_TEST

/* Every hostile stream is refused and leaves nothing but the empty SOURCE */
START_TEST(test_hostile)
{
	struct buf *s = malloc(sizeof(*s));
	static const char *names[] = { "/etc/evil", "../evil", "a/../../evil", "./x",
				       "x//y",	    "x/",      "a\x01" };
	size_t i;
	char p[256];

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		start(s);
		rec(s, 'F', "ok", 2, "fine");
		rec(s, 'D', "a", 1, NULL);
		rec(s, 'F', names[i], strlen(names[i]), "evil");
		end(s);
		ck_assert_msg(receive(s->b, s->n) < 0, "%s accepted", names[i]);
		ck_assert_int_eq(count("in/src"), 0);
		ck_assert_int_eq(count("out"), 0);
	}
	/* a NUL inside a name */
	start(s);
	rec(s, 'F', "a\0b", 3, "x");
	end(s);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	/* a file under a directory not sent first */
	start(s);
	rec(s, 'F', "nodir/f", 7, "x");
	end(s);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	ck_assert_ptr_nonnull(strstr(err, "not sent before"));
	/* symlink, device, anything but D F E: no such record */
	for (i = 0; i < 4; i++) {
		start(s);
		rec(s, "LCBS"[i], "l", 1, NULL);
		end(s);
		ck_assert_int_lt(receive(s->b, s->n), 0);
		ck_assert_ptr_nonnull(strstr(err, "only directories and regular files"));
	}
	/* a symlink planted in Incoming/src is never followed */
	snprintf(p, sizeof(p), "%s/out", dir);
	ck_assert_int_eq(symlinkat(p, base, "src/link"), 0);
	start(s);
	rec(s, 'F', "link/escaped", 12, "x");
	end(s);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	start(s);
	rec(s, 'F', "link", 4, "x");
	end(s);
	ck_assert_msg(receive(s->b, s->n) == 0, "%s", err);
	ck_assert_uint_eq(rep.renamed, 1);
	ck_assert_int_eq(count("out"), 0);
	unlinkat(base, "src/link", 0);
	unlinkat(base, "src/link.1", 0);
	/* bytes after the end; no end; a stream cut inside a file */
	start(s);
	rec(s, 'F', "f", 1, "data");
	end(s);
	add(s, "x", 1);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	ck_assert_int_lt(receive(s->b, s->n - 4), 0);
	ck_assert_int_lt(receive(s->b, s->n - 7), 0);
	ck_assert_int_lt(receive("VOSFC2\n", 8), 0);
	ck_assert_int_eq(count("in/src"), 0);
	ck_assert_int_eq(count("out"), 0);
	free(s);
}
END_TEST

START_TEST(test_no_overwrite)
{
	struct buf *s = malloc(sizeof(*s));
	char got[32];

	ck_assert_ptr_nonnull(s);
	start(s);
	rec(s, 'F', "r.txt", 5, "one");
	rec(s, 'D', "d", 1, NULL);
	rec(s, 'F', "d/x", 3, "in d");
	end(s);
	ck_assert_int_eq(receive(s->b, s->n), 0);
	ck_assert_int_eq(receive(s->b, s->n), 0);
	ck_assert_uint_eq(rep.renamed, 2);
	ck_assert_str_eq(rep.first_rename, "r.txt -> r.1.txt");
	slurp("r.txt", got, sizeof(got));
	ck_assert_str_eq(got, "one");
	slurp("r.1.txt", got, sizeof(got));
	ck_assert_str_eq(got, "one");
	slurp("d.1/x", got, sizeof(got));
	ck_assert_str_eq(got, "in d");
	/* the same name twice in one stream */
	start(s);
	rec(s, 'F', "twice", 5, "a");
	rec(s, 'F', "twice", 5, "b");
	end(s);
	ck_assert_int_eq(receive(s->b, s->n), 0);
	slurp("twice", got, sizeof(got));
	ck_assert_str_eq(got, "a");
	slurp("twice.1", got, sizeof(got));
	ck_assert_str_eq(got, "b");
	free(s);
}
END_TEST

START_TEST(test_limits)
{
	struct buf *s = malloc(sizeof(*s));
	struct fc_limits keep = lim;
	int i;

	ck_assert_ptr_nonnull(s);
	lim.max_files = 3;
	start(s);
	for (i = 0; i < 4; i++) {
		char n[8];

		snprintf(n, sizeof(n), "f%d", i);
		rec(s, 'F', n, strlen(n), "x");
	}
	end(s);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	ck_assert_ptr_nonnull(strstr(err, "more than 3 files"));
	ck_assert_int_eq(count("in/src"), 0);
	lim = keep;
	lim.max_bytes = 10;
	start(s);
	rec(s, 'F', "a", 1, "123456");
	rec(s, 'F', "b", 1, "12345");
	end(s);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	ck_assert_ptr_nonnull(strstr(err, "over the limit of 10 bytes"));
	ck_assert_int_eq(count("in/src"), 0);
	/* a size field far over the limit is refused before any read */
	start(s);
	add(s, "F\0\1a\1\xa4\xff\xff\xff\xff\xff\xff\xff\xff", 15);
	ck_assert_int_lt(receive(s->b, s->n), 0);
	lim = keep;
	free(s);
}
END_TEST

/* Random bytes, and valid streams with random bytes changed */
START_TEST(test_fuzz)
{
	struct buf *s = malloc(sizeof(*s)), *v = malloc(sizeof(*v));
	unsigned int seed = 1234, i, j;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(v);
	start(v);
	rec(v, 'D', "d", 1, NULL);
	rec(v, 'D', "d/e", 3, NULL);
	rec(v, 'F', "d/e/f", 5, "content");
	rec(v, 'F', "g", 1, "more");
	end(v);
	for (i = 0; i < 2000; i++) {
		if (i % 2) {
			s->n = (size_t)(rand_r(&seed) % 200);
			for (j = 0; j < s->n; j++)
				s->b[j] = (unsigned char)rand_r(&seed);
			if (i % 4 == 1 && s->n >= FC_MAGIC_LEN)
				memcpy(s->b, FC_MAGIC, FC_MAGIC_LEN);
		} else {
			*s = *v;
			for (j = 0; j < 1 + (unsigned int)rand_r(&seed) % 4; j++)
				s->b[FC_MAGIC_LEN +
				     (unsigned int)rand_r(&seed) % (s->n - FC_MAGIC_LEN)] =
					(unsigned char)rand_r(&seed);
			s->n -= (size_t)(rand_r(&seed) % 3);
		}
		if (receive(s->b, s->n) < 0)
			ck_assert_msg(count("in/src") == 0, "stream %u: %s: left %d", i, err,
				      count("in/src"));
		ck_assert_int_eq(count("out"), 0);
		ck_assert_int_le(count("in"), 1 + count("in/src"));
		empty(base);
	}
	free(s);
	free(v);
}
END_TEST

/* vosd's store and forward (spool.c): the payload is kept whole, and cut past the limit */
START_TEST(test_spool)
{
	struct vosd_spool *sp;
	char buf[100], errbuf[200];
	int caller, r, fd;

	ck_assert_int_eq(spool_new(10, &sp, errbuf, sizeof(errbuf)), 0);
	caller = spool_caller_end(sp);
	ck_assert_int_eq(write(caller, "0123456789", 10), 10);
	ck_assert_int_eq(shutdown(caller, SHUT_WR), 0);
	do
		r = spool_read(sp, errbuf, sizeof(errbuf));
	while (r > 0);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(spool_bytes(sp), 10);
	fd = spool_payload(sp);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 10);
	ck_assert_int_eq(memcmp(buf, "0123456789", 10), 0);
	/* read-only: the handler cannot change what the scanner saw */
	ck_assert_int_lt(write(fd, "x", 1), 0);
	close(fd);
	spool_free(sp);

	ck_assert_int_eq(spool_new(10, &sp, errbuf, sizeof(errbuf)), 0);
	ck_assert_int_eq(write(spool_caller_end(sp), "0123456789A", 11), 11);
	spool_handed(sp);
	r = spool_read(sp, errbuf, sizeof(errbuf));
	ck_assert_int_eq(r, -EFBIG);
	ck_assert_str_eq(errbuf, "the payload is over the limit of 10 bytes");
	spool_free(sp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("filecopy");
	TCase *tc = tcase_create("stream");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_mime_of);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_no_overwrite);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_fuzz);
	tcase_add_test(tc, test_spool);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

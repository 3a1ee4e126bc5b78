// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netperf - a small TCP/UDP load generator for the network section of the
 * bench (no iperf3 needed in the guest).
 *
 *   netperf server [-p PORT]
 *   netperf client [-p PORT] [-e SETUP] [-r ROUND] [-n RTTS] [-w WARMUP]
 *                  [-d SECONDS] [-s SIZE] ADDR
 *
 * server: on PORT (default 5201) of every address, a TCP sink and a UDP
 *         echo. A TCP connection is read until the peer's end of stream and
 *         then answered with the number of bytes received (8 bytes, network
 *         order) and closed, so the client knows that all it sent arrived.
 *         Each UDP datagram is sent back as it came. Prints "ready" on
 *         stdout once both sockets are bound (a caller waits for that line,
 *         not for a time), then serves until it is killed.
 *
 * client: first the request/response test: WARMUP (default 20) untimed
 *         and then RTTS (default 200) timed round trips of one 32-byte UDP
 *         datagram carrying a sequence number, one at a time; an answer
 *         that does not come within 2 s counts as lost and the next one is
 *         sent (a stale answer is recognised by its number and ignored).
 *         Then the throughput test: one TCP connection, writes of SIZE
 *         bytes (default 128 KiB) for SECONDS (default 3), the end of
 *         stream, and the server's count: the time runs from the connect
 *         to the count's arrival, so every byte counted was delivered.
 *         Prints two "@@ {json}" lines (section "net", the SETUP and ROUND
 *         tags given, test "rr" then "tcp"), and exits 0; 1 if a test could
 *         not run (its record then carries "error"); 2 on bad usage.
 *
 * Times are CLOCK_MONOTONIC. Under TCG (the bench's guests) absolute values
 * mean little: compare setups measured in the same run.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT  5201
#define MAX_CONNS     16
#define RR_SIZE	      32
#define RR_TIMEOUT_MS 2000
#define MAX_WRITE     (4 << 20)

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The value at quantile @q of the sorted @s[@n] (nearest rank). */
static int64_t quantile(const int64_t *s, int n, double q)
{
	int i = (int)(q * (n - 1) + 0.5);

	return s[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A tag goes into JSON as it is: letters, digits and -_. only. */
static int valid_tag(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* --- server --- */

struct conn {
	int fd;
	uint64_t bytes;
};

static int server(int port)
{
	static char buf[256 * 1024];
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct conn conns[MAX_CONNS];
	struct pollfd pf[MAX_CONNS + 2];
	int lfd, ufd, one = 1, i, n;

	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || ufd < 0) {
		perror("netperf server: socket");
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 8) ||
	    bind(ufd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "netperf server: port %d: %s\n", port, strerror(errno));
		return 1;
	}
	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		pf[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = ufd, .events = POLLIN };
		for (i = 0; i < MAX_CONNS; i++)
			pf[i + 2] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
		n = poll(pf, MAX_CONNS + 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("netperf server: poll");
			return 1;
		}
		if (pf[0].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			for (i = 0; c >= 0 && i < MAX_CONNS && conns[i].fd >= 0; i++)
				;
			if (c >= 0 && i == MAX_CONNS) {
				close(c); /* too many at once: the client sees a reset */
			} else if (c >= 0) {
				conns[i].fd = c;
				conns[i].bytes = 0;
			}
		}
		if (pf[1].revents & POLLIN) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t r =
				recvfrom(ufd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

			if (r >= 0)
				sendto(ufd, buf, (size_t)r, 0, (struct sockaddr *)&from, fl);
		}
		for (i = 0; i < MAX_CONNS; i++) {
			ssize_t r;

			if (conns[i].fd < 0 || !(pf[i + 2].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(conns[i].fd, buf, sizeof(buf));
			if (r > 0) {
				conns[i].bytes += (uint64_t)r;
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0) {
				uint64_t be = htobe64(conns[i].bytes);

				write_all(conns[i].fd, &be, sizeof(be));
			}
			close(conns[i].fd);
			conns[i].fd = -1;
		}
	}
}

/* --- client --- */

struct opts {
	const char *setup;
	long round;
	long rtts;
	long warmup;
	long seconds;
	long size;
	struct sockaddr_in dst;
	char addr[INET_ADDRSTRLEN];
};

static void head(const struct opts *o, const char *test)
{
	printf("@@ {\"section\":\"net\",\"setup\":\"%s\",\"round\":%ld,\"test\":\"%s\",\"addr\":\"%s\"",
	       o->setup, o->round, test, o->addr);
}

/*
 * One round trip of sequence number @seq on the connected UDP socket @fd:
 * 1 answered (its time in *@ns), 0 lost, -errno on error.
 */
static int round_trip(int fd, uint64_t seq, int64_t *ns)
{
	unsigned char out[RR_SIZE] = { 0 }, in[RR_SIZE];
	int64_t t0 = now_ns(), left;

	memcpy(out, &seq, sizeof(seq));
	if (send(fd, out, sizeof(out), 0) < 0)
		return -errno;
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int n;
		ssize_t r;

		left = RR_TIMEOUT_MS - (now_ns() - t0) / 1000000;
		if (left <= 0)
			return 0;
		n = poll(&pf, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		r = recv(fd, in, sizeof(in), 0);
		if (r < 0 && (errno == EINTR || errno == ECONNREFUSED))
			continue; /* ICMP from an earlier try: keep waiting */
		if (r < 0)
			return -errno;
		if (r == (ssize_t)sizeof(in) && !memcmp(in, out, sizeof(out))) {
			*ns = now_ns() - t0;
			return 1;
		}
		/* an answer to an earlier, timed-out datagram: ignore it */
	}
}

static int test_rr(const struct opts *o)
{
	int64_t *s = calloc((size_t)o->rtts, sizeof(*s)), t;
	long i, got = 0, lost = 0;
	uint64_t seq = 0;
	int fd, r = 0;
	double sum = 0;

	head(o, "rr");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!s || fd < 0 || connect(fd, (const struct sockaddr *)&o->dst, sizeof(o->dst))) {
		r = -errno;
		goto out;
	}
	for (i = 0; i < o->warmup; i++) {
		r = round_trip(fd, ++seq, &t);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < o->rtts; i++) {
		r = round_trip(fd, ++seq, &t);
		if (r < 0)
			goto out;
		if (r)
			s[got++] = t;
		else
			lost++;
	}
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (r < 0 || !got) {
		printf(",\"n\":%ld,\"lost\":%ld,\"error\":\"%s\"}\n", got, lost,
		       r < 0 ? strerror(-r) : "no answer");
		free(s);
		return -1;
	}
	for (i = 0; i < got; i++)
		sum += (double)s[i];
	qsort(s, (size_t)got, sizeof(*s), cmp_i64);
	printf(",\"n\":%ld,\"lost\":%ld,\"size\":%d,\"median_us\":%.2f,\"mean_us\":%.2f,"
	       "\"min_us\":%.2f,\"p10_us\":%.2f,\"p90_us\":%.2f,\"max_us\":%.2f}\n",
	       got, lost, RR_SIZE, quantile(s, (int)got, 0.5) / 1e3, sum / (double)got / 1e3,
	       s[0] / 1e3, quantile(s, (int)got, 0.1) / 1e3, quantile(s, (int)got, 0.9) / 1e3,
	       s[got - 1] / 1e3);
	free(s);
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -EPIPE;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static int test_tcp(const struct opts *o)
{
	char *buf = calloc(1, (size_t)o->size);
	int64_t t0 = 0, t_end, t1 = 0;
	uint64_t sent = 0, be, got = 0;
	int fd, r = 0, one = 1;
	const char *what = "socket";

	head(o, "tcp");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!buf || fd < 0) {
		r = -errno;
		goto out;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = now_ns();
	what = "connect";
	if (connect(fd, (const struct sockaddr *)&o->dst, sizeof(o->dst))) {
		r = -errno;
		goto out;
	}
	what = "write";
	t_end = t0 + o->seconds * 1000000000LL;
	while (now_ns() < t_end) {
		r = write_all(fd, buf, (size_t)o->size);
		if (r < 0)
			goto out;
		sent += (uint64_t)o->size;
	}
	what = "the server's count";
	if (shutdown(fd, SHUT_WR)) {
		r = -errno;
		goto out;
	}
	r = read_all(fd, &be, sizeof(be));
	if (r < 0)
		goto out;
	t1 = now_ns();
	got = be64toh(be);
	if (got != sent) {
		what = "the server's count";
		r = -EPROTO;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	if (r < 0) {
		printf(",\"error\":\"%s: %s\",\"sent\":%llu,\"received\":%llu}\n", what,
		       strerror(-r), (unsigned long long)sent, (unsigned long long)got);
		return -1;
	}
	printf(",\"seconds\":%.3f,\"bytes\":%llu,\"write_size\":%ld,\"mbit_s\":%.2f}\n",
	       (double)(t1 - t0) / 1e9, (unsigned long long)got, o->size,
	       (double)got * 8 / ((double)(t1 - t0) / 1e9) / 1e6);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: netperf server [-p PORT]\n"
		"       netperf client [-p PORT] [-e SETUP] [-r ROUND] [-n RTTS] [-w WARMUP]\n"
		"                      [-d SECONDS] [-s SIZE] ADDR\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.setup = "-", .rtts = 200, .warmup = 20, .seconds = 3, .size = 128 * 1024
	};
	long port = DEFAULT_PORT;
	int c, r;

	if (argc < 2)
		return usage();
	optind = 2;
	while ((c = getopt(argc, argv, "p:e:r:n:w:d:s:")) != -1) {
		long *dst;
		long min = 0, max = INT_MAX;

		switch (c) {
		case 'p':
			dst = &port;
			min = 1;
			max = 65535;
			break;
		case 'e':
			if (!valid_tag(optarg)) {
				fprintf(stderr,
					"netperf: -e %s: a tag of letters, digits, '-', '_', '.' (64 at most)\n",
					optarg);
				return 2;
			}
			o.setup = optarg;
			continue;
		case 'r':
			dst = &o.round;
			break;
		case 'n':
			dst = &o.rtts;
			min = 1;
			max = 10000000;
			break;
		case 'w':
			dst = &o.warmup;
			break;
		case 'd':
			dst = &o.seconds;
			min = 1;
			max = 3600;
			break;
		case 's':
			dst = &o.size;
			min = 1;
			max = MAX_WRITE;
			break;
		default:
			return usage();
		}
		if (parse_long(optarg, min, max, dst)) {
			fprintf(stderr, "netperf: -%c %s: a whole number from %ld to %ld\n", c,
				optarg, min, max);
			return 2;
		}
	}
	if (!strcmp(argv[1], "server")) {
		if (optind != argc)
			return usage();
		return server((int)port);
	}
	if (strcmp(argv[1], "client") || optind != argc - 1)
		return usage();
	o.dst.sin_family = AF_INET;
	o.dst.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, argv[optind], &o.dst.sin_addr) != 1) {
		fprintf(stderr, "netperf: %s: not an IPv4 address\n", argv[optind]);
		return 2;
	}
	inet_ntop(AF_INET, &o.dst.sin_addr, o.addr, sizeof(o.addr));
	signal(SIGPIPE, SIG_IGN);
	r = test_rr(&o);
	fflush(stdout);
	r |= test_tcp(&o);
	return r ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_module - reach vos.ko itself: every /dev/vos ioctl and every command
 * of the generic netlink family "vos" (numbers from <linux/vos.h>), and
 * its multicast group "events". From inside a subsystem all of it must be
 * refused; from a host user without privilege, everything that creates,
 * opens or lists subsystems (the harmless VOS_GET_API_VERSION and
 * VOS_CHECK_EXTENSION are reported as INFO only).
 *
 *   esc_module [--host-user | --drop UID] [NAME...]
 *       the attack; NAMEs are subsystems that exist (to open or query by
 *       name). --host-user: we are a host user without privilege (opening
 *       /dev/vos is then allowed, INFO; the ioctls must refuse), not a
 *       subsystem (where even seeing /dev/vos is an escape). With --drop, /dev/vos is opened as root first, then we
 *       become UID (and its own gid) and use that fd: the module must check
 *       privilege at the ioctl, not only at open().
 *   esc_module --control [NAME...]
 *       outside, as root: must work (creates one ephemeral subsystem and
 *       closes it at once)
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vos.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "esc.h"

static bool control;

/* ---- generic netlink, by hand ---- */

struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

static unsigned int seq = 1;

static void put_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void init_req(struct nlreq *r, unsigned short family, unsigned char cmd,
		     unsigned short flags)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->n.nlmsg_seq = ++seq;
	r->g.cmd = cmd;
	r->g.version = cmd == CTRL_CMD_GETFAMILY && family == GENL_ID_CTRL ? 1 : VOS_GENL_VERSION;
}

/*
 * Send @r and read replies until the ack or the end of the dump.
 * Returns the number of data messages of type @family, or -errno.
 * @cb, if set, sees each data message.
 */
static int transact(int fd, struct nlreq *r, unsigned short family,
		    void (*cb)(struct nlmsghdr *, void *), void *arg)
{
	static char buf[65536];
	int data = 0;
	ssize_t n;
	struct nlmsghdr *h;

	if (send(fd, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return data;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error)
					return e->error;
				if (!(r->n.nlmsg_flags & NLM_F_DUMP))
					return data;
				continue;
			}
			if (h->nlmsg_type == family) {
				data++;
				if (cb)
					cb(h, arg);
			}
		}
	}
}

struct family {
	unsigned short id;
	unsigned int events_grp;
};

static void parse_family(struct nlmsghdr *h, void *arg)
{
	struct family *f = arg;
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			f->id = *(unsigned short *)((char *)a + NLA_HDRLEN);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			struct nlattr *g = (struct nlattr *)((char *)a + NLA_HDRLEN);
			int glen = a->nla_len - NLA_HDRLEN;

			for (; glen >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= glen;
			     glen -= NLA_ALIGN(g->nla_len),
			     g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len))) {
				struct nlattr *x = (struct nlattr *)((char *)g + NLA_HDRLEN);
				int xlen = g->nla_len - NLA_HDRLEN;
				unsigned int id = 0;
				bool is_events = false;

				for (; xlen >= NLA_HDRLEN && x->nla_len >= NLA_HDRLEN &&
				       x->nla_len <= xlen;
				     xlen -= NLA_ALIGN(x->nla_len),
				     x = (struct nlattr *)((char *)x + NLA_ALIGN(x->nla_len))) {
					if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(unsigned int *)((char *)x + NLA_HDRLEN);
					if (x->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
					    !strcmp((char *)x + NLA_HDRLEN, VOS_MCGRP_EVENTS))
						is_events = true;
				}
				if (is_events)
					f->events_grp = id;
			}
		}
	}
}

static void genl_attacks(int nargs, char **names)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct family fam = { 0, 0 };
	struct nlreq r;
	char what[200];
	int fd, n, refused_ids = 0, last_err = 0;
	unsigned long long id;
	unsigned int c;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		esc_refused("open a generic netlink socket", errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	init_req(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, VOS_GENL_NAME, sizeof(VOS_GENL_NAME));
	n = transact(fd, &r, GENL_ID_CTRL, parse_family, &fam);
	if (n <= 0 || !fam.id) {
		esc_refused("resolve the genl family \"vos\" (nothing else can be sent)",
			    n < 0 ? -n : ENOENT);
		close(fd);
		return;
	}
	esc_info("genl family \"vos\" is id %u, events group %u", fam.id, fam.events_grp);

	init_req(&r, fam.id, VOS_CMD_GET_SUBSYS, NLM_F_DUMP);
	n = transact(fd, &r, fam.id, NULL, NULL);
	if (n < 0)
		esc_refused("VOS_CMD_GET_SUBSYS dump", -n);
	else if (n == 0)
		esc_refused("VOS_CMD_GET_SUBSYS dump (it came back empty)", ENOENT);
	else
		esc_escaped("VOS_CMD_GET_SUBSYS dump", "listed %d subsystem(s)", n);

	for (id = 1; id <= 16; id++) {
		init_req(&r, fam.id, VOS_CMD_GET_SUBSYS, 0);
		put_attr(&r, VOS_A_SUBSYS_ID, &id, sizeof(id));
		n = transact(fd, &r, fam.id, NULL, NULL);
		if (n > 0)
			esc_escaped(esc_fmt(what, sizeof(what), "VOS_CMD_GET_SUBSYS id %llu", id),
				    "answered");
		else {
			refused_ids++;
			last_err = n < 0 ? -n : ENOENT;
		}
	}
	if (refused_ids)
		esc_refused(
			esc_fmt(what, sizeof(what),
				"VOS_CMD_GET_SUBSYS by id (%d of ids 1..16 refused, last error)",
				refused_ids),
			last_err);
	for (n = 0; n < nargs; n++) {
		int k;

		init_req(&r, fam.id, VOS_CMD_GET_SUBSYS, 0);
		put_attr(&r, VOS_A_SUBSYS_NAME, names[n], strlen(names[n]) + 1);
		k = transact(fd, &r, fam.id, NULL, NULL);
		esc_fmt(what, sizeof(what), "VOS_CMD_GET_SUBSYS name \"%s\"", names[n]);
		if (k > 0)
			esc_escaped(what, "answered");
		else
			esc_refused(what, k < 0 ? -k : ENOENT);
	}
	init_req(&r, fam.id, VOS_CMD_GET_STATS, 0);
	n = transact(fd, &r, fam.id, NULL, NULL);
	if (n > 0)
		esc_escaped("VOS_CMD_GET_STATS", "answered");
	else
		esc_refused("VOS_CMD_GET_STATS", n < 0 ? -n : ENOENT);

	/* Commands that are not requests (EVENT is a notification) or do not exist. */
	for (c = 0; c <= VOS_CMD_MAX + 4; c++) {
		if (c == VOS_CMD_GET_SUBSYS || c == VOS_CMD_GET_STATS)
			continue;
		init_req(&r, fam.id, (unsigned char)c, 0);
		n = transact(fd, &r, fam.id, NULL, NULL);
		esc_fmt(what, sizeof(what), "send genl command %u%s", c,
			c == VOS_CMD_EVENT ? " (VOS_CMD_EVENT)" : "");
		if (n < 0)
			esc_refused(what, -n);
		else
			esc_escaped(what, "accepted");
	}

	if (fam.events_grp) {
		esc_check("join the \"events\" multicast group",
			  setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &fam.events_grp,
				     sizeof(fam.events_grp)));
	} else {
		esc_info("the family has no \"events\" group to join");
	}
	close(fd);
}

/* ---- /dev/vos ---- */

static void subsys_fd_info(int sfd, const char *how)
{
	struct vos_subsys_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(sfd, VOS_SUBSYS_INFO, &info) == 0)
		esc_info("%s: subsystem %llu \"%.*s\", init pid %d", how,
			 (unsigned long long)info.id, VOS_NAME_MAX, info.name, info.init_pid);
}

static void dev_attacks(int dev, int nargs, char **names)
{
	struct vos_create cr;
	struct vos_open op;
	char what[200];
	int r, sfd, refused_ids = 0, last_err = 0;
	unsigned long long id;
	unsigned long cap;

	r = ioctl(dev, VOS_GET_API_VERSION, 0);
	esc_info("VOS_GET_API_VERSION: %d%s%s", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	for (cap = 1; cap <= 8; cap++) {
		r = ioctl(dev, VOS_CHECK_EXTENSION, cap);
		esc_info("VOS_CHECK_EXTENSION %lu: %d", cap, r);
	}

	memset(&cr, 0, sizeof(cr));
	cr.size = sizeof(cr);
	snprintf(cr.name, sizeof(cr.name), "vesc-evil-%d", getpid());
	sfd = ioctl(dev, VOS_CREATE_SUBSYS, &cr);
	if (sfd >= 0) {
		esc_escaped("VOS_CREATE_SUBSYS", "created subsystem %llu",
			    (unsigned long long)cr.id);
		close(sfd);
	} else {
		esc_refused("VOS_CREATE_SUBSYS", errno);
	}
	memset(&cr, 0, sizeof(cr));
	cr.size = sizeof(cr);
	cr.flags = VOS_SUBSYS_PERSISTENT;
	snprintf(cr.name, sizeof(cr.name), "vesc-evil-p-%d", getpid());
	sfd = ioctl(dev, VOS_CREATE_SUBSYS, &cr);
	if (sfd >= 0) {
		esc_escaped("VOS_CREATE_SUBSYS persistent", "created subsystem %llu",
			    (unsigned long long)cr.id);
		ioctl(sfd, VOS_SUBSYS_END, 0);
		close(sfd);
	} else {
		esc_refused("VOS_CREATE_SUBSYS persistent", errno);
	}

	for (id = 1; id <= 16; id++) {
		memset(&op, 0, sizeof(op));
		op.size = sizeof(op);
		op.flags = VOS_OPEN_BY_ID;
		op.id = id;
		sfd = ioctl(dev, VOS_OPEN_SUBSYS, &op);
		if (sfd >= 0) {
			esc_escaped(esc_fmt(what, sizeof(what), "VOS_OPEN_SUBSYS id %llu", id),
				    "got fd %d", sfd);
			subsys_fd_info(sfd, what);
			close(sfd);
		} else {
			refused_ids++;
			last_err = errno;
		}
	}
	if (refused_ids)
		esc_refused(esc_fmt(what, sizeof(what),
				    "VOS_OPEN_SUBSYS by id (%d of ids 1..16 refused, last error)",
				    refused_ids),
			    last_err);
	for (r = 0; r < nargs; r++) {
		memset(&op, 0, sizeof(op));
		op.size = sizeof(op);
		op.flags = VOS_OPEN_BY_NAME;
		snprintf(op.name, sizeof(op.name), "%s", names[r]);
		sfd = ioctl(dev, VOS_OPEN_SUBSYS, &op);
		esc_fmt(what, sizeof(what), "VOS_OPEN_SUBSYS name \"%s\"", names[r]);
		if (sfd >= 0) {
			esc_escaped(what, "got fd %d", sfd);
			subsys_fd_info(sfd, what);
			close(sfd);
		} else {
			esc_refused(what, errno);
		}
	}
}

static int drop_to(const char *uid_s)
{
	uid_t uid = (uid_t)strtoul(uid_s, NULL, 10);

	if (!uid || setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		fprintf(stderr, "esc_module: cannot become uid %s: %s\n", uid_s, strerror(errno));
		return -1;
	}
	esc_info("now uid %u, with a /dev/vos fd opened as root", getuid());
	return 0;
}

int main(int argc, char **argv)
{
	int a = 1, dev = -1, dev2;
	bool host_user = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	control = esc_is_control(argc, argv);
	if (control)
		a = 2;
	if (!control && argc > 2 && !strcmp(argv[1], "--drop")) {
		dev = open("/dev/vos", O_RDWR | O_CLOEXEC);
		if (dev < 0) {
			fprintf(stderr, "esc_module: open /dev/vos as root: %s\n", strerror(errno));
			return 2;
		}
		if (drop_to(argv[2]) < 0)
			return 2;
		host_user = true;
		a = 3;
	}
	if (!control && argc > 1 && !strcmp(argv[1], "--host-user")) {
		host_user = true;
		a = 2;
	}
	dev2 = open("/dev/vos", O_RDWR | O_CLOEXEC);
	if (dev2 < 0) {
		esc_refused("open /dev/vos", errno);
	} else {
		/* a host user may hold the device (the ioctls check); a
		 * subsystem must not even see it
		 */
		if (host_user)
			esc_info("open /dev/vos: opened (allowed; the ioctls must refuse)");
		else
			esc_escaped("open /dev/vos", "opened");
		if (dev < 0)
			dev = dev2;
		else
			close(dev2);
	}
	if (dev >= 0) {
		dev_attacks(dev, argc - a, argv + a);
		close(dev);
	}
	genl_attacks(argc - a, argv + a);
	return esc_finish();
}

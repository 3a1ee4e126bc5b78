/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vos.h - the virtos kernel/user contract.
 *
 * virtos registers *subsystems* with the vos module. A subsystem is one PID
 * namespace (plus the other namespaces and the cgroup user space made with
 * it); every task in that PID namespace, or in a namespace below it, is a
 * member and can never leave.
 *
 * Two interfaces, one contract:
 *
 * 1. ioctl, for handles and control (KVM style: every object is an fd).
 *
 *      /dev/vos --VOS_CREATE_SUBSYS--> subsystem fd
 *               --VOS_OPEN_SUBSYS----> subsystem fd
 *      subsystem fd: VOS_SUBSYS_ATTACH, VOS_SUBSYS_INFO, VOS_SUBSYS_SIGNAL,
 *                    VOS_SUBSYS_END
 *      /dev/vos --VOS_CHANNEL_CREATE--> two channel end fds (a call's stream)
 *               --VOS_CHANNEL_AUDIT---> a refused call's event
 *      channel end: read, write, poll, VOS_CHANNEL_SHUTDOWN
 *      clipboard slot: VOS_CLIP_INFO, VOS_CLIP_CLEAR on /dev/vos;
 *                    VOS_SUBSYS_CLIP_COPY, _PASTE on a subsystem fd
 *
 *    VOS_GET_API_VERSION returns VOS_API_VERSION and never changes. New
 *    features are announced by VOS_CAP_* numbers that VOS_CHECK_EXTENSION
 *    answers with a positive value; numbers are never reused.
 *
 *    Argument structs hold only __u32/__s32/__u64 and fixed char arrays,
 *    with explicit padding. Structs that may grow start with a __u32 @size
 *    that the caller sets to sizeof() of the struct it was compiled with;
 *    the kernel reads them the way clone3() and openat2() do: a smaller
 *    size than version 1 is -EINVAL, a larger one is accepted only if the
 *    bytes it does not know are zero (else -E2BIG). Because the size lives
 *    in the struct, the kernel ignores the size bits of these ioctl numbers.
 *    @flags and @reserved fields must be zero where not defined (-EINVAL).
 *    Output structs are written up to min(@size, kernel's size).
 *
 *    Subsystem fds are always close-on-exec. Closing the last fd of an
 *    ephemeral subsystem ends it once no task is left in it (its tasks are
 *    killed: an ephemeral subsystem does not outlive its supervisor).
 *    A persistent subsystem (VOS_SUBSYS_PERSISTENT) lives until
 *    VOS_SUBSYS_END, whatever happens to its fds.
 *
 * 2. Generic netlink family VOS_GENL_NAME, version VOS_GENL_VERSION, for
 *    enumeration and events (spec: Documentation/netlink/specs/vos.yaml).
 *
 *    VOS_CMD_GET_SUBSYS  do: by VOS_A_SUBSYS_ID or VOS_A_SUBSYS_NAME, one
 *                        reply; dump: every subsystem the caller may see,
 *                        one message each.
 *    VOS_CMD_GET_STATS   do: module-wide counters.
 *    VOS_CMD_GET_PEER    do: which subsystem a task belongs to, for brokers
 *                        (vosd): by VOS_A_PEER_FD, a connected AF_UNIX
 *                        socket of the caller (its peer, as SO_PEERCRED
 *                        names it, fixed at connect), or VOS_A_PEER_PIDFD.
 *                        Needs CAP_SYS_ADMIN, refused to members. Replies
 *                        VOS_A_PEER_PID, VOS_A_PEER_NS and, for a member,
 *                        VOS_A_SUBSYS_ID and VOS_A_SUBSYS_NAME. The answer
 *                        rests on the task's PID namespace, which no task
 *                        can leave; it holds after the task has exited.
 *    VOS_CMD_GET_CROSSINGS  dump: the last 64 VOS_EVENT_CROSSING events
 *                        (VOS_CAP_CHANNEL), oldest first, each with the
 *                        attributes and sequence number it was sent with.
 *                        Needs CAP_SYS_ADMIN, refused to members.
 *    VOS_CMD_EVENT       notification on group VOS_MCGRP_EVENTS; every one
 *                        carries VOS_A_EVENT_TYPE, VOS_A_EVENT_SEQ,
 *                        VOS_A_EVENT_TIME_NS, VOS_A_SUBSYS_ID and
 *                        VOS_A_SUBSYS_NAME, and each type what its comment
 *                        in enum vos_event_type names. Sequence numbers are
 *                        module-wide and increase by one per event, so a gap
 *                        means a listener lost events (e.g. its socket
 *                        buffer overflowed).
 *
 *    Errors come back as netlink errors with an extack message that names
 *    the attribute at fault.
 *
 * Visibility: a caller sees and acts on a subsystem if it owns it (same
 * effective uid as its creator) or holds CAP_SYS_ADMIN in the initial user
 * namespace. Others get -ENOENT, as if it did not exist.
 *
 * Names: libvirtos (lib/libvirtos/virtos.h) includes this header and names
 * its own API vos_* and VOS_* too (struct vos_ctx, vos_info, vos_stats,
 * vos_event; VOS_ERR_*, VOS_BIND_*, VOS_EVENT_F_*, ...). Before adding a
 * name here, check that the library does not define it.
 */
#ifndef _UAPI_LINUX_VOS_H
#define _UAPI_LINUX_VOS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VOS_API_VERSION		1

/* Subsystem names: 1..VOS_NAME_MAX-1 bytes of [A-Za-z0-9_.-], NUL-terminated,
 * starting with a letter or digit. Unique among live subsystems.
 */
#define VOS_NAME_MAX		64

/* Capabilities, for VOS_CHECK_EXTENSION. Never renumbered. */
#define VOS_CAP_CREATE		1	/* VOS_CREATE_SUBSYS, VOS_OPEN_SUBSYS */
#define VOS_CAP_PERSISTENT	2	/* VOS_SUBSYS_PERSISTENT */
#define VOS_CAP_ATTACH		3	/* VOS_SUBSYS_ATTACH by pidfd */
#define VOS_CAP_SIGNAL		4	/* VOS_SUBSYS_SIGNAL */
#define VOS_CAP_END		5	/* VOS_SUBSYS_END */
#define VOS_CAP_NETLINK		6	/* genl family VOS_GENL_NAME */
#define VOS_CAP_EVENTS		7	/* multicast group VOS_MCGRP_EVENTS */
#define VOS_CAP_NET_POLICY	8	/* struct vos_policy.net checked at attach */
#define VOS_CAP_ID_RANGE	9	/* private host id range, VOS_SUBSYS_HOST_IDS */
#define VOS_CAP_NET_RULES	10	/* VOS_SUBSYS_SET_LINK, _SET_RULES, _GET_RULES */
#define VOS_CAP_NET_PROVIDER	11	/* vos_link.range4, VOS_SUBSYS_GET_LINK */
#define VOS_CAP_PEER		12	/* VOS_CMD_GET_PEER */
#define VOS_CAP_RULE_HOSTS	13	/* vos_rules.hosts */
#define VOS_CAP_NET_IPV6	16	/* vos_link.addr6, VOS_RULE_IPV6, vos_rules.addrs6 */
#define VOS_CAP_CLIPBOARD	15	/* the clipboard slot: VOS_CLIP_*, VOS_SUBSYS_CLIP_* */
/* VOS_CHANNEL_CREATE, VOS_CHANNEL_AUDIT, VOS_CHANNEL_SHUTDOWN,
 * VOS_EVENT_CROSSING
 */
#define VOS_CAP_CHANNEL		14

/* Subsystem flags (struct vos_create.flags, struct vos_subsys_info.flags) */
#define VOS_SUBSYS_PERSISTENT	(1U << 0)
/* The init runs with a host identity instead of a private id range (an
 * explicit relaxation): VOS_SUBSYS_ATTACH then accepts only an init whose
 * uid and gid maps are one id each, its user namespace owner's own uid and
 * gid (what that owner could map without privilege), or one without a user
 * namespace of its own with the subsystem creator's euid and egid.
 */
#define VOS_SUBSYS_HOST_IDS	(1U << 1)
#define VOS_SUBSYS_FLAGS_ALL	(VOS_SUBSYS_PERSISTENT | VOS_SUBSYS_HOST_IDS)

/*
 * Identity (VOS_CAP_ID_RANGE). Unless created with VOS_SUBSYS_HOST_IDS, a
 * subsystem owns a private range of host uids and gids, [id_base, id_base +
 * id_count), handed out at VOS_CREATE_SUBSYS from the module's pool (module
 * parameters id_base, id_block, id_blocks; by default 4094 blocks of 65536
 * from 0x70000000, below systemd's foreign range, above its container
 * range) and returned to it when the subsystem is destroyed. Two live
 * subsystems never share an id. VOS_SUBSYS_ATTACH accepts only an init
 * that has its own user namespace, child of the initial one, whose uid and
 * gid maps are written and lie wholly inside the range (-EPERM otherwise),
 * so no member can hold the file access of a host user. VOS_CREATE_SUBSYS
 * fails with -EUSERS when the pool is exhausted.
 */

/* Subsystem states */
enum vos_state {
	VOS_STATE_CREATED = 1,	/* registered, no init attached yet */
	VOS_STATE_RUNNING = 2,	/* init attached and alive */
	VOS_STATE_STOPPED = 3,	/* init has exited; exit_status is valid */
	VOS_STATE_DESTROYED = 4,	/* ended; only seen in events */
};

/* struct vos_policy.net: what network the subsystem may have. */
enum vos_net_policy {
	/* Its own network namespace, never the caller's (the default).
	 * VOS_SUBSYS_ATTACH refuses an init that shares the caller's
	 * network namespace with -EPERM.
	 */
	VOS_NET_ISOLATED = 0,
	/* The caller's network namespace may be shared (explicit opt-out). */
	VOS_NET_HOST = 1,
};

/* Policy given at creation. */
struct vos_policy {
	__u32 net;		/* in: enum vos_net_policy */
	__u32 flags;		/* in: none defined, must be 0 */
	__u64 reserved[3];	/* in: must be 0 */
};

/* VOS_CREATE_SUBSYS on /dev/vos. Needs CAP_SYS_ADMIN in the initial user
 * namespace. Returns a new subsystem fd (O_CLOEXEC).
 */
struct vos_create {
	__u32 size;		/* in: sizeof(struct vos_create) */
	__u32 flags;		/* in: VOS_SUBSYS_* */
	char name[VOS_NAME_MAX];	/* in: see VOS_NAME_MAX */
	struct vos_policy policy;	/* in */
	__u64 id;		/* out: the new subsystem's id (never 0) */
	__u32 id_base;		/* out: first host id of its range, 0 if none */
	__u32 id_count;		/* out: ids in the range, 0 with HOST_IDS */
	__u64 reserved[3];	/* in: must be 0 */
};

/* VOS_OPEN_SUBSYS on /dev/vos: returns an fd (O_CLOEXEC) for a subsystem
 * the caller may see, by id or by name (exactly one of the two flags).
 */
#define VOS_OPEN_BY_ID		(1U << 0)
#define VOS_OPEN_BY_NAME	(1U << 1)
struct vos_open {
	__u32 size;		/* in: sizeof(struct vos_open) */
	__u32 flags;		/* in: VOS_OPEN_BY_ID or VOS_OPEN_BY_NAME */
	__u64 id;		/* in: with VOS_OPEN_BY_ID */
	char name[VOS_NAME_MAX];	/* in: with VOS_OPEN_BY_NAME */
	__u64 reserved[2];	/* in: must be 0 */
};

/* VOS_SUBSYS_ATTACH on a subsystem fd: bind the init of a fresh PID
 * namespace to the subsystem. @pidfd names the task; @pid is the same task's
 * pid in the caller's PID namespace (the kernel checks that both name the same
 * task, so the pid cannot be stale while the pidfd is held). The task must be
 * pid 1 of a PID namespace that is a direct child of the caller's, that holds
 * no other task and belongs to no subsystem, and the caller must own it (same
 * real uid) or hold CAP_SYS_ADMIN in the initial user namespace.
 * @cgroup_fd, if not -1, is an fd of the subsystem's cgroup v2 directory;
 * its id is reported as cgroup_id.
 */
struct vos_attach {
	__u32 size;		/* in: sizeof(struct vos_attach) */
	__u32 flags;		/* in: none defined, must be 0 */
	__s32 pidfd;		/* in */
	__s32 pid;		/* in */
	__s32 cgroup_fd;	/* in: -1 for none */
	__u32 pad;		/* in: must be 0 */
	__u64 reserved[2];	/* in: must be 0 */
};

/* VOS_SUBSYS_INFO on a subsystem fd. */
struct vos_subsys_info {
	__u32 size;		/* in: sizeof(struct vos_subsys_info) */
	__u32 flags;		/* out: VOS_SUBSYS_* */
	__u64 id;		/* out */
	char name[VOS_NAME_MAX];	/* out */
	__u32 state;		/* out: enum vos_state */
	__u32 owner_uid;	/* out: creator's euid, in the caller's user ns */
	__s32 init_pid;		/* out: init's pid in the caller's PID ns, 0 if none */
	__s32 exit_status;	/* out: init's wait status, when STOPPED */
	__u64 tasks_now;	/* out: member tasks (threads) alive now */
	__u64 tasks_ever;	/* out: member tasks ever, init included */
	__u64 execs;		/* out: successful execve()s by members */
	__u64 denials;		/* out: policy denials */
	__u64 created_ns;	/* out: CLOCK_BOOTTIME at creation */
	__u64 pidns_inum;	/* out: inode of the PID ns (as /proc/PID/ns/pid) */
	__u64 netns_inum;	/* out: inode of init's network ns, 0 if none */
	__u64 cgroup_id;	/* out: cgroup v2 id given at attach, 0 if none */
	struct vos_policy policy;	/* out */
	__u32 id_base;		/* out: first host id of its range, 0 if none */
	__u32 id_count;		/* out: ids in the range, 0 with HOST_IDS */
	__u64 reserved[3];	/* out: zero */
};

/* VOS_SUBSYS_SIGNAL on a subsystem fd: send @signo (1.._NSIG-1) to every
 * process in the subsystem, or only to its init with VOS_SIGNAL_INIT_ONLY.
 * Returns the number of processes signalled.
 */
#define VOS_SIGNAL_INIT_ONLY	(1U << 0)
struct vos_signal {
	__u32 size;		/* in: sizeof(struct vos_signal) */
	__u32 flags;		/* in: VOS_SIGNAL_* */
	__s32 signo;		/* in */
	__u32 pad;		/* in: must be 0 */
	__u64 reserved[2];	/* in: must be 0 */
};

/*
 * Network rules (VOS_CAP_NET_RULES). A subsystem's link is a veth pair whose
 * far end lives in its uplink's network namespace. VOS_SUBSYS_SET_LINK
 * binds the far end to the subsystem (once); from then on vos.ko checks
 * every packet the subsystem sends, at the far end's ingress, where nothing
 * inside the subsystem can reach:
 *   - non-IP frames (ARP) pass; IPv6 is dropped;
 *   - an IPv4 source other than @addr4 is dropped (anti-spoofing);
 *   - the rules, first match wins;
 *   - no match: to another subsystem's link address, drop; else @policy.
 *     (A rule reaches another subsystem only if it names it, dst_subsys,
 *     or an address range holding its address: "any" does not count.)
 * Drops without a matching rule are counted in dropped_spoof/_other.
 * The caller needs CAP_NET_ADMIN over the far end's namespace. The binding
 * ends with the subsystem or the device.
 *
 * IPv6 (VOS_CAP_NET_IPV6). A link bound with @addr6 (not all zero) takes
 * IPv6 too, checked as IPv4 is, with two differences:
 *   - neighbour discovery passes without rules: ICMPv6 router and
 *     neighbour solicitations and neighbour advertisements (types 133,
 *     135, 136; hop limit 255, no extension header) and MLD reports (131,
 *     132, 143; hop limit 1) from @addr6, a link-local or the unspecified
 *     address to a link-local, multicast or far-end address; any other
 *     packet from a source other than @addr6, router advertisements and
 *     redirects included, is spoofed;
 *   - no match is a drop whatever @policy says: a subsystem's IPv6 goes
 *     only where a rule lets it.
 * A link bound without @addr6 drops all its IPv6, as before. At a
 * provider's link, an IPv6 source of one of its clients (or theirs) passes
 * when that subsystem's rules accept the packet, as for IPv4: the
 * provider's client range is not needed for that.
 *
 * Providers (VOS_CAP_NET_PROVIDER). A subsystem that routes for others is
 * bound with a client range (@range4/@range_prefix, outside which its own
 * @addr4 lies). A link whose far end is in a provider's namespace (its
 * client) must have its address, and its own range if it has one, inside
 * the provider's range; no address or range may lie in another provider's
 * range, nor may ranges overlap otherwise (EADDRINUSE, EADDRNOTAVAIL): so
 * every address of a range belongs to the provider's clients, theirs, and
 * so on. At a provider's link, a source in its range passes if it is a
 * client's (or a client's client's) address and that subsystem's rules
 * accept the packet: forwarded traffic was checked at the client's own
 * link, and a provider forging a client's source gains nothing the client
 * does not have. Any other source is spoofed.
 */
struct vos_link {
	__u32 size;		/* in: sizeof(struct vos_link) */
	__u32 flags;		/* in: none defined, must be 0 */
	__s32 netns_fd;		/* in: the far end's network namespace, -1: the caller's */
	__u32 ifindex;		/* in: the far end (a veth whose peer is in the subsystem) */
	__u32 addr4;		/* in: the subsystem's IPv4 address on the link,
				 * network byte order
				 */
	__u32 pad;		/* in: must be 0 */
	__u32 range4;		/* in: a provider's client range, network byte
				 * order, no host bits; 0 with range_prefix 0
				 */
	__u32 range_prefix;	/* in: 0 (not a provider) or 8..29 */
	__u64 reserved;		/* in: must be 0 */
	__u8 addr6[16];		/* in (VOS_CAP_NET_IPV6): the subsystem's IPv6
				 * address on the link, all zero: no IPv6;
				 * not multicast, link-local, loopback or
				 * unspecified
				 */
};

#define VOS_LINK_BOUND		(1U << 0)	/* vos_link_info.flags */

/* VOS_SUBSYS_GET_LINK: a subsystem's link, as bound (all out but @size). */
struct vos_link_info {
	__u32 size;		/* in: sizeof(struct vos_link_info) */
	__u32 flags;		/* out: VOS_LINK_BOUND, or 0 and nothing else */
	__u32 ifindex;		/* the far end, in its namespace */
	__u32 addr4;		/* network byte order */
	__u32 range4;		/* a provider's client range, or 0 */
	__u32 range_prefix;
	__u64 provider;		/* id of the subsystem whose namespace holds
				 * the far end; 0: not a subsystem's
				 */
	__u64 reserved[2];	/* out: 0 */
	__u8 addr6[16];		/* VOS_CAP_NET_IPV6: as bound, or all zero */
};

#define VOS_RULE_ACCEPT		1
#define VOS_RULE_DROP		2
#define VOS_RULES_MAX		1024

/*
 * vos_rule.flags (VOS_CAP_NET_IPV6): the rule is for IPv6 only, its
 * destination the range at vos_rules.addrs6[i] (dst_addr and dst_prefix
 * must be 0). A rule without it and with dst_prefix set is for IPv4 only;
 * one with neither a prefix nor a flag (any destination, or dst_subsys)
 * matches both. IPPROTO_ICMP matches ICMP (IPv4) only, IPPROTO_ICMPV6
 * ICMPv6 only.
 */
#define VOS_RULE_IPV6		(1U << 0)

/* One rule: every given field must match (0 / -1: any). */
struct vos_rule {
	__u32 action;		/* VOS_RULE_ACCEPT or VOS_RULE_DROP */
	__u32 proto;		/* 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP or
				 * (VOS_CAP_NET_IPV6) IPPROTO_ICMPV6
				 */
	__u32 dst_addr;		/* network byte order, with dst_prefix 1..32;
				 * no host bits set
				 */
	__u32 dst_prefix;	/* 0: any destination */
	__u64 dst_subsys;	/* or: the subsystem with this id, at its link address */
	__u32 port_min;		/* destination ports 1..65535, tcp/udp; 0..0: any */
	__u32 port_max;
	__s32 icmp_type;	/* icmp or icmpv6 only; -1: any */
	__u32 flags;		/* VOS_RULE_IPV6, or 0 */
	__u64 packets;		/* out (GET_RULES): packets matched */
	__u64 bytes;		/* out: bytes matched */
};

/* VOS_SUBSYS_SET_RULES (replaces the whole set atomically) and
 * VOS_SUBSYS_GET_RULES (@count in: room at @rules; out: the set's size).
 */
struct vos_rules {
	__u32 size;		/* in: sizeof(struct vos_rules) */
	__u32 flags;		/* in: none defined, must be 0 */
	__u32 policy;		/* VOS_RULE_ACCEPT or VOS_RULE_DROP: no rule matched */
	__u32 count;		/* <= VOS_RULES_MAX */
	__u64 rules;		/* pointer to struct vos_rule[count] */
	__u64 dropped_spoof;	/* out (GET): wrong source address */
	__u64 dropped_other;	/* out: IPv6, other subsystems, the policy */
	__u64 reserved[2];	/* in: must be 0 */
	/* VOS_CAP_RULE_HOSTS: 0, or a pointer to @count blocks of
	 * VOS_RULE_HOST_MAX bytes, one per rule: the host name the rule's
	 * address was resolved from, NUL-terminated, letters, digits, '.',
	 * '-' and '_' only ("" for none). SET keeps them with the set, GET
	 * gives them back (as many as @count in has room for); vos.ko never
	 * matches on them: they let user space resolve a name again.
	 */
	__u64 hosts;
	/* VOS_CAP_NET_IPV6: 0, or a pointer to @count struct vos_rule_addr6,
	 * one per rule: the destination of each VOS_RULE_IPV6 rule (the
	 * others' must be all zero). Needed on SET when a rule has the flag;
	 * filled on GET when given.
	 */
	__u64 addrs6;
};

#define VOS_RULE_HOST_MAX	256

/* An IPv6 rule's destination: @prefix 0..128 (0: any), no bits set past it */
struct vos_rule_addr6 {
	__u8 addr[16];
	__u32 prefix;
	__u32 pad;		/* must be 0 */
};

/*
 * The clipboard slot (VOS_CAP_CLIPBOARD). vos.ko holds one global slot for
 * the two-step copy between subsystems (service vos.Clipboard):
 * VOS_SUBSYS_CLIP_COPY on subsystem A's fd puts bytes and their MIME type
 * into it with A as their source; VOS_SUBSYS_CLIP_PASTE on B's fd takes them
 * out for B and wipes the slot, so no third subsystem can read them. Whether
 * A may paste into B is the policy's decision, taken by the caller (vosctl)
 * between VOS_CLIP_INFO and the paste; @seq ties the paste to the content
 * the decision was about, and a refusal is recorded with VOS_CLIP_DENY.
 * vos.ko binds source and target to the fds (the caller cannot name them
 * otherwise), bounds the size (module parameter clip_max_bytes, at most
 * VOS_CLIP_HARD_MAX), expires the content (clip_ttl_ms after the copy; 0:
 * at once, for tests), zeroes the bytes whenever the slot is wiped (paste,
 * clear, expiry, a new copy, unload) and sends VOS_EVENT_CLIP for each.
 * Every clipboard ioctl needs CAP_SYS_ADMIN in the initial user namespace
 * (-EPERM) and is refused to members.
 */
#define VOS_CLIP_MIME_MAX	128	/* MIME type, NUL-terminated: type/subtype[;params] */
#define VOS_CLIP_HARD_MAX	(64ULL << 20)	/* bytes: ceiling of clip_max_bytes */

#define VOS_CLIP_DENY		(1U << 0)	/* PASTE: record a refusal, move nothing */

struct vos_clip {
	__u32 size;		/* in: sizeof(struct vos_clip) */
	__u32 flags;		/* in: PASTE: VOS_CLIP_DENY or 0; else 0 */
	char mime[VOS_CLIP_MIME_MAX];	/* COPY in; INFO, PASTE out */
	__u64 data;		/* in: COPY: the bytes; PASTE: room for them;
				 * INFO: 0
				 */
	__u64 length;		/* COPY in: bytes at @data (1..clip_max_bytes);
				 * PASTE in: room at @data; INFO, PASTE out:
				 * the content's length (also with -ENOSPC)
				 */
	__u64 seq;		/* COPY out: the content's number (never 0);
				 * PASTE in: the number to take (-ESTALE if
				 * the slot holds another); INFO out
				 */
	__u64 source;		/* INFO, PASTE out: the source subsystem's id */
	char source_name[VOS_NAME_MAX];	/* INFO, PASTE out */
	__u64 expires_ns;	/* INFO, COPY out: CLOCK_BOOTTIME of expiry */
	__u64 reserved[2];	/* in: must be 0 */
};

/*
 * Channels (VOS_CAP_CHANNEL): the stream of one call between subsystems
 * (issue 13), minted by vos.ko for a broker (vosd) that holds
 * CAP_SYS_ADMIN in the initial user namespace and is in no subsystem.
 *
 * VOS_CHANNEL_CREATE returns two fds (O_CLOEXEC), the two ends of one
 * bidirectional byte stream: what is written to one end is read from the
 * other. Each end is bound at creation to the tasks that may use it:
 *   - the target end: the members of subsystem @target;
 *   - the source end: the members of subsystem @source or, when @peer_fd
 *     is given, the one host process (thread group) that is the peer of
 *     that connected AF_UNIX socket as SO_PEERCRED names it (a host
 *     caller: @source 0, or a subsystem's name on the host administrator's
 *     behalf, "vosctl call --from").
 * read(), write() and VOS_CHANNEL_SHUTDOWN by any other task fail with
 * -EPERM, and poll() reports EPOLLERR to it: an end passed to a third
 * subsystem or to the host (the broker included) is useless to it.
 *
 * Semantics are those of a pipe in each direction: each holds at most
 * VOS_CHANNEL_BUF bytes; read() blocks until data, returns 0 once the
 * other end is closed or shut down for writing and the data is drained;
 * write() blocks for room (O_NONBLOCK: -EAGAIN) and fails with -EPIPE (and
 * SIGPIPE) once the other end is closed. VOS_CHANNEL_SHUTDOWN ends the
 * caller's direction (the other end reads EOF), like shutdown(SHUT_WR).
 * When either subsystem ends (VOS_SUBSYS_END, the last fd of an ephemeral
 * one) the channel is revoked: reads return 0, writes -EPIPE, poll wakes
 * with EPOLLHUP. At most VOS_CHANNEL_MAX channels exist at once (-ENOSPC).
 *
 * Every call is audited by the kernel on the events group: a
 * VOS_EVENT_CROSSING when a channel is made (VOS_CROSSING_OPENED), when
 * it is revoked, and when its last end is closed (VOS_CROSSING_CLOSED,
 * with the bytes each way); a call the broker refuses is reported through
 * VOS_CHANNEL_AUDIT (VOS_CROSSING_REFUSED), at most
 * VOS_CROSSING_REFUSED_RATE events a second per source: the next one that
 * is sent says how many were suppressed.
 */
#define VOS_CHANNEL_BUF		65536	/* bytes per direction */
#define VOS_CHANNEL_MAX		512
#define VOS_CROSSING_SERVICE_MAX	128	/* SERVICE[+ARG], NUL included */
#define VOS_CROSSING_REFUSED_RATE	10

/* The broker's verdict on a call (VOS_A_CROSSING_VERDICT) */
enum vos_crossing_verdict {
	VOS_VERDICT_ALLOW = 1,		/* the policy allowed it */
	VOS_VERDICT_DENY = 2,		/* the policy denied it */
	VOS_VERDICT_ASK_ALLOWED = 3,	/* asked; the answer allowed it */
	VOS_VERDICT_ASK_DENIED = 4,	/* asked; the answer denied it */
	VOS_VERDICT_ASK_TIMEOUT = 5,	/* asked; no answer in time: denied */
	/* not served: no such target or service, limits, malformed */
	VOS_VERDICT_REFUSED = 6,
};

/* What a VOS_EVENT_CROSSING reports (VOS_A_CROSSING_PHASE) */
enum vos_crossing_phase {
	VOS_CROSSING_OPENED = 1,	/* a channel was made for the call */
	VOS_CROSSING_CLOSED = 2,	/* its last end was closed: final bytes */
	VOS_CROSSING_REVOKED = 3,	/* a subsystem of it ended while open */
	VOS_CROSSING_REFUSED = 4,	/* the call got no channel (the verdict says why) */
};

/* VOS_CHANNEL_CREATE on /dev/vos: a channel for an allowed call. @source
 * and @target must be different subsystems, running and not ended
 * (-ENOENT: no such id; -ESRCH: not running), unless @source is 0 (the
 * host; then @peer_fd is required). Returns 0 with the outs filled.
 */
struct vos_channel_create {
	__u32 size;		/* in: sizeof(struct vos_channel_create) */
	__u32 flags;		/* in: none defined, must be 0 */
	__u64 source;		/* in: the caller's subsystem id, 0: the host */
	__u64 target;		/* in: the handler's subsystem id */
	__s32 peer_fd;		/* in: -1, or a connected AF_UNIX socket whose
				 * peer, a host process, gets the source end
				 */
	__u32 verdict;		/* in: VOS_VERDICT_ALLOW or _ASK_ALLOWED */
	/* in: for the audit: 1.. printable ASCII bytes, no space, NUL-terminated */
	char service[VOS_CROSSING_SERVICE_MAX];
	__u64 id;		/* out: the channel's id (never 0) */
	__s32 source_fd;	/* out: the source end */
	__s32 target_fd;	/* out: the target end */
	__u64 reserved[2];	/* in: must be 0 */
};

/* VOS_CHANNEL_AUDIT on /dev/vos: report a call that got no channel, as a
 * VOS_EVENT_CROSSING with VOS_CROSSING_REFUSED. @source and a non-zero
 * @target must exist (-ENOENT); with @target 0, @target_name is the target
 * as the caller named it (printable ASCII, no space; "" for the host).
 */
struct vos_crossing_audit {
	__u32 size;		/* in: sizeof(struct vos_crossing_audit) */
	__u32 flags;		/* in: none defined, must be 0 */
	__u64 source;		/* in: the caller's subsystem id, 0: the host */
	__u64 target;		/* in: a subsystem id, or 0 */
	__u32 verdict;		/* in: any but VOS_VERDICT_ALLOW, _ASK_ALLOWED */
	__u32 pad;		/* in: must be 0 */
	char service[VOS_CROSSING_SERVICE_MAX];	/* in: as in vos_channel_create */
	char target_name[VOS_NAME_MAX];	/* in: with @target 0 only */
	__u64 reserved[2];	/* in: must be 0 */
};

#define VOSIO			0xF6

/* On /dev/vos: numbers 0x00-0x3f */
#define VOS_GET_API_VERSION	_IO(VOSIO, 0x00)
#define VOS_CHECK_EXTENSION	_IO(VOSIO, 0x01)	/* arg: VOS_CAP_* */
#define VOS_CREATE_SUBSYS	_IOWR(VOSIO, 0x02, struct vos_create)
#define VOS_OPEN_SUBSYS		_IOW(VOSIO, 0x03, struct vos_open)
#define VOS_CHANNEL_CREATE	_IOWR(VOSIO, 0x04, struct vos_channel_create)
#define VOS_CHANNEL_AUDIT	_IOW(VOSIO, 0x05, struct vos_crossing_audit)
/* The clipboard slot (VOS_CAP_CLIPBOARD): what it holds, without the bytes
 * (-ENOENT: empty or expired), and wipe it (0 even if it was empty).
 */
#define VOS_CLIP_INFO		_IOWR(VOSIO, 0x08, struct vos_clip)
#define VOS_CLIP_CLEAR		_IO(VOSIO, 0x09)

/* On a subsystem fd: numbers 0x40-0x7f */
#define VOS_SUBSYS_ATTACH	_IOW(VOSIO, 0x40, struct vos_attach)
#define VOS_SUBSYS_INFO		_IOWR(VOSIO, 0x41, struct vos_subsys_info)
#define VOS_SUBSYS_SIGNAL	_IOW(VOSIO, 0x42, struct vos_signal)
/* End: SIGKILL every member; the subsystem is destroyed once its tasks are
 * gone and its last fd is closed. Idempotent.
 */
#define VOS_SUBSYS_END		_IO(VOSIO, 0x43)
#define VOS_SUBSYS_SET_LINK	_IOW(VOSIO, 0x44, struct vos_link)
#define VOS_SUBSYS_SET_RULES	_IOW(VOSIO, 0x45, struct vos_rules)
#define VOS_SUBSYS_GET_RULES	_IOWR(VOSIO, 0x46, struct vos_rules)
#define VOS_SUBSYS_GET_LINK	_IOWR(VOSIO, 0x47, struct vos_link_info)

/* On a channel end (VOS_CAP_CHANNEL): numbers 0x4c-0x4f */
/* No more writes from this end: the other end reads EOF once drained. */
#define VOS_CHANNEL_SHUTDOWN	_IO(VOSIO, 0x4c)
/* The clipboard slot: copy from this subsystem (replacing and wiping what
 * the slot held), paste into it (-ENOENT: empty or expired; -ESTALE: @seq
 * is not the slot's; -ENOSPC: @length too small, the slot is kept;
 * -EFBIG: over clip_max_bytes).
 */
#define VOS_SUBSYS_CLIP_COPY	_IOWR(VOSIO, 0x50, struct vos_clip)
#define VOS_SUBSYS_CLIP_PASTE	_IOWR(VOSIO, 0x51, struct vos_clip)

/* Generic netlink */
#define VOS_GENL_NAME		"vos"
#define VOS_GENL_VERSION	1
#define VOS_MCGRP_EVENTS	"events"

enum vos_cmd {
	VOS_CMD_UNSPEC,
	VOS_CMD_GET_SUBSYS,
	VOS_CMD_GET_STATS,
	VOS_CMD_EVENT,
	VOS_CMD_GET_PEER,
	VOS_CMD_GET_CROSSINGS,

	__VOS_CMD_MAX,
	VOS_CMD_MAX = __VOS_CMD_MAX - 1,
};

/* Event types. Each comment says when, and which attributes the event
 * carries besides those of every event (see VOS_CMD_EVENT above).
 */
enum vos_event_type {
	VOS_EVENT_CREATED = 1,		/* VOS_CREATE_SUBSYS */
	/* init attached: VOS_A_EVENT_PID, VOS_A_EVENT_COMM (init's) */
	VOS_EVENT_ATTACHED = 2,
	/* a member's successful execve(): VOS_A_EVENT_PID, VOS_A_EVENT_COMM */
	VOS_EVENT_EXEC = 3,
	/* a member process (thread group) exited: VOS_A_EVENT_PID,
	 * VOS_A_EVENT_COMM, VOS_A_SUBSYS_EXIT_STATUS (its wait status)
	 */
	VOS_EVENT_EXIT = 4,
	/* init exited, after its VOS_EVENT_EXIT: VOS_A_EVENT_PID,
	 * VOS_A_EVENT_COMM, VOS_A_SUBSYS_EXIT_STATUS (init's wait status)
	 */
	VOS_EVENT_STOPPED = 5,
	VOS_EVENT_DESTROYED = 6,	/* the last event of a subsystem */
	/* VOS_SUBSYS_ATTACH refused by the network or id policy:
	 * VOS_A_EVENT_PID, VOS_A_EVENT_COMM (the refused init's)
	 */
	VOS_EVENT_DENIED = 7,
	/* vos.ko dropped packets the subsystem sent over its link
	 * (VOS_CAP_NET_RULES); at most ten such events a second per
	 * subsystem, each about the first drop since the previous one:
	 * VOS_A_EVENT_NET_REASON, VOS_A_EVENT_NET_RULE, VOS_A_EVENT_NET_PROTO,
	 * VOS_A_EVENT_NET_SADDR, VOS_A_EVENT_NET_DADDR, VOS_A_EVENT_NET_SPORT,
	 * VOS_A_EVENT_NET_DPORT, VOS_A_EVENT_NET_SUPPRESSED; for an IPv6
	 * packet (VOS_CAP_NET_IPV6) VOS_A_NET6_SADDR and
	 * VOS_A_NET6_DADDR too (the IPv4 ones 0)
	 */
	VOS_EVENT_NET_DENIED = 8,
	/* a call between subsystems (VOS_CAP_CHANNEL); the event's subsystem
	 * is the call's source (id 0 and name "@host" for the host):
	 * VOS_A_CROSSING_PHASE, VOS_A_CROSSING_VERDICT,
	 * VOS_A_CROSSING_SERVICE, VOS_A_CROSSING_TARGET_ID,
	 * VOS_A_CROSSING_TARGET_NAME, VOS_A_CROSSING_CHANNEL,
	 * VOS_A_CROSSING_BYTES_OUT, VOS_A_CROSSING_BYTES_IN (both so far),
	 * VOS_A_CROSSING_SUPPRESSED
	 */
	VOS_EVENT_CROSSING = 9,
	/* the clipboard slot changed (VOS_CAP_CLIPBOARD); the subsystem is
	 * the source for COPY, CLEARED and EXPIRED, the target for PASTE and
	 * DENIED: VOS_A_CLIP_OP, VOS_A_CLIP_SEQ,
	 * VOS_A_CLIP_BYTES, VOS_A_CLIP_MIME,
	 * VOS_A_CLIP_SOURCE
	 */
	VOS_EVENT_CLIP = 10,
};

/* What happened to the clipboard slot (VOS_A_CLIP_OP) */
enum vos_clip_op {
	VOS_CLIP_OP_COPY = 1,		/* filled by VOS_SUBSYS_CLIP_COPY */
	VOS_CLIP_OP_PASTE = 2,		/* taken by VOS_SUBSYS_CLIP_PASTE, wiped */
	VOS_CLIP_OP_DENIED = 3,		/* a paste refused (VOS_CLIP_DENY), kept */
	VOS_CLIP_OP_CLEARED = 4,	/* wiped: VOS_CLIP_CLEAR, a new copy, unload */
	VOS_CLIP_OP_EXPIRED = 5,	/* wiped: clip_ttl_ms passed */
};

/* Where a task's PID namespace lies from the caller's (VOS_A_PEER_NS) */
enum vos_peer_ns {
	VOS_PEER_NS_SAME = 1,	/* the caller's own */
	VOS_PEER_NS_BELOW = 2,	/* a descendant of the caller's */
	VOS_PEER_NS_OTHER = 3,	/* neither: the task is not visible to it */
};

/* Why vos.ko dropped a packet (VOS_A_EVENT_NET_REASON) */
enum vos_net_drop {
	VOS_DROP_RULE = 1,		/* a rule with action drop */
	VOS_DROP_SPOOF = 2,		/* not the link's source address */
	VOS_DROP_IPV6 = 3,		/* IPv6 */
	VOS_DROP_SUBSYS = 4,	/* to another subsystem, no rule naming it */
	VOS_DROP_POLICY = 5,	/* no rule matched; policy drop */
};

enum vos_attr {
	VOS_A_UNSPEC,
	VOS_A_PAD,

	/* a subsystem */
	VOS_A_SUBSYS_ID,		/* u64 */
	VOS_A_SUBSYS_NAME,		/* string, < VOS_NAME_MAX */
	VOS_A_SUBSYS_FLAGS,		/* u32: VOS_SUBSYS_* */
	VOS_A_SUBSYS_STATE,		/* u32: enum vos_state */
	VOS_A_SUBSYS_OWNER_UID,		/* u32 */
	VOS_A_SUBSYS_INIT_PID,		/* s32: in the receiver's PID ns */
	VOS_A_SUBSYS_EXIT_STATUS,	/* s32: wait status */
	VOS_A_SUBSYS_TASKS_NOW,		/* u64 */
	VOS_A_SUBSYS_TASKS_EVER,	/* u64 */
	VOS_A_SUBSYS_EXECS,		/* u64 */
	VOS_A_SUBSYS_DENIALS,		/* u64 */
	VOS_A_SUBSYS_CREATED_NS,	/* u64 */
	VOS_A_SUBSYS_PIDNS_INUM,	/* u64 */
	VOS_A_SUBSYS_NETNS_INUM,	/* u64 */
	VOS_A_SUBSYS_CGROUP_ID,		/* u64 */
	VOS_A_SUBSYS_NET_POLICY,	/* u32: enum vos_net_policy */

	/* module-wide statistics */
	VOS_A_STATS_SUBSYS_NOW,		/* u64 */
	VOS_A_STATS_SUBSYS_EVER,	/* u64 */
	VOS_A_STATS_TASKS_NOW,		/* u64: member tasks in all subsystems */
	VOS_A_STATS_EVENT_SEQ,		/* u64: last event sequence number */

	/* an event */
	VOS_A_EVENT_TYPE,		/* u32: enum vos_event_type */
	VOS_A_EVENT_SEQ,		/* u64 */
	VOS_A_EVENT_TIME_NS,		/* u64: CLOCK_BOOTTIME */
	VOS_A_EVENT_PID,		/* s32: task's pid in the subsystem's PID ns */
	VOS_A_EVENT_COMM,		/* string: task's comm */

	/* a subsystem, continued (VOS_CAP_ID_RANGE) */
	VOS_A_SUBSYS_ID_BASE,		/* u32: first host id of its range */
	VOS_A_SUBSYS_ID_COUNT,		/* u32: 0 with VOS_SUBSYS_HOST_IDS */

	/* an event, continued (VOS_EVENT_NET_DENIED) */
	VOS_A_EVENT_NET_REASON,		/* u32: enum vos_net_drop */
	VOS_A_EVENT_NET_RULE,		/* u32: the rule that dropped, from 1; 0: none */
	VOS_A_EVENT_NET_PROTO,		/* u32: IP protocol, 0 for IPv6 */
	VOS_A_EVENT_NET_SADDR,		/* u32: IPv4 source, network byte order */
	VOS_A_EVENT_NET_DADDR,		/* u32: IPv4 destination, network byte order */
	VOS_A_EVENT_NET_SPORT,		/* u32: TCP/UDP source port, else 0 */
	VOS_A_EVENT_NET_DPORT,		/* u32: TCP/UDP destination port, else 0 */
	VOS_A_EVENT_NET_SUPPRESSED,	/* u64: drops since the previous event not reported */

	/* a peer (VOS_CMD_GET_PEER) */
	VOS_A_PEER_FD,			/* s32 in: a connected AF_UNIX socket */
	VOS_A_PEER_PIDFD,		/* s32 in: a pidfd */
	VOS_A_PEER_PID,			/* s32 out: its pid in the caller's PID ns, 0: none */
	VOS_A_PEER_NS,			/* u32 out: enum vos_peer_ns */

	/* a clipboard event (VOS_EVENT_CLIP) */
	VOS_A_CLIP_OP,		/* u32: enum vos_clip_op */
	VOS_A_CLIP_SEQ,		/* u64: the content's number */
	VOS_A_CLIP_BYTES,		/* u64: its length */
	VOS_A_CLIP_MIME,		/* string: its MIME type */
	VOS_A_CLIP_SOURCE,	/* u64: id of the subsystem it came from */

	/* a crossing (VOS_EVENT_CROSSING) */
	VOS_A_CROSSING_PHASE,		/* u32: enum vos_crossing_phase */
	VOS_A_CROSSING_VERDICT,		/* u32: enum vos_crossing_verdict */
	VOS_A_CROSSING_SERVICE,		/* string: SERVICE[+ARG] */
	VOS_A_CROSSING_TARGET_ID,	/* u64: 0 for none or the host */
	VOS_A_CROSSING_TARGET_NAME,	/* string: "@host" or as the caller named it */
	VOS_A_CROSSING_CHANNEL,		/* u64: channel id, 0: none */
	VOS_A_CROSSING_BYTES_OUT,	/* u64: source to target, so far */
	VOS_A_CROSSING_BYTES_IN,	/* u64: target to source, so far */
	VOS_A_CROSSING_SUPPRESSED,	/* u64: refused crossings of this source not reported */

	/* an IPv6 drop (VOS_EVENT_NET_DENIED, VOS_CAP_NET_IPV6) */
	VOS_A_NET6_SADDR,		/* binary: its IPv6 source, 16 bytes */
	VOS_A_NET6_DADDR,		/* binary: its IPv6 destination, 16 bytes */

	__VOS_A_MAX,
	VOS_A_MAX = __VOS_A_MAX - 1,
};

#endif /* _UAPI_LINUX_VOS_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_knobs - write the kernel's global knobs that run programs as host
 * root or act on the whole machine: core_pattern ("|prog" runs prog as root
 * on every crash), kernel/modprobe and uevent_helper (run as root by the
 * kernel), sysrq-trigger; directly and through a fresh procfs or sysfs
 * mount (which would bypass read-only or masked /proc/sys binds).
 *
 * What is written is the knob's current value when it can be read (so a
 * control run changes nothing), else a recognisable attack value; the
 * runner checks from outside that every knob is unchanged. For
 * sysrq-trigger the "key" is the current console log level digit (the
 * least harmful sysrq command: it sets the level it already has).
 *
 *   esc_knobs             the attack
 *   esc_knobs --control   outside, as root: the same writes must work
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

static void try_knob(const char *path, const char *attack_val)
{
	char cur[512], what[300];
	ssize_t n = esc_read_file(path, cur, sizeof(cur));
	const char *val = attack_val;
	int r;

	if (n > 0) {
		cur[strcspn(cur, "\n")] = 0;
		val = cur;
	}
	r = esc_write_file(path, val[0] ? val : "\n");
	esc_fmt(what, sizeof(what), "write %s", path);
	if (r < 0)
		esc_refused(what, -r);
	else
		esc_escaped(what, "wrote '%s'", val);
}

static void try_sysrq(const char *path)
{
	char printk[64] = "", key[2] = "7", what[300];
	int r;

	if (esc_read_file("/proc/sys/kernel/printk", printk, sizeof(printk)) > 0 &&
	    printk[0] >= '0' && printk[0] <= '9')
		key[0] = printk[0];
	r = esc_write_file(path, key);
	esc_fmt(what, sizeof(what), "write %s", path);
	if (r < 0)
		esc_refused(what, -r);
	else
		esc_escaped(what, "sysrq command '%s' accepted", key);
}

static void all_knobs(const char *proc, const char *sys)
{
	char p[256];

	if (!proc)
		goto sys;
	snprintf(p, sizeof(p), "%s/sys/kernel/core_pattern", proc);
	try_knob(p, "|/tmp/vesc-core-handler %p");
	snprintf(p, sizeof(p), "%s/sys/kernel/modprobe", proc);
	try_knob(p, "/tmp/vesc-modprobe");
	snprintf(p, sizeof(p), "%s/sys/kernel/hotplug", proc);
	try_knob(p, "/tmp/vesc-hotplug");
	snprintf(p, sizeof(p), "%s/sys/kernel/sysrq", proc);
	try_knob(p, "1");
	snprintf(p, sizeof(p), "%s/sys/kernel/kptr_restrict", proc);
	try_knob(p, "0");
	snprintf(p, sizeof(p), "%s/sys/vm/panic_on_oom", proc);
	try_knob(p, "0");
	snprintf(p, sizeof(p), "%s/sysrq-trigger", proc);
	try_sysrq(p);
sys:
	if (sys) {
		snprintf(p, sizeof(p), "%s/kernel/uevent_helper", sys);
		try_knob(p, "/tmp/vesc-uevent-helper");
	}
}

static void fresh(const char *type, int is_proc)
{
	char dir[] = "/tmp/vesc-knob-XXXXXX", what[128];

	esc_fmt(what, sizeof(what), "mount a fresh %s", type);
	if (!mkdtemp(dir)) {
		esc_refused(what, errno);
		return;
	}
	if (mount(type, dir, type, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		esc_refused(what, errno);
		rmdir(dir);
		return;
	}
	esc_escaped(what, "mounted on %s", dir);
	if (is_proc)
		all_knobs(dir, NULL);
	else
		all_knobs(NULL, dir);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

static void remount_rw(const char *path)
{
	char what[128];

	esc_fmt(what, sizeof(what), "remount %s read-write", path);
	esc_check(what, mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL));
	esc_fmt(what, sizeof(what), "unmount %s", path);
	esc_check(what, umount2(path, MNT_DETACH));
}

int main(int argc, char **argv)
{
	bool control = esc_is_control(argc, argv);

	setvbuf(stdout, NULL, _IOLBF, 0);
	all_knobs("/proc", "/sys");
	fresh("proc", 1);
	fresh("sysfs", 0);
	if (!control) {
		/* in the control these would undo the guest's own mounts */
		remount_rw("/proc/sys");
		remount_rw("/proc/sysrq-trigger");
		remount_rw("/sys");
	}
	return esc_finish();
}

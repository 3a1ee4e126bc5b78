// SPDX-License-Identifier: GPL-2.0
/*
 * ids.c - private host id ranges, and the check of an init's id maps.
 *
 * The pool is id_blocks blocks of id_block host ids from id_base (module
 * parameters, read-only once loaded). A subsystem takes one block at
 * creation and gives it back when it is destroyed, so two live subsystems
 * never share a host uid or gid. Blocks are handed out round-robin: a block
 * just given back is the last to be reused.
 *
 * The default pool, 0x70000000..0x7ffdffff, lies above the range systemd
 * hands to containers (0x00080000..0x6fffffff) and below its "foreign"
 * range (0x7ffe0000..); no distribution gives regular users ids there.
 *
 * The bitmap and the round-robin cursor are under vos_lock.
 */

#include <linux/bitmap.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "vos.h"

static uint id_base = 0x70000000;
module_param(id_base, uint, 0444);
MODULE_PARM_DESC(id_base, "first host uid/gid of the pool of private ranges");

static uint id_block = 65536;
module_param(id_block, uint, 0444);
MODULE_PARM_DESC(id_block, "host ids per subsystem (a power of two is usual)");

static uint id_blocks = 4094;
module_param(id_blocks, uint, 0444);
MODULE_PARM_DESC(id_blocks, "number of ranges in the pool (max 1048576)");

#define VOS_ID_BLOCKS_MAX	BIT(20)

static unsigned long *vos_id_map;
static uint vos_id_cursor;

int vos_ids_init(void)
{
	u64 end = (u64)id_base + (u64)id_block * id_blocks;

	/* Never uid 0, never (uid_t)-1, never past 32 bits. */
	if (!id_base || !id_block || !id_blocks ||
	    id_blocks > VOS_ID_BLOCKS_MAX || end > U32_MAX) {
		pr_err("vos: bad id pool: id_base=%u id_block=%u id_blocks=%u (ids must lie in 1..%u)\n",
		       id_base, id_block, id_blocks, U32_MAX - 1);
		return -EINVAL;
	}
	vos_id_map = bitmap_zalloc(id_blocks, GFP_KERNEL);
	return vos_id_map ? 0 : -ENOMEM;
}

void vos_ids_uninit(void)
{
	/* Every subsystem gave its block back before the module could go. */
	WARN_ON(vos_id_map && !bitmap_empty(vos_id_map, id_blocks));
	bitmap_free(vos_id_map);
	vos_id_map = NULL;
}

/* Take a block for @s: -EUSERS when the pool is exhausted. */
int vos_ids_alloc(struct vos_subsys *s)
{
	uint bit;

	lockdep_assert_held(&vos_lock);
	bit = find_next_zero_bit(vos_id_map, id_blocks, vos_id_cursor);
	if (bit >= id_blocks)
		bit = find_first_zero_bit(vos_id_map, id_blocks);
	if (bit >= id_blocks)
		return -EUSERS;
	__set_bit(bit, vos_id_map);
	vos_id_cursor = bit + 1 < id_blocks ? bit + 1 : 0;
	s->id_base = id_base + bit * id_block;
	s->id_count = id_block;
	return 0;
}

void vos_ids_free(struct vos_subsys *s)
{
	lockdep_assert_held(&vos_lock);
	if (!s->id_count)
		return;
	__clear_bit((s->id_base - id_base) / id_block, vos_id_map);
	s->id_count = 0;
}

/*
 * Every extent of @map (a map of a child of the initial user namespace, so
 * its lower ids are host ids) inside [base, base + count). An unwritten
 * map (no extent) fails: it could still be written after the check.
 * Maps are written once; nr_extents is published after the extents.
 */
static bool vos_map_within(const struct uid_gid_map *map, u32 base, u32 count)
{
	u32 nr = READ_ONCE(map->nr_extents);
	const struct uid_gid_extent *e;
	u32 i;

	smp_rmb();	/* pairs with the smp_wmb() of map_write() */
	if (!nr)
		return false;
	e = nr <= UID_GID_MAP_MAX_BASE_EXTENTS ? map->extent : map->forward;
	for (i = 0; i < nr; i++) {
		u64 first = e[i].lower_first, last = first + e[i].count;

		if (!e[i].count || first < base || last > (u64)base + count)
			return false;
	}
	return true;
}

/*
 * May @task, about to become @s's init, run with the ids it has? It needs a
 * user namespace of its own, directly below the initial one, whose uid and
 * gid maps lie inside @s's range. With VOS_SUBSYS_HOST_IDS (a host
 * identity, no range): maps of exactly one id each, the namespace owner's
 * own uid and gid (what its creator could map without privilege: nothing
 * it does not have), or no user namespace of its own and the subsystem
 * creator's euid and egid.
 */
bool vos_ids_allowed(const struct vos_subsys *s, struct task_struct *task)
{
	const struct cred *cred;
	struct user_namespace *ns;
	bool ok;

	rcu_read_lock();
	cred = __task_cred(task);
	ns = cred->user_ns;
	if (ns == &init_user_ns) {
		ok = (s->flags & VOS_SUBSYS_HOST_IDS) &&
		     uid_eq(cred->euid, s->owner) && gid_eq(cred->egid, s->owner_gid);
	} else if (ns->parent != &init_user_ns) {
		ok = false;
	} else if (s->flags & VOS_SUBSYS_HOST_IDS) {
		ok = vos_map_within(&ns->uid_map, __kuid_val(ns->owner), 1) &&
		     vos_map_within(&ns->gid_map, __kgid_val(ns->group), 1);
	} else {
		ok = s->id_count &&
		     vos_map_within(&ns->uid_map, s->id_base, s->id_count) &&
		     vos_map_within(&ns->gid_map, s->id_base, s->id_count);
	}
	rcu_read_unlock();
	return ok;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels vos.ko builds for
 * (Debian's 6.1 and 6.12). No version test appears anywhere else.
 */
#ifndef _VOS_COMPAT_H
#define _VOS_COMPAT_H

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <linux/string.h>

/*
 * Kernel-created workers that run in a user task's thread group (io_uring
 * workers; 6.4+ also vhost workers) are made by copy_process() without the
 * sched_process_fork tracepoint, so they are not counted at fork and must
 * not be counted at exit either.
 */
#ifdef PF_USER_WORKER
#define VOS_PF_UNTRACKED	(PF_IO_WORKER | PF_USER_WORKER)
#else
#define VOS_PF_UNTRACKED	(PF_IO_WORKER)
#endif

/*
 * Is @file a pidfd for exactly @pid? pidfd_pid() is not exported, so look at
 * the file the way it does, comparing pointers only (never dereferencing
 * what the file holds): before 6.9 a pidfd is an anon inode named "[pidfd]"
 * with the struct pid in private_data; from 6.9 it lives on pidfs, with the
 * struct pid in its inode's i_private.
 */
static inline bool vos_file_is_pidfd_of(struct file *file, struct pid *pid)
{
	struct inode *inode = file_inode(file);

#ifdef PID_FS_MAGIC	/* pidfs, 6.9+ */
	return inode->i_sb->s_magic == PID_FS_MAGIC && inode->i_private == pid;
#else
	return inode->i_sb->s_magic == ANON_INODE_FS_MAGIC &&
	       file->private_data == pid &&
	       !strcmp(file->f_path.dentry->d_name.name, "[pidfd]");
#endif
}

/*
 * The struct pid a pidfd holds, or NULL if @file is no pidfd; valid while
 * @file is held. Read as vos_file_is_pidfd_of() does (pidfd_pid() is not
 * exported).
 */
static inline struct pid *vos_pidfd_pid(struct file *file)
{
	struct inode *inode = file_inode(file);

#ifdef PID_FS_MAGIC	/* pidfs, 6.9+ */
	if (inode->i_sb->s_magic == PID_FS_MAGIC)
		return inode->i_private;
#else
	if (inode->i_sb->s_magic == ANON_INODE_FS_MAGIC &&
	    !strcmp(file->f_path.dentry->d_name.name, "[pidfd]"))
		return file->private_data;
#endif
	return NULL;
}

#endif /* _VOS_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking a path up from a dentry to the task's root, crossing mount
 * points: the one walk behind the exec cwd and a policy's fd paths.
 */
#ifndef TETRAGON_PATH_WALK_H
#define TETRAGON_PATH_WALK_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct path_cursor {
	u32 done; /* reached the root: 1 */
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
};

static __always_inline void path_cursor_init(struct path_cursor *c,
					     struct task_struct *task,
					     struct dentry *dentry,
					     struct vfsmount *vfsmnt)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);

	c->root_dentry = BPF_CORE_READ(fs, root.dentry);
	c->root_mnt = BPF_CORE_READ(fs, root.mnt);
	c->dentry = dentry;
	c->vfsmnt = vfsmnt;
	c->mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
}

/*
 * One step up: true with *name the next component (the cursor moves past
 * it); false when crossing to the parent mount, or at the root (c->done).
 * Locals, not c->...: CO-RE reads must start from a kernel pointer.
 */
static __always_inline bool path_cursor_next(struct path_cursor *c,
					     const unsigned char **name)
{
	struct dentry *dentry = c->dentry;
	struct vfsmount *vfsmnt = c->vfsmnt;
	struct mount *mnt = c->mnt;
	struct dentry *parent;

	if (dentry == c->root_dentry && vfsmnt == c->root_mnt) {
		c->done = 1;
		return false;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == BPF_CORE_READ(vfsmnt, mnt_root) || dentry == parent) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		if (mnt == mnt_parent) {
			c->done = 1;
			return false;
		}
		c->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		c->mnt = mnt_parent;
		c->vfsmnt = (void *)mnt_parent + bpf_core_field_offset(struct mount, mnt);
		return false;
	}
	*name = BPF_CORE_READ(dentry, d_name.name);
	c->dentry = parent;
	return true;
}

#endif

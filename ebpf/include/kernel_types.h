/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types the programs read, declared by hand.
 *
 * Every struct is marked preserve_access_index, so clang emits CO-RE
 * relocations and the loader fixes each field offset against the running
 * kernel's BTF: only the names and types here matter, not the layout.
 */
#ifndef TETRAGON_KERNEL_TYPES_H
#define TETRAGON_KERNEL_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef signed long long s64;
typedef _Bool bool;
#define true 1
#define false 0
typedef int pid_t;

#define CORE __attribute__((preserve_access_index))

typedef struct { u32 val; } kuid_t;
typedef struct { u32 val; } kgid_t;
typedef struct { u64 val; } kernel_cap_t;
typedef struct { int counter; } atomic_t;

struct ns_common { unsigned int inum; } CORE;
struct uts_namespace { struct ns_common ns; } CORE;
struct ipc_namespace { struct ns_common ns; } CORE;
struct mnt_namespace { struct ns_common ns; } CORE;
struct pid_namespace { struct ns_common ns; } CORE;
struct net { struct ns_common ns; } CORE;
struct time_namespace { struct ns_common ns; } CORE;
struct cgroup_namespace { struct ns_common ns; } CORE;
struct user_namespace { struct ns_common ns; } CORE;

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
	struct net *net_ns;
	struct time_namespace *time_ns;
	struct time_namespace *time_ns_for_children;
	struct cgroup_namespace *cgroup_ns;
} CORE;

struct upid { int nr; struct pid_namespace *ns; } CORE;
struct pid { unsigned int level; struct upid numbers[]; } CORE;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t suid;
	kgid_t sgid;
	kuid_t euid;
	kgid_t egid;
	kuid_t fsuid;
	kgid_t fsgid;
	unsigned int securebits;
	kernel_cap_t cap_inheritable;
	kernel_cap_t cap_permitted;
	kernel_cap_t cap_effective;
	struct user_namespace *user_ns;
} CORE;

struct qstr { const unsigned char *name; } CORE;
struct dentry { struct dentry *d_parent; struct qstr d_name; } CORE;
struct vfsmount { struct dentry *mnt_root; } CORE;
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} CORE;
struct path { struct vfsmount *mnt; struct dentry *dentry; } CORE;
struct fs_struct { struct path root; struct path pwd; } CORE;

struct kernfs_node { const char *name; u64 id; } CORE;
struct cgroup { struct kernfs_node *kn; } CORE;
struct css_set { struct cgroup *dfl_cgrp; } CORE;

struct inode { unsigned short i_mode; kuid_t i_uid; kgid_t i_gid; } CORE;
struct file { struct path f_path; struct inode *f_inode; } CORE;
struct fdtable { unsigned int max_fds; struct file **fd; } CORE;
struct files_struct { struct fdtable *fdt; } CORE;
struct iovec { void *iov_base; unsigned long iov_len; };

struct mm_struct { unsigned long arg_start; unsigned long arg_end; } CORE;
struct linux_binprm { struct file *file; const char *filename; } CORE;
struct signal_struct { atomic_t live; } CORE;

struct task_struct {
	unsigned int flags;
	struct mm_struct *mm;
	int exit_code;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct pid *thread_pid;
	u64 start_boottime;
	const struct cred *cred;
	char comm[16];
	struct fs_struct *fs;
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
	kuid_t loginuid;
	struct css_set *cgroups;
} CORE;

#endif

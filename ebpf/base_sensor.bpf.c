// SPDX-License-Identifier: GPL-2.0
/*
 * The base sensor: every exec, new thread group and thread-group exit on
 * the host, from the scheduler's BTF tracepoints, posted to one ring buffer.
 */
#include "include/kernel_types.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "include/process_records.h"
#include "include/path_walk.h"
#include "include/shared_maps.h"

char LICENSE[] SEC("license") = "GPL";

#define FILENAME_MAX 4096
#define ARGS_MAX 4096
#define CWD_MAX 4096
#define CWD_COMPONENT_MAX 256
#define CWD_DEPTH_MAX 64
#define SCRATCH_SIZE 32768

struct scratch {
	u8 buf[SCRATCH_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct exec_entry);
} exec_entry_scratch SEC(".maps");

/* Records the reader never got because the ring buffer was full. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost_records SEC(".maps");

static __always_inline void submit(void *data, u64 size)
{
	if (ring_submit(data, size) < 0) {
		u32 zero = 0;
		u64 *lost = bpf_map_lookup_elem(&lost_records, &zero);

		if (lost)
			__sync_fetch_and_add(lost, 1);
	}
}

static __always_inline void read_creds(struct task_struct *task,
				       struct record_creds *c)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	c->uid = BPF_CORE_READ(cred, uid.val);
	c->gid = BPF_CORE_READ(cred, gid.val);
	c->suid = BPF_CORE_READ(cred, suid.val);
	c->sgid = BPF_CORE_READ(cred, sgid.val);
	c->euid = BPF_CORE_READ(cred, euid.val);
	c->egid = BPF_CORE_READ(cred, egid.val);
	c->fsuid = BPF_CORE_READ(cred, fsuid.val);
	c->fsgid = BPF_CORE_READ(cred, fsgid.val);
	c->securebits = BPF_CORE_READ(cred, securebits);
	c->cap_permitted = BPF_CORE_READ(cred, cap_permitted.val);
	c->cap_effective = BPF_CORE_READ(cred, cap_effective.val);
	c->cap_inheritable = BPF_CORE_READ(cred, cap_inheritable.val);
}

static __always_inline void read_namespaces(struct task_struct *task,
					    struct record_namespaces *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid upid;

	ns->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ns->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ns->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ns->pid_for_children = BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	ns->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ns->time = BPF_CORE_READ(nsp, time_ns, ns.inum);
	ns->time_for_children = BPF_CORE_READ(nsp, time_ns_for_children, ns.inum);
	ns->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	ns->user = BPF_CORE_READ(task, cred, user_ns, ns.inum);
	/* The task's own pid namespace is the one at its pid's level. */
	if (bpf_core_read(&upid, sizeof(upid), &pid->numbers[level & 31]) == 0)
		ns->pid = BPF_CORE_READ(upid.ns, ns.inum);
}

struct cwd_walk {
	struct path_cursor cursor;
	u32 start, off, flags;
};

/* One step up the cwd's dentry chain; bpf_loop keeps the verifier's work
 * to one pass over this body whatever the depth. */
static long cwd_step(u64 index, void *ctx)
{
	struct cwd_walk *w = ctx;
	const unsigned char *name = 0;
	u32 zero = 0;
	struct scratch *s;
	long n;

	if (!path_cursor_next(&w->cursor, &name))
		return w->cursor.done & 1; /* the verifier wants 0 or 1, provably */
	if (w->off - w->start >= CWD_MAX - CWD_COMPONENT_MAX) {
		w->flags |= FLAG_ERROR_PATH_COMPONENTS;
		return 1;
	}
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 1;
	n = bpf_probe_read_kernel_str(&s->buf[w->off & (SCRATCH_SIZE / 2 - 1)],
				      CWD_COMPONENT_MAX, name);
	if (n <= 0) {
		w->flags |= FLAG_ERROR_CWD;
		return 1;
	}
	w->off += n;
	return 0;
}

/*
 * Writes the cwd's components into the scratch buffer at off, from the leaf
 * up, each NUL-terminated, crossing mount points; returns the bytes written.
 */
static __always_inline u32 read_cwd(struct task_struct *task, u32 off, u32 *flags)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct cwd_walk w = {};

	path_cursor_init(&w.cursor, task, BPF_CORE_READ(fs, pwd.dentry),
			 BPF_CORE_READ(fs, pwd.mnt));
	w.start = off;
	w.off = off;
	bpf_loop(CWD_DEPTH_MAX, cwd_step, &w, 0);
	if (!w.cursor.done && !(w.flags & (FLAG_ERROR_CWD | FLAG_ERROR_PATH_COMPONENTS)))
		w.flags |= FLAG_ERROR_PATH_COMPONENTS;
	if (w.off == w.start && !w.flags)
		w.flags |= FLAG_ROOT_CWD;
	*flags |= w.flags;
	return w.off - w.start;
}

static __always_inline u32 ns_pid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid upid;

	if (bpf_core_read(&upid, sizeof(upid), &pid->numbers[level & 31]))
		return 0;
	return upid.nr;
}

/* Remembers what a policy's filters need of the process just executed. */
static __always_inline void remember_exec(struct task_struct *task,
					  struct record_exec *r,
					  struct linux_binprm *bprm)
{
	u32 zero = 0;
	struct exec_entry *e = bpf_map_lookup_elem(&exec_entry_scratch, &zero);
	long n;

	if (!e)
		return;
	e->tgid = r->pid;
	e->ppid = r->ppid;
	e->nspid = ns_pid(task);
	__builtin_memcpy(e->ns, &r->ns, sizeof(e->ns));
	e->cap_permitted = r->creds.cap_permitted;
	e->cap_effective = r->creds.cap_effective;
	e->cap_inheritable = r->creds.cap_inheritable;
	__builtin_memset(e->binary, 0, sizeof(e->binary));
	n = bpf_probe_read_kernel_str(e->binary, sizeof(e->binary),
				      BPF_CORE_READ(bprm, filename));
	e->binary_len = n > 0 ? n - 1 : 0;
	bpf_map_update_elem(&execve_map, &e->tgid, e, BPF_ANY);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);
	struct record_exec *r;
	struct mm_struct *mm;
	struct inode *inode;
	unsigned long arg_start, arg_end, args_size;
	u32 off;
	long n;

	if (!s)
		return 0;
	r = (struct record_exec *)s->buf;
	__builtin_memset(r, 0, sizeof(*r));

	r->hdr.kind = RECORD_EXEC;
	r->hdr.ktime = bpf_ktime_get_boot_ns();
	r->pid = BPF_CORE_READ(task, tgid);
	r->tid = BPF_CORE_READ(task, pid);
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->auid = BPF_CORE_READ(task, loginuid.val);
	r->flags = FLAG_EXECVE;
	read_creds(task, &r->creds);
	read_namespaces(task, &r->ns);

	inode = BPF_CORE_READ(bprm, file, f_inode);
	r->file_mode = BPF_CORE_READ(inode, i_mode);
	r->file_uid = BPF_CORE_READ(inode, i_uid.val);
	r->file_gid = BPF_CORE_READ(inode, i_gid.val);

	{
		struct cgroup *cgrp = BPF_CORE_READ(task, cgroups, dfl_cgrp);
		struct kernfs_node *kn = BPF_CORE_READ(cgrp, kn);

		r->cgroup_id = BPF_CORE_READ(kn, id);
		if (bpf_probe_read_kernel_str(r->cgroup_name, CGROUP_NAME_MAX,
					      BPF_CORE_READ(kn, name)) < 0)
			r->flags |= FLAG_ERROR_CGROUPS;
	}

	off = sizeof(*r);
	n = bpf_probe_read_kernel_str(&s->buf[off], FILENAME_MAX,
				      BPF_CORE_READ(bprm, filename));
	if (n <= 0) {
		r->flags |= FLAG_ERROR_FILENAME;
		n = 0;
	} else if (n == FILENAME_MAX) {
		r->flags |= FLAG_TRUNC_FILENAME;
	}
	r->filename_len = n;
	off += n & (FILENAME_MAX * 2 - 1);

	mm = BPF_CORE_READ(task, mm);
	arg_start = BPF_CORE_READ(mm, arg_start);
	arg_end = BPF_CORE_READ(mm, arg_end);
	args_size = arg_end > arg_start ? arg_end - arg_start : 0;
	if (args_size > ARGS_MAX) {
		args_size = ARGS_MAX;
		r->flags |= FLAG_TRUNC_ARGS;
	}
	off &= SCRATCH_SIZE / 2 - 1;
	if (args_size && bpf_probe_read_user(&s->buf[off], args_size & (ARGS_MAX * 2 - 1),
					     (void *)arg_start) < 0) {
		r->flags |= FLAG_ERROR_ARGS;
		args_size = 0;
	}
	r->args_len = args_size;
	off += args_size & (ARGS_MAX * 2 - 1);

	r->cwd_len = read_cwd(task, off, &r->flags);
	off += r->cwd_len & (CWD_MAX * 2 - 1);

	r->hdr.size = off;
	remember_exec(task, r, bprm);
	if (off > sizeof(*r) && off < SCRATCH_SIZE)
		submit(s->buf, off);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct record_clone r = {};
	u32 tgid = BPF_CORE_READ(child, tgid);

	/* A new thread joins its group; only new thread groups are processes. */
	if (tgid != BPF_CORE_READ(child, pid))
		return 0;
	r.hdr.kind = RECORD_CLONE;
	r.hdr.size = sizeof(r);
	r.hdr.ktime = bpf_ktime_get_boot_ns();
	r.pid = tgid;
	r.ppid = BPF_CORE_READ(parent, tgid);
	r.start_boottime = BPF_CORE_READ(child, start_boottime);
	r.cgroup_id = BPF_CORE_READ(child, cgroups, dfl_cgrp, kn, id);
	submit(&r, sizeof(r));

	{
		/* The child runs its parent's image until it executes. */
		struct exec_entry *parent_entry = bpf_map_lookup_elem(&execve_map, &r.ppid);
		u32 zero = 0;
		struct exec_entry *e;

		if (!parent_entry)
			return 0;
		e = bpf_map_lookup_elem(&exec_entry_scratch, &zero);
		if (!e)
			return 0;
		__builtin_memcpy(e, parent_entry, sizeof(*e));
		e->tgid = tgid;
		e->ppid = r.ppid;
		e->nspid = ns_pid(child);
		bpf_map_update_elem(&execve_map, &tgid, e, BPF_ANY);
	}
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task, bool group_dead)
{
	struct record_exit r = {};

	/* One exit per process: when the last thread of the group goes. */
	if (!group_dead)
		return 0;
	r.hdr.kind = RECORD_EXIT;
	r.hdr.size = sizeof(r);
	r.hdr.ktime = bpf_ktime_get_boot_ns();
	r.pid = BPF_CORE_READ(task, tgid);
	r.tid = BPF_CORE_READ(task, pid);
	r.exit_code = BPF_CORE_READ(task, exit_code);
	submit(&r, sizeof(r));
	bpf_map_delete_elem(&execve_map, &r.pid);
	return 0;
}

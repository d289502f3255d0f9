// SPDX-License-Identifier: GPL-2.0
/*
 * One TracingPolicy hook: a tracepoint (a syscall's sys_enter/sys_exit pair
 * included) or a uprobe. Reads the hook's arguments, evaluates its
 * selectors and runs the matched selector's actions, all in the kernel,
 * against the constant configuration tetragond writes before loading.
 */
#include "include/kernel_types.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <asm/ptrace.h>
#include "include/path_walk.h"
#include "include/shared_maps.h"

char LICENSE[] SEC("license") = "GPL";

volatile const struct gh_config CONFIG = {};

/* Scratch for one event: the record and its arguments, then room to build
 * a path and a trie key. */
#define HEAP_ARGS 65536
#define HEAP_PATH (HEAP_ARGS)
#define PATH_MAX_LEN 4096
#define HEAP_NAME (HEAP_PATH + PATH_MAX_LEN)
#define NAME_MAX_LEN 256
#define HEAP_KEY (HEAP_NAME + NAME_MAX_LEN)
#define HEAP_SIZE (HEAP_KEY + 512)
#define ARGS_LIMIT 32751 /* where arguments may still start */
#define PATH_DEPTH_MAX 64
#define IOVEC_MAX 16

struct heap {
	u8 buf[HEAP_SIZE];
};

/* Indexed by CPU: a per-CPU array cannot hold values this large. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* the loader sets the number of CPUs */
	__type(key, u32);
	__type(value, struct heap);
} heap_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gh_str_key);
	__type(value, u8);
} str_trie SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gh_int_key);
	__type(value, u8);
} int_set SEC(".maps");

/* Enforcement on (0) or monitor only (1); tetragond flips it at run time. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} mode_map SEC(".maps");

enum { STAT_POSTED = 0, STAT_LOST = 1, STAT_MATCHED = 2, STAT_RATE_LIMITED = 3, STAT_COUNT };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, u32);
	__type(value, u64);
} stats_map SEC(".maps");

/* What the entry program hands the return program. */
struct stash {
	u64 raw[GH_MAX_RAW];
	u64 ktime;
	u32 selector;
	u32 func_id;
	u32 actions_done;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, u64);
	__type(value, struct stash);
} stash_map SEC(".maps");

struct rate_key {
	u32 hook_id;
	u32 func_id;
	u64 scope;
	u64 hash;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rate_key);
	__type(value, u64);
} rate_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1); /* the loader sizes it when a selector asks for stacks */
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
} stack_map SEC(".maps");

static __always_inline void count(u32 stat)
{
	u64 *v = bpf_map_lookup_elem(&stats_map, &stat);

	if (v)
		*v += 1;
}

static __always_inline struct heap *heap(void)
{
	u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&heap_map, &cpu);
}

/* ---- the process: what the filters ask of the current task ---- */

static __always_inline u32 current_ns(struct task_struct *task, u32 kind)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	switch (kind) {
	case GH_NS_UTS:
		return BPF_CORE_READ(nsp, uts_ns, ns.inum);
	case GH_NS_IPC:
		return BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	case GH_NS_MNT:
		return BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	case GH_NS_PID: {
		struct pid *pid = BPF_CORE_READ(task, thread_pid);
		unsigned int level = BPF_CORE_READ(pid, level);
		struct upid upid;

		if (bpf_core_read(&upid, sizeof(upid), &pid->numbers[level & 31]))
			return 0;
		return BPF_CORE_READ(upid.ns, ns.inum);
	}
	case GH_NS_PID_FOR_CHILDREN:
		return BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	case GH_NS_NET:
		return BPF_CORE_READ(nsp, net_ns, ns.inum);
	case GH_NS_TIME:
		return BPF_CORE_READ(nsp, time_ns, ns.inum);
	case GH_NS_TIME_FOR_CHILDREN:
		return BPF_CORE_READ(nsp, time_ns_for_children, ns.inum);
	case GH_NS_CGROUP:
		return BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	case GH_NS_USER:
		return BPF_CORE_READ(task, cred, user_ns, ns.inum);
	}
	return 0;
}

/* The initial user namespace's inode number, fixed by the kernel. */
#define INIT_USER_NS_INUM 0xEFFFFFFDU

static __always_inline u64 current_caps(struct task_struct *task, u32 set, bool is_ns)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	/* Capabilities held in a child user namespace are not the host's. */
	if (!is_ns && BPF_CORE_READ(cred, user_ns, ns.inum) != INIT_USER_NS_INUM)
		return 0;
	switch (set) {
	case GH_CAP_EFFECTIVE:
		return BPF_CORE_READ(cred, cap_effective.val);
	case GH_CAP_INHERITABLE:
		return BPF_CORE_READ(cred, cap_inheritable.val);
	case GH_CAP_PERMITTED:
		return BPF_CORE_READ(cred, cap_permitted.val);
	}
	return 0;
}

static __always_inline u64 exec_caps(struct exec_entry *e, u32 set)
{
	switch (set) {
	case GH_CAP_EFFECTIVE:
		return e->cap_effective;
	case GH_CAP_INHERITABLE:
		return e->cap_inheritable;
	case GH_CAP_PERMITTED:
		return e->cap_permitted;
	}
	return 0;
}

/* ---- strings: trie lookups of a slot and a value's first bytes ---- */

struct reverse_ctx {
	struct heap *h;
	u32 src;
	u32 len;
};

static long reverse_byte(u64 i, void *data)
{
	struct reverse_ctx *c = data;
	u32 from;

	if (i >= c->len || i >= GH_STR_KEY)
		return 1;
	from = c->src + c->len - 1 - (u32)i;
	if (from >= HEAP_SIZE)
		return 1;
	c->h->buf[HEAP_KEY + 8 + i] = c->h->buf[from];
	return 0;
}

/*
 * Looks up the string at heap[src], len bytes (its NUL not counted), in
 * the trie under slot: exact values are stored NUL-terminated, prefixes
 * without, postfixes reversed.
 */
static __noinline bool str_lookup(u32 slot, u32 src, u32 len, bool reverse)
{
	struct heap *h = heap();
	struct gh_str_key *key;

	if (!h)
		return false;
	key = (void *)&h->buf[HEAP_KEY];
	key->prefixlen = 32 + GH_STR_KEY * 8;
	key->slot = slot;
	if (reverse) {
		struct reverse_ctx c = { .h = h, .src = src, .len = len };

		bpf_loop(GH_STR_KEY, reverse_byte, &c, 0);
	} else {
		if (src > HEAP_SIZE - GH_STR_KEY)
			return false;
		bpf_probe_read_kernel(key->data, GH_STR_KEY, &h->buf[src]);
	}
	if (len < GH_STR_KEY)
		key->data[len] = 0;
	return bpf_map_lookup_elem(&str_trie, key) != 0;
}

/* The same lookup for a string in map memory: an exec entry's binary. */
static __always_inline bool binary_lookup(u32 slot, struct exec_entry *e, bool reverse)
{
	struct heap *h = heap();

	if (!h)
		return false;
	/* Copied into the heap's name area so one lookup serves both. */
	bpf_probe_read_kernel(&h->buf[HEAP_NAME], GH_BINARY_MAX, e->binary);
	return str_lookup(slot, HEAP_NAME, e->binary_len, reverse);
}

static __always_inline bool binary_matches(u32 slot, u8 op, struct exec_entry *e)
{
	return binary_lookup(slot, e, op == GH_BIN_POSTFIX || op == GH_BIN_NOT_POSTFIX);
}

static __always_inline bool bin_op_negated(u8 op)
{
	return op == GH_BIN_NOT_IN || op == GH_BIN_NOT_PREFIX || op == GH_BIN_NOT_POSTFIX;
}

struct ancestor_walk {
	u32 tgid;
	u32 sel;
	u32 kind; /* 0: binaries, 1..: pid filter index + 1 */
	bool found;
};

static __always_inline bool pid_listed(u32 s, u32 j, u32 pid)
{
	if (s >= GH_MAX_SELECTORS || j >= GH_MAX_PID_FILTERS)
		return false;
#pragma unroll
	for (u32 i = 0; i < GH_MAX_PIDS; i++) {
		if (i >= CONFIG.sel[s].pids[j].count)
			break;
		if (CONFIG.sel[s].pids[j].values[i] == pid)
			return true;
	}
	return false;
}

/* One step up the process tree, through the exec map's parent links. */
static long ancestor_step(u64 i, void *data)
{
	struct ancestor_walk *w = data;
	struct exec_entry *e = bpf_map_lookup_elem(&execve_map, &w->tgid);
	u32 s = w->sel;

	if (!e || e->ppid == 0 || e->ppid == w->tgid || s >= GH_MAX_SELECTORS)
		return 1;
	w->tgid = e->ppid;
	e = bpf_map_lookup_elem(&execve_map, &w->tgid);
	if (!e)
		return 1;
	if (w->kind == 0) {
		w->found = binary_matches(CONFIG.sel[s].bins.slot, CONFIG.sel[s].bins.op, e);
	} else {
		u32 j = w->kind - 1;

		if (j >= GH_MAX_PID_FILTERS)
			return 1;
		w->found = pid_listed(s, j, CONFIG.sel[s].pids[j].ns_pid ? e->nspid : e->tgid);
	}
	return w->found ? 1 : 0;
}

static __always_inline bool match_pids(u32 s, u32 j, u32 tgid, struct task_struct *task)
{
	bool found;
	u32 pid = tgid;

	if (CONFIG.sel[s].pids[j].ns_pid) {
		struct exec_entry *e = bpf_map_lookup_elem(&execve_map, &tgid);

		pid = e ? e->nspid : 0;
		if (!e) {
			struct pid *p = BPF_CORE_READ(task, thread_pid);
			unsigned int level = BPF_CORE_READ(p, level);
			struct upid upid;

			if (bpf_core_read(&upid, sizeof(upid), &p->numbers[level & 31]) == 0)
				pid = upid.nr;
		}
	}
	found = pid_listed(s, j, pid);
	if (!found && CONFIG.sel[s].pids[j].follow_forks) {
		struct ancestor_walk w = { .tgid = tgid, .sel = s, .kind = j + 1 };

		bpf_loop(GH_MAX_ANCESTORS, ancestor_step, &w, 0);
		found = w.found;
	}
	return CONFIG.sel[s].pids[j].op == GH_OP_IN ? found : !found;
}

static __always_inline bool match_binaries(u32 s, u32 tgid, bool parent)
{
	struct exec_entry *e;
	u32 key = tgid;
	u8 op = parent ? CONFIG.sel[s].parent_bins.op : CONFIG.sel[s].bins.op;
	u32 slot = parent ? CONFIG.sel[s].parent_bins.slot : CONFIG.sel[s].bins.slot;
	bool found = false;

	e = bpf_map_lookup_elem(&execve_map, &key);
	if (e && parent) {
		key = e->ppid;
		e = bpf_map_lookup_elem(&execve_map, &key);
	}
	if (e)
		found = binary_matches(slot, op, e);
	if (!found && !parent && CONFIG.sel[s].bins.follow_children) {
		struct ancestor_walk w = { .tgid = tgid, .sel = s, .kind = 0 };

		bpf_loop(GH_MAX_ANCESTORS, ancestor_step, &w, 0);
		found = w.found;
	}
	return bin_op_negated(op) ? !found : found;
}

static __always_inline bool ns_listed(u32 s, u32 j, u32 inum)
{
#pragma unroll
	for (u32 i = 0; i < GH_MAX_NS_VALUES; i++) {
		if (i >= CONFIG.sel[s].ns[j].count)
			break;
		if (CONFIG.sel[s].ns[j].values[i] == inum)
			return true;
	}
	return false;
}

/* The filters that need no argument: evaluated before any is read. */
static __always_inline bool match_process(u32 s, u32 tgid, struct task_struct *task)
{
	struct exec_entry *e = 0;

#pragma unroll
	for (u32 j = 0; j < GH_MAX_PID_FILTERS; j++) {
		if (j >= CONFIG.sel[s].n_pids)
			break;
		if (!match_pids(s, j, tgid, task))
			return false;
	}
#pragma unroll
	for (u32 j = 0; j < GH_MAX_NS_FILTERS; j++) {
		bool found;

		if (j >= CONFIG.sel[s].n_ns)
			break;
		found = ns_listed(s, j, current_ns(task, CONFIG.sel[s].ns[j].kind));
		if (CONFIG.sel[s].ns[j].op == GH_OP_IN ? !found : found)
			return false;
	}
#pragma unroll
	for (u32 j = 0; j < GH_MAX_CAP_FILTERS; j++) {
		u64 caps;
		bool any;

		if (j >= CONFIG.sel[s].n_caps)
			break;
		caps = current_caps(task, CONFIG.sel[s].caps[j].set, CONFIG.sel[s].caps[j].is_ns);
		any = (caps & CONFIG.sel[s].caps[j].mask) != 0;
		if (CONFIG.sel[s].caps[j].op == GH_OP_IN ? !any : any)
			return false;
	}
	if (CONFIG.sel[s].n_capchg || CONFIG.sel[s].has_nschg)
		e = bpf_map_lookup_elem(&execve_map, &tgid);
#pragma unroll
	for (u32 j = 0; j < GH_MAX_CAP_FILTERS; j++) {
		u64 changed;
		bool any;

		if (j >= CONFIG.sel[s].n_capchg)
			break;
		if (!e)
			return false;
		changed = current_caps(task, CONFIG.sel[s].capchg[j].set, true) ^
			  exec_caps(e, CONFIG.sel[s].capchg[j].set);
		any = (changed & CONFIG.sel[s].capchg[j].mask) != 0;
		if (CONFIG.sel[s].capchg[j].op == GH_OP_IN ? !any : any)
			return false;
	}
	if (CONFIG.sel[s].has_nschg) {
		bool any = false;

		if (!e)
			return false;
#pragma unroll
		for (u32 k = 0; k < GH_NS_KINDS; k++) {
			if (!(CONFIG.sel[s].nschg_mask & (1U << k)))
				continue;
			if (current_ns(task, k) != e->ns[k])
				any = true;
		}
		if (CONFIG.sel[s].nschg_op == GH_OP_IN ? !any : any)
			return false;
	}
	if (CONFIG.sel[s].has_bins && !match_binaries(s, tgid, false))
		return false;
	if (CONFIG.sel[s].has_parent_bins && !match_binaries(s, tgid, true))
		return false;
	return true;
}

/* ---- arguments ---- */

struct args_layout {
	u32 off[GH_MAX_ARGS]; /* where each argument's value starts in the heap */
	u32 len[GH_MAX_ARGS]; /* string-like: bytes held */
	u32 end;
};

static __always_inline u64 read_field(void *ctx, u32 offset, u32 size)
{
	u64 v = 0;

	switch (size) {
	case 1:
		bpf_probe_read_kernel(&v, 1, ctx + offset);
		break;
	case 2:
		bpf_probe_read_kernel(&v, 2, ctx + offset);
		break;
	case 4:
		bpf_probe_read_kernel(&v, 4, ctx + offset);
		break;
	default:
		bpf_probe_read_kernel(&v, 8, ctx + offset);
		break;
	}
	return v;
}

/* An integer argument, widened as its type says. */
static __always_inline u64 widen(u64 v, u8 type)
{
	switch (type) {
	case GH_ARG_S32:
		return (u64)(s64)(s32)v;
	case GH_ARG_U32:
		return (u32)v;
	case GH_ARG_S16:
		return (u64)(s64)(short)v;
	case GH_ARG_U16:
		return (u16)v;
	case GH_ARG_S8:
		return (u64)(s64)(signed char)v;
	case GH_ARG_U8:
		return (u8)v;
	}
	return v;
}

static __always_inline u64 raw_value(void *ctx, u64 *raw, u8 source, u32 offset, u32 size)
{
	if (source == GH_SRC_FIELD)
		return ctx ? read_field(ctx, offset, size) : 0;
	return raw[offset < GH_MAX_RAW ? offset : 0];
}

struct fd_path_walk {
	struct path_cursor cursor;
	struct heap *h;
	u32 pos; /* the path so far is h->buf[HEAP_PATH + pos .. HEAP_PATH + PATH_MAX_LEN) */
};

/* One component of a path, written in front of what is there. */
static long fd_path_step(u64 i, void *data)
{
	struct fd_path_walk *w = data;
	const unsigned char *name = 0;
	long n;
	u32 len;

	if (!path_cursor_next(&w->cursor, &name))
		return w->cursor.done & 1; /* the verifier wants 0 or 1, provably */
	n = bpf_probe_read_kernel_str(&w->h->buf[HEAP_NAME], NAME_MAX_LEN, name);
	if (n <= 1)
		return 0;
	len = (u32)(n - 1) & (NAME_MAX_LEN - 1);
	if (w->pos < len + 1 || w->pos > PATH_MAX_LEN)
		return 1;
	w->pos -= len;
	bpf_probe_read_kernel(&w->h->buf[HEAP_PATH + (w->pos & (PATH_MAX_LEN - 1))], len,
			      &w->h->buf[HEAP_NAME]);
	w->pos -= 1;
	w->h->buf[HEAP_PATH + (w->pos & (PATH_MAX_LEN - 1))] = '/';
	return 0;
}

/* The path of the file behind fd in the current task, at heap[dst]. */
static __always_inline u32 read_fd_path(struct heap *h, u32 dst, u64 fd, u32 max)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = 0;
	struct fd_path_walk w = { .h = h, .pos = PATH_MAX_LEN };
	u32 len;

	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	if (bpf_core_read(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	path_cursor_init(&w.cursor, task, BPF_CORE_READ(file, f_path.dentry),
			 BPF_CORE_READ(file, f_path.mnt));
	bpf_loop(PATH_DEPTH_MAX, fd_path_step, &w, 0);
	if (w.pos == PATH_MAX_LEN) {
		w.pos -= 1;
		h->buf[HEAP_PATH + PATH_MAX_LEN - 1] = '/';
	}
	len = PATH_MAX_LEN - w.pos;
	if (len > max)
		len = max;
	if (len > PATH_MAX_LEN)
		return 0;
	bpf_probe_read_kernel(&h->buf[dst & (HEAP_ARGS - 1)], len,
			      &h->buf[HEAP_PATH + (w.pos & (PATH_MAX_LEN - 1))]);
	return len;
}

struct iovec_walk {
	struct heap *h;
	struct iovec *iov;
	u32 cnt;
	u32 dst;
	u32 len;
	u32 max;
	u64 total;
};

static long iovec_step(u64 i, void *data)
{
	struct iovec_walk *w = data;
	struct iovec v;
	u32 room, n;

	if (i >= w->cnt)
		return 1;
	if (bpf_probe_read_user(&v, sizeof(v), &w->iov[i]))
		return 1;
	w->total += v.iov_len;
	if (w->len >= w->max)
		return 0;
	room = w->max - w->len;
	n = v.iov_len < room ? v.iov_len : room;
	if (n > GH_MAX_DATA || w->dst + w->len > ARGS_LIMIT + 8)
		return 1;
	bpf_probe_read_user(&w->h->buf[(w->dst + w->len) & (HEAP_ARGS / 2 - 1)],
			    n & (HEAP_ARGS / 2 - 1), v.iov_base);
	w->len += n;
	return 0;
}

/*
 * Appends argument i at layout->end: its value from raw or the record,
 * pointers followed. ret is the return value, for returnCopy buffers.
 */
static __always_inline void read_arg(struct heap *h, void *ctx, u64 *raw, u32 i,
				     struct args_layout *l, s64 ret, bool at_return)
{
	u32 off = l->end;
	u8 type = CONFIG.args[i].type;
	u32 max = CONFIG.args[i].max_bytes;
	u64 v;
	long n;
	u32 len = 0, orig = 0;

	if (off > ARGS_LIMIT)
		return;
	l->off[i] = off;
	v = raw_value(ctx, raw, CONFIG.args[i].source, CONFIG.args[i].offset, CONFIG.args[i].size);
	if (type <= GH_ARG_U32 || (type >= GH_ARG_S16 && type <= GH_ARG_U8)) {
		*(u64 *)&h->buf[off & (HEAP_ARGS / 2 - 1)] = widen(v, type);
		l->end = off + 8;
		return;
	}
	/* string-like: u32 len, u32 original length, bytes */
	if (max > GH_MAX_DATA)
		max = GH_MAX_DATA;
	switch (type) {
	case GH_ARG_STRING:
		if (CONFIG.args[i].user)
			n = bpf_probe_read_user_str(&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)],
						    max & (HEAP_ARGS / 2 - 1), (void *)v);
		else
			n = bpf_probe_read_kernel_str(&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)],
						      max & (HEAP_ARGS / 2 - 1), (void *)v);
		len = n > 0 ? n - 1 : 0;
		orig = len;
		break;
	case GH_ARG_INLINE_STR:
		n = bpf_probe_read_kernel_str(&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)],
					      max & (HEAP_ARGS / 2 - 1),
					      ctx + CONFIG.args[i].offset);
		len = n > 0 ? n - 1 : 0;
		orig = len;
		break;
	case GH_ARG_DATA_LOC: {
		u32 loc = (u32)v;
		u32 at = loc & 0xffff;

		orig = loc >> 16;
		/* The stored length counts the NUL. */
		len = orig > 0 ? orig - 1 : 0;
		orig = len;
		if (len > max)
			len = max;
		if (!ctx)
			len = 0;
		if (len)
			bpf_probe_read_kernel(&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)],
					      len & (HEAP_ARGS / 2 - 1), ctx + at);
		break;
	}
	case GH_ARG_CHAR_BUF: {
		u64 size = CONFIG.args[i].has_size ?
			raw_value(ctx, raw, CONFIG.args[i].source, CONFIG.args[i].size_offset,
				  CONFIG.args[i].size_size) :
			max;

		if (CONFIG.args[i].return_copy) {
			if (!at_return)
				break;
			size = ret > 0 ? (u64)ret : 0;
		}
		orig = size > 0xffffffffULL ? 0xffffffffU : (u32)size;
		len = orig < max ? orig : max;
		if (len && bpf_probe_read_user(&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)],
					       len & (HEAP_ARGS / 2 - 1), (void *)v))
			len = 0;
		break;
	}
	case GH_ARG_CHAR_IOVEC: {
		u64 cnt = CONFIG.args[i].has_size ?
			raw_value(ctx, raw, CONFIG.args[i].source, CONFIG.args[i].size_offset,
				  CONFIG.args[i].size_size) :
			1;
		struct iovec_walk w = {
			.h = h,
			.iov = (void *)v,
			.cnt = cnt > IOVEC_MAX ? IOVEC_MAX : (u32)cnt,
			.dst = off + 8,
			.max = max,
		};

		bpf_loop(IOVEC_MAX, iovec_step, &w, 0);
		len = w.len;
		orig = w.total > 0xffffffffULL ? 0xffffffffU : (u32)w.total;
		break;
	}
	case GH_ARG_FD:
		len = read_fd_path(h, off + 8, v, max);
		orig = len;
		break;
	}
	*(u32 *)&h->buf[off & (HEAP_ARGS / 2 - 1)] = len;
	*(u32 *)&h->buf[(off + 4) & (HEAP_ARGS / 2 - 1)] = orig;
	l->len[i] = len;
	l->end = off + 8 + len;
}

static __always_inline void read_args(struct heap *h, void *ctx, u64 *raw,
				      struct args_layout *l, s64 ret, bool at_return)
{
#pragma unroll
	for (u32 i = 0; i < GH_MAX_ARGS; i++) {
		if (i >= CONFIG.n_args)
			break;
		read_arg(h, ctx, raw, i, l, ret, at_return);
	}
}

/* ---- argument filters ---- */

static __always_inline bool int_listed(u32 slot, u64 v)
{
	struct gh_int_key key = { .slot = slot, .value = v };

	return bpf_map_lookup_elem(&int_set, &key) != 0;
}

static __always_inline bool int_filter(const volatile struct gh_arg_filter *f, u64 v)
{
	bool any = false;

	switch (f->op) {
	case GH_ARG_EQUAL:
		return int_listed(f->slot, v);
	case GH_ARG_NOT_EQUAL:
		return !int_listed(f->slot, v);
	case GH_ARG_IN_RANGE:
	case GH_ARG_NOT_IN_RANGE:
#pragma unroll
		for (u32 k = 0; k < GH_MAX_INLINE; k++) {
			if (k >= f->count)
				break;
			if (f->is_signed ?
				    ((s64)v >= (s64)f->values[2 * k] &&
				     (s64)v <= (s64)f->values[2 * k + 1]) :
				    (v >= f->values[2 * k] && v <= f->values[2 * k + 1]))
				any = true;
		}
		return f->op == GH_ARG_IN_RANGE ? any : !any;
	}
#pragma unroll
	for (u32 k = 0; k < GH_MAX_INLINE; k++) {
		u64 w;

		if (k >= f->count)
			break;
		w = f->values[k];
		switch (f->op) {
		case GH_ARG_MASK:
			if (v & w)
				any = true;
			break;
		case GH_ARG_GT:
			if (f->is_signed ? (s64)v > (s64)w : v > w)
				any = true;
			break;
		case GH_ARG_LT:
			if (f->is_signed ? (s64)v < (s64)w : v < w)
				any = true;
			break;
		}
	}
	return any;
}

static __always_inline bool str_filter(const volatile struct gh_arg_filter *f, u32 src, u32 len)
{
	u8 op = f->op;
	bool reverse = op == GH_ARG_POSTFIX || op == GH_ARG_NOT_POSTFIX;
	bool found = str_lookup(f->slot, src, len, reverse);

	switch (op) {
	case GH_ARG_NOT_EQUAL:
	case GH_ARG_NOT_PREFIX:
	case GH_ARG_NOT_POSTFIX:
		return !found;
	}
	return found;
}

static __always_inline bool match_args(struct heap *h, u32 s, struct args_layout *l)
{
#pragma unroll
	for (u32 j = 0; j < GH_MAX_MATCH_ARGS; j++) {
		const volatile struct gh_arg_filter *f = &CONFIG.sel[s].args[j];
		u32 a = f->arg;
		u32 off;

		if (j >= CONFIG.sel[s].n_args)
			break;
		if (a >= GH_MAX_ARGS)
			return false;
		off = l->off[a];
		if (off > ARGS_LIMIT)
			return false;
		if (f->is_string) {
			if (!str_filter(f, off + 8, l->len[a]))
				return false;
		} else if (!int_filter(f, *(u64 *)&h->buf[off & (HEAP_ARGS / 2 - 1)])) {
			return false;
		}
	}
	return true;
}

static __always_inline bool match_return(u32 s, s64 ret)
{
#pragma unroll
	for (u32 j = 0; j < GH_MAX_MATCH_ARGS; j++) {
		if (j >= CONFIG.sel[s].n_ret)
			break;
		if (!int_filter(&CONFIG.sel[s].ret[j], widen((u64)ret, CONFIG.ret_type)))
			return false;
	}
	return true;
}

/* ---- actions and the record ---- */

static __always_inline bool enforcing(void)
{
	u32 zero = 0;
	u32 *mode = bpf_map_lookup_elem(&mode_map, &zero);

	return !mode || *mode == 0;
}

/* A hash of each argument's first 16 bytes, for Post's rateLimit. */
static __always_inline u64 args_hash(struct heap *h, struct args_layout *l)
{
	u64 hash = 14695981039346656037ULL;

#pragma unroll
	for (u32 i = 0; i < GH_MAX_ARGS; i++) {
		u64 a = 0, b = 0;
		u32 off;

		if (i >= CONFIG.n_args)
			break;
		off = l->off[i];
		if (off > ARGS_LIMIT)
			break;
		if (CONFIG.args[i].type <= GH_ARG_U32 ||
		    (CONFIG.args[i].type >= GH_ARG_S16 && CONFIG.args[i].type <= GH_ARG_U8)) {
			a = *(u64 *)&h->buf[off & (HEAP_ARGS / 2 - 1)];
		} else {
			u32 len = l->len[i];

			a = *(u64 *)&h->buf[(off + 8) & (HEAP_ARGS / 2 - 1)];
			b = *(u64 *)&h->buf[(off + 16) & (HEAP_ARGS / 2 - 1)];
			if (len < 8)
				a &= (1ULL << (len * 8)) - 1;
			if (len < 16)
				b = len <= 8 ? 0 : b & ((1ULL << ((len - 8) * 8)) - 1);
		}
		hash = (hash ^ a) * 1099511628211ULL;
		hash = (hash ^ b) * 1099511628211ULL;
	}
	return hash;
}

static __always_inline bool rate_limited(struct heap *h, struct args_layout *l, u32 s,
					 u32 k, u32 func_id)
{
	struct rate_key key = {
		.hook_id = CONFIG.hook_id,
		.func_id = func_id | (s << 24),
		.hash = args_hash(h, l),
	};
	u64 now = bpf_ktime_get_ns();
	u64 *last;

	switch (CONFIG.sel[s].actions[k].scope) {
	case GH_SCOPE_THREAD:
		key.scope = bpf_get_current_pid_tgid();
		break;
	case GH_SCOPE_PROCESS:
		key.scope = bpf_get_current_pid_tgid() >> 32;
		break;
	}
	last = bpf_map_lookup_elem(&rate_map, &key);
	if (last && now - *last < CONFIG.sel[s].actions[k].rate_ns)
		return true;
	bpf_map_update_elem(&rate_map, &key, &now, BPF_ANY);
	return false;
}

/* Runs the kernel actions of selector s; returns the action bits. */
static __always_inline u32 run_actions(u32 s)
{
	u32 bits = 0;
	bool enforce = enforcing();

#pragma unroll
	for (u32 k = 0; k < GH_MAX_ACTIONS; k++) {
		u8 kind;

		if (k >= CONFIG.sel[s].n_actions)
			break;
		kind = CONFIG.sel[s].actions[k].kind;
		bits |= 1U << kind;
		if (!enforce)
			continue;
		if (kind == GH_ACT_SIGKILL)
			bpf_send_signal(9);
		else if (kind == GH_ACT_SIGNAL)
			bpf_send_signal(CONFIG.sel[s].actions[k].arg);
	}
	return bits;
}

/* Whether selector s posts this event, given its Post/NoPost actions. */
static __always_inline bool should_post(struct heap *h, struct args_layout *l, u32 s,
					u32 func_id)
{
	bool post = true;

#pragma unroll
	for (u32 k = 0; k < GH_MAX_ACTIONS; k++) {
		if (k >= CONFIG.sel[s].n_actions)
			break;
		if (CONFIG.sel[s].actions[k].kind == GH_ACT_NOPOST)
			post = false;
		if (CONFIG.sel[s].actions[k].kind == GH_ACT_POST &&
		    CONFIG.sel[s].actions[k].rate_ns && rate_limited(h, l, s, k, func_id)) {
			count(STAT_RATE_LIMITED);
			return false;
		}
	}
	return post;
}

static __always_inline bool wants_stack(u32 s, bool user)
{
#pragma unroll
	for (u32 k = 0; k < GH_MAX_ACTIONS; k++) {
		if (k >= CONFIG.sel[s].n_actions)
			break;
		if (user ? CONFIG.sel[s].actions[k].user_stack : CONFIG.sel[s].actions[k].kernel_stack)
			return true;
	}
	return false;
}

static __always_inline void post(void *ctx, struct heap *h, struct args_layout *l, u32 s,
				 u32 func_id, u64 ktime, s64 ret, u32 flags, u32 actions)
{
	struct record_generic *r = (void *)h->buf;
	u64 size = l->end;

	r->hdr.kind = RECORD_GENERIC;
	r->hdr.ktime = ktime;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->tid = (u32)bpf_get_current_pid_tgid();
	r->hook_id = CONFIG.hook_id;
	r->func_id = func_id;
	r->ret = ret;
	r->flags = flags;
	r->selector = s;
	r->action = actions;
	r->args_len = l->end - sizeof(*r);
	r->kernel_stack_id = -1;
	r->user_stack_id = -1;
	if (s < GH_MAX_SELECTORS) {
		if (wants_stack(s, false))
			r->kernel_stack_id = bpf_get_stackid(ctx, &stack_map, 0);
		if (wants_stack(s, true))
			r->user_stack_id = bpf_get_stackid(ctx, &stack_map, BPF_F_USER_STACK);
	}
	if (size > HEAP_ARGS)
		return;
	r->hdr.size = size;
	if (ring_submit(h->buf, size) < 0)
		count(STAT_LOST);
	else
		count(STAT_POSTED);
}

/* ---- the hooks ---- */

/* Deep enough for /kubepods/<qos>/pod<uid>/<container> under a few
 * levels of the host's own hierarchy. */
#define GH_CGROUP_DEPTH 8

/*
 * A scoped policy (namespaced, podSelector, containerSelector) sees only
 * processes whose cgroup, or one of its ancestors, is listed for it:
 * listing a pod's cgroup covers every container the pod will have.
 */
static __always_inline bool in_policy_scope(void)
{
	struct policy_filter_key k = { .policy_id = CONFIG.policy_id };

	if (!CONFIG.policy_id)
		return true;
#pragma unroll
	for (int level = 1; level <= GH_CGROUP_DEPTH; level++) {
		k.cgroup_id = bpf_get_current_ancestor_cgroup_id(level);
		if (!k.cgroup_id)
			return false;
		if (bpf_map_lookup_elem(&policy_filter, &k))
			return true;
	}
	return false;
}

/*
 * The entry half: filters the call; then posts it, or, with a return
 * program, stashes what that needs.
 */
static __always_inline int on_entry(void *ctx, void *record, u64 *raw, u32 func_id)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	u32 candidates = 0, matched = ~0U, actions = 0;
	struct args_layout l = { .end = sizeof(struct record_generic) };
	struct heap *h;
	u64 ktime;

	if (!in_policy_scope())
		return 0;
	if (CONFIG.n_selectors == 0) {
		candidates = 1;
	} else {
#pragma unroll
		for (u32 s = 0; s < GH_MAX_SELECTORS; s++) {
			if (s >= CONFIG.n_selectors)
				break;
			if (match_process(s, tgid, task))
				candidates |= 1U << s;
		}
	}
	if (!candidates)
		return 0;
	h = heap();
	if (!h)
		return 0;
	read_args(h, record, raw, &l, 0, false);
	if (CONFIG.n_selectors) {
#pragma unroll
		for (u32 s = 0; s < GH_MAX_SELECTORS; s++) {
			if (!(candidates & (1U << s)))
				continue;
			if (match_args(h, s, &l)) {
				matched = s;
				break;
			}
		}
		if (matched == ~0U)
			return 0;
	}
	count(STAT_MATCHED);
	/* Only calls that matched pay for the clock. */
	ktime = bpf_ktime_get_boot_ns();
	if (CONFIG.has_return) {
		struct stash st = { .ktime = ktime, .selector = matched, .func_id = func_id };

		__builtin_memcpy(st.raw, raw, sizeof(st.raw));
		if (matched < GH_MAX_SELECTORS && CONFIG.sel[matched].n_ret == 0) {
			st.actions_done = 1;
			run_actions(matched);
		}
		bpf_map_update_elem(&stash_map, &pid_tgid, &st, BPF_ANY);
		return 0;
	}
	if (matched < GH_MAX_SELECTORS) {
		actions = run_actions(matched);
		if (!should_post(h, &l, matched, func_id))
			return 0;
	}
	post(ctx, h, &l, matched, func_id, ktime, 0, 0, actions);
	return 0;
}

/* The return half: the return value, its filters, the event. */
static __always_inline int on_return(void *ctx, s64 ret)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct stash *found = bpf_map_lookup_elem(&stash_map, &pid_tgid);
	struct args_layout l = { .end = sizeof(struct record_generic) };
	struct stash st;
	struct heap *h;
	u32 s, actions = 0;

	if (!found)
		return 0;
	st = *found;
	bpf_map_delete_elem(&stash_map, &pid_tgid);
	s = st.selector;
	h = heap();
	if (!h)
		return 0;
	if (s < GH_MAX_SELECTORS) {
		if (CONFIG.sel[s].n_ret && !match_return(s, ret))
			return 0;
	}
	read_args(h, 0, st.raw, &l, ret, true);
	if (s < GH_MAX_SELECTORS) {
		if (st.actions_done) {
#pragma unroll
			for (u32 k = 0; k < GH_MAX_ACTIONS; k++) {
				if (k >= CONFIG.sel[s].n_actions)
					break;
				actions |= 1U << CONFIG.sel[s].actions[k].kind;
			}
		} else {
			actions = run_actions(s);
		}
		if (!should_post(h, &l, s, st.func_id))
			return 0;
	}
	post(ctx, h, &l, s, st.func_id, st.ktime, ret, GH_FLAG_RETURN, actions);
	return 0;
}

/* syscalls:sys_enter_* records: common fields, the number, six arguments. */
struct sys_enter_record {
	u64 common;
	s64 nr;
	u64 args[GH_MAX_RAW];
};

struct sys_exit_record {
	u64 common;
	s64 nr;
	s64 ret;
};

SEC("tracepoint")
int generic_tracepoint(void *ctx)
{
	u64 raw[GH_MAX_RAW] = {};
	u32 func_id = CONFIG.func_id;

	if (CONFIG.syscall) {
		struct sys_enter_record *r = ctx;

		/* Read, not loaded: a syscall with fewer arguments has a shorter
		 * record, and the kernel refuses programs that load past it. */
		bpf_probe_read_kernel(raw, sizeof(raw), r->args);
		func_id = (u32)r->nr;
	}
	return on_entry(ctx, ctx, raw, func_id);
}

SEC("tracepoint")
int generic_tracepoint_return(void *ctx)
{
	struct sys_exit_record *r = ctx;

	return on_return(ctx, r->ret);
}

SEC("uprobe")
int generic_uprobe(struct pt_regs *ctx)
{
	u64 raw[GH_MAX_RAW];

	raw[0] = PT_REGS_PARM1(ctx);
	raw[1] = PT_REGS_PARM2(ctx);
	raw[2] = PT_REGS_PARM3(ctx);
	raw[3] = PT_REGS_PARM4(ctx);
	raw[4] = PT_REGS_PARM5(ctx);
#if defined(__TARGET_ARCH_x86)
	raw[5] = ctx->r9;
#elif defined(__TARGET_ARCH_arm64)
	raw[5] = ((struct user_pt_regs *)ctx)->regs[5];
#else
	raw[5] = 0;
#endif
	return on_entry(ctx, 0, raw, CONFIG.func_id);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration tetragond writes into a generic hook's read-only data
 * before loading it, and the record the hook posts. One TracingPolicy hook
 * is one load of generic_hook.bpf.o: with the configuration constant, the
 * verifier prunes every filter the policy does not use, so an unused
 * feature costs nothing at run time.
 *
 * Mirrored by tetragond/src/policy/kernel_abi.rs: keep both sides in step.
 */
#ifndef TETRAGON_GENERIC_CONFIG_H
#define TETRAGON_GENERIC_CONFIG_H

#include "kernel_types.h"
#include "process_records.h"

#define GH_MAX_ARGS 5
#define GH_MAX_RAW 6
#define GH_MAX_SELECTORS 5
#define GH_MAX_MATCH_ARGS 5
#define GH_MAX_INLINE 8
#define GH_MAX_PID_FILTERS 2
#define GH_MAX_PIDS 16
#define GH_MAX_NS_FILTERS 10
#define GH_MAX_NS_VALUES 8
#define GH_MAX_CAP_FILTERS 3
#define GH_MAX_ACTIONS 4
#define GH_MAX_ANCESTORS 32

/* Strings compared in the kernel: the first bytes of a value. */
#define GH_STR_KEY 252
#define GH_STR_MATCH_MAX 248

#define GH_CHAR_BUF_MAX 4096
#define GH_MAX_DATA 32736
#define GH_BINARY_MAX 256

enum gh_arg_type {
	GH_ARG_NONE = 0,
	GH_ARG_S64 = 1, /* int64, long */
	GH_ARG_U64 = 2, /* uint64, size_t */
	GH_ARG_S32 = 3, /* int, int32 */
	GH_ARG_U32 = 4, /* uint32 */
	GH_ARG_STRING = 5, /* NUL-terminated, from a pointer */
	GH_ARG_CHAR_BUF = 6, /* bytes from a pointer and a size */
	GH_ARG_CHAR_IOVEC = 7, /* bytes from an iovec array and a count */
	GH_ARG_FD = 8, /* a file descriptor, posted as its file's path */
	GH_ARG_S16 = 9,
	GH_ARG_U16 = 10,
	GH_ARG_S8 = 11,
	GH_ARG_U8 = 12,
	GH_ARG_DATA_LOC = 13, /* a tracepoint's __data_loc string */
	GH_ARG_INLINE_STR = 14, /* a tracepoint's char[N] field */
};

/* Where an argument's raw value comes from. */
enum gh_source {
	GH_SRC_RAW = 0, /* raw[offset]: a syscall argument or a register */
	GH_SRC_FIELD = 1, /* a tracepoint record field at offset, size bytes */
};

struct gh_arg {
	u8 type;
	u8 source;
	u8 user; /* the pointer is user memory */
	u8 return_copy; /* read at return, size = return value */
	u16 offset;
	u8 size; /* field size, for GH_SRC_FIELD */
	u8 has_size;
	u16 size_offset; /* where the size is: raw index or field offset */
	u8 size_size; /* field size of the size, for GH_SRC_FIELD */
	u8 pad;
	u32 max_bytes;
};

enum gh_set_op {
	GH_OP_IN = 0,
	GH_OP_NOT_IN = 1,
};

enum gh_arg_op {
	GH_ARG_EQUAL = 0,
	GH_ARG_NOT_EQUAL = 1,
	GH_ARG_PREFIX = 2,
	GH_ARG_NOT_PREFIX = 3,
	GH_ARG_POSTFIX = 4,
	GH_ARG_NOT_POSTFIX = 5,
	GH_ARG_MASK = 6,
	GH_ARG_GT = 7,
	GH_ARG_LT = 8,
	GH_ARG_IN_RANGE = 9,
	GH_ARG_NOT_IN_RANGE = 10,
};

struct gh_pid_filter {
	u8 op;
	u8 follow_forks;
	u8 ns_pid;
	u8 count;
	u32 values[GH_MAX_PIDS];
};

/* Namespace kinds, in record_namespaces order. */
enum gh_ns_kind {
	GH_NS_UTS = 0,
	GH_NS_IPC = 1,
	GH_NS_MNT = 2,
	GH_NS_PID = 3,
	GH_NS_PID_FOR_CHILDREN = 4,
	GH_NS_NET = 5,
	GH_NS_TIME = 6,
	GH_NS_TIME_FOR_CHILDREN = 7,
	GH_NS_CGROUP = 8,
	GH_NS_USER = 9,
	GH_NS_KINDS = 10,
};

struct gh_ns_filter {
	u8 kind;
	u8 op;
	u8 count;
	u8 pad;
	u32 values[GH_MAX_NS_VALUES];
};

enum gh_cap_set {
	GH_CAP_EFFECTIVE = 0,
	GH_CAP_INHERITABLE = 1,
	GH_CAP_PERMITTED = 2,
};

struct gh_cap_filter {
	u8 set;
	u8 op;
	u8 is_ns; /* isNamespaceCapability */
	u8 pad[5];
	u64 mask;
};

/* Binary filters look their values up in the string trie under slot. */
enum gh_bin_op {
	GH_BIN_IN = 0,
	GH_BIN_NOT_IN = 1,
	GH_BIN_PREFIX = 2,
	GH_BIN_NOT_PREFIX = 3,
	GH_BIN_POSTFIX = 4,
	GH_BIN_NOT_POSTFIX = 5,
};

struct gh_bin_filter {
	u8 op;
	u8 follow_children;
	u8 pad[2];
	u32 slot;
};

/*
 * One matchArgs / matchReturnArgs entry. Integer Equal/NotEqual look their
 * values up in the integer set under slot; string operators in the trie;
 * Mask, GT, LT and ranges compare with the inline values (ranges as pairs).
 */
#define GH_ARG_RETURN 0xff
struct gh_arg_filter {
	u8 arg; /* position in gh_config.args, or GH_ARG_RETURN */
	u8 op;
	u8 count;
	u8 is_signed;
	u8 is_string;
	u8 pad[3];
	u32 slot;
	u32 pad2;
	u64 values[GH_MAX_INLINE * 2];
};

enum gh_action_kind {
	GH_ACT_POST = 1,
	GH_ACT_NOPOST = 2,
	GH_ACT_SIGKILL = 3,
	GH_ACT_SIGNAL = 4,
	GH_ACT_USER = 5, /* done by tetragond on the event: GetUrl, DnsLookup */
};

enum gh_rate_scope {
	GH_SCOPE_THREAD = 0,
	GH_SCOPE_PROCESS = 1,
	GH_SCOPE_GLOBAL = 2,
};

struct gh_action {
	u8 kind;
	u8 scope;
	u8 kernel_stack;
	u8 user_stack;
	s32 arg; /* the signal */
	u64 rate_ns; /* Post's rateLimit; 0 for none */
};

struct gh_selector {
	u8 n_pids;
	u8 n_ns;
	u8 n_caps;
	u8 n_capchg;
	u8 n_args;
	u8 n_ret;
	u8 n_actions;
	u8 has_bins;
	u8 has_parent_bins;
	u8 has_nschg;
	u8 nschg_op;
	u8 pad;
	u32 nschg_mask; /* bit per gh_ns_kind */
	struct gh_pid_filter pids[GH_MAX_PID_FILTERS];
	struct gh_ns_filter ns[GH_MAX_NS_FILTERS];
	struct gh_cap_filter caps[GH_MAX_CAP_FILTERS];
	struct gh_cap_filter capchg[GH_MAX_CAP_FILTERS];
	struct gh_bin_filter bins;
	struct gh_bin_filter parent_bins;
	struct gh_arg_filter args[GH_MAX_MATCH_ARGS];
	struct gh_arg_filter ret[GH_MAX_MATCH_ARGS];
	struct gh_action actions[GH_MAX_ACTIONS];
};

struct gh_config {
	u32 hook_id; /* tetragond's name for this hook, in every record */
	u8 n_args;
	u8 n_selectors;
	u8 has_return; /* a return program posts; the entry one stashes */
	u8 ret_type; /* gh_arg_type of the return value */
	u8 syscall; /* the record is a syscalls:sys_enter_* one */
	u8 pad[3];
	u32 func_id; /* reported when the record has no syscall number */
	/* 0: every process; else only processes in the cgroups (pods,
	 * containers) that policy_filter lists under this id */
	u32 policy_id;
	u32 pad2;
	struct gh_arg args[GH_MAX_ARGS];
	struct gh_selector sel[GH_MAX_SELECTORS];
};

/* Key of the string trie: slot, then the string (or its reverse). */
struct gh_str_key {
	u32 prefixlen;
	u32 slot;
	u8 data[GH_STR_KEY];
};

struct gh_int_key {
	u32 slot;
	u32 pad;
	u64 value;
};

/* A cgroup a scoped policy applies to: a pod's, or a container's. */
struct policy_filter_key {
	u32 policy_id;
	u32 pad;
	u64 cgroup_id;
};

/* What the base sensor keeps per thread group for the policy programs. */
struct exec_entry {
	u32 tgid;
	u32 ppid;
	u32 nspid;
	u32 binary_len;
	u32 ns[GH_NS_KINDS];
	u64 cap_permitted, cap_effective, cap_inheritable;
	char binary[GH_BINARY_MAX];
};

#define RECORD_GENERIC 4

#define GH_FLAG_RETURN 0x1 /* ret is set */

/*
 * Followed by the arguments in gh_config.args order: integers as 8 bytes;
 * strings, buffers and paths as u32 length, u32 original length, bytes.
 */
struct record_generic {
	struct record_header hdr;
	u32 pid, tid;
	u32 hook_id;
	u32 func_id;
	s64 ret;
	u32 flags;
	u32 selector; /* the selector that matched, 0-based; ~0 with none */
	u32 action; /* the matched selector's action kinds, a bit each */
	u32 args_len;
	s64 kernel_stack_id;
	s64 user_stack_id;
};

#endif

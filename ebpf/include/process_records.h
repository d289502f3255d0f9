/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records the base sensor posts to the ring buffer. tetragond decodes them
 * in tetragond/src/bpf/records.rs: keep both sides in step.
 */
#ifndef TETRAGON_PROCESS_RECORDS_H
#define TETRAGON_PROCESS_RECORDS_H

#include "kernel_types.h"

enum record_kind {
	RECORD_EXEC = 1,
	RECORD_CLONE = 2,
	RECORD_EXIT = 3,
};

/* Bits of record_exec.flags, as upstream numbers them where it has them. */
#define FLAG_EXECVE 0x01
#define FLAG_TRUNC_ARGS 0x10
#define FLAG_ERROR_FILENAME 0x100
#define FLAG_ERROR_ARGS 0x200
#define FLAG_ROOT_CWD 0x1000
#define FLAG_ERROR_CWD 0x2000
#define FLAG_ERROR_CGROUPS 0x100000
#define FLAG_ERROR_PATH_COMPONENTS 0x400000
/* Not one of upstream's bits: ours, beside theirs. */
#define FLAG_TRUNC_FILENAME 0x8000000

struct record_header {
	u32 kind;
	u32 size; /* the whole record, header included */
	u64 ktime; /* bpf_ktime_get_boot_ns() */
};

struct record_creds {
	u32 uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
	u32 securebits;
	u32 pad;
	u64 cap_permitted, cap_effective, cap_inheritable;
};

struct record_namespaces {
	u32 uts, ipc, mnt, pid, pid_for_children, net, time,
	    time_for_children, cgroup, user;
};

#define CGROUP_NAME_MAX 128

/*
 * Followed by three NUL-separated blocks, lengths in the record:
 * the filename as executed, the raw argv block (argv[0] included),
 * and the cwd as path components from the leaf up, each NUL-terminated.
 */
struct record_exec {
	struct record_header hdr;
	u32 pid, tid, ppid, auid;
	u32 flags;
	u32 filename_len, args_len, cwd_len;
	u64 cgroup_id;
	struct record_creds creds;
	struct record_namespaces ns;
	u32 file_mode, file_uid, file_gid, pad;
	char cgroup_name[CGROUP_NAME_MAX];
};

/* A new thread group (not a new thread): fork/clone without CLONE_THREAD. */
struct record_clone {
	struct record_header hdr;
	u32 pid, ppid;
	u64 start_boottime;
	u64 cgroup_id;
};

/* The last thread of a thread group has exited. */
struct record_exit {
	struct record_header hdr;
	u32 pid, tid;
	u32 exit_code, pad;
};

#endif

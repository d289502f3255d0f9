/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps the base sensor owns and every policy program shares: tetragond
 * loads a policy with these pinned from the base sensor's, so all records
 * reach one ring buffer and every hook sees the same process table.
 */
#ifndef TETRAGON_SHARED_MAPS_H
#define TETRAGON_SHARED_MAPS_H

#include "generic_config.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 2 * 1024 * 1024); /* the loader sets the size in use */
} events SEC(".maps");

/* Per thread group: binary, parent, and the namespaces and capabilities
 * at exec, for matchBinaries, followForks and the *Changes filters. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, u32);
	__type(value, struct exec_entry);
} execve_map SEC(".maps");

/* Which cgroups each pod-scoped policy applies to; tetragond keeps it in
 * step with the pods it knows. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 32768);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct policy_filter_key);
	__type(value, u8);
} policy_filter SEC(".maps");

/* Submitting without a wake-up halves the hook's cost; the reader is
 * woken once this much is queued, and polls on a short timer otherwise. */
#define WAKEUP_THRESHOLD (256 * 1024)

static __always_inline long ring_submit(void *data, u64 size)
{
	u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= WAKEUP_THRESHOLD)
		flags = BPF_RB_FORCE_WAKEUP;
	return bpf_ringbuf_output(&events, data, size, flags);
}

#endif

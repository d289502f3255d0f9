// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probes: the smallest program of each kind the agent relies on.
 * User space loads each one on its own (and attaches most of them for a
 * moment) to learn what the running kernel accepts. None of them reads
 * kernel memory, so there are no CO-RE relocations and no kernel types.
 * No maps either: a map type the kernel lacks would fail the whole object,
 * and the ring buffer is probed on its own.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct pt_regs;

/* Classic tracepoint: attached to a sched and a syscalls tracepoint. */
SEC("tracepoint")
int probe_tracepoint(void *ctx)
{
	return 0;
}

SEC("raw_tracepoint")
int probe_raw_tracepoint(void *ctx)
{
	return 0;
}

SEC("tp_btf")
int probe_btf_tracepoint(void *ctx)
{
	return 0;
}

SEC("kprobe")
int probe_kprobe(void *ctx)
{
	return 0;
}

/* Never attached: the verifier refuses the helper call when the kernel was
 * built without CONFIG_BPF_KPROBE_OVERRIDE. */
SEC("kprobe")
int probe_override_return(struct pt_regs *ctx)
{
	bpf_override_return(ctx, 0);
	return 0;
}

SEC("fentry")
int probe_fentry(void *ctx)
{
	return 0;
}

SEC("fexit")
int probe_fexit(void *ctx)
{
	return 0;
}

SEC("lsm")
int probe_lsm(void *ctx)
{
	return 0;
}

SEC("uprobe")
int probe_uprobe(void *ctx)
{
	return 0;
}

/* Never attached: loading is the test, and signal 0 keeps it harmless. */
SEC("tracepoint")
int probe_send_signal(void *ctx)
{
	bpf_send_signal(0);
	return 0;
}

static long loop_step(__u32 index, void *data)
{
	return 0;
}

/* Never attached: the verifier must know bpf_loop and its callback. */
SEC("tracepoint")
int probe_bpf_loop(void *ctx)
{
	bpf_loop(4, loop_step, NULL, 0);
	return 0;
}

/* Never attached: under confidentiality lockdown the verifier no longer
 * offers bpf_probe_read_kernel, and every hook that reads arguments needs it. */
SEC("tracepoint")
int probe_kernel_read(void *ctx)
{
	long value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), ctx);
	return value == 0;
}

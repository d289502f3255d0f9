//! The kernel programs built by build.rs, embedded in the binary.

/// `ebpf/base_sensor.bpf.c`: exec, fork and exit tracepoints.
pub static BASE_SENSOR: &[u8] =
    aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/base_sensor.bpf.o"));

/// `ebpf/generic_hook.bpf.c`: one TracingPolicy hook, configured per load.
pub static GENERIC_HOOK: &[u8] =
    aya::include_bytes_aligned!(concat!(env!("OUT_DIR"), "/generic_hook.bpf.o"));

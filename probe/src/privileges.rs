//! What this process may do: read from its effective capability set.

const CAP_SYS_ADMIN: u32 = 21;
const CAP_PERFMON: u32 = 38;
const CAP_BPF: u32 = 39;

/// The effective capability mask from /proc/self/status (0 when unreadable).
fn effective_caps() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| parse_cap_eff(&status))
        .unwrap_or(0)
}

fn parse_cap_eff(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
}

fn has(caps: u64, cap: u32) -> bool {
    caps & (1 << cap) != 0
}

/// Whether the process may load and attach tracing programs.
pub(crate) fn can_use_bpf() -> bool {
    let caps = effective_caps();
    has(caps, CAP_SYS_ADMIN) || (has(caps, CAP_BPF) && has(caps, CAP_PERFMON))
}

/// Whether the process may mount filesystems.
pub(crate) fn can_mount() -> bool {
    has(effective_caps(), CAP_SYS_ADMIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_effective_set() {
        let status = "Name:\tx\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n\
                      CapEff:\t000000c000000000\nCapBnd:\t000001ffffffffff\n";
        let caps = parse_cap_eff(status).unwrap();
        assert!(has(caps, CAP_BPF) && has(caps, CAP_PERFMON));
        assert!(!has(caps, CAP_SYS_ADMIN));
        assert_eq!(parse_cap_eff("Name:\tx\n"), None);
    }
}

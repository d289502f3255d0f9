//! What the kernel is and offers: uname, the BPF-relevant part of its build
//! configuration, BPF sysctls, the mounts BPF needs, lockdown, BTF, and the
//! feature report of `tetra probe`.

use std::{fs, io::Read, path::Path};

use anyhow::{Context, Result, bail};
use tetragon_probe::KernelReport;

use super::bundle::{Bundle, Keep};

/// Configuration options that decide what tetragond can do. A name matches
/// when it starts with one of these.
const CONFIG_PREFIXES: &[&str] = &[
    "CONFIG_BPF",
    "CONFIG_HAVE_EBPF_JIT",
    "CONFIG_DEBUG_INFO_BTF",
    "CONFIG_DEBUG_INFO_DWARF",
    "CONFIG_KPROBE",
    "CONFIG_HAVE_KPROBES",
    "CONFIG_UPROBE",
    "CONFIG_FPROBE",
    "CONFIG_FTRACE",
    "CONFIG_FUNCTION_TRACER",
    "CONFIG_FUNCTION_ERROR_INJECTION",
    "CONFIG_DYNAMIC_FTRACE",
    "CONFIG_HAVE_DYNAMIC_FTRACE",
    "CONFIG_TRACING",
    "CONFIG_TRACEPOINTS",
    "CONFIG_EVENT_TRACING",
    "CONFIG_PERF_EVENTS",
    "CONFIG_KALLSYMS",
    "CONFIG_DEBUG_FS",
    "CONFIG_SECURITYFS",
    "CONFIG_SECURITY_LOCKDOWN",
    "CONFIG_LOCK_DOWN",
    "CONFIG_LSM",
    "CONFIG_IMA",
    "CONFIG_CGROUP_BPF",
    "CONFIG_CGROUPS",
    "CONFIG_NET_CLS_BPF",
    "CONFIG_NET_ACT_BPF",
    "CONFIG_NET_SCH_INGRESS",
    "CONFIG_SOCK_CGROUP_DATA",
    "CONFIG_MODULES",
    "CONFIG_PREEMPT",
];

/// Sysctls that change what BPF may do or what it reports.
const SYSCTLS: &[&str] = &[
    "kernel/unprivileged_bpf_disabled",
    "kernel/bpf_stats_enabled",
    "kernel/perf_event_paranoid",
    "kernel/perf_event_max_stack",
    "kernel/kptr_restrict",
    "net/core/bpf_jit_enable",
    "net/core/bpf_jit_harden",
    "net/core/bpf_jit_kallsyms",
    "net/core/bpf_jit_limit",
];

/// Filesystem types whose mounts BPF work depends on.
const MOUNT_TYPES: &[&str] = &[
    "bpf",
    "tracefs",
    "debugfs",
    "securityfs",
    "cgroup",
    "cgroup2",
];

pub fn collect(bundle: &mut Bundle) {
    bundle.add_or_fail("kernel/uname.txt", "uname", uname(), Keep::Head);
    bundle.add_or_fail(
        "kernel/config-bpf.txt",
        "BPF-relevant kernel build options",
        kernel_config(),
        Keep::Head,
    );
    bundle.add("kernel/sysctl.txt", "BPF sysctls", sysctls(), Keep::Head);
    bundle.add_or_fail(
        "kernel/mounts.txt",
        "bpffs, tracefs, debugfs, securityfs and cgroup mounts",
        mounts(),
        Keep::Head,
    );
    bundle.add("kernel/btf.txt", "BTF files", btf(), Keep::Head);
}

/// `tetra probe`'s report; it also gives lockdown and the LSMs.
pub fn collect_probe(bundle: &mut Bundle) {
    let report = std::panic::catch_unwind(|| tetragon_probe::probe(None));
    let report = match report {
        Ok(r) => r,
        Err(_) => {
            bundle.fail(
                "kernel/probe.txt",
                "kernel feature probes",
                "the probe panicked",
            );
            return;
        }
    };
    bundle.add(
        "kernel/lockdown.txt",
        "kernel lockdown mode and LSMs",
        lockdown(&report),
        Keep::Head,
    );
    bundle.add(
        "kernel/probe.txt",
        "kernel feature probes (tetra probe)",
        report.to_string(),
        Keep::Head,
    );
    bundle.add_or_fail(
        "kernel/probe.json",
        "kernel feature probes (tetra probe -o json)",
        serde_json::to_string_pretty(&report).map(|s| s + "\n"),
        Keep::Head,
    );
}

fn uname() -> Result<String> {
    let u = tetragon_probe::uname().context("uname")?;
    Ok(format!(
        "sysname: {}\nnodename: {}\nrelease: {}\nversion: {}\nmachine: {}\n",
        u.sysname, u.nodename, u.release, u.version, u.machine
    ))
}

/// The options of /proc/config.gz, else /boot/config-<release>, that BPF
/// work depends on (set or "is not set"), after a line naming the source.
fn kernel_config() -> Result<String> {
    let release = tetragon_probe::kernel_release();
    let boot = format!("/boot/config-{release}");
    let (source, text) = match read_gz("/proc/config.gz") {
        Ok(text) => ("/proc/config.gz".to_string(), text),
        Err(proc_err) => match fs::read_to_string(&boot) {
            Ok(text) => (boot, text),
            Err(e) => bail!("/proc/config.gz: {proc_err:#}; {boot}: {e}"),
        },
    };
    Ok(format!("# from {source}\n{}", bpf_options(&text)))
}

fn read_gz(path: &str) -> Result<String> {
    let file = fs::File::open(path)?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .context("decompressing")?;
    Ok(text)
}

fn bpf_options(config: &str) -> String {
    config
        .lines()
        .filter(|line| {
            let name = line
                .strip_prefix("# ")
                .and_then(|l| l.strip_suffix(" is not set"))
                .unwrap_or_else(|| line.split('=').next().unwrap_or(""));
            CONFIG_PREFIXES.iter().any(|p| name.starts_with(p))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn sysctls() -> String {
    SYSCTLS
        .iter()
        .map(|name| {
            let path = Path::new("/proc/sys").join(name);
            let value = match fs::read_to_string(&path) {
                Ok(v) => v.trim().to_string(),
                Err(e) => format!("<{e}>"),
            };
            format!("{} = {value}\n", name.replace('/', "."))
        })
        .collect()
}

fn mounts() -> Result<String> {
    let text = fs::read_to_string("/proc/self/mountinfo").context("/proc/self/mountinfo")?;
    let mut out = String::new();
    for line in text.lines() {
        let Some((before, after)) = line.split_once(" - ") else {
            continue;
        };
        let fs_type = after.split(' ').next().unwrap_or("");
        if !MOUNT_TYPES.contains(&fs_type) {
            continue;
        }
        let fields: Vec<&str> = before.split(' ').collect();
        let target = fields.get(4).copied().unwrap_or("?");
        let options = fields.get(5).copied().unwrap_or("");
        out.push_str(&format!("{fs_type} {target} {options}\n"));
    }
    if out.is_empty() {
        out.push_str("none of bpf, tracefs, debugfs, securityfs, cgroup is mounted\n");
    }
    Ok(out)
}

fn btf() -> String {
    let mut out = String::new();
    for path in [
        tetragon_probe::KERNEL_BTF.to_string(),
        format!("{}/btf", tetragon_probe::DEFAULT_LIB_DIR),
    ] {
        let line = match fs::metadata(&path) {
            Ok(m) => format!("{path}: present, {} bytes\n", m.len()),
            Err(e) => format!("{path}: {e}\n"),
        };
        out.push_str(&line);
    }
    match tetragon_probe::find_btf(None) {
        Ok(found) => out.push_str(&format!("used: {}\n", found.display())),
        Err(e) => out.push_str(&format!("used: none ({e})\n")),
    }
    out
}

fn lockdown(report: &KernelReport) -> String {
    let lockdown = report
        .lockdown
        .as_deref()
        .unwrap_or("none (no lockdown LSM)");
    let lsms = report
        .lsms
        .as_ref()
        .map(|l| l.join(","))
        .unwrap_or_else(|| "unknown (securityfs unreadable)".into());
    format!("lockdown: {lockdown}\nlsm: {lsms}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_bpf_relevant_options() {
        let config = "\
# Automatically generated file
CONFIG_BPF=y
CONFIG_BPF_SYSCALL=y
# CONFIG_KPROBES is not set
CONFIG_SOUND=m
# CONFIG_USB is not set
CONFIG_DEBUG_INFO_BTF=y
";
        assert_eq!(
            bpf_options(config),
            "CONFIG_BPF=y\nCONFIG_BPF_SYSCALL=y\n# CONFIG_KPROBES is not set\nCONFIG_DEBUG_INFO_BTF=y\n"
        );
    }

    #[test]
    fn sysctls_are_named_with_dots() {
        let text = sysctls();
        assert!(
            text.contains("kernel.unprivileged_bpf_disabled = "),
            "{text}"
        );
        assert_eq!(text.lines().count(), SYSCTLS.len());
    }
}

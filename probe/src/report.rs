//! The answer: what the running kernel provides, one feature per line.

use std::{fmt, path::PathBuf};

use serde::{Deserialize, Serialize};

/// Feature names, in report order. Where upstream Tetragon's GetInfo probes
/// ask the same question, the name is upstream's (`override_return`,
/// `kprobe_multi`, `fentry`, `lsm`, `signal`).
pub mod names {
    /// A BTF file was found and parses.
    pub const BTF: &str = "btf";
    /// bpffs is mounted at /sys/fs/bpf.
    pub const BPFFS: &str = "bpffs";
    /// tracefs is mounted where programs look for it.
    pub const TRACEFS: &str = "tracefs";
    /// debugfs is mounted at /sys/kernel/debug.
    pub const DEBUGFS: &str = "debugfs";
    /// A tracepoint program loads and attaches to sched/sched_process_exec.
    pub const TRACEPOINT: &str = "tracepoint";
    /// ... and to syscalls/sys_enter_getpid: syscall tracepoints exist, so a
    /// `syscall: true` kprobe can be served by them.
    pub const SYSCALL_TRACEPOINT: &str = "syscall_tracepoint";
    /// A raw tracepoint program loads and attaches.
    pub const RAW_TRACEPOINT: &str = "raw_tracepoint";
    /// A BTF tracepoint (tp_btf) program loads and attaches.
    pub const BTF_TRACEPOINT: &str = "btf_tracepoint";
    /// A kprobe program loads and attaches to a kernel function.
    pub const KPROBE: &str = "kprobe";
    /// A kprobe_multi link can be created.
    pub const KPROBE_MULTI: &str = "kprobe_multi";
    /// The verifier accepts bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE).
    pub const OVERRIDE_RETURN: &str = "override_return";
    /// An fentry program loads and attaches.
    pub const FENTRY: &str = "fentry";
    /// An fexit program loads and attaches.
    pub const FEXIT: &str = "fexit";
    /// BPF LSM is active and an LSM program loads and attaches.
    pub const LSM: &str = "lsm";
    /// A uprobe attaches to a libc function.
    pub const UPROBE: &str = "uprobe";
    /// A ring buffer map can be created.
    pub const RING_BUFFER: &str = "ring_buffer";
    /// The verifier accepts bpf_send_signal.
    pub const SIGNAL: &str = "signal";
    /// The verifier accepts bpf_loop.
    pub const BPF_LOOP: &str = "bpf_loop";
    /// The verifier accepts bpf_probe_read_kernel (refused under
    /// confidentiality lockdown).
    pub const PROBE_READ_KERNEL: &str = "probe_read_kernel";

    /// Every feature, in the order [`crate::probe`] reports them.
    pub const ALL: &[&str] = &[
        BTF,
        BPFFS,
        TRACEFS,
        DEBUGFS,
        TRACEPOINT,
        SYSCALL_TRACEPOINT,
        RAW_TRACEPOINT,
        BTF_TRACEPOINT,
        KPROBE,
        KPROBE_MULTI,
        OVERRIDE_RETURN,
        FENTRY,
        FEXIT,
        LSM,
        UPROBE,
        RING_BUFFER,
        SIGNAL,
        BPF_LOOP,
        PROBE_READ_KERNEL,
    ];
}

/// One question asked of the kernel and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    pub name: String,
    pub available: bool,
    /// What was tried and what happened: the reason when unavailable.
    pub detail: String,
}

impl Feature {
    pub(crate) fn yes(name: &str, detail: impl Into<String>) -> Feature {
        Feature {
            name: name.to_string(),
            available: true,
            detail: detail.into(),
        }
    }

    pub(crate) fn no(name: &str, detail: impl Into<String>) -> Feature {
        Feature {
            name: name.to_string(),
            available: false,
            detail: detail.into(),
        }
    }
}

/// What [`crate::probe`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelReport {
    /// `uname -r`.
    pub kernel_release: String,
    /// `uname -m`.
    pub arch: String,
    /// Whether the probe ran with the privileges BPF needs; without them
    /// most features read as unavailable.
    pub privileged: bool,
    /// The BTF file in use, if one was found.
    pub btf_file: Option<PathBuf>,
    /// Kernel lockdown: `none`, `integrity` or `confidentiality`; `None`
    /// when the kernel has no lockdown LSM or securityfs could not be read.
    pub lockdown: Option<String>,
    /// The active LSMs, in order; `None` when securityfs could not be read.
    pub lsms: Option<Vec<String>>,
    /// Every feature in [`names::ALL`] order.
    pub features: Vec<Feature>,
}

/// A hook needs a feature the running kernel does not provide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the kernel does not provide {name}: {detail}")]
pub struct MissingFeature {
    pub name: String,
    pub detail: String,
}

impl KernelReport {
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name)
    }

    /// Whether `name` was found available (false for unknown names).
    pub fn has(&self, name: &str) -> bool {
        self.feature(name).is_some_and(|f| f.available)
    }

    /// `Ok` when `name` is available, else an error naming the feature and
    /// why it is missing, for a policy whose hook needs it.
    pub fn require(&self, name: &str) -> Result<(), MissingFeature> {
        match self.feature(name) {
            Some(f) if f.available => Ok(()),
            Some(f) => Err(MissingFeature {
                name: f.name.clone(),
                detail: f.detail.clone(),
            }),
            None => Err(MissingFeature {
                name: name.to_string(),
                detail: "not probed".to_string(),
            }),
        }
    }
}

impl fmt::Display for KernelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "kernel {} ({})", self.kernel_release, self.arch)?;
        let lockdown = self.lockdown.as_deref().unwrap_or(match self.lsms {
            Some(_) => "none (no lockdown LSM)",
            None => "unknown",
        });
        let lsms = self
            .lsms
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |l| l.join(","));
        writeln!(f, "lockdown {lockdown}, LSMs {lsms}")?;
        if !self.privileged {
            writeln!(
                f,
                "warning: not running as root (CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON): \
                 loads fail for lack of privilege, not for lack of kernel support"
            )?;
        }
        let width = self
            .features
            .iter()
            .map(|x| x.name.len())
            .max()
            .unwrap_or(0);
        for feature in &self.features {
            let answer = if feature.available { "yes" } else { "no " };
            writeln!(
                f,
                "{:width$}  {answer}  {}",
                feature.name,
                feature.detail.replace('\n', " ")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> KernelReport {
        KernelReport {
            kernel_release: "6.18.0".into(),
            arch: "x86_64".into(),
            privileged: true,
            btf_file: Some("/sys/kernel/btf/vmlinux".into()),
            lockdown: Some("integrity".into()),
            lsms: Some(vec!["lockdown".into(), "capability".into()]),
            features: vec![
                Feature::yes(names::TRACEPOINT, "attached to sched/sched_process_exec"),
                Feature::no(names::KPROBE, "load ok, attach failed: no kprobes"),
            ],
        }
    }

    #[test]
    fn display_is_one_line_per_feature() {
        let text = sample().to_string();
        assert_eq!(
            text,
            "kernel 6.18.0 (x86_64)\n\
             lockdown integrity, LSMs lockdown,capability\n\
             tracepoint  yes  attached to sched/sched_process_exec\n\
             kprobe      no   load ok, attach failed: no kprobes\n"
        );
    }

    #[test]
    fn display_warns_when_unprivileged() {
        let mut report = sample();
        report.privileged = false;
        report.lockdown = None;
        report.lsms = None;
        let text = report.to_string();
        assert!(text.contains("lockdown unknown, LSMs unknown"), "{text}");
        assert!(text.contains("warning: not running as root"), "{text}");
    }

    #[test]
    fn require_names_the_missing_feature() {
        let report = sample();
        assert!(report.has(names::TRACEPOINT));
        assert!(!report.has(names::KPROBE));
        assert!(!report.has("no_such_feature"));
        assert_eq!(report.require(names::TRACEPOINT), Ok(()));
        assert_eq!(
            report.require(names::KPROBE).unwrap_err().to_string(),
            "the kernel does not provide kprobe: load ok, attach failed: no kprobes"
        );
    }

    #[test]
    fn round_trips_through_json() {
        let report = sample();
        let json = serde_json::to_string(&report).unwrap();
        assert!(
            json.contains(r#""name":"kprobe","available":false"#),
            "{json}"
        );
        let back: KernelReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}

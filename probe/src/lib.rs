//! Kernel discovery for tetragond and tetra.
//!
//! The agent chooses how to attach its programs by asking the running
//! kernel, never by assuming (DESIGN.md, "Kernel side"). [`probe`] asks once:
//! it finds the BTF file, looks at the pseudo-filesystems, and then loads
//! (and, where that is the question, attaches and detaches) the smallest
//! program of each kind the agent relies on. The answer is a
//! [`KernelReport`]: one [`Feature`] per question, each saying whether the
//! kernel provides it and why not.
//!
//! [`ensure_mounts`] is the one call here that changes the machine: it mounts
//! bpffs, tracefs and debugfs where they are missing, as the daemon does at
//! start. [`probe`] itself leaves the mount table as it found it.

mod btf;
mod mounts;
mod privileges;
mod programs;
mod report;
mod securityfs;
mod sys;
mod tracefs;

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    path::Path,
};

pub use btf::{
    BtfError, BtfSearchStep, BtfSource, DEFAULT_LIB_DIR, KERNEL_BTF, btf_search, find_btf,
};
pub use mounts::{MountAction, MountOutcome, ensure_mounts};
pub use report::{Feature, KernelReport, MissingFeature, names};

/// Probes the running kernel. Never panics: a probe that cannot run reports
/// its feature as unavailable and says why. `btf_override` is the daemon's
/// `--btf`, searched before the default locations (see [`find_btf`]).
///
/// Needs root (CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON) to give true
/// answers; without it every load fails with EPERM and the report says so.
pub fn probe(btf_override: Option<&Path>) -> KernelReport {
    let (kernel_release, arch) = release_and_machine();
    let privileged = privileges::can_use_bpf();
    let may_mount = privileges::can_mount();
    let btf_found = find_btf(btf_override);
    let mut features = Vec::new();

    let btf = guarded(names::BTF, &mut features, || {
        programs::btf_feature(&btf_found)
    });
    let mounts = mounts::current();
    features.push(mounts.bpffs_feature());
    let tracefs_view = catch_unwind(AssertUnwindSafe(|| tracefs::view(&mounts, may_mount)))
        .unwrap_or_else(|panic| tracefs::TracefsView {
            mounted_at: None,
            facts: Err(panic_message(&*panic)),
        });
    features.push(mounts.tracefs_feature(&tracefs_view));
    features.push(mounts.debugfs_feature());
    let security = guarded_value(|| securityfs::read(may_mount));

    let btf = btf.flatten();
    let env = programs::Environment {
        btf: btf.as_ref(),
        tracefs: &tracefs_view,
        security: &security,
    };
    features.extend(programs::probe_all(&env));

    KernelReport {
        kernel_release,
        arch,
        privileged,
        btf_file: btf_found.ok(),
        lockdown: security.as_ref().ok().and_then(|s| s.lockdown.clone()),
        lsms: security.as_ref().ok().map(|s| s.lsms.clone()),
        features,
    }
}

/// Runs `f`, which produces a feature and a value; a panic in it becomes an
/// unavailable feature named `name` and no value.
fn guarded<T>(
    name: &str,
    features: &mut Vec<Feature>,
    f: impl FnOnce() -> (Feature, T),
) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok((feature, value)) => {
            features.push(feature);
            Some(value)
        }
        Err(panic) => {
            features.push(Feature::no(name, panic_message(&*panic)));
            None
        }
    }
}

/// Runs a fact-finding step; a panic in it becomes an error string.
fn guarded_value<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(panic_message(&*panic)))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    format!("the probe panicked: {text}")
}

/// What uname(2) tells of the running kernel and machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uname {
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    pub version: String,
    pub machine: String,
}

/// uname(2).
pub fn uname() -> std::io::Result<Uname> {
    // SAFETY: utsname is plain bytes; uname fills it in or fails.
    let mut buf: libc::utsname = unsafe { std::mem::zeroed() };
    if unsafe { libc::uname(&mut buf) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let field = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Uname {
        sysname: field(&buf.sysname),
        nodename: field(&buf.nodename),
        release: field(&buf.release),
        version: field(&buf.version),
        machine: field(&buf.machine),
    })
}

/// Release and machine, with stand-ins when uname(2) fails.
fn release_and_machine() -> (String, String) {
    uname().map_or_else(
        |_| ("unknown".into(), std::env::consts::ARCH.into()),
        |u| (u.release, u.machine),
    )
}

/// The kernel release, as `uname -r` prints it.
pub fn kernel_release() -> String {
    release_and_machine().0
}

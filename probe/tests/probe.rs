//! The report against the running kernel: every expectation comes from the
//! kernel's own files (tracefs, sysfs, kallsyms) or from aya's independent
//! feature probes, never from a list of what this machine is known to have.
//!
//! Needs root. Skips when not root, unless CI=true, where that is a failure.

use std::{
    io::Write,
    path::Path,
    sync::{Mutex, OnceLock},
};

use aya::{
    maps::MapType,
    programs::{LsmAttachType, ProgramType},
    sys::{BpfHelper, is_helper_supported, is_map_supported, is_program_supported},
};
use tetragon_probe::{KernelReport, MountOutcome, ensure_mounts, names, probe};

/// Probing loads programs and may make scratch mounts: one test at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn privileged() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but not root: the kernel probes must run here, as root");
    }
    // Straight to stderr, past the test harness's capture, so it is seen.
    let _ = std::io::stderr().write_all(
        b"skipping: not root (these tests load BPF programs; CI=true makes this a failure)\n",
    );
    false
}

/// Mounts what is missing, then probes, once for all tests.
fn report() -> &'static KernelReport {
    static REPORT: OnceLock<KernelReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        for action in ensure_mounts() {
            assert!(
                action.is_mounted() || action.outcome == MountOutcome::Unsupported,
                "{action}"
            );
        }
        let report = probe(None);
        eprintln!("{report}");
        report
    })
}

fn tracefs() -> &'static Path {
    let path = Path::new("/sys/kernel/tracing");
    assert!(
        path.join("events").is_dir(),
        "ensure_mounts() left tracefs unmounted"
    );
    path
}

fn kallsyms_has(symbol: &str) -> bool {
    std::fs::read_to_string("/proc/kallsyms")
        .unwrap()
        .lines()
        .any(|line| line.split_whitespace().nth(2) == Some(symbol))
}

#[track_caller]
fn expect(report: &KernelReport, name: &str, expected: bool, why: &str) {
    let feature = report
        .feature(name)
        .unwrap_or_else(|| panic!("{name} missing from the report"));
    assert_eq!(
        feature.available, expected,
        "{name}: expected {expected} because {why}; the probe said: {}",
        feature.detail
    );
    assert!(!feature.detail.is_empty(), "{name} has no detail");
}

fn helper(program_type: ProgramType, helper: BpfHelper) -> bool {
    is_helper_supported(program_type, helper).unwrap_or(false)
}

#[test]
fn features_come_in_the_documented_order() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let report = report();
    let order: Vec<&str> = report.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(order, names::ALL);
}

#[test]
fn the_report_matches_the_running_kernel() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let report = report();
    let tracefs = tracefs();
    assert!(report.privileged);

    // What the kernel's own files say.
    let has_btf = Path::new("/sys/kernel/btf/vmlinux").is_file()
        || Path::new("/var/lib/tetragon/btf").is_file();
    let sched_exec = tracefs.join("events/sched/sched_process_exec/id").is_file();
    let syscall_tps = tracefs
        .join("events/syscalls/sys_enter_getpid/id")
        .is_file();
    let kprobe_events = tracefs.join("kprobe_events").exists();
    let uprobe_events = tracefs.join("uprobe_events").exists()
        || Path::new("/sys/bus/event_source/devices/uprobe").exists();
    let fprobe = kallsyms_has("register_fprobe");

    expect(report, names::BTF, has_btf, "of the BTF files present");
    expect(report, names::TRACEFS, true, "ensure_mounts() mounted it");
    expect(
        report,
        names::TRACEPOINT,
        sched_exec,
        "of tracefs events/sched",
    );
    expect(
        report,
        names::SYSCALL_TRACEPOINT,
        syscall_tps,
        "of tracefs events/syscalls",
    );
    expect(
        report,
        names::RAW_TRACEPOINT,
        sched_exec,
        "of tracefs events/sched",
    );
    expect(
        report,
        names::BTF_TRACEPOINT,
        sched_exec && has_btf,
        "of tracefs events/sched and the BTF",
    );
    expect(
        report,
        names::KPROBE,
        kprobe_events,
        "of tracefs kprobe_events",
    );
    expect(
        report,
        names::KPROBE_MULTI,
        fprobe,
        "of register_fprobe in kallsyms",
    );
    expect(
        report,
        names::UPROBE,
        uprobe_events,
        "of the uprobe PMU / uprobe_events",
    );

    // What aya's own, independent probes say.
    let tracing = is_program_supported(ProgramType::Tracing).unwrap_or(false);
    expect(
        report,
        names::FENTRY,
        tracing,
        "aya's tracing program probe",
    );
    expect(report, names::FEXIT, tracing, "aya's tracing program probe");
    let lsm_active = report
        .lsms
        .as_ref()
        .is_some_and(|lsms| lsms.iter().any(|l| l == "bpf"));
    let lsm_loads = is_program_supported(ProgramType::Lsm(LsmAttachType::Mac)).unwrap_or(false);
    expect(
        report,
        names::LSM,
        lsm_active && lsm_loads,
        "of the LSM list and aya's LSM program probe",
    );
    expect(
        report,
        names::RING_BUFFER,
        is_map_supported(MapType::RingBuf).unwrap_or(false),
        "aya's ring buffer map probe",
    );
    expect(
        report,
        names::SIGNAL,
        helper(ProgramType::TracePoint, BpfHelper::BPF_FUNC_send_signal),
        "aya's helper probe",
    );
    expect(
        report,
        names::OVERRIDE_RETURN,
        helper(ProgramType::KProbe, BpfHelper::BPF_FUNC_override_return),
        "aya's helper probe",
    );
    expect(
        report,
        names::BPF_LOOP,
        helper(ProgramType::TracePoint, BpfHelper::BPF_FUNC_loop),
        "aya's helper probe",
    );
    expect(
        report,
        names::PROBE_READ_KERNEL,
        helper(
            ProgramType::TracePoint,
            BpfHelper::BPF_FUNC_probe_read_kernel,
        ),
        "aya's helper probe",
    );
}

#[test]
fn kprobe_programs_load_even_where_they_cannot_attach() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let report = report();
    let kprobe = report.feature(names::KPROBE).unwrap();
    if kprobe.available {
        assert!(
            kprobe.detail.starts_with("attached to "),
            "{}",
            kprobe.detail
        );
        return;
    }
    assert!(
        kprobe.detail.starts_with("load ok, attach to "),
        "{}",
        kprobe.detail
    );
    if !tracefs().join("kprobe_events").exists() {
        assert!(
            kprobe.detail.contains("the kernel has no kprobes"),
            "{}",
            kprobe.detail
        );
    }
    let error = report.require(names::KPROBE).unwrap_err().to_string();
    assert!(
        error.starts_with("the kernel does not provide kprobe: "),
        "{error}"
    );
}

#[test]
fn display_and_json_carry_every_feature() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let report = report();
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with(&format!("kernel {}", report.kernel_release)));
    assert_eq!(lines.len(), 2 + report.features.len(), "{text}");
    for (line, feature) in lines[2..].iter().zip(&report.features) {
        let answer = if feature.available { "yes" } else { "no" };
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[..2], [feature.name.as_str(), answer], "{line}");
    }

    let json: serde_json::Value = serde_json::to_value(report).unwrap();
    assert_eq!(json["kernel_release"], report.kernel_release.as_str());
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), names::ALL.len());
    assert!(features[0]["available"].is_boolean());
}

#[test]
fn a_missing_explicit_btf_is_reported_and_btf_programs_say_why() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let missing = Path::new("/nonexistent/tetragon-probe-test.btf");
    let report = probe(Some(missing));
    let btf = report.feature(names::BTF).unwrap();
    assert!(!btf.available);
    assert!(btf.detail.contains("--btf"), "{}", btf.detail);
    assert!(btf.detail.contains(&missing.display().to_string()));
    assert_eq!(report.btf_file, None);
    for name in [names::BTF_TRACEPOINT, names::FENTRY, names::LSM] {
        let feature = report.feature(name).unwrap();
        assert!(!feature.available);
        assert!(
            feature.detail.contains("needs BTF"),
            "{name}: {}",
            feature.detail
        );
    }
}

#[test]
fn probing_leaves_no_scratch_mounts_behind() {
    if !privileged() {
        return;
    }
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let _ = probe(None);
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(
        !mountinfo.contains("tetragon-probe-"),
        "a scratch mount is still there:\n{mountinfo}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.starts_with("tetragon-probe-tracefs-")
                || name.starts_with("tetragon-probe-securityfs-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

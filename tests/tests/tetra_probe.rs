//! `tetra probe`: the kernel report, without a daemon.

use std::process::Command;

use tetragon_e2e::{binary, can_run_bpf};

#[test]
fn tetra_probe_reports_this_kernel_as_json_and_text() {
    if !can_run_bpf("tetra_probe_reports_this_kernel") {
        return;
    }
    let out = Command::new(binary("tetra"))
        .args(["probe", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let available = |name: &str| {
        report["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no feature {name}"))["available"]
            .as_bool()
            .unwrap()
    };
    assert!(available("tracepoint"));
    assert!(available("ring_buffer"));
    // Kprobes exist exactly when the kernel exposes kprobe_events.
    let kprobes = [
        "/sys/kernel/tracing/kprobe_events",
        "/sys/kernel/debug/tracing/kprobe_events",
    ]
    .iter()
    .any(|p| std::path::Path::new(p).exists());
    assert_eq!(available("kprobe"), kprobes);

    let text = Command::new(binary("tetra")).arg("probe").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("tracepoint") && l.contains(" yes ")),
        "{text}"
    );
}

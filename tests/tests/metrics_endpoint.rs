//! `--metrics-server`: upstream's metric names, moving with real events.

use std::{process::Command, time::Duration};

use tetragon_e2e::{Daemon, can_run_bpf, free_port, scrape_metrics as scrape};

/// The value of the first sample of `name` whose labels contain every one
/// of `labels`; 0 when there is none.
fn sample(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
        .filter(|l| labels.iter().all(|want| l.contains(want)))
        .find_map(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_move_by_the_events_seen() {
    if !can_run_bpf("counters_move_by_the_events_seen") {
        return;
    }
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let daemon = Daemon::start(&["--metrics-server", &addr]).await.unwrap();
    let mut events = daemon.subscribe().await.unwrap();

    // A binary of our own, so its label counts only this test's processes.
    let dir = tempfile::tempdir().unwrap();
    let bin = dir
        .path()
        .join(format!("metrics-probe-{}", std::process::id()));
    std::fs::copy("/bin/true", &bin).unwrap();
    let binary_label = format!("binary=\"{}\"", bin.display());

    let before = scrape(port);
    assert_eq!(
        sample(&before, "tetragon_process_cache_capacity", &[]),
        65536.0
    );
    let received_before = sample(
        &before,
        "tetragon_observer_ringbuf_events_received_total",
        &[],
    );

    const N: u32 = 25;
    let mut last = 0;
    for _ in 0..N {
        let child = Command::new(&bin).spawn().unwrap();
        last = child.id();
        child.wait_with_output().unwrap();
    }
    events.exit_of(last).await;
    // The metrics are read at scrape time; give the observer a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = scrape(port);
    for family in [
        "tetragon_events_total",
        "tetragon_observer_ringbuf_events_received_total",
        "tetragon_process_cache_size",
        "tetragon_process_cache_capacity",
        "tetragon_events_exported_total",
        "tetragon_build_info",
        "process_resident_memory_bytes",
    ] {
        assert!(
            after.contains(&format!("# TYPE {family} ")),
            "no {family} in:\n{after}"
        );
    }
    let execs = sample(
        &after,
        "tetragon_events_total",
        &["type=\"PROCESS_EXEC\"", &binary_label],
    );
    let exits = sample(
        &after,
        "tetragon_events_total",
        &["type=\"PROCESS_EXIT\"", &binary_label],
    );
    assert_eq!(execs, N as f64, "{after}");
    assert_eq!(exits, N as f64);
    let received = sample(
        &after,
        "tetragon_observer_ringbuf_events_received_total",
        &[],
    );
    assert!(
        received - received_before >= 3.0 * N as f64,
        "fork, exec and exit records for each"
    );
}

//! What observing every exec costs: N fork+execs of /bin/true with and
//! without tetragond attached, in one run, side by side.
//!
//! Prints the slowdown ratio, execs run vs events received (and lost), and
//! the daemon's memory. Run as root after `cargo build --release --bins`:
//!
//!     cargo run --release -p tetragon-bench --bin exec-overhead -- [N]

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use tetragon_api::tetragon::get_events_response::Event;
use tetragon_e2e::Daemon;

fn exec_loop(n: usize) -> Result<Duration> {
    let start = Instant::now();
    for _ in 0..n {
        let status = Command::new("/bin/true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("running /bin/true")?;
        if !status.success() {
            bail!("/bin/true failed: {status}");
        }
    }
    Ok(start.elapsed())
}

/// (VmRSS, VmHWM) of `pid` in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// exec and exit events of /bin/true children of this process.
fn count_events(daemon: &Daemon) -> (usize, usize) {
    let me = std::process::id();
    let mut execs = 0;
    let mut exits = 0;
    for ev in daemon.exported() {
        let ours = ev
            .parent()
            .and_then(|p| p.pid)
            .is_some_and(|p| p.value == me)
            && ev.process().is_some_and(|p| p.binary == "/bin/true");
        match ev.event {
            Some(Event::ProcessExec(_)) if ours => execs += 1,
            Some(Event::ProcessExit(_)) if ours => exits += 1,
            _ => {}
        }
    }
    (execs, exits)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let n: usize = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .with_context(|| format!("N: `{a}` is not a count"))?,
        None => 20_000,
    };
    // Warm the page cache and the fork path before measuring.
    exec_loop(n / 20)?;

    let before = exec_loop(n)?;
    let daemon = Daemon::start(&[]).await?;
    let pid = daemon.pid();
    let (rss_idle, _) = memory_kib(pid);
    let attached = exec_loop(n)?;
    // Let the daemon drain and export what is in flight.
    let mut counts = count_events(&daemon);
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = count_events(&daemon);
        if now == counts && now.0 >= n {
            break;
        }
        counts = now;
    }
    let (rss, hwm) = memory_kib(pid);
    drop(daemon);
    let after = exec_loop(n)?;

    let baseline = (before + after) / 2;
    let per_exec = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!("exec-overhead: {n} fork+exec of /bin/true");
    println!(
        "  without daemon: {:>8.1} us/exec (before {:.1}, after {:.1})",
        per_exec(baseline),
        per_exec(before),
        per_exec(after)
    );
    println!("  with daemon:    {:>8.1} us/exec", per_exec(attached));
    println!(
        "  slowdown:       {:>8.2}% (ratio {:.4})",
        (attached.as_secs_f64() / baseline.as_secs_f64() - 1.0) * 100.0,
        attached.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "  events:         {} execs run, {} exec events, {} exit events, {} lost",
        n,
        counts.0,
        counts.1,
        (n * 2).saturating_sub(counts.0 + counts.1)
    );
    println!(
        "  daemon memory:  RSS {:.1} MiB idle, {:.1} MiB after, peak {:.1} MiB",
        rss_idle as f64 / 1024.0,
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    Ok(())
}

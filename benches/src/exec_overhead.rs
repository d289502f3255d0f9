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

/// Rounds of (without, with): alternating spreads the machine's drift over
/// both sides instead of charging it to one.
const ROUNDS: usize = 4;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let n: usize = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .with_context(|| format!("N: `{a}` is not a count"))?,
        None => 20_000,
    };
    let per_round = n.div_ceil(ROUNDS);
    let n = per_round * ROUNDS;
    // Warm the page cache and the fork path before measuring.
    exec_loop(per_round / 5)?;

    let mut without = Duration::ZERO;
    let mut with = Duration::ZERO;
    let (mut execs, mut exits) = (0, 0);
    let (mut rss_idle, mut rss_busy, mut hwm) = (0, 0, 0);
    for _ in 0..ROUNDS {
        without += exec_loop(per_round)?;
        // One export file for the round, so every event can be counted.
        let daemon = Daemon::start(&["--export-file-max-size-mb", "4096"]).await?;
        let pid = daemon.pid();
        // Past start-up: the kernel feature probe runs in the background.
        tokio::time::sleep(Duration::from_secs(2)).await;
        rss_idle = rss_idle.max(memory_kib(pid).0);
        with += exec_loop(per_round)?;
        // Let the daemon drain and export what is in flight.
        let mut counts = count_events(&daemon);
        for _ in 0..100 {
            if counts.0 >= per_round && counts.1 >= per_round {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            counts = count_events(&daemon);
        }
        let (rss, peak) = memory_kib(pid);
        rss_busy = rss_busy.max(rss);
        hwm = hwm.max(peak);
        execs += counts.0;
        exits += counts.1;
    }

    let per_exec = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    let ratio = with.as_secs_f64() / without.as_secs_f64();
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!("exec-overhead: {n} fork+exec of /bin/true, {ROUNDS} alternating rounds");
    println!("  without daemon: {:>8.1} us/exec", per_exec(without));
    println!("  with daemon:    {:>8.1} us/exec", per_exec(with));
    println!(
        "  slowdown:       {:>+8.2}% (ratio {ratio:.4})",
        (ratio - 1.0) * 100.0
    );
    println!(
        "  events:         {n} execs run, {execs} exec events, {exits} exit events, {} lost",
        (n * 2).saturating_sub(execs + exits)
    );
    println!(
        "  daemon memory:  RSS {:.1} MiB idle, {:.1} MiB after the execs, peak {:.1} MiB (start-up)",
        mib(rss_idle),
        mib(rss_busy),
        mib(hwm)
    );
    Ok(())
}

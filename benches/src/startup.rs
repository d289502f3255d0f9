//! How fast tetragond is ready and how little it keeps: time from spawn to
//! answering GetHealth with the base sensor attached, and idle RSS, beside
//! upstream Tetragon's documented agent footprint.
//!
//! Run as root after `cargo build --release --bins`:
//!
//!     cargo run --release -p tetragon-bench --bin startup -- [RUNS]

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use tetragon_api::tetragon::GetHealthStatusRequest;
use tetragon_e2e::binary;

/// Upstream's agent memory as its documents show it (`systemctl status
/// tetragon` right after the package install).
const UPSTREAM_RSS_MIB: f64 = 151.7;

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

async fn one_run() -> Result<(Duration, f64)> {
    let dir = tempfile::tempdir()?;
    let address = format!("unix://{}", dir.path().join("t.sock").display());
    let start = Instant::now();
    let mut child = Command::new(binary("tetragond"))
        .args(["--server-address", &address, "--log-level", "warn"])
        .arg("--info-file")
        .arg(dir.path().join("info.json"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting tetragond")?;
    let ready = loop {
        if let Some(status) = child.try_wait()? {
            bail!("tetragond exited with {status}");
        }
        if let Ok(mut c) = tetra::client::connect(&address, Duration::from_millis(50)).await
            && c.get_health(GetHealthStatusRequest::default())
                .await
                .is_ok()
        {
            break start.elapsed();
        }
        if start.elapsed() > Duration::from_secs(30) {
            bail!("not ready within 30s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    // Idle: after the start-up work (the kernel probe runs in the background).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss = rss_mib(child.id());
    // SAFETY: signals only the child this run started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait()?;
    Ok((ready, rss))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let runs: usize = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .with_context(|| format!("RUNS: `{a}` is not a count"))?,
        None => 5,
    };
    let mut ready = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..runs {
        let (r, m) = one_run().await?;
        ready.push(r);
        rss.push(m);
    }
    ready.sort();
    let median = ready[ready.len() / 2];
    let idle = rss.iter().cloned().fold(0.0, f64::max);
    println!("startup: {runs} runs of tetragond (release), unix socket, base sensor attached");
    println!(
        "  ready (GetHealth answers): median {:.0} ms, min {:.0} ms, max {:.0} ms",
        median.as_secs_f64() * 1e3,
        ready[0].as_secs_f64() * 1e3,
        ready[ready.len() - 1].as_secs_f64() * 1e3
    );
    println!(
        "  idle RSS: {idle:.1} MiB, ratio to upstream's documented {UPSTREAM_RSS_MIB} MiB: {:.3}",
        idle / UPSTREAM_RSS_MIB
    );
    Ok(())
}

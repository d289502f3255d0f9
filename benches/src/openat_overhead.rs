//! What a policy on openat(2) costs the calls it watches, side by side in
//! one run: no policy; a policy whose selector matches none of the calls
//! (filtered in the kernel); a TracingPolicyNamespaced that would post every
//! call but whose scope (pods of `default`) excludes this host process; a
//! policy that posts every call. Also counts
//! every posted event on its way: matched in the kernel, posted, lost to a
//! full ring buffer, received by a gRPC client, dropped for a slow client.
//!
//! Run after `cargo build --release --bins`:
//! `./target/release/openat-overhead [N]` (default 1,000,000 calls).

use std::{ffi::CString, time::Duration, time::Instant};

use anyhow::{Context, Result, bail};
use tetragon_api::tetragon::{
    AddTracingPolicyRequest, DeleteTracingPolicyRequest, GetEventsRequest,
    ListTracingPoliciesRequest, get_events_response::Event,
};
use tetragon_e2e::Daemon;

const ROUNDS: usize = 4;

/// n openat+close of `path`; the calls are what is measured.
fn openat_loop(path: &CString, n: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        // SAFETY: a valid NUL-terminated path; the fd is closed at once.
        let fd = unsafe { libc::openat(libc::AT_FDCWD, path.as_ptr(), libc::O_RDONLY) };
        if fd >= 0 {
            unsafe { libc::close(fd) };
        }
    }
    start.elapsed()
}

/// An openat policy with one selector: `filter` is its YAML body.
fn policy(name: &str, filter: &str) -> String {
    format!(
        "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: {name}\nspec:\n  kprobes:\n  - call: sys_openat\n    syscall: true\n    args:\n    - index: 0\n      type: int\n    - index: 1\n      type: string\n    - index: 2\n      type: int\n    selectors:\n    - {filter}\n"
    )
}

/// The same, scoped to the pods of namespace `default`.
fn namespaced_policy(name: &str, filter: &str) -> String {
    policy(name, filter)
        .replace("kind: TracingPolicy\n", "kind: TracingPolicyNamespaced\n")
        .replace(
            &format!("  name: {name}\n"),
            &format!("  name: {name}\n  namespace: default\n"),
        )
}

fn match_path(path: &str) -> String {
    format!(
        "matchArgs:\n      - index: 1\n        operator: Equal\n        values:\n        - \"{path}\""
    )
}

fn match_binary(binary: &str) -> String {
    format!("matchBinaries:\n      - operator: In\n        values:\n        - \"{binary}\"")
}

#[derive(Default, Debug)]
struct Counts {
    matched: u64,
    posted: u64,
    lost: u64,
    received: u64,
    client_dropped: u64,
}

/// `kernel: M calls matched, P events posted, L lost ...` from ListTracingPolicies.
fn kernel_counts(info: &str) -> (u64, u64, u64) {
    let nums: Vec<u64> = info
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (
        nums.first().copied().unwrap_or(0),
        nums.get(1).copied().unwrap_or(0),
        nums.get(2).copied().unwrap_or(0),
    )
}

/// Runs the calls with the policy `yaml` (named `name` in `namespace`,
/// empty for a cluster-wide one) loaded.
async fn with_policy(
    daemon: &Daemon,
    (name, namespace): (&str, &str),
    yaml: String,
    path: &CString,
    n: usize,
    count: bool,
) -> Result<(Duration, Counts)> {
    let mut client = daemon.client().await?;
    client
        .add_tracing_policy(AddTracingPolicyRequest {
            yaml,
            ..Default::default()
        })
        .await
        .context("adding the policy")?;
    let me = std::process::id();
    let counter = if count {
        let mut stream = client
            .get_events(GetEventsRequest::default())
            .await?
            .into_inner();
        Some(tokio::spawn(async move {
            let (mut received, mut dropped) = (0u64, 0u64);
            while let Ok(Some(ev)) = stream.message().await {
                match &ev.event {
                    Some(Event::ProcessKprobe(k))
                        if k.process.as_ref().and_then(|p| p.pid).map(|p| p.value) == Some(me) =>
                    {
                        received += 1
                    }
                    Some(Event::RateLimitInfo(r)) => dropped += r.number_of_dropped_process_events,
                    _ => {}
                }
                if received + dropped >= n as u64 {
                    break;
                }
            }
            (received, dropped)
        }))
    } else {
        None
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let took = tokio::task::block_in_place(|| openat_loop(path, n));
    let mut counts = Counts::default();
    if let Some(counter) = counter {
        match tokio::time::timeout(Duration::from_secs(30), counter).await {
            Ok(r) => (counts.received, counts.client_dropped) = r?,
            Err(_) => eprintln!("  (the client stopped counting after 30 s)"),
        }
    }
    let list = client
        .list_tracing_policies(ListTracingPoliciesRequest::default())
        .await?
        .into_inner();
    let status = list
        .policies
        .iter()
        .find(|p| p.name == name)
        .context("the policy is listed")?;
    (counts.matched, counts.posted, counts.lost) = kernel_counts(&status.info);
    client
        .delete_tracing_policy(DeleteTracingPolicyRequest {
            name: name.into(),
            namespace: namespace.into(),
            ..Default::default()
        })
        .await?;
    Ok((took, counts))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let n: usize = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .with_context(|| format!("N: `{a}` is not a count"))?,
        None => 1_000_000,
    };
    if unsafe { libc::geteuid() } != 0 {
        bail!("run as root: the daemon loads BPF programs");
    }
    let per_round = n.div_ceil(ROUNDS);
    let n = per_round * ROUNDS;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("opened");
    std::fs::write(&file, "x")?;
    let path = CString::new(file.display().to_string())?;
    let daemon = Daemon::start(&["--rb-size-total", "67108864", "--enable-policy-filter"]).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    openat_loop(&path, per_round / 5);

    let zero = Duration::ZERO;
    let (mut none, mut filtered, mut by_binary, mut scoped, mut posting) =
        (zero, zero, zero, zero, zero);
    let (mut filtered_posted, mut p) = (0, Counts::default());
    for round in 0..ROUNDS {
        none += tokio::task::block_in_place(|| openat_loop(&path, per_round));
        let name = format!("filtered-{round}");
        let nothing = policy(&name, &match_path("/nonexistent/never/opened"));
        let (t, c) = with_policy(&daemon, (&name, ""), nothing, &path, per_round, false).await?;
        filtered += t;
        filtered_posted += c.posted;
        let name = format!("by-binary-{round}");
        let other = policy(&name, &match_binary("/usr/bin/no-such-binary"));
        let (t, c) = with_policy(&daemon, (&name, ""), other, &path, per_round, false).await?;
        by_binary += t;
        filtered_posted += c.posted;
        let name = format!("scoped-{round}");
        let elsewhere = namespaced_policy(&name, &match_path(&file.display().to_string()));
        let (t, c) = with_policy(
            &daemon,
            (&name, "default"),
            elsewhere,
            &path,
            per_round,
            false,
        )
        .await?;
        scoped += t;
        filtered_posted += c.posted;
        let name = format!("posting-{round}");
        let every = policy(&name, &match_path(&file.display().to_string()));
        let (t, c) = with_policy(&daemon, (&name, ""), every, &path, per_round, true).await?;
        posting += t;
        p.matched += c.matched;
        p.posted += c.posted;
        p.lost += c.lost;
        p.received += c.received;
        p.client_dropped += c.client_dropped;
    }
    let per = |d: Duration| d.as_secs_f64() * 1e9 / n as f64;
    let slowdown = |d: Duration| (d.as_secs_f64() / none.as_secs_f64() - 1.0) * 100.0;
    println!("openat-overhead: {n} openat+close calls, {ROUNDS} alternating rounds, one daemon");
    println!("  no policy:            {:>7.0} ns/call", per(none));
    println!(
        "  filtered by argument: {:>7.0} ns/call  {:>+7.2}%",
        per(filtered),
        slowdown(filtered)
    );
    println!(
        "  filtered by binary:   {:>7.0} ns/call  {:>+7.2}%",
        per(by_binary),
        slowdown(by_binary)
    );
    println!(
        "  outside its pods:     {:>7.0} ns/call  {:>+7.2}%",
        per(scoped),
        slowdown(scoped)
    );
    println!("  events posted by the filtered policies: {filtered_posted}");
    println!(
        "  posting every call:   {:>7.0} ns/call  {:>+7.2}%",
        per(posting),
        slowdown(posting)
    );
    println!(
        "  posting accounting:   {} calls, {} matched in kernel, {} posted, {} lost to a full ring buffer, {} received by the client, {} dropped for a slow client, {} unaccounted",
        n,
        p.matched,
        p.posted,
        p.lost,
        p.received,
        p.client_dropped,
        p.posted.saturating_sub(p.received + p.client_dropped)
    );
    Ok(())
}

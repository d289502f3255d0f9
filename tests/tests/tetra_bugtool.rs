//! `tetra bugtool`: the bundle exists, is under 2 MiB, lists its manifest,
//! and holds the expected files, with a running daemon and with none.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;
use tetragon_e2e::{Daemon, binary, can_run_bpf, free_port};

const MAX_BUNDLE: u64 = 2 * 1024 * 1024;

/// Extracts the bundle into `<dir>/x` (with the system's tar) and returns
/// the manifest.
fn unpack(bundle: &Path) -> (PathBuf, Value) {
    let dir = bundle.parent().unwrap().join("x");
    fs::create_dir_all(&dir).unwrap();
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(bundle)
        .arg("-C")
        .arg(&dir)
        .output()
        .expect("running tar");
    assert!(
        out.status.success(),
        "tar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = fs::read_to_string(dir.join("manifest.json")).expect("manifest.json");
    (
        dir,
        serde_json::from_str(&manifest).expect("manifest.json is JSON"),
    )
}

fn listed(manifest: &Value, key: &str) -> Vec<String> {
    manifest[key]
        .as_array()
        .unwrap_or_else(|| panic!("manifest has no {key}: {manifest}"))
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn failure<'a>(manifest: &'a Value, path: &str) -> Option<&'a str> {
    manifest["failures"]
        .as_array()?
        .iter()
        .find(|f| f["path"] == path)
        .and_then(|f| f["error"].as_str())
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file of the unpacked bundle, read as text, must not hold `secret`.
fn assert_nowhere(dir: &Path, secret: &str) {
    for entry in walk(dir) {
        let data = fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&data).contains(secret),
            "{} holds an environment variable's value",
            entry.display()
        );
        assert_ne!(entry.file_name().unwrap(), "environ");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

const KERNEL_FILES: &[&str] = &[
    "kernel/uname.txt",
    "kernel/config-bpf.txt",
    "kernel/sysctl.txt",
    "kernel/mounts.txt",
    "kernel/btf.txt",
    "kernel/lockdown.txt",
    "kernel/probe.txt",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_with_a_running_daemon() {
    if !can_run_bpf("bundle_with_a_running_daemon") {
        return;
    }
    let metrics = format!("127.0.0.1:{}", free_port());
    let daemon = Daemon::start(&["--metrics-server", &metrics])
        .await
        .unwrap();
    // Something in the export to take the tail of.
    let child = Command::new("/bin/true").spawn().unwrap().id();
    daemon
        .wait_exported("exec of /bin/true", |e| {
            tetragon_e2e::pid_of(e) == Some(child)
        })
        .await;

    let secret = format!("bugtool-secret-{}", std::process::id());
    let bundle = daemon.dir.path().join("bundle.tar.gz");
    let out = daemon
        .tetra()
        .env("TETRA_BUGTOOL_TEST_SECRET", &secret)
        .args(["bugtool", "-o"])
        .arg(&bundle)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}\n{stdout}");
    // A pipe gets no progress bar.
    assert_eq!(stderr, "");

    let size = fs::metadata(&bundle).unwrap().len();
    assert!(size < MAX_BUNDLE, "the bundle is {size} bytes");
    assert!(
        stdout.starts_with(&format!("wrote {}: ", bundle.display())),
        "{stdout}"
    );
    assert!(stdout.contains("\nmanifest.json "), "{stdout}");

    let (dir, manifest) = unpack(&bundle);
    let files = listed(&manifest, "files");
    for want in [
        "daemon/version.txt",
        "daemon/info.json",
        "daemon/configuration.txt",
        "daemon/health.json",
        "daemon/sensors.json",
        "daemon/loglevel.txt",
        "daemon/process-cache.jsonl",
        "daemon/tetragon-info.json",
        "daemon/process/status",
        "daemon/process/cmdline",
        "daemon/process/fds.txt",
        "daemon/tetragond.log",
        "daemon/export-tail.jsonl",
        "daemon/metrics.txt",
        "bpf/programs.txt",
        "bpf/maps.txt",
    ]
    .iter()
    .chain(KERNEL_FILES)
    {
        assert!(
            files.iter().any(|f| f == want),
            "{want} missing; manifest: {manifest:#}"
        );
        assert!(
            dir.join(want).exists(),
            "{want} is listed but not in the bundle"
        );
        // The summary names every file.
        assert!(
            stdout.contains(want),
            "{want} not in the summary:\n{stdout}"
        );
    }
    // Every file listed is in the bundle, with the size listed.
    for f in manifest["files"].as_array().unwrap() {
        let path = dir.join(f["path"].as_str().unwrap());
        assert_eq!(
            fs::metadata(&path).unwrap().len(),
            f["bytes"].as_u64().unwrap(),
            "{}",
            path.display()
        );
    }

    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(read("daemon/version.txt").starts_with(&format!("server version: {version}\n")));
    assert!(read("daemon/health.json").contains("HEALTH_STATUS_RUNNING"));
    assert!(read("daemon/process/status").contains(&format!("Pid:\t{}", daemon.pid())));
    assert!(read("daemon/process/cmdline").contains("--export-filename"));
    assert!(read("daemon/configuration.txt").contains("export-filename"));
    assert!(
        read("daemon/metrics.txt").contains("tetragon_"),
        "no metrics"
    );
    assert!(read("daemon/tetragond.log").contains("listening for gRPC clients"));
    let export = read("daemon/export-tail.jsonl");
    assert!(
        export
            .lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok()),
        "the export tail holds partial lines"
    );
    assert!(
        export.contains("/bin/true"),
        "the export tail has no recent events"
    );
    assert!(read("daemon/process-cache.jsonl").contains("\"process\""));
    // The daemon's own programs are among the loaded ones.
    let programs = read("bpf/programs.txt");
    assert!(!programs.starts_with("0 programs loaded"), "{programs}");
    assert!(read("kernel/config-bpf.txt").contains("CONFIG_BPF"));
    assert!(read("kernel/uname.txt").starts_with("sysname: Linux\n"));

    assert_nowhere(&dir, &secret);
}

#[test]
fn bundle_without_a_daemon() {
    let tmp = tempfile::tempdir().unwrap();
    let address = format!("unix://{}", tmp.path().join("none.sock").display());
    let bundle = tmp.path().join("bundle.tar.gz");
    let out = Command::new(binary("tetra"))
        .args([
            "--server-address",
            &address,
            "--timeout",
            "2s",
            "bugtool",
            "--out",
        ])
        .arg(&bundle)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}\n{stdout}");
    let size = fs::metadata(&bundle).unwrap().len();
    assert!(size < MAX_BUNDLE, "the bundle is {size} bytes");

    let (dir, manifest) = unpack(&bundle);
    let files = listed(&manifest, "files");
    for want in KERNEL_FILES {
        assert!(
            files.iter().any(|f| f == want),
            "{want} missing: {manifest:#}"
        );
        assert!(dir.join(want).exists());
    }
    // Each thing the daemon would have said is a failure naming the cause.
    for path in [
        "daemon/version.txt",
        "daemon/info.json",
        "daemon/health.json",
        "daemon/tracing-policies.json",
        "daemon/sensors.json",
    ] {
        let why = failure(&manifest, path).unwrap_or_else(|| panic!("{path}: {manifest:#}"));
        assert!(why.contains("none.sock"), "{path}: {why}");
        assert!(!dir.join(path).exists());
    }
    assert!(failure(&manifest, "daemon/metrics.txt").is_some());
    assert_eq!(manifest["server_address"], address.as_str());
    assert!(stdout.contains("\nnot collected ("), "{stdout}");
    assert!(
        stdout.contains("  daemon/version.txt: connecting to unix://"),
        "{stdout}"
    );
}

#[test]
fn an_unwritable_bundle_is_one_line_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let address = format!("unix://{}", tmp.path().join("none.sock").display());
    let out = Command::new(binary("tetra"))
        .args([
            "--server-address",
            &address,
            "--timeout",
            "1s",
            "bugtool",
            "-o",
        ])
        .arg(tmp.path().join("no/such/dir/b.tar.gz"))
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stderr.starts_with("tetra: writing "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(stdout, "");
}

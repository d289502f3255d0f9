//! Harness for the end-to-end tests: the real `tetragond` on a private
//! socket, export file and info file, and the real `tetra`.
//!
//! The binaries are the workspace's own build (`cargo build --bins` first;
//! `scripts/test.sh` does). These tests need root and real BPF: under
//! `CI=true` a missing privilege is a failure, elsewhere the test is skipped
//! with a message.

pub mod cri;
pub mod fake_apiserver;

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use tetragon_api::{
    from_json_line,
    tetragon::{
        GetEventsRequest, GetEventsResponse, GetHealthStatusRequest,
        fine_guidance_sensors_client::FineGuidanceSensorsClient, get_events_response::Event,
    },
};
use tonic::transport::Channel;

/// Whether this process may load BPF; panics under CI when it may not.
pub fn can_run_bpf(test: &str) -> bool {
    // SAFETY: geteuid has no memory effects.
    let root = unsafe { libc::geteuid() } == 0;
    let btf = Path::new("/sys/kernel/btf/vmlinux").exists();
    if root && btf {
        return true;
    }
    let why = if root { "no kernel BTF" } else { "not root" };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: cannot run under CI: {why}");
    }
    eprintln!("skipping {test}: {why}");
    false
}

/// A built binary of the workspace: `tetragond` or `tetra`.
pub fn binary(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let path = target.join(profile).join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --bins` before the end-to-end tests",
        path.display()
    );
    path
}

pub struct Daemon {
    child: Option<Child>,
    pub dir: tempfile::TempDir,
    pub socket: PathBuf,
    address: String,
    /// Serves TLS, which the harness's plaintext client cannot check.
    tls: bool,
    pub export: PathBuf,
    pub node: String,
}

impl Daemon {
    /// Starts tetragond on a private unix socket with `extra` flags and
    /// waits until it answers.
    pub async fn start(extra: &[&str]) -> Result<Daemon> {
        Daemon::start_on(None, extra).await
    }

    /// Starts tetragond listening on `address` (a private unix socket when
    /// None) and waits until it is ready.
    pub async fn start_on(address: Option<&str>, extra: &[&str]) -> Result<Daemon> {
        let dir = tempfile::Builder::new().prefix("tetragon-e2e").tempdir()?;
        let socket = dir.path().join("tetragon.sock");
        let address = address
            .map(str::to_string)
            .unwrap_or_else(|| format!("unix://{}", socket.display()));
        let export = dir.path().join("events.json");
        let node = format!("e2e-node-{}", std::process::id());
        let log = fs::File::create(dir.path().join("tetragond.log"))?;
        let child = Command::new(binary("tetragond"))
            .arg("--server-address")
            .arg(&address)
            .arg("--export-filename")
            .arg(&export)
            .arg("--info-file")
            .arg(dir.path().join("tetragon-info.json"))
            .arg("--node-name")
            .arg(&node)
            // Tests run side by side: no fixed health port (a test that
            // wants one passes its own, which wins).
            .args(["--health-server-address", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting tetragond")?;
        let mut daemon = Daemon {
            child: Some(child),
            dir,
            socket,
            address,
            tls: extra.contains(&"--server-tls-cert-file"),
            export,
            node,
        };
        daemon.wait_ready().await?;
        Ok(daemon)
    }

    /// Starts tetragond on 127.0.0.1:`port` serving mutual TLS with the
    /// certificates `make_test_certs` wrote in `certs`: its server pair,
    /// client certificates required and checked against `ca.pem`.
    pub async fn start_mtls(certs: &Path, port: u16) -> Result<Daemon> {
        let path = |f: &str| certs.join(f).display().to_string();
        let (cert, key, ca) = (path("server.pem"), path("server.key"), path("ca.pem"));
        Daemon::start_on(
            Some(&format!("127.0.0.1:{port}")),
            &[
                "--server-tls-cert-file",
                &cert,
                "--server-tls-key-file",
                &key,
                "--server-tls-client-ca-files",
                &ca,
                "--server-tls-require-client-cert",
            ],
        )
        .await
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    pub fn address(&self) -> String {
        self.address.clone()
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("tetragond.log")).unwrap_or_default()
    }

    async fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait()? {
                bail!(
                    "tetragond exited with {status} while starting:\n{}",
                    self.log()
                );
            }
            // The daemon writes its info file once it serves; a plaintext
            // server must also answer.
            if self.dir.path().join("tetragon-info.json").exists() {
                if self.tls {
                    return Ok(());
                }
                if let Ok(mut c) = self.client().await
                    && c.get_health(GetHealthStatusRequest::default())
                        .await
                        .is_ok()
                {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                bail!("tetragond did not answer within 60s:\n{}", self.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn client(&self) -> Result<FineGuidanceSensorsClient<Channel>> {
        tetra::client::connect(&self.address(), Duration::from_secs(5)).await
    }

    /// Streams every event from now on into a channel.
    pub async fn subscribe(&self) -> Result<EventSubscription> {
        let mut client = self.client().await?;
        let mut stream = client
            .get_events(GetEventsRequest::default())
            .await?
            .into_inner();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(Some(ev)) = stream.message().await {
                if tx.send(ev).is_err() {
                    break;
                }
            }
        });
        // Give the server a moment to attach the subscriber to the bus.
        tokio::time::sleep(Duration::from_millis(200)).await;
        Ok(EventSubscription {
            rx,
            seen: Vec::new(),
        })
    }

    /// Every event in the export file so far. A last line without its
    /// newline is still being written (a read can overlap a write) and is
    /// left for the next look, as `tail -f` readers do.
    pub fn exported(&self) -> Vec<GetEventsResponse> {
        let text = fs::read_to_string(&self.export).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| from_json_line(l).unwrap_or_else(|e| panic!("bad export line {l}: {e}")))
            .collect()
    }

    /// Waits until the export file holds an event matching `pred`.
    pub async fn wait_exported(
        &self,
        what: &str,
        pred: impl Fn(&GetEventsResponse) -> bool,
    ) -> GetEventsResponse {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(ev) = self.exported().into_iter().find(&pred) {
                return ev;
            }
            assert!(
                Instant::now() < deadline,
                "no exported event: {what}\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A `tetra` command pointed at this daemon.
    pub fn tetra(&self) -> Command {
        let mut cmd = Command::new(binary("tetra"));
        cmd.arg("--server-address").arg(self.address());
        cmd
    }

    /// The export file as `tetra getevents -o compact` prints it.
    pub fn compact_export(&self) -> String {
        let out = self
            .tetra()
            .args(["getevents", "-o", "compact"])
            .stdin(fs::File::open(&self.export).expect("the export file"))
            .output()
            .expect("running tetra");
        assert!(
            out.status.success(),
            "tetra: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("compact output is UTF-8")
    }

    /// Stops the daemon with SIGTERM and waits for it to exit.
    pub fn stop(&mut self) -> Result<std::process::ExitStatus> {
        let mut child = self.child.take().context("already stopped")?;
        // SAFETY: kill only signals the child we started.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                bail!("tetragond did not stop within 20s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.child.is_some() {
            let _ = self.stop();
        }
    }
}

pub struct EventSubscription {
    rx: tokio::sync::mpsc::UnboundedReceiver<GetEventsResponse>,
    pub seen: Vec<GetEventsResponse>,
}

impl EventSubscription {
    /// Waits for an event matching `pred` (also among those already seen).
    pub async fn wait_for(
        &mut self,
        what: &str,
        pred: impl Fn(&GetEventsResponse) -> bool,
    ) -> GetEventsResponse {
        if let Some(ev) = self.seen.iter().find(|e| pred(e)) {
            return ev.clone();
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(ev)) => {
                    let hit = pred(&ev);
                    self.seen.push(ev.clone());
                    if hit {
                        return ev;
                    }
                }
                Ok(None) => panic!("event stream ended before: {what}"),
                Err(_) => panic!("no event within 20s: {what}"),
            }
        }
    }
}

impl EventSubscription {
    /// The process_exec event of `pid`.
    pub async fn exec_of(&mut self, pid: u32) -> GetEventsResponse {
        self.wait_for(&format!("exec of pid {pid}"), |e| {
            matches!(e.event, Some(Event::ProcessExec(_))) && pid_of(e) == Some(pid)
        })
        .await
    }

    /// The process_exit event of `pid`.
    pub async fn exit_of(&mut self, pid: u32) -> GetEventsResponse {
        self.wait_for(&format!("exit of pid {pid}"), |e| {
            matches!(e.event, Some(Event::ProcessExit(_))) && pid_of(e) == Some(pid)
        })
        .await
    }
}

/// pid of the event's process.
pub fn pid_of(ev: &GetEventsResponse) -> Option<u32> {
    ev.process().and_then(|p| p.pid).map(|p| p.value)
}

/// Whether a compact line is `want`, allowing for the CAP_SYS_ADMIN trailer
/// (the tests run as root) and the padding before it.
pub fn compact_line_is(line: &str, want: &str) -> bool {
    let line = line.strip_suffix("🛑 CAP_SYS_ADMIN").unwrap_or(line);
    line.trim_end() == want.trim_end()
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("binding 127.0.0.1:0")
}

/// Certificates for TLS tests, made with the openssl command in `dir`: CAs
/// `ca` and `other-ca`, `server` (127.0.0.1, tetragon.test, localhost) and
/// `client` (client auth) signed by `ca`; `.pem` and `.key` each.
pub fn make_test_certs(dir: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let new_ca = |name: &str| {
        run(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "1",
            "-subj",
            &format!("/CN=test-{name}"),
        ])
    };
    new_ca("ca");
    new_ca("other-ca");
    for (name, ext) in [
        (
            "server",
            "subjectAltName=IP:127.0.0.1,DNS:tetragon.test,DNS:localhost",
        ),
        ("client", "extendedKeyUsage=clientAuth"),
    ] {
        run(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={name}"),
        ]);
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        run(&[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &format!("{name}.pem"),
            "-days",
            "1",
            "-extfile",
            &format!("{name}.ext"),
        ]);
    }
}

/// GET /metrics from a daemon's `--metrics-server` on 127.0.0.1:`port`: the
/// whole HTTP answer, checked to be a 200.
pub fn scrape_metrics(port: u16) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the metrics server");
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .expect("asking for /metrics");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("reading /metrics");
    assert!(
        text.starts_with("HTTP/1.1 200"),
        "{}",
        &text[..text.len().min(200)]
    );
    text
}

/// The value of the sample written exactly `series` (name and labels).
pub fn metric_value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
}

/// A policy on openat(2) whose selector matches opens of `path`.
/// `header` is its kind and metadata, `scope` goes first in `spec`
/// (podSelector ...), `actions` after the selector's matchArgs.
pub fn openat_policy_yaml(header: &str, scope: &str, path: &str, actions: &str) -> String {
    let scope = if scope.is_empty() {
        String::new()
    } else {
        format!("{scope}\n")
    };
    format!(
        r#"apiVersion: cilium.io/v1alpha1
{header}
spec:
{scope}  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "string"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "{path}"
{actions}"#
    )
}

/// Runs tetra with `args`, `input` on its stdin, and waits for it.
pub fn tetra_with_input(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(binary("tetra"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting tetra");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .expect("writing tetra's input");
    child.wait_with_output().expect("waiting for tetra")
}

//! The container image in a real Docker engine, run the way the documents
//! run upstream's:
//!
//! ```sh
//! docker run --name tetragon-container --rm --pid=host --cgroupns=host --privileged \
//!   -v /sys/kernel/btf/vmlinux:/var/lib/tetragon/btf <image>
//! docker exec tetragon-container tetra getevents -o compact
//! ```
//!
//! (the documents also pass `--pull always`, which needs a registry: there is
//! none here, the image exists only in the local engine).
//!
//! A private `dockerd` (its own data root, exec root, pid file and socket,
//! `--iptables=false --bridge=none`, so neither a system daemon nor the
//! host's network is touched) builds the Dockerfile from base images made
//! locally by `scripts/container-test-env.sh`. Its data root and the
//! debootstrap tarball stay in `/var/cache/tetragon-rs-test` (override with
//! `TETRAGON_TEST_CACHE`), so a second run reuses the images and the cargo
//! caches of the build; a fresh machine builds everything. The engine is
//! stopped at the end and leaves no container or mount behind. Where this
//! machine's capability bounding set lacks a capability (our VMs drop
//! CAP_SYS_RESOURCE), Docker 20.10's `--privileged` would ask runc for it
//! and fail, so the engine's runtime is `scripts/container-test-runc.sh`,
//! runc without the withheld capabilities.
//!
//! Needs root and kernel BTF, and installs Docker (Debian's `docker.io`),
//! `debootstrap` and `jq` when they are missing. Without them the test is skipped
//! with the reason, except under `CI=true`, where that is a failure.

use std::{
    fs,
    io::{BufRead, BufReader},
    os::fd::AsRawFd,
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Output, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use tetragon_api::{
    from_json_line,
    tetragon::{GetEventsResponse, get_events_response::Event},
};
use tetragon_e2e::can_run_bpf;

/// The image the test builds.
const IMAGE: &str = "tetragon-rs-test/tetragon:e2e";
/// The issue's target for the runtime image, uncompressed.
const IMAGE_SIZE_LIMIT: u64 = 60 * 1000 * 1000;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (or fails under CI) with `why`.
fn cannot_run(test: &str, why: &str) -> bool {
    if under_ci() {
        panic!("{test}: cannot run under CI: {why}");
    }
    eprintln!("skipping {test}: {why}");
    false
}

/// Whether dockerd and debootstrap are here, installing Debian's packages
/// when they are not.
fn have_docker(test: &str) -> bool {
    let missing = |cmd: &str| {
        !Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if missing("dockerd") || missing("debootstrap") || missing("jq") {
        eprintln!("{test}: installing docker.io, debootstrap and jq");
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(["docker.io", "debootstrap", "jq"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status();
    }
    if missing("dockerd") || missing("debootstrap") || missing("jq") {
        return cannot_run(
            test,
            "dockerd, debootstrap or jq is missing and apt-get could not install them",
        );
    }
    true
}

/// The docker client of the engine's own package, whose `docker build`
/// speaks to its BuildKit; a newer client elsewhere on PATH may want buildx.
fn docker_client() -> PathBuf {
    ["/usr/bin/docker", "/usr/local/bin/docker"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("docker"))
}

fn cache_dir() -> PathBuf {
    std::env::var_os("TETRAGON_TEST_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/tetragon-rs-test"))
}

/// A private dockerd on its own socket.
struct Engine {
    dockerd: Option<Child>,
    /// Exec root, socket, pid file, config and log.
    run_dir: PathBuf,
    data_root: PathBuf,
    socket: PathBuf,
    /// Held while the engine runs: one engine per data root.
    _lock: fs::File,
}

impl Engine {
    fn start(cache: &Path) -> Engine {
        fs::create_dir_all(cache).unwrap();
        let lock = fs::File::create(cache.join("lock")).unwrap();
        // SAFETY: flock on a file we own; blocks while another run holds it.
        assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
        let data_root = cache.join("docker");
        // Short: the socket path must fit a sockaddr_un.
        let run_dir = PathBuf::from(format!("/run/tetragon-rs-test.{}", std::process::id()));
        let _ = fs::remove_dir_all(&run_dir);
        fs::create_dir_all(&run_dir).unwrap();
        let socket = run_dir.join("docker.sock");
        // An empty configuration: nothing from /etc/docker/daemon.json.
        fs::write(run_dir.join("daemon.json"), "{}").unwrap();
        let log = fs::File::create(run_dir.join("dockerd.log")).unwrap();
        let mut dockerd = Command::new("dockerd");
        if let Some(missing) = withheld_capabilities() {
            eprintln!(
                "this machine's capability bounding set lacks {missing}: containers run through \
                 scripts/container-test-runc.sh, which leaves those out of --privileged"
            );
            let runc = repo_root().join("scripts/container-test-runc.sh");
            dockerd
                .arg("--add-runtime")
                .arg(format!("tetragon-test={}", runc.display()))
                .args(["--default-runtime", "tetragon-test"]);
        }
        let dockerd = dockerd
            .arg("--data-root")
            .arg(&data_root)
            .arg("--exec-root")
            .arg(run_dir.join("exec"))
            .arg("--pidfile")
            .arg(run_dir.join("dockerd.pid"))
            .arg("--config-file")
            .arg(run_dir.join("daemon.json"))
            .arg("-H")
            .arg(format!("unix://{}", socket.display()))
            .args(["--iptables=false", "--bridge=none"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting dockerd");
        let mut engine = Engine {
            dockerd: Some(dockerd),
            run_dir,
            data_root,
            socket,
            _lock: lock,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = engine
                .docker()
                .args(["version", "--format", "{{.Server.Version}}"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if up {
                break;
            }
            if let Some(status) = engine.dockerd.as_mut().unwrap().try_wait().unwrap() {
                panic!("dockerd exited with {status}:\n{}", engine.log());
            }
            assert!(
                Instant::now() < deadline,
                "dockerd did not answer within 60s:\n{}",
                engine.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // What a run killed midway left in the data root.
        engine.remove_all_containers();
        engine
    }

    fn log(&self) -> String {
        fs::read_to_string(self.run_dir.join("dockerd.log")).unwrap_or_default()
    }

    fn host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    fn docker(&self) -> Command {
        let mut cmd = Command::new(docker_client());
        cmd.env("DOCKER_HOST", self.host())
            .env("DOCKER_BUILDKIT", "1");
        cmd
    }

    /// Runs `docker <args>` and returns its stdout; panics on failure.
    fn run(&self, args: &[&str]) -> String {
        let out = self.docker().args(args).output().expect("running docker");
        assert!(
            out.status.success(),
            "docker {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Also runs while a failed test unwinds: it must not panic.
    fn remove_all_containers(&self) {
        let Ok(out) = self.docker().args(["ps", "-aq"]).output() else {
            return;
        };
        let ids = String::from_utf8_lossy(&out.stdout);
        let ids: Vec<&str> = ids.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f"];
            args.extend(ids);
            let _ = self.docker().args(&args).output();
        }
    }

    /// Mounts (overlays, shm, netns) under the engine's directories.
    fn mounts(&self) -> Vec<String> {
        let mounts = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let data_root = self.data_root.display().to_string();
        let run_dir = self.run_dir.display().to_string();
        mounts
            .lines()
            .filter_map(|l| l.split(' ').nth(4))
            .filter(|m| m.starts_with(&data_root) || m.starts_with(&run_dir))
            .map(str::to_string)
            .collect()
    }

    /// Removes every container and stops dockerd; returns what it left
    /// mounted.
    fn stop(&mut self) -> Vec<String> {
        let Some(mut dockerd) = self.dockerd.take() else {
            return Vec::new();
        };
        // A dockerd that already exited was reaped: its pid is not ours
        // to signal any more.
        if dockerd.try_wait().ok().flatten().is_none() {
            self.remove_all_containers();
            // SAFETY: signals only the dockerd this test started, which
            // has not been reaped.
            unsafe { libc::kill(dockerd.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(60);
            while dockerd.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    let _ = dockerd.kill();
                    let _ = dockerd.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let left = self.mounts();
        if left.is_empty() {
            let _ = fs::remove_dir_all(&self.run_dir);
        }
        left
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let left = self.stop();
        if !left.is_empty() {
            eprintln!("dockerd left mounts behind: {left:?}");
        }
    }
}

/// The capabilities the kernel has that this process's bounding set lacks
/// (`--privileged` asks runc for all of them), as a list of numbers; None
/// when there are none.
fn withheld_capabilities() -> Option<String> {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let bounding = status
        .lines()
        .find_map(|l| l.strip_prefix("CapBnd:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())?;
    let last: u32 = fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let missing: Vec<String> = (0..=last)
        .filter(|c| bounding & (1 << c) == 0)
        .map(|c| c.to_string())
        .collect();
    (!missing.is_empty()).then(|| format!("capabilities {}", missing.join(", ")))
}

/// The local base images, made by scripts/container-test-env.sh.
struct BaseImages {
    builder: String,
    /// The targets whose standard library the builder's toolchain has.
    rust_targets: String,
    /// The runtime base for each architecture asked for.
    runtimes: Vec<(String, String)>,
    busybox: String,
}

impl BaseImages {
    fn runtime(&self, arch: &str) -> &str {
        self.runtimes
            .iter()
            .find(|(a, _)| a == arch)
            .map(|(_, image)| image.as_str())
            .unwrap_or_else(|| panic!("no runtime base image for {arch}"))
    }
}

/// This machine's architecture, named the Docker way.
fn native_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => panic!("no container image for {other}"),
    }
}

fn base_images(engine: &Engine, cache: &Path, arches: &[&str]) -> BaseImages {
    let started = Instant::now();
    let out = Command::new(repo_root().join("scripts/container-test-env.sh"))
        .arg(cache)
        .env("DOCKER_HOST", engine.host())
        .env("DOCKER", docker_client())
        .env("ARCHES", arches.join(" "))
        .stderr(Stdio::inherit())
        .output()
        .expect("running scripts/container-test-env.sh");
    assert!(out.status.success(), "scripts/container-test-env.sh failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("container-test-env.sh printed no {key}: {text}"))
            .trim()
            .to_string()
    };
    eprintln!("base images ready in {:.0?}", started.elapsed());
    BaseImages {
        builder: value("BUILDER"),
        rust_targets: value("RUST_TARGETS"),
        runtimes: arches
            .iter()
            .map(|a| {
                (
                    a.to_string(),
                    value(&format!("RUNTIME_{}", a.to_uppercase())),
                )
            })
            .collect(),
        busybox: value("BUSYBOX"),
    }
}

/// `docker build --platform linux/<arch>` of the repository's Dockerfile
/// with the local base images, tagged `tag`.
fn build_image(engine: &Engine, base: &BaseImages, arch: &str, tag: &str) {
    let started = Instant::now();
    let log_path = engine.run_dir.join(format!("build-{arch}.log"));
    let log = fs::File::create(&log_path).unwrap();
    let status = engine
        .docker()
        .args(["build", "--network", "host", "--progress", "plain"])
        .args(["--platform", &format!("linux/{arch}")])
        .args(["--build-arg", &format!("BUILDER_IMAGE={}", base.builder)])
        .args([
            "--build-arg",
            &format!("RUNTIME_IMAGE={}", base.runtime(arch)),
        ])
        .args([
            "--build-arg",
            &format!("TETRAGON_VERSION={}", env!("CARGO_PKG_VERSION")),
        ])
        .args(["-t", tag])
        .arg(repo_root())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .status()
        .expect("running docker build");
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    assert!(status.success(), "docker build for {arch} failed:\n{text}");
    eprintln!("docker build for {arch} took {:.0?}", started.elapsed());
    // Each build leaves the previous image untagged, a copy of the build
    // context and layers of earlier sources: they go, the most recently
    // used cache (cargo's downloads and build directories) stays.
    for prune in [
        &["image", "prune", "-f"][..],
        &["builder", "prune", "-f", "--filter", "type=source.local"],
        &["builder", "prune", "-f", "--keep-storage", "5GB"],
    ] {
        let _ = engine.docker().args(prune).output();
    }
}

/// A container started in the foreground, as a user types it; its
/// `docker run` process ends with the container's exit code.
struct Container<'a> {
    engine: &'a Engine,
    name: String,
    run: Option<Child>,
    log: PathBuf,
}

impl<'a> Container<'a> {
    /// `docker run --name <name> <args>`; waits until `tetra status` in it
    /// answers.
    fn start(engine: &'a Engine, name: &str, args: &[&str]) -> Container<'a> {
        let log = engine.run_dir.join(format!("{name}.log"));
        let out = fs::File::create(&log).unwrap();
        let run = engine
            .docker()
            .args(["run", "--name", name])
            .args(args)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("running docker run");
        let mut c = Container {
            engine,
            name: name.to_string(),
            run: Some(run),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = c.run.as_mut().unwrap().try_wait().unwrap() {
                panic!("docker run {args:?} exited with {status}:\n{}", c.log());
            }
            let ready = c
                .exec(&["tetra", "status"])
                .is_ok_and(|o| o.status.success());
            if ready {
                return c;
            }
            assert!(
                Instant::now() < deadline,
                "the daemon in {name} did not answer `tetra status` within 60s:\n{}",
                c.log()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn exec(&self, args: &[&str]) -> std::io::Result<Output> {
        self.engine
            .docker()
            .args(["exec", &self.name])
            .args(args)
            .output()
    }

    /// `docker exec <name> <args>` with its stdout as lines on a channel.
    fn exec_lines(&self, args: &[&str]) -> Lines {
        let mut child = self
            .engine
            .docker()
            .args(["exec", &self.name])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("running docker exec");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            child,
            rx,
            seen: Vec::new(),
        }
    }

    /// `docker stop <name>`; returns the container's exit status and how
    /// long the stop took.
    fn stop(mut self) -> (ExitStatus, Duration) {
        let started = Instant::now();
        self.engine.run(&["stop", &self.name]);
        let took = started.elapsed();
        let status = self.run.take().unwrap().wait().unwrap();
        (status, took)
    }
}

impl Drop for Container<'_> {
    fn drop(&mut self) {
        if let Some(mut run) = self.run.take() {
            let _ = self.engine.docker().args(["rm", "-f", &self.name]).output();
            let _ = run.wait();
        }
    }
}

/// Lines a `docker exec` prints, as they come.
struct Lines {
    child: Child,
    rx: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Lines {
    /// The first line (also among those seen before) matching `pred`,
    /// waiting up to `within`.
    fn find(&mut self, within: Duration, pred: impl Fn(&str) -> bool) -> Option<String> {
        if let Some(l) = self.seen.iter().find(|l| pred(l)) {
            return Some(l.clone());
        }
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    let hit = pred(&line);
                    self.seen.push(line.clone());
                    if hit {
                        return Some(line);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }
}

impl Drop for Lines {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A program of the host with a name nothing else uses.
struct HostProgram {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl HostProgram {
    fn new(name: &str) -> HostProgram {
        let dir = tempfile::Builder::new()
            .prefix("tetragon-container")
            .tempdir()
            .unwrap();
        let path = dir.path().join(format!("{name}-{}", std::process::id()));
        fs::copy("/bin/true", &path).unwrap();
        HostProgram { _dir: dir, path }
    }

    fn binary(&self) -> String {
        self.path.display().to_string()
    }

    fn run(&self, arg: &str) {
        let status = Command::new(&self.path).arg(arg).status().unwrap();
        assert!(status.success());
    }

    /// Runs the program with `round-<n>` until `seen(arg)` says the daemon
    /// reported it (the stream may attach after the first runs); returns the
    /// argument of the reported run.
    fn run_until(&self, what: &str, mut seen: impl FnMut(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        for n in 0.. {
            let arg = format!("round-{n}");
            self.run(&arg);
            if seen(&arg) {
                return arg;
            }
            assert!(Instant::now() < deadline, "never reported: {what}");
        }
        unreachable!()
    }
}

/// Events in a JSON export file.
fn exported(path: &Path) -> Vec<GetEventsResponse> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let complete = text.rfind('\n').map_or("", |end| &text[..end]);
    complete
        .lines()
        .filter(|l| !l.is_empty())
        .filter_map(|l| from_json_line(l).ok())
        .collect()
}

fn is_exec_of(ev: &GetEventsResponse, binary: &str, arg: &str) -> bool {
    matches!(&ev.event, Some(Event::ProcessExec(_)))
        && ev
            .process()
            .is_some_and(|p| p.binary == binary && p.arguments == arg)
}

/// Waits until the export file at `path` holds an exec of `program`,
/// running it until it does; returns that event.
fn exported_exec(
    path: &Path,
    program: &HostProgram,
    log: impl Fn() -> String,
) -> GetEventsResponse {
    let mut found = None;
    program.run_until(
        &format!("exec of {} in {}", program.binary(), path.display()),
        |arg| {
            std::thread::sleep(Duration::from_millis(300));
            found = exported(path)
                .into_iter()
                .find(|ev| is_exec_of(ev, &program.binary(), arg));
            if found.is_none() && !path.exists() {
                eprintln!("no export file yet at {}:\n{}", path.display(), log());
            }
            found.is_some()
        },
    );
    found.unwrap()
}

/// A private engine holding the image built from the repository for this
/// machine.
fn engine_with_image() -> (Engine, BaseImages) {
    let cache = cache_dir();
    let engine = Engine::start(&cache);
    let base = base_images(&engine, &cache, &[native_arch()]);
    build_image(&engine, &base, native_arch(), IMAGE);
    (engine, base)
}

/// The flags every run in the documents has.
const DOCUMENTED: [&str; 6] = [
    "--rm",
    "--pid=host",
    "--cgroupns=host",
    "--privileged",
    "-v",
    "/sys/kernel/btf/vmlinux:/var/lib/tetragon/btf",
];

#[test]
fn the_documented_docker_run_works() {
    const TEST: &str = "the_documented_docker_run_works";
    if !can_run_bpf(TEST) || !have_docker(TEST) {
        return;
    }
    let started = Instant::now();
    let (mut engine, base) = engine_with_image();
    check_image(&engine);

    // 1. The documents' command line, then `tetra getevents -o compact` in
    // the container shows what runs on the host.
    let daemon = Container::start(
        &engine,
        "tetragon-container",
        &[&DOCUMENTED[..], &[IMAGE]].concat(),
    );
    let program = HostProgram::new("tetragon-e2e-docker-host");
    let mut compact = daemon.exec_lines(&["tetra", "getevents", "-o", "compact"]);
    let binary = program.binary();
    let arg = program.run_until("the host program in `tetra getevents -o compact`", |arg| {
        compact
            .find(Duration::from_millis(500), |l| {
                l.starts_with("🚀 process") && l.contains(&format!("{binary} {arg}"))
            })
            .is_some()
    });
    let exit = compact.find(Duration::from_secs(20), |l| {
        l.starts_with("💥 exit") && l.contains(&format!("{binary} {arg}"))
    });
    assert!(
        exit.is_some(),
        "no exit line for {binary} {arg}; saw:\n{}",
        compact.seen.join("\n")
    );

    // 2. A busybox container's processes carry its container id (docker's
    // 64-hex id, the first 31 characters in `docker`, as upstream shows
    // it; `process.pod.container.id` needs Kubernetes metadata).
    let mut json = daemon.exec_lines(&["tetra", "getevents"]);
    let seen_json = program.run_until("the host program in `tetra getevents`", |arg| {
        json.find(Duration::from_millis(500), |l| {
            from_json_line(l).is_ok_and(|ev| is_exec_of(&ev, &binary, arg))
        })
        .is_some()
    });
    assert!(!seen_json.is_empty());
    let marker = format!("tetragon-e2e-busybox-{}", std::process::id());
    let script = format!("sleep 0.5; echo {marker}");
    let id = engine
        .run(&["run", "-d", "--rm", &base.busybox, "sh", "-c", &script])
        .trim()
        .to_string();
    assert_eq!(id.len(), 64, "docker run -d printed {id:?}");
    let in_container = json.find(Duration::from_secs(20), |l| {
        from_json_line(l).is_ok_and(|ev| {
            matches!(&ev.event, Some(Event::ProcessExec(_)))
                && ev
                    .process()
                    .is_some_and(|p| p.binary == "/bin/sh" && p.arguments.contains(&marker))
        })
    });
    let in_container = in_container.unwrap_or_else(|| {
        panic!(
            "no exec of the busybox container's `sh -c {script}`; saw:\n{}",
            json.seen.join("\n")
        )
    });
    let ev = from_json_line(&in_container).unwrap();
    let process = ev.process().unwrap();
    assert_eq!(
        process.docker,
        id[..31],
        "the busybox container's process carries its id: {in_container}"
    );
    let _ = engine.docker().args(["wait", &id]).output();
    drop(json);

    // 3. `docker stop` ends the daemon cleanly: SIGTERM, exit code 0, well
    // before docker's 10s SIGKILL, while a client is still streaming.
    let (status, took) = daemon.stop();
    drop(compact);
    assert_eq!(
        status.code(),
        Some(0),
        "docker stop: the container exited with {status} after {took:.1?}"
    );
    assert!(took < Duration::from_secs(9), "docker stop took {took:.1?}");

    // 4. Words after the image: a whole command, with settings from a
    // drop-in directory mounted over /etc/tetragon/tetragon.conf.d.
    let dir = tempfile::Builder::new()
        .prefix("tetragon-container")
        .tempdir()
        .unwrap();
    let conf = dir.path().join("tetragon.conf.d");
    let logs = dir.path().join("log");
    fs::create_dir_all(&conf).unwrap();
    fs::create_dir_all(&logs).unwrap();
    fs::write(conf.join("node-name"), "docker-dropin-node\n").unwrap();
    let conf_mount = format!("{}:/etc/tetragon/tetragon.conf.d/", conf.display());
    let log_mount = format!("{}:/var/log/tetragon", logs.display());
    let c = Container::start(
        &engine,
        "tetragon-e2e-command",
        &[
            &DOCUMENTED[..],
            &["-v", &conf_mount, "-v", &log_mount, IMAGE],
            &[
                "/usr/bin/tetragon",
                "--export-filename",
                "/var/log/tetragon/tetragon.log",
            ],
        ]
        .concat(),
    );
    let ev = exported_exec(&logs.join("tetragon.log"), &program, || c.log());
    assert_eq!(
        ev.node_name, "docker-dropin-node",
        "node-name from the drop-in"
    );
    let (status, _) = c.stop();
    assert_eq!(status.code(), Some(0), "the command container's exit");

    // 5. TETRAGON_* variables, and flags straight after the image.
    let c = Container::start(
        &engine,
        "tetragon-e2e-env",
        &[
            &DOCUMENTED[..],
            &[
                "--env",
                "TETRAGON_EXPORT_FILENAME=/var/log/tetragon/env.log",
            ],
            &["-v", &log_mount, IMAGE, "--node-name", "docker-flag-node"],
        ]
        .concat(),
    );
    let ev = exported_exec(&logs.join("env.log"), &program, || c.log());
    assert_eq!(
        ev.node_name, "docker-flag-node",
        "--node-name after the image"
    );
    let (status, _) = c.stop();
    assert_eq!(status.code(), Some(0), "the env container's exit");

    assert!(
        engine.run(&["ps", "-aq"]).trim().is_empty(),
        "--rm removed every container"
    );
    let left = engine.stop();
    assert!(left.is_empty(), "dockerd left mounts behind: {left:?}");
    eprintln!("{TEST}: {:.0?} in all", started.elapsed());
}

/// The image's labels, size and files.
fn check_image(engine: &Engine) {
    let label = |key: &str| {
        engine
            .run(&[
                "image",
                "inspect",
                "--format",
                &format!("{{{{index .Config.Labels \"{key}\"}}}}"),
                IMAGE,
            ])
            .trim()
            .to_string()
    };
    assert_eq!(
        label("org.opencontainers.image.version"),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(label("org.opencontainers.image.licenses"), "Apache-2.0");
    assert!(!label("org.opencontainers.image.source").is_empty());

    let size: u64 = engine
        .run(&["image", "inspect", "--format", "{{.Size}}", IMAGE])
        .trim()
        .parse()
        .unwrap();
    eprintln!("image {IMAGE}: {:.1} MB uncompressed", size as f64 / 1e6);
    assert!(
        size < IMAGE_SIZE_LIMIT,
        "the runtime image is {size} bytes, over the {IMAGE_SIZE_LIMIT} target"
    );

    // The file tree, from `docker export` of a created container.
    let id = engine.run(&["create", IMAGE]).trim().to_string();
    let mut export = engine
        .docker()
        .args(["export", &id])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let listing = Command::new("tar")
        .arg("-tvf")
        .arg("-")
        .stdin(export.stdout.take().unwrap())
        .output()
        .unwrap();
    assert!(export.wait().unwrap().success(), "docker export {id}");
    engine.run(&["rm", &id]);
    let listing = String::from_utf8(listing.stdout).unwrap();
    let has = |entry: &str| listing.lines().any(|l| l.ends_with(entry));
    for entry in [
        " usr/bin/tetragond",
        " usr/bin/tetra",
        " usr/bin/tetragon -> tetragond",
        " usr/share/man/man1/tetra.1",
        " usr/share/man/man8/tetragond.8",
        " usr/share/bash-completion/completions/tetra",
        " usr/share/zsh/vendor-completions/_tetra",
        " usr/share/fish/vendor_completions.d/tetra.fish",
        " etc/tetragon/tetragon.tp.d/",
        " etc/tetragon/tetragon.conf.d/",
    ] {
        assert!(has(entry), "the image has no {entry}:\n{listing}");
    }
    let entrypoint = engine.run(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config.Entrypoint}}",
        IMAGE,
    ]);
    assert_eq!(entrypoint.trim(), r#"["/usr/bin/tetragon-entrypoint"]"#);
}

/// The documents' policy steps: a policy file mounted into
/// /etc/tetragon/tetragon.tp.d/ is loaded at start and takes effect, and
/// one named by `--tracing-policy` after the image is loaded too.
#[test]
fn a_policy_mounted_into_the_policy_directory_loads_at_start() {
    const TEST: &str = "a_policy_mounted_into_the_policy_directory_loads_at_start";
    if !can_run_bpf(TEST) || !have_docker(TEST) {
        return;
    }
    let (mut engine, _) = engine_with_image();
    // pwd calls getcwd; `syscall: true` hooks are served by the syscall
    // tracepoints where the kernel has no kprobes.
    let dir = tempfile::Builder::new()
        .prefix("tetragon-container")
        .tempdir()
        .unwrap();
    let program = dir
        .path()
        .join(format!("tetragon-e2e-docker-pwd-{}", std::process::id()));
    fs::copy("/bin/pwd", &program).unwrap();
    let binary = program.display().to_string();
    let policy = dir.path().join("e2e_policy.yaml");
    fs::write(
        &policy,
        format!(
            r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: e2e-container-getcwd
spec:
  kprobes:
  - call: sys_getcwd
    syscall: true
    selectors:
    - matchBinaries:
      - operator: In
        values:
        - "{binary}"
"#
        ),
    )
    .unwrap();
    let mount = format!(
        "{}:/etc/tetragon/tetragon.tp.d/e2e_policy.yaml",
        policy.display()
    );
    let args = [
        &DOCUMENTED[..4],
        &["-v", &mount],
        &DOCUMENTED[4..],
        &[IMAGE],
    ]
    .concat();
    let daemon = Container::start(&engine, "tetragon-container", &args);
    let list = daemon.exec(&["tetra", "tracingpolicy", "list"]).unwrap();
    let list_text = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.status.success() && list_text.contains("e2e-container-getcwd"),
        "tetra tracingpolicy list: {list_text}{}\n{}",
        String::from_utf8_lossy(&list.stderr),
        daemon.log()
    );
    let mut json = daemon.exec_lines(&["tetra", "getevents"]);
    let mut hit = None;
    for _ in 0..60 {
        let status = Command::new(&program)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        hit = json.find(Duration::from_millis(500), |l| {
            from_json_line(l).is_ok_and(|ev| {
                matches!(&ev.event, Some(Event::ProcessKprobe(_)))
                    && ev.process().is_some_and(|p| p.binary == binary)
            })
        });
        if hit.is_some() {
            break;
        }
    }
    assert!(
        hit.is_some(),
        "no process_kprobe event of {binary}; saw:\n{}",
        json.seen.join("\n")
    );
    drop(json);
    let (status, _) = daemon.stop();
    assert_eq!(status.code(), Some(0));

    // The getting-started page's variant: the file mounted elsewhere and
    // named with --tracing-policy after the image.
    let mount = format!("{}:/tracing_policy.yaml", policy.display());
    let args = [
        &DOCUMENTED[..4],
        &["-v", &mount],
        &DOCUMENTED[4..],
        &[IMAGE, "--tracing-policy", "/tracing_policy.yaml"],
    ]
    .concat();
    let daemon = Container::start(&engine, "tetragon-container", &args);
    let list = daemon.exec(&["tetra", "tracingpolicy", "list"]).unwrap();
    let list_text = String::from_utf8_lossy(&list.stdout);
    assert!(
        list_text.contains("e2e-container-getcwd"),
        "tetra tracingpolicy list after --tracing-policy: {list_text}\n{}",
        daemon.log()
    );
    let (status, _) = daemon.stop();
    assert_eq!(status.code(), Some(0));
    let left = engine.stop();
    assert!(left.is_empty(), "dockerd left mounts behind: {left:?}");
}

/// The image's other platform: `docker build --platform linux/arm64` on
/// this amd64 machine cross-compiles in the builder (Rust, the BPF programs
/// with `__TARGET_ARCH_arm64`, the entrypoint) and puts the result on an
/// arm64 runtime base. Nothing here runs arm64 code, so the check is that
/// every program in the image is an aarch64 ELF. Skipped, with the reason,
/// where the Rust target cannot be installed.
#[test]
fn the_image_cross_builds_for_arm64() {
    const TEST: &str = "the_image_cross_builds_for_arm64";
    const ARM64_IMAGE: &str = "tetragon-rs-test/tetragon:e2e-arm64";
    const TARGET: &str = "aarch64-unknown-linux-gnu";
    if native_arch() != "amd64" {
        eprintln!("skipping {TEST}: it cross-builds from amd64");
        return;
    }
    if !can_run_bpf(TEST) || !have_docker(TEST) {
        return;
    }
    if let Some(why) = rust_target_missing(TARGET) {
        eprintln!("skipping {TEST}: {why}");
        return;
    }
    let cache = cache_dir();
    let mut engine = Engine::start(&cache);
    let base = base_images(&engine, &cache, &["amd64", "arm64"]);
    assert!(
        base.rust_targets.split_whitespace().any(|t| t == TARGET),
        "the builder's toolchain has no {TARGET}: {}",
        base.rust_targets
    );
    build_image(&engine, &base, "arm64", ARM64_IMAGE);

    let arch = engine.run(&[
        "image",
        "inspect",
        "--format",
        "{{.Architecture}}",
        ARM64_IMAGE,
    ]);
    assert_eq!(arch.trim(), "arm64");
    let size: u64 = engine
        .run(&["image", "inspect", "--format", "{{.Size}}", ARM64_IMAGE])
        .trim()
        .parse()
        .unwrap();
    eprintln!(
        "image {ARM64_IMAGE}: {:.1} MB uncompressed",
        size as f64 / 1e6
    );
    let id = engine.run(&["create", ARM64_IMAGE]).trim().to_string();
    let dir = tempfile::Builder::new()
        .prefix("tetragon-container")
        .tempdir()
        .unwrap();
    for program in ["tetragond", "tetra", "tetragon-entrypoint"] {
        let to = dir.path().join(program);
        engine.run(&[
            "cp",
            &format!("{id}:/usr/bin/{program}"),
            &to.display().to_string(),
        ]);
        let elf = fs::read(&to).unwrap();
        assert_eq!(&elf[..4], b"\x7fELF", "{program} is an ELF file");
        // e_machine, little-endian: 183 is EM_AARCH64.
        let machine = u16::from_le_bytes([elf[18], elf[19]]);
        assert_eq!(machine, 183, "{program} is built for aarch64");
    }
    engine.run(&["rm", &id]);
    let left = engine.stop();
    assert!(left.is_empty(), "dockerd left mounts behind: {left:?}");
}

/// Why the Rust standard library for `target` is not there, after trying
/// `rustup target add`; None when it is.
fn rust_target_missing(target: &str) -> Option<String> {
    let installed = || {
        Command::new("rustc")
            .args(["--print", "target-libdir", "--target", target])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|dir| fs::read_dir(dir.trim()).ok())
            .is_some_and(|mut entries| {
                entries.any(|e| {
                    e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
                })
            })
    };
    if installed() {
        return None;
    }
    let added = Command::new("rustup")
        .args(["target", "add", target])
        .output()
        .is_ok_and(|o| o.status.success());
    if added && installed() {
        return None;
    }
    Some(format!(
        "the Rust target {target} is not installed and `rustup target add {target}` failed"
    ))
}

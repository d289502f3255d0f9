//! The metrics endpoint: upstream's names, labels and types in the text
//! format; counters that move by exactly what happened; the label filter;
//! the HTTP server; and, as root, run statistics of a real BPF program.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tetragon_api::tetragon::{
    GetEventsResponse, Pod, Process, ProcessExec, ProcessKprobe, TracingPolicyState,
    TracingPolicyStatus, get_events_response::Event,
};
use tetragond::{
    export::exporter::ExportStats,
    metrics::{
        BpfObjects, DEFAULT_LABEL_FILTER, MetricSources, Metrics, PolicySource, ProgramLabels,
        server,
    },
    observer::ObserverStats,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Fixture {
    observer: Arc<ObserverStats>,
    export: Arc<ExportStats>,
    lost: Arc<AtomicU64>,
    bpf: BpfObjects,
    metrics: Metrics,
}

fn fixture(label_filter: &str) -> Fixture {
    let observer = Arc::new(ObserverStats::default());
    let export = Arc::new(ExportStats::default());
    let lost = Arc::new(AtomicU64::new(0));
    let bpf = BpfObjects::default();
    let policies: Arc<dyn PolicySource> = Arc::new(|| {
        vec![TracingPolicyStatus {
            name: "fd-install".into(),
            namespace: "".into(),
            state: TracingPolicyState::TpStateEnabled as i32,
            kernel_memory_bytes: 8192,
            ..Default::default()
        }]
    });
    let metrics = Metrics::new(
        label_filter,
        MetricSources {
            observer: observer.clone(),
            export: export.clone(),
            subscriber_lost: lost.clone(),
            process_cache_capacity: 65536,
            bpf: bpf.clone(),
            policies: Some(policies),
            pods: Default::default(),
        },
    )
    .unwrap();
    Fixture {
        observer,
        export,
        lost,
        bpf,
        metrics,
    }
}

fn exec(binary: &str) -> GetEventsResponse {
    GetEventsResponse {
        node_name: "node1".into(),
        event: Some(Event::ProcessExec(ProcessExec {
            process: Some(Process {
                binary: binary.into(),
                pod: Some(Pod {
                    namespace: "default".into(),
                    name: "xwing".into(),
                    workload: "deathstar".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        })),
        ..Default::default()
    }
}

fn kprobe(binary: &str) -> GetEventsResponse {
    GetEventsResponse {
        node_name: "node1".into(),
        event: Some(Event::ProcessKprobe(ProcessKprobe {
            process: Some(Process {
                binary: binary.into(),
                ..Default::default()
            }),
            function_name: "fd_install".into(),
            policy_name: "fd-install".into(),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// The value of the sample written exactly as `series` (name and labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(series)?;
        rest.strip_prefix(' ')?.parse().ok()
    })
}

fn exec_series(binary: &str) -> String {
    format!(
        "tetragon_events_total{{binary=\"{binary}\",namespace=\"default\",node_name=\"\",\
         pod=\"xwing\",type=\"PROCESS_EXEC\",workload=\"deathstar\"}}"
    )
}

#[test]
fn text_has_upstream_names_help_and_types() {
    let f = fixture(DEFAULT_LABEL_FILTER);
    f.metrics.events().observe(&exec("/bin/cat"));
    f.metrics.events().observe(&kprobe("/bin/cat"));
    f.observer.kernel_lost.store(1, Ordering::Relaxed);
    let text = f.metrics.render();
    for (name, kind, help) in [
        (
            "tetragon_events_total",
            "counter",
            "The total number of Tetragon events",
        ),
        (
            "tetragon_policy_events_total",
            "counter",
            "Policy events calls observed.",
        ),
        (
            "tetragon_errors_total",
            "counter",
            "The total number of Tetragon errors. For internal use only.",
        ),
        (
            "tetragon_handler_errors_total",
            "counter",
            "The total number of event handler errors. For internal use only.",
        ),
        (
            "tetragon_bpf_missed_events_total",
            "counter",
            "Number of Tetragon perf events that are failed to be sent from the kernel.",
        ),
        (
            "tetragon_observer_ringbuf_events_received_total",
            "counter",
            "Number of perf events Tetragon ring buffer received.",
        ),
        (
            "tetragon_observer_ringbuf_events_lost_total",
            "counter",
            "Number of perf events Tetragon ring buffer lost.",
        ),
        (
            "tetragon_notify_overflowed_events_total",
            "counter",
            "The total number of events dropped because listener buffer was full",
        ),
        (
            "tetragon_export_ratelimit_events_dropped_total",
            "counter",
            "Number of events dropped on export due to rate limiting",
        ),
        (
            "tetragon_events_exported_total",
            "counter",
            "Total number of events exported",
        ),
        (
            "tetragon_events_exported_bytes_total",
            "counter",
            "Number of bytes exported for events",
        ),
        (
            "tetragon_process_cache_size",
            "gauge",
            "The size of the process cache",
        ),
        (
            "tetragon_process_cache_capacity",
            "gauge",
            "The capacity of the process cache. Expected to be constant.",
        ),
        (
            "tetragon_process_cache_evictions_total",
            "counter",
            "Number of process cache LRU evictions. This includes all evictions: both explicit and capacity (implicit).",
        ),
        (
            "tetragon_process_cache_misses_total",
            "counter",
            "Number of process cache misses.",
        ),
        (
            "tetragon_tracingpolicy_loaded",
            "gauge",
            "The number of loaded tracing policy by state.",
        ),
        (
            "tetragon_tracingpolicy_kernel_memory_bytes",
            "gauge",
            "The amount of kernel memory in bytes used by policy's sensors non-shared BPF maps (memlock).",
        ),
        (
            "tetragon_build_info",
            "gauge",
            "Build information about tetragon",
        ),
        (
            "tetragon_events_missing_process_info_total",
            "counter",
            "Number of events missing process info.",
        ),
        (
            "promhttp_metric_handler_errors_total",
            "counter",
            "Total number of internal errors encountered by the promhttp metric handler.",
        ),
        (
            "process_cpu_seconds_total",
            "counter",
            "Total user and system CPU time spent in seconds.",
        ),
        (
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
        ),
    ] {
        assert!(
            text.contains(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n")),
            "{name} missing or different in:\n{text}"
        );
    }
    assert_eq!(value(&text, &exec_series("/bin/cat")), Some(1.0), "{text}");
    let policy = "tetragon_policy_events_total{binary=\"/bin/cat\",hook=\"kprobe:fd_install\",\
                  namespace=\"\",node_name=\"\",pod=\"\",policy=\"fd-install\",workload=\"\"}";
    assert_eq!(value(&text, policy), Some(1.0), "{text}");
    let kprobe_series = "tetragon_events_total{binary=\"/bin/cat\",namespace=\"\",node_name=\"\",\
                         pod=\"\",type=\"PROCESS_KPROBE\",workload=\"\"}";
    assert_eq!(value(&text, kprobe_series), Some(1.0), "{text}");
    for series in [
        "tetragon_errors_total{error=\"process_pid_tid_mismatch_exec\"}",
        "tetragon_handler_errors_total{error=\"unknown_opcode\",opcode=\"0\"}",
        "tetragon_process_cache_misses_total{operation=\"remove\"}",
        "tetragon_tracingpolicy_loaded{state=\"disabled\"}",
    ] {
        assert_eq!(value(&text, series), Some(0.0), "{series} in\n{text}");
    }
    assert_eq!(
        value(&text, "tetragon_tracingpolicy_loaded{state=\"enabled\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "tetragon_tracingpolicy_kernel_memory_bytes{policy=\"fd-install\",policy_namespace=\"\"}"
        ),
        Some(8192.0)
    );
    assert_eq!(
        value(
            &text,
            "tetragon_bpf_missed_events_total{error=\"EAGAIN\",msg_op=\"0\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "tetragon_process_cache_capacity"),
        Some(65536.0)
    );
    let build = text
        .lines()
        .find(|l| l.starts_with("tetragon_build_info{"))
        .unwrap();
    assert!(
        build.starts_with("tetragon_build_info{commit=\""),
        "{build}"
    );
    assert!(
        build.contains(&format!("version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"))),
        "{build}"
    );
    assert!(value(&text, "process_resident_memory_bytes").unwrap() > 0.0);
}

#[test]
fn counters_move_by_exactly_what_happened() {
    let f = fixture(DEFAULT_LABEL_FILTER);
    let events = f.metrics.events();
    events.observe(&exec("/bin/true"));
    let before = f.metrics.render();
    assert_eq!(value(&before, &exec_series("/bin/true")), Some(1.0));

    for _ in 0..37 {
        events.observe(&exec("/bin/true"));
    }
    for _ in 0..5 {
        events.observe(&exec("/bin/false"));
    }
    f.observer
        .records_received
        .fetch_add(120, Ordering::Relaxed);
    f.observer.kernel_lost.store(3, Ordering::Relaxed);
    f.observer.decode_errors.fetch_add(2, Ordering::Relaxed);
    f.observer.cache_size.store(42, Ordering::Relaxed);
    f.observer.cache_evictions.store(6, Ordering::Relaxed);
    f.observer.cache_misses.store(9, Ordering::Relaxed);
    f.export.events_exported.fetch_add(40, Ordering::Relaxed);
    f.export.bytes_exported.fetch_add(4000, Ordering::Relaxed);
    f.export.rate_limited.fetch_add(4, Ordering::Relaxed);
    f.lost.fetch_add(11, Ordering::Relaxed);

    let after = f.metrics.render();
    assert_eq!(value(&after, &exec_series("/bin/true")), Some(38.0));
    assert_eq!(value(&after, &exec_series("/bin/false")), Some(5.0));
    for (series, expected) in [
        ("tetragon_observer_ringbuf_events_received_total", 120.0),
        ("tetragon_observer_ringbuf_events_lost_total", 3.0),
        (
            "tetragon_handler_errors_total{error=\"event_handler_failed\",opcode=\"0\"}",
            2.0,
        ),
        ("tetragon_process_cache_size", 42.0),
        ("tetragon_process_cache_evictions_total", 6.0),
        (
            "tetragon_process_cache_misses_total{operation=\"get\"}",
            9.0,
        ),
        ("tetragon_events_exported_total", 40.0),
        ("tetragon_events_exported_bytes_total", 4000.0),
        ("tetragon_export_ratelimit_events_dropped_total", 4.0),
        ("tetragon_notify_overflowed_events_total", 11.0),
        ("tetragon_events_missing_process_info_total", 0.0),
    ] {
        assert_eq!(
            value(&after, series),
            Some(expected),
            "{series} in\n{after}"
        );
    }
}

#[test]
fn the_label_filter_empties_disabled_labels() {
    let f = fixture("namespace,binary");
    f.metrics.events().observe(&exec("/bin/cat"));
    f.metrics.events().observe(&exec("/bin/cat"));
    let text = f.metrics.render();
    let series = "tetragon_events_total{binary=\"/bin/cat\",namespace=\"default\",node_name=\"\",\
                  pod=\"\",type=\"PROCESS_EXEC\",workload=\"\"}";
    assert_eq!(value(&text, series), Some(2.0), "{text}");
    assert!(!text.contains("xwing") && !text.contains("deathstar"));

    // Nothing named: upstream's default.
    let f = fixture("");
    f.metrics.events().observe(&exec("/bin/cat"));
    let text = f.metrics.render();
    assert_eq!(value(&text, &exec_series("/bin/cat")), Some(1.0), "{text}");

    // Only unknown names: every label off.
    let f = fixture("pods");
    f.metrics.events().observe(&exec("/bin/cat"));
    let text = f.metrics.render();
    let series = "tetragon_events_total{binary=\"\",namespace=\"\",node_name=\"\",\
                  pod=\"\",type=\"PROCESS_EXEC\",workload=\"\"}";
    assert_eq!(value(&text, series), Some(1.0), "{text}");

    let f = fixture("namespace,workload,pod,binary,node_name");
    f.metrics.events().observe(&exec("/bin/cat"));
    let text = f.metrics.render();
    assert!(text.contains("node_name=\"node1\""), "{text}");
}

async fn get(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the server answers and closes")
        .unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn the_server_answers_metrics_and_404_elsewhere() {
    let f = fixture(DEFAULT_LABEL_FILTER);
    f.metrics.events().observe(&exec("/bin/cat"));
    let listener = server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::run(listener, Arc::new(f.metrics), async {
        let _ = stopped.await;
    }));

    let ok = get(addr, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
    assert!(
        ok.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4; charset=utf-8"),
        "{ok}"
    );
    assert!(ok.contains("# TYPE tetragon_events_total counter"), "{ok}");
    assert!(
        ok.contains(&format!("{} 1\n", exec_series("/bin/cat"))),
        "{ok}"
    );

    let zipped = get(
        addr,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
    )
    .await;
    assert!(
        zipped
            .to_ascii_lowercase()
            .contains("content-encoding: gzip"),
        "{zipped}"
    );

    let missing = get(addr, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(
        missing.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{missing}"
    );
    let root = get(addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(root.starts_with("HTTP/1.1 404"), "{root}");
    let post = get(
        addr,
        "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");

    // Several scrapes at once, more than the connection bound.
    let many: Vec<_> = (0..3 * server::MAX_CONNECTIONS)
        .map(|_| tokio::spawn(get(addr, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")))
        .collect();
    for r in many {
        assert!(r.await.unwrap().starts_with("HTTP/1.1 200 OK"));
    }

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), serving)
        .await
        .expect("the server stops on shutdown")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_bad_address_fails_at_start_naming_it() {
    for (addr, expect) in [
        ("nonsense", "`nonsense`"),
        ("localhost:99999", "`99999` is not a port number"),
        ("localhost:metrics", "`localhost:metrics`"),
    ] {
        let f = fixture(DEFAULT_LABEL_FILTER);
        let e = match server::serve(addr, Arc::new(f.metrics), std::future::pending()).await {
            Ok(_) => panic!("{addr} was accepted"),
            Err(e) => format!("{e:#}"),
        };
        assert!(e.contains(expect), "{addr}: {e}");
        assert!(e.contains(&format!("`{addr}`")), "{addr}: {e}");
        assert!(!e.contains('\n'), "{e}");
    }

    // A port already taken.
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let f = fixture(DEFAULT_LABEL_FILTER);
    let e = match server::serve(&addr, Arc::new(f.metrics), std::future::pending()).await {
        Ok(_) => panic!("{addr} was bound twice"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        e.contains(&format!("`{addr}`")) && e.contains("cannot listen"),
        "{e}"
    );
}

/// A trivial socket filter (`r0 = 0; exit`), loaded and run with raw
/// `bpf(2)` calls so the test needs no object file.
mod raw_bpf {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    const BPF_PROG_LOAD: libc::c_long = 5;
    const BPF_PROG_TEST_RUN: libc::c_long = 10;
    const BPF_OBJ_GET_INFO_BY_FD: libc::c_long = 15;
    const SOCKET_FILTER: u32 = 1;

    fn bpf<T>(cmd: libc::c_long, attr: &mut T) -> std::io::Result<i64> {
        // SAFETY: `attr` is a correctly laid out bpf_attr prefix for `cmd`
        // whose pointers reference live buffers.
        let r =
            unsafe { libc::syscall(libc::SYS_bpf, cmd, attr as *mut T, std::mem::size_of::<T>()) };
        if r < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(r)
        }
    }

    #[repr(C)]
    #[derive(Default)]
    struct ProgLoad {
        prog_type: u32,
        insn_cnt: u32,
        insns: u64,
        license: u64,
        log_level: u32,
        log_size: u32,
        log_buf: u64,
        kern_version: u32,
        prog_flags: u32,
        prog_name: [u8; 16],
    }

    pub fn load(name: &str) -> std::io::Result<OwnedFd> {
        // mov64 r0, 0; exit
        let insns: [u64; 2] = [0xb7, 0x95];
        let license = c"GPL";
        let mut attr = ProgLoad {
            prog_type: SOCKET_FILTER,
            insn_cnt: 2,
            insns: insns.as_ptr() as u64,
            license: license.as_ptr() as u64,
            ..Default::default()
        };
        attr.prog_name[..name.len()].copy_from_slice(name.as_bytes());
        let fd = bpf(BPF_PROG_LOAD, &mut attr)?;
        // SAFETY: the kernel just returned this descriptor to us.
        Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
    }

    #[repr(C)]
    struct InfoByFd {
        bpf_fd: u32,
        info_len: u32,
        info: u64,
    }

    /// The kernel ID of a program or map: the second field of both
    /// bpf_prog_info and bpf_map_info.
    pub fn id(fd: &OwnedFd) -> std::io::Result<u32> {
        let mut info = [0u32; 2];
        let mut attr = InfoByFd {
            bpf_fd: fd.as_raw_fd() as u32,
            info_len: 8,
            info: info.as_mut_ptr() as u64,
        };
        bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr)?;
        Ok(info[1])
    }

    #[repr(C)]
    #[derive(Default)]
    struct MapCreate {
        map_type: u32,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
        map_flags: u32,
        inner_map_fd: u32,
        numa_node: u32,
        map_name: [u8; 16],
    }

    /// A hash map of u32 -> u64 holding `keys`.
    pub fn hash_map(name: &str, capacity: u32, keys: &[u32]) -> std::io::Result<OwnedFd> {
        const BPF_MAP_CREATE: libc::c_long = 0;
        const BPF_MAP_UPDATE_ELEM: libc::c_long = 2;
        const HASH: u32 = 1;
        let mut attr = MapCreate {
            map_type: HASH,
            key_size: 4,
            value_size: 8,
            max_entries: capacity,
            ..Default::default()
        };
        attr.map_name[..name.len()].copy_from_slice(name.as_bytes());
        let fd = bpf(BPF_MAP_CREATE, &mut attr)?;
        // SAFETY: the kernel just returned this descriptor to us.
        let fd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        #[repr(C)]
        struct Update {
            map_fd: u32,
            pad: u32,
            key: u64,
            value: u64,
            flags: u64,
        }
        for key in keys {
            let value = 7u64;
            let mut update = Update {
                map_fd: fd.as_raw_fd() as u32,
                pad: 0,
                key: key as *const u32 as u64,
                value: &value as *const u64 as u64,
                flags: 0,
            };
            bpf(BPF_MAP_UPDATE_ELEM, &mut update)?;
        }
        Ok(fd)
    }

    #[repr(C)]
    #[derive(Default)]
    struct TestRun {
        prog_fd: u32,
        retval: u32,
        data_size_in: u32,
        data_size_out: u32,
        data_in: u64,
        data_out: u64,
        repeat: u32,
        duration: u32,
    }

    /// Runs the program `repeat` times in the kernel.
    pub fn run(fd: &OwnedFd, repeat: u32) -> std::io::Result<()> {
        let packet = [0u8; 64];
        let mut attr = TestRun {
            prog_fd: fd.as_raw_fd() as u32,
            data_size_in: packet.len() as u32,
            data_in: packet.as_ptr() as u64,
            repeat,
            ..Default::default()
        };
        bpf(BPF_PROG_TEST_RUN, &mut attr).map(|_| ())
    }
}

#[test]
fn bpf_run_statistics_of_a_real_program() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("BPF tests must run as root under CI=true");
        }
        eprintln!("skipping: loading BPF programs needs root");
        return;
    }
    let prog = raw_bpf::load("tg_metrics_test").expect("loading a trivial BPF program");
    let id = raw_bpf::id(&prog).unwrap();
    let stats = tetragond::metrics::RunStats::enable().expect("enabling BPF run statistics");

    let f = fixture(DEFAULT_LABEL_FILTER);
    f.bpf.add_program(
        id,
        ProgramLabels {
            policy_namespace: "ns".into(),
            policy: "enforce".into(),
            sensor: "generic_kprobe".into(),
            attach: "sys_open".into(),
            section: "kprobe/sys_open".into(),
        },
    );
    let series = |name: &str| {
        format!(
            "{name}{{attach=\"sys_open\",policy=\"enforce\",policy_namespace=\"ns\",\
             section=\"kprobe/sys_open\",sensor=\"generic_kprobe\"}}"
        )
    };
    let runs = series("tetragon_overhead_program_runs_total");
    let seconds = series("tetragon_overhead_program_seconds_total");

    let before = f.metrics.render();
    assert!(before.contains("# TYPE tetragon_overhead_program_runs_total counter"));
    assert!(before.contains("# TYPE tetragon_overhead_program_seconds_total counter"));
    let runs_before = value(&before, &runs).unwrap_or_else(|| panic!("{runs} in\n{before}"));
    let seconds_before = value(&before, &seconds).unwrap();

    raw_bpf::run(&prog, 1000).expect("BPF_PROG_TEST_RUN");
    let after = f.metrics.render();
    assert_eq!(value(&after, &runs), Some(runs_before + 1000.0), "{after}");
    assert!(value(&after, &seconds).unwrap() > seconds_before, "{after}");

    // Unregistered, it is no longer reported.
    f.bpf.remove_program(id);
    assert!(
        !f.metrics
            .render()
            .contains("tetragon_overhead_program_runs_total")
    );
    drop(stats);
}

#[test]
fn bpf_map_capacity_and_entries_of_a_real_map() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("BPF tests must run as root under CI=true");
        }
        eprintln!("skipping: creating BPF maps needs root");
        return;
    }
    let map = raw_bpf::hash_map("tg_metrics_map", 128, &[1, 2, 3, 40, 500]).unwrap();
    let id = raw_bpf::id(&map).unwrap();
    let f = fixture(DEFAULT_LABEL_FILTER);
    f.bpf.add_map(id, "execve_map");
    let text = f.metrics.render();
    assert_eq!(
        value(&text, "tetragon_map_capacity{map=\"execve_map\"}"),
        Some(128.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "tetragon_map_entries{map=\"execve_map\"}"),
        Some(5.0),
        "{text}"
    );
    assert!(text.contains("# HELP tetragon_map_entries The total number of in-use entries per map.\n# TYPE tetragon_map_entries gauge"));
    assert!(text.contains("# HELP tetragon_map_capacity Capacity of a BPF map. Expected to be constant.\n# TYPE tetragon_map_capacity gauge"));
}

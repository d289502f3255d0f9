//! Start-up, the running daemon, and shutdown.
//!
//! Order matters: every input is checked before anything is loaded into
//! the kernel; the sensor is attached before /proc is read, so no process
//! falls between the two; the server is bound before the info file says
//! where it is.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{Context, Result, bail};
use aya::Btf;
use tetragon_api::{
    field_filter::{CompiledFieldFilter, parse_field_filter_lines},
    filter::{EventFilter, FilterList, parse_filter_lines},
};
use tetragon_policy::syscalls::Arch;
use tokio::signal::unix::{SignalKind, signal};
use tracing::{debug, info, warn};

use crate::{
    bpf::{base_sensor::BaseSensor, pins, ringbuf::RingBufReader},
    bus::EventBus,
    config::Config,
    events::builder::EventBuilder,
    events::{
        builder::PolicyHooks,
        pod_hold::{HoldConfig, PodHold},
        symbols::KernelSymbols,
    },
    export::{
        exporter::{self, ExportSettings, ExportStats},
        rotate::RotateOptions,
    },
    grpc::{
        info,
        listen::{self, ListenAddress, TlsSettings},
        runtime_hook::RuntimeHooks,
        service::{Service, ServiceContext},
    },
    health::{self, HealthSources},
    info_file::InfoFile,
    logging::LogControl,
    metrics::{BpfObjects, MetricSources, Metrics, ProgramLabels, server as metrics_server},
    observer::{self, ObserverStats},
    pods::{
        cgroups,
        sources::{self, PodSourceStats, PodSources},
        store::PodStore,
    },
    policy::{
        compile::Kernel,
        filter::PolicyFilter,
        manager::{self, PolicyManager},
        registry::HookRegistry,
        tracefs, user_actions,
    },
    process::{exec_map, facts::ProcessDetail, procfs},
};

/// How long clients get to hang up at shutdown.
const SERVER_DRAIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Events held for their pod at most at once; past it the oldest leave
/// without pod information.
const POD_HOLD_CAPACITY: usize = 65_536;

pub async fn run(config: Config, log: LogControl) -> Result<()> {
    let listen_addr = ListenAddress::parse(&config.server_address)?;
    let export = export_settings(&config)?;
    // Logged once the inputs are known good, so a bad one is a single line.
    log_configuration(&config);
    let node = config.node_name();

    let bus = EventBus::new(config.event_queue_size);
    let export_stats = Arc::new(ExportStats::default());
    let observer_stats = Arc::new(ObserverStats::default());
    let pod_stats = Arc::new(PodSourceStats::default());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Bound before anything is loaded, so a bad address leaves nothing behind.
    // The policies are known once the sensor is loaded; metrics ask late.
    let policy_cell: Arc<std::sync::OnceLock<Arc<PolicyManager>>> = Arc::default();
    let metrics = start_metrics(
        &config,
        &bus,
        &export_stats,
        &observer_stats,
        &policy_cell,
        &pod_stats,
        &stop_rx,
    )
    .await?;

    // aya looks for tracefs once per process: mount what is missing first.
    for action in tetragon_probe::ensure_mounts() {
        info!("{action}");
    }
    if config.release_pinned_bpf {
        release_pins();
    }
    let btf_path = discover_btf(&config)?;
    let btf = load_btf(&btf_path)?;
    let (mut sensor, ring) = BaseSensor::load(&btf, config.rb_size_total)?;
    // The kernel's parsed BTF is tens of MiB and only needed for loading.
    drop(btf);
    info!(btf = %btf_path.display(), programs = ?sensor.programs().collect::<Vec<_>>(), "base sensor loaded");
    if let Some((m, _)) = &metrics {
        register_program_metrics(m, &sensor);
    }

    let detail = ProcessDetail {
        ancestors: config.enable_process_ancestors,
        namespaces: config.enable_process_ns,
        credentials: config.enable_process_cred,
    };
    let mut builder = EventBuilder::new(node.clone(), config.process_cache_size, detail);
    let mut pods = PodSources::start(&config, &pod_stats, &stop_rx);
    if let Some(p) = &pods {
        builder = builder.with_pods(p.store.clone());
    }
    let existing = procfs::scan(&config.procfs);
    info!(processes = existing.len(), procfs = %config.procfs.display(), "read running processes");
    for facts in &existing {
        // Best effort: a process that exited since the scan is simply gone.
        if let Err(e) = sensor.remember_process(&exec_map::exec_entry(facts, &config.procfs)) {
            debug!(error = %e, "process not recorded for policy filters");
        }
    }
    builder.seed(existing);

    let registry = Arc::new(HookRegistry::default());
    let (actions_tx, actions_rx) = tokio::sync::mpsc::channel(user_actions::QUEUE);
    tokio::spawn(user_actions::run(actions_rx));
    let builder = builder.with_policy_hooks(PolicyHooks {
        registry: registry.clone(),
        actions: actions_tx,
        kernel_symbols: Arc::new(KernelSymbols::new(config.expose_kernel_addresses)),
    });
    let kernel = Kernel {
        tracefs: tracefs::root(),
        arch: Arch::host().unwrap_or(Arch::X86_64),
        host_ns: procfs::host_namespaces(&config.procfs)
            .map(|n| {
                [
                    n.uts,
                    n.ipc,
                    n.mnt,
                    n.pid,
                    n.pid_for_children,
                    n.net,
                    n.time,
                    n.time_for_children,
                    n.cgroup,
                    n.user,
                ]
            })
            .unwrap_or_default(),
    };
    let mut policies = PolicyManager::new(registry, sensor.shared_maps(), btf_path.clone(), kernel);
    let policy_filter = if config.enable_policy_filter {
        let store = match &pods {
            Some(p) => p.store.clone(),
            None => {
                warn!(
                    "--enable-policy-filter without --enable-cri or --enable-k8s-api: only pods told of by RuntimeHook calls are known"
                );
                Arc::new(PodStore::new())
            }
        };
        let filter = Arc::new(
            PolicyFilter::new(
                store,
                cgroups::v2_root(),
                sensor.shared_maps().policy_filter,
            )
            .context("--enable-policy-filter")?,
        );
        tokio::spawn(filter.clone().run(stop_rx.clone()));
        policies = policies.with_policy_filter(filter.clone());
        Some(filter)
    } else {
        None
    };
    let runtime_hooks = match (&pods, &policy_filter) {
        (None, None) => None,
        _ => Some(RuntimeHooks {
            store: pods
                .as_ref()
                .map(|p| p.store.clone())
                .or_else(|| policy_filter.as_ref().map(|f| f.store()))
                .unwrap_or_default(),
            wake: pods.as_ref().and_then(|p| p.wake.clone()),
            filter: policy_filter.clone(),
        }),
    };
    if config.persist_grpc_policies {
        policies = policies.persist_in(config.persist_grpc_policies_dir.clone());
    }
    if let Some((m, _)) = &metrics {
        policies = policies.report_programs_to(m.bpf().clone());
    }
    let policies = Arc::new(policies);
    let _ = policy_cell.set(policies.clone());
    if let Some(changes) = pods.as_mut().and_then(|p| p.policies.take()) {
        tokio::spawn(sources::apply_policies(
            changes,
            policies.clone(),
            pod_stats.clone(),
        ));
    }
    {
        let mut files: Vec<PathBuf> = config.tracing_policy.iter().cloned().collect();
        files.extend(manager::policy_files(&config.tracing_policy_dir));
        if config.persist_grpc_policies {
            files.extend(manager::policy_files(&config.persist_grpc_policies_dir));
        }
        let policies = policies.clone();
        tokio::task::spawn_blocking(move || policies.load_files(&files))
            .await
            .context("loading tracing policies")?;
    }
    release_freed_memory();

    let export_thread = match export {
        Some(settings) => Some(exporter::start(
            settings,
            bus.subscribe(),
            export_stats.clone(),
        )?),
        None => None,
    };

    let pod_hold = pods.as_ref().map(|p| {
        PodHold::new(
            p.store.clone(),
            HoldConfig {
                retries: config.event_cache_retries,
                delay: config.event_cache_retry_delay,
                capacity: POD_HOLD_CAPACITY,
            },
            observer_stats.pod_hold.clone(),
            p.wake.clone(),
        )
    });
    let reader = RingBufReader::new(ring)?;
    let (observer_tx, observer_rx) = tokio::sync::mpsc::channel(16);
    let health_sources = HealthSources {
        observer: observer_stats.clone(),
        export: export_thread.as_ref().map(|_| export_stats.clone()),
    };
    let health_server = match &config.health_server_address {
        Some(addr) => {
            let mut stop = stop_rx.clone();
            let serve = health::serve(
                addr,
                config.health_server_interval,
                health_sources.clone(),
                async move {
                    let _ = stop.changed().await;
                },
            )
            .await?;
            info!(address = %addr, "health server listening");
            Some(tokio::spawn(serve))
        }
        None => None,
    };
    let stack_trees = crate::grpc::stack_tree::StackTraceTrees::new();
    let _stack_tree_feeder = stack_trees.spawn_feeder(bus.subscribe());
    let ctx = Arc::new(ServiceContext {
        bus: bus.clone(),
        node_name: node,
        health: health_sources.clone(),
        sensors: vec![(BaseSensor::NAME.to_string(), "base".to_string())],
        observer_requests: observer_tx,
        log: log.clone(),
        shutdown: stop_rx.clone(),
        info: std::sync::RwLock::new(info::info_response(&config, &[])),
        policies,
        stack_trees,
        runtime_hooks,
    });

    let mut server_stop = stop_rx;
    // The service's context holds a bus sender: only the server and the
    // short-lived probe task may keep it, or the exporter never ends.
    let probe_ctx = ctx.clone();
    let tls = tls_settings(&config);
    let server = listen::bind(&listen_addr, Service::new(ctx), tls.as_ref(), async move {
        let _ = server_stop.changed().await;
    })
    .await?;
    let server = tokio::spawn(server);
    let mut observer = tokio::spawn(observer::run(
        reader,
        sensor,
        builder,
        observer::Outlet {
            bus: bus.clone(),
            metrics: metrics.as_ref().map(|(m, _)| m.events()),
            pod_hold,
        },
        observer_stats,
        observer_rx,
    ));

    let info = InfoFile {
        server_address: config.server_address.clone(),
        export_fname: config
            .export_filename
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        btf_fname: btf_path.display().to_string(),
        metrics_address: config.metrics_server.clone().unwrap_or_default(),
        pid: std::process::id(),
        ..Default::default()
    };
    if let Err(e) = info.write(&config.info_file) {
        warn!(file = %config.info_file.display(), error = %e, "could not write the info file; clients need --server-address");
    }
    info!(address = %config.server_address, "listening for gRPC clients");

    // Probing the kernel's features takes a third of a second: off the
    // start-up path; GetInfo lists them once known.
    tokio::task::spawn_blocking(move || {
        let kernel = tetragon_probe::probe(Some(&btf_path));
        info!("kernel features:\n{kernel}");
        let probes: Vec<(String, bool)> = kernel
            .features
            .iter()
            .map(|f| (f.name.clone(), f.available))
            .collect();
        probe_ctx.set_probes(&probes);
        release_freed_memory();
    });
    log.listen_for_signals()?;
    let mut sigterm = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let reason = tokio::select! {
        _ = tokio::signal::ctrl_c() => "interrupt",
        _ = sigterm.recv() => "terminate",
        r = &mut observer => {
            bail!("the event observer stopped: {}", match r {
                Ok(Err(e)) => format!("{e:#}"),
                Ok(Ok(())) => "without an error".to_string(),
                Err(e) => e.to_string(),
            })
        }
    };
    info!(signal = reason, "shutting down");
    let _ = stop_tx.send(true);
    // Graceful shutdown waits for clients to hang up; one that keeps an idle
    // connection open must not hold the daemon past a container's stop.
    match tokio::time::timeout(SERVER_DRAIN, server).await {
        Ok(Ok(Err(e))) => warn!(error = %e, "gRPC server"),
        Err(_) => warn!(
            "gRPC clients still connected {SERVER_DRAIN:?} after shutdown began; closing without them"
        ),
        _ => {}
    }
    if let Some((_, server)) = metrics
        && let Ok(Err(e)) = server.await
    {
        warn!(error = %e, "metrics server");
    }
    if let Some(server) = health_server
        && let Ok(Err(e)) = server.await
    {
        warn!(error = %e, "health server");
    }
    // Stopping the observer detaches the programs; then dropping the bus's
    // last sender ends the exporter, which writes what it has and flushes.
    observer.abort();
    let _ = observer.await;
    drop(bus);
    if let Some(t) = export_thread {
        let _ = tokio::task::spawn_blocking(move || t.join()).await;
    }
    let _ = std::fs::remove_file(&config.info_file);
    if let ListenAddress::Unix(path) = &listen_addr {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// What an earlier run left pinned goes, so it cannot keep enforcing.
fn release_pins() {
    match pins::release(Path::new(pins::PIN_DIR)) {
        Ok(0) => {}
        Ok(n) => info!(
            dir = pins::PIN_DIR,
            released = n,
            "released pinned BPF objects of an earlier run"
        ),
        Err(e) => warn!(dir = pins::PIN_DIR, error = %e, "could not release pinned BPF objects"),
    }
}

/// The base sensor's programs, for the per-program overhead metrics.
fn register_program_metrics(metrics: &Metrics, sensor: &BaseSensor) {
    for (tracepoint, id) in sensor.program_ids() {
        metrics.bpf().add_program(
            id,
            ProgramLabels {
                sensor: BaseSensor::NAME.into(),
                attach: tracepoint.into(),
                section: format!("tp_btf/{tracepoint}"),
                ..Default::default()
            },
        );
    }
}

type MetricsServer = (Arc<Metrics>, tokio::task::JoinHandle<Result<()>>);

/// `--metrics-server`: the Prometheus endpoint, reading the daemon's own
/// counters at scrape time.
async fn start_metrics(
    config: &Config,
    bus: &EventBus,
    export: &Arc<ExportStats>,
    observer: &Arc<ObserverStats>,
    policies: &Arc<std::sync::OnceLock<Arc<PolicyManager>>>,
    pods: &Arc<PodSourceStats>,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> Result<Option<MetricsServer>> {
    let policies = policies.clone();
    let Some(addr) = &config.metrics_server else {
        return Ok(None);
    };
    let metrics = Arc::new(Metrics::new(
        &config.metrics_label_filter.join(","),
        MetricSources {
            observer: observer.clone(),
            export: export.clone(),
            subscriber_lost: bus.lost_counter(),
            process_cache_capacity: config.process_cache_size as u64,
            bpf: BpfObjects::default(),
            policies: Some(Arc::new(move || {
                policies.get().map(|m| m.list()).unwrap_or_default()
            })),
            pods: pods.clone(),
        },
    )?);
    let mut stop = stop.clone();
    let serve = metrics_server::serve(addr, metrics.clone(), async move {
        let _ = stop.changed().await;
    })
    .await?;
    info!(address = %addr, "metrics server listening");
    Ok(Some((metrics, tokio::spawn(serve))))
}

fn tls_settings(config: &Config) -> Option<TlsSettings> {
    Some(TlsSettings {
        cert: config.server_tls_cert_file.clone()?,
        key: config.server_tls_key_file.clone()?,
        client_cas: config.server_tls_client_ca_files.clone(),
        require_client_cert: config.server_tls_require_client_cert,
    })
}

/// The settings in effect and where each came from, what was ignored, and
/// what is accepted but not acted on yet.
fn log_configuration(config: &Config) {
    for w in config.warnings() {
        warn!("{w}");
    }
    for s in config.effective() {
        info!(setting = s.name, value = %s.value, source = %s.source, "config setting");
    }
    for u in config.unsupported() {
        warn!(setting = u.name, value = %u.value, source = %u.source, "not supported yet: accepted and ignored");
    }
}

/// Hands memory freed after start-up (BTF, the /proc walk) back to the
/// system, so the resident size reflects what the daemon really keeps.
fn release_freed_memory() {
    // SAFETY: malloc_trim only releases free heap pages.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// `--btf`, then the kernel's own, then the library directory, each step
/// logged as upstream logs it; none found is fatal, with what to do.
fn discover_btf(config: &Config) -> Result<PathBuf> {
    let (steps, found) = tetragon_probe::btf_search(config.btf.as_deref(), &config.bpf_lib);
    for step in &steps {
        info!(btf_file = %step.path.display(), "{}", step.log_message());
    }
    Ok(found?)
}

fn load_btf(path: &Path) -> Result<Btf> {
    Btf::parse_file(path, aya::Endianness::default())
        .with_context(|| format!("reading BTF from {}", path.display()))
}

/// Export settings, every one checked now; None when no export file is set.
fn export_settings(config: &Config) -> Result<Option<ExportSettings>> {
    let list = |flag: &str, text: &str| {
        parse_filter_lines(text)
            .and_then(|filters| FilterList::compile(&filters))
            .with_context(|| format!("{flag} `{text}`"))
    };
    let filter = EventFilter {
        allow: list("--export-allowlist", &config.export_allowlist)?,
        deny: list("--export-denylist", &config.export_denylist)?,
    };
    let field_filters = parse_field_filter_lines(&config.field_filters)
        .with_context(|| format!("--field-filters `{}`", config.field_filters))?
        .iter()
        .map(CompiledFieldFilter::new)
        .collect::<Result<Vec<_>, _>>()
        .context("--field-filters")?;
    let Some(path) = &config.export_filename else {
        return Ok(None);
    };
    let rate_limit = match config.export_rate_limit {
        n if n < 0 => None,
        n => Some(n as u64),
    };
    let rotate = RotateOptions {
        max_size: config.export_file_max_size_mb * 1024 * 1024,
        interval: config
            .export_file_rotation_interval
            .filter(|d| !d.is_zero()),
        max_backups: config.export_file_max_backups,
        compress: config.export_file_compress,
        perm: config.export_file_perm,
    };
    ExportSettings::open(path, rotate, filter, field_filters, rate_limit).map(Some)
}

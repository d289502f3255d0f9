//! The policies loaded now: add, delete, enable, disable, mode, list. A
//! policy loads whole or not at all; deleting or disabling one drops its
//! hooks, which detaches their programs and frees their maps.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

use aya::Btf;
use tetragon_api::tetragon::{
    SensorStatus, TracingPolicyActionCounters, TracingPolicyMode, TracingPolicyState,
    TracingPolicyStats, TracingPolicyStatus,
};
use tetragon_policy::{PolicyErrors, TracingPolicy};
use thiserror::Error;
use tracing::{info, warn};

use crate::metrics::{BpfObjects, ProgramLabels};

use super::{
    compile::{self, Attach, HookPlan, Kernel},
    filter::{PolicyFilter, Scope},
    loader::{self, LoadedHook, SharedMaps},
    registry::{HookRegistry, RegisteredHook},
};

#[derive(Debug, Error)]
pub enum ManagerError {
    #[error("{0}")]
    Invalid(PolicyErrors),
    #[error("tracing policy {0} already exists")]
    Exists(String),
    #[error("tracing policy {0} not found")]
    NotFound(String),
    #[error("sensor {0} not found")]
    SensorNotFound(String),
    #[error("{0:#}")]
    Load(anyhow::Error),
    #[error(
        "tracing policy {0} applies to pods only ({1}), and pod scoping is off: start tetragond with --enable-policy-filter and a pod source (--enable-cri or --enable-k8s-api)"
    )]
    NoPolicyFilter(String, &'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Enforce,
    Monitor,
}

impl Mode {
    fn api(self) -> TracingPolicyMode {
        match self {
            Mode::Enforce => TracingPolicyMode::TpModeEnforce,
            Mode::Monitor => TracingPolicyMode::TpModeMonitor,
        }
    }

    /// `spec.options` may name the mode (`policy-mode: monitor`).
    fn of(policy: &TracingPolicy) -> Mode {
        let monitor = policy
            .spec
            .options
            .iter()
            .any(|o| o.name == "policy-mode" && o.value.eq_ignore_ascii_case("monitor"));
        if monitor {
            Mode::Monitor
        } else {
            Mode::Enforce
        }
    }
}

struct Entry {
    id: u64,
    name: String,
    namespace: String,
    plans: Vec<HookPlan>,
    /// The policy filter's id for a pod-scoped policy.
    filter_id: Option<u32>,
    /// (hook id, hook) while enabled.
    hooks: Vec<(u32, LoadedHook)>,
    mode: Mode,
    enabled: bool,
}

impl Entry {
    fn key_matches(&self, name: &str, namespace: &str) -> bool {
        self.name == name && self.namespace == namespace
    }

    fn sensors(&self) -> Vec<String> {
        let mut kinds: Vec<&str> = self
            .plans
            .iter()
            .map(|p| match p.attach {
                Attach::Syscalls { .. } => "generic_kprobe",
                Attach::Tracepoint { .. } => "generic_tracepoint",
                Attach::Uprobe { .. } => "generic_uprobe",
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds.into_iter().map(String::from).collect()
    }
}

#[derive(Default)]
struct State {
    next_policy: u64,
    next_hook: u32,
    policies: Vec<Entry>,
}

pub struct PolicyManager {
    state: Mutex<State>,
    registry: Arc<HookRegistry>,
    shared: SharedMaps,
    btf_path: PathBuf,
    kernel: Kernel,
    /// --persist-grpc-policies: where policies added over gRPC are kept.
    persist_dir: Option<PathBuf>,
    /// The metrics' registry of programs, for their run counts and time.
    programs: Option<BpfObjects>,
    /// --enable-policy-filter: scopes policies to pods in the kernel.
    filter: Option<Arc<PolicyFilter>>,
}

impl PolicyManager {
    pub fn new(
        registry: Arc<HookRegistry>,
        shared: SharedMaps,
        btf_path: PathBuf,
        kernel: Kernel,
    ) -> Self {
        PolicyManager {
            state: Mutex::default(),
            registry,
            shared,
            btf_path,
            kernel,
            persist_dir: None,
            programs: None,
            filter: None,
        }
    }

    /// Serves pod-scoped policies through `filter`.
    pub fn with_policy_filter(mut self, filter: Arc<PolicyFilter>) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Reports each hook's programs in the metrics' per-program run stats.
    pub fn report_programs_to(mut self, programs: BpfObjects) -> Self {
        self.programs = Some(programs);
        self
    }

    /// Keeps policies added over gRPC in `dir`, so a restart loads them again.
    pub fn persist_in(mut self, dir: PathBuf) -> Self {
        self.persist_dir = Some(dir);
        self
    }

    fn persisted(&self, name: &str, namespace: &str) -> Option<PathBuf> {
        let file = if namespace.is_empty() {
            format!("{name}.yaml")
        } else {
            format!("{namespace}:{name}.yaml")
        };
        self.persist_dir.as_ref().map(|d| d.join(file))
    }

    /// Adds a policy sent over gRPC, and persists it when asked to.
    pub fn add_from_client(&self, yaml: &str) -> Result<u64, ManagerError> {
        let id = self.add("<grpc>", yaml)?;
        if let Some(dir) = &self.persist_dir {
            let state = self.state();
            if let Some(entry) = state.policies.iter().find(|e| e.id == id)
                && let Some(path) = self.persisted(&entry.name, &entry.namespace)
            {
                let written =
                    std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, yaml));
                if let Err(e) = written {
                    warn!(file = %path.display(), error = %e, "cannot persist the tracing policy");
                }
            }
        }
        Ok(id)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks a policy as the daemon would load it, loading nothing.
    pub fn check(
        &self,
        source: &str,
        yaml: &str,
    ) -> Result<(TracingPolicy, Vec<HookPlan>), ManagerError> {
        let policy = tetragon_policy::parse_policy(source, yaml).map_err(ManagerError::Invalid)?;
        tetragon_policy::check_engine_support(&policy).map_err(ManagerError::Invalid)?;
        let plans = compile::compile(&policy, &self.kernel).map_err(ManagerError::Invalid)?;
        Ok((policy, plans))
    }

    /// Parses, checks and loads a policy; on any failure nothing stays.
    pub fn add(&self, source: &str, yaml: &str) -> Result<u64, ManagerError> {
        let (policy, mut plans) = self.check(source, yaml)?;
        let name = policy.metadata.name.clone();
        let namespace = policy.metadata.namespace.clone().unwrap_or_default();
        let scope = Scope::of(&policy);
        if let Some(scope) = &scope
            && self.filter.is_none()
        {
            return Err(ManagerError::NoPolicyFilter(name, scope.describe()));
        }
        let mut state = self.state();
        if state
            .policies
            .iter()
            .any(|e| e.key_matches(&name, &namespace))
        {
            return Err(ManagerError::Exists(name));
        }
        // The scope's entries are in the kernel before any program runs.
        let filter_id = scope.and_then(|scope| Some(self.filter.as_ref()?.add(scope)));
        for plan in &mut plans {
            plan.config.policy_id = filter_id.unwrap_or(0);
        }
        state.next_policy += 1;
        let mut entry = Entry {
            id: state.next_policy,
            name,
            namespace,
            plans,
            filter_id,
            hooks: Vec::new(),
            mode: Mode::of(&policy),
            enabled: false,
        };
        if let Err(e) = self.load_hooks(&mut state, &mut entry) {
            self.release_scope(&entry);
            return Err(e);
        }
        info!(policy = %entry.name, hooks = entry.hooks.len(), mode = ?entry.mode, "tracing policy loaded");
        state.policies.push(entry);
        Ok(state.next_policy)
    }

    fn load_hooks(&self, state: &mut State, entry: &mut Entry) -> Result<(), ManagerError> {
        let btf = Btf::parse_file(&self.btf_path, aya::Endianness::default()).map_err(|e| {
            ManagerError::Load(anyhow::anyhow!(
                "reading BTF from {}: {e}",
                self.btf_path.display()
            ))
        })?;
        let mut loaded = Vec::new();
        for plan in &entry.plans {
            state.next_hook += 1;
            let id = state.next_hook;
            match loader::load(plan, id, &self.shared, &btf) {
                Ok(mut hook) => {
                    if entry.mode == Mode::Monitor {
                        hook.set_monitor(true).map_err(ManagerError::Load)?;
                    }
                    loaded.push((id, hook));
                }
                Err(e) => {
                    // Dropping what loaded so far detaches it: nothing is left behind.
                    drop(loaded);
                    return Err(ManagerError::Load(
                        e.context(format!("policy {}", entry.name)),
                    ));
                }
            }
        }
        if let Some(registry) = &self.programs {
            for (_, hook) in &loaded {
                for p in hook.programs.iter().filter(|p| p.id != 0) {
                    registry.add_program(
                        p.id,
                        ProgramLabels {
                            policy_namespace: entry.namespace.clone(),
                            policy: entry.name.clone(),
                            sensor: entry.sensors().join(","),
                            attach: p.attach.clone(),
                            section: p.section.to_string(),
                        },
                    );
                }
            }
        }
        for ((id, hook), plan) in loaded.iter_mut().zip(&entry.plans) {
            self.registry.insert(
                *id,
                RegisteredHook {
                    policy_name: entry.name.clone(),
                    info: plan.info.clone(),
                    stacks: hook.stacks.take().map(Mutex::new),
                },
            );
        }
        entry.hooks = loaded;
        entry.enabled = true;
        Ok(())
    }

    fn unload_hooks(&self, entry: &mut Entry) {
        if let Some(registry) = &self.programs {
            for p in entry.hooks.iter().flat_map(|(_, h)| h.programs.iter()) {
                registry.remove_program(p.id);
            }
        }
        let ids: Vec<u32> = entry.hooks.iter().map(|(id, _)| *id).collect();
        entry.hooks.clear();
        self.registry.remove(&ids);
        entry.enabled = false;
    }

    fn release_scope(&self, entry: &Entry) {
        if let (Some(filter), Some(id)) = (&self.filter, entry.filter_id) {
            filter.remove(id);
        }
    }

    fn find<'a>(
        state: &'a mut State,
        name: &str,
        namespace: &str,
    ) -> Result<&'a mut Entry, ManagerError> {
        state
            .policies
            .iter_mut()
            .find(|e| e.key_matches(name, namespace))
            .ok_or_else(|| ManagerError::NotFound(name.to_string()))
    }

    pub fn delete(&self, name: &str, namespace: &str) -> Result<(), ManagerError> {
        let mut state = self.state();
        let entry = Self::find(&mut state, name, namespace)?;
        self.unload_hooks(entry);
        self.release_scope(entry);
        state.policies.retain(|e| !e.key_matches(name, namespace));
        if let Some(path) = self.persisted(name, namespace) {
            let _ = std::fs::remove_file(path);
        }
        info!(policy = %name, "tracing policy deleted");
        Ok(())
    }

    /// Enables or disables a policy, and sets its mode; either may be absent.
    pub fn configure(
        &self,
        name: &str,
        namespace: &str,
        enable: Option<bool>,
        mode: Option<Mode>,
    ) -> Result<(), ManagerError> {
        let mut guard = self.state();
        let state = &mut *guard;
        let index = state
            .policies
            .iter()
            .position(|e| e.key_matches(name, namespace))
            .ok_or_else(|| ManagerError::NotFound(name.to_string()))?;
        let mut entry = state.policies.remove(index);
        let result = (|| {
            if let Some(mode) = mode {
                entry.mode = mode;
                for (_, hook) in &mut entry.hooks {
                    hook.set_monitor(mode == Mode::Monitor)
                        .map_err(ManagerError::Load)?;
                }
            }
            match enable {
                Some(true) if !entry.enabled => self.load_hooks(state, &mut entry),
                Some(false) if entry.enabled => {
                    self.unload_hooks(&mut entry);
                    Ok(())
                }
                _ => Ok(()),
            }
        })();
        state.policies.insert(index, entry);
        result
    }

    pub fn list(&self) -> Vec<TracingPolicyStatus> {
        let state = self.state();
        state
            .policies
            .iter()
            .map(|e| {
                let stats = e.hooks.iter().map(|(_, h)| h.stats()).fold(
                    Default::default(),
                    |a: loader::HookStats, s| loader::HookStats {
                        posted: a.posted + s.posted,
                        lost: a.lost + s.lost,
                        matched: a.matched + s.matched,
                        rate_limited: a.rate_limited + s.rate_limited,
                    },
                );
                #[allow(deprecated)] // still filled: older clients read it
                TracingPolicyStatus {
                    enabled: e.enabled,
                    id: e.id,
                    name: e.name.clone(),
                    namespace: e.namespace.clone(),
                    info: format!(
                        "kernel: {} calls matched, {} events posted, {} lost to a full ring buffer, {} rate-limited",
                        stats.matched, stats.posted, stats.lost, stats.rate_limited
                    ),
                    sensors: e.sensors(),
                    filter_id: 0,
                    error: String::new(),
                    state: if e.enabled {
                        TracingPolicyState::TpStateEnabled
                    } else {
                        TracingPolicyState::TpStateDisabled
                    } as i32,
                    kernel_memory_bytes: e.hooks.iter().map(|(_, h)| h.kernel_memory).sum(),
                    mode: e.mode.api() as i32,
                    stats: Some(TracingPolicyStats {
                        action_counters: Some(TracingPolicyActionCounters {
                            post: stats.posted,
                            ..Default::default()
                        }),
                        selector_action_counters: Vec::new(),
                    }),
                    ..Default::default()
                }
            })
            .collect()
    }

    /// Records each policy's hooks posted and lost, summed.
    pub fn hook_stats(&self) -> loader::HookStats {
        let state = self.state();
        let mut total = loader::HookStats::default();
        for (_, h) in state.policies.iter().flat_map(|e| e.hooks.iter()) {
            let s = h.stats();
            total.posted += s.posted;
            total.lost += s.lost;
            total.matched += s.matched;
            total.rate_limited += s.rate_limited;
        }
        total
    }

    /// One sensor per policy and hook kind, as upstream names them.
    pub fn sensors(&self) -> Vec<SensorStatus> {
        let state = self.state();
        state
            .policies
            .iter()
            .flat_map(|e| {
                e.sensors().into_iter().map(move |kind| SensorStatus {
                    name: format!("{kind}-{}", e.name),
                    enabled: e.enabled,
                    collection: format!("{} (object:{}/{})", e.name, e.id, e.namespace),
                })
            })
            .collect()
    }

    /// Enables or disables the policy a sensor belongs to.
    pub fn configure_sensor(&self, sensor: &str, enable: bool) -> Result<(), ManagerError> {
        let owner = {
            let state = self.state();
            state
                .policies
                .iter()
                .find(|e| {
                    e.sensors()
                        .iter()
                        .any(|k| format!("{k}-{}", e.name) == sensor)
                })
                .map(|e| (e.name.clone(), e.namespace.clone()))
        };
        let (name, namespace) =
            owner.ok_or_else(|| ManagerError::SensorNotFound(sensor.to_string()))?;
        self.configure(&name, &namespace, Some(enable), None)
    }

    /// Loads every policy file at start; a bad one is logged and skipped.
    pub fn load_files(&self, files: &[PathBuf]) {
        for file in files {
            let yaml = match std::fs::read_to_string(file) {
                Ok(y) => y,
                Err(e) => {
                    warn!(file = %file.display(), error = %e, "cannot read tracing policy");
                    continue;
                }
            };
            match self.add(&file.display().to_string(), &yaml) {
                Ok(_) => info!(file = %file.display(), "tracing policy from file added"),
                Err(e) => {
                    warn!(file = %file.display(), error = %e, "tracing policy from file not loaded")
                }
            }
        }
    }
}

/// The policy files of `--tracing-policy-dir`, searched recursively, in
/// name order; `.yaml`/`.yml` only.
pub fn policy_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(policy_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    out
}

//! Loads one hook plan: the generic object with the plan's configuration,
//! sharing the base sensor's ring buffer and exec map, its programs
//! attached, its lookup maps filled. Dropping the result detaches the
//! programs and frees the maps.

use std::{fs, path::PathBuf};

use anyhow::{Context, Result};
use aya::{
    Btf, Ebpf, EbpfLoader,
    maps::{
        Array, HashMap, MapData, PerCpuArray,
        lpm_trie::{Key, LpmTrie},
    },
    programs::{TracePoint, UProbe, uprobe::UProbeScope},
};

use super::{
    compile::{Attach, HookPlan},
    kernel_abi::{GhConfig, STR_KEY},
};
use crate::bpf::objects;

const BPF_FS: &str = "/sys/fs/bpf";

/// The base sensor's maps every hook shares, by kernel id.
#[derive(Debug, Clone, Copy)]
pub struct SharedMaps {
    pub events: u32,
    pub execve: u32,
    pub policy_filter: u32,
}

impl SharedMaps {
    /// Each shared map's name in the objects, with its id.
    fn named(&self) -> [(&'static str, u32); 3] {
        [
            ("events", self.events),
            ("execve_map", self.execve),
            ("policy_filter", self.policy_filter),
        ]
    }

    fn is_shared(name: &str) -> bool {
        matches!(name, "events" | "execve_map" | "policy_filter")
    }
}

/// Stack traces kept per hook when a selector asks for them.
const STACK_ENTRIES: u32 = 4096;

/// The string trie and the integer set of a hook.
type Lookups = (
    LpmTrie<MapData, [u8; STR_KEY + 4], u8>,
    HashMap<MapData, [u8; 16], u8>,
);

pub struct LoadedHook {
    /// Owns the programs and their links.
    _ebpf: Ebpf,
    /// Held until the programs are gone: their instructions name these fds.
    _lookups: Lookups,
    mode: Array<MapData, u32>,
    stats: PerCpuArray<MapData, u64>,
    pub stacks: Option<aya::maps::StackTraceMap<MapData>>,
    pub kernel_memory: u64,
    /// The programs loaded, for the run-time metrics.
    pub programs: Vec<LoadedProgram>,
}

/// Counters of one hook, summed over CPUs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HookStats {
    pub posted: u64,
    pub lost: u64,
    pub matched: u64,
    pub rate_limited: u64,
}

impl LoadedHook {
    /// Monitor mode keeps posting and skips Sigkill and Signal.
    pub fn set_monitor(&mut self, monitor: bool) -> Result<()> {
        self.mode
            .set(0, u32::from(monitor), 0)
            .context("setting the hook's mode")
    }

    pub fn stats(&self) -> HookStats {
        let sum = |i: u32| self.stats.get(&i, 0).map(|v| v.iter().sum()).unwrap_or(0);
        HookStats {
            posted: sum(0),
            lost: sum(1),
            matched: sum(2),
            rate_limited: sum(3),
        }
    }
}

/// Pins the shared maps where the loader finds them, for as long as a load
/// takes: nothing stays pinned after.
struct TemporaryPins {
    dir: PathBuf,
}

impl TemporaryPins {
    fn new(shared: &SharedMaps, hook_id: u32) -> Result<TemporaryPins> {
        // Beside, not under, the pin directory: another daemon starting with
        // --release-pinned-bpf empties that one.
        let dir =
            PathBuf::from(BPF_FS).join(format!("tetragond-load-{}-{hook_id}", std::process::id()));
        fs::create_dir_all(&dir).with_context(|| {
            format!(
                "creating {} (is the BPF file system mounted on /sys/fs/bpf?)",
                dir.display()
            )
        })?;
        let pins = TemporaryPins { dir };
        for (name, id) in shared.named() {
            MapData::from_id(id)
                .with_context(|| format!("finding the base sensor's {name} map"))?
                .pin(pins.dir.join(name))
                .with_context(|| format!("pinning {name} under {}", pins.dir.display()))?;
        }
        Ok(pins)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for TemporaryPins {
    fn drop(&mut self) {
        let _ = crate::bpf::pins::release(&self.dir);
    }
}

fn take<T>(ebpf: &mut Ebpf, name: &str) -> Result<T>
where
    T: TryFrom<aya::maps::Map>,
    <T as TryFrom<aya::maps::Map>>::Error: std::error::Error + Send + Sync + 'static,
{
    let map = ebpf
        .take_map(name)
        .with_context(|| format!("map {name} missing from the generic hook"))?;
    T::try_from(map).with_context(|| format!("map {name} has an unexpected type"))
}

pub fn load(plan: &HookPlan, hook_id: u32, shared: &SharedMaps, btf: &Btf) -> Result<LoadedHook> {
    let mut config: GhConfig = plan.config;
    config.hook_id = hook_id;
    let config_bytes: &[u8] = bytemuck::bytes_of(&config);
    let cpus = aya::util::nr_cpus().map_err(|(what, e)| anyhow::anyhow!("{what}: {e}"))? as u32;
    let pins = TemporaryPins::new(shared, hook_id)?;
    let pin_paths: Vec<(&str, PathBuf)> = shared
        .named()
        .iter()
        .map(|(name, _)| (*name, pins.path(name)))
        .collect();
    let mut loader = EbpfLoader::new();
    loader
        .btf(Some(btf))
        .override_global("CONFIG", config_bytes, true)
        .map_max_entries("heap_map", cpus.max(1));
    for (name, path) in &pin_paths {
        loader.map_pin_path(name, path.as_path());
    }
    if plan.wants_stacks {
        loader.map_max_entries("stack_map", STACK_ENTRIES);
    }
    let mut ebpf = loader
        .load(objects::GENERIC_HOOK)
        .context("loading the generic hook object")?;
    drop(pins);

    // Values before programs: a program must never run with half its sets.
    let lookups = {
        let mut trie: LpmTrie<MapData, [u8; STR_KEY + 4], u8> = take(&mut ebpf, "str_trie")?;
        for key in &plan.strings {
            let mut data = [0u8; STR_KEY + 4];
            data[..4].copy_from_slice(&key.slot.to_ne_bytes());
            data[4..].copy_from_slice(&key.data);
            trie.insert(&Key::new(key.prefixlen, data), 1, 0)
                .context("filling the string trie")?;
        }
        let mut ints: HashMap<MapData, [u8; 16], u8> = take(&mut ebpf, "int_set")?;
        for key in &plan.ints {
            ints.insert(bytemuck::cast::<_, [u8; 16]>(*key), 1, 0)
                .context("filling the integer set")?;
        }
        (trie, ints)
    };
    let mode: Array<MapData, u32> = take(&mut ebpf, "mode_map")?;
    let stats: PerCpuArray<MapData, u64> = take(&mut ebpf, "stats_map")?;
    let stacks = if plan.wants_stacks {
        Some(take(&mut ebpf, "stack_map")?)
    } else {
        None
    };

    let mut programs = Vec::new();
    match &plan.attach {
        Attach::Tracepoint { category, name } => {
            let prog: &mut TracePoint = program(&mut ebpf, "generic_tracepoint")?;
            prog.load().context("loading the tracepoint program")?;
            prog.attach(category, name)
                .with_context(|| format!("attaching to tracepoint {category}/{name}"))?;
            programs.push(LoadedProgram::of(
                prog.info().ok(),
                format!("{category}/{name}"),
                "tracepoint",
            ));
        }
        Attach::Syscalls { calls, ret } => {
            let prog: &mut TracePoint = program(&mut ebpf, "generic_tracepoint")?;
            prog.load().context("loading the syscall entry program")?;
            let first = calls.first().map(|c| c.name.as_str()).unwrap_or_default();
            programs.push(LoadedProgram::of(
                prog.info().ok(),
                format!("syscalls/sys_enter_{first}"),
                "tracepoint",
            ));
            for call in calls {
                let event = format!("sys_enter_{}", call.name);
                prog.attach("syscalls", &event)
                    .with_context(|| format!("attaching to syscalls/{event}"))?;
            }
            if *ret {
                let prog: &mut TracePoint = program(&mut ebpf, "generic_tracepoint_return")?;
                prog.load().context("loading the syscall return program")?;
                let first = calls.first().map(|c| c.name.as_str()).unwrap_or_default();
                programs.push(LoadedProgram::of(
                    prog.info().ok(),
                    format!("syscalls/sys_exit_{first}"),
                    "tracepoint",
                ));
                for call in calls {
                    let event = format!("sys_exit_{}", call.name);
                    prog.attach("syscalls", &event)
                        .with_context(|| format!("attaching to syscalls/{event}"))?;
                }
            }
        }
        Attach::Uprobe { path, symbol } => {
            let prog: &mut UProbe = program(&mut ebpf, "generic_uprobe")?;
            prog.load().context("loading the uprobe program")?;
            programs.push(LoadedProgram::of(
                prog.info().ok(),
                format!("{}:{symbol}", path.display()),
                "uprobe",
            ));
            prog.attach(symbol.as_str(), path, UProbeScope::AllProcesses)
                .with_context(|| format!("attaching a uprobe to {symbol} in {}", path.display()))?;
        }
    }
    let kernel_memory = programs
        .iter()
        .map(|p: &LoadedProgram| p.memory)
        .sum::<u64>()
        + maps_memory(&ebpf)
        + lookups_memory(plan);
    Ok(LoadedHook {
        _ebpf: ebpf,
        _lookups: lookups,
        mode,
        stats,
        stacks,
        kernel_memory,
        programs,
    })
}

/// What the taken-out lookup maps hold: the entries written.
fn lookups_memory(plan: &HookPlan) -> u64 {
    plan.strings.len() as u64 * 300 + plan.ints.len() as u64 * 64
}

fn program<'a, P>(ebpf: &'a mut Ebpf, name: &str) -> Result<&'a mut P>
where
    &'a mut P: TryFrom<&'a mut aya::programs::Program>,
{
    let prog = ebpf
        .program_mut(name)
        .with_context(|| format!("program {name} missing from the generic hook"))?;
    prog.try_into()
        .map_err(|_| anyhow::anyhow!("program {name} has an unexpected type"))
}

/// A program of a hook: its kernel id, where it is attached, what it costs.
#[derive(Debug, Clone)]
pub struct LoadedProgram {
    pub id: u32,
    pub attach: String,
    pub section: &'static str,
    pub memory: u64,
}

impl LoadedProgram {
    fn of(info: Option<aya::programs::ProgramInfo>, attach: String, section: &'static str) -> Self {
        LoadedProgram {
            id: info.as_ref().map(|i| i.id()).unwrap_or(0),
            memory: info
                .and_then(|i| i.memory_locked().ok())
                .map(u64::from)
                .unwrap_or(0),
            attach,
            section,
        }
    }
}

/// The hook's own preallocated maps' size, as the kernel sizes them.
fn maps_memory(ebpf: &Ebpf) -> u64 {
    const NO_PREALLOC: u32 = 1; // BPF_F_NO_PREALLOC: entries cost only once written
    ebpf.maps()
        // The shared maps are the base sensor's, not the policy's.
        .filter(|(name, _)| !SharedMaps::is_shared(name))
        .filter_map(|(_, map)| map_info(map))
        .filter(|i| i.map_flags() & NO_PREALLOC == 0)
        .map(|i| u64::from(i.key_size() + i.value_size()) * u64::from(i.max_entries()))
        .sum()
}

fn map_info(map: &aya::maps::Map) -> Option<aya::maps::MapInfo> {
    use aya::maps::Map;
    let data = match map {
        Map::Array(d)
        | Map::PerCpuArray(d)
        | Map::HashMap(d)
        | Map::LruHashMap(d)
        | Map::StackTraceMap(d) => d,
        _ => return None,
    };
    data.info().ok()
}

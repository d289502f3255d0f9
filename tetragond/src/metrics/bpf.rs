//! What the kernel knows about our BPF objects, read at scrape time:
//! per-program run counts and run time (`tetragon_overhead_program_*`)
//! and per-map capacity and use (`tetragon_map_*`).
//!
//! The daemon registers the programs and maps it loads in `BpfObjects`
//! (by kernel ID, with the labels upstream gives them); the collector looks
//! them up by ID, so a program unloaded without being unregistered simply
//! disappears from the output.
//!
//! The kernel only accumulates run counts and run time while statistics are
//! enabled: `sysctl kernel.bpf_stats_enabled=1`, or for as long as a
//! `RunStats` guard (a `BPF_ENABLE_STATS` file descriptor) is held. Upstream
//! does not enable them itself; they cost a little on every program run.

use std::{
    collections::{BTreeMap, HashMap},
    io,
    os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd},
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use anyhow::{Context, Result};
use aya::maps::{MapInfo, MapType};
use prometheus::{
    core::{Collector, Desc},
    proto::MetricFamily,
};

use super::families::{
    MAP_CAPACITY, MAP_ENTRIES, OVERHEAD_PROGRAM_RUNS_TOTAL, OVERHEAD_PROGRAM_SECONDS_TOTAL,
};

/// The labels of one program in `tetragon_overhead_program_*`, as upstream
/// sets them: the policy (empty for sensors no policy loaded), the sensor,
/// the attach point (e.g. `sched_process_exec`, `sys_open`) and the
/// program's ELF section (e.g. `tp_btf/sched_process_exec`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProgramLabels {
    pub policy_namespace: String,
    pub policy: String,
    pub sensor: String,
    pub attach: String,
    pub section: String,
}

/// The BPF programs and maps the metrics report, by kernel ID. Cheap to
/// clone; every clone is the same registry.
#[derive(Clone, Default)]
pub struct BpfObjects {
    inner: Arc<Mutex<Registered>>,
}

#[derive(Default)]
struct Registered {
    programs: HashMap<u32, ProgramLabels>,
    maps: BTreeMap<u32, String>,
}

impl BpfObjects {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registered> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reports the program with kernel ID `id` (`Program::info()?.id()`).
    pub fn add_program(&self, id: u32, labels: ProgramLabels) {
        self.lock().programs.insert(id, labels);
    }

    /// Reports a loaded aya program.
    pub fn add_loaded_program(
        &self,
        program: &aya::programs::Program,
        labels: ProgramLabels,
    ) -> Result<()> {
        let id = program
            .info()
            .with_context(|| format!("reading the kernel ID of program {}", labels.section))?
            .id();
        self.add_program(id, labels);
        Ok(())
    }

    pub fn remove_program(&self, id: u32) {
        self.lock().programs.remove(&id);
    }

    /// Reports the map with kernel ID `id` under the label `map="<name>"`.
    pub fn add_map(&self, id: u32, name: impl Into<String>) {
        self.lock().maps.insert(id, name.into());
    }

    pub fn remove_map(&self, id: u32) {
        self.lock().maps.remove(&id);
    }

    fn snapshot(&self) -> (HashMap<u32, ProgramLabels>, BTreeMap<u32, String>) {
        let r = self.lock();
        (r.programs.clone(), r.maps.clone())
    }
}

/// Keeps the kernel's BPF run statistics on while held.
pub struct RunStats(#[allow(dead_code)] OwnedFd);

impl RunStats {
    /// Turns run statistics on for every BPF program on the host until the
    /// guard is dropped (kernel 5.8 and later).
    pub fn enable() -> Result<RunStats> {
        aya::sys::enable_stats(aya::sys::Stats::RunTime)
            .map(RunStats)
            .context("enabling BPF run statistics (BPF_ENABLE_STATS)")
    }

    /// Whether `kernel.bpf_stats_enabled` is set (statistics on for all).
    pub fn enabled_by_sysctl() -> bool {
        std::fs::read_to_string("/proc/sys/kernel/bpf_stats_enabled").is_ok_and(|v| v.trim() == "1")
    }
}

/// One program's numbers, as the kernel reports them in `bpf_prog_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunNumbers {
    pub id: u32,
    pub run_count: u64,
    pub run_time: Duration,
}

/// Sums the numbers of the registered programs by label set (two programs
/// with the same labels would otherwise make a duplicate series, which
/// fails the whole scrape).
pub fn overhead(
    numbers: impl IntoIterator<Item = RunNumbers>,
    registered: &HashMap<u32, ProgramLabels>,
) -> BTreeMap<ProgramLabels, (u64, Duration)> {
    let mut totals: BTreeMap<ProgramLabels, (u64, Duration)> = BTreeMap::new();
    for n in numbers {
        if let Some(labels) = registered.get(&n.id) {
            let t = totals.entry(labels.clone()).or_default();
            t.0 += n.run_count;
            t.1 += n.run_time;
        }
    }
    totals
}

/// A map's use: entries in use where that means something for its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapUse {
    pub capacity: u32,
    pub entries: Option<u64>,
}

/// Reads the capacity and entries of the map with kernel ID `id`.
pub fn map_use(id: u32) -> Result<MapUse> {
    let info = MapInfo::from_id(id).with_context(|| format!("BPF map {id}"))?;
    let capacity = info.max_entries();
    let entries = match info.map_type() {
        Ok(
            MapType::Hash
            | MapType::LruHash
            | MapType::PerCpuHash
            | MapType::LruPerCpuHash
            | MapType::HashOfMaps,
        ) => {
            let fd = info.fd().with_context(|| format!("BPF map {id}"))?;
            let n = count_keys(fd.as_fd(), info.key_size(), capacity)
                .with_context(|| format!("counting the entries of BPF map {id}"))?;
            Some(n)
        }
        // Every slot of an array exists.
        Ok(MapType::Array | MapType::PerCpuArray) => Some(u64::from(capacity)),
        _ => None,
    };
    Ok(MapUse { capacity, entries })
}

/// Counts a map's keys with `BPF_MAP_GET_NEXT_KEY`, stopping after
/// `capacity` (a map whose keys change meanwhile can restart the walk).
fn count_keys(fd: BorrowedFd<'_>, key_size: u32, capacity: u32) -> io::Result<u64> {
    #[repr(C)]
    struct NextKeyAttr {
        map_fd: u32,
        _pad: u32,
        key: u64,
        next_key: u64,
        flags: u64,
    }
    const BPF_MAP_GET_NEXT_KEY: libc::c_long = 4;
    let size = key_size.max(1) as usize;
    let mut key = vec![0u8; size];
    let mut next = vec![0u8; size];
    let mut count = 0u64;
    while count < u64::from(capacity) {
        let attr = NextKeyAttr {
            map_fd: fd.as_raw_fd() as u32,
            _pad: 0,
            // No key asks for the first one.
            key: if count == 0 { 0 } else { key.as_ptr() as u64 },
            next_key: next.as_mut_ptr() as u64,
            flags: 0,
        };
        // SAFETY: `attr` points at buffers of the map's key size that live
        // across the call; the kernel writes only into `next`.
        let ret = unsafe {
            libc::syscall(
                libc::SYS_bpf,
                BPF_MAP_GET_NEXT_KEY,
                &attr as *const NextKeyAttr,
                std::mem::size_of::<NextKeyAttr>(),
            )
        };
        if ret < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::ENOENT) {
                break;
            }
            return Err(e);
        }
        count += 1;
        std::mem::swap(&mut key, &mut next);
    }
    Ok(count)
}

pub struct BpfCollector {
    objects: BpfObjects,
    descs: Vec<Desc>,
}

impl BpfCollector {
    pub fn new(objects: BpfObjects) -> Self {
        BpfCollector {
            objects,
            descs: vec![
                OVERHEAD_PROGRAM_RUNS_TOTAL.desc(),
                OVERHEAD_PROGRAM_SECONDS_TOTAL.desc(),
                MAP_ENTRIES.desc(),
                MAP_CAPACITY.desc(),
            ],
        }
    }
}

impl Collector for BpfCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let (programs, maps) = self.objects.snapshot();
        let mut runs = OVERHEAD_PROGRAM_RUNS_TOTAL.samples();
        let mut seconds = OVERHEAD_PROGRAM_SECONDS_TOTAL.samples();
        if !programs.is_empty() {
            // Programs are found by walking the kernel's program IDs: aya
            // 0.14 opens a program by ID only that way.
            let numbers = aya::programs::loaded_programs()
                .filter_map(Result::ok)
                .filter(|p| programs.contains_key(&p.id()))
                .map(|p| RunNumbers {
                    id: p.id(),
                    run_count: p.run_count(),
                    run_time: p.run_time(),
                });
            for (l, (count, time)) in overhead(numbers, &programs) {
                let labels = [
                    l.attach.as_str(),
                    &l.policy,
                    &l.policy_namespace,
                    &l.section,
                    &l.sensor,
                ];
                runs.add(&labels, count as f64);
                seconds.add(&labels, time.as_secs_f64());
            }
        }
        let mut entries = MAP_ENTRIES.samples();
        let mut capacity = MAP_CAPACITY.samples();
        let mut by_name: BTreeMap<&str, MapUse> = BTreeMap::new();
        for (id, name) in &maps {
            let Ok(u) = map_use(*id) else { continue };
            // Two maps under one name would make duplicate series: sum them.
            let t = by_name.entry(name).or_insert(MapUse {
                capacity: 0,
                entries: None,
            });
            t.capacity = t.capacity.saturating_add(u.capacity);
            if let Some(n) = u.entries {
                t.entries = Some(t.entries.unwrap_or(0) + n);
            }
        }
        for (name, u) in by_name {
            capacity.add(&[name], f64::from(u.capacity));
            if let Some(n) = u.entries {
                entries.add(&[name], n as f64);
            }
        }
        vec![
            runs.finish(),
            seconds.finish(),
            entries.finish(),
            capacity.finish(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(attach: &str) -> ProgramLabels {
        ProgramLabels {
            sensor: "__base__".into(),
            attach: attach.into(),
            section: format!("tp_btf/{attach}"),
            ..Default::default()
        }
    }

    #[test]
    fn overhead_keeps_registered_programs_and_sums_equal_labels() {
        let registered = HashMap::from([
            (10, labels("sched_process_exec")),
            (11, labels("sched_process_exit")),
            (12, labels("sched_process_exit")),
        ]);
        let n = |id, run_count, ns| RunNumbers {
            id,
            run_count,
            run_time: Duration::from_nanos(ns),
        };
        let totals = overhead(
            [
                n(10, 5, 1_000),
                n(11, 2, 500),
                n(12, 3, 250),
                n(99, 1000, 1_000_000),
            ],
            &registered,
        );
        assert_eq!(
            totals,
            BTreeMap::from([
                (
                    labels("sched_process_exec"),
                    (5, Duration::from_nanos(1_000))
                ),
                (labels("sched_process_exit"), (5, Duration::from_nanos(750))),
            ])
        );
    }

    #[test]
    fn nothing_registered_nothing_reported() {
        let c = BpfCollector::new(BpfObjects::default());
        assert!(c.collect().iter().all(|f| f.get_metric().is_empty()));
    }

    #[test]
    fn registry_clones_share_registrations() {
        let a = BpfObjects::default();
        let b = a.clone();
        a.add_program(7, labels("x"));
        b.add_map(8, "m");
        let (p, m) = b.snapshot();
        assert!(p.contains_key(&7));
        assert_eq!(m.get(&8).map(String::as_str), Some("m"));
        b.remove_program(7);
        a.remove_map(8);
        let (p, m) = a.snapshot();
        assert!(p.is_empty() && m.is_empty());
    }
}

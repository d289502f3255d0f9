//! Loads and attaches the base sensor: the scheduler's exec, fork and exit
//! BTF tracepoints, all posting to one ring buffer.

use anyhow::{Context, Result};
use aya::{
    Btf, Ebpf, EbpfLoader,
    maps::{HashMap as AyaHashMap, MapData, PerCpuArray, RingBuf},
    programs::BtfTracePoint,
};

use super::objects;
use crate::policy::{kernel_abi::ExecEntry, loader::SharedMaps};

/// The ring buffer's size when none is asked for. Its pages are mapped
/// twice into the daemon, so this costs twice its size in resident memory.
const DEFAULT_RING_SIZE: u64 = 2 << 20;
const MAX_RING_SIZE: u64 = 1 << 30;

fn ring_buffer_size(asked: u64) -> Result<u32> {
    let asked = if asked == 0 { DEFAULT_RING_SIZE } else { asked };
    // SAFETY: sysconf has no memory effects.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let size = asked.max(page).next_power_of_two();
    if size > MAX_RING_SIZE {
        anyhow::bail!("--rb-size-total {asked}: at most {MAX_RING_SIZE} bytes");
    }
    Ok(size as u32)
}

/// (program name in the object, tracepoint it attaches to)
const HOOKS: &[(&str, &str)] = &[
    ("on_exec", "sched_process_exec"),
    ("on_fork", "sched_process_fork"),
    ("on_exit", "sched_process_exit"),
];

pub struct BaseSensor {
    /// Owns the loaded programs and their links: dropping it detaches them.
    ebpf: Ebpf,
    lost: PerCpuArray<MapData, u64>,
    execve: AyaHashMap<MapData, u32, [u8; size_of::<ExecEntry>()]>,
    shared: SharedMaps,
}

fn map_id(ebpf: &Ebpf, name: &str) -> Result<u32> {
    use aya::maps::Map;
    let data = match ebpf
        .map(name)
        .with_context(|| format!("map `{name}` missing"))?
    {
        Map::RingBuf(d) | Map::HashMap(d) => d,
        _ => anyhow::bail!("map `{name}` has an unexpected type"),
    };
    Ok(data
        .info()
        .with_context(|| format!("reading map `{name}`'s id"))?
        .id())
}

impl BaseSensor {
    pub const NAME: &'static str = "__base__";

    /// Loads the programs against `btf` and attaches them, with a ring
    /// buffer of `ring_size` bytes (rounded up to a power-of-two number of
    /// pages, as the kernel requires; 0 for the default).
    pub fn load(btf: &Btf, ring_size: u64) -> Result<(BaseSensor, RingBuf<MapData>)> {
        let ring_size = ring_buffer_size(ring_size)?;
        let mut ebpf = EbpfLoader::new()
            .btf(Some(btf))
            .map_max_entries("events", ring_size)
            .load(objects::BASE_SENSOR)
            .context("loading the base sensor's BPF object")?;
        for (prog, tracepoint) in HOOKS {
            let program: &mut BtfTracePoint = ebpf
                .program_mut(prog)
                .with_context(|| format!("program {prog} missing from the base sensor object"))?
                .try_into()
                .with_context(|| format!("program {prog} is not a BTF tracepoint"))?;
            program
                .load(tracepoint, btf)
                .with_context(|| format!("loading {prog} for tracepoint {tracepoint}"))?;
            program
                .attach()
                .with_context(|| format!("attaching {prog} to tracepoint {tracepoint}"))?;
        }
        let shared = SharedMaps {
            events: map_id(&ebpf, "events")?,
            execve: map_id(&ebpf, "execve_map")?,
            policy_filter: map_id(&ebpf, "policy_filter")?,
        };
        let ring = RingBuf::try_from(ebpf.take_map("events").context("map `events` missing")?)
            .context("map `events` is not a ring buffer")?;
        let execve = AyaHashMap::try_from(
            ebpf.take_map("execve_map")
                .context("map `execve_map` missing")?,
        )
        .context("map `execve_map` is not a hash map")?;
        let lost = PerCpuArray::try_from(
            ebpf.take_map("lost_records")
                .context("map `lost_records` missing")?,
        )
        .context("map `lost_records` is not a per-CPU array")?;
        Ok((
            BaseSensor {
                ebpf,
                lost,
                execve,
                shared,
            },
            ring,
        ))
    }

    /// The maps policy hooks share with this sensor.
    pub fn shared_maps(&self) -> SharedMaps {
        self.shared
    }

    /// Tells the policy filters about a process that was running before the
    /// sensor was: what the exec tracepoint would have recorded.
    pub fn remember_process(&mut self, entry: &ExecEntry) -> Result<()> {
        self.execve
            .insert(
                entry.tgid,
                bytemuck::cast::<_, [u8; size_of::<ExecEntry>()]>(*entry),
                0,
            )
            .with_context(|| format!("recording process {} for policy filters", entry.tgid))
    }

    /// Records the kernel could not post because the ring buffer was full.
    pub fn lost_records(&self) -> u64 {
        self.lost
            .get(&0, 0)
            .map(|per_cpu| per_cpu.iter().sum())
            .unwrap_or(0)
    }

    /// (tracepoint, kernel program id) of each attached program, for the
    /// overhead metrics.
    pub fn program_ids(&self) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        HOOKS
            .iter()
            .filter_map(|(prog, tp)| Some((*tp, self.ebpf.program(prog)?.info().ok()?.id())))
    }

    /// Names of the attached programs, for ListSensors and diagnostics.
    pub fn programs(&self) -> impl Iterator<Item = &str> {
        self.ebpf.programs().map(|(name, _)| name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_sizes_are_powers_of_two_pages() {
        assert_eq!(ring_buffer_size(0).unwrap(), 2 << 20);
        assert_eq!(ring_buffer_size(65535).unwrap(), 65536);
        assert_eq!(ring_buffer_size(1).unwrap(), 4096);
        assert!(ring_buffer_size(3 << 30).is_err());
    }
}

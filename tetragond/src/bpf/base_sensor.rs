//! Loads and attaches the base sensor: the scheduler's exec, fork and exit
//! BTF tracepoints, all posting to one ring buffer.

use anyhow::{Context, Result};
use aya::{
    Btf, Ebpf, EbpfLoader,
    maps::{MapData, PerCpuArray, RingBuf},
    programs::BtfTracePoint,
};

use super::objects;

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
}

impl BaseSensor {
    pub const NAME: &'static str = "__base__";

    /// Loads the programs against `btf` and attaches them.
    pub fn load(btf: &Btf) -> Result<(BaseSensor, RingBuf<MapData>)> {
        let mut ebpf = EbpfLoader::new()
            .btf(Some(btf))
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
        let ring = RingBuf::try_from(ebpf.take_map("events").context("map `events` missing")?)
            .context("map `events` is not a ring buffer")?;
        let lost = PerCpuArray::try_from(
            ebpf.take_map("lost_records")
                .context("map `lost_records` missing")?,
        )
        .context("map `lost_records` is not a per-CPU array")?;
        Ok((BaseSensor { ebpf, lost }, ring))
    }

    /// Records the kernel could not post because the ring buffer was full.
    pub fn lost_records(&self) -> u64 {
        self.lost
            .get(&0, 0)
            .map(|per_cpu| per_cpu.iter().sum())
            .unwrap_or(0)
    }

    /// Names of the attached programs, for ListSensors and diagnostics.
    pub fn programs(&self) -> impl Iterator<Item = &str> {
        self.ebpf.programs().map(|(name, _)| name)
    }
}

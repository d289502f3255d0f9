//! The BPF programs and maps loaded in the kernel (all of them, not only the
//! daemon's), with run counts and run time where the kernel keeps them
//! (`kernel.bpf_stats_enabled=1`). Needs root (CAP_SYS_ADMIN) to list.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::bundle::{Bundle, Keep};
use crate::output::table;

#[derive(Debug, Serialize)]
struct Program {
    id: u32,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    tag: String,
    run_count: u64,
    run_time_ns: u64,
    /// Average nanoseconds a run, when the kernel counted runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    avg_run_ns: Option<u64>,
    jited_bytes: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified_insns: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    memlock_bytes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    loaded_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uid: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    map_ids: Vec<u32>,
}

#[derive(Debug, Serialize)]
struct Map {
    id: u32,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
}

pub fn collect(bundle: &mut Bundle) {
    match programs() {
        Ok((programs, skipped)) => {
            bundle.add(
                "bpf/programs.txt",
                "loaded BPF programs with run counts",
                programs_text(&programs, &skipped),
                Keep::Head,
            );
            bundle.add_or_fail(
                "bpf/programs.json",
                "loaded BPF programs",
                serde_json::to_string_pretty(&programs).map(|s| s + "\n"),
                Keep::Head,
            );
        }
        Err(e) => bundle.fail("bpf/programs.txt", "loaded BPF programs", e),
    }
    match maps() {
        Ok(maps) => bundle.add(
            "bpf/maps.txt",
            "loaded BPF maps",
            maps_text(&maps),
            Keep::Head,
        ),
        Err(e) => bundle.fail("bpf/maps.txt", "loaded BPF maps", e),
    }
}

/// Every program the kernel lets us see; an error on the first one (no
/// privilege) is an error, later ones are noted and skipped.
fn programs() -> Result<(Vec<Program>, Vec<String>), String> {
    let mut programs = Vec::new();
    let mut skipped = Vec::new();
    for info in aya::programs::loaded_programs() {
        let info = match info {
            Ok(info) => info,
            Err(e) if programs.is_empty() && skipped.is_empty() => {
                return Err(format!("listing BPF programs: {}", chain(&e)));
            }
            Err(e) => {
                skipped.push(chain(&e));
                continue;
            }
        };
        let run_count = info.run_count();
        let run_time_ns = info.run_time().as_nanos() as u64;
        programs.push(Program {
            id: info.id(),
            name: info.name_as_str().unwrap_or("").to_string(),
            kind: program_type(info.program_type()),
            tag: format!("{:016x}", info.tag()),
            run_count,
            run_time_ns,
            avg_run_ns: (run_count > 0).then(|| run_time_ns / run_count),
            jited_bytes: info.size_jitted(),
            verified_insns: info.verified_instruction_count(),
            memlock_bytes: info.memory_locked().ok(),
            loaded_at: info.loaded_at().map(rfc3339),
            uid: info.created_by_uid(),
            map_ids: info.map_ids().ok().flatten().unwrap_or_default(),
        });
    }
    Ok((programs, skipped))
}

fn maps() -> Result<Vec<Map>, String> {
    let mut maps = Vec::new();
    for info in aya::maps::loaded_maps() {
        let info = match info {
            Ok(info) => info,
            Err(e) if maps.is_empty() => return Err(format!("listing BPF maps: {}", chain(&e))),
            Err(_) => continue,
        };
        maps.push(Map {
            id: info.id(),
            name: info.name_as_str().unwrap_or("").to_string(),
            kind: info
                .map_type()
                .map(|t| format!("{t:?}"))
                .unwrap_or_else(|_| "unknown".into()),
            key_size: info.key_size(),
            value_size: info.value_size(),
            max_entries: info.max_entries(),
            flags: info.map_flags(),
        });
    }
    Ok(maps)
}

/// `BPF_PROG_TYPE_TRACEPOINT` -> `tracepoint`.
fn program_type(t: impl std::fmt::Debug) -> String {
    let name = format!("{t:?}");
    name.trim_start_matches("BPF_PROG_TYPE_").to_lowercase()
}

fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn programs_text(programs: &[Program], skipped: &[String]) -> String {
    let stats_enabled = std::fs::read_to_string("/proc/sys/kernel/bpf_stats_enabled")
        .map(|v| v.trim() == "1")
        .unwrap_or(false);
    let mut out = format!("{} programs loaded\n", programs.len());
    if !stats_enabled {
        out.push_str(
            "run counts and run time are counted only while kernel.bpf_stats_enabled=1 (it is not now)\n",
        );
    }
    for s in skipped {
        out.push_str(&format!("skipped a program: {s}\n"));
    }
    if programs.is_empty() {
        return out;
    }
    out.push('\n');
    out.push_str(&table::render(
        &[
            "ID", "TYPE", "NAME", "RUNS", "RUNTIME", "AVG", "JITED", "MEMLOCK",
        ],
        programs.iter().map(|p| {
            [
                p.id.to_string(),
                p.kind.clone(),
                p.name.clone(),
                p.run_count.to_string(),
                format!("{:?}", Duration::from_nanos(p.run_time_ns)),
                p.avg_run_ns.map(|n| format!("{n}ns")).unwrap_or_default(),
                p.jited_bytes.to_string(),
                p.memlock_bytes.map(|b| b.to_string()).unwrap_or_default(),
            ]
        }),
    ));
    out
}

fn maps_text(maps: &[Map]) -> String {
    let mut out = format!("{} maps loaded\n", maps.len());
    if maps.is_empty() {
        return out;
    }
    out.push('\n');
    out.push_str(&table::render(
        &["ID", "TYPE", "NAME", "KEY", "VALUE", "MAXENTRIES", "FLAGS"],
        maps.iter().map(|m| {
            [
                m.id.to_string(),
                m.kind.clone(),
                m.name.clone(),
                m.key_size.to_string(),
                m.value_size.to_string(),
                m.max_entries.to_string(),
                format!("{:#x}", m.flags),
            ]
        }),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_types_lose_their_prefix() {
        #[derive(Debug)]
        #[allow(non_camel_case_types)]
        enum T {
            BPF_PROG_TYPE_RAW_TRACEPOINT,
        }
        assert_eq!(
            program_type(T::BPF_PROG_TYPE_RAW_TRACEPOINT),
            "raw_tracepoint"
        );
    }

    #[test]
    fn the_program_table_has_run_counts() {
        let p = Program {
            id: 7,
            name: "event_execve".into(),
            kind: "tracing".into(),
            tag: "0".into(),
            run_count: 10,
            run_time_ns: 5000,
            avg_run_ns: Some(500),
            jited_bytes: 100,
            verified_insns: None,
            memlock_bytes: Some(4096),
            loaded_at: None,
            uid: None,
            map_ids: vec![],
        };
        let text = programs_text(&[p], &[]);
        assert!(text.starts_with("1 programs loaded\n"), "{text}");
        let row = text.lines().last().unwrap();
        assert!(
            row.starts_with("7    tracing   event_execve   10     5µs       500ns"),
            "{row}"
        );
    }
}

//! The daemon's own resource use, read from /proc/self at scrape time and
//! named as Go's process collector names it (`process_cpu_seconds_total`,
//! `process_resident_memory_bytes`, ...), so the same panels work.

use std::{fs, path::PathBuf};

use prometheus::{
    core::{Collector, Desc},
    proto::MetricFamily,
};

use super::families::{
    Family, PROCESS_CPU_SECONDS_TOTAL, PROCESS_MAX_FDS, PROCESS_OPEN_FDS,
    PROCESS_RESIDENT_MEMORY_BYTES, PROCESS_START_TIME_SECONDS, PROCESS_VIRTUAL_MEMORY_BYTES,
    PROCESS_VIRTUAL_MEMORY_MAX_BYTES,
};

/// The fields of /proc/<pid>/stat the metrics use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// Clock ticks in user and kernel mode.
    pub utime: u64,
    pub stime: u64,
    /// Clock ticks after boot when the process started.
    pub starttime: u64,
    /// Bytes.
    pub vsize: u64,
    /// Pages.
    pub rss: u64,
}

/// Parses /proc/<pid>/stat. The command name (field 2) is in parentheses
/// and may itself hold spaces and parentheses: fields are counted after the
/// last `)`.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let rest = &text[text.rfind(')')? + 1..];
    // `rest` starts at field 3 (state).
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    // vsize and rss; rss may be negative in theory: treat as unreadable.
    Some(Stat {
        utime: field(14)?,
        stime: field(15)?,
        starttime: field(22)?,
        vsize: field(23)?,
        rss: field(24)?,
    })
}

/// The boot time in seconds since the epoch, from /proc/stat's `btime`.
pub fn parse_boot_time(proc_stat: &str) -> Option<u64> {
    proc_stat
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

pub struct ProcessCollector {
    proc_dir: PathBuf,
    descs: Vec<Desc>,
}

const FAMILIES: [&Family; 7] = [
    &PROCESS_CPU_SECONDS_TOTAL,
    &PROCESS_RESIDENT_MEMORY_BYTES,
    &PROCESS_VIRTUAL_MEMORY_BYTES,
    &PROCESS_VIRTUAL_MEMORY_MAX_BYTES,
    &PROCESS_OPEN_FDS,
    &PROCESS_MAX_FDS,
    &PROCESS_START_TIME_SECONDS,
];

impl ProcessCollector {
    pub fn new() -> Self {
        ProcessCollector {
            proc_dir: PathBuf::from("/proc"),
            descs: FAMILIES.iter().map(|f| f.desc()).collect(),
        }
    }
}

impl Default for ProcessCollector {
    fn default() -> Self {
        Self::new()
    }
}

fn sysconf(name: libc::c_int) -> Option<u64> {
    // SAFETY: sysconf has no memory effects.
    let v = unsafe { libc::sysconf(name) };
    (v > 0).then_some(v as u64)
}

/// The soft limit of a resource; unlimited as the largest u64, as Go's
/// collector reports it.
fn soft_limit(resource: i32) -> Option<f64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only into `limit`.
    if unsafe { libc::getrlimit(resource as _, &mut limit) } != 0 {
        return None;
    }
    Some(limit.rlim_cur as f64)
}

impl Collector for ProcessCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.descs.iter().collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut out = Vec::new();
        let me = self.proc_dir.join("self");
        let ticks = sysconf(libc::_SC_CLK_TCK).unwrap_or(100) as f64;
        let page = sysconf(libc::_SC_PAGESIZE).unwrap_or(4096);
        if let Some(stat) = fs::read_to_string(me.join("stat"))
            .ok()
            .as_deref()
            .and_then(parse_stat)
        {
            out.push(PROCESS_CPU_SECONDS_TOTAL.single((stat.utime + stat.stime) as f64 / ticks));
            out.push(PROCESS_RESIDENT_MEMORY_BYTES.single((stat.rss * page) as f64));
            out.push(PROCESS_VIRTUAL_MEMORY_BYTES.single(stat.vsize as f64));
            if let Some(boot) = fs::read_to_string(self.proc_dir.join("stat"))
                .ok()
                .as_deref()
                .and_then(parse_boot_time)
            {
                out.push(
                    PROCESS_START_TIME_SECONDS.single(boot as f64 + stat.starttime as f64 / ticks),
                );
            }
        }
        if let Ok(fds) = fs::read_dir(me.join("fd")) {
            // The directory handle being read is one of the entries.
            let open = fds.count().saturating_sub(1);
            out.push(PROCESS_OPEN_FDS.single(open as f64));
        }
        if let Some(max) = soft_limit(libc::RLIMIT_NOFILE as i32) {
            out.push(PROCESS_MAX_FDS.single(max));
        }
        if let Some(max) = soft_limit(libc::RLIMIT_AS as i32) {
            out.push(PROCESS_VIRTUAL_MEMORY_MAX_BYTES.single(max));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stat_with_an_awkward_command_name() {
        let line = "4242 (tetra gond) (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 \
                    250 75 0 0 20 0 3 0 987654 123456789 2048 18446744073709551615 \
                    1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assert_eq!(
            parse_stat(line),
            Some(Stat {
                utime: 250,
                stime: 75,
                starttime: 987654,
                vsize: 123456789,
                rss: 2048,
            })
        );
        assert_eq!(parse_stat("4242 (short) S 1"), None);
    }

    #[test]
    fn parses_boot_time() {
        let text = "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 99\n";
        assert_eq!(parse_boot_time(text), Some(1_700_000_000));
        assert_eq!(parse_boot_time("cpu 1\n"), None);
    }

    #[test]
    fn reads_this_process() {
        let families = ProcessCollector::new().collect();
        let value = |name: &str| {
            families
                .iter()
                .find(|f| f.name() == name)
                .map(|f| f.get_metric()[0].clone())
        };
        let rss = value("process_resident_memory_bytes").unwrap();
        assert!(rss.get_gauge().get_value() > 0.0);
        assert!(value("process_cpu_seconds_total").is_some());
        let fds = value("process_open_fds").unwrap().get_gauge().get_value();
        assert!(fds >= 3.0, "{fds}");
        let start = value("process_start_time_seconds").unwrap();
        assert!(start.get_gauge().get_value() > 1_600_000_000.0);
    }
}

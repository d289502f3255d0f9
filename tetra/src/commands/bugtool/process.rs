//! The daemon's process: which one it is, what /proc says about it (never
//! its environment), and its log when it goes to a file or the journal.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};

use super::{
    bundle::{Bundle, Keep},
    export::read_tail,
};

/// /proc files worth having. `environ` is deliberately not among them.
const PROC_FILES: &[&str] = &["status", "cmdline", "limits", "cgroup", "smaps_rollup"];
const LOG_TAIL: u64 = 256 * 1024;
const NAMES: &[&str] = &["tetragond", "tetragon"];

/// What the info file (`--info-file`, `/var/run/tetragon/tetragon-info.json`) says.
#[derive(Debug, Default, Clone)]
pub struct InfoFile {
    pub path: PathBuf,
    pub pid: Option<u32>,
    pub export_fname: Option<String>,
    pub metrics_address: Option<String>,
}

impl InfoFile {
    /// The file's facts, and its text for the bundle.
    pub fn read(path: &Path) -> Result<(InfoFile, String)> {
        let text = fs::read_to_string(path).with_context(|| path.display().to_string())?;
        let v: serde_json::Value =
            serde_json::from_str(&text).with_context(|| path.display().to_string())?;
        let string = |key: &str| {
            v.get(key)
                .and_then(|s| s.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let info = InfoFile {
            path: path.to_path_buf(),
            pid: v
                .get("pid")
                .and_then(|p| p.as_u64())
                .and_then(|p| u32::try_from(p).ok())
                .filter(|&p| p > 0),
            export_fname: string("export_fname"),
            metrics_address: string("metrics_address"),
        };
        Ok((info, text))
    }
}

/// The daemon's pid: the info file's when that process still runs, else
/// the only running process named tetragond (or tetragon).
pub fn find_daemon(info: Option<&InfoFile>, address: &str) -> Result<u32> {
    if let Some(pid) = info.and_then(|i| i.pid)
        && is_daemon(pid)
    {
        return Ok(pid);
    }
    let mut candidates = Vec::new();
    for entry in fs::read_dir("/proc").context("/proc")? {
        let Some(pid) = entry
            .ok()
            .and_then(|e| e.file_name().to_str()?.parse::<u32>().ok())
        else {
            continue;
        };
        if is_daemon(pid) {
            candidates.push(pid);
        }
    }
    // Several daemons (tests, side by side): the one serving `address`.
    if candidates.len() > 1 {
        let serving: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|pid| cmdline(*pid).is_ok_and(|c| c.contains(address)))
            .collect();
        if serving.len() == 1 {
            return Ok(serving[0]);
        }
    }
    match candidates.as_slice() {
        [] => bail!("no tetragond process is running"),
        [pid] => Ok(*pid),
        many => bail!(
            "{} tetragond processes run ({}), none known to serve {address}",
            many.len(),
            many.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn is_daemon(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|comm| NAMES.contains(&comm.trim()))
}

fn cmdline(pid: u32) -> Result<String> {
    let raw = fs::read(format!("/proc/{pid}/cmdline"))?;
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    Ok(args.join(" ") + "\n")
}

pub fn collect(bundle: &mut Bundle, pid: Result<u32>) {
    let pid = match pid {
        Ok(pid) => pid,
        Err(e) => {
            let why = format!("{e:#}");
            bundle.fail("daemon/process/status", "the daemon's process", &why);
            bundle.fail("daemon/tetragond.log", "the daemon's log", &why);
            return;
        }
    };
    for name in PROC_FILES {
        let path = format!("daemon/process/{name}");
        let what = format!("/proc/{pid}/{name}");
        let data = if *name == "cmdline" {
            cmdline(pid).map(String::into_bytes)
        } else {
            fs::read(format!("/proc/{pid}/{name}")).map_err(Into::into)
        };
        bundle.add_or_fail(&path, &what, data.map_err(|e| format!("{e:#}")), Keep::Head);
    }
    bundle.add_or_fail(
        "daemon/process/fds.txt",
        "open file descriptors by kind",
        fds(pid),
        Keep::Head,
    );
    log(bundle, pid);
}

/// Counts of the daemon's descriptors by kind (bpf-prog, bpf-map, socket,
/// file, ...), and the regular files it has open.
fn fds(pid: u32) -> Result<String> {
    let dir = format!("/proc/{pid}/fd");
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| dir.clone())? {
        let Ok(target) = fs::read_link(entry?.path()) else {
            continue;
        };
        let target = target.display().to_string();
        let kind = match target.split_once(':') {
            Some(("anon_inode", what)) => what.trim_matches(['[', ']']).to_string(),
            Some((kind, _)) if !target.starts_with('/') => kind.to_string(),
            _ => {
                files.push(target);
                "file".to_string()
            }
        };
        *kinds.entry(kind).or_default() += 1;
    }
    let mut out: String = kinds.iter().map(|(k, n)| format!("{k}: {n}\n")).collect();
    files.sort();
    files.dedup();
    if !files.is_empty() {
        out.push_str("\nfiles:\n");
        for f in files {
            out.push_str(&format!("  {f}\n"));
        }
    }
    Ok(out)
}

/// The daemon's stderr when it is a file; else the journal of its unit.
fn log(bundle: &mut Bundle, pid: u32) {
    const PATH: &str = "daemon/tetragond.log";
    let stderr = fs::read_link(format!("/proc/{pid}/fd/2"));
    if let Ok(target) = &stderr
        && fs::metadata(target).is_ok_and(|m| m.is_file())
    {
        let what = format!("the daemon's log ({}, the end)", target.display());
        return bundle.add_or_fail(PATH, &what, read_tail(target, LOG_TAIL), Keep::Tail);
    }
    if let Some(unit) = systemd_unit(pid) {
        let what = format!("the daemon's log (journal of {unit}, the end)");
        return bundle.add_or_fail(PATH, &what, journal(&unit), Keep::Tail);
    }
    let where_ = match stderr {
        Ok(t) => format!("its stderr is {}", t.display()),
        Err(e) => format!("its stderr cannot be read: {e}"),
    };
    bundle.fail(
        PATH,
        "the daemon's log",
        format!("not found: {where_}, not a file, and it is not a systemd service"),
    );
}

/// `tetragon.service` from `0::/system.slice/tetragon.service`.
fn systemd_unit(pid: u32) -> Option<String> {
    let cgroup = fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    cgroup.lines().find_map(|line| {
        line.rsplit('/')
            .next()
            .filter(|unit| unit.ends_with(".service"))
            .map(str::to_string)
    })
}

fn journal(unit: &str) -> Result<Vec<u8>> {
    let out = Command::new("journalctl")
        .args(["--no-pager", "-o", "short-iso", "-n", "2000", "-u", unit])
        .output()
        .context("running journalctl")?;
    if !out.status.success() {
        bail!(
            "journalctl: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_upstreams_info_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tetragon-info.json");
        fs::write(
            &path,
            r#"{"export_fname":"/var/log/tetragon/tetragon.log","metrics_address":"","server_address":"localhost:54321","pid":42}"#,
        )
        .unwrap();
        let (info, text) = InfoFile::read(&path).unwrap();
        assert_eq!(info.pid, Some(42));
        assert_eq!(
            info.export_fname.as_deref(),
            Some("/var/log/tetragon/tetragon.log")
        );
        assert_eq!(info.metrics_address, None);
        assert!(text.contains("\"pid\":42"));
    }

    #[test]
    fn this_process_is_not_a_daemon() {
        assert!(!is_daemon(std::process::id()));
        let fds = fds(std::process::id()).unwrap();
        assert!(!fds.is_empty());
    }
}

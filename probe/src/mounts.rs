//! The pseudo-filesystems BPF work needs: what is mounted where, mounting
//! the missing ones ([`ensure_mounts`]), and private scratch mounts that let
//! [`crate::probe`] read tracefs and securityfs without changing the
//! machine's mount table.

use std::{
    ffi::CString,
    fmt, io,
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use serde::Serialize;

use crate::{Feature, names, privileges, tracefs::TracefsView};

pub(crate) const BPFFS: &str = "/sys/fs/bpf";
pub(crate) const TRACEFS: &str = "/sys/kernel/tracing";
pub(crate) const DEBUGFS: &str = "/sys/kernel/debug";

/// One line of /proc/self/mountinfo, the parts we need.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MountEntry {
    mount_point: PathBuf,
    fs_type: String,
}

/// The mount table and the filesystem types the kernel knows, read once.
pub(crate) struct MountState {
    entries: Vec<MountEntry>,
    /// From /proc/filesystems; `None` when unreadable.
    known: Option<Vec<String>>,
}

pub(crate) fn current() -> MountState {
    let entries = std::fs::read_to_string("/proc/self/mountinfo")
        .map(|text| parse_mountinfo(&text))
        .unwrap_or_default();
    let known = std::fs::read_to_string("/proc/filesystems")
        .ok()
        .map(|text| parse_filesystems(&text));
    MountState { entries, known }
}

fn parse_mountinfo(text: &str) -> Vec<MountEntry> {
    text.lines()
        .filter_map(|line| {
            // "<id> <parent> <maj:min> <root> <mount point> <options> [tags...] - <type> <source> <super options>"
            let (before, after) = line.split_once(" - ")?;
            let mount_point = before.split(' ').nth(4)?;
            let fs_type = after.split(' ').next()?;
            Some(MountEntry {
                mount_point: PathBuf::from(unescape_octal(mount_point)),
                fs_type: fs_type.to_string(),
            })
        })
        .collect()
}

/// mountinfo writes space, tab, newline and backslash as `\ooo`.
fn unescape_octal(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && bytes[i + 1..=i + 3]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            let value = bytes[i + 1..=i + 3]
                .iter()
                .fold(0u32, |acc, b| acc * 8 + u32::from(b - b'0'));
            out.push(value as u8);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_filesystems(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.split_whitespace().last())
        .map(str::to_string)
        .collect()
}

impl MountState {
    /// The filesystem type visible at `path`: the last mount on it wins.
    fn fs_at(&self, path: &Path) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.mount_point == path)
            .map(|e| e.fs_type.as_str())
    }

    fn is_mounted(&self, path: &str, fs_type: &str) -> bool {
        self.has(Path::new(path), fs_type)
    }

    /// Whether `fs_type` is the filesystem visible at `path`.
    pub(crate) fn has(&self, path: &Path, fs_type: &str) -> bool {
        self.fs_at(path) == Some(fs_type)
    }

    /// `Some(false)` when the kernel was built without `fs_type`.
    fn kernel_knows(&self, fs_type: &str) -> Option<bool> {
        self.known
            .as_ref()
            .map(|known| known.iter().any(|k| k == fs_type))
    }

    fn missing_detail(&self, fs_type: &str, path: &str, needed_for: &str) -> String {
        match self.kernel_knows(fs_type) {
            Some(false) => format!("the kernel has no {fs_type} ({needed_for} is unavailable)"),
            _ => format!(
                "not mounted at {path} ({needed_for} needs it; tetragond mounts it at start, \
                 or run `mount -t {fs_type} {fs_type} {path}`)"
            ),
        }
    }

    pub(crate) fn bpffs_feature(&self) -> Feature {
        if self.is_mounted(BPFFS, "bpf") {
            Feature::yes(names::BPFFS, format!("mounted at {BPFFS}"))
        } else {
            Feature::no(
                names::BPFFS,
                self.missing_detail("bpf", BPFFS, "pinning maps and programs"),
            )
        }
    }

    pub(crate) fn tracefs_feature(&self, view: &TracefsView) -> Feature {
        match &view.mounted_at {
            Some(path) => Feature::yes(names::TRACEFS, format!("mounted at {}", path.display())),
            None => Feature::no(
                names::TRACEFS,
                self.missing_detail("tracefs", TRACEFS, "attaching tracepoints"),
            ),
        }
    }

    pub(crate) fn debugfs_feature(&self) -> Feature {
        if self.is_mounted(DEBUGFS, "debugfs") {
            Feature::yes(names::DEBUGFS, format!("mounted at {DEBUGFS}"))
        } else {
            Feature::no(
                names::DEBUGFS,
                self.missing_detail("debugfs", DEBUGFS, "the older tracefs location"),
            )
        }
    }
}

/// What [`ensure_mounts`] did about one filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountAction {
    pub fs_type: String,
    pub target: PathBuf,
    pub outcome: MountOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "snake_case")]
pub enum MountOutcome {
    /// It was there already; nothing done.
    AlreadyMounted,
    /// Mounted it now.
    Mounted,
    /// The kernel was built without this filesystem.
    Unsupported,
    /// Missing, and this process may not mount (not root).
    NotPermitted,
    /// The mount call failed.
    Failed(String),
}

impl MountAction {
    /// Whether the filesystem is mounted now.
    pub fn is_mounted(&self) -> bool {
        matches!(
            self.outcome,
            MountOutcome::AlreadyMounted | MountOutcome::Mounted
        )
    }
}

impl fmt::Display for MountAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (fs, target) = (&self.fs_type, self.target.display());
        match &self.outcome {
            MountOutcome::AlreadyMounted => write!(f, "{fs} already mounted at {target}"),
            MountOutcome::Mounted => write!(f, "mounted {fs} at {target}"),
            MountOutcome::Unsupported => write!(f, "{fs}: the kernel has no such filesystem"),
            MountOutcome::NotPermitted => {
                write!(f, "{fs} is not mounted at {target}; mounting it needs root")
            }
            MountOutcome::Failed(reason) => write!(f, "mounting {fs} at {target} failed: {reason}"),
        }
    }
}

/// Mounts bpffs at /sys/fs/bpf, tracefs at /sys/kernel/tracing and debugfs
/// at /sys/kernel/debug where they are missing and this process may mount
/// (CAP_SYS_ADMIN). Returns what it found or did for each, in that order.
/// Never fails as a whole: each outcome says what happened.
pub fn ensure_mounts() -> Vec<MountAction> {
    let state = current();
    let may_mount = privileges::can_mount();
    [
        ("bpf", BPFFS, "mode=700"),
        ("tracefs", TRACEFS, ""),
        ("debugfs", DEBUGFS, ""),
    ]
    .into_iter()
    .map(|(fs_type, target, options)| {
        let outcome = if state.is_mounted(target, fs_type) {
            MountOutcome::AlreadyMounted
        } else if state.kernel_knows(fs_type) == Some(false) {
            MountOutcome::Unsupported
        } else if !may_mount {
            MountOutcome::NotPermitted
        } else {
            match mount(fs_type, Path::new(target), options, 0) {
                Ok(()) => MountOutcome::Mounted,
                Err(e) if e.raw_os_error() == Some(libc::EPERM) => MountOutcome::NotPermitted,
                Err(e) => MountOutcome::Failed(e.to_string()),
            }
        };
        MountAction {
            fs_type: fs_type.to_string(),
            target: PathBuf::from(target),
            outcome,
        }
    })
    .collect()
}

fn cstring(bytes: &[u8]) -> io::Result<CString> {
    CString::new(bytes).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn mount(
    fs_type: &str,
    target: &Path,
    options: &str,
    extra_flags: libc::c_ulong,
) -> io::Result<()> {
    let source = cstring(fs_type.as_bytes())?;
    let target = cstring(target.as_os_str().as_bytes())?;
    let options = cstring(options.as_bytes())?;
    let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC | extra_flags;
    // SAFETY: all pointers are valid NUL-terminated strings for the call.
    let rc = unsafe {
        libc::mount(
            source.as_ptr(),
            target.as_ptr(),
            source.as_ptr(),
            flags,
            options.as_ptr().cast(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A read-only mount of a pseudo-filesystem on a fresh private directory,
/// gone (unmounted and removed) when dropped. Lets the probe read tracefs or
/// securityfs when they are not mounted, without mounting them where other
/// programs would see a change.
pub(crate) struct ScratchMount {
    dir: PathBuf,
}

impl ScratchMount {
    pub(crate) fn new(fs_type: &str) -> io::Result<ScratchMount> {
        let template = std::env::temp_dir().join(format!("tetragon-probe-{fs_type}-XXXXXX"));
        let mut template = cstring(template.as_os_str().as_bytes())?.into_bytes_with_nul();
        // SAFETY: template is a writable NUL-terminated buffer ending in XXXXXX.
        if unsafe { libc::mkdtemp(template.as_mut_ptr().cast()) }.is_null() {
            return Err(io::Error::last_os_error());
        }
        template.pop();
        let dir = PathBuf::from(std::ffi::OsStr::from_bytes(&template));
        if let Err(e) = mount(fs_type, &dir, "", libc::MS_RDONLY) {
            let _ = std::fs::remove_dir(&dir);
            return Err(e);
        }
        Ok(ScratchMount { dir })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ScratchMount {
    fn drop(&mut self) {
        if let Ok(dir) = cstring(self.dir.as_os_str().as_bytes()) {
            // SAFETY: dir is a valid NUL-terminated path.
            unsafe { libc::umount2(dir.as_ptr(), libc::MNT_DETACH) };
        }
        let _ = std::fs::remove_dir(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
30 22 0:26 / /sys rw,relatime - sysfs sysfs rw
41 30 0:27 / /sys/fs/bpf rw,relatime - sysfs sysfs rw
42 41 0:35 / /sys/fs/bpf rw,relatime - bpf bpf rw,mode=700
50 22 0:40 / /mnt/with\\040space rw shared:7 master:3 - tmpfs tmpfs rw
";

    #[test]
    fn the_last_mount_on_a_path_is_the_visible_one() {
        let state = MountState {
            entries: parse_mountinfo(MOUNTINFO),
            known: Some(vec!["bpf".into(), "sysfs".into()]),
        };
        assert_eq!(state.fs_at(Path::new("/sys/fs/bpf")), Some("bpf"));
        assert!(state.is_mounted(BPFFS, "bpf"));
        assert!(!state.is_mounted(TRACEFS, "tracefs"));
        assert_eq!(state.fs_at(Path::new("/mnt/with space")), Some("tmpfs"));
        assert_eq!(state.kernel_knows("tracefs"), Some(false));
        assert!(state.bpffs_feature().available);
        let debugfs = state.debugfs_feature();
        assert!(!debugfs.available);
        assert!(
            debugfs.detail.contains("the kernel has no debugfs"),
            "{}",
            debugfs.detail
        );
    }

    #[test]
    fn reads_proc_filesystems() {
        let known = parse_filesystems("nodev\tsysfs\nnodev\ttracefs\n\text4\n");
        assert_eq!(known, ["sysfs", "tracefs", "ext4"]);
    }

    #[test]
    fn unescapes_only_octal_triples() {
        assert_eq!(unescape_octal("a\\040b\\134c"), "a b\\c");
        assert_eq!(unescape_octal("trailing\\04"), "trailing\\04");
    }

    #[test]
    fn actions_read_as_sentences() {
        let action = MountAction {
            fs_type: "tracefs".into(),
            target: PathBuf::from(TRACEFS),
            outcome: MountOutcome::Mounted,
        };
        assert_eq!(action.to_string(), "mounted tracefs at /sys/kernel/tracing");
        assert!(action.is_mounted());
        let json = serde_json::to_string(&action).unwrap();
        assert!(json.contains("\"outcome\":\"mounted\""), "{json}");
    }
}

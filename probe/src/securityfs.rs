//! What securityfs says: the kernel lockdown mode and the active LSMs.
//!
//! Read from /sys/kernel/security where securityfs is mounted, else from a
//! private scratch mount (root only).

use std::{fs, io, path::Path};

use crate::mounts::ScratchMount;

const SECURITYFS: &str = "/sys/kernel/security";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecurityView {
    /// `none`, `integrity` or `confidentiality`; `None` when the kernel has
    /// no lockdown LSM (the file is absent), which means not locked down.
    pub lockdown: Option<String>,
    /// The active LSMs in order, as in `lsm`.
    pub lsms: Vec<String>,
}

pub(crate) fn read(privileged: bool) -> Result<SecurityView, String> {
    let standard = Path::new(SECURITYFS);
    if standard.join("lsm").exists() {
        return read_from(standard);
    }
    if !privileged {
        return Err(format!(
            "securityfs is not mounted at {SECURITYFS} and reading it from a private mount needs root"
        ));
    }
    let scratch = ScratchMount::new("securityfs").map_err(|e| {
        format!("securityfs is not mounted and mounting a private copy failed: {e}")
    })?;
    read_from(scratch.path())
}

fn read_from(root: &Path) -> Result<SecurityView, String> {
    let lsms = fs::read_to_string(root.join("lsm"))
        .map_err(|e| format!("reading {SECURITYFS}/lsm: {e}"))?;
    let lockdown = match fs::read_to_string(root.join("lockdown")) {
        Ok(text) => Some(selected_mode(&text).unwrap_or_else(|| text.trim().to_string())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("reading {SECURITYFS}/lockdown: {e}")),
    };
    Ok(SecurityView {
        lockdown,
        lsms: parse_lsms(&lsms),
    })
}

/// `none [integrity] confidentiality` -> `integrity`.
fn selected_mode(text: &str) -> Option<String> {
    let start = text.find('[')?;
    let end = start + text[start..].find(']')?;
    Some(text[start + 1..end].to_string())
}

fn parse_lsms(text: &str) -> Vec<String> {
    text.trim()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lockdown_and_lsm_files() {
        assert_eq!(
            selected_mode("none [integrity] confidentiality\n").as_deref(),
            Some("integrity")
        );
        assert_eq!(selected_mode("garbage"), None);
        assert_eq!(
            parse_lsms("lockdown,capability,landlock,yama,bpf"),
            ["lockdown", "capability", "landlock", "yama", "bpf"]
        );
        assert!(parse_lsms("").is_empty());
    }

    #[test]
    fn a_missing_lockdown_file_means_no_lockdown_lsm() {
        let root = std::env::temp_dir().join(format!("tetragon-probe-sec-{}", std::process::id()));
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("lsm"), "capability,bpf").unwrap();
        let view = read_from(&root).unwrap();
        assert_eq!(view.lockdown, None);
        assert_eq!(view.lsms, ["capability", "bpf"]);
        fs::write(root.join("lockdown"), "[none] integrity confidentiality\n").unwrap();
        assert_eq!(read_from(&root).unwrap().lockdown.as_deref(), Some("none"));
        fs::remove_dir_all(&root).unwrap();
    }
}

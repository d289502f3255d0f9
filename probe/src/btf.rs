//! Where the kernel's BTF comes from: the file CO-RE relocations and BTF
//! program types are resolved against.
//!
//! Searched in the order upstream Tetragon documents: the path the user gave
//! (`--btf`; no fallback when it is missing), then the kernel's own
//! `/sys/kernel/btf/vmlinux`, then `<lib>/metadata/vmlinux-<release>`, then
//! `<lib>/btf`, where `<lib>` is `/var/lib/tetragon` (containers bind-mount
//! the host's BTF there).

use std::{
    io,
    path::{Path, PathBuf},
};

use serde::Serialize;

/// The BTF the kernel exposes when built with `CONFIG_DEBUG_INFO_BTF`.
pub const KERNEL_BTF: &str = "/sys/kernel/btf/vmlinux";
/// The daemon's library directory (`--bpf-lib`'s default).
pub const DEFAULT_LIB_DIR: &str = "/var/lib/tetragon";

#[derive(Debug, thiserror::Error)]
pub enum BtfError {
    #[error("the BTF file given with --btf, {}, cannot be used: {source}", path.display())]
    Explicit {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "no BTF file for kernel {release}: {KERNEL_BTF} does not exist (the kernel was built \
         without CONFIG_DEBUG_INFO_BTF) and neither do {}; put the BTF for this kernel at {} \
         (in a container, bind-mount the host's {KERNEL_BTF} there; for kernels without BTF, \
         get one from btfhub) or pass its path with --btf",
        tried.iter().skip(1).map(|p| p.display().to_string()).collect::<Vec<_>>().join(" or "),
        tried.last().map(|p| p.display().to_string()).unwrap_or_default()
    )]
    NotFound {
        release: String,
        tried: Vec<PathBuf>,
    },
}

/// Why a path was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BtfSource {
    /// Given by the user (`--btf`).
    Explicit,
    /// The kernel's own, `/sys/kernel/btf/vmlinux`.
    Kernel,
    /// A file in the library directory.
    Candidate,
}

/// One look at one path, in search order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BtfSearchStep {
    pub path: PathBuf,
    pub source: BtfSource,
    pub found: bool,
}

impl BtfSearchStep {
    /// The line the daemon logs for this step (with `btf-file=<path>`);
    /// worded as upstream words it, so its FAQ's advice applies.
    pub fn log_message(&self) -> &'static str {
        match (self.source, self.found) {
            (BtfSource::Explicit, true) => "BTF file: user specified btf file found",
            (BtfSource::Explicit, false) => "BTF file: user specified btf file does not exist",
            (BtfSource::Kernel, true) => "BTF discovery: default kernel btf file found",
            (BtfSource::Kernel, false) => "BTF discovery: default kernel btf file does not exist",
            (BtfSource::Candidate, true) => "BTF discovery: candidate btf file found",
            (BtfSource::Candidate, false) => "BTF discovery: candidate btf file does not exist",
        }
    }
}

/// The BTF file to use: `explicit` when given (an error when it does not
/// exist: the user asked for that file), else the first that exists of
/// `/sys/kernel/btf/vmlinux`, `/var/lib/tetragon/metadata/vmlinux-<release>`
/// and `/var/lib/tetragon/btf`.
pub fn find_btf(explicit: Option<&Path>) -> Result<PathBuf, BtfError> {
    btf_search(explicit, Path::new(DEFAULT_LIB_DIR)).1
}

/// [`find_btf`] with the library directory given, also returning every path
/// looked at, for the daemon to log.
pub fn btf_search(
    explicit: Option<&Path>,
    lib_dir: &Path,
) -> (Vec<BtfSearchStep>, Result<PathBuf, BtfError>) {
    let mut steps = Vec::new();
    if let Some(path) = explicit {
        let found = std::fs::metadata(path).and_then(|meta| {
            if meta.is_dir() {
                Err(io::Error::other("it is a directory"))
            } else {
                Ok(())
            }
        });
        steps.push(BtfSearchStep {
            path: path.to_path_buf(),
            source: BtfSource::Explicit,
            found: found.is_ok(),
        });
        let result = found
            .map(|()| path.to_path_buf())
            .map_err(|source| BtfError::Explicit {
                path: path.to_path_buf(),
                source,
            });
        return (steps, result);
    }

    let release = crate::kernel_release();
    let candidates = [
        (PathBuf::from(KERNEL_BTF), BtfSource::Kernel),
        (
            lib_dir.join("metadata").join(format!("vmlinux-{release}")),
            BtfSource::Candidate,
        ),
        (lib_dir.join("btf"), BtfSource::Candidate),
    ];
    for (path, source) in candidates {
        let found = path.is_file();
        steps.push(BtfSearchStep {
            path: path.clone(),
            source,
            found,
        });
        if found {
            return (steps, Ok(path));
        }
    }
    let tried = steps.iter().map(|s| s.path.clone()).collect();
    (steps, Err(BtfError::NotFound { release, tried }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_path_wins_and_has_no_fallback() {
        let dir = std::env::temp_dir().join(format!("tetragon-probe-btf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("my-btf");
        std::fs::write(&file, b"x").unwrap();

        let (steps, found) = btf_search(Some(&file), &dir);
        assert_eq!(found.unwrap(), file);
        assert_eq!(steps.len(), 1);
        assert_eq!(
            steps[0].log_message(),
            "BTF file: user specified btf file found"
        );

        let missing = dir.join("missing");
        let (_, err) = btf_search(Some(&missing), &dir);
        let err = err.unwrap_err().to_string();
        assert!(err.contains("--btf"), "{err}");
        assert!(err.contains(&missing.display().to_string()), "{err}");

        let (_, err) = btf_search(Some(&dir), &dir);
        assert!(err.unwrap_err().to_string().contains("directory"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn search_order_is_kernel_then_metadata_then_lib_btf() {
        let dir = std::env::temp_dir().join(format!("tetragon-probe-lib-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (steps, found) = btf_search(None, &dir);
        let kernel_has_btf = Path::new(KERNEL_BTF).is_file();
        assert_eq!(steps[0].path, Path::new(KERNEL_BTF));
        assert_eq!(steps[0].source, BtfSource::Kernel);
        if kernel_has_btf {
            assert_eq!(found.unwrap(), Path::new(KERNEL_BTF));
            assert_eq!(steps.len(), 1);
        } else {
            assert_eq!(steps.len(), 3);
            assert_eq!(
                steps[1].path,
                dir.join("metadata")
                    .join(format!("vmlinux-{}", crate::kernel_release()))
            );
            assert_eq!(steps[2].path, dir.join("btf"));
            let err = found.unwrap_err().to_string();
            assert!(err.contains("--btf"), "{err}");
            assert!(err.contains("CONFIG_DEBUG_INFO_BTF"), "{err}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn not_found_error_says_what_to_do() {
        let err = BtfError::NotFound {
            release: "6.1.0-test".into(),
            tried: vec![
                PathBuf::from(KERNEL_BTF),
                PathBuf::from("/var/lib/tetragon/metadata/vmlinux-6.1.0-test"),
                PathBuf::from("/var/lib/tetragon/btf"),
            ],
        }
        .to_string();
        assert!(err.contains("no BTF file for kernel 6.1.0-test"), "{err}");
        assert!(
            err.contains("/var/lib/tetragon/metadata/vmlinux-6.1.0-test or /var/lib/tetragon/btf"),
            "{err}"
        );
        assert!(
            err.contains("put the BTF for this kernel at /var/lib/tetragon/btf"),
            "{err}"
        );
        assert!(err.contains("--btf"), "{err}");
    }
}

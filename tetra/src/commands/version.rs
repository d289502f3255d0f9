//! `tetra version [-s] [-b]`: the CLI's version, the server's, and how the
//! CLI was built.

use std::time::Duration;

use anyhow::Result;
use tetragon_api::tetragon::{GetVersionRequest, get_info_response};

use crate::{cli::VersionArgs, client, output::write_stdout};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How a binary was built. `toolchain` is what GetInfo's `go_version`
/// carries: `rust 1.95` from our daemon, `go1.24.1` from upstream's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildInfo {
    pub toolchain: String,
    pub commit: String,
    pub time: String,
    /// `true` when built from a tree with uncommitted changes.
    pub modified: String,
}

impl BuildInfo {
    /// This binary's (commit and time when set at build time).
    pub fn of_this_binary() -> BuildInfo {
        BuildInfo::from_api(Some(&tetragon_api::build::this_build()))
    }

    pub fn from_api(build: Option<&get_info_response::BuildInfo>) -> BuildInfo {
        build
            .map(|b| BuildInfo {
                toolchain: b.go_version.clone(),
                commit: b.commit.clone(),
                time: b.time.clone(),
                modified: b.modified.clone(),
            })
            .unwrap_or_default()
    }

    /// Upstream's `Key: value` lines, each only when its value is known.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.toolchain.is_empty() {
            lines.push(match self.toolchain.strip_prefix("rust ") {
                Some(rust) => format!("RustVersion: {rust}"),
                None if self.toolchain.starts_with("go") => {
                    format!("GoVersion: {}", self.toolchain)
                }
                None => format!("RustVersion: {}", self.toolchain),
            });
        }
        if !self.time.is_empty() {
            lines.push(format!("Date: {}", self.time));
        }
        if !self.commit.is_empty() {
            lines.push(format!("GitCommit: {}", self.commit));
        }
        if !self.modified.is_empty() {
            let state = if self.modified == "true" {
                "dirty"
            } else {
                "clean"
            };
            lines.push(format!("GitTreeState: {state}"));
        }
        lines
    }
}

pub async fn run(address: &str, timeout: Duration, args: &VersionArgs) -> Result<()> {
    write_stdout(&format!("CLI version: {VERSION}\n"))?;
    if args.server {
        let mut c = client::connect(address, timeout).await?;
        let reply = client::unary(timeout, c.get_version(GetVersionRequest::default()))
            .await
            .map_err(|s| client::call_error("failed to retrieve server version", &s))?;
        write_stdout(&format!("Server version: {}\n", reply.version))?;
    }
    if args.build {
        let lines = BuildInfo::of_this_binary().lines();
        write_stdout(&lines.iter().map(|l| format!("{l}\n")).collect::<String>())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_lines_follow_upstream_order_and_skip_unknowns() {
        let all = BuildInfo {
            toolchain: "rust 1.95".into(),
            commit: "abc123".into(),
            time: "2026-05-01T10:00:00Z".into(),
            modified: "true".into(),
        };
        assert_eq!(
            all.lines(),
            [
                "RustVersion: 1.95",
                "Date: 2026-05-01T10:00:00Z",
                "GitCommit: abc123",
                "GitTreeState: dirty",
            ]
        );
        let go = BuildInfo {
            toolchain: "go1.24.1".into(),
            modified: "false".into(),
            ..Default::default()
        };
        assert_eq!(go.lines(), ["GoVersion: go1.24.1", "GitTreeState: clean"]);
        assert!(BuildInfo::default().lines().is_empty());
    }

    #[test]
    fn this_binary_names_its_rust_version() {
        let lines = BuildInfo::of_this_binary().lines();
        assert_eq!(
            lines[0],
            format!("RustVersion: {}", env!("CARGO_PKG_RUST_VERSION"))
        );
    }
}

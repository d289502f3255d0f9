//! `tetra bugtool [-o FILE]`: one `.tar.gz` support bundle of everything
//! useful to debug a node's tetragond: what the daemon says over gRPC, its
//! process, log, export and metrics, the kernel's facts, and the loaded BPF
//! programs and maps.
//!
//! Works with the daemon down: each thing that cannot be had is listed
//! with the reason in the bundle's `manifest.json` (and in the summary).
//! Stays small (every file is capped, see [`bundle`]). Collects no
//! environment variables and no file contents beyond those listed.

pub mod bpf_objects;
pub mod bundle;
pub mod daemon;
pub mod export;
pub mod kernel;
pub mod metrics;
pub mod process;

use std::{
    io::IsTerminal,
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use self::{
    bundle::{Bundle, Keep},
    metrics::MetricsAddress,
    process::InfoFile,
};
use crate::{
    cli::BugtoolArgs,
    client,
    output::{byte_count::human, table, write_stdout},
};

const STEPS: u64 = 8;

pub async fn run(address: &str, timeout: Duration, args: &BugtoolArgs) -> Result<()> {
    let progress = progress_bar();
    let mut bundle = Bundle::new(address);

    progress.set_message("asking the daemon");
    let settings = daemon::collect(&mut bundle, address, timeout).await;
    progress.inc(1);

    progress.set_message("reading the info file");
    let info_path = settings
        .as_ref()
        .and_then(|s| s.get("info-file"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(client::INFO_FILE));
    let info = info_file(&mut bundle, &info_path);
    progress.inc(1);

    progress.set_message("the daemon's process and log");
    let pid = process::find_daemon(info.as_ref(), address);
    process::collect(&mut bundle, pid);
    progress.inc(1);

    progress.set_message("the JSON export");
    let export = settings
        .as_ref()
        .and_then(|s| s.get("export-filename").map(str::to_string))
        .or_else(|| info.as_ref().and_then(|i| i.export_fname.clone()));
    export::collect(&mut bundle, export.as_deref());
    progress.inc(1);

    progress.set_message("metrics");
    let from_info = info.as_ref().and_then(|i| i.metrics_address.clone());
    let metrics_address = match (&settings, from_info) {
        (Some(s), _) => match s.get("metrics-server") {
            Some(addr) => MetricsAddress::Set(addr.to_string()),
            None => MetricsAddress::NotServed,
        },
        (None, Some(addr)) => MetricsAddress::Set(addr),
        (None, None) if info.is_some() => MetricsAddress::NotServed,
        (None, None) => MetricsAddress::Unknown,
    };
    metrics::collect(&mut bundle, metrics_address, timeout);
    progress.inc(1);

    progress.set_message("kernel facts");
    kernel::collect(&mut bundle);
    progress.inc(1);

    progress.set_message("kernel feature probes");
    kernel::collect_probe(&mut bundle);
    progress.inc(1);

    progress.set_message("loaded BPF programs and maps");
    bpf_objects::collect(&mut bundle);
    progress.inc(1);

    progress.set_message(format!("writing {}", args.out.display()));
    let written = bundle.write(&args.out);
    progress.finish_and_clear();
    let size = written?;
    write_stdout(&summary(&bundle, &args.out, size))?;
    Ok(())
}

/// A bar on a terminal's stderr; nothing at all in a pipe.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(STEPS), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn info_file(bundle: &mut Bundle, path: &Path) -> Option<InfoFile> {
    const FILE: &str = "daemon/tetragon-info.json";
    let what = format!("the daemon's info file ({})", path.display());
    match InfoFile::read(path) {
        Ok((info, text)) => {
            bundle.add(FILE, &what, text, Keep::Head);
            Some(info)
        }
        Err(e) => {
            bundle.fail(FILE, &what, format!("{e:#}"));
            None
        }
    }
}

/// Where the bundle went, how big, what it holds, and what is missing.
fn summary(bundle: &Bundle, out: &Path, size: u64) -> String {
    let m = &bundle.manifest;
    let mut text = format!(
        "wrote {}: {} ({} before compression), {} files\n\n",
        out.display(),
        human(size),
        human(bundle.total() as u64),
        m.files.len() + 1
    );
    text.push_str(&table::render(
        &["FILE", "SIZE", "CONTENT"],
        std::iter::once([
            bundle::MANIFEST.to_string(),
            String::new(),
            "what was collected and what was not".to_string(),
        ])
        .chain(m.files.iter().map(|f| {
            let what = match &f.truncated {
                Some(cut) => format!("{} ({cut})", f.what),
                None => f.what.clone(),
            };
            [f.path.clone(), human(f.bytes as u64), what]
        })),
    ));
    if !m.failures.is_empty() {
        text.push_str(&format!("\nnot collected ({}):\n", m.failures.len()));
        for f in &m.failures {
            text.push_str(&format!("  {}: {}\n", f.path, f.error));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_lists_files_sizes_and_failures() {
        let mut b = Bundle::new("unix:///x.sock");
        b.add("kernel/uname.txt", "uname", "Linux\n", Keep::Head);
        b.fail(
            "daemon/health.json",
            "GetHealth",
            "connecting to unix:///x.sock: no such file",
        );
        let text = summary(&b, Path::new("out.tar.gz"), 1234);
        assert!(
            text.starts_with("wrote out.tar.gz: 1.23 kB (6 B before compression), 2 files\n"),
            "{text}"
        );
        assert!(text.contains("kernel/uname.txt   6 B    uname"), "{text}");
        assert!(
            text.ends_with(
                "not collected (1):\n  daemon/health.json: connecting to unix:///x.sock: no such file\n"
            ),
            "{text}"
        );
    }
}

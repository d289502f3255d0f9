//! `--export-filename`: every event that passes the export filters, one
//! JSON object a line, on its own thread so file I/O never touches the
//! async runtime or the kernel path.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread,
};

use anyhow::{Context, Result};
use tetragon_api::{
    field_filter::CompiledFieldFilter, filter::EventFilter, tetragon::GetEventsResponse,
    to_json_line, wkt::Timestamp,
};
use tracing::{error, info};

use super::{
    ratelimit::RateLimiter,
    rotate::{RotateOptions, RotatingFile},
};
use crate::bus::{Next, Subscriber};

pub struct ExportSettings {
    /// Opened at start-up, so a bad path fails before anything is loaded.
    pub file: RotatingFile,
    pub filter: EventFilter,
    pub field_filters: Vec<CompiledFieldFilter>,
    /// Events a minute; None for no limit.
    pub rate_limit: Option<u64>,
}

#[derive(Default)]
pub struct ExportStats {
    pub events_exported: AtomicU64,
    pub bytes_exported: AtomicU64,
    pub rate_limited: AtomicU64,
    pub write_errors: AtomicU64,
    pub running: AtomicBool,
}

impl ExportSettings {
    pub fn open(
        path: &Path,
        rotate: RotateOptions,
        filter: EventFilter,
        field_filters: Vec<CompiledFieldFilter>,
        rate_limit: Option<u64>,
    ) -> Result<Self> {
        let file = RotatingFile::open(path, rotate)
            .with_context(|| format!("--export-filename {}", path.display()))?;
        Ok(ExportSettings {
            file,
            filter,
            field_filters,
            rate_limit,
        })
    }
}

/// Starts the exporting thread.
pub fn start(
    settings: ExportSettings,
    sub: Subscriber,
    stats: Arc<ExportStats>,
) -> Result<thread::JoinHandle<()>> {
    info!("exporting events");
    stats.running.store(true, Ordering::Relaxed);
    thread::Builder::new()
        .name("export".into())
        .spawn(move || run(settings, sub, stats))
        .context("starting the export thread")
}

fn run(settings: ExportSettings, mut sub: Subscriber, stats: Arc<ExportStats>) {
    let ExportSettings {
        mut file,
        filter,
        field_filters,
        rate_limit,
    } = settings;
    let mut limiter = rate_limit.map(RateLimiter::new);
    loop {
        let next = match sub.try_next() {
            Some(next) => next,
            None => {
                // Nothing waiting: make what was written visible, then block.
                if let Err(e) = file.flush() {
                    stats.write_errors.fetch_add(1, Ordering::Relaxed);
                    error!(error = %e, "flushing the export file");
                }
                sub.blocking_next()
            }
        };
        let event = match next {
            Next::Event(ev) => ev,
            Next::Lost(_) => continue, // counted by the bus
            Next::Closed => break,
        };
        if !filter.passes(&event) {
            continue;
        }
        if let Some(limiter) = limiter.as_mut() {
            if !limiter.allow() {
                stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let dropped = limiter.take_dropped();
            if dropped > 0 {
                // Tell a reader of the file how many the limit kept out.
                let time = event.time.unwrap_or_else(Timestamp::now);
                let notice = GetEventsResponse::rate_limit_info(&event.node_name, time, dropped);
                write(&mut file, &notice, &stats);
            }
        }
        if field_filters.is_empty() {
            write(&mut file, &event, &stats);
        } else {
            let mut ev = (*event).clone();
            for f in &field_filters {
                f.apply(&mut ev);
            }
            write(&mut file, &ev, &stats);
        }
    }
    let _ = file.flush();
    stats.running.store(false, Ordering::Relaxed);
}

fn write(file: &mut RotatingFile, ev: &GetEventsResponse, stats: &ExportStats) {
    let line = to_json_line(ev);
    match file.write_line(line.as_bytes()) {
        Ok(()) => {
            stats.events_exported.fetch_add(1, Ordering::Relaxed);
            stats
                .bytes_exported
                .fetch_add(line.len() as u64 + 1, Ordering::Relaxed);
        }
        Err(e) => {
            stats.write_errors.fetch_add(1, Ordering::Relaxed);
            error!(error = %e, "writing the export file");
        }
    }
}

//! Log output: `--log-level`, `--log-format text|json`, `-d/--debug`, and
//! changing the level while running (SIGRTMIN+20/21/22, SetDebug).

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use tetragon_api::tetragon::LogLevel;
use tokio::signal::unix::{SignalKind, signal};
use tracing::info;
use tracing_subscriber::{
    EnvFilter, Registry, fmt, layer::SubscriberExt, reload, util::SubscriberInitExt,
};

/// The levels the daemon logs at, most verbose last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl Level {
    pub fn parse(s: &str) -> Result<Level> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "trace" => Level::Trace,
            "debug" => Level::Debug,
            "info" => Level::Info,
            "warn" | "warning" => Level::Warn,
            "error" | "fatal" | "panic" => Level::Error,
            other => {
                bail!("--log-level `{other}`: expected one of trace, debug, info, warn, error")
            }
        })
    }

    fn directive(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }

    pub fn to_api(self) -> LogLevel {
        match self {
            Level::Error => LogLevel::Error,
            Level::Warn => LogLevel::Warn,
            Level::Info => LogLevel::Info,
            Level::Debug => LogLevel::Debug,
            Level::Trace => LogLevel::Trace,
        }
    }

    pub fn from_api(level: LogLevel) -> Level {
        match level {
            LogLevel::Panic | LogLevel::Fatal | LogLevel::Error => Level::Error,
            LogLevel::Warn => Level::Warn,
            LogLevel::Info => Level::Info,
            LogLevel::Debug => Level::Debug,
            LogLevel::Trace => Level::Trace,
        }
    }
}

/// Changes the level of the running daemon's log.
#[derive(Clone)]
pub struct LogControl {
    handle: reload::Handle<EnvFilter, Registry>,
    configured: Level,
    current: Arc<Mutex<Level>>,
}

impl LogControl {
    pub fn level(&self) -> Level {
        *self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set(&self, level: Level) -> Result<()> {
        self.handle
            .reload(EnvFilter::new(level.directive()))
            .context("changing the log level")?;
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = level;
        info!(level = level.directive(), "log level changed");
        Ok(())
    }

    /// Back to the level the daemon was started with.
    pub fn reset(&self) -> Result<()> {
        self.set(self.configured)
    }

    /// SIGRTMIN+20 switches to debug, +21 to trace, +22 back to the
    /// configured level, as upstream documents.
    pub fn listen_for_signals(&self) -> Result<()> {
        let rtmin = libc::SIGRTMIN();
        for (offset, target) in [
            (20, Some(Level::Debug)),
            (21, Some(Level::Trace)),
            (22, None),
        ] {
            let mut sig = signal(SignalKind::from_raw(rtmin + offset))
                .with_context(|| format!("installing the SIGRTMIN+{offset} handler"))?;
            let control = self.clone();
            tokio::spawn(async move {
                while sig.recv().await.is_some() {
                    let _ = match target {
                        Some(level) => control.set(level),
                        None => control.reset(),
                    };
                }
            });
        }
        Ok(())
    }
}

/// Installs the global logger, writing to stderr.
pub fn init(level: &str, format: &str, debug: bool) -> Result<LogControl> {
    let configured = if debug {
        Level::Debug
    } else {
        Level::parse(level)?
    };
    let (filter, handle) = reload::Layer::new(EnvFilter::new(configured.directive()));
    let registry = tracing_subscriber::registry().with(filter);
    let out = std::io::stderr;
    match format {
        "text" => registry.with(fmt::layer().with_writer(out)).try_init(),
        "json" => registry
            .with(fmt::layer().json().with_writer(out))
            .try_init(),
        other => bail!("--log-format `{other}`: expected text or json"),
    }
    .context("installing the logger")?;
    Ok(LogControl {
        handle,
        configured,
        current: Arc::new(Mutex::new(configured)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_names_bad_ones() {
        assert_eq!(Level::parse("DEBUG").unwrap(), Level::Debug);
        assert_eq!(Level::parse("warning").unwrap(), Level::Warn);
        assert!(
            Level::parse("loud")
                .unwrap_err()
                .to_string()
                .contains("`loud`")
        );
    }

    #[test]
    fn api_levels_round_trip() {
        for l in [
            Level::Error,
            Level::Warn,
            Level::Info,
            Level::Debug,
            Level::Trace,
        ] {
            assert_eq!(Level::from_api(l.to_api()), l);
        }
    }
}

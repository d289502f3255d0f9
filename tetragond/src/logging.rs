//! Log output: `--log-level`, `--log-format text|json`, `-d/--debug`.

use anyhow::{Result, bail};
use tetragon_api::tetragon::LogLevel;
use tracing_subscriber::{EnvFilter, fmt};

pub fn init(level: &str, format: &str, debug: bool) -> Result<()> {
    let level = if debug { "debug" } else { level };
    let level = match level {
        "trace" | "debug" | "info" | "warn" | "error" => level,
        "warning" => "warn",
        "fatal" | "panic" => "error",
        other => bail!("--log-level `{other}`: expected one of trace, debug, info, warn, error"),
    };
    let filter = EnvFilter::new(level);
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        "text" => builder.init(),
        "json" => builder.json().init(),
        other => bail!("--log-format `{other}`: expected text or json"),
    }
    Ok(())
}

/// The level in effect as the API's LogLevel.
pub fn api_level(level: &str, debug: bool) -> LogLevel {
    match if debug { "debug" } else { level } {
        "trace" => LogLevel::Trace,
        "debug" => LogLevel::Debug,
        "warn" | "warning" => LogLevel::Warn,
        "error" => LogLevel::Error,
        "fatal" => LogLevel::Fatal,
        "panic" => LogLevel::Panic,
        _ => LogLevel::Info,
    }
}

//! `tetra loglevel get|set <level>` (alias `tetra log`): the running
//! daemon's log level through GetDebug/SetDebug with CONFIG_FLAG_LOG_LEVEL.

use std::time::Duration;

use anyhow::{Result, bail};
use tetragon_api::tetragon::{
    ConfigFlag, GetDebugRequest, LogLevel, SetDebugRequest, get_debug_response, set_debug_request,
    set_debug_response,
};

use crate::{cli::LoglevelCommand, client, output::write_stdout};

pub async fn run(address: &str, timeout: Duration, command: &LoglevelCommand) -> Result<()> {
    match command {
        LoglevelCommand::Get => get(address, timeout).await,
        LoglevelCommand::Set { level } => set(address, timeout, level).await,
    }
}

async fn get(address: &str, timeout: Duration) -> Result<()> {
    let mut c = client::connect(address, timeout).await?;
    let reply = client::unary(
        timeout,
        c.get_debug(GetDebugRequest {
            flag: ConfigFlag::LogLevel as i32,
            arg: None,
        }),
    )
    .await
    .map_err(|s| client::call_error("failed to get current Tetragon log level", &s))?;
    let Some(get_debug_response::Arg::Level(level)) = reply.arg else {
        bail!("failed to get current Tetragon log level: the reply has no level");
    };
    Ok(write_stdout(&format!(
        "Current log level: {}\n",
        level_name(level)
    ))?)
}

async fn set(address: &str, timeout: Duration, level: &str) -> Result<()> {
    let Some(wanted) = parse_level(level) else {
        bail!("invalid log level: {level}");
    };
    let mut c = client::connect(address, timeout).await?;
    let reply = client::unary(
        timeout,
        c.set_debug(SetDebugRequest {
            flag: ConfigFlag::LogLevel as i32,
            arg: Some(set_debug_request::Arg::Level(wanted as i32)),
        }),
    )
    .await
    .map_err(|s| client::call_error("failed to set log level", &s))?;
    let Some(set_debug_response::Arg::Level(now)) = reply.arg else {
        bail!("failed to set log level: the reply has no level");
    };
    Ok(write_stdout(&format!(
        "Log level set to: {}\n",
        level_name(now)
    ))?)
}

/// The names upstream accepts, in any case: trace, debug, info, warn or
/// warning, error, fatal, panic.
pub fn parse_level(name: &str) -> Option<LogLevel> {
    Some(match name.to_ascii_lowercase().as_str() {
        "trace" => LogLevel::Trace,
        "debug" => LogLevel::Debug,
        "info" => LogLevel::Info,
        "warn" | "warning" => LogLevel::Warn,
        "error" => LogLevel::Error,
        "fatal" => LogLevel::Fatal,
        "panic" => LogLevel::Panic,
        _ => return None,
    })
}

/// The enum's protobuf name (`LOG_LEVEL_DEBUG`), as upstream prints it;
/// the number when this CLI does not know it.
pub fn level_name(level: i32) -> String {
    LogLevel::try_from(level)
        .map(|l| l.as_str_name().to_string())
        .unwrap_or_else(|_| level.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_upstreams_level_names() {
        assert_eq!(parse_level("debug"), Some(LogLevel::Debug));
        assert_eq!(parse_level("WARNING"), Some(LogLevel::Warn));
        assert_eq!(parse_level("Warn"), Some(LogLevel::Warn));
        assert_eq!(parse_level("trace"), Some(LogLevel::Trace));
        assert_eq!(parse_level("verbose"), None);
    }

    #[test]
    fn prints_protobuf_enum_names() {
        assert_eq!(level_name(LogLevel::Debug as i32), "LOG_LEVEL_DEBUG");
        assert_eq!(level_name(LogLevel::Info as i32), "LOG_LEVEL_INFO");
        assert_eq!(level_name(42), "42");
    }
}

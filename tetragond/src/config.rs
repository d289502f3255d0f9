//! The daemon's settings: command-line flags, each also settable as
//! `TETRAGON_<FLAG>` in the environment (flags win).

use std::{path::PathBuf, time::Duration};

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "tetragon",
    bin_name = "tetragond",
    version,
    about = "eBPF-based Security Observability and Runtime Enforcement"
)]
pub struct Config {
    /// gRPC server address (e.g. 'localhost:54321' or 'unix:///var/run/tetragon/tetragon.sock')
    #[arg(
        long,
        env = "TETRAGON_SERVER_ADDRESS",
        default_value = "localhost:54321"
    )]
    pub server_address: String,

    /// Where to write the file that tells clients the server address
    #[arg(
        long,
        env = "TETRAGON_INFO_FILE",
        default_value = "/var/run/tetragon/tetragon-info.json"
    )]
    pub info_file: PathBuf,

    /// Filename for JSON export. Disabled by default
    #[arg(long, env = "TETRAGON_EXPORT_FILENAME")]
    pub export_filename: Option<PathBuf>,

    /// Size in MB for rotating JSON export files
    #[arg(long, env = "TETRAGON_EXPORT_FILE_MAX_SIZE_MB", default_value_t = 10)]
    pub export_file_max_size_mb: u64,

    /// Interval at which to rotate JSON export files in addition to rotating them by size
    #[arg(long, env = "TETRAGON_EXPORT_FILE_ROTATION_INTERVAL", value_parser = parse_duration)]
    pub export_file_rotation_interval: Option<Duration>,

    /// Number of rotated JSON export files to retain
    #[arg(long, env = "TETRAGON_EXPORT_FILE_MAX_BACKUPS", default_value_t = 5)]
    pub export_file_max_backups: usize,

    /// Compress rotated JSON export files
    #[arg(long, env = "TETRAGON_EXPORT_FILE_COMPRESS")]
    pub export_file_compress: bool,

    /// Access permissions on JSON export files
    #[arg(long, env = "TETRAGON_EXPORT_FILE_PERM", default_value = "600", value_parser = parse_perm)]
    pub export_file_perm: u32,

    /// JSON export allowlist: one JSON filter a line, an event passes when it matches any
    #[arg(long, env = "TETRAGON_EXPORT_ALLOWLIST", default_value = "")]
    pub export_allowlist: String,

    /// JSON export denylist: one JSON filter a line, an event is dropped when it matches any
    #[arg(long, env = "TETRAGON_EXPORT_DENYLIST", default_value = "")]
    pub export_denylist: String,

    /// Rate limit (per minute) for event export. Set to -1 to disable
    #[arg(long, env = "TETRAGON_EXPORT_RATE_LIMIT", default_value_t = -1, allow_negative_numbers = true)]
    pub export_rate_limit: i64,

    /// Field filters for event exports (JSON, one a line)
    #[arg(long, env = "TETRAGON_FIELD_FILTERS", default_value = "")]
    pub field_filters: String,

    /// Enable namespace information in process_exec and process_kprobe events
    #[arg(long, env = "TETRAGON_ENABLE_PROCESS_NS")]
    pub enable_process_ns: bool,

    /// Enable process_cred events
    #[arg(long, env = "TETRAGON_ENABLE_PROCESS_CRED")]
    pub enable_process_cred: bool,

    /// Size of the process cache
    #[arg(long, env = "TETRAGON_PROCESS_CACHE_SIZE", default_value_t = 65536)]
    pub process_cache_size: usize,

    /// Location of procfs to consume existing PIDs
    #[arg(long, env = "TETRAGON_PROCFS", default_value = "/proc/")]
    pub procfs: PathBuf,

    /// Location of btf
    #[arg(long, env = "TETRAGON_BTF")]
    pub btf: Option<PathBuf>,

    /// Size of the BPF ring buffer shared by all CPUs (allows K/M/G suffix); 0 for the default of 2M
    #[arg(long, env = "TETRAGON_RB_SIZE_TOTAL", default_value = "0", value_parser = parse_size)]
    pub rb_size_total: u64,

    /// Set the size of the internal event queue
    #[arg(long, env = "TETRAGON_EVENT_QUEUE_SIZE", default_value_t = 10000)]
    pub event_queue_size: usize,

    /// Name of this node in events (default: $NODE_NAME, then the host name)
    #[arg(long, env = "TETRAGON_NODE_NAME")]
    pub node_name: Option<String>,

    /// Set log level
    #[arg(long, env = "TETRAGON_LOG_LEVEL", default_value = "info")]
    pub log_level: String,

    /// Set log format (text or json)
    #[arg(long, env = "TETRAGON_LOG_FORMAT", default_value = "text")]
    pub log_format: String,

    /// Enable debug messages. Equivalent to '--log-level=debug'
    #[arg(short, long, env = "TETRAGON_DEBUG")]
    pub debug: bool,
}

impl Config {
    pub fn node_name(&self) -> String {
        self.node_name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| std::env::var("NODE_NAME").ok().filter(|n| !n.is_empty()))
            .unwrap_or_else(hostname)
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

/// `65535`, `64k`, `2M`, `1G`: a size in bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let err = || format!("`{s}` is not a size such as 65536, 64k or 2M");
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits.parse().map_err(|_| err())?;
    let mult: u64 = match unit.to_ascii_lowercase().as_str() {
        "" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(err()),
    };
    n.checked_mul(mult).ok_or_else(err)
}

/// `600` or `0640`: an octal file mode.
fn parse_perm(s: &str) -> Result<u32, String> {
    u32::from_str_radix(s, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(|| format!("`{s}` is not an octal file mode such as 600"))
}

/// Go-style durations as the documents write them: `90s`, `15m`, `1h30m`,
/// `500ms`, `0` (no rotation).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let err = || format!("`{s}` is not a duration such as 30s, 15m or 1h");
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .ok_or_else(err)?;
        let value: f64 = rest[..num_end].parse().map_err(|_| err())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(err()),
        };
        total += Duration::from_secs_f64(value * unit);
        rest = &rest[unit_end..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_duration("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("10").unwrap_err().contains("`10`"));
        assert!(parse_duration("5x").is_err());
    }

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("65535"), Ok(65535));
        assert_eq!(parse_size("64k"), Ok(65536));
        assert_eq!(parse_size("2M"), Ok(2 << 20));
        assert!(parse_size("64x").unwrap_err().contains("`64x`"));
    }

    #[test]
    fn parses_octal_modes() {
        assert_eq!(parse_perm("600"), Ok(0o600));
        assert_eq!(parse_perm("0640"), Ok(0o640));
        assert!(parse_perm("9").unwrap_err().contains("`9`"));
    }

    #[test]
    fn defaults_match_the_documents() {
        let c = Config::parse_from(["tetragon"]);
        assert_eq!(c.server_address, "localhost:54321");
        assert_eq!(c.export_file_max_size_mb, 10);
        assert_eq!(c.export_file_max_backups, 5);
        assert_eq!(c.export_file_perm, 0o600);
        assert_eq!(c.export_rate_limit, -1);
        assert_eq!(c.process_cache_size, 65536);
    }
}

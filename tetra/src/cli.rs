//! The command line: global flags and subcommands.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "tetra",
    version,
    about = "Tetragon CLI: stream and filter security events from tetragond"
)]
pub struct Cli {
    /// gRPC server address (default: from /var/run/tetragon/tetragon-info.json, then localhost:54321)
    #[arg(long, global = true, env = "TETRA_SERVER_ADDRESS")]
    pub server_address: Option<String>,

    /// Connection timeout
    #[arg(long, global = true, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Enable debug messages
    #[arg(short, long, global = true)]
    pub debug: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print events
    #[command(
        long_about = "Print and filter events, from the server or from JSON lines on stdin.

Examples:
  # Connect, print and filter by process
  tetra getevents --process netserver

  # Filter events piped on stdin by namespace
  cat events.json | tetra getevents -o compact --namespace default

  # Exclude the parent field
  tetra getevents -F parent

  # Include only the process and parent.pod fields
  tetra getevents -f process,parent.pod

  # Print the binary of every exec, as jq -r would
  tetra getevents -r --jq 'select(.process_exec != null) | .process_exec.process.binary'"
    )]
    Getevents(Box<GetEventsArgs>),
    /// Report what the running kernel offers for BPF (no daemon needed)
    Probe {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = ProbeOutput::Text)]
        output: ProbeOutput,
    },
    /// Print the version of tetra
    Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Json,
    Compact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeOutput {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct GetEventsArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Output::Json)]
    pub output: Output,

    /// Colorize compact output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Include only these fields in events (comma-separated paths, e.g. process,parent.pod)
    #[arg(short = 'f', long, value_delimiter = ',')]
    pub include_fields: Vec<String>,

    /// Exclude these fields from events
    #[arg(short = 'F', long, value_delimiter = ',')]
    pub exclude_fields: Vec<String>,

    /// Include only events of these types (e.g. PROCESS_EXEC,PROCESS_EXIT)
    #[arg(short = 'e', long, value_delimiter = ',')]
    pub event_types: Vec<String>,

    /// Get events by Kubernetes namespace
    #[arg(short = 'n', long, value_delimiter = ',', alias = "namespaces")]
    pub namespace: Vec<String>,

    /// Get events by process name regex
    #[arg(long, value_delimiter = ',', alias = "processes")]
    pub process: Vec<String>,

    /// Get events by container name regex
    #[arg(long, value_delimiter = ',', alias = "containers")]
    pub container: Vec<String>,

    /// Get events by pod name regex
    #[arg(long, value_delimiter = ',', alias = "pods")]
    pub pod: Vec<String>,

    /// Get host events
    #[arg(long)]
    pub host: bool,

    /// Include timestamps in compact output
    #[arg(long)]
    pub timestamps: bool,

    /// Include stack traces in compact output
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub stack_traces: bool,

    /// Get events by tracing policy names
    #[arg(long, value_delimiter = ',')]
    pub policy_names: Vec<String>,

    /// Get events by namespace name regex
    #[arg(long, value_delimiter = ',')]
    pub namespace_regex: Vec<String>,

    /// Keep trying to connect even if an error occurred
    #[arg(long)]
    pub reconnect: bool,

    /// Wait time before attempting to reconnect
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub reconnect_wait: Duration,

    /// Run a jq program over every event (after the other filters) and print its outputs one per line, as `jq -c` does
    #[arg(long, value_name = "PROGRAM")]
    pub jq: Option<String>,

    /// With --jq, print strings without quotes, as `jq -r` does
    #[arg(short = 'r', long, requires = "jq")]
    pub raw_output: bool,
}

/// `10s`, `500ms`, `2m`, `1h`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let err = || format!("`{s}` is not a duration such as 10s, 500ms or 2m");
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .ok_or_else(err)?;
    let value: f64 = s[..split].parse().map_err(|_| err())?;
    let secs = match &s[split..] {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(err()),
    };
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("10").unwrap_err().contains("`10`"));
    }

    #[test]
    fn getevents_flags_parse_as_upstreams() {
        let cli = Cli::parse_from([
            "tetra",
            "getevents",
            "-o",
            "compact",
            "-n",
            "default",
            "--pod",
            "xwing",
            "-e",
            "PROCESS_EXEC,PROCESS_EXIT",
            "--stack-traces=false",
        ]);
        let Command::Getevents(args) = cli.command else {
            panic!()
        };
        assert_eq!(args.output, Output::Compact);
        assert_eq!(args.namespace, ["default"]);
        assert_eq!(args.pod, ["xwing"]);
        assert_eq!(args.event_types, ["PROCESS_EXEC", "PROCESS_EXIT"]);
        assert!(!args.stack_traces);
    }
}

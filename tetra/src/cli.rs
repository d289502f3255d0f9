//! The command line: global flags and subcommands.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use tetragon_api::duration::{self as go_duration, GoDuration};

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

    /// Connection retries, with a short doubling pause between them
    #[arg(long, global = true, default_value_t = 0, value_name = "N")]
    pub retries: u32,

    /// Largest gRPC message accepted from the server, in bytes (suffixes K, M, G, KiB, MiB, GiB)
    #[arg(long, global = true, default_value = "64MiB", value_name = "BYTES", value_parser = parse_size)]
    pub max_recv_size: usize,

    /// Connect with TLS, trusting these CA certificate files (PEM, comma-separated)
    #[arg(long, global = true, value_delimiter = ',', value_name = "FILES")]
    pub tls_ca_cert_files: Vec<std::path::PathBuf>,

    /// Connect with TLS, presenting this client certificate (PEM; needs --tls-key-file)
    #[arg(long, global = true, value_name = "FILE")]
    pub tls_cert_file: Option<std::path::PathBuf>,

    /// The client certificate's private key (PEM; needs --tls-cert-file)
    #[arg(long, global = true, value_name = "FILE")]
    pub tls_key_file: Option<std::path::PathBuf>,

    /// Connect with TLS, checking that the server's certificate carries this name (default: the host of the server address)
    #[arg(long, global = true, value_name = "NAME")]
    pub tls_server_name: Option<String>,

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
    /// Print the shell completion script for tetra
    Completion {
        /// The shell: bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Report what the running kernel offers for BPF (no daemon needed)
    Probe {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = ProbeOutput::Text)]
        output: ProbeOutput,
    },
    /// Print health status
    Status,
    /// Print version from CLI and server
    #[command(after_help = "Examples:
  # Retrieve version from server
  tetra version --server

  # Get build info for the CLI
  tetra version --build")]
    Version(VersionArgs),
    /// Get and dynamically change the log level
    #[command(
        visible_alias = "log",
        long_about = "Get and dynamically change the log level without restarting tetragond"
    )]
    Loglevel(LoglevelArgs),
    /// Retrieve information from the server
    Info(InfoArgs),
    /// Manage event exporter logging parameters
    Eventlog(EventlogArgs),
    /// Manage tracing policies
    #[command(visible_alias = "tp", name = "tracingpolicy")]
    Tracingpolicy(TracingPolicyArgs),
    /// Manage sensors
    Sensors(SensorsArgs),
    /// Print the call trees aggregated from stack traces
    #[command(name = "stacktrace-tree")]
    StacktraceTree(StacktraceTreeArgs),
    /// Produce a tar archive with debug information
    #[command(
        long_about = "Produce one .tar.gz support bundle with debug information about this node's tetragond:
its version, info, configuration, health, policies, sensors, metrics, log and the end of its
JSON export; the kernel's BPF facts; the loaded BPF programs and maps. What cannot be collected
(for example with the daemon down) is listed in the bundle's manifest.json. Environment
variables are never collected."
    )]
    Bugtool(BugtoolArgs),
    /// Tools to debug tetragond
    #[command(hide = true)]
    Debug(DebugArgs),
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Connect and retrieve version from the server
    #[arg(short, long)]
    pub server: bool,

    /// Show CLI build information
    #[arg(short, long)]
    pub build: bool,
}

#[derive(Debug, Args)]
pub struct TracingPolicyArgs {
    #[command(subcommand)]
    pub command: TracingPolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum TracingPolicyCommand {
    /// add a tracing policy
    #[command(
        long_about = "Add a tracing policy from a YAML file. The file is checked first with the
daemon's own parser, so its errors name their line; with -m the policy is loaded
in that mode from the start."
    )]
    Add {
        /// The policy's YAML file
        file: std::path::PathBuf,
        /// Tracing policy mode (enforce|monitor)
        #[arg(short, long, value_enum)]
        mode: Option<PolicyMode>,
        /// Domain to be used (by default the gRPC domain)
        #[arg(long, default_value = "")]
        domain: String,
    },
    /// delete a tracing policy
    Delete(PolicyRef),
    /// enable a tracing policy
    #[command(
        long_about = "Enable a disabled tracing policy. Use disable to re-disable the tracing policy."
    )]
    Enable(PolicyRef),
    /// disable a tracing policy
    #[command(
        long_about = "Disable an enabled tracing policy. Use enable to re-enable the tracing policy."
    )]
    Disable(PolicyRef),
    /// set the mode of a tracing policy
    #[command(long_about = "Set a tracing policy to monitor or enforce mode.")]
    SetMode {
        #[command(flatten)]
        policy: PolicyRef,
        /// enforce or monitor
        #[arg(value_enum)]
        mode: PolicyMode,
    },
    /// list loaded tracing policies
    #[command(
        long_about = "List loaded tracing policies, use the JSON output format for full output."
    )]
    List {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = ListOutput::Text)]
        output: ListOutput,
        /// Domain to be used (by default the gRPC domain)
        #[arg(long, default_value = "")]
        domain: String,
    },
    /// generate tracing policies
    Generate(GenerateArgs),
    /// check policy files offline, as the daemon would
    #[command(
        long_about = "Check tracing policy files offline (no daemon needed) with the daemon's own
parser and checks. Every problem is printed on stderr, one a line, as
`file:line:col: path: message`; each good file as `file: ok` on stdout.
Exits with 1 when any file has a problem."
    )]
    Validate {
        /// Policy YAML files
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

/// A policy named on the command line.
#[derive(Debug, Args)]
pub struct PolicyRef {
    /// Name of the tracing policy
    pub name: String,
    /// Namespace of the tracing policy
    #[arg(short, long, default_value = "")]
    pub namespace: String,
    /// Domain to be used (by default the gRPC domain)
    #[arg(long, default_value = "")]
    pub domain: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyMode {
    Enforce,
    Monitor,
}

impl PolicyMode {
    pub fn as_str(&self) -> &'static str {
        match self {
            PolicyMode::Enforce => "enforce",
            PolicyMode::Monitor => "monitor",
        }
    }

    pub fn to_api(self) -> tetragon_api::tetragon::TracingPolicyMode {
        match self {
            PolicyMode::Enforce => tetragon_api::tetragon::TracingPolicyMode::TpModeEnforce,
            PolicyMode::Monitor => tetragon_api::tetragon::TracingPolicyMode::TpModeMonitor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListOutput {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Add binary to matchBinaries selector
    #[arg(short = 'm', long, global = true)]
    pub match_binary: Option<String>,

    #[command(subcommand)]
    pub what: GenerateCommand,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// empty
    Empty,
    /// all system calls
    AllSyscalls,
    /// all system calls using a list
    AllSyscallsList,
    /// ftrace list
    FtraceList {
        /// Use regex to limit the generated symbols
        #[arg(short, long)]
        regex: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct SensorsArgs {
    #[command(subcommand)]
    pub command: SensorsCommand,
}

#[derive(Debug, Subcommand)]
pub enum SensorsCommand {
    /// List available sensors
    List {
        /// Output format
        #[arg(short, long, value_enum, default_value_t = ListOutput::Text)]
        output: ListOutput,
    },
    /// Enable sensor
    Enable {
        /// Sensor name
        name: String,
    },
    /// Disable sensor
    Disable {
        /// Sensor name
        name: String,
    },
    /// remove a sensor
    Rm {
        /// Sensor name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct StacktraceTreeArgs {
    #[command(subcommand)]
    pub command: StacktraceTreeCommand,
}

#[derive(Debug, Subcommand)]
pub enum StacktraceTreeCommand {
    /// Print the stack trace tree of a tracing policy, or of the events on stdin
    #[command(
        long_about = "Print the call tree aggregated from the stack traces that a tracing policy's
Post actions collected (stackTrace: true): each node is a frame, outermost first,
with how many traces passed through it; under each leaf, the binaries that made them.

With `-` instead of a policy name, the tree is built from the stack traces in the
JSON events on stdin (as `tetra getevents -o json` or the export file have them).

Examples:
  # The tree the daemon aggregated for the policy `connect`
  tetra stacktrace-tree print connect

  # The same from an export file, as JSON
  tetra stacktrace-tree print -o json - < /var/log/tetragon/tetragon.log"
    )]
    Print {
        /// Tracing policy name, or `-` for the events on stdin
        name: String,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = TreeOutput::Text)]
        output: TreeOutput,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TreeOutput {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct BugtoolArgs {
    /// Output filename
    #[arg(short, long, default_value = "tetragon-bugtool.tar.gz")]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct LoglevelArgs {
    #[command(subcommand)]
    pub command: LoglevelCommand,
}

#[derive(Debug, Subcommand)]
pub enum LoglevelCommand {
    /// Prints the current log level
    Get,
    /// Set the log level
    #[command(long_about = "Set the log level.

Allowed values are [trace|debug|info|warning|error|fatal|panic]. Examples:

  # Set the log level to debug
  tetra loglevel set debug

  # Set the log level to info
  tetra loglevel set info")]
    Set {
        /// trace, debug, info, warn (or warning), error, fatal or panic
        level: String,
    },
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Output format: text tables, or upstream's JSON object
    #[arg(short, long, value_enum, default_value_t = InfoOutput::Text)]
    pub output: InfoOutput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoOutput {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EventlogArgs {
    #[command(subcommand)]
    pub command: EventlogCommand,
}

#[derive(Debug, Subcommand)]
pub enum EventlogCommand {
    /// set logging parameters
    Set(EventlogSetArgs),
    /// get logging parameters
    Get,
}

/// Only the flags given are sent; the others stay as they are.
#[derive(Debug, Args)]
pub struct EventlogSetArgs {
    /// log files maximum size
    #[arg(long, allow_negative_numbers = true)]
    pub max_size: Option<i32>,

    /// maximum rotated log files to be retained
    #[arg(long, allow_negative_numbers = true)]
    pub max_backups: Option<i32>,

    /// log files rotation interval (a Go duration: 1h, 30m, 1h30m, 90s)
    #[arg(long, value_parser = go_duration::parse, allow_negative_numbers = true)]
    pub rotation_interval: Option<GoDuration>,
}

#[derive(Debug, Args)]
pub struct DebugArgs {
    #[command(subcommand)]
    pub command: DebugCommand,
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Same as `tetra loglevel`
    Loglevel(LoglevelArgs),
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

    /// Get events satisfying the CEL expression (e.g. `process_exec.process.pid > 100u`)
    #[arg(long)]
    pub cel_expression: Vec<String>,

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
    go_duration::parse_std(s)
}

impl Cli {
    /// The connection options the global flags ask for: TLS when any TLS
    /// flag is given.
    pub fn connect_options(&self) -> crate::client::ConnectOptions {
        let tls = (!self.tls_ca_cert_files.is_empty()
            || self.tls_cert_file.is_some()
            || self.tls_key_file.is_some()
            || self.tls_server_name.is_some())
        .then(|| crate::client::TlsOptions {
            ca_cert_files: self.tls_ca_cert_files.clone(),
            cert_file: self.tls_cert_file.clone(),
            key_file: self.tls_key_file.clone(),
            server_name: self.tls_server_name.clone(),
        });
        crate::client::ConnectOptions {
            retries: self.retries,
            max_recv_size: Some(self.max_recv_size),
            tls,
        }
    }
}

/// A size in bytes: `1048576`, `512K`, `64M`, `64MiB`, `1G`.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{s}` is not a size in bytes, as in 4194304 or 64MiB"))?;
    let scale: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{s}`: unknown unit `{unit}` (K, M, G, KiB, MiB, GiB)"
            ));
        }
    };
    match number.checked_mul(scale) {
        Some(0) => Err(format!("`{s}`: the size must be above 0")),
        Some(n) => Ok(n),
        None => Err(format!("`{s}` is too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("4194304"), Ok(4194304));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512K"), Ok(512_000));
        assert_eq!(parse_size("1gib"), Ok(1 << 30));
        for bad in ["", "x", "10 parsecs", "0", "-1"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tls_flags_turn_tls_on() {
        let cli = Cli::parse_from(["tetra", "status"]);
        assert_eq!(cli.connect_options().tls, None);
        assert_eq!(cli.connect_options().retries, 0);
        let cli = Cli::parse_from([
            "tetra",
            "status",
            "--retries",
            "3",
            "--tls-ca-cert-files",
            "a.pem,b.pem",
            "--tls-server-name",
            "tetragon",
        ]);
        let options = cli.connect_options();
        assert_eq!(options.retries, 3);
        let tls = options.tls.unwrap();
        assert_eq!(tls.ca_cert_files.len(), 2);
        assert_eq!(tls.server_name.as_deref(), Some("tetragon"));
    }

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

    #[test]
    fn new_commands_parse_as_upstreams() {
        let cli = Cli::parse_from(["tetra", "version", "-s", "-b"]);
        let Command::Version(args) = cli.command else {
            panic!()
        };
        assert!(args.server && args.build);

        for argv in [
            &["tetra", "loglevel", "set", "debug"][..],
            &["tetra", "log", "set", "debug"],
            &["tetra", "debug", "loglevel", "set", "debug"],
        ] {
            let level = match Cli::parse_from(argv).command {
                Command::Loglevel(a) => a.command,
                Command::Debug(DebugArgs {
                    command: DebugCommand::Loglevel(a),
                }) => a.command,
                other => panic!("{other:?}"),
            };
            assert!(matches!(level, LoglevelCommand::Set { level } if level == "debug"));
        }

        let cli = Cli::parse_from(["tetra", "info", "-o", "json"]);
        assert!(matches!(
            cli.command,
            Command::Info(InfoArgs {
                output: InfoOutput::Json
            })
        ));

        let cli = Cli::parse_from([
            "tetra",
            "eventlog",
            "set",
            "--max-size",
            "10",
            "--rotation-interval",
            "90m",
        ]);
        let Command::Eventlog(EventlogArgs {
            command: EventlogCommand::Set(set),
        }) = cli.command
        else {
            panic!()
        };
        assert_eq!(set.max_size, Some(10));
        assert_eq!(set.max_backups, None);
        assert_eq!(set.rotation_interval.unwrap().to_string(), "1h30m0s");
    }
}

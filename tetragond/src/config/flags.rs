//! Every setting the daemon accepts: its flag name (which is also its
//! drop-in file name, its tetragon.yaml key and, as `TETRAGON_<NAME>`, its
//! environment variable), its default, its help text, how its text becomes
//! the `Config` field, and whether the daemon acts on it yet.
//!
//! The documented flags (`tetragon --help` in the documents) come with the
//! documents' defaults and help texts; the rest are the settings upstream
//! has beside them that later work needs.

use super::{Config, values};

/// Turns a setting's text into its `Config` field.
pub type Apply = fn(&mut Config, &str) -> Result<(), String>;

/// How a setting is written on the command line and in tetragon.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--flag` alone means true; `--flag=false` to turn it off.
    Bool,
    /// `--flag value` or `--flag=value`; the name is the value's type in --help.
    Value(&'static str),
    /// Comma-separated; repeating the flag, or a YAML list, adds items.
    List,
}

/// Whether the daemon acts on the setting today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Implemented,
    /// Accepted, and reported by `Config::unsupported()` when set to
    /// anything but its default.
    NotYet,
}

pub struct Setting {
    pub name: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// The default as text, read by the same function as any other value.
    pub default: &'static str,
    pub help: &'static str,
    pub status: Status,
    /// Left out of --help and of the effective settings unless set.
    pub hidden: bool,
    /// An empty value means "off" instead of "back to the default".
    pub empty_is_off: bool,
    pub(super) apply: Apply,
}

impl Setting {
    const fn new(
        name: &'static str,
        kind: Kind,
        default: &'static str,
        help: &'static str,
        apply: Apply,
    ) -> Setting {
        Setting {
            name,
            short: None,
            kind,
            default,
            help,
            status: Status::Implemented,
            hidden: false,
            empty_is_off: false,
            apply,
        }
    }

    const fn not_yet(mut self) -> Setting {
        self.status = Status::NotYet;
        self
    }

    const fn short(mut self, c: char) -> Setting {
        self.short = Some(c);
        self
    }

    const fn hidden(mut self) -> Setting {
        self.hidden = true;
        self
    }

    const fn empty_is_off(mut self) -> Setting {
        self.empty_is_off = true;
        self
    }

    /// The environment variable: `TETRAGON_` and the name in capitals,
    /// `-` as `_`.
    pub fn env_var(&self) -> String {
        format!(
            "TETRAGON_{}",
            self.name.to_ascii_uppercase().replace('-', "_")
        )
    }

    /// The help text with the default appended the way the documents
    /// show it: quoted for strings, left out when empty, false or zero.
    pub fn help_with_default(&self) -> String {
        let d = self.default;
        match self.kind {
            Kind::Bool if d == "true" => format!("{} (default true)", self.help),
            Kind::Value("string") if !d.is_empty() => format!("{} (default \"{d}\")", self.help),
            Kind::Value(_) if !matches!(d, "" | "0" | "0s") => {
                format!("{} (default {d})", self.help)
            }
            _ => self.help.to_string(),
        }
    }
}

/// A boolean flag, off unless given.
const fn flag(name: &'static str, help: &'static str, apply: Apply) -> Setting {
    Setting::new(name, Kind::Bool, "false", help, apply)
}

/// A boolean flag that is on unless turned off.
const fn flag_on(name: &'static str, help: &'static str, apply: Apply) -> Setting {
    Setting::new(name, Kind::Bool, "true", help, apply)
}

const fn value(
    name: &'static str,
    type_name: &'static str,
    default: &'static str,
    help: &'static str,
    apply: Apply,
) -> Setting {
    Setting::new(name, Kind::Value(type_name), default, help, apply)
}

const fn list(name: &'static str, help: &'static str, apply: Apply) -> Setting {
    Setting::new(name, Kind::List, "", help, apply)
}

/// `set!(field, parser)`: an `Apply` that stores the parsed text in `field`.
macro_rules! set {
    ($field:ident, $parse:path) => {
        |config: &mut Config, text: &str| {
            config.$field = $parse(text)?;
            Ok(())
        }
    };
}

// One line a setting reads best as a table.
#[rustfmt::skip]
static SETTINGS: &[Setting] = &[
    value("bpf-lib", "string", "/var/lib/tetragon/", "Location of Tetragon libs (btf and bpf files)", set!(bpf_lib, values::path)),
    value("btf", "string", "", "Location of btf", set!(btf, values::opt_path)),
    value("config-dir", "string", "", "Configuration directory that contains a file for each option", set!(config_dir, values::opt_path)),
    value("config-root", "string", "/", "Directory under which the fixed configuration paths (/usr/lib/tetragon, /usr/local/lib/tetragon, /etc/tetragon) are looked up", set!(config_root, values::path)).hidden(),
    value("cri-endpoint", "string", "", "CRI endpoint", set!(cri_endpoint, values::opt_string)),
    value("data-cache-size", "int", "1024", "Size of the data events cache", set!(data_cache_size, values::count)).not_yet(),
    flag("debug", "Enable debug messages. Equivalent to '--log-level=debug'", set!(debug, values::boolean)).short('d'),
    flag("disable-kprobe-multi", "Allow to disable kprobe multi interface", set!(disable_kprobe_multi, values::boolean)).not_yet(),
    flag("enable-cri", "Enable the CRI client to get container information", set!(enable_cri, values::boolean)),
    flag("enable-export-aggregation", "Enable JSON export aggregation", set!(enable_export_aggregation, values::boolean)).not_yet(),
    flag("enable-k8s-api", "Access Kubernetes API to associate Tetragon events with Kubernetes pods", set!(enable_k8s_api, values::boolean)),
    flag("enable-msg-handling-latency", "Enable metrics for message handling latency", set!(enable_msg_handling_latency, values::boolean)).not_yet(),
    flag("enable-pid-set-filter", "Enable pidSet export filters. Not recommended for production use", set!(enable_pid_set_filter, values::boolean)).not_yet(),
    flag("enable-pod-info", "Enable PodInfo custom resource", set!(enable_pod_info, values::boolean)).not_yet(),
    flag("enable-policy-filter", "Enable policy filter code (beta)", set!(enable_policy_filter, values::boolean)),
    flag("enable-policy-filter-debug", "Enable policy filter debug messages", set!(enable_policy_filter_debug, values::boolean)).not_yet(),
    flag_on("enable-process-ancestors", "Include ancestors in process exec events", set!(enable_process_ancestors, values::boolean)),
    flag("enable-process-cred", "Enable process_cred events", set!(enable_process_cred, values::boolean)),
    flag("enable-process-ns", "Enable namespace information in process_exec and process_kprobe events", set!(enable_process_ns, values::boolean)),
    value("event-cache-retries", "int", "15", "Number of retries for event cache", set!(event_cache_retries, values::count)),
    value("event-cache-retry-delay", "int", "2", "Delay in seconds between event cache retries", set!(event_cache_retry_delay, values::seconds)),
    value("event-queue-size", "uint", "10000", "Set the size of the internal event queue.", set!(event_queue_size, values::count)),
    value("export-aggregation-buffer-size", "uint", "10000", "Aggregator channel buffer size", set!(export_aggregation_buffer_size, values::count)).not_yet(),
    value("export-aggregation-window-size", "duration", "15s", "JSON export aggregation time window", set!(export_aggregation_window_size, values::parse_duration)).not_yet(),
    value("export-allowlist", "string", "", "JSON export allowlist", set!(export_allowlist, values::string)),
    value("export-denylist", "string", "", "JSON export denylist", set!(export_denylist, values::string)),
    flag("export-file-compress", "Compress rotated JSON export files", set!(export_file_compress, values::boolean)),
    value("export-file-max-backups", "int", "5", "Number of rotated JSON export files to retain", set!(export_file_max_backups, values::count)),
    value("export-file-max-size-mb", "int", "10", "Size in MB for rotating JSON export files", set!(export_file_max_size_mb, values::count)),
    value("export-file-perm", "string", "600", "Access permissions on JSON export files", set!(export_file_perm, values::parse_perm)),
    value("export-file-rotation-interval", "duration", "0s", "Interval at which to rotate JSON export files in addition to rotating them by size", set!(export_file_rotation_interval, values::opt_duration)),
    value("export-filename", "string", "", "Filename for JSON export. Disabled by default", set!(export_filename, values::opt_path)),
    value("export-rate-limit", "int", "-1", "Rate limit (per minute) for event export. Set to -1 to disable", set!(export_rate_limit, values::int)),
    flag("expose-kernel-addresses", "Expose real kernel addresses in events stack traces", set!(expose_kernel_addresses, values::boolean)),
    value("field-filters", "string", "", "Field filters for event exports", set!(field_filters, values::string)),
    flag("force-large-progs", "Force loading large programs, even in kernels with < 5.3 versions", set!(force_large_progs, values::boolean)).not_yet(),
    flag("force-small-progs", "Force loading small programs, even in kernels with >= 5.3 versions", set!(force_small_progs, values::boolean)).not_yet(),
    value("gops-address", "string", "", "gops server address (e.g. 'localhost:8118'). Disabled by default", set!(gops_address, values::opt_string)).not_yet(),
    value("health-server-address", "string", ":6789", "Health server address (e.g. ':6789'); an empty value disables it", set!(health_server_address, values::opt_string)).empty_is_off(),
    value("health-server-interval", "int", "10", "Health server interval in seconds", set!(health_server_interval, values::seconds)),
    value("info-file", "string", "/var/run/tetragon/tetragon-info.json", "Where to write the file that tells clients the server address", set!(info_file, values::path)),
    value("k8s-kubeconfig-path", "string", "", "Absolute path of the kubernetes kubeconfig file", set!(k8s_kubeconfig_path, values::opt_path)),
    value("kernel", "string", "", "Kernel version", set!(kernel, values::opt_string)).not_yet(),
    list("kmods", "List of kernel modules to load symbols from", set!(kmods, values::list)).not_yet(),
    value("log-format", "string", "text", "Set log format", set!(log_format, values::log_format)),
    value("log-level", "string", "info", "Set log level", set!(log_level, values::log_level)),
    value("metrics-label-filter", "string", "", "Comma-separated list of enabled metric labels. (e.g. \"namespace,workload,pod,binary\") By default all labels are enabled.", set!(metrics_label_filter, values::list)),
    value("metrics-server", "string", "", "Metrics server address (e.g. ':2112'). Disabled by default", set!(metrics_server, values::opt_string)),
    value("netns-dir", "string", "/var/run/docker/netns/", "Network namespace dir", set!(netns_dir, values::path)).not_yet(),
    value("node-name", "string", "", "Name of this node in events (default: $NODE_NAME, then the host name)", set!(node_name, values::opt_string)),
    flag("persist-grpc-policies", "Persist tracing policies installed over gRPC across agent restarts", set!(persist_grpc_policies, values::boolean)),
    value("persist-grpc-policies-dir", "string", "/var/run/tetragon/grpc-policies", "Directory in which to persist tracing policies installed over gRPC", set!(persist_grpc_policies_dir, values::path)),
    value("process-cache-size", "int", "65536", "Size of the process cache", set!(process_cache_size, values::count)),
    value("procfs", "string", "/proc/", "Location of procfs to consume existing PIDs", set!(procfs, values::path)),
    value("rb-queue-size", "string", "65535", "Set size of channel between ring buffer and sensor go routines (default 65k, allows K/M/G suffix)", set!(rb_queue_size, values::parse_size)).not_yet(),
    value("rb-size", "string", "0", "Set perf ring buffer size for single cpu (default 65k, allows K/M/G suffix)", set!(rb_size, values::parse_size)).not_yet(),
    value("rb-size-total", "string", "0", "Set perf ring buffer size in total for all cpus (default 65k per cpu, allows K/M/G suffix)", set!(rb_size_total, values::parse_size)),
    flag_on("release-pinned-bpf", "Release all pinned BPF programs and maps in Tetragon BPF directory. Enabled by default. Set to false to disable", set!(release_pinned_bpf, values::boolean)),
    value("server-address", "string", "localhost:54321", "gRPC server address (e.g. 'localhost:54321' or 'unix:///var/run/tetragon/tetragon.sock')", set!(server_address, values::string)),
    value("server-tls-cert-file", "string", "", "Path to a PEM-encoded server certificate; when set, the TCP gRPC listener uses TLS", set!(server_tls_cert_file, values::opt_path)),
    list("server-tls-client-ca-files", "Paths to PEM-encoded CA bundles that verify client certificates; needed by --server-tls-require-client-cert", set!(server_tls_client_ca_files, values::path_list)),
    value("server-tls-key-file", "string", "", "Path to the PEM-encoded private key of --server-tls-cert-file", set!(server_tls_key_file, values::opt_path)),
    flag("server-tls-require-client-cert", "Require and verify client certificates (mTLS); needs --server-tls-client-ca-files", set!(server_tls_require_client_cert, values::boolean)),
    value("tracing-policy", "string", "", "Tracing policy file to load at startup", set!(tracing_policy, values::opt_path)),
    value("tracing-policy-dir", "string", "/etc/tetragon/tetragon.tp.d", "Directory from where to load Tracing Policies", set!(tracing_policy_dir, values::path)),
    value("verbose", "int", "0", "set verbosity level for eBPF verifier dumps. Pass 0 for silent, 1 for truncated logs, 2 for a full dump", set!(verbose, values::count)).not_yet(),
];

/// Every setting, in --help order.
pub fn settings() -> &'static [Setting] {
    SETTINGS
}

/// The setting a flag name, drop-in file name or tetragon.yaml key names;
/// case does not matter (upstream's keys are case-insensitive).
pub fn find(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The visible setting whose name is closest to a misspelt one.
pub fn closest(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    SETTINGS
        .iter()
        .filter(|s| !s.hidden)
        .map(|s| (edit_distance(&name, s.name), s.name))
        .filter(|(d, candidate)| *d <= 2.max(candidate.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_and_lower_case() {
        let names: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
        for n in names {
            assert_eq!(n, n.to_ascii_lowercase());
        }
    }

    #[test]
    fn every_default_reads_as_its_own_type() {
        let mut config = Config::default();
        for s in SETTINGS {
            (s.apply)(&mut config, s.default).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        }
    }

    #[test]
    fn environment_names_follow_the_documents() {
        assert_eq!(
            find("export-filename").unwrap().env_var(),
            "TETRAGON_EXPORT_FILENAME"
        );
        assert_eq!(
            find("config-root").unwrap().env_var(),
            "TETRAGON_CONFIG_ROOT"
        );
    }

    #[test]
    fn defaults_are_shown_as_the_documents_show_them() {
        let help = |n: &str| find(n).unwrap().help_with_default();
        assert!(help("bpf-lib").ends_with("(default \"/var/lib/tetragon/\")"));
        assert!(help("export-rate-limit").ends_with("(default -1)"));
        assert!(help("export-aggregation-window-size").ends_with("(default 15s)"));
        assert!(help("enable-process-ancestors").ends_with("(default true)"));
        assert!(help("rb-size").ends_with("(default \"0\")"));
        assert!(!help("verbose").contains("(default"));
        assert!(!help("debug").contains("(default"));
        assert!(!help("export-file-rotation-interval").contains("(default"));
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(closest("export-filenme"), Some("export-filename"));
        assert_eq!(closest("Enable-Process-Creds"), Some("enable-process-cred"));
        assert_eq!(closest("something-else-entirely"), None);
    }
}

//! The daemon's settings and where each one came from.
//!
//! Every setting can be given in any of these places; a later one overrides
//! an earlier one, as upstream Tetragon reads them:
//!
//! 1. the default
//! 2. drop-ins in `/usr/lib/tetragon/tetragon.conf.d/`
//! 3. drop-ins in `/usr/local/lib/tetragon/tetragon.conf.d/`
//! 4. `/etc/tetragon/tetragon.yaml`
//! 5. drop-ins in `/etc/tetragon/tetragon.conf.d/`
//! 6. drop-ins in the `--config-dir` directory (itself set by any of the
//!    places above or below)
//! 7. `TETRAGON_<NAME>` environment variables
//! 8. command-line flags
//!
//! A drop-in is a file named after the setting holding its value. An empty
//! value (an empty drop-in, `key:` in tetragon.yaml, `--flag=`) puts the
//! setting back to its default; an empty environment variable counts as
//! unset. `--config-root` / `TETRAGON_CONFIG_ROOT` (hidden) moves the fixed
//! paths under another directory, for tests.

mod checks;
mod command_line;
pub mod flags;
mod sources;
mod values;

use std::{collections::HashMap, ffi::OsString, fmt, path::PathBuf, time::Duration};

use anyhow::{Result, anyhow};

pub use flags::{Setting, Status};
pub use sources::Source;
pub use values::{parse_duration, parse_perm, parse_size};

use sources::{Entry, Locations, Missing};

/// Declares `Config` with its fields plus the private report, and
/// `Config::blank()`, every field at its type's zero value, which loading
/// then fills from the settings catalogue.
macro_rules! config_struct {
    ($(#[$meta:meta])* pub struct Config { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct Config {
            $($(#[$fmeta])* pub $field: $ty,)*
            report: Report,
        }

        impl Config {
            fn blank() -> Config {
                Config {
                    $($field: Default::default(),)*
                    report: Report::default(),
                }
            }
        }
    };
}

config_struct! {
    /// The daemon's settings; see `flags.rs` for each one's flag name,
    /// default and help text.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Config {
        /// --server-address: gRPC address, `host:port` or `unix:///path`.
        pub server_address: String,
        /// --info-file: tells clients the server address.
        pub info_file: PathBuf,
        /// --export-filename: JSON export; None disables export.
        pub export_filename: Option<PathBuf>,
        /// --export-file-max-size-mb
        pub export_file_max_size_mb: u64,
        /// --export-file-rotation-interval; None (or `0s`) rotates by size only.
        pub export_file_rotation_interval: Option<Duration>,
        /// --export-file-max-backups
        pub export_file_max_backups: usize,
        /// --export-file-compress
        pub export_file_compress: bool,
        /// --export-file-perm: octal mode.
        pub export_file_perm: u32,
        /// --export-allowlist: JSON filters, one a line.
        pub export_allowlist: String,
        /// --export-denylist: JSON filters, one a line.
        pub export_denylist: String,
        /// --export-rate-limit: events a minute, -1 for no limit.
        pub export_rate_limit: i64,
        /// --field-filters: JSON field filters, one a line.
        pub field_filters: String,
        /// --enable-process-ns
        pub enable_process_ns: bool,
        /// --enable-process-cred
        pub enable_process_cred: bool,
        /// --process-cache-size
        pub process_cache_size: usize,
        /// --procfs
        pub procfs: PathBuf,
        /// --btf; None for /sys/kernel/btf/vmlinux.
        pub btf: Option<PathBuf>,
        /// --rb-size-total in bytes; 0 for the daemon's default.
        pub rb_size_total: u64,
        /// --event-queue-size
        pub event_queue_size: usize,
        /// --node-name; see `node_name()` for the fallbacks.
        pub node_name: Option<String>,
        /// --log-level
        pub log_level: String,
        /// --log-format: text or json.
        pub log_format: String,
        /// -d, --debug
        pub debug: bool,

        /// --config-dir: read by the loader itself.
        pub config_dir: Option<PathBuf>,
        /// --config-root (hidden): prefix of the fixed configuration paths.
        pub config_root: PathBuf,

        // Accepted, not acted on yet: `unsupported()` names them when set.
        /// --bpf-lib
        pub bpf_lib: PathBuf,
        /// --data-cache-size
        pub data_cache_size: usize,
        /// --disable-kprobe-multi
        pub disable_kprobe_multi: bool,
        /// --enable-export-aggregation
        pub enable_export_aggregation: bool,
        /// --enable-k8s-api
        pub enable_k8s_api: bool,
        /// --enable-msg-handling-latency
        pub enable_msg_handling_latency: bool,
        /// --enable-pid-set-filter
        pub enable_pid_set_filter: bool,
        /// --enable-pod-info
        pub enable_pod_info: bool,
        /// --enable-policy-filter
        pub enable_policy_filter: bool,
        /// --enable-policy-filter-debug
        pub enable_policy_filter_debug: bool,
        /// --enable-process-ancestors (default true)
        pub enable_process_ancestors: bool,
        /// --export-aggregation-buffer-size
        pub export_aggregation_buffer_size: u64,
        /// --export-aggregation-window-size
        pub export_aggregation_window_size: Duration,
        /// --expose-kernel-addresses
        pub expose_kernel_addresses: bool,
        /// --force-large-progs
        pub force_large_progs: bool,
        /// --force-small-progs
        pub force_small_progs: bool,
        /// --gops-address; None disables it.
        pub gops_address: Option<String>,
        /// --k8s-kubeconfig-path
        pub k8s_kubeconfig_path: Option<PathBuf>,
        /// --kernel: kernel version to assume.
        pub kernel: Option<String>,
        /// --kmods
        pub kmods: Vec<String>,
        /// --metrics-label-filter; empty enables every label.
        pub metrics_label_filter: Vec<String>,
        /// --metrics-server; None disables metrics.
        pub metrics_server: Option<String>,
        /// --netns-dir
        pub netns_dir: PathBuf,
        /// --rb-queue-size in entries (K/M/G suffixes allowed).
        pub rb_queue_size: u64,
        /// --rb-size in bytes, per CPU.
        pub rb_size: u64,
        /// --release-pinned-bpf (default true)
        pub release_pinned_bpf: bool,
        /// --tracing-policy: one policy file loaded at start.
        pub tracing_policy: Option<PathBuf>,
        /// --tracing-policy-dir
        pub tracing_policy_dir: PathBuf,
        /// --verbose: verifier log verbosity, 0 to 2.
        pub verbose: u32,
        /// --health-server-address; None (an empty value) disables it.
        pub health_server_address: Option<String>,
        /// --health-server-interval
        pub health_server_interval: Duration,
        /// --server-tls-cert-file
        pub server_tls_cert_file: Option<PathBuf>,
        /// --server-tls-key-file
        pub server_tls_key_file: Option<PathBuf>,
        /// --server-tls-client-ca-files
        pub server_tls_client_ca_files: Vec<PathBuf>,
        /// --server-tls-require-client-cert
        pub server_tls_require_client_cert: bool,
        /// --persist-grpc-policies
        pub persist_grpc_policies: bool,
        /// --persist-grpc-policies-dir
        pub persist_grpc_policies_dir: PathBuf,
        /// --enable-cri
        pub enable_cri: bool,
        /// --cri-endpoint
        pub cri_endpoint: Option<String>,
        /// --event-cache-retries
        pub event_cache_retries: u32,
        /// --event-cache-retry-delay
        pub event_cache_retry_delay: Duration,
    }
}

/// How the configuration was arrived at.
#[derive(Debug, Clone, Default, PartialEq)]
struct Report {
    effective: Vec<EffectiveSetting>,
    unsupported: Vec<Unsupported>,
    warnings: Vec<String>,
}

/// One setting's value (as text, as given) and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveSetting {
    pub name: &'static str,
    pub value: String,
    pub source: Source,
}

/// `export-filename = /var/log/tetragon/tetragon.log (from flag)`
impl fmt::Display for EffectiveSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {} (from {})", self.name, self.value, self.source)
    }
}

/// A setting the daemon accepts but does not act on yet, set to something
/// other than its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported {
    pub name: &'static str,
    pub value: String,
    pub source: Source,
}

/// `--enable-k8s-api=true (from flag) is not supported yet`
impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--{}={} (from {}) is not supported yet",
            self.name, self.value, self.source
        )
    }
}

impl Config {
    /// Reads every source: this process's command line and environment and
    /// the configuration files. `--help` and `--version` come back as a
    /// `clap::Error` whose `use_stderr()` is false: print it and exit 0.
    pub fn load() -> Result<Config> {
        let env = std::env::vars_os().filter_map(|(name, value)| {
            Some((name.into_string().ok()?, value.into_string().ok()?))
        });
        Config::load_from(std::env::args_os(), env)
    }

    /// `load()` with the command line (program name first) and environment
    /// given, for tests and tools.
    pub fn load_from<I, T>(
        args: I,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let flags = command_line::read(args)?;
        let env = sources::read_environment(env);
        let root = env
            .iter()
            .chain(&flags)
            .rfind(|e| e.setting.name == "config-root")
            .map(|e| e.raw.as_str())
            .filter(|raw| !raw.is_empty())
            .unwrap_or("/");
        let at = Locations::under(&PathBuf::from(root));

        let mut warnings = Vec::new();
        let mut entries = Vec::new();
        for dir in &at.package_drop_ins {
            entries.extend(sources::read_drop_ins(dir, Missing::Fine, &mut warnings)?);
        }
        entries.extend(sources::read_yaml(&at.admin_file, &mut warnings)?);
        entries.extend(sources::read_drop_ins(
            &at.admin_drop_ins,
            Missing::Fine,
            &mut warnings,
        )?);

        let config_dir = entries
            .iter()
            .chain(&env)
            .chain(&flags)
            .rfind(|e| e.setting.name == "config-dir")
            .filter(|e| !e.raw.is_empty())
            .map(|e| (PathBuf::from(&e.raw), e.source.label("config-dir")));
        if let Some((dir, named_by)) = config_dir {
            let found = sources::read_drop_ins(&dir, Missing::Error, &mut warnings)
                .map_err(|e| anyhow!("{named_by}: {e:#}"))?;
            for entry in found {
                if entry.setting.name == "config-dir" {
                    warnings.push(format!(
                        "{}: config-dir inside the config directory is ignored",
                        entry.source
                    ));
                } else {
                    entries.push(entry);
                }
            }
        }
        entries.extend(env);
        entries.extend(flags);
        Config::resolve(entries, warnings)
    }

    /// The value each setting ends up with: the last entry for it wins.
    fn resolve(entries: Vec<Entry>, warnings: Vec<String>) -> Result<Config> {
        let mut winners: HashMap<&'static str, Entry> = HashMap::new();
        for entry in entries {
            winners.insert(entry.setting.name, entry);
        }
        let mut config = Config::blank();
        let mut report = Report {
            warnings,
            ..Report::default()
        };
        for setting in flags::settings() {
            let (value, source) = match winners.remove(setting.name) {
                // An empty value clears what earlier sources said.
                Some(e) if e.raw.is_empty() && !setting.empty_is_off => {
                    (setting.default.to_string(), e.source)
                }
                Some(e) => (e.raw, e.source),
                None => (setting.default.to_string(), Source::Default),
            };
            (setting.apply)(&mut config, &value)
                .map_err(|expected| anyhow!("{}: {expected}", source.label(setting.name)))?;
            if setting.status == Status::NotYet && differs_from_default(setting, &value) {
                report.unsupported.push(Unsupported {
                    name: setting.name,
                    value: value.clone(),
                    source: source.clone(),
                });
            }
            if !setting.hidden || source != Source::Default {
                report.effective.push(EffectiveSetting {
                    name: setting.name,
                    value,
                    source,
                });
            }
        }
        config.report = report;
        checks::check(&config)?;
        Ok(config)
    }

    /// Every setting (hidden ones only when set) with its value and source,
    /// in --help order: for the start-up log and GetInfo.
    pub fn effective(&self) -> &[EffectiveSetting] {
        &self.report.effective
    }

    /// Settings given a non-default value that the daemon does not act on
    /// yet; log each as "not supported yet".
    pub fn unsupported(&self) -> &[Unsupported] {
        &self.report.unsupported
    }

    /// Things in the configuration files that were ignored, each naming
    /// its file: unknown settings, unreadable entries. Log each as a warning.
    pub fn warnings(&self) -> &[String] {
        &self.report.warnings
    }

    /// Where a setting's value came from; None for an unknown name.
    pub fn source_of(&self, name: &str) -> Option<&Source> {
        self.report
            .effective
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.source)
    }

    /// The command line, for --help, man pages and completions.
    pub fn command() -> clap::Command {
        command_line::command()
    }

    pub fn node_name(&self) -> String {
        self.node_name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| std::env::var("NODE_NAME").ok().filter(|n| !n.is_empty()))
            .unwrap_or_else(hostname)
    }
}

/// Every setting at its default, as documented.
impl Default for Config {
    fn default() -> Config {
        Config::resolve(Vec::new(), Vec::new()).expect("the defaults are valid")
    }
}

/// Whether `value` sets the field to something other than the default.
fn differs_from_default(setting: &Setting, value: &str) -> bool {
    let mut default = Config::blank();
    let mut given = Config::blank();
    (setting.apply)(&mut default, setting.default).is_ok()
        && (setting.apply)(&mut given, value).is_ok()
        && default != given
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documents() {
        let c = Config::default();
        assert_eq!(c.server_address, "localhost:54321");
        assert_eq!(
            c.info_file,
            PathBuf::from("/var/run/tetragon/tetragon-info.json")
        );
        assert_eq!(c.export_filename, None);
        assert_eq!(c.export_file_max_size_mb, 10);
        assert_eq!(c.export_file_rotation_interval, None);
        assert_eq!(c.export_file_max_backups, 5);
        assert_eq!(c.export_file_perm, 0o600);
        assert_eq!(c.export_rate_limit, -1);
        assert_eq!(c.process_cache_size, 65536);
        assert_eq!(c.procfs, PathBuf::from("/proc/"));
        assert_eq!(c.rb_size_total, 0);
        assert_eq!(c.event_queue_size, 10000);
        assert_eq!(c.log_level, "info");
        assert_eq!(c.log_format, "text");
        assert!(!c.debug);
        assert_eq!(c.bpf_lib, PathBuf::from("/var/lib/tetragon/"));
        assert_eq!(c.data_cache_size, 1024);
        assert!(c.enable_process_ancestors);
        assert_eq!(c.export_aggregation_buffer_size, 10000);
        assert_eq!(c.export_aggregation_window_size, Duration::from_secs(15));
        assert_eq!(c.netns_dir, PathBuf::from("/var/run/docker/netns/"));
        assert_eq!(c.rb_queue_size, 65535);
        assert!(c.release_pinned_bpf);
        assert_eq!(
            c.tracing_policy_dir,
            PathBuf::from("/etc/tetragon/tetragon.tp.d")
        );
        assert_eq!(c.health_server_address.as_deref(), Some(":6789"));
        assert_eq!(c.health_server_interval, Duration::from_secs(10));
        assert_eq!(c.event_cache_retries, 15);
        assert_eq!(c.event_cache_retry_delay, Duration::from_secs(2));
        assert_eq!(c.config_root, PathBuf::from("/"));
        assert!(c.unsupported().is_empty());
        assert!(c.warnings().is_empty());
        assert!(c.effective().iter().all(|e| e.source == Source::Default));
        assert!(!c.effective().iter().any(|e| e.name == "config-root"));
    }

    #[test]
    fn the_same_value_as_the_default_is_not_unsupported() {
        let release = flags::find("release-pinned-bpf").unwrap();
        assert!(!differs_from_default(release, "true"));
        assert!(!differs_from_default(release, "1"));
        assert!(differs_from_default(release, "false"));
        let rb = flags::find("rb-queue-size").unwrap();
        assert!(!differs_from_default(rb, "65535"));
        assert!(differs_from_default(rb, "64k"));
    }
}

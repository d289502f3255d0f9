//! The daemon's configuration, read from every source under a temporary
//! root (`TETRAGON_CONFIG_ROOT`), never from the real /etc.

use std::{
    fs,
    path::{Path, PathBuf},
    time::Duration,
};

use tetragond::config::{Config, Source};

/// A scratch root holding the fixed configuration places.
struct Root {
    dir: tempfile::TempDir,
}

impl Root {
    fn new() -> Root {
        Root {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn usr_drop_in(&self, name: &str, value: &str) -> PathBuf {
        self.write(&format!("usr/lib/tetragon/tetragon.conf.d/{name}"), value)
    }

    fn usr_local_drop_in(&self, name: &str, value: &str) -> PathBuf {
        self.write(
            &format!("usr/local/lib/tetragon/tetragon.conf.d/{name}"),
            value,
        )
    }

    fn etc_drop_in(&self, name: &str, value: &str) -> PathBuf {
        self.write(&format!("etc/tetragon/tetragon.conf.d/{name}"), value)
    }

    fn yaml(&self, text: &str) -> PathBuf {
        self.write("etc/tetragon/tetragon.yaml", text)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// Loads with these flags and environment variables (besides the root).
    fn load(&self, flags: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Config> {
        let args = std::iter::once("tetragon").chain(flags.iter().copied());
        let mut vars: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        vars.push((
            "TETRAGON_CONFIG_ROOT".to_string(),
            self.dir.path().display().to_string(),
        ));
        Config::load_from(args, vars)
    }
}

fn effective(config: &Config, name: &str) -> (String, Source) {
    let e = config
        .effective()
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} is not among the effective settings"));
    (e.value.clone(), e.source.clone())
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn each_source_overrides_the_ones_before_it() {
    // Setting k is given by the first k sources, so source k must win it.
    let settings = [
        "node-name",           // /usr drop-in
        "kernel",              // /usr/local drop-in
        "gops-address",        // tetragon.yaml
        "cri-endpoint",        // /etc drop-in
        "metrics-server",      // --config-dir
        "k8s-kubeconfig-path", // environment
        "export-filename",     // flag
    ];
    let root = Root::new();
    let config_dir = root.path("custom.d");
    fs::create_dir_all(&config_dir).unwrap();
    let mut env = Vec::new();
    let mut flags = vec![format!("--config-dir={}", config_dir.display())];
    let mut yaml = String::new();
    for (k, name) in settings.iter().enumerate() {
        root.usr_drop_in(name, "usr");
        if k >= 1 {
            root.usr_local_drop_in(name, "usr-local");
        }
        if k >= 2 {
            yaml.push_str(&format!("{name}: yaml\n"));
        }
        if k >= 3 {
            root.etc_drop_in(name, "etc");
        }
        if k >= 4 {
            fs::write(config_dir.join(name), "config-dir\n").unwrap();
        }
        if k >= 5 {
            let var = format!("TETRAGON_{}", name.to_uppercase().replace('-', "_"));
            env.push((var, "env".to_string()));
        }
        if k >= 6 {
            flags.push(format!("--{name}=flag"));
        }
    }
    let yaml_path = root.yaml(&yaml);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let config = root.load(&flags, &env).unwrap();

    let drop_in = |dir: &str, name: &str| Source::DropIn(root.path(dir).join(name));
    let expected = [
        (
            "usr",
            drop_in("usr/lib/tetragon/tetragon.conf.d", settings[0]),
        ),
        (
            "usr-local",
            drop_in("usr/local/lib/tetragon/tetragon.conf.d", settings[1]),
        ),
        ("yaml", Source::Yaml(yaml_path.clone())),
        ("etc", drop_in("etc/tetragon/tetragon.conf.d", settings[3])),
        ("config-dir", Source::DropIn(config_dir.join(settings[4]))),
        (
            "env",
            Source::Env("TETRAGON_K8S_KUBECONFIG_PATH".to_string()),
        ),
        ("flag", Source::Flag),
    ];
    for (name, (value, source)) in settings.iter().zip(expected) {
        assert_eq!(
            effective(&config, name),
            (value.to_string(), source),
            "{name}"
        );
    }
    assert_eq!(config.node_name.as_deref(), Some("usr"));
    assert_eq!(config.kernel.as_deref(), Some("usr-local"));
    assert_eq!(config.gops_address.as_deref(), Some("yaml"));
    assert_eq!(config.cri_endpoint.as_deref(), Some("etc"));
    assert_eq!(config.metrics_server.as_deref(), Some("config-dir"));
    assert_eq!(config.k8s_kubeconfig_path, Some(PathBuf::from("env")));
    assert_eq!(config.export_filename, Some(PathBuf::from("flag")));

    // Nothing set anywhere: the default.
    assert_eq!(
        effective(&config, "procfs"),
        ("/proc/".to_string(), Source::Default)
    );
    // The Display forms the daemon logs.
    assert_eq!(Source::Flag.to_string(), "flag");
    assert_eq!(
        Source::Env("TETRAGON_X".into()).to_string(),
        "env TETRAGON_X"
    );
    assert_eq!(Source::Default.to_string(), "default");
    assert_eq!(
        Source::Yaml(yaml_path.clone()).to_string(),
        yaml_path.display().to_string()
    );
}

#[test]
fn config_dir_can_come_from_a_file_and_must_exist_when_named() {
    let root = Root::new();
    let dir = root.path("from-etc.d");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("enable-process-ns"), "true").unwrap();
    fs::write(dir.join("config-dir"), "/elsewhere").unwrap();
    root.etc_drop_in("config-dir", &dir.display().to_string());
    let config = root.load(&[], &[]).unwrap();
    assert!(config.enable_process_ns);
    assert_eq!(config.config_dir.as_deref(), Some(dir.as_path()));
    assert!(
        config
            .warnings()
            .iter()
            .any(|w| w.contains("config-dir inside the config directory is ignored")),
        "{:?}",
        config.warnings()
    );

    let missing = root.path("no-such.d");
    let err = root
        .load(&["--config-dir", missing.to_str().unwrap()], &[])
        .unwrap_err();
    let err = format!("{err:#}");
    assert!(err.starts_with("--config-dir: "), "{err}");
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
}

#[test]
fn an_empty_value_clears_a_setting() {
    let root = Root::new();
    root.usr_drop_in("export-filename", "/var/log/usr.log");
    root.usr_drop_in("export-rate-limit", "100");
    root.usr_drop_in("log-level", "debug");
    let cleared_by = root.etc_drop_in("export-filename", "\n");
    root.yaml("export-rate-limit:\nlog-level: ''\n");
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(config.export_filename, None);
    assert_eq!(
        effective(&config, "export-filename"),
        (String::new(), Source::DropIn(cleared_by))
    );
    // Back to the default, not to zero.
    assert_eq!(config.export_rate_limit, -1);
    assert_eq!(config.log_level, "info");

    // On the command line too.
    let config = root.load(&["--export-rate-limit="], &[]).unwrap();
    assert_eq!(config.export_rate_limit, -1);
    assert_eq!(effective(&config, "export-rate-limit").1, Source::Flag);

    // An empty environment variable is unset, as upstream treats it.
    let config = root
        .load(&[], &[("TETRAGON_EXPORT_RATE_LIMIT", "")])
        .unwrap();
    assert_eq!(config.export_rate_limit, -1);
    let config = root.load(&[], &[("TETRAGON_LOG_LEVEL", "")]).unwrap();
    assert_eq!(config.log_level, "info");
    let root2 = Root::new();
    root2.etc_drop_in("log-level", "warn");
    let config = root2.load(&[], &[("TETRAGON_LOG_LEVEL", "")]).unwrap();
    assert_eq!(config.log_level, "warn");
}

#[test]
fn an_empty_health_server_address_turns_it_off() {
    let root = Root::new();
    root.etc_drop_in("health-server-address", "");
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(config.health_server_address, None);
    let config = Root::new().load(&[], &[]).unwrap();
    assert_eq!(config.health_server_address.as_deref(), Some(":6789"));
}

#[test]
fn a_bad_value_names_its_source_and_the_expectation() {
    let root = Root::new();
    let file = root.etc_drop_in("rb-size-total", "64x\n");
    let err = root.load(&[], &[]).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!(
            "{}: `64x` is not a size such as 65536, 64k or 2M",
            file.display()
        )
    );

    let root = Root::new();
    let yaml = root.yaml("export-file-perm: \"999\"\n");
    let err = root.load(&[], &[]).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!(
            "{}: export-file-perm: `999` is not an octal file mode such as 600",
            yaml.display()
        )
    );

    let err = Root::new()
        .load(&[], &[("TETRAGON_ENABLE_PROCESS_CRED", "yes")])
        .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "TETRAGON_ENABLE_PROCESS_CRED: `yes` is not a boolean such as true or false"
    );

    let err = Root::new()
        .load(&["--export-file-rotation-interval", "10"], &[])
        .unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "--export-file-rotation-interval: `10` is not a duration such as 10s, 500ms, 15m or 1h30m"
    );

    let err = Root::new().load(&["--log-format", "xml"], &[]).unwrap_err();
    assert!(
        format!("{err:#}").starts_with("--log-format: `xml`"),
        "{err:#}"
    );

    let root = Root::new();
    let yaml = root.yaml("export-filename: [a, b]\n");
    let err = format!("{:#}", root.load(&[], &[]).unwrap_err());
    assert!(
        err.starts_with(&format!(
            "{}: export-filename: expected a single value",
            yaml.display()
        )),
        "{err}"
    );

    let root = Root::new();
    let yaml = root.yaml("export-filename: [unclosed\n");
    let err = format!("{:#}", root.load(&[], &[]).unwrap_err());
    assert!(err.starts_with(&yaml.display().to_string()), "{err}");

    let root = Root::new();
    root.yaml("- a list\n- not a map\n");
    let err = format!("{:#}", root.load(&[], &[]).unwrap_err());
    assert!(
        err.contains("expected a map of setting names to values"),
        "{err}"
    );
}

#[test]
fn unknown_settings_are_reported_with_their_file() {
    let root = Root::new();
    let yaml = root.yaml("export-filenme: /tmp/x\nlog-level: debug\nno-such-thing: 1\n");
    let file = root.etc_drop_in("enable-proces-cred", "true");
    root.etc_drop_in(".hidden-editor-file", "whatever");
    fs::create_dir_all(root.path("etc/tetragon/tetragon.conf.d/..data")).unwrap();
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(config.log_level, "debug");
    let warnings = config.warnings();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings.contains(&format!(
        "{}: unknown setting `export-filenme`, ignored (did you mean `export-filename`?)",
        yaml.display()
    )));
    assert!(warnings.contains(&format!(
        "{}: unknown setting `no-such-thing`, ignored",
        yaml.display()
    )));
    assert!(warnings.contains(&format!(
        "{}: unknown setting `enable-proces-cred`, ignored (did you mean `enable-process-cred`?)",
        file.display()
    )));

    // The root itself can only come from the flag or the environment.
    let root = Root::new();
    root.etc_drop_in("config-root", "/elsewhere");
    let config = root.load(&[], &[]).unwrap();
    assert!(
        config.warnings()[0]
            .contains("config-root can only be set with --config-root or TETRAGON_CONFIG_ROOT"),
        "{:?}",
        config.warnings()
    );
}

#[test]
fn names_are_case_insensitive_in_files() {
    let root = Root::new();
    root.yaml("Export-Filename: /tmp/yaml.log\n");
    root.etc_drop_in("ENABLE-PROCESS-NS", "1");
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(config.export_filename, Some(PathBuf::from("/tmp/yaml.log")));
    assert!(config.enable_process_ns);
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
}

#[test]
fn settings_not_acted_on_yet_are_reported_when_set() {
    let root = Root::new();
    let yaml = root.yaml(
        "gops-address: localhost:8118\nrelease-pinned-bpf: true\nbpf-lib: /var/lib/tetragon/\n",
    );
    let config = root
        .load(
            &["--enable-pod-info", "--release-pinned-bpf=true"],
            &[("TETRAGON_DATA_CACHE_SIZE", "1024")],
        )
        .unwrap();
    let unsupported: Vec<String> = config.unsupported().iter().map(|u| u.to_string()).collect();
    assert_eq!(
        unsupported,
        vec![
            "--enable-pod-info=true (from flag) is not supported yet".to_string(),
            format!(
                "--gops-address=localhost:8118 (from {}) is not supported yet",
                yaml.display()
            ),
        ]
    );
    // Implemented settings are never listed.
    let config = root
        .load(&["--export-filename=/tmp/x", "--enable-process-cred"], &[])
        .unwrap();
    assert_eq!(config.unsupported().len(), 1, "{:?}", config.unsupported());
}

#[test]
fn booleans_lists_and_repeats_on_the_command_line() {
    let root = Root::new();
    let config = root
        .load(
            &[
                "-d",
                "--release-pinned-bpf=false",
                "--enable-process-ns=true",
                "--kmods",
                "a,b",
                "--kmods=c",
                "--log-level",
                "warn",
                "--log-level",
                "error",
                "--export-rate-limit",
                "-1",
            ],
            &[],
        )
        .unwrap();
    assert!(config.debug);
    assert!(!config.release_pinned_bpf);
    assert!(config.enable_process_ns);
    assert_eq!(config.kmods, vec!["a", "b", "c"]);
    assert_eq!(config.log_level, "error");
    assert_eq!(config.export_rate_limit, -1);

    let root = Root::new();
    root.yaml("kmods: [x, y]\nserver-tls-client-ca-files: /a.pem,/b.pem\nserver-tls-require-client-cert: true\nserver-tls-cert-file: /c.pem\nserver-tls-key-file: /k.pem\n");
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(config.kmods, vec!["x", "y"]);
    assert_eq!(
        config.server_tls_client_ca_files,
        vec![PathBuf::from("/a.pem"), PathBuf::from("/b.pem")]
    );
    assert_eq!(effective(&config, "kmods").0, "x,y");
}

#[test]
fn typed_values_from_files() {
    let root = Root::new();
    root.yaml(
        "export-file-rotation-interval: 1h30m\nexport-file-max-size-mb: 20\nrb-size-total: 4M\nexport-file-perm: 640\nhealth-server-interval: 30\n",
    );
    root.etc_drop_in("export-file-compress", "true\n");
    let config = root.load(&[], &[]).unwrap();
    assert_eq!(
        config.export_file_rotation_interval,
        Some(Duration::from_secs(5400))
    );
    assert_eq!(config.export_file_max_size_mb, 20);
    assert_eq!(config.rb_size_total, 4 << 20);
    assert_eq!(config.export_file_perm, 0o640);
    assert_eq!(config.health_server_interval, Duration::from_secs(30));
    assert!(config.export_file_compress);
}

#[test]
fn contradictory_tls_settings_are_refused() {
    let root = Root::new();
    let file = root.etc_drop_in("server-tls-cert-file", "/etc/tetragon/cert.pem");
    let err = format!("{:#}", root.load(&[], &[]).unwrap_err());
    assert_eq!(
        err,
        format!(
            "--server-tls-cert-file (from {}) needs --server-tls-key-file too",
            file.display()
        )
    );
    let err = Root::new()
        .load(&["--server-tls-client-ca-files=/ca.pem"], &[])
        .unwrap_err();
    assert!(format!("{err:#}").contains("only takes effect with --server-tls-require-client-cert"));
    let err = Root::new()
        .load(
            &[
                "--server-tls-cert-file=/c",
                "--server-tls-key-file=/k",
                "--server-address=unix:///run/t.sock",
            ],
            &[],
        )
        .unwrap_err();
    assert!(format!("{err:#}").contains("TLS does not apply to unix sockets"));
}

#[test]
fn command_line_mistakes_are_one_line() {
    let err = Root::new()
        .load(&["--export-filenme", "x"], &[])
        .unwrap_err();
    let err = format!("{err:#}");
    assert!(!err.contains('\n'), "{err}");
    assert!(
        err.contains("'--export-filenme'") && err.contains("'--export-filename'"),
        "{err}"
    );

    // A boolean takes its value after `=`, as upstream's flags do.
    let err = format!(
        "{:#}",
        Root::new().load(&["--debug", "false"], &[]).unwrap_err()
    );
    assert!(err.contains("'false'"), "{err}");

    // --help is handed back to be printed, not reported as a failure.
    let help = Root::new().load(&["--help"], &[]).unwrap_err();
    let help = help.downcast_ref::<clap::Error>().unwrap();
    assert!(!help.use_stderr());
}

#[test]
fn help_lists_every_documented_flag_with_its_default() {
    let help = Config::command().render_help().to_string();
    // `tetragon --help` in the documents, with the defaults shown there.
    let documented = [
        ("--bpf-lib", Some("(default \"/var/lib/tetragon/\")")),
        ("--btf", None),
        ("--config-dir", None),
        ("--data-cache-size", Some("(default 1024)")),
        ("--debug", None),
        ("--disable-kprobe-multi", None),
        ("--enable-export-aggregation", None),
        ("--enable-k8s-api", None),
        ("--enable-msg-handling-latency", None),
        ("--enable-pid-set-filter", None),
        ("--enable-pod-info", None),
        ("--enable-policy-filter", None),
        ("--enable-policy-filter-debug", None),
        ("--enable-process-ancestors", Some("(default true)")),
        ("--enable-process-cred", None),
        ("--enable-process-ns", None),
        ("--event-queue-size", Some("(default 10000)")),
        ("--export-aggregation-buffer-size", Some("(default 10000)")),
        ("--export-aggregation-window-size", Some("(default 15s)")),
        ("--export-allowlist", None),
        ("--export-denylist", None),
        ("--export-file-compress", None),
        ("--export-file-max-backups", Some("(default 5)")),
        ("--export-file-max-size-mb", Some("(default 10)")),
        ("--export-file-perm", Some("(default \"600\")")),
        ("--export-file-rotation-interval", None),
        ("--export-filename", None),
        ("--export-rate-limit", Some("(default -1)")),
        ("--expose-kernel-addresses", None),
        ("--field-filters", None),
        ("--force-large-progs", None),
        ("--force-small-progs", None),
        ("--gops-address", None),
        ("--help", None),
        ("--k8s-kubeconfig-path", None),
        ("--kernel", None),
        ("--kmods", None),
        ("--log-format", Some("(default \"text\")")),
        ("--log-level", Some("(default \"info\")")),
        ("--metrics-label-filter", None),
        ("--metrics-server", None),
        ("--netns-dir", Some("(default \"/var/run/docker/netns/\")")),
        ("--process-cache-size", Some("(default 65536)")),
        ("--procfs", Some("(default \"/proc/\")")),
        ("--rb-queue-size", Some("(default \"65535\")")),
        ("--rb-size", Some("(default \"0\")")),
        ("--rb-size-total", Some("(default \"0\")")),
        ("--release-pinned-bpf", Some("(default true)")),
        ("--server-address", Some("(default \"localhost:54321\")")),
        ("--tracing-policy", None),
        (
            "--tracing-policy-dir",
            Some("(default \"/etc/tetragon/tetragon.tp.d\")"),
        ),
        ("--verbose", None),
    ];
    for (flag, default) in documented {
        assert!(
            help.contains(&format!("{flag} "))
                || help.contains(&format!("{flag}["))
                || help.contains(&format!("{flag}\n")),
            "{flag} missing from:\n{help}"
        );
        if let Some(default) = default {
            assert!(
                help.contains(default),
                "{flag}: {default} missing from:\n{help}"
            );
        }
    }
    assert!(help.contains("-d, --debug"));
    assert!(help.contains("-h, --help"));
    assert!(!help.contains("--config-root"), "hidden flag shown");
    // Every flag accepted on the command line is accepted in the documents' syntax.
    let root = Root::new();
    let mut args: Vec<String> = Vec::new();
    for (flag, _) in documented {
        match flag {
            "--help" | "--config-dir" => {}
            _ => args.push(flag.to_string()),
        }
    }
    // Non-boolean flags need a value; give each its own default back.
    let config = Config::default();
    let mut with_values = Vec::new();
    for arg in &args {
        let name = arg.trim_start_matches("--");
        let value = config
            .effective()
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value.clone())
            .unwrap();
        with_values.push(format!("{arg}={value}"));
    }
    let with_values: Vec<&str> = with_values.iter().map(String::as_str).collect();
    let loaded = root.load(&with_values, &[]).unwrap();
    assert!(
        loaded.unsupported().is_empty(),
        "{:?}",
        loaded.unsupported()
    );
}

#[test]
fn the_shipped_examples_load() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/configuration");
    let root = Root::new();
    fs::create_dir_all(root.path("etc/tetragon")).unwrap();
    fs::copy(
        examples.join("tetragon.yaml"),
        root.path("etc/tetragon/tetragon.yaml"),
    )
    .unwrap();
    copy_dir(
        &examples.join("tetragon.conf.d"),
        &root.path("etc/tetragon/tetragon.conf.d"),
    );
    let config = root.load(&[], &[]).unwrap();
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    assert!(
        config.unsupported().is_empty(),
        "{:?}",
        config.unsupported()
    );
    assert_eq!(
        config.export_filename,
        Some(PathBuf::from("/var/log/tetragon/tetragon.log"))
    );
    assert!(config.enable_process_cred);
    assert_eq!(
        config.server_address,
        "unix:///var/run/tetragon/tetragon.sock"
    );
    assert_eq!(config.log_format, "text");
    assert_eq!(
        effective(&config, "enable-process-cred").1,
        Source::DropIn(root.path("etc/tetragon/tetragon.conf.d/enable-process-cred"))
    );
    // Everything else in tetragon.yaml is the default.
    let defaults = Config::default();
    assert_eq!(config.export_file_perm, defaults.export_file_perm);
    assert_eq!(config.health_server_address, defaults.health_server_address);
    assert_eq!(config.tracing_policy_dir, defaults.tracing_policy_dir);
    assert_eq!(
        effective(&config, "export-rate-limit").1,
        Source::Yaml(root.path("etc/tetragon/tetragon.yaml"))
    );

    // The drop-ins alone, as --config-dir.
    let config = Root::new()
        .load(
            &[
                "--config-dir",
                examples.join("tetragon.conf.d").to_str().unwrap(),
            ],
            &[],
        )
        .unwrap();
    assert!(config.enable_process_cred);
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
}

//! The Kubernetes install under install/kubernetes/: the CRDs, the Helm chart
//! and its rendered manifests are checked offline by
//! scripts/validate-k8s-manifests.sh (helm lint, the rendered file is
//! current, Kubernetes schema validation, the example policies against the
//! CRDs). And every key of the rendered `tetragon-config` ConfigMap, which
//! the daemon reads as its drop-in directory, must be one of its settings.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn validate_k8s_manifests_script_passes() {
    if Command::new("python3").arg("--version").output().is_err() {
        println!("skipped: python3 is missing (scripts/validate-k8s-manifests.sh needs it)");
        return;
    }
    let out = Command::new("bash")
        .arg(root().join("scripts/validate-k8s-manifests.sh"))
        .current_dir(root())
        .output()
        .expect("running scripts/validate-k8s-manifests.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "scripts/validate-k8s-manifests.sh failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("all checks passed"), "{stdout}\n{stderr}");
}

/// The `data:` keys of the ConfigMap named `tetragon-config` in the
/// rendered manifests (plain line reading: helm prints one key a line).
fn config_map_keys(rendered: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for doc in rendered.split("\n---") {
        if !doc.contains("\nkind: ConfigMap") || !doc.contains("\n  name: tetragon-config\n") {
            continue;
        }
        let Some(data) = doc.split("\ndata:\n").nth(1) else {
            continue;
        };
        for line in data.lines() {
            let Some(entry) = line.strip_prefix("  ") else {
                break;
            };
            if entry.starts_with(' ') || entry.starts_with('#') {
                continue;
            }
            if let Some((key, _)) = entry.split_once(':') {
                keys.push(key.to_string());
            }
        }
    }
    keys
}

#[test]
fn config_map_keys_are_daemon_settings() {
    let path = root().join("install/kubernetes/rendered/tetragon.yaml");
    let rendered = std::fs::read_to_string(&path).expect("reading the rendered manifests");
    let keys = config_map_keys(&rendered);
    assert!(
        keys.len() > 10,
        "found only {keys:?} in the tetragon-config ConfigMap of {}",
        path.display()
    );
    for expected in [
        "export-filename",
        "export-allowlist",
        "export-denylist",
        "enable-process-cred",
        "enable-process-ns",
        "metrics-server",
        "server-address",
        "procfs",
        "btf",
    ] {
        assert!(
            keys.iter().any(|k| k == expected),
            "no {expected} in {keys:?}"
        );
    }
    for key in &keys {
        assert!(
            tetragond::config::flags::find(key).is_some(),
            "the ConfigMap key `{key}` is no tetragond setting: the daemon would ignore it"
        );
    }
}

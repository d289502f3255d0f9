//! Where settings come from besides the command line: drop-in directories
//! (one file a setting, named after it, the trimmed content its value),
//! `/etc/tetragon/tetragon.yaml` (a map of setting names to values) and
//! `TETRAGON_<NAME>` environment variables. Each source yields entries;
//! which entry wins is decided in `mod.rs`.

use std::{
    collections::HashMap,
    fmt, fs,
    io::ErrorKind,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};

use super::flags::{self, Kind, Setting};

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    /// A file in a drop-in directory.
    DropIn(PathBuf),
    /// A key in a tetragon.yaml file.
    Yaml(PathBuf),
    /// The environment variable of that name.
    Env(String),
    /// The command line.
    Flag,
}

impl Source {
    /// How an error about `setting` names this source:
    /// `--rb-size-total`, `TETRAGON_RB_SIZE_TOTAL`,
    /// `/etc/tetragon/tetragon.conf.d/rb-size-total`,
    /// `/etc/tetragon/tetragon.yaml: rb-size-total`.
    pub fn label(&self, setting: &str) -> String {
        match self {
            Source::Default => format!("the default of --{setting}"),
            Source::DropIn(path) => path.display().to_string(),
            Source::Yaml(path) => format!("{}: {setting}", path.display()),
            Source::Env(var) => var.clone(),
            Source::Flag => format!("--{setting}"),
        }
    }
}

/// `default`, `flag`, `env TETRAGON_X` or the file's path.
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::DropIn(path) | Source::Yaml(path) => write!(f, "{}", path.display()),
            Source::Env(var) => write!(f, "env {var}"),
            Source::Flag => f.write_str("flag"),
        }
    }
}

/// One value for one setting from one source.
#[derive(Clone)]
pub struct Entry {
    pub setting: &'static Setting,
    /// Trimmed; empty clears the setting.
    pub raw: String,
    pub source: Source,
}

/// The fixed places, lowest precedence first, under a root that is `/`
/// except in tests.
pub struct Locations {
    /// Package defaults: /usr/lib/tetragon/tetragon.conf.d, then
    /// /usr/local/lib/tetragon/tetragon.conf.d.
    pub package_drop_ins: [PathBuf; 2],
    /// The administrator's /etc/tetragon/tetragon.yaml.
    pub admin_file: PathBuf,
    /// The administrator's /etc/tetragon/tetragon.conf.d.
    pub admin_drop_ins: PathBuf,
}

impl Locations {
    pub fn under(root: &Path) -> Locations {
        Locations {
            package_drop_ins: [
                root.join("usr/lib/tetragon/tetragon.conf.d"),
                root.join("usr/local/lib/tetragon/tetragon.conf.d"),
            ],
            admin_file: root.join("etc/tetragon/tetragon.yaml"),
            admin_drop_ins: root.join("etc/tetragon/tetragon.conf.d"),
        }
    }
}

/// Whether a missing drop-in directory is an error: it is for
/// --config-dir, which someone asked for, not for the fixed places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Fine,
    Error,
}

/// The settings in a drop-in directory, in file-name order. Directories
/// (such as a Kubernetes ConfigMap's `..data`) and hidden files are
/// skipped; unknown names are warned about and skipped.
pub fn read_drop_ins(
    dir: &Path,
    missing: Missing,
    warnings: &mut Vec<String>,
) -> Result<Vec<Entry>> {
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == ErrorKind::NotFound && missing == Missing::Fine => {
            return Ok(Vec::new());
        }
        Err(e) if e.kind() == ErrorKind::NotADirectory && missing == Missing::Fine => {
            warnings.push(format!("{}: not a directory, ignored", dir.display()));
            return Ok(Vec::new());
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut files = Vec::new();
    for item in listing {
        let item = item.with_context(|| format!("reading {}", dir.display()))?;
        files.push(item.path());
    }
    files.sort();

    let mut entries = Vec::new();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            warnings.push(format!("{}: not a setting name, ignored", path.display()));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        // Follows symbolic links, as ConfigMap volumes are made of them.
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                warnings.push(format!("{}: broken symbolic link, ignored", path.display()));
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        if meta.is_dir() {
            continue;
        }
        if !meta.is_file() {
            warnings.push(format!("{}: not a regular file, ignored", path.display()));
            continue;
        }
        let Some(setting) = known(name, &path, warnings) else {
            continue;
        };
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            bail!("{}: not UTF-8 text", path.display());
        };
        entries.push(Entry {
            setting,
            raw: text.trim().to_string(),
            source: Source::DropIn(path),
        });
    }
    Ok(entries)
}

/// The settings in a tetragon.yaml file, nothing when there is none.
pub fn read_yaml(path: &Path, warnings: &mut Vec<String>) -> Result<Vec<Entry>> {
    let text = match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", path.display()))?,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) if e.kind() == ErrorKind::IsADirectory => {
            warnings.push(format!("{}: not a regular file, ignored", path.display()));
            return Ok(Vec::new());
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let document: serde_yaml::Value = serde_yaml::from_str(&text)
        .with_context(|| format!("{}: not valid YAML", path.display()))?;
    let map = match document {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(map) => map,
        _ => bail!(
            "{}: expected a map of setting names to values, such as `export-filename: /var/log/tetragon/tetragon.log`",
            path.display()
        ),
    };

    let mut entries = Vec::new();
    for (key, value) in map {
        let Some(name) = scalar_text(&key) else {
            warnings.push(format!(
                "{}: `{key:?}` is not a setting name, ignored",
                path.display()
            ));
            continue;
        };
        let Some(setting) = known(&name, path, warnings) else {
            continue;
        };
        let raw = yaml_value_text(setting, &value).map_err(|expected| {
            anyhow::anyhow!("{}: {}: {expected}", path.display(), setting.name)
        })?;
        entries.push(Entry {
            setting,
            raw,
            source: Source::Yaml(path.to_path_buf()),
        });
    }
    Ok(entries)
}

/// A YAML value as setting text: scalars as written, null as empty (which
/// clears the setting), a list as comma-separated items for list settings.
fn yaml_value_text(setting: &Setting, value: &serde_yaml::Value) -> Result<String, String> {
    if let Some(text) = scalar_text(value) {
        return Ok(text.trim().to_string());
    }
    match value {
        serde_yaml::Value::Sequence(items) if setting.kind == Kind::List => items
            .iter()
            .map(|item| {
                scalar_text(item)
                    .map(|t| t.trim().to_string())
                    .ok_or_else(|| "expected a list of plain values".to_string())
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|items| items.join(",")),
        _ => Err("expected a single value, such as a string, number or true/false".to_string()),
    }
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::Null => Some(String::new()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The settings given as `TETRAGON_<NAME>` variables. An empty variable
/// counts as unset, as upstream's configuration library treats it.
pub fn read_environment(vars: impl IntoIterator<Item = (String, String)>) -> Vec<Entry> {
    let vars: HashMap<String, String> = vars
        .into_iter()
        .filter(|(name, _)| name.starts_with("TETRAGON_"))
        .collect();
    flags::settings()
        .iter()
        .filter_map(|setting| {
            let var = setting.env_var();
            let raw = vars.get(&var)?.trim();
            (!raw.is_empty()).then(|| Entry {
                setting,
                raw: raw.to_string(),
                source: Source::Env(var),
            })
        })
        .collect()
}

/// The setting a file name or YAML key names, or a warning saying why it
/// is ignored.
fn known(name: &str, origin: &Path, warnings: &mut Vec<String>) -> Option<&'static Setting> {
    match flags::find(name) {
        Some(setting) if setting.hidden => {
            warnings.push(format!(
                "{}: {} can only be set with --{} or {}, ignored",
                origin.display(),
                setting.name,
                setting.name,
                setting.env_var()
            ));
            None
        }
        Some(setting) => Some(setting),
        None => {
            let hint = flags::closest(name)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            warnings.push(format!(
                "{}: unknown setting `{name}`, ignored{hint}",
                origin.display()
            ));
            None
        }
    }
}

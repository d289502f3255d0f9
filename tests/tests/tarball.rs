//! The release tarball, made by scripts/release.sh from the workspace's
//! built binaries, unpacked and installed the way the documents show
//! (`tar -xvf tetragon-v<version>-<arch>.tar.gz; cd ...; ./install.sh`),
//! except into a temporary root (`DESTDIR`), which keeps systemd out of it:
//! every file is checked, the unit's contents too, and `uninstall.sh` must
//! leave nothing behind.

use std::{
    collections::BTreeSet,
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use tetragon_e2e::binary;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The architecture the way the tarball names it.
fn arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => panic!("no tarball for {other}"),
    }
}

fn succeed(cmd: &mut Command) -> String {
    let out: Output = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed with {}:\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every path under `root`, relative, directories ending in `/`.
fn tree(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(format!("{rel}/"));
                walk(root, &path, out);
            } else {
                out.insert(rel);
            }
        }
    }
    let mut out = BTreeSet::new();
    if root.exists() {
        walk(root, root, &mut out);
    }
    out
}

/// The files the tarball holds under usr/, as installed.
const FILES: &[&str] = &[
    "usr/lib/systemd/system/tetragon.service",
    "usr/local/bin/tetra",
    "usr/local/bin/tetragon",
    "usr/local/bin/tetragond",
    "usr/local/lib/tetragon/tetragon.conf.d/export-filename",
    "usr/local/lib/tetragon/tetragon.conf.d/server-address",
    "usr/local/share/bash-completion/completions/tetra",
    "usr/local/share/fish/vendor_completions.d/tetra.fish",
    "usr/local/share/zsh/site-functions/_tetra",
];

/// Every file the tarball must hold, relative to its top directory.
fn expected_files() -> BTreeSet<String> {
    let mut files: BTreeSet<String> = FILES.iter().map(|f| f.to_string()).collect();
    files.insert("install.sh".into());
    files.insert("uninstall.sh".into());
    for page in fs::read_dir(repo_root().join("man")).unwrap() {
        let name = page.unwrap().file_name().into_string().unwrap();
        let section = name.rsplit('.').next().unwrap().to_string();
        files.insert(format!("usr/local/share/man/man{section}/{name}"));
    }
    files
}

/// The directories `files` need, each ending in `/`.
fn parents(files: &BTreeSet<String>) -> BTreeSet<String> {
    let mut dirs = BTreeSet::new();
    for f in files {
        let mut p = Path::new(f).parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(format!("{}/", d.display()));
            p = d.parent();
        }
    }
    dirs
}

/// `[section] key=value` lines of a unit file.
fn unit_entries(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut entries = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            entries.push((section.clone(), k.trim().to_string(), v.trim().to_string()));
        } else {
            panic!("not a unit file line: {line}");
        }
    }
    entries
}

fn check_unit(text: &str) {
    let entries = unit_entries(text);
    let get = |section: &str, key: &str| {
        entries
            .iter()
            .filter(|(s, k, _)| s == section && k == key)
            .map(|(_, _, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        get("Unit", "Description"),
        ["Tetragon eBPF-based Security Observability and Runtime Enforcement"]
    );
    assert_eq!(get("Service", "ExecStart"), ["/usr/local/bin/tetragon"]);
    assert_eq!(get("Service", "Restart"), ["on-failure"]);
    assert_eq!(get("Install", "WantedBy"), ["multi-user.target"]);
    let sections: BTreeSet<&str> = entries.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(sections, BTreeSet::from(["Unit", "Service", "Install"]));
}

#[test]
fn tarball_installs_and_uninstalls_cleanly() {
    let tmp = tempfile::Builder::new()
        .prefix("tetragon-tarball")
        .tempdir()
        .unwrap();
    let bin_dir = binary("tetragond").parent().unwrap().to_path_buf();
    let dist = tmp.path().join("dist");

    // scripts/release.sh packages the built binaries.
    succeed(
        Command::new(repo_root().join("scripts/release.sh"))
            .arg("--bin-dir")
            .arg(&bin_dir)
            .arg("--out")
            .arg(&dist),
    );
    let name = format!("tetragon-v{}-{}", env!("CARGO_PKG_VERSION"), arch());
    let tarball = dist.join(format!("{name}.tar.gz"));
    assert!(tarball.exists(), "no {}", tarball.display());

    // Its listing: one top directory named after it, holding exactly the
    // expected files.
    let listing = succeed(Command::new("tar").arg("-tzf").arg(&tarball));
    let listed: BTreeSet<String> = listing
        .lines()
        .map(|l| {
            l.strip_prefix(&format!("{name}/"))
                .unwrap_or_else(|| panic!("{l} is outside {name}/"))
                .to_string()
        })
        .filter(|l| !l.is_empty() && !l.ends_with('/'))
        .collect();
    assert_eq!(listed, expected_files(), "the tarball's files");

    // Unpacked as the documents do.
    let unpack = tmp.path().join("unpack");
    fs::create_dir(&unpack).unwrap();
    succeed(
        Command::new("tar")
            .arg("-xvf")
            .arg(&tarball)
            .current_dir(&unpack),
    );
    let src = unpack.join(&name);
    for script in ["install.sh", "uninstall.sh"] {
        let mode = fs::metadata(src.join(script)).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{script} is executable");
    }
    check_unit(&fs::read_to_string(src.join("usr/lib/systemd/system/tetragon.service")).unwrap());
    let drop_in = |name: &str| {
        fs::read_to_string(
            src.join("usr/local/lib/tetragon/tetragon.conf.d")
                .join(name),
        )
        .unwrap()
        .trim()
        .to_string()
    };
    assert_eq!(drop_in("export-filename"), "/var/log/tetragon/tetragon.log");
    assert_eq!(
        drop_in("server-address"),
        "unix:///var/run/tetragon/tetragon.sock"
    );
    // Every drop-in names a setting of the daemon.
    let help = succeed(Command::new(src.join("usr/local/bin/tetragon")).arg("--help"));
    for entry in fs::read_dir(src.join("usr/local/lib/tetragon/tetragon.conf.d")).unwrap() {
        let setting = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            help.contains(&format!("--{setting} ")),
            "the drop-in {setting} is no setting of `tetragon --help`"
        );
    }

    // install.sh into an empty root, run from elsewhere.
    let root = tmp.path().join("root");
    fs::create_dir(&root).unwrap();
    let install = || {
        succeed(
            Command::new(src.join("install.sh"))
                .env("DESTDIR", &root)
                .current_dir(tmp.path()),
        )
    };
    let out = install();
    assert!(out.contains("Tetragon installed successfully!"), "{out}");
    let installed = check_installed(&root, &src);

    // Again, as an upgrade does: the same tree.
    install();
    assert_eq!(tree(&root), installed, "a second install changes nothing");

    // uninstall.sh leaves nothing behind.
    let uninstall = || {
        succeed(
            Command::new(src.join("uninstall.sh"))
                .env("DESTDIR", &root)
                .current_dir(tmp.path()),
        )
    };
    uninstall();
    assert_eq!(tree(&root), BTreeSet::new(), "uninstall left files behind");

    // Except the administrator's own settings, which the documents purge
    // with `rm -fr /etc/tetragon/`.
    install();
    fs::write(
        root.join("etc/tetragon/tetragon.conf.d/log-level"),
        "debug\n",
    )
    .unwrap();
    uninstall();
    assert_eq!(
        tree(&root),
        BTreeSet::from([
            "etc/".to_string(),
            "etc/tetragon/".to_string(),
            "etc/tetragon/tetragon.conf.d/".to_string(),
            "etc/tetragon/tetragon.conf.d/log-level".to_string(),
        ])
    );
}

/// Checks the installed tree under `root` against the unpacked tarball at
/// `src`; returns the tree.
fn check_installed(root: &Path, src: &Path) -> BTreeSet<String> {
    let mut files = expected_files();
    files.remove("install.sh");
    files.remove("uninstall.sh");
    files.insert("usr/local/lib/tetragon/installed".into());
    let mut want = parents(&files);
    want.extend(files.iter().cloned());
    want.insert("etc/tetragon/tetragon.conf.d/".into());
    want.insert("etc/tetragon/tetragon.tp.d/".into());
    want.insert("etc/tetragon/".into());
    want.insert("etc/".into());
    let got = tree(root);
    assert_eq!(got, want, "the installed tree");

    for f in files.iter().filter(|f| !f.ends_with("/installed")) {
        let (a, b) = (root.join(f), src.join(f));
        let meta = fs::symlink_metadata(&a).unwrap();
        if meta.file_type().is_symlink() {
            assert_eq!(
                fs::read_link(&a).unwrap(),
                fs::read_link(&b).unwrap(),
                "{f}"
            );
            continue;
        }
        assert_eq!(
            fs::read(&a).unwrap(),
            fs::read(&b).unwrap(),
            "{f}'s content"
        );
        let mode = meta.permissions().mode() & 0o777;
        let want = if f.contains("/bin/") { 0o755 } else { 0o644 };
        assert_eq!(mode, want, "{f}'s mode {mode:o}");
    }
    assert_eq!(
        fs::read_link(root.join("usr/local/bin/tetragon")).unwrap(),
        Path::new("tetragond"),
        "tetragon is the daemon"
    );
    for bin in ["tetragon", "tetra"] {
        let out = succeed(Command::new(root.join("usr/local/bin").join(bin)).arg("--version"));
        assert!(
            out.contains(env!("CARGO_PKG_VERSION")),
            "{bin} --version: {out}"
        );
    }
    let unit = fs::read_to_string(root.join("usr/lib/systemd/system/tetragon.service")).unwrap();
    check_unit(&unit);

    // systemd's own check of the unit against the installed root (the
    // ExecStart binary must exist there).
    let analyze = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(format!("--root={}", root.display()))
        .arg("tetragon.service")
        .output();
    match analyze {
        Ok(out) => assert!(
            out.status.success(),
            "systemd-analyze verify: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => eprintln!("not verifying the unit with systemd-analyze: {e}"),
    }

    // The record uninstall.sh works from.
    let manifest = fs::read_to_string(root.join("usr/local/lib/tetragon/installed")).unwrap();
    for f in &files {
        assert!(
            manifest.contains(&format!("f /{f}\n")),
            "{f} is not recorded"
        );
    }
    got
}

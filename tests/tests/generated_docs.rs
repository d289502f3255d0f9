//! The shell completions in completions/ and the man pages in man/ are
//! generated from the command-line definitions; this test fails when they
//! are stale. `UPDATE_GENERATED=1 cargo test -p tetragon-e2e --test
//! generated_docs` writes them anew.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use clap::CommandFactory;
use clap_complete::Shell;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every generated file, by path relative to the repository root.
fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut tetra::cli::Cli::command(), "tetra", &mut out);
        let name = match shell {
            Shell::Bash => "tetra.bash",
            Shell::Zsh => "_tetra",
            _ => "tetra.fish",
        };
        files.insert(PathBuf::from("completions").join(name), out);
    }
    let tetra = tetra::cli::Cli::command().name("tetra");
    man_pages(&tetra, "tetra", "1", &mut files);
    let daemon = tetragond::config::Config::command().name("tetragond");
    man_pages(&daemon, "tetragond", "8", &mut files);
    files
}

/// `<name>.<section>` for the command and `<name>-<sub>.<section>` for
/// each visible subcommand, recursively.
fn man_pages(
    cmd: &clap::Command,
    name: &str,
    section: &str,
    files: &mut BTreeMap<PathBuf, Vec<u8>>,
) {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .section(section)
        .render(&mut page)
        .expect("rendering a man page");
    files.insert(PathBuf::from("man").join(format!("{name}.{section}")), page);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, &format!("{name}-{}", sub.get_name()), section, files);
    }
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let root = root();
    let update = std::env::var("UPDATE_GENERATED").is_ok_and(|v| v == "1");
    let mut stale = Vec::new();
    for (path, content) in generated() {
        let full = root.join(&path);
        if update {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, &content).unwrap();
        } else if std::fs::read(&full).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run UPDATE_GENERATED=1 cargo test -p tetragon-e2e --test generated_docs"
    );
}

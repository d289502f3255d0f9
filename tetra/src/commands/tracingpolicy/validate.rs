//! `tetra tp validate <file>...`: checks policies offline with the daemon's
//! own parser and engine check, so the messages are the daemon's. Each
//! problem is one line, `file:line:col: path: message`, on stderr; each good
//! file is `file: ok` on stdout. Exit code 1 when any file has a problem.

use std::path::PathBuf;

use anyhow::{Result, bail};
use tetragon_policy::PolicyErrors;

use crate::output::write_stdout;

pub fn run(files: &[PathBuf]) -> Result<()> {
    let mut bad_files = 0;
    let mut errors = 0;
    for file in files {
        match check(file) {
            Ok(()) => write_stdout(&format!("{}: ok\n", file.display()))?,
            Err(problems) => {
                bad_files += 1;
                errors += problems.len();
                for e in problems.iter() {
                    eprintln!("{e}");
                }
            }
        }
    }
    if bad_files > 0 {
        bail!(
            "{errors} {} in {bad_files} of {} {}",
            plural(errors, "error", "errors"),
            files.len(),
            plural(files.len(), "file", "files")
        );
    }
    Ok(())
}

fn check(file: &std::path::Path) -> Result<(), PolicyErrors> {
    let policy = tetragon_policy::parse_policy_file(file)?;
    tetragon_policy::check_engine_support(&policy)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

//! The example policies users copy (examples/policies) parse, and this engine serves them.

use std::path::Path;

#[test]
fn example_policies_parse_and_are_served() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let policy = tetragon_policy::parse_policy_file(&f).unwrap_or_else(|e| panic!("{e}"));
        tetragon_policy::check_engine_support(&policy).unwrap_or_else(|e| panic!("{e}"));
    }
}

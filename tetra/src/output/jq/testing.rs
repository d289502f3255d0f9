//! Running programs in the tests: what `jq -c` (`-r`) would print.

use super::{JqProgram, JqRunError};

pub(super) const EVENT: &str = r#"{"process_exec":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjEwMDAwMDoxMDA=","pid":100,"uid":0,"binary":"/tmp/nc","arguments":"ebpf.io 1234","pod":{"namespace":"default","name":"xwing"}}},"node_name":"kind-control-plane","time":"2023-10-31T18:44:22.777962637Z"}"#;

/// Every output of `program` over `input`, as `jq -c` (`-r`) prints
/// them, and the error that ended the run if any.
pub(super) fn jq(program: &str, input: &str, raw: bool) -> (String, Option<String>) {
    let program = JqProgram::compile(program).unwrap_or_else(|e| panic!("{program}: {e}"));
    let mut out = Vec::new();
    let err = match program.run(input, raw, &mut out) {
        Ok(()) => None,
        Err(JqRunError::Program(e)) => Some(e.report(7)),
        Err(e) => Some(e.to_string()),
    };
    (String::from_utf8(out).unwrap(), err)
}

/// The outputs of a program that must not fail.
pub(super) fn c(program: &str, input: &str) -> String {
    let (out, err) = jq(program, input, false);
    assert_eq!(err, None, "{program}");
    out
}

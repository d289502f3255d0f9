//! A compiled `--jq` program, and running it over one event.

use std::fmt;
use std::io::{self, Write};

use jaq_core::{Ctx, Vars};
use jaq_json::Val;

use super::Data;
use super::compile::compile_text;
use super::print::{to_json_string, write_json};
use super::projection::{Need, parse_projected};
use super::text::jq_text;
use super::value::JqVal;

/// A compiled `--jq` program.
pub struct JqProgram {
    filter: jaq_core::Filter<Data>,
    env: JqVal,
    /// The parts of an event the program can observe, when not all of it.
    pub(super) need: Option<Need>,
}

/// The program did not compile; the message names the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqError {
    message: String,
}

impl fmt::Display for JqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JqError {}

/// Running the program over one event went wrong.
#[derive(Debug)]
pub enum JqRunError {
    /// The program raised an error (jq: `jq: error (at <stdin>:N): ...`).
    /// The outputs before the error were written; the next event goes on.
    Program(ProgramError),
    /// The program called `halt` or `halt_error`: stop with this exit code.
    Halt(i32),
    /// The event text was not JSON.
    Input(String),
    /// Writing the output failed.
    Io(io::Error),
}

/// The value of a jq `error`: a message, or any other value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramError {
    /// The message, or the value as JSON when it is not a string.
    pub message: String,
    /// False for `error({...})` and the like (jq: `(not a string)`).
    pub is_string: bool,
}

impl ProgramError {
    /// jq's wording, with the event number in place of the input line:
    /// `error (at event 3): Cannot index number with "b"`.
    pub fn report(&self, event: u64) -> String {
        self.wording(&format!(" (at event {event})"))
    }

    /// `error<at>: <message>`, or `error<at> (not a string): <value>`.
    fn wording(&self, at: &str) -> String {
        if self.is_string {
            format!("error{at}: {}", self.message)
        } else {
            format!("error{at} (not a string): {}", self.message)
        }
    }
}

impl fmt::Display for JqRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JqRunError::Program(e) => f.write_str(&e.wording("")),
            JqRunError::Halt(code) => write!(f, "halted with exit code {code}"),
            JqRunError::Input(e) => write!(f, "event is not JSON: {e}"),
            JqRunError::Io(e) => write!(f, "writing output: {e}"),
        }
    }
}

impl std::error::Error for JqRunError {}

impl From<io::Error> for JqRunError {
    fn from(e: io::Error) -> Self {
        JqRunError::Io(e)
    }
}

impl JqProgram {
    /// Parses and compiles a jq program; errors name the line and column.
    pub fn compile(src: &str) -> Result<JqProgram, JqError> {
        let filter = compile_text(src).map_err(|message| JqError { message })?;
        let env = std::env::vars_os()
            .map(|(k, v)| {
                (
                    Val::from(k.to_string_lossy().into_owned()),
                    Val::from(v.to_string_lossy().into_owned()),
                )
            })
            .collect();
        Ok(JqProgram {
            filter,
            env: JqVal(Val::obj(env)),
            need: Need::of_program(src),
        })
    }

    /// Runs the program over one event (its JSON text) and writes each
    /// output on its own line, as `jq -c` (`jq -r -c` when `raw`) would.
    /// On an error, the outputs before it stay written.
    pub fn run(&self, event_json: &str, raw: bool, out: &mut impl Write) -> Result<(), JqRunError> {
        self.run_bytes(event_json.as_bytes(), raw, out)
    }

    /// [`JqProgram::run`] over JSON text as read (one value, not
    /// necessarily UTF-8 checked: the parser checks its strings).
    pub fn run_bytes(
        &self,
        event_json: &[u8],
        raw: bool,
        out: &mut impl Write,
    ) -> Result<(), JqRunError> {
        let projected = self
            .need
            .as_ref()
            .and_then(|need| parse_projected(event_json, need));
        let input = match projected {
            Some(input) => input,
            None => jaq_json::read::parse_single(event_json)
                .map_err(|e| JqRunError::Input(e.to_string()))?,
        };
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([self.env.clone()]));
        // Allocated at the first output (most events of a `select` have none).
        let mut buf = Vec::new();
        for result in self.filter.id.run((ctx, JqVal(input))) {
            let value = match result {
                Ok(value) => value.0,
                Err(exn) => {
                    return match exn.get_err() {
                        Ok(err) => match program_error(err.into_val().0) {
                            Some(e) => Err(JqRunError::Program(e)),
                            // jq: `error(null)` ends the input without a word.
                            None => Ok(()),
                        },
                        Err(exn) => match exn.get_halt() {
                            Ok(code) => Err(JqRunError::Halt(code)),
                            Err(exn) => Err(JqRunError::Program(ProgramError {
                                message: format!("{exn:?}"),
                                is_string: true,
                            })),
                        },
                    };
                }
            };
            buf.clear();
            match &value {
                Val::TStr(s) | Val::BStr(s) if raw => buf.extend_from_slice(jq_text(s).as_bytes()),
                _ => write_json(&mut buf, &value),
            }
            buf.push(b'\n');
            out.write_all(&buf)?;
        }
        Ok(())
    }
}

fn program_error(value: Val) -> Option<ProgramError> {
    match &value {
        Val::Null => None,
        Val::TStr(s) | Val::BStr(s) => Some(ProgramError {
            message: jq_text(s).into_owned(),
            is_string: true,
        }),
        other => Some(ProgramError {
            message: to_json_string(other),
            is_string: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::jq::testing::{EVENT, c, jq};

    #[test]
    fn the_documents_exec_recipe() {
        let recipe = r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("/tmp/")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#;
        assert_eq!(
            c(recipe, EVENT),
            "\"2023-10-31T18:44:22.777962637Z default xwing /tmp/nc ebpf.io 1234\"\n"
        );
        assert_eq!(
            jq(recipe, EVENT, true).0,
            "2023-10-31T18:44:22.777962637Z default xwing /tmp/nc ebpf.io 1234\n"
        );
        assert_eq!(c(recipe, r#"{"process_exit":{},"time":"t"}"#), "");
    }

    #[test]
    fn several_outputs_each_on_a_line_and_empty_prints_nothing() {
        assert_eq!(c(".[], empty, (.[] | select(. > 1))", "[1,2]"), "1\n2\n2\n");
        assert_eq!(c("empty", EVENT), "");
        assert_eq!(jq(".[]", r#"["a","b"]"#, true).0, "a\nb\n");
    }

    #[test]
    fn halt_stops_with_its_exit_code() {
        let program = JqProgram::compile("1, halt, 2").unwrap();
        let mut out = Vec::new();
        assert!(matches!(
            program.run("null", false, &mut out),
            Err(JqRunError::Halt(0))
        ));
        assert_eq!(out, b"1\n");
    }
}

//! `tetra getevents --jq PROGRAM`: a jq program run over every event, with
//! output byte-identical to `jq -c` (and `jq -r -c` with `-r`).
//!
//! The interpreter is jaq (jaq-core, jaq-std, jaq-json). Where jaq and jq
//! disagree, this module sides with jq 1.6, the jq of Debian 12 and of CI
//! (jq 1.7 agrees on everything the tests exercise):
//!
//! - Values are [`JqVal`], jaq's JSON value with jq's rules: numbers print
//!   as jq prints its doubles (`1.0` -> `1`, `1e17` -> `1e+17`, `0.00001` ->
//!   `1e-05`, NaN -> `null`, infinities -> `±1.7976931348623157e+308`),
//!   strings with jq's escapes (`\u007f`, `\u001b`, `/` and non-ASCII as they
//!   are), objects in the order of the event's JSON. The same formatting is
//!   behind `tostring`, `tojson`, string interpolation and error messages.
//! - Paths behave as in jq: `null | .a.b = 1` builds objects, `.[5] = 1`
//!   pads with nulls, `.[1.5]` is null, `null | .[0:2]` is null, deleting a
//!   key keeps the order of the others, `.a |= empty` deletes `.a`.
//! - Arithmetic and indexing errors use jq's words (`number (1) and string
//!   ("a") cannot be added`, `Cannot index number with "b"`), so `try ...
//!   catch .` sees what jq would; division by zero is an error as in jq.
//! - `join`, `del`, `to_entries`/`from_entries`, `@csv`, `@tsv`, `@sh`,
//!   `@uri`, `@base64d`, `ltrimstr`, `indices`, `walk`, `todate`,
//!   `fromdate`, ... are jq 1.6's definitions.
//! - `debug`, `stderr` and `halt_error` write to stderr as jq does.
//!
//! Not supported (a compile error names them): `input`, `inputs`,
//! `$__loc__`, `input_line_number`, `input_filename`, `@base32d`, modules.
//! `@base32` is jq 1.7's (jq 1.6 lists it but fails on it).
//! Known differences left: jq 1.6's `limit(0; f)` yields one output (a bug
//! 1.7 fixed; here none), and `[...] | .[] |= empty` deletes every element
//! here where 1.6 skips every other one; regexes are the regex crate's
//! (no look-around or back-references), jq's are Oniguruma's; `-0` in the
//! input prints as `0`; error texts of jaq's own builtins (`implode`,
//! `splits`, dates, ...) are jaq's words, not jq's.

mod arith;
mod builtins;
mod compile;
mod errors;
mod formats;
mod matching;
mod natives;
mod paths;
mod prelude;
mod print;
mod program;
mod projection;
#[cfg(test)]
mod testing;
mod text;
mod update;
mod value;

use jaq_core::data;

pub use print::{to_json_string, write_f64, write_json};
pub use program::{JqError, JqProgram, JqRunError, ProgramError};
pub use value::JqVal;

/// What jaq's filters run on: jq values, and no data besides.
type Data = data::JustLut<JqVal>;
/// An error raised by a program (`error`, or a builtin's).
type Error = jaq_core::Error<JqVal>;
/// A result whose error is a jq error.
type Res<T> = Result<T, Error>;

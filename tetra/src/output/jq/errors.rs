//! How jq words its errors: values described as `number (1)`, `string ("abcdefghij...)`.

use jaq_json::Val;

use super::Error;
use super::print::to_json_string;
use super::text::jq_text;
use super::value::kind;

/// A jq error with this message.
pub(super) fn fail(message: impl Into<String>) -> Error {
    Error::str(message.into())
}

/// jaq's own errors (rare here: parsing numbers), in jaq's words.
pub(super) fn from_jaq(e: jaq_core::Error<Val>) -> Error {
    fail(e.to_string())
}

/// `number (1)`, `string ("abcdefghij...)`: a value in a jq error message.
pub(super) fn desc(v: &Val) -> String {
    format!("{} ({})", kind(v), dump_trunc(v))
}

/// jq's `jv_dump_string_trunc` with its 15-byte buffers: the JSON text cut
/// to 11 bytes and `...` when longer than 14.
pub(super) fn dump_trunc(v: &Val) -> String {
    let text = to_json_string(v);
    if text.len() <= 14 {
        return text;
    }
    let mut cut = text.as_bytes()[..11].to_vec();
    cut.extend_from_slice(b"...");
    jq_text(&cut).into_owned()
}

/// `<left> and <right> cannot be <what>`: an operation that does not apply to these values.
pub(super) fn binop_error(l: &Val, r: &Val, what: &str) -> Error {
    fail(format!("{} and {} cannot be {what}", desc(l), desc(r)))
}

/// `Cannot iterate over <value>`: `.[]` of a value that is neither an array nor an object.
pub(super) fn cannot_iterate(v: &Val) -> Error {
    fail(format!("Cannot iterate over {}", desc(v)))
}

#[cfg(test)]
mod tests {
    use crate::output::jq::testing::{c, jq};

    #[test]
    fn errors_use_jqs_words_and_keep_earlier_outputs() {
        let (out, err) = jq(".a, (.a | .b), .c", r#"{"a":1}"#, false);
        assert_eq!(out, "1\n");
        assert_eq!(
            err.unwrap(),
            "error (at event 7): Cannot index number with string \"b\""
        );
        let cases = [
            ("1 + \"a\"", "number (1) and string (\"a\") cannot be added"),
            (
                "\"abcdefghijklmnopqrstuvwxyz\" - 1",
                "string (\"abcdefghij...) and number (1) cannot be subtracted",
            ),
            ("{} | .[0]", "Cannot index object with number"),
            ("5 | .[]", "Cannot iterate over number (5)"),
            (
                "1 / 0",
                "number (1) and number (0) cannot be divided because the divisor is zero",
            ),
            ("true | length", "boolean (true) has no length"),
            ("-\"a\"", "string (\"a\") cannot be negated"),
            (
                "null | test(\"a\")",
                "null (null) cannot be matched, as it is not a string",
            ),
        ];
        for (program, message) in cases {
            assert_eq!(
                c(&format!("try ({program}) catch ."), "null"),
                format!("\"{}\"\n", message.replace('"', "\\\""))
            );
        }
        let (out, err) = jq("error({\"a\":1})", "null", false);
        assert_eq!(
            (out.as_str(), err.unwrap().as_str()),
            ("", "error (at event 7) (not a string): {\"a\":1}")
        );
        // jq: `error(null)` ends the input silently.
        assert_eq!(
            jq("1, error(null), 2", "null", false),
            ("1\n".to_string(), None)
        );
    }
}

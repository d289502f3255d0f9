//! Escaping: every string from the event is printed as is when printable, Go-quoted otherwise.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::printable::is_print;

/// `s` unchanged when every character is printable, otherwise [`quote`]d.
///
/// Printable is Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the
/// ASCII space (Unicode 15.0, as in the Go releases Tetragon ships with). Unlike upstream's
/// unreleased change that also quotes strings containing spaces, a plain space never causes
/// quoting here: `-c "cat /etc/shadow"` stays as in every documented output.
pub fn maybe_quote(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_print) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(quote(s))
    }
}

/// A double-quoted string literal of `s` with Go's `strconv.Quote` escapes: `\"`, `\\`,
/// `\a \b \f \n \r \t \v`, `\xHH` for other ASCII controls and DEL, `\uHHHH` / `\UHHHHHHHH`
/// for other non-printable characters; printable characters are kept.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if c < ' ' || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x1_0000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote() {
        assert_eq!(maybe_quote("/etc/passwd"), "/etc/passwd");
        assert_eq!(maybe_quote("a \"b\" \\c"), "a \"b\" \\c");
        assert_eq!(maybe_quote("héllo wörld 🚀"), "héllo wörld 🚀");
        assert_eq!(maybe_quote(""), "");
        assert_eq!(
            maybe_quote("/usr/bin/\x1b[31mmalicious\x1b[0m"),
            "\"/usr/bin/\\x1b[31mmalicious\\x1b[0m\""
        );
        assert_eq!(
            maybe_quote("echo \0null\rbyte"),
            "\"echo \\x00null\\rbyte\""
        );
        assert_eq!(
            maybe_quote("host\nwith\nnewlines"),
            "\"host\\nwith\\nnewlines\""
        );
        assert_eq!(
            maybe_quote("\x07\x08\x0c\n\r\t\x0b\x01\x7f\"\\"),
            "\"\\a\\b\\f\\n\\r\\t\\v\\x01\\x7f\\\"\\\\\""
        );
        assert_eq!(
            maybe_quote("a\u{85}b\u{a0}c\u{202e}d"),
            "\"a\\u0085b\\u00a0c\\u202ed\""
        );
        assert_eq!(maybe_quote("é\u{10ffff}🚀"), "\"é\\U0010ffff🚀\"");
    }
}

//! Printing values as `jq -c` does: jq's number format and string escapes.

use jaq_json::{Num, Val};

use super::text::jq_text;
use super::value::num_f64;

/// A value as `jq -c` prints it.
pub fn to_json_string(v: &Val) -> String {
    let mut buf = Vec::new();
    write_json(&mut buf, v);
    // Only UTF-8 is written.
    String::from_utf8(buf).unwrap_or_else(|e| jq_text(e.as_bytes()).into_owned())
}

/// Writes a value as `jq -c` does.
pub fn write_json(buf: &mut Vec<u8>, v: &Val) {
    match v {
        Val::Null => buf.extend_from_slice(b"null"),
        Val::Bool(true) => buf.extend_from_slice(b"true"),
        Val::Bool(false) => buf.extend_from_slice(b"false"),
        Val::Num(n) => write_num(buf, n),
        Val::TStr(s) | Val::BStr(s) => write_str(buf, s),
        Val::Arr(items) => {
            buf.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_json(buf, item);
            }
            buf.push(b']');
        }
        Val::Obj(entries) => {
            buf.push(b'{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                match key {
                    Val::TStr(s) | Val::BStr(s) => write_str(buf, s),
                    other => write_str(buf, to_json_string(other).as_bytes()),
                }
                buf.push(b':');
                write_json(buf, value);
            }
            buf.push(b'}');
        }
    }
}

/// A JSON string as jq escapes it: `"` `\` and the control characters
/// (`\b \f \n \r \t`, else `\u00XX`, and DEL as `\u007f`); everything else,
/// `/` and non-ASCII included, as it is.
fn write_str(buf: &mut Vec<u8>, bytes: &[u8]) {
    let text = jq_text(bytes);
    buf.push(b'"');
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escape: &[u8] = match c {
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\n' => b"\\n",
            '\t' => b"\\t",
            '\r' => b"\\r",
            '\u{8}' => b"\\b",
            '\u{c}' => b"\\f",
            '\u{0}'..='\u{1f}' | '\u{7f}' => b"",
            _ => continue,
        };
        buf.extend_from_slice(&text.as_bytes()[plain..i]);
        if escape.is_empty() {
            buf.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
        } else {
            buf.extend_from_slice(escape);
        }
        plain = i + c.len_utf8();
    }
    buf.extend_from_slice(&text.as_bytes()[plain..]);
    buf.push(b'"');
}

/// Numbers are doubles in jq: integers up to 2^53 print as they are,
/// anything else as jq prints a double.
fn write_num(buf: &mut Vec<u8>, n: &Num) {
    const EXACT: usize = 1 << 53;
    match n {
        Num::Int(i) if i.unsigned_abs() <= EXACT => buf.extend_from_slice(i.to_string().as_bytes()),
        other => write_f64(buf, num_f64(other)),
    }
}

/// jq's `jvp_dtoa_fmt`: the shortest digits that read back as the same
/// double, in positional notation unless the exponent is below -4 or the
/// number would need more than 15 padding zeros (`1e+17`, `1e-05`); NaN as
/// `null` and the infinities as the largest finite doubles.
pub fn write_f64(buf: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        buf.extend_from_slice(b"null");
        return;
    }
    let x = x.clamp(-f64::MAX, f64::MAX);
    if x.is_sign_negative() {
        buf.push(b'-');
    }
    if x == 0.0 {
        buf.push(b'0');
        return;
    }
    // `{:e}` gives the shortest round-trip digits: `1.2345e-7`, `1e17`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(|b| *b != b'.').collect();
    let decpt = exponent.parse::<i32>().unwrap_or(0) + 1;
    let n = digits.len() as i32;
    if decpt <= -4 || decpt > n + 15 {
        buf.push(digits[0]);
        if n > 1 {
            buf.push(b'.');
            buf.extend_from_slice(&digits[1..]);
        }
        let e = decpt - 1;
        let sign = if e < 0 { '-' } else { '+' };
        buf.extend_from_slice(format!("e{sign}{:02}", e.abs()).as_bytes());
    } else if decpt <= 0 {
        buf.extend_from_slice(b"0.");
        buf.extend(std::iter::repeat_n(b'0', (-decpt) as usize));
        buf.extend_from_slice(&digits);
    } else if n <= decpt {
        buf.extend_from_slice(&digits);
        buf.extend(std::iter::repeat_n(b'0', (decpt - n) as usize));
    } else {
        buf.extend_from_slice(&digits[..decpt as usize]);
        buf.push(b'.');
        buf.extend_from_slice(&digits[decpt as usize..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::jq::testing::{c, jq};

    #[test]
    fn numbers_print_as_jq_prints_doubles() {
        let cases = [
            ("1.0", "1"),
            ("1.5", "1.5"),
            ("1e17", "1e+17"),
            ("1e16", "1e+16"),
            ("123e15", "123000000000000000"),
            ("1e15", "1000000000000000"),
            ("0.00001", "1e-05"),
            ("0.0001", "0.0001"),
            ("1e300", "1e+300"),
            ("5e-324", "5e-324"),
            ("1e1000", "1.7976931348623157e+308"),
            ("-1e1000", "-1.7976931348623157e+308"),
            ("100000000000000000000", "1e+20"),
            ("12345678901234567", "12345678901234568"),
            ("9007199254740993", "9007199254740992"),
            ("9007199254740992", "9007199254740992"),
            ("4294967295", "4294967295"),
            ("-17", "-17"),
            ("123456789.123", "123456789.123"),
        ];
        for (input, printed) in cases {
            assert_eq!(c(".", input), format!("{printed}\n"), "{input}");
        }
        assert_eq!(
            c(
                "0.1 + 0.2, 1 / 3, 10 / 4, 100 / 10, .pid * 1.0, .pid / 3",
                r#"{"pid":100}"#
            ),
            "0.30000000000000004\n0.3333333333333333\n2.5\n10\n100\n33.333333333333336\n"
        );
        assert_eq!(
            c("nan, infinite, -infinite, ([nan] | tojson)", "null"),
            "null\n1.7976931348623157e+308\n-1.7976931348623157e+308\n\"[null]\"\n"
        );
        assert_eq!(
            c(r#""\(1.0) \([1.5, 2.0]) \(1e17)""#, "null"),
            "\"1 [1.5,2] 1e+17\"\n"
        );
        assert_eq!(c("1.0 | tostring, tojson", "null"), "\"1\"\n\"1\"\n");
        assert_eq!(c("-0, -(.a)", r#"{"a":0}"#), "-0\n-0\n");
    }

    #[test]
    fn strings_escape_as_jq_escapes_them() {
        let input = r#""\u007f\u0001\u001b\b\f\n\r\t\"\\/é😀\u2028""#;
        assert_eq!(
            c(".", input),
            "\"\\u007f\\u0001\\u001b\\b\\f\\n\\r\\t\\\"\\\\/é😀\u{2028}\"\n"
        );
        assert_eq!(
            jq(".", input, true).0,
            "\u{7f}\u{1}\u{1b}\u{8}\u{c}\n\r\t\"\\/é😀\u{2028}\n"
        );
        assert_eq!(c("length", input), "14\n");
    }

    #[test]
    fn writes_doubles_like_jvp_dtoa_fmt() {
        let f = |x: f64| {
            let mut buf = Vec::new();
            write_f64(&mut buf, x);
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(f(0.0), "0");
        assert_eq!(f(f64::NAN), "null");
        assert_eq!(f(1.0e-4), "0.0001");
        assert_eq!(f(1.5e-5), "1.5e-05");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(2.0f64.powi(60)), "1152921504606847000");
        assert_eq!(f(2.0f64.powi(70)), "1180591620717411300000");
        assert_eq!(f(2.0f64.powi(110)), "1.298074214633707e+33");
        assert_eq!(f(-123.456), "-123.456");
    }
}

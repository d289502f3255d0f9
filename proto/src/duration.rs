//! Go's `time.Duration` as text: the flag syntax upstream tetra accepts
//! (`1h30m`, `1.5s`, `300ms`, `-2m`) and the canonical form it sends on the
//! wire (`1h30m0s`), which the daemon parses back with Go's rules.

use std::fmt;

/// A signed span in nanoseconds, as Go's `time.Duration` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoDuration(pub i64);

const NANOS_PER: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),  // micro sign
    ("\u{3bc}s", 1_000), // Greek small letter mu
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("h", 3600 * 1_000_000_000),
];

/// Parses a sequence of decimal numbers, each with an optional fraction and
/// a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), with an optional sign;
/// a bare `0` needs no unit.
pub fn parse(text: &str) -> Result<GoDuration, String> {
    let invalid = || format!("invalid duration \"{text}\"");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(GoDuration(0));
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (int_digits, after) = rest.split_at(int_len);
        let (frac_digits, after) = match after.strip_prefix('.') {
            Some(f) => f.split_at(f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len())),
            None => ("", after),
        };
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(invalid());
        }
        let unit_len = after
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let Some(&(_, per)) = NANOS_PER.iter().find(|(name, _)| *name == unit) else {
            return Err(if unit.is_empty() {
                format!("missing unit in duration \"{text}\"")
            } else {
                format!("unknown unit \"{unit}\" in duration \"{text}\"")
            });
        };
        let per = u128::from(per);
        let whole: u128 = if int_digits.is_empty() {
            0
        } else {
            int_digits.parse().map_err(|_| invalid())?
        };
        // Digits past nanosecond precision cannot change the result.
        let frac_digits = &frac_digits[..frac_digits.len().min(30)];
        let frac = if frac_digits.is_empty() {
            0
        } else {
            let scale = 10u128.pow(frac_digits.len() as u32);
            frac_digits.parse::<u128>().map_err(|_| invalid())? * per / scale
        };
        total = whole
            .checked_mul(per)
            .and_then(|n| n.checked_add(frac))
            .and_then(|n| n.checked_add(total))
            .ok_or_else(invalid)?;
        rest = after;
    }
    let limit = if negative {
        1u128 << 63
    } else {
        (1u128 << 63) - 1
    };
    if total > limit {
        return Err(invalid());
    }
    let nanos = total as i128;
    Ok(GoDuration(if negative { -nanos } else { nanos } as i64))
}

/// `v` split at `prec` decimal digits: the integer part and the fraction
/// as `.ddd` without trailing zeros (empty when the fraction is zero).
fn split_fraction(v: u64, prec: u32) -> (u64, String) {
    let scale = 10u64.pow(prec);
    let frac = v % scale;
    if frac == 0 {
        return (v / scale, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (v / scale, format!(".{}", digits.trim_end_matches('0')))
}

impl GoDuration {
    /// As a std Duration; None when negative.
    pub fn to_std(self) -> Option<std::time::Duration> {
        u64::try_from(self.0)
            .ok()
            .map(std::time::Duration::from_nanos)
    }
}

/// A non-negative Go duration as a std Duration; the error names the text
/// and what was expected.
pub fn parse_std(text: &str) -> Result<std::time::Duration, String> {
    parse(text)
        .ok()
        .and_then(GoDuration::to_std)
        .ok_or_else(|| format!("`{text}` is not a duration such as 10s, 500ms, 15m or 1h30m"))
}

/// Go's canonical form: `1h30m0s`, `1.5s`, `300ms`, `2µs`, `0s`.
impl fmt::Display for GoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let u = self.0.unsigned_abs();
        if u == 0 {
            return f.write_str("0s");
        }
        if u < 1_000 {
            return write!(f, "{sign}{u}ns");
        }
        if u < 1_000_000 {
            let (int, frac) = split_fraction(u, 3);
            return write!(f, "{sign}{int}{frac}\u{b5}s");
        }
        if u < 1_000_000_000 {
            let (int, frac) = split_fraction(u, 6);
            return write!(f, "{sign}{int}{frac}ms");
        }
        let (secs, frac) = split_fraction(u, 9);
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        f.write_str(sign)?;
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if h > 0 || m > 0 {
            write!(f, "{m}m")?;
        }
        write!(f, "{s}{frac}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        parse(text).unwrap().to_string()
    }

    #[test]
    fn formats_as_go_does() {
        for (nanos, want) in [
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1\u{b5}s"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (4 * 60 * 1_000_000_000 + 5_000_000_000, "4m5s"),
            (3600 * 1_000_000_000, "1h0m0s"),
            (-1_500_000_000, "-1.5s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
        ] {
            assert_eq!(GoDuration(nanos).to_string(), want);
        }
    }

    #[test]
    fn parses_as_go_does() {
        assert_eq!(round_trip("90m"), "1h30m0s");
        assert_eq!(round_trip("1h30m"), "1h30m0s");
        assert_eq!(round_trip("1.5h"), "1h30m0s");
        assert_eq!(round_trip("300ms"), "300ms");
        assert_eq!(round_trip("-2m"), "-2m0s");
        assert_eq!(round_trip("+10s"), "10s");
        assert_eq!(round_trip(".5s"), "500ms");
        assert_eq!(round_trip("1us"), "1\u{b5}s");
        assert_eq!(round_trip("1\u{3bc}s"), "1\u{b5}s");
        assert_eq!(round_trip("0"), "0s");
        assert_eq!(
            round_trip("2562047h47m16.854775807s"),
            "2562047h47m16.854775807s"
        );
        assert_eq!(
            parse("-2562047h47m16.854775808s").unwrap(),
            GoDuration(i64::MIN)
        );
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert_eq!(parse("10").unwrap_err(), "missing unit in duration \"10\"");
        assert_eq!(
            parse("3d").unwrap_err(),
            "unknown unit \"d\" in duration \"3d\""
        );
        for bad in ["", "-", ".s", "s", "2562047h47m16.854775808s", "1h-2m"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

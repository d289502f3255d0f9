//! Reading one setting's text into its typed value.
//!
//! Every source (flag, environment, drop-in file, tetragon.yaml) hands over
//! text; these functions turn it into the field's type or say what was
//! expected, quoting the text: "`64x` is not a size such as 65536, 64k or 2M".
//! The caller puts the source in front of that message.

use std::{path::PathBuf, str::FromStr, time::Duration};

pub type Parsed<T> = Result<T, String>;

pub fn string(s: &str) -> Parsed<String> {
    Ok(s.to_string())
}

/// Empty text means "not set".
pub fn opt_string(s: &str) -> Parsed<Option<String>> {
    Ok((!s.is_empty()).then(|| s.to_string()))
}

pub fn path(s: &str) -> Parsed<PathBuf> {
    Ok(PathBuf::from(s))
}

/// Empty text means "not set".
pub fn opt_path(s: &str) -> Parsed<Option<PathBuf>> {
    Ok((!s.is_empty()).then(|| PathBuf::from(s)))
}

/// The spellings Go's strconv.ParseBool accepts, which upstream's settings
/// files rely on: `true`, `false`, `1`, `0`, `t`, `f` and their capitals.
pub fn boolean(s: &str) -> Parsed<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!("`{s}` is not a boolean such as true or false")),
    }
}

/// A whole number that may be negative.
pub fn int<T: FromStr>(s: &str) -> Parsed<T> {
    s.parse()
        .map_err(|_| format!("`{s}` is not a whole number such as 10 or -1"))
}

/// A whole number that is zero or more.
pub fn count<T: FromStr>(s: &str) -> Parsed<T> {
    s.parse()
        .map_err(|_| format!("`{s}` is not a whole number such as 0 or 10000"))
}

/// `65535`, `64k`, `2M`, `1G`: a size in bytes.
pub fn parse_size(s: &str) -> Parsed<u64> {
    let err = || format!("`{s}` is not a size such as 65536, 64k or 2M");
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits.parse().map_err(|_| err())?;
    let mult: u64 = match unit.to_ascii_lowercase().as_str() {
        "" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(err()),
    };
    n.checked_mul(mult).ok_or_else(err)
}

/// `600` or `0640`: an octal file mode.
pub fn parse_perm(s: &str) -> Parsed<u32> {
    u32::from_str_radix(s, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(|| format!("`{s}` is not an octal file mode such as 600"))
}

/// Go-style durations as the documents write them: `90s`, `15m`, `1h30m`,
/// `500ms`, `0`.
pub fn parse_duration(s: &str) -> Parsed<Duration> {
    tetragon_api::duration::parse_std(s)
}

/// A duration where zero means "off".
pub fn opt_duration(s: &str) -> Parsed<Option<Duration>> {
    parse_duration(s).map(|d| (!d.is_zero()).then_some(d))
}

/// Upstream takes these as a number of seconds; a duration such as `2s`
/// is accepted too.
pub fn seconds(s: &str) -> Parsed<Duration> {
    match s.parse::<u64>() {
        Ok(n) => Ok(Duration::from_secs(n)),
        Err(_) => {
            parse_duration(s).map_err(|_| format!("`{s}` is not a number of seconds such as 10"))
        }
    }
}

/// A comma-separated list; blanks around items and empty items dropped.
pub fn list(s: &str) -> Parsed<Vec<String>> {
    Ok(s.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect())
}

pub fn path_list(s: &str) -> Parsed<Vec<PathBuf>> {
    list(s).map(|items| items.into_iter().map(PathBuf::from).collect())
}

/// The levels the documents name; `warning` as an alias of `warn`.
pub fn log_level(s: &str) -> Parsed<String> {
    const LEVELS: [&str; 8] = [
        "trace", "debug", "info", "warn", "warning", "error", "fatal", "panic",
    ];
    if LEVELS.contains(&s.to_ascii_lowercase().as_str()) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not a log level: trace, debug, info, warn, error, fatal or panic"
        ))
    }
}

pub fn log_format(s: &str) -> Parsed<String> {
    match s {
        "text" | "json" => Ok(s.to_string()),
        _ => Err(format!("`{s}` is not a log format: text or json")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse_duration("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("10").unwrap_err().contains("`10`"));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    #[test]
    fn zero_duration_means_off() {
        assert_eq!(opt_duration("0s"), Ok(None));
        assert_eq!(opt_duration("1m"), Ok(Some(Duration::from_secs(60))));
    }

    #[test]
    fn seconds_take_plain_numbers_or_durations() {
        assert_eq!(seconds("10"), Ok(Duration::from_secs(10)));
        assert_eq!(seconds("2s"), Ok(Duration::from_secs(2)));
        assert!(seconds("soon").unwrap_err().contains("`soon`"));
    }

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("65535"), Ok(65535));
        assert_eq!(parse_size("64k"), Ok(65536));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("2M"), Ok(2 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(
            parse_size("64x"),
            Err("`64x` is not a size such as 65536, 64k or 2M".to_string())
        );
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn parses_octal_modes() {
        assert_eq!(parse_perm("600"), Ok(0o600));
        assert_eq!(parse_perm("0640"), Ok(0o640));
        assert!(parse_perm("9").unwrap_err().contains("`9`"));
        assert!(parse_perm("17777").is_err());
    }

    #[test]
    fn parses_booleans_as_go_does() {
        for t in ["1", "t", "T", "true", "TRUE", "True"] {
            assert_eq!(boolean(t), Ok(true), "{t}");
        }
        for f in ["0", "f", "F", "false", "FALSE", "False"] {
            assert_eq!(boolean(f), Ok(false), "{f}");
        }
        assert!(boolean("yes").unwrap_err().contains("`yes`"));
    }

    #[test]
    fn parses_numbers() {
        assert_eq!(int::<i64>("-1"), Ok(-1));
        assert!(int::<i64>("ten").unwrap_err().contains("`ten`"));
        assert_eq!(count::<usize>("10000"), Ok(10000));
        assert!(count::<usize>("-1").unwrap_err().contains("`-1`"));
    }

    #[test]
    fn parses_lists() {
        assert_eq!(
            list(" a, b,,c "),
            Ok(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(list(""), Ok(vec![]));
    }

    #[test]
    fn checks_log_settings() {
        assert!(log_level("DEBUG").is_ok());
        assert!(log_level("loud").unwrap_err().contains("`loud`"));
        assert!(log_format("json").is_ok());
        assert!(log_format("xml").unwrap_err().contains("`xml`"));
    }
}

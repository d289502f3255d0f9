//! The event time that starts each line with `--timestamps`.

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` in UTC, nanoseconds normalised like Go's `time.Unix`.
pub(super) fn format_utc(seconds: i64, nanos: i32) -> String {
    let nanos = i64::from(nanos);
    let seconds = seconds.saturating_add(nanos.div_euclid(1_000_000_000));
    let nanos = nanos.rem_euclid(1_000_000_000);
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let year = if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    };
    format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60
    )
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::CompactEncoder;
    use crate::output::compact::fixtures::ev;
    use serde_json::json;

    #[test]
    fn timestamps() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(
            format_utc(1_713_061_094, 376_304_204),
            "2024-04-14T02:18:14.376304204Z"
        );
        assert_eq!(format_utc(951_782_400, 5), "2000-02-29T00:00:00.000000005Z");
        assert_eq!(format_utc(-1, 0), "1969-12-31T23:59:59.000000000Z");
        assert_eq!(format_utc(0, -1), "1969-12-31T23:59:59.999999999Z");
        assert_eq!(
            format_utc(253_402_300_799, 999_999_999),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            format_utc(253_402_300_800, 0),
            "10000-01-01T00:00:00.000000000Z"
        );
        assert_eq!(
            format_utc(-62_167_219_200 - 86_400, 0),
            "-0001-12-31T00:00:00.000000000Z"
        );
        // Extreme values do not panic.
        let _ = format_utc(i64::MAX, i32::MAX);
        let _ = format_utc(i64::MIN, i32::MIN);

        let enc = CompactEncoder::new(false, true, true);
        let event = ev(json!({"process_exec": {"process": {"binary": "/b"}}, "node_name": "n"}));
        assert_eq!(
            enc.encode(&event).unwrap(),
            "1970-01-01T00:00:00.000000000Z 🚀 process n /b "
        );
        let event = ev(
            json!({"process_exec": {"process": {"binary": "/b"}}, "node_name": "n",
            "time": "2024-04-14T02:18:14Z"}),
        );
        assert_eq!(
            enc.encode(&event).unwrap(),
            "2024-04-14T02:18:14.000000000Z 🚀 process n /b "
        );
    }
}

//! Formatting of cluster values for display (times, ages).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

/// (year, month, day, hour, minute, second) in UTC of a Unix time (proleptic Gregorian; Howard
/// Hinnant's `civil_from_days`). Done by hand: jiff's strftime machinery is ~20 KiB of wasm on the
/// first screen for two fixed formats.
pub fn civil_utc(unix_seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, secs / 3600, secs / 60 % 60, secs % 60)
}

/// `YYYY-MM-DD HH:MM:SS` in UTC (KubeSphere shows local time; UTC is unambiguous for SREs
/// comparing with kubectl and logs).
pub fn timestamp(time: Option<&Time>) -> Option<String> {
    let (y, mo, d, h, mi, s) = civil_utc(time?.0.as_second());
    Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC"))
}

/// `YYYY-MM-DD HH:MM` in UTC, for table cells (the full time goes in the tooltip).
pub fn short_timestamp(time: Option<&Time>) -> Option<String> {
    let (y, mo, d, h, mi, _) = civil_utc(time?.0.as_second());
    Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"))
}

/// `YYYY-MM-DD HH:MM` of an RFC 3339 UTC time as the API writes it (`2026-01-01T10:20:30Z`);
/// `None` when it is not one.
pub fn short_rfc3339(text: &str) -> Option<String> {
    let (date, time) = text.split_once('T')?;
    let minutes = time.get(..5)?;
    let digits = |s: &str, at: &[usize]| {
        at.iter()
            .all(|&i| s.as_bytes().get(i).is_some_and(u8::is_ascii_digit))
    };
    (date.len() == 10
        && digits(date, &[0, 1, 2, 3, 5, 6, 8, 9])
        && digits(minutes, &[0, 1, 3, 4])
        && text.ends_with('Z'))
    .then(|| format!("{date} {minutes}"))
}

/// Age as kubectl words it: `45s`, `12m`, `5h`, `3d` (negative clock skew reads as `0s`).
pub fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=7_199 => format!("{}m", s / 60),
        7_200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// Seconds since `time` (RFC 3339), at `now_ms` (milliseconds since the epoch).
pub fn seconds_since(time: &str, now_ms: f64) -> Option<i64> {
    let t = gateway_model::gateway_json::parse_time(time)?;
    Some((now_ms / 1000.0) as i64 - t.0.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn ages_like_kubectl() {
        assert_eq!(age(-5), "0s");
        assert_eq!(age(45), "45s");
        assert_eq!(age(119), "119s");
        assert_eq!(age(120), "2m");
        assert_eq!(age(7_199), "119m");
        assert_eq!(age(7_200), "2h");
        assert_eq!(age(200_000), "2d");
        assert_eq!(
            seconds_since("2026-01-01T00:00:00Z", 1_767_225_660_000.0),
            Some(60)
        );
        assert_eq!(seconds_since("<b>", 0.0), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn short_rfc3339_cuts_to_minutes() {
        assert_eq!(
            short_rfc3339("2026-01-01T10:20:30Z").as_deref(),
            Some("2026-01-01 10:20")
        );
        assert_eq!(
            short_rfc3339("2026-01-01T10:20:30.5Z").as_deref(),
            Some("2026-01-01 10:20")
        );
        assert_eq!(short_rfc3339("<b>x</b>"), None);
        assert_eq!(short_rfc3339("2026-01-01T10:20:30+02:00"), None);
        assert_eq!(short_rfc3339(""), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn timestamps() {
        let t: Time = serde_json::from_str("\"2026-11-23T08:05:09Z\"").unwrap();
        assert_eq!(
            timestamp(Some(&t)).as_deref(),
            Some("2026-11-23 08:05:09 UTC")
        );
        assert_eq!(timestamp(None), None);
        assert_eq!(
            short_timestamp(Some(&t)).as_deref(),
            Some("2026-11-23 08:05")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn civil_dates_match_jiff_across_eras_and_leap_days() {
        for secs in [
            0i64,
            -1,
            951_782_400, // 2000-02-29
            4_107_542_399,
            1_700_000_000,
            -62_135_596_800, // 0001-01-01
            253_402_207_200, // the end of jiff's range (9999-12-30)
        ]
        .into_iter()
        .chain((0..2000).map(|i| i * 7_919_999 - 5_000_000_000))
        {
            let ts = jiff::Timestamp::from_second(secs).unwrap();
            let expected = ts.strftime("%Y %m %d %H %M %S").to_string();
            let (y, mo, d, h, mi, s) = civil_utc(secs);
            assert_eq!(
                format!("{y:04} {mo:02} {d:02} {h:02} {mi:02} {s:02}"),
                expected,
                "{secs}"
            );
        }
    }
}

//! Timestamps of the kubelet log API: a small, total RFC 3339 parser to nanoseconds since the
//! Unix epoch, and the formatting the viewer shows (UTC or a fixed local offset).
//!
//! Accepted: `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)` (`t`/`z`/space separator also accepted,
//! fractions of 1–9 digits; more digits are truncated to nanoseconds). Anything else is `None`.
//! No clock is read here: the browser's "now" is passed in by the caller.

/// Nanoseconds per second.
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Reads exactly `n` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    s.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Parses an RFC 3339 timestamp into nanoseconds since the Unix epoch (`None` on anything else,
/// including out-of-range dates such as `2023-02-30` and values outside `i64` nanoseconds,
/// roughly years 1678–2261). Leap seconds (`:60`) are folded onto `:59.999999999`.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = i64::from(year);
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..9 {
            nanos *= 10;
        }
    }
    let offset_seconds: i64 = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = digits(b, i + 1, 2)?;
            let om = digits(b, i + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let (second, nanos) = if second == 60 {
        (59, NANOS_PER_SECOND - 1)
    } else {
        (second, nanos)
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_seconds;
    secs.checked_mul(NANOS_PER_SECOND)?.checked_add(nanos)
}

/// Floors nanoseconds to whole seconds (towards minus infinity).
pub fn floor_seconds(nanos: i64) -> i64 {
    nanos.div_euclid(NANOS_PER_SECOND)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of whole seconds since the epoch (the `sinceTime` form).
pub fn format_rfc3339_seconds(seconds: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

fn civil(seconds: i64) -> (i64, u32, u32, i64, i64, i64) {
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// How the viewer shows a line's kubelet timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimestampDisplay {
    /// No timestamp column.
    #[default]
    Off,
    /// `2022-09-05T10:15:32.123Z`.
    Utc,
    /// `2022-09-05 10:15:32.123` at a fixed offset east of UTC, in minutes (the browser's
    /// current offset, i.e. `-Date.getTimezoneOffset()`; lines across a DST change keep it).
    Local {
        /// Minutes east of UTC.
        offset_minutes: i32,
    },
}

impl TimestampDisplay {
    /// The text shown for a timestamp (millisecond precision); `None` when off.
    pub fn format(self, nanos: i64) -> Option<String> {
        let (nanos, utc) = match self {
            TimestampDisplay::Off => return None,
            TimestampDisplay::Utc => (nanos, true),
            TimestampDisplay::Local { offset_minutes } => (
                nanos.saturating_add(
                    i64::from(offset_minutes).saturating_mul(60 * NANOS_PER_SECOND),
                ),
                false,
            ),
        };
        let secs = floor_seconds(nanos);
        let millis = nanos.rem_euclid(NANOS_PER_SECOND) / 1_000_000;
        let (y, mo, d, h, mi, s) = civil(secs);
        Some(if utc {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{millis:03}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{millis:03}")
        })
    }

    /// The width in characters of [`TimestampDisplay::format`]'s text (0 when off), for layout.
    pub fn width(self) -> usize {
        match self {
            TimestampDisplay::Off => 0,
            TimestampDisplay::Utc => 24,
            TimestampDisplay::Local { .. } => 23,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const S: i64 = NANOS_PER_SECOND;

    #[test]
    fn parses_kubelet_timestamps() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2022-09-05T10:15:32.123456789Z"),
            Some(1_662_372_932 * S + 123_456_789)
        );
        assert_eq!(
            parse_rfc3339("2022-09-05T10:15:32.1Z"),
            Some(1_662_372_932 * S + 100_000_000)
        );
        assert_eq!(
            parse_rfc3339("2022-09-05T12:15:32+02:00"),
            Some(1_662_372_932 * S)
        );
        assert_eq!(
            parse_rfc3339("2022-09-05T08:15:32-02:00"),
            Some(1_662_372_932 * S)
        );
        // more than 9 digits are truncated
        assert_eq!(
            parse_rfc3339("2022-09-05T10:15:32.1234567891Z"),
            Some(1_662_372_932 * S + 123_456_789)
        );
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59.5Z"), Some(-S / 2));
        assert_eq!(
            parse_rfc3339("2024-02-29T00:00:00Z"),
            Some(1_709_164_800 * S)
        );
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            Some(1_483_228_800 * S - 1)
        );
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "2022-09-05",
            "2022-09-05T10:15:32",
            "2022-09-05T10:15:32.Z",
            "2022-09-05T10:15:32Zx",
            "2022-09-05T10:15:32+0200",
            "2022-09-05T10:15:32+24:00",
            "2023-02-29T10:15:32Z",
            "2022-13-05T10:15:32Z",
            "2022-09-00T10:15:32Z",
            "2022-09-05T24:00:00Z",
            "2022-09-05T10:60:00Z",
            "2022-09-05T10:15:61Z",
            "2022/09/05T10:15:32Z",
            "+022-09-05T10:15:32Z",
            "2022-09-05T10:15:32.12é",
            "9999-12-31T23:59:59Z",
            "2022-09-05T10:15:32.123 I0905",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(
            format_rfc3339_seconds(1_662_372_932),
            "2022-09-05T10:15:32Z"
        );
        assert_eq!(format_rfc3339_seconds(-1), "1969-12-31T23:59:59Z");
        assert_eq!(floor_seconds(-1), -1);
        let t = 1_662_372_932 * S + 123_456_789;
        assert_eq!(
            TimestampDisplay::Utc.format(t).unwrap(),
            "2022-09-05T10:15:32.123Z"
        );
        assert_eq!(
            TimestampDisplay::Local {
                offset_minutes: 480
            }
            .format(t)
            .unwrap(),
            "2022-09-05 18:15:32.123"
        );
        assert_eq!(TimestampDisplay::Off.format(t), None);
        assert_eq!(
            TimestampDisplay::Utc.format(t).unwrap().len(),
            TimestampDisplay::Utc.width()
        );
        let _ = TimestampDisplay::Utc.format(i64::MIN);
        let _ = TimestampDisplay::Local {
            offset_minutes: i32::MAX,
        }
        .format(i64::MAX);
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = parse_rfc3339(&s);
        }

        #[test]
        fn round_trips_seconds(secs in -5_000_000_000i64..5_000_000_000) {
            let text = format_rfc3339_seconds(secs);
            prop_assert_eq!(parse_rfc3339(&text), Some(secs * S));
        }

        #[test]
        fn timestamp_like_noise_never_panics(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|[+-][0-9]{2}:[0-9]{2}|.{0,3})") {
            let _ = parse_rfc3339(&s);
        }
    }
}

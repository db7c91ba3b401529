//! The report's window in UTC, on `chrono`'s calendar: the dates and times
//! a report shows, the start of today (for `/stats`), and `--since`.
//!
//! Times are Unix seconds, as the log stores them. A time outside the
//! calendar's range (±262,000 years: only a forged row) is shown as the
//! range's first or last instant, never as a panic.

use chrono::{DateTime, NaiveDate, Utc};

/// The longest `--since` duration: 100 years.
pub const MAX_SINCE_DAYS: i64 = 36_500;

/// A `--since` that names no window.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SinceError {
    #[error(
        "--since {text:?} is an empty window: a duration must be positive, e.g. 1d, 12h or 30m"
    )]
    Zero { text: String },
    #[error(
        "--since {text:?} reaches back more than {MAX_SINCE_DAYS} days: give a shorter duration, or a date such as 2026-11-01"
    )]
    TooFar { text: String },
    #[error("--since {text:?} is not a day of the calendar: give a date such as 2026-11-01")]
    NoSuchDate { text: String },
    #[error("--since {text:?} is not a duration or a date: use e.g. 7d, 12h, 30m or 2026-11-01")]
    Unreadable { text: String },
}

/// The instant of `unix`, clamped to the calendar's range.
fn utc(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or(if unix < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// The UTC day of a Unix time; shown as `YYYY-MM-DD`.
pub fn day(unix: i64) -> NaiveDate {
    utc(unix).date_naive()
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
pub fn date_time(unix: i64) -> String {
    let at = utc(unix);
    format!("{}T{}Z", at.date_naive(), at.time())
}

/// The Unix time of the start of `unix`'s UTC day: "today" for `/stats`.
pub fn start_of_day(unix: i64) -> i64 {
    day(unix)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp()
}

/// Parses a `--since` value: `7d`, `12h`, `30m` (positive, at most
/// [`MAX_SINCE_DAYS`] days), or a UTC date `YYYY-MM-DD`; the Unix time it
/// names, given `now`. `0d` is refused: it names an empty window.
pub fn parse_since(text: &str, now: i64) -> Result<i64, SinceError> {
    let text = text.trim();
    let owned = || text.to_owned();
    for (suffix, secs) in [('d', 86_400), ('h', 3600), ('m', 60)] {
        let Some(n) = text.strip_suffix(suffix) else {
            continue;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        return match n.parse::<i64>() {
            Ok(0) => Err(SinceError::Zero { text: owned() }),
            Ok(n) if n <= MAX_SINCE_DAYS * 86_400 / secs => Ok(now - n * secs),
            _ => Err(SinceError::TooFar { text: owned() }),
        };
    }
    let parts: Vec<&str> = text.split('-').collect();
    if let [y, m, d] = parts[..]
        && [(y, 4), (m, 2), (d, 2)]
            .iter()
            .all(|(part, len)| part.len() == *len && part.bytes().all(|b| b.is_ascii_digit()))
    {
        let date = match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        };
        return date
            .map(|date| date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
            .ok_or(SinceError::NoSuchDate { text: owned() });
    }
    Err(SinceError::Unreadable { text: owned() })
}

/// Every SinceError is the user's to fix: a `--since` they typed.
impl crate::errors::UserError for SinceError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_days() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_910_399, "2026-11-28T23:59:59Z"),
            (1_795_910_400, "2026-11-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (unix, expected) in cases {
            assert_eq!(date_time(unix), expected, "{unix}");
            assert_eq!(day(unix).to_string(), expected[..10], "{unix}");
        }
        let midnight = 1_795_910_400;
        for unix in [midnight, midnight + 1, midnight + 86_399] {
            assert_eq!(start_of_day(unix), midnight, "{unix}");
        }
        assert_eq!(start_of_day(-1), -86_400);
        // A forged row out of the calendar's range is shown, not a panic.
        assert!(date_time(i64::MAX).ends_with('Z'));
        assert!(day(i64::MIN).to_string().starts_with('-'));
    }

    #[test]
    fn since_is_a_positive_duration_or_a_date_and_each_refusal_says_why() {
        let now = 1_795_910_400 + 3600;
        let zero = |t: &str| Err(SinceError::Zero { text: t.into() });
        let too_far = |t: &str| Err(SinceError::TooFar { text: t.into() });
        let no_date = |t: &str| Err(SinceError::NoSuchDate { text: t.into() });
        let unreadable = |t: &str| Err(SinceError::Unreadable { text: t.into() });
        let cases: [(&str, Result<i64, SinceError>); 17] = [
            ("7d", Ok(now - 7 * 86_400)),
            ("12h", Ok(now - 12 * 3600)),
            ("30m", Ok(now - 1800)),
            (" 1d ", Ok(now - 86_400)),
            ("36500d", Ok(now - 36_500 * 86_400)),
            ("2026-11-01", Ok(1_795_910_400 - 28 * 86_400)),
            ("2024-02-29", Ok(1_709_164_800)),
            ("0d", zero("0d")),
            ("00h", zero("00h")),
            ("36501d", too_far("36501d")),
            ("99999999999999999999m", too_far("99999999999999999999m")),
            ("2026-02-30", no_date("2026-02-30")),
            ("2026-13-01", no_date("2026-13-01")),
            ("-3d", unreadable("-3d")),
            ("2026-1-05", unreadable("2026-1-05")),
            ("yesterday", unreadable("yesterday")),
            ("", unreadable("")),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_since(text, now), expected, "{text:?}");
        }
        let message = parse_since("0d", now).unwrap_err().to_string();
        assert!(message.contains("must be positive, e.g. 1d"), "{message}");
    }
}

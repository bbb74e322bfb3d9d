//! Dates and times for `Date*` operators, read as instants.
//!
//! AWS takes "one of the W3C implementations of the ISO 8601 date formats"
//! or epoch (UNIX) time. Accepted here:
//! - `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (the start of that year, month or day, UTC);
//! - `YYYY-MM-DDThh:mm`, `…:ss` and `…:ss.fraction` (up to nanoseconds), followed
//!   by `Z`, `±hh:mm`, `±hhmm`, `±hh` or nothing (read as UTC);
//! - epoch seconds: digits with an optional sign and fraction (`1577836800`,
//!   `1577836800.5`). A bare four-digit value is read as a year (`2020`),
//!   following the W3C profile, not as 2020 seconds after the epoch.
//!
//! Instants are nanoseconds since 1970-01-01T00:00:00Z.

/// An instant: nanoseconds since the UNIX epoch.
pub(crate) type Instant = i128;

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Parses `text` as an ISO 8601 date/time or epoch seconds.
pub(crate) fn parse_date(text: &str) -> Option<Instant> {
    let bytes = text.as_bytes();
    let is_year_only = bytes.len() == 4 && bytes.iter().all(u8::is_ascii_digit);
    if !is_year_only {
        if let Some(instant) = parse_epoch(text) {
            return Some(instant);
        }
    }
    parse_iso(text)
}

/// Whether `text` is a form AWS does not say how it reads: a date and time
/// without a time zone (read here as UTC), or a bare four-digit number
/// (read here as a year, not as epoch seconds).
pub(crate) fn is_undocumented_form(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() == 4 && bytes.iter().all(u8::is_ascii_digit) {
        return true;
    }
    match text.split_once('T') {
        Some((_, time)) => !time.contains(['Z', 'z', '+', '-']),
        None => false,
    }
}

/// `instant` as `YYYY-MM-DDThh:mm:ssZ`, when it is a whole second between
/// the years 0 and 9999.
pub(crate) fn format_utc(instant: Instant) -> Option<String> {
    if instant % NANOS_PER_SECOND != 0 {
        return None;
    }
    let seconds = i64::try_from(instant / NANOS_PER_SECOND).ok()?;
    let (days, time) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (hour, minute, second) = (time / 3600, time / 60 % 60, time % 60);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

/// The proleptic Gregorian date `days` after 1970-01-01 (the inverse of
/// [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let m = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * m + 2) / 5 + 1;
    let month = if m < 10 { m + 3 } else { m - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Digits (at most 15, so any sane date fits) with optional sign and fraction.
fn parse_epoch(text: &str) -> Option<Instant> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if whole.is_empty() || whole.len() > 15 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds: i128 = whole.parse().ok()?;
    let nanos = match fraction {
        Some(f) => parse_fraction(f)?,
        None => 0,
    };
    let magnitude = seconds * NANOS_PER_SECOND + nanos;
    Some(if negative { -magnitude } else { magnitude })
}

/// A fraction of a second, `1` to any number of digits; digits beyond
/// nanoseconds are dropped.
fn parse_fraction(digits: &str) -> Option<i128> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos: i128 = 0;
    let mut scale = NANOS_PER_SECOND;
    for b in digits.bytes().take(9) {
        scale /= 10;
        nanos += i128::from(b - b'0') * scale;
    }
    Some(nanos)
}

/// Reads exactly `n` ASCII digits from the front of `text`.
fn take_digits(text: &str, n: usize) -> Option<(u32, &str)> {
    let digits = text.get(..n)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits.parse().ok()?;
    Some((value, text.get(n..)?))
}

fn parse_iso(text: &str) -> Option<Instant> {
    let (year, rest) = take_digits(text, 4)?;
    let (month, rest) = match rest.strip_prefix('-') {
        Some(r) => take_digits(r, 2)?,
        None if rest.is_empty() => (1, rest),
        None => return None,
    };
    let (day, rest) = match rest.strip_prefix('-') {
        Some(r) => take_digits(r, 2)?,
        None if rest.is_empty() => (1, rest),
        None => return None,
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let mut seconds = i128::from(days) * 86_400;
    let mut nanos = 0;
    if !rest.is_empty() {
        let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
        let (hour, r) = take_digits(time, 2)?;
        let (minute, r) = take_digits(r.strip_prefix(':')?, 2)?;
        let (second, r) = match r.strip_prefix(':') {
            Some(s) => take_digits(s, 2)?,
            None => (0, r),
        };
        let r = match r.strip_prefix('.') {
            Some(f) => {
                let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
                nanos = parse_fraction(f.get(..end)?)?;
                f.get(end..)?
            }
            None => r,
        };
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let offset = parse_offset(r)?;
        seconds += i128::from(hour * 3600 + minute * 60 + second) - i128::from(offset);
    }
    Some(seconds * NANOS_PER_SECOND + nanos)
}

/// A time-zone designator, as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i64> {
    if text.is_empty() || text == "Z" || text == "z" {
        return Some(0);
    }
    let (sign, rest) = match text.strip_prefix('+') {
        Some(r) => (1, r),
        None => (-1, text.strip_prefix('-')?),
    };
    let (hours, r) = take_digits(rest, 2)?;
    let minutes_text = r.strip_prefix(':').unwrap_or(r);
    let (minutes, r) = if minutes_text.is_empty() && r.is_empty() {
        (0, "")
    } else {
        take_digits(minutes_text, 2)?
    };
    if !r.is_empty() || hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * i64::from(hours * 3600 + minutes * 60))
}

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Count from 0000-03-01 so the leap day falls at the end of the year.
    let (y, m) = if month <= 2 {
        (year - 1, i64::from(month) + 9)
    } else {
        (year, i64::from(month) - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let day_of_year = (153 * m + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undocumented_forms() {
        for text in ["2020", "2020-01-01T00:00:00", "2020-01-01T10:00"] {
            assert!(is_undocumented_form(text), "{text}");
        }
        for text in [
            "2020-01-01",
            "2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00+02:00",
            "2020-01-01T00:00:00-0500",
            "1577836800",
        ] {
            assert!(!is_undocumented_form(text), "{text}");
        }
    }

    fn secs(text: &str) -> Option<i128> {
        parse_date(text).map(|n| n / NANOS_PER_SECOND)
    }

    #[test]
    fn iso_forms() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(secs("2020-01-01"), Some(1_577_836_800));
        assert_eq!(secs("2020-01-01T00:00:00Z"), Some(1_577_836_800));
        assert_eq!(secs("2020-01-01T00:00Z"), Some(1_577_836_800));
        assert_eq!(secs("2020-01-01T00:00:00"), Some(1_577_836_800));
        assert_eq!(secs("2020"), Some(1_577_836_800));
        assert_eq!(secs("2020-01"), Some(1_577_836_800));
        assert_eq!(secs("2020-03-01"), Some(1_583_020_800));
        assert_eq!(secs("2020-02-29T12:00:00Z"), Some(1_582_977_600));
        assert_eq!(secs("2020-01-01T01:00:00+01:00"), Some(1_577_836_800));
        assert_eq!(secs("2019-12-31T19:00:00-05:00"), Some(1_577_836_800));
        assert_eq!(secs("2019-12-31T19:00:00-0500"), Some(1_577_836_800));
        assert_eq!(secs("2019-12-31T19:00:00-05"), Some(1_577_836_800));
        assert_eq!(secs("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(secs("2000-02-29"), Some(951_782_400));
    }

    #[test]
    fn fractional_seconds() {
        assert_eq!(
            parse_date("2020-01-01T00:00:00.5Z"),
            Some(1_577_836_800 * NANOS_PER_SECOND + 500_000_000)
        );
        assert_eq!(
            parse_date("2020-01-01T00:00:00.123456789123Z"),
            Some(1_577_836_800 * NANOS_PER_SECOND + 123_456_789)
        );
        assert_eq!(parse_date("1.25"), Some(1_250_000_000));
    }

    #[test]
    fn formats_instants() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2020-02-29T12:34:56Z",
            "1969-12-31T23:59:59Z",
            "2000-03-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(format_utc(parse_date(text).unwrap()).as_deref(), Some(text));
        }
        assert_eq!(
            format_utc(parse_date("1672531200").unwrap()).as_deref(),
            Some("2023-01-01T00:00:00Z")
        );
        assert_eq!(format_utc(parse_date("1.5").unwrap()), None);
        assert_eq!(format_utc(parse_date("999999999999999").unwrap()), None);
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(secs("1577836800"), Some(1_577_836_800));
        assert_eq!(secs("0"), Some(0));
        assert_eq!(secs("-86400"), Some(-86_400));
        assert_eq!(secs("123"), Some(123));
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "",
            "abc",
            "2020-13-01",
            "2020-00-10",
            "2019-02-29",
            "2020-04-31",
            "2020-01-01T",
            "2020-01-01T24:00:00Z",
            "2020-01-01T10:60Z",
            "2020-01-01T10:00:61Z",
            "2020-1-1",
            "2020-01-01 00:00:00",
            "2020-01-01T00:00:00+25:00",
            "2020-01-01T00:00:00.Z",
            "2020-01-01T00:00:00ZZ",
            "1234567890123456",
            "1.",
            "12a",
            "2020-01-01T00",
            "202O",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}

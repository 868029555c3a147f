//! `time.ParseInLocation`: reads text through a reference-time layout as Go
//! does — element by element, case-insensitive names, any one- or two-digit
//! day, zone names and offsets matched against the given location — and
//! fails with Go's `parsing time "..." as "...": cannot parse ...` messages.
//!
//! This module must not format.

use super::layout::{Element, next_chunk};
use super::{DAY_NAMES, GoTime, MONTH_NAMES, Zone, days_in_month, quote};

/// Why a parse failed, as Go's `*time.ParseError` prints.
fn cannot_parse(layout: &str, value: &str, value_elem: &str, layout_elem: &str) -> String {
    format!(
        "parsing time {} as {}: cannot parse {} as {}",
        quote(value),
        quote(layout),
        quote(value_elem),
        quote(layout_elem)
    )
}

fn with_message(value: &str, message: &str) -> String {
    format!("parsing time {}{}", quote(value), message)
}

/// Fields read so far (Go's `parse` locals).
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    year_day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    pm: Option<bool>,
    zone: Option<Zone>,
    zone_offset: Option<i32>,
    zone_name: String,
}

/// Parse `value` with `layout`; times without a zone are read in `location`.
pub(crate) fn parse_in_location(layout: &str, value: &str, location: &Zone) -> Result<GoTime, String> {
    let mut f = Fields {
        year: 0,
        month: -1,
        day: -1,
        year_day: -1,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        pm: None,
        zone: None,
        zone_offset: None,
        zone_name: String::new(),
    };
    let mut rest_layout = layout;
    let mut rest = value;
    loop {
        let chunk = next_chunk(rest_layout);
        rest = skip(rest, chunk.prefix).map_err(|at| cannot_parse(layout, value, at, chunk.prefix))?;
        let Some((element, element_text)) = chunk.element else {
            break;
        };
        rest_layout = chunk.rest;
        let hold = rest;
        match read_element(element, rest, rest_layout, &mut f) {
            Ok(after) => rest = after,
            Err(Failure::Range(what)) => return Err(with_message(value, &format!(": {what} out of range"))),
            Err(Failure::Bad) => return Err(cannot_parse(layout, value, hold, element_text)),
        }
    }
    if !rest.is_empty() {
        return Err(with_message(value, &format!(": extra text: {}", quote(rest))));
    }
    match f.pm {
        Some(true) if f.hour < 12 => f.hour += 12,
        Some(false) if f.hour == 12 => f.hour = 0,
        _ => {}
    }
    if f.year_day >= 0 {
        let (month, day) = month_day_of_year_day(f.year, f.year_day);
        if f.month >= 0 && f.month != month {
            return Err(with_message(value, ": day-of-year does not match month"));
        }
        if f.day >= 0 && f.day != day {
            return Err(with_message(value, ": day-of-year does not match day"));
        }
        (f.month, f.day) = (month, day);
    } else {
        if f.month < 0 {
            f.month = 1;
        }
        if f.day < 0 {
            f.day = 1;
        }
    }
    if f.day < 1 || f.day > days_in_month(f.month, f.year) {
        return Err(with_message(value, ": day out of range"));
    }
    let fields = (f.year, f.month, f.day, f.hour, f.minute, f.second);
    if let Some(zone) = f.zone {
        return Ok(GoTime::from_civil(fields, f.nanos, zone));
    }
    if let Some(offset) = f.zone_offset {
        let utc = GoTime::from_civil(fields, f.nanos, Zone::Utc);
        let unix = utc.unix() - i64::from(offset);
        let (name, local_offset) = location.lookup(unix);
        let zone = if local_offset == offset && (f.zone_name.is_empty() || name == f.zone_name) {
            location.clone()
        } else {
            Zone::Fixed { name: f.zone_name.as_str().into(), offset }
        };
        return Ok(GoTime::new(unix, utc.nanos(), zone));
    }
    if !f.zone_name.is_empty() {
        let utc = GoTime::from_civil(fields, f.nanos, Zone::Utc);
        if let Some(offset) = offset_of_name(location, &f.zone_name, utc.unix()) {
            return Ok(GoTime::new(utc.unix() - i64::from(offset), utc.nanos(), location.clone()));
        }
        let offset = match f.zone_name.strip_prefix("GMT") {
            Some(hours) if !hours.is_empty() => hours.parse::<i32>().unwrap_or(0) * 3600,
            _ => 0,
        };
        return Ok(GoTime::new(utc.unix(), utc.nanos(), Zone::Fixed { name: f.zone_name.as_str().into(), offset }));
    }
    Ok(GoTime::from_civil(fields, f.nanos, location.clone()))
}

enum Failure {
    Bad,
    Range(&'static str),
}

/// Read one layout element from the front of `value`; returns what follows.
fn read_element<'v>(element: Element, value: &'v str, layout_rest: &str, f: &mut Fields) -> Result<&'v str, Failure> {
    let range = |ok: bool, what: &'static str| if ok { Ok(()) } else { Err(Failure::Range(what)) };
    match element {
        Element::Year => {
            let digits = value.get(..2).ok_or(Failure::Bad)?;
            let year = atoi(digits)?;
            f.year = if year >= 69 { year + 1900 } else { year + 2000 };
            Ok(&value[2..])
        }
        Element::LongYear => {
            if value.len() < 4 || !value.as_bytes()[0].is_ascii_digit() {
                return Err(Failure::Bad);
            }
            f.year = atoi(value.get(..4).ok_or(Failure::Bad)?)?;
            Ok(&value[4..])
        }
        Element::Month | Element::LongMonth => {
            let long = element == Element::LongMonth;
            let (index, rest) = lookup_name(value, &MONTH_NAMES, long)?;
            f.month = index as i64 + 1;
            Ok(rest)
        }
        Element::NumMonth | Element::ZeroMonth => {
            let (month, rest) = getnum(value, element == Element::ZeroMonth)?;
            range((1..=12).contains(&month), "month")?;
            f.month = month;
            Ok(rest)
        }
        Element::WeekDay | Element::LongWeekDay => {
            let (_, rest) = lookup_name(value, &DAY_NAMES, element == Element::LongWeekDay)?;
            Ok(rest)
        }
        Element::Day | Element::UnderDay | Element::ZeroDay => {
            let value = if element == Element::UnderDay { value.strip_prefix(' ').unwrap_or(value) } else { value };
            let (day, rest) = getnum(value, element == Element::ZeroDay)?;
            // Any one- or two-digit day is read; the date is checked at the end.
            f.day = day;
            Ok(rest)
        }
        Element::UnderYearDay | Element::ZeroYearDay => {
            let mut value = value;
            if element == Element::UnderYearDay {
                for _ in 0..2 {
                    value = value.strip_prefix(' ').unwrap_or(value);
                }
            }
            let (year_day, rest) = getnum3(value, element == Element::ZeroYearDay)?;
            range((1..=366).contains(&year_day), "day-of-year")?;
            f.year_day = year_day;
            Ok(rest)
        }
        Element::Hour => {
            let (hour, rest) = getnum(value, false)?;
            range((0..24).contains(&hour), "hour")?;
            f.hour = hour;
            Ok(rest)
        }
        Element::Hour12 | Element::ZeroHour12 => {
            let (hour, rest) = getnum(value, element == Element::ZeroHour12)?;
            range((0..=12).contains(&hour), "hour")?;
            f.hour = hour;
            Ok(rest)
        }
        Element::Minute | Element::ZeroMinute => {
            let (minute, rest) = getnum(value, element == Element::ZeroMinute)?;
            range((0..60).contains(&minute), "minute")?;
            f.minute = minute;
            Ok(rest)
        }
        Element::Second | Element::ZeroSecond => {
            let (second, mut rest) = getnum(value, element == Element::ZeroSecond)?;
            range((0..60).contains(&second), "second")?;
            f.second = second;
            // A fraction the layout does not name is still read.
            let bytes = rest.as_bytes();
            if bytes.len() >= 2 && matches!(bytes[0], b'.' | b',') && bytes[1].is_ascii_digit() {
                let next = next_chunk(layout_rest).element.map(|(e, _)| e);
                if !matches!(next, Some(Element::FracZeros { .. } | Element::FracNines { .. })) {
                    let n = 1 + bytes[1..].iter().take_while(|b| b.is_ascii_digit()).count();
                    f.nanos = nanoseconds(rest, n)?;
                    rest = &rest[n..];
                }
            }
            Ok(rest)
        }
        Element::UpperPm | Element::LowerPm => {
            let text = value.get(..2).ok_or(Failure::Bad)?;
            let (pm, am) = if element == Element::UpperPm { ("PM", "AM") } else { ("pm", "am") };
            f.pm = match text {
                t if t == pm => Some(true),
                t if t == am => Some(false),
                _ => return Err(Failure::Bad),
            };
            Ok(&value[2..])
        }
        Element::Iso8601(form) | Element::NumericZone(form) => {
            if matches!(element, Element::Iso8601(_)) && !form.seconds && value.starts_with('Z') {
                f.zone = Some(Zone::Utc);
                return Ok(&value[1..]);
            }
            let b = value.as_bytes();
            let need = match (form.colons, form.minutes, form.seconds) {
                (_, false, _) => 3,
                (true, _, false) => 6,
                (true, _, true) => 9,
                (false, _, true) => 7,
                (false, _, false) => 5,
            };
            if b.len() < need || (form.colons && (b[3] != b':' || (form.seconds && b[6] != b':'))) {
                return Err(Failure::Bad);
            }
            let part = |range: std::ops::Range<usize>| value.get(range).ok_or(Failure::Bad);
            let hours = part(1..3)?;
            let (minutes, seconds) = match (form.colons, form.minutes, form.seconds) {
                (_, false, _) => ("00", "00"),
                (true, _, false) => (part(4..6)?, "00"),
                (true, _, true) => (part(4..6)?, part(7..9)?),
                (false, _, true) => (part(3..5)?, part(5..7)?),
                (false, _, false) => (part(3..5)?, "00"),
            };
            let (hours, _) = getnum(hours, true)?;
            let (minutes, _) = getnum(minutes, true)?;
            let (seconds, _) = getnum(seconds, true)?;
            range(hours <= 24, "time zone offset hour")?;
            range(minutes <= 60, "time zone offset minute")?;
            range(seconds <= 60, "time zone offset second")?;
            let offset = ((hours * 60 + minutes) * 60 + seconds) as i32;
            f.zone_offset = Some(match b[0] {
                b'+' => offset,
                b'-' => -offset,
                _ => return Err(Failure::Bad),
            });
            value.get(need..).ok_or(Failure::Bad)
        }
        Element::ZoneName => {
            if let Some(rest) = value.strip_prefix("UTC") {
                f.zone = Some(Zone::Utc);
                return Ok(rest);
            }
            let n = zone_name_length(value).ok_or(Failure::Bad)?;
            f.zone_name = value[..n].to_string();
            Ok(&value[n..])
        }
        Element::FracZeros { digits, .. } => {
            let n = 1 + digits;
            if value.len() < n {
                return Err(Failure::Bad);
            }
            f.nanos = nanoseconds(value, n)?;
            Ok(&value[n..])
        }
        Element::FracNines { .. } => {
            let b = value.as_bytes();
            if b.len() < 2 || !matches!(b[0], b'.' | b',') || !b[1].is_ascii_digit() {
                return Ok(value);
            }
            let n = 1 + b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            f.nanos = nanoseconds(value, n)?;
            Ok(&value[n..])
        }
    }
}

/// Go's `skip`: match a layout's literal text; a space matches any run of spaces.
fn skip<'v>(mut value: &'v str, mut prefix: &str) -> Result<&'v str, &'v str> {
    while let Some(c) = prefix.chars().next() {
        if c == ' ' {
            if value.chars().next().is_some_and(|v| v != ' ') {
                return Err(value);
            }
            prefix = prefix.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        if !value.starts_with(c) {
            return Err(value);
        }
        prefix = &prefix[c.len_utf8()..];
        value = &value[c.len_utf8()..];
    }
    Ok(value)
}

fn atoi(text: &str) -> Result<i64, Failure> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::Bad);
    }
    let n: i64 = digits.parse().map_err(|_| Failure::Bad)?;
    Ok(if text.starts_with('-') { -n } else { n })
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(value: &str, fixed: bool) -> Result<(i64, &str), Failure> {
    let b = value.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return Err(Failure::Bad);
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        if fixed {
            return Err(Failure::Bad);
        }
        return Ok((i64::from(b[0] - b'0'), &value[1..]));
    }
    Ok((i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'), &value[2..]))
}

/// Go's `getnum3`: one to three digits (exactly three when `fixed`).
fn getnum3(value: &str, fixed: bool) -> Result<(i64, &str), Failure> {
    let b = value.as_bytes();
    let n = b.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || (fixed && n != 3) {
        return Err(Failure::Bad);
    }
    Ok((value[..n].parse().map_err(|_| Failure::Bad)?, &value[n..]))
}

/// Case-insensitive match of a month or day name (three letters unless `long`).
fn lookup_name<'v>(value: &'v str, names: &[&str], long: bool) -> Result<(usize, &'v str), Failure> {
    for (index, name) in names.iter().enumerate() {
        let name = if long { name } else { &name[..3] };
        if let Some(head) = value.get(..name.len())
            && head.eq_ignore_ascii_case(name)
        {
            return Ok((index, &value[name.len()..]));
        }
    }
    Err(Failure::Bad)
}

/// Go's `parseNanoseconds`: `value[0]` is the separator, `n` bytes in all.
fn nanoseconds(value: &str, n: usize) -> Result<i64, Failure> {
    if !matches!(value.as_bytes().first(), Some(b'.' | b',')) {
        return Err(Failure::Bad);
    }
    let n = n.min(10);
    let digits = value.get(1..n).ok_or(Failure::Bad)?;
    let nanos = atoi(digits)?;
    if nanos < 0 {
        return Err(Failure::Range("fractional second"));
    }
    Ok(nanos * 10i64.pow((10 - n) as u32))
}

/// Go's `parseTimeZone`: how many bytes of `value` look like a zone name.
fn zone_name_length(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if matches!(value.get(..4), Some("ChST" | "MeST")) {
        return Some(4);
    }
    if value.get(..3) == Some("GMT") {
        return Some(3 + signed_offset_length(&value[3..]));
    }
    if b[0] == b'+' || b[0] == b'-' {
        let n = signed_offset_length(value);
        return (n > 0).then_some(n);
    }
    let upper = b.iter().take(6).take_while(|c| c.is_ascii_uppercase()).count();
    match upper {
        3 => Some(3),
        4 if b[3] == b'T' || value.get(..4) == Some("WITA") => Some(4),
        5 if b[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: a sign and an hour count up to 23.
fn signed_offset_length(value: &str) -> usize {
    let b = value.as_bytes();
    if !matches!(b.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let hours: u64 = value[1..1 + digits].parse().unwrap_or(u64::MAX);
    if digits == 0 || hours > 23 {
        return 0;
    }
    1 + digits
}

/// The offset `location` uses under the abbreviation `name` near `unix`.
fn offset_of_name(location: &Zone, name: &str, unix: i64) -> Option<i32> {
    let (here, offset) = location.lookup(unix);
    if here == name {
        return Some(offset);
    }
    // Try the other side of a daylight-saving change within the year.
    [-183, 183].into_iter().map(|days| location.lookup(unix + days * 86_400)).find(|(n, _)| n == name).map(|(_, o)| o)
}

/// Month and day of a day of the year.
fn month_day_of_year_day(year: i64, year_day: i64) -> (i64, i64) {
    let mut remaining = year_day;
    for month in 1..=12 {
        let length = days_in_month(month, year);
        if remaining <= length {
            return (month, remaining);
        }
        remaining -= length;
    }
    (12, remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(layout: &str, value: &str) -> Result<String, String> {
        parse_in_location(layout, value, &Zone::Utc).map(|t| t.go_string())
    }

    #[test]
    fn times_parse_as_go_parses_them() {
        assert_eq!(utc("2006-01-02", "2024-03-05").unwrap(), "2024-03-05 00:00:00 +0000 UTC");
        assert_eq!(utc("02 Jan 06 15:04 -0700", "05 mar 24 10:30 -0700").unwrap(), "2024-03-05 10:30:00 -0700 -0700");
        assert_eq!(utc("2006-01-02 15:04:05", "2024-03-05 10:30:00.25").unwrap(), "2024-03-05 10:30:00.25 +0000 UTC");
        assert_eq!(utc("3:04PM", "12:15AM").unwrap(), "0000-01-01 00:15:00 +0000 UTC");
        assert_eq!(utc("Jan 2 MST", "Feb 3 PST").unwrap(), "0000-02-03 00:00:00 +0000 PST");
        assert_eq!(utc("2006-01-02T15:04:05Z07:00", "2024-03-05T10:30:00Z").unwrap(), "2024-03-05 10:30:00 +0000 UTC");
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let layouts = ["2006-01-02T15:04:05Z07:00", "Jan _2 MST -07:00:00", "3:04PM -0700 Z07", "002 __2 .999 ,000"];
        let alphabet: Vec<char> = "0123456789+-:.,TZ MSTPGAjanJAN é€".chars().collect();
        assert!(parse_in_location("-0700", "+0\u{e9}00", &Zone::Utc).is_err(), "a multi-byte offset digit");
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let text: String = (0..rng.usize(0..24)).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let layout = layouts[rng.usize(..layouts.len())];
            let _ = parse_in_location(layout, &text, &Zone::Utc);
            let _ = super::super::parse_duration(&text);
        }
    }

    #[test]
    fn failures_read_as_go_errors() {
        assert_eq!(
            utc("2006-01-02", "2024/03/05").unwrap_err(),
            "parsing time \"2024/03/05\" as \"2006-01-02\": cannot parse \"/03/05\" as \"-\""
        );
        assert_eq!(utc("2006-01-02", "2024-13-05").unwrap_err(), "parsing time \"2024-13-05\": month out of range");
        assert_eq!(utc("2006-01-02", "2024-02-30").unwrap_err(), "parsing time \"2024-02-30\": day out of range");
        assert_eq!(utc("2006", "2024x").unwrap_err(), "parsing time \"2024x\": extra text: \"x\"");
        assert_eq!(
            utc("2006-01-02", "x").unwrap_err(),
            "parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\""
        );
    }
}

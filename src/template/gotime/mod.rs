//! Go's `time` package as Sprig's date functions need it: a `time.Time`
//! value (instant, location, optional monotonic reading), locations loaded
//! from the system tzdata as `time.LoadLocation` does, reference-time layout
//! formatting and parsing, and `time.Duration` text.
//!
//! Times reach templates as host objects (`typeOf` says `time.Time`). This
//! module must not read the clock (see `clock`) nor register template
//! functions (see `funcs::dates`).

mod duration;
mod format;
mod layout;
mod object;
mod parse;

use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub(crate) use duration::{format_duration, parse_duration};
pub(crate) use parse::parse_in_location;

/// Nanoseconds in a second.
pub(crate) const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A location: where wall-clock time is read, as Go's `*time.Location`.
#[derive(Clone, Debug)]
pub(crate) enum Zone {
    /// `time.UTC`.
    Utc,
    /// `time.FixedZone(name, offset)`: what parsing a numeric offset makes.
    Fixed { name: Arc<str>, offset: i32 },
    /// A zone from the tzdata (`Local` or a name such as `Europe/Berlin`).
    Named { tz: TimeZone },
}

impl Zone {
    /// The process zone, as Go's `time.Local`: read once, from TZ, else
    /// /etc/localtime.
    pub(crate) fn local() -> Zone {
        static LOCAL: OnceLock<Zone> = OnceLock::new();
        LOCAL
            .get_or_init(|| match std::env::var("TZ") {
                // Go reads an empty TZ as UTC.
                Ok(tz) if tz.is_empty() => Zone::Utc,
                _ => Zone::Named { tz: TimeZone::system() },
            })
            .clone()
    }

    /// Go's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` the process
    /// zone, other names come from the tzdata; `None` when unknown.
    pub(crate) fn load(name: &str) -> Option<Zone> {
        match name {
            "" | "UTC" => Some(Zone::Utc),
            "Local" => Some(Zone::local()),
            _ if name.contains("..") || name.starts_with('/') || name.contains('\\') => None,
            _ => TimeZone::get(name).ok().map(|tz| Zone::Named { tz }),
        }
    }

    /// Abbreviation and offset east of UTC in seconds at `unix` seconds.
    pub(crate) fn lookup(&self, unix: i64) -> (String, i32) {
        match self {
            Zone::Utc => ("UTC".to_string(), 0),
            Zone::Fixed { name, offset } => (name.to_string(), *offset),
            Zone::Named { tz } => {
                let clamped = unix.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
                let timestamp = Timestamp::from_second(clamped).unwrap_or(Timestamp::UNIX_EPOCH);
                let info = tz.to_offset_info(timestamp);
                (info.abbreviation().to_string(), info.offset().seconds())
            }
        }
    }

    /// The instant (Unix seconds) at which this zone's wall clock reads
    /// `local` seconds, choosing as Go's `time.Date` does around transitions.
    fn unix_from_local(&self, local: i64) -> i64 {
        let (_, offset) = self.lookup(local);
        let guess = local - i64::from(offset);
        let (_, actual) = self.lookup(guess);
        if actual == offset { guess } else { local - i64::from(actual) }
    }
}

/// A Go `time.Time`.
#[derive(Clone, Debug)]
pub struct GoTime {
    unix: i64,
    nanos: u32,
    zone: Zone,
    /// Monotonic clock reading (nanoseconds since process start), which Go
    /// prints as ` m=+0.000000001`; only `time.Now()` carries one.
    monotonic: Option<i64>,
}

/// A wall-clock reading split into Go's fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Civil {
    pub year: i64,
    /// 1–12
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday
    pub weekday: u32,
    /// 1–366
    pub year_day: u32,
}

impl GoTime {
    /// The instant `unix` seconds + `nanos` after the epoch, read in `zone`.
    pub(crate) fn new(unix: i64, nanos: u32, zone: Zone) -> GoTime {
        GoTime { unix, nanos, zone, monotonic: None }
    }

    /// The same instant with a monotonic reading, as `time.Now()` returns.
    pub(crate) fn with_monotonic(mut self, monotonic: i64) -> GoTime {
        self.monotonic = Some(monotonic);
        self
    }

    /// Go's zero time: January 1, year 1, 00:00:00 UTC.
    pub(crate) fn zero() -> GoTime {
        GoTime::new(days_from_civil(1, 1, 1) * 86_400, 0, Zone::Utc)
    }

    /// `time.Date`: the instant a wall clock in `zone` reads these fields
    /// (out-of-range fields carry over as Go's do).
    pub(crate) fn from_civil(fields: (i64, i64, i64, i64, i64, i64), nanos: i64, zone: Zone) -> GoTime {
        let (year, month, day, hour, minute, second) = fields;
        let months = year * 12 + (month - 1);
        let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
        let extra_seconds = nanos.div_euclid(NANOS_PER_SECOND);
        let nanos = nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        let days = days_from_civil(year, month as u32, 1) + (day - 1);
        let local = days * 86_400 + hour * 3600 + minute * 60 + second + extra_seconds;
        let unix = zone.unix_from_local(local);
        GoTime::new(unix, nanos, zone)
    }

    /// Seconds since the Unix epoch (`t.Unix()`).
    pub(crate) fn unix(&self) -> i64 {
        self.unix
    }

    /// Nanoseconds within the second.
    pub(crate) fn nanos(&self) -> u32 {
        self.nanos
    }

    /// Nanoseconds since the epoch.
    pub(crate) fn unix_nanos(&self) -> i128 {
        i128::from(self.unix) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos)
    }

    /// The instant `nanos` after the epoch, in this time's zone.
    fn with_unix_nanos(&self, nanos: i128) -> GoTime {
        let unix = nanos.div_euclid(i128::from(NANOS_PER_SECOND)) as i64;
        let sub = nanos.rem_euclid(i128::from(NANOS_PER_SECOND)) as u32;
        GoTime { unix, nanos: sub, zone: self.zone.clone(), monotonic: self.monotonic }
    }

    /// `t.Add(d)`: the monotonic reading moves along.
    pub(crate) fn add(&self, duration: i64) -> GoTime {
        let mut moved = self.with_unix_nanos(self.unix_nanos() + i128::from(duration));
        moved.monotonic = self.monotonic.map(|m| m.saturating_add(duration));
        moved
    }

    /// `t.Sub(u)`, saturated to the Duration range as Go's is.
    pub(crate) fn sub(&self, earlier: &GoTime) -> i64 {
        let difference = match (self.monotonic, earlier.monotonic) {
            (Some(a), Some(b)) => i128::from(a) - i128::from(b),
            _ => self.unix_nanos() - earlier.unix_nanos(),
        };
        difference.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `t.In(zone)`: the same instant read elsewhere; drops the monotonic reading.
    pub(crate) fn in_zone(&self, zone: Zone) -> GoTime {
        GoTime::new(self.unix, self.nanos, zone)
    }

    /// Zone abbreviation and offset (seconds east of UTC) in effect.
    pub(crate) fn zone_info(&self) -> (String, i32) {
        self.zone.lookup(self.unix)
    }

    /// The wall-clock fields in this time's zone.
    pub(crate) fn civil(&self) -> Civil {
        let (_, offset) = self.zone_info();
        let local = self.unix + i64::from(offset);
        let days = local.div_euclid(86_400);
        let seconds = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        let year_day = (days - days_from_civil(year, 1, 1) + 1) as u32;
        Civil {
            year,
            month,
            day,
            hour: seconds / 3600,
            minute: seconds / 60 % 60,
            second: seconds % 60,
            weekday: (days + 4).rem_euclid(7) as u32,
            year_day,
        }
    }

    /// `t.Format(layout)`.
    pub(crate) fn format(&self, layout: &str) -> String {
        format::format(self, layout)
    }

    /// Go's `t.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`, plus
    /// ` m=±S.NNNNNNNNN` when the time carries a monotonic reading.
    pub(crate) fn go_string(&self) -> String {
        let mut text = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(monotonic) = self.monotonic {
            let sign = if monotonic < 0 { '-' } else { '+' };
            let magnitude = monotonic.unsigned_abs();
            let nanos_per_second = NANOS_PER_SECOND as u64;
            text.push_str(&format!(" m={sign}{}.{:09}", magnitude / nanos_per_second, magnitude % nanos_per_second));
        }
        text
    }
}

impl GoTime {
    /// Go's `t.GoString()`: `time.Date(2020, time.January, 1, 0, 0, 0, 0, time.Local)`.
    pub(crate) fn go_syntax_string(&self) -> String {
        let c = self.civil();
        let month = MONTH_NAMES.get(c.month as usize - 1).map_or_else(|| c.month.to_string(), |m| format!("time.{m}"));
        let location = match &self.zone {
            Zone::Utc => "time.UTC".to_string(),
            Zone::Fixed { name, .. } => format!("time.Location({})", quote(name)),
            Zone::Named { tz } => match Zone::local() {
                Zone::Named { tz: local } if local == *tz => "time.Local".to_string(),
                _ => format!("time.Location({})", quote(tz.iana_name().unwrap_or_default())),
            },
        };
        format!(
            "time.Date({}, {month}, {}, {}, {}, {}, {}, {location})",
            c.year,
            c.day,
            c.hour,
            c.minute,
            c.second,
            self.nanos()
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether `year` is a leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// English month names, as Go prints them.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English weekday names from Sunday, as Go prints them.
pub(crate) const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Go's `time` package quoting for error messages: non-ASCII and control
/// bytes as `\xNN`, `"` and `\` escaped.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for days in [-719_162, -1, 0, 59, 11_016, 19_787, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(19_787), (2024, 3, 5));
        let zero = GoTime::zero().civil();
        assert_eq!((zero.year, zero.month, zero.day, zero.weekday), (1, 1, 1, 1));
    }

    #[test]
    fn strings_print_as_go_prints_them() {
        let t = GoTime::new(1_709_596_800, 120_000_000, Zone::Utc);
        assert_eq!(t.go_string(), "2024-03-05 00:00:00.12 +0000 UTC");
        let fixed = t.in_zone(Zone::Fixed { name: "".into(), offset: -25_200 });
        assert_eq!(fixed.go_string(), "2024-03-04 17:00:00.12 -0700 -0700");
        assert_eq!(t.with_monotonic(1_042_527_261).go_string(), "2024-03-05 00:00:00.12 +0000 UTC m=+1.042527261");
        assert_eq!(quote("1µs\""), "\"1\\xc2\\xb5s\\\"\"");
    }
}

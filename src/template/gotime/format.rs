//! `time.Time.Format`: writes a time through a reference-time layout,
//! element by element as Go's `appendFormat` does (padding, 12-hour clock,
//! `Z` for UTC in ISO 8601 offsets, fractional seconds trimmed for `.999`).
//!
//! This module must not parse.

use super::layout::{Element, OffsetForm, next_chunk};
use super::{DAY_NAMES, GoTime, MONTH_NAMES};

/// Format `time` with the Go `layout`.
pub(super) fn format(time: &GoTime, layout: &str) -> String {
    let civil = time.civil();
    let (zone_name, offset) = time.zone_info();
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout;
    loop {
        let chunk = next_chunk(rest);
        out.push_str(chunk.prefix);
        let Some((element, _)) = chunk.element else { break };
        rest = chunk.rest;
        let hour12 = match civil.hour % 12 {
            0 => 12,
            h => h,
        };
        match element {
            Element::Year => push_int(&mut out, civil.year % 100, 2),
            Element::LongYear => push_int(&mut out, civil.year, 4),
            Element::Month => out.push_str(&MONTH_NAMES[civil.month as usize - 1][..3]),
            Element::LongMonth => out.push_str(MONTH_NAMES[civil.month as usize - 1]),
            Element::NumMonth => push_int(&mut out, civil.month.into(), 0),
            Element::ZeroMonth => push_int(&mut out, civil.month.into(), 2),
            Element::WeekDay => out.push_str(&DAY_NAMES[civil.weekday as usize][..3]),
            Element::LongWeekDay => out.push_str(DAY_NAMES[civil.weekday as usize]),
            Element::Day => push_int(&mut out, civil.day.into(), 0),
            Element::UnderDay => {
                if civil.day < 10 {
                    out.push(' ');
                }
                push_int(&mut out, civil.day.into(), 0);
            }
            Element::ZeroDay => push_int(&mut out, civil.day.into(), 2),
            Element::UnderYearDay => {
                out.push_str(match civil.year_day {
                    0..10 => "  ",
                    10..100 => " ",
                    _ => "",
                });
                push_int(&mut out, civil.year_day.into(), 0);
            }
            Element::ZeroYearDay => push_int(&mut out, civil.year_day.into(), 3),
            Element::Hour => push_int(&mut out, civil.hour.into(), 2),
            Element::Hour12 => push_int(&mut out, hour12.into(), 0),
            Element::ZeroHour12 => push_int(&mut out, hour12.into(), 2),
            Element::Minute => push_int(&mut out, civil.minute.into(), 0),
            Element::ZeroMinute => push_int(&mut out, civil.minute.into(), 2),
            Element::Second => push_int(&mut out, civil.second.into(), 0),
            Element::ZeroSecond => push_int(&mut out, civil.second.into(), 2),
            Element::UpperPm => out.push_str(if civil.hour >= 12 { "PM" } else { "AM" }),
            Element::LowerPm => out.push_str(if civil.hour >= 12 { "pm" } else { "am" }),
            Element::Iso8601(form) => {
                if offset == 0 {
                    out.push('Z');
                } else {
                    push_offset(&mut out, offset, form);
                }
            }
            Element::NumericZone(form) => push_offset(&mut out, offset, form),
            Element::ZoneName => {
                if zone_name.is_empty() {
                    // No name known: Go prints the offset as -0700.
                    push_offset(&mut out, offset, OffsetForm { colons: false, minutes: true, seconds: false });
                } else {
                    out.push_str(&zone_name);
                }
            }
            Element::FracZeros { digits, separator } => push_fraction(&mut out, time.nanos(), digits, separator, false),
            Element::FracNines { digits, separator } => push_fraction(&mut out, time.nanos(), digits, separator, true),
        }
    }
    out
}

/// Go's `appendInt`: a minus sign, then the digits zero-padded to `width`.
fn push_int(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    out.push_str(&format!("{:0width$}", value.unsigned_abs()));
}

fn push_offset(out: &mut String, offset: i32, form: OffsetForm) {
    let minutes = offset / 60;
    out.push(if minutes < 0 { '-' } else { '+' });
    let (minutes, seconds) = (minutes.unsigned_abs(), offset.unsigned_abs() % 60);
    out.push_str(&format!("{:02}", minutes / 60));
    if form.minutes {
        if form.colons {
            out.push(':');
        }
        out.push_str(&format!("{:02}", minutes % 60));
    }
    if form.seconds {
        if form.colons {
            out.push(':');
        }
        out.push_str(&format!("{seconds:02}"));
    }
}

/// Go's `appendNano`.
fn push_fraction(out: &mut String, nanos: u32, digits: usize, separator: u8, trim: bool) {
    if trim && (digits == 0 || nanos == 0) {
        return;
    }
    let all = format!("{nanos:09}");
    let mut fraction = String::from(separator as char);
    fraction.push_str(&all[..digits.min(9)]);
    if trim {
        let kept = fraction.trim_end_matches('0').len();
        fraction.truncate(kept);
        if fraction.len() == 1 {
            return;
        }
    }
    out.push_str(&fraction);
}

#[cfg(test)]
mod tests {
    use super::super::Zone;
    use super::*;

    #[test]
    fn every_layout_element_formats_as_go() {
        // 2009-11-10 23:04:05.012345678 UTC, a Tuesday, day 314.
        let t = GoTime::new(1_257_894_245, 12_345_678, Zone::Utc);
        assert_eq!(
            t.format("Mon Monday Jan January 1 01 2 _2 02 __2 002"),
            "Tue Tuesday Nov November 11 11 10 10 10 314 314"
        );
        assert_eq!(t.format("06 2006 15 3 03 4 04 5 05 PM pm"), "09 2009 23 11 11 4 04 5 05 PM pm");
        assert_eq!(t.format("05.000 05,000000 05.999 05.999999999 05.9"), "05.012 05,012345 05.012 05.012345678 05");
        assert_eq!(t.format("Z07:00 -07:00 -0700 -07 MST"), "Z +00:00 +0000 +00 UTC");
        let east = t.in_zone(Zone::Fixed { name: "".into(), offset: 19_800 + 30 });
        assert_eq!(east.format("Z07:00:00 -070000 Z07 MST"), "+05:30:30 +053030 +05 +0530");
    }
}

//! Sprig's date functions (`now`, `date`, `toDate`, `dateModify`, `ago`,
//! `duration`…) with Go's semantics: the argument types each accepts (and
//! the current time for the others, as Sprig falls back), `time.LoadLocation`
//! falling back to UTC, Go's layouts and duration text.
//!
//! Only the calls that read the clock make a render nondeterministic
//! (`Exec::now`); `toDate`, `date` of an epoch or a parsed time are pure.
//! This module must not format or parse times itself (see `gotime`).

use std::rc::Rc;

use super::{CallResult, Param, Registry, arg_str};
use crate::template::exec::Exec;
use crate::template::gotime::{GoTime, Zone, format_duration, parse_duration, parse_in_location};
use crate::template::value::Value;

const SECOND: i64 = 1_000_000_000;

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Str};
    const TIME: Param = Param::Host("time.Time");
    r.add("now", &[], None, |x, _| Ok(time_value(x.now())));
    r.add("date", &[Str, Any], None, |x, a| Ok(date_in_zone(x, arg_str(&a, 0), &a[1], "Local")));
    r.add("htmlDate", &[Any], None, |x, a| Ok(date_in_zone(x, "2006-01-02", &a[0], "Local")));
    r.add("htmlDateInZone", &[Any, Str], None, |x, a| Ok(date_in_zone(x, "2006-01-02", &a[0], arg_str(&a, 1))));
    for name in ["dateInZone", "date_in_zone"] {
        r.add(name, &[Str, Any, Str], None, |x, a| Ok(date_in_zone(x, arg_str(&a, 0), &a[1], arg_str(&a, 2))));
    }
    for name in ["dateModify", "date_modify"] {
        r.add(name, &[Str, TIME], None, |_, a| {
            let time = time_arg(&a, 1);
            Ok(time_value(match parse_duration(arg_str(&a, 0)) {
                Ok(duration) => time.add(duration),
                Err(_) => time,
            }))
        });
    }
    for name in ["mustDateModify", "must_date_modify"] {
        r.add(name, &[Str, TIME], None, |_, a| {
            let duration = parse_duration(arg_str(&a, 0))?;
            Ok(time_value(time_arg(&a, 1).add(duration)))
        });
    }
    r.add("toDate", &[Str, Str], None, |_, a| {
        Ok(time_value(
            parse_in_location(arg_str(&a, 0), arg_str(&a, 1), &Zone::local()).unwrap_or_else(|_| GoTime::zero()),
        ))
    });
    r.add("mustToDate", &[Str, Str], None, |_, a| {
        Ok(time_value(parse_in_location(arg_str(&a, 0), arg_str(&a, 1), &Zone::local())?))
    });
    r.add("unixEpoch", &[TIME], None, |_, a| Ok(Value::str(time_arg(&a, 0).unix().to_string())));
    r.add("ago", &[Any], None, ago);
    r.add("duration", &[Any], None, |_, a| {
        let seconds = match &a[0] {
            Value::String(text) => text.parse::<i64>().unwrap_or(0),
            Value::Int64(n) => *n,
            _ => 0,
        };
        Ok(Value::str(format_duration(seconds.wrapping_mul(SECOND))))
    });
    r.add("durationRound", &[Any], None, duration_round);
}

fn time_value(time: GoTime) -> Value {
    Value::Object(Rc::new(time))
}

/// A `time.Time` argument the executor already checked.
fn time_arg(args: &[Value], i: usize) -> GoTime {
    args.get(i).and_then(GoTime::of).cloned().unwrap_or_else(GoTime::zero)
}

/// The time Sprig's `date` family reads from `value`: a `time.Time`, or
/// epoch seconds in an `int`, `int64`; anything else is the current time.
fn time_from(x: &mut Exec<'_>, value: &Value) -> GoTime {
    match value {
        Value::Int(seconds) | Value::Int64(seconds) => GoTime::new(*seconds, 0, Zone::local()),
        other => match GoTime::of(other) {
            Some(time) => time.clone(),
            None => x.now(),
        },
    }
}

/// Sprig's `dateInZone`: an unknown zone is UTC.
fn date_in_zone(x: &mut Exec<'_>, layout: &str, value: &Value, zone: &str) -> Value {
    let time = time_from(x, value);
    let zone = Zone::load(zone).unwrap_or(Zone::Utc);
    Value::str(time.in_zone(zone).format(layout))
}

/// Sprig's `ago`: time since a `time.Time`, `int` or `int64` epoch, rounded
/// to the second; anything else is now, so `0s`.
fn ago(x: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    let then = match &args[0] {
        Value::Int(seconds) | Value::Int64(seconds) => GoTime::new(*seconds, 0, Zone::local()),
        other => match GoTime::of(other) {
            Some(time) => time.clone(),
            None => x.now(),
        },
    };
    let since = x.now().sub(&then);
    Ok(Value::str(format_duration(round_duration(since, SECOND))))
}

/// Go's `Duration.Round(m)`.
fn round_duration(d: i64, m: i64) -> i64 {
    let less_than_half = |r: i64| (r as u64).wrapping_add(r as u64) < m as u64;
    let r = d % m;
    if d < 0 {
        let r = -r;
        if less_than_half(r) {
            return d + r;
        }
        return d.checked_sub(m - r).unwrap_or(i64::MIN);
    }
    if less_than_half(r) {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

/// Sprig's `durationRound`: the largest whole unit (`y` = 365 days, `mo` =
/// 30 days, `d`, `h`, `m`, `s`) in a duration string, `int64` nanoseconds
/// or the time since a `time.Time`; the sign is dropped.
fn duration_round(x: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    let duration = match &args[0] {
        Value::String(text) => parse_duration(text).unwrap_or(0),
        Value::Int64(nanos) => *nanos,
        other => match GoTime::of(other) {
            Some(time) => x.now().sub(time),
            None => 0,
        },
    };
    let magnitude = duration.unsigned_abs();
    let hour = 3_600 * SECOND as u64;
    let units = [
        (hour * 24 * 365, "y"),
        (hour * 24 * 30, "mo"),
        (hour * 24, "d"),
        (hour, "h"),
        (60 * SECOND as u64, "m"),
        (SECOND as u64, "s"),
    ];
    let text = units
        .iter()
        .find(|(unit, _)| magnitude > *unit)
        .map(|(unit, suffix)| format!("{}{suffix}", magnitude / unit))
        .unwrap_or_else(|| "0s".to_string());
    Ok(Value::str(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_go() {
        assert_eq!(round_duration(1_499_999_999, SECOND), SECOND);
        assert_eq!(round_duration(1_500_000_000, SECOND), 2 * SECOND);
        assert_eq!(round_duration(-1_500_000_000, SECOND), -2 * SECOND);
        assert_eq!(round_duration(-1_400_000_000, SECOND), -SECOND);
    }
}

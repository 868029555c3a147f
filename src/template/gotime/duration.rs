//! `time.Duration` text: `time.ParseDuration` (`-1.5h`, `1h2m3s`, `300ms`,
//! `µs`) and `Duration.String()` (`1m35s`, `2h0m0s`, `1.5µs`), with Go's
//! error messages. Durations are nanoseconds in an `i64`, as in Go.
//!
//! This module must not know about times or zones.

use super::quote;

const UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),
    ("\u{3bc}s", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// Go's `time.ParseDuration`; the error is Go's message.
pub(crate) fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let limit = 1u64 << 63;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        if !(rest.starts_with('.') || rest.as_bytes()[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut whole: u64 = 0;
        for b in rest[..digits].bytes() {
            if whole > (limit - 1) / 10 {
                return Err(invalid());
            }
            whole = whole * 10 + u64::from(b - b'0');
            if whole > limit {
                return Err(invalid());
            }
        }
        rest = &rest[digits..];
        let mut fraction: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut fraction_digits = 0;
        if let Some(after_dot) = rest.strip_prefix('.') {
            fraction_digits = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflowed = false;
            for b in after_dot[..fraction_digits].bytes() {
                if overflowed {
                    continue;
                }
                if fraction > (limit - 1) / 10 {
                    overflowed = true;
                    continue;
                }
                let next = fraction * 10 + u64::from(b - b'0');
                if next > limit {
                    overflowed = true;
                    continue;
                }
                fraction = next;
                scale *= 10.0;
            }
            rest = &after_dot[fraction_digits..];
        }
        if digits == 0 && fraction_digits == 0 {
            return Err(invalid());
        }
        let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote(text)));
        }
        let unit_text = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(&(_, unit)) = UNITS.iter().find(|(name, _)| *name == unit_text) else {
            return Err(format!("time: unknown unit {} in duration {}", quote(unit_text), quote(text)));
        };
        if whole > limit / unit {
            return Err(invalid());
        }
        let mut value = whole * unit;
        if fraction > 0 {
            value += (fraction as f64 * (unit as f64 / scale)) as u64;
            if value > limit {
                return Err(invalid());
            }
        }
        total += value;
        if total > limit {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    if total > limit - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// Go's `Duration.String()`.
pub(crate) fn format_duration(duration: i64) -> String {
    let mut magnitude = duration.unsigned_abs();
    let mut text = String::new();
    if magnitude < 1_000_000_000 {
        let (precision, unit) = match magnitude {
            0 => return "0s".to_string(),
            1..1_000 => (0, "ns"),
            1_000..1_000_000 => (3, "\u{b5}s"),
            _ => (6, "ms"),
        };
        text.push_str(&with_fraction(magnitude, precision));
        text.push_str(unit);
    } else {
        let seconds = with_fraction(magnitude % 60_000_000_000, 9);
        magnitude /= 60_000_000_000;
        if magnitude > 0 {
            let minutes = magnitude % 60;
            let hours = magnitude / 60;
            if hours > 0 {
                text.push_str(&format!("{hours}h"));
            }
            text.push_str(&format!("{minutes}m"));
        }
        text.push_str(&seconds);
        text.push('s');
    }
    if duration < 0 {
        text.insert(0, '-');
    }
    text
}

/// `value / 10^precision` with its fraction, trailing zeros (and the dot) dropped.
fn with_fraction(value: u64, precision: u32) -> String {
    let scale = 10u64.pow(precision);
    let (whole, fraction) = (value / scale, value % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:0width$}", width = precision as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_go_parses_them() {
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(parse_duration("1h2m3s"), Ok(3_723_000_000_000));
        assert_eq!(parse_duration("300ms"), Ok(300_000_000));
        assert_eq!(parse_duration("1\u{b5}s"), Ok(1_000));
        assert_eq!(parse_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("1").unwrap_err(), "time: missing unit in duration \"1\"");
        assert_eq!(parse_duration("1d").unwrap_err(), "time: unknown unit \"d\" in duration \"1d\"");
        assert_eq!(parse_duration("").unwrap_err(), "time: invalid duration \"\"");
        assert_eq!(parse_duration("9999999999h").unwrap_err(), "time: invalid duration \"9999999999h\"");
    }

    #[test]
    fn durations_print_as_go_prints_them() {
        assert_eq!(format_duration(95_000_000_000), "1m35s");
        assert_eq!(format_duration(7_200_000_000_000), "2h0m0s");
        assert_eq!(format_duration(1_500), "1.5\u{b5}s");
        assert_eq!(format_duration(-1_500_000), "-1.5ms");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(i64::MIN), "-2562047h47m16.854775808s");
    }
}

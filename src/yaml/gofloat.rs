//! Go's `strconv.FormatFloat` with shortest precision (`'e'`, `'f'`, `'g'`)
//! and `encoding/json`'s float format, which YAML output and key conversion
//! must reproduce digit for digit, and the places where Go turns numbers
//! into float64. Must not round: digits come from Rust's shortest
//! round-trip formatting, which is the same set Go picks.

use serde_json::Value;

/// Shortest decimal digits of a finite, non-negative float and the position
/// of the decimal point: `value = 0.DIGITS × 10^point`.
struct Decimal {
    digits: String,
    point: i32,
}

fn shortest(value: f64, single: bool) -> Decimal {
    let scientific = if single { format!("{:e}", value.abs() as f32) } else { format!("{:e}", value.abs()) };
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits.chars().all(|digit| digit == '0') {
        return Decimal { digits: "0".to_owned(), point: 1 };
    }
    Decimal { digits, point: exponent + 1 }
}

fn sign(value: f64) -> &'static str {
    if value.is_sign_negative() { "-" } else { "" }
}

fn exponent_form(decimal: &Decimal, negative: &str) -> String {
    let (first, rest) = decimal.digits.split_at(1);
    let exponent = if decimal.digits == "0" { 0 } else { decimal.point - 1 };
    let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
    let exponent_sign = if exponent < 0 { '-' } else { '+' };
    format!("{negative}{first}{fraction}e{exponent_sign}{:02}", exponent.abs())
}

fn positional_form(decimal: &Decimal, negative: &str) -> String {
    let digits = &decimal.digits;
    let point = decimal.point;
    if point <= 0 {
        return format!("{negative}0.{}{digits}", "0".repeat(point.unsigned_abs() as usize));
    }
    let point = point as usize;
    if point >= digits.len() {
        return format!("{negative}{digits}{}", "0".repeat(point - digits.len()));
    }
    format!("{negative}{}.{}", &digits[..point], &digits[point..])
}

/// Go `strconv.FormatFloat(value, 'g', -1, 64)` (or 32 with `single`),
/// without the special cases for infinities and NaN.
pub(crate) fn format_g(value: f64, single: bool) -> String {
    let decimal = shortest(value, single);
    let exponent = decimal.point - 1;
    // With shortest digits Go decides between %e and %f with precision 6.
    if !(-4..6).contains(&exponent) {
        exponent_form(&decimal, sign(value))
    } else {
        positional_form(&decimal, sign(value))
    }
}

/// `encoding/json`'s float64 text: positional between 1e-6 and 1e21,
/// otherwise exponent form with a one-digit negative exponent (`1e-7`, `1e+21`).
pub(crate) fn format_json(value: f64) -> String {
    let decimal = shortest(value, false);
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-6..1e21).contains(&magnitude) {
        let text = exponent_form(&decimal, sign(value));
        // json.Marshal trims "e-07" to "e-7" (but keeps "e+21").
        if let Some(at) = text.find("e-0") {
            return format!("{}e-{}", &text[..at], &text[at + 3..]);
        }
        return text;
    }
    positional_form(&decimal, sign(value))
}

/// A JSON number as Go's `json.Marshal` prints it (integers as is, floats via [`format_json`]).
pub(crate) fn format_json_number(number: &serde_json::Number) -> String {
    match number.as_f64() {
        Some(float) if number.is_f64() => format_json(float),
        _ => number.to_string(),
    }
}

/// Integers beyond int64 as float64, as Kubernetes' unstructured JSON holds them.
pub(crate) fn float_beyond_int64(value: Value) -> Value {
    match value {
        Value::Number(number) if number.is_u64() && number.as_i64().is_none() => {
            number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(float_beyond_int64).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(key, field)| (key, float_beyond_int64(field))).collect())
        }
        other => other,
    }
}

/// Every number as float64, as Go's `json.Unmarshal` into `interface{}` gives them.
pub(crate) fn numbers_as_float64(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_float64).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(key, field)| (key, numbers_as_float64(field))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        for (value, expected) in [
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (3.5, "3.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-10, "-2.5e-10"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1e21, "1e+21"),
            (100.0, "100"),
        ] {
            assert_eq!(format_g(value, false), expected, "{value}");
        }
        assert_eq!(format_g(0.1, true), "0.1");
        assert_eq!(format_g(0.1234567891, true), "0.12345679");
    }

    #[test]
    fn json_format_matches_go() {
        for (value, expected) in [
            (1e6, "1000000"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (-1.5, "-1.5"),
            (1.5e300, "1.5e+300"),
            (0.0, "0"),
        ] {
            assert_eq!(format_json(value), expected, "{value}");
        }
    }
}

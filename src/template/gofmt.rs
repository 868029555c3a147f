//! Go's `fmt` and `strconv` formatting of template values: `%v` printing,
//! `Sprint`/`Sprintln`/`Sprintf` with Go's verbs and error markers
//! (`%!d(string=x)`), shortest float formatting (`1e+06`) and `strconv.Quote`.
//!
//! Output must match Go byte for byte; this module must not evaluate
//! templates or know about Helm.

use super::value::{ElemType, Value};
pub(crate) use crate::yaml::goquote::quote;
use crate::yaml::goquote::quote_rune;

/// Go's `%v` of a value, as `fmt.Sprint` prints a single operand.
pub fn format_value(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, &Spec::plain('v'), 0);
    out
}

/// Go's `fmt.Sprint`: operands printed with `%v`, a space between two
/// operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        write_value(&mut out, arg, &Spec::plain('v'), 0);
    }
    out
}

/// Go's `fmt.Sprintln`: operands with `%v`, always space-separated, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args.iter().map(format_value).collect();
    let mut out = parts.join(" ");
    out.push('\n');
    out
}

/// One parsed `%` directive.
#[derive(Clone, Debug, Default)]
struct Spec {
    verb: char,
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    /// `%+v`: Go clears the plus flag of a `v` verb and names struct fields.
    plus_v: bool,
    /// `%#v`: Go clears the sharp flag of a `v` verb and prints Go syntax.
    sharp_v: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    fn plain(verb: char) -> Spec {
        Spec { verb, ..Spec::default() }
    }
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut chars = format.char_indices().peekable();
    let mut arg_index = 0;
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = read_number(&mut chars);
        if let Some(&(_, '.')) = chars.peek() {
            chars.next();
            spec.precision = Some(read_number(&mut chars).unwrap_or(0));
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        spec.verb = verb;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(arg_index) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        arg_index += 1;
        if spec.minus {
            spec.zero = false;
        }
        if verb == 'v' {
            spec.plus_v = std::mem::take(&mut spec.plus);
            spec.sharp_v = std::mem::take(&mut spec.sharp);
        }
        if spec.sharp_v {
            write_go_syntax(&mut out, arg, 0);
            continue;
        }
        write_value(&mut out, arg, &spec, 0);
    }
    if arg_index < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[arg_index..]
            .iter()
            .map(|a| match a {
                Value::Nil => "<nil>".to_string(),
                _ => format!("{}={}", a.go_type(), format_value(a)),
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn read_number(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(&(_, d)) = chars.peek() {
        let Some(digit) = d.to_digit(10) else { break };
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(digit as usize).min(1_000_000));
        chars.next();
    }
    n
}

/// Deep structures are printed recursively; a map that contains itself would
/// never end, so printing stops at a depth no real data reaches.
const MAX_DEPTH: usize = 10_000;

fn write_value(out: &mut String, value: &Value, spec: &Spec, depth: usize) {
    if depth > MAX_DEPTH {
        out.push_str("...");
        return;
    }
    let verb = spec.verb;
    if verb == 'T' {
        pad(out, &value.go_type(), spec);
        return;
    }
    match value {
        Value::Nil => match verb {
            'v' => pad(out, "<nil>", spec),
            _ => out.push_str(&format!("%!{verb}(<nil>)")),
        },
        Value::Bool(b) => match verb {
            'v' | 't' => pad(out, if *b { "true" } else { "false" }, spec),
            _ => bad_verb(out, value, verb),
        },
        Value::Int(i) | Value::Int64(i) => write_int(out, value, *i, spec),
        // Go's `fmtC`: each part formatted as a float, the imaginary one always signed.
        Value::Complex(real, imaginary) => match verb {
            'v' | 'g' | 'G' | 'f' | 'F' | 'e' | 'E' => {
                out.push('(');
                write_value(out, &Value::Float(*real), spec, depth);
                write_value(out, &Value::Float(*imaginary), &Spec { plus: true, ..spec.clone() }, depth);
                out.push_str("i)");
            }
            _ => bad_verb(out, value, verb),
        },
        Value::Float(f) => match verb {
            'v' | 'g' | 'G' | 'e' | 'E' | 'f' | 'F' => {
                let v = if verb == 'v' { 'g' } else { verb };
                let mut text = format_float_verb(*f, v, spec.precision, spec.sharp);
                if text.starts_with('+') {
                    // Go keeps the sign of +Inf, a space in its place under the space flag.
                    if spec.space && !spec.plus {
                        text.replace_range(..1, " ");
                    }
                } else if !text.starts_with('-') {
                    if spec.plus {
                        text.insert(0, '+');
                    } else if spec.space {
                        text.insert(0, ' ');
                    }
                }
                pad_number(out, &text, spec);
            }
            _ => bad_verb(out, value, verb),
        },
        Value::String(s) => write_str(out, value, s, spec),
        // Go's fmt prints a []byte as text for %s, %q, %x and %X.
        Value::List(_, ElemType::Byte) if matches!(verb, 's' | 'q' | 'x' | 'X') => {
            let text = String::from_utf8_lossy(&value.as_bytes().unwrap_or_default()).into_owned();
            write_str(out, value, &text, spec);
        }
        Value::List(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, item, spec, depth + 1);
            }
            out.push(']');
        }
        Value::Map(map, _) => {
            out.push_str("map[");
            for (i, (k, v)) in map.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_str(out, &Value::str(k.as_str()), k, spec);
                out.push(':');
                write_value(out, v, spec, depth + 1);
            }
            out.push(']');
        }
        Value::Object(obj) if spec.plus_v && verb == 'v' => {
            pad(out, &obj.format_verbose(false).unwrap_or_else(|| obj.format()), spec)
        }
        Value::Object(obj) => match verb {
            'v' => pad(out, &obj.format(), spec),
            's' => pad(out, &obj.format_text().unwrap_or_else(|| obj.format()), spec),
            _ => bad_verb(out, value, verb),
        },
    }
}

/// Go's `%#v`: Go syntax, with each composite led by its type
/// (`map[string]interface {}{"a":1}`, `[]byte{0x61}`). A nil inside a
/// collection is a typed nil (`interface {}(nil)`), and `[]byte` is
/// `[]uint8` below the top level, as reflection names it there.
fn write_go_syntax(out: &mut String, value: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        out.push_str("...");
        return;
    }
    match value {
        Value::Nil if depth == 0 => out.push_str("<nil>"),
        Value::Nil => out.push_str("interface {}(nil)"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format_float_verb(*f, 'g', None, false)),
        Value::Complex(..) => write_value(out, value, &Spec::plain('v'), depth),
        Value::String(s) => out.push_str(&quote(s)),
        Value::List(..) if value.as_bytes().is_some() => {
            out.push_str(if depth == 0 { "[]byte{" } else { "[]uint8{" });
            let bytes = value.as_bytes().unwrap_or_default();
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:#x}")).collect();
            out.push_str(&hex.join(", "));
            out.push('}');
        }
        Value::List(items, _) => {
            out.push_str(&value.go_type());
            out.push('{');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_go_syntax(out, item, depth + 1);
            }
            out.push('}');
        }
        Value::Map(map, _) => {
            out.push_str(&value.go_type());
            out.push('{');
            for (i, (k, v)) in map.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push(':');
                write_go_syntax(out, v, depth + 1);
            }
            out.push('}');
        }
        Value::Object(obj) => out.push_str(&obj.format_verbose(true).unwrap_or_else(|| obj.format())),
    }
}

/// Go's `%#v` of a value (see `write_go_syntax`), for host objects
/// printing their fields.
pub fn go_syntax(value: &Value) -> String {
    let mut out = String::new();
    write_go_syntax(&mut out, value, 1);
    out
}

fn bad_verb(out: &mut String, value: &Value, verb: char) {
    out.push_str(&format!("%!{verb}({}={})", value.go_type(), format_value(value)));
}

fn write_str(out: &mut String, value: &Value, s: &str, spec: &Spec) {
    match spec.verb {
        'v' | 's' => {
            let text: String = match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            pad(out, &text, spec);
        }
        'q' => {
            let text = if spec.sharp && !s.contains('`') { format!("`{s}`") } else { quote(s) };
            pad(out, &text, spec);
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = match spec.precision {
                Some(p) => &bytes[..p.min(bytes.len())],
                None => bytes,
            };
            let mut text = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if spec.space && i > 0 {
                    text.push(' ');
                }
                if spec.sharp && (spec.space || i == 0) {
                    text.push_str(if spec.verb == 'x' { "0x" } else { "0X" });
                }
                if spec.verb == 'x' {
                    text.push_str(&format!("{b:02x}"));
                } else {
                    text.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, &text, spec);
        }
        verb => bad_verb(out, value, verb),
    }
}

fn write_int(out: &mut String, value: &Value, i: i64, spec: &Spec) {
    let magnitude = i.unsigned_abs();
    let digits = match spec.verb {
        'v' | 'd' => magnitude.to_string(),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'o' | 'O' => format!("{magnitude:o}"),
        'b' => format!("{magnitude:b}"),
        'c' => {
            let c = u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
            pad(out, &c.to_string(), spec);
            return;
        }
        'q' => {
            let c = u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
            pad(out, &quote_rune(c), spec);
            return;
        }
        'U' => {
            let text = format!("U+{magnitude:04X}");
            pad(out, &text, spec);
            return;
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 's' | 't' => {
            bad_verb(out, value, spec.verb);
            return;
        }
        verb => {
            bad_verb(out, value, verb);
            return;
        }
    };
    let mut digits = digits;
    if let Some(p) = spec.precision {
        if p == 0 && magnitude == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let prefix = match (spec.sharp, spec.verb) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'o') => "0",
        (true, 'b') => "0b",
        (_, 'O') => "0o",
        _ => "",
    };
    let sign = if i < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let text = format!("{sign}{prefix}{digits}");
    if spec.precision.is_some() {
        let mut spec = spec.clone();
        spec.zero = false;
        pad_number(out, &text, &spec);
    } else {
        pad_number(out, &text, spec);
    }
}

/// Pad text to the width with spaces (left or right).
fn pad(out: &mut String, text: &str, spec: &Spec) {
    let len = text.chars().count();
    let fill = spec.width.unwrap_or(0).saturating_sub(len);
    if spec.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        let c = if spec.zero { '0' } else { ' ' };
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(text);
    }
}

/// Pad a number: zero padding goes after the sign.
fn pad_number(out: &mut String, text: &str, spec: &Spec) {
    let len = text.chars().count();
    let fill = spec.width.unwrap_or(0).saturating_sub(len);
    if spec.zero && !spec.minus && fill > 0 && !text.ends_with("Inf") && !text.ends_with("NaN") {
        let (sign, rest) = match text.chars().next() {
            Some(c @ ('+' | '-' | ' ')) => (c.to_string(), &text[1..]),
            _ => (String::new(), text),
        };
        out.push_str(&sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(rest);
    } else {
        let mut spec = spec.clone();
        spec.zero = false;
        pad(out, text, &spec);
    }
}

/// Decimal digits and the decimal-point position of a float, shortest form
/// or rounded to `significant` digits.
fn decimal_digits(f: f64, significant: Option<usize>) -> (String, i32) {
    let text = match significant {
        Some(n) => format!("{:.*e}", n.saturating_sub(1), f.abs()),
        None => format!("{:e}", f.abs()),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// Go's `strconv.FormatFloat` for the verbs `e E f F g G`.
fn format_float_verb(f: f64, verb: char, precision: Option<usize>, sharp: bool) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".to_string() } else { "-Inf".to_string() };
    }
    let neg = f.is_sign_negative() && f != 0.0 || (f == 0.0 && f.is_sign_negative());
    let sign = if neg { "-" } else { "" };
    let body = match verb {
        'f' | 'F' => format!("{:.*}", precision.unwrap_or(6), f.abs()),
        'e' | 'E' => {
            let (digits, dp) = decimal_digits(f, Some(precision.unwrap_or(6) + 1));
            let digits = if f == 0.0 { "0".repeat(precision.unwrap_or(6) + 1) } else { digits };
            format_exp(&digits, if f == 0.0 { 1 } else { dp }, verb == 'E')
        }
        _ => {
            let shortest = precision.is_none();
            let (mut digits, dp) =
                if f == 0.0 { ("0".to_string(), 1) } else { decimal_digits(f, precision.map(|p| p.max(1))) };
            if !shortest {
                while digits.len() > 1 && digits.ends_with('0') && !sharp {
                    digits.pop();
                }
            }
            let mut eprec = precision.map(|p| p.max(1) as i32).unwrap_or(6);
            let nd = digits.len() as i32;
            if !shortest && eprec > nd && nd >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec { format_exp(&digits, dp, verb == 'G') } else { format_fixed(&digits, dp) }
        }
    };
    format!("{sign}{body}")
}

fn format_exp(digits: &str, dp: i32, upper: bool) -> String {
    let mut out = String::new();
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push(if upper { 'E' } else { 'e' });
    let exp = dp - 1;
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

fn format_fixed(digits: &str, dp: i32) -> String {
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(dp as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_float(f: f64) -> String {
        format_value(&Value::Float(f))
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(format_float(1_000_000.0), "1e+06");
        assert_eq!(format_float(100_000.0), "100000");
        assert_eq!(format_float(3.5), "3.5");
        assert_eq!(format_float(0.0001), "0.0001");
        assert_eq!(format_float(0.00001), "1e-05");
        assert_eq!(format_float(1234567.0), "1.234567e+06");
        assert_eq!(format_float(-2.0), "-2");
    }

    #[test]
    fn sprintf_marks_wrong_types_like_go() {
        assert_eq!(sprintf("%d", &[Value::Float(3.0)]), "%!d(float64=3)");
        assert_eq!(sprintf("%s|%5d|%-4s|", &[Value::str("a"), Value::Int(42), Value::str("b")]), "a|   42|b   |");
        assert_eq!(sprintf("%d %d", &[Value::Int(1)]), "1 %!d(MISSING)");
        assert_eq!(sprintf("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(sprintf("%q", &[Value::str("a\"b\n")]), "\"a\\\"b\\n\"");
    }
}

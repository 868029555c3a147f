//! Plain-scalar resolution: what an untagged (or `!!`-tagged) scalar means.
//!
//! One table, two dialects: [`Dialect::Yaml11`] is go-yaml v2 (what
//! sigs.k8s.io/yaml — hence kubectl, the API machinery and Helm — reads:
//! `yes`/`on`/`y` are booleans), [`Dialect::Yaml12`] is go-yaml v3 (what kyaml
//! — hence kustomize — reads: only `true`/`false` are booleans). Both keep
//! go-yaml's number rules (`0755` is octal, `_` separators, `0x`, `0o`, `0b`).
//! This module must not know about nodes or JSON; it maps text to a [`Scalar`].

/// The meaning of a scalar after resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `~`, `null`, empty.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer that fits in 64 bits.
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    Uint(u64),
    /// A float (including infinities and NaN).
    Float(f64),
    /// A timestamp (`2001-12-14`, `2001-12-14T21:59:43.10-05:00` …), kept as written.
    Timestamp(String),
    /// A string.
    Str(String),
}

/// Which go-yaml generation's resolution rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// go-yaml v2, YAML 1.1 booleans (sigs.k8s.io/yaml, kubectl, Helm).
    Yaml11,
    /// go-yaml v3, YAML 1.2 booleans (kyaml, kustomize).
    Yaml12,
}

/// Standard tags as the parser reports them.
pub(crate) mod tags {
    pub const STR: &str = "tag:yaml.org,2002:str";
    pub const INT: &str = "tag:yaml.org,2002:int";
    pub const FLOAT: &str = "tag:yaml.org,2002:float";
    pub const BOOL: &str = "tag:yaml.org,2002:bool";
    pub const NULL: &str = "tag:yaml.org,2002:null";
    pub const TIMESTAMP: &str = "tag:yaml.org,2002:timestamp";
    pub const BINARY: &str = "tag:yaml.org,2002:binary";
    pub const MERGE: &str = "tag:yaml.org,2002:merge";
}

/// Words with a fixed meaning, per dialect. Merge (`<<`) is handled by the caller.
fn keyword(dialect: Dialect, text: &str) -> Option<Scalar> {
    let yaml11_only = matches!(
        text,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
    );
    if yaml11_only && dialect == Dialect::Yaml12 {
        return None;
    }
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => Scalar::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Scalar::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Resolves a plain, untagged scalar the way go-yaml does.
pub fn resolve_plain(dialect: Dialect, text: &str) -> Scalar {
    resolve_with_hint(dialect, text, true).unwrap_or_else(|| Scalar::Str(text.to_owned()))
}

/// Resolves `text` ignoring timestamps when `timestamps` is false; `None` means "a string".
fn resolve_with_hint(dialect: Dialect, text: &str, timestamps: bool) -> Option<Scalar> {
    if let Some(known) = keyword(dialect, text) {
        return Some(known);
    }
    match text.as_bytes().first()? {
        b'.' => parse_go_float(text).map(Scalar::Float),
        b'0'..=b'9' | b'+' | b'-' => {
            if timestamps && is_timestamp(text) {
                return Some(Scalar::Timestamp(text.to_owned()));
            }
            resolve_number(&text.replace('_', ""))
        }
        _ => None,
    }
}

/// go-yaml's number ladder: Go `ParseInt(s, 0, 64)`, then `ParseUint`, then a
/// YAML-style float, then `0b`/`-0b` (and `0o` for v3, which Go's base 0 already covers).
fn resolve_number(plain: &str) -> Option<Scalar> {
    if let Some(int) = parse_go_int(plain) {
        return Some(int);
    }
    if is_yaml_style_float(plain) {
        return parse_go_float(plain).map(Scalar::Float);
    }
    None
}

/// Go `strconv.ParseInt(s, 0, 64)` then `ParseUint(s, 0, 64)` (underscores already removed).
fn parse_go_int(text: &str) -> Option<Scalar> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(rest) = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X")) {
        (16, rest)
    } else if let Some(rest) = unsigned.strip_prefix("0o").or_else(|| unsigned.strip_prefix("0O")) {
        (8, rest)
    } else if let Some(rest) = unsigned.strip_prefix("0b").or_else(|| unsigned.strip_prefix("0B")) {
        (2, rest)
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        (8, &unsigned[1..])
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        // i64::MIN has no positive counterpart, so compare in u64.
        if magnitude <= i64::MAX as u64 + 1 {
            return Some(Scalar::Int((magnitude as i64).wrapping_neg()));
        }
        return None;
    }
    match i64::try_from(magnitude) {
        Ok(int) => Some(Scalar::Int(int)),
        // Go's ParseUint takes no sign, so `+18446744073709551615` falls through to float.
        Err(_) if text.starts_with('+') => None,
        Err(_) => Some(Scalar::Uint(magnitude)),
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    } else {
        let whole = digits(at);
        if whole == 0 {
            return false;
        }
        at += whole;
        if bytes.get(at) == Some(&b'.') {
            at += 1 + digits(at + 1);
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// Go `strconv.ParseFloat(s, 64)` for the inputs go-yaml hands it: decimal
/// floats (`1.5`, `.5`, `1e3`, `5.`); out-of-range values fail as in Go.
fn parse_go_float(text: &str) -> Option<f64> {
    if !is_yaml_style_float(text) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(value)
}

/// go-yaml's `parseTimestamp`: starts with a 4-digit year and `-`, then one of
/// `2006-1-2`, `2006-1-2 15:4:5.999999999`, `2006-1-2T15:4:5.999999999Z07:00`
/// (also lower-case `t`), with Go's range checks.
pub(crate) fn is_timestamp(text: &str) -> bool {
    parse_timestamp(text).is_some()
}

/// A timestamp split into its fields; `offset_minutes` is `None` when no zone was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    pub offset_minutes: Option<i32>,
}

pub(crate) fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let year_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if year_digits != 4 || bytes.get(4) != Some(&b'-') {
        return None;
    }
    let mut cursor = Cursor { bytes, at: 5 };
    let year: i64 = text[..4].parse().ok()?;
    let month = cursor.number(2)?;
    cursor.expect(b'-')?;
    let day = cursor.number(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut stamp = Timestamp { year, month, day, hour: 0, minute: 0, second: 0, nanos: 0, offset_minutes: None };
    if cursor.at == bytes.len() {
        return Some(stamp);
    }
    let separator = bytes[cursor.at];
    if !matches!(separator, b'T' | b't' | b' ') {
        return None;
    }
    cursor.at += 1;
    stamp.hour = cursor.number(2)?;
    cursor.expect(b':')?;
    stamp.minute = cursor.number(2)?;
    cursor.expect(b':')?;
    stamp.second = cursor.number(2)?;
    if stamp.hour > 23 || stamp.minute > 59 || stamp.second > 59 {
        return None;
    }
    if bytes.get(cursor.at) == Some(&b'.') {
        let digits = bytes[cursor.at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let fraction = &text[cursor.at + 1..cursor.at + 1 + digits];
        stamp.nanos = format!("{fraction:0<9}").parse().ok()?;
        cursor.at += 1 + digits;
    }
    if separator == b' ' {
        return (cursor.at == bytes.len()).then_some(stamp);
    }
    match bytes.get(cursor.at)? {
        b'Z' => {
            stamp.offset_minutes = Some(0);
            cursor.at += 1;
        }
        sign @ (b'+' | b'-') => {
            cursor.at += 1;
            let hours = cursor.exact_digits(2)?;
            cursor.expect(b':')?;
            let minutes = cursor.exact_digits(2)?;
            if hours > 24 || minutes > 59 {
                return None;
            }
            let total = (hours * 60 + minutes) as i32;
            stamp.offset_minutes = Some(if *sign == b'-' { -total } else { total });
        }
        _ => return None,
    }
    (cursor.at == bytes.len()).then_some(stamp)
}

struct Cursor<'text> {
    bytes: &'text [u8],
    at: usize,
}

impl Cursor<'_> {
    /// One to `max` digits, as Go's layout elements `1`, `2`, `15`, `4`, `5` accept.
    fn number(&mut self, max: usize) -> Option<u32> {
        let digits = self.bytes[self.at..].iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        self.exact_digits(digits)
    }

    fn exact_digits(&mut self, count: usize) -> Option<u32> {
        let slice = self.bytes.get(self.at..self.at + count)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += count;
        std::str::from_utf8(slice).ok()?.parse().ok()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.bytes.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Resolves a scalar with an explicit standard tag the way go-yaml's
/// `resolve(tag, in)` does: the value must resolve to that tag (an int is
/// accepted as a float). `Err` carries go-yaml's message.
pub fn resolve_tagged(dialect: Dialect, tag: &str, text: &str) -> Result<Scalar, String> {
    let short = tag.strip_prefix("tag:yaml.org,2002:").map(|name| format!("!!{name}")).unwrap_or(tag.to_owned());
    let resolved = match tag {
        tags::STR | tags::BINARY => return Ok(Scalar::Str(text.to_owned())),
        tags::TIMESTAMP => {
            return if is_timestamp(text) {
                Ok(Scalar::Timestamp(text.to_owned()))
            } else {
                Err(format!("cannot decode !!str `{text}` as a {short}"))
            };
        }
        tags::INT | tags::FLOAT | tags::BOOL | tags::NULL => {
            resolve_with_hint(dialect, text, false).unwrap_or_else(|| Scalar::Str(text.to_owned()))
        }
        // Tags go-yaml does not resolve leave the text as a string.
        _ => return Ok(Scalar::Str(text.to_owned())),
    };
    let matches = matches!(
        (tag, &resolved),
        (tags::INT, Scalar::Int(_) | Scalar::Uint(_))
            | (tags::FLOAT, Scalar::Float(_))
            | (tags::BOOL, Scalar::Bool(_))
            | (tags::NULL, Scalar::Null)
    );
    if matches {
        return Ok(resolved);
    }
    match (tag, resolved) {
        (tags::FLOAT, Scalar::Int(int)) => Ok(Scalar::Float(int as f64)),
        (tags::FLOAT, Scalar::Uint(int)) => Ok(Scalar::Float(int as f64)),
        (_, other) => Err(format!("cannot decode {} `{text}` as a {short}", short_tag_of(&other))),
    }
}

fn short_tag_of(scalar: &Scalar) -> &'static str {
    match scalar {
        Scalar::Null => "!!null",
        Scalar::Bool(_) => "!!bool",
        Scalar::Int(_) | Scalar::Uint(_) => "!!int",
        Scalar::Float(_) => "!!float",
        Scalar::Timestamp(_) => "!!timestamp",
        Scalar::Str(_) => "!!str",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_booleans_only_in_yaml11() {
        for word in ["y", "Yes", "ON", "off", "N"] {
            assert!(matches!(resolve_plain(Dialect::Yaml11, word), Scalar::Bool(_)), "{word}");
            assert_eq!(resolve_plain(Dialect::Yaml12, word), Scalar::Str(word.to_owned()));
        }
        assert_eq!(resolve_plain(Dialect::Yaml12, "True"), Scalar::Bool(true));
    }

    #[test]
    fn go_number_rules() {
        let yaml11 = |text| resolve_plain(Dialect::Yaml11, text);
        assert_eq!(yaml11("0755"), Scalar::Int(493));
        assert_eq!(yaml11("0o17"), Scalar::Int(15));
        assert_eq!(yaml11("0x_1F"), Scalar::Int(31));
        assert_eq!(yaml11("1_000"), Scalar::Int(1000));
        assert_eq!(yaml11("+12"), Scalar::Int(12));
        assert_eq!(yaml11("-0b101"), Scalar::Int(-5));
        assert_eq!(yaml11("08"), Scalar::Float(8.0));
        assert_eq!(yaml11("1e3"), Scalar::Float(1000.0));
        assert_eq!(yaml11("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(yaml11("-9223372036854775808"), Scalar::Int(i64::MIN));
        assert_eq!(yaml11("1e400"), Scalar::Str("1e400".to_owned()));
        assert_eq!(yaml11("1.2.3"), Scalar::Str("1.2.3".to_owned()));
        assert_eq!(yaml11("2001-12-14"), Scalar::Timestamp("2001-12-14".to_owned()));
        assert_eq!(yaml11("2001-02-30"), Scalar::Str("2001-02-30".to_owned()));
    }

    #[test]
    fn tagged_scalars_must_match_their_tag() {
        assert_eq!(resolve_tagged(Dialect::Yaml11, tags::FLOAT, "3"), Ok(Scalar::Float(3.0)));
        assert_eq!(resolve_tagged(Dialect::Yaml11, tags::STR, "true"), Ok(Scalar::Str("true".to_owned())));
        assert_eq!(
            resolve_tagged(Dialect::Yaml11, tags::INT, "abc"),
            Err("cannot decode !!str `abc` as a !!int".to_owned())
        );
    }
}

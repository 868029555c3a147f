//! Go's number literals as `text/template` reads them: the lexer's
//! `scanNumber`, `strconv.ParseInt`/`ParseUint` with base 0, `strconv.ParseFloat`
//! (decimal and hexadecimal mantissas, `_` separators, range errors) and
//! `parse.newNumber`, which decides whether a literal is an int, a float, a
//! complex number or an error. Everything here follows the Go spec's number
//! literals: `0b`, `0o`, legacy `0`-prefixed octal, `0x` with a `p` exponent,
//! `_` between digits, and the imaginary suffix `i`.
//!
//! Pure functions over text; this module must not evaluate anything.

/// Why `strconv.ParseFloat` refused its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FloatError {
    /// Not a float in Go's syntax.
    Syntax,
    /// Well formed, but beyond float64's range.
    Range,
}

impl FloatError {
    /// The reason as `strconv.NumError` words it.
    fn reason(self) -> &'static str {
        match self {
            FloatError::Syntax => "invalid syntax",
            FloatError::Range => "value out of range",
        }
    }
}

/// A number literal with every interpretation Go's `parse.NumberNode` allows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    /// The value as a uint64 when it is a non-negative integer (`IsUint`).
    pub uint: Option<u64>,
    pub float: Option<f64>,
    /// Real and imaginary parts of an imaginary or complex literal (`IsComplex`).
    pub complex: Option<(f64, f64)>,
    /// Character constants like `'a'` are ints written as runes.
    pub is_char: bool,
}

/// The lexer's `scanNumber` over the start of `text`: the length of the
/// number, or `Err(length)` up to and including the letter or digit that
/// makes it bad syntax.
pub(crate) fn scan(text: &str) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let accept = |pos: &mut usize, valid: &[u8]| -> bool {
        if bytes.get(*pos).is_some_and(|b| valid.contains(b)) {
            *pos += 1;
            true
        } else {
            false
        }
    };
    accept(&mut pos, b"+-");
    let mut digits: &[u8] = b"0123456789_";
    if accept(&mut pos, b"0") {
        // A leading 0 alone does not make a float octal, so only prefixes change the digits.
        if accept(&mut pos, b"xX") {
            digits = b"0123456789abcdefABCDEF_";
        } else if accept(&mut pos, b"oO") {
            digits = b"01234567_";
        } else if accept(&mut pos, b"bB") {
            digits = b"01_";
        }
    }
    while accept(&mut pos, digits) {}
    if accept(&mut pos, b".") {
        while accept(&mut pos, digits) {}
    }
    if digits.len() == 11 && accept(&mut pos, b"eE") {
        accept(&mut pos, b"+-");
        while accept(&mut pos, b"0123456789_") {}
    }
    if digits.len() == 23 && accept(&mut pos, b"pP") {
        accept(&mut pos, b"+-");
        while accept(&mut pos, b"0123456789_") {}
    }
    accept(&mut pos, b"i");
    match text[pos..].chars().next() {
        Some(c) if c == '_' || c.is_alphanumeric() => Err(pos + c.len_utf8()),
        _ => Ok(pos),
    }
}

/// Go's `underscoreOK`: underscores only between digits, or between a base
/// prefix and a digit.
fn underscore_ok(text: &str) -> bool {
    let mut s = text.as_bytes();
    if let Some(b'+' | b'-') = s.first() {
        s = &s[1..];
    }
    // '^' start, '0' digit or prefix, '_' underscore, '!' anything else.
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(text, 0, 64)`.
pub(crate) fn parse_uint(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let (radix, digits) = match lower.as_bytes() {
        [b'0', b'b', _, ..] => (2, &lower[2..]),
        [b'0', b'o', _, ..] => (8, &lower[2..]),
        [b'0', b'x', _, ..] => (16, &lower[2..]),
        [b'0', _, ..] => (8, &lower[1..]),
        _ => (10, &lower[..]),
    };
    if digits.contains('_') && !underscore_ok(text) {
        return None;
    }
    let digits = digits.replace('_', "");
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(&digits, radix).ok()
}

/// Go's `strconv.ParseInt(text, 0, 64)`: sign, base prefixes, underscores.
pub fn parse_int(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = parse_uint(body)?;
    if negative { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() }
}

/// Go's `strconv.ParseFloat(text, 64)`: decimal and hexadecimal (`0x1.8p1`)
/// mantissas, `_` separators, `inf`/`infinity`/`nan` in any case.
pub(crate) fn parse_float(text: &str) -> Result<f64, FloatError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    let magnitude = match special {
        Some(value) => value,
        None => {
            if body.contains('_') && !underscore_ok(body) {
                return Err(FloatError::Syntax);
            }
            let plain = lower.replace('_', "");
            let value = match plain.strip_prefix("0x") {
                Some(hex) => parse_hex_float(hex)?,
                None if plain.bytes().all(|b| b.is_ascii_digit() || b"+-.e".contains(&b)) => {
                    plain.parse::<f64>().map_err(|_| FloatError::Syntax)?
                }
                None => return Err(FloatError::Syntax),
            };
            if value.is_infinite() {
                return Err(FloatError::Range);
            }
            value
        }
    };
    Ok(if negative { -magnitude } else { magnitude })
}

/// A hexadecimal mantissa (after `0x`, lowercase, no `_`) with its required
/// `p` exponent, rounded to nearest even as Go's `atofHex` does.
fn parse_hex_float(text: &str) -> Result<f64, FloatError> {
    let (mantissa, exponent) = text.split_once('p').ok_or(FloatError::Syntax)?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_hexdigit())
    {
        return Err(FloatError::Syntax);
    }
    let exponent_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if exponent_digits.is_empty() || !exponent_digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FloatError::Syntax);
    }
    // Exponents far beyond float64's range are clamped: they can only overflow or vanish.
    let exponent: i64 = exponent.parse::<i64>().unwrap_or(if exponent.starts_with('-') { -100_000 } else { 100_000 });
    let exponent = exponent.clamp(-100_000, 100_000);
    // The first 30 significant hex digits (120 bits) are kept exactly; the
    // rest only matter as a sticky bit for rounding.
    let mut bits: u128 = 0;
    let mut scale = exponent - 4 * fraction.len() as i64;
    let mut sticky = false;
    let mut kept = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        let digit = u128::from((b as char).to_digit(16).unwrap_or(0));
        if bits == 0 && digit == 0 {
            continue;
        }
        if kept < 30 {
            bits = bits << 4 | digit;
            kept += 1;
        } else {
            sticky |= digit != 0;
            scale += 4;
        }
    }
    if bits == 0 {
        return Ok(0.0);
    }
    // value = bits × 2^scale; `top` is the exponent of its leading bit.
    let top = scale + 127 - i64::from(bits.leading_zeros());
    if top > 1023 {
        return Err(FloatError::Range);
    }
    let normalized = bits << bits.leading_zeros();
    // Bits of `normalized` below the last one float64 keeps: 53 significant
    // bits for a normal number, fewer for a subnormal one.
    let dropped = if top >= -1022 { 128 - 53 } else { 128 - 53 + (-1022 - top) } as u32;
    let (mut mantissa, rest, half) = match dropped {
        // Below half the smallest subnormal: rounds to zero.
        129.. => return Ok(0.0),
        128 => (0u128, normalized, 1u128 << 127),
        _ => (normalized >> dropped, normalized & ((1u128 << dropped) - 1), 1u128 << (dropped - 1)),
    };
    if rest > half || rest == half && (sticky || mantissa & 1 == 1) {
        mantissa += 1;
    }
    let mut top = top;
    if top >= -1022 {
        if mantissa == 1 << 53 {
            mantissa >>= 1;
            top += 1;
        }
        if top > 1023 {
            return Err(FloatError::Range);
        }
        let biased = (top + 1023) as u64;
        Ok(f64::from_bits(biased << 52 | (mantissa as u64 & ((1 << 52) - 1))))
    } else {
        // A subnormal's bits are its mantissa; rounding up into 2^52 gives the smallest normal.
        Ok(f64::from_bits(mantissa as u64))
    }
}

/// Go's `parse.newNumber` for a number token (`complex` for the lexer's
/// `itemComplex`, `1+2i`): the literal's interpretations, or the parse
/// error Go reports.
pub(crate) fn number_node(text: &str, complex: bool) -> Result<Number, String> {
    let mut number = Number { text: text.to_string(), ..Number::default() };
    if complex {
        let (real, imaginary) = split_complex(text)?;
        number.complex = Some((real, imaginary));
        number.simplify_complex();
        return Ok(number);
    }
    // Imaginary constants are complex unless their value is zero.
    if let Some(imaginary) = text.strip_suffix('i')
        && let Ok(value) = parse_float(imaginary)
    {
        number.complex = Some((0.0, value));
        number.simplify_complex();
        return Ok(number);
    }
    number.uint = parse_uint(text);
    number.int = parse_int(text);
    if number.int == Some(0) {
        // `-0`: ParseUint refuses the sign.
        number.uint = Some(0);
    }
    if let Some(int) = number.int {
        number.float = Some(int as f64);
    } else if let Some(uint) = number.uint {
        number.float = Some(uint as f64);
    } else if let Ok(float) = parse_float(text) {
        // Parsed as a float but written as an integer: too large for any int type.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", super::gofmt::quote(text)));
        }
        number.float = Some(float);
        number.int = exact_int(float);
        number.uint = exact_uint(float);
    }
    if number.int.is_none() && number.uint.is_none() && number.float.is_none() {
        return Err(format!("illegal number syntax: {}", super::gofmt::quote(text)));
    }
    Ok(number)
}

impl Number {
    /// Go's `simplifyComplex`: a complex number with no imaginary part is also a float, and maybe an integer.
    fn simplify_complex(&mut self) {
        let Some((real, imaginary)) = self.complex else { return };
        if imaginary == 0.0 {
            self.float = Some(real);
            self.int = exact_int(real);
            self.uint = exact_uint(real);
        }
    }
}

/// `float64(int64(f)) == f`
fn exact_int(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)).then_some(f as i64)
}

/// `float64(uint64(f)) == f`
fn exact_uint(f: f64) -> Option<u64> {
    (f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f)).then_some(f as u64)
}

/// `fmt.Sscan` of a `complex128` from the lexer's `REAL±IMAGi` token.
fn split_complex(text: &str) -> Result<(f64, f64), String> {
    const SYNTAX: &str = "syntax error scanning complex number";
    let real_len = scan(text).map_err(|_| SYNTAX.to_string())?;
    let (real, imaginary) = text.split_at(real_len);
    let imaginary = imaginary.strip_suffix('i').ok_or_else(|| SYNTAX.to_string())?;
    let part = |part: &str| -> Result<f64, String> {
        // fmt's float scanner knows no 0b or 0o prefix: it stops after the 0.
        let digits = part.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if digits.starts_with("0b") || digits.starts_with("0o") {
            return Err(SYNTAX.to_string());
        }
        parse_float(part)
            .map_err(|e| format!("strconv.ParseFloat: parsing {}: {}", super::gofmt::quote(part), e.reason()))
    };
    Ok((part(real)?, part(imaginary)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_like_the_go_lexer() {
        assert_eq!(scan("0x1p60 }}"), Ok(6));
        assert_eq!(scan("0x1.8p1"), Ok(7));
        assert_eq!(scan("1i)"), Ok(2));
        assert_eq!(scan("1+2i"), Ok(1));
        assert_eq!(scan("1x"), Err(2));
        assert_eq!(scan("0b12"), Err(4));
    }

    #[test]
    fn parses_ints_like_strconv() {
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("017"), Some(15));
        assert_eq!(parse_int("0_7"), Some(7));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("0b_101"), Some(5));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("-5"), Some(-5));
        assert_eq!(parse_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_uint("9223372036854775808"), Some(1 << 63));
        assert_eq!(parse_int("1.5"), None);
        assert_eq!(parse_int("1__0"), None);
        assert_eq!(parse_int("1_"), None);
        assert_eq!(parse_int("08"), None);
        assert_eq!(parse_int("0x"), None);
    }

    #[test]
    fn parses_floats_like_strconv() {
        // Figures from Go 1.19's strconv.ParseFloat.
        assert_eq!(parse_float("0x1p60"), Ok(1.152_921_504_606_847e18));
        assert_eq!(parse_float("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_float("0x1.8"), Err(FloatError::Syntax));
        assert_eq!(parse_float("1_000.5"), Ok(1000.5));
        assert_eq!(parse_float("1_e5"), Err(FloatError::Syntax));
        assert_eq!(parse_float("1e400"), Err(FloatError::Range));
        assert_eq!(parse_float("1e-400"), Ok(0.0));
        assert_eq!(parse_float("0x1p-1080"), Ok(0.0));
        assert_eq!(parse_float("0x1p-1074"), Ok(5e-324));
        assert_eq!(parse_float("0x1p-1075"), Ok(0.0));
        assert_eq!(parse_float("0x3p-1076"), Ok(5e-324));
        assert_eq!(parse_float("0x1.000001p-1075"), Ok(5e-324));
        assert_eq!(parse_float("0x1.0000000000000fffp0"), Ok(1.000_000_000_000_000_2));
        assert_eq!(parse_float("0x1.ffffffffffffe8p-1023"), Ok(f64::from_bits(4_503_599_627_370_495)));
        assert_eq!(parse_float("0x1.fffffffffffff8p1023"), Err(FloatError::Range));
        assert_eq!(parse_float("0x1p1024"), Err(FloatError::Range));
        assert_eq!(parse_float("0x_1p0"), Ok(1.0));
        assert_eq!(parse_float("-0x1p-2"), Ok(-0.25));
        assert_eq!(parse_float("08.5"), Ok(8.5));
        assert_eq!(parse_float("Infinity"), Ok(f64::INFINITY));
    }

    #[test]
    fn classifies_literals_like_new_number() {
        let n = number_node("0x1p60", false).unwrap();
        assert_eq!((n.int, n.float, n.complex), (Some(1 << 60), Some(1.152_921_504_606_847e18), None));
        let n = number_node("1i", false).unwrap();
        assert_eq!((n.int, n.float, n.complex), (None, None, Some((0.0, 1.0))));
        let n = number_node("0i", false).unwrap();
        assert_eq!((n.int, n.float, n.complex), (Some(0), Some(0.0), Some((0.0, 0.0))));
        let n = number_node("0x1p2+1i", true).unwrap();
        assert_eq!(n.complex, Some((4.0, 1.0)));
        let n = number_node("18446744073709551615", false).unwrap();
        assert_eq!((n.int, n.uint), (None, Some(u64::MAX)));
        assert_eq!(number_node("08", false).unwrap_err(), "integer overflow: \"08\"");
        assert_eq!(number_node("0x1.8", false).unwrap_err(), "illegal number syntax: \"0x1.8\"");
        assert_eq!(number_node("1e400", false).unwrap_err(), "illegal number syntax: \"1e400\"");
        assert_eq!(number_node("0x10i", false).unwrap_err(), "illegal number syntax: \"0x10i\"");
        assert_eq!(number_node("0b1+1i", true).unwrap_err(), "syntax error scanning complex number");
        assert_eq!(number_node("0x1+1i", true).unwrap_err(), "strconv.ParseFloat: parsing \"0x1\": invalid syntax");
    }
}

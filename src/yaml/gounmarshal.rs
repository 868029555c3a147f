//! JSON text read as Go's `encoding/json` reads it into an `interface {}`,
//! with Go's exact error messages: the syntax errors of its scanner
//! (`invalid character 'b' looking for beginning of object key string`,
//! `unexpected end of JSON input`) and the type errors of its decoder
//! (`json: cannot unmarshal array into Go value of type map[string]interface {}`).
//! Helm's `fromJson` family, `--set-json` and JSON documents read where Go
//! tools read them share this one reader, so a user sees the words the real
//! tool prints.
//!
//! Also lenient where Go is: a lone UTF-16 surrogate escape becomes U+FFFD.
//! Must not write JSON (see `gojson`) nor know what the value is for.

use serde_json::{Map, Number, Value};

/// Why Go's `json.Unmarshal` refused a text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnmarshalError {
    /// Not JSON: Go's `*json.SyntaxError`, at a byte offset.
    #[error("{message}")]
    Syntax { message: String, offset: usize },
    /// JSON, but not what the Go destination holds: Go's `*json.UnmarshalTypeError`.
    #[error("json: cannot unmarshal {value} into Go value of type {go_type}")]
    Type { value: String, go_type: &'static str },
}

/// What a Go caller decodes into: the destination types the fromJson family uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// `interface {}`: any value.
    Any,
    /// `map[string]interface {}`: an object, or `null` (which leaves the map as it was).
    Map,
    /// `[]interface {}`: an array, or `null`.
    Slice,
}

impl Destination {
    fn go_type(self) -> &'static str {
        match self {
            Destination::Any => "interface {}",
            Destination::Map => "map[string]interface {}",
            Destination::Slice => "[]interface {}",
        }
    }
}

/// The result of decoding valid JSON: the value, and the first type error Go
/// saved on the way (Go keeps decoding after one, so the value is what Go's
/// destination holds when `Unmarshal` returns that error).
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub value: Value,
    pub error: Option<UnmarshalError>,
}

/// Go's `json.Unmarshal(text, &destination)`: a syntax error before any
/// decoding, else the value with the first type error, if any. Numbers that
/// fit an `i64` stay integers (as `float64` they print the same); others
/// are floats.
pub fn unmarshal(text: &str, destination: Destination) -> Result<Decoded, UnmarshalError> {
    check_valid(text.as_bytes(), false)?;
    let mut decoder = Decoder { text: text.as_bytes(), pos: 0, error: None };
    let value = decoder.value();
    let value = match (destination, value) {
        (Destination::Any, value)
        | (Destination::Map, value @ (Value::Object(_) | Value::Null))
        | (Destination::Slice, value @ (Value::Array(_) | Value::Null)) => value,
        (_, other) => {
            let error = UnmarshalError::Type { value: json_kind(&other).to_string(), go_type: destination.go_type() };
            decoder.error.get_or_insert(error);
            Value::Null
        }
    };
    Ok(Decoded { value, error: decoder.error })
}

/// Go's `json.Unmarshal` into `interface {}`, failing on any error.
pub fn from_str(text: &str) -> Result<Value, UnmarshalError> {
    let decoded = unmarshal(text, Destination::Any)?;
    match decoded.error {
        Some(error) => Err(error),
        None => Ok(decoded.value),
    }
}

/// Go's `json.NewDecoder(text).Decode(&v)` into `interface {}`: the first
/// JSON value of the text and the bytes it took; the rest is left unread.
/// Running out of input inside the value is `unexpected EOF`.
pub fn decode_first(text: &str) -> Result<(Value, usize), UnmarshalError> {
    let end = check_valid(text.as_bytes(), true)?;
    let mut decoder = Decoder { text: &text.as_bytes()[..end], pos: 0, error: None };
    let value = decoder.value();
    match decoder.error {
        Some(error) => Err(error),
        None => Ok((value, end)),
    }
}

/// Go's name for the kind of a JSON value, as `json.Unmarshal` errors print it
/// (`cannot unmarshal bool into ...`).
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Go's scanner refuses JSON nested deeper than this (`maxNestingDepth`).
const MAX_DEPTH: usize = 10_000;

/// What the scanner expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    /// Just after `[`.
    ValueOrClose,
    Key,
    /// Just after `{`.
    KeyOrClose,
    Colon,
    /// After a complete value: judged by the innermost open collection.
    End,
}

/// Go's `checkValid`: its scanner state machine over the whole text (or,
/// for a `stream`, up to the end of the first value, returned), with an
/// explicit stack so deep nesting costs no native stack.
fn check_valid(text: &[u8], stream: bool) -> Result<usize, UnmarshalError> {
    let mut scanner = Scanner { text, pos: 0 };
    scan_value(&mut scanner, stream).map_err(|error| {
        // A `json.Decoder` that runs out of input mid-value says only that.
        if stream && scanner.pos >= text.len() {
            UnmarshalError::Syntax { message: "unexpected EOF".to_string(), offset: text.len() }
        } else {
            error
        }
    })
}

fn scan_value(scanner: &mut Scanner<'_>, stream: bool) -> Result<usize, UnmarshalError> {
    let text = scanner.text;
    // `true` for an open object, `false` for an open array.
    let mut open: Vec<bool> = Vec::new();
    let mut expect = Expect::Value;
    loop {
        if stream && expect == Expect::End && open.is_empty() {
            return Ok(scanner.pos);
        }
        scanner.skip_space();
        if expect == Expect::End && open.is_empty() {
            return match text.get(scanner.pos) {
                None => Ok(scanner.pos),
                Some(&c) => Err(scanner.invalid(c, "after top-level value")),
            };
        }
        let c = scanner.peek()?;
        expect = match expect {
            Expect::ValueOrClose if c == b']' => {
                open.pop();
                scanner.pos += 1;
                Expect::End
            }
            Expect::Value | Expect::ValueOrClose => match c {
                b'{' | b'[' => {
                    open.push(c == b'{');
                    if open.len() > MAX_DEPTH {
                        return Err(scanner.invalid(c, "exceeded max depth"));
                    }
                    scanner.pos += 1;
                    if c == b'{' { Expect::KeyOrClose } else { Expect::ValueOrClose }
                }
                b'"' => {
                    scanner.string()?;
                    Expect::End
                }
                b'-' | b'0'..=b'9' => {
                    scanner.number()?;
                    Expect::End
                }
                b't' => {
                    scanner.literal(b"true")?;
                    Expect::End
                }
                b'f' => {
                    scanner.literal(b"false")?;
                    Expect::End
                }
                b'n' => {
                    scanner.literal(b"null")?;
                    Expect::End
                }
                _ => return Err(scanner.invalid(c, "looking for beginning of value")),
            },
            Expect::KeyOrClose if c == b'}' => {
                open.pop();
                scanner.pos += 1;
                Expect::End
            }
            Expect::Key | Expect::KeyOrClose => {
                if c != b'"' {
                    return Err(scanner.invalid(c, "looking for beginning of object key string"));
                }
                scanner.string()?;
                Expect::Colon
            }
            Expect::Colon => {
                if c != b':' {
                    return Err(scanner.invalid(c, "after object key"));
                }
                scanner.pos += 1;
                Expect::Value
            }
            Expect::End => {
                let in_object = open.last().copied().unwrap_or_default();
                let (close, next, words) = if in_object {
                    (b'}', Expect::Key, "after object key:value pair")
                } else {
                    (b']', Expect::Value, "after array element")
                };
                if c == b',' {
                    scanner.pos += 1;
                    next
                } else if c == close {
                    open.pop();
                    scanner.pos += 1;
                    Expect::End
                } else {
                    return Err(scanner.invalid(c, words));
                }
            }
        };
    }
}

/// The tokens of Go's scanner, failing where, and with the words, its
/// state machine fails.
struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        self.pos = skip_space(self.text, self.pos);
    }

    fn invalid(&self, c: u8, context: &str) -> UnmarshalError {
        UnmarshalError::Syntax {
            message: format!("invalid character {} {context}", quote_char(c)),
            offset: self.pos + 1,
        }
    }

    /// The next byte, or Go's end-of-input error.
    fn peek(&self) -> Result<u8, UnmarshalError> {
        self.text.get(self.pos).copied().ok_or_else(|| UnmarshalError::Syntax {
            message: "unexpected end of JSON input".to_string(),
            offset: self.text.len(),
        })
    }

    /// The next byte inside a token; at the end of the text Go's scanner
    /// feeds a space, which no state inside a token takes.
    fn peek_in_token(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(b' ')
    }

    fn string(&mut self) -> Result<(), UnmarshalError> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    match self.peek_in_token() {
                        b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => self.pos += 1,
                        b'u' => {
                            self.pos += 1;
                            for _ in 0..4 {
                                let h = self.peek_in_token();
                                if !h.is_ascii_hexdigit() {
                                    return Err(self.invalid(h, "in \\u hexadecimal character escape"));
                                }
                                self.pos += 1;
                            }
                        }
                        e => return Err(self.invalid(e, "in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(self.invalid(c, "in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    /// A number; what follows it is judged by the enclosing context, as
    /// Go's `stateEndValue` does.
    fn number(&mut self) -> Result<(), UnmarshalError> {
        if self.text[self.pos] == b'-' {
            self.pos += 1;
            let c = self.peek_in_token();
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "in numeric literal"));
            }
        }
        if self.text[self.pos] == b'0' {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.text.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let c = self.peek_in_token();
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.text.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.text.get(self.pos) {
                self.pos += 1;
            }
            let c = self.peek_in_token();
            if !c.is_ascii_digit() {
                return Err(self.invalid(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.text.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), UnmarshalError> {
        self.pos += 1;
        for &expected in &word[1..] {
            let c = self.peek_in_token();
            if c != expected {
                let name = std::str::from_utf8(word).unwrap_or_default();
                let context = format!("in literal {name} (expecting {})", quote_char(expected));
                return Err(self.invalid(c, &context));
            }
            self.pos += 1;
        }
        Ok(())
    }
}

/// The position after the JSON white space at `pos`.
fn skip_space(text: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\r' | b'\n') = text.get(pos) {
        pos += 1;
    }
    pos
}

/// Go's `quoteChar`: a byte in single quotes, escaped as `strconv.Quote`
/// escapes the rune with that number.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        c => {
            let quoted = super::goquote::quote(char::from(c).encode_utf8(&mut [0; 4]));
            format!("'{}'", &quoted[1..quoted.len() - 1])
        }
    }
}

/// Builds the value from text the scanner accepted.
struct Decoder<'a> {
    text: &'a [u8],
    pos: usize,
    /// The first type error, which Go saves and returns after decoding the rest.
    error: Option<UnmarshalError>,
}

impl Decoder<'_> {
    fn skip_space(&mut self) {
        self.pos = skip_space(self.text, self.pos);
    }

    /// The value at the current position, built with an explicit stack of
    /// open collections (the scanner has bounded their depth).
    fn value(&mut self) -> Value {
        enum Open {
            Array(Vec<Value>),
            Object(Map<String, Value>, Option<String>),
        }
        let mut open: Vec<Open> = Vec::new();
        loop {
            self.skip_space();
            let value = match self.text[self.pos] {
                b'{' => {
                    self.pos += 1;
                    open.push(Open::Object(Map::new(), None));
                    continue;
                }
                b'[' => {
                    self.pos += 1;
                    open.push(Open::Array(Vec::new()));
                    continue;
                }
                b',' | b':' => {
                    self.pos += 1;
                    continue;
                }
                b'}' | b']' => {
                    self.pos += 1;
                    match open.pop() {
                        Some(Open::Array(items)) => Value::Array(items),
                        Some(Open::Object(map, _)) => Value::Object(map),
                        None => Value::Null,
                    }
                }
                b'"' => {
                    let text = self.string();
                    if let Some(Open::Object(_, key @ None)) = open.last_mut() {
                        *key = Some(text);
                        continue;
                    }
                    Value::String(text)
                }
                b't' => {
                    self.pos += 4;
                    Value::Bool(true)
                }
                b'f' => {
                    self.pos += 5;
                    Value::Bool(false)
                }
                b'n' => {
                    self.pos += 4;
                    Value::Null
                }
                _ => self.number(),
            };
            match open.last_mut() {
                None => return value,
                Some(Open::Array(items)) => items.push(value),
                Some(Open::Object(map, key)) => {
                    map.insert(key.take().unwrap_or_default(), value);
                }
            }
        }
    }

    fn number(&mut self) -> Value {
        let start = self.pos;
        while self.text.get(self.pos).is_some_and(|c| matches!(c, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.text[start..self.pos]).unwrap_or("0");
        // Go's float64 keeps the sign of -0.
        if let Ok(int) = text.parse::<i64>()
            && (int != 0 || !text.starts_with('-'))
        {
            return Value::Number(int.into());
        }
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(number) => Value::Number(number),
            None => {
                // Go's decoder saves the range error and leaves the destination nil.
                let error = UnmarshalError::Type { value: format!("number {text}"), go_type: "float64" };
                self.error.get_or_insert(error);
                Value::Null
            }
        }
    }

    /// A string the scanner accepted, unescaped as Go's `unquote` does.
    fn string(&mut self) -> String {
        self.pos += 1;
        let mut bytes = Vec::new();
        loop {
            match self.text[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                }
                b'\\' => {
                    let escape = self.text[self.pos + 1];
                    self.pos += 2;
                    let simple = match escape {
                        b'b' => Some(b'\x08'),
                        b'f' => Some(b'\x0c'),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        other => Some(other),
                    };
                    if let Some(byte) = simple {
                        bytes.push(byte);
                        continue;
                    }
                    let unit = self.hex4();
                    let c = if (0xD800..0xDC00).contains(&unit)
                        && self.text.get(self.pos..self.pos + 2) == Some(&b"\\u"[..])
                        && let Some(low) = self.peek_low_surrogate()
                    {
                        self.pos += 6;
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        char::from_u32(unit)
                    };
                    bytes.extend_from_slice(c.unwrap_or('\u{FFFD}').encode_utf8(&mut [0; 4]).as_bytes());
                }
                byte => {
                    bytes.push(byte);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> u32 {
        let digits = std::str::from_utf8(&self.text[self.pos..self.pos + 4]).unwrap_or("0");
        self.pos += 4;
        u32::from_str_radix(digits, 16).unwrap_or(0xFFFD)
    }

    fn peek_low_surrogate(&self) -> Option<u32> {
        let digits = std::str::from_utf8(self.text.get(self.pos + 2..self.pos + 6)?).ok()?;
        let unit = u32::from_str_radix(digits, 16).ok()?;
        (0xDC00..0xE000).contains(&unit).then_some(unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn syntax(text: &str) -> String {
        match unmarshal(text, Destination::Any) {
            Err(UnmarshalError::Syntax { message, .. }) => message,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_go_words() {
        // Each message as Go 1.19's json.Unmarshal prints it.
        assert_eq!(syntax("{bad"), "invalid character 'b' looking for beginning of object key string");
        assert_eq!(syntax(""), "unexpected end of JSON input");
        assert_eq!(syntax("{\"a\":1"), "unexpected end of JSON input");
        assert_eq!(syntax("x"), "invalid character 'x' looking for beginning of value");
        assert_eq!(syntax("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(syntax("{\"a\":1 \"b\"}"), "invalid character '\"' after object key:value pair");
        assert_eq!(syntax("{\"a\":1,}"), "invalid character '}' looking for beginning of object key string");
        assert_eq!(syntax("[1 2]"), "invalid character '2' after array element");
        assert_eq!(syntax("[1,]"), "invalid character ']' looking for beginning of value");
        assert_eq!(syntax("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(syntax("\"a\tb\""), "invalid character '\\t' in string literal");
        assert_eq!(syntax("\"\\x\""), "invalid character 'x' in string escape code");
        assert_eq!(syntax("\"\\u12g4\""), "invalid character 'g' in \\u hexadecimal character escape");
        assert_eq!(syntax("-a"), "invalid character 'a' in numeric literal");
        assert_eq!(syntax("1.x"), "invalid character 'x' after decimal point in numeric literal");
        assert_eq!(syntax("1ex"), "invalid character 'x' in exponent of numeric literal");
        assert_eq!(syntax("01"), "invalid character '1' after top-level value");
        assert_eq!(syntax("[01]"), "invalid character '1' after array element");
        assert_eq!(syntax("tru"), "invalid character ' ' in literal true (expecting 'e')");
        assert_eq!(syntax("[1."), "invalid character ' ' after decimal point in numeric literal");
        assert_eq!(syntax("\"abc"), "unexpected end of JSON input");
        assert_eq!(syntax(&"[".repeat(10_001)), "invalid character '[' exceeded max depth");
        assert_eq!(syntax(&"[".repeat(10_000)), "unexpected end of JSON input");
        assert_eq!(syntax("trux"), "invalid character 'x' in literal true (expecting 'e')");
        assert_eq!(syntax("nil"), "invalid character 'i' in literal null (expecting 'u')");
        assert_eq!(syntax("{'a':1}"), "invalid character '\\'' looking for beginning of object key string");
        assert_eq!(syntax("é"), "invalid character 'Ã' looking for beginning of value");
        assert_eq!(syntax("\u{85}"), "invalid character 'Â' looking for beginning of value");
    }

    #[test]
    fn type_errors_name_go_types() {
        let decoded = unmarshal("[1]", Destination::Map).unwrap();
        assert_eq!(decoded.value, Value::Null);
        assert_eq!(
            decoded.error.unwrap().to_string(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        let decoded = unmarshal("{\"a\":1e400,\"b\":2}", Destination::Map).unwrap();
        assert_eq!(decoded.value, json!({"a": null, "b": 2}));
        assert_eq!(
            decoded.error.unwrap().to_string(),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
        assert_eq!(unmarshal("null", Destination::Slice).unwrap(), Decoded { value: Value::Null, error: None });
    }

    #[test]
    fn a_stream_reads_only_its_first_value() {
        assert_eq!(decode_first("[1, 2],b=3").unwrap(), (json!([1, 2]), 6));
        assert_eq!(decode_first("12,b").unwrap(), (json!(12), 2));
        assert_eq!(decode_first("{\"a\": tr").unwrap_err().to_string(), "unexpected EOF");
        assert_eq!(
            decode_first("{a}").unwrap_err().to_string(),
            "invalid character 'a' looking for beginning of object key string"
        );
    }

    #[test]
    fn decodes_as_go_does() {
        assert_eq!(
            from_str(r#"{"a":[1,2.5,-0,"x\u00e9\ud83d\ude00\ud800",true,false,null],"a":{}}"#).unwrap(),
            json!({"a": {}})
        );
        assert_eq!(
            from_str(r#"[1,2.5,"x\u00e9\ud83d\ude00\ud800\n",true,false,null,{}]"#).unwrap(),
            json!([1, 2.5, "x\u{e9}\u{1F600}\u{FFFD}\n", true, false, null, {}])
        );
    }
}

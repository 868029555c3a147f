//! Helm's `--set` syntax (its `strvals` package): `a.b[0].c=x,d={1,2}`,
//! `\` escapes `.`, `,`, `=` and `[`, `null` sets a key to null (so
//! coalescing deletes it), and the flavours differ only in how a value
//! is read: typed (`--set`), string (`--set-string`), JSON (`--set-json`),
//! a file's contents (`--set-file`) or, for `--set-literal`, the rest of the
//! text verbatim (Helm's literal parser: no escapes, no `,` lists).
//!
//! Where the key path meets a value of another type (`a.b=1` when `a` is a
//! number), Helm's parser panics and recovers; the message names Go's types
//! the same way here.
//!
//! This module must not merge with chart defaults (see `values`).

use serde_json::{Map, Value};

/// Largest list index `--set` accepts, as Helm.
const MAX_INDEX: usize = 65536;

/// Deepest `a.b.c` key path Helm accepts.
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How values after `=` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `--set`: `true`/`false`/`null`, integers without a leading zero, else strings.
    Typed,
    /// `--set-string`: always strings.
    String,
    /// `--set-json`: one JSON value.
    Json,
    /// `--set-file`: the contents of the file named.
    File,
    /// `--set-literal`: everything after the first `=`, as a string.
    Literal,
}

impl ValueKind {
    /// The flag, for messages.
    pub fn flag(self) -> &'static str {
        match self {
            ValueKind::Typed => "--set",
            ValueKind::String => "--set-string",
            ValueKind::Json => "--set-json",
            ValueKind::File => "--set-file",
            ValueKind::Literal => "--set-literal",
        }
    }
}

/// Parses one flag value into `data`, as Helm's `strvals.ParseInto` (and
/// its string, JSON and file variants). Errors read like Helm's.
pub fn parse_into(text: &str, data: &mut Map<String, Value>, kind: ValueKind) -> Result<(), String> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, kind };
    loop {
        let message = match parser.key(data, 0) {
            Ok(()) => continue,
            Err(Stop::End) => return Ok(()),
            Err(Stop::Failed(message)) => message,
            Err(Stop::NotList) => "not a list".to_string(),
        };
        // Helm reports a --set-json failure with the flag's value, not the cause.
        return Err(match kind {
            ValueKind::Json => format!("failed parsing --set-json data {text}"),
            _ => format!("failed parsing {} data: {message}", kind.flag()),
        });
    }
}

enum Stop {
    End,
    NotList,
    Failed(String),
}

fn failed(message: String) -> Stop {
    Stop::Failed(message)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    kind: ValueKind,
}

impl Parser {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Reads until an unescaped stop character; returns the text and the stop (None at the end).
    fn until(&mut self, stops: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        loop {
            match self.read() {
                None => return (out, None),
                Some(c) if stops.contains(&c) => return (out, Some(c)),
                Some('\\') if self.kind != ValueKind::Literal => match self.read() {
                    Some(next) => out.push(next),
                    None => return (out, None),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn key(&mut self, data: &mut Map<String, Value>, level: usize) -> Result<(), Stop> {
        let stops: &[char] = if self.kind == ValueKind::Literal { &['=', '[', '.'] } else { &['=', '[', ',', '.'] };
        let (key, last) = self.until(stops);
        match last {
            None if key.is_empty() => Err(Stop::End),
            None => Err(failed(format!("key \"{key}\" has no value"))),
            Some('[') => {
                let index = self.index()?;
                let list = match data.remove(&key) {
                    Some(Value::Array(list)) => list,
                    None => Vec::new(),
                    Some(other) => {
                        let stop = type_mismatch(&other, "[]interface {}");
                        data.insert(key, other);
                        return Err(stop);
                    }
                };
                let (list, result) = self.list_item(list, index, level);
                set(data, &key, Value::Array(list));
                result
            }
            Some('=') => {
                let (value, result) = self.value()?;
                set(data, &key, value);
                result
            }
            Some(',') => {
                set(data, &key, Value::String(String::new()));
                Err(failed(format!("key \"{key}\" has no value (cannot end with ,)")))
            }
            _ => {
                if level + 1 > MAX_NESTED_NAME_LEVEL {
                    return Err(failed(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let mut inner = match data.remove(&key) {
                    Some(Value::Object(map)) => map,
                    None => Map::new(),
                    Some(other) => {
                        let stop = type_mismatch(&other, "map[string]interface {}");
                        data.insert(key, other);
                        return Err(stop);
                    }
                };
                let result = self.key(&mut inner, level + 1);
                if result.is_ok() && inner.is_empty() {
                    return Err(failed(format!("key map \"{key}\" has no value")));
                }
                if !inner.is_empty() {
                    set(data, &key, Value::Object(inner));
                }
                result
            }
        }
    }

    /// The value after `=`; the result says whether parsing goes on (Ok) or the text ended.
    fn value(&mut self) -> Result<(Value, Result<(), Stop>), Stop> {
        match self.kind {
            ValueKind::Json => return self.json_value(),
            ValueKind::Literal => {
                let rest: String = self.chars[self.pos..].iter().collect();
                self.pos = self.chars.len();
                return Ok((Value::String(rest), Ok(())));
            }
            _ => {}
        }
        match self.list() {
            Ok(list) => Ok((Value::Array(list), Ok(()))),
            Err(Stop::End) => Ok((Value::String(String::new()), Err(Stop::End))),
            // As in Helm, a value read up to the end still counts as parsed:
            // the next key finds the end.
            Err(Stop::NotList) => {
                let (text, _) = self.until(&[',']);
                Ok((self.read_value(&text)?, Ok(())))
            }
            Err(other) => Err(other),
        }
    }

    fn json_value(&mut self) -> Result<(Value, Result<(), Stop>), Stop> {
        let rest: String = self.chars[self.pos..].iter().collect();
        if rest.trim_start().is_empty() || rest.trim_start().starts_with(',') {
            self.skip_blanks_and_comma();
            return Ok((Value::Null, Ok(())));
        }
        let (value, length) = crate::yaml::gounmarshal::decode_first(&rest).map_err(|e| failed(e.to_string()))?;
        let consumed = rest[..length].chars().count();
        self.pos += consumed;
        self.skip_blanks_and_comma();
        Ok((numbers_as_float64(value), Ok(())))
    }

    fn skip_blanks_and_comma(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
        if self.chars.get(self.pos) == Some(&',') {
            self.pos += 1;
        }
    }

    fn read_value(&self, text: &str) -> Result<Value, Stop> {
        Ok(match self.kind {
            ValueKind::String | ValueKind::Json | ValueKind::Literal => Value::String(text.to_string()),
            ValueKind::Typed => typed_value(text),
            ValueKind::File => {
                let contents = std::fs::read_to_string(text)
                    .map_err(|e| failed(format!("open {text}: {}", super::go_messages::go_io_message(&e))))?;
                Value::String(contents)
            }
        })
    }

    /// `{a,b}` after `=`; `NotList` (nothing consumed) when the value is not a list.
    fn list(&mut self) -> Result<Vec<Value>, Stop> {
        match self.chars.get(self.pos) {
            None => {
                return Err(Stop::End);
            }
            Some('{') => self.pos += 1,
            Some(_) => return Err(Stop::NotList),
        }
        let mut list = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => return Err(failed("list must terminate with '}'".to_string())),
                Some('}') => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    list.push(self.read_value(&text)?);
                    return Ok(list);
                }
                _ => list.push(self.read_value(&text)?),
            }
        }
    }

    /// `i]` after `name[`: Go's `strconv.Atoi` on the text before `]`.
    fn index(&mut self) -> Result<i64, Stop> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(failed("error parsing index: EOF".to_string()));
        }
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(failed(format!("error parsing index: strconv.Atoi: parsing \"{text}\": invalid syntax")));
        }
        text.parse()
            .map_err(|_| failed(format!("error parsing index: strconv.Atoi: parsing \"{text}\": value out of range")))
    }

    /// What follows `name[i]`: `=value`, `[j]…` or `.key…`.
    fn list_item(&mut self, list: Vec<Value>, index: i64, level: usize) -> (Vec<Value>, Result<(), Stop>) {
        let mut list = list;
        if index < 0 {
            return (list, Err(failed(format!("negative {index} index not allowed"))));
        }
        let index = index as usize;
        let (text, last) = self.until(&['[', '.', '=']);
        if !text.is_empty() {
            return (
                list,
                Err(failed(format!(
                    "unexpected data at end of array index: {}",
                    crate::yaml::goquote::quote_runes(&text)
                ))),
            );
        }
        match last {
            None => (list, Err(Stop::End)),
            Some('=') => match self.value() {
                Ok((value, result)) => match set_index(&mut list, index, value) {
                    Ok(()) => (list, result),
                    Err(stop) => (list, Err(stop)),
                },
                Err(stop) => (list, Err(stop)),
            },
            Some('[') => {
                let next = match self.index() {
                    Ok(next) => next,
                    Err(stop) => return (list, Err(stop)),
                };
                let inner = match list.get(index) {
                    Some(Value::Array(inner)) => inner.clone(),
                    None | Some(Value::Null) => Vec::new(),
                    Some(other) => {
                        let stop = type_mismatch(other, "[]interface {}");
                        return (list, Err(stop));
                    }
                };
                let (inner, result) = self.list_item(inner, next, level);
                match (result, set_index(&mut list, index, Value::Array(inner))) {
                    (Ok(()), Err(stop)) => (list, Err(stop)),
                    (result, _) => (list, result),
                }
            }
            _ => {
                let mut inner = match list.get(index) {
                    Some(Value::Object(map)) => map.clone(),
                    _ => Map::new(),
                };
                let result = self.key(&mut inner, level);
                if (result.is_ok() || matches!(result, Err(Stop::End)))
                    && let Err(stop) = set_index(&mut list, index, Value::Object(inner))
                {
                    return (list, Err(stop));
                }
                (list, result)
            }
        }
    }
}

/// Helm's parser asserts the Go type of what a key path walks into and
/// recovers from the panic; this is the message it then returns.
fn type_mismatch(found: &Value, wanted: &str) -> Stop {
    let go_type = match found {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    };
    failed(format!("unable to parse key: interface conversion: interface {{}} is {go_type}, not {wanted}"))
}

fn set(data: &mut Map<String, Value>, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

fn set_index(list: &mut Vec<Value>, index: usize, value: Value) -> Result<(), Stop> {
    if index > MAX_INDEX {
        return Err(failed(format!("index of {index} is greater than maximum supported index of {MAX_INDEX}")));
    }
    if list.len() <= index {
        list.resize(index + 1, Value::Null);
    }
    list[index] = value;
    Ok(())
}

/// Helm's `typedVal` for `--set`.
fn typed_value(text: &str) -> Value {
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Null;
    }
    if text == "0" {
        return Value::from(0i64);
    }
    if !text.is_empty()
        && !text.starts_with('0')
        && let Ok(i) = text.parse::<i64>()
    {
        return Value::from(i);
    }
    Value::String(text.to_string())
}

/// JSON numbers decode to float64 in Go.
fn numbers_as_float64(value: Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_float64).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, numbers_as_float64(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str, kind: ValueKind) -> Result<Value, String> {
        let mut data = Map::new();
        parse_into(text, &mut data, kind).map(|()| Value::Object(data))
    }

    #[test]
    fn typed_values_nested_keys_lists_and_escapes() {
        assert_eq!(
            parse(r"a.b=1,c=true,d=007,e=null,f={x,2},g[1].h=y,i\.j=k\,l,m=", ValueKind::Typed).unwrap(),
            json!({"a": {"b": 1}, "c": true, "d": "007", "e": null, "f": ["x", 2], "g": [null, {"h": "y"}], "i.j": "k,l", "m": ""})
        );
        assert_eq!(parse("a=1", ValueKind::String).unwrap(), json!({"a": "1"}));
    }

    #[test]
    fn json_values_are_float64() {
        let value = parse(r#"a={"b":[1,2]},c=3"#, ValueKind::Json).unwrap();
        assert_eq!(value, json!({"a": {"b": [1.0, 2.0]}, "c": 3.0}));
        assert!(value["c"].is_f64());
    }

    #[test]
    fn literal_values_are_the_rest_of_the_text() {
        assert_eq!(parse(r"a.b[1]=x,y=\z", ValueKind::Literal).unwrap(), json!({"a": {"b": [null, "x,y=\\z"]}}));
        assert_eq!(parse("a=null", ValueKind::Literal).unwrap(), json!({"a": "null"}));
        assert_eq!(parse("a[0]", ValueKind::Literal).unwrap(), json!({"a": []}));
    }

    #[test]
    fn walking_into_a_value_of_another_type_fails_with_gos_message() {
        let mut data = Map::new();
        data.insert("n".to_string(), json!(3.0));
        assert_eq!(
            parse_into("n.x=1", &mut data, ValueKind::Literal).unwrap_err(),
            "failed parsing --set-literal data: unable to parse key: interface conversion: interface {} is float64, not map[string]interface {}"
        );
        assert_eq!(
            parse_into("n[0]=1", &mut data, ValueKind::Typed).unwrap_err(),
            "failed parsing --set data: unable to parse key: interface conversion: interface {} is float64, not []interface {}"
        );
        assert_eq!(data["n"], json!(3.0), "the value walked into is kept");
    }

    #[test]
    fn errors_read_like_helms() {
        assert_eq!(
            parse("a[0]xy=1", ValueKind::Literal).unwrap_err(),
            "failed parsing --set-literal data: unexpected data at end of array index: ['x' 'y']"
        );
        assert_eq!(parse("a[1", ValueKind::Typed).unwrap_err(), "failed parsing --set data: error parsing index: EOF");
        assert_eq!(parse("a", ValueKind::Typed).unwrap_err(), "failed parsing --set data: key \"a\" has no value");
        assert_eq!(
            parse("a,b=1", ValueKind::Typed).unwrap_err(),
            "failed parsing --set data: key \"a\" has no value (cannot end with ,)"
        );
        assert_eq!(
            parse("a[-1]=1", ValueKind::Typed).unwrap_err(),
            "failed parsing --set data: negative -1 index not allowed"
        );
    }

    #[test]
    fn json_errors_name_the_flag_value_as_helm_does() {
        assert_eq!(parse("a=[1", ValueKind::Json).unwrap_err(), "failed parsing --set-json data a=[1");
        assert_eq!(parse("a", ValueKind::Json).unwrap_err(), "failed parsing --set-json data a");
    }
}

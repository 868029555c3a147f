//! Helm's `toToml` and `fromToml`. `toToml` writes what BurntSushi/toml's
//! encoder writes: keys sorted, plain values before tables, nested tables
//! indented two spaces a level, lists of maps as `[[arrays]]`, maps inside
//! other lists inline, floats always with a decimal point, nil map values
//! left out; an encoding error becomes the output text, as Helm returns it.
//! `fromToml` reads a document into Go's types (int64, float64, time.Time,
//! `[]interface {}`, `map[string]interface {}`), or `{"Error": message}`.
//!
//! This module must not write or read other formats.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::{CallResult, Param, Registry, arg_str};
use crate::template::exec::Exec;
use crate::template::gotime::{GoTime, Zone, parse_in_location};
use crate::template::value::{ElemType, Value};

pub(super) fn register(r: &mut Registry) {
    r.add("toToml", &[Param::Any], None, to_toml_function);
    r.add("fromToml", &[Param::Str], None, |_, a| Ok(from_toml(arg_str(&a, 0))));
}

fn to_toml_function(_: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    let mut writer = TomlWriter::default();
    match writer.encode(&[], &args[0]) {
        Ok(()) => Ok(Value::str(writer.out)),
        Err(Failure::Encoding(message)) => Ok(Value::str(message)),
        Err(Failure::Panic(message)) => Err(message.into()),
    }
}

/// How encoding stopped: BurntSushi's own errors (returned, so Helm prints
/// them as the result) or a Go runtime panic (the call fails).
enum Failure {
    Encoding(String),
    Panic(String),
}

const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
/// BurntSushi's type check refuses complex numbers wherever they stand.
const COMPLEX: &str = "unsupported type: complex128";

/// BurntSushi's view of a value's TOML type, as far as layout depends on it.
#[derive(PartialEq, Eq)]
enum TomlKind {
    Nil,
    Table,
    ArrayOfTables,
    Plain,
}

fn kind_of(value: &Value) -> Result<TomlKind, Failure> {
    Ok(match value {
        Value::Nil => TomlKind::Nil,
        Value::Complex(..) => return Err(Failure::Encoding(COMPLEX.to_string())),
        Value::Map(..) => TomlKind::Table,
        Value::List(items, _) if is_table_array(items)? => TomlKind::ArrayOfTables,
        Value::Object(object) if GoTime::of(value).is_none() && object.to_json().is_some() => TomlKind::Table,
        _ => TomlKind::Plain,
    })
}

/// A non-empty list whose elements are all tables; a nil element anywhere is an error.
fn is_table_array(items: &[Value]) -> Result<bool, Failure> {
    if items.is_empty() {
        return Ok(false);
    }
    let mut all_tables = true;
    for item in items {
        match kind_of(item)? {
            TomlKind::Nil => return Err(Failure::Encoding(NIL_ELEMENT.to_string())),
            TomlKind::Table => {}
            _ => all_tables = false,
        }
    }
    Ok(all_tables)
}

#[derive(Default)]
struct TomlWriter {
    out: String,
}

impl TomlWriter {
    /// A line break, unless nothing was written yet.
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(&mut self, key: &[String]) {
        self.out.push_str(&"  ".repeat(key.len().saturating_sub(1)));
    }

    fn encode(&mut self, key: &[String], value: &Value) -> Result<(), Failure> {
        match value {
            Value::Complex(..) if key.is_empty() => {
                Err(Failure::Encoding(format!("unsupported type for key '': {}", value.go_type())))
            }
            Value::Nil if key.is_empty() => {
                Err(Failure::Panic("reflect: call of reflect.Value.Type on zero Value".into()))
            }
            Value::List(..) if key.is_empty() && kind_of(value)? == TomlKind::ArrayOfTables => {
                Err(Failure::Encoding("toml: top-level values must be Go maps or structs".into()))
            }
            Value::Nil => Ok(()),
            Value::Map(map, _) => self.table(key, &map.borrow()),
            Value::List(items, _) if kind_of(value)? == TomlKind::ArrayOfTables => self.array_of_tables(key, items),
            Value::Object(object) if kind_of(value)? == TomlKind::Table => {
                self.table(key, &struct_fields(object.to_json()))
            }
            _ => self.key_value(key, value, false),
        }
    }

    fn table(&mut self, key: &[String], map: &BTreeMap<String, Value>) -> Result<(), Failure> {
        if key.len() == 1 {
            // A blank line between top-level tables.
            self.newline();
        }
        if !key.is_empty() {
            self.indent(key);
            self.out.push_str(&format!("[{}]", key_text(key)));
            self.newline();
        }
        self.map_body(key, map, false)
    }

    fn array_of_tables(&mut self, key: &[String], items: &[Value]) -> Result<(), Failure> {
        for item in items {
            let Value::Map(map, _) = item else { continue };
            self.newline();
            self.indent(key);
            self.out.push_str(&format!("[[{}]]", key_text(key)));
            self.newline();
            self.map_body(key, &map.borrow(), false)?;
        }
        Ok(())
    }

    /// Plain keys first, then tables and arrays of tables, each sorted.
    fn map_body(&mut self, key: &[String], map: &BTreeMap<String, Value>, inline: bool) -> Result<(), Failure> {
        let mut plain = Vec::new();
        let mut tables = Vec::new();
        for (name, value) in map {
            match kind_of(value)? {
                TomlKind::Table | TomlKind::ArrayOfTables => tables.push((name, value)),
                _ => plain.push((name, value)),
            }
        }
        if inline {
            self.out.push('{');
        }
        let trailing_comma = !tables.is_empty();
        for (group, trailing) in [(plain, trailing_comma), (tables, false)] {
            let count = group.len();
            for (index, (name, value)) in group.into_iter().enumerate() {
                if matches!(value, Value::Nil) {
                    continue;
                }
                if inline {
                    self.key_value(std::slice::from_ref(name), value, true)?;
                    if trailing || index != count - 1 {
                        self.out.push_str(", ");
                    }
                } else {
                    let mut path = key.to_vec();
                    path.push(name.clone());
                    self.encode(&path, value)?;
                }
            }
        }
        if inline {
            self.out.push('}');
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], value: &Value, inline: bool) -> Result<(), Failure> {
        let Some(last) = key.last() else {
            return self.element(value);
        };
        self.indent(key);
        self.out.push_str(&quote_key(last));
        self.out.push_str(" = ");
        self.element(value)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn element(&mut self, value: &Value) -> Result<(), Failure> {
        match value {
            Value::Nil => return Err(Failure::Panic("reflect: call of reflect.Value.Interface on zero Value".into())),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Float(f) => self.out.push_str(&toml_float(*f)),
            Value::Complex(..) => return Err(Failure::Encoding(COMPLEX.to_string())),
            Value::String(s) => self.out.push_str(&quote_string(s)),
            Value::List(items, _) => {
                self.out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        self.out.push_str(", ");
                    }
                    self.element(item)?;
                }
                self.out.push(']');
            }
            Value::Map(map, _) => self.map_body(&[], &map.borrow(), true)?,
            Value::Object(object) => match GoTime::of(value) {
                Some(time) => self.out.push_str(&time.format("2006-01-02T15:04:05.999999999Z07:00")),
                None => match object.to_json() {
                    Some(json) => self.map_body(&[], &struct_fields(Some(json)), true)?,
                    None => self.out.push_str(&quote_string(&object.format())),
                },
            },
        }
        Ok(())
    }
}

/// A host object's fields from its JSON form (written sorted, unlike Go's
/// declaration order).
fn struct_fields(json: Option<serde_json::Value>) -> BTreeMap<String, Value> {
    match json.as_ref().map(Value::from_json) {
        Some(Value::Map(map, _)) => map.borrow().clone(),
        _ => BTreeMap::new(),
    }
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)` with `.0` added when there is
/// no decimal point; `nan`, `inf`, `-inf` as TOML spells them.
fn toml_float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let text = format!("{f}");
    if text.contains('.') { text } else { format!("{text}.0") }
}

fn quote_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Bare keys (`A-Za-z0-9_-`, not empty) stay bare; others are quoted.
fn quote_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_string()
    } else {
        quote_string(key)
    }
}

fn key_text(key: &[String]) -> String {
    key.iter().map(|part| quote_key(part)).collect::<Vec<_>>().join(".")
}

/// Helm's `fromToml`: a map, or `{"Error": message}`.
fn from_toml(text: &str) -> Value {
    match text.parse::<toml_edit::DocumentMut>() {
        Ok(document) => table_value(document.as_table()),
        Err(error) => {
            let message = error.message().lines().next().unwrap_or("").to_string();
            let mut map = BTreeMap::new();
            map.insert("Error".to_string(), Value::str(format!("toml: {message}")));
            Value::map(map)
        }
    }
}

fn table_value(table: &toml_edit::Table) -> Value {
    Value::map(table.iter().filter_map(|(key, item)| Some((key.to_string(), item_value(item)?))).collect())
}

fn item_value(item: &toml_edit::Item) -> Option<Value> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(value) => Some(plain_value(value)),
        toml_edit::Item::Table(table) => Some(table_value(table)),
        toml_edit::Item::ArrayOfTables(array) => {
            Some(Value::List(Rc::new(array.iter().map(table_value).collect()), ElemType::Map))
        }
    }
}

fn plain_value(value: &toml_edit::Value) -> Value {
    match value {
        toml_edit::Value::String(s) => Value::str(s.value().as_str()),
        toml_edit::Value::Integer(i) => Value::Int64(*i.value()),
        toml_edit::Value::Float(f) => Value::Float(*f.value()),
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => datetime_value(d.value()),
        toml_edit::Value::Array(items) => Value::list(items.iter().map(plain_value).collect()),
        toml_edit::Value::InlineTable(table) => {
            Value::map(table.iter().map(|(key, value)| (key.to_string(), plain_value(value))).collect())
        }
    }
}

/// A TOML date-time as BurntSushi decodes it: with an offset, a time in
/// that offset (UTC for `Z`); without, in its `datetime-local`,
/// `date-local` or `time-local` location.
fn datetime_value(datetime: &toml_edit::Datetime) -> Value {
    let date = datetime.date.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
    let time = datetime.time.map(|t| {
        format!("{:02}:{:02}:{:02}.{:09}", t.hour, t.minute, t.second.unwrap_or(0), t.nanosecond.unwrap_or(0))
    });
    let (text, layout, location) = match (date, time, datetime.offset) {
        (Some(date), Some(time), Some(offset)) => {
            let offset = match offset {
                toml_edit::Offset::Z => "Z".to_string(),
                toml_edit::Offset::Custom { minutes } => {
                    let sign = if minutes < 0 { '-' } else { '+' };
                    format!("{sign}{:02}:{:02}", minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60)
                }
            };
            (format!("{date}T{time}{offset}"), "2006-01-02T15:04:05.000000000Z07:00", Zone::local())
        }
        (Some(date), Some(time), None) => {
            (format!("{date}T{time}"), "2006-01-02T15:04:05.000000000", local_zone("datetime-local"))
        }
        (Some(date), None, _) => (date, "2006-01-02", local_zone("date-local")),
        (None, Some(time), _) => (time, "15:04:05.000000000", local_zone("time-local")),
        (None, None, _) => return Value::Nil,
    };
    match parse_in_location(layout, &text, &location) {
        Ok(time) => Value::Object(Rc::new(time)),
        Err(_) => Value::Nil,
    }
}

fn local_zone(name: &str) -> Zone {
    Zone::Fixed { name: name.into(), offset: 0 }
}

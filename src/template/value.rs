//! The data model templates run on: Go's dynamic values as Helm sees them.
//!
//! Values keep their Go type because output depends on it (`1e+06` for a
//! float64, `%!d(float64=3)`, `typeOf`). This module converts from and to JSON
//! and names Go types; it must not format values (see `gofmt`) or evaluate
//! templates.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A map shared by reference, as Go maps are: `set $d "k" v` changes `$d`
/// everywhere it is held.
pub type MapRef = Rc<RefCell<BTreeMap<String, Value>>>;

/// Go element type of a slice or map, for `typeOf`, `%T` and argument checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemType {
    /// `interface {}`
    Any,
    /// `string`
    String,
    /// `int`
    Int,
    /// `map[string]interface {}`: a slice of maps (`[]map[string]interface {}`,
    /// what TOML arrays of tables decode to).
    Map,
    /// `uint8`: a `[]byte`, such as `.Files.GetBytes` returns.
    Byte,
    /// Helm's `chartutil.Values`: a named `map[string]interface {}` (the
    /// top-level data, `.Values`, `.Template`). Sprig's type assertions to
    /// `map[string]interface {}` fail on it, as in Helm.
    HelmValues,
}

impl ElemType {
    /// Whether elements sit in `interface {}` slots.
    pub fn holds_interfaces(self) -> bool {
        matches!(self, ElemType::Any | ElemType::HelmValues)
    }

    /// Go's zero value of the element type, what a missing map key reads as
    /// (`nil` for interfaces, `""`, `0`, an empty map).
    pub fn zero_value(self) -> Value {
        match self {
            ElemType::Any | ElemType::HelmValues => Value::Nil,
            ElemType::String => Value::str(""),
            ElemType::Int | ElemType::Byte => Value::Int(0),
            ElemType::Map => Value::map(BTreeMap::new()),
        }
    }

    /// The Go spelling of the element type.
    pub fn go_name(self) -> &'static str {
        match self {
            ElemType::Any | ElemType::HelmValues => "interface {}",
            ElemType::String => "string",
            ElemType::Int => "int",
            ElemType::Byte => "uint8",
            ElemType::Map => "map[string]interface {}",
        }
    }
}

/// An object supplied by the host program (Helm's `.Files`, `.Capabilities`,
/// `.Chart`, a semver version): Go struct fields and methods.
pub trait HostObject: fmt::Debug {
    /// Go type as `%T` prints it, e.g. `*chartutil.Capabilities`.
    fn go_type(&self) -> String;
    /// Go kind as `kindOf` prints it: `struct` or `ptr`.
    fn go_kind(&self) -> &'static str {
        "ptr"
    }
    /// The exported field `name`, or `None` when the type has no such field.
    fn field(&self, name: &str) -> Option<Value>;
    /// Call method `name`; `None` when the type has no such method. The
    /// error string becomes Go's `error calling NAME: ...`.
    /// By default the type has no methods.
    fn call_method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    /// Whether a method exists (fields are looked up after methods, as in Go).
    fn has_method(&self, _name: &str) -> bool {
        false
    }
    /// Text of `{{ . }}` / `%v` for this object.
    fn format(&self) -> String;
    /// Go's `%+v` (`go_syntax` false: struct fields named) or `%#v`
    /// (`go_syntax` true: Go syntax led by the type) of this object, where
    /// that differs from `format`. `None`: printed as `format` prints it.
    fn format_verbose(&self, _go_syntax: bool) -> Option<String> {
        None
    }
    /// Text of `%s` for this object where it differs from `format` (Go
    /// prints a `[]byte` inside it as text). `None`: as `format`.
    fn format_text(&self) -> Option<String> {
        None
    }
    /// Whether Go's `==` can compare values of this type: false for maps and
    /// slices, and for structs with such a field (`.Chart`).
    fn comparable(&self) -> bool {
        !matches!(self.go_kind(), "map" | "slice")
    }
    /// Key/element pairs when the Go type is a map or slice that `range`
    /// can walk (`None`: not rangeable). Keys come sorted, as Go ranges maps.
    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        None
    }
    /// Go `==` between two host objects of the same type. By default two
    /// objects are equal when they have the same type and marshal alike
    /// (a render holds one `.Capabilities`, one `.Chart`...).
    fn equals(&self, other: &dyn HostObject) -> bool {
        self.go_type() == other.go_type() && self.to_json().is_some_and(|json| Some(json) == other.to_json())
    }
    /// The object itself, for functions whose Go parameter is a concrete
    /// host type (`time.Time`); `None` for objects no function takes.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
    /// The object as Go's `encoding/json` marshals it (struct fields under
    /// their JSON tags, in declaration order), for `toJson` and `toYaml`.
    /// `None`: it marshals as its printed text.
    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
    /// The object as a function receives it, when that differs: a template
    /// reaches a struct field addressably, so printing it uses a `String`
    /// method with a pointer receiver, but a function gets a copy inside an
    /// `interface{}`, which has no such method (`toString`, `quote` and
    /// `print` of it show the struct's fields). `None`: no difference.
    fn copied_into_interface(&self) -> Option<Rc<dyn HostObject>> {
        None
    }
}

/// A Go value inside a template.
#[derive(Clone, Debug)]
pub enum Value {
    /// No value: Go's invalid `reflect.Value` / untyped nil.
    Nil,
    /// `bool`
    Bool(bool),
    /// `int`: numbers written in a template, `len`, `atoi`, `int`.
    Int(i64),
    /// `int64`: Sprig math results.
    Int64(i64),
    /// `float64`: every number in `.Values` (values reach templates as JSON).
    Float(f64),
    /// `complex128`: an imaginary or complex literal (`1i`, `1+2i`), real and imaginary parts.
    Complex(f64, f64),
    /// `string`
    String(Rc<str>),
    /// A slice with its Go element type.
    List(Rc<Vec<Value>>, ElemType),
    /// A map with string keys, shared by reference.
    Map(MapRef, ElemType),
    /// A host object (struct pointer with fields and methods).
    Object(Rc<dyn HostObject>),
}

impl Value {
    /// A `string` value.
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A `[]byte` value.
    pub fn bytes(data: &[u8]) -> Value {
        Value::List(Rc::new(data.iter().map(|&byte| Value::Int(i64::from(byte))).collect()), ElemType::Byte)
    }

    /// The bytes of a `[]byte` value; `None` for any other value.
    pub fn as_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Value::List(items, ElemType::Byte) => {
                Some(items.iter().map(|item| if let Value::Int(byte) = item { *byte as u8 } else { 0 }).collect())
            }
            _ => None,
        }
    }

    /// A `[]interface {}` value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items), ElemType::Any)
    }

    /// A `[]string` value.
    pub fn str_list(items: Vec<String>) -> Value {
        Value::List(Rc::new(items.into_iter().map(Value::str).collect()), ElemType::String)
    }

    /// A new `map[string]interface {}`.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)), ElemType::Any)
    }

    /// A map of Helm's named type `chartutil.Values` (what the chart
    /// renderer passes as dot, `.Values` and `.Template`).
    pub fn helm_values(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)), ElemType::HelmValues)
    }

    /// Convert JSON data the way Helm's values reach templates: every number
    /// becomes a float64.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(items) => Value::list(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(map) => {
                Value::map(map.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// Convert to JSON as Go's `encoding/json` would see it: integral floats
    /// become integers (Go prints float64 3 as `3`), host objects become their
    /// fields' text.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Nil => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) | Value::Int64(i) => serde_json::Value::from(*i),
            Value::Float(f) => float_to_json(*f),
            // Go's encoder refuses complex numbers; see `json_unsupported`.
            Value::Complex(..) => serde_json::Value::Null,
            Value::String(s) => serde_json::Value::String(s.to_string()),
            // encoding/json writes a []byte as base64 text.
            Value::List(_, ElemType::Byte) => {
                use base64::Engine as _;
                serde_json::Value::String(
                    base64::engine::general_purpose::STANDARD.encode(self.as_bytes().unwrap_or_default()),
                )
            }
            Value::List(items, _) => serde_json::Value::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(map, _) => {
                serde_json::Value::Object(map.borrow().iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Object(obj) => obj.to_json().unwrap_or_else(|| serde_json::Value::String(obj.format())),
        }
    }

    /// Why Go's `json.Marshal` refuses this value (`json: unsupported value:
    /// NaN`, a map that contains itself); `None` when it can be encoded.
    /// Check before [`Value::to_json`], which would not end on a cycle.
    /// `pointer_levels` counts the pointers Go's encoder goes through
    /// before the value (Sprig's raw encoders encode `&v`): they shift the
    /// depth at which Go starts looking for cycles, and so the type it names.
    pub fn json_unsupported(&self, pointer_levels: usize) -> Option<String> {
        /// Go starts looking for cycles this many maps and slices deep, and
        /// names the type it first meets twice on the current path.
        const CYCLE_CHECK_DEPTH: usize = 1000;
        fn walk(value: &Value, depth: usize, path: &mut Vec<*const ()>) -> Option<String> {
            let id = match value {
                Value::Float(f) if f.is_nan() => return Some("json: unsupported value: NaN".to_string()),
                Value::Float(f) if f.is_infinite() => {
                    return Some(format!("json: unsupported value: {}", if *f > 0.0 { "+Inf" } else { "-Inf" }));
                }
                Value::Complex(..) => return Some("json: unsupported type: complex128".to_string()),
                Value::List(items, _) if !items.is_empty() => Rc::as_ptr(items) as *const (),
                Value::Map(map, _) => Rc::as_ptr(map) as *const (),
                _ => return None,
            };
            let tracked = depth > CYCLE_CHECK_DEPTH;
            if tracked {
                if path.contains(&id) {
                    return Some(format!("json: unsupported value: encountered a cycle via {}", value.go_type()));
                }
                path.push(id);
            }
            let found = match value {
                Value::List(items, _) => items.iter().find_map(|item| walk(item, depth + 1, path)),
                Value::Map(map, _) => map.borrow().values().find_map(|field| walk(field, depth + 1, path)),
                _ => None,
            };
            if tracked {
                path.pop();
            }
            found
        }
        walk(self, 1 + pointer_levels, &mut Vec::new())
    }

    /// Convert to JSON keeping Go's number types: float64 stays a float
    /// (go-yaml v3, behind `toYamlPretty`, prints it as `1e+06`).
    pub fn to_json_typed(&self) -> serde_json::Value {
        match self {
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
            }
            Value::List(_, ElemType::Byte) => self.to_json(),
            Value::List(items, _) => serde_json::Value::Array(items.iter().map(Value::to_json_typed).collect()),
            Value::Map(map, _) => {
                serde_json::Value::Object(map.borrow().iter().map(|(k, v)| (k.clone(), v.to_json_typed())).collect())
            }
            other => other.to_json(),
        }
    }

    /// Go type name, as `typeOf` and `%T` print it (`<nil>` for no value).
    pub fn go_type(&self) -> String {
        match self {
            Value::Nil => "<nil>".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Int(_) => "int".to_string(),
            Value::Int64(_) => "int64".to_string(),
            Value::Float(_) => "float64".to_string(),
            Value::Complex(..) => "complex128".to_string(),
            Value::String(_) => "string".to_string(),
            Value::List(_, elem) => format!("[]{}", elem.go_name()),
            Value::Map(_, ElemType::HelmValues) => "chartutil.Values".to_string(),
            Value::Map(_, elem) => format!("map[string]{}", elem.go_name()),
            Value::Object(obj) => obj.go_type(),
        }
    }

    /// Go kind, as `kindOf` prints it (`invalid` for no value).
    pub fn go_kind(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Complex(..) => "complex128",
            Value::String(_) => "string",
            Value::List(..) => "slice",
            Value::Map(..) => "map",
            Value::Object(obj) => obj.go_kind(),
        }
    }

    /// Truth as `if` sees it: false, 0, "", empty collections and nil are false.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(real, imaginary) => *real != 0.0 || *imaginary != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(items, _) => !items.is_empty(),
            Value::Map(map, _) => !map.borrow().is_empty(),
            // A host map or slice (`.Files.Glob` of nothing) is true when it has elements.
            Value::Object(object) => {
                !matches!(object.go_kind(), "map" | "slice")
                    || object.range_items().is_none_or(|items| !items.is_empty())
            }
        }
    }

    /// Sprig's `empty`: the negation of truth.
    pub fn is_empty(&self) -> bool {
        !self.is_true()
    }

    /// The string inside, if this is a `string`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go `==` on two values of any type (`deepEqual`, `has`, `uniq`).
    pub fn deep_equal(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Complex(a, ai), Value::Complex(b, bi)) => a == b && ai == bi,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a, ea), Value::List(b, eb)) => {
                ea == eb && a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.deep_equal(y))
            }
            (Value::Map(a, ea), Value::Map(b, eb)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a, b) = (a.borrow(), b.borrow());
                ea == eb
                    && a.len() == b.len()
                    && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| ka == kb && va.deep_equal(vb))
            }
            (Value::Object(a), Value::Object(b)) => a.go_type() == b.go_type() && a.equals(b.as_ref()),
            _ => false,
        }
    }

    /// A deep copy: maps are new maps (`deepCopy`, `merge` sources).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(items, elem) => Value::List(Rc::new(items.iter().map(Value::deep_copy).collect()), *elem),
            Value::Map(map, elem) => Value::Map(
                Rc::new(RefCell::new(map.borrow().iter().map(|(k, v)| (k.clone(), v.deep_copy())).collect())),
                *elem,
            ),
            other => other.clone(),
        }
    }
}

/// Go's JSON form of a float64: integral values within 1e21 print as integers.
fn float_to_json(f: f64) -> serde_json::Value {
    // -0 stays a float: Go writes it as `-0`.
    if f.fract() == 0.0 && f.abs() < 9.0e15 && !(f == 0.0 && f.is_sign_negative()) {
        serde_json::Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

//! `time.Time` as templates see it: a struct whose `%v` is Go's
//! `t.String()`, whose JSON is RFC 3339 with nanoseconds, and whose
//! argument-free methods (`.Year`, `.Unix`, `.Format "..."`…) can be called.
//!
//! This module must not read the clock.

use std::any::Any;

use super::{GoTime, Zone};
use crate::template::value::{HostObject, Value};

/// Methods of `time.Time` templates may call.
const METHODS: &[&str] = &[
    "After",
    "Before",
    "Day",
    "Equal",
    "Format",
    "Hour",
    "IsZero",
    "Local",
    "Minute",
    "Nanosecond",
    "Second",
    "String",
    "UTC",
    "Unix",
    "UnixMilli",
    "UnixNano",
    "Year",
    "YearDay",
];

impl GoTime {
    /// The `time.Time` inside `value`, if it holds one.
    pub(crate) fn of(value: &Value) -> Option<&GoTime> {
        match value {
            Value::Object(object) => object.as_any()?.downcast_ref::<GoTime>(),
            _ => None,
        }
    }

    /// Whether this is Go's zero time (`t.IsZero()`).
    fn is_zero(&self) -> bool {
        self.unix_nanos() == GoTime::zero().unix_nanos()
    }
}

impl HostObject for GoTime {
    fn go_type(&self) -> String {
        "time.Time".to_string()
    }

    fn go_kind(&self) -> &'static str {
        "struct"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let civil = || self.civil();
        let result = match (name, args) {
            ("Format", [Value::String(layout)]) => Value::str(self.format(layout)),
            ("String", []) => Value::str(self.go_string()),
            ("Unix", []) => Value::Int64(self.unix()),
            ("UnixMilli", []) => Value::Int64((self.unix_nanos() / 1_000_000) as i64),
            ("UnixNano", []) => Value::Int64(self.unix_nanos() as i64),
            ("Year", []) => Value::Int(civil().year),
            ("YearDay", []) => Value::Int(civil().year_day.into()),
            ("Day", []) => Value::Int(civil().day.into()),
            ("Hour", []) => Value::Int(civil().hour.into()),
            ("Minute", []) => Value::Int(civil().minute.into()),
            ("Second", []) => Value::Int(civil().second.into()),
            ("Nanosecond", []) => Value::Int(self.nanos().into()),
            ("IsZero", []) => Value::Bool(self.is_zero()),
            ("UTC", []) => Value::Object(std::rc::Rc::new(self.in_zone(Zone::Utc))),
            ("Local", []) => Value::Object(std::rc::Rc::new(self.in_zone(Zone::local()))),
            ("After" | "Before" | "Equal", [other]) => {
                let Some(other) = GoTime::of(other) else {
                    return Some(Err(format!("wrong type for value; expected time.Time; got {}", other.go_type())));
                };
                let ordering = self.unix_nanos().cmp(&other.unix_nanos());
                Value::Bool(match name {
                    "After" => ordering.is_gt(),
                    "Before" => ordering.is_lt(),
                    _ => ordering.is_eq(),
                })
            }
            _ if self.has_method(name) => {
                return Some(Err(format!("wrong number or type of args for {name}")));
            }
            _ => return None,
        };
        Some(Ok(result))
    }

    fn format(&self) -> String {
        self.go_string()
    }
    /// `%#v` calls Go's `Time.GoString`.
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        go_syntax.then(|| self.go_syntax_string())
    }

    fn equals(&self, other: &dyn HostObject) -> bool {
        other.as_any().and_then(|o| o.downcast_ref::<GoTime>()).is_some_and(|o| {
            o.unix_nanos() == self.unix_nanos() && o.zone_info() == self.zone_info() && o.monotonic == self.monotonic
        })
    }

    fn as_any(&self) -> Option<&dyn Any> {
        Some(self)
    }

    /// Go's `Time.MarshalJSON`: RFC 3339 with as many fractional digits as needed.
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::String(GoTime::format(self, "2006-01-02T15:04:05.999999999Z07:00")))
    }
}

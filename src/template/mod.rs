//! The Go `text/template` engine Helm charts are written in, with the Sprig
//! and Helm function libraries, behaving as Helm 3 runs it: numbers in
//! values are float64, missing keys print nothing, errors read as Helm's.
//!
//! Output must match Helm byte for byte (rendered text is hashed into
//! checksum annotations). This module renders text only: it must not load
//! charts, merge values files or parse the rendered YAML (that is
//! `render::helm`).
//!
//! ```
//! use driftctl::template::{TemplateSet, Value};
//! let mut set = TemplateSet::new();
//! set.add("chart/templates/cm.yaml", "name: {{ .Values.name | upper | quote }}").unwrap();
//! let values = serde_json::json!({"Values": {"name": "web"}});
//! let out = set.execute("chart/templates/cm.yaml", &Value::from_json(&values)).unwrap();
//! assert_eq!(out.text, "name: \"WEB\"");
//! ```

mod ast;
mod clock;
mod error;
mod exec;
mod funcs;
mod gofmt;
pub(crate) mod gonumber;
mod gotime;
mod lexer;
mod lookup;
mod parser;
mod set;
mod value;

pub use clock::{Clock, ClockReading, FixedClock, ShiftedClock, SystemClock};
pub use error::{ExecFailure, TemplateError};
pub use funcs::names as function_names;
pub use gofmt::{format_value, go_syntax, sprintf};
pub use lookup::{Lookup, OfflineLookup};
pub use parser::ParseFailure;
pub use set::{Rendered, TemplateSet};
pub use value::{ElemType, HostObject, MapRef, Value};

/// Go's `time.ParseDuration`, in nanoseconds, failing with Go's message: the one
/// reader of Go durations, for templates and for the command line's duration flags.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    gotime::parse_duration(text)
}

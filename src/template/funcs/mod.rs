//! The function map templates can call: Go's builtins, Sprig (as Helm 3
//! exposes it) and Helm's own functions, each with its Go parameter types so
//! the executor checks arguments the way Go's reflection does.
//!
//! Each family lives in its own file; this module only holds the registry.
//! It must not evaluate template nodes.

mod builtin;
mod cast;
mod certs;
mod cipher;
mod dates;
mod decimal;
mod defaults;
mod dicts;
mod encoding;
mod helm;
mod keys;
mod lists;
mod math;
mod passwords;
mod paths;
mod random;
mod regex;
mod semver;
mod strings;
mod toml;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::exec::Exec;
use super::value::{ElemType, Value};

/// Go type of a function parameter, as far as argument checking needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface {}` (and `reflect.Value` for builtins): anything, nil included.
    Any,
    /// `string`
    Str,
    /// `int`
    Int,
    /// `float64`
    Float,
    /// `bool`
    Bool,
    /// `map[string]interface {}` (and Helm's `chartutil.Values`).
    Map,
    /// `[]interface {}`
    List,
    /// A host type by its Go name (`time.Time`, `sprig.certificate`).
    Host(&'static str),
}

impl Param {
    /// Go spelling of the type, for error messages.
    pub fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Str => "string",
            Param::Int => "int",
            Param::Float => "float64",
            Param::Bool => "bool",
            Param::Map => "map[string]interface {}",
            Param::List => "[]interface {}",
            Param::Host(name) => name,
        }
    }

    /// Whether Go lets an untyped nil stand for this type.
    pub fn can_be_nil(self) -> bool {
        matches!(self, Param::Any | Param::Map | Param::List)
    }

    /// Whether a (non-nil) value is assignable to this type.
    pub fn accepts(self, value: &Value) -> bool {
        match self {
            Param::Any => true,
            Param::Str => matches!(value, Value::String(_)),
            Param::Int => matches!(value, Value::Int(_)),
            Param::Float => matches!(value, Value::Float(_)),
            Param::Bool => matches!(value, Value::Bool(_)),
            Param::Map => matches!(value, Value::Map(_, ElemType::Any | ElemType::HelmValues)),
            Param::List => matches!(value, Value::List(_, ElemType::Any)),
            Param::Host(name) => matches!(value, Value::Object(object) if object.go_type() == name),
        }
    }
}

/// Why a function call failed.
pub enum CallError {
    /// The function returned an error (or panicked, in Go): printed as
    /// `error calling NAME: MESSAGE`.
    Message(String),
}

impl From<String> for CallError {
    fn from(message: String) -> CallError {
        CallError::Message(message)
    }
}

impl From<&str> for CallError {
    fn from(message: &str) -> CallError {
        CallError::Message(message.to_string())
    }
}

/// Result of a template function.
pub type CallResult = Result<Value, CallError>;

/// A function's implementation.
pub type Implementation = fn(&mut Exec<'_>, Vec<Value>) -> CallResult;

/// A registered function.
pub struct Func {
    /// Fixed parameters.
    pub params: &'static [Param],
    /// Type of the variadic tail, if the function is variadic.
    pub variadic: Option<Param>,
    /// The implementation.
    pub call: Implementation,
    /// Output differs between runs (`now`, `rand*`, `uuidv4`, key generation).
    pub nondeterministic: bool,
}

/// The registry under construction.
pub(crate) struct Registry {
    funcs: HashMap<&'static str, Func>,
}

impl Registry {
    fn add(&mut self, name: &'static str, params: &'static [Param], variadic: Option<Param>, call: Implementation) {
        self.funcs.insert(name, Func { params, variadic, call, nondeterministic: false });
    }

    fn add_random(
        &mut self,
        name: &'static str,
        params: &'static [Param],
        variadic: Option<Param>,
        call: Implementation,
    ) {
        self.funcs.insert(name, Func { params, variadic, call, nondeterministic: true });
    }
}

fn registry() -> &'static HashMap<&'static str, Func> {
    static REGISTRY: OnceLock<HashMap<&'static str, Func>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry { funcs: HashMap::new() };
        builtin::register(&mut registry);
        strings::register(&mut registry);
        math::register(&mut registry);
        defaults::register(&mut registry);
        lists::register(&mut registry);
        dicts::register(&mut registry);
        encoding::register(&mut registry);
        regex::register(&mut registry);
        paths::register(&mut registry);
        semver::register(&mut registry);
        random::register(&mut registry);
        dates::register(&mut registry);
        toml::register(&mut registry);
        cipher::register(&mut registry);
        passwords::register(&mut registry);
        keys::register(&mut registry);
        certs::register(&mut registry);
        helm::register(&mut registry);
        registry.funcs
    })
}

/// The function called `name`, if templates may call it.
pub fn lookup(name: &str) -> Option<&'static Func> {
    registry().get(name)
}

/// Whether `name` is a function (parse-time check); `and`/`or` are handled
/// by the executor itself.
pub fn exists(name: &str) -> bool {
    name == "and" || name == "or" || registry().contains_key(name)
}

/// Every function name templates may call, sorted.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = registry().keys().copied().chain(["and", "or"]).collect();
    names.sort_unstable();
    names
}

/// The string inside a value the executor already checked is a `string`.
fn arg_str(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// The int inside a value the executor already checked is an `int`.
fn arg_int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n)) => *n,
        _ => 0,
    }
}

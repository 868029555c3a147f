//! Helm's own template functions: `include` (with Helm's recursion limit),
//! `tpl` (parses text at run time against a copy of the set), `required`,
//! `fail`, `lookup`, `getHostByName` (DNS off, as in `helm template`), and
//! YAML in both directions through `crate::yaml`.

use std::collections::BTreeMap;

use super::{CallError, CallResult, Param, Registry, arg_str};
use crate::template::error::{REQUIRED_END, REQUIRED_START, TemplateError};
use crate::template::exec::Exec;
use crate::template::value::Value;

/// Helm's limit on how deep one name may be nested in `include`.
const INCLUDE_RECURSION_LIMIT: usize = 1000;

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Str};
    r.add("include", &[Str, Any], None, include);
    r.add("tpl", &[Str, Any], None, tpl);
    r.add("required", &[Str, Any], None, |_, a| match &a[1] {
        Value::Nil => Err(format!("{REQUIRED_START}{}{REQUIRED_END}", arg_str(&a, 0)).into()),
        Value::String(s) if s.is_empty() => Err(format!("{REQUIRED_START}{}{REQUIRED_END}", arg_str(&a, 0)).into()),
        other => Ok(other.clone()),
    });
    // Helm marks `fail` messages like `required` ones, so they print without Go's context.
    r.add("fail", &[Str], None, |_, a| Err(format!("{REQUIRED_START}{}{REQUIRED_END}", arg_str(&a, 0)).into()));
    r.add("lookup", &[Str, Str, Str, Str], None, |e, a| {
        let found = e.set.lookup_hook().lookup(arg_str(&a, 0), arg_str(&a, 1), arg_str(&a, 2), arg_str(&a, 3))?;
        Ok(from_kubernetes_json(&found))
    });
    // `helm template` runs without --enable-dns: Helm replaces Sprig's
    // lookup with one that answers nothing, so the result is deterministic.
    r.add("getHostByName", &[Str], None, |_, _| Ok(Value::str("")));
    // Helm marshals through JSON and prints nothing when that fails.
    r.add("toYaml", &[Any], None, |_, a| {
        Ok(Value::str(match a[0].json_unsupported(0) {
            Some(_) => String::new(),
            None => crate::yaml::to_yaml_helm(&a[0].to_json()),
        }))
    });
    r.add("toYamlPretty", &[Any], None, |_, a| Ok(Value::str(crate::yaml::to_yaml_pretty_helm(&a[0].to_json_typed()))));
    r.add("fromYaml", &[Str], None, |_, a| Ok(from_yaml(arg_str(&a, 0), false)));
    r.add("fromYamlArray", &[Str], None, |_, a| Ok(from_yaml(arg_str(&a, 0), true)));
    r.add("hello", &[], None, |_, _| Ok(Value::str("Hello!")));
}

fn include(exec: &mut Exec<'_>, a: Vec<Value>) -> CallResult {
    let name = arg_str(&a, 0).to_string();
    if !exec.set.contains(&name) {
        return Err(format!(
            "template: no template {} associated with template {}",
            crate::template::gofmt::quote(&name),
            crate::template::gofmt::quote(exec.set.root_name())
        )
        .into());
    }
    let depth = exec.include_depth.entry(name.clone()).or_insert(0);
    if *depth > INCLUDE_RECURSION_LIMIT {
        return Err(
            format!("rendering template has a nested reference name: {name}: unable to execute template").into()
        );
    }
    *depth += 1;
    let result = exec.execute_to_string(&name, a[1].clone());
    if let Some(depth) = exec.include_depth.get_mut(&name) {
        *depth -= 1;
    }
    result.map(Value::str).map_err(|e| CallError::Message(e.to_string()))
}

fn tpl(exec: &mut Exec<'_>, a: Vec<Value>) -> CallResult {
    let text = arg_str(&a, 0);
    let mut set = exec.set.clone();
    let root = set.root_name().to_string();
    if let Err(error) = set.add(&root, text) {
        let message = match error {
            TemplateError::Parse(failure) => failure.to_string(),
            other => other.to_string(),
        };
        return Err(format!("cannot parse template {}: {message}", crate::template::gofmt::quote(text)).into());
    }
    match set.execute_go(&root, &a[1]) {
        Ok((output, nondeterministic)) => {
            exec.nondeterministic |= nondeterministic;
            Ok(Value::str(output.replace("<no value>", "")))
        }
        Err(error) => {
            Err(format!("error during tpl function execution for {}: {error}", crate::template::gofmt::quote(text))
                .into())
        }
    }
}

/// Helm's `fromYaml`/`fromYamlArray`: the first document, numbers as
/// float64; errors are returned in the value (`Error` key / single element).
fn from_yaml(text: &str, want_array: bool) -> Value {
    let error = |message: String| {
        if want_array {
            return Value::list(vec![Value::str(message)]);
        }
        let mut map = BTreeMap::new();
        map.insert("Error".to_string(), Value::str(message));
        Value::map(map)
    };
    let first = match crate::yaml::from_yaml_helm(text) {
        Ok(value) => value,
        Err(e) => return error(format!("error converting YAML to JSON: {}", e.go_v2_message())),
    };
    let target = if want_array { "[]interface {}" } else { "map[string]interface {}" };
    let kind = match &first {
        serde_json::Value::Null => {
            return if want_array { Value::list(Vec::new()) } else { Value::map(BTreeMap::new()) };
        }
        serde_json::Value::Object(_) if !want_array => return Value::from_json(&first),
        serde_json::Value::Array(_) if want_array => return Value::from_json(&first),
        serde_json::Value::Object(_) => "object",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "bool",
    };
    error(format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {target}"
    ))
}

/// Objects from the API server decode with integers as int64 (unstructured JSON).
fn from_kubernetes_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int64(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_kubernetes_json).collect()),
        serde_json::Value::Object(map) => {
            Value::map(map.iter().map(|(k, v)| (k.clone(), from_kubernetes_json(v))).collect())
        }
        other => Value::from_json(other),
    }
}

//! `values.schema.json` validation with the messages Helm prints (they come
//! from gojsonschema): one `- FIELD: DESCRIPTION` line per violation, under
//! the name of each chart whose schema fails, subcharts checked against
//! their own part of the values.
//!
//! Supported keywords: `type`, `enum`, `const`, `required`, `properties`,
//! `additionalProperties`, `items`, `minItems`, `maxItems`, `minLength`,
//! `maxLength`, `pattern`, `minimum`, `maximum`. Others are ignored.
//! This module must not coalesce values.

use serde_json::Value;

use super::chart::Chart;
use super::error::HelmError;

/// Helm's `ValidateAgainstSchema` over the chart and its subcharts.
pub fn validate_values(chart: &Chart, values: &serde_json::Map<String, Value>) -> Result<(), HelmError> {
    let mut report = String::new();
    collect(chart, values, &mut report)?;
    if report.is_empty() { Ok(()) } else { Err(HelmError::Schema { details: report }) }
}

fn collect(chart: &Chart, values: &serde_json::Map<String, Value>, report: &mut String) -> Result<(), HelmError> {
    if let Some(schema) = &chart.schema {
        let schema: Value = serde_json::from_slice(schema).map_err(|e| HelmError::InvalidChart {
            message: format!("{}: values.schema.json is not valid JSON: {e}", chart.metadata.name),
        })?;
        let mut problems = Vec::new();
        check(&Value::Object(values.clone()), &schema, "(root)", &mut problems);
        if !problems.is_empty() {
            report.push_str(&format!("{}:\n", chart.metadata.name));
            for problem in problems {
                report.push_str(&format!("- {problem}\n"));
            }
        }
    }
    for subchart in &chart.dependencies {
        let empty = serde_json::Map::new();
        let sub_values = values.get(&subchart.metadata.name).and_then(Value::as_object).unwrap_or(&empty);
        collect(subchart, sub_values, report)?;
    }
    Ok(())
}

fn child(field: &str, key: &str) -> String {
    if field == "(root)" { key.to_string() } else { format!("{field}.{key}") }
}

/// gojsonschema's name for a value's type (whole numbers are `integer`).
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) => {
            if n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                "integer"
            } else {
                "number"
            }
        }
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(value: &Value, wanted: &str) -> bool {
    let actual = type_name(value);
    actual == wanted || (wanted == "number" && actual == "integer")
}

fn check(value: &Value, schema: &Value, field: &str, problems: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else { return };
    if let Some(wanted) = schema.get("type") {
        let types: Vec<&str> = match wanted {
            Value::String(t) => vec![t.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| type_matches(value, t)) {
            problems.push(format!("{field}: Invalid type. Expected: {}, given: {}", types.join("/"), type_name(value)));
            return;
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.iter().any(|a| json_equal(a, value))
    {
        let listed: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        problems.push(format!("{field}: {field} must be one of the following: {}", listed.join(", ")));
    }
    if let Some(expected) = schema.get("const")
        && !json_equal(expected, value)
    {
        problems.push(format!("{field}: {field} does not match: {expected}"));
    }
    match value {
        Value::Object(map) => check_object(map, schema, field, problems),
        Value::Array(items) => check_array(items, schema, field, problems),
        Value::String(text) => check_string(text, schema, field, problems),
        Value::Number(n) => check_number(n.as_f64().unwrap_or(0.0), schema, field, problems),
        _ => {}
    }
}

fn check_object(
    map: &serde_json::Map<String, Value>,
    schema: &serde_json::Map<String, Value>,
    field: &str,
    problems: &mut Vec<String>,
) {
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(name) {
                problems.push(format!("{field}: {name} is required"));
            }
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(properties) = properties {
        for (name, property_schema) in properties {
            if let Some(property) = map.get(name) {
                check(property, property_schema, &child(field, name), problems);
            }
        }
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(false)) => {
            for name in map.keys().filter(|k| !properties.is_some_and(|p| p.contains_key(*k))) {
                problems.push(format!("{field}: Additional property {name} is not allowed"));
            }
        }
        Some(extra @ Value::Object(_)) => {
            for (name, property) in map.iter().filter(|(k, _)| !properties.is_some_and(|p| p.contains_key(*k))) {
                check(property, extra, &child(field, name), problems);
            }
        }
        _ => {}
    }
}

fn check_array(items: &[Value], schema: &serde_json::Map<String, Value>, field: &str, problems: &mut Vec<String>) {
    if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
        && (items.len() as u64) < min
    {
        problems.push(format!("{field}: Array must have at least {min} items"));
    }
    if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
        && (items.len() as u64) > max
    {
        problems.push(format!("{field}: Array must have at most {max} items"));
    }
    if let Some(item_schema @ Value::Object(_)) = schema.get("items") {
        for (index, item) in items.iter().enumerate() {
            check(item, item_schema, &child(field, &index.to_string()), problems);
        }
    }
}

fn check_string(text: &str, schema: &serde_json::Map<String, Value>, field: &str, problems: &mut Vec<String>) {
    let length = text.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && length < min
    {
        problems.push(format!("{field}: String length must be greater than or equal to {min}"));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && length > max
    {
        problems.push(format!("{field}: String length must be less than or equal to {max}"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && regex::Regex::new(pattern).is_ok_and(|re| !re.is_match(text))
    {
        problems.push(format!("{field}: Does not match pattern '{pattern}'"));
    }
}

fn check_number(number: f64, schema: &serde_json::Map<String, Value>, field: &str, problems: &mut Vec<String>) {
    let show = |v: &Value| v.to_string();
    if let Some(min) = schema.get("minimum")
        && min.as_f64().is_some_and(|m| number < m)
    {
        problems.push(format!("{field}: Must be greater than or equal to {}", show(min)));
    }
    if let Some(max) = schema.get("maximum")
        && max.as_f64().is_some_and(|m| number > m)
    {
        problems.push(format!("{field}: Must be less than or equal to {}", show(max)));
    }
}

/// JSON equality with numbers compared by value (1 equals 1.0).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(value: Value, schema: Value) -> Vec<String> {
        let mut out = Vec::new();
        check(&value, &schema, "(root)", &mut out);
        out
    }

    #[test]
    fn whole_floats_are_integers_and_type_errors_stop_descent() {
        assert!(problems(json!({"n": 3.0}), json!({"properties": {"n": {"type": "integer"}}})).is_empty());
        assert_eq!(
            problems(json!({"n": 1.5}), json!({"properties": {"n": {"type": "integer", "minimum": 2}}})),
            ["n: Invalid type. Expected: integer, given: number"]
        );
    }

    #[test]
    fn required_and_nested_fields_are_named_from_the_root() {
        let schema = json!({"required": ["a"], "properties": {"b": {"items": {"type": "string"}}}});
        assert_eq!(
            problems(json!({"b": ["x", 1]}), schema),
            ["(root): a is required", "b.1: Invalid type. Expected: string, given: integer"]
        );
    }
}

//! Dotted field paths as replacements and vars write them: `spec.template.spec.containers.[name=web].image`,
//! `spec.ports.0.port`, `metadata.labels.app\.kubernetes\.io/name`-style keys in brackets
//! (`metadata.annotations.[a.b/c]`) and `*` for every element. Lookup and creating lookup.

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Match(String, String),
    Index(usize),
    Every,
    /// `[name]` with neither `=` nor a dot: kyaml reads it as an element match and fails
    /// when it gets there.
    BadMatch,
}

/// kyaml's message for a bracketed step that is not `[field=value]`.
const BAD_MATCH: &str = "list path element must contain fieldName=fieldValue for element to match";

/// A parsed dotted path.
#[derive(Debug, Clone)]
pub struct FieldPath {
    steps: Vec<Step>,
    text: String,
}

impl FieldPath {
    /// Parses a path; brackets protect dots.
    pub fn parse(text: &str) -> Self {
        let mut raw = Vec::new();
        let mut current = String::new();
        let mut depth = 0;
        for c in text.chars() {
            match c {
                '[' => {
                    depth += 1;
                    current.push(c);
                }
                ']' => {
                    depth -= 1;
                    current.push(c);
                }
                '.' if depth == 0 => raw.push(std::mem::take(&mut current)),
                _ => current.push(c),
            }
        }
        raw.push(current);
        let steps = raw
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s == "*" {
                    return Step::Every;
                }
                if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                    return match (inner.split_once('='), inner.parse::<usize>()) {
                        (Some((k, v)), _) => Step::Match(k.to_string(), v.to_string()),
                        (None, Ok(index)) => Step::Index(index),
                        (None, Err(_)) if inner.contains('.') => Step::Field(inner.to_string()),
                        (None, Err(_)) => Step::BadMatch,
                    };
                }
                match s.parse::<usize>() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Field(s),
                }
            })
            .collect();
        FieldPath { steps, text: text.to_string() }
    }

    /// The path as written, for messages.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every value at this path (several with `*` or element matches).
    pub fn find<'v>(&self, root: &'v Value) -> Vec<&'v Value> {
        let mut current = vec![root];
        for step in &self.steps {
            let mut next = Vec::new();
            for value in current {
                match (step, value) {
                    (Step::Field(name), Value::Object(map)) => next.extend(map.get(name)),
                    (Step::Index(i), Value::Array(items)) => next.extend(items.get(*i)),
                    (Step::Match(k, v), Value::Array(items)) => {
                        next.extend(items.iter().filter(|item| matches_element(item, k, v)))
                    }
                    (Step::Every, Value::Array(items)) => next.extend(items.iter()),
                    (Step::Every, Value::Object(map)) => next.extend(map.values()),
                    _ => {}
                }
            }
            current = next;
        }
        current
    }

    /// Calls `visit` on every value at this path, telling it whether the value was just
    /// created; with `create`, missing maps, fields, matched elements and the element just
    /// past a list's end are added first (the last one as `null`). Fails on reaching a
    /// bracketed step that is not an element match, or with `create` an index further past
    /// the end.
    pub fn visit_mut(
        &self,
        root: &mut Value,
        create: bool,
        visit: &mut dyn FnMut(&mut Value, bool),
    ) -> std::result::Result<(), String> {
        visit_steps(root, &self.steps, create, false, visit)
    }
}

fn matches_element(item: &Value, key: &str, wanted: &str) -> bool {
    match item.get(key) {
        Some(Value::String(s)) => s == wanted,
        Some(other) => serde_json::to_string(other).is_ok_and(|text| text == wanted),
        None => false,
    }
}

fn visit_steps(
    value: &mut Value,
    steps: &[Step],
    create: bool,
    created: bool,
    visit: &mut dyn FnMut(&mut Value, bool),
) -> std::result::Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        visit(value, created);
        return Ok(());
    };
    if *step == Step::BadMatch {
        return Err(BAD_MATCH.to_string());
    }
    if create && value.is_null() {
        *value = match step {
            Step::Field(_) => Value::Object(Map::new()),
            _ => Value::Array(Vec::new()),
        };
    }
    match (step, value) {
        (Step::Field(name), Value::Object(map)) => {
            let fresh = !map.contains_key(name);
            if fresh {
                if !create {
                    return Ok(());
                }
                map.insert(name.clone(), Value::Null);
            }
            match map.get_mut(name) {
                Some(child) => visit_steps(child, rest, create, fresh, visit),
                None => Ok(()),
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            // kyaml creates an element only right after the last one.
            let fresh = create && *i == items.len();
            if fresh {
                items.push(Value::Null);
            } else if create && *i > items.len() {
                return Err(format!("index {i} specified but only {} elements found", items.len()));
            }
            match items.get_mut(*i) {
                Some(child) => visit_steps(child, rest, create, fresh, visit),
                None => Ok(()),
            }
        }
        (Step::Match(k, v), Value::Array(items)) => {
            if create && !items.iter().any(|item| matches_element(item, k, v)) {
                let mut element = Map::new();
                element.insert(k.clone(), Value::String(v.clone()));
                items.push(Value::Object(element));
            }
            items
                .iter_mut()
                .filter(|item| matches_element(item, k, v))
                .try_for_each(|item| visit_steps(item, rest, create, false, visit))
        }
        (Step::Every, Value::Array(items)) => {
            items.iter_mut().try_for_each(|item| visit_steps(item, rest, create, false, visit))
        }
        (Step::Every, Value::Object(map)) => {
            map.values_mut().try_for_each(|item| visit_steps(item, rest, create, false, visit))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_through_element_matches_indexes_and_bracketed_keys() {
        let doc = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]},
                         "metadata": {"annotations": {"a.b/c": "v"}}});
        assert_eq!(FieldPath::parse("spec.containers.[name=b].image").find(&doc), vec![&json!("y")]);
        assert_eq!(FieldPath::parse("spec.containers.0.image").find(&doc), vec![&json!("x")]);
        assert_eq!(FieldPath::parse("metadata.annotations.[a.b/c]").find(&doc), vec![&json!("v")]);
        assert_eq!(FieldPath::parse("spec.containers.*.name").find(&doc).len(), 2);
    }

    #[test]
    fn creates_missing_fields_only_when_asked() {
        let mut doc = json!({});
        FieldPath::parse("a.b").visit_mut(&mut doc, false, &mut |v, _| *v = json!(1)).unwrap();
        assert_eq!(doc, json!({}));
        FieldPath::parse("a.b").visit_mut(&mut doc, true, &mut |v, _| *v = json!(1)).unwrap();
        assert_eq!(doc, json!({"a": {"b": 1}}));
    }

    #[test]
    fn a_bracketed_key_without_a_dot_or_equals_fails_when_reached() {
        let mut doc = json!({"metadata": {"labels": {"team": "x"}}});
        let err = FieldPath::parse("metadata.labels.[team]").visit_mut(&mut doc, false, &mut |_, _| {}).unwrap_err();
        assert_eq!(err, BAD_MATCH);
        // Never reached: the walk stops at the missing map first.
        assert!(FieldPath::parse("spec.labels.[team]").visit_mut(&mut doc, false, &mut |_, _| {}).is_ok());
    }
}

//! Which fields of a render came from nondeterministic template functions
//! (`now`, `rand*`, `uuidv4`, `genCA`…). A renderer that knows its output
//! may vary renders a second time with another clock and other random
//! numbers; the fields that differ between the two renders are the
//! nondeterministic ones, so the audit can say so instead of reporting drift.
//!
//! Pure: compares two renders, renders nothing itself.

use std::collections::HashMap;

use serde_json::Value;

use crate::object::{DesiredObject, ObjectRef, Pointer};

/// Records on each object of `first` the fields that differ in `second`, the
/// same objects rendered again. An object the second render does not have
/// (its name itself varies) is nondeterministic as a whole.
pub fn mark_varying_fields(first: &mut [DesiredObject], second: &[DesiredObject]) {
    let again: HashMap<ObjectRef, &Value> = second.iter().map(|o| (o.object_ref(), &o.manifest.0)).collect();
    for object in first {
        object.nondeterministic = match again.get(&object.object_ref()) {
            Some(other) => {
                let mut paths = Vec::new();
                varying_paths(&object.manifest.0, other, Pointer::root(), &mut paths);
                paths.sort();
                paths
            }
            None => vec![Pointer::root()],
        };
    }
}

/// The smallest subtrees in which `a` and `b` differ: maps are compared key
/// by key and lists of the same length element by element; anything else
/// that differs is one path.
fn varying_paths(a: &Value, b: &Value, at: Pointer, out: &mut Vec<Pointer>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                match y.get(key) {
                    Some(other) => varying_paths(value, other, at.child(key.as_str()), out),
                    None => out.push(at.child(key.as_str())),
                }
            }
            out.extend(y.keys().filter(|k| !x.contains_key(*k)).map(|k| at.child(k.as_str())));
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (index, (value, other)) in x.iter().zip(y).enumerate() {
                varying_paths(value, other, at.child(index.to_string()), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::{Manifest, Origin, Unit};

    fn object(value: Value) -> DesiredObject {
        DesiredObject::new(Manifest(value), Origin { file: "t.yaml".into(), line: 0, unit: Unit::Plain })
    }

    fn secret(name: &str, data: Value) -> DesiredObject {
        object(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}, "data": data}))
    }

    #[test]
    fn only_the_fields_that_vary_are_marked() {
        let mut first = vec![secret("s", json!({"token": "abc", "fixed": "x", "list": [1, 2]}))];
        let second = vec![secret("s", json!({"token": "xyz", "fixed": "x", "list": [1, 3]}))];
        mark_varying_fields(&mut first, &second);
        let marked: Vec<String> = first[0].nondeterministic.iter().map(ToString::to_string).collect();
        assert_eq!(marked, ["/data/list/1", "/data/token"]);
    }

    #[test]
    fn keys_and_lengths_that_vary_mark_the_whole_subtree() {
        let mut first = vec![secret("s", json!({"a": "1", "list": [1]}))];
        let second = vec![secret("s", json!({"b": "1", "list": [1, 2]}))];
        mark_varying_fields(&mut first, &second);
        let marked: Vec<String> = first[0].nondeterministic.iter().map(ToString::to_string).collect();
        assert_eq!(marked, ["/data/a", "/data/b", "/data/list"]);
    }

    #[test]
    fn an_object_whose_name_varies_is_nondeterministic_as_a_whole() {
        let mut first = vec![secret("s-abc", json!({})), secret("same", json!({"k": "v"}))];
        let second = vec![secret("s-xyz", json!({})), secret("same", json!({"k": "v"}))];
        mark_varying_fields(&mut first, &second);
        assert_eq!(first[0].nondeterministic, vec![Pointer::root()]);
        assert!(first[0].nondeterministic[0].covers(&Pointer::parse("/metadata/name").unwrap()));
        assert!(first[1].nondeterministic.is_empty());
    }
}

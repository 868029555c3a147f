//! Setting and removing a value at a JSON pointer inside an object, creating
//! the maps on the way as needed.

use serde_json::{Map, Value};

use crate::object::Pointer;

/// Sets (`Some`) or removes (`None`) the value at `path`.
pub fn set_at(root: &mut Value, path: &Pointer, value: Option<Value>) {
    let Some((last, parents)) = path.segments().split_last() else {
        if let Some(v) = value {
            *root = v;
        }
        return;
    };
    let mut node = root;
    for segment in parents {
        node = match node {
            Value::Array(items) => match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            Value::Object(map) => map.entry(segment.clone()).or_insert_with(|| Value::Object(Map::new())),
            _ if value.is_none() => return,
            other => {
                *other = Value::Object(Map::new());
                other.as_object_mut().expect("just made a map").entry(segment.clone()).or_insert(Value::Null)
            }
        };
    }
    match (node, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(last.clone(), v);
        }
        (Value::Object(map), None) => {
            map.remove(last);
        }
        (Value::Array(items), v) => {
            let Ok(i) = last.parse::<usize>() else { return };
            match v {
                Some(v) if i < items.len() => items[i] = v,
                Some(v) if i == items.len() => items.push(v),
                None if i < items.len() => {
                    items.remove(i);
                }
                _ => {}
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sets_and_removes_nested_values() {
        let mut v = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}});
        set_at(&mut v, &Pointer::parse("/spec/template/spec/containers/0/image").unwrap(), Some(json!("y")));
        set_at(&mut v, &Pointer::parse("/metadata/labels/app").unwrap(), Some(json!("web")));
        set_at(&mut v, &Pointer::parse("/spec/template").unwrap(), None);
        assert_eq!(v, json!({"spec": {}, "metadata": {"labels": {"app": "web"}}}));
    }
}

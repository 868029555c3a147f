//! Strategic merge patch with kustomize's (kyaml) semantics: maps merge recursively and
//! `null` deletes; a list whose built-in schema gives a patch merge key merges by that key
//! — the patch's elements first, in patch order, then the elements only the target has —
//! and lists of scalars with the `merge` strategy merge as sets the same way; every other
//! list (including all lists of custom resources) is replaced by the patch's list as written
//! (directives and nulls included, as kyaml does not walk into it). `$patch: delete|replace`
//! is honored where kyaml honors it; kustomize leaves other `$` directives in the object,
//! and so does this.
//! Pure value manipulation: no I/O, no object identity.

use serde_json::{Map, Value};

use super::schema::{SchemaField, SchemaType};

/// What a patch did to the whole object.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The object was patched (possibly unchanged).
    Patched,
    /// The patch said `$patch: delete` at the top.
    Deleted,
}

/// Applies `patch` to `target`; `schema` describes the target's kind when it is built in.
/// Fails, as kyaml does, where the patch puts a map, a list or a scalar in place of a
/// different one of these.
pub fn apply(
    target: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    schema: Option<SchemaType>,
) -> Result<Outcome, String> {
    if directive(patch) == Some("delete") {
        return Ok(Outcome::Deleted);
    }
    merge_map(target, patch, schema)?;
    Ok(Outcome::Patched)
}

/// kyaml's name for the kind of node a value is.
fn node_kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "MappingNode",
        Value::Array(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

/// kyaml's refusal to merge a patch value into a target value of another node kind.
fn check_kinds(dest: Option<&Value>, patch: &Value) -> Result<(), String> {
    match dest {
        Some(dest) if !dest.is_null() && !patch.is_null() && node_kind(dest) != node_kind(patch) => Err(format!(
            "wrong node kind: expected {} but got {}: node contents:\n{}",
            node_kind(dest),
            node_kind(patch),
            crate::yaml::to_yaml_kyaml(patch)
        )),
        _ => Ok(()),
    }
}

fn directive(map: &Map<String, Value>) -> Option<&str> {
    map.get("$patch").and_then(Value::as_str)
}

fn merge_map(
    dest: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    schema: Option<SchemaType>,
) -> Result<(), String> {
    if directive(patch) == Some("replace") {
        *dest = clean_map(patch, schema);
        return Ok(());
    }
    for (key, patch_value) in patch {
        if key == "$patch" {
            continue;
        }
        check_kinds(dest.get(key), patch_value)?;
        let field = schema.and_then(|s| s.field(key));
        let child_schema = field.and_then(SchemaType::child);
        match patch_value {
            Value::Null => {
                dest.shift_remove(key);
            }
            Value::Object(patch_map) if directive(patch_map) == Some("delete") => {
                dest.shift_remove(key);
            }
            Value::Object(patch_map) => match dest.get_mut(key) {
                Some(Value::Object(dest_map)) => merge_map(dest_map, patch_map, child_schema)?,
                _ => {
                    dest.insert(key.clone(), Value::Object(clean_map(patch_map, child_schema)));
                }
            },
            Value::Array(patch_items) => match dest.get_mut(key) {
                Some(Value::Array(dest_items)) => {
                    if merge_list(dest_items, patch_items, field, child_schema)? == ListOutcome::Deleted {
                        dest.shift_remove(key);
                    }
                }
                _ => {
                    dest.insert(key.clone(), clean(patch_value, field, child_schema));
                }
            },
            scalar => {
                dest.insert(key.clone(), scalar.clone());
            }
        }
    }
    Ok(())
}

/// What merging a list did to the field.
#[derive(Debug, PartialEq, Eq)]
enum ListOutcome {
    Merged,
    /// A `$patch: delete` element alone in its map removed the whole list.
    Deleted,
}

/// True when kyaml merges the list (a `merge` patch strategy in the built-in schema).
fn merges(field: Option<&SchemaField>) -> bool {
    field.is_some_and(|f| f.strategy.split(',').any(|s| s == "merge"))
}

/// kyaml's `determineSequenceNodePatchStrategy`: an element whose only key is `$patch`
/// directs the whole list (one with other keys directs only itself).
fn list_directive(patch: &[Value]) -> Option<&str> {
    patch
        .iter()
        .filter_map(Value::as_object)
        .find(|map| map.len() == 1 && map.contains_key("$patch"))
        .and_then(directive)
}

fn merge_list(
    dest: &mut Vec<Value>,
    patch: &[Value],
    field: Option<&SchemaField>,
    item_schema: Option<SchemaType>,
) -> Result<ListOutcome, String> {
    if !merges(field) {
        *dest = patch.to_vec();
        return Ok(ListOutcome::Merged);
    }
    match list_directive(patch) {
        Some("delete") => return Ok(ListOutcome::Deleted),
        Some("replace") => {
            *dest = patch
                .iter()
                .filter(|item| !is_delete(item) && item.as_object().and_then(directive) != Some("replace"))
                .map(|item| clean(item, None, item_schema))
                .collect();
            return Ok(ListOutcome::Merged);
        }
        _ => {}
    }
    // A list keyed by several fields merges by all of them once an element sets a key past
    // the first; until then it merges as a list with one key (observed of kustomize v5.5.0).
    let sets_other_key =
        |f: &SchemaField| dest.iter().chain(patch).any(|item| f.other_keys.iter().any(|k| item.get(*k).is_some()));
    if let Some(field) = field.filter(|f| sets_other_key(f)) {
        let keys: Vec<&str> = std::iter::once(field.merge_key).chain(field.other_keys.iter().copied()).collect();
        merge_multi_key_list(dest, patch, &keys, item_schema)?;
        return Ok(ListOutcome::Merged);
    }
    let key = field.map_or("", |f| f.merge_key);
    let identity = |item: &Value| -> Option<Value> {
        match item {
            Value::Object(map) if !key.is_empty() => map.get(key).cloned(),
            Value::Object(_) => None,
            scalar => Some(scalar.clone()),
        }
    };
    let mut remaining: Vec<Option<Value>> = dest.drain(..).map(Some).collect();
    let mut merged = Vec::with_capacity(remaining.len() + patch.len());
    for item in patch {
        let wanted = identity(item);
        let existing = wanted.as_ref().and_then(|w| {
            remaining
                .iter_mut()
                .find(|slot| slot.as_ref().and_then(identity).as_ref() == Some(w))
                .and_then(Option::take)
        });
        if is_delete(item) {
            continue;
        }
        match (existing, item) {
            (Some(Value::Object(mut dest_map)), Value::Object(patch_map)) => {
                merge_element(&mut dest_map, patch_map, item_schema)?;
                merged.push(Value::Object(dest_map));
            }
            (_, item) => merged.push(clean(item, None, item_schema)),
        }
    }
    merged.extend(remaining.into_iter().flatten());
    *dest = merged;
    Ok(ListOutcome::Merged)
}

/// A patch element merged into the target element it names; one that says `$patch:
/// replace` leaves the target element as it was (observed of kustomize v5.5.0).
fn merge_element(
    dest: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    schema: Option<SchemaType>,
) -> Result<(), String> {
    if directive(patch) == Some("replace") { Ok(()) } else { merge_map(dest, patch, schema) }
}

/// A list keyed by several fields (`ports`: port and protocol), as kyaml merges it: a patch
/// element whose keys all equal a target element's merges into it in place; one that only
/// agrees with a target element where both set a key (a port without a protocol against
/// the same port with one) is dropped; the others are new and go first, in patch order.
fn merge_multi_key_list(
    dest: &mut Vec<Value>,
    patch: &[Value],
    keys: &[&str],
    item_schema: Option<SchemaType>,
) -> Result<(), String> {
    let key_values = |item: &Value| -> Vec<Option<Value>> { keys.iter().map(|k| item.get(*k).cloned()).collect() };
    let compatible =
        |a: &[Option<Value>], b: &[Option<Value>]| a.iter().zip(b).all(|(x, y)| x.is_none() || y.is_none() || x == y);
    let mut fresh = Vec::new();
    for item in patch {
        let wanted = key_values(item);
        if let Some(existing) = dest.iter_mut().find(|d| key_values(d) == wanted) {
            if is_delete(item) {
                *existing = Value::Null;
            } else if let (Value::Object(dest_map), Value::Object(patch_map)) = (existing, item) {
                merge_element(dest_map, patch_map, item_schema)?;
            }
            continue;
        }
        if is_delete(item) || dest.iter().any(|d| compatible(&key_values(d), &wanted)) {
            continue;
        }
        fresh.push(clean(item, None, item_schema));
    }
    dest.retain(|d| !d.is_null());
    fresh.append(dest);
    *dest = fresh;
    Ok(())
}

fn is_delete(item: &Value) -> bool {
    item.as_object().and_then(directive) == Some("delete")
}

/// A patch value as it lands where the target has nothing: kyaml drops the directives and
/// `null` fields of the maps and mergeable lists it walks, and takes a list it cannot merge
/// as written. `field` is the value's schema field when it is a list, `schema` its type.
fn clean(value: &Value, field: Option<&SchemaField>, schema: Option<SchemaType>) -> Value {
    match value {
        Value::Object(map) => Value::Object(clean_map(map, schema)),
        Value::Array(items) if merges(field) => {
            Value::Array(items.iter().filter(|item| !is_delete(item)).map(|item| clean(item, None, schema)).collect())
        }
        other => other.clone(),
    }
}

fn clean_map(map: &Map<String, Value>, schema: Option<SchemaType>) -> Map<String, Value> {
    map.iter()
        .filter(|(key, value)| *key != "$patch" && !value.is_null())
        .map(|(key, value)| {
            let field = schema.and_then(|s| s.field(key));
            (key.clone(), clean(value, field, field.and_then(SchemaType::child)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(target: Value, patch: Value) -> Value {
        let mut target = target.as_object().unwrap().clone();
        apply(&mut target, patch.as_object().unwrap(), None).unwrap();
        Value::Object(target)
    }

    #[test]
    fn lists_without_a_schema_are_replaced() {
        let out = patched(json!({"c": [{"name": "a", "x": 1}, {"name": "b"}]}), json!({"c": [{"name": "b", "y": 2}]}));
        assert_eq!(out, json!({"c": [{"name": "b", "y": 2}]}));
        // kyaml does not walk into a list it replaces: directives and nulls stay.
        let verbatim = json!({"c": [{"$patch": "delete", "x": null}, {"$patch": "replace"}]});
        assert_eq!(patched(json!({"c": [1]}), verbatim.clone()), verbatim);
        assert_eq!(patched(json!({}), verbatim.clone()), verbatim);
    }

    #[test]
    fn keyed_lists_put_patch_elements_first_then_target_only_ones() {
        let gvk = super::super::resource::Gvk::from_api_version("apps/v1", "Deployment");
        let mut target = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "a"}, {"name": "b"}, {"name": "c", "image": "c"}]}}}})
        .as_object()
        .unwrap()
        .clone();
        let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "c2"}, {"name": "a", "image": "a2"}]}}}});
        apply(&mut target, patch.as_object().unwrap(), SchemaType::for_kind(&gvk)).unwrap();
        let names: Vec<&str> = target["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["c", "a", "b"]);
        assert_eq!(target["spec"]["template"]["spec"]["containers"][0]["image"], "c2");
    }

    #[test]
    fn directives_delete_replace_and_null() {
        let out = patched(
            json!({"a": {"b": 1, "c": 2}, "d": 1, "e": {"f": 1}}),
            json!({"a": {"$patch": "replace", "z": 1}, "d": null, "e": {"$patch": "delete"}}),
        );
        assert_eq!(out, json!({"a": {"z": 1}}));
        let mut target = json!({"a": 1}).as_object().unwrap().clone();
        assert_eq!(apply(&mut target, json!({"$patch": "delete"}).as_object().unwrap(), None), Ok(Outcome::Deleted));
        let mismatch = apply(&mut target, json!({"a": {"b": 1}}).as_object().unwrap(), None);
        assert_eq!(
            mismatch,
            Err("wrong node kind: expected ScalarNode but got MappingNode: node contents:\nb: 1\n".into())
        );
    }
}

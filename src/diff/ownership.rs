//! Field ownership from `metadata.managedFields`: which manager (kubectl-edit,
//! helm, kube-controller-manager…) owns a field of the live object, for
//! attribution and to tell a hand-made addition from a server default.
//!
//! FieldsV1 keys: `f:<field>` for a map field, `k:<json>` for a list element
//! by its key fields, `v:<json>` for a set element by value, `i:<n>` by index,
//! `.` for the element itself. Resolving a pointer walks the live object
//! alongside, so list indices can be matched to `k:`/`v:` keys without a schema.

use serde_json::Value;

use super::ChangedBy;
use crate::object::Pointer;

/// One manager's entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerEntry {
    /// Field manager name.
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    /// Last write time.
    pub time: Option<String>,
    /// `status`, `scale`… for subresource writes.
    pub subresource: Option<String>,
    fields: Value,
}

impl ManagerEntry {
    fn changed_by(&self) -> ChangedBy {
        ChangedBy { manager: self.manager.clone(), operation: self.operation.clone(), time: self.time.clone() }
    }
}

/// The managedFields of one live object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagedFields {
    entries: Vec<ManagerEntry>,
}

/// How a manager's field set relates to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The manager owns the path itself.
    Owns,
    /// The manager owns an atomic value containing the path (a whole list of rules, say).
    OwnsContaining,
    /// The manager owns something inside the path only.
    Inside,
    /// Not at all.
    None,
}

impl ManagedFields {
    /// Reads `metadata.managedFields` of a live object (empty when absent).
    pub fn of(live: &Value) -> Self {
        let entries = live
            .pointer("/metadata/managedFields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                Some(ManagerEntry {
                    manager: e.get("manager")?.as_str()?.to_string(),
                    operation: e.get("operation").and_then(Value::as_str).unwrap_or("").to_string(),
                    time: e.get("time").and_then(Value::as_str).map(str::to_string),
                    subresource: e.get("subresource").and_then(Value::as_str).map(str::to_string),
                    fields: e.get("fieldsV1").cloned().unwrap_or(Value::Null),
                })
            })
            .collect();
        ManagedFields { entries }
    }

    /// Whether the object carries any ownership information.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries.
    pub fn entries(&self) -> &[ManagerEntry] {
        &self.entries
    }

    /// Managers that own the field at `path` (or an atomic value containing it).
    pub fn owners<'a>(&'a self, live: &Value, path: &Pointer) -> Vec<&'a ManagerEntry> {
        self.entries
            .iter()
            .filter(|e| matches!(reach(&e.fields, live, path.segments()), Reach::Owns | Reach::OwnsContaining))
            .collect()
    }

    /// Managers that own the field at `path` itself, not as part of an atomic value
    /// containing it: whoever last wrote a whole atomic list owns every element of it,
    /// whether or not they chose that element.
    pub fn precise_owners<'a>(&'a self, live: &Value, path: &Pointer) -> Vec<&'a ManagerEntry> {
        self.entries.iter().filter(|e| reach(&e.fields, live, path.segments()) == Reach::Owns).collect()
    }

    /// Managers that own the field at `path` or anything inside it.
    pub fn touching<'a>(&'a self, live: &Value, path: &Pointer) -> Vec<&'a ManagerEntry> {
        self.entries.iter().filter(|e| reach(&e.fields, live, path.segments()) != Reach::None).collect()
    }

    /// Who changed the field at `path` last: the most recent owner; for a field
    /// that is gone, the most recent owner of its nearest remaining parent.
    pub fn changed_by(&self, live: &Value, path: &Pointer) -> Option<ChangedBy> {
        let segments = path.segments();
        // Stop above the top-level field: owning `f:spec` somewhere says nothing about one field
        // (a top-level field itself, `/rules`, is still owned by whoever wrote it).
        (2.min(segments.len())..=segments.len()).rev().find_map(|len| {
            let at = Pointer::from_segments(&segments[..len]);
            let owners = if len == segments.len() { self.owners(live, &at) } else { self.touching(live, &at) };
            owners.into_iter().max_by(|a, b| a.time.cmp(&b.time)).map(ManagerEntry::changed_by)
        })
    }
}

impl ManagedFields {
    /// The fields that identify the list element at `element` (a pointer ending in an index),
    /// as the API server keys it (`k:{"port":80,"protocol":"TCP"}` → `port`, `protocol`).
    pub fn element_key_fields(&self, live: &Value, element: &Pointer) -> Option<Vec<String>> {
        let (index, list) = element.segments().split_last()?;
        let item = live.pointer(&element.to_string())?;
        self.entries.iter().find_map(|entry| {
            let set = descend(&entry.fields, live, list)?;
            let key = element_key(set.as_object()?, item, index)?;
            let json = key.strip_prefix("k:")?;
            match serde_json::from_str::<Value>(json).ok()? {
                Value::Object(fields) => Some(fields.keys().cloned().collect()),
                _ => None,
            }
        })
    }
}

/// The FieldsV1 set at `segments` (a list or map node), resolving indices against `live`.
fn descend<'a>(fields: &'a Value, live: &Value, segments: &[String]) -> Option<&'a Value> {
    let Some((first, rest)) = segments.split_first() else { return Some(fields) };
    let set = fields.as_object()?;
    let (key, child_live) = match live {
        Value::Array(items) => {
            let item = first.parse::<usize>().ok().and_then(|i| items.get(i))?;
            (element_key(set, item, first)?, item)
        }
        Value::Object(map) => (format!("f:{first}"), map.get(first.as_str())?),
        _ => return None,
    };
    descend(set.get(&key)?, child_live, rest)
}

/// Walks a FieldsV1 set along `segments`, resolving list indices against `live`.
fn reach(fields: &Value, live: &Value, segments: &[String]) -> Reach {
    let Some(set) = fields.as_object() else { return Reach::None };
    let Some((first, rest)) = segments.split_first() else {
        // Reached the path: owning the node itself shows as "." or as an empty (leaf) set.
        return if set.is_empty() || set.contains_key(".") { Reach::Owns } else { Reach::Inside };
    };
    let (key, child_live) = match live {
        Value::Array(items) => {
            let Some(item) = first.parse::<usize>().ok().and_then(|i| items.get(i)) else { return Reach::None };
            let Some(key) = element_key(set, item, first) else { return Reach::None };
            (key, item)
        }
        Value::Object(map) => (format!("f:{first}"), map.get(first.as_str()).unwrap_or(&Value::Null)),
        _ => return Reach::None,
    };
    match set.get(&key) {
        // An empty set marks a leaf: an atomic value owned as a whole.
        Some(Value::Object(child)) if child.is_empty() => {
            if rest.is_empty() {
                Reach::Owns
            } else {
                Reach::OwnsContaining
            }
        }
        Some(child) => reach(child, child_live, rest),
        None => Reach::None,
    }
}

/// The FieldsV1 key naming `item` (at index `index`) among the keys of a list's set.
fn element_key(set: &serde_json::Map<String, Value>, item: &Value, index: &str) -> Option<String> {
    set.keys()
        .find(|key| {
            if let Some(json) = key.strip_prefix("k:") {
                let Ok(Value::Object(wanted)) = serde_json::from_str::<Value>(json) else { return false };
                wanted.iter().all(|(k, v)| item.get(k).is_some_and(|have| same_key_value(have, v)))
            } else if let Some(json) = key.strip_prefix("v:") {
                serde_json::from_str::<Value>(json).is_ok_and(|v| &v == item)
            } else {
                key.strip_prefix("i:") == Some(index)
            }
        })
        .cloned()
}

/// Key fields compare as JSON, with numbers by value (`80` = `80.0`).
fn same_key_value(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn live() -> Value {
        json!({
            "metadata": {
                "name": "web",
                "labels": {"app": "web", "team": "x"},
                "managedFields": [
                    {"manager": "kubectl-client-side-apply", "operation": "Update", "time": "2026-11-24T09:00:00Z",
                     "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                                  "f:spec": {"f:template": {"f:spec": {"f:containers": {
                                      "k:{\"name\":\"web\"}": {".": {}, "f:name": {}, "f:image": {}, "f:args": {}}}}}}}},
                    {"manager": "kubectl-label", "operation": "Update", "time": "2026-11-24T10:00:00Z",
                     "fieldsV1": {"f:metadata": {"f:labels": {"f:team": {}}}}},
                    {"manager": "kubectl-edit", "operation": "Update", "time": "2026-11-24T11:00:00Z",
                     "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {
                         "k:{\"name\":\"web\"}": {"f:env": {".": {}, "k:{\"name\":\"MODE\"}": {".": {}, "f:name": {}, "f:value": {}}}}}}}}}}
                ]
            },
            "spec": {"template": {"spec": {"containers": [
                {"name": "web", "image": "nginx", "args": ["a", "b"], "env": [{"name": "MODE", "value": "debug"}]}
            ]}}}
        })
    }

    fn managers(entries: Vec<&ManagerEntry>) -> Vec<&str> {
        entries.iter().map(|e| e.manager.as_str()).collect()
    }

    #[test]
    fn resolves_map_fields_and_keyed_list_elements() {
        let live = live();
        let mf = ManagedFields::of(&live);
        let owners = |p: &str| managers(mf.owners(&live, &Pointer::parse(p).unwrap()));
        assert_eq!(owners("/metadata/labels/team"), ["kubectl-label"]);
        assert_eq!(owners("/metadata/labels/app"), ["kubectl-client-side-apply"]);
        assert_eq!(owners("/spec/template/spec/containers/0/image"), ["kubectl-client-side-apply"]);
        assert_eq!(owners("/spec/template/spec/containers/0/env/0/value"), ["kubectl-edit"]);
        // Atomic list: owning `args` owns every element.
        assert_eq!(owners("/spec/template/spec/containers/0/args/1"), ["kubectl-client-side-apply"]);
        assert!(owners("/spec/template/spec/containers/0/imagePullPolicy").is_empty(), "defaults have no owner");
        let precise = |p: &str| managers(mf.precise_owners(&live, &Pointer::parse(p).unwrap()));
        assert_eq!(precise("/spec/template/spec/containers/0/args"), ["kubectl-client-side-apply"]);
        assert!(precise("/spec/template/spec/containers/0/args/1").is_empty(), "owned only as part of the list");
    }

    #[test]
    fn touching_includes_owners_of_descendants() {
        let live = live();
        let mf = ManagedFields::of(&live);
        let labels = Pointer::parse("/metadata/labels").unwrap();
        assert_eq!(managers(mf.touching(&live, &labels)), ["kubectl-client-side-apply", "kubectl-label"]);
    }

    #[test]
    fn element_keys_come_from_the_servers_field_sets() {
        let live = live();
        let mf = ManagedFields::of(&live);
        let key = mf.element_key_fields(&live, &Pointer::parse("/spec/template/spec/containers/0/env/0").unwrap());
        assert_eq!(key, Some(vec!["name".to_string()]));
        assert_eq!(
            mf.element_key_fields(&live, &Pointer::parse("/spec/template/spec/containers/0/args/0").unwrap()),
            None
        );
    }

    #[test]
    fn changed_by_names_the_latest_owner() {
        let live = live();
        let mf = ManagedFields::of(&live);
        let by =
            mf.changed_by(&live, &Pointer::parse("/spec/template/spec/containers/0/env/0/value").unwrap()).unwrap();
        assert_eq!((by.manager.as_str(), by.operation.as_str()), ("kubectl-edit", "Update"));
        assert_eq!(by.time.as_deref(), Some("2026-11-24T11:00:00Z"));
    }
}

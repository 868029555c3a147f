//! Cuts the live object down to what matters for display: the keys the
//! desired object sets, plus the fields that differ. Server defaults,
//! status and bookkeeping would otherwise flood the diff.
//!
//! Values that are equal by meaning (`1000m` and `1`, `8080` and `"8080"`)
//! are shown as Git writes them, so the text diff shows only real
//! differences. This is display only: it must not decide what differs —
//! the audit's field list does.

use serde_json::{Map, Value};

use crate::diff::{element_key, same};
use crate::object::Pointer;

/// The live object restricted to the desired object's keys plus the `differing` paths.
pub(super) fn project_live(desired: &Value, live: &Value, differing: &[Pointer]) -> Value {
    let differing: Vec<&Pointer> = differing.iter().collect();
    project(&Pointer::root(), Some(desired), live, &differing).unwrap_or(Value::Null)
}

/// The projection of `live` at `path`; `None` when nothing there is worth showing.
fn project(path: &Pointer, desired: Option<&Value>, live: &Value, differing: &[&Pointer]) -> Option<Value> {
    let below: Vec<&Pointer> = differing.iter().copied().filter(|p| p.starts_with(path)).collect();
    if below.contains(&path) {
        // A differing field is shown whole: that is the point of the diff.
        return Some(live.clone());
    }
    let Some(desired) = desired else {
        return if below.is_empty() { None } else { project_container(path, None, live, &below) };
    };
    if below.is_empty() && same(path, Some(desired), Some(live)) {
        return Some(desired.clone());
    }
    project_container(path, Some(desired), live, &below)
}

fn project_container(path: &Pointer, desired: Option<&Value>, live: &Value, below: &[&Pointer]) -> Option<Value> {
    match live {
        Value::Object(live_map) => {
            let desired_map = desired.and_then(Value::as_object);
            Some(Value::Object(project_map(path, desired_map, live_map, below)))
        }
        Value::Array(live_items) => {
            let desired_items = desired.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            Some(Value::Array(project_list(path, desired_items, live_items, below)))
        }
        // A scalar where Git sets a value (or of another type): shown as it is.
        scalar => desired.map(|_| scalar.clone()),
    }
}

/// Live keys Git sets, and live-only keys that differ.
fn project_map(
    path: &Pointer,
    desired: Option<&Map<String, Value>>,
    live: &Map<String, Value>,
    below: &[&Pointer],
) -> Map<String, Value> {
    live.iter()
        .filter_map(|(key, value)| {
            let child = project(&path.child(key.as_str()), desired.and_then(|d| d.get(key)), value, below)?;
            Some((key.clone(), child))
        })
        .collect()
}

/// Items paired with Git's items as the audit pairs them (by an identifying
/// field, else by position), in Git's order, then unpaired live items that
/// differ. Child paths use live indices, as the audit's pointers do.
fn project_list(path: &Pointer, desired: &[Value], live: &[Value], below: &[&Pointer]) -> Vec<Value> {
    let key = element_key(desired, live);
    let mut paired = vec![false; live.len()];
    let mut items = Vec::new();
    for (desired_index, wanted) in desired.iter().enumerate() {
        let live_index = match key {
            Some(key) => live.iter().position(|item| item.get(key) == wanted.get(key)),
            None => (desired_index < live.len()).then_some(desired_index),
        };
        let Some(live_index) = live_index else { continue };
        paired[live_index] = true;
        items.extend(project(&path.child(live_index.to_string()), Some(wanted), &live[live_index], below));
    }
    for (live_index, item) in live.iter().enumerate().filter(|(i, _)| !paired[*i]) {
        items.extend(project(&path.child(live_index.to_string()), None, item, below));
    }
    items
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pointers(paths: &[&str]) -> Vec<Pointer> {
        paths.iter().map(|p| Pointer::parse(p).unwrap()).collect()
    }

    #[test]
    fn server_fields_are_dropped_and_differing_fields_kept() {
        let desired = json!({"kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 2}});
        let live = json!({"kind": "Deployment",
            "metadata": {"name": "web", "uid": "123", "resourceVersion": "9",
                "labels": {"app": "web", "pod-template-hash": "abc", "team": "ops"}},
            "spec": {"replicas": 5, "revisionHistoryLimit": 10, "paused": true},
            "status": {"readyReplicas": 5}});
        let projected =
            project_live(&desired, &live, &pointers(&["/spec/replicas", "/spec/paused", "/metadata/labels/team"]));
        assert_eq!(
            projected,
            json!({"kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web", "team": "ops"}},
                "spec": {"replicas": 5, "paused": true}})
        );
    }

    #[test]
    fn values_equal_by_meaning_show_as_git_writes_them() {
        let desired = json!({"resources": {"limits": {"cpu": "1"}}, "port": 8080, "replicas": 2});
        let live = json!({"resources": {"limits": {"cpu": "1000m"}}, "port": "8080", "replicas": 2.0});
        assert_eq!(project_live(&desired, &live, &[]), desired);
    }

    #[test]
    fn keyed_list_items_pair_by_name_not_index() {
        let desired = json!({"containers": [{"name": "app", "image": "app:2"}, {"name": "sidecar", "image": "s:1"}]});
        let live = json!({"containers": [
            {"name": "sidecar", "image": "s:1", "imagePullPolicy": "IfNotPresent"},
            {"name": "debug", "image": "busybox"},
            {"name": "app", "image": "app:1", "terminationMessagePath": "/dev/termination-log"}]});
        let projected = project_live(&desired, &live, &pointers(&["/containers/2/image", "/containers/1"]));
        assert_eq!(
            projected,
            json!({"containers": [{"name": "app", "image": "app:1"}, {"name": "sidecar", "image": "s:1"},
                {"name": "debug", "image": "busybox"}]})
        );
    }

    #[test]
    fn unkeyed_lists_pair_by_index_and_extra_items_need_a_differing_path() {
        let desired = json!({"args": ["--a", "--b"]});
        let live = json!({"args": ["--a", "--c", "--d"]});
        assert_eq!(project_live(&desired, &live, &pointers(&["/args/1"])), json!({"args": ["--a", "--c"]}));
        assert_eq!(project_live(&desired, &live, &pointers(&["/args"])), live);
    }

    #[test]
    fn lists_without_an_identifying_field_pair_by_position() {
        let desired = json!({"rules": [{"verbs": ["get"]}, {"verbs": ["list"]}]});
        let live = json!({"rules": [{"verbs": ["get"], "apiGroups": [""]}, {"verbs": ["watch"]}]});
        let projected = project_live(&desired, &live, &pointers(&["/rules/1/verbs"]));
        assert_eq!(projected, json!({"rules": [{"verbs": ["get"]}, {"verbs": ["watch"]}]}));
    }

    #[test]
    fn a_differing_path_keeps_its_whole_live_value() {
        let desired = json!({"spec": {"selector": {"app": "web"}}});
        let live = json!({"spec": {"selector": {"app": "web", "tier": "front"}, "type": "ClusterIP"}});
        let projected = project_live(&desired, &live, &pointers(&["/spec/selector"]));
        assert_eq!(projected, json!({"spec": {"selector": {"app": "web", "tier": "front"}}}));
    }

    #[test]
    fn type_mismatch_shows_the_live_value() {
        let desired = json!({"data": {"a": "x"}});
        let live = json!({"data": "oops"});
        assert_eq!(project_live(&desired, &live, &[]), live);
    }
}

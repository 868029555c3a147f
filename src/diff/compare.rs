//! The field walk: lines up Git's object (D), the last-applied object (A) and
//! the live object (L) and lists where they differ.
//!
//! Desired-fields mode walks what D sets (plus what A set that D dropped):
//! fields only L has are not differences but candidates ("extras") that the
//! classifier keeps only when a person, not the server, put them there.
//! An empty value in Git (`annotations: {}`, `args: []`, `env: null`,
//! `clusterIP: ""`) sets nothing: what the cluster holds there is judged like any field Git leaves
//! out. Lists of objects are matched by an identifying field when one exists
//! on both sides (`name`, `containerPort`, `mountPath`…), else by position —
//! or by content when that shows the server reordered them (HPA metrics come
//! back in another order) or an element was added or removed.
//! Server-side mode compares two complete objects, every field.

use serde_json::{Map, Value};

use super::normalize::{is_free_form_map, is_system_field};
use super::value::{is_absent, same, sets_nothing};
use crate::object::Pointer;

/// Fields that identify list elements, in order of preference. A field is used
/// only when every element on both sides has it and no two share a value.
const ELEMENT_KEYS: [&str; 7] = ["name", "containerPort", "port", "mountPath", "devicePath", "ip", "type"];

/// One place where the legs differ.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Difference {
    pub path: Pointer,
    pub desired: Option<Value>,
    pub last_applied: Option<Value>,
    pub live: Option<Value>,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(super) struct Walk {
    /// Places where D and L differ, or (converged) where D differs from A.
    pub differences: Vec<Difference>,
    /// Leaf fields where D and L agree (their owners are the deployment system).
    pub matched: Vec<Pointer>,
    /// Fields present only in L.
    pub extras: Vec<Pointer>,
}

/// Walks the fields D sets. `a` is `None` when no last-applied state is known.
pub(super) fn walk_desired(d: &Value, a: Option<&Value>, l: &Value) -> Walk {
    let mut walk = Walk::default();
    visit(&Pointer::root(), Some(d), a, Some(l), &mut walk);
    walk
}

/// Compares two complete objects (server-side dry-run result vs live), every field.
pub(super) fn walk_exact(expected: &Value, a: Option<&Value>, l: &Value) -> Walk {
    let mut walk = Walk::default();
    exact(&Pointer::root(), Some(expected), a, Some(l), &mut walk);
    walk
}

fn visit(path: &Pointer, d: Option<&Value>, a: Option<&Value>, l: Option<&Value>, walk: &mut Walk) {
    if sets_nothing(path, d) {
        match a.filter(|a| !sets_nothing(path, Some(a))) {
            Some(a) => dropped(path, a, l, walk),
            None if !is_absent(l) => walk.extras.push(path.clone()),
            None => {}
        }
        return;
    }
    match (d, l) {
        (Some(Value::Object(dm)), Some(Value::Object(lm))) if !dm.is_empty() => visit_map(path, dm, a, lm, walk),
        (Some(Value::Array(dl)), Some(Value::Array(ll))) if dl.iter().all(Value::is_object) && !dl.is_empty() => {
            visit_list(path, dl, a.and_then(Value::as_array), ll, walk)
        }
        _ => leaf(path, d, a, l, walk),
    }
}

fn leaf(path: &Pointer, d: Option<&Value>, a: Option<&Value>, l: Option<&Value>, walk: &mut Walk) {
    let differs = !same(path, d, l);
    let converged = !differs && !sets_nothing(path, a) && !same(path, d, a);
    if differs || converged {
        walk.differences.push(Difference {
            path: path.clone(),
            desired: d.cloned().filter(|v| !is_absent(Some(v))),
            last_applied: a.cloned().filter(|v| !is_absent(Some(v))),
            live: l.cloned().filter(|v| !is_absent(Some(v))),
        });
    } else if !is_absent(d) {
        walk.matched.push(path.clone());
    }
}

fn visit_map(path: &Pointer, d: &Map<String, Value>, a: Option<&Value>, l: &Map<String, Value>, walk: &mut Walk) {
    let a_map = a.and_then(Value::as_object);
    // An empty value in last-applied (kubectl records `annotations: {}`) set nothing.
    let in_a = |key: &String| a_map.and_then(|m| m.get(key)).is_some_and(|v| !is_absent(Some(v)));
    for (key, dv) in d {
        visit(&path.child(key.as_str()), Some(dv), a_map.and_then(|m| m.get(key)), l.get(key), walk);
    }
    // Set by the last apply, dropped from Git: the next apply removes it.
    for (key, av) in a_map.into_iter().flatten().filter(|(k, _)| !d.contains_key(*k) && in_a(k)) {
        dropped(&path.child(key.as_str()), av, l.get(key), walk);
    }
    for key in l.keys().filter(|k| !d.contains_key(*k) && !in_a(k)) {
        walk.extras.push(path.child(key.as_str()));
    }
}

/// A field the last apply set and Git no longer sets. Labels and annotations
/// are judged key by key: the ones a deployment tool adds on its own
/// (`app.kubernetes.io/managed-by`, `meta.helm.sh/release-name`) stay whatever Git says.
fn dropped(path: &Pointer, a: &Value, l: Option<&Value>, walk: &mut Walk) {
    if is_system_field(path) {
        return;
    }
    match a {
        Value::Object(entries) if is_free_form_map(path) => {
            for (key, av) in entries {
                dropped(&path.child(key.as_str()), av, l.and_then(|l| l.get(key)), walk);
            }
            let live_only =
                l.and_then(Value::as_object).into_iter().flatten().filter(|(k, _)| !entries.contains_key(*k));
            for (key, _) in live_only {
                walk.extras.push(path.child(key.as_str()));
            }
        }
        _ => leaf(path, None, Some(a), l, walk),
    }
}

fn visit_list(path: &Pointer, d: &[Value], a: Option<&Vec<Value>>, l: &[Value], walk: &mut Walk) {
    let Some(key) = element_key(d, l) else {
        return visit_list_by_position(path, d, a, l, walk);
    };
    let find = |list: &[Value], wanted: &Value| list.iter().position(|e| e.get(key) == Some(wanted));
    let a_list = a.map(Vec::as_slice).unwrap_or_default();
    for (di, de) in d.iter().enumerate() {
        let k = de.get(key).unwrap_or(&Value::Null);
        let ae = a.and_then(|a| find(a, k).map(|i| &a[i]));
        match find(l, k) {
            Some(li) => visit(&path.child(li.to_string()), Some(de), ae, Some(&l[li]), walk),
            None => leaf(&path.child(di.to_string()), Some(de), ae, None, walk),
        }
    }
    for (li, le) in l.iter().enumerate() {
        let k = le.get(key).unwrap_or(&Value::Null);
        if find(d, k).is_some() {
            continue;
        }
        match find(a_list, k) {
            Some(ai) => leaf(&path.child(li.to_string()), None, Some(&a_list[ai]), Some(le), walk),
            None => walk.extras.push(path.child(li.to_string())),
        }
    }
}

fn visit_list_by_position(path: &Pointer, d: &[Value], a: Option<&Vec<Value>>, l: &[Value], walk: &mut Walk) {
    let at = |i: usize| path.child(i.to_string());
    let Some(pairs) = paired_by_content(path, d, l) else {
        for (i, (de, le)) in d.iter().zip(l).enumerate() {
            visit(&at(i), Some(de), a.and_then(|a| a.get(i)), Some(le), walk);
        }
        return;
    };
    for (di, li) in pairs.iter().enumerate() {
        let ae = a.and_then(|a| a.get(di));
        match li {
            Some(li) => visit(&at(*li), Some(&d[di]), ae, Some(&l[*li]), walk),
            None => leaf(&at(di), Some(&d[di]), ae, None, walk),
        }
    }
    let a_list = a.map(Vec::as_slice).unwrap_or_default();
    for li in (0..l.len()).filter(|li| !pairs.contains(&Some(*li))) {
        // An element only the cluster has: one the last apply set is due to go; others are judged by who added them.
        match a_list.iter().find(|ae| matches_whole(&at(li), ae, &l[li])) {
            Some(ae) => leaf(&at(li), None, Some(ae), Some(&l[li]), walk),
            None => walk.extras.push(at(li)),
        }
    }
}

/// Whether walking `d` over `l` finds no difference (`l` may hold more: server defaults).
fn matches_whole(path: &Pointer, d: &Value, l: &Value) -> bool {
    let mut probe = Walk::default();
    visit(path, Some(d), None, Some(l), &mut probe);
    probe.differences.is_empty()
}

/// Pairs Git's elements with live ones when pairing by position would see
/// differences: each Git element with a live element it matches whole (the
/// server reordered the list, or an element was added or removed), the rest
/// with the remaining live elements in order while they last. For each Git
/// element, its live position (`None`: gone from the cluster); `None` overall
/// when the lists pair cleanly by position.
fn paired_by_content(path: &Pointer, d: &[Value], l: &[Value]) -> Option<Vec<Option<usize>>> {
    let matches = |di: usize, li: usize| matches_whole(&path.child(li.to_string()), &d[di], &l[li]);
    if d.len() == l.len() && (0..d.len()).all(|i| matches(i, i)) {
        return None;
    }
    let mut taken = vec![false; l.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; d.len()];
    for (di, slot) in pairs.iter_mut().enumerate() {
        if let Some(li) = (0..l.len()).find(|&li| !taken[li] && matches(di, li)) {
            taken[li] = true;
            *slot = Some(li);
        }
    }
    let unmatched = pairs.iter().filter(|p| p.is_none()).count();
    // Only as many leftovers as both sides have are the same elements edited.
    let mut rest = (0..l.len()).filter(|&li| !taken[li]).take(unmatched.min(l.len() - (d.len() - unmatched)));
    for slot in pairs.iter_mut().filter(|p| p.is_none()) {
        *slot = rest.next();
    }
    Some(pairs)
}

/// The field that pairs the elements of two lists (Git's and live), as the
/// audit pairs them: the first of `name`, `containerPort`, `port`… that names
/// every element of both lists uniquely; `None` means pairing by position.
pub fn element_key(d: &[Value], l: &[Value]) -> Option<&'static str> {
    ELEMENT_KEYS.into_iter().find(|key| unique_key(d, key) && unique_key(l, key))
}

fn unique_key(list: &[Value], key: &str) -> bool {
    let mut seen = Vec::with_capacity(list.len());
    list.iter().all(|e| match e.get(key) {
        Some(v) if !v.is_null() && !seen.contains(&v) => {
            seen.push(v);
            true
        }
        _ => false,
    })
}

fn exact(path: &Pointer, e: Option<&Value>, a: Option<&Value>, l: Option<&Value>, walk: &mut Walk) {
    match (e, l) {
        (Some(Value::Object(em)), Some(Value::Object(lm))) => {
            let a_map = a.and_then(Value::as_object);
            for key in em.keys().chain(lm.keys().filter(|k| !em.contains_key(*k))) {
                exact(&path.child(key.as_str()), em.get(key), a_map.and_then(|m| m.get(key)), lm.get(key), walk);
            }
        }
        (Some(Value::Array(el)), Some(Value::Array(ll))) if el.len() == ll.len() => {
            // Last-applied keeps Git's order; the server may have reordered the other two alike.
            let a_list = a.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let a_at = paired_by_content(path, a_list, el).unwrap_or_else(|| (0..a_list.len()).map(Some).collect());
            for (i, (ee, le)) in el.iter().zip(ll).enumerate() {
                let ae = a_at.iter().position(|&at| at == Some(i)).and_then(|ai| a_list.get(ai));
                exact(&path.child(i.to_string()), Some(ee), ae, Some(le), walk);
            }
        }
        _ => leaf(path, e, a, l, walk),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn paths(differences: &[Difference]) -> Vec<String> {
        differences.iter().map(|d| d.path.to_string()).collect()
    }

    fn deploy(replicas: u32, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
               "spec": {"replicas": replicas, "template": {"spec": {"containers": [
                   {"name": "web", "image": image, "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}}})
    }

    #[test]
    fn server_defaults_are_not_differences() {
        let d = deploy(2, "nginx:1");
        let mut l = deploy(2, "nginx:1");
        l["spec"]["revisionHistoryLimit"] = json!(10);
        l["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = json!("IfNotPresent");
        l["metadata"]["uid"] = json!("123");
        let walk = walk_desired(&d, None, &l);
        assert!(walk.differences.is_empty(), "{:?}", walk.differences);
        assert!(paths(&[]).is_empty());
        let extras: Vec<String> = walk.extras.iter().map(ToString::to_string).collect();
        assert!(extras.contains(&"/spec/revisionHistoryLimit".to_string()));
        assert!(extras.contains(&"/spec/template/spec/containers/0/imagePullPolicy".to_string()));
        assert!(walk.matched.iter().any(|p| p.to_string() == "/spec/template/spec/containers/0/image"));
    }

    #[test]
    fn finds_changed_leaves() {
        let walk = walk_desired(&deploy(2, "nginx:1"), None, &deploy(5, "nginx:2"));
        assert_eq!(paths(&walk.differences), ["/spec/replicas", "/spec/template/spec/containers/0/image"]);
        assert_eq!(walk.differences[0].live, Some(json!(5)));
    }

    #[test]
    fn lists_are_matched_by_identifying_field() {
        let d = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
        let l = json!({"env": [{"name": "B", "value": "2"}, {"name": "C", "value": "3"}, {"name": "A", "value": "9"}]});
        let walk = walk_desired(&d, None, &l);
        assert_eq!(paths(&walk.differences), ["/env/2/value"]);
        assert_eq!(walk.extras.iter().map(ToString::to_string).collect::<Vec<_>>(), ["/env/1"]);
    }

    #[test]
    fn element_missing_from_live_is_a_difference() {
        let d = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
        let l = json!({"env": [{"name": "A", "value": "1"}]});
        let walk = walk_desired(&d, None, &l);
        assert_eq!(paths(&walk.differences), ["/env/1"]);
        assert_eq!(walk.differences[0].live, None);
    }

    #[test]
    fn dropped_from_git_but_last_applied_is_compared() {
        let d = json!({"metadata": {"labels": {"app": "web"}}});
        let a = json!({"metadata": {"labels": {"app": "web", "old": "x"}}});
        let l = json!({"metadata": {"labels": {"app": "web", "old": "x"}}});
        let walk = walk_desired(&d, Some(&a), &l);
        assert_eq!(paths(&walk.differences), ["/metadata/labels/old"]);
        assert_eq!(walk.differences[0].desired, None);
        assert!(walk.extras.is_empty());
    }

    #[test]
    fn labels_a_deployment_tool_adds_are_not_dropped_by_git() {
        let d = json!({"metadata": {"labels": {"app": "web"}, "annotations": {}}});
        let a = json!({"metadata": {"labels": {"app": "web", "app.kubernetes.io/managed-by": "Helm", "old": "x"},
                                    "annotations": {"meta.helm.sh/release-name": "web"}}});
        let l = json!({"metadata": {"labels": {"app": "web", "app.kubernetes.io/managed-by": "Helm", "old": "x"},
                                    "annotations": {"meta.helm.sh/release-name": "web"}}});
        let mut l = l;
        l["metadata"]["annotations"]["owner"] = json!("bob");
        let mut l = l;
        l["metadata"]["annotations"]["owner"] = json!("bob");
        let walk = walk_desired(&d, Some(&a), &l);
        assert_eq!(paths(&walk.differences), ["/metadata/labels/old"]);
        let extras: Vec<String> = walk.extras.iter().map(ToString::to_string).collect();
        assert_eq!(extras, ["/metadata/annotations/owner"], "a key added by hand is still seen");
        let extras: Vec<String> = walk.extras.iter().map(ToString::to_string).collect();
        assert_eq!(extras, ["/metadata/annotations/owner"], "a key added by hand is still seen");
    }

    #[test]
    fn converged_fields_are_reported_where_git_left_last_applied() {
        let walk = walk_desired(
            &json!({"spec": {"replicas": 3}}),
            Some(&json!({"spec": {"replicas": 2}})),
            &json!({"spec": {"replicas": 3}}),
        );
        assert_eq!(paths(&walk.differences), ["/spec/replicas"]);
    }

    #[test]
    fn lists_without_identity_compare_by_position() {
        let d = json!({"args": ["a", "b"], "rules": [{"verbs": ["get"]}]});
        let l = json!({"args": ["a", "c"], "rules": [{"verbs": ["get"], "apiGroups": [""]}]});
        let walk = walk_desired(&d, None, &l);
        assert_eq!(paths(&walk.differences), ["/args"]);
    }

    #[test]
    fn empty_values_in_git_set_nothing() {
        let d = json!({"metadata": {"annotations": {}}, "spec": {"args": [], "env": null, "rules": []}});
        let l = json!({"metadata": {"annotations": {"note": "x"}}, "spec": {"rules": [{"verbs": ["get"]}]}});
        let walk = walk_desired(&d, None, &l);
        assert!(walk.differences.is_empty(), "{:?}", walk.differences);
        let extras: Vec<String> = walk.extras.iter().map(ToString::to_string).collect();
        assert_eq!(extras, ["/metadata/annotations", "/spec/rules"], "judged by who put them there");
        // Set by the last apply and emptied in Git: the next apply removes it.
        let a = json!({"spec": {"args": ["--debug"]}});
        let walk = walk_desired(&json!({"spec": {"args": []}}), Some(&a), &json!({"spec": {"args": ["--debug"]}}));
        assert_eq!(paths(&walk.differences), ["/spec/args"]);
    }

    #[test]
    fn an_empty_string_asks_the_server_for_a_value() {
        let d = json!({"spec": {"clusterIP": "", "type": "ClusterIP"}});
        let l = json!({"spec": {"clusterIP": "10.96.0.7", "type": "ClusterIP"}});
        let walk = walk_desired(&d, Some(&d), &l);
        assert!(walk.differences.is_empty(), "{:?}", walk.differences);
        assert_eq!(walk.extras.iter().map(ToString::to_string).collect::<Vec<_>>(), ["/spec/clusterIP"]);
    }

    #[test]
    fn lists_the_server_reordered_match_by_content() {
        let cpu = json!({"type": "Resource", "resource": {"name": "cpu", "target": {"averageUtilization": 70}}});
        let memory = json!({"type": "Resource", "resource": {"name": "memory", "target": {"averageValue": "1Gi"}}});
        let d = json!({"metrics": [cpu.clone(), memory.clone()]});
        let walk = walk_desired(&d, None, &json!({"metrics": [memory.clone(), cpu.clone()]}));
        assert!(walk.differences.is_empty(), "{:?}", walk.differences);
        let mut edited = memory.clone();
        edited["resource"]["target"]["averageValue"] = json!("2Gi");
        let walk = walk_desired(&d, None, &json!({"metrics": [edited, cpu]}));
        assert_eq!(paths(&walk.differences), ["/metrics/0/resource/target/averageValue"], "the edit, not the order");
    }

    #[test]
    fn a_removed_or_added_element_is_reported_alone() {
        let rule = |verb: &str| json!({"apiGroups": [""], "resources": ["pods"], "verbs": [verb]});
        let d = json!({"rules": [rule("get"), rule("list"), rule("watch")]});
        let walk = walk_desired(&d, None, &json!({"rules": [rule("get"), rule("watch")]}));
        assert_eq!(paths(&walk.differences), ["/rules/1"]);
        let walk =
            walk_desired(&d, None, &json!({"rules": [rule("get"), rule("list"), rule("delete"), rule("watch")]}));
        assert!(walk.differences.is_empty(), "{:?}", walk.differences);
        assert_eq!(walk.extras.iter().map(ToString::to_string).collect::<Vec<_>>(), ["/rules/2"]);
    }

    #[test]
    fn exact_mode_pairs_last_applied_with_reordered_elements() {
        let (cpu, memory) = (json!({"name": "cpu", "target": 70}), json!({"name": "memory", "target": "1Gi"}));
        let a = json!({"metrics": [cpu.clone(), memory.clone()]});
        let server = json!({"metrics": [memory, cpu]});
        let walk = walk_exact(&server, Some(&a), &server);
        assert!(walk.differences.is_empty(), "nothing converged: {:?}", walk.differences);
    }

    #[test]
    fn exact_mode_sees_every_field() {
        let e = json!({"spec": {"replicas": 2, "paused": false}});
        let l = json!({"spec": {"replicas": 2, "paused": true, "extra": 1}});
        assert_eq!(paths(&walk_exact(&e, None, &l).differences), ["/spec/paused", "/spec/extra"]);
    }
}

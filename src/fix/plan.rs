//! The repair plan, decided from the audit alone (pure): which objects to
//! apply, create or delete, which fields, under which field manager, and the
//! exact object to send.
//!
//! Every repair is written under the field manager of the tool that deployed
//! the object, with the operation that tool uses, so the fields go back to it
//! and its next run meets no conflict. The expected value of a field is the
//! last-applied value where known (so the tool's own record stays true), else
//! Git's; fields not chosen for repair are left as they are.
//!
//! - A tool that writes with server-side apply (Helm 4, Flux, `kubectl apply
//!   --server-side`) gets a forced server-side apply of the expected object:
//!   forcing takes the changed fields back from whoever edited them. Apply
//!   cannot remove what another manager owns (a label from `kubectl label`),
//!   nor put back a list element's key (a Service port edited from 80 to 8081
//!   is a new element to the server, and applying 80 would add a second one),
//!   so a JSON patch does those first.
//! - A tool that writes with updates (`kubectl apply`, Helm 3) gets one JSON
//!   patch that sets, adds and removes every chosen field, as the tool itself
//!   would: one request, so the object is either repaired or untouched.
//!
//! Every patch operation is guarded by a `test` of the value the audit saw, so
//! a concurrent edit fails the repair instead of being overwritten. Missing
//! objects are re-created with a forced server-side apply.

use serde_json::Value;

use super::FixAction;
use super::pointer_edit::set_at;
use crate::diff::{Audit, AuditedObject, FieldClass, ManagedFields, ObjectClass, deployment_manager, update_form};
use crate::object::Pointer;
use crate::object::{LAST_APPLIED_ANNOTATION, Manifest, ObjectRef, Unit};

/// Annotations (key, value) that protect an object from `--prune`.
pub const PROTECT_ANNOTATIONS: [(&str, &str); 2] =
    [("driftctl.dev/prune", "disabled"), ("kustomize.toolkit.fluxcd.io/prune", "disabled")];

/// What to repair.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// Also repair conflicts (Git wins).
    pub fix_conflicts: bool,
    /// Also apply pending Git changes.
    pub fix_pending: bool,
    /// Delete extra objects.
    pub prune: bool,
    /// Field manager to write as, instead of the deployment tool's.
    pub field_manager: Option<String>,
}

impl FixOptions {
    /// Whether fields of `class` are put back to Git's value: drift always,
    /// conflicts and pending changes when asked; converged and
    /// nondeterministic fields never (the cluster keeps its value).
    pub fn repairs(&self, class: FieldClass) -> bool {
        match class {
            FieldClass::Drift => true,
            FieldClass::Conflict => self.fix_conflicts,
            FieldClass::Pending => self.fix_pending,
            FieldClass::Converged | FieldClass::Nondeterministic => false,
        }
    }
}

/// The repair of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFix {
    /// The object.
    pub reference: ObjectRef,
    /// Its `apiVersion`.
    pub api_version: String,
    /// What to do.
    pub action: FixAction,
    /// The fields repaired (empty for create and delete).
    pub fields: Vec<Pointer>,
    /// Field manager the repair is written as.
    pub manager: String,
    /// The object sent with server-side apply: the whole object for a create; for an
    /// apply, the expected object that returns ownership to a server-side deployer.
    pub body: Option<Manifest>,
    /// The JSON patch (RFC 6902 operations) written first (see the module header).
    pub patch: Vec<Value>,
    /// Whether the apply can be checked by a dry-run before the patch is written (it cannot
    /// when the patch removes a list element the apply then adds back under its old key).
    pub preview_apply: bool,
    /// Why the object is skipped, for `Skip`.
    pub reason: Option<String>,
}

/// Plans the repair of every object of the audit that needs one.
pub fn plan_fixes(audit: &Audit, options: &FixOptions) -> Vec<PlannedFix> {
    audit
        .objects
        .iter()
        .filter_map(|object| {
            let mut fix = plan_object(object, options)?;
            if fix.action != FixAction::Skip && audit.report_only.contains(&object.reference) {
                fix.action = FixAction::Skip;
                fix.reason = Some("its HelmRelease's drift detection is in warn mode: reported, not repaired".into());
            }
            Some(fix)
        })
        .collect()
}

fn plan_object(object: &AuditedObject, options: &FixOptions) -> Option<PlannedFix> {
    let skeleton = |action, manager: String| PlannedFix {
        reference: object.reference.clone(),
        api_version: object.api_version.clone(),
        action,
        fields: Vec::new(),
        manager,
        body: None,
        patch: Vec::new(),
        preview_apply: true,
        reason: None,
    };
    match object.diff.class {
        ObjectClass::Missing => {
            let desired = object.desired.as_ref()?;
            let manager = options.field_manager.clone().unwrap_or_else(|| manager_for_unit(object));
            let mut body = desired.clone();
            if manager == "kubectl-client-side-apply" {
                // What `kubectl apply` would have recorded, so a later `kubectl apply` sees its own history.
                record_last_applied(&mut body);
            }
            Some(PlannedFix { body: Some(body), ..skeleton(FixAction::Create, manager) })
        }
        ObjectClass::Modified => plan_modified(object, options, skeleton),
        ObjectClass::Extra => {
            let live = object.live.as_ref()?;
            let manager = options.field_manager.clone().unwrap_or_default();
            if !options.prune {
                return Some(PlannedFix {
                    reason: Some("extra object; pass --prune to delete it".into()),
                    ..skeleton(FixAction::Skip, manager)
                });
            }
            if let Some((key, value)) = PROTECT_ANNOTATIONS.iter().find(|(k, v)| live.annotation(k) == Some(v)) {
                return Some(PlannedFix {
                    reason: Some(format!("protected by annotation {key}: {value}")),
                    ..skeleton(FixAction::Skip, manager)
                });
            }
            Some(skeleton(FixAction::Delete, manager))
        }
        ObjectClass::InSync | ObjectClass::UnknownKind | ObjectClass::Error => None,
    }
}

fn plan_modified(
    object: &AuditedObject,
    options: &FixOptions,
    skeleton: impl Fn(FixAction, String) -> PlannedFix,
) -> Option<PlannedFix> {
    let desired = object.desired.as_ref()?;
    let live = object.live.as_ref()?;
    let chosen = |class: FieldClass| options.repairs(class);
    let deployer = deployment_manager(desired, live);
    let server_side = deployer.as_ref().is_some_and(|d| d.server_side);
    let manager = options
        .field_manager
        .clone()
        .or_else(|| deployer.map(|d| d.manager))
        .unwrap_or_else(|| manager_for_unit(object));
    let skipped: Vec<&str> = object.diff.fields.iter().filter(|f| !chosen(f.class)).map(|f| f.class.as_str()).collect();
    if !object.diff.fields.iter().any(|f| chosen(f.class)) {
        let reason = if skipped.contains(&"conflict") {
            "only conflicts and pending Git changes; pass --fix-conflicts or --fix-pending"
        } else {
            "only pending Git changes, left to the deployment tool; pass --fix-pending to apply them"
        };
        return Some(PlannedFix { reason: Some(reason.into()), ..skeleton(FixAction::Skip, manager) });
    }

    // Start from what the deployment tool applied last, else from Git.
    let last_applied: Option<Value> =
        live.annotation(LAST_APPLIED_ANNOTATION).and_then(|text| serde_json::from_str(text).ok());
    let mut body = last_applied.unwrap_or_else(|| desired.0.clone());
    let managed = ManagedFields::of(&live.0);
    let mut fields = Vec::new();
    let mut changes = Vec::new();
    let mut rekeyed = false;
    for field in &object.diff.fields {
        let target = if chosen(field.class) { field.desired.clone() } else { field.live.clone() };
        if chosen(field.class) {
            fields.push(field.path.clone());
            // A changed key field makes the edited element a different one to the server: the
            // apply could only add a second element, so the patch puts the key back.
            let rekeys = server_side && rekeys_element(&managed, live, &field.path);
            rekeyed |= rekeys;
            if !server_side || rekeys || target.is_none() {
                changes.push((field.path.clone(), field.live.clone(), target.clone()));
            }
        }
        set_at(&mut body, &field.path, target);
    }
    // The apply must name the object exactly as it is.
    for key in ["apiVersion", "kind"] {
        if let Some(v) = desired.0.get(key) {
            set_at(&mut body, &Pointer::root().child(key), Some(v.clone()));
        }
    }
    set_at(&mut body, &Pointer::parse("/metadata/name").expect("pointer"), Some(live.name().into()));
    if let Some(ns) = live.namespace() {
        set_at(&mut body, &Pointer::parse("/metadata/namespace").expect("pointer"), Some(ns.into()));
    }
    if let Some(text) = live.annotation(LAST_APPLIED_ANNOTATION) {
        let path = Pointer::parse("/metadata/annotations").expect("pointer").child(LAST_APPLIED_ANNOTATION);
        set_at(&mut body, &path, Some(text.into()));
    }
    let patch = json_patch(&live.0, &changes);
    // An empty string Git wrote (`clusterIP: ""`) keeps the value the server allocated.
    let body = server_side.then(|| Manifest(update_form(&body, &live.0)));
    Some(PlannedFix { fields, body, patch, preview_apply: !rekeyed, ..skeleton(FixAction::Apply, manager) })
}

/// Whether `path` is a key field of a list element (the server identifies the element by it).
fn rekeys_element(managed: &ManagedFields, live: &Manifest, path: &Pointer) -> bool {
    let Some((field, element)) = path.segments().split_last() else { return false };
    managed.element_key_fields(&live.0, &Pointer::from_segments(element)).is_some_and(|keys| keys.contains(field))
}

/// RFC 6902 operations that turn `live` into the repaired object: every `test`
/// first (against the object as read), then replacements, then removals (later
/// list positions first, so earlier ones do not shift), then additions.
fn json_patch(live: &Value, changes: &[(Pointer, Option<Value>, Option<Value>)]) -> Vec<Value> {
    let mut tests = Vec::new();
    let mut replaces = Vec::new();
    let mut removes = Vec::new();
    let mut adds = Vec::new();
    for (path, current, target) in changes {
        match (current, target) {
            (Some(current), Some(target)) => {
                tests.push(serde_json::json!({"op": "test", "path": path.to_string(), "value": current}));
                replaces.push(serde_json::json!({"op": "replace", "path": path.to_string(), "value": target}));
            }
            (Some(current), None) => {
                tests.push(serde_json::json!({"op": "test", "path": path.to_string(), "value": current}));
                removes.push(path.clone());
            }
            (None, Some(target)) => adds.push(addition(live, path, target.clone())),
            (None, None) => {}
        }
    }
    removes.sort_by(|a, b| compare_positions(b, a));
    tests
        .into_iter()
        .chain(replaces)
        .chain(removes.iter().map(|p| serde_json::json!({"op": "remove", "path": p.to_string()})))
        .chain(adds)
        .collect()
}

/// An `add` at the deepest part of `path` that exists in `live`, carrying the rest as a
/// nested value; list elements that do not exist are appended.
fn addition(live: &Value, path: &Pointer, value: Value) -> Value {
    let segments = path.segments();
    let existing = (0..segments.len())
        .rev()
        .find(|&n| live.pointer(&Pointer::from_segments(&segments[..n]).to_string()).is_some())
        .unwrap_or(0);
    let mut nested = value;
    for segment in segments[existing + 1..].iter().rev() {
        nested = serde_json::json!({ segment.as_str(): nested });
    }
    let parent = Pointer::from_segments(&segments[..existing]);
    let at = match live.pointer(&parent.to_string()) {
        Some(Value::Array(_)) => parent.child("-"),
        _ => parent.child(segments[existing].as_str()),
    };
    serde_json::json!({"op": "add", "path": at.to_string(), "value": nested})
}

/// Orders pointers segment by segment, list positions numerically.
fn compare_positions(a: &Pointer, b: &Pointer) -> std::cmp::Ordering {
    for (x, y) in a.segments().iter().zip(b.segments()) {
        let order = match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            _ => x.cmp(y),
        };
        if order != std::cmp::Ordering::Equal {
            return order;
        }
    }
    a.segments().len().cmp(&b.segments().len())
}

/// The deployment tool of a unit, for objects that left no managedFields behind (deleted ones).
fn manager_for_unit(object: &AuditedObject) -> String {
    match object.origin.as_ref().map(|o| &o.unit) {
        Some(Unit::HelmRelease { .. }) | Some(Unit::Chart { .. }) => "helm",
        Some(Unit::FluxKustomization { .. }) => "kustomize-controller",
        _ => "kubectl-client-side-apply",
    }
    .to_string()
}

/// Adds the last-applied annotation as `kubectl apply` writes it: the object without the annotation itself.
fn record_last_applied(body: &mut Manifest) {
    let mut recorded = body.0.clone();
    set_at(
        &mut recorded,
        &Pointer::parse("/metadata/annotations").expect("pointer").child(LAST_APPLIED_ANNOTATION),
        None,
    );
    let text = format!("{}\n", serde_json::to_string(&recorded).unwrap_or_default());
    set_at(
        &mut body.0,
        &Pointer::parse("/metadata/annotations").expect("pointer").child(LAST_APPLIED_ANNOTATION),
        Some(text.into()),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diff::{ChangedBy, FieldDiff, ObjectDiff};
    use crate::object::Origin;

    fn field(path: &str, class: FieldClass, d: Option<Value>, l: Option<Value>) -> FieldDiff {
        FieldDiff {
            path: Pointer::parse(path).unwrap(),
            class,
            desired: d.clone(),
            last_applied: d,
            live: l,
            changed_by: Some(ChangedBy { manager: "kubectl-edit".into(), operation: "Update".into(), time: None }),
        }
    }

    fn object(class: ObjectClass, fields: Vec<FieldDiff>, live: Value) -> AuditedObject {
        let desired = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"},
                             "data": {"a": "1", "b": "2", "p": "new"}});
        AuditedObject {
            reference: ObjectRef::new("v1", "ConfigMap", Some("n"), "c"),
            api_version: "v1".into(),
            origin: Some(Origin { file: "c.yaml".into(), line: 1, unit: Unit::Plain }),
            diff: ObjectDiff { class, fields },
            error: None,
            desired: Some(Manifest(desired)),
            live: Some(Manifest(live)),
            release: None,
            secret_fields: Vec::new(),
        }
    }

    fn audit(objects: Vec<AuditedObject>) -> Audit {
        Audit { objects, ..Default::default() }
    }

    #[test]
    fn drift_is_repaired_by_one_guarded_patch() {
        let last_applied = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":{"a":"1","b":"2","p":"old"}}"#;
        let live = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "n", "annotations": {LAST_APPLIED_ANNOTATION: last_applied}, "labels": {"x": "hand"}},
            "data": {"a": "9", "b": "2", "p": "old"}});
        let fields = vec![
            field("/data/a", FieldClass::Drift, Some(json!("1")), Some(json!("9"))),
            field("/data/p", FieldClass::Pending, Some(json!("new")), Some(json!("old"))),
            field("/metadata/labels/x", FieldClass::Drift, None, Some(json!("hand"))),
            field("/metadata/annotations/gone", FieldClass::Drift, Some(json!("back")), None),
        ];
        let plan = plan_fixes(&audit(vec![object(ObjectClass::Modified, fields, live)]), &FixOptions::default());
        assert_eq!(plan.len(), 1);
        let fix = &plan[0];
        assert_eq!(fix.action, FixAction::Apply);
        assert_eq!(fix.manager, "kubectl-client-side-apply");
        let paths: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
        assert_eq!(paths, ["/data/a", "/metadata/labels/x", "/metadata/annotations/gone"]);
        assert_eq!(
            fix.patch,
            [
                json!({"op": "test", "path": "/data/a", "value": "9"}),
                json!({"op": "test", "path": "/metadata/labels/x", "value": "hand"}),
                json!({"op": "replace", "path": "/data/a", "value": "1"}),
                json!({"op": "remove", "path": "/metadata/labels/x"}),
                json!({"op": "add", "path": "/metadata/annotations/gone", "value": "back"}),
            ],
            "the pending field is not touched"
        );
        assert!(
            fix.body.is_none(),
            "kubectl's client-side apply writes with updates: the patch restores its ownership"
        );
    }

    #[test]
    fn additions_start_where_the_live_object_ends() {
        let live = json!({"metadata": {"name": "c"}, "spec": {"containers": [{"name": "a", "env": [{"name": "X"}]}]}});
        let add = |path: &str, v: Value| addition(&live, &Pointer::parse(path).unwrap(), v);
        assert_eq!(
            add("/metadata/labels/app", json!("web")),
            json!({"op": "add", "path": "/metadata/labels", "value": {"app": "web"}})
        );
        assert_eq!(
            add("/spec/containers/0/env/1", json!({"name": "Y"})),
            json!({"op": "add", "path": "/spec/containers/0/env/-", "value": {"name": "Y"}})
        );
    }

    #[test]
    fn a_server_side_deployer_gets_its_fields_back_by_apply() {
        let live = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "n",
            "managedFields": [
                {"manager": "helm", "operation": "Apply", "fieldsV1": {"f:spec": {"f:selector": {}}}},
                {"manager": "kubectl-patch", "operation": "Update",
                 "fieldsV1": {"f:spec": {"f:ports": {"k:{\"port\":8081,\"protocol\":\"TCP\"}": {"f:port": {}}}}}}]},
            "spec": {"ports": [{"name": "http", "port": 8081, "protocol": "TCP"}], "selector": {"app": "web"}}});
        let mut object = object(
            ObjectClass::Modified,
            vec![field("/spec/ports/0/port", FieldClass::Drift, Some(json!(80)), Some(json!(8081)))],
            live,
        );
        object.desired = Some(Manifest(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "n"},
            "spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP"}], "selector": {"app": "web"}}}),
        ));
        let plan = plan_fixes(&audit(vec![object]), &FixOptions::default());
        assert_eq!(plan[0].manager, "helm");
        assert_eq!(
            plan[0].patch,
            [
                json!({"op": "test", "path": "/spec/ports/0/port", "value": 8081}),
                json!({"op": "replace", "path": "/spec/ports/0/port", "value": 80})
            ],
            "the edited port is a new element to the server: the patch puts the key back, the apply the rest"
        );
        assert_eq!(plan[0].body.as_ref().unwrap().0["spec"]["ports"][0]["port"], 80);
        assert!(!plan[0].preview_apply);
    }

    #[test]
    fn pending_only_objects_are_skipped_unless_asked() {
        let live = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}, "data": {"p": "old"}});
        let fields = vec![field("/data/p", FieldClass::Pending, Some(json!("new")), Some(json!("old")))];
        let a = audit(vec![object(ObjectClass::Modified, fields, live)]);
        assert_eq!(plan_fixes(&a, &FixOptions::default())[0].action, FixAction::Skip);
        let plan = plan_fixes(&a, &FixOptions { fix_pending: true, ..Default::default() });
        assert_eq!(plan[0].action, FixAction::Apply);
        assert!(plan[0].patch.contains(&json!({"op": "replace", "path": "/data/p", "value": "new"})));
    }

    #[test]
    fn missing_objects_are_created_with_kubectls_record() {
        let mut missing = object(ObjectClass::Missing, Vec::new(), json!(null));
        missing.live = None;
        let plan = plan_fixes(&audit(vec![missing]), &FixOptions::default());
        assert_eq!(plan[0].action, FixAction::Create);
        let body = &plan[0].body.as_ref().unwrap().0;
        let recorded = body["metadata"]["annotations"][LAST_APPLIED_ANNOTATION].as_str().unwrap();
        assert!(recorded.contains(r#""p":"new""#) && !recorded.contains("last-applied"), "{recorded}");
    }

    #[test]
    fn prune_respects_protection() {
        let live = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n",
            "annotations": {"kustomize.toolkit.fluxcd.io/prune": "disabled"}}});
        let a = audit(vec![object(ObjectClass::Extra, Vec::new(), live)]);
        assert_eq!(plan_fixes(&a, &FixOptions::default())[0].action, FixAction::Skip);
        let plan = plan_fixes(&a, &FixOptions { prune: true, ..Default::default() });
        assert_eq!(plan[0].action, FixAction::Skip);
        assert!(plan[0].reason.as_deref().unwrap().contains("protected"));
    }
}

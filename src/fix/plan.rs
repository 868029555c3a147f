//! The repair plan, decided from the audit alone (pure): which objects to
//! apply, create or delete, which fields, under which field manager, and the
//! exact object to send.
//!
//! The object sent is the last-applied state when it is known (so the
//! deployment tool's own record stays true), else Git's; fields not chosen for
//! repair keep their live value, so nothing outside the plan changes.

use serde_json::Value;

use super::FixAction;
use super::pointer_edit::set_at;
use crate::diff::{Audit, AuditedObject, FieldClass, ObjectClass, Pointer, deployment_manager};
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
    /// The object sent with server-side apply (apply and create).
    pub body: Option<Manifest>,
    /// Fields people added that Git never had: removed after the apply.
    pub removals: Vec<Pointer>,
    /// Why the object is skipped, for `Skip`.
    pub reason: Option<String>,
}

/// Plans the repair of every object of the audit that needs one.
pub fn plan_fixes(audit: &Audit, options: &FixOptions) -> Vec<PlannedFix> {
    audit.objects.iter().filter_map(|object| plan_object(object, options)).collect()
}

fn plan_object(object: &AuditedObject, options: &FixOptions) -> Option<PlannedFix> {
    let skeleton = |action, manager: String| PlannedFix {
        reference: object.reference.clone(),
        api_version: object.api_version.clone(),
        action,
        fields: Vec::new(),
        manager,
        body: None,
        removals: Vec::new(),
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
    let chosen = |class: FieldClass| match class {
        FieldClass::Drift => true,
        FieldClass::Conflict => options.fix_conflicts,
        FieldClass::Pending => options.fix_pending,
        FieldClass::Converged => false,
    };
    let manager = options
        .field_manager
        .clone()
        .or_else(|| deployment_manager(desired, live))
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
    let mut fields = Vec::new();
    let mut removals = Vec::new();
    for field in &object.diff.fields {
        let target = if chosen(field.class) { field.desired.clone() } else { field.live.clone() };
        if chosen(field.class) {
            fields.push(field.path.clone());
            if target.is_none() && field.live.is_some() {
                removals.push(field.path.clone());
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
    // Later list indices first, so removing one does not shift the next.
    removals.sort_by(|a, b| b.cmp(a));
    Some(PlannedFix { fields, body: Some(Manifest(body)), removals, ..skeleton(FixAction::Apply, manager) })
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
        }
    }

    fn audit(objects: Vec<AuditedObject>) -> Audit {
        Audit { objects, ..Default::default() }
    }

    #[test]
    fn drift_is_repaired_from_last_applied_and_other_fields_keep_live_values() {
        let last_applied = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":{"a":"1","b":"2","p":"old"}}"#;
        let live = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "n", "annotations": {LAST_APPLIED_ANNOTATION: last_applied}, "labels": {"x": "hand"}},
            "data": {"a": "9", "b": "2", "p": "old"}});
        let fields = vec![
            field("/data/a", FieldClass::Drift, Some(json!("1")), Some(json!("9"))),
            field("/data/p", FieldClass::Pending, Some(json!("new")), Some(json!("old"))),
            field("/metadata/labels/x", FieldClass::Drift, None, Some(json!("hand"))),
        ];
        let plan = plan_fixes(&audit(vec![object(ObjectClass::Modified, fields, live)]), &FixOptions::default());
        assert_eq!(plan.len(), 1);
        let fix = &plan[0];
        assert_eq!(fix.action, FixAction::Apply);
        assert_eq!(fix.manager, "kubectl-client-side-apply");
        let paths: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
        assert_eq!(paths, ["/data/a", "/metadata/labels/x"]);
        let body = &fix.body.as_ref().unwrap().0;
        assert_eq!(body["data"], json!({"a": "1", "b": "2", "p": "old"}), "pending stays as applied");
        assert_eq!(body["metadata"]["annotations"][LAST_APPLIED_ANNOTATION], last_applied);
        assert_eq!(fix.removals, [Pointer::parse("/metadata/labels/x").unwrap()]);
    }

    #[test]
    fn pending_only_objects_are_skipped_unless_asked() {
        let live = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}, "data": {"p": "old"}});
        let fields = vec![field("/data/p", FieldClass::Pending, Some(json!("new")), Some(json!("old")))];
        let a = audit(vec![object(ObjectClass::Modified, fields, live)]);
        assert_eq!(plan_fixes(&a, &FixOptions::default())[0].action, FixAction::Skip);
        let plan = plan_fixes(&a, &FixOptions { fix_pending: true, ..Default::default() });
        assert_eq!(plan[0].action, FixAction::Apply);
        assert_eq!(plan[0].body.as_ref().unwrap().0["data"]["p"], "new");
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

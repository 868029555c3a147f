//! Classifies one object from its three legs: which fields differ, whether
//! each is drift, pending, conflict or converged, who changed it, and which
//! live-only fields were added by a person rather than by the server.

use serde_json::Value;

use super::compare::{Difference, walk_desired, walk_exact};
use super::normalize::{is_free_form_entry, is_system_field, prepare, prepare_exact, prepared_path};
use super::ownership::{ManagedFields, ManagerEntry};
use super::value::{is_absent, same};
use super::{AuditedObject, FieldClass, FieldDiff, IgnoreRules, Mode, ObjectClass, ObjectDiff};
use crate::object::{DesiredObject, LAST_APPLIED_ANNOTATION, Manifest, Pointer};

/// Field managers of deployment tools: fields they own are the deployed state.
const DEPLOYERS: [&str; 8] = [
    "kubectl-client-side-apply",
    "kubectl-create",
    "helm",
    "helm-controller",
    "kustomize-controller",
    "argocd-controller",
    "argocd-application-controller",
    "driftctl",
];

/// Field managers of the control plane: what they add is not drift.
const CONTROLLERS: [&str; 5] =
    ["kube-controller-manager", "kube-scheduler", "kubelet", "cloud-controller-manager", "kube-apiserver"];

/// Field managers of interactive tools, besides kubectl's own (`kubectl`, `kubectl-edit`…):
/// what they write, a person wrote.
const INTERACTIVE_TOOLS: [&str; 7] =
    ["k9s", "Lens", "OpenLens", "headlamp", "kubernetes-dashboard", "dashboard", "curl"];

/// Whether a manager's write is a person's: kubectl's, an interactive tool's, one the
/// configuration names (`people`), or a server-side apply (someone applying a partial
/// object under a name of their own). Other programs that write with updates are
/// controllers (cert-manager's cainjector filling a webhook's `caBundle`, an operator
/// adding its annotations): their additions are not drift.
fn is_by_a_person(entry: &ManagerEntry, people: &[String]) -> bool {
    let manager = entry.manager.as_str();
    manager == "kubectl"
        || manager.starts_with("kubectl-")
        || INTERACTIVE_TOOLS.contains(&manager)
        || people.iter().any(|p| p == manager)
        || entry.operation == "Apply"
}

/// Settings shared by every object of an audit.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// How to compare.
    pub mode: Mode,
    /// Differences nobody wants to hear about.
    pub rules: IgnoreRules,
    /// More field managers to treat as controllers (from configuration).
    pub controllers: Vec<String>,
    /// More field managers whose additions are a person's (from configuration):
    /// tools people use to edit the cluster by hand, besides kubectl and the known ones.
    pub people: Vec<String>,
}

/// The legs of one object.
#[derive(Debug, Clone, Copy)]
pub struct ObjectInput<'a> {
    /// Git's object.
    pub desired: &'a DesiredObject,
    /// What the deployment system last applied, when known.
    pub last_applied: Option<&'a Manifest>,
    /// Whether `last_applied` is known to come from Git. Only then can Git and the
    /// last-applied state differ as a pending Git change: a Helm release revision
    /// written by hand (`helm upgrade --set`) is the cluster drifting, not Git.
    pub last_applied_from_git: bool,
    /// The live object; `None` when absent from the cluster.
    pub live: Option<&'a Manifest>,
    /// Server-side mode only: the server's dry-run apply of `desired`.
    pub expected: Option<&'a Manifest>,
    /// Ignore rules of the object's unit (a HelmRelease's `spec.driftDetection.ignore`), on top of the audit's.
    pub unit_rules: Option<&'a IgnoreRules>,
}

/// Audits one object.
pub fn audit_object(input: ObjectInput<'_>, options: &AuditOptions) -> AuditedObject {
    let desired = Manifest(prepare(&input.desired.manifest.0));
    let last_applied = input.last_applied.map(|a| prepare(&a.0));
    let mut audited = AuditedObject {
        reference: input.desired.object_ref(),
        api_version: input.desired.manifest.api_version().to_string(),
        origin: Some(input.desired.origin.clone()),
        diff: ObjectDiff { class: ObjectClass::Missing, fields: Vec::new() },
        error: None,
        desired: Some(desired.clone()),
        live: input.live.cloned(),
        release: None,
        secret_fields: input.desired.secret_fields.clone(),
    };
    let Some(live) = input.live else { return audited };

    let managed = ManagedFields::of(&live.0);
    // Hand-made additions are found from Git's fields in both modes: a server-side
    // apply would keep them (another manager owns them), yet they are drift.
    let walk = walk_desired(&desired.0, last_applied.as_ref(), &live.0);
    let differences = match (options.mode, input.expected) {
        (Mode::ServerSide, Some(expected)) => {
            let exact = walk_exact(&prepare_exact(&expected.0), last_applied.as_ref(), &prepare_exact(&live.0));
            // An empty value in Git sets nothing, in this mode too: what a controller keeps there
            // (an aggregated ClusterRole's rules) is not drift, though an apply would empty it for a moment.
            let applied = last_applied.as_ref();
            exact
                .differences
                .into_iter()
                .filter(|d| !(sets_nothing(&desired.0, &d.path) && applied.is_none_or(|a| sets_nothing(a, &d.path))))
                .collect()
        }
        _ => walk.differences,
    };
    let known_last_applied = last_applied.is_some();
    let leg = match (known_last_applied, input.last_applied_from_git) {
        (false, _) => LastAppliedLeg::Unknown,
        (true, true) => LastAppliedLeg::FromGit,
        (true, false) => LastAppliedLeg::Unproven,
    };
    let mut fields: Vec<FieldDiff> = differences.into_iter().map(|d| field_diff(d, leg, &managed, &live.0)).collect();

    let deployers = deployment_managers(&managed, &live.0, &walk.matched);
    let is_quiet_owner = |m: &str| {
        deployers.iter().any(|d| d == m) || CONTROLLERS.contains(&m) || options.controllers.iter().any(|c| c == m)
    };
    for path in leaves(&live.0, walk.extras).iter().filter(|p| !is_system_field(p)) {
        let by_hand = if managed.is_empty() {
            // No ownership recorded (e.g. a snapshot without managedFields): only keys people choose count.
            is_free_form_entry(path)
        } else {
            let owners = managed.touching(&live.0, path);
            !owners.is_empty()
                && owners.iter().all(|o| {
                    o.subresource.as_deref() != Some("status")
                        && !is_quiet_owner(&o.manager)
                        && is_by_a_person(o, &options.people)
                })
        };
        if by_hand {
            fields.push(FieldDiff {
                path: path.clone(),
                class: FieldClass::Drift,
                desired: None,
                last_applied: None,
                live: live.0.pointer(&path.to_string()).cloned(),
                changed_by: managed.changed_by(&live.0, path),
            });
        }
    }
    // A deployment tool cannot have set a value it did not apply: its ownership is stale
    // (old API servers do not record writes through the scale subresource, for one).
    for field in fields.iter_mut().filter(|f| f.class == FieldClass::Drift) {
        let applied = if known_last_applied { field.last_applied.as_ref() } else { field.desired.as_ref() };
        let stale = field.changed_by.as_ref().is_some_and(|c| deployers.contains(&c.manager))
            && !same(&field.path, field.live.as_ref(), applied);
        if stale {
            field.changed_by = None;
        }
    }

    let varying: Vec<Pointer> =
        input.desired.nondeterministic.iter().map(|p| prepared_path(&input.desired.manifest.0, p)).collect();
    for field in fields.iter_mut().filter(|f| varying.iter().any(|v| v.covers(&f.path))) {
        field.class = FieldClass::Nondeterministic;
        field.changed_by = None;
    }

    fields.retain(|f| !options.rules.ignores(&desired, f) && !input.unit_rules.is_some_and(|r| r.ignores(&desired, f)));
    fields.sort_by(|a, b| a.path.cmp(&b.path));
    let class =
        if fields.iter().any(|f| f.class.is_difference()) { ObjectClass::Modified } else { ObjectClass::InSync };
    audited.diff = ObjectDiff { class, fields };
    audited
}

/// Whether `object` holds an empty value (`rules: []`, `annotations: {}`, `null`) at
/// `path` or above it, or nothing at all there.
fn sets_nothing(object: &Value, path: &Pointer) -> bool {
    let mut node = object;
    for segment in path.segments() {
        let child = match node {
            Value::Object(map) => map.get(segment.as_str()),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match child {
            Some(child) if !is_absent(Some(child)) => node = child,
            Some(_) => return true,
            None => return false,
        }
    }
    false
}

/// What the last-applied leg can tell about a difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LastAppliedLeg {
    /// None is known: every difference is drift.
    Unknown,
    /// Known and from Git: the table of DESIGN.md applies.
    FromGit,
    /// Known, but not shown to come from Git: whatever the cluster holds that Git does
    /// not is drift, whoever recorded it as applied.
    Unproven,
}

fn field_diff(d: Difference, leg: LastAppliedLeg, managed: &ManagedFields, live: &Value) -> FieldDiff {
    let class = match leg {
        LastAppliedLeg::Unknown => FieldClass::Drift,
        LastAppliedLeg::FromGit => classify(&d),
        LastAppliedLeg::Unproven if same(&d.path, d.live.as_ref(), d.desired.as_ref()) => FieldClass::Converged,
        LastAppliedLeg::Unproven => FieldClass::Drift,
    };
    let changed_by = match class {
        FieldClass::Drift | FieldClass::Conflict => managed.changed_by(live, &d.path),
        FieldClass::Pending | FieldClass::Converged | FieldClass::Nondeterministic => None,
    };
    FieldDiff { path: d.path, class, desired: d.desired, last_applied: d.last_applied, live: d.live, changed_by }
}

/// Expands live-only maps into their leaves, so each added key is judged (and
/// attributed) on its own; lists stay whole elements.
fn leaves(live: &Value, paths: Vec<Pointer>) -> Vec<Pointer> {
    let mut out = Vec::new();
    let mut stack: Vec<Pointer> = paths.into_iter().rev().collect();
    while let Some(path) = stack.pop() {
        let parent = Pointer::from_segments(&path.segments()[..path.segments().len().saturating_sub(1)]);
        let is_element = matches!(live.pointer(&parent.to_string()), Some(Value::Array(_)));
        match live.pointer(&path.to_string()) {
            Some(Value::Object(map)) if !map.is_empty() && !is_element => {
                stack.extend(map.keys().rev().map(|k| path.child(k.as_str())));
            }
            _ => out.push(path),
        }
    }
    out
}

/// The table of DESIGN.md: D vs A, L vs A.
fn classify(d: &Difference) -> FieldClass {
    let p = &d.path;
    let git_changed = !same(p, d.desired.as_ref(), d.last_applied.as_ref());
    let cluster_changed = !same(p, d.live.as_ref(), d.last_applied.as_ref());
    match (git_changed, cluster_changed) {
        (false, _) => FieldClass::Drift,
        (true, false) => FieldClass::Pending,
        (true, true) if same(p, d.live.as_ref(), d.desired.as_ref()) => FieldClass::Converged,
        (true, true) => FieldClass::Conflict,
    }
}

/// The field manager that deployed an object, and whether it writes with
/// server-side apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployer {
    /// Field manager name.
    pub manager: String,
    /// Whether the manager's entry is an `Apply` (server-side apply) rather than an `Update`.
    pub server_side: bool,
}

/// The deployer of an object — the one `--fix` gives the repaired fields
/// back to: `kubectl-client-side-apply` when kubectl's last-applied annotation
/// is there, else a known deployment tool, else a server-side applier, else
/// whoever owns most of the fields that still match Git.
pub fn deployment_manager(desired: &Manifest, live: &Manifest) -> Option<Deployer> {
    let managed = ManagedFields::of(&live.0);
    let entries = managed.entries();
    let deployer = |manager: &str| Deployer {
        manager: manager.to_string(),
        server_side: entries.iter().any(|e| e.manager == manager && e.operation == "Apply"),
    };
    if live.annotation(LAST_APPLIED_ANNOTATION).is_some() {
        return Some(Deployer { manager: "kubectl-client-side-apply".into(), server_side: false });
    }
    if let Some(known) = DEPLOYERS.iter().find(|d| **d != "driftctl" && entries.iter().any(|e| e.manager == **d)) {
        return Some(deployer(known));
    }
    if let Some(applier) = entries.iter().find(|e| e.operation == "Apply" && e.manager != "driftctl") {
        return Some(deployer(&applier.manager));
    }
    let walk = walk_desired(&prepare(&desired.0), None, &live.0);
    let mut counts: Vec<(String, usize)> = Vec::new();
    for path in &walk.matched {
        for owner in managed.precise_owners(&live.0, path) {
            match counts.iter_mut().find(|(m, _)| *m == owner.manager) {
                Some((_, n)) => *n += 1,
                None => counts.push((owner.manager.clone(), 1)),
            }
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(m, _)| deployer(&m))
}

/// Managers that deployed this object: known deployment tools, and whoever owns
/// a field that still matches Git (a server-side applier owns what it applied; the
/// creator of a client-side-applied object owns the server's defaults too). A
/// server-side apply of a few fields by hand owns nothing Git sets: not a deployer.
fn deployment_managers(managed: &ManagedFields, live: &Value, matched: &[Pointer]) -> Vec<String> {
    let mut names: Vec<String> = managed
        .entries()
        .iter()
        .filter(|e| DEPLOYERS.contains(&e.manager.as_str()))
        .map(|e| e.manager.clone())
        .collect();
    for path in
        matched.iter().filter(|p| p.segments().len() > 2 || p.segments().first().is_some_and(|s| s != "metadata"))
    {
        // Writing a whole atomic list (`kubectl patch` of one rule) does not make a deployer.
        for owner in managed.precise_owners(live, path) {
            if !names.contains(&owner.manager) {
                names.push(owner.manager.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::{Origin, Unit};

    fn desired(value: Value) -> DesiredObject {
        DesiredObject::new(Manifest(value), Origin { file: "app.yaml".into(), line: 1, unit: Unit::Plain })
    }

    fn cm(data: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}, "data": data})
    }

    fn with_managers(mut v: Value, entries: Value) -> Value {
        v["metadata"]["managedFields"] = entries;
        v
    }

    fn audit(d: Value, a: Option<Value>, l: Option<Value>) -> AuditedObject {
        let d = desired(d);
        let a = a.map(Manifest);
        let l = l.map(Manifest);
        audit_object(
            ObjectInput {
                desired: &d,
                last_applied: a.as_ref(),
                live: l.as_ref(),
                expected: None,
                unit_rules: None,
                last_applied_from_git: true,
            },
            &AuditOptions::default(),
        )
    }

    fn classes(a: &AuditedObject) -> Vec<(String, FieldClass)> {
        a.diff.fields.iter().map(|f| (f.path.to_string(), f.class)).collect()
    }

    #[test]
    fn absent_live_is_missing() {
        assert_eq!(audit(cm(json!({"a": "1"})), None, None).diff.class, ObjectClass::Missing);
    }

    #[test]
    fn three_way_table() {
        let d = cm(json!({"same": "1", "drift": "1", "pending": "2", "conflict": "2", "conv": "2"}));
        let a = cm(json!({"same": "1", "drift": "1", "pending": "1", "conflict": "1", "conv": "1"}));
        let l = cm(json!({"same": "1", "drift": "9", "pending": "1", "conflict": "9", "conv": "2"}));
        let result = audit(d, Some(a), Some(l));
        assert_eq!(result.diff.class, ObjectClass::Modified);
        assert_eq!(
            classes(&result),
            [
                ("/data/conflict".to_string(), FieldClass::Conflict),
                ("/data/conv".to_string(), FieldClass::Converged),
                ("/data/drift".to_string(), FieldClass::Drift),
                ("/data/pending".to_string(), FieldClass::Pending),
            ]
        );
    }

    #[test]
    fn only_converged_fields_leave_the_object_in_sync() {
        let result = audit(cm(json!({"a": "2"})), Some(cm(json!({"a": "1"}))), Some(cm(json!({"a": "2"}))));
        assert_eq!(result.diff.class, ObjectClass::InSync);
        assert_eq!(classes(&result), [("/data/a".to_string(), FieldClass::Converged)]);
    }

    #[test]
    fn nondeterministic_fields_differ_without_drift() {
        let mut d = desired(cm(json!({"token": "new-random", "fixed": "1"})));
        d.nondeterministic = vec![Pointer::parse("/data/token").unwrap()];
        let l = Manifest(cm(json!({"token": "old-random", "fixed": "1"})));
        let input = ObjectInput {
            desired: &d,
            last_applied: None,
            live: Some(&l),
            expected: None,
            unit_rules: None,
            last_applied_from_git: true,
        };
        let result = audit_object(input, &AuditOptions::default());
        assert_eq!(result.diff.class, ObjectClass::InSync);
        assert_eq!(result.diff.fields.len(), 1);
        assert_eq!(result.diff.fields[0].class, FieldClass::Nondeterministic);

        let edited = Manifest(cm(json!({"token": "old-random", "fixed": "edited"})));
        let input = ObjectInput {
            desired: &d,
            last_applied: None,
            live: Some(&edited),
            expected: None,
            unit_rules: None,
            last_applied_from_git: true,
        };
        let result = audit_object(input, &AuditOptions::default());
        assert_eq!(result.diff.class, ObjectClass::Modified, "other fields of the object are still audited");
        let classes: Vec<_> = result.diff.fields.iter().map(|f| (f.path.to_string(), f.class)).collect();
        assert_eq!(
            classes,
            [("/data/fixed".to_string(), FieldClass::Drift), ("/data/token".to_string(), FieldClass::Nondeterministic)]
        );
    }

    #[test]
    fn hand_added_label_is_drift_but_defaults_are_not() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "labels": {"app": "w"}},
                       "spec": {"replicas": 2}});
        let mut l = d.clone();
        l["metadata"]["labels"]["team"] = json!("x");
        l["spec"]["revisionHistoryLimit"] = json!(10);
        l["spec"]["progressDeadlineSeconds"] = json!(600);
        let l = with_managers(
            l,
            json!([
                {"manager": "kubectl-client-side-apply", "operation": "Update", "time": "2026-11-24T09:00:00Z",
                 "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}, "f:progressDeadlineSeconds": {}}}},
                {"manager": "kubectl-label", "operation": "Update", "time": "2026-11-24T10:00:00Z",
                 "fieldsV1": {"f:metadata": {"f:labels": {"f:team": {}}}}}
            ]),
        );
        let result = audit(d, None, Some(l));
        assert_eq!(classes(&result), [("/metadata/labels/team".to_string(), FieldClass::Drift)]);
        let by = result.diff.fields[0].changed_by.as_ref().unwrap();
        assert_eq!(by.manager, "kubectl-label");
    }

    #[test]
    fn additions_by_controllers_are_not_drift_but_a_persons_are() {
        let d = json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
                       "metadata": {"name": "w"}, "webhooks": [{"name": "a", "clientConfig": {"url": "https://x"}}]});
        let mut l = d.clone();
        l["webhooks"][0]["clientConfig"]["caBundle"] = json!("Q0E=");
        l["metadata"]["labels"] = json!({"team": "x"});
        let l = with_managers(
            l,
            json!([
                {"manager": "kubectl-client-side-apply", "operation": "Update",
                 "fieldsV1": {"f:webhooks": {"k:{\"name\":\"a\"}": {"f:clientConfig": {"f:url": {}}}}}},
                {"manager": "cainjector", "operation": "Update",
                 "fieldsV1": {"f:webhooks": {"k:{\"name\":\"a\"}": {"f:clientConfig": {"f:caBundle": {}}}}}},
                {"manager": "k9s", "operation": "Update", "fieldsV1": {"f:metadata": {"f:labels": {"f:team": {}}}}}
            ]),
        );
        let result = audit(d, None, Some(l));
        assert_eq!(classes(&result), [("/metadata/labels/team".to_string(), FieldClass::Drift)]);
    }

    #[test]
    fn configured_people_make_their_tools_additions_drift() {
        let d = cm(json!({"a": "1"}));
        let mut l = d.clone();
        l["data"]["b"] = json!("2");
        let l = with_managers(
            l,
            json!([
                {"manager": "kubectl-client-side-apply", "operation": "Update", "fieldsV1": {"f:data": {"f:a": {}}}},
                {"manager": "ops-console", "operation": "Update", "fieldsV1": {"f:data": {"f:b": {}}}}
            ]),
        );
        let (d, l) = (desired(d), Manifest(l));
        let input = ObjectInput {
            desired: &d,
            last_applied: None,
            live: Some(&l),
            expected: None,
            unit_rules: None,
            last_applied_from_git: true,
        };
        assert_eq!(audit_object(input, &AuditOptions::default()).diff.class, ObjectClass::InSync);
        let options = AuditOptions { people: vec!["ops-console".to_string()], ..Default::default() };
        let result = audit_object(input, &options);
        assert_eq!(classes(&result), [("/data/b".to_string(), FieldClass::Drift)]);
        assert_eq!(result.diff.fields[0].changed_by.as_ref().unwrap().manager, "ops-console");
    }

    #[test]
    fn an_empty_value_in_git_sets_nothing_in_server_side_mode() {
        let role = |rules: Value| {
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                          "metadata": {"name": "r"}, "rules": rules, "aggregationRule": {"x": 1}})
        };
        let aggregated = json!([{"verbs": ["get"]}]);
        let d = desired(role(json!([])));
        let (live, expected) = (Manifest(role(aggregated.clone())), Manifest(role(json!([]))));
        let options = AuditOptions { mode: Mode::ServerSide, ..Default::default() };
        let input = ObjectInput {
            desired: &d,
            last_applied: None,
            live: Some(&live),
            expected: Some(&expected),
            unit_rules: None,
            last_applied_from_git: true,
        };
        assert_eq!(audit_object(input, &options).diff.class, ObjectClass::InSync);
        let mut edited = role(aggregated);
        edited["aggregationRule"]["x"] = json!(2);
        let (edited, expected) = (Manifest(edited), Manifest(role(json!([{"verbs": ["get"]}]))));
        let input = ObjectInput {
            desired: &d,
            last_applied: None,
            live: Some(&edited),
            expected: Some(&expected),
            unit_rules: None,
            last_applied_from_git: true,
        };
        let result = audit_object(input, &options);
        assert_eq!(classes(&result), [("/aggregationRule/x".to_string(), FieldClass::Drift)]);
    }

    #[test]
    fn without_managed_fields_only_free_form_extras_count() {
        let d = cm(json!({"a": "1"}));
        let mut l = cm(json!({"a": "1", "b": "2"}));
        l["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/last-applied-configuration": "{}"});
        l["immutable"] = json!(false);
        let result = audit(d, None, Some(l));
        assert_eq!(classes(&result), [("/data/b".to_string(), FieldClass::Drift)]);
    }

    #[test]
    fn secret_string_data_matches_live_data() {
        let d =
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"pw": "hunter2"}});
        let l = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"pw": "aHVudGVyMg=="}, "type": "Opaque"});
        assert_eq!(audit(d.clone(), None, Some(l)).diff.class, ObjectClass::InSync);
        let changed =
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"pw": "b3RoZXI="}});
        assert_eq!(classes(&audit(d, None, Some(changed))), [("/data/pw".to_string(), FieldClass::Drift)]);
    }

    #[test]
    fn ignore_rules_drop_fields() {
        let d = desired(cm(json!({"a": "1"})));
        let l = Manifest(cm(json!({"a": "2"})));
        let specs: Vec<super::super::ignore::IgnoreRuleSpec> = serde_yaml::from_str("- paths: [/data/a]").unwrap();
        let options = AuditOptions { rules: IgnoreRules::compile(&specs, "t").unwrap(), ..Default::default() };
        let result = audit_object(
            ObjectInput {
                desired: &d,
                last_applied: None,
                live: Some(&l),
                expected: None,
                unit_rules: None,
                last_applied_from_git: true,
            },
            &options,
        );
        assert_eq!(result.diff.class, ObjectClass::InSync);
    }
}

//! The audit of a whole desired state: the single place that decides, for
//! every desired object, whether it is audited at all (ignore annotations,
//! a HelmRelease's `driftDetection` mode), which leg is what, each field's
//! class (through [`audit_object`]), which differences the ignore rules drop,
//! and — for `--fail-on` — whether the audit as a whole has findings.
//!
//! Pure: the legs come in as plain maps, read by `cluster` or from a
//! snapshot; nothing here talks to a cluster, reads a clock or the
//! environment. A policy engine plugs in here.

use std::collections::HashMap;

use super::{
    Audit, AuditOptions, AuditedObject, DriftMode, DriftPolicy, FieldClass, IgnoreError, ObjectClass, ObjectDiff,
    ObjectInput, audit_object, drift_policy, helm_release_of, is_disabled,
};
use crate::cluster::helm::{FLUX_HELM_GROUP, Release};
use crate::cluster::{LastApplied, Unreadable};
use crate::object::{DesiredSet, Manifest, ObjectRef, Provenance, group_of};

/// What is known of the objects besides Git: the legs an audit compares Git with.
#[derive(Debug, Default, Clone)]
pub struct Legs {
    /// The live objects by identity (absent: not in the cluster).
    pub live: HashMap<ObjectRef, Manifest>,
    /// Desired objects whose live state could not be read, and why.
    pub unreadable: HashMap<ObjectRef, Unreadable>,
    /// What the deployment system last applied, where known.
    pub last_applied: LastApplied,
    /// `--server-side`: the server's dry-run apply of each desired object that exists.
    pub expected: HashMap<ObjectRef, Result<Manifest, String>>,
    /// Flux HelmReleases in the cluster, whose `spec.driftDetection` governs their objects.
    pub helm_releases: Vec<Manifest>,
    /// The deployed revision of each Helm release that manages a live object, as stored.
    pub releases: Vec<Release>,
}

/// Finding categories `--fail-on` chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailOn {
    /// A field changed in the cluster by hand.
    Drift,
    /// An object in Git is absent from the cluster.
    Missing,
    /// Git and the cluster both changed a field, differently.
    Conflict,
    /// Git changed and was not applied yet.
    Pending,
    /// An object is owned by a unit but not in Git.
    Extra,
}

impl FailOn {
    /// `--fail-on`'s default: what a person must look at.
    pub const DEFAULT: [FailOn; 3] = [FailOn::Drift, FailOn::Missing, FailOn::Conflict];
}

/// How an audit ends, as far as the exit code is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing in a `--fail-on` category, and every object audited.
    Clean,
    /// At least one finding in a `--fail-on` category.
    Findings,
    /// Some objects could not be audited (never "in sync"): `KIND/NS/NAME: why` each.
    Unaudited(Vec<String>),
}

/// Audits every desired object against its legs.
pub fn audit(source: &str, desired: &DesiredSet, legs: &Legs, options: &AuditOptions) -> Result<Audit, IgnoreError> {
    let policies = drift_policies(&desired.objects, &legs.helm_releases)?;
    let mut audit = Audit { source: source.to_string(), ..Default::default() };
    for object in &desired.objects {
        let reference = object.object_ref();
        let live_object = legs.live.get(&reference);
        let policy =
            live_object.or(Some(&object.manifest)).and_then(helm_release_of).and_then(|key| policies.get(&key));
        if is_disabled(&object.manifest, live_object) || policy.is_some_and(|p| p.mode == DriftMode::Disabled) {
            audit.ignored.push(reference);
            continue;
        }
        if policy.is_some_and(|p| p.mode == DriftMode::Warn) {
            audit.report_only.push(reference.clone());
        }
        let failed = |class: ObjectClass, message: String| AuditedObject {
            reference: reference.clone(),
            api_version: object.manifest.api_version().to_string(),
            origin: Some(object.origin.clone()),
            diff: ObjectDiff { class, fields: Vec::new() },
            error: Some(message),
            desired: Some(object.manifest.clone()),
            live: live_object.cloned(),
            release: None,
            secret_fields: object.secret_fields.clone(),
        };
        let audited = match legs.unreadable.get(&reference) {
            Some(Unreadable::UnknownKind(m)) => failed(ObjectClass::UnknownKind, m.clone()),
            Some(Unreadable::Error(m)) => failed(ObjectClass::Error, m.clone()),
            None => {
                let last_applied = legs.last_applied.get(&reference).filter(|_| live_object.is_some());
                match (last_applied, legs.expected.get(&reference)) {
                    (Some(Err(m)), _) | (_, Some(Err(m))) => failed(ObjectClass::Error, m.clone()),
                    (last_applied, expected) => {
                        let state = last_applied.and_then(|a| a.as_ref().ok());
                        let provenance = state.and_then(|s| s.release.as_ref()).and_then(|r| r.provenance.as_ref());
                        let mut audited = audit_object(
                            ObjectInput {
                                desired: object,
                                last_applied: state.map(|s| &s.manifest),
                                last_applied_from_git: !provenance.is_some_and(Provenance::is_unproven),
                                live: live_object,
                                expected: expected.and_then(|e| e.as_ref().ok()),
                                unit_rules: policy.map(|p| &p.rules),
                            },
                            options,
                        );
                        audited.release = state.and_then(|s| s.release.clone()).or_else(|| {
                            // Objects missing from the cluster have no last-applied leg: name the
                            // release revision they belong to, when the desired state is one.
                            let unit = &object.origin.unit;
                            desired.releases.iter().find(|r| r.unit() == *unit).cloned()
                        });
                        audited
                    }
                }
            }
        };
        audit.objects.push(audited);
    }
    audit.objects.extend(desired.failures.iter().map(|failure| AuditedObject {
        reference: failure.reference.clone(),
        api_version: failure.api_version.clone(),
        origin: Some(failure.origin.clone()),
        diff: ObjectDiff { class: ObjectClass::Error, fields: Vec::new() },
        error: Some(failure.message.clone()),
        desired: None,
        live: None,
        release: None,
        secret_fields: Vec::new(),
    }));
    // Objects of one unit (a Helm release, an overlay) stay together, in declaration order.
    audit.objects.sort_by(|a, b| {
        let origin = |o: &AuditedObject| o.origin.as_ref().map(|o| (o.unit.clone(), o.file.clone(), o.line));
        origin(a).cmp(&origin(b)).then_with(|| a.reference.cmp(&b.reference))
    });
    Ok(audit)
}

impl Audit {
    /// How the audit ends under `--fail-on`: objects that could not be audited come
    /// first (an error is never mistaken for "in sync"), then findings in `fail_on`.
    pub fn verdict(&self, fail_on: &[FailOn]) -> Verdict {
        let unaudited: Vec<String> = self
            .objects
            .iter()
            .filter(|o| matches!(o.diff.class, ObjectClass::Error | ObjectClass::UnknownKind))
            .map(|o| format!("{}: {}", o.reference, o.error.as_deref().unwrap_or("not audited")))
            .collect();
        if !unaudited.is_empty() {
            return Verdict::Unaudited(unaudited);
        }
        let hit = |category: &FailOn| {
            self.objects.iter().any(|o| match category {
                FailOn::Missing => o.diff.class == ObjectClass::Missing,
                FailOn::Extra => o.diff.class == ObjectClass::Extra,
                FailOn::Drift => o.diff.has(FieldClass::Drift),
                FailOn::Conflict => o.diff.has(FieldClass::Conflict),
                FailOn::Pending => o.diff.has(FieldClass::Pending),
            })
        };
        if fail_on.iter().any(hit) { Verdict::Findings } else { Verdict::Clean }
    }
}

/// The drift-detection policies of Flux HelmReleases, by (namespace, name): Git's
/// objects win over the cluster's.
fn drift_policies(
    desired: &[crate::object::DesiredObject],
    in_cluster: &[Manifest],
) -> Result<HashMap<(String, String), DriftPolicy>, IgnoreError> {
    let from_git = desired
        .iter()
        .map(|o| &o.manifest)
        .filter(|m| m.kind() == "HelmRelease" && group_of(m.api_version()) == FLUX_HELM_GROUP);
    let mut policies = HashMap::new();
    for release in in_cluster.iter().chain(from_git) {
        if let Some(policy) = drift_policy(release)? {
            policies.insert((release.namespace().unwrap_or("default").to_string(), release.name().to_string()), policy);
        }
    }
    Ok(policies)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::cluster::AppliedState;
    use crate::object::{DesiredObject, Origin, Unit};

    fn desired(manifest: serde_json::Value) -> DesiredObject {
        DesiredObject::new(Manifest(manifest), Origin { file: "a.yaml".into(), line: 1, unit: Unit::Plain })
    }

    fn config_map(value: &str) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "web"}, "data": {"a": value}})
    }

    #[test]
    fn classes_come_from_the_three_legs_and_the_verdict_from_fail_on() {
        let set = DesiredSet { objects: vec![desired(config_map("git"))], ..Default::default() };
        let reference = set.objects[0].object_ref();
        let mut legs = Legs::default();
        legs.live.insert(reference.clone(), Manifest(config_map("old")));
        legs.last_applied
            .insert(reference.clone(), Ok(AppliedState { manifest: Manifest(config_map("old")), release: None }));
        let audit = audit("git", &set, &legs, &AuditOptions::default()).unwrap();
        assert_eq!(audit.objects[0].diff.fields[0].class, FieldClass::Pending);
        assert_eq!(audit.verdict(&FailOn::DEFAULT), Verdict::Clean);
        assert_eq!(audit.verdict(&[FailOn::Pending]), Verdict::Findings);

        legs.unreadable.insert(reference, Unreadable::Error("forbidden".into()));
        let audit = super::audit("git", &set, &legs, &AuditOptions::default()).unwrap();
        assert!(matches!(audit.verdict(&[]), Verdict::Unaudited(list) if list[0].ends_with("forbidden")));
    }

    #[test]
    fn objects_that_switch_the_audit_off_are_ignored() {
        let mut manifest = config_map("x");
        manifest["metadata"]["annotations"] = json!({"driftctl.dev/ignore": "true"});
        let set = DesiredSet { objects: vec![desired(manifest)], ..Default::default() };
        let audit = audit("git", &set, &Legs::default(), &AuditOptions::default()).unwrap();
        assert!(audit.objects.is_empty());
        assert_eq!(audit.ignored.len(), 1);
    }
}

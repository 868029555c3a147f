//! Ignore rules: which differences nobody wants to hear about. The schema is
//! Flux's `driftDetection.ignore` (RFC 6901 `paths` plus a `target` selector
//! with group/version/kind/name/namespace regexes and label/annotation
//! selectors), plus `managers:` to ignore fields owned by a field manager.
//! Also the annotations that switch the audit off for one object.

use serde::Deserialize;
use serde_json::Value;

use super::{FieldDiff, IGNORE_ANNOTATION};
use crate::object::Manifest;
use crate::object::Pointer;
pub use crate::object::selector::TargetSpec;
use crate::object::selector::{SelectorError, Subject, TargetSelector};

/// Annotations (key, value) that exclude an object from the audit.
const DISABLING_ANNOTATIONS: [(&str, &str); 3] = [
    (IGNORE_ANNOTATION, "true"),
    ("kustomize.toolkit.fluxcd.io/reconcile", "disabled"),
    ("helm.toolkit.fluxcd.io/driftDetection", "disabled"),
];

/// A malformed rule.
#[derive(Debug, thiserror::Error)]
pub enum IgnoreError {
    /// A path is not an RFC 6901 pointer.
    #[error("ignore rule {origin}: path {path:?} is not a JSON pointer (it must start with '/', e.g. /spec/replicas)")]
    BadPointer {
        /// Where the rule came from.
        origin: String,
        /// The path.
        path: String,
    },
    /// A target field is not a valid regular expression.
    #[error("ignore rule {origin}: target {field} {pattern:?} is not a valid regular expression: {message}")]
    BadRegex {
        /// Where the rule came from.
        origin: String,
        /// Which target field.
        field: &'static str,
        /// The pattern.
        pattern: String,
        /// The regex error.
        message: String,
    },
    /// A label or annotation selector does not parse.
    #[error("ignore rule {origin}: selector {selector:?} is not valid: {message}")]
    BadSelector {
        /// Where the rule came from.
        origin: String,
        /// The selector.
        selector: String,
        /// Why.
        message: String,
    },
    /// A HelmRelease's `spec.driftDetection` cannot be used.
    #[error("{origin}: {message}")]
    BadDriftDetection {
        /// Which HelmRelease.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// The rule has nothing to match on.
    #[error("ignore rule {origin}: give `paths` or `managers`")]
    Empty {
        /// Where the rule came from.
        origin: String,
    },
}

/// A rule as written (`.driftctl.yaml`, a HelmRelease's `spec.driftDetection.ignore`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IgnoreRuleSpec {
    /// JSON pointers to ignore (and everything below them).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Ignore fields currently owned by these field managers.
    #[serde(default)]
    pub managers: Vec<String>,
    /// Which objects the rule applies to (all when absent).
    #[serde(default)]
    pub target: Option<TargetSpec>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    paths: Vec<Pointer>,
    managers: Vec<String>,
    target: Target,
}

/// A compiled target selector.
#[derive(Debug, Clone, Default)]
pub struct Target(TargetSelector);

/// All rules in force.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules(Vec<IgnoreRule>);

impl IgnoreRules {
    /// Compiles rules; `origin` names their source in errors (e.g. `.driftctl.yaml rule 2`).
    pub fn compile(specs: &[IgnoreRuleSpec], origin: &str) -> Result<Self, IgnoreError> {
        let rules = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| IgnoreRule::compile(spec, &format!("{origin} #{}", i + 1)))
            .collect::<Result<_, _>>()?;
        Ok(IgnoreRules(rules))
    }

    /// Adds the rules of `other`.
    pub fn extend(&mut self, other: IgnoreRules) {
        self.0.extend(other.0);
    }

    /// Whether the difference is ignored for this object.
    pub fn ignores(&self, object: &Manifest, field: &FieldDiff) -> bool {
        self.0.iter().any(|rule| rule.ignores(object, field))
    }
}

impl IgnoreRule {
    /// Compiles one rule.
    pub fn compile(spec: &IgnoreRuleSpec, origin: &str) -> Result<Self, IgnoreError> {
        if spec.paths.is_empty() && spec.managers.is_empty() {
            return Err(IgnoreError::Empty { origin: origin.into() });
        }
        let paths = spec
            .paths
            .iter()
            .map(|p| {
                Pointer::parse(p).ok_or_else(|| IgnoreError::BadPointer { origin: origin.into(), path: p.clone() })
            })
            .collect::<Result<_, _>>()?;
        let target = spec.target.as_ref().map(|t| Target::compile(t, origin)).transpose()?.unwrap_or_default();
        Ok(IgnoreRule { paths, managers: spec.managers.clone(), target })
    }

    fn ignores(&self, object: &Manifest, field: &FieldDiff) -> bool {
        if !self.target.matches(object) {
            return false;
        }
        let by_path = self.paths.iter().any(|p| field.path.starts_with(p));
        let by_manager = field.changed_by.as_ref().is_some_and(|c| self.managers.contains(&c.manager));
        by_path || by_manager
    }
}

impl Target {
    fn compile(spec: &TargetSpec, origin: &str) -> Result<Self, IgnoreError> {
        TargetSelector::compile(spec).map(Target).map_err(|error| match error {
            SelectorError::BadRegex { field, pattern, message } => {
                IgnoreError::BadRegex { origin: origin.into(), field, pattern, message }
            }
            SelectorError::BadSelector { selector, message } => {
                IgnoreError::BadSelector { origin: origin.into(), selector, message }
            }
        })
    }

    /// Whether the object is selected.
    pub fn matches(&self, object: &Manifest) -> bool {
        let subject = Subject {
            api_version: object.api_version(),
            kind: object.kind(),
            names: &[object.name()],
            namespaces: &[object.namespace().unwrap_or("")],
            metadata: object.0.get("metadata").and_then(Value::as_object),
        };
        self.0.matches(&subject)
    }
}

/// Whether an annotation on the Git or live object switches the audit off for it.
pub fn is_disabled(desired: &Manifest, live: Option<&Manifest>) -> bool {
    DISABLING_ANNOTATIONS.iter().any(|(key, value)| {
        desired.annotation(key) == Some(value) || live.is_some_and(|l| l.annotation(key) == Some(value))
    })
}

/// Labels helm-controller puts on every object of a HelmRelease.
pub const HELM_RELEASE_NAME_LABEL: &str = "helm.toolkit.fluxcd.io/name";
/// See [`HELM_RELEASE_NAME_LABEL`].
pub const HELM_RELEASE_NAMESPACE_LABEL: &str = "helm.toolkit.fluxcd.io/namespace";

/// `spec.driftDetection.mode` of a Flux HelmRelease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftMode {
    /// Drift is detected and corrected.
    Enabled,
    /// Drift is detected and reported, not corrected.
    Warn,
    /// No drift detection.
    Disabled,
}

/// How a Flux HelmRelease asks for the drift of its objects to be handled.
#[derive(Debug, Clone)]
pub struct DriftPolicy {
    /// The mode.
    pub mode: DriftMode,
    /// `spec.driftDetection.ignore`.
    pub rules: IgnoreRules,
}

/// Reads `spec.driftDetection` of a HelmRelease; `None` when it sets none
/// (driftctl then audits as usual). An unknown mode is an error, not a guess.
pub fn drift_policy(helm_release: &Manifest) -> Result<Option<DriftPolicy>, IgnoreError> {
    let origin =
        format!("HelmRelease {}/{} spec.driftDetection", helm_release.namespace().unwrap_or(""), helm_release.name());
    let Some(detection) = helm_release.0.pointer("/spec/driftDetection") else { return Ok(None) };
    let mode = match detection.get("mode").and_then(Value::as_str).unwrap_or("disabled") {
        "enabled" => DriftMode::Enabled,
        "warn" => DriftMode::Warn,
        "disabled" => DriftMode::Disabled,
        other => {
            let message = format!("mode {other:?} is not one of enabled, warn, disabled");
            return Err(IgnoreError::BadDriftDetection { origin, message });
        }
    };
    let specs: Vec<IgnoreRuleSpec> = match detection.get("ignore") {
        None | Some(Value::Null) => Vec::new(),
        Some(rules) => serde_json::from_value(rules.clone())
            .map_err(|e| IgnoreError::BadDriftDetection { origin: origin.clone(), message: format!("ignore: {e}") })?,
    };
    Ok(Some(DriftPolicy { mode, rules: IgnoreRules::compile(&specs, &origin)? }))
}

/// The HelmRelease (namespace, name) that manages a live object, from helm-controller's labels.
pub fn helm_release_of(live: &Manifest) -> Option<(String, String)> {
    Some((live.label(HELM_RELEASE_NAMESPACE_LABEL)?.to_string(), live.label(HELM_RELEASE_NAME_LABEL)?.to_string()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diff::{ChangedBy, FieldClass};

    fn field(path: &str, manager: &str) -> FieldDiff {
        FieldDiff {
            path: Pointer::parse(path).unwrap(),
            class: FieldClass::Drift,
            desired: None,
            last_applied: None,
            live: None,
            changed_by: Some(ChangedBy { manager: manager.into(), operation: "Update".into(), time: None }),
        }
    }

    fn deployment() -> Manifest {
        Manifest(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web-1", "namespace": "prod", "labels": {"app": "web", "tier": "front"}}}))
    }

    fn rules(yaml: &str) -> IgnoreRules {
        let specs: Vec<IgnoreRuleSpec> = serde_yaml::from_str(yaml).unwrap();
        IgnoreRules::compile(&specs, "test").unwrap()
    }

    #[test]
    fn paths_match_below_the_pointer_for_selected_targets() {
        let r = rules(
            "- paths: [/spec/replicas]\n  target: {kind: Deploy.*, namespace: prod, labelSelector: 'app=web,tier in (front,back)'}",
        );
        assert!(r.ignores(&deployment(), &field("/spec/replicas", "kubectl-scale")));
        assert!(!r.ignores(&deployment(), &field("/spec/template", "kubectl-edit")));
        let other = rules("- paths: [/spec/replicas]\n  target: {name: web}");
        assert!(!other.ignores(&deployment(), &field("/spec/replicas", "x")), "name regex is anchored");
    }

    #[test]
    fn managers_match_the_current_owner() {
        let r = rules("- managers: [kube-controller-manager]");
        assert!(r.ignores(&deployment(), &field("/spec/replicas", "kube-controller-manager")));
        assert!(!r.ignores(&deployment(), &field("/spec/replicas", "kubectl-scale")));
    }

    #[test]
    fn bad_rules_are_errors() {
        let specs: Vec<IgnoreRuleSpec> = serde_yaml::from_str("- paths: [spec/replicas]").unwrap();
        assert!(matches!(IgnoreRules::compile(&specs, "x"), Err(IgnoreError::BadPointer { .. })));
        let specs: Vec<IgnoreRuleSpec> = serde_yaml::from_str("- target: {kind: Deployment}").unwrap();
        assert!(matches!(IgnoreRules::compile(&specs, "x"), Err(IgnoreError::Empty { .. })));
        let specs: Vec<IgnoreRuleSpec> = serde_yaml::from_str("- paths: [/a]\n  target: {kind: '('}").unwrap();
        assert!(matches!(IgnoreRules::compile(&specs, "x"), Err(IgnoreError::BadRegex { .. })));
    }

    #[test]
    fn helm_release_drift_detection() {
        let hr = |spec: serde_json::Value| {
            Manifest(json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "web", "namespace": "flux"}, "spec": spec}))
        };
        assert!(drift_policy(&hr(json!({}))).unwrap().is_none());
        let policy = drift_policy(&hr(json!({"driftDetection": {"mode": "warn",
            "ignore": [{"paths": ["/spec/replicas"], "target": {"kind": "Deployment"}}]}})))
        .unwrap()
        .unwrap();
        assert_eq!(policy.mode, DriftMode::Warn);
        assert!(policy.rules.ignores(&deployment(), &field("/spec/replicas", "kubectl-scale")));
        assert!(drift_policy(&hr(json!({"driftDetection": {"mode": "sometimes"}}))).is_err());
    }

    #[test]
    fn disabling_annotations() {
        let mut d = deployment();
        assert!(!is_disabled(&d, None));
        d.0["metadata"]["annotations"] = json!({"driftctl.dev/ignore": "true"});
        assert!(is_disabled(&d, None));
        let live =
            Manifest(json!({"metadata": {"annotations": {"kustomize.toolkit.fluxcd.io/reconcile": "disabled"}}}));
        assert!(is_disabled(&deployment(), Some(&live)));
    }
}

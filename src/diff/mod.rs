//! The audit itself: compare what Git wants (D), what the deployment system
//! last applied (A) and what the cluster runs (L), field by field, and say
//! for each difference whether it is drift, a pending Git change, a conflict
//! or already converged — and who changed it.
//!
//! Pure: no client, no clock, no environment. Everything here is a function
//! of the three objects, the ignore rules and the comparison mode.

mod audit;
mod classify;
mod compare;
mod ignore;
mod normalize;
mod ownership;
mod spelling;
mod value;

use serde::Serialize;
use serde_json::Value;

use crate::object::Pointer;

pub use audit::{FailOn, Legs, Verdict, audit};
pub use classify::{AuditOptions, Deployer, ObjectInput, audit_object, deployment_manager};
pub use compare::element_key;
pub use ignore::{
    DriftMode, DriftPolicy, HELM_RELEASE_NAME_LABEL, HELM_RELEASE_NAMESPACE_LABEL, IgnoreError, IgnoreRule,
    IgnoreRuleSpec, IgnoreRules, Target, TargetSpec, drift_policy, helm_release_of, is_disabled,
};
pub use normalize::{SYSTEM_ANNOTATIONS, SYSTEM_LABEL_PREFIXES, prepare};
pub use ownership::{ManagedFields, ManagerEntry};
pub use spelling::{apply_form, update_form};
pub use value::{is_absent, same};

/// Annotation that excludes an object from the audit.
pub const IGNORE_ANNOTATION: &str = "driftctl.dev/ignore";

/// How an object compares, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectClass {
    /// Live matches Git.
    InSync,
    /// Live differs from Git in at least one field (see the fields' classes).
    Modified,
    /// In Git, absent from the cluster.
    Missing,
    /// Owned by a unit (Helm release, Flux inventory) but not in Git.
    Extra,
    /// The cluster does not serve the kind or version.
    UnknownKind,
    /// The object could not be audited (API error, bad input).
    Error,
}

impl ObjectClass {
    /// The name used in reports (`in-sync`, `modified`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectClass::InSync => "in-sync",
            ObjectClass::Modified => "modified",
            ObjectClass::Missing => "missing",
            ObjectClass::Extra => "extra",
            ObjectClass::UnknownKind => "unknown-kind",
            ObjectClass::Error => "error",
        }
    }
}

/// How one differing field came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldClass {
    /// The cluster was changed by hand: Git and last-applied agree, live differs.
    Drift,
    /// Git changed and was not applied yet: live still matches last-applied.
    Pending,
    /// Git and the cluster both changed, differently.
    Conflict,
    /// Git changed and the cluster already matches it (informational).
    Converged,
    /// Git's value comes from a template function whose output changes with
    /// every render (`now`, `rand*`, `uuidv4`, `genCA`…): a difference is
    /// expected, and is neither drift nor repaired (informational).
    Nondeterministic,
}

impl FieldClass {
    /// Whether a field of this class makes its object differ from Git
    /// (converged and nondeterministic fields are only informational).
    pub fn is_difference(self) -> bool {
        !matches!(self, FieldClass::Converged | FieldClass::Nondeterministic)
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldClass::Drift => "drift",
            FieldClass::Pending => "pending",
            FieldClass::Conflict => "conflict",
            FieldClass::Converged => "converged",
            FieldClass::Nondeterministic => "nondeterministic",
        }
    }
}

/// Who owns a field now, from `metadata.managedFields`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedBy {
    /// Field manager, e.g. `kubectl-edit`.
    pub manager: String,
    /// `Update` or `Apply`.
    pub operation: String,
    /// When the manager last wrote the object (RFC 3339), if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldDiff {
    /// Where, as an RFC 6901 pointer into the object.
    pub path: Pointer,
    /// How it came about.
    pub class: FieldClass,
    /// Git's value (`None`: Git does not set it).
    pub desired: Option<Value>,
    /// The last-applied value (`None`: not set, or no last-applied state known).
    pub last_applied: Option<Value>,
    /// The live value (`None`: absent in the cluster).
    pub live: Option<Value>,
    /// Who owns the live field now.
    pub changed_by: Option<ChangedBy>,
}

/// Which comparison produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Compare the fields Git sets (plus fields last-applied set that Git dropped),
    /// by meaning, ignoring what the server and controllers add.
    #[default]
    DesiredFields,
    /// Git was sent through a server-side dry-run apply: compare the whole result with live.
    ServerSide,
}

/// The audit of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDiff {
    /// The object's class.
    pub class: ObjectClass,
    /// The fields that differ (empty unless `Modified`; converged and nondeterministic fields may appear in `InSync`).
    pub fields: Vec<FieldDiff>,
}

impl ObjectDiff {
    /// Whether any field is in the given class.
    pub fn has(&self, class: FieldClass) -> bool {
        self.fields.iter().any(|f| f.class == class)
    }
}

/// One audited object: identity, origin, the three legs as compared, and the result.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditedObject {
    /// Identity.
    pub reference: crate::object::ObjectRef,
    /// `apiVersion` as declared in Git (or as live, for extra objects).
    pub api_version: String,
    /// Where Git declares it (`None` for extra objects).
    pub origin: Option<crate::object::Origin>,
    /// The result of the comparison.
    pub diff: ObjectDiff,
    /// Why the object could not be audited (classes `error` and `unknown-kind`).
    pub error: Option<String>,
    /// Git's object, normalized as compared (namespace set, Secret stringData folded into data).
    pub desired: Option<crate::object::Manifest>,
    /// The live object.
    pub live: Option<crate::object::Manifest>,
    /// The Helm release revision whose manifest was the last-applied leg, if any.
    pub release: Option<crate::object::ReleaseRef>,
    /// Fields of Git's object whose value came from a cluster Secret (see
    /// [`DesiredObject::secret_fields`](crate::object::DesiredObject)): masked in reports like Secret data.
    pub secret_fields: Vec<Pointer>,
}

/// The audit of a whole source: every object, in a stable order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audit {
    /// The source as the user named it.
    pub source: String,
    /// Every audited object, sorted by origin then identity.
    pub objects: Vec<AuditedObject>,
    /// Objects skipped by the `driftctl.dev/ignore` annotation, a disabled-reconcile annotation,
    /// or a HelmRelease whose drift detection is disabled.
    pub ignored: Vec<crate::object::ObjectRef>,
    /// Objects whose drift is reported but not to be repaired (HelmRelease drift detection `warn`).
    pub report_only: Vec<crate::object::ObjectRef>,
}

//! The `DriftReport` document (`apiVersion: driftctl.dev/v1`): the stable
//! contract behind `-o json` and `-o yaml`, as serde types. Fields may be
//! added; none is renamed or removed without a new apiVersion.
//!
//! Every key is always present (absent values are `null`, empty lists `[]`),
//! so consumers never need to guess whether a key was dropped. This module
//! builds the document only; it must not mask values (the caller passes a
//! masked audit) or write bytes.

use serde::Serialize;
use serde_json::Value;

use super::Tally;
use crate::diff::{Audit, AuditedObject, ChangedBy, FieldClass, FieldDiff, ObjectClass};
use crate::fix::{FixAction, FixOutcome, FixRecord};
use crate::object::{ObjectRef, Origin, ReleaseRef};

/// The document's `apiVersion`.
pub const API_VERSION: &str = "driftctl.dev/v1";
/// The document's `kind`.
pub const KIND: &str = "DriftReport";

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftReport {
    /// Always [`API_VERSION`].
    pub api_version: &'static str,
    /// Always [`KIND`].
    pub kind: &'static str,
    /// Counts per class.
    pub summary: SummaryEntry,
    /// Every audited object, in the audit's order.
    pub objects: Vec<ObjectEntry>,
    /// What `--fix` did, one entry per object it touched or skipped (empty without `--fix`).
    pub fixes: Vec<FixEntry>,
    /// After `--fix` wrote something: the counts of the fresh audit that verified the repair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<SummaryEntry>,
}

/// `summary`: object counts per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryEntry {
    /// Audited objects (ignored ones not included).
    pub objects: usize,
    /// In sync.
    pub in_sync: usize,
    /// Modified.
    pub modified: usize,
    /// Missing from the cluster.
    pub missing: usize,
    /// In the cluster, not in Git.
    pub extra: usize,
    /// Objects that could not be audited: `error` plus `unknown-kind`.
    pub errors: usize,
    /// Of `errors`, the objects whose kind the cluster does not serve.
    pub unknown_kind: usize,
    /// Objects skipped by an ignore annotation.
    pub ignored: usize,
}

/// One audited object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectEntry {
    /// Identity, with the version Git declares.
    #[serde(rename = "ref")]
    pub reference: RefEntry,
    /// `in-sync`, `modified`, `missing`, `extra`, `unknown-kind` or `error`.
    pub class: ObjectClass,
    /// Where Git declares it; `null` for extra objects.
    pub origin: Option<OriginEntry>,
    /// The fields that differ (converged ones included).
    pub fields: Vec<FieldEntry>,
    /// Why the object could not be audited (`error`, `unknown-kind`); else `null`.
    pub error: Option<String>,
    /// The Helm release revision the object was compared with, when a release manages it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseRef>,
}

/// `ref`: which object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefEntry {
    /// API group; `""` for the core group.
    pub group: String,
    /// API version without the group (`v1`).
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Namespace; `null` for cluster-scoped objects.
    pub namespace: Option<String>,
    /// Name.
    pub name: String,
}

/// `origin`: where Git declares the object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginEntry {
    /// File relative to the source root.
    pub file: String,
    /// 1-based line of the object's document (0 when the renderer gives none).
    pub line: usize,
    /// The unit that produced it: `plain`, `HelmRelease/web/podinfo`, `Kustomization/flux-system/apps`…
    pub unit: String,
}

/// One differing field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldEntry {
    /// RFC 6901 pointer into the object.
    pub path: String,
    /// `drift`, `pending`, `conflict`, `converged` or `nondeterministic`.
    pub class: FieldClass,
    /// Git's value; `null` when Git does not set it.
    pub desired: Option<Value>,
    /// The last-applied value; `null` when not set or unknown.
    pub last_applied: Option<Value>,
    /// The live value; `null` when absent.
    pub live: Option<Value>,
    /// Who owns the live field now; `null` when managedFields do not say.
    pub changed_by: Option<ChangedByEntry>,
}

/// `changedBy`: the manager that owns a field now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedByEntry {
    /// Field manager, e.g. `kubectl-edit`.
    pub manager: String,
    /// `Update` or `Apply`.
    pub operation: String,
    /// RFC 3339 time of the manager's last write; `null` when not recorded.
    pub time: Option<String>,
}

/// What `--fix` did to one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixEntry {
    /// The object.
    #[serde(rename = "ref")]
    pub reference: RefEntry,
    /// What was attempted: `apply`, `create`, `delete` or `skip`.
    pub action: FixAction,
    /// How it ended: `fixed`, `failed` or `skipped`.
    pub outcome: FixOutcome,
    /// Details for people: the fields repaired, the error, or why it was skipped; else `null`.
    pub message: Option<String>,
}

impl DriftReport {
    /// The document for an (already masked) audit, the repairs `--fix` made, and the
    /// counts of the audit that verified them.
    pub fn new(audit: &Audit, fixes: &[FixRecord], verified: Option<Tally>) -> Self {
        DriftReport {
            api_version: API_VERSION,
            kind: KIND,
            summary: SummaryEntry::from(Tally::of(audit)),
            objects: audit.objects.iter().map(ObjectEntry::from).collect(),
            fixes: fixes.iter().map(FixEntry::from).collect(),
            verified: verified.map(SummaryEntry::from),
        }
    }
}

impl From<Tally> for SummaryEntry {
    fn from(tally: Tally) -> Self {
        SummaryEntry {
            objects: tally.objects,
            in_sync: tally.in_sync,
            modified: tally.modified,
            missing: tally.missing,
            extra: tally.extra,
            errors: tally.unaudited(),
            unknown_kind: tally.unknown_kind,
            ignored: tally.ignored,
        }
    }
}

impl From<&AuditedObject> for ObjectEntry {
    fn from(object: &AuditedObject) -> Self {
        ObjectEntry {
            reference: RefEntry::new(&object.reference, &object.api_version),
            class: object.diff.class,
            origin: object.origin.as_ref().map(OriginEntry::from),
            fields: object.diff.fields.iter().map(FieldEntry::from).collect(),
            error: object.error.clone(),
            release: object.release.clone(),
        }
    }
}

impl RefEntry {
    /// The entry for an object identity and the `apiVersion` it was declared with.
    pub fn new(reference: &ObjectRef, api_version: &str) -> Self {
        let version = api_version.rsplit_once('/').map_or(api_version, |(_, version)| version);
        RefEntry {
            group: reference.group.clone(),
            version: version.to_string(),
            kind: reference.kind.clone(),
            namespace: reference.namespace.clone(),
            name: reference.name.clone(),
        }
    }
}

impl From<&Origin> for OriginEntry {
    fn from(origin: &Origin) -> Self {
        OriginEntry { file: origin.file.clone(), line: origin.line, unit: origin.unit.to_string() }
    }
}

impl From<&FieldDiff> for FieldEntry {
    fn from(field: &FieldDiff) -> Self {
        FieldEntry {
            path: field.path.to_string(),
            class: field.class,
            desired: field.desired.clone(),
            last_applied: field.last_applied.clone(),
            live: field.live.clone(),
            changed_by: field.changed_by.as_ref().map(ChangedByEntry::from),
        }
    }
}

impl From<&FixRecord> for FixEntry {
    fn from(fix: &FixRecord) -> Self {
        FixEntry {
            reference: RefEntry::new(&fix.reference, &fix.api_version),
            action: fix.action,
            outcome: fix.outcome,
            message: fix.message.clone(),
        }
    }
}

impl From<&ChangedBy> for ChangedByEntry {
    fn from(changed_by: &ChangedBy) -> Self {
        ChangedByEntry {
            manager: changed_by.manager.clone(),
            operation: changed_by.operation.clone(),
            time: changed_by.time.clone(),
        }
    }
}

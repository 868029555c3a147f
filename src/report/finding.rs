//! One-line descriptions of findings, shared by the formats that speak to CI
//! systems (JUnit, SARIF, Markdown): what differs, how, and who changed it.
//! Values are already masked when they get here.

use serde_json::Value;

use crate::diff::{AuditedObject, FieldDiff, ObjectClass};

/// `Kind/namespace/name` or `Kind/name`.
pub(super) fn object_label(object: &AuditedObject) -> String {
    let r = &object.reference;
    match &r.namespace {
        Some(ns) => format!("{}/{ns}/{}", r.kind, r.name),
        None => format!("{}/{}", r.kind, r.name),
    }
}

/// A value as compact JSON, or `(not set)`.
pub(super) fn value_text(value: Option<&Value>) -> String {
    match value {
        None => "(not set)".into(),
        Some(Value::String(s)) => format!("{s:?}"),
        Some(other) => other.to_string(),
    }
}

/// `/spec/replicas: drift (Git 2, last-applied 2, live 5; changed by kubectl-scale)`.
pub(super) fn field_line(field: &FieldDiff) -> String {
    let changed_by = field.changed_by.as_ref().map(|c| format!("; changed by {}", c.manager)).unwrap_or_default();
    format!(
        "{}: {} (Git {}, last-applied {}, live {}{changed_by})",
        field.path,
        field.class.as_str(),
        value_text(field.desired.as_ref()),
        value_text(field.last_applied.as_ref()),
        value_text(field.live.as_ref())
    )
}

/// What is wrong with the object as a whole, in one sentence; `None` when in sync.
pub(super) fn object_summary(object: &AuditedObject) -> Option<String> {
    let label = object_label(object);
    match object.diff.class {
        ObjectClass::InSync => None,
        ObjectClass::Missing => Some(format!("{label} is in Git but missing from the cluster")),
        ObjectClass::Extra => Some(format!("{label} is in the cluster but not in Git")),
        ObjectClass::Modified => {
            let count = object.diff.fields.len();
            Some(format!("{label} differs from Git in {count} field{}", if count == 1 { "" } else { "s" }))
        }
        ObjectClass::UnknownKind | ObjectClass::Error => {
            Some(format!("{label} could not be audited: {}", object.error.as_deref().unwrap_or("unknown error")))
        }
    }
}

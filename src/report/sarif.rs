//! `-o sarif`: SARIF 2.1.0 for code-scanning dashboards. One result per
//! finding, located at the file and line Git declares the object in; one rule
//! per finding kind. Must not mask values (done before).

use std::io;

use serde_json::{Value, json};

use super::ReportError;
use super::finding::{field_line, object_label, object_summary};
use crate::diff::{Audit, AuditedObject, ObjectClass};

/// Rules: (id, description, SARIF level).
const RULES: [(&str, &str, &str); 7] = [
    ("drift", "A field was changed in the cluster by hand", "error"),
    ("conflict", "Git and the cluster both changed a field, differently", "error"),
    ("pending", "Git changed a field that is not applied yet", "warning"),
    ("missing", "An object in Git is missing from the cluster", "error"),
    ("extra", "An object in the cluster is not in Git", "warning"),
    ("unknown-kind", "The cluster does not serve an object's kind", "error"),
    ("error", "An object could not be audited", "error"),
];

/// Writes the SARIF log for an already masked audit.
pub(super) fn write(audit: &Audit, out: &mut dyn io::Write) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(id, text, level)| {
            json!({"id": id, "shortDescription": {"text": text}, "defaultConfiguration": {"level": level}})
        })
        .collect();
    let results: Vec<Value> = audit.objects.iter().flat_map(results_of).collect();
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "driftctl", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(|source| ReportError::Json { source })?;
    out.write_all(b"\n")
}

fn results_of(object: &AuditedObject) -> Vec<Value> {
    let result = |rule: &str, text: String| {
        let level = RULES.iter().find(|(id, _, _)| *id == rule).map_or("error", |(_, _, level)| *level);
        let mut result = json!({"ruleId": rule, "level": level, "message": {"text": text}});
        if let Some(origin) = &object.origin {
            result["locations"] = json!([{"physicalLocation": {
                "artifactLocation": {"uri": origin.file},
                "region": {"startLine": origin.line.max(1)}
            }}]);
        }
        result
    };
    match object.diff.class {
        ObjectClass::InSync => Vec::new(),
        ObjectClass::Modified => object
            .diff
            .fields
            .iter()
            .filter(|f| f.class.is_difference())
            .map(|f| result(f.class.as_str(), format!("{}: {}", object_label(object), field_line(f))))
            .collect(),
        class => vec![result(class.as_str(), object_summary(object).unwrap_or_default())],
    }
}

//! `-o yaml`: the same `DriftReport` document as `-o json`, as YAML.
//! Must not build the document itself (see `document`) nor mask values.

use std::io;

use super::{DriftReport, ReportError};
use crate::diff::Audit;

/// Writes the document for an already masked audit.
pub(super) fn write(audit: &Audit, out: &mut dyn io::Write) -> io::Result<()> {
    let text = serde_yaml::to_string(&DriftReport::from_audit(audit))
        .map_err(|source| ReportError::Yaml { what: "the drift report".into(), source })?;
    out.write_all(text.as_bytes())
}

//! `-o json`: the `DriftReport` document, pretty-printed, one trailing newline.
//! Must not build the document itself (see `document`) nor mask values.

use std::io;

use super::{DriftReport, ReportError};
use crate::diff::Audit;

/// Writes the document for an already masked audit.
pub(super) fn write(audit: &Audit, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &DriftReport::from_audit(audit))
        .map_err(|source| ReportError::Json { source })?;
    out.write_all(b"\n")
}

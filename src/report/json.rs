//! `-o json`: the `DriftReport` document, pretty-printed, one trailing newline.
//! Must not build the document itself (see `document`) nor mask values.

use std::io;

use super::{DriftReport, ReportError, Tally};
use crate::diff::Audit;
use crate::fix::FixRecord;

/// Writes the document for an already masked audit, the repairs made and the state verified after them.
pub(super) fn write(
    audit: &Audit,
    fixes: &[FixRecord],
    after: Option<Tally>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &DriftReport::new(audit, fixes, after))
        .map_err(|source| ReportError::Json { source })?;
    out.write_all(b"\n")
}

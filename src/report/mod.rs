//! Reports: turn an [`Audit`] into output — a terminal report for people, or
//! the `DriftReport` document (`apiVersion: driftctl.dev/v1`) as JSON or YAML.
//! One module per format; Secret values are masked once, here, before any
//! format sees the audit.
//!
//! Pure: no client, no clock, no environment. Color, format and options come
//! in as arguments (decided once in `cli::Config`); this module must not look
//! at the terminal, read environment variables, or decide exit codes.

mod document;
mod finding;
mod human;
mod json;
mod junit;
mod markdown;
mod mask;
mod sarif;
mod summary;
mod yaml;

use std::io;

use thiserror::Error;

use crate::cli::OutputFormat;
use crate::diff::Audit;
use crate::fix::FixRecord;

pub use document::{
    API_VERSION, ChangedByEntry, DriftReport, FieldEntry, FixEntry, KIND, ObjectEntry, OriginEntry, RefEntry,
    SummaryEntry,
};
pub use mask::{SECRET_KIND, mask_audit, mask_secret_value};
pub use summary::Tally;

/// How a report is written; resolved once by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Emit ANSI colors (human format only).
    pub color: bool,
    /// Print Secret values as they are instead of masking them.
    pub show_secrets: bool,
    /// Lines of unchanged context around each change in the human diff.
    pub context_lines: usize,
    /// Human format: list in-sync objects too and do not shorten long values.
    pub verbose: bool,
}

/// Why a report could not be written.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The report document could not be encoded as JSON.
    #[error(
        "could not encode the drift report as JSON: {source}; try `-o yaml` or `-o human`, and report this as a bug"
    )]
    Json {
        /// The encoder's error.
        #[source]
        source: serde_json::Error,
    },
}

impl From<ReportError> for io::Error {
    fn from(error: ReportError) -> Self {
        match error {
            // A JSON error that wraps an I/O error (closed pipe) stays that I/O error.
            ReportError::Json { source } if source.is_io() => io::Error::from(source),
            other => io::Error::other(other),
        }
    }
}

/// Writes the report for `audit` in `format` to `out`.
///
/// Secret values are masked first (unless `options.show_secrets`), so no
/// format can print one by accident.
pub fn write_report(
    audit: &Audit,
    format: OutputFormat,
    options: &ReportOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    write_report_with_fixes(audit, &[], format, options, out)
}

/// [`write_report`] for a run with `--fix`: the audit plus what each repair did.
pub fn write_report_with_fixes(
    audit: &Audit,
    fixes: &[FixRecord],
    format: OutputFormat,
    options: &ReportOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let audit = mask_audit(audit, options.show_secrets);
    match format {
        OutputFormat::Human => human::write(&audit, fixes, options, out),
        OutputFormat::Json => json::write(&audit, fixes, out),
        OutputFormat::Yaml => yaml::write(&audit, fixes, out),
        OutputFormat::Junit => junit::write(&audit, out),
        OutputFormat::Sarif => sarif::write(&audit, out),
        OutputFormat::Markdown => markdown::write(&audit, fixes, out),
    }
}

#[cfg(test)]
mod tests;

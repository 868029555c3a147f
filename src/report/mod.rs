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
mod printable;
mod sarif;
mod summary;
mod yaml;

use std::io;

use thiserror::Error;

use crate::diff::Audit;
use crate::fix::FixRecord;

pub use document::{
    API_VERSION, ChangedByEntry, DriftReport, FieldEntry, FixEntry, KIND, ObjectEntry, OriginEntry, RefEntry,
    SummaryEntry,
};
pub use mask::SECRET_KIND;
use mask::mask_audit;
pub use summary::Tally;

/// The report formats (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Summary table and colored three-way diffs, for people.
    #[default]
    Human,
    /// The DriftReport document (apiVersion driftctl.dev/v1) as JSON.
    Json,
    /// The DriftReport document as YAML.
    Yaml,
    /// JUnit XML: one test case per object, for CI test reports.
    Junit,
    /// SARIF 2.1.0: one result per finding at its file and line, for code-scanning dashboards.
    Sarif,
    /// Markdown: summary and tables, for pull-request comments.
    Markdown,
}

impl OutputFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Yaml,
        OutputFormat::Junit,
        OutputFormat::Sarif,
        OutputFormat::Markdown,
    ];

    /// The name `-o` takes.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Yaml => "yaml",
            OutputFormat::Junit => "junit",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Markdown => "markdown",
        }
    }

    /// What the format is for, in a line.
    pub fn purpose(self) -> &'static str {
        match self {
            OutputFormat::Human => "Summary table and colored three-way diffs, for people",
            OutputFormat::Json => "The DriftReport document (apiVersion driftctl.dev/v1) as JSON",
            OutputFormat::Yaml => "The DriftReport document as YAML",
            OutputFormat::Junit => "JUnit XML: one test case per object, for CI test reports",
            OutputFormat::Sarif => {
                "SARIF 2.1.0: one result per finding at its file and line, for code-scanning dashboards"
            }
            OutputFormat::Markdown => "Markdown: summary and tables, for pull-request comments",
        }
    }
}

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
    write_report_with_fixes(audit, &[], None, format, options, out)
}

/// [`write_report`] for a run with `--fix`: the audit, what each repair did, and
/// the state a fresh audit verified after the repair (`after`), when one ran.
pub fn write_report_with_fixes(
    audit: &Audit,
    fixes: &[FixRecord],
    after: Option<&Audit>,
    format: OutputFormat,
    options: &ReportOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let audit = mask_audit(audit, options.show_secrets);
    let after = after.map(Tally::of);
    match format {
        OutputFormat::Human => human::write(&audit, fixes, after, options, out),
        OutputFormat::Json => json::write(&audit, fixes, after, out),
        OutputFormat::Yaml => yaml::write(&audit, fixes, after, out),
        OutputFormat::Junit => junit::write(&audit, out),
        OutputFormat::Sarif => sarif::write(&audit, out),
        OutputFormat::Markdown => markdown::write(&audit, fixes, after, out),
    }
}

#[cfg(test)]
mod tests;

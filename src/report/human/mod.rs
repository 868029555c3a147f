//! `-o human`, the default: a report for people at a terminal. A header with
//! the source, a summary table, then one section per object that needs
//! attention (origin, a colored diff of Git against the cluster, the
//! differing fields with their class and who changed them), and a one-line
//! summary; after `--fix`, what each repair did.
//!
//! Color comes in as an option; with color off not one ANSI code is written.
//! This module must not mask values (the audit it gets is already masked)
//! nor decide classes or exit codes.

mod paint;
mod projection;
mod section;
mod table;
mod textdiff;

use std::io;

use paint::{Paint, Tone};

use super::printable::printable;

use super::{ReportOptions, Tally};
use crate::diff::{Audit, AuditedObject, ObjectClass};
use crate::fix::FixRecord;
use crate::object::ObjectRef;

/// Writes the terminal report for an already masked audit.
pub(super) fn write(
    audit: &Audit,
    fixes: &[FixRecord],
    after: Option<Tally>,
    options: &ReportOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let paint = Paint::new(options.color);
    writeln!(out, "{}", paint.paint(Tone::Bold, &format!("Drift audit of {}", printable(&audit.source))))?;
    if let Some(table) = table::summary_table(&audit.objects, options.verbose, paint) {
        writeln!(out)?;
        writeln!(out, "{table}")?;
    }
    let mut group = None;
    for object in audit.objects.iter().filter(|o| shown_as_section(o, options.verbose)) {
        // Objects of one Helm release come together (the audit is ordered by unit): name it once.
        if let Some(release) = object.release.as_ref().filter(|r| Some(*r) != group) {
            let heading = format!(
                "Helm release {}/{} (revision {}, chart {})",
                release.namespace, release.name, release.revision, release.chart
            );
            writeln!(out)?;
            writeln!(out, "{}", paint.paint(Tone::Bold, &printable(&heading)))?;
            if let Some(provenance) = release.provenance.as_ref().filter(|p| p.is_unproven()) {
                let recorded = if release.description.is_empty() {
                    String::new()
                } else {
                    format!(" (\"{}\")", release.description)
                };
                let note = format!(
                    "  revision {}{recorded} is {provenance}: its differences from Git are drift",
                    release.revision
                );
                writeln!(out, "{}", paint.paint(Tone::Red, &printable(&note)))?;
            }
            group = object.release.as_ref();
        }
        writeln!(out)?;
        out.write_all(section::render(object, options, paint).as_bytes())?;
    }
    if options.verbose && !audit.ignored.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", paint.paint(Tone::Dim, "Ignored by annotation:"))?;
        for reference in &audit.ignored {
            writeln!(out, "  {}", reference_label(reference))?;
        }
    }
    if let Some(table) = table::fixes_table(fixes, paint) {
        writeln!(out)?;
        writeln!(out, "{}", paint.paint(Tone::Bold, "Repairs:"))?;
        writeln!(out, "{table}")?;
    }
    writeln!(out)?;
    match after {
        // The last line is how things stand now: what the repair left, verified by a fresh audit.
        Some(after) => {
            writeln!(out, "Before the repair: {}", Tally::of(audit).line())?;
            writeln!(out, "{}", paint.paint(Tone::Bold, &format!("After the repair: {}", after.line())))
        }
        None => writeln!(out, "{}", paint.paint(Tone::Bold, &Tally::of(audit).line())),
    }
}

/// `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects.
fn object_label(object: &AuditedObject) -> String {
    reference_label(&object.reference)
}

fn reference_label(reference: &ObjectRef) -> String {
    let label = match &reference.namespace {
        Some(namespace) => format!("{}/{namespace}/{}", reference.kind, reference.name),
        None => format!("{}/{}", reference.kind, reference.name),
    };
    printable(&label).into_owned()
}

/// Whether the object gets its own section: anything not in sync, and with
/// `verbose` also in-sync objects that carry converged or nondeterministic fields.
fn shown_as_section(object: &AuditedObject, verbose: bool) -> bool {
    object.diff.class != ObjectClass::InSync || (verbose && !object.diff.fields.is_empty())
}

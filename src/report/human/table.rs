//! The summary table at the top of the terminal report: one row per object
//! worth attention (every object with `verbose`), with its class, the fields
//! that differ and who changed them. Layout is fixed-width and independent of
//! the terminal, so output is the same everywhere. After `--fix`, a second
//! table lists the repairs.

use comfy_table::{Attribute, Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

use super::paint::{Paint, Tone};
use super::{object_label, reference_label, shown_as_section};
use crate::diff::{AuditedObject, ObjectDiff};
use crate::fix::{FixOutcome, FixRecord};
use crate::report::printable::printable;

/// A rule under the header and nothing else: the rows stay easy to scan and to grep.
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Paths listed in the `fields` column before it switches to a count.
const LISTED_PATHS: usize = 2;

/// The table for `objects`, or `None` when no row is shown.
pub(super) fn summary_table(objects: &[AuditedObject], verbose: bool, paint: Paint) -> Option<String> {
    let rows: Vec<&AuditedObject> = objects.iter().filter(|o| verbose || shown_as_section(o, false)).collect();
    if rows.is_empty() {
        return None;
    }
    let mut table = new_table(["OBJECT", "CLASS", "FIELDS", "CHANGED BY"], paint);
    for object in rows {
        table.add_row(vec![
            Cell::new(object_label(object)),
            styled(Cell::new(object.diff.class.as_str()), Tone::of_object(object.diff.class), paint),
            Cell::new(printable(&fields_summary(&object.diff))),
            Cell::new(printable(&managers(&object.diff).join(", "))),
        ]);
    }
    // Cells are padded to the column width; trailing blanks would only show up in copies and diffs.
    Some(table.trim_fmt())
}

/// One row per repair: the object, the action, how it ended and why; `None` without repairs.
pub(super) fn fixes_table(fixes: &[FixRecord], paint: Paint) -> Option<String> {
    if fixes.is_empty() {
        return None;
    }
    let mut table = new_table(["OBJECT", "ACTION", "OUTCOME", "MESSAGE"], paint);
    for fix in fixes {
        let tone = match fix.outcome {
            FixOutcome::Fixed => Tone::Green,
            FixOutcome::Failed => Tone::Red,
            FixOutcome::Skipped => Tone::Yellow,
        };
        table.add_row(vec![
            Cell::new(reference_label(&fix.reference)),
            Cell::new(report_name(fix.action)),
            styled(Cell::new(report_name(fix.outcome)), tone, paint),
            Cell::new(printable(fix.message.as_deref().unwrap_or(""))),
        ]);
    }
    Some(table.trim_fmt())
}

/// The name a value has in the JSON report (`apply`, `fixed`), so both formats use the same words.
fn report_name(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn new_table(header: [&str; 4], paint: Paint) -> Table {
    let mut table = Table::new();
    table.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled);
    // Never ask the terminal: color was decided by the caller.
    table.force_no_tty();
    if paint.enabled() {
        table.enforce_styling();
    }
    table.set_header(header.map(|title| styled(Cell::new(title), Tone::Bold, paint)));
    table
}

fn styled(cell: Cell, tone: Tone, paint: Paint) -> Cell {
    if !paint.enabled() {
        return cell;
    }
    match tone.table_color() {
        Some(color) => cell.fg(color),
        None => cell.add_attribute(Attribute::Bold),
    }
}

/// The differing paths when there are few, else how many.
fn fields_summary(diff: &ObjectDiff) -> String {
    match diff.fields.len() {
        0 => String::new(),
        n if n <= LISTED_PATHS => diff.fields.iter().map(|f| f.path.to_string()).collect::<Vec<_>>().join(", "),
        n => format!("{n} fields"),
    }
}

/// The managers that own the differing fields, each once, in field order.
fn managers(diff: &ObjectDiff) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for changed_by in diff.fields.iter().filter_map(|f| f.changed_by.as_ref()) {
        if !names.contains(&changed_by.manager.as_str()) {
            names.push(&changed_by.manager);
        }
    }
    names
}

//! `-o markdown`: a report to post on a pull request or a chat: a summary
//! line, a table of the objects that need attention, and their differing
//! fields. Must not mask values (done before).

use std::io;

use super::Tally;
use super::finding::{object_label, value_text};
use crate::diff::{Audit, ObjectClass};
use crate::fix::FixRecord;

/// Writes the Markdown report for an already masked audit and the repairs made.
pub(super) fn write(
    audit: &Audit,
    fixes: &[FixRecord],
    after: Option<Tally>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    writeln!(out, "## Drift audit of `{}`\n", code(&audit.source))?;
    writeln!(out, "{}\n", Tally::of(audit).line())?;
    let attention: Vec<_> = audit.objects.iter().filter(|o| o.diff.class != ObjectClass::InSync).collect();
    if !attention.is_empty() {
        writeln!(out, "| object | class | origin |")?;
        writeln!(out, "|---|---|---|")?;
        for object in &attention {
            let origin = object.origin.as_ref().map(|o| format!("`{}`", code(&o.to_string()))).unwrap_or_default();
            writeln!(out, "| `{}` | {} | {origin} |", code(&object_label(object)), object.diff.class.as_str())?;
        }
        writeln!(out)?;
    }
    for object in attention.iter().filter(|o| !o.diff.fields.is_empty() || o.error.is_some()) {
        writeln!(out, "### `{}`\n", code(&object_label(object)))?;
        if let Some(error) = &object.error {
            writeln!(out, "{}\n", cell(error))?;
        }
        if !object.diff.fields.is_empty() {
            writeln!(out, "| field | class | Git | last-applied | live | changed by |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for f in &object.diff.fields {
                let by = f.changed_by.as_ref().map(|c| format!("{} ({})", c.manager, c.operation)).unwrap_or_default();
                writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} | {} |",
                    code(&f.path.to_string()),
                    f.class.as_str(),
                    cell(&value_text(f.desired.as_ref())),
                    cell(&value_text(f.last_applied.as_ref())),
                    cell(&value_text(f.live.as_ref())),
                    cell(&by)
                )?;
            }
            writeln!(out)?;
        }
    }
    if !fixes.is_empty() {
        writeln!(out, "### Repairs\n")?;
        writeln!(out, "| object | action | outcome | message |")?;
        writeln!(out, "|---|---|---|---|")?;
        for fix in fixes {
            writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                code(&fix.reference.to_string()),
                fix.action.as_str(),
                fix.outcome.as_str(),
                cell(fix.message.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(out)?;
    }
    if let Some(after) = after {
        writeln!(out, "After the repair: {}\n", after.line())?;
    }
    Ok(())
}

/// Text inside a table cell: pipes and line breaks would break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Text inside backticks: a backtick would end the code span.
fn code(text: &str) -> String {
    cell(&text.replace('`', "'"))
}

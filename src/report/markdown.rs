//! `-o markdown`: a report to post on a pull request or a chat: a summary
//! line, a table of the objects that need attention, and their differing
//! fields. Must not mask values (done before).
//!
//! A pull-request comment must not carry markup from the cluster or the
//! repository (`<img onerror=…>`, `[x](javascript:…)`, a bare URL that turns
//! into a link): every name, path, value, manager and message read from the
//! input is written as inline code or a fenced code block, whose fence is
//! longer than any run of backticks inside, so it is shown as text and never
//! read as Markdown or HTML. Only driftctl's own words are written as prose.

use std::io;

use super::Tally;
use super::finding::{object_label, value_text};
use super::printable::printable;
use crate::diff::{Audit, ObjectClass};
use crate::fix::FixRecord;

/// Writes the Markdown report for an already masked audit and the repairs made.
pub(super) fn write(
    audit: &Audit,
    fixes: &[FixRecord],
    after: Option<Tally>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    writeln!(out, "## Drift audit of {}\n", code(&audit.source, Place::Prose))?;
    writeln!(out, "{}\n", Tally::of(audit).line())?;
    let attention: Vec<_> = audit.objects.iter().filter(|o| o.diff.class != ObjectClass::InSync).collect();
    if !attention.is_empty() {
        writeln!(out, "| object | class | origin |")?;
        writeln!(out, "|---|---|---|")?;
        for object in &attention {
            let origin = object.origin.as_ref().map(|o| code(&o.to_string(), Place::Table)).unwrap_or_default();
            writeln!(
                out,
                "| {} | {} | {origin} |",
                code(&object_label(object), Place::Table),
                object.diff.class.as_str()
            )?;
        }
        writeln!(out)?;
    }
    for object in attention.iter().filter(|o| !o.diff.fields.is_empty() || o.error.is_some()) {
        writeln!(out, "### {}\n", code(&object_label(object), Place::Prose))?;
        if let Some(error) = &object.error {
            writeln!(out, "{}\n", code_block(error))?;
        }
        if !object.diff.fields.is_empty() {
            writeln!(out, "| field | class | Git | last-applied | live | changed by |")?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for f in &object.diff.fields {
                let by = f.changed_by.as_ref().map(|c| format!("{} ({})", c.manager, c.operation)).unwrap_or_default();
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    code(&f.path.to_string(), Place::Table),
                    f.class.as_str(),
                    code(&value_text(f.desired.as_ref()), Place::Table),
                    code(&value_text(f.last_applied.as_ref()), Place::Table),
                    code(&value_text(f.live.as_ref()), Place::Table),
                    code(&by, Place::Table)
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
                "| {} | {} | {} | {} |",
                code(&fix.reference.to_string(), Place::Table),
                fix.action.as_str(),
                fix.outcome.as_str(),
                code(fix.message.as_deref().unwrap_or(""), Place::Table)
            )?;
        }
        writeln!(out)?;
    }
    if let Some(after) = after {
        writeln!(out, "After the repair: {}\n", after.line())?;
    }
    Ok(())
}

/// Where a code span goes: GFM splits a table row at every `|` before it
/// reads code spans, so inside a table a pipe is escaped (and shown as `|`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Table,
    Prose,
}

/// `text` as inline code, shown as it is: control characters (line breaks
/// included) escaped, and a fence of more backticks than any run inside.
/// Empty text gives nothing (an empty code span does not exist).
fn code(text: &str, place: Place) -> String {
    let mut body = printable(text).into_owned();
    if place == Place::Table {
        body = body.replace('|', "\\|");
    }
    if body.is_empty() {
        return body;
    }
    let fence = "`".repeat(longest_backtick_run(&body) + 1);
    // A span's first and last space are stripped when both are there, and a
    // backtick at either end would join the fence: pad with one space then.
    let pad = body.starts_with('`')
        || body.ends_with('`')
        || (body.starts_with(' ') && body.ends_with(' ') && !body.trim().is_empty());
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// `text` as a fenced code block, line breaks kept, with a fence no line inside can close.
fn code_block(text: &str) -> String {
    let body: Vec<String> = text.lines().map(|line| printable(line).into_owned()).collect();
    let body = body.join("\n");
    let fence = "`".repeat((longest_backtick_run(&body) + 1).max(3));
    format!("{fence}text\n{body}\n{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outlast_every_backtick_run_and_keep_rows_whole() {
        assert_eq!(code("web", Place::Table), "`web`");
        assert_eq!(code("a`b", Place::Prose), "``a`b``");
        assert_eq!(code("``x", Place::Prose), "``` ``x ```");
        assert_eq!(code("a|b\nc", Place::Table), "`a\\|b\\u{a}c`");
        assert_eq!(code("a|b", Place::Prose), "`a|b`");
        assert_eq!(code(" x ", Place::Prose), "`  x  `");
        assert_eq!(code("", Place::Table), "");
    }

    #[test]
    fn code_blocks_cannot_be_closed_from_inside() {
        let block = code_block("line one\n```\n<img src=x onerror=alert(1)>\u{1b}[2J");
        assert_eq!(block, "````text\nline one\n```\n<img src=x onerror=alert(1)>\\u{1b}[2J\n````");
    }
}

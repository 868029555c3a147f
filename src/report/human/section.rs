//! One object's section in the terminal report: where Git declares it, what
//! differs as a text diff of Git against the (projected) live object, and
//! each differing field with its class, its three values and who changed it.
//! It renders one object; it must not decide which objects get a section.

use std::fmt::Write;

use serde_json::Value;

use super::object_label;
use super::paint::{Paint, Tone};
use super::projection::project_live;
use super::textdiff::unified_diff;
use crate::diff::{AuditedObject, FieldDiff, ObjectClass};
use crate::object::Pointer;
use crate::report::ReportOptions;
use crate::report::printable::printable;
use crate::report::yaml::yaml_text;

/// Characters of a value shown before it is cut short (without `verbose`).
const VALUE_WIDTH: usize = 80;
/// Indentation of a section's body.
const INDENT: &str = "  ";

/// The section for `object`, ending in a newline.
pub(super) fn render(object: &AuditedObject, options: &ReportOptions, paint: Paint) -> String {
    let mut text = String::new();
    let class = object.diff.class;
    let _ = writeln!(
        text,
        "{} {}",
        paint.paint(Tone::Bold, &format!("{}:", object_label(object))),
        paint.paint(Tone::of_object(class), class.as_str())
    );
    if let Some(origin) = &object.origin {
        let _ = writeln!(
            text,
            "{INDENT}{}",
            paint.paint(Tone::Dim, &printable(&format!("declared in {origin} ({})", origin.unit)))
        );
    }
    match class {
        ObjectClass::Modified | ObjectClass::InSync => {
            push_diff(&mut text, object, options, paint);
            push_fields(&mut text, &object.diff.fields, options, paint);
        }
        ObjectClass::Missing => {
            let _ = writeln!(text, "{INDENT}{}", paint.paint(Tone::Red, "missing in cluster; Git declares:"));
            if let Some(desired) = &object.desired {
                push_indented(&mut text, &yaml_text(&desired.0), &format!("{INDENT}{INDENT}"));
            }
        }
        ObjectClass::Extra => {
            let _ = writeln!(text, "{INDENT}{}", paint.paint(Tone::Cyan, "in the cluster but not in Git"));
            push_fields(&mut text, &object.diff.fields, options, paint);
        }
        ObjectClass::UnknownKind | ObjectClass::Error => {
            let message = object.error.as_deref().unwrap_or("no details were recorded");
            let _ = writeln!(text, "{INDENT}{}", paint.paint(Tone::of_object(class), &printable(message)));
        }
    }
    text
}

/// Git's object against the live object cut down to Git's keys plus the differing fields.
fn push_diff(text: &mut String, object: &AuditedObject, options: &ReportOptions, paint: Paint) {
    let (Some(desired), Some(live)) = (&object.desired, &object.live) else { return };
    let differing: Vec<Pointer> = object.diff.fields.iter().map(|f| f.path.clone()).collect();
    let projected = project_live(&desired.0, &live.0, &differing);
    let lines = unified_diff(&yaml_text(&desired.0), &yaml_text(&projected), options.context_lines, paint);
    if !lines.is_empty() {
        text.push('\n');
    }
    for line in lines {
        text.push_str(INDENT);
        text.push_str(&line);
    }
}

fn push_fields(text: &mut String, fields: &[FieldDiff], options: &ReportOptions, paint: Paint) {
    // Without last-applied state the comparison is two-way: a column of "(not set)" would only add noise.
    let three_way = fields.iter().any(|f| f.last_applied.is_some());
    for field in fields {
        text.push('\n');
        let _ = writeln!(
            text,
            "{INDENT}{}  {}",
            paint.paint(Tone::Bold, &printable(&field.path.to_string())),
            paint.paint(Tone::of_field(field.class), field.class.as_str())
        );
        let mut rows = vec![("desired", show_value(field.desired.as_ref(), options.verbose))];
        if three_way {
            rows.push(("last-applied", show_value(field.last_applied.as_ref(), options.verbose)));
        }
        rows.push(("live", show_value(field.live.as_ref(), options.verbose)));
        if let Some(changed_by) = &field.changed_by {
            let when = changed_by.time.as_deref().map(|time| format!(", {time}")).unwrap_or_default();
            let text = format!("{} ({}{when})", changed_by.manager, changed_by.operation);
            rows.push(("changed by", printable(&text).into_owned()));
        }
        for (label, value) in rows {
            let _ = writeln!(text, "{INDENT}{INDENT}{} {value}", paint.paint(Tone::Dim, &format!("{label:<13}")));
        }
    }
}

/// A value on one line: JSON, cut short unless `verbose`.
fn show_value(value: Option<&Value>, verbose: bool) -> String {
    let Some(value) = value else { return "(not set)".to_string() };
    let text = value.to_string();
    if verbose || text.chars().count() <= VALUE_WIDTH {
        return text;
    }
    let cut: String = text.chars().take(VALUE_WIDTH - 1).collect();
    format!("{cut}…")
}

fn push_indented(text: &mut String, block: &str, indent: &str) {
    for line in block.lines() {
        let _ = writeln!(text, "{indent}{line}");
    }
}

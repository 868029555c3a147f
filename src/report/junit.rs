//! `-o junit`: JUnit XML for CI test reports. One test case per object: an
//! object in sync passes, drift and missing objects are failures, objects that
//! could not be audited are errors. Must not mask values (done before).

use std::io;

use super::Tally;
use super::finding::{field_line, object_label, object_summary};
use crate::diff::{Audit, ObjectClass};

/// Writes the JUnit document for an already masked audit.
pub(super) fn write(audit: &Audit, out: &mut dyn io::Write) -> io::Result<()> {
    let tally = Tally::of(audit);
    let failures = tally.modified + tally.missing + tally.extra;
    let errors = tally.errors + tally.unknown_kind;
    let suite = escape(&audit.source);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="driftctl" tests="{}" failures="{failures}" errors="{errors}">"#, tally.objects)?;
    writeln!(
        out,
        r#"  <testsuite name="{suite}" tests="{}" failures="{failures}" errors="{errors}" skipped="0">"#,
        tally.objects
    )?;
    for object in &audit.objects {
        let name = escape(&object_label(object));
        let classname = escape(&object.origin.as_ref().map(|o| o.unit.to_string()).unwrap_or_else(|| "cluster".into()));
        let file = object.origin.as_ref().map(|o| format!(r#" file="{}""#, escape(&o.file))).unwrap_or_default();
        let Some(summary) = object_summary(object) else {
            writeln!(out, r#"    <testcase classname="{classname}" name="{name}"{file}/>"#)?;
            continue;
        };
        let element = match object.diff.class {
            ObjectClass::Error | ObjectClass::UnknownKind => "error",
            _ => "failure",
        };
        let details: Vec<String> = object.diff.fields.iter().map(field_line).collect();
        writeln!(out, r#"    <testcase classname="{classname}" name="{name}"{file}>"#)?;
        writeln!(
            out,
            r#"      <{element} message="{}" type="{}">{}</{element}>"#,
            escape(&summary),
            object.diff.class.as_str(),
            escape(&details.join("\n"))
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// XML text and attribute escaping; characters XML 1.0 cannot hold become `?`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot;?");
    }
}

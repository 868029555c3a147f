//! `-o yaml`: the same `DriftReport` document as `-o json`, as YAML, and the
//! YAML text of objects shown in the terminal report.
//!
//! Written the way `kubectl get -o yaml` writes (sigs.k8s.io/yaml): keys in
//! Go's order and every string that a YAML 1.1 reader would take for
//! something else quoted (`"yes"`, `"on"`, `"2026-11-24T10:00:00Z"`), so
//! kubectl, Go and PyYAML read back exactly the strings we wrote. Must not
//! build the document itself (see `document`) nor mask values.

use std::io;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{Formatter, PrettyFormatter};

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
    let document =
        serde_json::to_value(DriftReport::new(audit, fixes, after)).map_err(|source| ReportError::Json { source })?;
    out.write_all(yaml_text(&document).as_bytes())
}

/// `value` as YAML text ending in a newline.
pub(super) fn yaml_text(value: &Value) -> String {
    let text = crate::yaml::marshal_yaml(value);
    if !text.is_empty() {
        return text;
    }
    // sigs.k8s.io/yaml refuses strings holding DEL or C1 control characters
    // and writes nothing. JSON is also YAML, once every character YAML may
    // not hold raw is escaped.
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, YamlSafeJson(PrettyFormatter::new()));
    // Serializing a `Value` into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// Pretty JSON that escapes the characters YAML does not allow unescaped
/// (outside its printable set: DEL, C1 controls, U+FFFE, U+FFFF).
struct YamlSafeJson(PrettyFormatter<'static>);

impl Formatter for YamlSafeJson {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (index, character) in fragment.char_indices() {
            if yaml_printable(character) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..index])?;
            write!(writer, "\\u{:04x}", u32::from(character))?;
            start = index + character.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// YAML 1.2's printable set (control characters below U+0020 are escaped by JSON already).
fn yaml_printable(character: char) -> bool {
    matches!(character, '\0'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || character >= '\u{10000}'
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_a_yaml_1_1_reader_would_retype_are_quoted() {
        let text = yaml_text(&json!({"values": ["yes", "on", "2026-11-24T10:00:00Z", "0777", "plain"]}));
        assert_eq!(text, "values:\n- \"yes\"\n- \"on\"\n- \"2026-11-24T10:00:00Z\"\n- \"0777\"\n- plain\n");
    }

    #[test]
    fn text_yaml_cannot_hold_falls_back_to_json() {
        let value = json!({"note": "rub\u{7f}out \u{9b}csi", "plain": "yes"});
        let text = yaml_text(&value);
        assert!(text.contains("\\u007f") && text.contains("\\u009b"), "{text}");
        assert_eq!(serde_yaml::from_str::<Value>(&text).unwrap(), value);
    }
}

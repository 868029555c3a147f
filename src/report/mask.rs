//! Secret masking: the single place that decides which values are hidden and
//! how a hidden value looks. Every format receives an audit that has already
//! passed through [`mask_audit`].
//!
//! Hidden are the values of a Secret (`data`, `stringData`, and the copies in
//! its last-applied annotation) and, in any kind, the fields a chart filled
//! from a Secret it read with `lookup` (`secret_fields`). A masked value says
//! nothing about its bytes — no length, no digest, which could be reversed for
//! short values — only how it compares with the other legs, compared here:
//! `<secret: differs from live, same as last-applied>`, or `<secret>` when
//! there is nothing to compare. `data` values compare by their decoded bytes.
//!
//! This module must not decide whether an object is in sync: masking happens
//! after the comparison, never before. The masked audit stays inside
//! `report`: repairs are planned from the real one.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::diff::{Audit, AuditedObject, element_key};
use crate::object::{LAST_APPLIED_ANNOTATION, ObjectRef, Pointer};

/// The kind whose values are masked (core group).
pub const SECRET_KIND: &str = "Secret";

/// How a Secret value is stored, which decides the bytes that are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// `data`: base64 of the bytes.
    Base64,
    /// `stringData`, or a field a chart filled from a Secret: the bytes as text.
    Text,
}

/// What a location inside an object holds.
enum Location {
    /// A secret value.
    SecretValue(Encoding),
    /// The last-applied annotation: a JSON copy of the object, values included.
    LastApplied,
    /// A map or list that may contain either of the above.
    Container,
    /// Nothing secret can be below.
    Clear,
}

/// The legs of an audit, as masks name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leg {
    Desired,
    LastApplied,
    Live,
}

impl Leg {
    fn name(self) -> &'static str {
        match self {
            Leg::Desired => "desired",
            Leg::LastApplied => "last-applied",
            Leg::Live => "live",
        }
    }
}

/// What a mask says about the other legs: in a field's three values, both
/// equality and difference; in a whole object shown as a diff against
/// another, only difference (equal values must mask to equal text there, or
/// the diff would show a change that is not one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wording {
    SameAndDiffers,
    DiffersOnly,
}

/// Where the secrets of one object are.
struct SecretParts {
    /// The object is a Secret: its `data` and `stringData` values.
    is_secret: bool,
    /// Fields filled from a looked-up Secret, as pointer segments.
    fields: Vec<Vec<String>>,
}

/// The audit with every secret value masked, or the audit itself when
/// `show_secrets` is set or it holds nothing secret.
pub(super) fn mask_audit(audit: &Audit, show_secrets: bool) -> Cow<'_, Audit> {
    if show_secrets || !audit.objects.iter().any(has_secrets) {
        return Cow::Borrowed(audit);
    }
    let mut masked = audit.clone();
    for object in masked.objects.iter_mut().filter(|o| has_secrets(o)) {
        mask_object(object);
    }
    Cow::Owned(masked)
}

fn has_secrets(object: &AuditedObject) -> bool {
    is_secret(&object.reference) || !object.secret_fields.is_empty()
}

fn is_secret(reference: &ObjectRef) -> bool {
    reference.group.is_empty() && reference.kind == SECRET_KIND
}

fn mask_object(object: &mut AuditedObject) {
    let is_secret = is_secret(&object.reference);
    let desired = object.desired.as_ref().map(|m| m.0.clone());
    let live = object.live.as_ref().map(|m| m.0.clone());
    // Looked-up values sit at Git's list indices in Git's object, at the paired
    // items' indices in the live one; a field's path may use either.
    let in_desired: Vec<Vec<String>> = object.secret_fields.iter().map(|p| p.segments().to_vec()).collect();
    let in_live: Vec<Vec<String>> = match (&desired, &live) {
        (Some(desired), Some(live)) => {
            object.secret_fields.iter().filter_map(|p| live_indices(p, desired, live)).collect()
        }
        _ => Vec::new(),
    };
    let in_fields = SecretParts { is_secret, fields: [in_desired.clone(), in_live.clone()].concat() };
    if let Some(manifest) = object.desired.as_mut() {
        let others = [(Leg::Live, live.as_ref())];
        let parts = SecretParts { is_secret, fields: in_desired };
        parts.mask_below(&mut Vec::new(), &mut manifest.0, &others, Wording::DiffersOnly);
    }
    if let Some(manifest) = object.live.as_mut() {
        let others = [(Leg::Desired, desired.as_ref())];
        let parts = SecretParts { is_secret, fields: in_live };
        parts.mask_below(&mut Vec::new(), &mut manifest.0, &others, Wording::DiffersOnly);
    }
    for field in &mut object.diff.fields {
        let legs = [
            (Leg::Desired, field.desired.clone()),
            (Leg::LastApplied, field.last_applied.clone()),
            (Leg::Live, field.live.clone()),
        ];
        let values = [&mut field.desired, &mut field.last_applied, &mut field.live];
        for (index, value) in values.into_iter().enumerate() {
            let Some(value) = value.as_mut() else { continue };
            let others: Vec<(Leg, Option<&Value>)> =
                legs.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, (leg, v))| (*leg, v.as_ref())).collect();
            in_fields.mask_below(&mut field.path.segments().to_vec(), value, &others, Wording::SameAndDiffers);
        }
    }
}

impl SecretParts {
    fn locate(&self, location: &[String]) -> Location {
        let segments: Vec<&str> = location.iter().map(String::as_str).collect();
        match segments.as_slice() {
            ["data", _, ..] if self.is_secret => return Location::SecretValue(Encoding::Base64),
            ["stringData", _, ..] if self.is_secret => return Location::SecretValue(Encoding::Text),
            ["metadata", "annotations", LAST_APPLIED_ANNOTATION, ..] => return Location::LastApplied,
            [] | ["metadata"] | ["metadata", "annotations"] => return Location::Container,
            ["data"] | ["stringData"] if self.is_secret => return Location::Container,
            _ => {}
        }
        if self.fields.iter().any(|field| location.starts_with(field)) {
            Location::SecretValue(Encoding::Text)
        } else if self.fields.iter().any(|field| field.starts_with(location)) {
            Location::Container
        } else {
            Location::Clear
        }
    }

    /// Masks everything secret in `value`, which sits at `location` (pointer
    /// segments); `others` are the other legs' values at the same place.
    fn mask_below(
        &self,
        location: &mut Vec<String>,
        value: &mut Value,
        others: &[(Leg, Option<&Value>)],
        wording: Wording,
    ) {
        match self.locate(location) {
            Location::SecretValue(encoding) => {
                if !value.is_null() {
                    *value = mask_value(value, encoding, others, wording);
                }
            }
            Location::LastApplied => self.mask_last_applied(value),
            Location::Clear => {}
            Location::Container => match value {
                Value::Object(map) => {
                    for (key, child) in map.iter_mut() {
                        let below: Vec<_> = others.iter().map(|(leg, v)| (*leg, v.and_then(|v| v.get(key)))).collect();
                        location.push(key.clone());
                        self.mask_below(location, child, &below, wording);
                        location.pop();
                    }
                }
                Value::Array(items) => {
                    let originals = items.clone();
                    for (index, child) in items.iter_mut().enumerate() {
                        let below: Vec<_> =
                            others.iter().map(|(leg, v)| (*leg, paired_item(&originals, index, *v))).collect();
                        location.push(index.to_string());
                        self.mask_below(location, child, &below, wording);
                        location.pop();
                    }
                }
                _ => {}
            },
        }
    }

    /// The annotation is JSON text of the whole object: mask inside it and
    /// keep the rest readable. Text that is not JSON is hidden whole, since
    /// nothing says which part of it is secret.
    fn mask_last_applied(&self, value: &mut Value) {
        let Value::String(text) = value else {
            if !value.is_null() {
                *value = mask_value(value, Encoding::Text, &[], Wording::DiffersOnly);
            }
            return;
        };
        match serde_json::from_str::<Value>(text) {
            Ok(mut applied) => {
                self.mask_below(&mut Vec::new(), &mut applied, &[], Wording::DiffersOnly);
                // kubectl writes compact JSON ending in a newline; keep that shape.
                let newline = if text.ends_with('\n') { "\n" } else { "" };
                *text = format!("{applied}{newline}");
            }
            Err(_) => *value = mask_value(value, Encoding::Text, &[], Wording::DiffersOnly),
        }
    }
}

/// The item of `other` (a list) that the audit pairs with `items[index]`: by an
/// identifying field when both lists have one, else by position.
fn paired_item<'v>(items: &[Value], index: usize, other: Option<&'v Value>) -> Option<&'v Value> {
    let other = other?.as_array()?;
    match element_key(items, other) {
        Some(key) => other.iter().find(|o| o.get(key) == items[index].get(key)),
        None => other.get(index),
    }
}

/// `pointer` into `desired`, with each list index replaced by the index of the
/// live item paired with it; `None` when the live object has no such item.
fn live_indices(pointer: &Pointer, desired: &Value, live: &Value) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let (mut d, mut l) = (desired, live);
    for segment in pointer.segments() {
        match (d, l) {
            (Value::Array(d_items), Value::Array(l_items)) => {
                let index: usize = segment.parse().ok()?;
                let item = d_items.get(index)?;
                let live_index = match element_key(d_items, l_items) {
                    Some(key) => l_items.iter().position(|o| o.get(key) == item.get(key))?,
                    None => index,
                };
                segments.push(live_index.to_string());
                (d, l) = (item, l_items.get(live_index)?);
            }
            _ => {
                segments.push(segment.clone());
                (d, l) = (d.get(segment)?, l.get(segment)?);
            }
        }
    }
    Some(segments)
}

/// The mask of one value: which of `others` it equals and which it differs from.
fn mask_value(value: &Value, encoding: Encoding, others: &[(Leg, Option<&Value>)], wording: Wording) -> Value {
    let mine = secret_bytes(value, encoding);
    let (mut same, mut differs) = (Vec::new(), Vec::new());
    for (leg, other) in others {
        match other.filter(|o| !o.is_null()) {
            Some(other) if secret_bytes(other, encoding) == mine => same.push(leg.name()),
            Some(_) => differs.push(leg.name()),
            None => {}
        }
    }
    let mut said = Vec::new();
    if !differs.is_empty() {
        said.push(format!("differs from {}", differs.join(" and ")));
    }
    if wording == Wording::SameAndDiffers && !same.is_empty() {
        said.push(format!("same as {}", same.join(" and ")));
    }
    if said.is_empty() {
        Value::String("<secret>".into())
    } else {
        Value::String(format!("<secret: {}>", said.join(", ")))
    }
}

/// The bytes a value stands for: `data` values decoded (text that is not
/// base64 as it is), anything that is not a string as its JSON text.
fn secret_bytes(value: &Value, encoding: Encoding) -> Vec<u8> {
    match (value, encoding) {
        (Value::String(text), Encoding::Base64) => STANDARD.decode(text).unwrap_or_else(|_| text.as_bytes().to_vec()),
        (Value::String(text), Encoding::Text) => text.as_bytes().to_vec(),
        (other, _) => other.to_string().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diff::{AuditedObject, FieldClass, FieldDiff, ObjectClass, ObjectDiff};
    use crate::object::Manifest;
    use crate::object::Pointer;

    fn audited(kind: &str, desired: Value, live: Value, fields: Vec<FieldDiff>) -> AuditedObject {
        let desired = Manifest(desired);
        AuditedObject {
            reference: ObjectRef::new("v1", kind, Some("web"), "creds"),
            api_version: "v1".into(),
            origin: None,
            diff: ObjectDiff { class: ObjectClass::Modified, fields },
            error: None,
            desired: Some(desired),
            live: Some(Manifest(live)),
            release: None,
            secret_fields: Vec::new(),
        }
    }

    fn field(path: &str, desired: Value, live: Value) -> FieldDiff {
        FieldDiff {
            path: Pointer::parse(path).unwrap(),
            class: FieldClass::Drift,
            desired: Some(desired.clone()),
            last_applied: Some(desired),
            live: Some(live),
            changed_by: None,
        }
    }

    fn audit_of(objects: Vec<AuditedObject>) -> Audit {
        Audit { source: "git".into(), objects, ignored: vec![], report_only: vec![] }
    }

    #[test]
    fn a_mask_says_which_legs_are_equal_and_nothing_of_the_bytes() {
        let live = [(Leg::Live, Some(&json!("aHVudGVyMw=="))), (Leg::LastApplied, Some(&json!("aHVudGVyMg==")))];
        let masked = mask_value(&json!("aHVudGVyMg=="), Encoding::Base64, &live, Wording::SameAndDiffers);
        assert_eq!(masked, json!("<secret: differs from live, same as last-applied>"));
        assert_eq!(
            mask_value(&json!("aHVudGVyMg=="), Encoding::Base64, &[], Wording::SameAndDiffers),
            json!("<secret>")
        );
        // No length and no digest: a 1-byte value and a 1000-byte value mask alike.
        let long = json!("x".repeat(1000));
        assert_eq!(mask_value(&json!("x"), Encoding::Text, &[], Wording::DiffersOnly), json!("<secret>"));
        assert_eq!(mask_value(&long, Encoding::Text, &[], Wording::DiffersOnly), json!("<secret>"));
        // `data` compares decoded bytes, so base64 and the text it encodes are the same value.
        let text = [(Leg::Desired, Some(&json!("hunter2"))), (Leg::Live, None)];
        let masked = mask_value(&json!("aHVudGVyMg=="), Encoding::Base64, &text, Wording::SameAndDiffers);
        assert_eq!(masked, json!("<secret: same as desired>"));
        let both = [(Leg::Desired, Some(&json!("a"))), (Leg::LastApplied, Some(&json!("b")))];
        let masked = mask_value(&json!("c"), Encoding::Text, &both, Wording::DiffersOnly);
        assert_eq!(masked, json!("<secret: differs from desired and last-applied>"));
    }

    #[test]
    fn secret_values_are_masked_in_objects_and_field_diffs() {
        let desired = json!({"kind": "Secret", "metadata": {"name": "creds"}, "data": {"password": "aHVudGVyMg=="}});
        let live = json!({"kind": "Secret", "metadata": {"name": "creds"},
            "data": {"password": "aHVudGVyMw==", "user": "YWRtaW4="}, "type": "Opaque"});
        let fields = vec![
            field("/data/password", json!("aHVudGVyMg=="), json!("aHVudGVyMw==")),
            field("/data", json!({"password": "aHVudGVyMg=="}), json!({"password": "aHVudGVyMw=="})),
            field("/type", json!("Opaque"), json!("kubernetes.io/basic-auth")),
        ];
        let audit = audit_of(vec![audited("Secret", desired, live, fields)]);
        let masked = mask_audit(&audit, false);
        let text = format!("{masked:?}");
        for secret in ["aHVudGVyMg==", "aHVudGVyMw==", "YWRtaW4=", "hunter", "bytes", "sha256"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        let object = &masked.objects[0];
        assert_eq!(object.live.as_ref().unwrap().0["type"], json!("Opaque"), "non-secret fields stay readable");
        let password = &object.diff.fields[0];
        assert_eq!(password.desired, Some(json!("<secret: differs from live, same as last-applied>")));
        assert_eq!(password.last_applied, Some(json!("<secret: differs from live, same as desired>")));
        assert_eq!(password.live, Some(json!("<secret: differs from desired and last-applied>")));
        assert_eq!(
            object.diff.fields[1].desired,
            Some(json!({"password": "<secret: differs from live, same as last-applied>"}))
        );
        assert_eq!(object.diff.fields[2].live, Some(json!("kubernetes.io/basic-auth")));
        // The whole objects (shown as a diff) say only where they differ.
        assert_eq!(object.desired.as_ref().unwrap().0["data"]["password"], json!("<secret: differs from live>"));
        assert_eq!(object.live.as_ref().unwrap().0["data"]["password"], json!("<secret: differs from desired>"));
        assert_eq!(object.live.as_ref().unwrap().0["data"]["user"], json!("<secret>"));
    }

    #[test]
    fn equal_values_mask_alike_in_whole_objects() {
        let desired = json!({"data": {"password": "aHVudGVyMg=="}});
        let live = json!({"data": {"password": "aHVudGVyMg=="}});
        let audit = audit_of(vec![audited("Secret", desired, live, vec![])]);
        let masked = mask_audit(&audit, false);
        let object = &masked.objects[0];
        assert_eq!(object.desired.as_ref().unwrap().0, object.live.as_ref().unwrap().0);
        assert_eq!(object.desired.as_ref().unwrap().0["data"]["password"], json!("<secret>"));
    }

    #[test]
    fn last_applied_annotation_is_masked_inside_and_stays_json() {
        let applied = "{\"apiVersion\":\"v1\",\"data\":{\"password\":\"aHVudGVyMg==\"},\"kind\":\"Secret\"}\n";
        let live = json!({"metadata": {"annotations": {LAST_APPLIED_ANNOTATION: applied, "team": "web"}}});
        let fields = vec![field(
            "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
            json!(applied),
            json!("not json aHVudGVyMg=="),
        )];
        let audit = audit_of(vec![audited("Secret", json!({}), live, fields)]);
        let masked = mask_audit(&audit, false);
        let object = &masked.objects[0];
        let annotation = object.live.as_ref().unwrap().0["metadata"]["annotations"][LAST_APPLIED_ANNOTATION].clone();
        let annotation = annotation.as_str().unwrap();
        assert!(annotation.ends_with('\n'));
        let parsed: Value = serde_json::from_str(annotation).unwrap();
        assert_eq!(parsed["data"]["password"], json!("<secret>"));
        assert_eq!(parsed["kind"], json!("Secret"));
        assert_eq!(object.live.as_ref().unwrap().0["metadata"]["annotations"]["team"], json!("web"));
        assert!(!format!("{masked:?}").contains("aHVudGVyMg=="), "unparseable annotation text is hidden whole");
    }

    #[test]
    fn fields_filled_from_a_looked_up_secret_are_masked_in_any_kind() {
        // Git lists the env in another order than the cluster: the live item is found by name.
        let desired = json!({"kind": "Deployment", "spec": {"env": [
            {"name": "PASSWORD", "value": "hunter2"}, {"name": "MODE", "value": "fast"}]},
            "data": {"url": "postgres://app:hunter2@db"}});
        let live = json!({"kind": "Deployment", "spec": {"env": [
            {"name": "MODE", "value": "fast"}, {"name": "PASSWORD", "value": "hunter3"}]},
            "data": {"url": "postgres://app:hunter2@db"}});
        let fields = vec![field("/spec/env/1/value", json!("hunter2"), json!("hunter3"))];
        let mut object = audited("Deployment", desired, live, fields);
        object.reference.group = "apps".into();
        object.secret_fields = vec![Pointer::parse("/spec/env/0/value").unwrap(), Pointer::parse("/data/url").unwrap()];
        let audit = audit_of(vec![object]);
        let masked = mask_audit(&audit, false);
        let text = format!("{masked:?}");
        assert!(!text.contains("hunter"), "{text}");
        let object = &masked.objects[0];
        let (desired, live) = (&object.desired.as_ref().unwrap().0, &object.live.as_ref().unwrap().0);
        assert_eq!(desired["spec"]["env"][0]["value"], json!("<secret: differs from live>"));
        assert_eq!(live["spec"]["env"][1]["value"], json!("<secret: differs from desired>"));
        assert_eq!(live["spec"]["env"][0]["value"], json!("fast"));
        assert_eq!((&desired["data"]["url"], &live["data"]["url"]), (&json!("<secret>"), &json!("<secret>")));
        assert_eq!(object.diff.fields[0].live, Some(json!("<secret: differs from desired and last-applied>")));
    }

    #[test]
    fn other_kinds_and_show_secrets_are_left_alone() {
        let config = json!({"data": {"password": "aHVudGVyMg=="}});
        let audit = audit_of(vec![audited("ConfigMap", config.clone(), config.clone(), vec![])]);
        assert!(matches!(mask_audit(&audit, false), Cow::Borrowed(_)));
        let secret = audit_of(vec![audited("Secret", config.clone(), config, vec![])]);
        let shown = mask_audit(&secret, true);
        assert!(format!("{shown:?}").contains("aHVudGVyMg=="));
        let mut other_group = secret.clone();
        other_group.objects[0].reference.group = "example.com".into();
        assert!(matches!(mask_audit(&other_group, false), Cow::Borrowed(_)));
    }
}

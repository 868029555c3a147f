//! Secret masking: the single place that decides which values of a Secret
//! are hidden and how a hidden value looks. Every format receives an audit
//! that has already passed through [`mask_audit`].
//!
//! A masked value keeps its length and a short SHA-256 prefix of its bytes
//! (`<secret: 12 bytes, sha256:ab12cd34>`), so equal values look equal and a
//! changed value looks changed, without printing it. `data` values are hashed
//! after base64 decoding, so a `stringData` entry and the `data` entry it
//! becomes mask to the same text. This module must not decide whether an
//! object is in sync: masking happens after the comparison, never before.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::diff::Audit;
use crate::object::ObjectRef;

/// The kind whose values are masked (core group).
pub const SECRET_KIND: &str = "Secret";

/// The annotation `kubectl apply` stores the applied object in, values included.
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Hex digits of the SHA-256 shown in a mask: enough to tell values apart at a glance.
const HASH_PREFIX_DIGITS: usize = 8;

/// How a Secret value is stored, which decides the bytes that are measured and hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// `data`: base64 of the bytes.
    Base64,
    /// `stringData`: the bytes as text.
    Text,
}

/// What a location inside a Secret holds.
enum Location {
    /// A value of `data` or `stringData`.
    SecretValue(Encoding),
    /// The last-applied annotation: a JSON copy of the Secret, values included.
    LastApplied,
    /// A map or list that may contain either of the above.
    Container,
    /// Nothing secret can be below.
    Clear,
}

/// The audit with every Secret value masked, or the audit itself when
/// `show_secrets` is set or it holds no Secret.
pub fn mask_audit(audit: &Audit, show_secrets: bool) -> Cow<'_, Audit> {
    if show_secrets || !audit.objects.iter().any(|o| is_secret(&o.reference)) {
        return Cow::Borrowed(audit);
    }
    let mut masked = audit.clone();
    for object in masked.objects.iter_mut().filter(|o| is_secret(&o.reference)) {
        for manifest in [object.desired.as_mut(), object.live.as_mut()].into_iter().flatten() {
            mask_below(&mut Vec::new(), &mut manifest.0);
        }
        for field in &mut object.diff.fields {
            for value in
                [field.desired.as_mut(), field.last_applied.as_mut(), field.live.as_mut()].into_iter().flatten()
            {
                mask_below(&mut field.path.segments().to_vec(), value);
            }
        }
    }
    Cow::Owned(masked)
}

/// The mask for one Secret `data` value (base64 text); a value that is not
/// valid base64 is measured as text.
pub fn mask_secret_value(value: &Value) -> Value {
    mask_value(value, Encoding::Base64)
}

fn is_secret(reference: &ObjectRef) -> bool {
    reference.group.is_empty() && reference.kind == SECRET_KIND
}

/// Masks everything secret in `value`, which sits at `location` (pointer segments) inside a Secret.
fn mask_below(location: &mut Vec<String>, value: &mut Value) {
    match locate(location) {
        Location::SecretValue(encoding) => {
            if !value.is_null() {
                *value = mask_value(value, encoding);
            }
        }
        Location::LastApplied => mask_last_applied(value),
        Location::Clear => {}
        Location::Container => match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    location.push(key.clone());
                    mask_below(location, child);
                    location.pop();
                }
            }
            // `data` is a map; a list here is malformed, but its items are still values to hide.
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    location.push(index.to_string());
                    mask_below(location, child);
                    location.pop();
                }
            }
            _ => {}
        },
    }
}

fn locate(location: &[String]) -> Location {
    let segments: Vec<&str> = location.iter().map(String::as_str).collect();
    match segments.as_slice() {
        ["data", _, ..] => Location::SecretValue(Encoding::Base64),
        ["stringData", _, ..] => Location::SecretValue(Encoding::Text),
        ["metadata", "annotations", LAST_APPLIED_ANNOTATION, ..] => Location::LastApplied,
        [] | ["data"] | ["stringData"] | ["metadata"] | ["metadata", "annotations"] => Location::Container,
        _ => Location::Clear,
    }
}

/// The annotation is JSON text of the whole Secret: mask inside it and keep
/// the rest readable. Text that is not JSON is hidden whole, since nothing
/// says which part of it is secret.
fn mask_last_applied(value: &mut Value) {
    let Value::String(text) = value else {
        if !value.is_null() {
            *value = mask_value(value, Encoding::Text);
        }
        return;
    };
    match serde_json::from_str::<Value>(text) {
        Ok(mut applied) => {
            mask_below(&mut Vec::new(), &mut applied);
            // kubectl writes compact JSON ending in a newline; keep that shape.
            let newline = if text.ends_with('\n') { "\n" } else { "" };
            *text = format!("{applied}{newline}");
        }
        Err(_) => *value = mask_value(value, Encoding::Text),
    }
}

fn mask_value(value: &Value, encoding: Encoding) -> Value {
    let text = match value {
        Value::String(text) => Cow::Borrowed(text.as_str()),
        other => Cow::Owned(other.to_string()),
    };
    let bytes = match encoding {
        Encoding::Base64 => STANDARD.decode(text.as_bytes()).unwrap_or_else(|_| text.as_bytes().to_vec()),
        Encoding::Text => text.as_bytes().to_vec(),
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    let unit = if bytes.len() == 1 { "byte" } else { "bytes" };
    Value::String(format!("<secret: {} {unit}, sha256:{}>", bytes.len(), &hex[..HASH_PREFIX_DIGITS]))
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
    fn mask_shows_length_and_hash_prefix_of_decoded_bytes() {
        // "hunter2" is 7 bytes; sha256("hunter2") = f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7.
        assert_eq!(mask_secret_value(&json!("aHVudGVyMg==")), json!("<secret: 7 bytes, sha256:f52fbd32>"));
        assert_eq!(mask_value(&json!("hunter2"), Encoding::Text), json!("<secret: 7 bytes, sha256:f52fbd32>"));
        // sha256("") = e3b0c442...
        assert_eq!(mask_secret_value(&json!("")), json!("<secret: 0 bytes, sha256:e3b0c442>"));
        assert_ne!(mask_secret_value(&json!("aHVudGVyMw==")), mask_secret_value(&json!("aHVudGVyMg==")));
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
        for secret in ["aHVudGVyMg==", "aHVudGVyMw==", "YWRtaW4="] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        let object = &masked.objects[0];
        assert_eq!(object.live.as_ref().unwrap().0["type"], json!("Opaque"), "non-secret fields stay readable");
        assert_eq!(object.diff.fields[0].desired, Some(json!("<secret: 7 bytes, sha256:f52fbd32>")));
        assert_eq!(object.diff.fields[1].desired, Some(json!({"password": "<secret: 7 bytes, sha256:f52fbd32>"})));
        assert_eq!(object.diff.fields[2].live, Some(json!("kubernetes.io/basic-auth")));
        assert_eq!(
            object.desired.as_ref().unwrap().0["data"]["password"],
            object.diff.fields[0].desired.clone().unwrap()
        );
    }

    #[test]
    fn string_data_and_data_of_the_same_value_mask_alike() {
        let desired = json!({"stringData": {"password": "hunter2"}});
        let live = json!({"data": {"password": "aHVudGVyMg=="}});
        let audit = audit_of(vec![audited("Secret", desired, live, vec![])]);
        let masked = mask_audit(&audit, false);
        let object = &masked.objects[0];
        assert_eq!(
            object.desired.as_ref().unwrap().0["stringData"]["password"],
            object.live.as_ref().unwrap().0["data"]["password"]
        );
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
        assert_eq!(parsed["data"]["password"], json!("<secret: 7 bytes, sha256:f52fbd32>"));
        assert_eq!(parsed["kind"], json!("Secret"));
        assert_eq!(object.live.as_ref().unwrap().0["metadata"]["annotations"]["team"], json!("web"));
        assert!(!format!("{masked:?}").contains("aHVudGVyMg=="), "unparseable annotation text is hidden whole");
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

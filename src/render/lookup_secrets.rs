//! Values a chart read from a cluster Secret with `lookup`
//! (`(lookup "v1" "Secret" ns name).data.password`) are as secret as the
//! Secret itself, wherever the chart puts them (a ConfigMap, an env value).
//! While a chart renders, [`RecordingLookup`] keeps every value the cluster's
//! Secrets returned; afterwards [`mark_secret_fields`] lists, per rendered
//! object, the fields whose text carries one of them — as it is (base64), as
//! its decoded bytes, or inside a base64 text — so reports mask them.
//!
//! This module only records and matches: it must not change a rendered
//! object nor answer a lookup itself.

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::object::{DesiredObject, Pointer, group_of};
use crate::template::Lookup;

/// Shorter values are matched only when they are a field's whole text:
/// inside longer text, one- to three-character values would match nearly everything.
const MIN_EMBEDDED_LEN: usize = 4;

/// A [`Lookup`] that answers through another and remembers the values of every Secret it returned.
pub(super) struct RecordingLookup {
    inner: Rc<dyn Lookup>,
    values: RefCell<Vec<String>>,
}

impl RecordingLookup {
    /// Records what `inner` answers.
    pub(super) fn new(inner: Rc<dyn Lookup>) -> Self {
        RecordingLookup { inner, values: RefCell::new(Vec::new()) }
    }

    /// The Secret values seen so far: each `data` value as stored (base64) and
    /// decoded (when it is text), and each `stringData` value.
    pub(super) fn secret_values(&self) -> Vec<String> {
        self.values.borrow().clone()
    }
}

impl Lookup for RecordingLookup {
    fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Result<Value, String> {
        let found = self.inner.lookup(api_version, kind, namespace, name)?;
        if group_of(api_version).is_empty() && kind.eq_ignore_ascii_case("secret") {
            let mut values = self.values.borrow_mut();
            // One Secret, or with an empty name a list of them.
            let secrets =
                found.get("items").and_then(Value::as_array).map_or(std::slice::from_ref(&found), Vec::as_slice);
            for secret in secrets {
                record(secret, &mut values);
            }
        }
        Ok(found)
    }
}

fn record(secret: &Value, values: &mut Vec<String>) {
    let texts =
        |key: &str| secret.get(key).and_then(Value::as_object).into_iter().flatten().filter_map(|(_, v)| v.as_str());
    for encoded in texts("data") {
        values.push(encoded.to_string());
        if let Some(decoded) = STANDARD.decode(encoded).ok().and_then(|b| String::from_utf8(b).ok()) {
            values.push(decoded);
        }
    }
    values.extend(texts("stringData").map(str::to_string));
    values.retain(|v| !v.is_empty());
    values.sort();
    values.dedup();
}

/// Sets each object's `secret_fields` to the string fields that carry one of `values`.
pub(super) fn mark_secret_fields(objects: &mut [DesiredObject], values: &[String]) {
    if values.is_empty() {
        return;
    }
    for object in objects {
        let mut found = Vec::new();
        collect(&Pointer::root(), &object.manifest.0, values, &mut found);
        object.secret_fields = found;
    }
}

fn collect(path: &Pointer, value: &Value, secrets: &[String], found: &mut Vec<Pointer>) {
    match value {
        Value::String(text) if carries_secret(text, secrets) => found.push(path.clone()),
        Value::Object(map) => {
            for (key, child) in map {
                collect(&path.child(key.as_str()), child, secrets, found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect(&path.child(index.to_string()), child, secrets, found);
            }
        }
        _ => {}
    }
}

fn carries_secret(text: &str, secrets: &[String]) -> bool {
    let holds = |text: &str| {
        secrets
            .iter()
            .any(|secret| text == secret || (secret.len() >= MIN_EMBEDDED_LEN && text.contains(secret.as_str())))
    };
    holds(text) || STANDARD.decode(text.trim()).ok().and_then(|b| String::from_utf8(b).ok()).is_some_and(|d| holds(&d))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::{Manifest, Origin, Unit};
    use crate::template::OfflineLookup;

    struct OneSecret;

    impl Lookup for OneSecret {
        fn lookup(&self, _: &str, kind: &str, _: &str, name: &str) -> Result<Value, String> {
            let secret = json!({"kind": kind, "data": {"password": "aHVudGVyMg==", "empty": ""}});
            Ok(if name.is_empty() { json!({"items": [secret]}) } else { secret })
        }
    }

    #[test]
    fn secret_values_are_recorded_encoded_and_decoded() {
        let recorder = RecordingLookup::new(Rc::new(OneSecret));
        recorder.lookup("v1", "ConfigMap", "web", "c").unwrap();
        assert!(recorder.secret_values().is_empty(), "other kinds are not secret");
        recorder.lookup("v1", "Secret", "web", "").unwrap();
        assert_eq!(recorder.secret_values(), ["aHVudGVyMg==", "hunter2"]);
        assert!(RecordingLookup::new(Rc::new(OfflineLookup)).lookup("v1", "Secret", "web", "db").is_ok());
    }

    #[test]
    fn fields_carrying_a_secret_value_are_marked() {
        let manifest = json!({"kind": "ConfigMap", "metadata": {"name": "creds"},
            "data": {"plain": "hunter2", "encoded": "aHVudGVyMg==", "url": "postgres://app:hunter2@db",
                "wrapped": "cGFzcz1odW50ZXIy", "other": "hunter3", "count": "7"},
            "spec": {"env": [{"name": "A", "value": "x"}, {"name": "PW", "value": "hunter2"}]}});
        let mut objects =
            vec![DesiredObject::new(Manifest(manifest), Origin { file: "t.yaml".into(), line: 0, unit: Unit::Plain })];
        mark_secret_fields(&mut objects, &["aHVudGVyMg==".into(), "hunter2".into()]);
        let marked: Vec<String> = objects[0].secret_fields.iter().map(ToString::to_string).collect();
        assert_eq!(marked, ["/data/plain", "/data/encoded", "/data/url", "/data/wrapped", "/spec/env/1/value"]);
    }
}

//! The last-applied leg: what the deployment system applied last. Here, the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation that
//! `kubectl apply` (client-side) writes.

use crate::object::{LAST_APPLIED_ANNOTATION, Manifest};

/// Reads the last-applied state recorded on a live object, if any.
/// A malformed annotation is an error: it must not silently become "unknown".
pub fn last_applied_annotation(live: &Manifest) -> Result<Option<Manifest>, String> {
    let Some(text) = live.annotation(LAST_APPLIED_ANNOTATION) else { return Ok(None) };
    serde_json::from_str(text)
        .map(|value| Some(Manifest(value)))
        .map_err(|e| format!("annotation {LAST_APPLIED_ANNOTATION} is not valid JSON: {e}"))
}

//! `replacements`: copy a value from one object's field into fields of other objects.

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::kustomization::ReplacementEntry;
use super::loader::Loader;
use super::resmap::ResMap;

/// Applies every replacement, in order.
pub fn apply(_resources: &mut ResMap, entries: &[ReplacementEntry], loader: &Loader) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let _ = Value::Null;
    Err(KustomizeError::Unsupported {
        path: loader.kustomization_path.clone(),
        feature: "replacements".into(),
        hint: "not rendered yet".into(),
    })
}

//! Legacy `vars`: `$(NAME)` in the configured fields is replaced by a field of a named object.

use std::path::Path;

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::kustomization::VarEntry;
use super::resmap::ResMap;

/// Substitutes every var.
pub fn resolve(_resources: &mut ResMap, vars: &[VarEntry], _fields: &[FieldSpec], path: &Path) -> Result<()> {
    if vars.is_empty() {
        return Ok(());
    }
    Err(KustomizeError::Unsupported {
        path: path.to_path_buf(),
        feature: "vars".into(),
        hint: "not rendered yet".into(),
    })
}

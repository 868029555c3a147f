//! Reading YAML text into values the way kustomize (kyaml) reads it — go-yaml v3 scalar
//! resolution, so `yes` stays a string and `0755` is 493 — and writing built objects the
//! way `kustomize build` prints them. Both go through `crate::yaml`; this file only adds
//! kustomize's own quirk: `metadata.annotations` values keep the text they were written as.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::{KustomizeError, Result};
use crate::yaml::{self, Dialect, Node};

/// Every document of a multi-document stream; empty documents come back as `Null`.
pub fn parse_documents(text: &str, path: &Path) -> Result<Vec<Value>> {
    let to_error = |err: yaml::YamlError| KustomizeError::Yaml {
        path: path.to_path_buf(),
        line: err.line(),
        message: err.to_string(),
    };
    let nodes = yaml::parse_nodes(text).map_err(to_error)?;
    let mut documents = Vec::with_capacity(nodes.len());
    for node in nodes {
        if node.as_scalar() == Some("") {
            documents.push(Value::Null);
            continue;
        }
        let mut value = node.to_json(Dialect::Yaml12).map_err(to_error)?;
        keep_annotation_text(&node, &mut value);
        documents.push(value);
    }
    Ok(documents)
}

/// A file that must hold at most one document.
pub fn parse_single(text: &str, path: &Path) -> Result<Value> {
    let mut documents = parse_documents(text, path)?;
    documents.retain(|d| !d.is_null());
    match documents.len() {
        0 => Ok(Value::Null),
        1 => Ok(documents.remove(0)),
        n => Err(KustomizeError::Yaml {
            path: path.to_path_buf(),
            line: 0,
            message: format!("expected one YAML document, found {n}"),
        }),
    }
}

/// kustomize rewrites annotation values as the scalar text written in the file.
fn keep_annotation_text(node: &Node, value: &mut Value) {
    let Some(annotations) = node.get_path(&["metadata", "annotations"]) else { return };
    let Some(Value::Object(target)) = value.get_mut("metadata").and_then(|m| m.get_mut("annotations")) else {
        return;
    };
    for (key, field) in annotations.entries() {
        if let (Some(key), Some(text)) = (key.as_scalar(), field.as_scalar())
            && let Some(slot) = target.get_mut(key)
        {
            *slot = Value::String(text.to_string());
        }
    }
}

/// The build output: each object as sigs.k8s.io/yaml prints it, separated by `---`.
pub fn print_objects(objects: &[Map<String, Value>]) -> String {
    let mut out = String::new();
    for (i, object) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&yaml::marshal_yaml(&Value::Object(object.clone())));
    }
    out
}

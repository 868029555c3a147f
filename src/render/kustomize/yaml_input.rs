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
    parse_documents_in(text, path, Dialect::Yaml12)
}

fn parse_documents_in(text: &str, path: &Path, dialect: Dialect) -> Result<Vec<Value>> {
    Ok(parse_lined_documents(text, path, dialect)?.into_iter().map(|(_, value)| value).collect())
}

/// Every document with the 1-based line where its content starts.
fn parse_lined_documents(text: &str, path: &Path, dialect: Dialect) -> Result<Vec<(usize, Value)>> {
    let to_error = |err: yaml::YamlError| KustomizeError::Yaml {
        path: path.to_path_buf(),
        line: err.line(),
        message: go_yaml_message(&err),
    };
    let nodes = yaml::parse_nodes(text).map_err(to_error)?;
    let mut documents = Vec::with_capacity(nodes.len());
    for node in nodes {
        if node.as_scalar() == Some("") {
            documents.push((node.line, Value::Null));
            continue;
        }
        let mut value = node.to_json(dialect).map_err(to_error)?;
        keep_annotation_text(&node, &mut value);
        documents.push((node.line, value));
    }
    Ok(documents)
}

/// A `resources:` file's documents; YAML syntax errors come back as kustomize reports them
/// (`MalformedYAMLError: yaml: line N: ... in File: ENTRY`).
/// Each document comes with the line where it starts.
pub fn parse_resource_documents(text: &str, path: &Path, entry: &str) -> Result<Vec<(usize, Value)>> {
    parse_lined_documents(text, path, Dialect::Yaml12).map_err(|err| match err {
        KustomizeError::Yaml { message, .. } if message.starts_with("yaml: ") => {
            KustomizeError::MalformedYaml { path: path.to_path_buf(), entry: entry.to_string(), message }
        }
        other => other,
    })
}

/// A YAML error as go-yaml words it: `yaml: line N: problem`. go-yaml shows a scanner
/// problem's 0-based line plus one, a parser problem's 0-based line as it is, and no line
/// when that is 0. (go-yaml v3 prefers the mark where the enclosing construct started,
/// which driftctl's parser does not report; for parser problems inside an unclosed flow
/// collection the line can differ.)
pub fn go_yaml_message(error: &yaml::YamlError) -> String {
    let yaml::YamlError::Syntax { line, problem, .. } = error else {
        return error.to_string();
    };
    let zero_based = line.saturating_sub(1);
    let reported_by_parser =
        problem.starts_with("did not find expected ") && !problem.ends_with("comment or line break");
    let shown = if reported_by_parser { zero_based } else { zero_based + 1 };
    if zero_based == 0 { format!("yaml: {problem}") } else { format!("yaml: line {shown}: {problem}") }
}

/// A file that must hold at most one document.
pub fn parse_single(text: &str, path: &Path) -> Result<Value> {
    single(parse_documents(text, path)?, path)
}

/// A kustomization or transformer configuration file: kustomize reads those with
/// sigs.k8s.io/yaml (go-yaml v2), so YAML 1.1 scalars apply (`yes` is true) and a repeated
/// key silently replaces the earlier one.
pub fn parse_config_file(text: &str, path: &Path) -> Result<Value> {
    single(parse_documents_in(text, path, Dialect::Yaml11)?, path)
}

fn single(mut documents: Vec<Value>, path: &Path) -> Result<Value> {
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

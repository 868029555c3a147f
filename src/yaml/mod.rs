//! The YAML layer: every YAML byte driftctl reads or writes goes through here.
//!
//! Kubernetes tools read YAML with go-yaml and write it with go-yaml's
//! emitter, and driftctl must agree with them byte for byte (rendered text is
//! hashed into checksum annotations; desired objects are compared field by
//! field). So this module reproduces them rather than using a generic YAML
//! crate:
//!
//! - **Reading** uses `libyaml-rs`, a transpile of libyaml — the C library
//!   go-yaml is a line-by-line port of — so tokenizing, error positions and
//!   scalar styles are the ones Go sees (`saphyr-parser` is a different
//!   implementation with its own edge cases). `parser` is the only `unsafe`
//!   code; `resolve` holds the single scalar-resolution table for go-yaml v2
//!   (YAML 1.1: `yes`/`on` are booleans, used by sigs.k8s.io/yaml, kubectl,
//!   Helm) and go-yaml v3 (kyaml, kustomize); `decode` turns trees into JSON.
//! - **Trees** ([`Node`]) keep styles, tags, key order and positions, with
//!   get/set by path, for tools that edit documents (kustomize).
//!
//! Entry points:
//!
//! - [`parse_documents`]: manifests as Kubernetes reads them (one
//!   `serde_json::Value` per document, with its first line).
//! - [`parse_nodes`] + [`Node::to_json`]: the editable tree, converted with a
//!   [`Dialect`] (`Yaml11` for kubectl/Helm semantics, `Yaml12` for kyaml).
//!
//! This module must not know about Kubernetes objects, charts or overlays.

mod decode;
mod emit;
mod error;
mod gofloat;
mod gojson;
mod marshal;
mod node;
mod parser;
mod resolve;

pub use error::YamlError;
pub use gojson::{GoJsonOptions, to_json_go};
pub use marshal::{marshal_yaml, to_yaml_helm};
pub use node::{Node, NodeValue, parse_nodes};
pub use parser::ScalarStyle;
pub use resolve::{Dialect, Scalar, resolve_plain};

use serde_json::Value;

/// One document of a YAML stream, decoded as Kubernetes decodes manifests.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 1-based line of the document's first content (its root node).
    pub line: usize,
    /// The document as JSON; `Value::Null` for an empty document.
    pub value: Value,
}

/// Reads a YAML (or JSON) stream the way sigs.k8s.io/yaml — and so kubectl
/// and the API machinery — reads manifests: go-yaml v2 scalar resolution
/// (YAML 1.1), then JSON. Keys keep their order. Empty documents come back as
/// `Value::Null` so callers can skip them.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, YamlError> {
    parse_nodes(text)?
        .into_iter()
        .map(|root| Ok(Document { line: root.line, value: root.to_json(Dialect::Yaml11)? }))
        .collect()
}

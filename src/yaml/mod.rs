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
//!   `stream` cuts manifest files into documents the way kubectl does.
//! - **Trees** ([`Node`]) keep styles, tags, key order and positions, with
//!   get/set by path, for tools that edit documents (kustomize).
//! - **Writing** is our own emitter (`emit`) reproducing go-yaml's, v2 and v3
//!   generations (libyaml's emitter with go-yaml's printable set and quirks;
//!   the transpiled libyaml emitter differs on characters above U+FFFF, on
//!   line separators in single quotes and on `...` after `|+`), fed with
//!   go-yaml's style decisions (`marshal`); `gojson` writes JSON the way Go's
//!   `encoding/json` does; `gofloat` formats floats as Go's `strconv` does.
//!
//! Entry points:
//!
//! - [`parse_documents`]: manifests as Kubernetes reads them (one
//!   `serde_json::Value` per document, with the line of its first content).
//! - [`to_yaml_helm`], [`to_yaml_pretty_helm`], [`to_json_go`] with
//!   [`GoJsonOptions`]: Helm's `toYaml`, `toYamlPretty`, `toJson`,
//!   `toPrettyJson`, `toRawJson`, byte for byte. Pass `.Values` numbers as
//!   f64 and template integers as i64: `toYamlPretty` prints them differently.
//! - [`from_yaml_helm`]: Helm's `fromYaml` reading (first document, float64 numbers).
//! - [`marshal_yaml`]: sigs.k8s.io/yaml's `Marshal` (what kustomize prints).
//! - [`to_yaml_kyaml`]: a node as kyaml writes it into kustomize's messages.
//!
//! For kustomize (kyaml semantics), work on the node tree:
//!
//! - [`parse_nodes`] reads every document of a file into a [`Node`] (an
//!   empty document is an empty plain scalar: skip `node.as_scalar() == Some("")`).
//!   Aliases are already expanded; merge keys (`<<`) stay until conversion.
//! - Navigate and edit with [`Node::get`], [`Node::get_mut`],
//!   [`Node::get_path`] (`&["spec", "containers", "0", "image"]`),
//!   [`Node::set`], [`Node::set_path`] (creates missing mappings),
//!   [`Node::remove`], [`Node::entries`], [`Node::items`]; build values with
//!   [`Node::string`] (quoted when needed), [`Node::plain`], [`Node::scalar`],
//!   [`Node::mapping`], [`Node::sequence`]
//!   or from JSON with [`Node::from_json`] (round-trips through `to_json`).
//! - [`Node::to_json`] with [`Dialect::Yaml12`] gives the JSON kyaml sees
//!   (`yes` is a string, `0755` is 493, timestamps become RFC 3339 strings,
//!   duplicate keys and nested non-string keys are errors).
//! - [`to_yaml_kustomize`] prints one resource exactly as `kustomize build`
//!   does (keys sorted, styles and comments not kept); kustomize separates
//!   resources with `---\n`. Ordering resources is kustomize's job, and
//!   kustomize itself rewrites `metadata.annotations` values as their text
//!   (`0755` stays `"0755"`, `true` becomes `"true"`, a date stays as
//!   written, even `~` and `null` become the strings `"~"` and `"null"`) and
//!   drops an empty `annotations: {}`, while labels are not rewritten (`1.0`
//!   prints `1`, `labels: {}` stays): callers must replace annotation values
//!   by string scalars ([`Node::string`]) before converting.
//!
//! Every reader bounds what untrusted text can cost, with go-yaml's limits:
//! collections nested deeper than 10,000 levels are refused where the
//! deepest one starts ([`YamlError::TooDeep`], "exceeded max depth of
//! 10000"), and aliases may add only as many nodes as go-yaml's "excessive
//! aliasing" rule allows (about 400,000 unless the document itself is larger).
//!
//! This module must not know about Kubernetes objects, charts or overlays.

mod decode;
mod emit;
mod error;
mod gofloat;
mod gojson;
pub(crate) mod goquote;
pub mod gounmarshal;
mod marshal;
mod node;
mod parser;
mod resolve;
mod stream;

pub use error::YamlError;
pub use gojson::{GoJsonOptions, to_json_go};
pub use gounmarshal::json_kind;
pub use marshal::{marshal_yaml, to_yaml_helm, to_yaml_kyaml, to_yaml_pretty_helm};
pub use node::{Node, NodeValue, parse_nodes};
pub use parser::ScalarStyle;
pub use resolve::{Dialect, Scalar, resolve_plain, resolve_tagged};

use serde_json::Value;

/// Prints one resource the way `kustomize build` does: kyaml reads the node
/// as go-yaml v3 ([`Dialect::Yaml12`]), turns it into JSON, and writes it
/// with sigs.k8s.io/yaml ([`marshal_yaml`]): keys sorted, comments and input
/// styles not kept, long lines folded at 80 columns.
pub fn to_yaml_kustomize(node: &Node) -> Result<String, YamlError> {
    Ok(marshal_yaml(&node.to_json(Dialect::Yaml12)?))
}

/// One document of a YAML stream, decoded as Kubernetes decodes manifests.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 1-based line of the document's first content (its root node).
    pub line: usize,
    /// The document as JSON; `Value::Null` for an empty document.
    pub value: Value,
}

/// Reads a manifest file the way kubectl does: cut into documents on `---`
/// lines (or read as a JSON stream when it starts with `{`), each decoded by
/// sigs.k8s.io/yaml — go-yaml v2 scalar resolution (YAML 1.1), then JSON.
/// Keys keep their order. Empty documents come back as `Value::Null` so
/// callers can skip them.
///
/// Manifests that Flux applies go through kustomize instead, which reads
/// YAML 1.2 (`yes` stays a string): use [`parse_nodes`] and
/// [`Node::to_json`] with [`Dialect::Yaml12`] for those.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, YamlError> {
    stream::read_manifest_stream(text)
}

/// Helm's `fromYaml`/`fromYamlArray` reading (sigs.k8s.io/yaml `Unmarshal`):
/// only the first document is read (errors after it go unseen), and every
/// number is a float64 as Go's `json.Unmarshal` produces (`1` reads as `1.0`). An empty text is `Null`;
/// whether the result is the map or list the function wants is the caller's check.
pub fn from_yaml_helm(text: &str) -> Result<Value, YamlError> {
    let Some(first) = node::parse_first_node(text, 1)? else {
        return Ok(Value::Null);
    };
    Ok(gofloat::numbers_as_float64(first.to_json(Dialect::Yaml11)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn from_yaml_reads_the_first_document_with_float_numbers() {
        assert_eq!(from_yaml_helm("a: 1\nb: [yes, 0x10]\n---\nc: 2\n").unwrap(), json!({"a": 1.0, "b": [true, 16.0]}));
        assert_eq!(from_yaml_helm("").unwrap(), Value::Null);
        assert!(from_yaml_helm("a: [").is_err());
        assert_eq!(from_yaml_helm("a: 1\n---\nb: [\n").unwrap(), json!({"a": 1.0}));
    }
}

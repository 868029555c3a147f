//! The YAML decoder: every reading driftctl makes of YAML text (manifests as
//! kubectl reads them, node trees in both dialects, Helm's `fromYaml`), and
//! the writers on what was read. Errors are fine; panics, aborts and
//! unbounded memory are not.
#![no_main]

use driftctl::yaml::{self, Dialect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(documents) = yaml::parse_documents(text) {
        for document in documents {
            let _ = yaml::marshal_yaml(&document.value);
        }
    }
    if let Ok(nodes) = yaml::parse_nodes(text) {
        for node in nodes {
            let _ = node.to_json(Dialect::Yaml11);
            let _ = yaml::to_yaml_kustomize(&node);
        }
    }
    let _ = yaml::from_yaml_helm(text);
});

//! Native kustomize: builds a kustomization directory into the objects `kustomize build`
//! (v5, as in `kubectl kustomize`) prints, in the same order and with the same content.
//!
//! Layout, one concern per file: `kustomization` (the file model), `loader` (files and
//! load restrictions), `resource`/`resmap` (objects, identities, conflicts), `build` (the
//! order of steps), one file per transformer (`namespace`, `name_affix`, `metadata_map`
//! for labels and annotations, `images`, `replicas`, `patches`, `replacements`, `vars`),
//! `build_metadata` (origin and transformer annotations), `generator` + `hash` (ConfigMap/Secret generators and their name suffix), `smp` and
//! `json6902` (patch semantics), `schema` + generated `schema_table` (patch merge keys of
//! built-in types), `config` + `builtin_config.txt` (field specs and name references), `crds` (field
//! specs from `crds:` OpenAPI definitions),
//! `name_reference` (rewriting references to renamed objects), `order` (output order).
//!
//! It must not run `kustomize`, fetch anything over the network (remote bases are an
//! error), or talk to a cluster.

mod build;
mod build_metadata;
mod config;
mod crds;
mod error;
mod field_path;
mod fieldspec;
mod generator;
mod hash;
mod images;
mod json6902;
pub mod kustomization;
mod loader;
mod metadata_map;
mod name_affix;
mod name_reference;
mod namespace;
mod order;
mod patches;
mod plugins;
mod replacements;
mod replicas;
mod resmap;
mod resource;
mod schema;
mod schema_table;
mod selector;
mod smp;
mod vars;
mod yaml_input;

pub use build::{BuiltObject, build};
pub use error::KustomizeError;
pub use loader::Loader;
pub use schema::is_cluster_scoped;

/// Builds the kustomization in `dir` and prints it exactly as `kustomize build` does,
/// reading nothing outside `boundary`.
pub fn render(dir: &std::path::Path, boundary: &crate::source::SourceRoot) -> Result<String, KustomizeError> {
    let objects: Vec<_> = build(dir, boundary)?.into_iter().map(|built| built.object).collect();
    Ok(print(&objects))
}

/// Prints built objects exactly as `kustomize build` does.
pub fn print(objects: &[serde_json::Map<String, serde_json::Value>]) -> String {
    yaml_input::print_objects(objects)
}

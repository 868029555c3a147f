//! Transformer configuration: which fields each built-in transformer touches and which
//! fields reference objects by name. The defaults are one data table
//! (`builtin_config.txt`, kustomize's documented default configuration); kustomizations
//! extend it with `configurations:` files.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use super::error::{KustomizeError, Result};
use super::fieldspec::{FieldSpec, KindFilter};
use super::kustomization::FieldSpecEntry;

/// A field that holds the name of another object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameReference {
    /// The kind of object referenced.
    pub target: KindFilter,
    /// Where the name is held.
    pub referrer: FieldSpec,
}

/// The field specs of every built-in transformer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransformerConfig {
    /// Where the namespace goes.
    pub namespace: Vec<FieldSpec>,
    /// Where a name prefix goes.
    pub name_prefix: Vec<FieldSpec>,
    /// Where a name suffix goes.
    pub name_suffix: Vec<FieldSpec>,
    /// Label selectors that commonLabels (and `labels` with includeSelectors) extend.
    pub selector_labels: Vec<FieldSpec>,
    /// `metadata/labels`.
    pub metadata_labels: Vec<FieldSpec>,
    /// Pod template labels.
    pub template_labels: Vec<FieldSpec>,
    /// Extra fields every `labels` entry sets, whatever its flags (`labels:` of
    /// configuration files; `commonLabels` does not use them).
    pub labels: Vec<FieldSpec>,
    /// Where commonAnnotations go.
    pub annotations: Vec<FieldSpec>,
    /// Replica count fields.
    pub replicas: Vec<FieldSpec>,
    /// Image fields (besides every `containers`/`initContainers` list).
    pub images: Vec<FieldSpec>,
    /// Fields naming other objects.
    pub name_references: Vec<NameReference>,
    /// Fields where `$(VAR)` is substituted.
    pub var_references: Vec<FieldSpec>,
}

const BUILTIN_TABLE: &str = include_str!("builtin_config.txt");

impl TransformerConfig {
    /// The built-in configuration.
    pub fn builtin() -> &'static TransformerConfig {
        static BUILTIN: OnceLock<TransformerConfig> = OnceLock::new();
        BUILTIN.get_or_init(|| parse_table(BUILTIN_TABLE))
    }

    /// Merges another configuration into this one as kustomize merges transformer configs:
    /// an incoming field spec is dropped when an entry already holds its path for objects it
    /// also selects (so a spec for one kind that sorted first hides a later spec for every
    /// kind), a repeat that differs only in `create` is an error, and each list is then
    /// sorted by kind (kustomize's kind order, then `Kind.version.group`).
    pub fn merge(&mut self, other: &TransformerConfig) -> Result<()> {
        fn extend(into: &mut Vec<FieldSpec>, from: &[FieldSpec], role: &str) -> Result<()> {
            if into.as_slice() == from {
                // Every incoming spec is already there (overlays mostly merge the built-in
                // configuration into itself): only the order is left to settle.
                into.sort_by_cached_key(|fs| fs.filter.sort_key());
                return Ok(());
            }
            // Entries by path, so each incoming spec is checked against the few that share it.
            let mut by_path: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
            for (index, have) in into.iter().enumerate() {
                by_path.entry(have.path.clone()).or_default().push(index);
            }
            for fs in from {
                let same_path = by_path.get(&fs.path).map(Vec::as_slice).unwrap_or_default();
                match same_path.iter().map(|&i| &into[i]).find(|have| have.filter.is_selected_by(&fs.filter)) {
                    Some(have) if have.create != fs.create => {
                        return Err(KustomizeError::Refused {
                            path: std::path::PathBuf::new(),
                            message: format!(
                                "failed to merge {role} fieldSpec: conflicting fieldspecs for path {} of {}",
                                fs.path.join("/"),
                                fs.filter.go_string()
                            ),
                        });
                    }
                    Some(_) => {}
                    None => {
                        by_path.entry(fs.path.clone()).or_default().push(into.len());
                        into.push(fs.clone());
                    }
                }
            }
            into.sort_by_cached_key(|fs| fs.filter.sort_key());
            Ok(())
        }
        extend(&mut self.namespace, &other.namespace, "NameSpace")?;
        extend(&mut self.name_prefix, &other.name_prefix, "NamePrefix")?;
        extend(&mut self.name_suffix, &other.name_suffix, "NameSuffix")?;
        extend(&mut self.selector_labels, &other.selector_labels, "CommonLabels")?;
        extend(&mut self.metadata_labels, &other.metadata_labels, "Labels")?;
        extend(&mut self.template_labels, &other.template_labels, "TemplateLabels")?;
        extend(&mut self.labels, &other.labels, "Labels")?;
        extend(&mut self.annotations, &other.annotations, "CommonAnnotations")?;
        extend(&mut self.replicas, &other.replicas, "Replicas")?;
        extend(&mut self.images, &other.images, "Images")?;
        extend(&mut self.var_references, &other.var_references, "VarReference")?;
        if self.name_references == other.name_references {
            return Ok(());
        }
        let mut by_path: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for (index, have) in self.name_references.iter().enumerate() {
            by_path.entry(have.referrer.path.clone()).or_default().push(index);
        }
        for nr in &other.name_references {
            let same_path = by_path.get(&nr.referrer.path).map(Vec::as_slice).unwrap_or_default();
            let known = same_path
                .iter()
                .map(|&i| &self.name_references[i])
                .any(|have| have.target == nr.target && have.referrer.filter.is_selected_by(&nr.referrer.filter));
            if !known {
                by_path.entry(nr.referrer.path.clone()).or_default().push(self.name_references.len());
                self.name_references.push(nr.clone());
            }
        }
        Ok(())
    }

    /// Reads a `configurations:` file (kustomize's TransformerConfig format).
    pub fn parse_file(text: &str, path: &Path) -> Result<TransformerConfig> {
        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase")]
        struct NameRefEntry {
            #[serde(default)]
            group: String,
            #[serde(default)]
            version: String,
            #[serde(default)]
            kind: String,
            #[serde(default, alias = "FieldSpecs")]
            field_specs: Vec<FieldSpecEntry>,
        }
        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase")]
        struct File {
            #[serde(default)]
            name_prefix: Vec<FieldSpecEntry>,
            #[serde(default)]
            name_suffix: Vec<FieldSpecEntry>,
            #[serde(default)]
            namespace: Vec<FieldSpecEntry>,
            #[serde(default)]
            common_labels: Vec<FieldSpecEntry>,
            #[serde(default)]
            labels: Vec<FieldSpecEntry>,
            #[serde(default)]
            common_annotations: Vec<FieldSpecEntry>,
            #[serde(default)]
            annotations: Vec<FieldSpecEntry>,
            #[serde(default)]
            name_reference: Vec<NameRefEntry>,
            #[serde(default)]
            var_reference: Vec<FieldSpecEntry>,
            #[serde(default)]
            images: Vec<FieldSpecEntry>,
            #[serde(default)]
            replicas: Vec<FieldSpecEntry>,
        }
        let value = super::yaml_input::parse_config_file(text, path)?;
        let file: File = if value.is_null() {
            File::default()
        } else {
            serde_json::from_value(value).map_err(|err| KustomizeError::InvalidKustomization {
                path: path.to_path_buf(),
                message: format!("transformer configuration: {err}"),
            })?
        };
        let specs = |entries: &[FieldSpecEntry]| entries.iter().map(FieldSpecEntry::to_field_spec).collect::<Vec<_>>();
        let mut config = TransformerConfig {
            namespace: specs(&file.namespace),
            name_prefix: specs(&file.name_prefix),
            name_suffix: specs(&file.name_suffix),
            selector_labels: specs(&file.common_labels),
            annotations: specs(&file.common_annotations),
            replicas: specs(&file.replicas),
            images: specs(&file.images),
            var_references: specs(&file.var_reference),
            ..TransformerConfig::default()
        };
        config.labels = specs(&file.labels);
        config.annotations.extend(specs(&file.annotations));
        for entry in &file.name_reference {
            let target =
                KindFilter { group: entry.group.clone(), version: entry.version.clone(), kind: entry.kind.clone() };
            for fs in &entry.field_specs {
                config.name_references.push(NameReference { target: target.clone(), referrer: fs.to_field_spec() });
            }
        }
        Ok(config)
    }
}

impl FieldSpecEntry {
    /// The field spec this entry describes.
    pub fn to_field_spec(&self) -> FieldSpec {
        let filter = KindFilter { group: self.group.clone(), version: self.version.clone(), kind: self.kind.clone() };
        FieldSpec::new(filter, &self.path, self.create)
    }
}

/// Parses the built-in table: `role kind[.group]|- path [create]`, or for name references
/// `nameReference referenced-kind[.group] referrer-kind[.group] path`.
fn parse_table(table: &str) -> TransformerConfig {
    let mut config = TransformerConfig::default();
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        if columns[0] == "nameReference" {
            config.name_references.push(NameReference {
                target: KindFilter::parse(columns[1]),
                referrer: FieldSpec::new(KindFilter::parse(columns[2]), columns[3], false),
            });
            continue;
        }
        let spec = FieldSpec::new(KindFilter::parse(columns[1]), columns[2], columns.get(3) == Some(&"create"));
        let list = match columns[0] {
            "namespace" => &mut config.namespace,
            "namePrefix" => &mut config.name_prefix,
            "nameSuffix" => &mut config.name_suffix,
            "selectorLabels" => &mut config.selector_labels,
            "metadataLabels" => &mut config.metadata_labels,
            "templateLabels" => &mut config.template_labels,
            "annotations" => &mut config.annotations,
            "replicas" => &mut config.replicas,
            "images" => &mut config.images,
            "varReference" => &mut config.var_references,
            other => panic!("builtin_config.txt: unknown role {other}"),
        };
        list.push(spec);
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_every_role() {
        let config = TransformerConfig::builtin();
        assert!(config.namespace.iter().any(|fs| fs.path == ["metadata", "namespace"] && fs.create));
        assert!(config.name_references.iter().any(|nr| nr.target.kind == "ConfigMap"
            && nr.referrer.filter.kind == "Deployment"
            && nr.referrer.path.join("/") == "spec/template/spec/volumes/configMap/name"));
        assert!(!config.template_labels.is_empty() && !config.replicas.is_empty());
    }
}

//! `generators`, `transformers` and `validators`: plugin configurations. `kubectl
//! kustomize` refuses every plugin but its built-in ones, and so does driftctl, with
//! kustomize's words. Built-in transformer plugins (`apiVersion: builtin`) run here on the
//! same code as the kustomization fields they generalise, with the field specs their
//! configuration lists instead of the built-in ones, and so do the built-in ConfigMap and
//! Secret generator plugins. Built-in validators, and the other built-in plugins, are
//! unsupported.
//! Loading the configuration objects is the build's business, not this module's.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::generator::GeneratedKind;
use super::kustomization::{
    FieldSpecEntry, GeneratorArgs, ImageOverride, Json6902Entry, PatchEntry, ReplacementEntry, ReplicaOverride,
    Selector,
};
use super::loader::Loader;
use super::name_affix::{self, Affix};
use super::namespace::{self, NamespaceOptions, SubjectMode};
use super::resmap::ResMap;
use super::resource::Resource;
use super::{images, metadata_map, patches, replacements, replicas};

/// The kustomization field a plugin configuration is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluginRole {
    /// `generators`.
    Generator,
    /// `transformers`.
    Transformer,
    /// `validators`.
    Validator,
}

/// kustomize's built-in generator kinds (the others are transformers).
const BUILTIN_GENERATORS: [&str; 4] =
    ["ConfigMapGenerator", "SecretGenerator", "HelmChartInflationGenerator", "IAMPolicyGenerator"];

/// The fields of every built-in transformer configuration this module runs; each kind
/// reads its own, and the others are ignored as kustomize's lenient decoding ignores them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PluginConfig {
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    image_tag: Option<ImageOverride>,
    replica: Option<ReplicaOverride>,
    path: Option<String>,
    patch: Option<String>,
    target: Option<Selector>,
    #[serde(default)]
    options: BTreeMap<String, bool>,
    json_op: Option<String>,
    #[serde(default)]
    paths: Vec<String>,
    patches: Option<String>,
    #[serde(default)]
    replacements: Vec<ReplacementEntry>,
    field_specs: Option<Vec<FieldSpecEntry>>,
    /// The namespace transformer reads its namespace from the configuration's metadata.
    metadata: Option<PluginMetadata>,
    #[serde(default)]
    unset_only: bool,
    #[serde(default)]
    set_role_binding_subjects: String,
}

/// The part of a plugin configuration's metadata a transformer reads.
#[derive(Debug, Default, Deserialize)]
struct PluginMetadata {
    #[serde(default)]
    namespace: String,
}

/// A configured built-in transformer plugin, ready to run.
#[derive(Debug)]
pub struct BuiltinTransformer {
    kind: String,
    config: PluginConfig,
}

/// Fails on the first plugin configuration: an external plugin as kustomize fails on it
/// (external plugins are disabled in `kubectl kustomize`), a built-in one as unsupported.
pub fn refuse(role: PluginRole, configs: &[Resource], kustomization: &Path) -> Result<()> {
    match configs.first() {
        Some(config) => Err(refusal(role, config, kustomization)),
        None => Ok(()),
    }
}

/// kustomize's `LoadGenerators` for the built-in `ConfigMapGenerator` and `SecretGenerator`
/// plugins: the configuration holds a generator entry's fields, its metadata giving the
/// name and namespace the entry leaves out. Any other plugin fails as `refuse` says.
pub fn configure_generators(configs: &[Resource], kustomization: &Path) -> Result<Vec<(GeneratedKind, GeneratorArgs)>> {
    configs
        .iter()
        .map(|resource| {
            let id = resource.original_id();
            let kind = match id.gvk.kind.as_str() {
                "ConfigMapGenerator" if is_builtin(resource) => GeneratedKind::ConfigMap,
                "SecretGenerator" if is_builtin(resource) => GeneratedKind::Secret,
                _ => return Err(refusal(PluginRole::Generator, resource, kustomization)),
            };
            let mut fields = resource.object.clone();
            for key in ["apiVersion", "kind", "metadata"] {
                fields.shift_remove(key);
            }
            let mut args: GeneratorArgs =
                serde_json::from_value(Value::Object(fields)).map_err(|err| KustomizeError::Refused {
                    path: kustomization.to_path_buf(),
                    message: format!("plugin {id} fails configuration: {err}"),
                })?;
            if args.name.is_empty() {
                args.name = id.name.clone();
            }
            if args.namespace.as_deref().is_none_or(str::is_empty) && !id.namespace.is_empty() {
                args.namespace = Some(id.namespace.clone());
            }
            Ok((kind, args))
        })
        .collect()
}

/// kustomize's `LoadTransformers`: every configuration is checked and decoded, and the
/// files it names are read, before any transformer runs.
pub fn configure_transformers(configs: &[Resource], loader: &Loader) -> Result<Vec<BuiltinTransformer>> {
    let kustomization = loader.kustomization_path.as_path();
    configs
        .iter()
        .map(|resource| {
            let id = resource.original_id();
            let runnable = [
                "PrefixSuffixTransformer",
                "PrefixTransformer",
                "SuffixTransformer",
                "LabelTransformer",
                "AnnotationsTransformer",
                "ImageTagTransformer",
                "ReplicaCountTransformer",
                "PatchTransformer",
                "PatchStrategicMergeTransformer",
                "PatchJson6902Transformer",
                "ReplacementTransformer",
                "NamespaceTransformer",
            ];
            if !is_builtin(resource) || !runnable.contains(&id.gvk.kind.as_str()) {
                return Err(refusal(PluginRole::Transformer, resource, kustomization));
            }
            let fails = |message: String| KustomizeError::Refused {
                path: kustomization.to_path_buf(),
                message: format!("plugin {id} fails configuration: {message}"),
            };
            let config: PluginConfig =
                serde_json::from_value(Value::Object(resource.object.clone())).map_err(|err| fails(err.to_string()))?;
            let affixes = ["PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer"];
            if affixes.contains(&id.gvk.kind.as_str()) && config.field_specs.is_none() {
                return Err(fails("fieldSpecs is not expected to be nil".into()));
            }
            if id.gvk.kind == "NamespaceTransformer" {
                SubjectMode::parse(&config.set_role_binding_subjects).map_err(&fails)?;
            }
            let read = |path: &String| loader.read_relative(path).map(drop);
            let files = match id.gvk.kind.as_str() {
                "PatchTransformer" => config.path.iter().try_for_each(|path| {
                    read(path).map_err(|err| format!("failed to get the patch file from path({path}): {err}"))
                }),
                "PatchStrategicMergeTransformer" => config.paths.iter().try_for_each(read).map_err(|e| e.to_string()),
                "PatchJson6902Transformer" => config.path.iter().try_for_each(read).map_err(|e| e.to_string()),
                "ReplacementTransformer" => config
                    .replacements
                    .iter()
                    .try_for_each(|entry| match entry {
                        ReplacementEntry::File { path } => read(path),
                        ReplacementEntry::Inline(_) => Ok(()),
                    })
                    .map_err(|e| e.to_string()),
                _ => Ok(()),
            };
            files.map_err(fails)?;
            Ok(BuiltinTransformer { kind: id.gvk.kind.clone(), config })
        })
        .collect()
}

/// Runs the configured transformers in order.
pub fn transform(transformers: &[BuiltinTransformer], resources: &mut ResMap, loader: &Loader) -> Result<()> {
    let kustomization = &loader.kustomization_path;
    for transformer in transformers {
        let config = &transformer.config;
        let specs =
            || -> Vec<FieldSpec> { config.field_specs.iter().flatten().map(FieldSpecEntry::to_field_spec).collect() };
        match transformer.kind.as_str() {
            "PrefixSuffixTransformer" | "PrefixTransformer" | "SuffixTransformer" => {
                name_affix::add_affix(resources, Affix::Prefix(&config.prefix), &specs())?;
                name_affix::add_affix(resources, Affix::Suffix(&config.suffix), &specs())?;
            }
            "LabelTransformer" => metadata_map::add_pairs(resources, &specs(), &config.labels)?,
            "AnnotationsTransformer" => metadata_map::add_pairs(resources, &specs(), &config.annotations)?,
            "ImageTagTransformer" => {
                if let Some(image) = &config.image_tag {
                    images::set_images(resources, std::slice::from_ref(image), &specs())?;
                }
            }
            "ReplicaCountTransformer" => {
                if let Some(replica) = &config.replica {
                    replicas::set_replicas(resources, std::slice::from_ref(replica), &specs(), kustomization)?;
                }
            }
            "PatchTransformer" => {
                let entry = PatchEntry {
                    path: config.path.clone(),
                    patch: config.patch.clone(),
                    target: config.target.clone(),
                    options: config.options.clone(),
                };
                patches::apply_patch_entries(resources, &[entry], loader)?;
            }
            "PatchStrategicMergeTransformer" => {
                let mut entries = config.paths.clone();
                entries.extend(config.patches.iter().filter(|text| !text.trim().is_empty()).cloned());
                patches::apply_strategic_merge_entries(resources, &entries, loader)?;
            }
            "PatchJson6902Transformer" => {
                let entry = Json6902Entry {
                    target: config.target.clone().unwrap_or_default(),
                    path: config.path.clone(),
                    patch: config.json_op.clone(),
                };
                patches::apply_json6902_entries(resources, &[entry], loader)?;
            }
            "ReplacementTransformer" => replacements::apply(resources, &config.replacements, loader)?,
            "NamespaceTransformer" => {
                let target = config.metadata.as_ref().map_or("", |m| m.namespace.as_str());
                if !target.is_empty() {
                    let options = NamespaceOptions {
                        unset_only: config.unset_only,
                        subjects: SubjectMode::parse(&config.set_role_binding_subjects)
                            .expect("checked when configured"),
                    };
                    namespace::set_namespace(resources, target, &specs(), options)?;
                }
            }
            other => unreachable!("configure_transformers accepts no {other}"),
        }
    }
    Ok(())
}

/// kustomize's `isBuiltinPlugin`: apiVersion `builtin`, no group.
fn is_builtin(config: &Resource) -> bool {
    let id = config.original_id();
    id.gvk.group.is_empty() && id.gvk.version == "builtin"
}

fn refusal(role: PluginRole, config: &Resource, kustomization: &Path) -> KustomizeError {
    let id = config.original_id();
    let message = if !is_builtin(config) {
        format!("external plugins disabled; unable to load external plugin '{}'", id.gvk.kind)
    } else if role == PluginRole::Generator && !BUILTIN_GENERATORS.contains(&id.gvk.kind.as_str()) {
        format!("plugin {id} not a generator")
    } else {
        return KustomizeError::Unsupported {
            path: kustomization.to_path_buf(),
            feature: format!("builtin plugin {}", id.gvk.kind),
            hint: "use the kustomization field that configures the same transformer or generator".into(),
        };
    };
    let refused = KustomizeError::Refused { path: kustomization.to_path_buf(), message };
    if role == PluginRole::Generator { refused.within("failed to load generator") } else { refused }
}

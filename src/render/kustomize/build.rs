//! The build: accumulate a kustomization's resources (files, directories, other
//! kustomizations, components), run its generators and transformers in kustomize's order,
//! then — once, at the top — add content hashes, rewrite name references, resolve vars
//! and sort. This file only sequences the steps; each step lives in its own module.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::config::TransformerConfig;
use super::error::{self, KustomizeError, Result};
use super::generator::{self, GeneratedKind};
use super::kustomization::{Kustomization, VarEntry};
use super::loader::{self, Loader};
use super::name_affix::Affix;
use super::plugins::{self, PluginRole};
use super::resmap::ResMap;
use super::resource::Resource;
use super::{
    build_metadata, crds, hash, images, metadata_map, name_affix, name_reference, namespace, order, patches,
    replacements, replicas, vars, yaml_input,
};
use crate::source::SourceRoot;

/// The annotation that marks an object as local configuration, left out of the output.
const LOCAL_CONFIG: &str = "config.kubernetes.io/local-config";

/// What a kustomization and everything below it contributed so far.
#[derive(Debug, Clone)]
struct Accumulator {
    resources: ResMap,
    config: TransformerConfig,
    vars: Vec<VarEntry>,
    /// A transformer plugin ran: their runs are not recorded for `buildMetadata`.
    ran_plugins: bool,
}

impl Accumulator {
    fn new() -> Self {
        Accumulator {
            resources: ResMap::default(),
            config: TransformerConfig::default(),
            vars: Vec::new(),
            ran_plugins: false,
        }
    }

    fn absorb_child(&mut self, child: Accumulator) -> Result<()> {
        self.resources.append_all(child.resources)?;
        if self.config == TransformerConfig::default() {
            // A child's configuration is already merged (deduplicated and sorted): merging it
            // into an empty one gives it back unchanged.
            self.config = child.config;
        } else {
            self.config.merge(&child.config)?;
        }
        self.vars.extend(child.vars);
        self.ran_plugins |= child.ran_plugins;
        Ok(())
    }
}

/// One object of a build's output.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltObject {
    /// The object, as `kustomize build` would print it (keys are sorted when printed).
    pub object: Map<String, Value>,
    /// The file it came from: a resource file, or the kustomization file for generated
    /// objects, from the built kustomization's directory (`../base/cm.yaml`), as kustomize's
    /// origin annotation names it.
    pub file: String,
    /// 1-based line of the object's document in that file (0 for generated objects).
    pub line: usize,
}

/// Builds the kustomization in `dir` and returns its objects in output order; nothing
/// outside `boundary` is read.
pub fn build(dir: &Path, boundary: &SourceRoot) -> Result<Vec<BuiltObject>> {
    let loader = Loader::for_directory(dir, boundary)?;
    let kustomization = Kustomization::parse(&loader.read_kustomization()?, &loader.kustomization_path)?;
    let mut chain = Vec::new();
    let mut acc = accumulate(&loader, &kustomization, Accumulator::new(), &mut chain)?;

    if acc.ran_plugins && kustomization.build_metadata.iter().any(|option| option == "transformerAnnotations") {
        return Err(KustomizeError::Unsupported {
            path: loader.kustomization_path.clone(),
            feature: "buildMetadata transformerAnnotations with transformer plugins".into(),
            hint: "drop transformerAnnotations from buildMetadata".into(),
        });
    }
    add_hash_suffixes(&mut acc.resources);
    name_reference::fix_references(&mut acc.resources, &acc.config.name_references)?;
    vars::resolve(&mut acc.resources, &acc.vars, &acc.config.var_references, &loader.kustomization_path)?;

    // Objects marked local configuration take part in the build (as replacement sources, name
    // reference targets, ...) but are not part of its output; only "false" keeps them.
    acc.resources.resources.retain(|resource| {
        resource
            .object
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(LOCAL_CONFIG))
            .is_none_or(|value| value.as_str() == Some("false"))
    });

    output_order(&kustomization, &loader.kustomization_path)?.sort(&mut acc.resources.resources);
    build_metadata::annotate(&mut acc.resources, &kustomization.build_metadata, &loader.root);
    for resource in &mut acc.resources.resources {
        drop_empty_annotations(&mut resource.object);
        annotations_as_text(&mut resource.object);
    }
    let built = acc.resources.resources.into_iter().map(|r| BuiltObject {
        file: build_metadata::relative(&r.origin, &loader.root),
        line: r.line,
        object: r.object,
    });
    Ok(built.collect())
}

/// The top kustomization's `sortOptions` (those of other kustomizations are ignored, as in
/// kustomize): legacy kind order by default, custom kind lists, or input order (`fifo`).
fn output_order(kustomization: &Kustomization, path: &Path) -> Result<order::Ordering> {
    let Some(options) = &kustomization.sort_options else {
        return Ok(order::Ordering::Legacy(order::KindOrder::default()));
    };
    let refuse = |message: &str| Err(KustomizeError::Refused { path: path.to_path_buf(), message: message.into() });
    match (options.order.as_str(), &options.legacy_sort_options) {
        ("fifo", None) => Ok(order::Ordering::Fifo),
        ("fifo", Some(_)) => refuse(
            "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
        ),
        ("legacy", Some(custom)) => {
            Ok(order::Ordering::Legacy(order::KindOrder::custom(&custom.order_first, &custom.order_last)))
        }
        ("legacy", None) => Ok(order::Ordering::Legacy(order::KindOrder::default())),
        _ => refuse("the field 'sortOptions.order' must be one of [fifo, legacy]"),
    }
}

/// Runs one kustomization (or component) on top of `acc`.
fn accumulate(
    loader: &Loader,
    kustomization: &Kustomization,
    mut acc: Accumulator,
    chain: &mut Vec<PathBuf>,
) -> Result<Accumulator> {
    chain.push(loader.root.clone());

    for entry in kustomization.resources.iter().chain(&kustomization.bases) {
        accumulate_resource(loader, entry, &mut acc, chain).map_err(|e| e.within("accumulating resources"))?;
    }
    // kustomize merges the built-in configuration with this level's `configurations:` files,
    // then that into what the resources brought.
    let mut config = TransformerConfig::builtin().clone();
    for entry in &kustomization.configurations {
        let text = String::from_utf8_lossy(&loader.read_relative(entry)?).into_owned();
        config.merge(&TransformerConfig::parse_file(&text, &loader.resolve(entry))?)?;
    }
    acc.config.merge(&config)?;
    for entry in &kustomization.crds {
        let definitions = loader
            .read_relative(entry)
            .and_then(|content| crds::read_definitions(&content, entry))
            .map_err(|e| e.within(format!("loading CRDs [{}]", kustomization.crds.join(" "))))?;
        acc.config.merge(&definitions)?;
    }
    // kustomize runs a kustomization's generators before its components, so components can
    // patch or merge into what the generators made. Plugins are configured before the
    // built-in generators or transformers run.
    let generator_plugins = load_plugins(loader, &kustomization.generators, chain)
        .and_then(|configs| plugins::configure_generators(&configs, &loader.kustomization_path))
        .map_err(|e| e.within("loading generator plugins"))?;
    run_generators(loader, kustomization, &mut acc)?;
    for (kind, args) in &generator_plugins {
        // A generator plugin's own options apply, not the kustomization's generatorOptions.
        let resource = generator::generate(*kind, args, None, loader, &loader.kustomization_path)?;
        acc.resources.absorb(resource)?;
    }
    for entry in &kustomization.components {
        acc = accumulate_component(loader, entry, acc, chain).map_err(|e| e.within("accumulating components"))?;
    }
    let transformer_configs = load_plugins(loader, &kustomization.transformers, chain)?;
    let transformer_plugins = plugins::configure_transformers(&transformer_configs, loader)?;
    run_transformers(loader, kustomization, &mut acc)?;
    if !transformer_plugins.is_empty() {
        plugins::transform(&transformer_plugins, &mut acc.resources, loader)?;
        acc.ran_plugins = true;
    }
    let validator_configs = load_plugins(loader, &kustomization.validators, chain)?;
    plugins::refuse(PluginRole::Validator, &validator_configs, &loader.kustomization_path)?;
    for var in &kustomization.vars {
        if acc.vars.iter().any(|v| v.name == var.name) {
            return Err(KustomizeError::Replacement {
                path: loader.kustomization_path.clone(),
                message: format!("var '{}' already encountered", var.name),
            });
        }
        acc.vars.push(var.clone());
    }
    vars::bind(&mut acc.resources, &kustomization.vars)
        .map_err(|message| KustomizeError::Replacement { path: loader.kustomization_path.clone(), message })?;
    chain.pop();
    Ok(acc)
}

/// kustomize's `ldr.New`: a loader for another kustomization directory, refusing one at or
/// above a directory being built (that would recurse forever).
fn directory_root(loader: &Loader, entry: &str, chain: &[PathBuf]) -> Result<PathBuf> {
    let path = loader.resolve(entry);
    if !path.exists() {
        return Err(loader::missing(&path).within("must build at directory: not a valid directory"));
    }
    if !path.is_dir() {
        return Err(KustomizeError::Refused {
            message: format!("must build at directory: '{}': file is not directory", path.display()),
            path,
        });
    }
    if let Some(visited) = chain.iter().rev().find(|visited| visited.starts_with(&path)) {
        return Err(KustomizeError::Cycle { candidate: path, visited: visited.clone() });
    }
    Ok(path)
}

/// kustomize's `accumulateDirectory`: build a kustomization (or add a component) found by
/// `directory_root`.
fn accumulate_directory(
    dir: &Path,
    boundary: &SourceRoot,
    acc: Accumulator,
    chain: &mut Vec<PathBuf>,
    as_component: bool,
) -> Result<Accumulator> {
    let root = dir.display().to_string();
    let (child_loader, child) = Loader::for_directory(dir, boundary)
        .and_then(|child_loader| {
            let child = Kustomization::parse(&child_loader.read_kustomization()?, &child_loader.kustomization_path)?;
            Ok((child_loader, child))
        })
        .map_err(|e| e.within(format!("couldn't make target for path '{root}'")))?;
    let child_loader = &child_loader;
    if as_component && !child.is_component() {
        let kind = child.kind.as_deref().unwrap_or("Kustomization");
        return Err(KustomizeError::Refused {
            path: child_loader.kustomization_path.clone(),
            message: format!("expected kind 'Component' for path '{root}' but got '{kind}'"),
        });
    }
    if !as_component && child.is_component() {
        return Err(KustomizeError::Refused {
            path: child_loader.kustomization_path.clone(),
            message: format!("expected kind != 'Component' for path '{root}'"),
        });
    }
    if as_component {
        return accumulate(child_loader, &child, acc, chain)
            .map_err(|e| e.within(format!("recursed accumulation of path '{root}'")));
    }
    let built = accumulate(child_loader, &child, Accumulator::new(), chain)
        .map_err(|e| e.within(format!("recursed accumulation of path '{root}'")))?;
    let mut acc = acc;
    acc.absorb_child(built).map_err(|e| e.within(format!("recursed merging from path '{root}'")))?;
    Ok(acc)
}

fn accumulate_component(
    loader: &Loader,
    entry: &str,
    acc: Accumulator,
    chain: &mut Vec<PathBuf>,
) -> Result<Accumulator> {
    if loader::is_remote(entry) {
        return Err(KustomizeError::RemoteResource { path: loader.kustomization_path.clone(), url: entry.to_string() });
    }
    // kustomize quotes the inner message here (`%q`).
    let dir = directory_root(loader, entry, chain).map_err(|e| KustomizeError::Refused {
        path: loader.resolve(entry),
        message: format!("loader.New {}", error::go_quote(&e.to_string())),
    })?;
    accumulate_directory(&dir, &loader.boundary, acc, chain, true).map_err(|e| KustomizeError::Refused {
        path: loader.resolve(entry),
        message: format!("accumulateDirectory: {}", error::go_quote(&e.to_string())),
    })
}

/// One `resources:` entry. Like kustomize, try it as a file first, then as a directory; when
/// both fail, report both (unless the file was there but is not valid YAML).
fn accumulate_resource(loader: &Loader, entry: &str, acc: &mut Accumulator, chain: &mut Vec<PathBuf>) -> Result<()> {
    if loader::is_remote(entry) {
        let as_file =
            KustomizeError::RemoteResource { path: loader.kustomization_path.clone(), url: entry.to_string() }
                .within(format!("accumulating resources from '{entry}'"));
        let as_directory = KustomizeError::Refused {
            path: loader.kustomization_path.clone(),
            message: "driftctl does not fetch remote bases".into(),
        };
        return Err(KustomizeError::Accumulation { as_file: Box::new(as_file), as_directory: Box::new(as_directory) });
    }
    let as_file = match accumulate_file(loader, entry, acc) {
        Ok(()) => return Ok(()),
        Err(err) if err.is_malformed_yaml() => return Err(err),
        Err(err) => err,
    };
    // The accumulator moves through the child build; on failure the whole build fails anyway.
    let built = directory_root(loader, entry, chain).and_then(|dir| {
        accumulate_directory(&dir, &loader.boundary, std::mem::replace(acc, Accumulator::new()), chain, false)
    });
    match built {
        Ok(built) => {
            *acc = built;
            Ok(())
        }
        Err(as_directory) => {
            Err(KustomizeError::Accumulation { as_file: Box::new(as_file), as_directory: Box::new(as_directory) })
        }
    }
}

/// kustomize's `configureExternalTransformers`: each entry is an inline YAML document, or
/// a file or kustomization directory read as resources are; the objects are the plugins'
/// configurations.
fn load_plugins(loader: &Loader, entries: &[String], chain: &mut Vec<PathBuf>) -> Result<Vec<Resource>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut configs = Accumulator::new();
    let mut paths = Vec::new();
    for entry in entries {
        let inline = crate::yaml::parse_documents(entry).ok().filter(|documents| {
            documents.iter().any(|d| d.value.is_object())
                && documents.iter().all(|d| d.value.is_object() || d.value.is_null())
        });
        let Some(documents) = inline else {
            paths.push(entry);
            continue;
        };
        for document in documents {
            for object in expand_lists(document.value, &loader.kustomization_path)? {
                configs.resources.append(Resource::new(object, loader.kustomization_path.clone()))?;
            }
        }
    }
    for entry in paths {
        accumulate_resource(loader, entry, &mut configs, chain)?;
    }
    Ok(configs.resources.resources)
}

/// kustomize's `accumulateFile`: a resource file's objects, appended in order.
fn accumulate_file(loader: &Loader, entry: &str, acc: &mut Accumulator) -> Result<()> {
    let path = loader.resolve(entry);
    let content =
        loader.read_relative(entry).map_err(|e| e.within(format!("accumulating resources from '{entry}'")))?;
    let text = String::from_utf8_lossy(&content);
    let documents = yaml_input::parse_resource_documents(&text, &path, entry)
        .map_err(|e| e.within(format!("accumulating resources from '{entry}'")))?;
    for (line, document) in documents {
        for object in expand_lists(document, &path)? {
            let resource = Resource { line, ..Resource::new(object, path.clone()) };
            acc.resources.append(resource).map_err(|e| e.within(format!("merging resources from '{entry}'")))?;
        }
    }
    Ok(())
}

/// A document is an object, or a `List` whose items are objects; empty documents vanish.
fn expand_lists(document: Value, path: &Path) -> Result<Vec<Map<String, Value>>> {
    let Value::Object(map) = document else {
        if document.is_null() {
            return Ok(Vec::new());
        }
        return Err(KustomizeError::Yaml {
            path: path.to_path_buf(),
            line: 0,
            message: "a resource document must be a map (an object with apiVersion, kind and metadata)".into(),
        });
    };
    let is_list = map.get("kind").and_then(Value::as_str).is_some_and(|k| k.ends_with("List"))
        && map.get("items").is_some_and(Value::is_array);
    if !is_list {
        check_object(&map, path)?;
        return Ok(vec![map]);
    }
    let mut objects = Vec::new();
    for item in map.get("items").and_then(Value::as_array).into_iter().flatten() {
        objects.extend(expand_lists(item.clone(), path)?);
    }
    Ok(objects)
}

fn check_object(map: &Map<String, Value>, path: &Path) -> Result<()> {
    let has = |key: &str| map.get(key).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    let has_name =
        map.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    if !has("kind") {
        return Err(KustomizeError::Yaml {
            path: path.to_path_buf(),
            line: 0,
            message: "missing Resource metadata: every resource needs apiVersion, kind and metadata.name".into(),
        });
    }
    if !has_name {
        return Err(KustomizeError::Yaml {
            path: path.to_path_buf(),
            line: 0,
            message: "missing metadata.name in object; every resource needs a name".into(),
        });
    }
    Ok(())
}

fn run_generators(loader: &Loader, kustomization: &Kustomization, acc: &mut Accumulator) -> Result<()> {
    let defaults = kustomization.generator_options.as_ref();
    let all = kustomization
        .config_map_generator
        .iter()
        .map(|args| (GeneratedKind::ConfigMap, args))
        .chain(kustomization.secret_generator.iter().map(|args| (GeneratedKind::Secret, args)));
    for (kind, args) in all {
        let resource = generator::generate(kind, args, defaults, loader, &loader.kustomization_path)?;
        acc.resources.absorb(resource)?;
    }
    Ok(())
}

/// kustomize's built-in transformer order. Each transformer a kustomization configures is
/// recorded on the objects it ran over (kustomize runs one per `patches`, `labels`,
/// `patchesJson6902`, `replicas` and `images` entry).
fn run_transformers(loader: &Loader, kustomization: &Kustomization, acc: &mut Accumulator) -> Result<()> {
    let resources = &mut acc.resources;
    let config = &acc.config;
    let configured_in = Arc::new(loader.kustomization_path.clone());
    let record = |resources: &mut ResMap, kind: &'static str, times: usize| {
        for _ in 0..times {
            build_metadata::record_transformer(resources, &configured_in, kind);
        }
    };
    patches::apply_strategic_merge_entries(resources, &kustomization.patches_strategic_merge, loader)?;
    record(resources, "PatchStrategicMergeTransformer", usize::from(!kustomization.patches_strategic_merge.is_empty()));
    for entry in &kustomization.patches {
        patches::apply_patch_entries(resources, std::slice::from_ref(entry), loader)?;
        record(resources, "PatchTransformer", 1);
    }
    if let Some(ns) = kustomization.namespace.as_deref().filter(|ns| !ns.is_empty()) {
        namespace::set_namespace(resources, ns, &config.namespace, namespace::NamespaceOptions::default())?;
        record(resources, "NamespaceTransformer", 1);
    }
    let prefix = kustomization.name_prefix.as_deref().unwrap_or("");
    name_affix::add_affix(resources, Affix::Prefix(prefix), &config.name_prefix)?;
    record(resources, "PrefixTransformer", usize::from(!prefix.is_empty()));
    let suffix = kustomization.name_suffix.as_deref().unwrap_or("");
    name_affix::add_affix(resources, Affix::Suffix(suffix), &config.name_suffix)?;
    record(resources, "SuffixTransformer", usize::from(!suffix.is_empty()));
    let all_label_specs: Vec<_> = [&config.metadata_labels, &config.selector_labels, &config.template_labels]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    metadata_map::add_pairs(resources, &all_label_specs, &kustomization.common_labels)?;
    for set in &kustomization.labels {
        let mut specs = config.metadata_labels.clone();
        if set.include_selectors {
            specs = all_label_specs.clone();
        } else if set.include_templates {
            specs.extend(config.template_labels.iter().cloned());
        }
        specs.extend(config.labels.iter().cloned());
        specs.extend(set.fields.iter().map(|f| f.to_field_spec()));
        metadata_map::add_pairs(resources, &specs, &set.pairs)?;
    }
    // One label transformer per `labels` entry, plus one for `commonLabels` whenever either is set.
    let label_runs = kustomization.labels.len()
        + usize::from(!kustomization.labels.is_empty() || !kustomization.common_labels.is_empty());
    record(resources, "LabelTransformer", label_runs);
    metadata_map::add_pairs(resources, &config.annotations, &kustomization.common_annotations)?;
    record(resources, "AnnotationsTransformer", usize::from(!kustomization.common_annotations.is_empty()));
    for entry in &kustomization.patches_json6902 {
        patches::apply_json6902_entries(resources, std::slice::from_ref(entry), loader)?;
        record(resources, "PatchJson6902Transformer", 1);
    }
    for entry in &kustomization.replicas {
        replicas::set_replicas(resources, std::slice::from_ref(entry), &config.replicas, &loader.kustomization_path)?;
        record(resources, "ReplicaCountTransformer", 1);
    }
    for entry in &kustomization.images {
        images::set_images(resources, std::slice::from_ref(entry), &config.images)?;
        record(resources, "ImageTagTransformer", 1);
    }
    replacements::apply(resources, &kustomization.replacements, loader)?;
    record(resources, "ReplacementTransformer", usize::from(!kustomization.replacements.is_empty()));
    Ok(())
}

/// kustomize removes its own build annotations at the end and, with them, an annotation
/// map left empty — including one that was empty in the input.
fn drop_empty_annotations(object: &mut Map<String, Value>) {
    if let Some(Value::Object(metadata)) = object.get_mut("metadata")
        && metadata.get("annotations").is_some_and(|a| a.as_object().is_some_and(Map::is_empty) || a.is_null())
    {
        metadata.shift_remove("annotations");
    }
}

/// kustomize ends a build by rewriting every object's annotations from their text (as it
/// removes its own build annotations), so a number or boolean a transformer put there
/// (a replacement creating `metadata.annotations.x`) prints as a string.
fn annotations_as_text(object: &mut Map<String, Value>) {
    let Some(Value::Object(annotations)) = object.get_mut("metadata").and_then(|m| m.get_mut("annotations")) else {
        return;
    };
    for value in annotations.values_mut() {
        if let Value::Number(_) | Value::Bool(_) = value {
            *value = Value::String(value.to_string());
        }
    }
}

/// Appends `-HASH` to generated objects that want it, recording the old name for references.
fn add_hash_suffixes(resources: &mut ResMap) {
    for resource in &mut resources.resources {
        if resource.needs_hash {
            let named = format!("{}-{}", resource.name(), hash::content_hash(&resource.object));
            resource.set_identity(None, Some(&named));
        }
    }
}

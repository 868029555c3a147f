//! The patch transformers: `patchesStrategicMerge`, `patches` (strategic merge or JSON
//! 6902, decided by the patch's shape) and `patchesJson6902`, with their targets. The
//! merge logic itself lives in `smp.rs` and `json6902.rs`.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::{self, KustomizeError, Result};
use super::kustomization::{Json6902Entry, PatchEntry, Selector};
use super::loader::Loader;
use super::resmap::ResMap;
use super::resource::{ResId, Resource};
use super::schema::SchemaType;
use super::selector::CompiledSelector;
use super::{json6902, smp, yaml_input};

/// A patch's text, from a file or inline, with the path to name in messages.
struct PatchSource {
    text: String,
    origin: std::path::PathBuf,
}

fn load(loader: &Loader, path: Option<&str>, inline: Option<&str>) -> Result<PatchSource> {
    match (path, inline) {
        (Some(path), _) if !path.is_empty() => {
            let bytes = loader.read_relative(path)?;
            Ok(PatchSource { text: String::from_utf8_lossy(&bytes).into_owned(), origin: loader.resolve(path) })
        }
        (_, Some(inline)) => Ok(PatchSource { text: inline.to_string(), origin: loader.kustomization_path.clone() }),
        _ => Err(KustomizeError::Patch {
            path: loader.kustomization_path.clone(),
            message: "a patch needs either `path` or `patch`".into(),
        }),
    }
}

/// `patchesStrategicMerge`: each entry is a file or an inline document; targets by id.
pub fn apply_strategic_merge_entries(resources: &mut ResMap, entries: &[String], loader: &Loader) -> Result<()> {
    for entry in entries {
        let looks_inline = entry.contains('\n') || entry.trim_start().starts_with('{');
        let source = if looks_inline {
            PatchSource { text: entry.clone(), origin: loader.kustomization_path.clone() }
        } else {
            load(loader, Some(entry), None)?
        };
        for patch in documents(&source)? {
            let index = target_by_id(resources, &patch, &source.origin)?;
            apply_smp_at(resources, &[index], &patch, &PatchOptions::default(), &source.origin)?;
        }
    }
    Ok(())
}

/// `patches`: strategic merge or JSON 6902, with an optional target selector.
pub fn apply_patch_entries(resources: &mut ResMap, entries: &[PatchEntry], loader: &Loader) -> Result<()> {
    for entry in entries {
        let source = load(loader, entry.path.as_deref(), entry.patch.as_deref()).map_err(|err| {
            let config = crate::yaml::marshal_yaml(&serde_json::to_value(entry).unwrap_or_default());
            let path = entry.path.as_deref().unwrap_or_default();
            err.within(format!("failed to get the patch file from path({path})"))
                .within(format!("trouble configuring builtin PatchTransformer with config: `\n{config}`"))
        })?;
        let docs = documents_raw(&source)?;
        let options = PatchOptions {
            allow_name_change: entry.options.get("allowNameChange").copied().unwrap_or(false),
            allow_kind_change: entry.options.get("allowKindChange").copied().unwrap_or(false),
        };
        if let [Value::Array(_)] = docs.as_slice() {
            let Some(target) = &entry.target else {
                return Err(KustomizeError::Patch {
                    path: source.origin,
                    message: "must specify a target for JSON 6902 patch".into(),
                });
            };
            let selected = select(resources, target, &source.origin)?;
            apply_json6902_at(resources, &selected, &docs[0], &source.origin)?;
            continue;
        }
        let patches = to_objects(docs, &source.origin)?;
        for patch in patches {
            let selected = match &entry.target {
                Some(target) => select(resources, target, &source.origin)?,
                None => vec![target_by_id(resources, &patch, &source.origin).map_err(|err| match &err {
                    KustomizeError::PatchTargetNotFound { id, .. } => {
                        let context = format!("no resource matches strategic merge patch {}", error::go_quote(id));
                        err.within(context)
                    }
                    _ => err,
                })?],
            };
            apply_smp_at(resources, &selected, &patch, &options, &source.origin)?;
        }
    }
    Ok(())
}

/// `patchesJson6902`: operations applied to the selected objects.
pub fn apply_json6902_entries(resources: &mut ResMap, entries: &[Json6902Entry], loader: &Loader) -> Result<()> {
    for entry in entries {
        let source = load(loader, entry.path.as_deref(), entry.patch.as_deref())?;
        let ops = yaml_input::parse_single(&source.text, &source.origin)?;
        let selected = select(resources, &entry.target, &source.origin)?;
        apply_json6902_at(resources, &selected, &ops, &source.origin)?;
    }
    Ok(())
}

#[derive(Debug, Default)]
struct PatchOptions {
    allow_name_change: bool,
    allow_kind_change: bool,
}

fn documents_raw(source: &PatchSource) -> Result<Vec<Value>> {
    let mut docs = yaml_input::parse_documents(&source.text, &source.origin)?;
    docs.retain(|d| !d.is_null());
    Ok(docs)
}

fn documents(source: &PatchSource) -> Result<Vec<Map<String, Value>>> {
    to_objects(documents_raw(source)?, &source.origin)
}

fn to_objects(docs: Vec<Value>, origin: &Path) -> Result<Vec<Map<String, Value>>> {
    docs.into_iter()
        .map(|doc| match doc {
            Value::Object(map) => Ok(map),
            other => Err(KustomizeError::Patch {
                path: origin.to_path_buf(),
                message: format!("a strategic merge patch must be a map, found {other}"),
            }),
        })
        .collect()
}

fn select(resources: &ResMap, target: &Selector, origin: &Path) -> Result<Vec<usize>> {
    let selector = CompiledSelector::new(target)
        .map_err(|message| KustomizeError::Patch { path: origin.to_path_buf(), message })?;
    Ok((0..resources.resources.len()).filter(|&i| selector.matches(&resources.resources[i])).collect())
}

/// The one object a patch without a target names by its own apiVersion, kind, name, namespace.
fn target_by_id(resources: &ResMap, patch: &Map<String, Value>, origin: &Path) -> Result<usize> {
    let probe = Resource::new(patch.clone(), origin.to_path_buf());
    let id: ResId = probe.id();
    let matches = resources.matching_any_id(&id);
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(KustomizeError::PatchTargetNotFound { path: origin.to_path_buf(), id: id.to_string() }),
        _ => Err(KustomizeError::Patch {
            path: origin.to_path_buf(),
            message: format!(
                "multiple matches for Id {id}; failed to find unique target for patch; add a namespace to the patch"
            ),
        }),
    }
}

fn apply_smp_at(
    resources: &mut ResMap,
    indexes: &[usize],
    patch: &Map<String, Value>,
    options: &PatchOptions,
    origin: &Path,
) -> Result<()> {
    let mut deleted = Vec::new();
    for &index in indexes {
        let resource = &mut resources.resources[index];
        let (api_version, name, namespace, kind) = (
            resource.api_version().to_string(),
            resource.name().to_string(),
            resource.namespace().to_string(),
            resource.kind().to_string(),
        );
        let schema = SchemaType::for_kind(&resource.gvk());
        if options.allow_name_change || options.allow_kind_change {
            resource.remember_identity();
        }
        let outcome = smp::apply(&mut resource.object, patch, schema)
            .map_err(|message| KustomizeError::Refused { path: origin.to_path_buf(), message })?;
        if outcome == smp::Outcome::Deleted {
            deleted.push(index);
            continue;
        }
        // A strategic merge patch never changes the apiVersion, and changes the kind only
        // when allowed.
        resource.object.insert("apiVersion".into(), Value::String(api_version));
        if !options.allow_kind_change {
            resource.object.insert("kind".into(), Value::String(kind));
        }
        let new_name = resource.name().to_string();
        let metadata = resource.metadata_mut();
        metadata.insert("name".into(), Value::String(name.clone()));
        if namespace.is_empty() {
            metadata.shift_remove("namespace");
        } else {
            metadata.insert("namespace".into(), Value::String(namespace));
        }
        if options.allow_name_change {
            resource.metadata_mut().insert("name".into(), Value::String(new_name));
        }
    }
    let _ = origin;
    for index in deleted.into_iter().rev() {
        resources.resources.remove(index);
    }
    Ok(())
}

fn apply_json6902_at(resources: &mut ResMap, indexes: &[usize], ops: &Value, origin: &Path) -> Result<()> {
    for &index in indexes {
        let resource = &mut resources.resources[index];
        // kustomize reports the library's message alone.
        json6902::apply(&mut resource.object, ops)
            .map_err(|message| KustomizeError::Refused { path: origin.to_path_buf(), message })?;
    }
    Ok(())
}

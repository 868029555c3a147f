//! The kustomization file model (`kustomization.yaml`, `.yml`, `Kustomization`), kinds
//! `Kustomization` and `Component`. Only parsing and field-level validation live here;
//! what each field does is up to the transformers and generators.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{KustomizeError, Result};

/// One kustomization or component file.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kustomization {
    /// `kustomize.config.k8s.io/v1beta1` or `v1alpha1` for components.
    pub api_version: Option<String>,
    /// `Kustomization` or `Component`.
    pub kind: Option<String>,
    /// Ignored, as kustomize does.
    pub metadata: Option<Value>,
    /// Files, directories or other kustomizations.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub resources: Vec<String>,
    /// Deprecated alias of `resources`, appended after them.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub bases: Vec<String>,
    /// Component directories applied to this kustomization's resources.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub components: Vec<String>,
    /// Namespace set on every namespaced object.
    pub namespace: Option<String>,
    /// Prefix added to every name.
    pub name_prefix: Option<String>,
    /// Suffix added to every name.
    pub name_suffix: Option<String>,
    /// Labels added to metadata, selectors and templates.
    #[serde(default, deserialize_with = "string_map_null_as_empty")]
    pub common_labels: BTreeMap<String, String>,
    /// Labels with control over selectors and templates.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub labels: Vec<LabelSet>,
    /// Annotations added to metadata and templates.
    #[serde(default, deserialize_with = "string_map_null_as_empty")]
    pub common_annotations: BTreeMap<String, String>,
    /// Image name, tag and digest overrides.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub images: Vec<ImageOverride>,
    /// Replica count overrides.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub replicas: Vec<ReplicaOverride>,
    /// Strategic merge or JSON 6902 patches with optional targets.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub patches: Vec<PatchEntry>,
    /// Strategic merge patches, as files or inline documents.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub patches_strategic_merge: Vec<String>,
    /// JSON 6902 patches with a target.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub patches_json6902: Vec<Json6902Entry>,
    /// ConfigMaps to generate.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub config_map_generator: Vec<GeneratorArgs>,
    /// Secrets to generate.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub secret_generator: Vec<GeneratorArgs>,
    /// Options for every generator of this kustomization.
    pub generator_options: Option<GeneratorOptions>,
    /// Copy values between fields of objects.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub replacements: Vec<ReplacementEntry>,
    /// Legacy `$(VAR)` substitution.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub vars: Vec<VarEntry>,
    /// CRD files whose schemas add name references.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub crds: Vec<String>,
    /// Transformer configuration files (field specs).
    #[serde(default, deserialize_with = "null_as_zero")]
    pub configurations: Vec<String>,
    /// Output ordering.
    pub sort_options: Option<SortOptions>,
    /// What to record on every object: `originAnnotations`, `transformerAnnotations`,
    /// `managedByLabel` (honored on the top kustomization, as in kustomize).
    #[serde(default, deserialize_with = "null_as_zero")]
    pub build_metadata: Vec<String>,
    /// Out of scope: custom OpenAPI schema.
    pub openapi: Option<Value>,
    /// Out of scope: Helm charts inflated by kustomize.
    pub helm_charts: Option<Value>,
    /// Out of scope: Helm chart defaults.
    pub helm_globals: Option<Value>,
    /// Transformer plugin configurations (files, directories or inline documents); loaded
    /// to fail as kustomize fails on them, none can run.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub transformers: Vec<String>,
    /// Generator plugin configurations, as `transformers`.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub generators: Vec<String>,
    /// Validator plugin configurations, as `transformers`.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub validators: Vec<String>,
}

/// One entry of `labels`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelSet {
    /// The labels.
    #[serde(default, deserialize_with = "string_map_null_as_empty")]
    pub pairs: BTreeMap<String, String>,
    /// Also add them to selectors.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub include_selectors: bool,
    /// Also add them to pod templates.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub include_templates: bool,
    /// Extra fields to add them to.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub fields: Vec<FieldSpecEntry>,
}

/// A user-written field spec (`labels[].fields`, `configurations`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpecEntry {
    /// Group of the objects it applies to.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub group: String,
    /// Version of the objects it applies to.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub version: String,
    /// Kind of the objects it applies to.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub kind: String,
    /// Slash-separated field path.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub path: String,
    /// Create the field when missing.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub create: bool,
}

/// One entry of `images`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageOverride {
    /// The image name to match (without tag or digest).
    #[serde(default, deserialize_with = "null_as_zero")]
    pub name: String,
    /// Replacement name.
    pub new_name: Option<String>,
    /// Replacement tag.
    pub new_tag: Option<String>,
    /// Replacement digest; wins over the tag.
    pub digest: Option<String>,
    /// Appended to the tag.
    pub tag_suffix: Option<String>,
}

/// One entry of `replicas`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaOverride {
    /// Name of the workload.
    pub name: String,
    /// New replica count.
    pub count: i64,
}

/// One entry of `patches` (serialized as kustomize prints it in messages).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PatchEntry {
    /// Patch file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Inline patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    /// Objects to patch; the patch's own id when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Selector>,
    /// Name and kind change permissions.
    #[serde(default, deserialize_with = "null_as_zero", skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, bool>,
}

/// A target selector: regexes over GVK, name and namespace, plus label/annotation selectors.
pub use crate::object::selector::TargetSpec as Selector;

/// One entry of `patchesJson6902`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Json6902Entry {
    /// The object to patch.
    pub target: Selector,
    /// Patch file.
    pub path: Option<String>,
    /// Inline patch.
    pub patch: Option<String>,
}

/// One entry of `configMapGenerator` or `secretGenerator`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorArgs {
    /// Object name (before prefix, suffix and hash).
    #[serde(default, deserialize_with = "null_as_zero")]
    pub name: String,
    /// Object namespace.
    pub namespace: Option<String>,
    /// `create` (default), `merge` or `replace`.
    pub behavior: Option<String>,
    /// `key=value` pairs.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub literals: Vec<String>,
    /// Files, as `path` or `key=path`.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub files: Vec<String>,
    /// Env files.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub envs: Vec<String>,
    /// Deprecated single env file.
    pub env: Option<String>,
    /// Secret type.
    #[serde(rename = "type")]
    pub secret_type: Option<String>,
    /// Per-generator options.
    pub options: Option<GeneratorOptions>,
}

/// `generatorOptions` and per-generator `options`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GeneratorOptions {
    /// Labels added to generated objects.
    #[serde(default, deserialize_with = "string_map_null_as_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations added to generated objects.
    #[serde(default, deserialize_with = "string_map_null_as_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Do not append the content hash to the name.
    pub disable_name_suffix_hash: Option<bool>,
    /// Mark the object immutable.
    pub immutable: Option<bool>,
}

/// One entry of `replacements`: inline, or a file holding one or more.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ReplacementEntry {
    /// `- path: file.yaml`.
    File {
        /// The file.
        path: String,
    },
    /// An inline replacement.
    Inline(Value),
}

/// One entry of `vars`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarEntry {
    /// `$(NAME)`.
    pub name: String,
    /// The object to read from.
    pub objref: VarObjectRef,
    /// The field to read; `metadata.name` by default.
    #[serde(default)]
    pub fieldref: Option<VarFieldRef>,
}

/// `vars[].objref`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VarObjectRef {
    /// Kind.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub kind: String,
    /// Name.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub name: String,
    /// Namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// apiVersion.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Group.
    #[serde(default)]
    pub group: Option<String>,
    /// Version.
    #[serde(default)]
    pub version: Option<String>,
}

/// `vars[].fieldref`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VarFieldRef {
    /// Dotted field path (Go's JSON decoding accepts `fieldpath` too).
    #[serde(default, alias = "fieldpath", deserialize_with = "null_as_zero")]
    pub field_path: String,
}

/// `sortOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SortOptions {
    /// `legacy` or `fifo`.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub order: String,
    /// Custom kind priorities for the legacy order.
    pub legacy_sort_options: Option<LegacySortOptions>,
}

/// `sortOptions.legacySortOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacySortOptions {
    /// Kinds printed first, in this order.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub order_first: Vec<String>,
    /// Kinds printed last, in this order.
    #[serde(default, deserialize_with = "null_as_zero")]
    pub order_last: Vec<String>,
}

/// serde's decoding message as Go's `encoding/json` words it, for the cases kustomize users
/// meet (`unknown field "x"`).
fn go_json_message(serde_message: &str) -> String {
    match serde_message.strip_prefix("unknown field `").and_then(|rest| rest.split_once('`')) {
        Some((field, _)) => format!("json: unknown field \"{field}\""),
        None => serde_message.to_string(),
    }
}

/// What a Go struct field of a kustomization takes, for [`go_type_error`].
#[derive(Clone, Copy)]
enum GoField {
    Str,
    StrMap,
    Int,
}

/// Go's `encoding/json` wording of the first value (in document order) whose JSON type does
/// not fit the Go field it decodes into, for the fields a YAML 1.1 reading commonly breaks
/// (`yes`, `on` or a number where a string is expected): `json: cannot unmarshal bool into
/// Go struct field Kustomization.commonLabels of type string`.
fn go_type_error(value: &Value) -> Option<String> {
    fn check(value: &Value, want: GoField, owner: &str, path: &str) -> Option<String> {
        let mismatch = |got: &Value, go_type: &str| {
            format!(
                "json: cannot unmarshal {} into Go struct field {owner}.{path} of type {go_type}",
                crate::yaml::json_kind(got)
            )
        };
        match (want, value) {
            (_, Value::Null) | (GoField::Str, Value::String(_)) => None,
            (GoField::Int, Value::Number(n)) if n.is_i64() || n.is_u64() => None,
            // Go words a number that is not an integer differently (it quotes the number).
            (GoField::Int, Value::Number(_)) => None,
            (GoField::Str, other) => Some(mismatch(other, "string")),
            (GoField::Int, other) => Some(mismatch(other, "int64")),
            (GoField::StrMap, Value::Object(map)) => {
                map.values().find(|v| !v.is_string() && !v.is_null()).map(|v| mismatch(v, "string"))
            }
            (GoField::StrMap, other) => Some(mismatch(other, "map[string]string")),
        }
    }
    // The fields of every element of a list of structs, in document order.
    let items = |list: &Value| -> Vec<(String, Value)> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|item| item.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect()
    };
    for (key, field) in value.as_object()? {
        let found = match key.as_str() {
            "namePrefix" | "nameSuffix" | "namespace" => check(field, GoField::Str, "Kustomization", key),
            "commonLabels" | "commonAnnotations" => check(field, GoField::StrMap, "Kustomization", key),
            "labels" => items(field)
                .iter()
                .filter(|(k, _)| k == "pairs")
                .find_map(|(_, v)| check(v, GoField::StrMap, "Label", "labels.pairs")),
            "generatorOptions" => field.as_object().into_iter().flatten().find_map(|(k, v)| match k.as_str() {
                "labels" | "annotations" => {
                    check(v, GoField::StrMap, "GeneratorOptions", &format!("generatorOptions.{k}"))
                }
                _ => None,
            }),
            "configMapGenerator" | "secretGenerator" => items(field)
                .iter()
                .filter(|(k, _)| k == "options")
                .flat_map(|(_, options)| options.as_object().cloned().unwrap_or_default())
                .find_map(|(k, v)| match k.as_str() {
                    "labels" | "annotations" => {
                        check(&v, GoField::StrMap, "GeneratorOptions", &format!("{key}.options.{k}"))
                    }
                    _ => None,
                }),
            "images" => items(field).iter().find_map(|(k, v)| match k.as_str() {
                "name" | "newName" | "newTag" | "digest" => check(v, GoField::Str, "Image", &format!("images.{k}")),
                _ => None,
            }),
            "replicas" => items(field).iter().find_map(|(k, v)| match k.as_str() {
                "name" => check(v, GoField::Str, "Replica", "replicas.name"),
                "count" => check(v, GoField::Int, "Replica", "replicas.count"),
                _ => None,
            }),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Go's `encoding/json` decodes `null` into a field as the field's zero value, so a key
/// left without a value (`patchesStrategicMerge:` whose entries are all commented out)
/// declares nothing.
fn null_as_zero<'de, D, T>(deserializer: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A `map[string]string` as Go decodes it: `null` is an empty map, and a key without a
/// value maps to "".
fn string_map_null_as_empty<'de, D>(deserializer: D) -> std::result::Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let map: Option<BTreeMap<String, Option<String>>> = Option::deserialize(deserializer)?;
    Ok(map.unwrap_or_default().into_iter().map(|(key, value)| (key, value.unwrap_or_default())).collect())
}

/// kustomize's `IsEmpty`: besides apiVersion and kind, every field is absent or Go's zero
/// value (null, "", false, 0); an empty list or map written out counts as content.
fn declares_nothing(value: &Value) -> bool {
    let Value::Object(fields) = value else {
        return value.is_null();
    };
    fields.iter().filter(|(key, _)| *key != "apiVersion" && *key != "kind").all(|(_, field)| match field {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Bool(flag) => !flag,
        Value::Number(number) => number.as_f64() == Some(0.0),
        Value::Array(_) | Value::Object(_) => false,
    })
}

impl Kustomization {
    /// Parses a kustomization file's text; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let invalid = |message: String| KustomizeError::InvalidKustomization { path: path.to_path_buf(), message };
        let value = super::yaml_input::parse_config_file(text, path).map_err(|err| match err {
            KustomizeError::Yaml { message, .. } => invalid(message),
            other => other,
        })?;
        let kustomization: Kustomization = if value.is_null() {
            Kustomization::default()
        } else {
            serde_json::from_value(value.clone()).map_err(|err| {
                let message = err.to_string();
                let type_error = message.starts_with("invalid type").then(|| go_type_error(&value)).flatten();
                invalid(type_error.unwrap_or_else(|| go_json_message(&message)))
            })?
        };
        if declares_nothing(&value) {
            return Err(KustomizeError::Refused {
                path: path.to_path_buf(),
                message: "kustomization.yaml is empty".into(),
            });
        }
        kustomization.check_type(path)?;
        kustomization.reject_unsupported(path)?;
        Ok(kustomization)
    }

    /// kustomize's `EnforceFields`: a known kind, and the apiVersion that kind requires.
    fn check_type(&self, path: &Path) -> Result<()> {
        let kind = self.kind.as_deref().filter(|k| !k.is_empty()).unwrap_or("Kustomization");
        let mut problems = Vec::new();
        if kind != "Kustomization" && kind != "Component" {
            problems.push("kind should be Kustomization or Component".to_string());
        }
        let required =
            if kind == "Component" { "kustomize.config.k8s.io/v1alpha1" } else { "kustomize.config.k8s.io/v1beta1" };
        if self.api_version.as_deref().is_some_and(|v| !v.is_empty() && v != required) {
            problems.push(format!("apiVersion for {kind} should be {required}"));
        }
        if problems.is_empty() {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(path);
        Err(KustomizeError::Refused {
            path: path.to_path_buf(),
            message: format!("Failed to read kustomization file under {}:\n{}", dir.display(), problems.join("\n")),
        })
    }

    /// True for `kind: Component`.
    pub fn is_component(&self) -> bool {
        self.kind.as_deref() == Some("Component")
    }

    fn reject_unsupported(&self, path: &Path) -> Result<()> {
        let unsupported = |feature: &str, hint: &str| KustomizeError::Unsupported {
            path: path.to_path_buf(),
            feature: feature.to_string(),
            hint: hint.to_string(),
        };
        if let Some(openapi) = &self.openapi {
            // kustomize reads the schema file first: a missing one fails as it does.
            let schema = openapi.get("path").and_then(Value::as_str).filter(|p| !p.is_empty());
            if let Some(schema) = schema.map(|p| path.parent().unwrap_or(Path::new("")).join(p))
                && !schema.exists()
            {
                return Err(super::loader::missing(&schema));
            }
            return Err(unsupported("openapi", "remove the field; driftctl uses the built-in Kubernetes schema"));
        }
        if self.helm_charts.is_some() || self.helm_globals.is_some() {
            return Err(unsupported(
                "helmCharts",
                "declare the chart as a Flux HelmRelease or render it with `driftctl render CHART`",
            ));
        }
        Ok(())
    }
}

//! The chart model: metadata from `Chart.yaml` (with `requirements.yaml`
//! read over it, as Helm reads it), default values, templates, other files and the
//! subcharts found under `charts/`, built from a chart's file list the way
//! Helm's loader sorts them.
//!
//! This module must not touch the file system (see `loader`) or render.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::HelmError;
use crate::yaml::json_kind;

/// One file of a chart, named relative to the chart root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// Path inside the chart, e.g. `templates/deployment.yaml`.
    pub name: String,
    /// Contents.
    pub data: Vec<u8>,
}

/// A maintainer entry of `Chart.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Maintainer {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// Web address.
    #[serde(default)]
    pub url: String,
}

/// A dependency entry of `Chart.yaml` (or `requirements.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Dependency {
    /// Name of the chart depended on.
    #[serde(default)]
    pub name: String,
    /// Version constraint.
    #[serde(default)]
    pub version: String,
    /// Repository URL (`https://`, `oci://`, `file://`) or alias (`@repo`).
    #[serde(default)]
    pub repository: String,
    /// Comma-separated value paths; the first that resolves to a bool enables or disables the subchart.
    #[serde(default)]
    pub condition: String,
    /// Tags enabling the subchart through `.Values.tags`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Enabled state after conditions and tags are evaluated.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Values imported from the subchart into the parent.
    #[serde(default, rename = "import-values")]
    pub import_values: Vec<Value>,
    /// Name the subchart is rendered under.
    #[serde(default)]
    pub alias: String,
}

impl Dependency {
    /// The name the subchart goes by in values and paths: its alias, else its name.
    pub fn effective_name(&self) -> &str {
        if self.alias.is_empty() { &self.name } else { &self.alias }
    }
}

/// `Chart.yaml`, with Helm's field names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Chart name.
    #[serde(default)]
    pub name: String,
    /// Project home page.
    #[serde(default)]
    pub home: String,
    /// Source code URLs.
    #[serde(default)]
    pub sources: Vec<String>,
    /// SemVer 2 chart version.
    #[serde(default, deserialize_with = "string_or_number")]
    pub version: String,
    /// One-sentence description.
    #[serde(default)]
    pub description: String,
    /// Search keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Maintainers.
    #[serde(default)]
    pub maintainers: Vec<Maintainer>,
    /// Icon URL.
    #[serde(default)]
    pub icon: String,
    /// `v1` or `v2`.
    #[serde(default, rename = "apiVersion")]
    pub api_version: String,
    /// Condition (only meaningful in `requirements.yaml` of old charts).
    #[serde(default)]
    pub condition: String,
    /// Tags (only meaningful in `requirements.yaml` of old charts).
    #[serde(default)]
    pub tags: String,
    /// Version of the application packaged.
    #[serde(default, deserialize_with = "string_or_number")]
    pub app_version: String,
    /// Whether the chart is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Free-form annotations.
    #[serde(default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
    /// SemVer constraint on the Kubernetes version.
    #[serde(default)]
    pub kube_version: String,
    /// Dependencies.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// `application` or `library`.
    #[serde(default, rename = "type")]
    pub chart_type: String,
}

/// Helm reads an unquoted number as `version` or `appVersion` through
/// float64: `1.10` becomes `1.1`, `1.0` becomes `1`.
fn string_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            Ok(if f.fract() == 0.0 && f.abs() < 1e21 { format!("{}", f as i64) } else { format!("{f}") })
        }
        Value::Null => Ok(String::new()),
        other => Err(serde::de::Error::custom(format!("appVersion must be a string, not {other}"))),
    }
}

/// A loaded chart with its subcharts.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// `Chart.yaml`.
    pub metadata: Metadata,
    /// `values.yaml` (numbers as float64, as Helm reads values).
    pub values: Map<String, Value>,
    /// `values.schema.json`, if any.
    pub schema: Option<Vec<u8>>,
    /// Files under `templates/`, in load order.
    pub templates: Vec<ChartFile>,
    /// Every other file (what `.Files` serves), in load order.
    pub files: Vec<ChartFile>,
    /// Subcharts loaded from `charts/`, sorted by directory or archive name.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    /// Builds a chart from its own files (names relative to the chart root,
    /// none under `charts/`) the way Helm's loader does; the caller adds the
    /// subcharts. Errors read as Helm's, which names no chart: the loader
    /// wraps a subchart's errors with its name.
    pub fn from_files(files: Vec<ChartFile>) -> Result<Chart, HelmError> {
        let mut chart = Chart::default();
        // Chart.yaml is read before any other file, wherever it comes in the list.
        let chart_yaml = files.iter().find(|f| f.name == "Chart.yaml");
        let has_metadata = chart_yaml.is_some();
        let mut metadata_fields = match chart_yaml {
            Some(file) => yaml_fields(&file.data, "Chart.yaml")?,
            None => Map::new(),
        };
        chart.metadata = metadata_from(&metadata_fields, "Chart.yaml")?;
        if has_metadata && chart.metadata.api_version.is_empty() {
            chart.metadata.api_version = "v1".to_string();
            metadata_fields.insert("apiVersion".to_string(), Value::String("v1".to_string()));
        }
        for file in files {
            match file.name.as_str() {
                "Chart.yaml" => {}
                "Chart.lock" => check_lock(&file, "Chart.lock")?,
                "values.yaml" => {
                    let text = String::from_utf8_lossy(&file.data);
                    chart.values = read_values(&text).map_err(|message| HelmError::InvalidChart {
                        message: format!("cannot load values.yaml: {message}"),
                    })?;
                }
                "values.schema.json" => chart.schema = Some(file.data),
                // Helm reads requirements.yaml over Chart.yaml whatever the
                // chart's apiVersion, and keeps it (and requirements.lock)
                // among the chart's files only for apiVersion v1.
                "requirements.yaml" => {
                    for (key, value) in yaml_fields(&file.data, "requirements.yaml")? {
                        match (metadata_fields.get_mut(&key), value) {
                            (Some(Value::Object(annotations)), Value::Object(more)) if key == "annotations" => {
                                annotations.extend(more)
                            }
                            (_, value) => {
                                metadata_fields.insert(key, value);
                            }
                        }
                    }
                    chart.metadata = metadata_from(&metadata_fields, "requirements.yaml")?;
                    if chart.metadata.api_version == "v1" {
                        chart.files.push(file);
                    }
                }
                "requirements.lock" => {
                    check_lock(&file, "requirements.lock")?;
                    if chart.metadata.api_version == "v1" {
                        chart.files.push(file);
                    }
                }
                name if name.starts_with("templates/") => chart.templates.push(file),
                _ => chart.files.push(file),
            }
        }
        if !has_metadata {
            return Err(HelmError::InvalidChart { message: "Chart.yaml file is missing".to_string() });
        }
        validate(&chart.metadata)?;
        Ok(chart)
    }

    /// Whether this is a library chart (templates only define partials).
    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// Files under `crds/` with a manifest extension.
    pub fn crd_files(&self) -> impl Iterator<Item = &ChartFile> {
        self.files.iter().filter(|f| {
            f.name.starts_with("crds/")
                && (f.name.ends_with(".yaml") || f.name.ends_with(".yml") || f.name.ends_with(".json"))
        })
    }
}

/// Reads a values document as Helm does: a YAML map whose numbers are float64.
pub fn read_values(text: &str) -> Result<Map<String, Value>, String> {
    match crate::yaml::from_yaml_helm(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
        Err(e) => Err(format!("error converting YAML to JSON: {}", e.go_v2_message())),
    }
}

/// The top-level fields of a `Chart.yaml`-like document, with Go's reading
/// of nulls: a null field, here or in a maintainer or dependency entry,
/// leaves the struct field as it was (absent), and a null annotation value is
/// the empty string.
fn yaml_fields(data: &[u8], file: &str) -> Result<Map<String, Value>, HelmError> {
    let text = String::from_utf8_lossy(data);
    let invalid = |message: String| HelmError::InvalidChart { message: format!("cannot load {file}: {message}") };
    let mut fields = match crate::yaml::from_yaml_helm(&text)
        .map_err(|e| invalid(format!("error converting YAML to JSON: {}", e.go_v2_message())))?
    {
        Value::Object(fields) => fields,
        Value::Null => Map::new(),
        other => {
            return Err(invalid(
                serde_json::from_value::<Metadata>(other).err().map(|e| e.to_string()).unwrap_or_default(),
            ));
        }
    };
    fields.retain(|_, value| !value.is_null());
    for list in ["maintainers", "dependencies"] {
        if let Some(Value::Array(entries)) = fields.get_mut(list) {
            for entry in entries {
                if let Value::Object(entry_fields) = entry {
                    entry_fields.retain(|_, value| !value.is_null());
                }
            }
        }
    }
    if let Some(Value::Object(annotations)) = fields.get_mut("annotations") {
        for value in annotations.values_mut().filter(|v| v.is_null()) {
            *value = Value::String(String::new());
        }
    }
    coerce_string_fields(&mut fields);
    Ok(fields)
}

/// String fields of `chart.Metadata` and its maintainers and dependencies.
const METADATA_STRINGS: [&str; 11] = [
    "name",
    "home",
    "version",
    "description",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "kubeVersion",
    "type",
];
const MAINTAINER_STRINGS: [&str; 3] = ["name", "email", "url"];
const DEPENDENCY_STRINGS: [&str; 5] = ["name", "version", "repository", "condition", "alias"];

/// Helm's YAML reader (sigs.k8s.io/yaml) turns a boolean or number into a
/// string where the Go field it fills is a string: `a: y` among the
/// annotations is `"true"`, a keyword `1.10` is `"1.1"`.
fn coerce_string_fields(fields: &mut Map<String, Value>) {
    fn coerce_keys(map: &mut Map<String, Value>, keys: &[&str]) {
        for key in keys {
            if let Some(value) = map.get_mut(*key) {
                coerce_scalar(value);
            }
        }
    }
    fn coerce_items(value: Option<&mut Value>) {
        match value {
            Some(Value::Array(items)) => items.iter_mut().for_each(coerce_scalar),
            Some(Value::Object(map)) => map.values_mut().for_each(coerce_scalar),
            _ => {}
        }
    }
    coerce_keys(fields, &METADATA_STRINGS);
    coerce_items(fields.get_mut("sources"));
    coerce_items(fields.get_mut("keywords"));
    coerce_items(fields.get_mut("annotations"));
    for (list, keys) in [("maintainers", &MAINTAINER_STRINGS[..]), ("dependencies", &DEPENDENCY_STRINGS[..])] {
        if let Some(Value::Array(entries)) = fields.get_mut(list) {
            for entry in entries {
                if let Value::Object(entry_fields) = entry {
                    coerce_keys(entry_fields, keys);
                    if list == "dependencies" {
                        coerce_items(entry_fields.get_mut("tags"));
                    }
                }
            }
        }
    }
}

/// A boolean or number as sigs.k8s.io/yaml writes it into a string field:
/// `strconv.FormatBool`, `FormatInt`, or `FormatFloat(f, 'g', -1, 32)`.
fn coerce_scalar(value: &mut Value) {
    let text = match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        Value::Number(n) => format_float32_g(n.as_f64().unwrap_or(0.0)),
        _ => return,
    };
    *value = Value::String(text);
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that
/// read back as the same float32, in exponent form when the exponent is
/// below -4 or at least 6 (`1e+06`, `1.5e-05`).
fn format_float32_g(f: f64) -> String {
    let single = f as f32;
    if single.is_infinite() {
        return if single > 0.0 { "+Inf".to_string() } else { "-Inf".to_string() };
    }
    if single.is_nan() {
        return "NaN".to_string();
    }
    let scientific = format!("{single:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        return format!("{single}");
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// Helm reads a lock file while loading the chart, so one that is not a YAML
/// map (a merge conflict left in it, say) fails the render as it fails Helm's.
fn check_lock(file: &ChartFile, name: &str) -> Result<(), HelmError> {
    let invalid = |message: String| HelmError::InvalidChart { message: format!("cannot load {name}: {message}") };
    match crate::yaml::from_yaml_helm(&String::from_utf8_lossy(&file.data)) {
        Ok(Value::Object(_) | Value::Null) => Ok(()),
        Ok(other) => Err(invalid(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type chart.Lock",
            json_kind(&other)
        ))),
        Err(e) => Err(invalid(format!("error converting YAML to JSON: {}", e.go_v2_message()))),
    }
}

fn metadata_from(fields: &Map<String, Value>, file: &str) -> Result<Metadata, HelmError> {
    serde_json::from_value(Value::Object(fields.clone()))
        .map_err(|e| HelmError::InvalidChart { message: format!("cannot load {file}: {e}") })
}

/// Helm's `Metadata.Validate`, in its order and words (Helm names no file).
fn validate(metadata: &Metadata) -> Result<(), HelmError> {
    let problem = if metadata.api_version.is_empty() {
        Some("chart.metadata.apiVersion is required".to_string())
    } else if metadata.name.is_empty() {
        Some("chart.metadata.name is required".to_string())
    } else if metadata.version.is_empty() {
        Some("chart.metadata.version is required".to_string())
    } else if !is_semver(&metadata.version) {
        Some(format!("chart.metadata.version {:?} is invalid", metadata.version))
    } else if !matches!(metadata.chart_type.as_str(), "" | "application" | "library") {
        Some("chart.metadata.type must be application or library".to_string())
    } else {
        None
    };
    match problem {
        Some(message) => Err(HelmError::InvalidChart { message: format!("validation: {message}") }),
        None => Ok(()),
    }
}

/// Masterminds semver's `NewVersion` acceptance: optional `v`, one to three
/// numeric parts, optional pre-release and build.
fn is_semver(version: &str) -> bool {
    let core = version.strip_prefix('v').unwrap_or(version);
    let core = core.split('+').next().unwrap_or(core);
    let core = core.split('-').next().unwrap_or(core);
    let parts: Vec<&str> = core.split('.').collect();
    !parts.is_empty()
        && parts.len() <= 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> ChartFile {
        ChartFile { name: name.to_string(), data: text.as_bytes().to_vec() }
    }

    #[test]
    fn files_are_sorted_into_metadata_values_templates_and_files() {
        let chart = Chart::from_files(vec![
            file("Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.2.3\nappVersion: 1.10\n"),
            file("values.yaml", "replicas: 2\n"),
            file("templates/cm.yaml", "kind: ConfigMap\n"),
            file("files/a.txt", "a"),
        ])
        .unwrap();
        assert_eq!(chart.metadata.name, "web");
        assert_eq!(chart.metadata.app_version, "1.1", "an unquoted 1.10 is the float 1.1, as in Helm");
        assert_eq!(chart.values["replicas"], serde_json::json!(2.0));
        assert_eq!(chart.templates.len(), 1);
        assert_eq!(chart.files[0].name, "files/a.txt");
    }

    #[test]
    fn invalid_version_is_reported_as_helm_does() {
        let error =
            Chart::from_files(vec![file("Chart.yaml", "apiVersion: v2\nname: web\nversion: one\n")]).unwrap_err();
        assert_eq!(error.to_string(), "validation: chart.metadata.version \"one\" is invalid");
    }
}

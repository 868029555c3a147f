//! The built-in objects templates see besides `.Values`: `.Files`,
//! `.Capabilities` (with `KubeVersion`, `APIVersions`, `HelmVersion`),
//! `.Chart` and `.Release`, with Helm's field names, Go types and printed forms.
//!
//! This module must not load charts or execute templates.

use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;

use super::chart::ChartFile;
use super::pattern::{Dialect, is_valid_gobwas_pattern, matches};
use crate::template::{HostObject, Value, go_syntax};

/// The Helm version `helm template` reports (the reference the goldens come from).
pub const HELM_VERSION: [&str; 4] = ["v3.17.3", "e4da49785aa6e6ee2b86efd5dd9e43400318262b", "clean", "go1.23.7"];

/// Kubernetes version assumed when neither `--kube-version` nor a cluster says otherwise.
pub const DEFAULT_KUBE_VERSION: &str = "v1.32.0";

/// API group versions Helm assumes without a cluster (client-go's scheme), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `.Files`: the chart's non-template files, with Helm's accessors.
#[derive(Debug, Clone)]
pub struct Files {
    files: Rc<BTreeMap<String, Rc<[u8]>>>,
}

impl Files {
    /// The files `.Files` serves for a chart.
    pub fn new(files: &[ChartFile]) -> Files {
        Files { files: Rc::new(files.iter().map(|f| (f.name.clone(), Rc::from(f.data.as_slice()))).collect()) }
    }

    fn text(&self, name: &str) -> String {
        self.files.get(name).map(|data| String::from_utf8_lossy(data).into_owned()).unwrap_or_default()
    }

    fn glob(&self, pattern: &str) -> Files {
        // Helm matches every file (`**`) when the pattern does not compile.
        if !is_valid_gobwas_pattern(pattern) {
            return self.clone();
        }
        let selected = self
            .files
            .iter()
            .filter(|(name, _)| matches(pattern, name, Dialect::Gobwas).unwrap_or(false))
            .map(|(name, data)| (name.clone(), data.clone()))
            .collect();
        Files { files: Rc::new(selected) }
    }

    /// Helm's `AsConfig`/`AsSecrets`: base names to contents (or base64), as YAML.
    fn as_map_yaml(&self, encode: bool) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .files
            .iter()
            .map(|(name, data)| {
                let base = name.rsplit('/').next().unwrap_or(name).to_string();
                let text = if encode {
                    base64::engine::general_purpose::STANDARD.encode(data)
                } else {
                    String::from_utf8_lossy(data).into_owned()
                };
                (base, serde_json::Value::String(text))
            })
            .collect();
        crate::yaml::to_yaml_helm(&serde_json::Value::Object(map))
    }

    fn lines(&self, name: &str) -> Result<Value, String> {
        let Some(data) = self.files.get(name) else {
            return Ok(Value::str_list(Vec::new()));
        };
        // Helm reads the last byte of the file unchecked: an empty file panics.
        if data.is_empty() {
            return Err("runtime error: index out of range [-1]".to_string());
        }
        let text = String::from_utf8_lossy(data);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Ok(Value::str_list(text.split('\n').map(str::to_string).collect()))
    }
}

impl HostObject for Files {
    fn go_type(&self) -> String {
        "engine.files".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "map"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = || args.first().and_then(Value::as_str).unwrap_or_default().to_string();
        Some(match name {
            "Get" => Ok(Value::str(self.text(&arg()))),
            "GetBytes" => Ok(Value::bytes(self.files.get(&arg()).map(|data| &data[..]).unwrap_or_default())),
            "Glob" => Ok(Value::Object(Rc::new(self.glob(&arg())))),
            "Lines" => self.lines(&arg()),
            "AsConfig" => Ok(Value::str(self.as_map_yaml(false))),
            "AsSecrets" => Ok(Value::str(self.as_map_yaml(true))),
            _ => return None,
        })
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets")
    }
    /// `range $path, $bytes := .Files.Glob "…"`: contents are `[]byte`, as in Helm.
    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        Some(self.files.iter().map(|(name, data)| (Value::str(name.as_str()), Value::bytes(data))).collect())
    }
    /// Go prints `map[string][]byte` with each byte as a number.
    fn format(&self) -> String {
        let entries: Vec<String> = self
            .files
            .iter()
            .map(|(name, data)| {
                let bytes: Vec<String> = data.iter().map(u8::to_string).collect();
                format!("{name}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", entries.join(" "))
    }
    /// `%s` prints each file's bytes as text.
    fn format_text(&self) -> Option<String> {
        let entries: Vec<String> =
            self.files.iter().map(|(name, data)| format!("{name}:{}", String::from_utf8_lossy(data))).collect();
        Some(format!("map[{}]", entries.join(" ")))
    }
    /// `%#v`: `engine.files{"a.txt":[]uint8{0x61}}`.
    fn format_verbose(&self, go_syntax_wanted: bool) -> Option<String> {
        go_syntax_wanted.then(|| {
            let entries: Vec<String> = self
                .files
                .iter()
                .map(|(name, data)| {
                    format!("{}:{}", go_syntax(&Value::str(name.as_str())), go_syntax(&Value::bytes(data)))
                })
                .collect();
            format!("engine.files{{{}}}", entries.join(", "))
        })
    }
    /// `encoding/json` writes `[]byte` as base64.
    fn to_json(&self) -> Option<serde_json::Value> {
        let encode =
            |data: &Rc<[u8]>| serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(data));
        Some(serde_json::Value::Object(self.files.iter().map(|(name, data)| (name.clone(), encode(data))).collect()))
    }
}

/// `.Capabilities`: what the target cluster offers.
#[derive(Debug, Clone)]
pub struct Capabilities {
    kube_version: Rc<KubeVersion>,
    api_versions: Rc<ApiVersions>,
}

impl Capabilities {
    /// Capabilities for Kubernetes `kube_version` (`v1.29.0` or `1.29`) with
    /// the API versions a cluster's discovery lists (`None`: Helm's default
    /// list, as `helm template` uses) plus `extra_api_versions`.
    pub fn new(
        kube_version: &str,
        discovered: Option<&[String]>,
        extra_api_versions: &[String],
    ) -> Result<Capabilities, String> {
        let mut api_versions: Vec<String> = match discovered {
            Some(listed) => listed.to_vec(),
            None => DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
        };
        api_versions.extend(extra_api_versions.iter().cloned());
        Ok(Capabilities {
            kube_version: Rc::new(KubeVersion::parse(kube_version)?),
            api_versions: Rc::new(ApiVersions(api_versions)),
        })
    }

    /// The Kubernetes version, as `v1.29.0`.
    pub fn kube_version(&self) -> &str {
        &self.kube_version.version
    }
}

impl HostObject for Capabilities {
    fn go_type(&self) -> String {
        "*chartutil.Capabilities".to_string()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube_version.clone())),
            "APIVersions" => Some(Value::Object(self.api_versions.clone())),
            "HelmVersion" => Some(Value::Object(Rc::new(HelmVersion))),
            _ => None,
        }
    }
    fn format(&self) -> String {
        format!("&{{{} {} {}}}", self.kube_version.format_struct(), self.api_versions.format(), HelmVersion.format())
    }
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        let fields = [
            ("KubeVersion", self.kube_version.format_verbose(go_syntax)?),
            ("APIVersions", self.api_versions.format_verbose(go_syntax)?),
            ("HelmVersion", HelmVersion.format_verbose(go_syntax)?),
        ];
        Some(format!("&{}", struct_fields(go_syntax.then_some("chartutil.Capabilities"), &fields)))
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("KubeVersion".to_string(), self.kube_version.to_json()?);
        map.insert("APIVersions".to_string(), self.api_versions.to_json()?);
        map.insert("HelmVersion".to_string(), HelmVersion.to_json()?);
        Some(serde_json::Value::Object(map))
    }
}

/// `.Capabilities.KubeVersion`. Its `String` and `GitVersion` methods have
/// pointer receivers, so only the addressable field has them: a copy handed
/// to a function prints as the struct (`{v1.32.0 1 32}`).
#[derive(Debug, Clone)]
struct KubeVersion {
    version: String,
    major: String,
    minor: String,
    addressable: bool,
}

impl KubeVersion {
    /// Parses as Helm's `ParseKubeVersion` (semver, `v` added).
    fn parse(text: &str) -> Result<KubeVersion, String> {
        let bare = text.strip_prefix('v').unwrap_or(text);
        let core = bare.split(['-', '+']).next().unwrap_or(bare);
        let mut parts = core.split('.');
        let numbers: Vec<u64> = parts
            .by_ref()
            .map(|p| p.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("invalid kube version '{text}': Invalid Semantic Version"))?;
        if numbers.is_empty() || numbers.len() > 3 {
            return Err(format!("invalid kube version '{text}': Invalid Semantic Version"));
        }
        let (major, minor, patch) =
            (numbers[0], numbers.get(1).copied().unwrap_or(0), numbers.get(2).copied().unwrap_or(0));
        let suffix = &bare[core.len()..];
        Ok(KubeVersion {
            version: format!("v{major}.{minor}.{patch}{suffix}"),
            major: major.to_string(),
            minor: minor.to_string(),
            addressable: true,
        })
    }

    fn format_struct(&self) -> String {
        format!("{{{} {} {}}}", self.version, self.major, self.minor)
    }
}

impl HostObject for KubeVersion {
    fn go_type(&self) -> String {
        "chartutil.KubeVersion".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::str(self.version.as_str())),
            "GitVersion" if self.addressable => Some(Value::str(self.version.as_str())),
            "Major" => Some(Value::str(self.major.as_str())),
            "Minor" => Some(Value::str(self.minor.as_str())),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, _: &[Value]) -> Option<Result<Value, String>> {
        self.has_method(name).then(|| Ok(Value::str(self.version.as_str())))
    }
    fn has_method(&self, name: &str) -> bool {
        self.addressable && name == "String"
    }
    fn format(&self) -> String {
        if self.addressable { self.version.clone() } else { self.format_struct() }
    }
    /// Printed inside `.Capabilities` or handed to `printf`, the struct is a
    /// copy without the `String` method: its fields show.
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        let fields = [("Version", &self.version), ("Major", &self.major), ("Minor", &self.minor)]
            .map(|(name, text)| (name, string_field(text, go_syntax)));
        Some(struct_fields(go_syntax.then_some("chartutil.KubeVersion"), &fields))
    }
    fn copied_into_interface(&self) -> Option<Rc<dyn HostObject>> {
        self.addressable.then(|| Rc::new(KubeVersion { addressable: false, ..self.clone() }) as Rc<dyn HostObject>)
    }
    /// The struct's fields (no JSON tags); `GitVersion` is a method in Go.
    fn to_json(&self) -> Option<serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("Version".to_string(), self.version.clone().into());
        map.insert("Major".to_string(), self.major.clone().into());
        map.insert("Minor".to_string(), self.minor.clone().into());
        Some(serde_json::Value::Object(map))
    }
}

/// `.Capabilities.APIVersions`.
#[derive(Debug, Clone)]
struct ApiVersions(Vec<String>);

impl HostObject for ApiVersions {
    fn go_type(&self) -> String {
        "chartutil.VersionSet".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "slice"
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "Has").then(|| {
            let wanted = args.first().and_then(Value::as_str).unwrap_or_default();
            Ok(Value::Bool(self.0.iter().any(|v| v == wanted)))
        })
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        Some(self.0.iter().enumerate().map(|(i, v)| (Value::Int(i as i64), Value::str(v.as_str()))).collect())
    }
    fn format(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        if !go_syntax {
            return Some(self.format());
        }
        let items: Vec<String> = self.0.iter().map(|v| string_field(v, true)).collect();
        Some(format!("chartutil.VersionSet{{{}}}", items.join(", ")))
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(self.0.iter().map(|v| serde_json::Value::String(v.clone())).collect())
    }
}

/// `.Capabilities.HelmVersion`.
#[derive(Debug, Clone, Copy)]
struct HelmVersion;

impl HostObject for HelmVersion {
    fn go_type(&self) -> String {
        "version.BuildInfo".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let index = ["Version", "GitCommit", "GitTreeState", "GoVersion"].iter().position(|f| *f == name)?;
        Some(Value::str(HELM_VERSION[index]))
    }
    fn format(&self) -> String {
        format!("{{{}}}", HELM_VERSION.join(" "))
    }
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        let names = ["Version", "GitCommit", "GitTreeState", "GoVersion"];
        let fields: Vec<(&str, String)> =
            names.iter().zip(HELM_VERSION).map(|(name, v)| (*name, string_field(v, go_syntax))).collect();
        Some(struct_fields(go_syntax.then_some("version.BuildInfo"), &fields))
    }
    /// `version.BuildInfo`'s JSON tags.
    fn to_json(&self) -> Option<serde_json::Value> {
        let tags = ["version", "git_commit", "git_tree_state", "go_version"];
        Some(serde_json::Value::Object(tags.iter().zip(HELM_VERSION).map(|(t, v)| (t.to_string(), v.into())).collect()))
    }
}

/// A string field as `%+v` (as written) or `%#v` (quoted) prints it.
fn string_field(text: &str, go_syntax: bool) -> String {
    if go_syntax { crate::template::go_syntax(&Value::str(text)) } else { text.to_string() }
}

/// A struct as Go's `%+v` (`{A:x B:y}`) or, given its type name, `%#v`
/// (`T{A:"x", B:"y"}`) prints it.
fn struct_fields(go_type: Option<&str>, fields: &[(&str, String)]) -> String {
    let parts: Vec<String> = fields.iter().map(|(name, text)| format!("{name}:{text}")).collect();
    match go_type {
        Some(go_type) => format!("{go_type}{{{}}}", parts.join(", ")),
        None => format!("{{{}}}", parts.join(" ")),
    }
}

/// `.Release` for `helm template`: a first install.
pub fn release(name: &str, namespace: &str) -> Value {
    let mut map = BTreeMap::new();
    map.insert("Name".to_string(), Value::str(name));
    map.insert("Namespace".to_string(), Value::str(namespace));
    map.insert("IsInstall".to_string(), Value::Bool(true));
    map.insert("IsUpgrade".to_string(), Value::Bool(false));
    map.insert("Revision".to_string(), Value::Int(1));
    map.insert("Service".to_string(), Value::str("Helm"));
    Value::map(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_reads_like_helm() {
        let capabilities = Capabilities::new("1.25", None, &[]).unwrap();
        assert_eq!(capabilities.kube_version(), "v1.25.0");
        assert!(Capabilities::new("latest", None, &[]).is_err());
    }

    #[test]
    fn discovered_api_versions_replace_the_default_list() {
        let has = |c: &Capabilities, v: &str| c.api_versions.0.iter().any(|a| a == v);
        let offline = Capabilities::new("1.20", None, &["example.com/v1".to_string()]).unwrap();
        assert!(has(&offline, "autoscaling/v2") && has(&offline, "example.com/v1"));
        let listed = ["v1".to_string(), "autoscaling/v2beta2".to_string()];
        let live = Capabilities::new("1.20", Some(&listed), &["example.com/v1".to_string()]).unwrap();
        assert!(!has(&live, "autoscaling/v2"), "a version the cluster does not serve is absent");
        assert!(has(&live, "autoscaling/v2beta2") && has(&live, "example.com/v1"));
    }

    #[test]
    fn files_glob_and_as_config() {
        let file = |name: &str, text: &str| ChartFile { name: name.to_string(), data: text.as_bytes().to_vec() };
        let files = Files::new(&[file("conf/a.ini", "x=1\n"), file("conf/sub/b.ini", "y"), file("other.txt", "z")]);
        let globbed = files.glob("conf/*.ini");
        assert_eq!(globbed.as_map_yaml(false), "a.ini: |\n  x=1");
        assert_eq!(files.glob("conf/**").files.len(), 2);
        assert_eq!(files.glob("nothing/*").as_map_yaml(true), "{}");
    }
}

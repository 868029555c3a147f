//! One object in the build and its identity (`ResId`): group, version, kind, namespace,
//! name, plus the names and namespaces it had before transformers renamed it, which name
//! reference rewriting and patch targeting need.

use std::fmt;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::schema;

/// Group, version and kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gvk {
    /// API group; empty for core.
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
}

impl Gvk {
    /// Splits an `apiVersion` (`apps/v1`, `v1`) and pairs it with a kind.
    pub fn from_api_version(api_version: &str, kind: &str) -> Self {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        Gvk { group: group.to_string(), version: version.to_string(), kind: kind.to_string() }
    }

    /// True when the kind is a built-in cluster-scoped kind.
    pub fn is_cluster_scoped(&self) -> bool {
        schema::is_cluster_scoped(&self.group, &self.kind)
    }

    /// kustomize's `group_version_kind` form with `~G`/`~V`/`~K` placeholders, used for sorting.
    pub fn sort_key(&self) -> String {
        let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
        format!("{}_{}_{}", or(&self.group, "~G"), or(&self.version, "~V"), or(&self.kind, "~K"))
    }
}

/// The identity of an object at one moment of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResId {
    /// Group, version and kind.
    pub gvk: Gvk,
    /// Namespace as written; empty when unset.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl ResId {
    /// The namespace used for comparisons: `default` when unset, none for cluster-scoped kinds.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            ""
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The id as Go's `%#v` prints kustomize's `resid.ResId`, which its generator messages show.
    pub fn go_syntax(&self) -> String {
        let quote = super::error::go_quote;
        format!(
            "resid.ResId{{Gvk:resid.Gvk{{Group:{}, Version:{}, Kind:{}, isClusterScoped:{}}}, Name:{}, Namespace:{}}}",
            quote(&self.gvk.group),
            quote(&self.gvk.version),
            quote(&self.gvk.kind),
            self.gvk.is_cluster_scoped(),
            quote(&self.name),
            quote(&self.namespace)
        )
    }

    /// Same group, version, kind, name and effective namespace (kustomize's `ResId.Equals`).
    pub fn same_object(&self, other: &ResId) -> bool {
        self.gvk == other.gvk && self.name == other.name && self.effective_namespace() == other.effective_namespace()
    }
}

impl fmt::Display for ResId {
    /// kustomize's form: `ConfigMap.v1.[noGrp]/name.namespace`, placeholders for empty parts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn or<'a>(text: &'a str, placeholder: &'a str) -> &'a str {
            if text.is_empty() { placeholder } else { text }
        }
        write!(
            f,
            "{}.{}.{}/{}.{}",
            or(&self.gvk.kind, "[noKind]"),
            or(&self.gvk.version, "[noVer]"),
            or(&self.gvk.group, "[noGrp]"),
            or(&self.name, "[noName]"),
            or(&self.namespace, "[noNs]")
        )
    }
}

/// How a generated object combines with one of the same id from a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behavior {
    /// A new object; a clash is an error.
    Create,
    /// Merge data into the base's object.
    Merge,
    /// Replace the base's object.
    Replace,
}

/// An identity an object had earlier in the build; its group and version are the current ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousId {
    /// Kind.
    pub kind: String,
    /// Namespace as written; empty when unset.
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// One object of the build.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The object's fields, in file order.
    pub object: Map<String, Value>,
    /// The file it came from (the kustomization file for generated objects).
    pub origin: PathBuf,
    /// 1-based line of its document in that file (0: generated, or no line known).
    pub line: usize,
    /// Earlier identities, oldest first, recorded when a transformer renames or moves the
    /// object or a patch changes its kind.
    pub previous: Vec<PreviousId>,
    /// Name prefixes added so far, innermost first (kustomize compares them to pick among
    /// objects renamed from the same name).
    pub prefixes: Vec<String>,
    /// Name suffixes added so far, innermost first.
    pub suffixes: Vec<String>,
    /// The vars bound to this object where they were declared.
    pub var_names: Vec<String>,
    /// The built-in transformers that ran over it, in order (for `buildMetadata`).
    pub transformations: Vec<super::build_metadata::Transformation>,
    /// Set on generated objects: whether the name gets a content hash.
    pub needs_hash: bool,
    /// Set on generated objects.
    pub behavior: Option<Behavior>,
}

impl Resource {
    /// Wraps a parsed object.
    pub fn new(object: Map<String, Value>, origin: PathBuf) -> Self {
        Resource {
            object,
            origin,
            line: 0,
            previous: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            var_names: Vec::new(),
            transformations: Vec::new(),
            needs_hash: false,
            behavior: None,
        }
    }

    /// A string field at the top level or under `metadata`.
    fn text(&self, parent: Option<&str>, key: &str) -> &str {
        let map = match parent {
            Some(p) => self.object.get(p).and_then(Value::as_object),
            None => Some(&self.object),
        };
        map.and_then(|m| m.get(key)).and_then(Value::as_str).unwrap_or("")
    }

    /// `apiVersion`.
    pub fn api_version(&self) -> &str {
        self.text(None, "apiVersion")
    }

    /// `kind`.
    pub fn kind(&self) -> &str {
        self.text(None, "kind")
    }

    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.text(Some("metadata"), "name")
    }

    /// `metadata.namespace`, empty when unset.
    pub fn namespace(&self) -> &str {
        self.text(Some("metadata"), "namespace")
    }

    /// Group, version and kind.
    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.api_version(), self.kind())
    }

    /// The current identity.
    pub fn id(&self) -> ResId {
        ResId { gvk: self.gvk(), namespace: self.namespace().to_string(), name: self.name().to_string() }
    }

    /// True when the current identity is the same object as `id` (kustomize's `ResId.Equals`),
    /// compared in place: conflict checks run it for every pair of objects in a build.
    pub fn is(&self, id: &ResId) -> bool {
        if self.kind() != id.gvk.kind || self.name() != id.name {
            return false;
        }
        let (group, version) = self.api_version().rsplit_once('/').unwrap_or(("", self.api_version()));
        if group != id.gvk.group || version != id.gvk.version {
            return false;
        }
        let namespace = self.namespace();
        id.gvk.is_cluster_scoped()
            || namespace == id.namespace
            || (namespace.is_empty() || namespace == "default") && id.effective_namespace() == "default"
    }

    /// The current identity followed by every earlier one.
    pub fn all_ids(&self) -> Vec<ResId> {
        let gvk = self.gvk();
        let mut ids = vec![self.id()];
        for previous in self.previous.iter().rev() {
            let gvk = Gvk { kind: previous.kind.clone(), ..gvk.clone() };
            ids.push(ResId { gvk, namespace: previous.namespace.clone(), name: previous.name.clone() });
        }
        ids
    }

    /// The identity it had when it entered the build.
    pub fn original_id(&self) -> ResId {
        self.all_ids().pop().unwrap_or_else(|| self.id())
    }

    /// The `metadata` map, created when missing.
    pub fn metadata_mut(&mut self) -> &mut Map<String, Value> {
        let entry = self.object.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        entry.as_object_mut().expect("just made an object")
    }

    /// Renames the object and/or moves it, remembering the old identity.
    pub fn set_identity(&mut self, namespace: Option<&str>, name: Option<&str>) {
        let old = self.current_as_previous();
        let metadata = self.metadata_mut();
        if let Some(name) = name {
            metadata.insert("name".to_string(), Value::String(name.to_string()));
        }
        if let Some(namespace) = namespace {
            metadata.insert("namespace".to_string(), Value::String(namespace.to_string()));
        }
        if self.previous.last() != Some(&old) && self.current_as_previous() != old {
            self.previous.push(old);
        }
    }

    /// Records the current identity as an earlier one, as kustomize does before a patch that
    /// may change the name or kind: later patches and references may use either.
    pub fn remember_identity(&mut self) {
        let current = self.current_as_previous();
        self.previous.push(current);
    }

    fn current_as_previous(&self) -> PreviousId {
        PreviousId {
            kind: self.kind().to_string(),
            namespace: self.namespace().to_string(),
            name: self.name().to_string(),
        }
    }

    /// A map under `metadata` (`labels`, `annotations`) as string pairs.
    pub fn metadata_strings(&self, key: &str) -> Vec<(String, String)> {
        self.object
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default()
    }

    /// `Kind/namespace/name` for messages.
    pub fn describe(&self) -> String {
        if self.namespace().is_empty() {
            format!("{}/{}", self.kind(), self.name())
        } else {
            format!("{}/{}/{}", self.kind(), self.namespace(), self.name())
        }
    }
}

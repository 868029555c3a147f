//! API discovery: which resource (plural, scope) serves each (group, version,
//! kind) that Git mentions. Only the groups Git touches are discovered.

use std::collections::{BTreeSet, HashMap};

use kube::discovery::{ApiResource, Discovery, Scope};

use super::ClusterError;

/// How one kind is served.
#[derive(Debug, Clone)]
pub struct ResourceInfo {
    /// Group, version, kind and plural.
    pub resource: ApiResource,
    /// Whether objects of this kind live in namespaces.
    pub namespaced: bool,
}

/// The served kinds of the discovered groups.
#[derive(Debug, Default, Clone)]
pub struct ApiCatalog {
    by_gvk: HashMap<(String, String, String), ResourceInfo>,
    versions_by_gk: HashMap<(String, String), Vec<String>>,
}

/// Why a kind cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unserved {
    /// The group/kind is served, but not at this version.
    Version {
        /// Versions that are served.
        served: Vec<String>,
    },
    /// The cluster does not know the kind at all (missing CRD?).
    Kind,
}

impl std::fmt::Display for Unserved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unserved::Version { served } => {
                write!(f, "this version is not served; the cluster serves {}", served.join(", "))
            }
            Unserved::Kind => f.write_str("the cluster does not serve this kind (is its CRD installed?)"),
        }
    }
}

impl ApiCatalog {
    /// Discovers the given API groups (`""` is the core group).
    pub async fn discover(client: &kube::Client, groups: &BTreeSet<String>) -> Result<Self, ClusterError> {
        let names: Vec<&str> = groups.iter().map(String::as_str).collect();
        let discovery = Discovery::new(client.clone())
            .filter(&names)
            .run()
            .await
            .map_err(|source| ClusterError::api("discovering the cluster's API resources", source))?;
        Ok(Self::of(&discovery))
    }

    /// The served kinds of a discovery that already ran.
    pub fn of(discovery: &Discovery) -> Self {
        let mut catalog = ApiCatalog::default();
        for group in discovery.groups() {
            for version in group.versions() {
                for (resource, caps) in group.versioned_resources(version) {
                    // Subresources (deployments/scale) share the kind of their parent.
                    if resource.plural.contains('/') {
                        continue;
                    }
                    let namespaced = caps.scope == Scope::Namespaced;
                    catalog.insert(ResourceInfo { resource, namespaced });
                }
            }
        }
        catalog
    }

    /// Adds a served kind (discovery, or a test).
    pub fn insert(&mut self, info: ResourceInfo) {
        let r = &info.resource;
        let gk = (r.group.clone(), r.kind.clone());
        let versions = self.versions_by_gk.entry(gk).or_default();
        if !versions.contains(&r.version) {
            versions.push(r.version.clone());
        }
        self.by_gvk.insert((r.group.clone(), r.version.clone(), r.kind.clone()), info);
    }

    /// The resource serving `apiVersion` + `kind`.
    pub fn lookup(&self, api_version: &str, kind: &str) -> Result<&ResourceInfo, Unserved> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        if let Some(info) = self.by_gvk.get(&(group.to_string(), version.to_string(), kind.to_string())) {
            return Ok(info);
        }
        match self.versions_by_gk.get(&(group.to_string(), kind.to_string())) {
            Some(served) => Err(Unserved::Version { served: served.clone() }),
            None => Err(Unserved::Kind),
        }
    }

    /// Whether a group/kind is namespaced, at any served version.
    pub fn is_namespaced(&self, group: &str, kind: &str) -> Option<bool> {
        let versions = self.versions_by_gk.get(&(group.to_string(), kind.to_string()))?;
        let version = versions.first()?;
        self.by_gvk.get(&(group.to_string(), version.clone(), kind.to_string())).map(|i| i.namespaced)
    }
}

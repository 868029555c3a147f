//! Object identity: `(group, kind, namespace, name)`. The API version is not
//! part of it — `apps/v1` and `apps/v1beta1` name the same object.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Identifies one Kubernetes object across Git, last-applied state and the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// API group; empty for the core group.
    pub group: String,
    /// Kind, e.g. `Deployment`.
    pub kind: String,
    /// Namespace; `None` for cluster-scoped objects.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
}

impl ObjectRef {
    /// Builds a reference from an `apiVersion` (`group/version` or `version`) and the rest.
    pub fn new(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Self {
        ObjectRef {
            group: group_of(api_version).to_string(),
            kind: kind.to_string(),
            namespace: namespace.filter(|ns| !ns.is_empty()).map(str::to_string),
            name: name.to_string(),
        }
    }
}

/// The group part of an `apiVersion`: `apps/v1` → `apps`, `v1` → ``.
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

impl fmt::Display for ObjectRef {
    /// `Deployment.apps/web/podinfo`, `ConfigMap/web/settings`, `ClusterRole.rbac.authorization.k8s.io/reader`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        if !self.group.is_empty() {
            write!(f, ".{}", self.group)?;
        }
        if let Some(ns) = &self.namespace {
            write!(f, "/{ns}")?;
        }
        write!(f, "/{}", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_not_part_of_identity() {
        let a = ObjectRef::new("apps/v1", "Deployment", Some("web"), "podinfo");
        let b = ObjectRef::new("apps/v1beta1", "Deployment", Some("web"), "podinfo");
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "Deployment.apps/web/podinfo");
    }

    #[test]
    fn core_group_and_cluster_scope() {
        let r = ObjectRef::new("v1", "Namespace", Some(""), "web");
        assert_eq!(r.group, "");
        assert_eq!(r.namespace, None);
        assert_eq!(r.to_string(), "Namespace/web");
    }
}

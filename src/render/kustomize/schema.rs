//! Lookups into the generated table of built-in Kubernetes types (`schema_table.rs`, from
//! the Kubernetes v1.21.2 OpenAPI document kustomize v5.5.0 embeds):
//! which lists merge by key and which kinds are cluster-scoped. Unknown kinds (custom
//! resources) have no schema here; callers fall back to kustomize's inference.

use super::resource::Gvk;
use super::schema_table::{CLUSTER_SCOPED, ROOTS, TYPES};

/// One field of a definition that carries patch facts or leads to one that does.
#[derive(Debug)]
pub struct SchemaField {
    /// JSON field name.
    pub name: &'static str,
    /// Index into the type table of the field's own type (or list item type).
    pub child: Option<u16>,
    /// `x-kubernetes-patch-strategy` (`merge`, `replace`, `retainKeys`, combinations).
    pub strategy: &'static str,
    /// `x-kubernetes-patch-merge-key`, or the first list-map key.
    pub merge_key: &'static str,
    /// The other `x-kubernetes-list-map-keys` of a list keyed by several fields.
    pub other_keys: &'static [&'static str],
}

/// A top-level kind and the definition describing it.
#[derive(Debug)]
pub struct SchemaRoot {
    /// API group.
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Index into the type table.
    pub type_index: u16,
}

/// A position in the schema: the definition describing the current map.
#[derive(Debug, Clone, Copy)]
pub struct SchemaType(u16);

impl SchemaType {
    /// The definition of a top-level kind at exactly this group and version. Like kustomize,
    /// a version the embedded schema does not know (`apps/v1beta2`) has none: its lists are
    /// replaced, not merged by key.
    pub fn for_kind(gvk: &Gvk) -> Option<Self> {
        ROOTS
            .iter()
            .find(|r| r.group == gvk.group && r.version == gvk.version && r.kind == gvk.kind)
            .map(|r| SchemaType(r.type_index))
    }

    /// The facts of one field of this definition.
    pub fn field(self, name: &str) -> Option<&'static SchemaField> {
        TYPES[usize::from(self.0)].iter().find(|f| f.name == name)
    }

    /// The definition of a field's value (or list items).
    pub fn child(field: &SchemaField) -> Option<Self> {
        field.child.map(SchemaType)
    }
}

/// True for built-in kinds that are not namespaced.
pub fn is_cluster_scoped(group: &str, kind: &str) -> bool {
    // The generated table is sorted by (group, kind); identity checks call this for every pair.
    CLUSTER_SCOPED.binary_search(&(group, kind)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_scoped_table_is_sorted_for_binary_search() {
        assert!(CLUSTER_SCOPED.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_cluster_scoped("rbac.authorization.k8s.io", "ClusterRole"));
        assert!(is_cluster_scoped("", "Namespace"));
        assert!(!is_cluster_scoped("", "ConfigMap"));
        assert!(!is_cluster_scoped("rbac.authorization.k8s.io", "Role"));
    }
}

//! A Kubernetes object as JSON, with the accessors every stage needs. The
//! object is kept whole (`serde_json::Value`, key order preserved) so no field
//! is lost between Git, the cluster and a fix.

use serde_json::Value;

use super::ObjectRef;

/// The annotation `kubectl apply` (client-side) records the applied configuration in.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A Kubernetes object: any kind, as a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest(pub Value);

impl Manifest {
    /// `apiVersion`, or "" when absent.
    pub fn api_version(&self) -> &str {
        self.str_at(&["apiVersion"])
    }

    /// `kind`, or "" when absent.
    pub fn kind(&self) -> &str {
        self.str_at(&["kind"])
    }

    /// `metadata.name`, or "" when absent.
    pub fn name(&self) -> &str {
        self.str_at(&["metadata", "name"])
    }

    /// `metadata.namespace`, if set and not empty.
    pub fn namespace(&self) -> Option<&str> {
        Some(self.str_at(&["metadata", "namespace"])).filter(|ns| !ns.is_empty())
    }

    /// An annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.0.get("metadata")?.get("annotations")?.get(key)?.as_str()
    }

    /// A label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.0.get("metadata")?.get("labels")?.get(key)?.as_str()
    }

    /// The object's identity.
    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef::new(self.api_version(), self.kind(), self.namespace(), self.name())
    }

    /// Sets `metadata.namespace`.
    pub fn set_namespace(&mut self, namespace: &str) {
        if let Some(meta) = self.0.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("namespace".into(), Value::String(namespace.into()));
        }
    }

    /// Removes `metadata.namespace` (for cluster-scoped kinds).
    pub fn clear_namespace(&mut self) {
        if let Some(meta) = self.0.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("namespace");
        }
    }

    fn str_at(&self, path: &[&str]) -> &str {
        path.iter().try_fold(&self.0, |v, key| v.get(key)).and_then(Value::as_str).unwrap_or("")
    }
}

//! Output order: kustomize's legacy order (by kind priority, then group/version/kind, then
//! namespace and name) — the default of `kustomize build` — or input order (`fifo`).

use super::resource::{Gvk, Resource};

/// Kinds printed first, in this order.
const ORDER_FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds printed last, in this order.
const ORDER_LAST: [&str; 2] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/// How a build's output is ordered.
#[derive(Debug, Clone)]
pub enum Ordering {
    /// As the objects were accumulated.
    Fifo,
    /// By kind priority, then group/version/kind, namespace and name.
    Legacy(KindOrder),
}

impl Ordering {
    /// Puts `resources` in this order.
    pub fn sort(&self, resources: &mut [Resource]) {
        if let Ordering::Legacy(kinds) = self {
            kinds.sort(resources);
        }
    }
}

/// Kind priorities: the default lists, or the kustomization's `legacySortOptions`.
#[derive(Debug, Clone)]
pub struct KindOrder {
    first: Vec<String>,
    last: Vec<String>,
}

impl Default for KindOrder {
    fn default() -> Self {
        KindOrder {
            first: ORDER_FIRST.iter().map(|k| k.to_string()).collect(),
            last: ORDER_LAST.iter().map(|k| k.to_string()).collect(),
        }
    }
}

impl KindOrder {
    /// kustomize's built-in legacy order, built once.
    pub fn legacy() -> &'static KindOrder {
        static LEGACY: std::sync::LazyLock<KindOrder> = std::sync::LazyLock::new(KindOrder::default);
        &LEGACY
    }

    /// Custom lists, as `sortOptions.legacySortOptions` gives them.
    pub fn custom(first: &[String], last: &[String]) -> Self {
        KindOrder { first: first.to_vec(), last: last.to_vec() }
    }

    /// A kind's priority: negative for the first kinds, positive for the last, 0 otherwise.
    pub fn rank(&self, kind: &str) -> i64 {
        if let Some(i) = self.first.iter().position(|k| k == kind) {
            return i as i64 - self.first.len() as i64;
        }
        self.last.iter().position(|k| k == kind).map_or(0, |i| i as i64 + 1)
    }

    fn sort_key(&self, resource: &Resource) -> (i64, String, String) {
        let gvk: Gvk = resource.gvk();
        let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
        let id = format!("{}|{}|{}", gvk.sort_key(), or(resource.namespace(), "~X"), or(resource.name(), "~N"));
        (self.rank(&gvk.kind), gvk.sort_key(), id)
    }

    /// Sorts in kustomize's legacy order.
    pub fn sort(&self, resources: &mut [Resource]) {
        resources.sort_by_cached_key(|r| self.sort_key(r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_first_webhooks_last_others_by_gvk() {
        let order = KindOrder::default();
        assert!(order.rank("Namespace") < order.rank("Deployment"));
        assert!(order.rank("Deployment") < order.rank("Ingress"));
        assert!(order.rank("Ingress") < order.rank("ValidatingWebhookConfiguration"));
        assert_eq!(order.rank("Ingress"), order.rank("Widget"));
    }
}

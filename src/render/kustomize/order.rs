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

fn kind_rank(kind: &str) -> i64 {
    if let Some(i) = ORDER_FIRST.iter().position(|k| *k == kind) {
        return i as i64 - ORDER_FIRST.len() as i64;
    }
    ORDER_LAST.iter().position(|k| *k == kind).map_or(0, |i| i as i64 + 1)
}

fn sort_key(resource: &Resource) -> (i64, String, String) {
    let gvk: Gvk = resource.gvk();
    let or = |s: &str, d: &str| if s.is_empty() { d.to_string() } else { s.to_string() };
    let id = format!("{}|{}|{}", gvk.sort_key(), or(resource.namespace(), "~X"), or(resource.name(), "~N"));
    (kind_rank(&gvk.kind), gvk.sort_key(), id)
}

/// Sorts in kustomize's legacy order.
pub fn sort_legacy(resources: &mut [Resource]) {
    resources.sort_by_cached_key(sort_key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_first_webhooks_last_others_by_gvk() {
        assert!(kind_rank("Namespace") < kind_rank("Deployment"));
        assert!(kind_rank("Deployment") < kind_rank("Ingress"));
        assert!(kind_rank("Ingress") < kind_rank("ValidatingWebhookConfiguration"));
        assert_eq!(kind_rank("Ingress"), kind_rank("Widget"));
    }
}

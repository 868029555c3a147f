//! From rendered template files to `helm template` output: split each file
//! into documents as Helm's `SplitManifests` does, drop empty ones, set
//! hooks apart, sort by Helm's install order (a stable sort by kind, files
//! in path order), and print each document after `# Source: FILE`.
//!
//! This module must not execute templates or change document text.

use std::sync::LazyLock;

use regex::Regex;

use super::error::HelmError;

/// Helm's `InstallOrder`: kinds earlier in the list are installed first;
/// unknown kinds go last, sorted by name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Hook events Helm knows; a document naming any other is dropped.
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// One document of the output with the template file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The template file, `CHART/templates/FILE` (or `CHART/crds/FILE`).
    pub source: String,
    /// The document text, trimmed.
    pub content: String,
    /// Its `kind`, empty when it has none.
    pub kind: String,
    /// Whether it is a Helm hook.
    pub is_hook: bool,
}

static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*").expect("the separator pattern is valid"));

/// Splits rendered files (sorted by path, partials and notes already
/// removed) into manifests and hooks, each sorted by Helm's install order.
pub fn sort_manifests(files: &[(String, String)]) -> Result<(Vec<Manifest>, Vec<Manifest>), HelmError> {
    let mut files: Vec<&(String, String)> = files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut generic = Vec::new();
    let mut hooks = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for document in split_manifests(content) {
            let head = read_head(&document, path)?;
            let manifest = Manifest { source: path.clone(), content: document, kind: head.kind, is_hook: false };
            match head.hook {
                None => generic.push(manifest),
                Some(events) => {
                    let known =
                        events.split(',').all(|e| HOOK_EVENTS.contains(&e.trim().to_ascii_lowercase().as_str()));
                    if known {
                        hooks.push(Manifest { is_hook: true, ..manifest });
                    }
                }
            }
        }
    }
    sort_by_kind(&mut generic);
    sort_by_kind(&mut hooks);
    Ok((generic, hooks))
}

/// Helm's `SplitManifests`: documents of a file, trimmed, in order.
pub fn split_manifests(text: &str) -> Vec<String> {
    SEPARATOR.split(text.trim()).filter(|d| !d.is_empty()).map(|d| d.trim().to_string()).collect()
}

struct Head {
    kind: String,
    hook: Option<String>,
}

/// What Helm reads of each document (`SimpleHead`): kind and the hook annotation.
fn read_head(document: &str, path: &str) -> Result<Head, HelmError> {
    let parsed = crate::yaml::from_yaml_helm(document).map_err(|e| HelmError::RenderedYaml {
        file: path.to_string(),
        message: format!("error converting YAML to JSON: {}", super::go_messages::go_yaml_message(&e)),
    })?;
    let text_of = |value: Option<&serde_json::Value>| value.and_then(|v| v.as_str()).unwrap_or_default().to_string();
    match &parsed {
        serde_json::Value::Object(map) => Ok(Head {
            kind: text_of(map.get("kind")),
            hook: map
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get(HOOK_ANNOTATION))
                .map(|h| text_of(Some(h))),
        }),
        serde_json::Value::Null => Ok(Head { kind: String::new(), hook: None }),
        other => Err(HelmError::RenderedYaml {
            file: path.to_string(),
            message: format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type releaseutil.SimpleHead",
                super::chart::json_kind(other)
            ),
        }),
    }
}

/// Helm's `sortManifestsByKind`: stable; known kinds by install order,
/// then unknown kinds by name.
fn sort_by_kind(manifests: &mut [Manifest]) {
    let rank = |kind: &str| INSTALL_ORDER.iter().position(|k| *k == kind);
    manifests.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// `helm template`'s text: CRDs (when asked), manifests, then hooks (when asked).
pub fn format_output(crds: &[Manifest], manifests: &[Manifest], hooks: &[Manifest]) -> String {
    let mut body = String::new();
    for manifest in crds.iter().chain(manifests) {
        body.push_str(&format!("---\n# Source: {}\n{}\n", manifest.source, manifest.content));
    }
    let mut out = body.trim().to_string();
    out.push('\n');
    for hook in hooks {
        out.push_str(&format!("---\n# Source: {}\n{}\n", hook.source, hook.content));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_follows_helms_separator() {
        assert_eq!(split_manifests("\n---\na: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2"]);
        // The separator swallows the blank line, so a second `---` stays in the document, as in Helm.
        assert_eq!(split_manifests("a: 1\n---\n\n---\nb: 2"), vec!["a: 1", "---\nb: 2"]);
        assert_eq!(split_manifests("a: 1\n--- # c\nb: 2"), vec!["a: 1", "# c\nb: 2"]);
    }

    #[test]
    fn yaml_errors_carry_go_yamls_line_numbers() {
        let message = |text: &str| {
            let files = vec![("c/templates/a.yaml".to_string(), text.to_string())];
            sort_manifests(&files).unwrap_err().to_string()
        };
        let prefix = "YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: ";
        assert_eq!(message("a: b: c"), format!("{prefix}mapping values are not allowed in this context"));
        assert_eq!(message("a:\n  - b\n c: d"), format!("{prefix}line 2: did not find expected key"));
        assert_eq!(message("x: 1\ny:\n\t- a"), format!("{prefix}line 3: found character that cannot start any token"));
    }

    #[test]
    fn kinds_sort_by_install_order_then_name() {
        let files = vec![(
            "c/templates/a.yaml".to_string(),
            "kind: Deployment\n---\nkind: Zeta\n---\nkind: Alpha\n---\nkind: Namespace\n---\nkind: Deployment\nmetadata: {name: second}\n".to_string(),
        )];
        let (manifests, hooks) = sort_manifests(&files).unwrap();
        let kinds: Vec<&str> = manifests.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["Namespace", "Deployment", "Deployment", "Alpha", "Zeta"]);
        assert!(manifests[2].content.contains("second"));
        assert!(hooks.is_empty());
    }

    #[test]
    fn unknown_hooks_are_dropped_and_known_ones_set_apart() {
        let files = vec![(
            "c/templates/h.yaml".to_string(),
            "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: someday\n".to_string(),
        )];
        let (manifests, hooks) = sort_manifests(&files).unwrap();
        assert!(manifests.is_empty());
        assert_eq!(hooks.len(), 1);
    }
}

//! From rendered template files to `helm template` output: split each file
//! into documents as Helm's `SplitManifests` does, drop empty ones, set
//! hooks apart, sort by Helm's install order (a stable sort by kind, files
//! in path order), and print each document after `# Source: FILE`.
//!
//! This module must not execute templates or change document text.

use super::error::HelmError;

/// Helm's `InstallOrder` (Helm 3.17's: the webhook configurations are not in
/// it, so they sort by name among the unknown kinds): kinds earlier in the
/// list are installed first; unknown kinds go last, sorted by name.
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
    /// 1-based line of the content's start in the rendered file (a `crds/` file: its first line).
    pub line: usize,
    /// Its `kind`, empty when it has none.
    pub kind: String,
    /// Whether it is a Helm hook.
    pub is_hook: bool,
    /// Whether it is a test hook (`helm.sh/hook: test` or Helm 2's `test-success`), which
    /// `helm template --skip-tests` leaves out.
    pub is_test_hook: bool,
}

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
        for (line, document) in split_manifests_at(content) {
            let head = read_head(&document, path)?;
            let manifest = Manifest {
                source: path.clone(),
                content: document,
                line,
                kind: head.kind,
                is_hook: false,
                is_test_hook: false,
            };
            match head.hook {
                None => generic.push(manifest),
                Some(events) => {
                    let events: Vec<String> = events.split(',').map(|e| e.trim().to_ascii_lowercase()).collect();
                    if events.iter().all(|e| HOOK_EVENTS.contains(&e.as_str())) {
                        let is_test_hook = events.iter().any(|e| e == "test" || e == "test-success");
                        hooks.push(Manifest { is_hook: true, is_test_hook, ..manifest });
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
    split_manifests_at(text).into_iter().map(|(_, document)| document).collect()
}

/// [`split_manifests`], each document with the 1-based line of `text` it starts on.
fn split_manifests_at(text: &str) -> Vec<(usize, String)> {
    let leading = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let mut pieces = Vec::new();
    let mut from = 0;
    while let Some((start, end)) = next_separator(trimmed, from) {
        pieces.push((from, &trimmed[from..start]));
        from = end;
    }
    pieces.push((from, &trimmed[from..]));
    pieces
        .into_iter()
        .filter(|(_, d)| !d.is_empty() && !d.trim().is_empty())
        .map(|(at, d)| {
            let offset = leading + at + (d.len() - d.trim_start().len());
            (1 + text[..offset].matches('\n').count(), d.trim().to_string())
        })
        .collect()
}

/// The next match of Helm's separator `(?:^|\s*\n)---\s*` (Go's `\s`:
/// tab, newline, form feed, carriage return, space) at or after `from`, as
/// Go's leftmost-first search finds it: the whitespace before the line
/// break belongs to the match, and so does all whitespace after the dashes.
fn next_separator(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let is_space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let (start, dashes_end) = if from == 0 && text.starts_with("---") {
        (0, 3)
    } else {
        let newline = from + text[from..].find("\n---")?;
        let mut start = newline;
        while start > from && is_space(bytes[start - 1]) {
            start -= 1;
        }
        (start, newline + 4)
    };
    let end = dashes_end + bytes[dashes_end..].iter().take_while(|b| is_space(**b)).count();
    Some((start, end))
}

struct Head {
    kind: String,
    hook: Option<String>,
}

/// What Helm reads of each document (`SimpleHead`): kind and the hook
/// annotation. Scalars are read as text where Helm wants strings; a list or
/// map where Helm wants a string (or a scalar where it wants a map) fails as
/// Go's JSON decoder fails.
fn read_head(document: &str, path: &str) -> Result<Head, HelmError> {
    let parsed = crate::yaml::from_yaml_helm(document).map_err(|e| HelmError::RenderedYaml {
        file: path.to_string(),
        message: format!("error converting YAML to JSON: {}", e.go_v2_message()),
    })?;
    let mismatch = |found: &serde_json::Value, field: &str, target: &str| HelmError::RenderedYaml {
        file: path.to_string(),
        message: format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go {field} of type {target}",
            crate::yaml::json_kind(found)
        ),
    };
    let map = match &parsed {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => return Ok(Head { kind: String::new(), hook: None }),
        other => return Err(mismatch(other, "value", "releaseutil.SimpleHead")),
    };
    let mut head = Head { kind: String::new(), hook: None };
    for (key, value) in map {
        match key.as_str() {
            "apiVersion" => {
                scalar_text(value).ok_or_else(|| mismatch(value, "struct field SimpleHead.apiVersion", "string"))?;
            }
            "kind" => {
                head.kind =
                    scalar_text(value).ok_or_else(|| mismatch(value, "struct field SimpleHead.kind", "string"))?;
            }
            "metadata" => head.hook = read_metadata(value, &mismatch)?,
            _ => {}
        }
    }
    Ok(head)
}

const METADATA_TYPE: &str =
    r#"struct { Name string "json:\"name\""; Annotations map[string]string "json:\"annotations\"" }"#;

fn read_metadata(
    metadata: &serde_json::Value,
    mismatch: &dyn Fn(&serde_json::Value, &str, &str) -> HelmError,
) -> Result<Option<String>, HelmError> {
    let map = match metadata {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => return Ok(None),
        other => return Err(mismatch(other, "struct field SimpleHead.metadata", METADATA_TYPE)),
    };
    let mut hook = None;
    for (key, value) in map {
        match key.as_str() {
            "name" => {
                scalar_text(value).ok_or_else(|| mismatch(value, "struct field .metadata.name", "string"))?;
            }
            "annotations" => match value {
                serde_json::Value::Object(annotations) => {
                    for (name, annotation) in annotations {
                        let text = scalar_text(annotation)
                            .ok_or_else(|| mismatch(annotation, "struct field .metadata.annotations", "string"))?;
                        if name == HOOK_ANNOTATION {
                            hook = Some(text);
                        }
                    }
                }
                serde_json::Value::Null => {}
                other => return Err(mismatch(other, "struct field .metadata.annotations", "map[string]string")),
            },
            _ => {}
        }
    }
    Ok(hook)
}

/// The text of a scalar as Helm's YAML reader gives it to a string field; `None` for lists and maps.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => Some(String::new()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            Some(if f.fract() == 0.0 && f.abs() < 1e21 { format!("{}", f as i64) } else { format!("{f}") })
        }
        _ => None,
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
    fn split_documents_know_their_line_in_the_rendered_file() {
        let lines: Vec<usize> =
            split_manifests_at("\n\n# a\nx: 1\n---\n\ny: 2\n---\nz: 3\n").into_iter().map(|(l, _)| l).collect();
        assert_eq!(lines, [3, 7, 9]);
    }

    #[test]
    fn split_follows_helms_separator() {
        assert_eq!(split_manifests("\n---\na: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2"]);
        // The separator swallows the blank line, so a second `---` stays in the document, as in Helm.
        assert_eq!(split_manifests("a: 1\n---\n\n---\nb: 2"), vec!["a: 1", "---\nb: 2"]);
        assert_eq!(split_manifests("a: 1\n--- # c\nb: 2"), vec!["a: 1", "# c\nb: 2"]);
        assert_eq!(split_manifests("---\na: 1 \t\n \n---x\n----\n"), vec!["a: 1", "x", "-"]);
        assert_eq!(split_manifests("a: \"é\"\n---"), vec!["a: \"é\""]);
        assert_eq!(split_manifests("no separator---here"), vec!["no separator---here"]);
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
    fn heads_accept_scalars_but_not_structures_where_helm_wants_strings() {
        let files = |text: &str| vec![("c/templates/a.yaml".to_string(), text.to_string())];
        let (manifests, _) = sort_manifests(&files("kind: 5\nmetadata:\n  annotations: {w: 1}\n")).unwrap();
        assert_eq!(manifests[0].kind, "5");
        let error = sort_manifests(&files("kind: Job\nmetadata: [1]\n")).unwrap_err().to_string();
        assert!(error.ends_with("cannot unmarshal array into Go struct field SimpleHead.metadata of type struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }"), "{error}");
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

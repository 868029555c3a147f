//! The `namespace` transformer: moves every namespaced object into the namespace, renames
//! `Namespace` objects to it, and sets it in the other namespace fields the configuration
//! lists (webhook services, API services). Role binding subjects named `default` move with
//! it (kustomize's default subject mode; a `NamespaceTransformer` plugin may choose every
//! ServiceAccount subject or none, and to set only empty fields); other ServiceAccount
//! subjects follow their account through name reference rewriting, not here.

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::fieldspec::{FieldSpec, FieldWalkError};
use super::resmap::ResMap;
use super::resource::Resource;

/// Which role binding subjects take the namespace (`setRoleBindingSubjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubjectMode {
    /// Subjects named `default`, whatever their kind (the `namespace:` field's mode).
    #[default]
    DefaultOnly,
    /// Every ServiceAccount subject.
    AllServiceAccounts,
    /// None.
    None,
}

impl SubjectMode {
    /// Reads kustomize's spelling; "" is the default.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        match text {
            "" | "defaultOnly" => Ok(SubjectMode::DefaultOnly),
            "allServiceAccounts" => Ok(SubjectMode::AllServiceAccounts),
            "none" => Ok(SubjectMode::None),
            other => Err(format!(
                "invalid value \"{other}\" for setRoleBindingSubjects: must be one of \"defaultOnly\", \"none\" or \"allServiceAccounts\""
            )),
        }
    }
}

/// How the namespace transformer runs: the `namespace:` field runs it with the defaults and
/// the configuration's namespace field specs, a `NamespaceTransformer` plugin with its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct NamespaceOptions {
    /// Set only fields that are empty (`unsetOnly`).
    pub unset_only: bool,
    /// Which role binding subjects take the namespace.
    pub subjects: SubjectMode,
}

/// Moves every namespaced object into `namespace` (whatever `specs` say, as kustomize does),
/// renames `Namespace` objects when `specs` list their name, sets the role binding subjects
/// `options` choose, and the other fields `specs` name.
pub fn set_namespace(
    resources: &mut ResMap,
    namespace: &str,
    specs: &[FieldSpec],
    options: NamespaceOptions,
) -> Result<()> {
    let settable = |current: Option<&Value>| {
        !options.unset_only || current.is_none_or(|value| value.is_null() || value.as_str() == Some(""))
    };
    for resource in &mut resources.resources {
        // kustomize records every object's identity here, moved or not (cluster-scoped ones
        // too), which makes each of them a candidate when references are rewritten.
        resource.remember_identity();
        let gvk = resource.gvk();
        let is_name = |spec: &&FieldSpec| spec.path == ["metadata", "name"] && spec.filter.matches(&gvk);
        if gvk.kind == "Namespace" && gvk.group.is_empty() {
            if specs.iter().any(|spec| is_name(&spec))
                && settable(resource.object.get("metadata").and_then(|m| m.get("name")))
            {
                resource.set_identity(None, Some(namespace));
            }
            continue;
        }
        if !gvk.is_cluster_scoped() && settable(resource.object.get("metadata").and_then(|m| m.get("namespace"))) {
            resource.set_identity(Some(namespace), None);
        }
        if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            point_subjects_at(resource, namespace, options);
        }
        for spec in specs {
            if spec.path == ["metadata", "namespace"] || is_name(&spec) || !spec.filter.matches(&gvk) {
                continue;
            }
            if spec.path.first().map(String::as_str) == Some("subjects") {
                continue;
            }
            spec.visit::<FieldWalkError>(&mut resource.object, &|| Value::String(String::new()), &mut |value| {
                if settable(Some(value)) {
                    *value = Value::String(namespace.to_string());
                }
                Ok(())
            })
            .map_err(|err| {
                let context = if err.is_wrong_node_kind() {
                    "namespace field specs must target scalar nodes"
                } else {
                    "namespace transformation failed"
                };
                KustomizeError::from(err).within(context)
            })?;
        }
    }
    Ok(())
}

/// kustomize's role binding subjects: by default every subject named `default`, whatever
/// its kind, is taken to be the namespace's default account and gets the namespace; with
/// `allServiceAccounts` every ServiceAccount subject does.
fn point_subjects_at(resource: &mut Resource, namespace: &str, options: NamespaceOptions) {
    let Some(Value::Array(subjects)) = resource.object.get_mut("subjects") else {
        return;
    };
    for subject in subjects.iter_mut().filter_map(Value::as_object_mut) {
        let chosen = match options.subjects {
            SubjectMode::DefaultOnly => subject.get("name").and_then(Value::as_str) == Some("default"),
            SubjectMode::AllServiceAccounts => subject.get("kind").and_then(Value::as_str) == Some("ServiceAccount"),
            SubjectMode::None => false,
        };
        let empty = subject.get("namespace").is_none_or(|ns| ns.is_null() || ns.as_str() == Some(""));
        if chosen && (!options.unset_only || empty) {
            subject.insert("namespace".into(), Value::String(namespace.to_string()));
        }
    }
}

//! Name reference rewriting: after prefixes, suffixes, namespaces and hashes changed
//! object names, every field that names another object (the `nameReference` table:
//! ConfigMap volumes, Secret env refs, ServiceAccount subjects, roleRefs, ...) is pointed
//! at the object's new name — and namespace, for references that carry one.

use serde_json::{Map, Value};

use super::config::NameReference;
use super::error::{KustomizeError, Result};
use super::fieldspec::FieldWalkError;
use super::resmap::ResMap;
use super::resource::{ResId, Resource};

/// What the sieve needs to know of an object that was renamed, computed once per build
/// rather than once per referrer and field (large overlays have thousands of both).
struct Renamed {
    id: ResId,
    original: ResId,
    earlier_names: Vec<String>,
    affixes: Affixes,
}

/// The prefixes and suffixes an object's name received, innermost first.
#[derive(Clone)]
struct Affixes {
    prefixes: Vec<String>,
    suffixes: Vec<String>,
}

impl Affixes {
    fn of(resource: &Resource) -> Self {
        Affixes { prefixes: resource.prefixes.clone(), suffixes: resource.suffixes.clone() }
    }

    /// kustomize's `PrefixesSuffixesEquals`: the shorter list of each kind ends the longer one.
    fn compatible(&self, other: &Affixes) -> bool {
        same_ending(&self.prefixes, &other.prefixes) && same_ending(&self.suffixes, &other.suffixes)
    }
}

/// True when the shorter slice is the tail of the longer one; an empty slice only matches another.
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

impl Renamed {
    /// Only renamed objects can be the target of a rewrite; the rest are left out.
    fn of(resource: &Resource) -> Option<Self> {
        let mut ids = resource.all_ids();
        if ids.len() < 2 {
            return None;
        }
        let earlier_names = ids[1..].iter().map(|id| id.name.clone()).collect();
        let original = ids.pop()?;
        Some(Renamed { id: resource.id(), original, earlier_names, affixes: Affixes::of(resource) })
    }
}

/// Rewrites every reference in `resources` to objects that were renamed.
pub fn fix_references(resources: &mut ResMap, references: &[NameReference]) -> Result<()> {
    resources.resources.iter().try_for_each(check_role_binding_subjects)?;
    let renamed: Vec<Renamed> = resources.resources.iter().filter_map(Renamed::of).collect();
    if renamed.is_empty() {
        return Ok(());
    }
    let targets_by_reference: Vec<Vec<&Renamed>> = references
        .iter()
        .map(|reference| renamed.iter().filter(|r| reference.target.matches(&r.id.gvk)).collect())
        .collect();
    for referrer in &mut resources.resources {
        let referrer_gvk = referrer.gvk();
        let referrer_id = referrer.id();
        let referrer_affixes = Affixes::of(referrer);
        for (reference, targets) in references.iter().zip(&targets_by_reference) {
            if targets.is_empty() || !reference.referrer.filter.matches(&referrer_gvk) {
                continue;
            }
            let role_ref_kind = (reference.referrer.path == ["roleRef", "name"])
                .then(|| referrer.object.get("roleRef").and_then(|r| r.get("kind")).and_then(Value::as_str))
                .flatten()
                .map(str::to_string);
            let context =
                Context { referrer: &referrer_id, referrer_affixes: &referrer_affixes, targets, role_ref_kind };
            let describe = referrer.describe();
            let spec = &reference.referrer;
            spec.visit(&mut referrer.object, &|| Value::Null, &mut |value| {
                context.rewrite(value).map_err(Failure::Rewrite)
            })
            .map_err(|failure| match failure {
                Failure::Rewrite(message) => KustomizeError::Transform { object: describe.clone(), message },
                Failure::Walk(err) => KustomizeError::from(err)
                    .within(format!("updating name reference in '{}' field of '{referrer_id}'", spec.path_text())),
            })?;
        }
    }
    Ok(())
}

/// kustomize reads the namespaces a RoleBinding's ServiceAccount subjects name before it
/// rewrites anything, and refuses a subject whose `namespace` is there but not a string.
fn check_role_binding_subjects(resource: &Resource) -> Result<()> {
    if resource.kind() != "RoleBinding" {
        return Ok(());
    }
    let subjects = resource.object.get("subjects").and_then(Value::as_array).into_iter().flatten();
    let blank = subjects.filter_map(Value::as_object).any(|subject| {
        subject.get("kind").and_then(Value::as_str) == Some("ServiceAccount")
            && subject.get("namespace").is_some_and(|ns| !ns.is_string())
    });
    if blank {
        return Err(KustomizeError::Refused {
            path: resource.origin.clone(),
            message: format!("Invalid Input: namespace is blank for resource \"{}\"", resource.id()),
        });
    }
    Ok(())
}

/// Why rewriting one referrer field failed.
enum Failure {
    /// The reference itself could not be rewritten.
    Rewrite(String),
    /// The field spec's path cannot be walked in the referrer.
    Walk(FieldWalkError),
}

impl From<FieldWalkError> for Failure {
    fn from(err: FieldWalkError) -> Self {
        Failure::Walk(err)
    }
}

struct Context<'a> {
    referrer: &'a ResId,
    referrer_affixes: &'a Affixes,
    role_ref_kind: Option<String>,
    targets: &'a [&'a Renamed],
}

impl Context<'_> {
    fn rewrite(&self, value: &mut Value) -> std::result::Result<(), String> {
        match value {
            Value::String(name) => {
                if let Some(target) = self.select(name, self.targets.to_vec())? {
                    *name = target.id.name.clone();
                }
                Ok(())
            }
            Value::Array(items) => items.iter_mut().try_for_each(|item| self.rewrite(item)),
            Value::Object(map) => self.rewrite_map(map),
            _ => Ok(()),
        }
    }

    /// `{name, namespace}` references: subjects, webhook services, node config sources.
    fn rewrite_map(&self, map: &mut Map<String, Value>) -> std::result::Result<(), String> {
        let Some(old_name) = map.get("name").and_then(Value::as_str).map(str::to_string) else {
            return Err("path config error; no 'name' field in node".to_string());
        };
        let candidates: Vec<&Renamed> = match map.get("namespace").and_then(Value::as_str) {
            None => self.targets.to_vec(),
            Some(ns) => {
                let by_original: Vec<&Renamed> =
                    self.targets.iter().copied().filter(|r| r.original.effective_namespace() == ns).collect();
                if by_original.is_empty() {
                    self.targets.iter().copied().filter(|r| r.id.effective_namespace() == ns).collect()
                } else {
                    by_original
                }
            }
        };
        let Some(target) = self.select(&old_name, candidates)? else {
            return Ok(());
        };
        if target.id.name == old_name && target.id.namespace.is_empty() {
            return Ok(());
        }
        map.insert("name".into(), Value::String(target.id.name.clone()));
        if !target.id.namespace.is_empty() {
            map.insert("namespace".into(), Value::String(target.id.namespace.clone()));
        }
        Ok(())
    }

    /// kustomize's sieve: renamed from `old_name`, of the referenced kind, the kind a roleRef
    /// asks for, and in the referrer's namespace unless either side is cluster-wide; among
    /// several, the ones whose prefixes and suffixes agree with the referrer's.
    fn select<'r>(
        &self,
        old_name: &str,
        candidates: Vec<&'r Renamed>,
    ) -> std::result::Result<Option<&'r Renamed>, String> {
        let role_ref_kind = self.role_ref_kind.as_deref();
        let mut found: Vec<&Renamed> = candidates
            .into_iter()
            .filter(|r| r.earlier_names.iter().any(|name| name == old_name))
            .filter(|r| role_ref_kind.is_none_or(|kind| r.id.gvk.kind == kind))
            .filter(|r| self.same_namespace(r))
            .collect();
        if found.len() > 1 {
            found.retain(|r| r.affixes.compatible(self.referrer_affixes));
        }
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ if found.iter().all(|r| r.id.name == found[0].id.name) => Ok(Some(found[0])),
            _ => {
                let ids: Vec<String> = found.iter().map(|r| r.id.to_string()).collect();
                Err(format!(
                    "found multiple possible referrals: {}; set namespaces to make the reference unique",
                    ids.join(", ")
                ))
            }
        }
    }

    fn same_namespace(&self, candidate: &Renamed) -> bool {
        if self.referrer.gvk.is_cluster_scoped() {
            return true;
        }
        let id = &candidate.id;
        id.gvk.is_cluster_scoped()
            || id.gvk.kind == "ServiceAccount"
            || id.effective_namespace() == self.referrer.effective_namespace()
    }
}

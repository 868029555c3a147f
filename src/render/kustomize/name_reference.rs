//! Name reference rewriting: after prefixes, suffixes, namespaces and hashes changed
//! object names, every field that names another object (the `nameReference` table:
//! ConfigMap volumes, Secret env refs, ServiceAccount subjects, roleRefs, ...) is pointed
//! at the object's new name — and namespace, for references that carry one.

use serde_json::{Map, Value};

use super::config::NameReference;
use super::error::{KustomizeError, Result};
use super::resmap::ResMap;
use super::resource::{ResId, Resource};

/// Rewrites every reference in `resources` to objects that were renamed.
pub fn fix_references(resources: &mut ResMap, references: &[NameReference]) -> Result<()> {
    let snapshot: Vec<Resource> = resources.resources.clone();
    for referrer in &mut resources.resources {
        let referrer_gvk = referrer.gvk();
        let referrer_id = referrer.id();
        for reference in references.iter().filter(|r| r.referrer.filter.matches(&referrer_gvk)) {
            let targets: Vec<&Resource> = snapshot
                .iter()
                .filter(|r| r.all_ids().iter().skip(1).any(|id| reference.target.matches(&id.gvk)))
                .collect();
            if targets.is_empty() {
                continue;
            }
            let role_ref_kind = (reference.referrer.path == ["roleRef", "name"])
                .then(|| referrer.object.get("roleRef").and_then(|r| r.get("kind")).and_then(Value::as_str))
                .flatten()
                .map(str::to_string);
            let context = Context { referrer: &referrer_id, targets: &targets, role_ref_kind };
            let describe = referrer.describe();
            reference
                .referrer
                .spec_visit(&mut referrer.object, &mut |value| context.rewrite(value))
                .map_err(|message| KustomizeError::Transform { object: describe.clone(), message })?;
        }
    }
    Ok(())
}

impl super::fieldspec::FieldSpec {
    fn spec_visit(
        &self,
        object: &mut Map<String, Value>,
        visit: &mut dyn FnMut(&mut Value) -> std::result::Result<(), String>,
    ) -> std::result::Result<(), String> {
        self.visit(object, &|| Value::Null, visit)
    }
}

struct Context<'a> {
    referrer: &'a ResId,
    role_ref_kind: Option<String>,
    targets: &'a [&'a Resource],
}

impl Context<'_> {
    fn rewrite(&self, value: &mut Value) -> std::result::Result<(), String> {
        match value {
            Value::String(name) => {
                if let Some(target) = self.select(name, self.targets.to_vec())? {
                    *name = target.name().to_string();
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
        let candidates: Vec<&Resource> = match map.get("namespace").and_then(Value::as_str) {
            None => self.targets.to_vec(),
            Some(ns) => {
                let by_original: Vec<&Resource> =
                    self.targets.iter().copied().filter(|r| r.original_id().effective_namespace() == ns).collect();
                if by_original.is_empty() {
                    self.targets.iter().copied().filter(|r| r.id().effective_namespace() == ns).collect()
                } else {
                    by_original
                }
            }
        };
        let Some(target) = self.select(&old_name, candidates)? else {
            return Ok(());
        };
        if target.name() == old_name && target.namespace().is_empty() {
            return Ok(());
        }
        map.insert("name".into(), Value::String(target.name().to_string()));
        if !target.namespace().is_empty() {
            map.insert("namespace".into(), Value::String(target.namespace().to_string()));
        }
        Ok(())
    }

    /// kustomize's sieve: renamed from `old_name`, of the referenced kind, the kind a roleRef
    /// asks for, and in the referrer's namespace unless either side is cluster-wide.
    fn select<'r>(
        &self,
        old_name: &str,
        candidates: Vec<&'r Resource>,
    ) -> std::result::Result<Option<&'r Resource>, String> {
        let role_ref_kind = self.role_ref_kind.as_deref();
        let mut found: Vec<&Resource> = candidates
            .into_iter()
            .filter(|r| r.all_ids().iter().skip(1).any(|id| id.name == old_name))
            .filter(|r| role_ref_kind.is_none_or(|kind| r.kind() == kind))
            .filter(|r| self.same_namespace(r))
            .collect();
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ if found.iter().all(|r| r.name() == found[0].name()) => Ok(Some(found[0])),
            _ => {
                let ids: Vec<String> = found.iter().map(|r| r.id().to_string()).collect();
                Err(format!(
                    "found multiple possible referrals: {}; set namespaces to make the reference unique",
                    ids.join(", ")
                ))
            }
        }
    }

    fn same_namespace(&self, candidate: &Resource) -> bool {
        if self.referrer.gvk.is_cluster_scoped() {
            return true;
        }
        let id = candidate.id();
        id.gvk.is_cluster_scoped()
            || candidate.kind() == "ServiceAccount"
            || id.effective_namespace() == self.referrer.effective_namespace()
    }
}

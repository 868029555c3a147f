//! Which Helm release revisions come from Git. Release storage is written by
//! whoever runs `helm upgrade`, so a revision is the last-applied leg of a
//! pending Git change only when it is shown to come from Git:
//!
//! 1. a Flux HelmRelease's status names the revision as one Flux applied, or
//! 2. a Git revision of the chart renders to it: the chart directory's
//!    versions are rendered newest first, at most `--history-depth` of them,
//!    and compared with the revision's manifest object by object (fields a
//!    template fills with random or time-dependent values left out).
//!
//! Anything else — a revision made by hand with `--set`, from uncommitted
//! files, or of a chart in a source without Git history — is unproven, and
//! the audit treats its differences from Git as drift. Only releases with
//! something at stake are looked at (a field Git and the revision disagree
//! on); the answer is kept for the session, so a verification after a repair
//! or a watch loop does not search again.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Desired, Session, SessionError, target};
use crate::cluster::helm::{Release, applied_by, installed_form, release_objects};
use crate::diff::{FieldClass, Legs};
use crate::discover::RenderUnit;
use crate::object::{DesiredObject, ObjectRef, Pointer, Provenance, ReleaseRef, Unit};
use crate::source::{SourceError, SourceRoot};

/// A release revision: (namespace, name, revision).
pub(super) type RevisionKey = (String, String, u64);

fn key_of(reference: &ReleaseRef) -> RevisionKey {
    (reference.namespace.clone(), reference.name.clone(), reference.revision)
}

/// Finds where each release revision with something at stake came from, and
/// records it on the last-applied states that revision supplies.
pub(super) async fn prove_releases(session: &Session, desired: &Desired, legs: &mut Legs) -> Result<(), SessionError> {
    if legs.releases.is_empty() {
        return Ok(());
    }
    for release in in_question(session, desired, legs)? {
        let key = (release.namespace.clone(), release.name.clone(), release.version);
        let known = session.provenance.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let provenance = match known {
            Some(provenance) => provenance,
            None => {
                let provenance = prove(session, desired, legs, &release).await?;
                session.observer.note(&format!(
                    "Helm release {}/{} revision {}: {provenance}",
                    release.namespace, release.name, release.version
                ));
                session.provenance.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone(), provenance.clone());
                provenance
            }
        };
        for state in legs.last_applied.values_mut().flatten() {
            if let Some(reference) = state.release.as_mut().filter(|r| key_of(r) == key) {
                reference.provenance = Some(provenance.clone());
            }
        }
    }
    Ok(())
}

/// The stored releases whose revision Git does not render to today: some field
/// of one of their objects differs between Git and the revision.
fn in_question(session: &Session, desired: &Desired, legs: &Legs) -> Result<Vec<Release>, SessionError> {
    let audit = crate::diff::audit(&session.source.description, &desired.set, legs, &session.options)?;
    let at_stake: BTreeSet<RevisionKey> = audit
        .objects
        .iter()
        .filter(|o| {
            o.diff
                .fields
                .iter()
                .any(|f| matches!(f.class, FieldClass::Pending | FieldClass::Conflict | FieldClass::Converged))
        })
        .filter_map(|o| legs.last_applied.get(&o.reference)?.as_ref().ok()?.release.as_ref().map(key_of))
        .collect();
    Ok(legs
        .releases
        .iter()
        .filter(|r| at_stake.contains(&(r.namespace.clone(), r.name.clone(), r.version)))
        .cloned()
        .collect())
}

/// Where one release revision came from.
async fn prove(
    session: &Session,
    desired: &Desired,
    legs: &Legs,
    release: &Release,
) -> Result<Provenance, SessionError> {
    if let Some(helm_release) = applied_by(&legs.helm_releases, &release.reference()) {
        return Ok(Provenance::Flux { helm_release });
    }
    let unproven = Provenance::Unproven { searched: 0 };
    let depth = session.settings.history_depth;
    let (Some(history), Some(chart), Some(connection)) =
        (session.source.history.clone(), chart_of(desired, legs, release), session.connection().cloned())
    else {
        return Ok(unproven);
    };
    if depth == 0 {
        return Ok(unproven);
    }
    let chart_dir = session.source.root.join(&chart);
    let namespace = session.default_namespace().to_string();
    let runtime = session.runtime.clone();
    let release = release.clone();
    let cache_dir = session.settings.cache_dir.clone();
    let boundary = session.source.boundary.clone();
    let search = move || -> Result<Provenance, SessionError> {
        let versions = history.versions(Path::new(&chart), depth).map_err(SessionError::Source)?;
        let unit = Unit::Chart { path: chart.clone() };
        let target = target::live_target(
            &runtime,
            &connection,
            &namespace,
            &[RenderUnit { unit: unit.clone(), dir: chart_dir.clone(), boundary: boundary.clone() }],
        )?;
        let stored = release_objects(&release).unwrap_or_default();
        // The release is named after the chart directory: its exported copy keeps the name.
        let name = chart_dir.canonicalize().ok().and_then(|d| d.file_name().map(PathBuf::from)).unwrap_or_default();
        for version in &versions {
            // A directory's tree never changes: its export is kept and reused, as Git sources' are.
            let exports = cache_dir.join("history");
            crate::owner_only::restrict_dir(&exports).map_err(|e| {
                SessionError::Source(SourceError::Cache { path: exports.clone(), message: e.to_string() })
            })?;
            let dir = exports.join(version.tree_id()).join(&name);
            if !dir.is_dir() {
                history.export(version, &dir).map_err(SessionError::Source)?;
            }
            // The export is all a version may read: a link out of it is refused, as in any Git source.
            let boundary = SourceRoot::new_or_lexical(&dir);
            let (rendered, problems) =
                crate::render::render_units(&[RenderUnit { unit: unit.clone(), dir, boundary }], &target);
            // A version that does not render cannot have produced the revision.
            if problems.is_empty() && renders_to(&rendered, &stored, &release) {
                return Ok(Provenance::Git { commit: version.commit.clone() });
            }
        }
        Ok(Provenance::Unproven { searched: versions.len() })
    };
    tokio::task::spawn_blocking(search).await.map_err(|e| SessionError::Worker(e.to_string()))?
}

/// The chart of the source whose objects the release manages.
fn chart_of(desired: &Desired, legs: &Legs, release: &Release) -> Option<String> {
    let key = (release.namespace.clone(), release.name.clone(), release.version);
    desired.set.objects.iter().find_map(|object| {
        let state = legs.last_applied.get(&object.object_ref())?.as_ref().ok()?;
        let from_release = state.release.as_ref().is_some_and(|r| key_of(r) == key);
        match &object.origin.unit {
            Unit::Chart { path } if from_release => Some(path.clone()),
            _ => None,
        }
    })
}

/// Whether every object of the stored revision is, field for field, an object the
/// render produced (once installed as Helm installs it), fields a template fills
/// nondeterministically aside.
fn renders_to(rendered: &[DesiredObject], stored: &[DesiredObject], release: &Release) -> bool {
    let installed: HashMap<ObjectRef, (Value, &[Pointer])> = rendered
        .iter()
        .map(|object| {
            let mut manifest = object.manifest.clone();
            installed_form(&mut manifest, release);
            let varying = object.nondeterministic.as_slice();
            (manifest.object_ref(), (blanked(manifest.0, varying), varying))
        })
        .collect();
    !stored.is_empty()
        && stored.iter().all(|object| {
            installed
                .get(&object.object_ref())
                .is_some_and(|(rendered, varying)| *rendered == blanked(object.manifest.0.clone(), varying))
        })
}

/// The value with the fields at `paths` blanked, so two renders compare alike there.
fn blanked(mut value: Value, paths: &[Pointer]) -> Value {
    for path in paths {
        if let Some(field) = value.pointer_mut(&path.to_string()) {
            *field = Value::Null;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::{Manifest, Origin};

    fn release(manifest: &str) -> Release {
        Release {
            name: "web".into(),
            namespace: "apps".into(),
            version: 2,
            status: "deployed".into(),
            chart_name: "web".into(),
            chart_version: "1.0.0".into(),
            config: Value::Null,
            manifest: manifest.into(),
            hook_manifests: Vec::new(),
            description: "Upgrade complete".into(),
        }
    }

    fn rendered(value: Value, varying: &[&str]) -> DesiredObject {
        let mut object = DesiredObject::new(
            Manifest(value),
            Origin { file: "web/templates/a.yaml".into(), line: 1, unit: Unit::Chart { path: "web".into() } },
        );
        object.nondeterministic = varying.iter().map(|p| Pointer::parse(p).unwrap()).collect();
        object
    }

    #[test]
    fn a_revision_is_rendered_by_git_only_when_every_stored_object_matches() {
        let stored = release(
            "---\n# Source: web/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  image: good\n  token: xyz\n",
        );
        let objects = release_objects(&stored).unwrap();
        let config = |image: &str, token: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"image": image, "token": token}});
        assert!(renders_to(&[rendered(config("good", "xyz"), &[])], &objects, &stored));
        assert!(!renders_to(&[rendered(config("evil", "xyz"), &[])], &objects, &stored));
        // A random token differs between renders: it is left out of the comparison.
        assert!(renders_to(&[rendered(config("good", "other"), &["/data/token"])], &objects, &stored));
        assert!(!renders_to(&[], &objects, &stored));
    }
}

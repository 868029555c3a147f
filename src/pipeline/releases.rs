//! `check --release NS/NAME` and `--all-releases`: the desired state is each
//! release's latest deployed revision, read from Helm's storage in the
//! cluster, so no Git is needed — the comparison Flux's helm-controller drift
//! detection makes. A release whose newest revision failed or is pending, or
//! whose storage cannot be read, is a failure of the desired state: reported
//! on its storage record, while the other releases are still audited.

use super::{Observer, ReleaseSelection, SessionError};
use crate::cluster::Connection;
use crate::cluster::helm::{ReleaseHistory, read_releases, release_objects};
use crate::object::{DesiredFailure, DesiredObject, DesiredSet, ObjectRef, Origin, ReleaseRef, Unit};
use crate::source::Source;

/// A source that is the cluster's Helm storage: no directory of its own (the
/// settings file is looked for in the current directory), and a description
/// naming the releases.
pub(super) fn describe(selection: &ReleaseSelection, namespace: Option<&str>) -> Source {
    let description = match (selection, namespace) {
        (ReleaseSelection::All, Some(ns)) => format!("Helm releases in namespace {ns}"),
        (ReleaseSelection::All, None) => "all Helm releases".to_string(),
        (ReleaseSelection::Named(names), _) => {
            let names: Vec<String> = names.iter().map(|(ns, name)| format!("{ns}/{name}")).collect();
            format!("Helm release {}", names.join(", "))
        }
    };
    let root = std::path::PathBuf::from(".");
    Source {
        boundary: crate::source::SourceRoot::new_or_lexical(&root),
        root,
        description,
        revision: None,
        history: None,
    }
}

/// The desired objects of the selected releases.
pub(super) async fn load(
    connection: &Connection,
    selection: &ReleaseSelection,
    namespace: Option<&str>,
    description: &str,
    observer: &dyn Observer,
) -> Result<DesiredSet, SessionError> {
    let histories = match selection {
        ReleaseSelection::All => read_releases(&connection.client, namespace).await?,
        ReleaseSelection::Named(names) => {
            let mut wanted = Vec::new();
            for (namespace, name) in names {
                let found =
                    read_releases(&connection.client, Some(namespace)).await?.into_iter().find(|h| h.name == *name);
                match found {
                    Some(history) => wanted.push(history),
                    None => {
                        return Err(SessionError::ReleaseNotFound { namespace: namespace.clone(), name: name.clone() });
                    }
                }
            }
            wanted
        }
    };
    if histories.is_empty() {
        return Err(SessionError::NoReleases(description.to_string()));
    }
    let mut set = DesiredSet::default();
    for history in &histories {
        match deployed_objects(history) {
            Ok((release, objects)) => {
                observer.note(&format!(
                    "release {}/{} revision {}: {} objects",
                    history.namespace,
                    history.name,
                    release.revision,
                    objects.len()
                ));
                set.releases.push(release);
                set.objects.extend(objects);
            }
            Err(failure) => set.failures.push(*failure),
        }
    }
    Ok(set)
}

/// The objects of the newest revision, when it is deployed; otherwise the failure to report.
fn deployed_objects(history: &ReleaseHistory) -> Result<(ReleaseRef, Vec<DesiredObject>), Box<DesiredFailure>> {
    let latest = history.latest().expect("a history has at least one record");
    let failure = |message: String| {
        Box::new(DesiredFailure {
            reference: storage_ref(history, latest.revision),
            api_version: "v1".into(),
            origin: Origin {
                file: latest.storage.clone(),
                line: 0,
                unit: Unit::HelmRelease { namespace: history.namespace.clone(), name: history.name.clone() },
            },
            message,
        })
    };
    let release = latest.release.as_ref().map_err(|e| {
        failure(format!("Helm release {}/{}: cannot read {}: {e}", history.namespace, history.name, latest.storage))
    })?;
    if latest.status != "deployed" {
        let last_good = history
            .deployed()
            .map(|r| format!("revision {} is the last deployed", r.revision))
            .unwrap_or_else(|| "no revision is deployed".into());
        return Err(failure(format!(
            "Helm release {}/{} revision {} is {}, not deployed ({last_good}); fix or roll back the release, then audit again",
            history.namespace, history.name, latest.revision, latest.status
        )));
    }
    let objects = release_objects(release)
        .map_err(|e| failure(format!("Helm release {}/{}: manifest: {e}", history.namespace, history.name)))?;
    let reference = ReleaseRef { revision: latest.revision, ..release.reference() };
    Ok((reference, objects))
}

fn storage_ref(history: &ReleaseHistory, revision: u64) -> ObjectRef {
    ObjectRef::new(
        "v1",
        "Secret",
        Some(&history.namespace),
        &format!("sh.helm.release.v1.{}.v{revision}", history.name),
    )
}

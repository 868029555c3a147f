//! `driftctl check --release NS/NAME` and `--all-releases`: the desired state
//! is each release's latest deployed revision, read from Helm's storage in the
//! cluster, so no Git is needed — the comparison Flux's helm-controller drift
//! detection makes. A release whose newest revision failed or is pending, or
//! whose storage cannot be read, is reported as such and not audited.

use anyhow::bail;

use super::check::{CheckRun, verbose};
use crate::cluster::Connection;
use crate::cluster::helm::{ReleaseHistory, read_releases, release_objects};
use crate::diff::{AuditedObject, ObjectClass, ObjectDiff};
use crate::object::{ObjectRef, Origin, ReleaseRef, Unit};

/// Loads the desired objects of the releases named on the command line.
pub(super) async fn load_releases(run: &mut CheckRun<'_>, connection: &Connection) -> anyhow::Result<()> {
    let args = run.args;
    let histories = if args.all_releases {
        read_releases(&connection.client, args.source.namespace.as_deref()).await?
    } else {
        let mut wanted = Vec::new();
        for spec in &args.releases {
            let Some((namespace, name)) = spec.split_once('/') else {
                bail!("--release {spec}: give the release as NAMESPACE/NAME");
            };
            let found = read_releases(&connection.client, Some(namespace)).await?.into_iter().find(|h| h.name == name);
            match found {
                Some(history) => wanted.push(history),
                None => bail!(
                    "Helm release {namespace}/{name} not found: no Helm storage Secret or ConfigMap (owner=helm, name={name}) in namespace {namespace}"
                ),
            }
        }
        wanted
    };
    if histories.is_empty() {
        bail!("no Helm releases found in {}", run.source.description);
    }
    for history in &histories {
        match deployed_objects(history) {
            Ok((release, objects)) => {
                let revision = release.revision;
                run.releases.push(release);
                verbose(
                    run.config,
                    format!(
                        "release {}/{} revision {revision}: {} objects",
                        history.namespace,
                        history.name,
                        objects.len()
                    ),
                );
                run.desired.extend(objects);
            }
            Err(problem) => run.problems.push(*problem),
        }
    }
    Ok(())
}

/// The objects of the newest revision, when it is deployed; otherwise the problem to report.
fn deployed_objects(
    history: &ReleaseHistory,
) -> Result<(ReleaseRef, Vec<crate::object::DesiredObject>), Box<AuditedObject>> {
    let latest = history.latest().expect("a history has at least one record");
    let problem = |message: String| {
        Box::new(AuditedObject {
            reference: storage_ref(history, latest.revision),
            api_version: "v1".into(),
            origin: Some(Origin {
                file: latest.storage.clone(),
                line: 0,
                unit: Unit::HelmRelease { namespace: history.namespace.clone(), name: history.name.clone() },
            }),
            diff: ObjectDiff { class: ObjectClass::Error, fields: Vec::new() },
            error: Some(message),
            desired: None,
            live: None,
            release: None,
        })
    };
    let release = latest.release.as_ref().map_err(|e| {
        problem(format!("Helm release {}/{}: cannot read {}: {e}", history.namespace, history.name, latest.storage))
    })?;
    if latest.status != "deployed" {
        let last_good = history
            .deployed()
            .map(|r| format!("revision {} is the last deployed", r.revision))
            .unwrap_or_else(|| "no revision is deployed".into());
        return Err(problem(format!(
            "Helm release {}/{} revision {} is {}, not deployed ({last_good}); fix or roll back the release, then audit again",
            history.namespace, history.name, latest.revision, latest.status
        )));
    }
    let objects = release_objects(release)
        .map_err(|e| problem(format!("Helm release {}/{}: manifest: {e}", history.namespace, history.name)))?;
    let reference = ReleaseRef {
        namespace: history.namespace.clone(),
        name: history.name.clone(),
        revision: latest.revision,
        chart: release.chart(),
    };
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

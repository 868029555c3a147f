//! The legs of a desired state: the live objects (LISTs, or a snapshot), the
//! last-applied states (Helm release storage and kubectl's annotation; a
//! snapshot has only the annotation), the server's dry-run applies for
//! `--server-side`, and the Flux HelmReleases whose `driftDetection` governs
//! their objects.

use std::collections::{BTreeSet, HashMap};

use super::{Backend, Desired, Observer};
use crate::cluster::{self, ClusterError, LiveObjects};
use crate::diff::{Legs, Mode, helm_release_of, update_form};
use crate::object::Manifest;

/// The live objects of the desired state, with the objects that cannot be read.
pub(super) async fn read_live_objects(
    backend: &Backend,
    desired: &Desired,
    observer: &dyn Observer,
) -> Result<LiveObjects, ClusterError> {
    let mut live = match backend {
        Backend::Cluster(connection) => {
            let progress = |done: usize, total: usize| observer.progress(done, total);
            let live = cluster::read_cluster(connection, &desired.kinds.resources, &progress).await?;
            observer.progress_done();
            live
        }
        Backend::Snapshot(snapshot) => {
            let wanted: Vec<_> = desired.set.objects.iter().map(|o| o.object_ref()).collect();
            cluster::read_snapshot(snapshot, &wanted)
        }
    };
    live.unreadable.extend(desired.kinds.unserved.iter().map(|(r, why)| (r.clone(), why.clone())));
    Ok(live)
}

/// Every leg the audit compares Git with.
pub(super) async fn read_legs(
    backend: &Backend,
    desired: &Desired,
    mode: Mode,
    observer: &dyn Observer,
) -> Result<Legs, ClusterError> {
    let LiveObjects { objects: live, unreadable } = read_live_objects(backend, desired, observer).await?;
    let schemas = &desired.kinds.schemas;
    let Backend::Cluster(connection) = backend else {
        let last_applied = cluster::annotations_only(&live, schemas);
        return Ok(Legs { live, unreadable, last_applied, ..Legs::default() });
    };
    let (last_applied, releases) = cluster::read_last_applied(&connection.client, &live, schemas).await?;
    let expected = match mode {
        Mode::ServerSide => dry_run_all(connection, desired, &live).await,
        Mode::DesiredFields => HashMap::new(),
    };
    let namespaces: BTreeSet<String> = live.values().filter_map(|o| helm_release_of(o).map(|(ns, _)| ns)).collect();
    let helm_releases = cluster::helm::read_flux_helm_releases(&connection.client, &namespaces).await?;
    Ok(Legs { live, unreadable, last_applied, expected, helm_releases, releases })
}

/// Server-side dry-run applies of every desired object that exists in the cluster.
async fn dry_run_all(
    connection: &cluster::Connection,
    desired: &Desired,
    live: &HashMap<crate::object::ObjectRef, Manifest>,
) -> HashMap<crate::object::ObjectRef, Result<Manifest, String>> {
    let existing = desired
        .set
        .objects
        .iter()
        .filter_map(|o| {
            let reference = o.object_ref();
            let info = desired.kinds.resources.get(&reference)?.clone();
            let current = live.get(&reference)?;
            Some((Manifest(update_form(&o.manifest.0, &current.0)), info))
        })
        .collect();
    cluster::dry_run_all(&connection.client, existing).await
}

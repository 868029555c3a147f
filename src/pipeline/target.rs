//! The cluster a source's charts are rendered for. Offline (`--live-from`,
//! `render`) it is `helm template`'s default view; against a cluster it is
//! what `helm install` would see: the server's version, its discovered API
//! versions, and a read-only `lookup` answered from the cluster.

use std::rc::Rc;

use crate::cluster::{ClusterError, ClusterView, Connection};
use crate::discover::RenderUnit;
use crate::object::Unit;
use crate::render::RenderTarget;
use crate::template::Lookup;

/// The render target for `units` deployed to `namespace` of the cluster of `connection`. The
/// cluster is asked only when a unit is a chart (only templates use it).
pub(super) fn live_target(
    runtime: &tokio::runtime::Handle,
    connection: &Connection,
    namespace: &str,
    units: &[RenderUnit],
) -> Result<RenderTarget, ClusterError> {
    if !units.iter().any(|u| matches!(u.unit, Unit::Chart { .. })) {
        return Ok(RenderTarget::offline(namespace));
    }
    let view = runtime.block_on(ClusterView::read(&connection.client))?;
    Ok(RenderTarget {
        namespace: namespace.to_string(),
        kube_version: Some(view.kube_version.clone()),
        api_versions: Some(view.api_versions.clone()),
        lookup: Rc::new(LiveLookup { view, runtime: runtime.clone() }),
    })
}

/// Answers a template's `lookup` by reading the cluster, blocking the
/// rendering thread (which runs outside the async runtime) until it has.
struct LiveLookup {
    view: ClusterView,
    runtime: tokio::runtime::Handle,
}

impl Lookup for LiveLookup {
    fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Result<serde_json::Value, String> {
        self.runtime.block_on(self.view.lookup(api_version, kind, namespace, name))
    }
}

//! Everything that reads from the cluster: the client (rate limited and
//! counted), API discovery, batched fetch of live objects, Helm release
//! storage and snapshots. Async lives here and in `fix`, nowhere else.
//! Never writes to the cluster (that is `fix`).

mod batch;
mod client;
mod dry_run;
mod fetch;
pub mod helm;
mod last_applied;
mod live;
mod pruning;
mod resources;
mod snapshot;
mod traffic;
mod view;

pub use client::{ApiError, ClusterError, ClusterSettings, Connection, connect};
pub use dry_run::{DRY_RUN_MANAGER, dry_run_all, dry_run_apply};
pub use fetch::{Fetched, ListKey, fetch_lists};
pub use last_applied::{
    AppliedState, LastApplied, annotations_only, last_applied_annotation, read_last_applied, release_state,
};
pub use live::{LiveObjects, Unreadable, read_cluster, read_snapshot};
pub use pruning::{Schemas, declared_schemas, prune_unknown_fields, read_schemas, schema_key};
pub use resources::{ApiCatalog, ResourceInfo, Unserved};
pub use snapshot::{Snapshot, write_snapshot};
pub use traffic::{RateLimit, RequestStats, Traffic};
pub use view::ClusterView;

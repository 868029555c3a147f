//! Everything that reads from the cluster: the client (rate limited and
//! counted), API discovery, batched fetch of live objects, Helm release
//! storage and snapshots. Async lives here and in `fix`, nowhere else.
//! Never writes to the cluster (that is `fix`).

mod client;
mod fetch;
mod resources;
mod traffic;

pub use client::{ClusterError, Connection, connect};
pub use fetch::{Fetched, ListKey, fetch_lists};
pub use resources::{ApiCatalog, ResourceInfo, Unserved};
pub use traffic::{RateLimit, RequestStats, Traffic};

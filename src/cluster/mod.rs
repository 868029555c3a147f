//! Everything that reads from the cluster: the client, API discovery, batched
//! fetch of live objects, Helm release storage and snapshots. Async lives here
//! and in `fix`, nowhere else. Never writes (that is `fix`).

mod client;

pub use client::{ClusterError, connect};

//! The hook behind Helm's `lookup` function. Offline rendering answers with
//! an empty map, as `helm template` does; a live implementation can read the
//! cluster. This module must not talk to a cluster itself.

/// Answers `lookup apiVersion kind namespace name`.
pub trait Lookup {
    /// The object (or, with an empty name, the list) as JSON; an empty JSON
    /// object when nothing is found. An `Err` message fails the template.
    fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Result<serde_json::Value, String>;
}

/// `helm template`'s behavior: every lookup finds nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct OfflineLookup;

impl Lookup for OfflineLookup {
    fn lookup(&self, _: &str, _: &str, _: &str, _: &str) -> Result<serde_json::Value, String> {
        Ok(serde_json::Value::Object(serde_json::Map::new()))
    }
}

//! What a chart's templates may learn from the live cluster while it
//! renders, as `helm install` lets them: the server version and every
//! served API version (`.Capabilities`), and single objects or lists
//! (`lookup`). Read-only; only `check` and `snapshot` against a cluster
//! ask for it, and only when the source holds a chart.

use kube::api::{Api, DynamicObject, ListParams};
use kube::discovery::Discovery;
use serde_json::{Map, Value};

use super::ClusterError;
use super::resources::ApiCatalog;

/// The cluster as a chart's templates see it.
#[derive(Clone)]
pub struct ClusterView {
    client: kube::Client,
    catalog: ApiCatalog,
    /// The server's version (`v1.20.2`), for `.Capabilities.KubeVersion`.
    pub kube_version: String,
    /// Every served `group/version` and `group/version/Kind` (core: `v1`,
    /// `v1/Pod`), as Helm builds `.Capabilities.APIVersions` from discovery.
    pub api_versions: Vec<String>,
}

impl ClusterView {
    /// Reads the server version and runs a full API discovery.
    pub async fn read(client: &kube::Client) -> Result<Self, ClusterError> {
        let info = client
            .apiserver_version()
            .await
            .map_err(|source| ClusterError::api("reading the API server's version", source))?;
        let discovery = Discovery::new(client.clone())
            .run()
            .await
            .map_err(|source| ClusterError::api("discovering the cluster's API resources", source))?;
        let mut api_versions = Vec::new();
        for group in discovery.groups() {
            for version in group.versions() {
                let group_version =
                    if group.name().is_empty() { version.to_string() } else { format!("{}/{version}", group.name()) };
                api_versions.push(group_version.clone());
                api_versions.extend(
                    group.versioned_resources(version).into_iter().map(|(r, _)| format!("{group_version}/{}", r.kind)),
                );
            }
        }
        api_versions.sort();
        api_versions.dedup();
        Ok(ClusterView {
            client: client.clone(),
            catalog: ApiCatalog::of(&discovery),
            kube_version: info.git_version,
            api_versions,
        })
    }

    /// Helm's `lookup apiVersion kind namespace name`: the object, or with an
    /// empty `name` the list (across all namespaces when `namespace` is
    /// empty); an empty map when it does not exist. A kind the cluster does
    /// not serve, or a refused read, is an error, as in Helm.
    pub async fn lookup(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Result<Value, String> {
        let info = self.catalog.lookup(api_version, kind).map_err(|unserved| {
            format!("unable to get apiresource from unstructured: {api_version}, Kind={kind}: {unserved}")
        })?;
        let api: Api<DynamicObject> = if info.namespaced && !namespace.is_empty() {
            Api::namespaced_with(self.client.clone(), namespace, &info.resource)
        } else {
            Api::all_with(self.client.clone(), &info.resource)
        };
        let found = if name.is_empty() {
            api.list(&ListParams::default()).await.map(|list| {
                let items: Vec<Value> = list
                    .items
                    .into_iter()
                    .map(|item| with_type(serde_json::to_value(item).unwrap_or_default(), api_version, kind))
                    .collect();
                let mut object = Map::new();
                object.insert("apiVersion".into(), api_version.into());
                object.insert("items".into(), Value::Array(items));
                object.insert("kind".into(), format!("{kind}List").into());
                object.insert("metadata".into(), serde_json::to_value(list.metadata).unwrap_or_default());
                Value::Object(object)
            })
        } else {
            api.get(name)
                .await
                .map(|object| with_type(serde_json::to_value(object).unwrap_or_default(), api_version, kind))
        };
        match found {
            Ok(value) => Ok(value),
            Err(kube::Error::Api(status)) if status.code == 404 => Ok(Value::Object(Map::new())),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// Items of a LIST omit `apiVersion` and `kind`; Helm's client fills them in.
fn with_type(mut value: Value, api_version: &str, kind: &str) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".into(), api_version.into());
        map.insert("kind".into(), kind.into());
    }
    value
}

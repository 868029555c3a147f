//! Builds the Kubernetes client from kubeconfig, `--context` or in-cluster
//! configuration. The kubeconfig is read once, here.

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::traffic::{RateLimit, Traffic};
use crate::cli::KubeSettings;

/// Errors reaching a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The kubeconfig file could not be read or parsed.
    #[error("cannot read kubeconfig {path}: {source}; check the file or pass --kubeconfig")]
    Kubeconfig {
        /// File that failed.
        path: String,
        /// Why.
        #[source]
        source: KubeconfigError,
    },
    /// No kubeconfig and not running in a cluster.
    #[error(
        "no cluster configured: {source}; pass --kubeconfig or --context, set KUBECONFIG, or use --live-from DIR to audit a snapshot"
    )]
    NoConfig {
        /// Why inference failed.
        #[source]
        source: kube::config::InferConfigError,
    },
    /// The kubeconfig names a context, cluster or user that is not there, or is malformed.
    #[error("invalid kubeconfig settings: {source}; check --context and the kubeconfig")]
    BadConfig {
        /// Why.
        #[source]
        source: KubeconfigError,
    },
    /// An API request failed.
    #[error("{action}: {source}")]
    Api {
        /// What driftctl was doing.
        action: String,
        /// The API error.
        #[source]
        source: kube::Error,
    },
    /// A response could not be decoded.
    #[error("cannot decode {what}: {message}")]
    Decode {
        /// What was decoded.
        what: String,
        /// Why it failed.
        message: String,
    },
    /// The client could not be built (TLS setup).
    #[error("cannot build the Kubernetes client: {source}")]
    Client {
        /// Why.
        #[source]
        source: kube::Error,
    },
}

/// A client and the counters of the requests it sends.
#[derive(Clone)]
pub struct Connection {
    /// The Kubernetes client (rate limited and counted).
    pub client: kube::Client,
    /// Request counters.
    pub traffic: Traffic,
}

/// Connects to the cluster named by `settings`: an explicit kubeconfig file, else
/// `KUBECONFIG` / `~/.kube/config`, else the in-cluster service account.
pub async fn connect(settings: &KubeSettings, limit: RateLimit) -> Result<Connection, ClusterError> {
    let options = KubeConfigOptions { context: settings.context.clone(), ..Default::default() };
    let config = match &settings.kubeconfig {
        Some(path) => {
            let kubeconfig = Kubeconfig::read_from(path)
                .map_err(|source| ClusterError::Kubeconfig { path: path.display().to_string(), source })?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|source| ClusterError::BadConfig { source })?
        }
        None if settings.context.is_some() => {
            kube::Config::from_kubeconfig(&options).await.map_err(|source| ClusterError::BadConfig { source })?
        }
        None => kube::Config::infer().await.map_err(|source| ClusterError::NoConfig { source })?,
    };
    let traffic = Traffic::new(limit);
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|source| ClusterError::Client { source })?
        .with_layer(&traffic.layer())
        .build();
    Ok(Connection { client, traffic })
}

//! Builds the Kubernetes client from kubeconfig, `--context` or in-cluster
//! configuration. The kubeconfig is read once, here.

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::traffic::{RateLimit, Traffic};
use crate::cli::KubeSettings;

/// Errors reaching a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The kubeconfig file could not be read or parsed.
    #[error("cannot read kubeconfig {path}: {cause}; check the file or pass --kubeconfig")]
    Kubeconfig {
        /// File that failed.
        path: String,
        /// Why.
        cause: KubeconfigError,
    },
    /// No kubeconfig and not running in a cluster.
    #[error(
        "no cluster configured (no kubeconfig found and not running in a cluster); pass --kubeconfig or --context, set KUBECONFIG, or use --live-from DIR to audit a snapshot"
    )]
    NoConfig {
        /// Why inference failed (shown with -v).
        cause: kube::config::InferConfigError,
    },
    /// The kubeconfig names a context, cluster or user that is not there, or is malformed.
    #[error("invalid kubeconfig settings: {cause}; check --context and the kubeconfig")]
    BadConfig {
        /// Why.
        cause: KubeconfigError,
    },
    /// An API request failed.
    #[error("{action}: {}", describe_api_error(source))]
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
    /// A snapshot directory could not be read or written.
    #[error("snapshot {path}: {message}")]
    Snapshot {
        /// The file or directory.
        path: String,
        /// What failed.
        message: String,
    },
    /// The client could not be built (TLS setup).
    #[error("cannot build the Kubernetes client: {cause}")]
    Client {
        /// Why.
        cause: kube::Error,
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
                .map_err(|cause| ClusterError::Kubeconfig { path: path.display().to_string(), cause })?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|cause| ClusterError::BadConfig { cause })?
        }
        None if settings.context.is_some() => {
            kube::Config::from_kubeconfig(&options).await.map_err(|cause| ClusterError::BadConfig { cause })?
        }
        None => kube::Config::infer().await.map_err(|cause| ClusterError::NoConfig { cause })?,
    };
    let traffic = Traffic::new(limit);
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|cause| ClusterError::Client { cause })?
        .with_layer(&traffic.layer())
        .build();
    Ok(Connection { client, traffic })
}

/// The API server's own message when it sent one (with its reason), else the transport error
/// with a hint: an unreachable server is the usual cause.
fn describe_api_error(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) => format!("{} ({})", status.message, status.reason),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            format!("{error}; is the cluster reachable? check --context and the kubeconfig's server address")
        }
        other => other.to_string(),
    }
}

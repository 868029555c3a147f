//! Builds the Kubernetes client from kubeconfig, `--context` or in-cluster
//! configuration, with a per-request timeout, a rate limit and request
//! counters. The kubeconfig is read once, here. Also the one place that
//! turns a failed API request into words a person can act on.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};

use super::traffic::{RateLimit, Traffic};

/// Where the cluster is and how to talk to it, as the command line says.
#[derive(Debug, Clone, Default)]
pub struct ClusterSettings {
    /// `--kubeconfig`, else `$KUBECONFIG` (first entry that exists); `None`: `~/.kube/config`, then in-cluster.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`.
    pub context: Option<String>,
    /// Client-side request rate.
    pub rate: RateLimit,
    /// How long one request may wait for the server (`--request-timeout`); `None`: no limit.
    pub request_timeout: Option<Duration>,
}

/// Errors reaching a cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The kubeconfig file could not be read or parsed.
    #[error("cannot read kubeconfig {path}; check the file or pass --kubeconfig")]
    Kubeconfig {
        /// File that failed.
        path: String,
        /// Why.
        #[source]
        source: KubeconfigError,
    },
    /// No kubeconfig and not running in a cluster.
    #[error(
        "no cluster configured (no kubeconfig found and not running in a cluster); pass --kubeconfig or --context, set KUBECONFIG, or use --live-from DIR to audit a snapshot"
    )]
    NoConfig {
        /// Why inference failed.
        #[source]
        source: kube::config::InferConfigError,
    },
    /// The kubeconfig names a context, cluster or user that is not there, or is malformed.
    #[error("invalid kubeconfig settings; check --context and the kubeconfig")]
    BadConfig {
        /// Why.
        #[source]
        source: KubeconfigError,
    },
    /// An API request failed.
    #[error("{action}")]
    Api {
        /// What driftctl was doing.
        action: String,
        /// The failure, in words.
        #[source]
        source: ApiError,
    },
    /// A response could not be decoded.
    #[error("cannot decode {what}")]
    Decode {
        /// What was decoded.
        what: String,
        /// Why it failed.
        #[source]
        source: serde_json::Error,
    },
    /// A snapshot directory could not be read or written.
    #[error("snapshot {path}: {message}")]
    Snapshot {
        /// The file or directory.
        path: String,
        /// What failed.
        message: String,
    },
    /// A snapshot file is not valid YAML or JSON, or holds a malformed object.
    #[error("snapshot {path}")]
    SnapshotFile {
        /// The snapshot directory.
        path: String,
        /// The file and what is wrong with it.
        #[source]
        source: crate::discover::DiscoverError,
    },
    /// A snapshot file could not be read or written.
    #[error("snapshot {path}")]
    SnapshotIo {
        /// The file or directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The client could not be built (TLS setup).
    #[error("cannot build the Kubernetes client")]
    Client {
        /// Why.
        #[source]
        source: ApiError,
    },
}

impl ClusterError {
    /// An API request that failed while doing `action`.
    pub fn api(action: impl Into<String>, error: kube::Error) -> Self {
        ClusterError::Api { action: action.into(), source: ApiError(error) }
    }

    /// Whether the server did not answer within the request timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, ClusterError::Api { source, .. } if source.is_timeout())
    }
}

/// A failed request to the API server. Displayed as the server's own message
/// and reason with what to do next, never as the client's debug structures.
#[derive(Debug)]
pub struct ApiError(pub kube::Error);

impl ApiError {
    /// The HTTP status code the server answered with, if it answered.
    pub fn code(&self) -> Option<u16> {
        match &self.0 {
            kube::Error::Api(status) => Some(status.code),
            _ => None,
        }
    }

    /// Whether the request was given up because the server did not answer in time.
    pub fn is_timeout(&self) -> bool {
        let mut cause: Option<&dyn std::error::Error> = Some(&self.0);
        while let Some(error) = cause {
            if let Some(io) = error.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::TimedOut
            {
                return true;
            }
            if error.to_string().contains("timed out") {
                return true;
            }
            cause = error.source();
        }
        false
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            kube::Error::Api(status) => {
                let hint = match status.code {
                    401 => "; the server did not accept the credentials: check the kubeconfig's user (token, certificate) and --context",
                    403 => "; driftctl's identity is not allowed to do this: check its RBAC role",
                    _ => "",
                };
                let reason = if status.reason.is_empty() { status.code.to_string() } else { status.reason.clone() };
                let message = if status.message.is_empty() { "no message" } else { status.message.as_str() };
                write!(f, "{message} ({reason}){hint}")
            }
            _ if self.is_timeout() => {
                f.write_str("the API server did not answer in time (--request-timeout); is it overloaded or unreachable?")
            }
            kube::Error::HyperError(_) | kube::Error::Service(_) => f.write_str(
                "cannot reach the API server; is the cluster reachable? check --context and the kubeconfig's server address",
            ),
            other => write!(f, "{other}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            // The server's status is the whole story, and it is in the message already.
            kube::Error::Api(_) => None,
            kube::Error::HyperError(e) => Some(e),
            kube::Error::Service(e) => Some(e.as_ref()),
            other => std::error::Error::source(other),
        }
    }
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
pub async fn connect(settings: &ClusterSettings) -> Result<Connection, ClusterError> {
    let options = KubeConfigOptions { context: settings.context.clone(), ..Default::default() };
    let mut config = match &settings.kubeconfig {
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
    if let Some(timeout) = settings.request_timeout {
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
        config.write_timeout = Some(timeout);
    }
    let traffic = Traffic::new(settings.rate);
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|e| ClusterError::Client { source: ApiError(e) })?
        .with_layer(&traffic.layer())
        .build();
    Ok(Connection { client, traffic })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, reason: &str, message: &str) -> ApiError {
        ApiError(kube::Error::Api(Box::new(kube::core::Status {
            code,
            reason: reason.into(),
            message: message.into(),
            ..Default::default()
        })))
    }

    #[test]
    fn a_refused_request_reads_as_the_servers_message_with_what_to_do() {
        let unauthorized = status(401, "Unauthorized", "Unauthorized").to_string();
        assert!(unauthorized.starts_with("Unauthorized (Unauthorized); the server did not accept the credentials"));
        assert!(!unauthorized.contains("Status"), "no debug structure: {unauthorized}");
        let forbidden = status(403, "Forbidden", "deployments.apps is forbidden: User \"x\" cannot list").to_string();
        assert!(forbidden.contains("cannot list") && forbidden.contains("RBAC"), "{forbidden}");
        let error = ClusterError::api("listing deployments", status(404, "NotFound", "gone").0);
        assert_eq!(error.to_string(), "listing deployments");
        assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "gone (NotFound)");
    }
}

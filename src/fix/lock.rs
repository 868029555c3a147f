//! The repair lock: a `coordination.k8s.io` Lease held for the whole repair,
//! renewed in the background, so two runs (two cron jobs) never repair at
//! once. A crashed holder stops renewing and its lease expires.

use std::time::Duration;

use kube_lease_manager::{LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::FixError;

/// Seconds a lease stays valid without renewal (how long a crashed holder blocks others).
const LEASE_SECONDS: u64 = 30;
/// Renew this many seconds before expiry.
const GRACE_SECONDS: u64 = 10;

/// A held repair lock; release it with [`RepairLock::release`].
pub struct RepairLock {
    receiver: watch::Receiver<bool>,
    task: JoinHandle<Result<kube_lease_manager::LeaseManager, LeaseManagerError>>,
}

/// Takes the Lease `namespace/name`, waiting up to `timeout` for another holder to finish.
pub async fn acquire_lock(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    identity: &str,
    timeout: Duration,
) -> Result<RepairLock, FixError> {
    let lease_error =
        |e: LeaseManagerError| FixError::Lease { namespace: namespace.into(), name: name.into(), source: Box::new(e) };
    let manager = LeaseManagerBuilder::new(client.clone(), name)
        .with_namespace(namespace)
        .with_identity(identity)
        .with_duration(LEASE_SECONDS)
        .with_grace(GRACE_SECONDS)
        .with_field_manager("driftctl-lock")
        .build()
        .await
        .map_err(lease_error)?;
    let (mut receiver, task) = manager.watch().await;
    let held = tokio::time::timeout(timeout, async {
        while !*receiver.borrow_and_update() {
            if receiver.changed().await.is_err() {
                return false;
            }
        }
        true
    })
    .await;
    match held {
        Ok(true) => Ok(RepairLock { receiver, task }),
        Ok(false) => {
            let source: Box<dyn std::error::Error + Send + Sync> = match task.await {
                Ok(Err(e)) => Box::new(e),
                Ok(Ok(_)) => "the lease watcher stopped".into(),
                Err(e) => Box::new(e),
            };
            Err(FixError::Lease { namespace: namespace.into(), name: name.into(), source })
        }
        Err(_) => {
            drop(receiver);
            let _ = task.await;
            let holder = holder(client, namespace, name).await.unwrap_or_else(|| "unknown".into());
            Err(FixError::Locked {
                namespace: namespace.into(),
                name: name.into(),
                holder,
                waited_secs: timeout.as_secs(),
            })
        }
    }
}

impl RepairLock {
    /// Releases the lease and waits until the release is written.
    pub async fn release(self) {
        drop(self.receiver);
        let _ = self.task.await;
    }
}

async fn holder(client: &kube::Client, namespace: &str, name: &str) -> Option<String> {
    let api: kube::Api<k8s_openapi::api::coordination::v1::Lease> = kube::Api::namespaced(client.clone(), namespace);
    api.get(name).await.ok()?.spec?.holder_identity
}

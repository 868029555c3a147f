//! Bounded concurrency for batches of API requests (LISTs, dry-run applies):
//! a few at a time, so a large audit is fast without flooding the API server
//! (the client's QPS limit applies on top).

use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;

/// Requests in flight at once, at most.
pub const CONCURRENT_REQUESTS: usize = 8;

/// Runs every job, [`CONCURRENT_REQUESTS`] at a time, calling `progress(done, total)` as each
/// finishes. Results come in completion order, each with its key; a job that panicked (a bug)
/// is returned as an error rather than lost.
pub async fn run_bounded<K, F, T>(
    jobs: Vec<(K, F)>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(K, Result<T, String>)>
where
    K: Clone + Send + 'static,
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let total = jobs.len();
    let permits = Arc::new(Semaphore::new(CONCURRENT_REQUESTS));
    let mut tasks = tokio::task::JoinSet::new();
    let mut keys = Vec::with_capacity(total);
    for (index, (key, job)) in jobs.into_iter().enumerate() {
        keys.push(key);
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (index, job.await)
        });
    }
    let mut results = Vec::with_capacity(total);
    let mut panicked = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        progress(results.len() + panicked.len() + 1, total);
        match joined {
            Ok((index, value)) => results.push((index, Ok(value))),
            Err(error) => panicked.push(format!("internal error in an API request: {error}")),
        }
    }
    // Jobs whose task panicked never reported their index: they are the ones missing.
    let finished: std::collections::HashSet<usize> = results.iter().map(|(i, _)| *i).collect();
    let missing = (0..total).filter(|i| !finished.contains(i));
    results.extend(missing.zip(panicked).map(|(i, message)| (i, Err(message))));
    results.into_iter().map(|(index, result)| (keys[index].clone(), result)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_every_job_and_keeps_keys() {
        let jobs: Vec<(u32, _)> = (0..20u32).map(|i| (i, async move { i * 2 })).collect();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let mut results = run_bounded(jobs, &|_, total| {
            assert_eq!(total, 20);
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })
        .await;
        results.sort_by_key(|(k, _)| *k);
        assert_eq!(results.len(), 20);
        assert!(results.iter().all(|(k, r)| r.as_ref().ok() == Some(&(k * 2))));
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 20);
    }
}

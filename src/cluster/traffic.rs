//! A tower layer under the Kubernetes client that limits the request rate
//! (`--qps`, `--burst`, a token bucket like client-go's) and counts every
//! request by kind, so a run can say exactly how many calls it made and
//! tests can prove an audit LISTs once per (resource, namespace).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tower::{Layer, Service};

/// Request rate settings.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub qps: f64,
    /// Requests allowed at once above the sustained rate.
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { qps: 50.0, burst: 100 }
    }
}

/// What the client has sent so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// GET requests (reads, including discovery and LISTs).
    pub reads: u64,
    /// Requests that can change the cluster (POST, PUT, PATCH, DELETE), dry-runs included.
    pub writes: u64,
    /// Writes sent with `dryRun=All` (they change nothing).
    pub dry_run_writes: u64,
}

impl RequestStats {
    /// All requests.
    pub fn total(&self) -> u64 {
        self.reads + self.writes
    }

    /// Writes that really changed something.
    pub fn real_writes(&self) -> u64 {
        self.writes - self.dry_run_writes
    }
}

/// Shared counters and token bucket; clone it to read the counters later.
#[derive(Debug, Clone)]
pub struct Traffic {
    state: Arc<Mutex<State>>,
    limit: RateLimit,
}

#[derive(Debug)]
struct State {
    stats: RequestStats,
    tokens: f64,
    refilled: Instant,
}

impl Traffic {
    /// New counters with a full bucket.
    pub fn new(limit: RateLimit) -> Self {
        let state =
            State { stats: RequestStats::default(), tokens: f64::from(limit.burst.max(1)), refilled: Instant::now() };
        Traffic { state: Arc::new(Mutex::new(state)), limit }
    }

    /// The counters so far.
    pub fn stats(&self) -> RequestStats {
        self.lock().stats
    }

    /// The layer to add to a `kube::client::ClientBuilder`.
    pub fn layer(&self) -> TrafficLayer {
        TrafficLayer(self.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves plain counters behind; they stay usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts the request and returns how long to wait before sending it.
    fn admit(&self, method: &http::Method, dry_run: bool) -> Duration {
        let mut state = self.lock();
        if method == http::Method::GET || method == http::Method::HEAD {
            state.stats.reads += 1;
        } else {
            state.stats.writes += 1;
            if dry_run {
                state.stats.dry_run_writes += 1;
            }
        }
        if self.limit.qps <= 0.0 {
            return Duration::ZERO;
        }
        let now = Instant::now();
        let elapsed = now.duration_since(state.refilled).as_secs_f64();
        state.refilled = now;
        state.tokens = (state.tokens + elapsed * self.limit.qps).min(f64::from(self.limit.burst.max(1)));
        state.tokens -= 1.0;
        if state.tokens >= 0.0 { Duration::ZERO } else { Duration::from_secs_f64(-state.tokens / self.limit.qps) }
    }
}

/// Layer that wraps a client service with [`Traffic`].
#[derive(Debug, Clone)]
pub struct TrafficLayer(Traffic);

impl<S> Layer<S> for TrafficLayer {
    type Service = TrafficService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TrafficService { inner: Arc::new(tokio::sync::Mutex::new(inner)), traffic: self.0.clone() }
    }
}

/// The service produced by [`TrafficLayer`]. The client's own service stack
/// cannot be cloned, so it is shared behind a lock held only while a request
/// is handed to it (not while the response is awaited).
#[derive(Debug)]
pub struct TrafficService<S> {
    inner: Arc<tokio::sync::Mutex<S>>,
    traffic: Traffic,
}

impl<S, B> Service<http::Request<B>> for TrafficService<S>
where
    S: Service<http::Request<B>> + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Readiness of the inner service is awaited in `call`, after the rate limit.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let dry_run = request.uri().query().is_some_and(|q| q.split('&').any(|p| p.starts_with("dryRun=")));
        let wait = self.traffic.admit(request.method(), dry_run);
        let inner = self.inner.clone();
        Box::pin(async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let response = {
                let mut service = inner.lock().await;
                std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
                service.call(request)
            };
            response.await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_reads_writes_and_dry_runs() {
        let t = Traffic::new(RateLimit { qps: 0.0, burst: 1 });
        t.admit(&http::Method::GET, false);
        t.admit(&http::Method::PATCH, true);
        t.admit(&http::Method::PATCH, false);
        t.admit(&http::Method::DELETE, false);
        let s = t.stats();
        assert_eq!((s.reads, s.writes, s.dry_run_writes, s.real_writes(), s.total()), (1, 3, 1, 2, 4));
    }

    #[test]
    fn bucket_allows_burst_then_spaces_requests() {
        let t = Traffic::new(RateLimit { qps: 10.0, burst: 2 });
        assert!(t.admit(&http::Method::GET, false).is_zero());
        assert!(t.admit(&http::Method::GET, false).is_zero());
        let third = t.admit(&http::Method::GET, false);
        assert!(third > Duration::from_millis(50) && third <= Duration::from_millis(100), "{third:?}");
        let fourth = t.admit(&http::Method::GET, false);
        assert!(fourth > third, "waits grow while the bucket is empty: {third:?} then {fourth:?}");
    }
}

//! The AWS clients wsctl calls, how they retry, and the one limit on calls
//! in flight that every read and write of a run shares.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use tokio::sync::Semaphore;

pub use aws_sdk_resourcegroupstagging::Client as TaggingClient;
pub use aws_sdk_workspaces::Client as WorkspacesClient;

/// Attempts per call, the first included. AWS throttles WorkSpaces per
/// account and region; with the adaptive rate limiter slowing every call of
/// the run down after the first refusal, ten attempts ride out a throttled
/// account instead of failing on it.
pub const MAX_ATTEMPTS: u32 = 10;
/// Backoff doubles from the first retry up to this (with full jitter), so
/// the attempts of one call span at most about two minutes: the budget after
/// which a call that AWS keeps refusing fails.
const MAX_BACKOFF: Duration = Duration::from_secs(20);
const INITIAL_BACKOFF: Duration = Duration::from_millis(200);

/// The SDK's adaptive mode: standard retries plus a client-side rate limiter
/// that learns the account's rate from throttling responses.
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(INITIAL_BACKOFF)
        .with_max_backoff(MAX_BACKOFF)
}

/// The clients of one run and its limit on calls in flight.
#[derive(Clone, Debug)]
pub struct Aws {
    pub workspaces: WorkspacesClient,
    pub tagging: TaggingClient,
    pub limit: CallLimit,
}

/// At most this many API calls in flight, reads and writes alike
/// (`--parallelism`); waiting between polls holds no slot.
#[derive(Clone, Debug)]
pub struct CallLimit(Arc<Semaphore>);

impl CallLimit {
    pub fn new(calls: usize) -> Self {
        CallLimit(Arc::new(Semaphore::new(calls.max(1))))
    }

    /// Runs one call (with its retries) within the limit.
    pub async fn run<T>(&self, call: impl Future<Output = T>) -> T {
        // The semaphore is never closed, so a permit always comes.
        let _slot = self.0.acquire().await.ok();
        call.await
    }
}

impl Default for CallLimit {
    fn default() -> Self {
        CallLimit::new(DEFAULT_PARALLELISM)
    }
}

/// `--parallelism` when not given.
pub const DEFAULT_PARALLELISM: usize = 10;

//! The AWS clients wsctl calls, how they retry, and the one limit on calls
//! in flight that every read and write of a run shares.

mod api_error;
mod call_limit;
mod paged;
mod response_limit;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_workspaces::config::SharedHttpClient;
use aws_sdk_workspaces::config::retry::{RetryPartition, TokenBucket};
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};

pub use api_error::{ApiError, api_error};
pub use aws_sdk_cloudwatch::Client as CloudWatchClient;
pub use aws_sdk_kms::Client as KmsClient;
pub use aws_sdk_pricing::Client as PricingClient;
pub use aws_sdk_resourcegroupstagging::Client as TaggingClient;
pub use aws_sdk_workspaces::Client as WorkspacesClient;
pub use call_limit::{CallLimit, Pacing};
pub use paged::{MAX_PAGES, PageTokens, all_pages};
pub use response_limit::{MAX_RESPONSE_BYTES, ResponseLimit};

/// Attempts per call, the first included. AWS throttles WorkSpaces per
/// account and region; ten attempts, with at most `--parallelism` calls in
/// flight, ride out a throttled account instead of failing on it.
pub const MAX_ATTEMPTS: u32 = 10;
/// For errors other than throttling (5xx, a dropped connection), backoff
/// doubles from 0.2 s up to this, with full jitter. A throttled call's
/// retry waits for its turn on the run's pace instead (`call_limit`),
/// which the SDK takes as its delay, capped here too.
const MAX_BACKOFF: Duration = Duration::from_secs(20);
const INITIAL_BACKOFF: Duration = Duration::from_millis(200);

/// The SDK's standard mode, with calls in flight and their pace held by
/// `CallLimit`. The SDK's adaptive mode (a client-side rate limiter per
/// client) was measured at less than half the rate a throttled account
/// allows: see BENCHMARKS.md.
pub fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(INITIAL_BACKOFF)
        .with_max_backoff(MAX_BACKOFF)
}

/// The HTTPS client of every AWS client and of the credential chain: the
/// SDK's own (hyper 1, rustls) with ring as its crypto provider, through
/// the proxy that `HTTPS_PROXY` and `NO_PROXY` name, as the SDK's default
/// client does. Cargo.toml says why ring.
pub fn http_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// One attempt may take this long before it is retried (within the call's
/// own limit): every WorkSpaces call answers in seconds when AWS is well.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to wait for a connection (`--connect-timeout`) and for one call
/// with its retries (`--call-timeout`), so a silent endpoint ends the run
/// instead of holding it forever.
pub fn timeout_config(connect: Duration, call: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(connect)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT.min(call))
        .operation_timeout(call)
        .build()
}

/// One retry quota for the clients, in which a throttled call costs none:
/// the quota stops retry storms when AWS fails, but throttling only asks
/// the caller to slow down, which the pace does.
pub fn retry_partition() -> RetryPartition {
    RetryPartition::custom("wsctl")
        .token_bucket(TokenBucket::builder().throttling_retry_cost(0).build())
        .build()
}

/// The clients of one run and its limit on calls in flight.
#[derive(Clone, Debug)]
pub struct Aws {
    pub workspaces: WorkspacesClient,
    pub tagging: TaggingClient,
    /// The Price List, in the region that serves it (see [`pricing_region`]).
    pub pricing: PricingClient,
    /// CloudWatch, for the WorkSpaces' `UserConnected` metric (`usage`).
    pub cloudwatch: CloudWatchClient,
    /// KMS, to resolve the key aliases a fleet file encrypts with.
    pub kms: KmsClient,
    pub limit: CallLimit,
}

/// The Price List Query API answers in a few regions only, whatever region
/// the fleet is in: China's prices in cn-northwest-1, every other
/// partition's in us-east-1.
pub fn pricing_region(fleet_region: Option<&str>) -> &'static str {
    match fleet_region {
        Some(region) if region.starts_with("cn-") => "cn-northwest-1",
        _ => "us-east-1",
    }
}

/// One SDK client configured the wsctl way: the SDK crates' builders are
/// distinct types with the same methods, so one macro says it once.
macro_rules! client {
    ($client:ty, $builder:expr, $timeouts:expr, $pace:expr) => {
        <$client>::from_conf(
            $builder
                .timeout_config($timeouts)
                .retry_config(retry_config())
                .retry_partition(retry_partition())
                .interceptor(ResponseLimit)
                .retry_classifier(ResponseLimit)
                .interceptor($pace.clone())
                .retry_classifier($pace)
                .build(),
        )
    };
}

impl Aws {
    /// The clients of one run from their configurations (AWS's chain, an
    /// endpoint, or the simulator): wsctl's retries, retry partition and
    /// timeouts, responses bounded, and at most `calls` calls in flight.
    pub fn new(builders: Builders, timeouts: TimeoutConfig, calls: usize) -> Self {
        let Builders {
            workspaces,
            tagging,
            pricing,
            cloudwatch,
            kms,
        } = builders;
        let limit = CallLimit::new(calls);
        Aws {
            cloudwatch: client!(
                CloudWatchClient,
                cloudwatch,
                timeouts.clone(),
                limit.pacing()
            ),
            workspaces: client!(
                WorkspacesClient,
                workspaces,
                timeouts.clone(),
                limit.pacing()
            ),
            tagging: client!(TaggingClient, tagging, timeouts.clone(), limit.pacing()),
            kms: client!(KmsClient, kms, timeouts.clone(), limit.pacing()),
            pricing: client!(PricingClient, pricing, timeouts, limit.pacing()),
            limit,
        }
    }
}

/// The configurations of a run's clients, before wsctl's retries,
/// timeouts, response limit and pacing are added to each.
pub struct Builders {
    pub workspaces: aws_sdk_workspaces::config::Builder,
    pub tagging: aws_sdk_resourcegroupstagging::config::Builder,
    /// In the region that serves the Price List ([`pricing_region`]).
    pub pricing: aws_sdk_pricing::config::Builder,
    pub cloudwatch: aws_sdk_cloudwatch::config::Builder,
    pub kms: aws_sdk_kms::config::Builder,
}

/// `--parallelism` when not given.
pub const DEFAULT_PARALLELISM: usize = 10;

//! The WorkSpaces simulator: a WorkSpaces-compatible endpoint on loopback
//! that speaks the real wire protocol (awsJson1_1), so wsctl and its tests
//! use the real `aws-sdk-workspaces` client with only the endpoint changed.
//! The same endpoint answers the Resource Groups Tagging API's
//! `GetResources` for the account's WorkSpaces resources, through the real
//! `aws-sdk-resourcegroupstagging` client, and the Price List Query API
//! (`DescribeServices`, `GetAttributeValues`, `GetProducts`) for sample
//! WorkSpaces prices, through the real `aws-sdk-pricing` client.
//!
//! `server` speaks the protocol and injects faults, `ops` holds the
//! operations, `account` the state they work on, `arn` and `tag_history`
//! what `GetResources` sees of it, `prices` the price list, `seed` the
//! account every simulator starts with, `store` the state file, `journal`
//! its log of changes and `tracked` the collections that know what changed.

mod account;
mod api_error;
mod arn;
mod cbor;
mod config;
mod error;
mod faults;
mod journal;
mod ops;
mod prices;
mod seed;
mod server;
mod stats;
mod store;
mod tag_history;
mod tracked;
mod usage;
mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_workspaces::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_types::retry::RetryConfig;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{Faults, ServeArgs, SimConfig};
pub use error::SimError;
pub use seed::SEED_DIRECTORY_ID;
pub use stats::{OperationStats, Stats};

/// A running simulator. Dropping it stops the server too; `shutdown` also
/// waits for in-flight requests to finish.
pub struct Sim {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    stop_signal: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

/// Binds `config.listen`, loads or seeds the account and serves it on a
/// background task.
pub async fn start(config: SimConfig) -> Result<Sim, SimError> {
    let lock = config.state_file.as_deref().map(store::lock).transpose()?;
    let (account, journal) = match &config.state_file {
        Some(path) => {
            let (account, journal, torn) = journal::open(path)?;
            if let Some(torn) = torn {
                eprintln!("wsctl simulator: {torn}");
            }
            (account, Some(journal))
        }
        None => (seed::account(), None),
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| SimError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| SimError::Bind {
        addr: config.listen,
        source,
    })?;
    let shared = Arc::new(server::Shared::new(config, account, journal, lock));
    let app = server::router(Arc::clone(&shared));
    let (stop_signal, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // A dropped `Sim` closes the channel, which stops the server too.
                let _ = stopped.await;
            })
            .await
    });
    Ok(Sim {
        addr,
        shared,
        stop_signal,
        task,
    })
}

impl Sim {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the endpoint URL for the SDK.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Writes the account whole to its state file and empties the log, for
    /// a simulator whose requests are over (`--sim` as its command ends);
    /// later changes, if any, are still kept, in memory only.
    pub fn compact(&self) -> Result<(), SimError> {
        self.shared.close()
    }

    /// Stops accepting requests and waits for the ones under way.
    pub async fn shutdown(self) {
        if let Err(e) = self.stop().await {
            eprintln!("wsctl simulator: {e}");
        }
    }

    async fn stop(self) -> Result<(), SimError> {
        let _ = self.stop_signal.send(());
        let served = match self.task.await {
            Ok(result) => result.map_err(SimError::Serve),
            Err(e) => Err(SimError::Serve(std::io::Error::other(e))),
        };
        // The requests have finished: the state file can be written whole.
        self.shared.close()?;
        served
    }
}

/// `wsctl sim serve`: runs a simulator until Ctrl-C or SIGTERM (on Windows,
/// the console closing); either way requests under way finish, and with them
/// their writes to the state file, before it exits.
pub async fn serve(args: ServeArgs) -> Result<(), SimError> {
    let sim = start(args.config()).await?;
    if !sim.addr.ip().is_loopback() {
        eprintln!(
            "warning: the simulator listens on {}, which is not loopback; it has no authentication: anyone who can reach it can read and change its account",
            sim.addr
        );
    }
    // Listen for both signals before saying where we are, so a signal sent
    // as soon as the URL shows still stops the server cleanly.
    let mut terminate = terminate_signal().map_err(SimError::Signal)?;
    let mut stop = std::pin::pin!(async {
        tokio::select! {
            signal = tokio::signal::ctrl_c() => signal,
            _ = terminate.recv() => Ok(()),
        }
    });
    if let std::task::Poll::Ready(signal) = futures::poll!(stop.as_mut()) {
        sim.stop().await?;
        return signal.map_err(SimError::Signal);
    }
    outln!("wsctl simulator listening on {}", sim.url());
    let signal = stop.await;
    sim.stop().await?;
    signal.map_err(SimError::Signal)
}

/// SIGTERM is how service managers, `docker stop` and `kill` ask a server
/// to end.
#[cfg(unix)]
fn terminate_signal() -> std::io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
}

/// Windows has no SIGTERM: closing the console is how it asks a program to
/// end.
#[cfg(windows)]
fn terminate_signal() -> std::io::Result<tokio::signal::windows::CtrlClose> {
    tokio::signal::windows::ctrl_close()
}

/// An SDK configuration of `$config` for a simulator at `url`: the SDK
/// crates' builders are distinct types with the same methods.
macro_rules! sim_config {
    ($config:ty, $url:expr) => {
        <$config>::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(seed::REGION))
            .credentials_provider(credentials())
            .endpoint_url($url)
            .http_client(http_client())
            .retry_config(retry_config())
            .build()
    };
}

/// An SDK configuration for a simulator at `url`: static test credentials
/// (the simulator ignores signatures), region us-east-1, and up to 5 attempts
/// so throttling and 5xx faults are retried. The first backoff is short
/// because the simulator's rate limit refills within a second.
pub fn client_config(url: &str) -> aws_sdk_workspaces::Config {
    sim_config!(aws_sdk_workspaces::Config, url)
}

/// The same as [`client_config`] for the Resource Groups Tagging API, which
/// the simulator answers on the same endpoint.
pub fn tagging_client_config(url: &str) -> aws_sdk_resourcegroupstagging::Config {
    sim_config!(aws_sdk_resourcegroupstagging::Config, url)
}

/// The same as [`client_config`] for the Price List Query API, which the
/// simulator answers on the same endpoint.
pub fn pricing_client_config(url: &str) -> aws_sdk_pricing::Config {
    sim_config!(aws_sdk_pricing::Config, url)
}

/// The same as [`client_config`] for CloudWatch, whose `GetMetricData`
/// the simulator answers on the same endpoint (Smithy RPC v2 CBOR).
pub fn cloudwatch_client_config(url: &str) -> aws_sdk_cloudwatch::Config {
    sim_config!(aws_sdk_cloudwatch::Config, url)
}

/// The same as [`client_config`] for KMS, whose `DescribeKey` the
/// simulator answers on the same endpoint.
pub fn kms_client_config(url: &str) -> aws_sdk_kms::Config {
    sim_config!(aws_sdk_kms::Config, url)
}

/// The SDK's HTTP client without a proxy (the simulator is on loopback):
/// wsctl's SDK crates bring no default client (see Cargo.toml).
fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

fn credentials() -> Credentials {
    Credentials::new("AKIDSIM", "secret", None, None, "wsctl-sim")
}

fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(100))
}

//! The AWS clients: AWS through the standard chain, an endpoint given by
//! `--endpoint-url`, or the built-in simulator for `--sim`.

use std::path::Path;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};

use super::Error;
use super::cli::Global;
use crate::aws::{self, Aws};
use crate::prices::PriceCache;
use crate::sim::{self, Sim, SimConfig};

/// Where `--sim` keeps its account between runs.
pub(super) const SIM_STATE: &str = ".wsctl/sim.json";

pub(super) struct Connection {
    pub(super) aws: Aws,
    pub(super) region: Option<String>,
    /// Where calls go, for messages: the URL, or "AWS in REGION".
    pub(super) endpoint: String,
    /// Where this endpoint's prices are kept between runs.
    pub(super) prices: PriceCache,
    /// The in-process simulator, kept alive as long as the clients.
    sim: Option<Sim>,
}

/// Clients for `global`'s account and region, with at most `calls` API
/// calls in flight at once.
pub(super) async fn connect(
    global: &Global,
    file_region: Option<&str>,
    calls: usize,
) -> Result<Connection, Error> {
    if global.sim {
        return connect_sim(global, calls).await;
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(aws::http_client())
        .retry_config(aws::retry_config())
        .timeout_config(timeouts(global));
    if let Some(profile) = &global.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = global.region.as_deref().or(file_region) {
        loader = loader.region(Region::new(region.to_owned()));
    }
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(Error::NoRegion);
    }
    let region = config.region().map(ToString::to_string);
    let endpoint = match &global.endpoint_url {
        Some(url) => url.clone(),
        None => format!("AWS in {}", region.as_deref().unwrap_or("no region")),
    };
    Ok(Connection {
        prices: PriceCache::user(global.endpoint_url.as_deref(), false),
        endpoint,
        aws: Aws::new(
            aws::Builders {
                workspaces: aws_sdk_workspaces::config::Builder::from(&config),
                tagging: aws_sdk_resourcegroupstagging::config::Builder::from(&config),
                pricing: aws_sdk_pricing::config::Builder::from(&config)
                    .region(Region::new(aws::pricing_region(region.as_deref()))),
                cloudwatch: aws_sdk_cloudwatch::config::Builder::from(&config),
                kms: aws_sdk_kms::config::Builder::from(&config),
            },
            timeouts(global),
            calls,
        ),
        region,
        sim: None,
    })
}

/// Every command's run ends with its connection, on success and failure
/// alike: the place to say that AWS throttled it.
impl Drop for Connection {
    fn drop(&mut self) {
        // The command is over: `--sim`'s account goes whole into its state
        // file, so the log does not grow from one run to the next.
        if let Some(Err(e)) = self.sim.as_ref().map(Sim::compact) {
            super::note(&format!(
                "the simulator's account stays in {SIM_STATE} and its log: {e}"
            ));
        }
        if let Some((requests, rate)) = self.aws.limit.throttled() {
            super::note(&format!(
                "AWS throttled {requests} request{} of this run; wsctl paced its calls, ending at about {rate:.1} a second",
                if requests == 1 { "" } else { "s" }
            ));
        }
    }
}

/// `--connect-timeout` and `--call-timeout`.
fn timeouts(global: &Global) -> aws_config::timeout::TimeoutConfig {
    aws::timeout_config(
        Duration::from_secs(global.connect_timeout),
        Duration::from_secs(global.call_timeout),
    )
}

async fn connect_sim(global: &Global, calls: usize) -> Result<Connection, Error> {
    let state = Path::new(SIM_STATE);
    if let Some(dir) = state.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            what: format!("cannot create {}", dir.display()),
            source,
        })?;
    }
    let sim = sim::start(SimConfig {
        state_file: Some(state.to_owned()),
        ..SimConfig::default()
    })
    .await?;
    let config = sim::client_config(&sim.url());
    Ok(Connection {
        region: config.region().map(ToString::to_string),
        endpoint: format!("the simulator in {SIM_STATE}"),
        // The simulator's sample prices stay beside its account, never
        // among AWS's.
        prices: PriceCache::in_dir(state.parent().unwrap_or(Path::new(".")), false),
        aws: Aws::new(
            aws::Builders {
                workspaces: config.to_builder(),
                tagging: sim::tagging_client_config(&sim.url()).to_builder(),
                pricing: sim::pricing_client_config(&sim.url()).to_builder(),
                cloudwatch: sim::cloudwatch_client_config(&sim.url()).to_builder(),
                kms: sim::kms_client_config(&sim.url()).to_builder(),
            },
            timeouts(global),
            calls,
        ),
        sim: Some(sim),
    })
}

//! The WorkSpaces client: AWS through the standard chain, an endpoint given
//! by `--endpoint-url`, or the built-in simulator for `--sim`.

use std::path::Path;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_workspaces::Client;

use crate::cli::Global;
use crate::error::Error;
use crate::sim::{self, Sim, SimConfig};

/// Where `--sim` keeps its account between runs.
pub const SIM_STATE: &str = ".wsctl/sim.json";
/// Throttling is retried by the SDK with backoff; fleets of hundreds meet it.
const MAX_ATTEMPTS: u32 = 6;

pub struct Connection {
    pub client: Client,
    pub region: Option<String>,
    /// The in-process simulator, kept alive as long as the client.
    _sim: Option<Sim>,
}

pub async fn connect(global: &Global, file_region: Option<&str>) -> Result<Connection, Error> {
    if global.sim {
        return connect_sim().await;
    }
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS));
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
        return Err(Error::Io {
            what: "no AWS region is set".to_owned(),
            source: std::io::Error::other(
                "pass --region, set region in [settings], or set AWS_REGION",
            ),
        });
    }
    Ok(Connection {
        client: Client::new(&config),
        region: config.region().map(ToString::to_string),
        _sim: None,
    })
}

async fn connect_sim() -> Result<Connection, Error> {
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
        client: Client::from_conf(config),
        _sim: Some(sim),
    })
}

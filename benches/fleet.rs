//! A fleet of 1,000 WorkSpaces planned and applied through the library and
//! the real SDK against the simulator: API calls per operation (exact) and
//! wall time per phase (noisy). The calls are the point: one
//! CreateWorkspaces per 25 WorkSpaces, not one per WorkSpace, and describe
//! pages of 25.
//!
//! Run: `cargo bench --bench fleet`

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use wsctl::apply::{self, ApplyOptions, Polling, Progress};
use wsctl::sim::{self, SimConfig, Stats};
use wsctl::{live, plan, spec};

const FLEET: usize = 1_000;

fn fleet_file(compute: Option<&str>) -> String {
    let mut text = format!(
        "[settings]\nstack = \"bench\"\n\n[defaults.workspace]\ndirectory_id = \"{}\"\nbundle = \"Standard with Windows 10 (Server 2022 based)\"\nrunning_mode = \"AUTO_STOP\"\n",
        sim::SEED_DIRECTORY_ID
    );
    if let Some(compute) = compute {
        text.push_str(&format!("compute_type = \"{compute}\"\n"));
    }
    for i in 0..FLEET {
        text.push_str(&format!("[workspaces.user{i:04}]\n"));
    }
    text
}

fn calls(before: &Stats, after: &Stats) -> BTreeMap<String, u64> {
    after
        .operations
        .iter()
        .map(|(op, s)| (op.clone(), s.requests - before.get(op).requests))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn report(phase: &str, took: Duration, calls: &BTreeMap<String, u64>) {
    let list: Vec<String> = calls.iter().map(|(op, n)| format!("{op} {n}")).collect();
    println!(
        "{phase:<34} {:>8.2} s   {}",
        took.as_secs_f64(),
        list.join(", ")
    );
}

async fn plan_and_apply(
    client: &Client,
    sim: &sim::Sim,
    text: &str,
    label: &str,
) -> Result<(), String> {
    let fleet = spec::parse("bench.toml", text).map_err(|d| d.render(false))?;
    let before = sim.stats();
    let started = Instant::now();
    let live = live::fetch(client, Some(&fleet))
        .await
        .map_err(|e| e.to_string())?;
    let planned = plan::plan(&fleet, &live).map_err(|e| format!("{} plan errors", e.len()))?;
    report(
        &format!("{label}: read + plan"),
        started.elapsed(),
        &calls(&before, &sim.stats()),
    );
    let before = sim.stats();
    let started = Instant::now();
    let options = ApplyOptions {
        parallelism: 10,
        wait: true,
        polling: Polling {
            min_interval: Duration::from_millis(100),
            ..Polling::default()
        },
    };
    let outcome = apply::apply(client, &planned, &options, &Progress::new(false)).await;
    if !outcome.succeeded() {
        return Err(format!("{label}: apply failed"));
    }
    report(
        &format!("{label}: apply ({} changes)", planned.changes.len()),
        started.elapsed(),
        &calls(&before, &sim.stats()),
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let sim = sim::start(SimConfig {
        settle: Duration::from_millis(200),
        visibility: Duration::from_millis(100),
        ..SimConfig::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let client = Client::from_conf(sim::client_config(&sim.url()));
    println!("{FLEET} WorkSpaces through wsctl's library against the simulator\n");
    plan_and_apply(&client, &sim, &fleet_file(None), "create").await?;
    plan_and_apply(&client, &sim, &fleet_file(None), "no change").await?;
    plan_and_apply(&client, &sim, &fleet_file(Some("POWER")), "compute type").await?;
    sim.shutdown().await;
    Ok(())
}

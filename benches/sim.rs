//! Scale benchmark of the simulator: 10,000 WorkSpaces, then timed describe
//! pages and batches of 25 creates, through the real SDK.
//!
//! Run: `cargo bench --bench sim`

use std::time::{Duration, Instant};

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::WorkspaceRequest;
use wsctl::sim::{SEED_DIRECTORY_ID, Sim, SimConfig};

const FLEET: usize = 10_000;
const BATCH: usize = 25;

fn batch(prefix: &str, start: usize) -> Vec<WorkspaceRequest> {
    (start..start + BATCH)
        .filter_map(|i| {
            WorkspaceRequest::builder()
                .directory_id(SEED_DIRECTORY_ID)
                .user_name(format!("{prefix}{i:05}"))
                .bundle_id("wsb-w10value0")
                .build()
                .ok()
        })
        .collect()
}

async fn create_batch(client: &Client, prefix: &str, start: usize) -> Result<(), String> {
    let out = client
        .create_workspaces()
        .set_workspaces(Some(batch(prefix, start)))
        .send()
        .await
        .map_err(|e| format!("CreateWorkspaces: {e}"))?;
    if !out.failed_requests().is_empty() {
        return Err(format!(
            "CreateWorkspaces failed items: {:?}",
            out.failed_requests()
        ));
    }
    Ok(())
}

/// Round trips of `calls`, and server time from the stats delta.
struct Timing {
    round_trips: Vec<Duration>,
    server_micros: u64,
}

impl Timing {
    fn print(&self, what: &str) {
        let mut sorted = self.round_trips.clone();
        sorted.sort();
        let n = sorted.len().max(1);
        let mean = sorted.iter().sum::<Duration>() / u32::try_from(n).unwrap_or(u32::MAX);
        let p99 = sorted[(n * 99 / 100).min(n - 1)];
        let server = self.server_micros as f64 / n as f64;
        println!(
            "{what:<40} calls {n:>4}  server mean {server:>8.1} µs  round trip mean {:>8.1} µs  p99 {:>8.1} µs",
            mean.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6,
        );
    }
}

async fn describe_pages(sim: &Sim, client: &Client) -> Result<(Timing, usize), String> {
    let before = sim.stats().get("DescribeWorkspaces").server_micros;
    let mut round_trips = Vec::new();
    let mut token = None;
    let mut seen = 0;
    loop {
        let started = Instant::now();
        let out = client
            .describe_workspaces()
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| format!("DescribeWorkspaces: {e}"))?;
        round_trips.push(started.elapsed());
        seen += out.workspaces().len();
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    let server_micros = sim.stats().get("DescribeWorkspaces").server_micros - before;
    Ok((
        Timing {
            round_trips,
            server_micros,
        },
        seen,
    ))
}

async fn run() -> Result<(), String> {
    let sim = wsctl::sim::start(SimConfig {
        settle: Duration::from_millis(100),
        visibility: Duration::ZERO,
        ..SimConfig::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let client = Client::from_conf(wsctl::sim::client_config(&sim.url()));

    let started = Instant::now();
    for start in (0..FLEET).step_by(BATCH) {
        create_batch(&client, "user", start).await?;
    }
    println!(
        "created {FLEET} WorkSpaces in {} calls: {:.2} s",
        FLEET / BATCH,
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_millis(150)).await;

    let (timing, seen) = describe_pages(&sim, &client).await?;
    timing.print(&format!("DescribeWorkspaces page (of {seen})"));

    let before = sim.stats().get("CreateWorkspaces").server_micros;
    let mut round_trips = Vec::new();
    for start in (0..1000).step_by(BATCH) {
        let t = Instant::now();
        create_batch(&client, "extra", start).await?;
        round_trips.push(t.elapsed());
    }
    Timing {
        round_trips,
        server_micros: sim.stats().get("CreateWorkspaces").server_micros - before,
    }
    .print("CreateWorkspaces batch of 25");

    let (timing, seen) = describe_pages(&sim, &client).await?;
    timing.print(&format!("DescribeWorkspaces page (of {seen})"));
    sim.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

//! wsctl at fleet scale: the `wsctl` binary (release build) against the
//! simulator over loopback, for 100, 1,000 and 10,000 WorkSpaces: create,
//! idle plan, import of the same fleet, usage, tune and plan with measured
//! hours, compute changes, destroy. API calls per operation are exact; times and peak memory are
//! this machine's. A size above 10,000 (`-- 100000`) runs the enterprise
//! rounds instead: create and idle plan against a simulator that keeps its
//! account in a state file, as `--sim` does.
//!
//! Run: `cargo bench --bench scale` (`-- 100 1000` for those sizes' rounds
//! alone, `-- throttled` for the throttled rounds alone, `-- throttled 300`
//! for those of one size, `-- usage 10000` for the usage rounds alone;
//! `WSCTL_BIN=path` measures another build of wsctl, e.g. an older one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wsctl::sim::{self, Faults, Sim, SimConfig};

const SIZES: [usize; 3] = [100, 1_000, 10_000];
/// The compute-type round changes this many WorkSpaces (fewer in a smaller fleet).
const CHANGES: usize = 1_000;
/// The throttled rounds: WorkSpaces, and requests a second the simulator
/// accepts.
const THROTTLED: [(usize, u32); 4] = [(300, 2), (300, 5), (1_000, 2), (1_000, 5)];
const LATENCY: Duration = Duration::from_millis(50);

/// A fleet file of `n` users, the first `changed` of them on POWER.
fn fleet_file(n: usize, changed: usize) -> String {
    let mut text = format!(
        "[settings]\nstack = \"bench\"\n\n[defaults.workspace]\ndirectory_id = \"{}\"\nbundle = \"Standard with Windows 10 (Server 2022 based)\"\nrunning_mode = \"AUTO_STOP\"\n\n",
        sim::SEED_DIRECTORY_ID
    );
    for i in 0..n {
        text.push_str(&format!("[workspaces.user{i:05}]\n"));
        if i < changed {
            text.push_str("compute_type = \"POWER\"\n");
        }
    }
    text
}

/// What one run of the binary cost.
struct Measured {
    wall: Duration,
    peak_rss_mib: f64,
    calls: BTreeMap<String, u64>,
}

impl Measured {
    fn total(&self) -> u64 {
        self.calls.values().sum()
    }

    fn list(&self) -> String {
        let calls: Vec<String> = self
            .calls
            .iter()
            .map(|(op, n)| format!("{op} {n}"))
            .collect();
        calls.join(", ")
    }
}

struct Bench {
    dir: PathBuf,
    binary: PathBuf,
}

impl Bench {
    /// Runs `wsctl ARGS` against `sim`, timing it and sampling its peak
    /// resident memory (VmHWM) until it exits.
    fn wsctl(&self, sim: &Sim, args: &[&str]) -> Result<Measured, String> {
        let before = sim.stats();
        let run = self.run(&sim.url(), args)?;
        if !run.exit.success() {
            return Err(format!("wsctl {} failed: {}", args.join(" "), run.stderr));
        }
        Ok(Measured {
            wall: run.wall,
            peak_rss_mib: run.peak_rss_mib,
            calls: sim.stats().requests_since(&before),
        })
    }

    /// Runs `wsctl ARGS` against the endpoint `url`, whatever its outcome.
    fn run(&self, url: &str, args: &[&str]) -> Result<Run, String> {
        let started = Instant::now();
        let mut child = Command::new(&self.binary)
            .arg("--endpoint-url")
            .arg(url)
            .args(args)
            .current_dir(&self.dir)
            .env("AWS_ACCESS_KEY_ID", "AKIDBENCH")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", self.dir.join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.join("none"))
            .env("WSCTL_CACHE_DIR", self.dir.join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("wsctl does not start: {e}"))?;
        // Read standard error as it comes: a run that says more than a pipe
        // holds (tune's edits of 10,000 WorkSpaces) must not wait on it.
        let mut stderr = child.stderr.take().ok_or("no stderr pipe")?;
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        let status = format!("/proc/{}/status", child.id());
        let mut peak_kib = 0u64;
        let exit = loop {
            if let Some(kib) = high_water_kib(Path::new(&status)) {
                peak_kib = peak_kib.max(kib);
            }
            match child.try_wait().map_err(|e| e.to_string())? {
                Some(exit) => break exit,
                None => std::thread::sleep(Duration::from_millis(2)),
            }
        };
        let wall = started.elapsed();
        let stderr = reader.join().map_err(|_| "the stderr reader panicked")?;
        Ok(Run {
            exit,
            wall,
            peak_rss_mib: peak_kib as f64 / 1024.0,
            stderr,
        })
    }

    fn fleet(&self, text: &str) -> Result<(), String> {
        std::fs::write(self.dir.join("fleet.toml"), text).map_err(|e| e.to_string())
    }
}

/// One run of the binary, as it ended.
struct Run {
    exit: std::process::ExitStatus,
    wall: Duration,
    peak_rss_mib: f64,
    stderr: String,
}

fn high_water_kib(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn simulator(faults: Faults) -> Result<Sim, String> {
    start(SimConfig {
        faults,
        ..SimConfig::default()
    })
    .await
}

async fn start(config: SimConfig) -> Result<Sim, String> {
    sim::start(SimConfig {
        settle: Duration::from_millis(200),
        visibility: Duration::from_millis(100),
        ..config
    })
    .await
    .map_err(|e| e.to_string())
}

/// Create and idle plan of `n` against a simulator keeping its account in
/// a state file: each change is journalled before it is answered, and the
/// file is written whole when the simulator stops.
async fn enterprise(bench: &Bench, n: usize) -> Result<(), String> {
    let state = bench.dir.join(format!("sim-{n}.json"));
    let sim = start(SimConfig {
        state_file: Some(state.clone()),
        ..SimConfig::default()
    })
    .await?;
    bench.fleet(&fleet_file(n, 0))?;
    let create = bench.wsctl(&sim, &APPLY);
    let idle = bench.wsctl(&sim, &["plan"]);
    let log = std::fs::metadata(bench.dir.join(format!("sim-{n}.json.log"))).map(|m| m.len());
    let stopping = Instant::now();
    sim.shutdown().await;
    let stopped = stopping.elapsed();
    let size = std::fs::metadata(&state).map(|m| m.len());

    println!("\n## {n} WorkSpaces, the account in a state file\n");
    println!("| round | calls | wall | by operation |\n| --- | ---: | ---: | --- |");
    for (round, m) in [("create", &create), ("idle plan", &idle)] {
        match m {
            Ok(m) => println!(
                "| {round} | {} | {:.2} s | {} |",
                m.total(),
                m.wall.as_secs_f64(),
                m.list()
            ),
            Err(e) => println!("| {round} | failed | | {} |", first_line(e)),
        }
    }
    let mib = |bytes: std::io::Result<u64>| bytes.map_or(f64::NAN, |b| b as f64 / 1048576.0);
    println!(
        "\nlog after the rounds: {:.1} MiB; stop (state file written whole): {:.2} s, {:.1} MiB",
        mib(log),
        stopped.as_secs_f64(),
        mib(size)
    );
    Ok(())
}

const APPLY: [&str; 3] = ["apply", "--auto-approve", "--allow-data-loss"];

/// Create, idle plan, compute changes, destroy; then an idle plan at 50 ms
/// a call on a fleet of its own.
async fn scale(bench: &Bench, n: usize) -> Result<(), String> {
    let sim = simulator(Faults::default()).await?;
    bench.fleet(&fleet_file(n, 0))?;
    let create = bench.wsctl(&sim, &APPLY);
    let idle = bench.wsctl(&sim, &["plan"]);
    let cold = bench.wsctl(&sim, &["plan", "--refresh-prices"]);
    let import = bench.wsctl(
        &sim,
        &[
            "import",
            "--stack",
            "bench",
            "--include-owned",
            "-o",
            "imported.toml",
            "--force",
        ],
    );
    let changed = n.min(CHANGES);
    bench.fleet(&fleet_file(n, changed))?;
    let modify = bench.wsctl(&sim, &APPLY);
    let destroy = bench.wsctl(&sim, &["destroy", "--auto-approve", "--allow-data-loss"]);
    sim.shutdown().await;

    let slow = simulator(Faults {
        latency: LATENCY,
        ..Faults::default()
    })
    .await?;
    bench.fleet(&fleet_file(n, 0))?;
    let slow_idle = bench
        .wsctl(&slow, &APPLY)
        .and_then(|_| bench.wsctl(&slow, &["plan"]));
    slow.shutdown().await;

    println!("\n## {n} WorkSpaces\n");
    println!("| round | calls | wall | by operation |\n| --- | ---: | ---: | --- |");
    for (round, m) in [
        ("create".to_owned(), &create),
        ("idle plan".to_owned(), &idle),
        ("idle plan, prices fetched again".to_owned(), &cold),
        ("import (--include-owned)".to_owned(), &import),
        (format!("{changed} compute changes"), &modify),
        ("destroy".to_owned(), &destroy),
        (
            format!("idle plan, {} ms a call", LATENCY.as_millis()),
            &slow_idle,
        ),
    ] {
        match m {
            Ok(m) => println!(
                "| {round} | {} | {:.2} s | {} |",
                m.total(),
                m.wall.as_secs_f64(),
                m.list()
            ),
            Err(e) => println!("| {round} | failed | | {} |", first_line(e)),
        }
    }
    for (round, measured) in [
        ("idle plan", &idle),
        ("idle plan, prices fetched again", &cold),
        ("import", &import),
    ] {
        if let Ok(m) = measured {
            println!(
                "\n{round}: {:.2} s wall, {:.1} MiB peak RSS",
                m.wall.as_secs_f64(),
                m.peak_rss_mib
            );
        }
    }
    println!(
        "a provider reading one WorkSpace a call: {n} DescribeWorkspaces + {n} DescribeTags per refresh, {n} CreateWorkspaces to create"
    );
    Ok(())
}

const USAGE: [&str; 5] = ["usage", "--days", "30", "--format", "json"];

/// `usage --days 30`, `tune` (its diff) and an idle plan with and without
/// measured hours on a fleet of `n`, then `usage` at 50 ms a call on a
/// fleet of its own.
async fn usage(bench: &Bench, n: usize) -> Result<(), String> {
    let sim = simulator(Faults::default()).await?;
    bench.fleet(&fleet_file(n, 0))?;
    bench.wsctl(&sim, &APPLY)?;
    let read = bench.wsctl(&sim, &USAGE);
    let tune = bench.wsctl(&sim, &["tune", "--days", "30"]);
    let plan = bench.wsctl(&sim, &["plan"]);
    let measured = bench.wsctl(&sim, &["plan", "--usage-hours=30"]);
    sim.shutdown().await;
    let slow = simulator(Faults {
        latency: LATENCY,
        ..Faults::default()
    })
    .await?;
    let slow_read = bench
        .wsctl(&slow, &APPLY)
        .and_then(|_| bench.wsctl(&slow, &USAGE));
    slow.shutdown().await;
    println!("\n## usage of {n} WorkSpaces\n");
    println!(
        "| round | calls | wall | peak RSS | by operation |\n| --- | ---: | ---: | ---: | --- |"
    );
    for (round, m) in [
        ("usage --days 30".to_owned(), &read),
        ("tune --days 30 (the diff)".to_owned(), &tune),
        ("idle plan".to_owned(), &plan),
        ("idle plan --usage-hours=30".to_owned(), &measured),
        (
            format!("usage --days 30, {} ms a call", LATENCY.as_millis()),
            &slow_read,
        ),
    ] {
        match m {
            Ok(m) => println!(
                "| {round} | {} | {:.2} s | {:.1} MiB | {} |",
                m.total(),
                m.wall.as_secs_f64(),
                m.peak_rss_mib,
                m.list()
            ),
            Err(e) => println!("| {round} | failed | | | {} |", first_line(e)),
        }
    }
    Ok(())
}

/// Plan and apply under a rate limit: the requests sent against the calls
/// accepted, and the wall time against the bound, accepted calls ÷ rate.
async fn throttled(bench: &Bench, sizes: &[usize]) -> Result<(), String> {
    println!(
        "\n## Throttled\n\n| WorkSpaces | requests a second | round | requests (throttled) | requests ÷ accepted | wall | bound: accepted ÷ rate | wall ÷ bound |\n| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for (fleet, rate) in THROTTLED {
        if !sizes.is_empty() && !sizes.contains(&fleet) {
            continue;
        }
        let sim = simulator(Faults {
            max_requests_per_second: Some(rate),
            ..Faults::default()
        })
        .await?;
        bench.fleet(&fleet_file(fleet, 0))?;
        for round in ["apply (create)", "idle plan"] {
            let args: &[&str] = if round == "idle plan" {
                &["plan"]
            } else {
                &APPLY
            };
            let before = sim.stats();
            let m = match bench.wsctl(&sim, args) {
                Ok(m) => m,
                Err(e) => {
                    println!(
                        "| {fleet} | {rate} | {round} | failed | | | | {} |",
                        first_line(&e)
                    );
                    continue;
                }
            };
            let after = sim.stats();
            let throttled: u64 = after
                .operations
                .iter()
                .map(|(op, s)| s.throttled - before.get(op).throttled)
                .sum();
            let accepted = m.total() - throttled;
            let bound = accepted as f64 / f64::from(rate);
            println!(
                "| {fleet} | {rate} | {round} | {} ({throttled}) | {:.2} | {:.1} s | {bound:.1} s | {:.2} |",
                m.total(),
                m.total() as f64 / accepted as f64,
                m.wall.as_secs_f64(),
                m.wall.as_secs_f64() / bound
            );
        }
        sim.shutdown().await;
    }
    Ok(())
}

/// The error's gist for a table cell.
fn first_line(error: &str) -> String {
    error
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or(error)
        .replace('|', "/")
}

/// A plan against an endpoint that answers every call with a body without
/// end: the run must fail at the response limit, in bounded memory.
async fn hostile(bench: &Bench) -> Result<(), String> {
    println!("\n## plan against an endless response\n");
    println!("| response | exit | wall | peak RSS |\n| --- | ---: | ---: | ---: |");
    bench.fleet(&fleet_file(10, 0))?;
    for (name, head) in [
        (
            "200, chunked",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (
            "500, chunked",
            "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (
            "200, 2 GiB Content-Length",
            "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n",
        ),
        (
            "500, no length",
            "HTTP/1.1 500 Internal Server Error\r\n\r\n",
        ),
    ] {
        let url = endless_endpoint(head).await?;
        let run = bench.run(&url, &["plan"])?;
        if !run.stderr.contains("the response is larger than") {
            return Err(format!("{name}: not refused at the limit: {}", run.stderr));
        }
        println!(
            "| {name} | {} | {:.2} s | {:.1} MiB |",
            run.exit.code().unwrap_or(-1),
            run.wall.as_secs_f64(),
            run.peak_rss_mib
        );
    }
    Ok(())
}

/// An endpoint that answers every request with `head` and then spaces
/// without end (as HTTP chunks when `head` says chunked).
async fn endless_endpoint(head: &'static str) -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let piece = if head.contains("chunked") {
        format!("10000\r\n{}\r\n", " ".repeat(0x10000))
    } else {
        " ".repeat(0x10000)
    };
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let piece = piece.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 16 * 1024];
                if stream.read(&mut request).await.is_err()
                    || stream.write_all(head.as_bytes()).await.is_err()
                {
                    return;
                }
                while stream.write_all(piece.as_bytes()).await.is_ok() {}
            });
        }
    });
    Ok(url)
}

/// `wsctl validate` of a file of `n` WorkSpaces: no calls, CPU only.
fn validate(bench: &Bench, n: usize) -> Result<Duration, String> {
    bench.fleet(&fleet_file(n, n / 10))?;
    let started = Instant::now();
    let status = Command::new(&bench.binary)
        .arg("validate")
        .current_dir(&bench.dir)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("validate of {n} failed"));
    }
    Ok(started.elapsed())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let binary = std::env::var_os("WSCTL_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_wsctl")), PathBuf::from);
    let bench = Bench {
        dir: dir.path().to_owned(),
        binary,
    };
    println!("# wsctl against the simulator (release build, loopback)");
    if args.iter().any(|a| a == "throttled") {
        return throttled(&bench, &sizes).await;
    }
    if args.iter().any(|a| a == "usage") {
        for n in &sizes {
            usage(&bench, *n).await?;
        }
        return Ok(());
    }
    // Sizes named: their rounds only, to compare two builds quickly.
    if !sizes.is_empty() {
        let largest = SIZES[SIZES.len() - 1];
        for &n in &sizes {
            if n > largest {
                enterprise(&bench, n).await?;
            } else {
                scale(&bench, n).await?;
                usage(&bench, n).await?;
            }
        }
        return Ok(());
    }
    for n in SIZES {
        scale(&bench, n).await?;
        usage(&bench, n).await?;
    }
    throttled(&bench, &[]).await?;
    hostile(&bench).await?;
    println!("\n## validate\n\n| WorkSpaces | wall |\n| ---: | ---: |");
    for n in [10_000, 100_000] {
        println!("| {n} | {:.2} s |", validate(&bench, n)?.as_secs_f64());
    }
    Ok(())
}

//! CPU of `validate` and `plan` as the fleet grows, without a network: the
//! fleet file parsed and checked (`spec::parse` and the resource graph, as
//! `wsctl validate` does), and the pure planner (`plan::plan`, which takes
//! the fingerprints of what it read) on a synthetic account, with its JSON
//! and the saved-plan seal check. Growth should be close to linear: a ratio
//! near 10 for ten times the WorkSpaces, not 100.
//!
//! `tune` too: the edit of a fleet file of 1,000 to 100,000 WorkSpaces, a
//! third of them moving, a tenth unused, with the diff it prints.
//!
//! Run: `cargo bench --bench cpu` (`-- tune` for the tune case alone)

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use wsctl::graph::ResourceGraph;
use wsctl::live::{self, LiveBundle, LiveImage, LiveState, LiveWorkspace, NAME_TAG, STACK_TAG};
use wsctl::prices::{Assumptions, Money, Offer, PriceBook, Today};
use wsctl::spec::{self, BundleRef, Fleet, Workspace};
use wsctl::states::{ImageState, WorkspaceState};
use wsctl::{plan, render};

const STACK: &str = "bench";
const DIRECTORY: &str = "d-1234567890";
const BUNDLE: &str = "Standard with Windows 10 (Server 2022 based)";
const BUNDLE_ID: &str = "wsb-bench0000";
/// The file's own bundle, on the file's own image.
const DEV_ID: &str = "wsb-dev000001";
const IMAGE_ID: &str = "wsi-base00001";
/// WorkSpaces whose compute type differs in the `changes` case.
const CHANGED: usize = 1_000;
/// Small cases are repeated for a steadier time, up to this much in all.
const BUDGET: Duration = Duration::from_millis(500);

/// `[defaults.workspace]` for all; every 5th WorkSpace is on the file's
/// bundle, every 10th has its own compute type and tags, every 7th its own
/// user name.
fn fleet_file(size: usize) -> String {
    let mut text = format!(
        "[settings]\nstack = \"{STACK}\"\nregion = \"us-east-1\"\n\n[defaults.workspace]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{BUNDLE}\"\ncompute_type = \"STANDARD\"\nrunning_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 60\nroot_volume_gib = 80\nuser_volume_gib = 50\ntags = {{ team = \"eng\", cost_center = \"1234\" }}\n\n[images.base]\ncopy = {{ source_region = \"us-west-2\", source_image_id = \"wsi-0123abcde\" }}\n\n[bundles.dev]\nimage = \"base\"\ncompute_type = \"POWER\"\nroot_volume_gib = 80\nuser_volume_gib = 50\n\n"
    );
    for i in 0..size {
        text.push_str(&format!("[workspaces.user{i:06}]\n"));
        if i % 5 == 0 {
            text.push_str("bundle = \"dev\"\n");
        }
        if i % 10 == 0 {
            text.push_str(
                "compute_type = \"POWER\"\ntags = { team = \"graphics\", gpu = \"yes\" }\n",
            );
        }
        if i % 7 == 0 {
            text.push_str(&format!("user = \"First.Last{i:06}\"\n"));
        }
    }
    text
}

fn parse(text: &str) -> Result<Fleet, String> {
    let fleet = spec::parse("bench.toml", text).map_err(|d| d.render(false))?;
    ResourceGraph::build(&fleet).map_err(|e| e.to_string())?;
    Ok(fleet)
}

/// The account after an apply of `fleet`: the file's image and bundle, and
/// every WorkSpace owned and as the file says; twenty AMAZON bundles.
fn account(fleet: &Fleet) -> LiveState {
    let mut bundles: Vec<LiveBundle> = (0..19)
        .map(|i| LiveBundle {
            id: format!("wsb-other{i:04}"),
            name: format!("Other bundle {i}"),
            owner: Some("AMAZON".to_owned()),
            compute_type: Some("STANDARD".to_owned()),
            ..LiveBundle::default()
        })
        .collect();
    bundles.push(LiveBundle {
        id: BUNDLE_ID.to_owned(),
        name: BUNDLE.to_owned(),
        owner: Some("AMAZON".to_owned()),
        compute_type: Some("STANDARD".to_owned()),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        ..LiveBundle::default()
    });
    bundles.push(LiveBundle {
        id: DEV_ID.to_owned(),
        name: "dev".to_owned(),
        owner: Some("123456789012".to_owned()),
        description: Some("dev".to_owned()),
        image_id: Some(IMAGE_ID.to_owned()),
        compute_type: Some("POWER".to_owned()),
        root_volume_gib: Some(80),
        user_volume_gib: Some(50),
        tags: ownership("dev"),
    });
    let image = LiveImage {
        id: IMAGE_ID.to_owned(),
        name: "base".to_owned(),
        state: ImageState::Available,
        tags: ownership("base"),
        ..LiveImage::default()
    };
    let workspaces = fleet
        .workspaces
        .iter()
        .enumerate()
        .map(|(i, w)| applied(i, w))
        .collect();
    LiveState {
        workspaces,
        bundles,
        images: vec![image],
        ..LiveState::default()
    }
}

fn ownership(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (STACK_TAG.to_owned(), STACK.to_owned()),
        (NAME_TAG.to_owned(), name.to_owned()),
    ])
}

fn applied(i: usize, desired: &Workspace) -> LiveWorkspace {
    let mut tags = desired.tags.clone();
    tags.extend(ownership(&desired.name));
    let bundle_id = match &desired.bundle {
        BundleRef::Name(name) if name == "dev" => DEV_ID,
        _ => BUNDLE_ID,
    };
    LiveWorkspace {
        id: format!("ws-{i:08}"),
        directory_id: desired.directory_id.clone(),
        user: desired.user.clone(),
        state: WorkspaceState::Available,
        bundle_id: bundle_id.to_owned(),
        properties: desired.properties.clone(),
        tags,
        ..LiveWorkspace::default()
    }
}

/// What the plan of each case starts from.
fn live_for(case: &str, fleet: &Fleet) -> LiveState {
    let mut live = account(fleet);
    match case {
        "create" => live.workspaces.clear(),
        "changes" => {
            for workspace in live.workspaces.iter_mut().take(CHANGED) {
                workspace.properties.compute_type = Some("PERFORMANCE".to_owned());
            }
        }
        _ => {}
    }
    live
}

/// The quickest of as many runs as fit in `BUDGET` (at least one).
fn time(mut run: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    let started = Instant::now();
    let mut best = Duration::MAX;
    while best == Duration::MAX || started.elapsed() + best < BUDGET {
        let one = Instant::now();
        run()?;
        best = best.min(one.elapsed());
    }
    Ok(best)
}

fn report(case: &str, times: &[(usize, Duration)]) {
    let cells: Vec<String> = times
        .iter()
        .map(|(size, took)| format!("{size:>7}: {:>8.3} s", took.as_secs_f64()))
        .collect();
    let ratios: Vec<String> = times
        .windows(2)
        .map(|pair| {
            let ratio = pair[1].1.as_secs_f64() / pair[0].1.as_secs_f64().max(1e-9);
            format!("{}÷{} = {ratio:.1}", pair[1].0, pair[0].0)
        })
        .collect();
    println!("{case:<18} {}   {}", cells.join("   "), ratios.join("   "));
}

fn validate_case() -> Result<(), String> {
    let mut times = Vec::new();
    for size in [1_000, 10_000, 100_000] {
        let text = fleet_file(size);
        let took = time(|| parse(&text).map(drop))?;
        times.push((size, took));
    }
    report("validate", &times);
    Ok(())
}

fn plan_case(case: &str) -> Result<(), String> {
    let mut times = Vec::new();
    let mut orders = Vec::new();
    let mut seals = Vec::new();
    let mut rewritten = Vec::new();
    let mut priced = Vec::new();
    for size in [1_000, 10_000] {
        let fleet = parse(&fleet_file(size))?;
        let live = live_for(case, &fleet);
        let made = plan::plan(&fleet, &live).map_err(|e| format!("{} plan errors", e.len()))?;
        let expected = match case {
            "create" => size,
            "changes" => CHANGED,
            _ => 0,
        };
        if made.changes().len() != expected {
            return Err(format!(
                "plan {case} of {size}: {} changes, not {expected}",
                made.changes().len()
            ));
        }
        let took = time(|| {
            plan::plan(&fleet, &live)
                .map(drop)
                .map_err(|e| format!("{} plan errors", e.len()))
        })?;
        times.push((size, took));
        let took = time(|| {
            render::json(&made);
            Ok(())
        })?;
        orders.push((size, took));
        // What `apply PLAN.json` adds to planning again: the saved document
        // compared with the one made now, as plan wrote it and rewritten
        // compactly (as a tool might), which makes the check parse both.
        let text = render::json(&made);
        let compact = serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| e.to_string())?
            .to_string();
        for (saved, took) in [(&text, &mut seals), (&compact, &mut rewritten)] {
            let check = || plan::check_sealed("plan.json", saved, &text).map_err(|e| e.to_string());
            took.push((size, time(check)?));
        }
        // What prices add to a plan: every WorkSpace of the stack keyed and
        // priced, as `wsctl plan` does once the prices are read.
        let book = book();
        let today = Today {
            date: "2026-12-06".to_owned(),
            day: 6,
            days_in_month: 31,
        };
        let took = time(|| {
            let mut planned = made.clone();
            let keys = plan::price_keys(&planned, &live);
            plan::price(
                &mut planned,
                &keys,
                &book,
                Assumptions::default(),
                None,
                &today,
            );
            Ok(())
        })?;
        priced.push((size, took));
    }
    report(&format!("plan {case}"), &times);
    report("  its JSON", &orders);
    report("  its seal check", &seals);
    report("    rewritten", &rewritten);
    report("  its pricing", &priced);
    Ok(())
}

/// Standard and Power for Windows at 80/50 GiB, in both modes.
fn book() -> PriceBook {
    let offer = |bundle: &str, mode: &str, monthly: i64, hourly: Option<i64>| Offer {
        bundle: bundle.to_owned(),
        os: Some("windows".to_owned()),
        byol: Some(false),
        root_gib: Some(80),
        user_gib: Some(50),
        mode: Some(mode.to_owned()),
        monthly: Some(Money::cents(monthly)),
        hourly: hourly.map(Money::cents),
        ..Offer::default()
    };
    PriceBook {
        region: "us-east-1".to_owned(),
        currency: "USD".to_owned(),
        fetched: "2026-12-06".to_owned(),
        offers: vec![
            offer("standard", "alwayson", 3500, None),
            offer("standard", "autostop", 975, Some(30)),
            offer("power", "alwayson", 8000, None),
            offer("power", "autostop", 1300, Some(68)),
        ],
    }
}

fn fingerprints_case() -> Result<(), String> {
    let mut times = Vec::new();
    for size in [1_000, 10_000] {
        let fleet = parse(&fleet_file(size))?;
        let live = account(&fleet);
        let took = time(|| {
            live::fingerprints(&fleet, &live);
            Ok(())
        })?;
        times.push((size, took));
    }
    report("fingerprints idle", &times);
    Ok(())
}

/// `usage::tune` and its diff: a third of the WorkSpaces move to
/// ALWAYS_ON, a tenth are unused, the rest keep.
fn tune_case() -> Result<(), String> {
    use wsctl::usage::{Proposal, Since, Verdict};
    let mut times = Vec::new();
    for size in [1_000, 10_000, 100_000] {
        let text = fleet_file(size);
        let fleet = parse(&text)?;
        let proposals: Vec<Proposal> = fleet
            .workspaces
            .iter()
            .enumerate()
            .map(|(i, ws)| Proposal {
                name: ws.name.clone(),
                verdict: match i % 10 {
                    0 => Verdict::Unused,
                    1..=3 => Verdict::MoveToAlwaysOn,
                    _ => Verdict::Keep,
                },
                reason: "bench".to_owned(),
                since: Some(Since::Never),
            })
            .collect();
        let took = time(|| {
            let tuned = wsctl::usage::tune("bench.toml", &text, &fleet, &proposals)
                .map_err(|e| e.to_string())?;
            std::hint::black_box(wsctl::usage::diff("bench.toml", &text, &tuned.text));
            Ok(())
        })?;
        times.push((size, took));
    }
    report("tune + diff", &times);
    Ok(())
}

fn main() -> Result<(), String> {
    println!("CPU of validate and plan, release build, best of runs within {BUDGET:?}\n");
    if std::env::args().any(|a| a == "tune") {
        return tune_case();
    }
    tune_case()?;
    validate_case()?;
    for case in ["idle", "create", "changes"] {
        plan_case(case)?;
    }
    fingerprints_case()
}

//! `wsctl usage` and `wsctl tune` against the simulator: verdicts from the
//! users' profiles (set with `POST /_sim/usage`), the fleet file edited and
//! applied until the next tune proposes nothing, and what goes wrong.

use serde_json::Value;
use wsctl::sim::{Faults, SimConfig};

use crate::harness::{Bed, DIRECTORY, STANDARD, quick};
use crate::support::raw;

/// Five WorkSpaces under an AUTO_STOP default; erin's own ALWAYS_ON.
fn fleet() -> String {
    format!(
        r#"# The team's desktops.
[settings]
stack = "usage"

[defaults.workspace]
directory_id = "{DIRECTORY}"
bundle = "{STANDARD}"
running_mode = "AUTO_STOP" # part-time by default
auto_stop_timeout_minutes = 60

# Full days at the desk.
[workspaces.alice]

[workspaces.bob]

[workspaces.carol]

[workspaces.dave]

[workspaces.erin]
running_mode = "ALWAYS_ON"
"#
    )
}

/// alice works full days, bob and erin two hours twice a week, carol and
/// dave never connect.
const PROFILES: &str = r#"{"profiles": {"alice": "heavy", "bob": "light", "carol": "never", "dave": "never", "erin": "light"}}"#;

async fn applied(config: SimConfig) -> Bed {
    let bed = Bed::with(config).await;
    bed.fleet(&fleet());
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let response = raw(&bed.sim, "POST", "/_sim/usage", None, PROFILES).await;
    assert_eq!(response.status, 200, "{}", response.body);
    bed
}

fn verdicts(document: &Value) -> Vec<(String, String)> {
    document["workspaces"]
        .as_array()
        .expect("workspaces")
        .iter()
        .map(|w| {
            (
                w["address"].as_str().unwrap_or_default().to_owned(),
                w["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_gives_each_workspace_its_verdict_in_bulk_reads() {
    let bed = applied(quick()).await;
    let run = bed.wsctl(&["usage", "--format", "json"]).await.success();
    let document: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        verdicts(&document),
        [
            ("workspace.alice", "move_to_always_on"),
            ("workspace.bob", "keep"),
            ("workspace.carol", "unused"),
            ("workspace.dave", "unused"),
            ("workspace.erin", "move_to_auto_stop"),
        ]
        .map(|(a, v)| (a.to_owned(), v.to_owned()))
    );
    let alice = &document["workspaces"][0];
    assert_eq!(alice["hours_connected"], 200.0, "{alice}");
    assert!(alice["last_connection"].is_string());
    assert_eq!(document["workspaces"][2]["last_connection"], Value::Null);
    assert_eq!(document["days"], 30);
    assert_eq!(document["window_end"], "2026-11-29T23:00:00Z");
    // One call of each for five WorkSpaces.
    assert_eq!(bed.calls("DescribeWorkspacesConnectionStatus"), 1);
    assert_eq!(bed.calls("GetMetricData"), 1);

    let human = bed.wsctl(&["usage"]).await.success().stdout;
    assert!(
        human.starts_with("Stack usage: 5 WorkSpaces over the last 30 days (2026-10-30 to 2026-11-29): 1 to keep, 1 to move to AUTO_STOP, 1 to move to ALWAYS_ON, 2 unused.\n"),
        "{human}"
    );
    assert!(
        human.contains("workspace.carol: no connection in 30 days, and none AWS knows of"),
        "{human}"
    );
    assert!(human.contains("AWS bills it from today"), "{human}");
    assert!(human.contains("the 2 unused WorkSpaces cost"), "{human}");
    let markdown = bed
        .wsctl(&["usage", "--format", "markdown"])
        .await
        .success()
        .stdout;
    assert!(
        markdown.contains("| workspace.alice | alice | AUTO\\_STOP |"),
        "{markdown}"
    );
    let csv = bed
        .wsctl(&["usage", "--format", "csv"])
        .await
        .success()
        .stdout;
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(csv.contains(",move_to_always_on,"), "{csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tune_output_applied_converges_and_the_next_tune_proposes_nothing() {
    let bed = applied(quick()).await;
    let diff = bed.wsctl(&["tune"]).await.success();
    assert!(
        diff.stdout.starts_with("--- fleet.toml\n+++ fleet.toml\n"),
        "{}",
        diff.stdout
    );
    assert_eq!(
        std::fs::read_to_string(bed.path("fleet.toml")).expect("fleet"),
        fleet(),
        "without --write the file is left alone"
    );
    bed.wsctl(&["tune", "--write"]).await.success();
    let tuned = std::fs::read_to_string(bed.path("fleet.toml")).expect("fleet");
    assert!(tuned.starts_with("# The team's desktops.\n"), "{tuned}");
    assert!(
        tuned.contains("running_mode = \"AUTO_STOP\" # part-time by default\n"),
        "{tuned}"
    );
    assert!(
        tuned.contains(
            "# Full days at the desk.\n[workspaces.alice]\nrunning_mode = \"ALWAYS_ON\"\n"
        ),
        "{tuned}"
    );
    assert!(
        tuned.contains("# wsctl tune: unused, never connected\n[workspaces.carol]\n"),
        "{tuned}"
    );
    assert!(
        tuned.ends_with("[workspaces.erin]\nrunning_mode = \"AUTO_STOP\"\n"),
        "{tuned}"
    );
    assert!(!bed.path("fleet.toml.partial").exists());
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let again = bed.wsctl(&["tune"]).await.success();
    assert_eq!(again.stdout, "");
    assert!(
        again.stderr.contains("fleet.toml: nothing to tune"),
        "{}",
        again.stderr
    );
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.code, 0, "{plan:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudwatch_denied_is_a_note_for_usage_and_an_error_for_tune() {
    let config = SimConfig {
        faults: Faults {
            cloudwatch_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    };
    let bed = applied(config).await;
    let run = bed.wsctl(&["usage"]).await.success();
    assert!(
        run.stderr.contains("note: hours are unknown, so verdicts rest on the last connection alone: User: arn:aws:iam::"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("grant cloudwatch:GetMetricData"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("workspace.carol  carol  AUTO_STOP  never"),
        "{}",
        run.stdout
    );
    let tune = bed.wsctl(&["tune", "--write"]).await.failure();
    assert!(
        tune.stderr
            .starts_with("error: GetMetricData failed: AccessDenied: "),
        "{}",
        tune.stderr
    );
    assert!(
        tune.stderr.contains("nothing was changed"),
        "{}",
        tune.stderr
    );
    assert_eq!(
        std::fs::read_to_string(bed.path("fleet.toml")).expect("fleet"),
        fleet()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_reads_still_finish() {
    let config = SimConfig {
        faults: Faults {
            max_requests_per_second: Some(4),
            ..Faults::default()
        },
        ..quick()
    };
    let bed = applied(config).await;
    let run = bed.wsctl(&["usage", "--format", "json"]).await.success();
    let document: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(verdicts(&document).len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_clear_error_and_changes_nothing() {
    let bed = Bed::new().await;
    bed.fleet(&fleet());
    let zero = bed.wsctl(&["usage", "--days", "0"]).await.failure();
    assert!(
        zero.stderr
            .contains("invalid value '0' for '--days <DAYS>'"),
        "{}",
        zero.stderr
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let response = raw(&bed.sim, "POST", "/_sim/usage", None, PROFILES).await;
    assert_eq!(response.status, 200);
    let dotted = format!(
        "[settings]\nstack = \"usage\"\n\n[defaults.workspace]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\nrunning_mode = \"AUTO_STOP\"\n\n[workspaces]\nalice.user = \"alice\"\nbob.user = \"bob\"\ncarol.user = \"carol\"\n"
    );
    bed.fleet(&dotted);
    let refused = bed.wsctl(&["tune", "--write"]).await.failure();
    assert!(
        refused.stderr.starts_with("error: fleet.toml: workspace.alice is written with dotted keys; wsctl tune cannot place an edit in it, and changed nothing"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(bed.path("fleet.toml")).expect("fleet"),
        dotted
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_diff_shows_what_a_reader_could_not_see_escaped() {
    let bed = applied(quick()).await;
    bed.fleet(&fleet().replace(
        "# Full days at the desk.",
        "# Full days \u{202e}at the desk.",
    ));
    let diff = bed.wsctl(&["tune"]).await.success().stdout;
    assert!(
        diff.contains(" # Full days \\u{202e}at the desk.\n"),
        "{diff}"
    );
    assert!(!diff.contains('\u{202e}'), "{diff}");
}

fn plan_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no {address} in {plan}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_usage_hours_prices_auto_stop_at_the_hours_usage_measures() {
    let bed = applied(quick()).await;
    let usage = plan_json(
        &bed.wsctl(&["usage", "--format", "json"])
            .await
            .success()
            .stdout,
    );
    let erin = &usage["workspaces"][4];
    assert_eq!(erin["address"], "workspace.erin", "{usage}");
    // erin moves to AUTO_STOP, frank is new.
    bed.fleet(&format!(
        "{}\n[workspaces.frank]\n",
        fleet().replace("running_mode = \"ALWAYS_ON\"\n", "")
    ));

    let assumed = plan_json(
        &bed.wsctl(&["plan", "--format", "json"])
            .await
            .success()
            .stdout,
    );
    assert_eq!(bed.calls("GetMetricData"), 1, "the usage command's only");
    assert_eq!(assumed["cost"].get("measured_hours"), None, "{assumed}");

    let run = bed
        .wsctl(&["plan", "--usage-hours", "--format", "json"])
        .await
        .success();
    assert_eq!(run.stderr, "");
    assert_eq!(bed.calls("GetMetricData"), 2, "one for five WorkSpaces");
    assert_eq!(bed.calls("DescribeWorkspacesConnectionStatus"), 1, "none");
    let plan = plan_json(&run.stdout);
    // The stack as it is costs what `usage` says it costs now.
    assert_eq!(
        plan["cost"]["monthly_before"], usage["monthly_now"],
        "{plan}"
    );
    assert_ne!(
        plan["cost"]["monthly_before"],
        assumed["cost"]["monthly_before"]
    );
    assert_eq!(
        plan["cost"]["measured_hours"],
        serde_json::json!({"days": 30, "measured": 5, "assumed": 1})
    );
    let moved = &change(&plan, "workspace.erin")["cost"];
    assert_eq!(moved["monthly_after"], erin["other_monthly"], "{moved}");
    assert_eq!(
        moved["auto_stop_hours"],
        serde_json::json!({"per_month": erin["monthly_hours"], "source": "measured"})
    );
    let new = &change(&plan, "workspace.frank")["cost"];
    assert_eq!(
        new["auto_stop_hours"],
        serde_json::json!({"per_month": 80, "source": "assumed"})
    );
    assert_eq!(
        new["monthly_after"],
        change(&assumed, "workspace.frank")["cost"]["monthly_after"]
    );

    let human = bed
        .wsctl(&["plan", "--usage-hours=30"])
        .await
        .success()
        .stdout;
    let hours = erin["monthly_hours"].as_u64().expect("erin's hours");
    assert!(
        human.contains(&format!("(AUTO_STOP at {hours} h/month, measured)")),
        "{human}"
    );
    assert!(
        human.contains("(AUTO_STOP at 80 h/month, assumed)"),
        "{human}"
    );
    assert!(
        human.contains("AUTO_STOP WorkSpaces priced at their own hours over the last 30 days where measured (5 WorkSpaces: CloudWatch UserConnected"),
        "{human}"
    );
    assert!(
        human.contains(
            "else assumed to run 80 hours a month (1 WorkSpace: new WorkSpaces have no history)."
        ),
        "{human}"
    );
    let markdown = bed
        .wsctl(&["plan", "--usage-hours", "--format", "markdown"])
        .await
        .success()
        .stdout;
    assert!(markdown.contains(" h/month, measured)"), "{markdown}");
    assert!(markdown.contains("priced at their own hours"), "{markdown}");

    // The hours move with the window: a saved plan's costs are not sealed
    // against them, so it applies.
    bed.wsctl(&["plan", "--usage-hours", "--out", "saved.json"])
        .await
        .success();
    bed.wsctl(&["apply", "saved.json", "--auto-approve"])
        .await
        .success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_usage_hours_with_cloudwatch_denied_assumes_and_says_so() {
    let config = SimConfig {
        faults: Faults {
            cloudwatch_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    };
    let bed = applied(config).await;
    bed.fleet(&format!("{}\n[workspaces.frank]\n", fleet()));
    let run = bed.wsctl(&["plan", "--usage-hours"]).await.success();
    assert!(
        run.stderr.starts_with("note: AUTO_STOP WorkSpaces are priced at the assumed 80 hours a month: their hours could not be read from CloudWatch (GetMetricData failed: AccessDenied: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("grant cloudwatch:GetMetricData"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("AUTO_STOP WorkSpaces assumed to run 80 hours a month."),
        "{}",
        run.stdout
    );
}

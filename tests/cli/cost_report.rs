//! `wsctl cost`: the stack's run-rate as it is, read from the simulator's
//! account and its Price List, in each format.

use serde_json::Value;

use crate::harness::{Bed, DIRECTORY, quick};
use wsctl::sim::{Faults, SimConfig};

/// Three WorkSpaces on three bundles and both priced modes; one without a
/// team, and one whose tag a spreadsheet would take for a formula.
fn fleet() -> String {
    format!(
        r#"[settings]
stack = "costs"

[defaults.workspace]
directory_id = "{DIRECTORY}"

[workspaces.alice]
bundle = "Standard with Windows 10 (Server 2022 based)"
running_mode = "AUTO_STOP"
tags = {{ team = "a" }}

[workspaces.bob]
bundle = "Performance with Amazon Linux 2"
running_mode = "ALWAYS_ON"
tags = {{ team = "b" }}

[workspaces.carol]
bundle = "Power with Windows 10 (Server 2022 based)"
running_mode = "ALWAYS_ON"
tags = {{ owner = "=1+2" }}
"#
    )
}

/// A bed with the fleet applied, and a WorkSpace of no stack beside it.
async fn applied(config: SimConfig) -> Bed {
    let bed = Bed::with(config).await;
    bed.fleet(&fleet());
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.create_by_hand("stranger", &[]).await;
    bed
}

/// An amount in JSON (whole units) in cents.
fn cents(value: &Value) -> i64 {
    let amount = value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not an amount"));
    (amount * 100.0).round() as i64
}

async fn json(bed: &Bed, extra: &[&str]) -> Value {
    let mut args = vec!["cost", "--format", "json"];
    args.extend(extra);
    let run = bed.wsctl(&args).await.success();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// `text` with what changes from run to run masked: ids, and the day the
/// prices were fetched.
fn masked(bed: &Bed, text: &str, fetched: &str) -> String {
    bed.masked(text).replace(fetched, "[date]")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_rate_adds_up_in_every_format() {
    let bed = applied(quick()).await;

    let document = json(&bed, &[]).await;
    assert_eq!(document["format_version"], "1");
    assert_eq!(document["stack"], "costs");
    assert_eq!(document["region"], "us-east-1");
    assert_eq!(document["currency"], "USD");
    assert_eq!(document["assumptions"]["auto_stop_hours_per_month"], 80);
    let workspaces = document["workspaces"].as_array().expect("workspaces");
    let addresses: Vec<&str> = workspaces
        .iter()
        .filter_map(|w| w["address"].as_str())
        .collect();
    assert_eq!(
        addresses,
        ["workspace.alice", "workspace.bob", "workspace.carol"],
        "the stack's, and not the stranger"
    );
    let total = cents(&document["total"]);
    let sum: i64 = workspaces.iter().map(|w| cents(&w["monthly"])).sum();
    assert!(total > 0);
    assert_eq!(total, sum, "the total is the WorkSpaces' sum");
    assert_eq!(document["unpriced"], serde_json::json!([]));
    let groups = document["groups"].as_object().expect("groups");
    let names: Vec<&str> = groups.keys().map(String::as_str).collect();
    assert_eq!(names, ["bundle", "compute", "directory", "mode"]);
    for (by, groups) in groups {
        let groups = groups.as_array().expect("a grouping");
        let sum: i64 = groups.iter().map(|g| cents(&g["monthly"])).sum();
        let count: u64 = groups.iter().filter_map(|g| g["count"].as_u64()).sum();
        assert_eq!((sum, count), (total, 3), "by {by}");
    }
    let fetched = document["prices_fetched"]
        .as_str()
        .expect("prices_fetched")
        .to_owned();

    let human = bed.wsctl(&["cost"]).await.success();
    insta::assert_snapshot!("cost_human", masked(&bed, &human.stdout, &fetched));
    assert!(human.stdout.contains(&format!(
        "Prices: the AWS Price List for us-east-1, fetched {fetched}, in USD; AUTO_STOP WorkSpaces assumed to run 80 hours a month."
    )));

    let markdown = bed.wsctl(&["cost", "--format", "markdown"]).await.success();
    insta::assert_snapshot!("cost_markdown", masked(&bed, &markdown.stdout, &fetched));

    let csv = bed
        .wsctl(&["cost", "--format", "csv", "--by", "tag:owner"])
        .await
        .success();
    let lines: Vec<&str> = csv.stdout.split_terminator("\r\n").collect();
    assert_eq!(
        lines.len(),
        4,
        "a header and a line a WorkSpace:\n{}",
        csv.stdout
    );
    assert_eq!(
        lines[0],
        "address,id,user,directory_id,bundle_id,bundle_name,compute_type,running_mode,currency,monthly,price_unknown,tag:owner"
    );
    assert!(
        lines[3].starts_with("workspace.carol,") && lines[3].ends_with(",'=1+2"),
        "a formula is text: {}",
        lines[3]
    );
    let csv_sum: i64 = lines[1..]
        .iter()
        .map(|line| {
            let monthly = line.split(',').nth(9).expect("a monthly column");
            cents(&Value::from(monthly.parse::<f64>().expect("an amount")))
        })
        .sum();
    assert_eq!(csv_sum, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_a_tag_groups_the_untagged_apart_and_an_unknown_grouping_is_refused() {
    let bed = applied(quick()).await;
    let document = json(&bed, &["--by", "tag:team"]).await;
    let groups = document["groups"].as_object().expect("groups");
    assert_eq!(groups.len(), 1, "only what --by asks for");
    let teams: Vec<(&Value, u64)> = groups["tag:team"]
        .as_array()
        .expect("by team")
        .iter()
        .map(|g| (&g["key"], g["count"].as_u64().unwrap_or(0)))
        .collect();
    let mut keys: Vec<String> = teams.iter().map(|(key, _)| key.to_string()).collect();
    keys.sort();
    assert_eq!(keys, ["\"a\"", "\"b\"", "null"], "carol has no team");
    assert!(teams.iter().all(|(_, count)| *count == 1), "{teams:?}");

    let human = bed.wsctl(&["cost", "--by", "tag:team"]).await.success();
    assert!(human.stdout.contains("By tag team:"), "{}", human.stdout);
    assert!(human.stdout.contains("(none)"), "{}", human.stdout);

    let refused = bed.wsctl(&["cost", "--by", "user"]).await.failure();
    assert!(
        refused
            .stderr
            .contains("bundle, compute, mode, directory, or tag:KEY"),
        "{}",
        refused.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_list_that_refuses_ends_cost_with_exit_1() {
    let bed = applied(SimConfig {
        faults: Faults {
            pricing_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let refused = bed.wsctl(&["cost"]).await.failure();
    assert_eq!(refused.stdout, "", "nothing is shown");
    assert!(
        refused.stderr.contains("AccessDeniedException")
            && refused.stderr.contains("DescribeServices failed")
            && refused.stderr.contains("pricing:GetProducts"),
        "{}",
        refused.stderr
    );
}

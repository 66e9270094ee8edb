//! The plan's order is the one apply walks: a saved plan's calls reach the
//! simulator in an order its graph allows (`GET /_sim/log`), each call once,
//! and an order edited by hand is refused.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::{Bed, DIRECTORY};

/// One call of the plan's order: its API operation and the calls it waits
/// for (by position, wave by wave).
#[derive(Debug)]
struct PlannedCall {
    operation: String,
    after: BTreeSet<usize>,
}

fn planned_calls(plan: &Value) -> Vec<PlannedCall> {
    let calls: Vec<&Value> = plan["order"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|wave| wave["calls"].as_array().into_iter().flatten())
        .collect();
    let steps = |call: &Value| call["steps"].as_array().cloned().unwrap_or_default();
    let call_of = |id: &Value| {
        calls
            .iter()
            .position(|c| steps(c).iter().any(|s| s["id"] == *id))
            .unwrap_or_else(|| panic!("step {id} is in no call"))
    };
    calls
        .iter()
        .map(|call| PlannedCall {
            operation: call["operation"].as_str().unwrap_or_default().to_owned(),
            after: steps(call)
                .iter()
                .flat_map(|s| s["after"].as_array().cloned().unwrap_or_default())
                .map(|id| call_of(&id))
                .collect(),
        })
        .collect()
}

/// Matches each request of `log` that names a planned operation to a call
/// of the plan not yet made whose calls waited for were all made before it;
/// every call must be made once.
fn check_order(plan: &Value, log: &[String]) -> Result<(), String> {
    let calls = planned_calls(plan);
    let mut made: Vec<bool> = vec![false; calls.len()];
    for (n, operation) in log.iter().enumerate() {
        if !calls.iter().any(|c| c.operation == *operation) {
            continue;
        }
        let next = (0..calls.len()).find(|i| {
            !made[*i]
                && calls[*i].operation == *operation
                && calls[*i].after.iter().all(|a| made[*a])
        });
        match next {
            Some(i) => made[i] = true,
            None => {
                return Err(format!(
                    "request {n} ({operation}) is not one the plan allows now: {calls:?}, made {made:?}"
                ));
            }
        }
    }
    match made.iter().all(|m| *m) {
        true => Ok(()),
        false => Err(format!("calls never made: {calls:?}, made {made:?}")),
    }
}

async fn log(bed: &Bed) -> Vec<String> {
    let log = bed.sim_http("GET", "/_sim/log").await;
    log["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o.as_str().map(str::to_owned))
        .collect()
}

/// `plan --format json --out plan.json`, then `apply plan.json`: the plan
/// and the operations of the requests the apply made.
async fn plan_and_apply(bed: &Bed) -> (Value, Vec<String>) {
    let planned = bed
        .wsctl(&["plan", "--format", "json", "--out", "plan.json"])
        .await
        .success();
    let plan: Value = serde_json::from_str(&planned.stdout).expect("a JSON plan");
    let before = log(bed).await.len();
    bed.wsctl(&["apply", "plan.json", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    let made = log(bed).await.split_off(before);
    (plan, made)
}

/// The operation of each call, wave by wave.
fn waves(plan: &Value) -> Vec<Vec<String>> {
    let operations = |wave: &Value| {
        wave["calls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["operation"].as_str().map(str::to_owned))
            .collect()
    };
    plan["order"]
        .as_array()
        .into_iter()
        .flatten()
        .map(operations)
        .collect()
}

fn fleet(workspaces: &str) -> String {
    format!(
        r#"[settings]
stack = "order"

[images.base]
copy = {{ source_region = "us-west-2", source_image_id = "wsi-0abc123def" }}

[bundles.dev]
image = "base"
compute_type = "STANDARD"
root_volume_gib = 80
user_volume_gib = 50

[defaults.workspace]
directory_id = "{DIRECTORY}"
bundle = "dev"

{workspaces}"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_makes_its_calls_in_an_order_the_saved_plan_allows() {
    let bed = Bed::new().await;
    bed.fleet(&fleet(
        "[workspaces.alice]\n[workspaces.bob]\n[workspaces.carol]\n",
    ));
    let (plan, made) = plan_and_apply(&bed).await;
    assert_eq!(
        waves(&plan),
        [
            vec!["CopyWorkspaceImage"],
            vec!["CreateWorkspaceBundle"],
            vec!["CreateWorkspaces"],
        ]
    );
    check_order(&plan, &made).unwrap_or_else(|e| panic!("bootstrap: {e}\n{made:?}"));

    // alice moves to another user: her WorkSpace is terminated before its
    // replacement is created, and dora takes the user alice frees.
    bed.fleet(&fleet(
        "[workspaces.alice]\nuser = \"alice2\"\n[workspaces.bob]\n[workspaces.carol]\n[workspaces.dora]\nuser = \"alice\"\n",
    ));
    let (plan, made) = plan_and_apply(&bed).await;
    assert_eq!(
        waves(&plan),
        [
            vec!["TerminateWorkspaces"],
            vec!["CreateWorkspaces"],
            vec!["CreateWorkspaces"],
        ]
    );
    check_order(&plan, &made).unwrap_or_else(|e| panic!("replacement: {e}\n{made:?}"));

    // Everything goes: WorkSpaces before their bundle, the bundle before
    // its image.
    bed.fleet("[settings]\nstack = \"order\"\n");
    let (plan, made) = plan_and_apply(&bed).await;
    assert_eq!(
        waves(&plan),
        [
            vec!["TerminateWorkspaces"],
            vec!["DeleteWorkspaceBundle"],
            vec!["DeleteWorkspaceImage"],
        ]
    );
    check_order(&plan, &made).unwrap_or_else(|e| panic!("teardown: {e}\n{made:?}"));
    let reversed: Vec<String> = made.iter().rev().cloned().collect();
    assert!(check_order(&plan, &reversed).is_err(), "the check can fail");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_whose_order_was_edited_is_refused() {
    let bed = Bed::new().await;
    bed.fleet(&fleet("[workspaces.alice]\n"));
    bed.wsctl(&["plan", "--out", "plan.json"]).await.success();
    let path = bed.path("plan.json");
    let text = std::fs::read_to_string(&path).expect("plan file");
    let mut plan: Value = serde_json::from_str(&text).expect("JSON");
    // The WorkSpace no longer waits for its bundle.
    plan["order"][2]["calls"][0]["steps"][0]["after"] = serde_json::json!([]);
    std::fs::write(&path, plan.to_string()).expect("plan file written");
    let before = log(&bed).await.len();
    let run = bed
        .wsctl(&["apply", "plan.json", "--auto-approve"])
        .await
        .failure();
    assert!(run.stderr.contains("plan.json was altered"), "{run:#?}");
    assert_eq!(log(&bed).await.len(), before, "no call was made");
}

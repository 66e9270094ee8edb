//! How a plan reads the account: ownership in bulk through the Tagging API,
//! the fallbacks when it lags or is denied, and throttling survived.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::harness::{Bed, fleet_of, quick};
use crate::support::eventually;
use wsctl::sim::{Faults, SimConfig};

fn count(calls: &BTreeMap<String, u64>, operation: &str) -> u64 {
    calls.get(operation).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_plan_of_sixty_reads_ownership_in_bulk_and_describes_25_ids_a_call() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("sixty", 60, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert_eq!(plan.stderr, "", "no fallback note");
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "GetResources"), 1, "{calls:?}");
    assert_eq!(count(&calls, "DescribeWorkspaces"), 3, "⌈60/25⌉: {calls:?}");
    assert_eq!(count(&calls, "DescribeTags"), 0, "{calls:?}");
    let total: u64 = calls.values().sum();
    assert_eq!(
        total,
        1 + 3 + 2 + 2 + 2,
        "tagging, describes, the account (2), bundles (2), images (2): {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_hours_add_one_get_metric_data_per_500_auto_stop_workspaces_and_nothing_else() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("sixty", 60, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let before = bed.sim.stats();
    let plan = bed
        .wsctl(&["plan", "--detailed-exitcode", "--usage-hours"])
        .await
        .success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert_eq!(plan.stderr, "");
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "GetMetricData"), 1, "⌈60/500⌉: {calls:?}");
    let total: u64 = calls.values().sum();
    assert_eq!(
        total,
        1 + 3 + 2 + 2 + 2 + 1,
        "a plan's reads and one GetMetricData: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_users_are_looked_up_one_call_each_or_by_paging_their_directory() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("lookups", 60, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    // Two new users among 60 owned: one DescribeWorkspaces each.
    bed.fleet(&fleet_of("lookups", 62, ""));
    let before = bed.sim.stats();
    bed.wsctl(&["plan"]).await.success();
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "DescribeWorkspaces"), 3 + 2, "{calls:?}");

    // Forty new users: paging the directory (⌈100/25⌉ pages) costs less.
    bed.fleet(&fleet_of("lookups", 100, ""));
    let before = bed.sim.stats();
    bed.wsctl(&["plan"]).await.success();
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "DescribeWorkspaces"), 3 + 3, "{calls:?}");
    assert_eq!(count(&calls, "DescribeTags"), 0, "{calls:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_created_a_moment_ago_is_neither_recreated_nor_adopted_nor_left_out() {
    let bed = Bed::with(SimConfig {
        tag_lag: Duration::from_secs(60),
        settle: Duration::from_secs(60),
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("fresh", 3, ""));
    bed.wsctl(&["apply", "--auto-approve", "--no-wait"])
        .await
        .success();
    // Past AWS's listing delay, but not the tagging lag.
    eventually("three WorkSpaces listed", || async {
        (bed.workspaces().await.len() >= 3).then_some(())
    })
    .await;

    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert_eq!(
        plan.stderr, "",
        "a lag this young is no reason to fall back"
    );
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "CreateWorkspaces"), 0);
    assert_eq!(
        count(&calls, "DescribeTags"),
        3,
        "the three found by user: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tagging_api_behind_for_settled_workspaces_is_not_trusted_for_the_run() {
    let bed = Bed::with(SimConfig {
        tag_lag: Duration::from_secs(60),
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("behind", 3, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert!(
        plan.stderr.starts_with("note: the Resource Groups Tagging API does not list 3 WorkSpace(s) tagged wsctl:stack = behind")
            && plan.stderr.lines().count() == 1,
        "{}",
        plan.stderr
    );
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(count(&calls, "CreateWorkspaces"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_tag_removed_a_moment_ago_is_not_a_reason_to_terminate() {
    let lag = Duration::from_secs(2);
    let bed = Bed::with(SimConfig {
        tag_lag: lag,
        ..quick()
    })
    .await;
    let mut fleet = fleet_of("letgo", 2, "");
    bed.fleet(&fleet);
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    // Until the Tagging API lists both as the stack's.
    eventually("both tagged as the stack's", || async {
        (bed.tagged("letgo").await >= 2).then_some(())
    })
    .await;
    let (kept, _) = bed
        .workspaces()
        .await
        .into_iter()
        .find(|(w, _)| w.user_name() == Some("user001"))
        .expect("user001");
    let id = kept.workspace_id().expect("id").to_owned();
    bed.client()
        .delete_tags()
        .resource_id(&id)
        .tag_keys("wsctl:stack")
        .send()
        .await
        .expect("DeleteTags");
    fleet = fleet.replace("[workspaces.user001]\n", "");
    bed.fleet(&fleet);

    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(
        count(&calls, "DescribeTags"),
        1,
        "the one the plan would have terminated: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_tagging_api_falls_back_to_per_resource_reads_and_says_so() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            tagging_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("denied", 5, ""));
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stderr.contains("AccessDeniedException"),
        "{}",
        apply.stderr
    );

    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    let notes: Vec<&str> = plan.stderr.lines().collect();
    assert_eq!(notes.len(), 1, "{}", plan.stderr);
    assert!(
        notes[0].starts_with("note: GetResources failed: AccessDeniedException")
            && notes[0].contains("reading every WorkSpace's tags one at a time"),
        "{}",
        notes[0]
    );
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(
        count(&calls, "DescribeTags"),
        5 + 1 + 1,
        "each WorkSpace, the account's own image and its registered directory: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_reads_per_resource_never_calls_the_tagging_api() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("perres", 4, "").replace(
        "stack = \"perres\"\n",
        "stack = \"perres\"\ntag_reads = \"per-resource\"\n",
    ));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let before = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert_eq!(plan.stderr, "");
    let calls = bed.sim.stats().requests_since(&before);
    assert_eq!(bed.calls("GetResources"), 0);
    assert_eq!(
        count(&calls, "DescribeTags"),
        4 + 1 + 1,
        "each WorkSpace, the account's own image and its registered directory: {calls:?}"
    );

    // The flag says the same for one run of a file that does not.
    bed.fleet(&fleet_of("perres", 4, ""));
    bed.wsctl(&["plan", "--tag-reads", "per-resource"])
        .await
        .success();
    assert_eq!(bed.calls("GetResources"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_account_is_paced_not_hammered() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            max_requests_per_second: Some(5),
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    // The smallest fleet: in a plan of a few calls, the first
    // crowding (before any throttle says what the account allows) is most
    // of the requests.
    bed.fleet(&fleet_of("slow", 300, ""));
    let before = bed.sim.stats();
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stderr.contains("note: AWS throttled ")
            && apply.stderr.contains("wsctl paced its calls"),
        "{}",
        apply.stderr
    );
    let applied = bed.sim.stats();
    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    let planned = bed.sim.stats();
    for (run, from, to) in [("apply", &before, &applied), ("plan", &applied, &planned)] {
        let sum = |f: fn(&wsctl::sim::OperationStats) -> u64, stats: &wsctl::sim::Stats| -> u64 {
            stats.operations.values().map(f).sum()
        };
        let requests = sum(|s| s.requests, to) - sum(|s| s.requests, from);
        let throttled = sum(|s| s.throttled, to) - sum(|s| s.throttled, from);
        let accepted = requests - throttled;
        // Paced: few requests beyond the calls AWS accepted (the SDK's
        // retries alone sent three to five for each).
        assert!(
            requests * 10 <= accepted * 13,
            "{run}: {requests} requests for {accepted} accepted calls"
        );
        assert_eq!(
            sum(|s| s.failed, to),
            sum(|s| s.failed, from),
            "{run}: {to:?}"
        );
    }
    let mut listed = bed
        .client()
        .describe_workspaces()
        .into_paginator()
        .items()
        .send();
    let mut count = 0;
    while let Some(workspace) = listed.next().await {
        workspace.expect("DescribeWorkspaces");
        count += 1;
    }
    assert_eq!(count, 300);
}

//! The spine end to end: WorkSpaces planned and applied.

use crate::harness::{Bed, DIRECTORY, STANDARD, fleet_of, quick};
use crate::support::eventually;
use wsctl::sim::{Faults, SimConfig};

const QUICKSTART: &str = include_str!("../../examples/quickstart.toml");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quickstart_plans_applies_and_converges() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);

    let plan = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(plan.code, 2, "{plan:#?}");
    insta::assert_snapshot!("quickstart_plan", bed.masked(&plan.stdout));

    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("Apply complete! 3 added"),
        "{}",
        apply.stdout
    );
    assert_eq!(
        bed.calls("CreateWorkspaces"),
        1,
        "one batch carries all three"
    );

    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 3);
    for (workspace, tags) in &listed {
        assert_eq!(workspace.state().map(|s| s.as_str()), Some("AVAILABLE"));
        assert!(tags.contains(&("wsctl:stack".to_owned(), "quickstart".to_owned())));
    }

    let again = bed.wsctl(&["plan", "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{again:#?}");
    assert_eq!(
        again.stdout,
        "No changes. The account matches the file (3 resources of stack quickstart).\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_users_are_created_in_three_calls_and_read_25_a_page() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("sixty", 60, ""));
    let json = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let sizes: Vec<usize> = plan["order"][0]["calls"]
        .as_array()
        .map(|calls| {
            calls
                .iter()
                .filter_map(|c| c["addresses"].as_array().map(Vec::len))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(sizes, [25, 25, 10], "the plan says how apply batches");
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.calls("CreateWorkspaces"), 3);

    let before = bed.calls("DescribeWorkspaces");
    bed.wsctl(&["plan"]).await.success();
    assert_eq!(
        bed.calls("DescribeWorkspaces") - before,
        3,
        "60 WorkSpaces in pages of 25"
    );
    assert_eq!(bed.workspaces().await.len(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compute_and_volume_changes_go_in_separate_requests() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("grow", 2, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let grown = fleet_of("grow", 2, "").replace(
        "[workspaces.user001]\n",
        "[workspaces.user001]\ncompute_type = \"POWER\"\nroot_volume_gib = 175\nuser_volume_gib = 200\n",
    );
    bed.fleet(&grown);
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("compute_and_volumes_plan", bed.masked(&plan.stdout));

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    // compute; user 50→100; root 80→175; user 100→200.
    assert_eq!(bed.calls("ModifyWorkspaceProperties"), 4);
    assert_eq!(bed.sim.stats().get("ModifyWorkspaceProperties").failed, 0);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shrink_is_a_plan_error_naming_the_resource() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("shrink", 1, "user_volume_gib = 100\n"));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.fleet(&fleet_of("shrink", 1, "user_volume_gib = 50\n"));
    let plan = bed.wsctl(&["plan"]).await.failure();
    // The error points into the file.
    insta::assert_snapshot!("shrink_error", bed.masked(&plan.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminating_needs_allow_data_loss_and_changes_nothing_without_it() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("shrinking", 3, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    bed.fleet(&fleet_of("shrinking", 1, ""));
    let refused = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    insta::assert_snapshot!("data_loss_refused_plan", bed.masked(&refused.stdout));
    insta::assert_snapshot!("data_loss_refused_error", bed.masked(&refused.stderr));
    assert_eq!(bed.calls("TerminateWorkspaces"), 0);

    bed.wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert_eq!(bed.calls("TerminateWorkspaces"), 1, "both in one batch");
    assert_eq!(bed.workspaces().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_change_replaces_the_workspace_when_allowed() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("rename", 1, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let old = bed.workspaces().await[0]
        .0
        .workspace_id()
        .unwrap_or_default()
        .to_owned();

    bed.fleet(&fleet_of("rename", 1, "allow_data_loss = true\n").replace(
        "[workspaces.user000]\n",
        "[workspaces.user000]\nuser = \"renamed\"\n",
    ));
    let plan = bed.wsctl(&["plan"]).await.success();
    insta::assert_snapshot!("user_change_replaces_plan", bed.masked(&plan.stdout));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();

    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0.user_name(), Some("renamed"));
    assert_ne!(listed[0].0.workspace_id(), Some(old.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untagged_workspace_is_adopted_and_an_unlisted_one_left_alone() {
    let bed = Bed::new().await;
    let adopted = bed.create_by_hand("user000", &[]).await;
    let stranger = bed.create_by_hand("stranger", &[("team", "ops")]).await;
    bed.fleet(&fleet_of("adopt", 1, ""));

    let plan = bed.wsctl(&["plan"]).await.success();
    // The WorkSpace made by hand for user000 is the one adopted; the stranger's is not mentioned.
    let plan = bed.masked(&plan.stdout.replace(&adopted, "[adopted]"));
    insta::assert_snapshot!("adopt_plan", plan);

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let listed = bed.workspaces().await;
    let tags_of = |id: &str| {
        listed
            .iter()
            .find(|(w, _)| w.workspace_id() == Some(id))
            .map(|(_, t)| t.clone())
    };
    assert!(
        tags_of(&adopted)
            .unwrap_or_default()
            .contains(&("wsctl:stack".to_owned(), "adopt".to_owned()))
    );
    assert_eq!(
        tags_of(&stranger),
        Some(vec![("team".to_owned(), "ops".to_owned())])
    );
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_of_another_stack_is_a_conflict() {
    let bed = Bed::new().await;
    bed.create_by_hand("user000", &[("wsctl:stack", "other")])
        .await;
    bed.fleet(&fleet_of("mine", 1, ""));
    let plan = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    insta::assert_snapshot!("conflict_error", bed.masked(&plan.stderr));
    assert_eq!(bed.calls("CreateTags"), 0);
    assert_eq!(
        bed.calls("CreateWorkspaces"),
        1,
        "only the one made by hand"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_item_failures_are_reported_and_a_rerun_converges() {
    let state = tempfile::tempdir().expect("state dir");
    let file = state.path().join("sim.json");
    let faulty = SimConfig {
        state_file: Some(file.clone()),
        seed: 7,
        faults: Faults {
            failed_request_rate: 0.3,
            ..Faults::default()
        },
        ..quick()
    };
    let bed = Bed::with(faulty).await;
    bed.fleet(&fleet_of("flaky", 30, ""));
    let first = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    assert!(first.stdout.contains("Apply incomplete:"), "{first:#?}");
    assert!(first.stdout.contains("failed: CreateWorkspaces failed:"));
    assert!(first.stderr.contains("of 30 changes did not complete"));
    // Each failure is listed once, in the summary at the end.
    let summary = first
        .stdout
        .split("Apply incomplete:")
        .nth(1)
        .unwrap_or_default();
    let failures: Vec<&str> = summary
        .lines()
        .filter(|l| l.contains(": failed:"))
        .filter_map(|l| l.trim().split(": ").next())
        .collect();
    assert!(!failures.is_empty(), "{first:#?}");
    for address in failures {
        let listed = first.stdout.matches(&format!("{address}: ")).count();
        assert_eq!(
            listed, 1,
            "{address} listed {listed} times:\n{}",
            first.stdout
        );
    }
    let created = bed.workspaces().await.len();
    assert!(created < 30 && created > 0, "{created} created");

    let bed = bed
        .restart(SimConfig {
            state_file: Some(file),
            ..quick()
        })
        .await;
    let plan = bed.wsctl(&["plan"]).await.success();
    assert!(
        plan.stdout
            .contains(&format!("Plan: {} to add, 0 to change", 30 - created)),
        "{}",
        plan.stdout
    );
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 30, "no duplicates, none missing");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_retried_by_the_sdk() {
    let bed = Bed::with(SimConfig {
        faults: Faults {
            max_requests_per_second: Some(10),
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("throttled", 30, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.workspaces().await.len(), 30);
    let throttled: u64 = bed
        .sim
        .stats()
        .operations
        .values()
        .map(|s| s.throttled)
        .sum();
    assert!(throttled > 0, "the rate limit was hit and survived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_without_a_terminal_asks_for_auto_approve() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let run = bed.wsctl(&["apply"]).await.failure();
    assert!(run.stderr.contains("pass --auto-approve"), "{}", run.stderr);
    assert_eq!(bed.calls("CreateWorkspaces"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wait_returns_while_workspaces_are_pending() {
    let bed = Bed::with(SimConfig {
        settle: std::time::Duration::from_secs(30),
        ..quick()
    })
    .await;
    bed.fleet(QUICKSTART);
    bed.wsctl(&["apply", "--auto-approve", "--no-wait"])
        .await
        .success();
    let listed = eventually("three WorkSpaces listed", || async {
        let listed = bed.workspaces().await;
        (listed.len() >= 3).then_some(listed)
    })
    .await;
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .iter()
            .all(|(w, _)| w.state().map(|s| s.as_str()) == Some("PENDING"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destroy_terminates_everything_the_stack_owns() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let stranger = bed.create_by_hand("stranger", &[]).await;
    bed.wsctl(&["destroy", "--auto-approve"]).await.failure();
    let destroy = bed
        .wsctl(&["destroy", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert!(destroy.stdout.contains("3 destroyed"), "{}", destroy.stdout);
    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0.workspace_id(), Some(stranger.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_plan_is_versioned_and_counts_actions() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let run = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(plan["format_version"], "1");
    assert_eq!(plan["stack"], "quickstart");
    assert_eq!(plan["summary"]["create"], 3);
    assert_eq!(plan["changes"][0]["address"], "workspace.alice");
    assert_eq!(plan["changes"][0]["action"], "create");
    assert_eq!(
        plan["changes"][0]["operations"][0]["operation"],
        "create_workspace"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_is_reported_with_its_location_before_any_call() {
    let bed = Bed::new().await;
    bed.fleet(&format!(
        "[settings]\nstack = \"s\"\n\n[workspaces.alice]\ndirectory_id = \"{DIRECTORY}\"\nbundle = \"{STANDARD}\"\nruning_mode = \"AUTO_STOP\"\n"
    ));
    let run = bed.wsctl(&["plan"]).await.failure();
    insta::assert_snapshot!("misspelt_key_error", bed.masked(&run.stderr));
    assert!(
        bed.sim.stats().operations.is_empty(),
        "no API call was made"
    );

    let run = bed
        .wsctl(&["validate", "-f", "missing.toml"])
        .await
        .failure();
    insta::assert_snapshot!("missing_file_error", bed.masked(&run.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_bundle_name_suggests_the_closest() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("typo", 1, "").replace(STANDARD, "Standard with Windows 10 (Server 2022)"));
    let run = bed.wsctl(&["plan"]).await.failure();
    insta::assert_snapshot!("unknown_bundle_error", bed.masked(&run.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hundred_user_example_is_created_in_four_calls() {
    let bed = Bed::new().await;
    bed.fleet(include_str!("../../examples/fleet-100.toml"));
    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("Apply complete! 100 added"),
        "{}",
        apply.stdout
    );
    assert_eq!(bed.calls("CreateWorkspaces"), 4);
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_on_a_terminal_asks_and_takes_only_yes() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let declined = bed.wsctl_on_terminal(&["apply"], "no").await;
    assert!(
        declined.stdout.contains("Only 'yes' will be accepted"),
        "{declined:#?}"
    );
    assert!(
        declined
            .stdout
            .contains("apply cancelled; nothing was changed")
    );
    assert_eq!(bed.calls("CreateWorkspaces"), 0);

    let accepted = bed.wsctl_on_terminal(&["apply"], "yes").await;
    assert!(
        accepted.stdout.contains("Apply complete! 3 added"),
        "{accepted:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_workspaces_not_yet_listed_are_waited_for() {
    let bed = Bed::with(SimConfig {
        visibility: std::time::Duration::from_millis(1500),
        ..quick()
    })
    .await;
    bed.fleet(QUICKSTART);
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .iter()
            .all(|(w, _)| w.state().map(|s| s.as_str()) == Some("AVAILABLE"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_by_the_sdk() {
    let bed = Bed::with(SimConfig {
        seed: 3,
        faults: Faults {
            server_error_rate: 0.2,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("shaky", 30, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert_eq!(bed.workspaces().await.len(), 30);
    let failed: u64 = bed.sim.stats().operations.values().map(|s| s.failed).sum();
    assert!(failed > 0, "some calls failed and were retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_apply_converges_on_the_next_run() {
    let bed = Bed::with(SimConfig {
        settle: std::time::Duration::from_secs(2),
        ..quick()
    })
    .await;
    bed.fleet(&fleet_of("interrupted", 30, ""));
    let mut apply = bed.spawn(&["apply", "--auto-approve"]);
    eventually("two CreateWorkspaces calls", || async {
        (bed.calls("CreateWorkspaces") >= 2).then_some(())
    })
    .await;
    apply.kill().await.expect("apply stopped");
    // What it created is listed once the visibility delay has passed.
    let held = bed.sim_state().await["workspaces"]
        .as_object()
        .map_or(0, |all| all.len());
    let created = eventually(
        "every WorkSpace created before the interruption to be listed",
        || async {
            let listed = bed.workspaces().await.len();
            (listed == held).then_some(listed)
        },
    )
    .await;
    assert!(created >= 25, "{created} created before the interruption");

    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let listed = bed.workspaces().await;
    assert_eq!(listed.len(), 30, "no duplicates, none missing");
    bed.wsctl(&["plan", "--detailed-exitcode"]).await.success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_endpoint_is_a_clear_error() {
    let bed = Bed::new().await;
    bed.fleet(QUICKSTART);
    let run = bed
        .wsctl_at("http://127.0.0.1:9", &["plan"])
        .await
        .failure();
    assert!(
        run.stderr
            .contains("failed: ConnectionFailed: dispatch failure: io error")
            && run.stderr.contains("Connection refused"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("DispatchFailure {"),
        "no Debug dump: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_the_output_quietly() {
    let bed = Bed::new().await;
    bed.fleet(&fleet_of("piped", 300, ""));
    let command = format!(
        "{} --endpoint-url {} plan | head -1",
        env!("CARGO_BIN_EXE_wsctl"),
        bed.sim.url()
    );
    let output = tokio::process::Command::new("bash")
        .args(["-o", "pipefail", "-c", &command])
        .current_dir(bed.dir.path())
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1")
        .output()
        .await
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "wsctl will perform the following actions:\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_region_and_missing_credentials_are_named() {
    let bed = Bed::new().await;
    bed.fleet("[settings]\nstack = \"bare\"\n");
    let run = |args: &'static [&'static str]| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"))
            .args(args)
            .current_dir(bed.dir.path())
            .env_clear()
            .env("AWS_CONFIG_FILE", bed.path("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", bed.path("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
    };
    let output = run(&["plan"]).await.expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: no AWS region is set"));

    let output = run(&[
        "plan",
        "--region",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ])
    .await
    .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("NoCredentials: "), "{stderr}");
    assert!(stderr.contains("no credentials found in chain"), "{stderr}");
}

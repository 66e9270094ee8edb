//! Snapshots, restore and self-healing end to end: the `wsctl` binary
//! against the simulator, which snapshots healthy WorkSpaces on a schedule
//! and can be told to make one UNHEALTHY.

use std::time::Duration;

use crate::harness::{Bed, fleet_of, quick};
use crate::support::eventually;
use wsctl::sim::SimConfig;

fn snapshotting() -> SimConfig {
    SimConfig {
        snapshot_interval: Duration::from_millis(100),
        ..quick()
    }
}

impl Bed {
    /// The id of the WorkSpace of `user`.
    async fn workspace_of(&self, user: &str) -> String {
        let state = self.sim_state().await;
        state["workspaces"]
            .as_object()
            .and_then(|all| all.values().find(|w| w["user_name"] == user))
            .and_then(|w| w["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no WorkSpace for {user}"))
    }

    async fn make(&self, user: &str, state: &str) {
        let id = self.workspace_of(user).await;
        self.sim_post(&format!("/_sim/workspaces/{id}/state/{state}"))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_are_listed_newest_first_for_a_workspace_with_history() {
    let bed = Bed::with(snapshotting()).await;
    bed.fleet(&fleet_of("heal", 2, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let id = bed.workspace_of("user000").await;
    let taken = || async {
        let listed = bed
            .client()
            .describe_workspace_snapshots()
            .workspace_id(&id)
            .send();
        listed.await.map_or(0, |out| out.restore_snapshots().len())
    };
    eventually("three snapshots", || async {
        (taken().await >= 3).then_some(())
    })
    .await;
    let read_before = bed.calls("DescribeWorkspaceSnapshots");

    let listed = bed
        .wsctl(&["snapshots", "workspace.user000", "--format", "json"])
        .await
        .success();
    let document: serde_json::Value = serde_json::from_str(&listed.stdout).expect("JSON");
    let workspaces = document["workspaces"].as_array().expect("workspaces");
    assert_eq!(workspaces.len(), 1);
    assert_eq!(workspaces[0]["address"], "workspace.user000");
    let restore: Vec<&str> = workspaces[0]["restore_snapshots"]
        .as_array()
        .expect("restore snapshots")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(restore.len() >= 3, "{restore:?}");
    // As times, not as text: `…:05Z` sorts after `…:05.2Z` as text.
    let times: Vec<aws_smithy_types::DateTime> = restore
        .iter()
        .map(|t| {
            aws_smithy_types::DateTime::from_str(t, aws_smithy_types::date_time::Format::DateTime)
                .expect("an RFC 3339 time")
        })
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {restore:?}"
    );
    assert_eq!(
        workspaces[0]["rebuild_snapshots"].as_array().map(Vec::len),
        Some(restore.len())
    );

    let human = bed.wsctl(&["snapshots"]).await.success();
    assert!(
        human.stdout.contains("workspace.user000 (ws-"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("workspace.user001 (ws-"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("  restore  20"), "{}", human.stdout);
    assert_eq!(bed.calls("DescribeWorkspaceSnapshots") - read_before, 3);

    let unknown = bed
        .wsctl(&["snapshots", "workspace.usr001"])
        .await
        .failure();
    insta::assert_snapshot!(
        "snapshots_of_an_unknown_address",
        bed.masked(&unknown.stderr)
    );
}

/// AWS matches user names without regard to case, beyond ASCII too: the
/// file's `élodie` is the account's `ÉLODIE`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshots_find_a_workspace_whose_user_differs_in_case_beyond_ascii() {
    let bed = Bed::with(snapshotting()).await;
    let id = bed.create_by_hand("ÉLODIE", &[]).await;
    bed.fleet(&format!(
        "{}[workspaces.elodie]\nuser = \"élodie\"\n",
        fleet_of("heal", 0, "")
    ));
    let listed = bed
        .wsctl(&["snapshots", "workspace.elodie", "--format", "json"])
        .await
        .success();
    let document: serde_json::Value = serde_json::from_str(&listed.stdout).expect("JSON");
    assert_eq!(document["workspaces"][0]["id"], id.as_str(), "{document}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_is_refused_without_consent_or_in_a_wrong_state_and_waited_for_otherwise() {
    let bed = Bed::with(SimConfig {
        settle: Duration::from_millis(300),
        ..snapshotting()
    })
    .await;
    bed.fleet(&fleet_of("heal", 1, ""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    let calls_before = bed.calls("DescribeWorkspaces");

    let refused = bed.wsctl(&["restore", "workspace.user000"]).await.failure();
    insta::assert_snapshot!("restore_refused", bed.masked(&refused.stderr));
    assert_eq!(
        bed.calls("DescribeWorkspaces"),
        calls_before,
        "nothing called"
    );
    assert_eq!(bed.calls("RestoreWorkspace"), 0);

    let flag = bed
        .wsctl(&[
            "restore",
            "workspace.user000",
            "--allow-data-loss",
            "--snapshot-current-volumes",
        ])
        .await
        .failure();
    insta::assert_snapshot!("restore_snapshot_current_volumes", bed.masked(&flag.stderr));
    assert_eq!(bed.calls("RestoreWorkspace"), 0);

    bed.make("user000", "ADMIN_MAINTENANCE").await;
    let wrong = bed
        .wsctl(&["restore", "workspace.user000", "--allow-data-loss"])
        .await
        .failure();
    insta::assert_snapshot!("restore_in_a_wrong_state", bed.masked(&wrong.stderr));
    assert_eq!(bed.calls("RestoreWorkspace"), 0);

    bed.make("user000", "UNHEALTHY").await;
    let restored = bed
        .wsctl(&["restore", "workspace.user000", "--allow-data-loss"])
        .await
        .success();
    assert!(
        restored.stdout.contains(
            "is UNHEALTHY; `wsctl restore` asked for: RestoreWorkspace rolls its root and user volumes back to its last restore snapshot, taken 20"
        ),
        "{}",
        restored.stdout
    );
    assert!(
        restored.stdout.contains(
            "Apply complete! 0 added, 0 changed, 0 replaced, 0 destroyed, 0 adopted, 1 healed."
        ),
        "{}",
        restored.stdout
    );
    assert_eq!(bed.calls("RestoreWorkspace"), 1);
    let id = bed.workspace_of("user000").await;
    assert_eq!(
        bed.sim_state().await["workspaces"][&id]["state"],
        "AVAILABLE"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heal_reboot_reboots_three_unhealthy_workspaces_in_one_call_and_converges() {
    let bed = Bed::with(snapshotting()).await;
    bed.fleet(&fleet_of("heal", 5, "heal = \"reboot\""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    for user in ["user001", "user002", "user004"] {
        bed.make(user, "UNHEALTHY").await;
    }

    let plan = bed.wsctl(&["plan"]).await.success();
    // A reboot loses nothing: no data-loss warning.
    insta::assert_snapshot!("heal_reboot_plan", bed.masked(&plan.stdout));
    let json = bed.wsctl(&["plan", "--format", "json"]).await.success();
    let document: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(document["summary"]["heal"], 3);
    assert_eq!(document["changes"][0]["action"], "heal");
    assert_eq!(
        document["changes"][0]["operations"][0]["operation"],
        "reboot_workspace"
    );

    let apply = bed.wsctl(&["apply", "--auto-approve"]).await.success();
    assert!(
        apply.stdout.contains("0 adopted, 3 healed."),
        "{}",
        apply.stdout
    );
    assert_eq!(bed.calls("RebootWorkspaces"), 1);
    let again = bed.wsctl(&["plan"]).await.success();
    assert!(again.stdout.starts_with("No changes."), "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heal_restore_is_data_loss_and_refused_without_the_flag() {
    let bed = Bed::with(snapshotting()).await;
    bed.fleet(&fleet_of("heal", 2, "heal = \"restore\""));
    bed.wsctl(&["apply", "--auto-approve"]).await.success();
    bed.make("user001", "ERROR").await;

    let refused = bed.wsctl(&["apply", "--auto-approve"]).await.failure();
    insta::assert_snapshot!("heal_restore_refused_plan", bed.masked(&refused.stdout));
    insta::assert_snapshot!("heal_restore_refused_error", bed.masked(&refused.stderr));
    assert_eq!(bed.calls("RestoreWorkspace"), 0);

    bed.wsctl(&["apply", "--auto-approve", "--allow-data-loss"])
        .await
        .success();
    assert_eq!(bed.calls("RestoreWorkspace"), 1);
    let again = bed.wsctl(&["plan"]).await.success();
    assert!(again.stdout.starts_with("No changes."), "{}", again.stdout);
}

//! Snapshots on a schedule while healthy, the unhealthy fault, and the
//! control endpoint that puts a WorkSpace in a state on demand.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{RebootRequest, RebuildRequest, WorkspaceState};
use wsctl::sim::{Faults, Sim, SimConfig};

use crate::common::{
    STANDARD_BUNDLE, VALUE_BUNDLE, available, create, describe, eventually, quick, raw, start,
    state, wait_state,
};

fn snapshotting() -> SimConfig {
    SimConfig {
        snapshot_interval: Duration::from_millis(100),
        ..quick()
    }
}

async fn force(sim: &Sim, id: &str, state: &str) -> u16 {
    raw(
        sim,
        "POST",
        &format!("/_sim/workspaces/{id}/state/{state}"),
        None,
        "",
    )
    .await
    .status
}

/// Restore and rebuild snapshot times, newest first, in milliseconds.
async fn snapshots(client: &Client, id: &str) -> (Vec<i64>, Vec<i64>) {
    let out = client
        .describe_workspace_snapshots()
        .workspace_id(id)
        .send()
        .await
        .expect("DescribeWorkspaceSnapshots");
    let millis = |list: &[aws_sdk_workspaces::types::Snapshot]| {
        list.iter()
            .filter_map(|s| s.snapshot_time())
            .map(|t| t.to_millis().expect("a time in range"))
            .collect::<Vec<_>>()
    };
    (
        millis(out.restore_snapshots()),
        millis(out.rebuild_snapshots()),
    )
}

#[tokio::test]
async fn snapshots_are_taken_on_a_schedule_only_while_available() {
    let (sim, client) = start(snapshotting()).await;
    // Bob stays AVAILABLE: his snapshots show the schedule going on.
    let ids = available(&client, &["alice", "bob"], VALUE_BUNDLE).await;
    let (alice, bob) = (&ids[0], &ids[1]);
    let (restore, rebuild) = eventually("three snapshots", || async {
        let taken = snapshots(&client, alice).await;
        (taken.0.len() >= 3).then_some(taken)
    })
    .await;
    assert!(restore.len() >= 3, "{restore:?}");
    assert_eq!(restore, rebuild);
    // Newest first, 100 ms apart (give or take the wire's float seconds).
    assert!(
        restore
            .windows(2)
            .all(|w| (99..=101).contains(&(w[0] - w[1]))),
        "{restore:?}"
    );

    assert_eq!(force(&sim, alice, "UNHEALTHY").await, 200);
    let (at_illness, _) = snapshots(&client, alice).await;
    let (bob_then, _) = snapshots(&client, bob).await;
    let bob_then = bob_then.first().copied().expect("bob has a snapshot");
    eventually(
        "three more snapshots of bob, who stayed AVAILABLE",
        || async {
            let (bob_now, _) = snapshots(&client, bob).await;
            bob_now
                .first()
                .is_some_and(|&t| t >= bob_then + 300)
                .then_some(())
        },
    )
    .await;
    let (while_ill, _) = snapshots(&client, alice).await;
    assert_eq!(
        while_ill, at_illness,
        "no snapshot is taken while UNHEALTHY"
    );
    assert!(
        while_ill.len() <= 5,
        "at most five are listed: {while_ill:?}"
    );
}

#[tokio::test]
async fn restore_and_rebuild_bring_an_unhealthy_or_failed_workspace_back() {
    let (sim, client) = start(SimConfig {
        settle: Duration::from_millis(200),
        ..snapshotting()
    })
    .await;
    let ids = available(&client, &["alice", "bob"], VALUE_BUNDLE).await;
    assert_eq!(force(&sim, &ids[0], "UNHEALTHY").await, 200);
    client
        .restore_workspace()
        .workspace_id(&ids[0])
        .send()
        .await
        .expect("restore from UNHEALTHY");
    let restoring = describe(&client, &ids[0])
        .await
        .and_then(|w| w.state().cloned());
    assert_eq!(restoring, Some(WorkspaceState::Restoring));
    wait_state(&client, &ids[0], WorkspaceState::Available).await;

    assert_eq!(force(&sim, &ids[1], "ERROR").await, 200);
    let out = client
        .rebuild_workspaces()
        .rebuild_workspace_requests(
            RebuildRequest::builder()
                .workspace_id(&ids[1])
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect("rebuild from ERROR");
    assert!(out.failed_requests().is_empty());
    wait_state(&client, &ids[1], WorkspaceState::Available).await;

    assert_eq!(force(&sim, &ids[1], "ADMIN_MAINTENANCE").await, 200);
    let err = client
        .restore_workspace()
        .workspace_id(&ids[1])
        .send()
        .await
        .expect_err("restore in ADMIN_MAINTENANCE")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    assert!(
        err.to_string()
            .contains("AVAILABLE, ERROR, UNHEALTHY, STOPPED"),
        "{err}"
    );
}

#[tokio::test]
async fn the_control_endpoint_refuses_other_states_and_unknown_workspaces() {
    let (sim, client) = start(quick()).await;
    let id = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    assert_eq!(force(&sim, &id, "AVAILABLE").await, 400);
    assert_eq!(force(&sim, "ws-000000000", "UNHEALTHY").await, 400);
}

/// Users whose WorkSpace the unhealthy fault picked, after a reboot heals them.
async fn fall_ill_and_heal(seed: u64) -> Vec<String> {
    let (sim, client) = start(SimConfig {
        seed,
        faults: Faults {
            unhealthy_rate: 0.5,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let users: Vec<String> = (0..12).map(|i| format!("user{i:02}")).collect();
    let names: Vec<&str> = users.iter().map(String::as_str).collect();
    let ids = create(&client, &names, STANDARD_BUNDLE).await;
    // AVAILABLE, then (for the unlucky) UNHEALTHY a settle delay later:
    // done once the simulator has nothing more scheduled for them.
    eventually(
        "every WorkSpace AVAILABLE or UNHEALTHY with no change scheduled",
        || async {
            let account = state(&sim).await;
            ids.iter()
                .map(|id| &account["workspaces"][id])
                .all(|w| {
                    matches!(w["state"].as_str(), Some("AVAILABLE" | "UNHEALTHY"))
                        && w["next"].is_null()
                })
                .then_some(())
        },
    )
    .await;
    let mut ill = Vec::new();
    for (user, id) in users.iter().zip(&ids) {
        let state = describe(&client, id).await.and_then(|w| w.state().cloned());
        match state {
            Some(WorkspaceState::Unhealthy) => ill.push((user.clone(), id.clone())),
            Some(WorkspaceState::Available) => {}
            other => panic!("{user}: {other:?}"),
        }
    }
    assert!(!ill.is_empty() && ill.len() < users.len(), "{ill:?}");
    let mut reboot = client.reboot_workspaces();
    for (_, id) in &ill {
        reboot = reboot.reboot_workspace_requests(
            RebootRequest::builder()
                .workspace_id(id)
                .build()
                .expect("r"),
        );
    }
    assert!(
        reboot
            .send()
            .await
            .expect("reboot")
            .failed_requests()
            .is_empty()
    );
    for (_, id) in &ill {
        wait_state(&client, id, WorkspaceState::Available).await;
    }
    // The fault strikes once: nothing is scheduled for the healed
    // WorkSpaces, so they stay AVAILABLE.
    let account = state(&sim).await;
    for (user, id) in &ill {
        let healed = &account["workspaces"][id];
        assert_eq!(healed["state"], "AVAILABLE", "{user}: {healed}");
        assert!(
            healed["next"].is_null() && healed["falls_ill_after"].is_null(),
            "{user}: nothing scheduled: {healed}"
        );
    }
    ill.into_iter().map(|(user, _)| user).collect()
}

#[tokio::test]
async fn the_unhealthy_fault_picks_the_same_workspaces_for_the_same_seed() {
    let first = fall_ill_and_heal(7).await;
    let again = fall_ill_and_heal(7).await;
    assert_eq!(first, again);
}

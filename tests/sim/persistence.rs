//! The state file: survives restarts, finishes transitions, refuses garbage.

use std::time::Duration;

use aws_sdk_workspaces::types::WorkspaceState;
use wsctl::sim::SimConfig;

use crate::common::*;

#[tokio::test]
async fn workspaces_survive_a_restart_and_pending_ones_settle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        settle: Duration::from_millis(300),
        ..fast()
    };
    let (sim, client) = start(config.clone()).await;
    let ready = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let volume = user_volume(&sim, &ready).await;
    let pending = create(&client, &["bob"], VALUE_BUNDLE).await.remove(0);
    sim.shutdown().await;
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers,
        [std::ffi::OsString::from("sim.json")],
        "no temp files left"
    );

    let (sim, client) = start(config).await;
    let again = describe(&client, &ready).await.expect("alice survived");
    assert_eq!(again.state(), Some(&WorkspaceState::Available));
    assert_eq!(user_volume(&sim, &ready).await, volume);
    wait_state(&client, &pending, WorkspaceState::Available).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    std::fs::write(&path, "<corrupt>").expect("write");
    let err = wsctl::sim::start(SimConfig {
        state_file: Some(path.clone()),
        ..fast()
    })
    .await
    .err()
    .expect("refused");
    let message = err.to_string();
    assert!(message.contains("cannot read simulator state"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.ends_with("expected value at line 1 column 1"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "<corrupt>",
        "left untouched"
    );
}

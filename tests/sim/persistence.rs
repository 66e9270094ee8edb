//! The state file: survives restarts, finishes transitions, refuses garbage.

use std::time::Duration;

use aws_sdk_workspaces::types::{RebootRequest, RebuildRequest, TerminateRequest, WorkspaceState};
use wsctl::sim::{SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

#[tokio::test]
async fn workspaces_survive_a_restart_and_pending_ones_settle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        settle: Duration::from_millis(300),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let ready = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let volume = user_volume(&sim, &ready).await;
    let pending = create(&client, &["bob"], VALUE_BUNDLE).await.remove(0);
    sim.shutdown().await;
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [".sim.json.lock", "sim.json"].map(std::ffi::OsString::from),
        "no temp files left, only the state and its lock"
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
        ..quick()
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

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .expect("clock after 1970")
}

/// STOPPED, ERROR, SUSPENDED and a stuck reboot are reached only outside the
/// API, so they are written into the state file between two runs.
#[tokio::test]
async fn states_from_the_file_gate_the_operations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let ids = available(&client, &["a", "b", "c", "d"], VALUE_BUNDLE).await;
    sim.shutdown().await;
    let mut account: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    let now = now_millis();
    for (id, state) in ids
        .iter()
        .zip(["STOPPED", "ERROR", "SUSPENDED", "REBOOTING"])
    {
        account["workspaces"][id]["state"] = state.into();
        // The file was last written while they were PENDING.
        account["workspaces"][id]["next"] = serde_json::Value::Null;
    }
    account["workspaces"][&ids[3]]["next"] = serde_json::json!({
        "to": "AVAILABLE", "at": now + 3_600_000, "since": now - 21 * 60_000,
    });
    std::fs::write(&path, account.to_string()).expect("write");
    let (sim, client) = start(config).await;

    client
        .modify_workspace_properties()
        .workspace_id(&ids[0])
        .workspace_properties(always_on())
        .send()
        .await
        .expect("modify a STOPPED WorkSpace");
    client
        .restore_workspace()
        .workspace_id(&ids[0])
        .send()
        .await
        .expect("restore a STOPPED WorkSpace");
    let rebuilt = client
        .rebuild_workspaces()
        .rebuild_workspace_requests(
            RebuildRequest::builder()
                .workspace_id(&ids[1])
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect("rebuild");
    assert!(rebuilt.failed_requests().is_empty(), "ERROR can be rebuilt");
    let out = client
        .terminate_workspaces()
        .terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id(&ids[2])
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect("terminate");
    assert_eq!(
        out.failed_requests()[0].error_code(),
        Some("InvalidResourceState"),
        "SUSPENDED cannot be terminated"
    );
    let err = client
        .modify_workspace_properties()
        .workspace_id(&ids[2])
        .workspace_properties(always_on())
        .send()
        .await
        .expect_err("SUSPENDED")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception());
    let rebooted = client
        .reboot_workspaces()
        .reboot_workspace_requests(
            RebootRequest::builder()
                .workspace_id(&ids[3])
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect("reboot");
    assert!(
        rebooted.failed_requests().is_empty(),
        "stuck reboot retried"
    );
    wait_state(&client, &ids[3], WorkspaceState::Available).await;
    wait_state(&client, &ids[0], WorkspaceState::Available).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_second_simulator_on_the_same_state_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        ..quick()
    };
    let (sim, _client) = start(config.clone()).await;
    let second = wsctl::sim::start(config.clone()).await;
    match second {
        Err(error) => assert!(
            error.to_string().contains("is in use by another simulator"),
            "{error}"
        ),
        Ok(_) => panic!("two simulators share one state file"),
    }
    sim.shutdown().await;
    let (again, _client) = start(config).await;
    again.shutdown().await;
}

/// The log of changes, opened at the first change, is `/dev/full`: every
/// write fails.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_change_the_state_file_cannot_keep_is_not_kept_in_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let (sim, client) = start(SimConfig {
        state_file: Some(path),
        ..quick()
    })
    .await;
    std::os::unix::fs::symlink("/dev/full", dir.path().join("sim.json.log")).expect("symlink");
    let once = aws_sdk_workspaces::config::Builder::default()
        .retry_config(aws_smithy_types::retry::RetryConfig::disabled());
    let refused = client
        .create_workspaces()
        .workspaces(request("alice", VALUE_BUNDLE))
        .customize()
        .config_override(once)
        .send()
        .await;
    assert!(refused.is_err(), "{refused:?}");
    let listed = client
        .describe_workspaces()
        .send()
        .await
        .expect("DescribeWorkspaces");
    assert!(listed.workspaces().is_empty(), "{:?}", listed.workspaces());
    drop(sim);
}

/// `wsctl sim serve` killed with SIGKILL while a client creates WorkSpaces
/// as fast as it is answered: every WorkSpace whose creation was answered
/// is in the account a new simulator reads from the same state file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_change_survives_kill_9() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let mut serve = tokio::process::Command::new(env!("CARGO_BIN_EXE_wsctl"))
        .args([
            "sim",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--visibility-ms",
            "0",
        ])
        .arg("--state")
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("wsctl sim serve starts");
    let mut line = String::new();
    BufReader::new(serve.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .await
        .expect("its URL");
    let url = line
        .trim()
        .strip_prefix("wsctl simulator listening on ")
        .unwrap_or_else(|| panic!("the URL line: {line}"))
        .to_owned();
    let writer = aws_sdk_workspaces::Client::from_conf(
        wsctl::sim::client_config(&url)
            .to_builder()
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .build(),
    );
    let writing = tokio::spawn(async move {
        let mut answered = Vec::new();
        for batch in 0..10_000 {
            let mut call = writer.create_workspaces();
            for i in 0..5 {
                call = call.workspaces(request(&format!("user{batch}-{i}"), VALUE_BUNDLE));
            }
            let Ok(out) = call.send().await else {
                break;
            };
            answered.extend(
                out.pending_requests()
                    .iter()
                    .filter_map(|w| w.workspace_id().map(str::to_owned)),
            );
        }
        answered
    });
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    serve.start_kill().expect("SIGKILL");
    serve.wait().await.expect("killed");
    let answered = writing.await.expect("writer");
    assert!(answered.len() >= 25, "only {} answered", answered.len());

    let (sim, client) = start(SimConfig {
        state_file: Some(path),
        ..quick()
    })
    .await;
    for ids in answered.chunks(25) {
        let found = client
            .describe_workspaces()
            .set_workspace_ids(Some(ids.to_vec()))
            .send()
            .await
            .expect("DescribeWorkspaces");
        assert_eq!(found.workspaces().len(), ids.len(), "{ids:?}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn temporary_files_of_a_killed_simulator_are_cleaned_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let leftover = dir.path().join(".sim.json.999999.tmp");
    std::fs::write(&leftover, "half a state").expect("written");
    let (sim, _client) = start(SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        ..quick()
    })
    .await;
    assert!(!leftover.exists());
    sim.shutdown().await;
}

/// State files kept nested virtualization in a field of its own before the
/// simulator kept the properties it has no rule for by their wire names.
#[tokio::test]
async fn nested_virtualization_from_an_older_state_file_is_described() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let ws = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    sim.shutdown().await;
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let properties = state["workspaces"][&ws]["properties"]
        .as_object_mut()
        .expect("properties");
    assert!(properties.remove("other").is_some());
    properties.insert("nested_virtualization_enabled".to_owned(), true.into());
    std::fs::write(&path, state.to_string()).expect("write");

    let (_sim, client) = start(config).await;
    let described = describe(&client, &ws).await.expect("described");
    let properties = described.workspace_properties().expect("properties");
    assert_eq!(properties.nested_virtualization_enabled(), Some(true));
}

#[tokio::test]
async fn a_state_file_from_before_the_environment_resources_still_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let ws = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    sim.shutdown().await;
    // Take out everything the file did not have before directories,
    // IP groups, aliases and image sharing were simulated.
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let account = state.as_object_mut().expect("object");
    account.remove("ip_groups");
    account.remove("connection_aliases");
    let directories = account["directories"].as_object_mut().expect("directories");
    directories.retain(|id, _| id == SEED_DIRECTORY_ID);
    let seed = directories[SEED_DIRECTORY_ID]
        .as_object_mut()
        .expect("seed");
    for key in [
        "ip_group_ids",
        "vpc_id",
        "directory_subnet_ids",
        "state_until",
        "tenancy",
        "self_service",
        "access",
        "client",
        "creation",
    ] {
        assert!(seed.remove(key).is_some(), "{key}");
    }
    for image in account["images"]
        .as_object_mut()
        .expect("images")
        .values_mut()
    {
        image.as_object_mut().expect("image").remove("shared_with");
    }
    account["workspaces"][&ws]
        .as_object_mut()
        .expect("workspace")
        .remove("ipv6_address");
    std::fs::write(&path, state.to_string()).expect("write");

    let (_sim, client) = start(config).await;
    assert!(describe(&client, &ws).await.is_some());
    let dirs = client
        .describe_workspace_directories()
        .send()
        .await
        .expect("directories");
    let seed = &dirs.directories()[0];
    assert_eq!(seed.directory_id(), Some(SEED_DIRECTORY_ID));
    assert_eq!(seed.tenancy().map(|t| t.as_str()), Some("SHARED"));
    assert!(seed.selfservice_permissions().is_some());
    let groups = client.describe_ip_groups().send().await.expect("groups");
    assert!(groups.result().is_empty());
    client
        .register_workspace_directory()
        .directory_id("d-2345678901")
        .subnet_ids("subnet-0e1b2c3d4e5f60718")
        .subnet_ids("subnet-0e2b2c3d4e5f60719")
        .send()
        .await
        .expect("the new catalog directory is there");
}

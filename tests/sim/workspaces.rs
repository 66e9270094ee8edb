//! WorkSpaces: create, describe, modify, migrate, reboot, rebuild, restore,
//! terminate, snapshots.

use std::time::Duration;

use aws_sdk_workspaces::error::ProvideErrorMetadata;
use aws_sdk_workspaces::types::{
    AgaModeForWorkSpaceEnum, Compute, GlobalAcceleratorForWorkSpace, ModificationResourceEnum,
    OperatingSystemName, Protocol, RebootRequest, RebuildRequest, RunningMode, TerminateRequest,
    WorkspaceProperties, WorkspaceRequest, WorkspaceState,
};
use wsctl::sim::{SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

fn is_ws_id(id: &str) -> bool {
    id.strip_prefix("ws-").is_some_and(|rest| {
        rest.len() == 9
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

#[tokio::test]
async fn create_is_invisible_then_pending_then_available() {
    let (_sim, client) = start(SimConfig {
        settle: Duration::from_millis(400),
        visibility: Duration::from_millis(200),
        ..quick()
    })
    .await;
    let out = client
        .create_workspaces()
        .workspaces(request("alice", VALUE_BUNDLE))
        .send()
        .await
        .expect("create");
    let pending = &out.pending_requests()[0];
    let id = pending.workspace_id().expect("id").to_owned();
    assert!(is_ws_id(&id), "{id}");
    assert_eq!(pending.state(), Some(&WorkspaceState::Pending));
    assert!(describe(&client, &id).await.is_none(), "visible too early");
    let seen = eventually("visible", || async { describe(&client, &id).await }).await;
    assert_eq!(seen.state(), Some(&WorkspaceState::Pending));
    assert_eq!(seen.user_name(), Some("alice"));
    let props = seen.workspace_properties().expect("properties");
    assert_eq!(props.compute_type_name(), Some(&Compute::Value));
    assert_eq!(
        (props.root_volume_size_gib(), props.user_volume_size_gib()),
        (Some(80), Some(10))
    );
    wait_state(&client, &id, WorkspaceState::Available).await;
}

#[tokio::test]
async fn one_workspace_per_user_and_unknown_references_fail_per_item() {
    let (_sim, client) = sim().await;
    create(&client, &["alice"], VALUE_BUNDLE).await;
    let unknown_dir = WorkspaceRequest::builder()
        .directory_id("d-0000000000")
        .user_name("bob")
        .bundle_id(VALUE_BUNDLE)
        .build()
        .expect("request");
    let out = client
        .create_workspaces()
        .workspaces(request("ALICE", VALUE_BUNDLE))
        .workspaces(request("carol", VALUE_BUNDLE))
        .workspaces(request("carol", STANDARD_BUNDLE))
        .workspaces(unknown_dir)
        .workspaces(request("dave", "wsb-000000000"))
        .send()
        .await
        .expect("create");
    assert_eq!(out.pending_requests().len(), 1);
    let codes: Vec<&str> = out
        .failed_requests()
        .iter()
        .map(|f| f.error_code().unwrap_or_default())
        .collect();
    assert_eq!(
        codes,
        [
            "ResourceExists.WorkSpace",
            "ResourceExists.WorkSpace",
            "ResourceNotFound.Directory",
            "ResourceNotFound.Bundle"
        ]
    );
    let echoed = out.failed_requests()[0].workspace_request().expect("echo");
    assert_eq!(echoed.user_name(), "ALICE");
}

#[tokio::test]
async fn create_enforces_batch_size_and_model_constraints() {
    let (sim, client) = sim().await;
    let mut batch = client.create_workspaces();
    for i in 0..26 {
        batch = batch.workspaces(request(&format!("u{i}"), VALUE_BUNDLE));
    }
    let err = batch
        .send()
        .await
        .expect_err("26 items")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    let err = client
        .create_workspaces()
        .send()
        .await
        .expect_err("no items");
    assert!(
        err.into_service_error()
            .is_invalid_parameter_values_exception()
    );
    let err = client
        .create_workspaces()
        .workspaces(request("x", "bundle-1"))
        .send()
        .await
        .expect_err("bad bundle id");
    assert!(
        err.into_service_error()
            .is_invalid_parameter_values_exception()
    );
    let too_long = "u".repeat(64);
    let err = client
        .create_workspaces()
        .workspaces(request(&too_long, VALUE_BUNDLE))
        .send()
        .await
        .expect_err("user name too long");
    assert!(
        err.into_service_error()
            .is_invalid_parameter_values_exception()
    );
    let missing = call(
        &sim,
        "CreateWorkspaces",
        &format!(r#"{{"Workspaces":[{{"DirectoryId":"{SEED_DIRECTORY_ID}","BundleId":"{VALUE_BUNDLE}"}}]}}"#),
    )
    .await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json()["__type"], "InvalidParameterValuesException");
    assert!(
        missing.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("UserName")
    );
    let mut many_tags = request("tagged", VALUE_BUNDLE);
    many_tags.tags = Some((0..51).map(|i| tag(&format!("k{i}"), "v")).collect());
    let err = client
        .create_workspaces()
        .workspaces(many_tags)
        .send()
        .await
        .expect_err("51 tags");
    assert!(
        err.into_service_error()
            .is_resource_limit_exceeded_exception()
    );
    let mut bad_sizes = request("sizes", VALUE_BUNDLE);
    bad_sizes.workspace_properties = Some(
        WorkspaceProperties::builder()
            .root_volume_size_gib(80)
            .user_volume_size_gib(20)
            .build(),
    );
    let out = client
        .create_workspaces()
        .workspaces(bad_sizes)
        .send()
        .await
        .expect("per-item failure");
    assert_eq!(out.failed_requests().len(), 1);
}

#[tokio::test]
async fn describe_pages_filters_and_rejects_bad_input() {
    let (_sim, client) = sim().await;
    let users: Vec<String> = (0..60).map(|i| format!("user{i:02}")).collect();
    for (i, chunk) in users.chunks(20).enumerate() {
        let names: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let bundle = if i == 0 {
            STANDARD_BUNDLE
        } else {
            VALUE_BUNDLE
        };
        create(&client, &names, bundle).await;
    }
    let all = eventually("all 60 visible", || async {
        let pages: Vec<_> = client
            .describe_workspaces()
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .expect("pages");
        let items: Vec<_> = pages.iter().flat_map(|p| p.workspaces().to_vec()).collect();
        (items.len() == 60).then_some((pages.len(), items))
    })
    .await;
    assert_eq!(all.0, 3, "pages of 25, 25, 10");
    let small = client
        .describe_workspaces()
        .limit(7)
        .directory_id(SEED_DIRECTORY_ID)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("items");
    assert_eq!(small.len(), 60);
    let by_bundle = client
        .describe_workspaces()
        .bundle_id(STANDARD_BUNDLE)
        .send()
        .await
        .expect("by bundle");
    assert_eq!(by_bundle.workspaces().len(), 20);
    let by_user = client
        .describe_workspaces()
        .directory_id(SEED_DIRECTORY_ID)
        .user_name("USER07")
        .send()
        .await
        .expect("by user");
    assert_eq!(by_user.workspaces()[0].user_name(), Some("user07"));

    let bad = [
        client.describe_workspaces().user_name("user07"),
        client
            .describe_workspaces()
            .workspace_ids("ws-abcdefghi")
            .directory_id(SEED_DIRECTORY_ID),
        client
            .describe_workspaces()
            .bundle_id(VALUE_BUNDLE)
            .directory_id(SEED_DIRECTORY_ID),
        client.describe_workspaces().limit(26),
        client.describe_workspaces().limit(0),
        client.describe_workspaces().next_token("not-a-token"),
        client.describe_workspaces().workspace_ids("WS-1"),
    ];
    for call in bad {
        let err = call.send().await.expect_err("invalid").into_service_error();
        assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    }
    let mut ids = client.describe_workspaces();
    for i in 0..26 {
        ids = ids.workspace_ids(format!("ws-{i:09}"));
    }
    let err = ids.send().await.expect_err("26 ids").into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
}

#[tokio::test]
async fn terminate_goes_terminating_then_gone_and_frees_the_user() {
    let (sim, client) = sim().await;
    let ids = available(&client, &["alice"], VALUE_BUNDLE).await;
    let volume = user_volume(&sim, &ids[0]).await;
    terminate(&client, &ids[0]).await;
    let seen = describe(&client, &ids[0]).await.expect("still there");
    assert_eq!(seen.state(), Some(&WorkspaceState::Terminating));
    wait_gone(&client, &ids[0]).await;
    let again = available(&client, &["alice"], VALUE_BUNDLE).await;
    assert_ne!(again[0], ids[0]);
    assert_ne!(
        user_volume(&sim, &again[0]).await,
        volume,
        "a new user volume"
    );

    let out = client
        .terminate_workspaces()
        .terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id("ws-000000000")
                .build()
                .expect("request"),
        )
        .send()
        .await
        .expect("per-item failure");
    assert_eq!(
        out.failed_requests()[0].workspace_id(),
        Some("ws-000000000")
    );
    let mut call = client.terminate_workspaces();
    for i in 0..26 {
        call = call.terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id(format!("ws-{i:09}"))
                .build()
                .expect("request"),
        );
    }
    // TerminateWorkspaces models no error shapes: a constraint failure is an
    // unmodeled ValidationException.
    let err = call
        .send()
        .await
        .expect_err("26 items")
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
}

#[tokio::test]
async fn modify_properties_follows_the_admin_guide_rules() {
    let (_sim, client) = start(SimConfig {
        settle: Duration::from_millis(300),
        ..quick()
    })
    .await;
    let created = create(&client, &["pending"], VALUE_BUNDLE).await;
    let err = client
        .modify_workspace_properties()
        .workspace_id(&created[0])
        .workspace_properties(always_on())
        .send()
        .await
        .expect_err("PENDING")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");
    let id = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let modify = |props: WorkspaceProperties| {
        client
            .modify_workspace_properties()
            .workspace_id(&id)
            .workspace_properties(props)
            .send()
    };
    let invalid = [
        WorkspaceProperties::builder()
            .compute_type_name(Compute::Standard)
            .user_volume_size_gib(50)
            .build(),
        WorkspaceProperties::builder()
            .root_volume_size_gib(175)
            .user_volume_size_gib(100)
            .build(),
        WorkspaceProperties::builder()
            .root_volume_size_gib(60)
            .build(),
        WorkspaceProperties::builder()
            .user_volume_size_gib(20)
            .build(),
        WorkspaceProperties::builder()
            .root_volume_size_gib(175)
            .build(),
        WorkspaceProperties::builder()
            .compute_type_name(Compute::Graphics)
            .build(),
        WorkspaceProperties::builder()
            .running_mode_auto_stop_timeout_in_minutes(45)
            .build(),
    ];
    for props in invalid {
        let err = modify(props.clone())
            .await
            .expect_err("invalid")
            .into_service_error();
        assert!(
            err.is_invalid_parameter_values_exception(),
            "{props:?}: {err:?}"
        );
    }
    modify(always_on()).await.expect("running mode");
    modify(
        WorkspaceProperties::builder()
            .user_volume_size_gib(50)
            .build(),
    )
    .await
    .expect("grow user volume");
    let seen = describe(&client, &id).await.expect("described");
    assert_eq!(
        seen.workspace_properties()
            .and_then(|p| p.user_volume_size_gib()),
        Some(50)
    );
    assert_eq!(
        seen.workspace_properties().and_then(|p| p.running_mode()),
        Some(&RunningMode::AlwaysOn)
    );
    assert_eq!(
        seen.modification_states()[0].resource(),
        Some(&ModificationResourceEnum::UserVolume)
    );
    let err = modify(
        WorkspaceProperties::builder()
            .compute_type_name(Compute::Standard)
            .build(),
    )
    .await
    .expect_err("in progress")
    .into_service_error();
    assert!(err.is_operation_in_progress_exception(), "{err:?}");
    eventually("modification to settle", || async {
        describe(&client, &id)
            .await
            .filter(|w| w.modification_states().is_empty())
    })
    .await;
    modify(
        WorkspaceProperties::builder()
            .compute_type_name(Compute::Standard)
            .build(),
    )
    .await
    .expect("compute type");
    let err = client
        .modify_workspace_properties()
        .workspace_id("ws-000000000")
        .workspace_properties(always_on())
        .send()
        .await
        .expect_err("unknown")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn graphics_volumes_start_at_100() {
    let (_sim, client) = sim().await;
    let id = available(&client, &["gfx"], GRAPHICS_BUNDLE)
        .await
        .remove(0);
    let err = client
        .modify_workspace_properties()
        .workspace_id(&id)
        .workspace_properties(
            WorkspaceProperties::builder()
                .root_volume_size_gib(90)
                .build(),
        )
        .send()
        .await
        .expect_err("shrink")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
    client
        .modify_workspace_properties()
        .workspace_id(&id)
        .workspace_properties(
            WorkspaceProperties::builder()
                .root_volume_size_gib(150)
                .build(),
        )
        .send()
        .await
        .expect("graphics root 150");
}

#[tokio::test]
async fn migrate_keeps_user_volume_tags_and_running_mode() {
    let (sim, client) = sim().await;
    let mut req = request("alice", VALUE_BUNDLE);
    req.tags = Some(vec![tag("team", "blue")]);
    req.workspace_properties = Some(always_on());
    let out = client
        .create_workspaces()
        .workspaces(req)
        .send()
        .await
        .expect("create");
    let source = out.pending_requests()[0]
        .workspace_id()
        .expect("id")
        .to_owned();
    let err = client
        .migrate_workspace()
        .source_workspace_id(&source)
        .bundle_id(PERFORMANCE_BUNDLE)
        .send()
        .await
        .expect_err("PENDING source")
        .into_service_error();
    assert!(err.is_resource_unavailable_exception(), "{err:?}");
    wait_state(&client, &source, WorkspaceState::Available).await;
    let volume = user_volume(&sim, &source).await;
    let err = client
        .migrate_workspace()
        .source_workspace_id(&source)
        .bundle_id("wsb-000000000")
        .send()
        .await
        .expect_err("unknown bundle")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
    let out = client
        .migrate_workspace()
        .source_workspace_id(&source)
        .bundle_id(PERFORMANCE_BUNDLE)
        .send()
        .await
        .expect("migrate");
    assert_eq!(out.source_workspace_id(), Some(source.as_str()));
    let target = out.target_workspace_id().expect("target").to_owned();
    assert_ne!(target, source);
    assert!(describe(&client, &source).await.is_none(), "source gone");
    let migrated = wait_state(&client, &target, WorkspaceState::Available).await;
    assert_eq!(migrated.bundle_id(), Some(PERFORMANCE_BUNDLE));
    let props = migrated.workspace_properties().expect("properties");
    assert_eq!(props.running_mode(), Some(&RunningMode::AlwaysOn));
    assert_eq!(props.compute_type_name(), Some(&Compute::Performance));
    assert_eq!(props.user_volume_size_gib(), Some(100));
    assert_eq!(user_volume(&sim, &target).await, volume);
    let tags = client
        .describe_tags()
        .resource_id(&target)
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tag_list()[0].key(), "team");
}

#[tokio::test]
async fn reboot_rebuild_restore_respect_states() {
    let (_sim, client) = start(SimConfig {
        settle: Duration::from_millis(300),
        ..quick()
    })
    .await;
    let pending = create(&client, &["late"], VALUE_BUNDLE).await.remove(0);
    let reboot = |id: &str| {
        client
            .reboot_workspaces()
            .reboot_workspace_requests(
                RebootRequest::builder()
                    .workspace_id(id)
                    .build()
                    .expect("r"),
            )
            .send()
    };
    let out = reboot(&pending).await.expect("reboot");
    assert_eq!(
        out.failed_requests()[0].error_code(),
        Some("InvalidResourceState")
    );
    let err = client
        .restore_workspace()
        .workspace_id(&pending)
        .send()
        .await
        .expect_err("restore PENDING")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    let id = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);

    let out = reboot(&id).await.expect("reboot");
    assert!(out.failed_requests().is_empty());
    assert_eq!(
        describe(&client, &id)
            .await
            .and_then(|w| w.state().cloned()),
        Some(WorkspaceState::Rebooting)
    );
    wait_state(&client, &id, WorkspaceState::Available).await;

    let rebuild = client
        .rebuild_workspaces()
        .rebuild_workspace_requests(
            RebuildRequest::builder()
                .workspace_id(&id)
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect("rebuild");
    assert!(rebuild.failed_requests().is_empty());
    assert_eq!(
        describe(&client, &id)
            .await
            .and_then(|w| w.state().cloned()),
        Some(WorkspaceState::Rebuilding)
    );
    wait_state(&client, &id, WorkspaceState::Available).await;

    client
        .restore_workspace()
        .workspace_id(&id)
        .send()
        .await
        .expect("restore");
    assert_eq!(
        describe(&client, &id)
            .await
            .and_then(|w| w.state().cloned()),
        Some(WorkspaceState::Restoring)
    );
    wait_state(&client, &id, WorkspaceState::Available).await;

    let err = client
        .rebuild_workspaces()
        .rebuild_workspace_requests(
            RebuildRequest::builder()
                .workspace_id(&id)
                .build()
                .expect("r"),
        )
        .rebuild_workspace_requests(
            RebuildRequest::builder()
                .workspace_id(&pending)
                .build()
                .expect("r"),
        )
        .send()
        .await
        .expect_err("two rebuilds")
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
    let err = client
        .restore_workspace()
        .workspace_id("ws-000000000")
        .send()
        .await
        .expect_err("unknown")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn snapshots_exist_once_available() {
    let (_sim, client) = sim().await;
    let id = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let out = client
        .describe_workspace_snapshots()
        .workspace_id(&id)
        .send()
        .await
        .expect("snapshots");
    assert_eq!(out.rebuild_snapshots().len(), 1);
    assert!(out.restore_snapshots()[0].snapshot_time().is_some());
    let err = client
        .describe_workspace_snapshots()
        .workspace_id("ws-000000000")
        .send()
        .await
        .expect_err("unknown")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn properties_set_at_create_are_described() {
    let (_sim, client) = sim().await;
    let mut windows = request("alice", VALUE_BUNDLE);
    windows.workspace_name = Some("alice-desk".to_owned());
    windows.root_volume_encryption_enabled = Some(true);
    windows.user_volume_encryption_enabled = Some(true);
    windows.volume_encryption_key = Some(
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".to_owned(),
    );
    windows.ipv6_address = Some("2001:db8::10".to_owned());
    windows.workspace_properties = Some(
        WorkspaceProperties::builder()
            .global_accelerator(
                GlobalAcceleratorForWorkSpace::builder()
                    .mode(AgaModeForWorkSpaceEnum::EnabledAuto)
                    .build()
                    .expect("accelerator"),
            )
            .nested_virtualization_enabled(true)
            .build(),
    );
    let mut unkeyed = request("bob", VALUE_BUNDLE);
    unkeyed.user_volume_encryption_enabled = Some(true);
    let out = client
        .create_workspaces()
        .workspaces(windows)
        .workspaces(unkeyed)
        .workspaces(request("carol", "wsb-al2value0"))
        .send()
        .await
        .expect("create");
    assert_eq!(out.failed_requests().len(), 1);
    assert_eq!(
        out.failed_requests()[0].error_code(),
        Some("InvalidParameterValuesException")
    );
    let ids: Vec<String> = out
        .pending_requests()
        .iter()
        .filter_map(|w| w.workspace_id())
        .map(str::to_owned)
        .collect();
    let alice = wait_state(&client, &ids[0], WorkspaceState::Available).await;
    assert_eq!(alice.workspace_name(), Some("alice-desk"));
    assert_eq!(alice.root_volume_encryption_enabled(), Some(true));
    assert_eq!(alice.user_volume_encryption_enabled(), Some(true));
    assert!(
        alice
            .volume_encryption_key()
            .is_some_and(|k| k.starts_with("arn:aws:kms:"))
    );
    assert_eq!(alice.ipv6_address(), Some("2001:db8::10"));
    let p = alice.workspace_properties().expect("properties");
    assert_eq!(p.protocols(), [Protocol::Pcoip]);
    assert_eq!(
        p.operating_system_name(),
        Some(&OperatingSystemName::WindowsServer2022)
    );
    assert_eq!(p.nested_virtualization_enabled(), Some(true));
    assert_eq!(
        p.global_accelerator().map(|g| g.mode()),
        Some(&AgaModeForWorkSpaceEnum::EnabledAuto)
    );
    let carol = wait_state(&client, &ids[1], WorkspaceState::Available).await;
    let p = carol.workspace_properties().expect("properties");
    assert_eq!(p.protocols(), [Protocol::Wsp]);
    assert_eq!(
        p.operating_system_name(),
        Some(&OperatingSystemName::AmazonLinux2)
    );
    let named = client
        .describe_workspaces()
        .workspace_name("alice-desk")
        .send()
        .await
        .expect("by name");
    assert_eq!(named.workspaces().len(), 1);
}

#[tokio::test]
async fn protocol_and_operating_system_changes_follow_the_model() {
    let (_sim, client) = sim().await;
    let ids = available(&client, &["alice"], VALUE_BUNDLE).await;
    let gpu = available(&client, &["bob"], GRAPHICS_BUNDLE).await;
    let modify = |id: &str, props: WorkspaceProperties| {
        client
            .modify_workspace_properties()
            .workspace_id(id)
            .workspace_properties(props)
            .send()
    };
    let os = |name: OperatingSystemName| {
        WorkspaceProperties::builder()
            .operating_system_name(name)
            .build()
    };
    let protocol = |p: Protocol| WorkspaceProperties::builder().protocols(p).build();
    modify(&ids[0], os(OperatingSystemName::Windows11))
        .await
        .expect("within the Windows family");
    let err = modify(&ids[0], os(OperatingSystemName::AmazonLinux2))
        .await
        .expect_err("another family")
        .into_service_error();
    assert!(
        err.is_unsupported_workspace_configuration_exception(),
        "{err:?}"
    );
    let err = modify(&gpu[0], protocol(Protocol::Wsp))
        .await
        .expect_err("GPU bundle")
        .into_service_error();
    assert!(
        err.is_unsupported_workspace_configuration_exception(),
        "{err:?}"
    );
    modify(&ids[0], protocol(Protocol::Wsp))
        .await
        .expect("PCOIP to WSP");
    let seen = describe(&client, &ids[0]).await.expect("described");
    assert_eq!(
        seen.modification_states()[0].resource(),
        Some(&ModificationResourceEnum::Protocol)
    );
    let p = seen.workspace_properties().expect("properties");
    assert_eq!(p.protocols(), [Protocol::Wsp]);
    assert_eq!(
        p.operating_system_name(),
        Some(&OperatingSystemName::Windows11)
    );
    eventually("modification to settle", || async {
        describe(&client, &ids[0])
            .await
            .filter(|w| w.modification_states().is_empty())
    })
    .await;
    let err = modify(&ids[0], protocol(Protocol::Pcoip))
        .await
        .expect_err("WSP back to PCOIP")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
}

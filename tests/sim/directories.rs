//! Directories: the Directory Service catalog, registration and
//! deregistration, the registration's settings and IP groups.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    AccessPropertyValue, ClientProperties, ReconnectEnum, SelfservicePermissions, Tenancy,
    WorkspaceAccessProperties, WorkspaceCreationProperties, WorkspaceDirectory,
    WorkspaceDirectoryState, WorkspaceRequest,
};
use wsctl::sim::{SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

const ENG: &str = "d-2345678901";
const LAB: &str = "d-3456789012";
const ENG_SUBNETS: [&str; 2] = ["subnet-0e1b2c3d4e5f60718", "subnet-0e2b2c3d4e5f60719"];
const LAB_SUBNETS: [&str; 2] = ["subnet-0c1b2c3d4e5f60718", "subnet-0c2b2c3d4e5f60719"];

async fn directory(client: &Client, id: &str) -> Option<WorkspaceDirectory> {
    let out = client
        .describe_workspace_directories()
        .directory_ids(id)
        .send()
        .await
        .expect("DescribeWorkspaceDirectories");
    out.directories().first().cloned()
}

async fn wait_directory(client: &Client, id: &str, state: WorkspaceDirectoryState) {
    eventually(&format!("{id} to be {state}"), || {
        let state = state.clone();
        async move {
            let d = directory(client, id).await?;
            (d.state() == Some(&state)).then_some(())
        }
    })
    .await;
}

async fn wait_deregistered(client: &Client, id: &str) {
    eventually(&format!("{id} to be deregistered"), || async {
        directory(client, id).await.is_none().then_some(())
    })
    .await;
}

async fn register(client: &Client, id: &str, subnets: &[&str]) {
    let mut call = client.register_workspace_directory().directory_id(id);
    for s in subnets {
        call = call.subnet_ids(*s);
    }
    let out = call.send().await.expect("RegisterWorkspaceDirectory");
    assert_eq!(out.state(), Some(&WorkspaceDirectoryState::Registering));
}

fn code(err: &impl aws_sdk_workspaces::error::ProvideErrorMetadata) -> String {
    err.code().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn only_registered_directories_are_described_with_their_default_settings() {
    let (_sim, client) = sim().await;
    let out = client
        .describe_workspace_directories()
        .send()
        .await
        .expect("describe");
    let ids: Vec<_> = out
        .directories()
        .iter()
        .filter_map(|d| d.directory_id())
        .collect();
    assert_eq!(ids, [SEED_DIRECTORY_ID]);
    assert!(directory(&client, ENG).await.is_none());
    let d = &out.directories()[0];
    assert_eq!(d.state(), Some(&WorkspaceDirectoryState::Registered));
    assert_eq!(d.tenancy(), Some(&Tenancy::Shared));
    assert!(d.ip_group_ids().is_empty());
    let s = d.selfservice_permissions().expect("self-service");
    assert_eq!(s.restart_workspace(), Some(&ReconnectEnum::Enabled));
    assert_eq!(s.rebuild_workspace(), Some(&ReconnectEnum::Disabled));
    let a = d.workspace_access_properties().expect("access");
    assert_eq!(a.device_type_windows(), Some(&AccessPropertyValue::Allow));
    assert_eq!(a.device_type_web(), Some(&AccessPropertyValue::Deny));
    let c = d.workspace_creation_properties().expect("creation");
    assert_eq!(c.enable_internet_access(), Some(false));
    assert_eq!(c.enable_maintenance_mode(), Some(true));
}

#[tokio::test]
async fn registration_is_asynchronous_and_tags_come_at_once() {
    let config = SimConfig {
        settle: Duration::from_millis(400),
        ..quick()
    };
    let (sim, client) = start(config).await;
    client
        .register_workspace_directory()
        .directory_id(ENG)
        .subnet_ids(ENG_SUBNETS[0])
        .subnet_ids(ENG_SUBNETS[1])
        .enable_self_service(true)
        .tenancy(Tenancy::Shared)
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("register");
    let d = directory(&client, ENG)
        .await
        .expect("listed while registering");
    assert_eq!(d.state(), Some(&WorkspaceDirectoryState::Registering));
    assert_eq!(d.subnet_ids(), ENG_SUBNETS);
    assert_eq!(d.directory_name(), Some("eng.example.com"));
    assert_eq!(d.alias(), Some("eng-example"));
    let tags = client.describe_tags().resource_id(ENG).send().await;
    assert_eq!(tags.expect("tags").tag_list().len(), 1);

    let out = client
        .create_workspaces()
        .workspaces(
            WorkspaceRequest::builder()
                .directory_id(ENG)
                .user_name("alice")
                .bundle_id(VALUE_BUNDLE)
                .build()
                .expect("request"),
        )
        .send()
        .await
        .expect("create");
    assert_eq!(out.failed_requests().len(), 1, "not registered yet");

    wait_directory(&client, ENG, WorkspaceDirectoryState::Registered).await;
    let d = directory(&client, ENG).await.expect("registered");
    let s = d.selfservice_permissions().expect("self-service");
    assert_eq!(s.rebuild_workspace(), Some(&ReconnectEnum::Enabled));
    assert!(d.registration_code().is_some_and(|c| !c.is_empty()));
    assert_eq!(
        arns_of_type(&sim, "workspaces:directory").await,
        [workspaces_arn(&format!("directory/{ENG}"))]
    );
    let out = client
        .create_workspaces()
        .workspaces(
            WorkspaceRequest::builder()
                .directory_id(ENG)
                .user_name("alice")
                .bundle_id(VALUE_BUNDLE)
                .build()
                .expect("request"),
        )
        .send()
        .await
        .expect("create");
    assert!(out.failed_requests().is_empty(), "{out:?}");
}

#[tokio::test]
async fn registration_refuses_unknown_directories_and_bad_networks() {
    let (_sim, client) = sim().await;
    let cases: [(&str, &[&str], &str); 6] = [
        ("d-9999999999", &ENG_SUBNETS, "ResourceNotFoundException"),
        (
            SEED_DIRECTORY_ID,
            &["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"],
            "ResourceAlreadyExistsException",
        ),
        (ENG, &LAB_SUBNETS, "InvalidParameterValuesException"),
        (ENG, &ENG_SUBNETS[..1], "OperationNotSupportedException"),
        (
            ENG,
            &[ENG_SUBNETS[0], "subnet-0a1b2c3d4e5f60718"],
            "OperationNotSupportedException",
        ),
        (
            ENG,
            &[ENG_SUBNETS[0], "subnet-0123456789abcdef0"],
            "InvalidParameterValuesException",
        ),
    ];
    for (id, subnets, expected) in cases {
        let mut call = client.register_workspace_directory().directory_id(id);
        for s in subnets {
            call = call.subnet_ids(*s);
        }
        let err = call.send().await.expect_err(id).into_service_error();
        assert_eq!(code(&err), expected, "{id} {subnets:?}: {err:?}");
    }
    let err = client
        .register_workspace_directory()
        .directory_id(ENG)
        .tenancy(Tenancy::Dedicated)
        .send()
        .await
        .expect_err("dedicated without BYOL")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    assert!(directory(&client, ENG).await.is_none());

    // Without SubnetIds the directory's own subnets are used.
    register(&client, LAB, &[]).await;
    wait_directory(&client, LAB, WorkspaceDirectoryState::Registered).await;
    let d = directory(&client, LAB).await.expect("registered");
    assert_eq!(d.subnet_ids(), LAB_SUBNETS);
}

#[tokio::test]
async fn settings_change_only_on_registered_directories() {
    let (_sim, client) = sim().await;
    client
        .modify_workspace_creation_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .workspace_creation_properties(
            WorkspaceCreationProperties::builder()
                .enable_internet_access(true)
                .default_ou("OU=WorkSpaces,DC=corp,DC=example,DC=com")
                .custom_security_group_id("sg-0a1b2c3d4e5f60718")
                .user_enabled_as_local_administrator(false)
                .build(),
        )
        .send()
        .await
        .expect("creation properties");
    client
        .modify_selfservice_permissions()
        .resource_id(SEED_DIRECTORY_ID)
        .selfservice_permissions(
            SelfservicePermissions::builder()
                .increase_volume_size(ReconnectEnum::Enabled)
                .restart_workspace(ReconnectEnum::Disabled)
                .build(),
        )
        .send()
        .await
        .expect("self-service");
    client
        .modify_workspace_access_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .workspace_access_properties(
            WorkspaceAccessProperties::builder()
                .device_type_web(AccessPropertyValue::Allow)
                .device_type_android(AccessPropertyValue::Deny)
                .build(),
        )
        .send()
        .await
        .expect("access");
    client
        .modify_client_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .client_properties(
            ClientProperties::builder()
                .reconnect_enabled(ReconnectEnum::Disabled)
                .build(),
        )
        .send()
        .await
        .expect("client");

    let d = directory(&client, SEED_DIRECTORY_ID).await.expect("seed");
    let c = d.workspace_creation_properties().expect("creation");
    assert_eq!(c.enable_internet_access(), Some(true));
    assert_eq!(
        c.default_ou(),
        Some("OU=WorkSpaces,DC=corp,DC=example,DC=com")
    );
    assert_eq!(c.custom_security_group_id(), Some("sg-0a1b2c3d4e5f60718"));
    assert_eq!(c.user_enabled_as_local_administrator(), Some(false));
    assert_eq!(c.enable_maintenance_mode(), Some(true), "not sent, kept");
    let s = d.selfservice_permissions().expect("self-service");
    assert_eq!(s.increase_volume_size(), Some(&ReconnectEnum::Enabled));
    assert_eq!(s.restart_workspace(), Some(&ReconnectEnum::Disabled));
    assert_eq!(s.change_compute_type(), Some(&ReconnectEnum::Disabled));
    let a = d.workspace_access_properties().expect("access");
    assert_eq!(a.device_type_web(), Some(&AccessPropertyValue::Allow));
    assert_eq!(a.device_type_android(), Some(&AccessPropertyValue::Deny));
    assert_eq!(a.device_type_windows(), Some(&AccessPropertyValue::Allow));
    let out = client
        .describe_client_properties()
        .resource_ids(SEED_DIRECTORY_ID)
        .send()
        .await
        .expect("client properties");
    let props = out.client_properties_list()[0]
        .client_properties()
        .expect("properties");
    assert_eq!(props.reconnect_enabled(), Some(&ReconnectEnum::Disabled));
    assert_eq!(
        props.log_upload_enabled().map(|l| l.as_str()),
        Some("ENABLED")
    );

    let err = client
        .modify_workspace_creation_properties()
        .resource_id(SEED_DIRECTORY_ID)
        .workspace_creation_properties(
            WorkspaceCreationProperties::builder()
                .custom_security_group_id("sg-xyz")
                .build(),
        )
        .send()
        .await
        .expect_err("bad security group")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    let err = client
        .modify_selfservice_permissions()
        .resource_id(ENG)
        .selfservice_permissions(
            SelfservicePermissions::builder()
                .rebuild_workspace(ReconnectEnum::Enabled)
                .build(),
        )
        .send()
        .await
        .expect_err("not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .modify_workspace_access_properties()
        .resource_id(LAB)
        .workspace_access_properties(
            WorkspaceAccessProperties::builder()
                .device_type_web(AccessPropertyValue::Allow)
                .build(),
        )
        .send()
        .await
        .expect_err("not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .describe_client_properties()
        .resource_ids(ENG)
        .send()
        .await
        .expect_err("not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
}

async fn ip_group(client: &Client, name: &str) -> String {
    client
        .create_ip_group()
        .group_name(name)
        .send()
        .await
        .expect("CreateIpGroup")
        .group_id()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn ip_groups_are_associated_with_registered_directories() {
    let config = SimConfig {
        settle: Duration::from_millis(400),
        ..quick()
    };
    let (_sim, client) = start(config).await;
    let office = ip_group(&client, "office").await;
    client
        .associate_ip_groups()
        .directory_id(SEED_DIRECTORY_ID)
        .group_ids(&office)
        .send()
        .await
        .expect("associate");
    let d = directory(&client, SEED_DIRECTORY_ID).await.expect("seed");
    assert_eq!(d.ip_group_ids(), std::slice::from_ref(&office));
    let err = client
        .delete_ip_group()
        .group_id(&office)
        .send()
        .await
        .expect_err("associated")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    let err = client
        .associate_ip_groups()
        .directory_id(SEED_DIRECTORY_ID)
        .group_ids("wsipg-000000000")
        .send()
        .await
        .expect_err("unknown group")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .associate_ip_groups()
        .directory_id(LAB)
        .group_ids(&office)
        .send()
        .await
        .expect_err("not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    register(&client, ENG, &ENG_SUBNETS).await;
    let err = client
        .associate_ip_groups()
        .directory_id(ENG)
        .group_ids(&office)
        .send()
        .await
        .expect_err("still registering")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");

    let mut many = Vec::new();
    for i in 0..25 {
        many.push(ip_group(&client, &format!("g{i}")).await);
    }
    let err = client
        .associate_ip_groups()
        .directory_id(SEED_DIRECTORY_ID)
        .set_group_ids(Some(many))
        .send()
        .await
        .expect_err("26 groups")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");

    client
        .disassociate_ip_groups()
        .directory_id(SEED_DIRECTORY_ID)
        .group_ids(&office)
        .send()
        .await
        .expect("disassociate");
    let d = directory(&client, SEED_DIRECTORY_ID).await.expect("seed");
    assert!(d.ip_group_ids().is_empty());
    client
        .delete_ip_group()
        .group_id(&office)
        .send()
        .await
        .expect("delete once disassociated");
}

#[tokio::test]
async fn deregistration_waits_for_workspaces_and_takes_the_settings_along() {
    let (_sim, client) = sim().await;
    register(&client, ENG, &ENG_SUBNETS).await;
    wait_directory(&client, ENG, WorkspaceDirectoryState::Registered).await;
    let group = ip_group(&client, "office").await;
    client
        .associate_ip_groups()
        .directory_id(ENG)
        .group_ids(&group)
        .send()
        .await
        .expect("associate");
    client
        .create_tags()
        .resource_id(ENG)
        .tags(tag("wsctl:stack", "eng"))
        .send()
        .await
        .expect("tag");
    let out = client
        .create_workspaces()
        .workspaces(
            WorkspaceRequest::builder()
                .directory_id(ENG)
                .user_name("alice")
                .bundle_id(VALUE_BUNDLE)
                .build()
                .expect("request"),
        )
        .send()
        .await
        .expect("create");
    let ws = out.pending_requests()[0]
        .workspace_id()
        .expect("id")
        .to_owned();
    let err = client
        .deregister_workspace_directory()
        .directory_id(ENG)
        .send()
        .await
        .expect_err("has a WorkSpace")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    wait_state(
        &client,
        &ws,
        aws_sdk_workspaces::types::WorkspaceState::Available,
    )
    .await;
    terminate(&client, &ws).await;
    let err = client
        .deregister_workspace_directory()
        .directory_id(ENG)
        .send()
        .await
        .expect_err("WorkSpace still terminating")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    wait_gone(&client, &ws).await;

    client
        .deregister_workspace_directory()
        .directory_id(ENG)
        .send()
        .await
        .expect("deregister");
    wait_deregistered(&client, ENG).await;
    let err = client
        .describe_tags()
        .resource_id(ENG)
        .send()
        .await
        .expect_err("tags went with it")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = client
        .deregister_workspace_directory()
        .directory_id(ENG)
        .send()
        .await
        .expect_err("not registered")
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    client
        .delete_ip_group()
        .group_id(&group)
        .send()
        .await
        .expect("no longer associated");

    register(&client, ENG, &ENG_SUBNETS).await;
    wait_directory(&client, ENG, WorkspaceDirectoryState::Registered).await;
    let d = directory(&client, ENG).await.expect("registered again");
    assert!(d.ip_group_ids().is_empty());
}

#[tokio::test]
async fn registrations_and_settings_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        settle: Duration::from_millis(300),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    register(&client, ENG, &ENG_SUBNETS).await;
    client
        .modify_selfservice_permissions()
        .resource_id(SEED_DIRECTORY_ID)
        .selfservice_permissions(
            SelfservicePermissions::builder()
                .switch_running_mode(ReconnectEnum::Enabled)
                .build(),
        )
        .send()
        .await
        .expect("self-service");
    sim.shutdown().await;

    let (_sim, client) = start(config).await;
    wait_directory(&client, ENG, WorkspaceDirectoryState::Registered).await;
    let d = directory(&client, SEED_DIRECTORY_ID).await.expect("seed");
    let s = d.selfservice_permissions().expect("self-service");
    assert_eq!(s.switch_running_mode(), Some(&ReconnectEnum::Enabled));
}

#[tokio::test]
async fn dedicated_registrations_need_byol_and_listings_page() {
    let (_sim, client) = sim().await;
    client
        .modify_account()
        .dedicated_tenancy_support(aws_sdk_workspaces::types::DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
        .send()
        .await
        .expect("modify account");
    eventually("BYOL enabled", || async {
        let account = client.describe_account().send().await.expect("account");
        account
            .dedicated_tenancy_management_cidr_range()
            .map(|_| ())
    })
    .await;
    client
        .register_workspace_directory()
        .directory_id(ENG)
        .subnet_ids(ENG_SUBNETS[0])
        .subnet_ids(ENG_SUBNETS[1])
        .tenancy(Tenancy::Dedicated)
        .send()
        .await
        .expect("dedicated with BYOL");
    register(&client, LAB, &LAB_SUBNETS).await;
    wait_directory(&client, ENG, WorkspaceDirectoryState::Registered).await;
    let d = directory(&client, ENG).await.expect("registered");
    assert_eq!(d.tenancy(), Some(&Tenancy::Dedicated));

    let pages: Vec<_> = client
        .describe_workspace_directories()
        .limit(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 2);
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.directories())
        .filter_map(|d| d.directory_id())
        .collect();
    assert_eq!(ids, [SEED_DIRECTORY_ID, ENG, LAB]);
}

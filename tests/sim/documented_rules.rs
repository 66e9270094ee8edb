//! Rules the API model's documentation states for the operations wsctl
//! calls, each refused with the error code the model names, through the
//! real SDK clients, and leaving the account as it was; and the rules the
//! simulator enforced without a test of their own.

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use aws_sdk_resourcegroupstagging::types::TagFilter;
use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::error::ProvideErrorMetadata;
use aws_sdk_workspaces::types::{
    ActiveDirectoryConfig, Application, Compute, ComputeType, ConnectionAliasPermission,
    ConnectionAliasState, DedicatedTenancySupportEnum, DescribeWorkspaceDirectoriesFilter,
    DescribeWorkspaceDirectoriesFilterName, MicrosoftEntraConfig, UserStorage,
    WorkspaceImageIngestionProcess, WorkspaceImageState, WorkspaceRequest, WorkspaceState,
};
use wsctl::sim::{Faults, SEED_DIRECTORY_ID, Sim, SimConfig};

use crate::common::*;

/// A directory of the seed that is not registered, and its subnets
/// (us-east-1a and us-east-1b of the corp VPC).
const ENG: &str = "d-2345678901";
const ENG_SUBNETS: [&str; 2] = ["subnet-0e1b2c3d4e5f60718", "subnet-0e2b2c3d4e5f60719"];
/// A directory of the seed still `Creating` in Directory Service.
const CREATING: &str = "d-4567890123";
/// Another subnet of the corp VPC in us-east-1a.
const CORP_SUBNET_1A: &str = "subnet-0a1b2c3d4e5f60718";
const PARTNER: &str = "111122223333";
const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:corp-svc-AbCdEf";

/// Runs `call`, which must fail with `code` and leave the account as
/// `GET /_sim/state` showed it before.
async fn refused<T, E>(sim: &Sim, code: &str, call: impl Future<Output = Result<T, E>>)
where
    T: Debug,
    E: ProvideErrorMetadata + Debug,
{
    let before = state(sim).await;
    let err = call.await.expect_err(code);
    assert_eq!(err.code(), Some(code), "{err:?}");
    assert_eq!(
        state(sim).await,
        before,
        "a refused call changed the account"
    );
}

async fn wait_image(client: &Client, id: &str) {
    eventually(&format!("{id} AVAILABLE"), || async {
        let out = client
            .describe_workspace_images()
            .image_ids(id)
            .send()
            .await
            .expect("DescribeWorkspaceImages");
        let state = out.images().first().and_then(|i| i.state().cloned());
        (state == Some(WorkspaceImageState::Available)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn deregistering_a_directory_with_workspaces_is_operation_not_supported() {
    let (sim, client) = sim().await;
    let ids = available(&client, &["alice"], VALUE_BUNDLE).await;
    refused(
        &sim,
        "OperationNotSupportedException",
        client
            .deregister_workspace_directory()
            .directory_id(SEED_DIRECTORY_ID)
            .send(),
    )
    .await;
    let ws = describe(&client, &ids[0]).await.expect("still there");
    assert_eq!(ws.state(), Some(&WorkspaceState::Available));
}

#[tokio::test]
async fn registering_subnets_outside_separate_availability_zones_is_operation_not_supported() {
    let (sim, client) = sim().await;
    let one_zone: [&[&str]; 2] = [&[ENG_SUBNETS[0], CORP_SUBNET_1A], &ENG_SUBNETS[..1]];
    for subnets in one_zone {
        refused(
            &sim,
            "OperationNotSupportedException",
            client
                .register_workspace_directory()
                .directory_id(ENG)
                .set_subnet_ids(Some(subnets.iter().map(|s| (*s).to_owned()).collect()))
                .send(),
        )
        .await;
    }
    client
        .register_workspace_directory()
        .directory_id(ENG)
        .set_subnet_ids(Some(ENG_SUBNETS.map(str::to_owned).to_vec()))
        .send()
        .await
        .expect("subnets in us-east-1a and us-east-1b");
}

#[tokio::test]
async fn a_directory_not_yet_active_is_not_registered() {
    let (sim, client) = sim().await;
    refused(
        &sim,
        "InvalidResourceStateException",
        client
            .register_workspace_directory()
            .directory_id(CREATING)
            .send(),
    )
    .await;
}

#[tokio::test]
async fn registrations_stop_at_the_quota_of_fifty_directories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sim.json");
    let config = SimConfig {
        state_file: Some(path.clone()),
        ..quick()
    };
    start(config.clone()).await.0.shutdown().await;
    // 49 more registered directories beside the seed's.
    let mut account: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let directories = account["directories"].as_object_mut().expect("directories");
    let registered = directories[SEED_DIRECTORY_ID].clone();
    for n in 0..49 {
        let id = format!("d-90000000{n:02}");
        let mut copy = registered.clone();
        copy["id"] = id.clone().into();
        directories.insert(id, copy);
    }
    std::fs::write(&path, account.to_string()).expect("write");
    let (sim, client) = start(config).await;
    let listed = client
        .describe_workspace_directories()
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(listed.len(), 50);
    refused(
        &sim,
        "ResourceLimitExceededException",
        client
            .register_workspace_directory()
            .directory_id(ENG)
            .send(),
    )
    .await;
    client
        .deregister_workspace_directory()
        .directory_id("d-9000000000")
        .send()
        .await
        .expect("deregister one");
    eventually("a registration to free up", || async {
        let out = client
            .register_workspace_directory()
            .directory_id(ENG)
            .send()
            .await;
        out.ok()
    })
    .await;
}

#[tokio::test]
async fn registration_members_follow_the_model_patterns() {
    let (sim, client) = sim().await;
    let entra = |tenant: &str, secret: &str| {
        MicrosoftEntraConfig::builder()
            .tenant_id(tenant)
            .application_config_secret_arn(secret)
            .build()
    };
    let ad = |domain: &str, secret: &str| {
        ActiveDirectoryConfig::builder()
            .domain_name(domain)
            .service_account_secret_arn(secret)
            .build()
            .expect("complete config")
    };
    let register = || client.register_workspace_directory().directory_id(ENG);
    let cases = [
        register().workspace_directory_name("-starts-with-a-dash"),
        register().workspace_directory_name("x"),
        register().workspace_directory_description("!starts with a bang"),
        register().workspace_directory_description(format!("d{}", "x".repeat(256))),
        register().idc_instance_arn("arn:aws:sso::123456789012"),
        register().idc_instance_arn("arn:aws:sso:::instance/ssoins 1"),
        register().microsoft_entra_config(entra("tenant_1", SECRET_ARN)),
        register().microsoft_entra_config(entra("tenant-1", "arn:aws:kms:us-east-1::key/x")),
        register().active_directory_config(ad("corp", SECRET_ARN)),
        register().active_directory_config(ad("corp.example.com", "secret")),
    ];
    for call in cases {
        refused(&sim, "InvalidParameterValuesException", call.send()).await;
    }
    register()
        .workspace_directory_name("Engineering desks")
        .workspace_directory_description("eng_desks: 2 subnets in 1a/1b")
        .send()
        .await
        .expect("a name and a description in the model's patterns");
}

#[tokio::test]
async fn directory_names_and_filter_values_are_checked_when_listing() {
    let (sim, client) = sim().await;
    let filter = |value: &str| {
        DescribeWorkspaceDirectoriesFilter::builder()
            .name(DescribeWorkspaceDirectoriesFilterName::UserIdentityType)
            .values(value)
            .build()
            .expect("complete filter")
    };
    let describe = || client.describe_workspace_directories();
    let cases = [
        describe().workspace_directory_names("_corp"),
        describe().filters(filter("AWS DIRECTORY SERVICE")),
        describe().filters(filter(&"A".repeat(65))),
    ];
    for call in cases {
        refused(&sim, "InvalidParameterValuesException", call.send()).await;
    }
    let out = describe()
        .filters(filter("AWS_DIRECTORY_SERVICE"))
        .send()
        .await
        .expect("a value in the pattern");
    assert_eq!(out.directories().len(), 1);
}

#[tokio::test]
async fn a_shared_connection_alias_is_deleted_only_once_unshared() {
    let (sim, client) = sim().await;
    let id = client
        .create_connection_alias()
        .connection_string("desktop.example.com")
        .send()
        .await
        .expect("CreateConnectionAlias")
        .alias_id()
        .expect("id")
        .to_owned();
    let state_of = |client: Client, id: String| async move {
        let out = client
            .describe_connection_aliases()
            .alias_ids(id)
            .send()
            .await
            .expect("DescribeConnectionAliases");
        out.connection_aliases()
            .first()
            .and_then(|a| a.state().cloned())
    };
    eventually("the alias CREATED", || async {
        (state_of(client.clone(), id.clone()).await == Some(ConnectionAliasState::Created))
            .then_some(())
    })
    .await;
    let share = |allow: bool| {
        client
            .update_connection_alias_permission()
            .alias_id(&id)
            .connection_alias_permission(
                ConnectionAliasPermission::builder()
                    .shared_account_id(PARTNER)
                    .allow_association(allow)
                    .build()
                    .expect("complete permission"),
            )
            .send()
    };
    share(true).await.expect("share");
    refused(
        &sim,
        "ResourceAssociatedException",
        client.delete_connection_alias().alias_id(&id).send(),
    )
    .await;
    share(false).await.expect("unshare");
    client
        .delete_connection_alias()
        .alias_id(&id)
        .send()
        .await
        .expect("no longer shared");
}

#[tokio::test]
async fn an_image_import_takes_one_application() {
    let (sim, client) = sim().await;
    refused(
        &sim,
        "InvalidParameterValuesException",
        client
            .import_workspace_image()
            .ec2_image_id("ami-0123456789abcdef0")
            .ingestion_process(WorkspaceImageIngestionProcess::ByolRegularWsp)
            .image_name("win11-office")
            .image_description("Windows 11 with Office")
            .applications(Application::MicrosoftOffice2016)
            .applications(Application::MicrosoftOffice2019)
            .send(),
    )
    .await;
}

#[tokio::test]
async fn only_windows_10_server_2016_and_server_2019_images_are_updated() {
    let (sim, client) = sim().await;
    // A copy of the AMAZON Windows 10 (Server 2022 based) image.
    let id = client
        .copy_workspace_image()
        .name("server-2022-copy")
        .source_image_id("wsi-w10srv22a")
        .source_region("us-east-1")
        .send()
        .await
        .expect("copy")
        .image_id
        .expect("id");
    wait_image(&client, &id).await;
    // AWS offers no update for an image it cannot update.
    let published = raw(
        &sim,
        "POST",
        &format!("/_sim/images/{id}/update"),
        None,
        "{}",
    )
    .await;
    assert_eq!(published.status, 400, "{}", published.body);
    let refusal = client
        .create_updated_workspace_image()
        .name("server-2022-updated")
        .description("with current agents")
        .source_image_id(&id)
        .send();
    refused(&sim, "OperationNotSupportedException", refusal).await;
    client
        .create_updated_workspace_image()
        .name("legacy-updated")
        .description("with current agents")
        .source_image_id("wsi-legacy001")
        .send()
        .await
        .expect("the Windows 10 image of the seed");
}

#[tokio::test]
async fn an_ipv6_address_follows_the_model_pattern() {
    let (sim, client) = sim().await;
    let with_ipv6 = |user: &str, ip: &str| {
        WorkspaceRequest::builder()
            .directory_id(SEED_DIRECTORY_ID)
            .user_name(user)
            .bundle_id(VALUE_BUNDLE)
            .ipv6_address(ip)
            .build()
            .expect("complete request")
    };
    for ip in [
        "2001:db8",
        "::1",
        "2001:db8::1::2",
        "1:2:3:4:5:6:7:8:9",
        "2001:db8::12345",
    ] {
        refused(
            &sim,
            "InvalidParameterValuesException",
            client
                .create_workspaces()
                .workspaces(with_ipv6("alice", ip))
                .send(),
        )
        .await;
    }
    for (user, ip) in [("bob", "2001:db8:0:0:0:0:0:10"), ("carol", "fe80::1")] {
        let out = client
            .create_workspaces()
            .workspaces(with_ipv6(user, ip))
            .send()
            .await
            .expect(ip);
        assert!(out.failed_requests().is_empty(), "{ip}: {out:?}");
    }
}

#[tokio::test]
async fn a_workspace_is_not_migrated_onto_its_own_bundle() {
    let (sim, client) = sim().await;
    let id = available(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    refused(
        &sim,
        "InvalidParameterValuesException",
        client
            .migrate_workspace()
            .source_workspace_id(&id)
            .bundle_id(VALUE_BUNDLE)
            .send(),
    )
    .await;
}

#[tokio::test]
async fn bundles_are_made_and_pointed_only_at_available_images() {
    // A settle delay no test outlasts: the copy stays PENDING.
    let (sim, client) = start(SimConfig {
        settle: Duration::from_secs(600),
        ..quick()
    })
    .await;
    let pending = client
        .copy_workspace_image()
        .name("pending-copy")
        .source_image_id("wsi-legacy001")
        .source_region("us-east-1")
        .send()
        .await
        .expect("copy")
        .image_id
        .expect("id");
    let create = client
        .create_workspace_bundle()
        .bundle_name("on-pending")
        .bundle_description("on a pending image")
        .image_id(&pending)
        .compute_type(ComputeType::builder().name(Compute::Value).build())
        .user_storage(UserStorage::builder().capacity("10").build().expect("user"))
        .send();
    refused(&sim, "ResourceUnavailableException", create).await;
    let update = client
        .update_workspace_bundle()
        .bundle_id(VALUE_BUNDLE)
        .image_id(&pending)
        .send();
    refused(&sim, "ResourceUnavailableException", update).await;
}

#[tokio::test]
async fn a_user_decoupled_workspace_needs_a_name() {
    let (sim, client) = sim().await;
    refused(
        &sim,
        "InvalidParameterValuesException",
        client
            .create_workspaces()
            .workspaces(request("[UNDEFINED]", VALUE_BUNDLE))
            .send(),
    )
    .await;
}

#[tokio::test]
async fn get_resources_refuses_arn_lists_with_filters_or_of_another_partition_and_a_lone_exclude_compliant()
 {
    let (sim, _client) = sim().await;
    let tagging = tagging(&sim);
    let arn = workspaces_arn(&format!("directory/{SEED_DIRECTORY_ID}"));
    let key = TagFilter::builder().key("wsctl:stack").build();
    let cases = [
        tagging
            .get_resources()
            .resource_arn_list(&arn)
            .tag_filters(key),
        tagging
            .get_resources()
            .resource_arn_list(&arn)
            .resource_type_filters("workspaces:directory"),
        tagging.get_resources().exclude_compliant_resources(true),
        tagging
            .get_resources()
            .include_compliance_details(false)
            .exclude_compliant_resources(false),
        tagging
            .get_resources()
            .resource_arn_list(arn.replace("arn:aws:", "arn:aws-cn:")),
        tagging
            .get_resources()
            .resource_arn_list("workspace/ws-abc123xyz"),
    ];
    for call in cases {
        refused(&sim, "InvalidParameterException", call.send()).await;
    }
    tagging
        .get_resources()
        .include_compliance_details(true)
        .exclude_compliant_resources(true)
        .send()
        .await
        .expect("ExcludeCompliantResources with IncludeComplianceDetails");
}

#[tokio::test]
async fn byol_calls_need_an_account_aws_has_enabled_for_byol() {
    let (refusing, client) = start(SimConfig {
        faults: Faults {
            byol_not_enabled: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    refused(
        &refusing,
        "AccessDeniedException",
        client
            .list_available_management_cidr_ranges()
            .management_cidr_range_constraint("10.0.0.0/8")
            .send(),
    )
    .await;
    refused(
        &refusing,
        "AccessDeniedException",
        client
            .modify_account()
            .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
            .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
            .send(),
    )
    .await;
    let (_enabled, client) = sim().await;
    let out = client
        .list_available_management_cidr_ranges()
        .management_cidr_range_constraint("10.0.0.0/8")
        .send()
        .await
        .expect("the seed's account is enabled for BYOL");
    assert!(!out.management_cidr_ranges().is_empty());
}

//! Images: import (BYOL), copy, create updated, describe, delete.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    Compute, ComputeType, DedicatedTenancySupportEnum, UserStorage, WorkspaceImageIngestionProcess,
    WorkspaceImageRequiredTenancy, WorkspaceImageState,
};

use wsctl::sim::SimConfig;

use crate::common::*;

async fn image_state(client: &Client, id: &str) -> Option<WorkspaceImageState> {
    let out = client
        .describe_workspace_images()
        .image_ids(id)
        .send()
        .await
        .expect("describe images");
    out.images().first().and_then(|i| i.state().cloned())
}

async fn wait_image(client: &Client, id: &str) {
    eventually("image AVAILABLE", || async {
        (image_state(client, id).await == Some(WorkspaceImageState::Available)).then_some(())
    })
    .await;
}

async fn enable_byol(client: &Client) {
    client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("10.200.0.0/16")
        .send()
        .await
        .expect("modify account");
    eventually("BYOL enabled", || async {
        let account = client
            .describe_account()
            .send()
            .await
            .expect("describe account");
        account
            .dedicated_tenancy_management_cidr_range()
            .map(|_| ())
    })
    .await;
}

#[tokio::test]
async fn import_needs_byol_then_settles_and_is_deletable() {
    // Long enough that the image is still PENDING for the checks below on
    // a busy machine.
    let (_sim, client) = start(SimConfig {
        settle: Duration::from_secs(2),
        ..quick()
    })
    .await;
    let import = || {
        client
            .import_workspace_image()
            .ec2_image_id("ami-0123456789abcdef0")
            .ingestion_process(WorkspaceImageIngestionProcess::ByolRegularWsp)
            .image_name("win11-base")
            .image_description("Windows 11 BYOL base")
            .tags(tag("wsctl:stack", "eng"))
    };
    let err = import()
        .send()
        .await
        .expect_err("BYOL off")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    enable_byol(&client).await;
    let id = import().send().await.expect("import").image_id.expect("id");
    assert!(id.starts_with("wsi-") && id.len() == 13, "{id}");
    assert_eq!(
        image_state(&client, &id).await,
        Some(WorkspaceImageState::Pending)
    );
    let err = client
        .delete_workspace_image()
        .image_id(&id)
        .send()
        .await
        .expect_err("pending")
        .into_service_error();
    assert!(err.is_invalid_resource_state_exception(), "{err:?}");
    let err = import()
        .send()
        .await
        .expect_err("same name")
        .into_service_error();
    assert!(err.is_resource_already_exists_exception());
    let err = client
        .import_workspace_image()
        .ec2_image_id("ami-xyz")
        .ingestion_process(WorkspaceImageIngestionProcess::ByolRegular)
        .image_name("other")
        .image_description("d")
        .send()
        .await
        .expect_err("bad AMI id")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
    wait_image(&client, &id).await;
    let described = client
        .describe_workspace_images()
        .image_ids(&id)
        .send()
        .await
        .expect("d");
    let image = &described.images()[0];
    assert_eq!(
        image.required_tenancy(),
        Some(&WorkspaceImageRequiredTenancy::Dedicated)
    );
    assert_eq!(image.owner_account_id(), Some("123456789012"));
    let tags = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tag_list().len(), 1);

    let bundle = client
        .create_workspace_bundle()
        .bundle_name("dev")
        .bundle_description("dev")
        .image_id(&id)
        .compute_type(ComputeType::builder().name(Compute::Value).build())
        .user_storage(UserStorage::builder().capacity("10").build().expect("user"))
        .send()
        .await
        .expect("bundle")
        .workspace_bundle
        .and_then(|b| b.bundle_id)
        .expect("bundle id");
    let err = client
        .delete_workspace_image()
        .image_id(&id)
        .send()
        .await
        .expect_err("used by a bundle")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    client
        .delete_workspace_bundle()
        .bundle_id(&bundle)
        .send()
        .await
        .expect("delete bundle");
    client
        .delete_workspace_image()
        .image_id(&id)
        .send()
        .await
        .expect("delete image");
    assert_eq!(image_state(&client, &id).await, None);
}

#[tokio::test]
async fn copy_and_create_updated_make_pending_images() {
    let (_sim, client) = sim().await;
    let copied = client
        .copy_workspace_image()
        .name("legacy-copy")
        .source_image_id("wsi-legacy001")
        .source_region("us-east-1")
        .tags(tag("k", "v"))
        .send()
        .await
        .expect("copy")
        .image_id
        .expect("id");
    assert_eq!(
        image_state(&client, &copied).await,
        Some(WorkspaceImageState::Pending)
    );
    let err = client
        .copy_workspace_image()
        .name("legacy-copy2")
        .source_image_id(&copied)
        .source_region("us-east-1")
        .send()
        .await
        .expect_err("source pending")
        .into_service_error();
    assert!(err.is_resource_unavailable_exception(), "{err:?}");
    // Another region's images are out of the simulator's sight: any
    // well-formed id copies.
    let foreign = client
        .copy_workspace_image()
        .name("from-oregon")
        .source_image_id("wsi-0abc123def")
        .source_region("us-west-2")
        .send()
        .await
        .expect("cross-region copy")
        .image_id
        .expect("id");
    assert_eq!(
        image_state(&client, &foreign).await,
        Some(WorkspaceImageState::Pending)
    );
    let err = client
        .copy_workspace_image()
        .name("x")
        .source_image_id("wsi-legacy001")
        .source_region("EU_WEST")
        .send()
        .await
        .expect_err("bad region")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
    wait_image(&client, &copied).await;

    let updated = client
        .create_updated_workspace_image()
        .name("legacy-updated")
        .description("with current agents")
        .source_image_id("wsi-legacy001")
        .send()
        .await
        .expect("create updated")
        .image_id
        .expect("id");
    wait_image(&client, &updated).await;
    let err = client
        .create_updated_workspace_image()
        .name("again")
        .description("no updates")
        .source_image_id(&updated)
        .send()
        .await
        .expect_err("no updates available")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");
    let err = client
        .create_updated_workspace_image()
        .name("missing")
        .description("missing")
        .source_image_id("wsi-000000000")
        .send()
        .await
        .expect_err("unknown source")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn describe_images_pages_with_max_results() {
    let (_sim, client) = sim().await;
    for i in 0..4 {
        client
            .copy_workspace_image()
            .name(format!("copy-{i}"))
            .source_image_id("wsi-legacy001")
            .source_region("us-east-1")
            .send()
            .await
            .expect("copy");
    }
    let mut token = None;
    let mut pages = 0;
    let mut images = Vec::new();
    loop {
        let out = client
            .describe_workspace_images()
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("page");
        pages += 1;
        images.extend(
            out.images()
                .iter()
                .filter_map(|i| i.name().map(str::to_owned)),
        );
        token = out.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3, "5 owned images, 2 a page");
    assert_eq!(images.len(), 5);
    let err = client
        .describe_workspace_images()
        .max_results(26)
        .send()
        .await
        .expect_err("too many")
        .into_service_error();
    // DescribeWorkspaceImages models only AccessDeniedException.
    assert_eq!(
        aws_sdk_workspaces::error::ProvideErrorMetadata::code(&err),
        Some("ValidationException")
    );
    let amazon = client
        .describe_workspace_images()
        .image_ids("wsi-w10srv22a")
        .send()
        .await
        .expect("AMAZON image by id");
    assert_eq!(amazon.images().len(), 1);
}

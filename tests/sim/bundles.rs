//! AMAZON bundles of the seed and custom bundles.

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{Compute, ComputeType, RootStorage, UserStorage};

use crate::common::*;

const LEGACY_IMAGE: &str = "wsi-legacy001";

fn create_bundle(client: &Client, name: &str, image: &str, compute: Compute, root: &str, user: &str) -> aws_sdk_workspaces::operation::create_workspace_bundle::builders::CreateWorkspaceBundleFluentBuilder{
    client
        .create_workspace_bundle()
        .bundle_name(name)
        .bundle_description(format!("{name} bundle"))
        .image_id(image)
        .compute_type(ComputeType::builder().name(compute).build())
        .root_storage(RootStorage::builder().capacity(root).build().expect("root"))
        .user_storage(UserStorage::builder().capacity(user).build().expect("user"))
}

#[tokio::test]
async fn amazon_bundles_cover_every_classic_compute_type() {
    let (_sim, client) = sim().await;
    let bundles = client
        .describe_workspace_bundles()
        .owner("AMAZON")
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("bundles");
    for compute in [
        Compute::Value,
        Compute::Standard,
        Compute::Performance,
        Compute::Power,
        Compute::Powerpro,
        Compute::Graphics,
        Compute::Graphicspro,
        Compute::GraphicsG4Dn,
        Compute::GraphicsproG4Dn,
    ] {
        assert!(
            bundles
                .iter()
                .any(|b| b.compute_type().and_then(|c| c.name()) == Some(&compute)),
            "{compute:?}"
        );
    }
    let standard = bundles
        .iter()
        .find(|b| b.bundle_id() == Some(STANDARD_BUNDLE))
        .expect("standard bundle");
    assert_eq!(
        standard.name(),
        Some("Standard with Windows 10 (Server 2022 based)")
    );
    assert_eq!(standard.owner(), Some("AMAZON"));
    assert_eq!(standard.root_storage().map(|s| s.capacity()), Some("80"));
    assert_eq!(standard.user_storage().map(|s| s.capacity()), Some("50"));
    let own = client
        .describe_workspace_bundles()
        .send()
        .await
        .expect("own bundles");
    assert!(own.bundles().is_empty());
    let by_id = client
        .describe_workspace_bundles()
        .bundle_ids(VALUE_BUNDLE)
        .send()
        .await
        .expect("by id");
    assert_eq!(by_id.bundles().len(), 1);
    let err = client
        .describe_workspace_bundles()
        .bundle_ids(VALUE_BUNDLE)
        .owner("AMAZON")
        .send()
        .await
        .expect_err("both filters")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
}

#[tokio::test]
async fn custom_bundles_are_created_paged_updated_and_deleted() {
    let (_sim, client) = sim().await;
    let mut call = create_bundle(&client, "dev", LEGACY_IMAGE, Compute::Power, "175", "100");
    call = call.tags(tag("wsctl:stack", "eng"));
    let bundle = call
        .send()
        .await
        .expect("create")
        .workspace_bundle
        .expect("bundle");
    let id = bundle.bundle_id().expect("id").to_owned();
    assert!(id.starts_with("wsb-") && id.len() == 13, "{id}");
    assert_eq!(bundle.owner(), Some("123456789012"));
    let tags = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect("tags");
    assert_eq!(tags.tag_list().len(), 1);

    let err = create_bundle(&client, "dev", LEGACY_IMAGE, Compute::Power, "175", "100")
        .send()
        .await
        .expect_err("same name")
        .into_service_error();
    assert!(err.is_resource_already_exists_exception());
    let err = create_bundle(&client, "odd", LEGACY_IMAGE, Compute::Value, "80", "20")
        .send()
        .await
        .expect_err("bad sizes")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());
    let err = create_bundle(&client, "lost", "wsi-000000000", Compute::Value, "80", "10")
        .send()
        .await
        .expect_err("unknown image")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
    let err = create_bundle(
        &client,
        "bad name!",
        LEGACY_IMAGE,
        Compute::Value,
        "80",
        "10",
    )
    .send()
    .await
    .expect_err("bad name")
    .into_service_error();
    assert!(err.is_invalid_parameter_values_exception());

    for i in 0..29 {
        create_bundle(
            &client,
            &format!("b{i}"),
            LEGACY_IMAGE,
            Compute::Value,
            "80",
            "10",
        )
        .send()
        .await
        .expect("create");
    }
    let pages: Vec<_> = client
        .describe_workspace_bundles()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages.iter().map(|p| p.bundles().len()).sum::<usize>(), 30);

    client
        .update_workspace_bundle()
        .bundle_id(&id)
        .image_id("wsi-w10srv22a")
        .send()
        .await
        .expect("update");
    let updated = client
        .describe_workspace_bundles()
        .bundle_ids(&id)
        .send()
        .await
        .expect("d");
    assert_eq!(updated.bundles()[0].image_id(), Some("wsi-w10srv22a"));
    let err = client
        .update_workspace_bundle()
        .bundle_id(VALUE_BUNDLE)
        .image_id(LEGACY_IMAGE)
        .send()
        .await
        .expect_err("AMAZON bundle")
        .into_service_error();
    assert!(err.is_operation_not_supported_exception(), "{err:?}");

    let ws = available(&client, &["alice"], &id).await.remove(0);
    let err = client
        .delete_workspace_bundle()
        .bundle_id(&id)
        .send()
        .await
        .expect_err("in use")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    terminate(&client, &ws).await;
    wait_gone(&client, &ws).await;
    client
        .delete_workspace_bundle()
        .bundle_id(&id)
        .send()
        .await
        .expect("delete");
    let err = client
        .delete_workspace_bundle()
        .bundle_id(&id)
        .send()
        .await
        .expect_err("gone")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

#[tokio::test]
async fn amazon_bundles_and_images_are_not_deleted() {
    let (_sim, client) = sim().await;
    let err = client
        .delete_workspace_bundle()
        .bundle_id(VALUE_BUNDLE)
        .send()
        .await
        .expect_err("AMAZON bundle")
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    let err = client
        .delete_workspace_image()
        .image_id("wsi-w10srv22a")
        .send()
        .await
        .expect_err("AMAZON image")
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    let bundles = client
        .describe_workspace_bundles()
        .bundle_ids(VALUE_BUNDLE)
        .send()
        .await
        .expect("describe");
    assert_eq!(bundles.bundles().len(), 1);
}

#[tokio::test]
async fn custom_bundles_stop_at_the_quota_of_fifty() {
    let (_sim, client) = sim().await;
    let make = |n: usize| {
        create_bundle(
            &client,
            &format!("b{n:02}"),
            LEGACY_IMAGE,
            Compute::Value,
            "80",
            "10",
        )
        .send()
    };
    for n in 0..50 {
        make(n).await.expect("within the quota");
    }
    let err = make(50).await.expect_err("the 51st").into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");
    let own = client
        .describe_workspace_bundles()
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(own.len(), 50);
}

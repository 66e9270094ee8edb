//! Image sharing: UpdateWorkspaceImagePermission and
//! DescribeWorkspaceImagePermissions.

use std::time::Duration;

use aws_sdk_workspaces::Client;
use wsctl::sim::SimConfig;

use crate::common::*;

const OWN_IMAGE: &str = "wsi-legacy001";
const AMAZON_IMAGE: &str = "wsi-w10srv22a";

async fn share(client: &Client, image: &str, account: &str, allow: bool) -> Result<(), String> {
    client
        .update_workspace_image_permission()
        .image_id(image)
        .shared_account_id(account)
        .allow_copy_image(allow)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            let e = e.into_service_error();
            aws_sdk_workspaces::error::ProvideErrorMetadata::code(&e)
                .unwrap_or_default()
                .to_owned()
        })
}

/// Every account the image is shared with, read `page` at a time.
async fn shared_with(client: &Client, image: &str, page: i32) -> (Vec<String>, usize) {
    let mut accounts = Vec::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        let out = client
            .describe_workspace_image_permissions()
            .image_id(image)
            .max_results(page)
            .set_next_token(token)
            .send()
            .await
            .expect("DescribeWorkspaceImagePermissions");
        assert_eq!(out.image_id(), Some(image));
        pages += 1;
        accounts.extend(
            out.image_permissions()
                .iter()
                .filter_map(|p| p.shared_account_id())
                .map(str::to_owned),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return (accounts, pages);
        }
    }
}

#[tokio::test]
async fn own_images_are_shared_unshared_and_listed_in_pages() {
    let (_sim, client) = sim().await;
    for account in ["111122223333", "444455556666", "777788889999"] {
        share(&client, OWN_IMAGE, account, true)
            .await
            .expect("share");
    }
    share(&client, OWN_IMAGE, "111122223333", true)
        .await
        .expect("sharing again changes nothing");
    let (accounts, pages) = shared_with(&client, OWN_IMAGE, 2).await;
    assert_eq!(accounts, ["111122223333", "444455556666", "777788889999"]);
    assert_eq!(pages, 2);
    share(&client, OWN_IMAGE, "444455556666", false)
        .await
        .expect("unshare");
    let (accounts, _) = shared_with(&client, OWN_IMAGE, 25).await;
    assert_eq!(accounts, ["111122223333", "777788889999"]);

    let refusals = [
        (
            OWN_IMAGE,
            "444455556666",
            false,
            "InvalidParameterValuesException",
        ),
        (
            OWN_IMAGE,
            "123456789012",
            true,
            "InvalidParameterValuesException",
        ),
        (OWN_IMAGE, "1234", true, "InvalidParameterValuesException"),
        (
            AMAZON_IMAGE,
            "111122223333",
            true,
            "ResourceNotFoundException",
        ),
        (
            "wsi-000000000",
            "111122223333",
            true,
            "ResourceNotFoundException",
        ),
    ];
    for (image, account, allow, code) in refusals {
        let err = share(&client, image, account, allow)
            .await
            .expect_err(image);
        assert_eq!(err, code, "{image} {account} {allow}");
    }
    let err = client
        .describe_workspace_image_permissions()
        .image_id(OWN_IMAGE)
        .max_results(26)
        .send()
        .await
        .expect_err("page too large")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
}

#[tokio::test]
async fn pending_images_cannot_be_shared_and_shared_ones_cannot_be_deleted() {
    let config = SimConfig {
        settle: Duration::from_millis(400),
        ..quick()
    };
    let (_sim, client) = start(config).await;
    let copy = client
        .copy_workspace_image()
        .name("copy")
        .source_image_id(OWN_IMAGE)
        .source_region("us-east-1")
        .send()
        .await
        .expect("copy")
        .image_id()
        .expect("id")
        .to_owned();
    let err = share(&client, &copy, "111122223333", true)
        .await
        .expect_err("PENDING");
    assert_eq!(err, "ResourceUnavailableException");

    share(&client, OWN_IMAGE, "111122223333", true)
        .await
        .expect("share");
    let err = client
        .delete_workspace_image()
        .image_id(OWN_IMAGE)
        .send()
        .await
        .expect_err("shared")
        .into_service_error();
    assert!(err.is_resource_associated_exception(), "{err:?}");
    share(&client, OWN_IMAGE, "111122223333", false)
        .await
        .expect("unshare");
    client
        .delete_workspace_image()
        .image_id(OWN_IMAGE)
        .send()
        .await
        .expect("delete once unshared");
}

#[tokio::test]
async fn shares_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    share(&client, OWN_IMAGE, "111122223333", true)
        .await
        .expect("share");
    sim.shutdown().await;
    let (_sim, client) = start(config).await;
    let (accounts, _) = shared_with(&client, OWN_IMAGE, 25).await;
    assert_eq!(accounts, ["111122223333"]);
}

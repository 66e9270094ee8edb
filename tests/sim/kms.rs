//! KMS `DescribeKey` through the real `aws-sdk-kms` client, and a
//! WorkSpace created with an alias reported with its key's ARN, as AWS
//! does (terraform-provider-aws#16805).

use aws_sdk_workspaces::types::WorkspaceState;
use wsctl::sim::Sim;

use crate::common::*;

const KEY_ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn kms(sim: &Sim) -> aws_sdk_kms::Client {
    aws_sdk_kms::Client::from_conf(wsctl::sim::kms_client_config(&sim.url()))
}

#[tokio::test]
async fn describe_key_answers_an_alias_its_name_or_arn_with_the_key() {
    let (sim, _) = sim().await;
    let kms = kms(&sim);
    for key in [
        "alias/workspaces",
        "arn:aws:kms:us-east-1:123456789012:alias/fleet-volumes",
        KEY_ARN,
        "1234abcd-12ab-34cd-56ef-1234567890ab",
    ] {
        let out = kms.describe_key().key_id(key).send().await.expect(key);
        let metadata = out.key_metadata().expect("metadata");
        assert_eq!(metadata.arn(), Some(KEY_ARN), "{key}");
        assert_eq!(metadata.key_id(), "1234abcd-12ab-34cd-56ef-1234567890ab");
    }
    let err = kms
        .describe_key()
        .key_id("alias/nothing")
        .send()
        .await
        .expect_err("no such alias")
        .into_service_error();
    assert!(err.is_not_found_exception(), "{err:?}");
    assert_eq!(
        aws_sdk_kms::error::ProvideErrorMetadata::message(&err),
        Some("Alias arn:aws:kms:us-east-1:123456789012:alias/nothing is not found.")
    );
    let stats = sim.stats().get("DescribeKey");
    assert_eq!((stats.requests, stats.failed), (5, 1));
}

#[tokio::test]
async fn a_workspace_made_with_an_alias_reports_the_key_arn_and_an_unknown_alias_fails() {
    let (_sim, client) = sim().await;
    let keyed = |user: &str, key: &str| {
        let mut request = request(user, VALUE_BUNDLE);
        request.user_volume_encryption_enabled = Some(true);
        request.volume_encryption_key = Some(key.to_owned());
        request
    };
    let out = client
        .create_workspaces()
        .workspaces(keyed("alice", "alias/workspaces"))
        .workspaces(keyed("bob", "alias/nothing"))
        .send()
        .await
        .expect("create");
    assert_eq!(out.failed_requests().len(), 1);
    let failed = &out.failed_requests()[0];
    assert_eq!(failed.error_code(), Some("InvalidParameterValuesException"));
    assert_eq!(
        failed.workspace_request().map(|r| r.user_name()),
        Some("bob")
    );
    let id = out.pending_requests()[0]
        .workspace_id()
        .expect("id")
        .to_owned();
    let alice = wait_state(&client, &id, WorkspaceState::Available).await;
    assert_eq!(alice.volume_encryption_key(), Some(KEY_ARN));
}

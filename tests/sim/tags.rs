//! Tags on WorkSpaces, bundles, images and the directory.

use wsctl::sim::SEED_DIRECTORY_ID;

use crate::common::*;

#[tokio::test]
async fn tags_are_created_overwritten_listed_and_deleted() {
    let (_sim, client) = sim().await;
    let mut req = request("alice", VALUE_BUNDLE);
    req.tags = Some(vec![tag("wsctl:stack", "eng")]);
    let out = client
        .create_workspaces()
        .workspaces(req)
        .send()
        .await
        .expect("create");
    let id = out.pending_requests()[0]
        .workspace_id()
        .expect("id")
        .to_owned();
    client
        .create_tags()
        .resource_id(&id)
        .tags(tag("team", "red"))
        .tags(tag("wsctl:stack", "ops"))
        .send()
        .await
        .expect("create tags");
    let listed = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect("describe");
    let pairs: Vec<(&str, Option<&str>)> = listed
        .tag_list()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    assert_eq!(pairs, [("wsctl:stack", Some("ops")), ("team", Some("red"))]);
    client
        .delete_tags()
        .resource_id(&id)
        .tag_keys("team")
        .send()
        .await
        .expect("delete tags");
    let listed = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect("describe");
    assert_eq!(listed.tag_list().len(), 1);
    client
        .create_tags()
        .resource_id(SEED_DIRECTORY_ID)
        .tags(tag("env", "test"))
        .send()
        .await
        .expect("directory tags");
}

#[tokio::test]
async fn tag_rules_are_enforced() {
    let (_sim, client) = sim().await;
    let id = create(&client, &["alice"], VALUE_BUNDLE).await.remove(0);
    let mut call = client.create_tags().resource_id(&id);
    for i in 0..50 {
        call = call.tags(tag(&format!("k{i}"), "v"));
    }
    call.send().await.expect("50 tags");
    let err = client
        .create_tags()
        .resource_id(&id)
        .tags(tag("one-more", "v"))
        .send()
        .await
        .expect_err("51st tag")
        .into_service_error();
    assert!(err.is_resource_limit_exceeded_exception(), "{err:?}");
    let long_key = "k".repeat(128);
    let long_value = "v".repeat(256);
    for bad in [
        tag("aws:owner", "x"),
        tag(&long_key, "x"),
        tag("k0", &long_value),
    ] {
        let err = client
            .create_tags()
            .resource_id(&id)
            .tags(bad)
            .send()
            .await
            .expect_err("invalid tag")
            .into_service_error();
        assert!(err.is_invalid_parameter_values_exception(), "{err:?}");
    }
    let err = client
        .create_tags()
        .resource_id("ws-000000000")
        .tags(tag("a", "b"))
        .send()
        .await
        .expect_err("unknown resource")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
    let err = client
        .describe_tags()
        .resource_id("wsb-w10value0")
        .send()
        .await
        .expect_err("AMAZON bundles are not taggable")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
    let err = client
        .delete_tags()
        .resource_id("wsi-000000000")
        .tag_keys("a")
        .send()
        .await
        .expect_err("unknown image")
        .into_service_error();
    assert!(err.is_resource_not_found_exception());
}

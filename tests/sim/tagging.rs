//! The Resource Groups Tagging API's `GetResources` through the real
//! `aws-sdk-resourcegroupstagging` client: filters, paging, the index lag and
//! the faults.

use std::time::{Duration, Instant};

use aws_sdk_resourcegroupstagging::Client as Tagging;
use aws_sdk_resourcegroupstagging::error::ProvideErrorMetadata;
use aws_sdk_resourcegroupstagging::operation::get_resources::builders::GetResourcesFluentBuilder;
use aws_sdk_resourcegroupstagging::types::{ResourceTagMapping, TagFilter};
use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{Compute, ComputeType, RootStorage, UserStorage};
use aws_smithy_types::retry::RetryConfig;
use wsctl::sim::{Faults, SEED_DIRECTORY_ID, SimConfig};

use crate::common::*;

const LEGACY_IMAGE: &str = "wsi-legacy001";
const STACK: &str = "wsctl:stack";

fn arn(resource: &str) -> String {
    format!("arn:aws:workspaces:us-east-1:123456789012:{resource}")
}

fn stack_is(values: &[&str]) -> TagFilter {
    let mut filter = TagFilter::builder().key(STACK);
    for v in values {
        filter = filter.values(*v);
    }
    filter.build()
}

/// A mapping as `(ARN, ["key=value", …])`.
type Row = (String, Vec<String>);

fn row(m: &ResourceTagMapping) -> Row {
    let tags = m
        .tags()
        .iter()
        .map(|t| format!("{}={}", t.key(), t.value()))
        .collect();
    (m.resource_arn().unwrap_or_default().to_owned(), tags)
}

fn expect(arn_resource: &str, tags: &[&str]) -> Row {
    (
        arn(arn_resource),
        tags.iter().map(|t| (*t).to_owned()).collect(),
    )
}

/// Every mapping the paginator yields for `call`.
async fn all(call: GetResourcesFluentBuilder) -> Vec<Row> {
    let pages: Vec<_> = call
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("GetResources pages");
    pages
        .iter()
        .flat_map(|p| p.resource_tag_mapping_list())
        .map(row)
        .collect()
}

async fn create_tagged(client: &Client, user: &str, tags: &[(&str, &str)]) -> String {
    let mut req = request(user, VALUE_BUNDLE);
    req.tags = Some(tags.iter().map(|(k, v)| tag(k, v)).collect());
    let out = client
        .create_workspaces()
        .workspaces(req)
        .send()
        .await
        .expect("create");
    out.pending_requests()[0]
        .workspace_id()
        .expect("id")
        .to_owned()
}

/// The account the filter tests read: two tagged WorkSpaces, one untagged,
/// a tagged bundle, the account's image and the directory tagged.
struct Fleet {
    alice: String,
    bob: String,
    bundle: String,
}

async fn fleet(client: &Client) -> Fleet {
    let alice = create_tagged(client, "alice", &[(STACK, "eng"), ("team", "red")]).await;
    let bob = create_tagged(client, "bob", &[(STACK, "ops")]).await;
    create(client, &["carol"], VALUE_BUNDLE).await;
    let bundle = client
        .create_workspace_bundle()
        .bundle_name("dev")
        .bundle_description("dev bundle")
        .image_id(LEGACY_IMAGE)
        .compute_type(ComputeType::builder().name(Compute::Power).build())
        .root_storage(
            RootStorage::builder()
                .capacity("175")
                .build()
                .expect("root"),
        )
        .user_storage(
            UserStorage::builder()
                .capacity("100")
                .build()
                .expect("user"),
        )
        .tags(tag(STACK, "eng"))
        .send()
        .await
        .expect("bundle")
        .workspace_bundle()
        .and_then(|b| b.bundle_id())
        .expect("bundle id")
        .to_owned();
    client
        .create_tags()
        .resource_id(LEGACY_IMAGE)
        .tags(tag(STACK, "eng"))
        .tags(tag("os", "win10"))
        .send()
        .await
        .expect("image tags");
    client
        .create_tags()
        .resource_id(SEED_DIRECTORY_ID)
        .tags(tag("env", "test"))
        .send()
        .await
        .expect("directory tags");
    Fleet { alice, bob, bundle }
}

#[tokio::test]
async fn a_tag_filter_returns_exactly_the_resources_carrying_it_with_all_their_tags() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    let f = fleet(&client).await;
    let eng = all(tagging.get_resources().tag_filters(stack_is(&["eng"]))).await;
    assert_eq!(
        eng,
        [
            expect(
                &format!("workspace/{}", f.alice),
                &["wsctl:stack=eng", "team=red"]
            ),
            expect(
                &format!("workspacebundle/{}", f.bundle),
                &["wsctl:stack=eng"]
            ),
            expect(
                &format!("workspaceimage/{LEGACY_IMAGE}"),
                &["wsctl:stack=eng", "os=win10"]
            ),
        ]
    );
    let either = all(tagging
        .get_resources()
        .tag_filters(stack_is(&["eng", "ops"])))
    .await;
    assert_eq!(either.len(), 4, "{either:?}");
    assert!(either.contains(&expect(
        &format!("workspace/{}", f.bob),
        &["wsctl:stack=ops"]
    )));
    let any_stack = all(tagging.get_resources().tag_filters(stack_is(&[]))).await;
    assert_eq!(any_stack, either, "a filter without values matches the key");
    let both = all(tagging
        .get_resources()
        .tag_filters(stack_is(&["eng"]))
        .tag_filters(TagFilter::builder().key("team").build()))
    .await;
    assert_eq!(both, eng[..1], "filters are ANDed");

    // Without filters: everything tagged, in ARN order; never-tagged carol
    // and the AMAZON bundles are not listed.
    let everything = all(tagging.get_resources()).await;
    let arns: Vec<&str> = everything.iter().map(|(a, _)| a.as_str()).collect();
    let mut sorted = arns.clone();
    sorted.sort_unstable();
    assert_eq!(arns, sorted);
    assert_eq!(arns.len(), 5, "{arns:?}");
    assert_eq!(arns[0], arn(&format!("directory/{SEED_DIRECTORY_ID}")));
}

#[tokio::test]
async fn a_resource_whose_tags_were_all_removed_is_listed_with_no_tags() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    let bob = create_tagged(&client, "bob", &[(STACK, "ops")]).await;
    client
        .delete_tags()
        .resource_id(&bob)
        .tag_keys(STACK)
        .send()
        .await
        .expect("delete tags");
    let everything = all(tagging.get_resources()).await;
    assert_eq!(everything, [expect(&format!("workspace/{bob}"), &[])]);
    let ops = all(tagging.get_resources().tag_filters(stack_is(&["ops"]))).await;
    assert!(ops.is_empty(), "{ops:?}");
}

#[tokio::test]
async fn resource_type_filters_select_by_the_type_in_the_arn() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    let f = fleet(&client).await;
    let types = |filters: &[&str]| {
        let mut call = tagging.get_resources();
        for t in filters {
            call = call.resource_type_filters(*t);
        }
        call
    };
    let arns = |rows: Vec<Row>| rows.into_iter().map(|(a, _)| a).collect::<Vec<_>>();
    assert_eq!(arns(all(types(&["workspaces:workspace"])).await), {
        let mut ws = [
            arn(&format!("workspace/{}", f.alice)),
            arn(&format!("workspace/{}", f.bob)),
        ];
        ws.sort();
        ws
    });
    assert_eq!(all(types(&["workspaces"])).await.len(), 5);
    assert_eq!(
        arns(
            all(types(&[
                "workspaces:workspacebundle",
                "workspaces:workspaceimage"
            ]))
            .await
        ),
        [
            arn(&format!("workspacebundle/{}", f.bundle)),
            arn(&format!("workspaceimage/{LEGACY_IMAGE}")),
        ]
    );
    assert_eq!(
        arns(all(types(&["workspaces:directory"])).await),
        [arn(&format!("directory/{SEED_DIRECTORY_ID}"))]
    );
    assert!(all(types(&["ec2:instance", "ec2"])).await.is_empty());
    assert_eq!(
        arns(
            all(types(&["ec2", "workspaces:workspaceimage"]).tag_filters(stack_is(&["eng"]))).await
        ),
        [arn(&format!("workspaceimage/{LEGACY_IMAGE}"))]
    );
}

#[tokio::test]
async fn an_arn_list_returns_the_named_resources_and_refuses_paging_members() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    let f = fleet(&client).await;
    let out = tagging
        .get_resources()
        .resource_arn_list(arn(&format!("workspace/{}", f.bob)))
        .resource_arn_list(arn(&format!("workspace/{}", f.alice)))
        .resource_arn_list(arn("workspace/ws-000000000"))
        .resource_arn_list("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0")
        .send()
        .await
        .expect("by ARN");
    assert_eq!(out.resource_tag_mapping_list().len(), 2);
    assert_eq!(out.pagination_token(), Some(""));
    let err = tagging
        .get_resources()
        .resource_arn_list(arn(&format!("workspace/{}", f.bob)))
        .resources_per_page(10)
        .send()
        .await
        .expect_err("ARN list with ResourcesPerPage")
        .into_service_error();
    assert!(err.is_invalid_parameter_exception(), "{err:?}");
}

#[tokio::test]
async fn two_hundred_fifty_workspaces_page_as_100_100_50_and_the_paginator_stops() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    for batch in 0..10 {
        let mut call = client.create_workspaces();
        for i in 0..25 {
            let mut req = request(&format!("user{batch}x{i}"), VALUE_BUNDLE);
            req.tags = Some(vec![tag(STACK, "eng")]);
            call = call.workspaces(req);
        }
        let out = call.send().await.expect("create");
        assert!(out.failed_requests().is_empty());
    }
    let pages: Vec<_> = tagging
        .get_resources()
        .tag_filters(stack_is(&["eng"]))
        .resources_per_page(100)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.resource_tag_mapping_list().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(sim.stats().get("GetResources").requests, 3);
    let tokens: Vec<Option<&str>> = pages.iter().map(|p| p.pagination_token()).collect();
    assert!(tokens[..2].iter().all(|t| t.is_some_and(|t| !t.is_empty())));
    assert_eq!(
        tokens[2],
        Some(""),
        "AWS ends with an empty token, not none"
    );
    let mut arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.resource_tag_mapping_list())
        .map(|m| row(m).0)
        .collect();
    let listed = arns.clone();
    arns.sort();
    arns.dedup();
    assert_eq!(arns, listed, "250 distinct ARNs in order");
}

#[tokio::test]
async fn the_last_page_token_is_an_empty_string_on_the_wire() {
    let (sim, client) = sim().await;
    create_tagged(&client, "alice", &[(STACK, "eng")]).await;
    let r = tagging_call(&sim, "GetResources", r#"{"PaginationToken":""}"#).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.head.contains("content-type: application/x-amz-json-1.1"));
    let body = r.json();
    assert_eq!(body["PaginationToken"], "");
    assert_eq!(body["ResourceTagMappingList"][0]["Tags"][0]["Key"], STACK);
    let out = tagging(&sim)
        .get_resources()
        .send()
        .await
        .expect("one page");
    assert_eq!(out.pagination_token(), Some(""));
}

#[tokio::test]
async fn a_token_resumes_after_the_last_resource_whatever_changed_meanwhile() {
    let (sim, client) = sim().await;
    let tagging = tagging(&sim);
    for user in ["a", "b", "c", "d", "e"] {
        create_tagged(&client, user, &[(STACK, "eng")]).await;
    }
    let first = tagging
        .get_resources()
        .tag_filters(stack_is(&["eng"]))
        .resources_per_page(2)
        .send()
        .await
        .expect("page 1");
    let page1: Vec<Row> = first.resource_tag_mapping_list().iter().map(row).collect();
    // The first resource stops matching: an offset would now skip one.
    let first_id = page1[0].0.rsplit('/').next().expect("id").to_owned();
    client
        .delete_tags()
        .resource_id(&first_id)
        .tag_keys(STACK)
        .send()
        .await
        .expect("untag");
    let rest = all(tagging
        .get_resources()
        .tag_filters(stack_is(&["eng"]))
        .resources_per_page(2)
        .pagination_token(first.pagination_token().expect("token")))
    .await;
    assert_eq!(rest.len(), 3, "{rest:?}");
    assert!(rest.iter().all(|r| r.0 > page1[1].0));
}

#[tokio::test]
async fn bad_page_sizes_filters_and_tokens_are_invalid_parameters() {
    let (sim, _client) = sim().await;
    let tagging = tagging(&sim);
    for n in [0, 101] {
        let err = tagging
            .get_resources()
            .resources_per_page(n)
            .send()
            .await
            .expect_err("bad ResourcesPerPage")
            .into_service_error();
        assert!(err.is_invalid_parameter_exception(), "{n}: {err:?}");
    }
    for n in [99, 501] {
        let err = tagging
            .get_resources()
            .tags_per_page(n)
            .send()
            .await
            .expect_err("bad TagsPerPage")
            .into_service_error();
        assert!(err.is_invalid_parameter_exception(), "{n}: {err:?}");
    }
    tagging
        .get_resources()
        .tags_per_page(100)
        .resources_per_page(100)
        .send()
        .await
        .expect("limits are inclusive");
    let err = tagging
        .get_resources()
        .pagination_token("not-a-token")
        .send()
        .await
        .expect_err("bad token")
        .into_service_error();
    assert!(err.is_invalid_parameter_exception(), "{err:?}");
    let mut call = tagging.get_resources();
    for i in 0..51 {
        call = call.tag_filters(TagFilter::builder().key(format!("k{i}")).build());
    }
    let err = call
        .send()
        .await
        .expect_err("51 filters")
        .into_service_error();
    assert!(err.is_invalid_parameter_exception(), "{err:?}");
    let values: Vec<String> = (0..21).map(|i| i.to_string()).collect();
    let err = tagging
        .get_resources()
        .tag_filters(
            TagFilter::builder()
                .key(STACK)
                .set_values(Some(values))
                .build(),
        )
        .send()
        .await
        .expect_err("21 values")
        .into_service_error();
    assert!(err.is_invalid_parameter_exception(), "{err:?}");
    let stats = sim.stats().get("GetResources");
    assert_eq!(stats.failed, stats.requests - 1);
}

/// The tags GetResources shows for one resource, `None` if it is not listed.
async fn indexed(tagging: &Tagging, resource: &str) -> Option<Vec<String>> {
    let out = tagging
        .get_resources()
        .resource_arn_list(arn(resource))
        .send()
        .await
        .expect("GetResources");
    out.resource_tag_mapping_list().first().map(|m| row(m).1)
}

#[tokio::test]
async fn get_resources_lags_behind_creation_tag_changes_and_termination() {
    let lag = Duration::from_millis(1000);
    let (sim, client) = start(SimConfig {
        tag_lag: lag,
        ..quick()
    })
    .await;
    let tagging = tagging(&sim);

    let created = Instant::now();
    let id = create_tagged(&client, "alice", &[(STACK, "eng")]).await;
    let resource = format!("workspace/{id}");
    let early = indexed(&tagging, &resource).await;
    if created.elapsed() < lag {
        assert_eq!(early, None, "listed before the lag passed");
    }
    let described = client
        .describe_tags()
        .resource_id(&id)
        .send()
        .await
        .expect("describe tags");
    assert_eq!(described.tag_list().len(), 1, "DescribeTags does not lag");
    let tags = eventually("the new WorkSpace to be indexed", || {
        indexed(&tagging, &resource)
    })
    .await;
    assert!(created.elapsed() >= lag);
    assert_eq!(tags, ["wsctl:stack=eng"]);

    let changed = Instant::now();
    client
        .create_tags()
        .resource_id(&id)
        .tags(tag(STACK, "ops"))
        .send()
        .await
        .expect("retag");
    let early = indexed(&tagging, &resource).await;
    if changed.elapsed() < lag {
        assert_eq!(early.as_deref(), Some(&["wsctl:stack=eng".to_owned()][..]));
    }
    eventually("the new tag value to be indexed", || async {
        let tags = indexed(&tagging, &resource).await?;
        (tags == ["wsctl:stack=ops"]).then_some(())
    })
    .await;
    assert!(changed.elapsed() >= lag);

    let terminated = Instant::now();
    terminate(&client, &id).await;
    wait_gone(&client, &id).await;
    let still = indexed(&tagging, &resource).await;
    if terminated.elapsed() < lag {
        assert_eq!(still.as_deref(), Some(&["wsctl:stack=ops".to_owned()][..]));
    }
    eventually("the terminated WorkSpace to leave the index", || async {
        indexed(&tagging, &resource).await.is_none().then_some(())
    })
    .await;
    assert!(terminated.elapsed() >= lag);
}

#[tokio::test]
async fn the_lag_survives_a_restart_through_the_state_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SimConfig {
        state_file: Some(dir.path().join("sim.json")),
        tag_lag: Duration::from_secs(600),
        ..quick()
    };
    let (sim, client) = start(config.clone()).await;
    let id = create_tagged(&client, "alice", &[(STACK, "eng")]).await;
    sim.shutdown().await;

    let (sim, _client) = start(config.clone()).await;
    assert_eq!(
        indexed(&tagging(&sim), &format!("workspace/{id}")).await,
        None
    );
    sim.shutdown().await;

    let (sim, _client) = start(SimConfig {
        tag_lag: Duration::ZERO,
        ..config
    })
    .await;
    let tags = indexed(&tagging(&sim), &format!("workspace/{id}")).await;
    assert_eq!(tags.as_deref(), Some(&["wsctl:stack=eng".to_owned()][..]));
}

#[tokio::test]
async fn the_access_denied_fault_refuses_get_resources_only() {
    let (sim, client) = start(SimConfig {
        faults: Faults {
            tagging_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let err = tagging(&sim)
        .get_resources()
        .send()
        .await
        .expect_err("access denied");
    assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    let message = err.message().unwrap_or_default();
    assert!(
        message.starts_with(
            "User: arn:aws:iam::123456789012:user/sim is not authorized to perform: tag:GetResources"
        ),
        "{message}"
    );
    let stats = sim.stats().get("GetResources");
    assert_eq!((stats.requests, stats.failed), (1, 1));
    client
        .describe_account()
        .send()
        .await
        .expect("WorkSpaces calls pass");
    let r = tagging_call(&sim, "GetResources", "{}").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["__type"], "AccessDeniedException");
}

#[tokio::test]
async fn throttling_answers_throttled_exception_which_the_sdk_retries() {
    let (sim, _client) = start(SimConfig {
        faults: Faults {
            max_requests_per_second: Some(5),
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    // A burst of 5 passes; the SDK classifies ThrottledException as
    // throttling and its backoff spreads the other 2 out, within the
    // attempts wsctl gives a call.
    let client = Tagging::from_conf(
        wsctl::sim::tagging_client_config(&sim.url())
            .to_builder()
            .retry_config(wsctl::aws::retry_config())
            .retry_partition(wsctl::aws::retry_partition())
            .build(),
    );
    let calls = (0..7).map(|_| client.get_resources().send());
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let stats = sim.stats().get("GetResources");
    assert!(stats.throttled > 0, "{stats:?}");
    assert_eq!(stats.requests, 7 + stats.throttled);

    let no_retries = Tagging::from_conf(
        wsctl::sim::tagging_client_config(&sim.url())
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let mut throttled = None;
    for _ in 0..20 {
        if let Err(e) = no_retries.get_resources().send().await {
            throttled = Some(e.into_service_error());
            break;
        }
    }
    let err = throttled.expect("a burst above 5 a second is throttled");
    assert!(err.is_throttled_exception(), "{err:?}");
    let mut raw = None;
    for _ in 0..20 {
        let r = tagging_call(&sim, "GetResources", "{}").await;
        if r.status != 200 {
            raw = Some((r.status, r.json()["__type"].clone()));
            break;
        }
    }
    assert_eq!(raw, Some((400, "ThrottledException".into())));
}

#[tokio::test]
async fn server_errors_use_the_tagging_api_names() {
    let (sim, _client) = start(SimConfig {
        faults: Faults {
            server_error_rate: 1.0,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let mut seen_500 = false;
    for _ in 0..20 {
        let r = tagging_call(&sim, "GetResources", "{}").await;
        let code = r.json()["__type"].as_str().map(str::to_owned);
        match r.status {
            500 => {
                seen_500 = true;
                assert_eq!(code.as_deref(), Some("InternalServiceException"));
            }
            503 => assert_eq!(code.as_deref(), Some("ServiceUnavailable")),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(seen_500);
}

#[tokio::test]
async fn tagging_errors_keep_their_names_on_the_wire() {
    let (sim, _client) = sim().await;
    let r = tagging_call(&sim, "GetResources", r#"{"ResourcesPerPage":0}"#).await;
    assert_eq!(
        (r.status, r.json()["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let r = tagging_call(&sim, "GetTagKeys", "{}").await;
    assert_eq!(r.json()["__type"], "UnknownOperationException");
    let r = call(&sim, "GetResources", "{}").await;
    assert_eq!(
        r.json()["__type"],
        "UnknownOperationException",
        "GetResources is not a WorkSpaces operation"
    );
}

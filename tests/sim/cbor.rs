//! Smithy RPC v2 CBOR, which AWS's models list beside awsJson1_1 for
//! WorkSpaces and the Tagging API: the WorkSpaces client switched to it
//! gets the same results, errors and throttling; the Tagging API, whose
//! SDK (1.119) cannot be switched, is sent raw CBOR.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::config::Intercept;
use aws_sdk_workspaces::error::ProvideErrorMetadata;
use aws_sdk_workspaces::types::{
    ConnectionState, DedicatedTenancyModificationStateEnum, DedicatedTenancySupportEnum,
    RunningMode, WorkspaceProperties, WorkspaceState,
};
use aws_smithy_cbor::protocol::RpcV2CborProtocol;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::DateTime;
use aws_smithy_types::config_bag::ConfigBag;
use minicbor::data::Type;
use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wsctl::sim::{Faults, SEED_DIRECTORY_ID, Sim, SimConfig};

use crate::common::*;

/// Each request's path and `smithy-protocol` header, as the SDK sent it:
/// proof that the client spoke CBOR and not its generated awsJson1_1.
#[derive(Debug, Default, Clone)]
struct Sent(Arc<Mutex<Vec<(String, String)>>>);

impl Intercept for Sent {
    fn name(&self) -> &'static str {
        "Sent"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let path = request.uri().split_once("//").map_or("", |(_, rest)| rest);
        let path = path.find('/').map_or("", |i| &path[i..]).to_owned();
        let protocol = request
            .headers()
            .get("smithy-protocol")
            .unwrap_or_default()
            .to_owned();
        self.0.lock().expect("not poisoned").push((path, protocol));
        Ok(())
    }
}

impl Sent {
    fn all(&self) -> Vec<(String, String)> {
        self.0.lock().expect("not poisoned").clone()
    }
}

/// A WorkSpaces client configured for RPC v2 CBOR, retrying as wsctl does.
fn cbor_client(sim: &Sim) -> (Client, Sent) {
    let sent = Sent::default();
    let config = wsctl::sim::client_config(&sim.url())
        .to_builder()
        .retry_config(wsctl::aws::retry_config())
        .retry_partition(wsctl::aws::retry_partition())
        .protocol(RpcV2CborProtocol::new())
        .interceptor(sent.clone())
        .build();
    (Client::from_conf(config), sent)
}

#[tokio::test]
async fn a_workspace_lives_and_dies_over_cbor() {
    let (sim, json_client) = sim().await;
    let (client, sent) = cbor_client(&sim);
    let created = client
        .create_workspaces()
        .workspaces(request("alice", VALUE_BUNDLE))
        .send()
        .await
        .expect("CreateWorkspaces");
    assert!(created.failed_requests().is_empty());
    let pending = &created.pending_requests()[0];
    let id = pending.workspace_id().expect("an id").to_owned();
    assert_eq!(pending.user_name(), Some("alice"));
    assert_eq!(pending.bundle_id(), Some(VALUE_BUNDLE));
    assert_eq!(pending.state(), Some(&WorkspaceState::Pending));

    let ws = wait_state(&client, &id, WorkspaceState::Available).await;
    assert_eq!(ws.directory_id(), Some(SEED_DIRECTORY_ID));
    let props = ws.workspace_properties().expect("properties");
    // Launched without a running mode: ALWAYS_ON, as AWS launches it.
    assert_eq!(props.running_mode(), Some(&RunningMode::AlwaysOn));
    assert_eq!(props.root_volume_size_gib(), Some(80));
    assert_eq!(props.user_volume_size_gib(), Some(10));

    client
        .modify_workspace_properties()
        .workspace_id(&id)
        .workspace_properties(
            WorkspaceProperties::builder()
                .running_mode(RunningMode::AutoStop)
                .running_mode_auto_stop_timeout_in_minutes(120)
                .build(),
        )
        .send()
        .await
        .expect("ModifyWorkspaceProperties");
    let ws = describe(&client, &id).await.expect("described");
    let props = ws.workspace_properties().expect("properties");
    assert_eq!(props.running_mode_auto_stop_timeout_in_minutes(), Some(120));
    // The same account answers awsJson1_1 alike.
    let seen = describe(&json_client, &id).await.expect("described");
    assert_eq!(seen, ws);

    terminate(&client, &id).await;
    wait_gone(&client, &id).await;

    let sent = sent.all();
    assert!(sent.len() >= 5, "{sent:?}");
    for (path, protocol) in &sent {
        assert!(
            path.starts_with("/service/WorkspacesService/operation/"),
            "{path}"
        );
        assert_eq!(protocol, "rpc-v2-cbor");
    }
    assert!(
        sent.iter()
            .any(|(p, _)| p.ends_with("/TerminateWorkspaces"))
    );
}

/// Timestamps go out as CBOR tag 1, which the SDK's typed read requires.
#[tokio::test]
async fn timestamps_arrive_as_date_times() {
    let (sim, _json_client) = sim().await;
    let (client, _) = cbor_client(&sim);
    let bundles = client
        .describe_workspace_bundles()
        .owner("AMAZON")
        .send()
        .await
        .expect("DescribeWorkspaceBundles");
    let created = bundles.bundles()[0].creation_time().expect("CreationTime");
    assert_eq!(created.secs(), 1_704_067_200);
}

/// A time to the nearest millisecond, the simulator's precision: the SDK
/// reads awsJson1_1's epoch seconds to the nanosecond of the double, and
/// RPC v2 CBOR's truncated to the millisecond.
fn millis(time: Option<DateTime>) -> Option<DateTime> {
    time.map(|t| DateTime::from_millis((t.as_secs_f64() * 1000.0).round() as i64))
}

/// Every answer with a timestamp member, read through both protocols from
/// the same account, decodes to the same times.
#[tokio::test]
async fn reads_with_timestamps_answer_alike_on_both_protocols() {
    let (sim, json) = start(SimConfig {
        snapshot_interval: Duration::from_millis(20),
        ..quick()
    })
    .await;
    let (cbor, _) = cbor_client(&sim);
    let id = available(&json, &["alice"], VALUE_BUNDLE).await.remove(0);
    set_usage(&sim, r#"{"profiles": {"alice": "heavy"}}"#).await;
    json.modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range("172.16.0.0/16")
        .send()
        .await
        .expect("ModifyAccount");
    // Settled, so that the two reads below see the same modification state.
    eventually("the account modification completes", || async {
        let out = json.describe_account_modifications().send().await.ok()?;
        let state = out.account_modifications().first()?.modification_state();
        (state == Some(&DedicatedTenancyModificationStateEnum::Completed)).then_some(())
    })
    .await;
    eventually("a snapshot", || async {
        let out = json
            .describe_workspace_snapshots()
            .workspace_id(&id)
            .send()
            .await;
        (!out.ok()?.restore_snapshots().is_empty()).then_some(())
    })
    .await;
    // An unhealthy WorkSpace is not snapshotted: both reads list the same.
    let forced = raw(
        &sim,
        "POST",
        &format!("/_sim/workspaces/{id}/state/UNHEALTHY"),
        None,
        "",
    )
    .await;
    assert_eq!(forced.status, 200, "{}", forced.body);

    let snapshots = |client: Client| {
        let id = id.clone();
        async move {
            let out = client
                .describe_workspace_snapshots()
                .workspace_id(id)
                .send()
                .await;
            let out = out.expect("DescribeWorkspaceSnapshots");
            let mut all = out.restore_snapshots().to_vec();
            all.extend_from_slice(out.rebuild_snapshots());
            all.iter_mut()
                .for_each(|s| s.snapshot_time = millis(s.snapshot_time));
            all
        }
    };
    let listed = snapshots(cbor.clone()).await;
    assert!(listed.iter().all(|s| s.snapshot_time().is_some()));
    assert_eq!(listed, snapshots(json.clone()).await);

    let modifications = |client: Client| async move {
        let out = client.describe_account_modifications().send().await;
        let mut all = out
            .expect("DescribeAccountModifications")
            .account_modifications()
            .to_vec();
        all.iter_mut()
            .for_each(|m| m.start_time = millis(m.start_time));
        all
    };
    let changes = modifications(cbor.clone()).await;
    assert!(changes[0].start_time().is_some());
    assert_eq!(changes, modifications(json.clone()).await);

    let images = |client: Client| async move {
        let out = client.describe_workspace_images().send().await;
        let mut all = out.expect("DescribeWorkspaceImages").images().to_vec();
        all.iter_mut().for_each(|i| i.created = millis(i.created));
        all
    };
    let seen = images(cbor.clone()).await;
    assert!(seen.iter().all(|i| i.created().is_some()));
    assert_eq!(seen, images(json.clone()).await);

    let status = |client: Client| {
        let id = id.clone();
        async move {
            let out = client
                .describe_workspaces_connection_status()
                .workspace_ids(id)
                .send()
                .await;
            let mut all = out
                .expect("DescribeWorkspacesConnectionStatus")
                .workspaces_connection_status()
                .to_vec();
            assert!(
                all.iter()
                    .all(|s| s.last_known_user_connection_timestamp().is_some())
            );
            // When the state was checked is the time of the call, and so is
            // the last connection of a user connected now.
            for status in &mut all {
                status.connection_state_check_timestamp = None;
                status.last_known_user_connection_timestamp = match status.connection_state() {
                    Some(ConnectionState::Connected) => None,
                    _ => millis(status.last_known_user_connection_timestamp),
                };
            }
            all
        }
    };
    let statuses = status(cbor.clone()).await;
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses, status(json.clone()).await);
}

#[tokio::test]
async fn errors_reach_the_sdk_with_their_codes_and_members() {
    let (sim, _json_client) = sim().await;
    let (client, _) = cbor_client(&sim);
    let err = client
        .describe_workspace_images()
        .max_results(26)
        .send()
        .await
        .expect_err("too many")
        .into_service_error();
    // DescribeWorkspaceImages models only AccessDeniedException.
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(
        err.message().is_some_and(|m| m.contains("MaxResults")),
        "{err:?}"
    );

    let err = client
        .describe_workspaces()
        .limit(26)
        .send()
        .await
        .expect_err("too many")
        .into_service_error();
    assert!(err.is_invalid_parameter_values_exception(), "{err:?}");

    let err = client
        .modify_workspace_properties()
        .workspace_id("ws-000000000")
        .workspace_properties(always_on())
        .send()
        .await
        .expect_err("unknown")
        .into_service_error();
    let aws_sdk_workspaces::operation::modify_workspace_properties::ModifyWorkspacePropertiesError::ResourceNotFoundException(
        not_found,
    ) = err
    else {
        panic!("expected ResourceNotFoundException, got {err:?}");
    };
    assert_eq!(not_found.resource_id(), Some("ws-000000000"));
}

#[tokio::test]
async fn throttled_cbor_calls_are_retried_to_success() {
    let (sim, _json_client) = start(SimConfig {
        faults: Faults {
            max_requests_per_second: Some(10),
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let (client, _) = cbor_client(&sim);
    // A burst of 10 passes; the SDK's backoff spreads the other 3 out.
    let calls = (0..13).map(|_| {
        let client = client.clone();
        async move { client.describe_account().send().await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let stats = sim.stats().get("DescribeAccount");
    assert!(stats.throttled > 0, "{stats:?}");
    assert_eq!(stats.requests, 13 + stats.throttled);
}

#[tokio::test]
async fn a_throttled_answer_names_the_code_in_the_cbor_body() {
    let (sim, _json_client) = start(SimConfig {
        faults: Faults {
            max_requests_per_second: Some(1),
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let path = "/service/WorkspacesService/operation/DescribeAccount";
    let first = post_cbor(&sim, path, Some("rpc-v2-cbor"), &[0xa0]).await;
    assert_eq!(first.status, 200);
    let second = post_cbor(&sim, path, Some("rpc-v2-cbor"), &[0xa0]).await;
    assert_eq!(second.status, 400);
    assert_eq!(second.value()["__type"], "ThrottlingException");
    assert!(second.head.contains("smithy-protocol: rpc-v2-cbor"));
    // WorkSpaces is not awsQuery-compatible: no x-amzn-query-error.
    assert!(
        !second.head.contains("x-amzn-query-error"),
        "{}",
        second.head
    );
    let tagging = "/service/ResourceGroupsTaggingAPI_20170126/operation/GetResources";
    let third = post_cbor(&sim, tagging, Some("rpc-v2-cbor"), &[0xa0]).await;
    assert_eq!(third.value()["__type"], "ThrottledException");
}

/// `aws-sdk-resourcegroupstagging` 1.119 has no protocol setting, so the
/// Tagging API's CBOR is sent by hand and compared with its awsJson1_1.
#[tokio::test]
async fn get_resources_answers_cbor_as_it_answers_json() {
    let (sim, client) = sim().await;
    let ids = available(&client, &["alice"], VALUE_BUNDLE).await;
    client
        .create_tags()
        .resource_id(&ids[0])
        .tags(tag("team", "blue"))
        .send()
        .await
        .expect("CreateTags");
    let query =
        json!({"ResourceTypeFilters": ["workspaces:workspace"], "TagFilters": [{"Key": "team"}]});
    let expected = eventually("the tag to be listed", || async {
        let answer = tagging_call(&sim, "GetResources", &query.to_string()).await;
        let listed = answer.json()["ResourceTagMappingList"].as_array()?.len();
        (listed == 1).then(|| answer.json())
    })
    .await;
    let path = "/service/ResourceGroupsTaggingAPI_20170126/operation/GetResources";
    let answer = post_cbor(&sim, path, Some("rpc-v2-cbor"), &encode(&query)).await;
    assert_eq!(answer.status, 200, "{}", answer.head);
    assert!(answer.head.contains("content-type: application/cbor"));
    assert_eq!(answer.value(), expected);
    let mapping = &answer.value()["ResourceTagMappingList"][0];
    assert_eq!(mapping["Tags"], json!([{"Key": "team", "Value": "blue"}]));
}

#[tokio::test]
async fn the_path_and_the_smithy_protocol_header_choose_the_protocol() {
    let (sim, _client) = sim().await;
    let path = "/service/WorkspacesService/operation/DescribeAccount";
    let missing = post_cbor(&sim, path, None, &[0xa0]).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.value()["__type"], "UnknownOperationException");
    let message = missing.value()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("smithy-protocol: rpc-v2-cbor"),
        "{message}"
    );
    let other = post_cbor(&sim, path, Some("rpc-v3-json"), &[0xa0]).await;
    assert_eq!(other.status, 400);
    assert!(
        other.value()["message"]
            .as_str()
            .is_some_and(|m| m.contains("\"rpc-v3-json\"")),
        "{:?}",
        other.value()
    );
    // The Price List API's model lists awsJson1_1 alone.
    let pricing = "/service/AWSPriceListService/operation/DescribeServices";
    let refused = post_cbor(&sim, pricing, Some("rpc-v2-cbor"), &[0xa0]).await;
    assert_eq!(refused.value()["__type"], "UnknownOperationException");
    let broken = post_cbor(&sim, path, Some("rpc-v2-cbor"), &[0xa1, 0x61]).await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.value()["__type"], "SerializationException");
    let empty = post_cbor(&sim, path, Some("rpc-v2-cbor"), &[]).await;
    assert_eq!(empty.status, 200, "an empty body reads as {{}}");
    assert_eq!(empty.value()["DedicatedTenancySupport"], "DISABLED");
}

struct CborResponse {
    status: u16,
    /// The status line and headers, lowercased.
    head: String,
    body: Vec<u8>,
}

impl CborResponse {
    fn value(&self) -> Value {
        let mut decoder = minicbor::Decoder::new(&self.body);
        decode(&mut decoder, 0)
    }
}

/// `POST path` with a CBOR body, as the SDK's RPC v2 CBOR sends it, with
/// `smithy-protocol: protocol` when given.
async fn post_cbor(sim: &Sim, path: &str, protocol: Option<&str>, body: &[u8]) -> CborResponse {
    let addr = sim.addr();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let protocol = protocol.map_or_else(String::new, |p| format!("smithy-protocol: {p}\r\n"));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/cbor\r\n\
         Accept: application/cbor\r\n{protocol}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response))
        .await
        .expect("answer within 5 s")
        .expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP head and body");
    let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    CborResponse {
        status,
        head,
        body: response[split + 4..].to_vec(),
    }
}

/// A JSON request as the CBOR the SDK would send (maps, arrays, strings).
fn encode(value: &Value) -> Vec<u8> {
    fn into(e: &mut minicbor::Encoder<Vec<u8>>, value: &Value) {
        match value {
            Value::String(s) => {
                e.str(s).expect("in memory");
            }
            Value::Array(items) => {
                e.array(items.len() as u64).expect("in memory");
                items.iter().for_each(|item| into(e, item));
            }
            Value::Object(members) => {
                e.map(members.len() as u64).expect("in memory");
                for (key, member) in members {
                    e.str(key).expect("in memory");
                    into(e, member);
                }
            }
            other => panic!("not in these requests: {other}"),
        }
    }
    let mut encoder = minicbor::Encoder::new(Vec::new());
    into(&mut encoder, value);
    encoder.into_writer()
}

/// A CBOR answer as JSON: the simulator answers definite-length items.
fn decode(d: &mut minicbor::Decoder<'_>, depth: usize) -> Value {
    assert!(depth < 32, "nested too deep");
    match d.datatype().expect("an item") {
        Type::String => Value::from(d.str().expect("string")),
        Type::Bool => Value::from(d.bool().expect("bool")),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Value::from(d.u64().expect("u64")),
        Type::F64 => Value::from(d.f64().expect("f64")),
        Type::Array => {
            let n = d.array().expect("array").expect("definite");
            Value::Array((0..n).map(|_| decode(d, depth + 1)).collect())
        }
        Type::Map => {
            let n = d.map().expect("map").expect("definite");
            let mut members = Map::new();
            for _ in 0..n {
                let key = d.str().expect("key").to_owned();
                members.insert(key, decode(d, depth + 1));
            }
            Value::Object(members)
        }
        other => panic!("not in these answers: {other}"),
    }
}

//! Starting a simulator, talking to it, waiting for it: `tests/support`
//! (shared with the CLI tests) and what only the simulator's tests use.

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    RunningMode, TerminateRequest, WorkspaceProperties, WorkspaceRequest, WorkspaceState,
};
use wsctl::sim::{SEED_DIRECTORY_ID, Sim, SimConfig};

pub(crate) use crate::support::*;

pub(crate) const VALUE_BUNDLE: &str = "wsb-w10value0";
pub(crate) const PERFORMANCE_BUNDLE: &str = "wsb-w10perf00";
pub(crate) const GRAPHICS_BUNDLE: &str = "wsb-w10graph0";

pub(crate) async fn start(config: SimConfig) -> (Sim, Client) {
    let sim = simulator(config).await;
    let client = client(&sim);
    (sim, client)
}

pub(crate) async fn sim() -> (Sim, Client) {
    start(quick()).await
}

pub(crate) fn request(user: &str, bundle: &str) -> WorkspaceRequest {
    WorkspaceRequest::builder()
        .directory_id(SEED_DIRECTORY_ID)
        .user_name(user)
        .bundle_id(bundle)
        .build()
        .expect("complete request")
}

/// Creates one WorkSpace per user and returns their ids, in order.
pub(crate) async fn create(client: &Client, users: &[&str], bundle: &str) -> Vec<String> {
    let mut call = client.create_workspaces();
    for user in users {
        call = call.workspaces(request(user, bundle));
    }
    let out = call.send().await.expect("CreateWorkspaces");
    assert!(
        out.failed_requests().is_empty(),
        "{:?}",
        out.failed_requests()
    );
    out.pending_requests()
        .iter()
        .map(|w| w.workspace_id().unwrap_or_default().to_owned())
        .collect()
}

/// Waits until a visible WorkSpace disappears (a new id, still invisible,
/// would pass at once).
pub(crate) async fn wait_gone(client: &Client, id: &str) {
    eventually(&format!("{id} to disappear"), || async {
        describe(client, id).await.is_none().then_some(())
    })
    .await;
}

pub(crate) async fn available(client: &Client, users: &[&str], bundle: &str) -> Vec<String> {
    let ids = create(client, users, bundle).await;
    for id in &ids {
        wait_state(client, id, WorkspaceState::Available).await;
    }
    ids
}

pub(crate) async fn terminate(client: &Client, id: &str) {
    let out = client
        .terminate_workspaces()
        .terminate_workspace_requests(
            TerminateRequest::builder()
                .workspace_id(id)
                .build()
                .expect("complete request"),
        )
        .send()
        .await
        .expect("TerminateWorkspaces");
    assert!(out.failed_requests().is_empty());
}

pub(crate) fn always_on() -> WorkspaceProperties {
    WorkspaceProperties::builder()
        .running_mode(RunningMode::AlwaysOn)
        .build()
}

/// A WorkSpaces API call as raw JSON.
pub(crate) async fn call(sim: &Sim, operation: &str, body: &str) -> RawResponse {
    raw(
        sim,
        "POST",
        "/",
        Some(&format!("WorkspacesService.{operation}")),
        body,
    )
    .await
}

/// A Resource Groups Tagging API call as raw JSON.
pub(crate) async fn tagging_call(sim: &Sim, operation: &str, body: &str) -> RawResponse {
    raw(
        sim,
        "POST",
        "/",
        Some(&format!("ResourceGroupsTaggingAPI_20170126.{operation}")),
        body,
    )
    .await
}

/// The internal user-volume id of a WorkSpace.
pub(crate) async fn user_volume(sim: &Sim, id: &str) -> String {
    state(sim).await["workspaces"][id]["user_volume_id"]
        .as_str()
        .expect("WorkSpace in state")
        .to_owned()
}

/// The ARNs the Tagging API lists for one resource type
/// (`workspaces:directory`, …), as the simulator names them.
pub(crate) async fn arns_of_type(sim: &Sim, resource_type: &str) -> Vec<String> {
    tagging(sim)
        .get_resources()
        .resource_type_filters(resource_type)
        .send()
        .await
        .expect("GetResources")
        .resource_tag_mapping_list()
        .iter()
        .filter_map(|m| m.resource_arn().map(str::to_owned))
        .collect()
}

/// `arn:aws:workspaces:…:TYPE/ID` in the simulator's region and account.
pub(crate) fn workspaces_arn(path: &str) -> String {
    format!("arn:aws:workspaces:us-east-1:123456789012:{path}")
}

/// Sets usage profiles (`POST /_sim/usage`).
pub(crate) async fn set_usage(sim: &Sim, body: &str) {
    let response = raw(sim, "POST", "/_sim/usage", None, body).await;
    assert_eq!(response.status, 200, "{}", response.body);
}

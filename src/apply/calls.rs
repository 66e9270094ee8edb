//! One function per API call that apply makes, translating plan data into
//! SDK requests and per-item failures back into per-resource results.

use std::collections::BTreeMap;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    Compute, RunningMode, Tag, TerminateRequest, WorkspaceProperties, WorkspaceRequest,
};

use crate::error::{ApiError, api_error};
use crate::plan::{Modification, NewWorkspace};

/// What became of one item of a batch call.
pub(super) type ItemResult = Result<String, ApiError>;

fn invalid(operation: &'static str, error: impl std::fmt::Display) -> ApiError {
    ApiError {
        operation,
        code: "InvalidRequest".to_owned(),
        message: error.to_string(),
    }
}

fn tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ApiError> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect::<Result<_, _>>()
        .map_err(|e| invalid("CreateTags", e))
}

fn request(new: &NewWorkspace) -> Result<WorkspaceRequest, ApiError> {
    let properties = WorkspaceProperties::builder()
        .set_compute_type_name(new.compute_type.as_deref().map(Compute::from))
        .set_running_mode(new.running_mode.as_deref().map(RunningMode::from))
        .set_running_mode_auto_stop_timeout_in_minutes(new.auto_stop_timeout_minutes)
        .set_root_volume_size_gib(new.root_volume_gib)
        .set_user_volume_size_gib(new.user_volume_gib)
        .build();
    WorkspaceRequest::builder()
        .directory_id(&new.directory_id)
        .user_name(&new.user)
        .bundle_id(&new.bundle_id)
        .workspace_properties(properties)
        .root_volume_encryption_enabled(new.root_volume_encryption)
        .user_volume_encryption_enabled(new.user_volume_encryption)
        .set_volume_encryption_key(new.volume_encryption_key.clone())
        .set_tags(Some(tags(&new.tags)?))
        .build()
        .map_err(|e| invalid("CreateWorkspaces", e))
}

/// CreateWorkspaces for up to 25; the result for each item is the new id or
/// AWS's per-item error.
pub(super) async fn create_workspaces(client: &Client, batch: &[&NewWorkspace]) -> Vec<ItemResult> {
    let requests: Result<Vec<_>, _> = batch.iter().map(|new| request(new)).collect();
    let output = match requests {
        Ok(requests) => client
            .create_workspaces()
            .set_workspaces(Some(requests))
            .send()
            .await
            .map_err(|e| api_error("CreateWorkspaces", e)),
        Err(error) => Err(error),
    };
    let output = match output {
        Ok(output) => output,
        Err(error) => return batch.iter().map(|_| Err(error.clone())).collect(),
    };
    batch
        .iter()
        .map(|new| {
            let same = |directory: Option<&str>, user: Option<&str>| {
                directory == Some(new.directory_id.as_str()) && user == Some(new.user.as_str())
            };
            if let Some(created) = output
                .pending_requests()
                .iter()
                .find(|w| same(w.directory_id(), w.user_name()))
            {
                return Ok(created.workspace_id().unwrap_or_default().to_owned());
            }
            let failed = output.failed_requests().iter().find(|f| {
                f.workspace_request()
                    .is_some_and(|r| same(Some(r.directory_id()), Some(r.user_name())))
            });
            Err(ApiError {
                operation: "CreateWorkspaces",
                code: failed
                    .and_then(|f| f.error_code())
                    .unwrap_or("Missing")
                    .to_owned(),
                message: failed
                    .and_then(|f| f.error_message())
                    .unwrap_or("the response named this WorkSpace neither pending nor failed")
                    .to_owned(),
            })
        })
        .collect()
}

/// TerminateWorkspaces for up to 25 ids.
pub(super) async fn terminate_workspaces(client: &Client, ids: &[&str]) -> Vec<ItemResult> {
    let requests: Result<Vec<_>, _> = ids
        .iter()
        .map(|id| TerminateRequest::builder().workspace_id(*id).build())
        .collect();
    let output = match requests {
        Ok(requests) => client
            .terminate_workspaces()
            .set_terminate_workspace_requests(Some(requests))
            .send()
            .await
            .map_err(|e| api_error("TerminateWorkspaces", e)),
        Err(error) => Err(invalid("TerminateWorkspaces", error)),
    };
    let output = match output {
        Ok(output) => output,
        Err(error) => return ids.iter().map(|_| Err(error.clone())).collect(),
    };
    ids.iter()
        .map(|id| {
            match output
                .failed_requests()
                .iter()
                .find(|f| f.workspace_id() == Some(*id))
            {
                None => Ok((*id).to_owned()),
                Some(failed) => Err(ApiError {
                    operation: "TerminateWorkspaces",
                    code: failed.error_code().unwrap_or("Unknown").to_owned(),
                    message: failed.error_message().unwrap_or_default().to_owned(),
                }),
            }
        })
        .collect()
}

pub(super) async fn modify_workspace(
    client: &Client,
    workspace_id: &str,
    modification: &Modification,
) -> Result<(), ApiError> {
    let properties = WorkspaceProperties::builder();
    let properties = match modification {
        Modification::RunningMode {
            running_mode,
            auto_stop_timeout_minutes,
        } => properties
            .running_mode(RunningMode::from(running_mode.as_str()))
            .set_running_mode_auto_stop_timeout_in_minutes(*auto_stop_timeout_minutes),
        Modification::ComputeType { compute_type } => {
            properties.compute_type_name(Compute::from(compute_type.as_str()))
        }
        Modification::RootVolume { gib } => properties.root_volume_size_gib(*gib),
        Modification::UserVolume { gib } => properties.user_volume_size_gib(*gib),
    };
    client
        .modify_workspace_properties()
        .workspace_id(workspace_id)
        .workspace_properties(properties.build())
        .send()
        .await
        .map_err(|e| api_error("ModifyWorkspaceProperties", e))?;
    Ok(())
}

pub(super) async fn tag_resource(
    client: &Client,
    resource_id: &str,
    set: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    client
        .create_tags()
        .resource_id(resource_id)
        .set_tags(Some(tags(set)?))
        .send()
        .await
        .map_err(|e| api_error("CreateTags", e))?;
    Ok(())
}

pub(super) async fn untag_resource(
    client: &Client,
    resource_id: &str,
    keys: &[String],
) -> Result<(), ApiError> {
    client
        .delete_tags()
        .resource_id(resource_id)
        .set_tag_keys(Some(keys.to_vec()))
        .send()
        .await
        .map_err(|e| api_error("DeleteTags", e))?;
    Ok(())
}

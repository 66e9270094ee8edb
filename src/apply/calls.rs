//! One function per API call that apply makes for the kinds whose calls
//! have not moved to their file in `kinds` (IP groups' and connection
//! aliases' have), translating plan data into SDK requests and per-item
//! failures back into per-resource results.

use std::collections::BTreeMap;

use aws_sdk_workspaces::Client;
use aws_sdk_workspaces::types::{
    Compute, ComputeType, DedicatedTenancySupportEnum, FailedWorkspaceChangeRequest, RebootRequest,
    RebuildRequest, RootStorage, Tenancy, TerminateRequest, UserStorage,
    WorkspaceImageIngestionProcess, WorkspaceRequest,
};

use super::StepError;
use crate::aws::{ApiError, api_error};
use crate::directory_settings::{self, Group, GroupSettings};
use crate::kinds::{invalid, tags};
use crate::plan::{Modification, NewBundle, NewDirectory, NewImage, NewImageSource, NewWorkspace};

/// What became of one item of a batch call: its id, or why not.
pub(super) type ItemResult = Result<String, StepError>;

/// `bundle_id` is the new WorkSpace's bundle, resolved from the plan.
fn request(new: &NewWorkspace, bundle_id: &str) -> Result<WorkspaceRequest, ApiError> {
    let request = WorkspaceRequest::builder()
        .directory_id(&new.directory_id)
        .user_name(&new.user)
        .bundle_id(bundle_id);
    new.properties
        .fill_request(request)
        .map_err(|e| invalid("CreateWorkspaces", e))?
        .set_tags(Some(tags(&new.tags)?))
        .build()
        .map_err(|e| invalid("CreateWorkspaces", e))
}

/// CreateWorkspaces for up to 25; the result for each item is the new id or
/// AWS's per-item error.
pub(super) async fn create_workspaces(
    client: &Client,
    batch: &[(&NewWorkspace, String)],
) -> Vec<ItemResult> {
    let requests: Result<Vec<_>, _> = batch
        .iter()
        .map(|(new, bundle)| request(new, bundle))
        .collect();
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
        Err(error) => return batch.iter().map(|_| Err(error.clone().into())).collect(),
    };
    batch
        .iter()
        .map(|(new, _)| {
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
            Err(StepError::Item {
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
    match output {
        Ok(output) => per_item("TerminateWorkspaces", ids, output.failed_requests()),
        Err(error) => ids.iter().map(|_| Err(error.clone().into())).collect(),
    }
}

/// RebootWorkspaces for up to 25 ids.
pub(super) async fn reboot_workspaces(client: &Client, ids: &[&str]) -> Vec<ItemResult> {
    let requests: Result<Vec<_>, _> = ids
        .iter()
        .map(|id| RebootRequest::builder().workspace_id(*id).build())
        .collect();
    let output = match requests {
        Ok(requests) => client
            .reboot_workspaces()
            .set_reboot_workspace_requests(Some(requests))
            .send()
            .await
            .map_err(|e| api_error("RebootWorkspaces", e)),
        Err(error) => Err(invalid("RebootWorkspaces", error)),
    };
    match output {
        Ok(output) => per_item("RebootWorkspaces", ids, output.failed_requests()),
        Err(error) => ids.iter().map(|_| Err(error.clone().into())).collect(),
    }
}

/// Each id's result from a batch call's `FailedRequests`.
fn per_item(
    operation: &'static str,
    ids: &[&str],
    failed: &[FailedWorkspaceChangeRequest],
) -> Vec<ItemResult> {
    ids.iter()
        .map(
            |id| match failed.iter().find(|f| f.workspace_id() == Some(*id)) {
                None => Ok((*id).to_owned()),
                Some(failed) => Err(StepError::Item {
                    operation,
                    code: failed.error_code().unwrap_or("Unknown").to_owned(),
                    message: failed.error_message().unwrap_or_default().to_owned(),
                }),
            },
        )
        .collect()
}

/// RebuildWorkspaces takes exactly one WorkSpace; its refusal comes back in
/// `FailedRequests`, not as an error.
pub(super) async fn rebuild_workspace(client: &Client, id: &str) -> Result<(), StepError> {
    let request = RebuildRequest::builder()
        .workspace_id(id)
        .build()
        .map_err(|e| invalid("RebuildWorkspaces", e))?;
    let output = client
        .rebuild_workspaces()
        .rebuild_workspace_requests(request)
        .send()
        .await
        .map_err(|e| api_error("RebuildWorkspaces", e))?;
    per_item("RebuildWorkspaces", &[id], output.failed_requests())
        .into_iter()
        .try_for_each(|item| item.map(drop))
}

pub(super) async fn restore_workspace(client: &Client, id: &str) -> Result<(), ApiError> {
    client
        .restore_workspace()
        .workspace_id(id)
        .send()
        .await
        .map_err(|e| api_error("RestoreWorkspace", e))?;
    Ok(())
}

pub(super) async fn modify_workspace(
    client: &Client,
    workspace_id: &str,
    modification: &Modification,
) -> Result<(), ApiError> {
    let properties = modification
        .request()
        .map_err(|e| invalid("ModifyWorkspaceProperties", e))?;
    client
        .modify_workspace_properties()
        .workspace_id(workspace_id)
        .workspace_properties(properties)
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

pub(super) async fn migrate_workspace(
    client: &Client,
    workspace_id: &str,
    bundle_id: &str,
) -> Result<String, ApiError> {
    let output = client
        .migrate_workspace()
        .source_workspace_id(workspace_id)
        .bundle_id(bundle_id)
        .send()
        .await
        .map_err(|e| api_error("MigrateWorkspace", e))?;
    output
        .target_workspace_id()
        .map(str::to_owned)
        .ok_or_else(|| ApiError {
            operation: "MigrateWorkspace",
            code: "MissingTargetWorkspaceId".to_owned(),
            message: "the answer named no new WorkSpace".to_owned(),
        })
}

pub(super) async fn enable_byol(client: &Client, management_cidr: &str) -> Result<(), ApiError> {
    client
        .modify_account()
        .dedicated_tenancy_support(DedicatedTenancySupportEnum::Enabled)
        .dedicated_tenancy_management_cidr_range(management_cidr)
        .send()
        .await
        .map_err(|e| api_error("ModifyAccount", e))?;
    Ok(())
}

/// ImportWorkspaceImage, CopyWorkspaceImage or CreateUpdatedWorkspaceImage;
/// `source_id` is the resolved source of an update. Returns the new id.
pub(super) async fn create_image(
    client: &Client,
    image: &NewImage,
    source_id: Option<&str>,
) -> Result<String, ApiError> {
    let tags = tags(&image.tags)?;
    let id = match &image.source {
        NewImageSource::Import {
            ec2_image_id,
            ingestion_process,
        } => client
            .import_workspace_image()
            .ec2_image_id(ec2_image_id)
            .ingestion_process(WorkspaceImageIngestionProcess::from(
                ingestion_process.as_str(),
            ))
            .image_name(&image.name)
            .image_description(&image.description)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| api_error("ImportWorkspaceImage", e))?
            .image_id
            .clone(),
        NewImageSource::Copy {
            source_region,
            source_image_id,
        } => client
            .copy_workspace_image()
            .name(&image.name)
            .description(&image.description)
            .source_image_id(source_image_id)
            .source_region(source_region)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| api_error("CopyWorkspaceImage", e))?
            .image_id
            .clone(),
        NewImageSource::UpdateOf { .. } => client
            .create_updated_workspace_image()
            .name(&image.name)
            .description(&image.description)
            .set_source_image_id(source_id.map(str::to_owned))
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| api_error("CreateUpdatedWorkspaceImage", e))?
            .image_id
            .clone(),
    };
    id.ok_or_else(|| ApiError {
        operation: "CreateImage",
        code: "MissingImageId".to_owned(),
        message: format!("the answer for image {} named no image id", image.name),
    })
}

pub(super) async fn delete_image(client: &Client, image_id: &str) -> Result<(), ApiError> {
    client
        .delete_workspace_image()
        .image_id(image_id)
        .send()
        .await
        .map_err(|e| api_error("DeleteWorkspaceImage", e))?;
    Ok(())
}

pub(super) async fn create_bundle(
    client: &Client,
    bundle: &NewBundle,
    image_id: &str,
) -> Result<String, ApiError> {
    let storage = |gib: i32| gib.to_string();
    let root = bundle
        .root_volume_gib
        .map(|gib| RootStorage::builder().capacity(storage(gib)).build())
        .transpose()
        .map_err(|e| invalid("CreateWorkspaceBundle", e))?;
    let user = UserStorage::builder()
        .capacity(storage(bundle.user_volume_gib))
        .build()
        .map_err(|e| invalid("CreateWorkspaceBundle", e))?;
    let output = client
        .create_workspace_bundle()
        .bundle_name(&bundle.name)
        .bundle_description(&bundle.description)
        .image_id(image_id)
        .compute_type(
            ComputeType::builder()
                .name(Compute::from(bundle.compute_type.as_str()))
                .build(),
        )
        .user_storage(user)
        .set_root_storage(root)
        .set_tags(Some(tags(&bundle.tags)?))
        .send()
        .await
        .map_err(|e| api_error("CreateWorkspaceBundle", e))?;
    output
        .workspace_bundle()
        .and_then(|b| b.bundle_id())
        .map(str::to_owned)
        .ok_or_else(|| ApiError {
            operation: "CreateWorkspaceBundle",
            code: "MissingBundleId".to_owned(),
            message: format!("the answer for bundle {} named no bundle id", bundle.name),
        })
}

pub(super) async fn update_bundle(
    client: &Client,
    bundle_id: &str,
    image_id: &str,
) -> Result<(), ApiError> {
    client
        .update_workspace_bundle()
        .bundle_id(bundle_id)
        .image_id(image_id)
        .send()
        .await
        .map_err(|e| api_error("UpdateWorkspaceBundle", e))?;
    Ok(())
}

pub(super) async fn delete_bundle(client: &Client, bundle_id: &str) -> Result<(), ApiError> {
    client
        .delete_workspace_bundle()
        .bundle_id(bundle_id)
        .send()
        .await
        .map_err(|e| api_error("DeleteWorkspaceBundle", e))?;
    Ok(())
}

pub(super) async fn update_image_permission(
    client: &Client,
    image_id: &str,
    account_id: &str,
    allow: bool,
) -> Result<(), ApiError> {
    client
        .update_workspace_image_permission()
        .image_id(image_id)
        .shared_account_id(account_id)
        .allow_copy_image(allow)
        .send()
        .await
        .map_err(|e| api_error("UpdateWorkspaceImagePermission", e))?;
    Ok(())
}

pub(super) async fn register_directory(
    client: &Client,
    directory: &NewDirectory,
) -> Result<(), ApiError> {
    client
        .register_workspace_directory()
        .directory_id(&directory.directory_id)
        .set_subnet_ids(directory.subnet_ids.clone())
        .set_tenancy(
            directory
                .tenancy
                .as_ref()
                .map(|t| Tenancy::from(t.as_str())),
        )
        .set_enable_self_service(directory.enable_self_service)
        .set_tags(Some(tags(&directory.tags)?))
        .send()
        .await
        .map_err(|e| api_error("RegisterWorkspaceDirectory", e))?;
    Ok(())
}

pub(super) async fn deregister_directory(
    client: &Client,
    directory_id: &str,
) -> Result<(), ApiError> {
    client
        .deregister_workspace_directory()
        .directory_id(directory_id)
        .send()
        .await
        .map_err(|e| api_error("DeregisterWorkspaceDirectory", e))?;
    Ok(())
}

/// The Modify* call of `group`, with the group's settings whole.
pub(super) async fn modify_directory(
    client: &Client,
    directory_id: &str,
    group: Group,
    settings: &GroupSettings,
) -> Result<(), ApiError> {
    match group {
        Group::SelfServicePermissions => client
            .modify_selfservice_permissions()
            .resource_id(directory_id)
            .selfservice_permissions(directory_settings::self_service_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
        Group::Creation => client
            .modify_workspace_creation_properties()
            .resource_id(directory_id)
            .workspace_creation_properties(directory_settings::creation_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
        Group::Access => client
            .modify_workspace_access_properties()
            .resource_id(directory_id)
            .workspace_access_properties(directory_settings::access_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
        Group::Client => client
            .modify_client_properties()
            .resource_id(directory_id)
            .client_properties(directory_settings::client_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
        Group::Saml => {
            let (properties, deleted) = directory_settings::saml_request(settings);
            client
                .modify_saml_properties()
                .resource_id(directory_id)
                .saml_properties(properties)
                .set_properties_to_delete((!deleted.is_empty()).then_some(deleted))
                .send()
                .await
                .map(drop)
                .map_err(|e| api_error(group.api_name(), e))
        }
        Group::CertificateBasedAuth => {
            let (properties, deleted) =
                directory_settings::certificate_based_auth_request(settings);
            client
                .modify_certificate_based_auth_properties()
                .resource_id(directory_id)
                .certificate_based_auth_properties(properties)
                .set_properties_to_delete((!deleted.is_empty()).then_some(deleted))
                .send()
                .await
                .map(drop)
                .map_err(|e| api_error(group.api_name(), e))
        }
        Group::Streaming => client
            .modify_streaming_properties()
            .resource_id(directory_id)
            .streaming_properties(directory_settings::streaming_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
        Group::EndpointEncryption => client
            .modify_endpoint_encryption_mode()
            .directory_id(directory_id)
            .set_endpoint_encryption_mode(directory_settings::endpoint_encryption_request(settings))
            .send()
            .await
            .map(drop)
            .map_err(|e| api_error(group.api_name(), e)),
    }
}

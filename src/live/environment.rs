//! Reading registered directories (DescribeWorkspaceDirectories, and
//! DescribeClientProperties for the client settings the file manages). An
//! account has few, so they are listed whole, a page of 25 at a time.

use std::collections::HashMap;

use aws_sdk_workspaces::types::WorkspaceDirectory;

use super::LiveDirectory;
use super::fetch::PAGE;
use crate::aws::all_pages;
use crate::aws::{ApiError, Aws, api_error};
use crate::directory_settings::{self, GroupSettings, Tenancy};
use crate::states::DirectoryState;

/// Every directory DescribeWorkspaceDirectories lists, sorted by id.
pub(super) async fn directories(aws: &Aws) -> Result<Vec<LiveDirectory>, ApiError> {
    let mut found = all_pages(
        aws,
        "DescribeWorkspaceDirectories",
        |token| {
            aws.workspaces
                .describe_workspace_directories()
                .limit(PAGE as i32)
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_workspaces::operation::describe_workspace_directories::DescribeWorkspaceDirectoriesOutput,
         found: &mut Vec<LiveDirectory>| {
            found.extend(page.directories().iter().map(live_directory));
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

fn live_directory(directory: &WorkspaceDirectory) -> LiveDirectory {
    LiveDirectory {
        id: directory.directory_id().unwrap_or_default().to_owned(),
        state: directory
            .state()
            .map(DirectoryState::from)
            .unwrap_or_default(),
        subnet_ids: directory.subnet_ids().to_vec(),
        tenancy: directory
            .tenancy()
            .map(|t| Tenancy::from(t.as_str().to_owned())),
        ip_group_ids: directory.ip_group_ids().to_vec(),
        settings: directory_settings::read(directory),
        tags: Default::default(),
    }
}

/// The client settings of each of `ids`, 25 a call.
pub(super) async fn client_settings(
    aws: &Aws,
    ids: &[String],
) -> Result<HashMap<String, GroupSettings>, ApiError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(PAGE) {
        let call = aws
            .workspaces
            .describe_client_properties()
            .set_resource_ids(Some(chunk.to_vec()))
            .send();
        let output = aws
            .limit
            .run(call)
            .await
            .map_err(|e| api_error("DescribeClientProperties", e))?;
        for result in output.client_properties_list() {
            if let (Some(id), Some(properties)) = (result.resource_id(), result.client_properties())
            {
                found.insert(id.to_owned(), directory_settings::read_client(properties));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use aws_sdk_workspaces::types::{Tenancy, WorkspaceDirectoryState};

    use super::*;

    #[test]
    fn a_described_directory_reads_as_its_subnets_groups_and_state() {
        let directory = WorkspaceDirectory::builder()
            .directory_id("d-1234567890")
            .state(WorkspaceDirectoryState::Registered)
            .subnet_ids("subnet-0a1b2c3d4e5f60718")
            .subnet_ids("subnet-0f1e2d3c4b5a69788")
            .ip_group_ids("wsipg-abc12345")
            .tenancy(Tenancy::Shared)
            .build();
        let live = live_directory(&directory);
        assert_eq!(live.state, DirectoryState::Registered);
        assert!(live.is_registered());
        assert_eq!(live.subnet_ids.len(), 2);
        assert_eq!(live.ip_group_ids, ["wsipg-abc12345"]);
        assert_eq!(
            live.tenancy,
            Some(crate::directory_settings::Tenancy::Shared)
        );
        assert!(live.settings.is_empty());
    }
}

//! A WorkSpace's configuration: what AWS calls its WorkspaceProperties, and
//! the volume encryption it can only be created with. The file's WorkSpace,
//! the live one and the one a plan creates each hold one, so a new attribute
//! is a field here, its reading and its request below, and its diff in
//! `plan/workspaces/properties.rs`.

use aws_sdk_workspaces::types::{self as sdk, builders::WorkspaceRequestBuilder};
use serde::{Deserialize, Serialize};

/// In the file, an unset value leaves AWS's (the bundle's) choice; read from
/// AWS, it is one AWS did not report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkspaceProperties {
    pub compute_type: Option<String>,
    // The plan's schema has always called it a string.
    #[schemars(with = "Option<String>")]
    pub running_mode: Option<RunningMode>,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    pub root_volume_encryption: bool,
    pub user_volume_encryption: bool,
    pub volume_encryption_key: Option<String>,
}

impl WorkspaceProperties {
    /// What DescribeWorkspaces says of `workspace`.
    pub fn read(workspace: &sdk::Workspace) -> Self {
        let properties = workspace.workspace_properties();
        WorkspaceProperties {
            compute_type: properties
                .and_then(|p| p.compute_type_name())
                .map(|c| c.as_str().to_owned()),
            running_mode: properties
                .and_then(|p| p.running_mode())
                .and_then(|m| RunningMode::named(m.as_str())),
            auto_stop_timeout_minutes: properties
                .and_then(|p| p.running_mode_auto_stop_timeout_in_minutes()),
            root_volume_gib: properties.and_then(|p| p.root_volume_size_gib()),
            user_volume_gib: properties.and_then(|p| p.user_volume_size_gib()),
            root_volume_encryption: workspace.root_volume_encryption_enabled().unwrap_or(false),
            user_volume_encryption: workspace.user_volume_encryption_enabled().unwrap_or(false),
            volume_encryption_key: workspace.volume_encryption_key().map(str::to_owned),
        }
    }

    /// A CreateWorkspaces item with these properties; unset ones are left to
    /// the bundle.
    pub fn fill_request(&self, request: WorkspaceRequestBuilder) -> WorkspaceRequestBuilder {
        let properties = sdk::WorkspaceProperties::builder()
            .set_compute_type_name(self.compute_type.as_deref().map(sdk::Compute::from))
            .set_running_mode(
                self.running_mode
                    .map(|m| sdk::RunningMode::from(m.as_str())),
            )
            .set_running_mode_auto_stop_timeout_in_minutes(self.auto_stop_timeout_minutes)
            .set_root_volume_size_gib(self.root_volume_gib)
            .set_user_volume_size_gib(self.user_volume_gib)
            .build();
        request
            .workspace_properties(properties)
            .root_volume_encryption_enabled(self.root_volume_encryption)
            .user_volume_encryption_enabled(self.user_volume_encryption)
            .set_volume_encryption_key(self.volume_encryption_key.clone())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunningMode {
    AlwaysOn,
    AutoStop,
    Manual,
}

impl RunningMode {
    pub const ALL: [RunningMode; 3] = [Self::AlwaysOn, Self::AutoStop, Self::Manual];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlwaysOn => "ALWAYS_ON",
            Self::AutoStop => "AUTO_STOP",
            Self::Manual => "MANUAL",
        }
    }

    /// The mode AWS and the file spell `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encrypted_power() -> WorkspaceProperties {
        WorkspaceProperties {
            compute_type: Some("POWER".to_owned()),
            running_mode: Some(RunningMode::AutoStop),
            auto_stop_timeout_minutes: Some(120),
            root_volume_gib: Some(175),
            user_volume_gib: Some(100),
            root_volume_encryption: true,
            user_volume_encryption: false,
            volume_encryption_key: Some("alias/workspaces".to_owned()),
        }
    }

    /// What a CreateWorkspaces item asks for is what DescribeWorkspaces
    /// later reports for it.
    #[test]
    fn a_request_carries_every_property_that_is_read_back() {
        let wanted = encrypted_power();
        let request = wanted
            .fill_request(sdk::WorkspaceRequest::builder())
            .directory_id("d-1234567890")
            .user_name("alice")
            .bundle_id("wsb-0123abcde")
            .build()
            .expect("directory, user and bundle are set");
        let created = sdk::Workspace::builder()
            .set_workspace_properties(request.workspace_properties().cloned())
            .set_root_volume_encryption_enabled(request.root_volume_encryption_enabled())
            .set_user_volume_encryption_enabled(request.user_volume_encryption_enabled())
            .set_volume_encryption_key(request.volume_encryption_key().map(str::to_owned))
            .build();
        assert_eq!(WorkspaceProperties::read(&created), wanted);
    }

    #[test]
    fn unset_properties_are_left_out_of_the_request() {
        let request = WorkspaceProperties::default()
            .fill_request(sdk::WorkspaceRequest::builder())
            .directory_id("d-1234567890")
            .user_name("alice")
            .bundle_id("wsb-0123abcde")
            .build()
            .expect("directory, user and bundle are set");
        assert_eq!(
            request.workspace_properties(),
            Some(&sdk::WorkspaceProperties::builder().build())
        );
        assert_eq!(request.volume_encryption_key(), None);
    }

    #[test]
    fn running_modes_are_spelled_as_aws_spells_them() {
        for mode in RunningMode::ALL {
            assert_eq!(RunningMode::named(mode.as_str()), Some(mode));
            assert_eq!(
                sdk::RunningMode::from(mode.as_str()).as_str(),
                mode.as_str()
            );
        }
        assert_eq!(RunningMode::named("SOMETIMES"), None);
    }
}

//! What the account has, as plain data: the planner reads this, never the
//! SDK's types, so it can be tested without a network.

mod fetch;

use std::collections::BTreeMap;

pub use fetch::{PAGE, describe_workspaces_by_id, fetch};

/// The tag that says which stack owns a resource.
pub const STACK_TAG: &str = "wsctl:stack";
/// The tag that names the `[workspaces.NAME]` a WorkSpace was created for, so
/// a change of user or directory is a replacement rather than an unrelated
/// create and delete.
pub const NAME_TAG: &str = "wsctl:name";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    pub workspaces: Vec<LiveWorkspace>,
    /// AMAZON-owned and the account's own bundles, to resolve names.
    pub bundles: Vec<LiveBundle>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveWorkspace {
    pub id: String,
    pub directory_id: String,
    pub user: String,
    pub state: String,
    pub bundle_id: String,
    pub compute_type: Option<String>,
    pub running_mode: Option<String>,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    pub root_volume_encryption: bool,
    pub user_volume_encryption: bool,
    pub volume_encryption_key: Option<String>,
    /// A property change is still being carried out.
    pub modifying: bool,
    pub tags: BTreeMap<String, String>,
}

impl LiveWorkspace {
    pub fn stack(&self) -> Option<&str> {
        self.tags.get(STACK_TAG).map(String::as_str)
    }

    pub fn name_tag(&self) -> Option<&str> {
        self.tags.get(NAME_TAG).map(String::as_str)
    }

    /// On its way out: never matched, never changed.
    pub fn is_terminating(&self) -> bool {
        matches!(self.state.as_str(), "TERMINATING" | "TERMINATED")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveBundle {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub compute_type: Option<String>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
}

impl LiveState {
    pub fn bundle_by_id(&self, id: &str) -> Option<&LiveBundle> {
        self.bundles.iter().find(|bundle| bundle.id == id)
    }
}

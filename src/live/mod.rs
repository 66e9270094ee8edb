//! What the account has. `fetch` reads it through the AWS clients (the
//! stack's resources in bulk, see `workspaces.rs`) into plain data, the
//! `LiveState` the planner reads, never the SDK's types, so the planner is
//! tested without a network; `LiveIndex` looks it up by id and natural key.

mod fetch;
mod fingerprint;
mod index;
mod inventory;
mod scope;
mod snapshots;
mod tags;
mod workspaces;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::identity::{NAME_TAG, STACK_TAG, WorkspaceKey};
use crate::workspace_properties::WorkspaceProperties;
pub use fetch::{PAGE, describe_workspaces_by_id, fetch, workspaces_in};
pub use fingerprint::fingerprints;
pub(crate) use fingerprint::fingerprints_in;
pub use index::LiveIndex;
pub use inventory::{Inventory, inventory};
pub use scope::Scope;
pub use snapshots::{Snapshots, UNWELL_STATES, describe_snapshots, timestamp};
pub use workspaces::fetch_one;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    pub account: LiveAccount,
    pub workspaces: Vec<LiveWorkspace>,
    /// AMAZON-owned and the account's own bundles, to resolve names.
    pub bundles: Vec<LiveBundle>,
    /// The account's own images.
    pub images: Vec<LiveImage>,
    /// Images other accounts share with this one.
    pub shared_images: Vec<LiveImage>,
    /// Whether ListAvailableManagementCidrRanges offers the range the file
    /// asks for; read only when BYOL is to be turned on.
    pub cidr_offer: Option<CidrOffer>,
    /// Snapshots by WorkSpace id, read only for WorkSpaces the plan may heal.
    pub snapshots: BTreeMap<String, Snapshots>,
    /// What the reader had to do differently this run, for one line each
    /// on stderr (the Tagging API denied or behind).
    pub notes: Vec<String>,
}

/// The account's BYOL (dedicated tenancy) setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveAccount {
    pub byol: bool,
    pub management_cidr: Option<String>,
    /// A modification still PENDING: its range.
    pub pending_cidr: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CidrOffer {
    pub requested: String,
    pub offered: bool,
    /// Other ranges on offer near the requested one, for the error message.
    pub alternatives: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LiveImage {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub state: String,
    /// Seconds since the epoch: the newest of several versions is current.
    pub created: f64,
    pub update_available: bool,
    pub update_description: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// The account that owns it; kept out of fingerprints, which predate it.
    #[serde(skip)]
    pub owner_account_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LiveWorkspace {
    pub id: String,
    pub directory_id: String,
    pub user: String,
    pub state: String,
    pub bundle_id: String,
    // Flattened: fingerprints hash this JSON, and plans saved before the
    // properties had a struct must still match.
    #[serde(flatten)]
    pub properties: WorkspaceProperties,
    /// A property change is still being carried out.
    pub modifying: bool,
    pub tags: BTreeMap<String, String>,
}

impl LiveWorkspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }

    /// On its way out: never matched, never changed.
    pub fn is_terminating(&self) -> bool {
        matches!(self.state.as_str(), "TERMINATING" | "TERMINATED")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveBundle {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub image_id: Option<String>,
    pub compute_type: Option<String>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    /// Read for the account's own bundles only.
    pub tags: BTreeMap<String, String>,
}

impl LiveBundle {
    /// The account's own, as opposed to AMAZON's.
    pub fn is_custom(&self) -> bool {
        self.owner.as_deref() != Some("AMAZON")
    }
}

/// What every taggable live resource tells the planner about ownership.
pub trait Owned {
    fn tags(&self) -> &BTreeMap<String, String>;

    fn stack(&self) -> Option<&str> {
        self.tags().get(STACK_TAG).map(String::as_str)
    }

    fn name_tag(&self) -> Option<&str> {
        self.tags().get(NAME_TAG).map(String::as_str)
    }
}

impl Owned for LiveBundle {
    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

impl Owned for LiveImage {
    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

impl Owned for LiveWorkspace {
    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

//! What the account has. `fetch` reads it through the AWS clients (the
//! stack's resources in bulk, see `workspaces.rs`) into plain data, the
//! `LiveState` the planner reads, never the SDK's types, so the planner is
//! tested without a network; `LiveIndex` looks it up by id and natural key.

mod environment;
mod fetch;
mod fingerprint;
mod index;
mod inventory;
mod kms;
mod scope;
mod sharing;
mod snapshots;
mod tags;
mod usage;
mod workspaces;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::directory_settings::DirectorySettings;
use crate::identity::owned;
pub use crate::identity::{NAME_TAG, Owned, STACK_TAG, WorkspaceKey};
pub use crate::kinds::connection_alias::{LiveAliasAssociation, LiveConnectionAlias};
pub use crate::kinds::ip_group::LiveIpGroup;
use crate::states::{DirectoryState, ImageState, WorkspaceState};
use crate::workspace_properties::WorkspaceProperties;
pub use fetch::{PAGE, describe_workspaces_by_id, fetch};
pub use fingerprint::fingerprints;
pub(crate) use fingerprint::fingerprints_in;
pub use index::LiveIndex;
pub use inventory::{Inventory, inventory};
pub use scope::Scope;
pub use snapshots::{Snapshots, UNWELL_STATES, describe_snapshots, timestamp};
pub(crate) use tags::is_denied;
pub use usage::{
    ConnectionStatus, DIMENSION, METRIC, NAMESPACE, QUERIES_PER_CALL, SAMPLE_MINUTES, Samples,
    Usage, Window, period_for, read_samples, read_usage,
};
pub use workspaces::{fetch_one, workspaces_by_key};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    pub account: LiveAccount,
    pub workspaces: Vec<LiveWorkspace>,
    /// AMAZON-owned and the account's own bundles, to resolve names.
    pub bundles: Vec<LiveBundle>,
    /// Registered directories (and ones on their way in or out), sorted by id.
    pub directories: Vec<LiveDirectory>,
    /// IP access control groups, sorted by id; read when the file or the
    /// stack has any.
    pub ip_groups: Vec<LiveIpGroup>,
    /// The account's own images.
    pub images: Vec<LiveImage>,
    /// Images other accounts share with this one.
    pub shared_images: Vec<LiveImage>,
    /// The account's connection aliases, all of them (AWS allows 20).
    pub connection_aliases: Vec<LiveConnectionAlias>,
    /// The account's id, when an answer named it (an alias's owner).
    pub account_id: Option<String>,
    /// Whether ListAvailableManagementCidrRanges offers the range the file
    /// asks for; read only when BYOL is to be turned on.
    pub cidr_offer: Option<CidrOffer>,
    /// Snapshots by WorkSpace id, read only for WorkSpaces the plan may heal.
    pub snapshots: BTreeMap<String, Snapshots>,
    /// The key ARN of each KMS alias or key id the file encrypts with;
    /// None for one KMS does not find. Read only when the file names one.
    pub kms_keys: BTreeMap<String, Option<String>>,
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

/// A directory as DescribeWorkspaceDirectories (and, for its client
/// settings, DescribeClientProperties) reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveDirectory {
    pub id: String,
    pub state: DirectoryState,
    pub subnet_ids: Vec<String>,
    pub tenancy: Option<crate::directory_settings::Tenancy>,
    pub ip_group_ids: Vec<String>,
    /// The client group is present only when it was read (the file sets it).
    pub settings: DirectorySettings,
    pub tags: BTreeMap<String, String>,
}

impl LiveDirectory {
    /// Registered or on its way: what a registration of the same id would
    /// collide with.
    pub fn is_registered(&self) -> bool {
        !matches!(
            self.state,
            DirectoryState::Deregistering | DirectoryState::Deregistered
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LiveImage {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub state: ImageState,
    /// Seconds since the epoch: the newest of several versions is current.
    pub created: f64,
    pub update_available: bool,
    pub update_description: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// The account that owns it; kept out of fingerprints, which predate it.
    #[serde(skip)]
    pub owner_account_id: Option<String>,
    /// The accounts it is shared with; read only for the stack's images and
    /// those the file names (left out of fingerprints when not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_with: Option<BTreeSet<String>>,
    /// The OS type AWS reports (`WINDOWS`, `LINUX`), for prices; kept out
    /// of fingerprints, which predate it.
    #[serde(skip)]
    pub operating_system: Option<String>,
    /// `DEDICATED` for a BYOL image; kept out of fingerprints too.
    #[serde(skip)]
    pub required_tenancy: Option<crate::directory_settings::Tenancy>,
}

impl LiveImage {
    /// A bring-your-own-licence image: only dedicated hardware runs it.
    pub fn is_byol(&self) -> bool {
        self.required_tenancy
            .as_ref()
            .is_some_and(crate::directory_settings::Tenancy::is_dedicated)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LiveWorkspace {
    pub id: String,
    pub directory_id: String,
    pub user: String,
    pub state: WorkspaceState,
    pub bundle_id: String,
    // Flattened: fingerprints hash this JSON, and plans saved before the
    // properties had a struct must still match.
    #[serde(flatten)]
    pub properties: WorkspaceProperties,
    /// A property change is still being carried out.
    pub modifying: bool,
    pub tags: BTreeMap<String, String>,
    /// Why AWS put it in ERROR, as it says; kept out of fingerprints, which
    /// predate it.
    #[serde(skip)]
    pub error_code: Option<String>,
    #[serde(skip)]
    pub error_message: Option<String>,
}

impl LiveWorkspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }

    /// Its state for people to read: `UNKNOWN` where AWS left it out.
    pub fn shown_state(&self) -> &str {
        match self.state.as_str() {
            "" => "UNKNOWN",
            state => state,
        }
    }

    /// On its way out: never matched, never changed.
    pub fn is_terminating(&self) -> bool {
        self.state.is_terminating()
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

owned!(LiveBundle, |b| format!("bundle {} ({})", b.id, b.name));
owned!(LiveImage, |i| format!("image {} ({})", i.id, i.name));

owned!(
    LiveDirectory,
    |d| format!("directory {}", d.id),
    unowned: format!(
        "directory {} is registered without a wsctl:stack tag; apply tags it",
        d.id
    )
);
owned!(
    LiveWorkspace,
    |w| format!("{} for user {} in {}", w.id, w.user, w.directory_id),
    unowned: format!(
        "{} exists for user {} in {} without a wsctl:stack tag; apply tags it",
        w.id, w.user, w.directory_id
    )
);

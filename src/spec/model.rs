//! The checked fleet: what validation hands to the graph and the planner.
//! Nothing after validation sees the raw TOML types.

use std::collections::{BTreeMap, BTreeSet};

use crate::address::Kind;
pub use crate::diagnostic::Origin;
pub use crate::directory_settings::{DirectorySettings, Group, GroupSettings, Setting};
pub use crate::identity::TagReads;
use crate::identity::WorkspaceKey;
pub use crate::kinds::connection_alias::ConnectionAlias;
pub use crate::kinds::ip_group::{IpGroup, IpGroupRef, IpRule};
pub use crate::workspace_properties::{
    GlobalAccelerator, Protocol, RunningMode, WorkspaceProperties,
};

#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    pub settings: Settings,
    pub account: Option<Account>,
    /// Sorted by name.
    pub ip_groups: Vec<IpGroup>,
    /// Sorted by name.
    pub directories: Vec<Directory>,
    pub images: Vec<Image>,
    pub bundles: Vec<Bundle>,
    /// Sorted by name.
    pub workspaces: Vec<Workspace>,
    /// Sorted by name.
    pub connection_aliases: Vec<ConnectionAlias>,
}

impl Fleet {
    /// The same stack holding nothing: what `destroy` plans towards. Every
    /// kind is named here, so a kind added later cannot be left standing.
    pub fn emptied(self) -> Fleet {
        Fleet {
            settings: self.settings,
            account: None,
            ip_groups: Vec::new(),
            directories: Vec::new(),
            images: Vec::new(),
            bundles: Vec::new(),
            workspaces: Vec::new(),
            connection_aliases: Vec::new(),
        }
    }

    /// How many resources of `kind` the file has.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Account => usize::from(self.account.is_some()),
            Kind::IpGroup => self.ip_groups.len(),
            Kind::Directory => self.directories.len(),
            Kind::Image => self.images.len(),
            Kind::Bundle => self.bundles.len(),
            Kind::Workspace => self.workspaces.len(),
            Kind::ConnectionAlias => self.connection_aliases.len(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The value of the `wsctl:stack` ownership tag.
    pub stack: String,
    pub region: Option<String>,
    pub tag_reads: TagReads,
    /// Hours an AUTO_STOP WorkSpace is assumed to run a month, for prices.
    pub auto_stop_hours_per_month: Option<u32>,
    /// The cost guard: the most a plan may add a month.
    pub max_monthly_increase: Option<crate::money::Money>,
}

/// `[account]`: the account's BYOL (dedicated tenancy) setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub origin: Origin,
    pub byol: bool,
    /// `a.b.0.0/16`, required when `byol` is true.
    pub management_cidr: Option<String>,
}

/// `[directories.NAME]`: a directory registered with WorkSpaces. `None`
/// and absent settings are not managed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directory {
    pub name: String,
    pub origin: Origin,
    pub directory_id: String,
    pub subnet_ids: Option<Vec<String>>,
    pub tenancy: Option<crate::directory_settings::Tenancy>,
    pub enable_self_service: Option<bool>,
    /// Exactly these groups are associated, when set.
    pub ip_groups: Option<Vec<IpGroupRef>>,
    pub settings: DirectorySettings,
    pub tags: BTreeMap<String, String>,
    pub allow_data_loss: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub name: String,
    pub origin: Origin,
    pub source: ImageSource,
    pub description: Option<String>,
    pub auto_update: bool,
    /// Accounts the image is shared with; `None` leaves its sharing alone.
    pub share_with: Option<BTreeSet<String>>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    Import {
        ec2_image_id: String,
        ingestion_process: String,
    },
    Copy {
        source_region: String,
        source_image_id: String,
    },
    /// Another image of the file (by name) or an image id (`wsi-…`).
    UpdateOf(ImageRef),
    /// One the account has already, made in a way AWS does not report
    /// (`existing = true`): kept, never made.
    Existing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRef {
    Name(String),
    Id(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub name: String,
    pub origin: Origin,
    pub image: ImageRef,
    pub compute_type: String,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: i32,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BundleRef {
    /// A bundle's name: one of the file's `[bundles]`, or resolved from live
    /// state (AMAZON-owned or the account's).
    Name(String),
    Id(String),
}

/// What the plan does with a WorkSpace that AWS reports UNHEALTHY or ERROR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Heal {
    /// Leave it; the plan only says so.
    #[default]
    None,
    /// RebootWorkspaces: nothing is lost.
    Reboot,
    /// RebuildWorkspaces: the root volume from the bundle's image, the user
    /// volume from its last snapshot.
    Rebuild,
    /// RestoreWorkspace: both volumes from their last snapshots.
    Restore,
}

impl Heal {
    pub const ALL: [Heal; 4] = [Self::None, Self::Reboot, Self::Rebuild, Self::Restore];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Reboot => "reboot",
            Self::Rebuild => "rebuild",
            Self::Restore => "restore",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    /// The key in `[workspaces.NAME]`.
    pub name: String,
    pub origin: Origin,
    pub directory_id: String,
    /// Defaults to `name`.
    pub user: String,
    pub bundle: BundleRef,
    pub properties: WorkspaceProperties,
    pub tags: BTreeMap<String, String>,
    pub allow_data_loss: bool,
    pub heal: Heal,
    /// `wsctl tune` may change its running mode (`tune`, default true).
    pub tune: bool,
}

impl Workspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }
}

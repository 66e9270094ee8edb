//! The resource kinds: the domain layer under the engines. A kind's file
//! (`ip_group.rs`) holds its file table's types, its live type and read, its
//! planner, its calls; this file holds what every kind shares: a change
//! (`ResourceChange`), the API operations a plan is made of (`Operation`,
//! one line per operation, its payload in the kind's file where the kind
//! has moved here), and the ownership skeleton every planner stands on
//! (`ownership`). It uses only the base modules (`address`, `identity`,
//! `diagnostic`, …), as `tests/architecture.rs` checks; `spec`, `live`,
//! `plan`, `apply`, `import` and `render` use it.

pub mod connection_alias;
pub mod facts;
pub mod ip_group;
mod kind;
pub mod ownership;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use aws_sdk_workspaces::types::Tag;
use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::aws::ApiError;
use crate::diagnostic::Origin;
use crate::directory_settings::{Group, GroupSettings};
use crate::identity::WorkspaceKey;
use crate::money::Money;
pub use crate::workspace_properties::Modification;
use crate::workspace_properties::WorkspaceProperties;
pub use ip_group::{IpRule, NewIpGroup};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Migrate,
    Replace,
    Delete,
    Adopt,
    /// Reboot, rebuild or restore a WorkSpace AWS reports UNHEALTHY or in
    /// ERROR, as its `heal` policy says; the operation names which.
    Heal,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Create,
        Action::Update,
        Action::Migrate,
        Action::Replace,
        Action::Delete,
        Action::Adopt,
        Action::Heal,
    ];

    /// The symbol users see, as Terraform draws it.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Migrate => "~>",
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Adopt => "&",
            Action::Heal => "!",
        }
    }

    /// Completes "workspace.alice will be …".
    pub fn verb(self) -> &'static str {
        match self {
            Action::Create => "created",
            Action::Update => "updated in place",
            Action::Migrate => "migrated",
            Action::Replace => "replaced",
            Action::Delete => "destroyed",
            Action::Adopt => "adopted",
            Action::Heal => "healed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResourceChange {
    pub address: Address,
    pub action: Action,
    /// Why, in a sentence.
    pub reason: String,
    /// Terminate, replace, rebuild or restore: user data does not survive.
    pub data_loss: bool,
    /// The resource says `allow_data_loss = true`.
    pub data_loss_allowed: bool,
    /// The live resource's id, when there is one.
    pub id: Option<String>,
    pub attributes: Vec<AttributeChange>,
    /// The API calls that carry the change out, in order.
    pub operations: Vec<Operation>,
    /// Resources whose operations must finish before this one's start.
    pub depends_on: Vec<Address>,
    /// What the change does to the bill: WorkSpaces, when prices were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<ChangeCost>,
}

/// One change's cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangeCost {
    /// The resource a month as it is; None where it does not exist yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_before: Option<Money>,
    /// … and as the plan leaves it; None where it is terminated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_after: Option<Money>,
    pub monthly_delta: Money,
    /// This month's change where it differs from `monthly_delta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub this_month_delta: Option<Money>,
    /// Why there is no price; the amounts above are then zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
    /// With measured hours (`plan --usage-hours`), the hours its AUTO_STOP
    /// side is priced at and whether they were measured or assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_stop_hours: Option<AutoStopHours>,
}

/// The hours a month a change's AUTO_STOP side is priced at, and where
/// they come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutoStopHours {
    pub per_month: u32,
    pub source: HoursSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoursSource {
    /// The WorkSpace's own hours, read from CloudWatch.
    Measured,
    /// `auto_stop_hours_per_month`.
    Assumed,
}

/// What each resource planner adds to the plan.
#[derive(Default)]
pub struct Planned {
    pub changes: Vec<ResourceChange>,
    pub unchanged: usize,
    pub warnings: Vec<String>,
    pub errors: Vec<PlanError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AttributeChange {
    pub name: Cow<'static, str>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// AWS cannot change this attribute of an existing resource.
    pub forces_replacement: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Number(i64),
    Bool(bool),
    Tags(BTreeMap<String, String>),
    /// A set of values, sorted: the accounts a resource is shared with.
    List(Vec<String>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => write!(f, "{text:?}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Tags(tags) => {
                let pairs: Vec<String> =
                    tags.iter().map(|(k, v)| format!("{k:?} = {v:?}")).collect();
                write!(f, "{{ {} }}", pairs.join(", "))
            }
            Value::List(items) => {
                let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
                write!(f, "[{}]", quoted.join(", "))
            }
        }
    }
}

/// One API call, with everything it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "operation", rename_all = "snake_case")]
pub enum Operation {
    /// CreateWorkspaces, batched 25 a call; the tags ride along.
    CreateWorkspace(NewWorkspace),
    /// TerminateWorkspaces, batched 25 a call.
    TerminateWorkspace { workspace_id: String },
    /// ModifyWorkspaceProperties: one change a call, as AWS requires. The
    /// WorkSpace is one that exists, or the one a migration makes.
    ModifyWorkspace {
        workspace_id: IdRef,
        modification: Modification,
    },
    /// MigrateWorkspace: a new WorkSpace on another bundle, user volume kept.
    MigrateWorkspace {
        workspace_id: String,
        bundle_id: IdRef,
    },
    /// RebootWorkspaces, batched 25 a call.
    RebootWorkspace { workspace_id: String },
    /// RebuildWorkspaces, which takes exactly one WorkSpace a call.
    RebuildWorkspace { workspace_id: String },
    /// RestoreWorkspace.
    RestoreWorkspace { workspace_id: String },
    /// ModifyAccount: turn BYOL on with a management range.
    EnableByol { management_cidr: String },
    /// ImportWorkspaceImage, CopyWorkspaceImage or CreateUpdatedWorkspaceImage.
    CreateImage(NewImage),
    /// DeleteWorkspaceImage.
    DeleteImage { image_id: String },
    /// CreateWorkspaceBundle.
    CreateBundle(NewBundle),
    /// UpdateWorkspaceBundle: point the bundle at another image.
    UpdateBundle { bundle_id: String, image_id: IdRef },
    /// DeleteWorkspaceBundle.
    DeleteBundle { bundle_id: String },
    /// CreateIpGroup, with its rules and tags.
    CreateIpGroup(NewIpGroup),
    /// UpdateRulesOfIpGroup: the group's rules become exactly these.
    UpdateIpRules {
        group_id: String,
        rules: Vec<IpRule>,
    },
    /// DeleteIpGroup.
    DeleteIpGroup { group_id: String },
    /// RegisterWorkspaceDirectory, then a wait for REGISTERED.
    RegisterDirectory(NewDirectory),
    /// DeregisterWorkspaceDirectory, then a wait until it is gone.
    DeregisterDirectory { directory_id: String },
    /// One Modify* call: a settings group whole, as it is to be (AWS's
    /// values for the keys the file leaves out).
    ModifyDirectory {
        directory_id: String,
        group: Group,
        settings: GroupSettings,
    },
    /// AssociateIpGroups.
    AssociateIpGroups {
        directory_id: String,
        group_ids: Vec<IdRef>,
    },
    /// DisassociateIpGroups.
    DisassociateIpGroups {
        directory_id: String,
        group_ids: Vec<String>,
    },
    /// CreateTags: adds or overwrites.
    TagResource {
        resource_id: IdRef,
        tags: BTreeMap<String, String>,
    },
    /// DeleteTags.
    UntagResource {
        resource_id: IdRef,
        keys: Vec<String>,
    },
    /// UpdateWorkspaceImagePermission: share the image with one account
    /// (`allow_copy_image`) or stop sharing it.
    UpdateImagePermission {
        image_id: IdRef,
        account_id: String,
        allow_copy_image: bool,
    },
    /// CreateConnectionAlias; the tags ride along.
    CreateConnectionAlias {
        connection_string: String,
        tags: BTreeMap<String, String>,
    },
    /// AssociateConnectionAlias with a registered directory.
    AssociateConnectionAlias {
        alias_id: IdRef,
        directory_id: String,
    },
    /// DisassociateConnectionAlias from the directory it is associated with.
    DisassociateConnectionAlias {
        alias_id: String,
        directory_id: String,
    },
    /// UpdateConnectionAliasPermission: let one account associate the alias
    /// (`allow_association`) or stop it.
    UpdateConnectionAliasPermission {
        alias_id: IdRef,
        account_id: String,
        allow_association: bool,
    },
    /// DeleteConnectionAlias.
    DeleteConnectionAlias { alias_id: String },
}

/// CreateWorkspaces, TerminateWorkspaces and RebootWorkspaces take at most
/// 25 items a call.
pub const BATCH: usize = 25;

impl Operation {
    /// Made together with others of its kind, up to [`BATCH`] a call.
    pub fn is_batched(&self) -> bool {
        matches!(
            self,
            Operation::CreateWorkspace(_)
                | Operation::TerminateWorkspace { .. }
                | Operation::RebootWorkspace { .. }
        )
    }

    pub fn api_name(&self) -> &'static str {
        match self {
            Operation::CreateWorkspace(_) => "CreateWorkspaces",
            Operation::TerminateWorkspace { .. } => "TerminateWorkspaces",
            Operation::ModifyWorkspace { .. } => "ModifyWorkspaceProperties",
            Operation::MigrateWorkspace { .. } => "MigrateWorkspace",
            Operation::RebootWorkspace { .. } => "RebootWorkspaces",
            Operation::RebuildWorkspace { .. } => "RebuildWorkspaces",
            Operation::RestoreWorkspace { .. } => "RestoreWorkspace",
            Operation::EnableByol { .. } => "ModifyAccount",
            Operation::CreateImage(image) => match image.source {
                NewImageSource::Import { .. } => "ImportWorkspaceImage",
                NewImageSource::Copy { .. } => "CopyWorkspaceImage",
                NewImageSource::UpdateOf { .. } => "CreateUpdatedWorkspaceImage",
            },
            Operation::DeleteImage { .. } => "DeleteWorkspaceImage",
            Operation::CreateBundle(_) => "CreateWorkspaceBundle",
            Operation::UpdateBundle { .. } => "UpdateWorkspaceBundle",
            Operation::DeleteBundle { .. } => "DeleteWorkspaceBundle",
            Operation::CreateIpGroup(_) => "CreateIpGroup",
            Operation::UpdateIpRules { .. } => "UpdateRulesOfIpGroup",
            Operation::DeleteIpGroup { .. } => "DeleteIpGroup",
            Operation::RegisterDirectory(_) => "RegisterWorkspaceDirectory",
            Operation::DeregisterDirectory { .. } => "DeregisterWorkspaceDirectory",
            Operation::ModifyDirectory { group, .. } => group.api_name(),
            Operation::AssociateIpGroups { .. } => "AssociateIpGroups",
            Operation::DisassociateIpGroups { .. } => "DisassociateIpGroups",
            Operation::TagResource { .. } => "CreateTags",
            Operation::UntagResource { .. } => "DeleteTags",
            Operation::UpdateImagePermission { .. } => "UpdateWorkspaceImagePermission",
            Operation::CreateConnectionAlias { .. } => "CreateConnectionAlias",
            Operation::AssociateConnectionAlias { .. } => "AssociateConnectionAlias",
            Operation::DisassociateConnectionAlias { .. } => "DisassociateConnectionAlias",
            Operation::UpdateConnectionAliasPermission { .. } => "UpdateConnectionAliasPermission",
            Operation::DeleteConnectionAlias { .. } => "DeleteConnectionAlias",
        }
    }
}

/// An id that exists now, or the id that an earlier operation of this plan
/// creates (a bundle for a WorkSpace, an image for a bundle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum IdRef {
    Id(String),
    CreatedBy { created_by: Address },
}

impl IdRef {
    pub fn created_by(address: Address) -> Self {
        IdRef::CreatedBy {
            created_by: address,
        }
    }
}

impl fmt::Display for IdRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdRef::Id(id) => f.write_str(id),
            IdRef::CreatedBy { created_by } => write!(f, "(the id {created_by} gets)"),
        }
    }
}

/// Everything RegisterWorkspaceDirectory needs; unset values are AWS's
/// defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewDirectory {
    pub directory_id: String,
    pub subnet_ids: Option<Vec<String>>,
    /// `SHARED` or `DEDICATED`.
    #[schemars(with = "Option<String>")]
    pub tenancy: Option<crate::directory_settings::Tenancy>,
    pub enable_self_service: Option<bool>,
    /// Including the ownership tags.
    pub tags: BTreeMap<String, String>,
}

/// Everything the image-creating call needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewImage {
    pub name: String,
    pub description: String,
    pub source: NewImageSource,
    /// Including the ownership tags.
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NewImageSource {
    Import {
        ec2_image_id: String,
        ingestion_process: String,
    },
    Copy {
        source_region: String,
        source_image_id: String,
    },
    UpdateOf {
        source_image_id: IdRef,
    },
}

/// Everything CreateWorkspaceBundle needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewBundle {
    pub name: String,
    pub description: String,
    pub image_id: IdRef,
    pub compute_type: String,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: i32,
    /// Including the ownership tags.
    pub tags: BTreeMap<String, String>,
}

/// Everything CreateWorkspaces needs for one WorkSpace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewWorkspace {
    pub directory_id: String,
    pub user: String,
    pub bundle_id: IdRef,
    // Flattened: the plan's JSON keeps these beside the directory and user.
    #[serde(flatten)]
    pub properties: WorkspaceProperties,
    /// Including the ownership tags, so no created WorkSpace is ever unowned.
    pub tags: BTreeMap<String, String>,
}

impl NewWorkspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }
}

/// A problem that stops the plan, tied to the resource it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    pub address: Address,
    pub origin: Option<Box<Origin>>,
    pub message: String,
    pub help: Option<String>,
}

/// A request the SDK refused to build, as an API error of `operation`.
pub fn invalid(operation: &'static str, error: impl std::fmt::Display) -> ApiError {
    ApiError {
        operation,
        code: "InvalidRequest".to_owned(),
        message: error.to_string(),
    }
}

/// The tags of a create call, as the SDK takes them.
pub fn tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, ApiError> {
    tags.iter()
        .map(|(key, value)| Tag::builder().key(key).value(value).build())
        .collect::<Result<_, _>>()
        .map_err(|e| invalid("CreateTags", e))
}

//! The simulated account: what exists, with the indexes that keep a fleet of
//! 10,000 WorkSpaces fast. Everything here is plain data saved to the state
//! file; the indexes are rebuilt after loading.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use super::arn::{ResourceKey, ResourceType};
use super::tag_history::TagHistory;
use super::tracked::{Tracked, TrackedSet};
use super::usage::Profile;

/// Wall-clock time in milliseconds since the Unix epoch. Stored in the state
/// file so a restarted simulator finishes transitions that were under way.
pub(crate) type Millis = u64;

pub(crate) fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `WorkspaceState` values the simulator enters.
pub(crate) mod state {
    pub(crate) const PENDING: &str = "PENDING";
    pub(crate) const AVAILABLE: &str = "AVAILABLE";
    pub(crate) const REBOOTING: &str = "REBOOTING";
    pub(crate) const REBUILDING: &str = "REBUILDING";
    pub(crate) const RESTORING: &str = "RESTORING";
    pub(crate) const TERMINATING: &str = "TERMINATING";
    pub(crate) const STOPPED: &str = "STOPPED";
    pub(crate) const UNHEALTHY: &str = "UNHEALTHY";
    pub(crate) const SUSPENDED: &str = "SUSPENDED";
    pub(crate) const ERROR: &str = "ERROR";
    pub(crate) const ADMIN_MAINTENANCE: &str = "ADMIN_MAINTENANCE";
}

/// Healthy periods kept per WorkSpace: enough for the snapshots listed.
const PERIODS_KEPT: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tag {
    #[serde(rename = "Key")]
    pub(crate) key: String,
    #[serde(rename = "Value", default, skip_serializing_if = "Option::is_none")]
    pub(crate) value: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Transition {
    /// The state reached at `at`; `None` when the WorkSpace disappears.
    pub(crate) to: Option<String>,
    pub(crate) at: Millis,
    /// When the current state was entered (a reboot may be retried once stuck).
    pub(crate) since: Millis,
}

/// A WorkSpace's properties: typed where the simulator has a rule for them,
/// and the rest of the wire's `WorkspaceProperties` as requests sent them,
/// so a property AWS adds needs no change here unless AWS has a rule for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "StoredProperties")]
pub(crate) struct Properties {
    pub(crate) running_mode: String,
    pub(crate) auto_stop_timeout_minutes: Option<i64>,
    pub(crate) root_volume_gib: i64,
    pub(crate) user_volume_gib: i64,
    pub(crate) compute_type: String,
    pub(crate) protocols: Vec<String>,
    pub(crate) operating_system_name: Option<String>,
    /// Global Accelerator `Mode` and `PreferredProtocol`.
    pub(crate) global_accelerator: Option<(String, Option<String>)>,
    /// The members without a rule here (`NestedVirtualizationEnabled`, …)
    /// by their wire names: set at creation, merged on modify, echoed on
    /// describe.
    pub(crate) other: serde_json::Map<String, serde_json::Value>,
}

/// `Properties` as a state file holds them: files written before `other`
/// kept nested virtualization in a field of its own.
#[derive(Deserialize)]
struct StoredProperties {
    running_mode: String,
    auto_stop_timeout_minutes: Option<i64>,
    root_volume_gib: i64,
    user_volume_gib: i64,
    compute_type: String,
    protocols: Vec<String>,
    operating_system_name: Option<String>,
    global_accelerator: Option<(String, Option<String>)>,
    #[serde(default)]
    other: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    nested_virtualization_enabled: Option<bool>,
}

impl From<StoredProperties> for Properties {
    fn from(stored: StoredProperties) -> Self {
        let mut other = stored.other;
        if let Some(enabled) = stored.nested_virtualization_enabled {
            other.insert("NestedVirtualizationEnabled".to_owned(), enabled.into());
        }
        Properties {
            running_mode: stored.running_mode,
            auto_stop_timeout_minutes: stored.auto_stop_timeout_minutes,
            root_volume_gib: stored.root_volume_gib,
            user_volume_gib: stored.user_volume_gib,
            compute_type: stored.compute_type,
            protocols: stored.protocols,
            operating_system_name: stored.operating_system_name,
            global_accelerator: stored.global_accelerator,
            other,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Modification {
    pub(crate) resource: String,
    pub(crate) until: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Workspace {
    pub(crate) id: String,
    pub(crate) directory_id: String,
    pub(crate) user_name: String,
    pub(crate) workspace_name: Option<String>,
    pub(crate) bundle_id: String,
    /// The image the root volume was built from (changes on rebuild).
    pub(crate) image_id: String,
    pub(crate) state: String,
    pub(crate) next: Option<Transition>,
    pub(crate) created: Millis,
    pub(crate) visible_at: Millis,
    /// When it first became AVAILABLE: snapshots are taken on a schedule
    /// counted from then. (Older state files call it `available_since`.)
    #[serde(default, alias = "available_since")]
    pub(crate) first_available: Option<Millis>,
    /// When the current AVAILABLE period began; `None` when not AVAILABLE.
    #[serde(default)]
    pub(crate) healthy_since: Option<Millis>,
    /// Earlier AVAILABLE periods, `[start, end)`, oldest first: a scheduled
    /// snapshot is taken only while the WorkSpace is healthy.
    #[serde(default)]
    pub(crate) healthy_periods: Vec<(Millis, Millis)>,
    /// The unhealthy fault picked this WorkSpace: this long after it first
    /// becomes AVAILABLE it turns UNHEALTHY.
    #[serde(default)]
    pub(crate) falls_ill_after: Option<Millis>,
    pub(crate) properties: Properties,
    pub(crate) modification: Option<Modification>,
    pub(crate) volume_encryption_key: Option<String>,
    pub(crate) root_volume_encryption_enabled: Option<bool>,
    pub(crate) user_volume_encryption_enabled: Option<bool>,
    pub(crate) ip_address: String,
    #[serde(default)]
    pub(crate) ipv6_address: Option<String>,
    pub(crate) computer_name: String,
    pub(crate) subnet_id: String,
    pub(crate) tags: Vec<Tag>,
    /// Not on the wire: tells a migrated WorkSpace (same volume) from a
    /// recreated one (new volume), for tests through `GET /_sim/state`.
    pub(crate) user_volume_id: String,
}

impl Workspace {
    /// Enters `state` at `at`, opening or closing a healthy period.
    pub(crate) fn enter(&mut self, state: &str, at: Millis) {
        let was_healthy = self.state == state::AVAILABLE;
        let healthy = state == state::AVAILABLE;
        if was_healthy && !healthy {
            if let Some(since) = self.healthy_since.take().or(self.first_available) {
                self.healthy_periods.push((since, at));
            }
            let excess = self.healthy_periods.len().saturating_sub(PERIODS_KEPT);
            self.healthy_periods.drain(..excess);
        }
        if healthy && !was_healthy {
            self.healthy_since = Some(at);
            self.first_available.get_or_insert(at);
        }
        self.state = state.to_owned();
    }

    /// Snapshot times, newest first, at most `limit`: one when the WorkSpace
    /// first became AVAILABLE and one every `every` after, each taken only
    /// if the WorkSpace was AVAILABLE at that moment.
    pub(crate) fn snapshot_times(&self, now: Millis, every: Millis, limit: usize) -> Vec<Millis> {
        let (Some(origin), every) = (self.first_available, every.max(1)) else {
            return Vec::new();
        };
        // A state file from before healthy periods were kept has none open.
        let since = self
            .healthy_since
            .or_else(|| (self.state == state::AVAILABLE).then_some(origin));
        let open = since.map(|since| (since, now.saturating_add(1)));
        let mut times = Vec::new();
        for &(start, end) in open.iter().chain(self.healthy_periods.iter().rev()) {
            // Scheduled moments k in [first k at or after start, last k before end).
            let first = start.saturating_sub(origin).div_ceil(every);
            let Some(last) = end.saturating_sub(origin).checked_sub(1).map(|t| t / every) else {
                continue;
            };
            let mut k = last;
            while k >= first && times.len() < limit {
                times.push(origin + k * every);
                if k == 0 {
                    break;
                }
                k -= 1;
            }
            if times.len() >= limit {
                break;
            }
        }
        times
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Bundle {
    pub(crate) id: String,
    pub(crate) name: String,
    /// `AMAZON` or the account id.
    pub(crate) owner: String,
    pub(crate) description: String,
    pub(crate) image_id: String,
    pub(crate) root_gib: i64,
    pub(crate) user_gib: i64,
    pub(crate) compute_type: String,
    pub(crate) created: Millis,
    pub(crate) updated: Millis,
    pub(crate) tags: Vec<Tag>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Image {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    /// `WINDOWS` or `LINUX`.
    pub(crate) os_type: String,
    /// `OperatingSystemName` given to WorkSpaces built from the image.
    pub(crate) os_name: String,
    /// Default protocol of WorkSpaces built from the image.
    pub(crate) protocol: String,
    pub(crate) state: String,
    pub(crate) ready_at: Option<Millis>,
    pub(crate) required_tenancy: String,
    pub(crate) created: Millis,
    /// `None` for AMAZON images, which no account owns.
    pub(crate) owner_account_id: Option<String>,
    pub(crate) update_available: bool,
    pub(crate) update_description: Option<String>,
    pub(crate) tags: Vec<Tag>,
    /// Accounts the image is shared with (allowed to copy it).
    #[serde(default)]
    pub(crate) shared_with: BTreeSet<String>,
}

impl Image {
    /// The model: "Only Windows 10, Windows Server 2016, and Windows Server
    /// 2019 WorkSpace images can be programmatically updated at this time."
    pub(crate) const UPDATABLE_OS: [&str; 3] =
        ["WINDOWS_10", "WINDOWS_SERVER_2016", "WINDOWS_SERVER_2019"];

    /// Whether AWS can update the image (`CreateUpdatedWorkspaceImage`), and
    /// so ever offers it an update.
    pub(crate) fn updatable(&self) -> bool {
        Self::UPDATABLE_OS.contains(&self.os_name.as_str())
    }
}

/// `WorkspaceDirectoryState` values, and the state of a Directory Service
/// directory that is not registered with WorkSpaces.
pub(crate) mod directory_state {
    pub(crate) const REGISTERING: &str = "REGISTERING";
    pub(crate) const REGISTERED: &str = "REGISTERED";
    pub(crate) const DEREGISTERING: &str = "DEREGISTERING";
    pub(crate) const DEREGISTERED: &str = "DEREGISTERED";
}

/// A Directory Service directory and, while it is registered, its
/// registration with WorkSpaces and the registration's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Directory {
    pub(crate) id: String,
    pub(crate) alias: String,
    pub(crate) name: String,
    pub(crate) registration_code: String,
    /// The subnets of the registration; empty when not registered.
    pub(crate) subnet_ids: Vec<String>,
    pub(crate) dns_ip_addresses: Vec<String>,
    pub(crate) customer_user_name: String,
    pub(crate) directory_type: String,
    pub(crate) security_group_id: String,
    /// A `directory_state` value.
    pub(crate) state: String,
    pub(crate) tags: Vec<Tag>,
    /// IP access control groups associated with the directory.
    #[serde(default)]
    pub(crate) ip_group_ids: Vec<String>,
    /// The VPC the directory lives in; registration subnets must be in it.
    #[serde(default = "default_vpc")]
    pub(crate) vpc_id: String,
    /// The Directory Service directory's own subnets: a registration that
    /// names none uses them.
    #[serde(default)]
    pub(crate) directory_subnet_ids: Vec<String>,
    /// When `REGISTERING` or `DEREGISTERING` ends.
    #[serde(default)]
    pub(crate) state_until: Option<Millis>,
    #[serde(default = "default_tenancy")]
    pub(crate) tenancy: String,
    /// `SelfservicePermissions`, `WorkspaceAccessProperties` and
    /// `ClientProperties` by wire member name.
    #[serde(default = "self_service_defaults")]
    pub(crate) self_service: BTreeMap<String, String>,
    #[serde(default = "access_defaults")]
    pub(crate) access: BTreeMap<String, String>,
    #[serde(default = "client_defaults")]
    pub(crate) client: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) creation: CreationProperties,
    #[serde(default)]
    pub(crate) saml: SamlProperties,
    #[serde(default)]
    pub(crate) certificate_based_auth: CertificateBasedAuth,
    /// `STANDARD_TLS` or `FIPS_VALIDATED`.
    #[serde(default = "default_endpoint_encryption")]
    pub(crate) endpoint_encryption_mode: String,
    /// `StreamingProperties`, absent until ModifyStreamingProperties sets them.
    #[serde(default)]
    pub(crate) streaming: Option<StreamingProperties>,
    /// `WorkspaceAccessProperties.AccessEndpointConfig`, absent until set.
    #[serde(default)]
    pub(crate) access_endpoints: Option<AccessEndpointConfig>,
}

impl Directory {
    /// Registered with WorkSpaces, or on the way in or out.
    pub(crate) fn is_registered(&self) -> bool {
        self.state != directory_state::DEREGISTERED
    }

    /// Back to a Directory Service directory alone: the registration's
    /// subnets, settings, associations and tags go with it.
    pub(crate) fn forget_registration(&mut self) {
        self.state = directory_state::DEREGISTERED.to_owned();
        self.state_until = None;
        self.subnet_ids.clear();
        self.ip_group_ids.clear();
        self.tags.clear();
        self.tenancy = default_tenancy();
        self.self_service = self_service_defaults();
        self.access = access_defaults();
        self.client = client_defaults();
        self.creation = CreationProperties::default();
        self.saml = SamlProperties::default();
        self.certificate_based_auth = CertificateBasedAuth::default();
        self.endpoint_encryption_mode = default_endpoint_encryption();
        self.streaming = None;
        self.access_endpoints = None;
    }
}

/// `AccessEndpointConfig` in its wire form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AccessEndpointConfig {
    pub(crate) access_endpoints: Vec<AccessEndpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) internet_fallback_protocols: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AccessEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) access_endpoint_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) vpc_endpoint_id: Option<String>,
}

/// `StreamingProperties` in their wire form; a member a request leaves out
/// keeps its value, a list it sets replaces the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StreamingProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) streaming_experience_preferred_protocol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) user_settings: Option<Vec<UserSetting>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) storage_connectors: Option<Vec<StorageConnector>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) global_accelerator: Option<GlobalAccelerator>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UserSetting {
    pub(crate) action: String,
    pub(crate) permission: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) maximum_length: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StorageConnector {
    pub(crate) connector_type: String,
    pub(crate) status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GlobalAccelerator {
    pub(crate) mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) preferred_protocol: Option<String>,
}

/// A registration's streams are encrypted with standard TLS until
/// ModifyEndpointEncryptionMode says otherwise.
pub(crate) fn default_endpoint_encryption() -> String {
    "STANDARD_TLS".to_owned()
}

/// `SamlProperties` of a registration, in its wire form: SAML 2.0 sign-in
/// is off until ModifySamlProperties turns it on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SamlProperties {
    pub(crate) status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) user_access_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) relay_state_parameter_name: Option<String>,
}

impl Default for SamlProperties {
    fn default() -> Self {
        SamlProperties {
            status: "DISABLED".to_owned(),
            user_access_url: None,
            relay_state_parameter_name: None,
        }
    }
}

/// `CertificateBasedAuthProperties` of a registration, in its wire form.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CertificateBasedAuth {
    pub(crate) status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) certificate_authority_arn: Option<String>,
}

impl Default for CertificateBasedAuth {
    fn default() -> Self {
        CertificateBasedAuth {
            status: "DISABLED".to_owned(),
            certificate_authority_arn: None,
        }
    }
}

/// State files from before the catalog knew VPCs hold only the seeded
/// directory, which lives in this VPC.
fn default_vpc() -> String {
    super::seed::CORP_VPC.to_owned()
}

fn default_tenancy() -> String {
    "SHARED".to_owned()
}

fn settings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A new registration's self-service permissions: the admin guide's
/// "Enable self-service WorkSpace management" has restart on and the rest
/// off; the model's doc strings give NestedVirtualization DISABLED and
/// EnableEndUserAdvisor ENABLED.
pub(crate) fn self_service_defaults() -> BTreeMap<String, String> {
    settings(&[
        ("RestartWorkspace", "ENABLED"),
        ("IncreaseVolumeSize", "DISABLED"),
        ("ChangeComputeType", "DISABLED"),
        ("SwitchRunningMode", "DISABLED"),
        ("RebuildWorkspace", "DISABLED"),
        ("NestedVirtualization", "DISABLED"),
        ("EnableEndUserAdvisor", "ENABLED"),
    ])
}

/// A new registration's device access (admin guide, "Control device
/// access"): the desktop and mobile clients are allowed; web access, the
/// Linux client and WorkSpaces Thin Client must be turned on.
pub(crate) fn access_defaults() -> BTreeMap<String, String> {
    settings(&[
        ("DeviceTypeWindows", "ALLOW"),
        ("DeviceTypeOsx", "ALLOW"),
        ("DeviceTypeWeb", "DENY"),
        ("DeviceTypeIos", "ALLOW"),
        ("DeviceTypeAndroid", "ALLOW"),
        ("DeviceTypeChromeOs", "ALLOW"),
        ("DeviceTypeZeroClient", "ALLOW"),
        ("DeviceTypeLinux", "DENY"),
        ("DeviceTypeWorkSpacesThinClient", "DENY"),
    ])
}

/// A new registration's client properties (admin guide: reconnect with
/// saved credentials and diagnostic log upload are on by default).
pub(crate) fn client_defaults() -> BTreeMap<String, String> {
    settings(&[
        ("ReconnectEnabled", "ENABLED"),
        ("LogUploadEnabled", "ENABLED"),
    ])
}

/// `DefaultWorkspaceCreationProperties` of a registration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CreationProperties {
    pub(crate) enable_internet_access: bool,
    pub(crate) default_ou: Option<String>,
    pub(crate) custom_security_group_id: Option<String>,
    pub(crate) user_enabled_as_local_administrator: bool,
    pub(crate) enable_maintenance_mode: bool,
    pub(crate) instance_iam_role_arn: Option<String>,
}

/// A new registration's creation properties (admin guide: no public IP,
/// users are local administrators, maintenance mode on).
impl Default for CreationProperties {
    fn default() -> Self {
        CreationProperties {
            enable_internet_access: false,
            default_ou: None,
            custom_security_group_id: None,
            user_enabled_as_local_administrator: true,
            enable_maintenance_mode: true,
            instance_iam_role_arn: None,
        }
    }
}

/// A rule of an IP access control group, in its wire form (`IpRuleItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IpRule {
    #[serde(rename = "ipRule")]
    pub(crate) source: String,
    #[serde(rename = "ruleDesc", default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct IpGroup {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) rules: Vec<IpRule>,
    pub(crate) tags: Vec<Tag>,
}

/// `ConnectionAliasState` values.
pub(crate) mod alias_state {
    pub(crate) const CREATING: &str = "CREATING";
    pub(crate) const CREATED: &str = "CREATED";
    pub(crate) const DELETING: &str = "DELETING";
}

/// The `AssociationStatus` values of an alias of this account.
pub(crate) mod association_status {
    pub(crate) const PENDING_ASSOCIATION: &str = "PENDING_ASSOCIATION";
    pub(crate) const ASSOCIATED: &str = "ASSOCIATED_WITH_OWNER_ACCOUNT";
    pub(crate) const PENDING_DISASSOCIATION: &str = "PENDING_DISASSOCIATION";
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AliasAssociation {
    pub(crate) directory_id: String,
    pub(crate) connection_identifier: String,
    /// `AssociationStatus`: `PENDING_ASSOCIATION`, `ASSOCIATED_WITH_OWNER_ACCOUNT`
    /// or `PENDING_DISASSOCIATION`.
    pub(crate) status: String,
    /// When a pending status ends (associated, or the association is gone).
    pub(crate) until: Option<Millis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConnectionAlias {
    pub(crate) id: String,
    pub(crate) connection_string: String,
    /// `CREATING`, `CREATED` or `DELETING`.
    pub(crate) state: String,
    /// When `CREATING` becomes `CREATED`, or a `DELETING` alias is gone.
    pub(crate) until: Option<Millis>,
    pub(crate) association: Option<AliasAssociation>,
    /// Accounts allowed to associate the alias.
    pub(crate) shared_with: BTreeSet<String>,
    pub(crate) tags: Vec<Tag>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Byol {
    pub(crate) enabled: bool,
    pub(crate) management_cidr: Option<String>,
    /// The /16 ranges `ListAvailableManagementCidrRanges` offers.
    pub(crate) available_cidrs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AccountModification {
    pub(crate) state: String,
    pub(crate) cidr: String,
    pub(crate) start: Millis,
    pub(crate) done_at: Millis,
    /// Decided when requested (the fault flag), applied at `done_at`.
    pub(crate) fails: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    /// The last journal record this state holds (see `journal`): replay
    /// skips the records up to it.
    #[serde(default)]
    pub(crate) seq: u64,
    pub(crate) account_id: String,
    pub(crate) workspaces: Tracked<Workspace>,
    pub(crate) bundles: Tracked<Bundle>,
    pub(crate) images: Tracked<Image>,
    pub(crate) directories: Tracked<Directory>,
    #[serde(default)]
    pub(crate) ip_groups: Tracked<IpGroup>,
    #[serde(default)]
    pub(crate) connection_aliases: Tracked<ConnectionAlias>,
    pub(crate) byol: Byol,
    /// Oldest first.
    pub(crate) modifications: Vec<AccountModification>,
    /// Resources whose tags were all removed: `GetResources` still lists
    /// them, with no tags, as AWS lists every resource that ever had a tag.
    #[serde(default, skip_serializing_if = "TrackedSet::is_empty")]
    pub(crate) untagged: TrackedSet,
    /// What `GetResources` showed before recent changes, while it lags.
    #[serde(default, skip_serializing_if = "TagHistory::is_empty")]
    pub(crate) tag_history: TagHistory,
    /// Usage profiles a test set (`POST /_sim/usage`), by WorkSpace id or
    /// lowercase user name; the others are drawn from the seed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) usage: BTreeMap<String, Profile>,
    #[serde(skip)]
    by_user: HashMap<(String, String), String>,
    #[serde(skip)]
    due: BTreeSet<(Millis, String)>,
}

fn by_id<V>(entries: Vec<V>, id: impl Fn(&V) -> &String) -> Tracked<V> {
    let entries: BTreeMap<String, V> = entries.into_iter().map(|v| (id(&v).clone(), v)).collect();
    entries.into()
}

fn user_key(directory_id: &str, user_name: &str) -> (String, String) {
    // Directory user names are case-insensitive.
    (directory_id.to_owned(), user_name.to_lowercase())
}

impl Account {
    pub(crate) fn new(
        account_id: String,
        bundles: Vec<Bundle>,
        images: Vec<Image>,
        directories: Vec<Directory>,
        byol: Byol,
    ) -> Self {
        Account {
            seq: 0,
            account_id,
            workspaces: Tracked::default(),
            bundles: by_id(bundles, |b| &b.id),
            images: by_id(images, |i| &i.id),
            directories: by_id(directories, |d| &d.id),
            ip_groups: Tracked::default(),
            connection_aliases: Tracked::default(),
            byol,
            modifications: Vec::new(),
            untagged: TrackedSet::default(),
            tag_history: TagHistory::default(),
            usage: BTreeMap::new(),
            by_user: HashMap::new(),
            due: BTreeSet::new(),
        }
    }

    /// How `workspace`'s user uses it: as a test set it, else as `seed` draws.
    pub(crate) fn profile(&self, seed: u64, workspace: &Workspace) -> Profile {
        self.usage
            .get(&workspace.id)
            .or_else(|| self.usage.get(&workspace.user_name.to_lowercase()))
            .copied()
            .unwrap_or_else(|| Profile::drawn(seed, workspace))
    }

    /// Adds the directories of `catalog` the account does not know.
    pub(crate) fn add_missing_directories(&mut self, catalog: Vec<Directory>) {
        for d in catalog {
            if !self.directories.contains_key(&d.id) {
                self.directories.insert(d.id.clone(), d);
            }
        }
    }

    /// Rebuilds the indexes after loading from a file.
    pub(crate) fn reindex(&mut self) {
        self.by_user.clear();
        self.due.clear();
        for ws in self.workspaces.values() {
            self.by_user
                .insert(user_key(&ws.directory_id, &ws.user_name), ws.id.clone());
            if let Some(next) = &ws.next {
                self.due.insert((next.at, ws.id.clone()));
            }
        }
    }

    pub(crate) fn workspace_of_user(&self, directory_id: &str, user_name: &str) -> Option<&str> {
        self.by_user
            .get(&user_key(directory_id, user_name))
            .map(String::as_str)
    }

    pub(crate) fn insert_workspace(&mut self, ws: Workspace, now: Millis) {
        let id = ws.id.clone();
        self.by_user
            .insert(user_key(&ws.directory_id, &ws.user_name), id.clone());
        if let Some(next) = &ws.next {
            self.due.insert((next.at, id.clone()));
        }
        self.tagging(ResourceType::Workspace, &id, now, |account| {
            account.workspaces.insert(ws.id.clone(), ws);
        });
    }

    /// Removes a WorkSpace that is gone as of `at`.
    pub(crate) fn remove_workspace(&mut self, id: &str, at: Millis) -> Option<Workspace> {
        let ws = self.tagging(ResourceType::Workspace, id, at, |account| {
            account.untagged.remove(id);
            account.workspaces.remove(id)
        })?;
        let key = user_key(&ws.directory_id, &ws.user_name);
        if self.by_user.get(&key).is_some_and(|owner| owner == id) {
            self.by_user.remove(&key);
        }
        Some(ws)
    }

    pub(crate) fn insert_bundle(&mut self, bundle: Bundle, now: Millis) {
        let id = bundle.id.clone();
        self.tagging(ResourceType::Bundle, &id, now, |account| {
            account.bundles.insert(bundle.id.clone(), bundle);
        });
    }

    pub(crate) fn remove_bundle(&mut self, id: &str, now: Millis) {
        self.tagging(ResourceType::Bundle, id, now, |account| {
            account.untagged.remove(id);
            account.bundles.remove(id);
        });
    }

    pub(crate) fn insert_image(&mut self, image: Image, now: Millis) {
        let id = image.id.clone();
        self.tagging(ResourceType::Image, &id, now, |account| {
            account.images.insert(image.id.clone(), image);
        });
    }

    pub(crate) fn remove_image(&mut self, id: &str, now: Millis) {
        self.tagging(ResourceType::Image, id, now, |account| {
            account.untagged.remove(id);
            account.images.remove(id);
        });
    }

    pub(crate) fn insert_ip_group(&mut self, group: IpGroup, now: Millis) {
        let id = group.id.clone();
        self.tagging(ResourceType::IpGroup, &id, now, |account| {
            account.ip_groups.insert(group.id.clone(), group);
        });
    }

    pub(crate) fn remove_ip_group(&mut self, id: &str, now: Millis) {
        self.tagging(ResourceType::IpGroup, id, now, |account| {
            account.untagged.remove(id);
            account.ip_groups.remove(id);
        });
    }

    pub(crate) fn insert_connection_alias(&mut self, alias: ConnectionAlias, now: Millis) {
        let id = alias.id.clone();
        self.tagging(ResourceType::ConnectionAlias, &id, now, |account| {
            account.connection_aliases.insert(alias.id.clone(), alias);
        });
    }

    fn remove_connection_alias(&mut self, id: &str, at: Millis) {
        self.tagging(ResourceType::ConnectionAlias, id, at, |account| {
            account.untagged.remove(id);
            account.connection_aliases.remove(id);
        });
    }

    /// Puts a WorkSpace in `state` now and schedules the state after it.
    pub(crate) fn transition(
        &mut self,
        id: &str,
        state: &str,
        to: Option<&str>,
        now: Millis,
        at: Millis,
    ) {
        if let Some(ws) = self.workspaces.get_mut(id) {
            ws.enter(state, now);
            ws.next = Some(Transition {
                to: to.map(str::to_owned),
                at,
                since: now,
            });
            self.due.insert((at, id.to_owned()));
        }
    }

    /// Applies every transition due by `now`. Called before each request, so
    /// transitions happen lazily and a restart loses none of them.
    pub(crate) fn settle(&mut self, now: Millis) {
        while let Some((at, id)) = self.due.first().cloned() {
            if at > now {
                break;
            }
            self.due.pop_first();
            self.finish_transition(&id, at);
        }
        // Only what is due is touched, so only that goes to the journal.
        let ready: Vec<String> = self
            .images
            .iter()
            .filter(|(_, i)| i.ready_at.is_some_and(|t| t <= now))
            .map(|(id, _)| id.clone())
            .collect();
        for id in ready {
            if let Some(image) = self.images.get_mut(&id) {
                image.ready_at = None;
                image.state = "AVAILABLE".to_owned();
            }
        }
        for m in &mut self.modifications {
            if m.state == "PENDING" && m.done_at <= now {
                if m.fails {
                    m.state = "FAILED".to_owned();
                } else {
                    m.state = "COMPLETED".to_owned();
                    self.byol.enabled = true;
                    self.byol.management_cidr = Some(m.cidr.clone());
                }
            }
        }
        self.settle_directories(now);
        self.settle_aliases(now);
    }

    /// Finishes alias creations, deletions and (dis)associations due by `now`.
    fn settle_aliases(&mut self, now: Millis) {
        let due_by_now = |until: Option<Millis>| until.is_some_and(|t| t <= now);
        let due: Vec<String> = self
            .connection_aliases
            .iter()
            .filter(|(_, a)| {
                due_by_now(a.until) || a.association.as_ref().is_some_and(|x| due_by_now(x.until))
            })
            .map(|(id, _)| id.clone())
            .collect();
        let mut gone = Vec::new();
        for id in due {
            let Some(alias) = self.connection_aliases.get_mut(&id) else {
                continue;
            };
            if let Some(at) = alias.until.filter(|t| *t <= now) {
                alias.until = None;
                if alias.state == alias_state::DELETING {
                    gone.push((alias.id.clone(), at));
                } else {
                    alias.state = alias_state::CREATED.to_owned();
                }
            }
            let due = alias
                .association
                .take_if(|a| a.until.is_some_and(|t| t <= now));
            // A pending association is now in place; a pending
            // disassociation leaves none.
            alias.association = match due {
                None => alias.association.take(),
                Some(a) if a.status == association_status::PENDING_ASSOCIATION => {
                    Some(AliasAssociation {
                        status: association_status::ASSOCIATED.to_owned(),
                        until: None,
                        ..a
                    })
                }
                Some(_) => None,
            };
        }
        for (id, at) in gone {
            self.remove_connection_alias(&id, at);
        }
    }

    /// Finishes registrations and deregistrations due by `now`.
    fn settle_directories(&mut self, now: Millis) {
        let due: Vec<(String, Millis)> = self
            .directories
            .values()
            .filter_map(|d| Some((d.id.clone(), d.state_until.filter(|t| *t <= now)?)))
            .collect();
        for (id, at) in due {
            self.tagging(ResourceType::Directory, &id, at, |account| {
                let Some(d) = account.directories.get_mut(&id) else {
                    return;
                };
                if d.state == directory_state::DEREGISTERING {
                    d.forget_registration();
                    account.untagged.remove(&id);
                } else {
                    d.state = directory_state::REGISTERED.to_owned();
                    d.state_until = None;
                }
            });
        }
    }

    /// Registers a directory of the catalog at `now`; its tags count at once.
    pub(crate) fn register_directory(
        &mut self,
        id: &str,
        now: Millis,
        register: impl FnOnce(&mut Directory),
    ) {
        self.tagging(ResourceType::Directory, id, now, |account| {
            if let Some(d) = account.directories.get_mut(id) {
                register(d);
            }
        });
    }

    fn finish_transition(&mut self, id: &str, at: Millis) {
        let Some(ws) = self.workspaces.get_mut(id) else {
            return;
        };
        // A later transition replaced this one; its own entry is still queued.
        let Some(next) = ws.next.take_if(|n| n.at == at) else {
            return;
        };
        match next.to {
            None => {
                self.remove_workspace(id, at);
            }
            Some(to) => {
                ws.enter(&to, at);
                // The unhealthy fault strikes once, after the WorkSpace has
                // been healthy for a while (so it has a snapshot to go back to).
                if to == state::AVAILABLE
                    && let Some(after) = ws.falls_ill_after.take()
                {
                    let ill_at = at.saturating_add(after);
                    ws.next = Some(Transition {
                        to: Some(state::UNHEALTHY.to_owned()),
                        at: ill_at,
                        since: at,
                    });
                    self.due.insert((ill_at, id.to_owned()));
                }
            }
        }
    }

    /// The type of the taggable resource `id`: a WorkSpace, one of the
    /// account's own bundles or images, a directory, an IP access control
    /// group or a connection alias.
    fn taggable(&self, id: &str) -> Option<ResourceType> {
        if self.workspaces.contains_key(id) {
            return Some(ResourceType::Workspace);
        }
        if self.ip_groups.contains_key(id) {
            return Some(ResourceType::IpGroup);
        }
        if self.connection_aliases.contains_key(id) {
            return Some(ResourceType::ConnectionAlias);
        }
        if let Some(b) = self.bundles.get(id) {
            return (b.owner == self.account_id).then_some(ResourceType::Bundle);
        }
        if let Some(i) = self.images.get(id) {
            return i.owner_account_id.is_some().then_some(ResourceType::Image);
        }
        self.directories
            .get(id)
            .is_some_and(Directory::is_registered)
            .then_some(ResourceType::Directory)
    }

    fn tags_of(&self, kind: ResourceType, id: &str) -> Option<&Vec<Tag>> {
        match kind {
            ResourceType::ConnectionAlias => self.connection_aliases.get(id).map(|a| &a.tags),
            ResourceType::IpGroup => self.ip_groups.get(id).map(|g| &g.tags),
            ResourceType::Directory => self
                .directories
                .get(id)
                .filter(|d| d.is_registered())
                .map(|d| &d.tags),
            ResourceType::Workspace => self.workspaces.get(id).map(|w| &w.tags),
            ResourceType::Bundle => self
                .bundles
                .get(id)
                .filter(|b| b.owner == self.account_id)
                .map(|b| &b.tags),
            ResourceType::Image => self
                .images
                .get(id)
                .filter(|i| i.owner_account_id.is_some())
                .map(|i| &i.tags),
        }
    }

    fn tags_of_mut(&mut self, kind: ResourceType, id: &str) -> Option<&mut Vec<Tag>> {
        match kind {
            ResourceType::ConnectionAlias => {
                self.connection_aliases.get_mut(id).map(|a| &mut a.tags)
            }
            ResourceType::IpGroup => self.ip_groups.get_mut(id).map(|g| &mut g.tags),
            ResourceType::Directory => self.directories.get_mut(id).map(|d| &mut d.tags),
            ResourceType::Workspace => self.workspaces.get_mut(id).map(|w| &mut w.tags),
            ResourceType::Bundle => self.bundles.get_mut(id).map(|b| &mut b.tags),
            ResourceType::Image => self.images.get_mut(id).map(|i| &mut i.tags),
        }
    }

    /// Tags of any taggable resource, by its id.
    pub(crate) fn tags(&self, resource_id: &str) -> Option<&Vec<Tag>> {
        self.tags_of(self.taggable(resource_id)?, resource_id)
    }

    /// Changes the tags of any taggable resource, by its id, at `now`.
    pub(crate) fn change_tags<T>(
        &mut self,
        resource_id: &str,
        now: Millis,
        change: impl FnOnce(&mut Vec<Tag>) -> T,
    ) -> Option<T> {
        let kind = self.taggable(resource_id)?;
        self.tagging(kind, resource_id, now, |account| {
            let tags = account.tags_of_mut(kind, resource_id)?;
            let had_tags = !tags.is_empty();
            let out = change(tags);
            let has_tags = !tags.is_empty();
            if has_tags {
                account.untagged.remove(resource_id);
            } else if had_tags {
                account.untagged.insert(resource_id.to_owned());
            }
            Some(out)
        })
    }

    /// The tags `GetResources` lists for a resource now, or `None` when it
    /// does not list it: gone, not the account's, or never tagged.
    pub(crate) fn listed(&self, kind: ResourceType, id: &str) -> Option<&[Tag]> {
        let tags = self.tags_of(kind, id)?;
        (!tags.is_empty() || self.untagged.contains(id)).then_some(tags.as_slice())
    }

    /// Every resource `GetResources` lists now, in ARN order, from just
    /// after `after`.
    pub(crate) fn listed_after<'a>(
        &'a self,
        after: Option<(ResourceType, &'a str)>,
    ) -> impl Iterator<Item = ((ResourceType, &'a str), &'a [Tag])> + 'a {
        ResourceType::ALL
            .into_iter()
            .filter(move |kind| after.is_none_or(|(first, _)| *kind >= first))
            .flat_map(move |kind| {
                let from = match after {
                    Some((k, id)) if k == kind => Bound::Excluded(id),
                    _ => Bound::Unbounded,
                };
                self.ids_from(kind, from)
                    .filter_map(move |id| self.listed(kind, id).map(|tags| ((kind, id), tags)))
            })
    }

    fn ids_from<'a>(
        &'a self,
        kind: ResourceType,
        from: Bound<&'a str>,
    ) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        let range = (from, Bound::Unbounded);
        match kind {
            ResourceType::ConnectionAlias => Box::new(
                self.connection_aliases
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
            ResourceType::IpGroup => Box::new(
                self.ip_groups
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
            ResourceType::Directory => Box::new(
                self.directories
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
            ResourceType::Workspace => Box::new(
                self.workspaces
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
            ResourceType::Bundle => Box::new(
                self.bundles
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
            ResourceType::Image => Box::new(
                self.images
                    .range::<str, _>(range)
                    .map(|(id, _)| id.as_str()),
            ),
        }
    }

    /// Runs `change`, a change at `at` that may alter what `GetResources`
    /// lists for one resource; while the index lags, notes what it listed
    /// before. Without a lag this costs nothing.
    fn tagging<T>(
        &mut self,
        kind: ResourceType,
        id: &str,
        at: Millis,
        change: impl FnOnce(&mut Self) -> T,
    ) -> T {
        if !self.tag_history.lags() {
            return change(self);
        }
        let before = self.listed(kind, id).map(<[Tag]>::to_vec);
        let out = change(self);
        if self.listed(kind, id) != before.as_deref() {
            self.tag_history
                .record(at, ResourceKey::new(kind, id), before);
        }
        out
    }
}

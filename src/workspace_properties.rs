//! A WorkSpace's configuration: what AWS calls its WorkspaceProperties, and
//! the members of its creation request that no later call changes (volume
//! encryption, the WorkSpace's name). The file's WorkSpace, the live one and
//! the one a plan creates each hold one. A new property is all in this
//! file: a field of [`WorkspaceProperties`], its entry in
//! `property_table!` (its file key and schema, its type, its rule, how
//! plans show it and how the planner compares it), its reading and its
//! creation request below, and, when it changes in place, its
//! [`Modification`]. The engines (`spec`, `plan`, `apply`, `import`) read
//! the table; a property that depends on others keeps a rule of its own
//! there (`Compared::ByItsOwnRule`, `spec::validate`'s rules over several
//! properties).

use aws_sdk_workspaces::error::BuildError;
use aws_sdk_workspaces::types::{self as sdk, builders::WorkspaceRequestBuilder};
use serde::{Deserialize, Serialize};

/// In the file, an unset value leaves AWS's (the bundle's) choice and is not
/// managed; read from AWS, it is one AWS did not report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WorkspaceProperties {
    pub compute_type: Option<String>,
    // The plan's schema has always called it a string.
    #[schemars(with = "Option<String>")]
    pub running_mode: Option<RunningMode>,
    pub auto_stop_timeout_minutes: Option<i32>,
    pub root_volume_gib: Option<i32>,
    pub user_volume_gib: Option<i32>,
    pub root_volume_encryption: Option<bool>,
    pub user_volume_encryption: Option<bool>,
    pub volume_encryption_key: Option<String>,
    // The members below are left out of the JSON when unset, so that the
    // fingerprints of WorkSpaces without them stay what they were.
    /// The streaming protocol (AWS takes a list; a WorkSpace has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// AWS's `OperatingSystemName`, e.g. `WINDOWS_11`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_accelerator: Option<GlobalAccelerator>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested_virtualization: Option<bool>,
    /// The WorkSpace's name (`WorkspaceName`), given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_name: Option<String>,
}

/// A property's value, as the file would write it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting<'a> {
    Text(&'a str),
    Number(i32),
    Flag(bool),
    /// `protocols = ["wsp"]`.
    Protocol(Protocol),
    GlobalAccelerator(&'a GlobalAccelerator),
}

/// How the planner compares a property, the live WorkSpace's against the
/// file's. What the file leaves unset is not compared.
#[derive(Clone, Copy, Debug)]
pub enum Compared {
    /// By a rule of its own (`plan/workspaces/properties.rs`): it depends
    /// on other properties, or takes more than one request.
    ByItsOwnRule,
    /// ModifyWorkspaceProperties changes it, in the one request `request`
    /// makes of the file's properties.
    InPlace {
        /// What AWS leaving it unreported means; None: unknown.
        unreported: Option<Setting<'static>>,
        request: fn(&WorkspaceProperties) -> Option<Modification>,
    },
    /// Only a new WorkSpace changes it, for the reason `why`.
    Replaced {
        /// What AWS leaving it unreported means; None: not compared.
        unreported: Option<Setting<'static>>,
        why: &'static str,
    },
}

/// A WorkSpace's property: its key in the file and how it is compared.
#[derive(Clone, Copy, Debug)]
pub struct Property {
    pub key: &'static str,
    pub compared: Compared,
}

/// Admin guide, encrypt-workspaces: an existing WorkSpace cannot be
/// encrypted, nor its encryption turned off.
pub const ENCRYPTION_AT_CREATION: &str = "AWS encrypts volumes only when a WorkSpace is created";

/// Unreported by AWS: encryption (AWS encrypts only on request) and nested
/// virtualization are off.
const OFF: Option<Setting<'static>> = Some(Setting::Flag(false));

/// The table of a WorkSpace's properties, one entry each:
/// - its key in the file, with the schema's text and bounds (`spec::raw`
///   makes `RawWorkspace`'s field of them; the attributes name what is in
///   scope there);
/// - its field of [`WorkspaceProperties`] and its type, from which `spec`
///   knows how the file writes it and converts it;
/// - its own rule in the file, if any (`one_of`: one of AWS's names);
///   rules over several properties are `spec::validate`'s;
/// - its value as plans and import show it ([`WorkspaceProperties::settings`]);
/// - how the planner compares it ([`PROPERTIES`]).
///
/// It hands the entries to the macro `$then`, so each engine takes what it
/// needs from the one list. The field list is exhaustive, so a new field
/// does not compile until it has its entry.
macro_rules! property_table {
    ($then:ident) => {
        $then! {
            /// The compute type, when it differs from the bundle's.
            #[schemars(with = "String", extend("enum" = crate::workspace_properties::COMPUTE_TYPES))]
            compute_type => compute_type: String,
                checked: [one_of(crate::workspace_properties::COMPUTE_TYPES, "compute type")],
                shown: compute_type.as_deref().map(Setting::Text),
                compared: Compared::ByItsOwnRule;
            /// When the WorkSpace runs.
            #[schemars(with = "String", extend("enum" = crate::workspace_properties::RunningMode::names()))]
            running_mode => running_mode: RunningMode,
                checked: [one_of(crate::workspace_properties::RunningMode::names(), "running mode")],
                shown: running_mode.map(|m| Setting::Text(m.as_str())),
                compared: Compared::ByItsOwnRule;
            /// Minutes of inactivity before an AUTO_STOP WorkSpace stops: a multiple of 60.
            #[schemars(with = "i64", range(min = 60), extend("multipleOf" = 60))]
            auto_stop_timeout_minutes => auto_stop_timeout_minutes: i32,
                checked: [],
                shown: auto_stop_timeout_minutes.map(Setting::Number),
                compared: Compared::ByItsOwnRule;
            /// Root volume size in GiB: 80 with a user volume of 10, 50 or 100; or 175–2000 with 100–2000.
            #[schemars(with = "i64", range(min = 1, max = 2000))]
            root_volume_gib => root_volume_gib: i32,
                checked: [],
                shown: root_volume_gib.map(Setting::Number),
                compared: Compared::ByItsOwnRule;
            /// User volume size in GiB (see `root_volume_gib` for the allowed pairs).
            #[schemars(with = "i64", range(min = 1, max = 2000))]
            user_volume_gib => user_volume_gib: i32,
                checked: [],
                shown: user_volume_gib.map(Setting::Number),
                compared: Compared::ByItsOwnRule;
            /// Encrypt the root volume; needs `volume_encryption_key`. Cannot change later.
            #[schemars(with = "bool")]
            root_volume_encryption => root_volume_encryption: bool,
                checked: [],
                shown: root_volume_encryption.map(Setting::Flag),
                compared: Compared::Replaced { unreported: OFF, why: ENCRYPTION_AT_CREATION };
            /// Encrypt the user volume; needs `volume_encryption_key`. Cannot change later.
            #[schemars(with = "bool")]
            user_volume_encryption => user_volume_encryption: bool,
                checked: [],
                shown: user_volume_encryption.map(Setting::Flag),
                compared: Compared::Replaced { unreported: OFF, why: ENCRYPTION_AT_CREATION };
            /// The KMS key for encrypted volumes: its id, its ARN, `alias/NAME` or an alias ARN (resolved with KMS DescribeKey at plan, as AWS reports the key ARN).
            #[schemars(with = "String")]
            volume_encryption_key => volume_encryption_key: String,
                checked: [],
                shown: volume_encryption_key.as_deref().map(Setting::Text),
                compared: Compared::ByItsOwnRule;
            /// The streaming protocol, one of `pcoip` and `wsp` (DCV). Changes in place only from `pcoip` to `wsp`; the other way replaces the WorkSpace.
            #[schemars(with = "[crate::workspace_properties::Protocol; 1]")]
            protocols => protocol: Protocol,
                checked: [],
                shown: protocol.map(Setting::Protocol),
                compared: Compared::ByItsOwnRule;
            /// The operating system, as AWS names it (e.g. `WINDOWS_11`); a change replaces the WorkSpace.
            #[schemars(with = "String", extend("enum" = crate::workspace_properties::operating_system_names()))]
            operating_system_name => operating_system_name: String,
                checked: [one_of(crate::workspace_properties::operating_system_names(), "operating system")],
                shown: operating_system_name.as_deref().map(Setting::Text),
                compared: Compared::ByItsOwnRule;
            /// Global Accelerator for this WorkSpace's streaming; changes in place.
            #[schemars(with = "RawGlobalAccelerator")]
            global_accelerator => global_accelerator: GlobalAccelerator,
                checked: [],
                shown: global_accelerator.as_ref().map(Setting::GlobalAccelerator),
                compared: Compared::ByItsOwnRule;
            /// Nested virtualization inside the WorkSpace; changes in place.
            #[schemars(with = "bool")]
            nested_virtualization => nested_virtualization: bool,
                checked: [],
                shown: nested_virtualization.map(Setting::Flag),
                // The model's ModificationResourceEnum has
                // NESTED_VIRTUALIZATION, one modification like a compute
                // type change.
                compared: Compared::InPlace {
                    unreported: OFF,
                    request: |p| p
                        .nested_virtualization
                        .map(|enabled| Modification::NestedVirtualization { enabled }),
                };
            /// The WorkSpace's name in AWS (letters, digits and `_.()-`, 2–64), given when it is created; a change replaces it.
            #[schemars(
                with = "String",
                regex(pattern = r"^[a-zA-Z0-9_()][a-zA-Z0-9_.()-]{1,63}$")
            )]
            workspace_name => workspace_name: String,
                checked: [],
                shown: workspace_name.as_deref().map(Setting::Text),
                compared: Compared::ByItsOwnRule;
        }
    };
}
pub(crate) use property_table;

/// The table's keys, values and comparisons.
macro_rules! keys_values_and_comparisons {
    ($(
        $(#[$file:meta])* $key:ident => $field:ident: $type:ty,
        checked: [$($rule:tt)*], shown: $setting:expr, compared: $compared:expr;
    )*) => {
        /// The file's keys of a WorkSpace's properties, in the file's order.
        pub const PROPERTY_KEYS: [&str; [$(stringify!($key)),*].len()] = [$(stringify!($key)),*];

        /// Every property, in the file's order.
        pub const PROPERTIES: [Property; PROPERTY_KEYS.len()] =
            [$(Property { key: stringify!($key), compared: $compared }),*];

        impl WorkspaceProperties {
            /// Each property under its key, in the file's order; unset is
            /// None.
            pub fn settings(&self) -> [(&'static str, Option<Setting<'_>>); PROPERTY_KEYS.len()] {
                let WorkspaceProperties { $($field),* } = self;
                [$((stringify!($key), $setting)),*]
            }
        }
    };
}

property_table!(keys_values_and_comparisons);

/// §5 `Compute`.
pub const COMPUTE_TYPES: &[&str] = sdk::Compute::values();

/// §5 `OperatingSystemName`, but `UNKNOWN`, which is no system to ask for.
pub fn operating_system_names() -> Vec<&'static str> {
    sdk::OperatingSystemName::values()
        .iter()
        .copied()
        .filter(|name| *name != "UNKNOWN")
        .collect()
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
            // Unreported is unencrypted: AWS encrypts only on request.
            root_volume_encryption: Some(
                workspace.root_volume_encryption_enabled().unwrap_or(false),
            ),
            user_volume_encryption: Some(
                workspace.user_volume_encryption_enabled().unwrap_or(false),
            ),
            volume_encryption_key: workspace.volume_encryption_key().map(str::to_owned),
            // A WorkSpace streams over one protocol; a list of another
            // length is not one wsctl can compare.
            protocol: match properties.map(|p| p.protocols()) {
                Some([protocol]) => Protocol::from_aws(protocol.as_str()),
                _ => None,
            },
            operating_system_name: properties
                .and_then(|p| p.operating_system_name())
                .map(|os| os.as_str().to_owned()),
            global_accelerator: properties
                .and_then(|p| p.global_accelerator())
                .map(GlobalAccelerator::read),
            nested_virtualization: properties.and_then(|p| p.nested_virtualization_enabled()),
            workspace_name: workspace.workspace_name().map(str::to_owned),
        }
    }

    /// A CreateWorkspaces item with these properties; unset ones are left to
    /// the bundle.
    pub fn fill_request(
        &self,
        request: WorkspaceRequestBuilder,
    ) -> Result<WorkspaceRequestBuilder, BuildError> {
        let global_accelerator = match &self.global_accelerator {
            Some(aga) => Some(aga.to_aws()?),
            None => None,
        };
        let properties = sdk::WorkspaceProperties::builder()
            .set_compute_type_name(self.compute_type.as_deref().map(sdk::Compute::from))
            .set_running_mode(
                self.running_mode
                    .map(|m| sdk::RunningMode::from(m.as_str())),
            )
            .set_running_mode_auto_stop_timeout_in_minutes(self.auto_stop_timeout_minutes)
            .set_root_volume_size_gib(self.root_volume_gib)
            .set_user_volume_size_gib(self.user_volume_gib)
            .set_protocols(self.protocol.map(|p| vec![p.to_aws()]))
            .set_operating_system_name(
                self.operating_system_name
                    .as_deref()
                    .map(sdk::OperatingSystemName::from),
            )
            .set_global_accelerator(global_accelerator)
            .set_nested_virtualization_enabled(self.nested_virtualization)
            .build();
        Ok(request
            .workspace_properties(properties)
            .set_root_volume_encryption_enabled(self.root_volume_encryption)
            .set_user_volume_encryption_enabled(self.user_volume_encryption)
            .set_volume_encryption_key(self.volume_encryption_key.clone())
            .set_workspace_name(self.workspace_name.clone()))
    }

    /// Either volume is (to be) encrypted.
    pub fn encrypts(&self) -> bool {
        self.root_volume_encryption == Some(true) || self.user_volume_encryption == Some(true)
    }
}

/// One ModifyWorkspaceProperties request. AWS refuses compute type and a
/// volume size together, and root and user volume together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "property", rename_all = "snake_case")]
pub enum Modification {
    RunningMode {
        running_mode: String,
        auto_stop_timeout_minutes: Option<i32>,
    },
    ComputeType {
        compute_type: String,
    },
    RootVolume {
        gib: i32,
    },
    UserVolume {
        gib: i32,
    },
    /// PCoIP to WSP: the one direction AWS changes a protocol in place.
    Protocol {
        protocol: Protocol,
    },
    GlobalAccelerator {
        global_accelerator: GlobalAccelerator,
    },
    NestedVirtualization {
        enabled: bool,
    },
}

impl Modification {
    /// The request's `WorkspaceProperties`: what it changes, nothing else.
    pub fn request(&self) -> Result<sdk::WorkspaceProperties, BuildError> {
        let properties = sdk::WorkspaceProperties::builder();
        Ok(match self {
            Self::RunningMode {
                running_mode,
                auto_stop_timeout_minutes,
            } => properties
                .running_mode(sdk::RunningMode::from(running_mode.as_str()))
                .set_running_mode_auto_stop_timeout_in_minutes(*auto_stop_timeout_minutes),
            Self::ComputeType { compute_type } => {
                properties.compute_type_name(sdk::Compute::from(compute_type.as_str()))
            }
            Self::RootVolume { gib } => properties.root_volume_size_gib(*gib),
            Self::UserVolume { gib } => properties.user_volume_size_gib(*gib),
            Self::Protocol { protocol } => properties.protocols(protocol.to_aws()),
            Self::GlobalAccelerator { global_accelerator } => {
                properties.global_accelerator(global_accelerator.to_aws()?)
            }
            Self::NestedVirtualization { enabled } => {
                properties.nested_virtualization_enabled(*enabled)
            }
        }
        .build())
    }

    /// `properties` as the request leaves them.
    pub fn apply_to(&self, properties: &mut WorkspaceProperties) {
        match self {
            Self::RunningMode {
                running_mode,
                auto_stop_timeout_minutes,
            } => {
                if let Some(mode) = RunningMode::named(running_mode) {
                    properties.running_mode = Some(mode);
                }
                if auto_stop_timeout_minutes.is_some() {
                    properties.auto_stop_timeout_minutes = *auto_stop_timeout_minutes;
                }
            }
            Self::ComputeType { compute_type } => {
                properties.compute_type = Some(compute_type.clone());
            }
            Self::RootVolume { gib } => properties.root_volume_gib = Some(*gib),
            Self::UserVolume { gib } => properties.user_volume_gib = Some(*gib),
            Self::Protocol { protocol } => properties.protocol = Some(*protocol),
            Self::GlobalAccelerator { global_accelerator } => {
                properties.global_accelerator = Some(global_accelerator.clone());
            }
            Self::NestedVirtualization { enabled } => {
                properties.nested_virtualization = Some(*enabled);
            }
        }
    }
}

/// Whether `key` is written as KMS takes a key: a key id (a UUID, or
/// `mrk-` and 32 hex digits), a key ARN, `alias/NAME` or an alias ARN.
/// AWS's own key for WorkSpaces is `alias/aws/workspaces`; written without
/// `alias/` it fails CreateWorkspaces (terraform-provider-aws#13560).
pub fn is_kms_key_reference(key: &str) -> bool {
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let uuid = key.len() == 36
        && key.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && hex(&key.replace('-', ""));
    let multi_region = key
        .strip_prefix("mrk-")
        .is_some_and(|rest| rest.len() == 32 && hex(rest));
    let arn = key.starts_with("arn:")
        && key.split(':').nth(2) == Some("kms")
        && key.split(':').nth(5).is_some_and(|resource| {
            resource.strip_prefix("key/").is_some_and(|k| !k.is_empty())
                || resource
                    .strip_prefix("alias/")
                    .is_some_and(|a| !a.is_empty())
        });
    let alias = key.strip_prefix("alias/").is_some_and(|a| !a.is_empty());
    uuid || multi_region || arn || alias
}

/// Whether a `volume_encryption_key` is a key's ARN, which is what AWS
/// reports for a WorkSpace: a key id, an alias or an alias ARN stands for
/// one, and is resolved to it.
pub fn is_kms_key_arn(key: &str) -> bool {
    key.starts_with("arn:") && key.contains(":key/")
}

/// The streaming protocol: PCoIP, or WSP (which AWS now calls DCV). The
/// file spells them `pcoip` and `wsp`, AWS `PCOIP` and `WSP`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Pcoip,
    Wsp,
}

impl Protocol {
    pub const ALL: [Protocol; 2] = [Self::Pcoip, Self::Wsp];

    /// As the file spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pcoip => "pcoip",
            Self::Wsp => "wsp",
        }
    }

    /// The protocol the file spells `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    fn from_aws(name: &str) -> Option<Self> {
        Self::named(&name.to_ascii_lowercase())
    }

    pub fn to_aws(self) -> sdk::Protocol {
        match self {
            Self::Pcoip => sdk::Protocol::Pcoip,
            Self::Wsp => sdk::Protocol::Wsp,
        }
    }
}

/// Global Accelerator for one WorkSpace: AWS's `AGAModeForWorkSpaceEnum`
/// and `AGAPreferredProtocolForWorkSpace` values, as AWS spells them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GlobalAccelerator {
    pub mode: String,
    /// Unset in the file: not managed.
    pub preferred_protocol: Option<String>,
}

impl GlobalAccelerator {
    fn read(aga: &sdk::GlobalAcceleratorForWorkSpace) -> Self {
        GlobalAccelerator {
            mode: aga.mode().as_str().to_owned(),
            preferred_protocol: aga.preferred_protocol().map(|p| p.as_str().to_owned()),
        }
    }

    pub fn to_aws(&self) -> Result<sdk::GlobalAcceleratorForWorkSpace, BuildError> {
        sdk::GlobalAcceleratorForWorkSpace::builder()
            .mode(sdk::AgaModeForWorkSpaceEnum::from(self.mode.as_str()))
            .set_preferred_protocol(
                self.preferred_protocol
                    .as_deref()
                    .map(sdk::AgaPreferredProtocolForWorkSpace::from),
            )
            .build()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunningMode {
    AlwaysOn,
    AutoStop,
    Manual,
}

impl RunningMode {
    pub const ALL: [RunningMode; 3] = [Self::AlwaysOn, Self::AutoStop, Self::Manual];

    pub const fn as_str(self) -> &'static str {
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

    /// Every mode's name.
    pub fn names() -> [&'static str; Self::ALL.len()] {
        Self::ALL.map(Self::as_str)
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
            root_volume_encryption: Some(true),
            user_volume_encryption: Some(false),
            volume_encryption_key: Some("alias/workspaces".to_owned()),
            protocol: Some(Protocol::Wsp),
            operating_system_name: Some("WINDOWS_11".to_owned()),
            global_accelerator: Some(GlobalAccelerator {
                mode: "ENABLED_AUTO".to_owned(),
                preferred_protocol: Some("TCP".to_owned()),
            }),
            nested_virtualization: Some(true),
            workspace_name: Some("alice-dev".to_owned()),
        }
    }

    fn request_of(properties: &WorkspaceProperties) -> sdk::WorkspaceRequest {
        properties
            .fill_request(sdk::WorkspaceRequest::builder())
            .and_then(|r| {
                r.directory_id("d-1234567890")
                    .user_name("alice")
                    .bundle_id("wsb-0123abcde")
                    .build()
            })
            .expect("directory, user, bundle and any accelerator mode are set")
    }

    /// What a CreateWorkspaces item asks for is what DescribeWorkspaces
    /// later reports for it.
    #[test]
    fn a_request_carries_every_property_that_is_read_back() {
        let wanted = encrypted_power();
        let request = request_of(&wanted);
        let created = sdk::Workspace::builder()
            .set_workspace_properties(request.workspace_properties().cloned())
            .set_root_volume_encryption_enabled(request.root_volume_encryption_enabled())
            .set_user_volume_encryption_enabled(request.user_volume_encryption_enabled())
            .set_volume_encryption_key(request.volume_encryption_key().map(str::to_owned))
            .set_workspace_name(request.workspace_name().map(str::to_owned))
            .build();
        assert_eq!(WorkspaceProperties::read(&created), wanted);
    }

    /// What a ModifyWorkspaceProperties request asks for is what
    /// `apply_to` says it changes, read back as DescribeWorkspaces would.
    #[test]
    fn a_modification_requests_what_it_applies() {
        let accelerator = GlobalAccelerator {
            mode: "ENABLED_AUTO".to_owned(),
            preferred_protocol: Some("TCP".to_owned()),
        };
        for modification in [
            Modification::RunningMode {
                running_mode: "AUTO_STOP".to_owned(),
                auto_stop_timeout_minutes: Some(120),
            },
            Modification::ComputeType {
                compute_type: "POWER".to_owned(),
            },
            Modification::RootVolume { gib: 175 },
            Modification::UserVolume { gib: 100 },
            Modification::Protocol {
                protocol: Protocol::Wsp,
            },
            Modification::GlobalAccelerator {
                global_accelerator: accelerator.clone(),
            },
            Modification::NestedVirtualization { enabled: true },
        ] {
            let request = modification.request().expect("the mode is set");
            let read = WorkspaceProperties::read(
                &sdk::Workspace::builder()
                    .workspace_properties(request)
                    .build(),
            );
            let mut applied = WorkspaceProperties {
                root_volume_encryption: Some(false),
                user_volume_encryption: Some(false),
                ..WorkspaceProperties::default()
            };
            modification.apply_to(&mut applied);
            assert_eq!(read, applied, "{modification:?}");
        }
    }

    #[test]
    fn unset_properties_are_left_out_of_the_request() {
        let request = request_of(&WorkspaceProperties::default());
        assert_eq!(
            request.workspace_properties(),
            Some(&sdk::WorkspaceProperties::builder().build())
        );
        assert_eq!(request.volume_encryption_key(), None);
        assert_eq!(request.root_volume_encryption_enabled(), None);
        assert_eq!(request.workspace_name(), None);
    }

    #[test]
    fn a_protocol_list_of_other_than_one_is_not_read_as_a_protocol() {
        let described = |protocols: Vec<sdk::Protocol>| {
            let properties = sdk::WorkspaceProperties::builder()
                .set_protocols(Some(protocols))
                .build();
            WorkspaceProperties::read(
                &sdk::Workspace::builder()
                    .workspace_properties(properties)
                    .build(),
            )
            .protocol
        };
        assert_eq!(described(vec![sdk::Protocol::Pcoip]), Some(Protocol::Pcoip));
        assert_eq!(described(Vec::new()), None);
        assert_eq!(
            described(vec![sdk::Protocol::Pcoip, sdk::Protocol::Wsp]),
            None
        );
    }

    #[test]
    fn unset_new_members_stay_out_of_the_json() {
        let text = serde_json::to_string(&WorkspaceProperties::default()).unwrap_or_default();
        for member in [
            "protocol",
            "operating_system_name",
            "global_accelerator",
            "nested_virtualization",
            "workspace_name",
        ] {
            assert!(!text.contains(member), "{member} in {text}");
        }
        let text = serde_json::to_string(&encrypted_power()).unwrap_or_default();
        assert!(text.contains(r#""protocol":"wsp""#), "{text}");
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

    #[test]
    fn protocols_are_lower_case_in_the_file_and_upper_case_for_aws() {
        for protocol in Protocol::ALL {
            assert_eq!(Protocol::named(protocol.as_str()), Some(protocol));
            assert_eq!(
                Protocol::from_aws(protocol.to_aws().as_str()),
                Some(protocol)
            );
        }
        assert_eq!(Protocol::to_aws(Protocol::Wsp).as_str(), "WSP");
        assert_eq!(Protocol::named("WSP"), None);
    }
}

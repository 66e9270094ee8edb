//! A registered directory's settings, in the groups AWS changes with one
//! call each: self-service permissions, WorkSpace creation properties,
//! access by device type, client properties, SAML 2.0 sign-in,
//! certificate-based authentication, the endpoint encryption mode and
//! streaming properties. The
//! file's directory, the
//! live one and a plan's Modify* call each hold a group as a map from the
//! file's key to its value, so a new setting is a key here, its reading and
//! its request below; the planner diffs every group the same way.

use std::collections::BTreeMap;

use aws_sdk_workspaces::types as sdk;
use serde::{Deserialize, Serialize};

/// A directory's tenancy, and the tenancy an image requires: AWS's words.
/// A value AWS adds later is kept as it is and compared as itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Tenancy {
    Shared,
    Dedicated,
    Other(String),
}

impl Tenancy {
    /// As AWS spells it: `SHARED`, `DEDICATED`.
    pub fn as_str(&self) -> &str {
        match self {
            Tenancy::Shared => "SHARED",
            Tenancy::Dedicated => "DEDICATED",
            Tenancy::Other(other) => other,
        }
    }

    /// Dedicated hardware, which needs BYOL on the account.
    pub fn is_dedicated(&self) -> bool {
        *self == Tenancy::Dedicated
    }
}

impl From<String> for Tenancy {
    fn from(value: String) -> Self {
        match value.as_str() {
            "SHARED" => Tenancy::Shared,
            "DEDICATED" => Tenancy::Dedicated,
            _ => Tenancy::Other(value),
        }
    }
}

impl From<Tenancy> for String {
    fn from(tenancy: Tenancy) -> Self {
        tenancy.as_str().to_owned()
    }
}

/// One call's worth of settings.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// `[directories.NAME.self_service_permissions]`: ModifySelfservicePermissions.
    SelfServicePermissions,
    /// `[directories.NAME.creation]`: ModifyWorkspaceCreationProperties.
    Creation,
    /// `[directories.NAME.access]`: ModifyWorkspaceAccessProperties.
    Access,
    /// `[directories.NAME.client]`: ModifyClientProperties.
    Client,
    /// `[directories.NAME.saml]`: ModifySamlProperties. Before
    /// `CertificateBasedAuth`, so that a change turning both on enables
    /// SAML first, as certificate-based authentication needs.
    Saml,
    /// `[directories.NAME.certificate_based_auth]`: ModifyCertificateBasedAuthProperties.
    CertificateBasedAuth,
    /// `[directories.NAME.endpoint_encryption]`: ModifyEndpointEncryptionMode.
    EndpointEncryption,
    /// `[directories.NAME.streaming]`: ModifyStreamingProperties.
    Streaming,
}

/// A setting's value: a switch, an `allow`/`deny`, a text (an OU, an id),
/// or a number (a clipboard's maximum length).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Setting {
    Bool(bool),
    Text(String),
    Number(i64),
}

/// A group's settings by the file's key; a key left out is not managed.
pub type GroupSettings = BTreeMap<String, Setting>;

/// Every group's settings.
pub type DirectorySettings = BTreeMap<Group, GroupSettings>;

/// The file's keys of `[access]` beside AWS's `WorkspaceAccessProperties` members.
const DEVICES: [(&str, &str); 9] = [
    ("windows", "DeviceTypeWindows"),
    ("macos", "DeviceTypeOsx"),
    ("linux", "DeviceTypeLinux"),
    ("web", "DeviceTypeWeb"),
    ("ios", "DeviceTypeIos"),
    ("android", "DeviceTypeAndroid"),
    ("chromeos", "DeviceTypeChromeOs"),
    ("zeroclient", "DeviceTypeZeroClient"),
    ("thin_client", "DeviceTypeWorkSpacesThinClient"),
];

pub const SELF_SERVICE_KEYS: &[&str] = &[
    "restart_workspace",
    "increase_volume_size",
    "change_compute_type",
    "switch_running_mode",
    "rebuild_workspace",
];
pub const CREATION_KEYS: &[&str] = &[
    "enable_internet_access",
    "default_ou",
    "custom_security_group_id",
    "user_enabled_as_local_administrator",
    "enable_maintenance_mode",
    "instance_iam_role_arn",
];
pub const ACCESS_KEYS: &[&str] = &[
    "windows",
    "macos",
    "linux",
    "web",
    "ios",
    "android",
    "chromeos",
    "zeroclient",
    "thin_client",
    "streaming_vpc_endpoint_id",
    "internet_fallback_pcoip",
];
pub const CLIENT_KEYS: &[&str] = &["reconnect", "log_upload"];
pub const SAML_KEYS: &[&str] = &["status", "user_access_url", "relay_state_parameter_name"];
pub const CERTIFICATE_BASED_AUTH_KEYS: &[&str] = &["status", "certificate_authority_arn"];
pub const ENDPOINT_ENCRYPTION_KEYS: &[&str] = &["mode"];
pub const STREAMING_KEYS: &[&str] = &[
    "preferred_protocol",
    "clipboard_copy_from_local_device",
    "clipboard_copy_from_local_device_max_length",
    "clipboard_copy_to_local_device",
    "clipboard_copy_to_local_device_max_length",
    "printing_to_local_device",
    "smart_card",
    "home_folder",
    "global_accelerator",
    "global_accelerator_preferred_protocol",
];
/// `UserSettingActionEnum`: the file's switch of each action, in the file's
/// lower case; the clipboard's two also have a `_max_length` key.
pub const USER_SETTING_KEYS: &[&str] = &[
    "clipboard_copy_from_local_device",
    "clipboard_copy_to_local_device",
    "printing_to_local_device",
    "smart_card",
];
/// `StreamingExperiencePreferredProtocolEnum`, lower case.
pub const STREAMING_PROTOCOLS: &[&str] = &["tcp", "udp"];
/// `AGAModeForDirectoryEnum`, lower case.
pub const GLOBAL_ACCELERATOR_MODES: &[&str] = &["enabled_auto", "disabled"];
/// `AGAPreferredProtocolForDirectory`, lower case.
pub const GLOBAL_ACCELERATOR_PROTOCOLS: &[&str] = &["tcp", "none"];

/// The values of an `[access]` key.
pub const ACCESS_VALUES: &[&str] = &["allow", "deny"];
/// `SamlStatusEnum`, in the file's lower case.
pub const SAML_STATUSES: &[&str] = &[
    "disabled",
    "enabled",
    "enabled_with_directory_login_fallback",
];
/// `CertificateBasedAuthStatusEnum`, in the file's lower case.
pub const CERTIFICATE_BASED_AUTH_STATUSES: &[&str] = &["disabled", "enabled"];
/// `EndpointEncryptionMode`, in the file's lower case.
pub const ENDPOINT_ENCRYPTION_MODES: &[&str] = &["standard_tls", "fips_validated"];

/// The SAML and certificate-based authentication texts the file may empty:
/// an empty text is deleted (`PropertiesToDelete`), and read back empty.
pub const DELETABLE_KEYS: &[&str] = &[
    "user_access_url",
    "relay_state_parameter_name",
    "certificate_authority_arn",
];

impl Group {
    pub const ALL: [Group; 8] = [
        Group::SelfServicePermissions,
        Group::Creation,
        Group::Access,
        Group::Client,
        Group::Saml,
        Group::CertificateBasedAuth,
        Group::EndpointEncryption,
        Group::Streaming,
    ];

    /// The sub-table's key in `[directories.NAME]`.
    pub fn key(self) -> &'static str {
        match self {
            Group::SelfServicePermissions => "self_service_permissions",
            Group::Creation => "creation",
            Group::Access => "access",
            Group::Client => "client",
            Group::Saml => "saml",
            Group::CertificateBasedAuth => "certificate_based_auth",
            Group::EndpointEncryption => "endpoint_encryption",
            Group::Streaming => "streaming",
        }
    }

    pub fn api_name(self) -> &'static str {
        match self {
            Group::SelfServicePermissions => "ModifySelfservicePermissions",
            Group::Creation => "ModifyWorkspaceCreationProperties",
            Group::Access => "ModifyWorkspaceAccessProperties",
            Group::Client => "ModifyClientProperties",
            Group::Saml => "ModifySamlProperties",
            Group::CertificateBasedAuth => "ModifyCertificateBasedAuthProperties",
            Group::EndpointEncryption => "ModifyEndpointEncryptionMode",
            Group::Streaming => "ModifyStreamingProperties",
        }
    }

    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Group::SelfServicePermissions => SELF_SERVICE_KEYS,
            Group::Creation => CREATION_KEYS,
            Group::Access => ACCESS_KEYS,
            Group::Client => CLIENT_KEYS,
            Group::Saml => SAML_KEYS,
            Group::CertificateBasedAuth => CERTIFICATE_BASED_AUTH_KEYS,
            Group::EndpointEncryption => ENDPOINT_ENCRYPTION_KEYS,
            Group::Streaming => STREAMING_KEYS,
        }
    }
}

fn enabled(value: Option<&str>) -> Option<Setting> {
    value.map(|v| Setting::Bool(v == "ENABLED"))
}

fn switch(settings: &GroupSettings, key: &str) -> Option<bool> {
    match settings.get(key) {
        Some(Setting::Bool(b)) => Some(*b),
        _ => None,
    }
}

fn text<'a>(settings: &'a GroupSettings, key: &str) -> Option<&'a str> {
    match settings.get(key) {
        Some(Setting::Text(t)) => Some(t),
        _ => None,
    }
}

fn insert(settings: &mut GroupSettings, key: &str, value: Option<Setting>) {
    if let Some(value) = value {
        settings.insert(key.to_owned(), value);
    }
}

/// An AWS enum value in the file's lower case.
fn word(value: &str) -> Setting {
    Setting::Text(value.to_ascii_lowercase())
}

/// A text AWS may leave out, read as empty when it does (see `DELETABLE_KEYS`).
fn deletable(value: Option<&str>) -> Option<Setting> {
    Some(Setting::Text(value.unwrap_or_default().to_owned()))
}

/// What DescribeWorkspaceDirectories says of a directory's groups but the
/// client's, which come from DescribeClientProperties (`read_client`).
pub fn read(directory: &sdk::WorkspaceDirectory) -> DirectorySettings {
    let mut groups = read_sign_in(directory);
    if let Some(p) = directory.selfservice_permissions() {
        let mut s = GroupSettings::new();
        let values = [
            p.restart_workspace(),
            p.increase_volume_size(),
            p.change_compute_type(),
            p.switch_running_mode(),
            p.rebuild_workspace(),
        ];
        for (key, value) in SELF_SERVICE_KEYS.iter().zip(values) {
            insert(&mut s, key, enabled(value.map(|v| v.as_str())));
        }
        groups.insert(Group::SelfServicePermissions, s);
    }
    if let Some(p) = directory.workspace_creation_properties() {
        let mut s = GroupSettings::new();
        let flag = |b: Option<bool>| b.map(Setting::Bool);
        let words = |t: Option<&str>| t.map(|t| Setting::Text(t.to_owned()));
        insert(
            &mut s,
            "enable_internet_access",
            flag(p.enable_internet_access()),
        );
        insert(&mut s, "default_ou", words(p.default_ou()));
        insert(
            &mut s,
            "custom_security_group_id",
            words(p.custom_security_group_id()),
        );
        insert(
            &mut s,
            "user_enabled_as_local_administrator",
            flag(p.user_enabled_as_local_administrator()),
        );
        insert(
            &mut s,
            "enable_maintenance_mode",
            flag(p.enable_maintenance_mode()),
        );
        insert(
            &mut s,
            "instance_iam_role_arn",
            words(p.instance_iam_role_arn()),
        );
        groups.insert(Group::Creation, s);
    }
    if let Some(p) = directory.workspace_access_properties() {
        let values = [
            p.device_type_windows(),
            p.device_type_osx(),
            p.device_type_linux(),
            p.device_type_web(),
            p.device_type_ios(),
            p.device_type_android(),
            p.device_type_chrome_os(),
            p.device_type_zero_client(),
            p.device_type_work_spaces_thin_client(),
        ];
        let mut s = GroupSettings::new();
        for ((key, _), value) in DEVICES.iter().zip(values) {
            let value = value.map(|v| Setting::Text(v.as_str().to_ascii_lowercase()));
            insert(&mut s, key, value);
        }
        if let Some(config) = p.access_endpoint_config() {
            read_access_endpoints(config, &mut s);
        }
        groups.insert(Group::Access, s);
    }
    groups
}

/// SAML, certificate-based authentication and the endpoint encryption mode.
fn read_sign_in(directory: &sdk::WorkspaceDirectory) -> DirectorySettings {
    let mut groups = DirectorySettings::new();
    if let Some(p) = directory.saml_properties() {
        let mut s = GroupSettings::new();
        insert(&mut s, "status", p.status().map(|v| word(v.as_str())));
        insert(&mut s, "user_access_url", deletable(p.user_access_url()));
        insert(
            &mut s,
            "relay_state_parameter_name",
            deletable(p.relay_state_parameter_name()),
        );
        groups.insert(Group::Saml, s);
    }
    if let Some(p) = directory.certificate_based_auth_properties() {
        let mut s = GroupSettings::new();
        insert(&mut s, "status", p.status().map(|v| word(v.as_str())));
        insert(
            &mut s,
            "certificate_authority_arn",
            deletable(p.certificate_authority_arn()),
        );
        groups.insert(Group::CertificateBasedAuth, s);
    }
    if let Some(mode) = directory.endpoint_encryption_mode() {
        let s = GroupSettings::from([("mode".to_owned(), word(mode.as_str()))]);
        groups.insert(Group::EndpointEncryption, s);
    }
    if let Some(p) = directory.streaming_properties() {
        groups.insert(Group::Streaming, read_streaming(p));
    }
    groups
}

/// StreamingProperties by the file's keys; an action, connector or value
/// AWS adds later is left out.
fn read_streaming(p: &sdk::StreamingProperties) -> GroupSettings {
    let mut s = GroupSettings::new();
    insert(
        &mut s,
        "preferred_protocol",
        p.streaming_experience_preferred_protocol()
            .map(|v| word(v.as_str())),
    );
    for setting in p.user_settings() {
        let key = setting.action().as_str().to_ascii_lowercase();
        let Some(key) = USER_SETTING_KEYS.iter().find(|k| **k == key) else {
            continue;
        };
        let on = *setting.permission() == sdk::UserSettingPermissionEnum::Enabled;
        s.insert((*key).to_owned(), Setting::Bool(on));
        let limit = format!("{key}_max_length");
        if let Some(length) = setting.maximum_length()
            && STREAMING_KEYS.contains(&limit.as_str())
        {
            s.insert(limit, Setting::Number(length.into()));
        }
    }
    for connector in p.storage_connectors() {
        if *connector.connector_type() == sdk::StorageConnectorTypeEnum::HomeFolder {
            let on = *connector.status() == sdk::StorageConnectorStatusEnum::Enabled;
            s.insert("home_folder".to_owned(), Setting::Bool(on));
        }
    }
    if let Some(accelerator) = p.global_accelerator() {
        insert(
            &mut s,
            "global_accelerator",
            Some(word(accelerator.mode().as_str())),
        );
        insert(
            &mut s,
            "global_accelerator_preferred_protocol",
            accelerator.preferred_protocol().map(|v| word(v.as_str())),
        );
    }
    s
}

/// Streaming through a VPC endpoint: its id, and whether PCoIP falls back
/// to the internet.
fn read_access_endpoints(config: &sdk::AccessEndpointConfig, s: &mut GroupSettings) {
    let endpoint = config
        .access_endpoints()
        .iter()
        .find(|e| e.access_endpoint_type() == Some(&sdk::AccessEndpointType::StreamingWsp))
        .and_then(|e| e.vpc_endpoint_id());
    insert(
        s,
        "streaming_vpc_endpoint_id",
        endpoint.map(|id| Setting::Text(id.to_owned())),
    );
    let fallback = config
        .internet_fallback_protocols()
        .contains(&sdk::InternetFallbackProtocol::Pcoip);
    s.insert(
        "internet_fallback_pcoip".to_owned(),
        Setting::Bool(fallback),
    );
}

/// What DescribeClientProperties says of one directory.
pub fn read_client(properties: &sdk::ClientProperties) -> GroupSettings {
    let mut s = GroupSettings::new();
    insert(
        &mut s,
        "reconnect",
        enabled(properties.reconnect_enabled().map(|v| v.as_str())),
    );
    insert(
        &mut s,
        "log_upload",
        enabled(properties.log_upload_enabled().map(|v| v.as_str())),
    );
    s
}

fn reconnect_enum(value: Option<bool>) -> Option<sdk::ReconnectEnum> {
    value.map(|on| match on {
        true => sdk::ReconnectEnum::Enabled,
        false => sdk::ReconnectEnum::Disabled,
    })
}

pub fn self_service_request(settings: &GroupSettings) -> sdk::SelfservicePermissions {
    let get = |key| reconnect_enum(switch(settings, key));
    sdk::SelfservicePermissions::builder()
        .set_restart_workspace(get("restart_workspace"))
        .set_increase_volume_size(get("increase_volume_size"))
        .set_change_compute_type(get("change_compute_type"))
        .set_switch_running_mode(get("switch_running_mode"))
        .set_rebuild_workspace(get("rebuild_workspace"))
        .build()
}

pub fn creation_request(settings: &GroupSettings) -> sdk::WorkspaceCreationProperties {
    let words = |key| text(settings, key).map(str::to_owned);
    sdk::WorkspaceCreationProperties::builder()
        .set_enable_internet_access(switch(settings, "enable_internet_access"))
        .set_default_ou(words("default_ou"))
        .set_custom_security_group_id(words("custom_security_group_id"))
        .set_user_enabled_as_local_administrator(switch(
            settings,
            "user_enabled_as_local_administrator",
        ))
        .set_enable_maintenance_mode(switch(settings, "enable_maintenance_mode"))
        .set_instance_iam_role_arn(words("instance_iam_role_arn"))
        .build()
}

pub fn access_request(settings: &GroupSettings) -> sdk::WorkspaceAccessProperties {
    let get = |key| {
        text(settings, key).map(|v| match v {
            "deny" => sdk::AccessPropertyValue::Deny,
            _ => sdk::AccessPropertyValue::Allow,
        })
    };
    let endpoints = text(settings, "streaming_vpc_endpoint_id").and_then(|id| {
        let fallback = switch(settings, "internet_fallback_pcoip") == Some(true);
        sdk::AccessEndpointConfig::builder()
            .access_endpoints(
                sdk::AccessEndpoint::builder()
                    .access_endpoint_type(sdk::AccessEndpointType::StreamingWsp)
                    .vpc_endpoint_id(id)
                    .build(),
            )
            .set_internet_fallback_protocols(
                fallback.then(|| vec![sdk::InternetFallbackProtocol::Pcoip]),
            )
            .build()
            .ok()
    });
    sdk::WorkspaceAccessProperties::builder()
        .set_access_endpoint_config(endpoints)
        .set_device_type_windows(get("windows"))
        .set_device_type_osx(get("macos"))
        .set_device_type_linux(get("linux"))
        .set_device_type_web(get("web"))
        .set_device_type_ios(get("ios"))
        .set_device_type_android(get("android"))
        .set_device_type_chrome_os(get("chromeos"))
        .set_device_type_zero_client(get("zeroclient"))
        .set_device_type_work_spaces_thin_client(get("thin_client"))
        .build()
}

pub fn client_request(settings: &GroupSettings) -> sdk::ClientProperties {
    let log = switch(settings, "log_upload").map(|on| match on {
        true => sdk::LogUploadEnum::Enabled,
        false => sdk::LogUploadEnum::Disabled,
    });
    sdk::ClientProperties::builder()
        .set_reconnect_enabled(reconnect_enum(switch(settings, "reconnect")))
        .set_log_upload_enabled(log)
        .build()
}

/// The texts of `keys` that are set, and those the file empties.
fn texts_and_deletions<'a>(
    settings: &'a GroupSettings,
    keys: &[&'a str],
) -> (Vec<Option<&'a str>>, Vec<&'a str>) {
    let mut set = Vec::new();
    let mut emptied = Vec::new();
    for key in keys {
        match text(settings, key) {
            Some("") => {
                emptied.push(*key);
                set.push(None);
            }
            other => set.push(other),
        }
    }
    (set, emptied)
}

fn upper(settings: &GroupSettings, key: &str) -> Option<String> {
    text(settings, key).map(str::to_ascii_uppercase)
}

/// ModifySamlProperties' members: the properties, and what it deletes.
pub fn saml_request(
    settings: &GroupSettings,
) -> (sdk::SamlProperties, Vec<sdk::DeletableSamlProperty>) {
    let keys = ["user_access_url", "relay_state_parameter_name"];
    let (set, emptied) = texts_and_deletions(settings, &keys);
    let properties = sdk::SamlProperties::builder()
        .set_status(upper(settings, "status").map(|s| sdk::SamlStatusEnum::from(s.as_str())))
        .set_user_access_url(set[0].map(str::to_owned))
        .set_relay_state_parameter_name(set[1].map(str::to_owned))
        .build();
    let deleted = emptied
        .into_iter()
        .map(|key| match key {
            "user_access_url" => sdk::DeletableSamlProperty::SamlPropertiesUserAccessUrl,
            _ => sdk::DeletableSamlProperty::SamlPropertiesRelayStateParameterName,
        })
        .collect();
    (properties, deleted)
}

/// ModifyCertificateBasedAuthProperties' members: the properties, and what
/// it deletes.
pub fn certificate_based_auth_request(
    settings: &GroupSettings,
) -> (
    sdk::CertificateBasedAuthProperties,
    Vec<sdk::DeletableCertificateBasedAuthProperty>,
) {
    let (set, emptied) = texts_and_deletions(settings, &["certificate_authority_arn"]);
    let properties = sdk::CertificateBasedAuthProperties::builder()
        .set_status(
            upper(settings, "status")
                .map(|s| sdk::CertificateBasedAuthStatusEnum::from(s.as_str())),
        )
        .set_certificate_authority_arn(set[0].map(str::to_owned))
        .build();
    let deleted = emptied
        .iter()
        .map(|_| sdk::DeletableCertificateBasedAuthProperty::CertificateBasedAuthPropertiesCertificateAuthorityArn)
        .collect();
    (properties, deleted)
}

/// ModifyEndpointEncryptionMode's mode.
pub fn endpoint_encryption_request(
    settings: &GroupSettings,
) -> Option<sdk::EndpointEncryptionMode> {
    upper(settings, "mode").map(|m| sdk::EndpointEncryptionMode::from(m.as_str()))
}

fn number(settings: &GroupSettings, key: &str) -> Option<i64> {
    match settings.get(key) {
        Some(Setting::Number(n)) => Some(*n),
        _ => None,
    }
}

fn enabled_permission(on: bool) -> sdk::UserSettingPermissionEnum {
    match on {
        true => sdk::UserSettingPermissionEnum::Enabled,
        false => sdk::UserSettingPermissionEnum::Disabled,
    }
}

/// ModifyStreamingProperties' properties: every user setting, connector
/// and accelerator setting the group has (AWS takes each list whole).
pub fn streaming_request(settings: &GroupSettings) -> sdk::StreamingProperties {
    let user_settings: Vec<sdk::UserSetting> = USER_SETTING_KEYS
        .iter()
        .filter_map(|key| {
            let on = switch(settings, key)?;
            let limit =
                number(settings, &format!("{key}_max_length")).and_then(|n| i32::try_from(n).ok());
            sdk::UserSetting::builder()
                .action(sdk::UserSettingActionEnum::from(
                    key.to_ascii_uppercase().as_str(),
                ))
                .permission(enabled_permission(on))
                .set_maximum_length(limit)
                .build()
                .ok()
        })
        .collect();
    let home_folder = switch(settings, "home_folder").and_then(|on| {
        let status = match on {
            true => sdk::StorageConnectorStatusEnum::Enabled,
            false => sdk::StorageConnectorStatusEnum::Disabled,
        };
        sdk::StorageConnector::builder()
            .connector_type(sdk::StorageConnectorTypeEnum::HomeFolder)
            .status(status)
            .build()
            .ok()
    });
    let accelerator = upper(settings, "global_accelerator").and_then(|mode| {
        sdk::GlobalAcceleratorForDirectory::builder()
            .mode(sdk::AgaModeForDirectoryEnum::from(mode.as_str()))
            .set_preferred_protocol(
                upper(settings, "global_accelerator_preferred_protocol")
                    .map(|p| sdk::AgaPreferredProtocolForDirectory::from(p.as_str())),
            )
            .build()
            .ok()
    });
    sdk::StreamingProperties::builder()
        .set_streaming_experience_preferred_protocol(
            upper(settings, "preferred_protocol")
                .map(|p| sdk::StreamingExperiencePreferredProtocolEnum::from(p.as_str())),
        )
        .set_user_settings((!user_settings.is_empty()).then_some(user_settings))
        .set_storage_connectors(home_folder.map(|c| vec![c]))
        .set_global_accelerator(accelerator)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenancy_aws_adds_later_is_kept_as_it_is_and_is_not_dedicated() {
        let later = Tenancy::from("DEDICATED_HOST".to_owned());
        assert_eq!(later, Tenancy::Other("DEDICATED_HOST".to_owned()));
        assert!(!later.is_dedicated());
        assert_eq!(String::from(later), "DEDICATED_HOST");
        let dedicated: Tenancy = serde_json::from_str("\"DEDICATED\"").expect("a tenancy");
        assert!(dedicated.is_dedicated());
        assert_eq!(
            serde_json::to_string(&Tenancy::Shared).ok().as_deref(),
            Some("\"SHARED\"")
        );
    }

    #[test]
    fn every_access_key_has_its_device_member() {
        let keys: Vec<&str> = DEVICES.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ACCESS_KEYS[..DEVICES.len()]);
    }

    #[test]
    fn a_described_directory_reads_back_as_the_requests_it_takes() {
        let wanted = GroupSettings::from([
            ("restart_workspace".to_owned(), Setting::Bool(true)),
            ("rebuild_workspace".to_owned(), Setting::Bool(false)),
        ]);
        let access = GroupSettings::from([
            ("web".to_owned(), Setting::Text("deny".to_owned())),
            ("macos".to_owned(), Setting::Text("allow".to_owned())),
        ]);
        let creation = GroupSettings::from([
            ("default_ou".to_owned(), Setting::Text("OU=ws".to_owned())),
            ("enable_internet_access".to_owned(), Setting::Bool(true)),
        ]);
        let directory = sdk::WorkspaceDirectory::builder()
            .selfservice_permissions(self_service_request(&wanted))
            .workspace_access_properties(access_request(&access))
            .workspace_creation_properties(
                sdk::DefaultWorkspaceCreationProperties::builder()
                    .default_ou("OU=ws")
                    .enable_internet_access(true)
                    .build(),
            )
            .build();
        let read = read(&directory);
        assert_eq!(read[&Group::SelfServicePermissions], wanted);
        assert_eq!(read[&Group::Access], access);
        assert_eq!(read[&Group::Creation], creation);
        let client = GroupSettings::from([("reconnect".to_owned(), Setting::Bool(false))]);
        assert_eq!(read_client(&client_request(&client)), client);
    }

    #[test]
    fn sign_in_settings_read_back_as_the_requests_that_set_them() {
        let text = |v: &str| Setting::Text(v.to_owned());
        let saml = GroupSettings::from([
            ("status".to_owned(), text("enabled")),
            (
                "user_access_url".to_owned(),
                text("https://idp.example.com/sso"),
            ),
            ("relay_state_parameter_name".to_owned(), text("")),
        ]);
        let (saml_properties, deleted) = saml_request(&saml);
        assert_eq!(
            deleted,
            [sdk::DeletableSamlProperty::SamlPropertiesRelayStateParameterName]
        );
        assert_eq!(saml_properties.relay_state_parameter_name(), None);
        let certificate = GroupSettings::from([
            ("status".to_owned(), text("disabled")),
            ("certificate_authority_arn".to_owned(), text("")),
        ]);
        let (certificate_properties, deleted) = certificate_based_auth_request(&certificate);
        assert_eq!(deleted.len(), 1);
        let encryption = GroupSettings::from([("mode".to_owned(), text("fips_validated"))]);
        let mode = endpoint_encryption_request(&encryption);
        assert_eq!(mode, Some(sdk::EndpointEncryptionMode::FipsValidated));
        let mut directory = sdk::WorkspaceDirectory::builder()
            .saml_properties(saml_properties)
            .certificate_based_auth_properties(certificate_properties);
        if let Some(mode) = mode {
            directory = directory.endpoint_encryption_mode(mode);
        }
        let read = read(&directory.build());
        assert_eq!(read[&Group::Saml], saml);
        assert_eq!(read[&Group::CertificateBasedAuth], certificate);
        assert_eq!(read[&Group::EndpointEncryption], encryption);
    }

    #[test]
    fn every_group_has_its_keys_and_its_own_table_and_call() {
        let tables: std::collections::BTreeSet<&str> = Group::ALL.iter().map(|g| g.key()).collect();
        let calls: std::collections::BTreeSet<&str> =
            Group::ALL.iter().map(|g| g.api_name()).collect();
        assert_eq!(tables.len(), Group::ALL.len());
        assert_eq!(calls.len(), Group::ALL.len());
        assert!(Group::ALL.iter().all(|g| !g.keys().is_empty()));
        assert!(Group::Saml < Group::CertificateBasedAuth);
    }

    #[test]
    fn dirsettings_streaming_reads_back_as_the_request_that_set_it() {
        let text = |v: &str| Setting::Text(v.to_owned());
        let streaming = GroupSettings::from([
            ("preferred_protocol".to_owned(), text("udp")),
            (
                "clipboard_copy_from_local_device".to_owned(),
                Setting::Bool(true),
            ),
            (
                "clipboard_copy_from_local_device_max_length".to_owned(),
                Setting::Number(1024),
            ),
            ("printing_to_local_device".to_owned(), Setting::Bool(false)),
            ("smart_card".to_owned(), Setting::Bool(true)),
            ("home_folder".to_owned(), Setting::Bool(false)),
            ("global_accelerator".to_owned(), text("enabled_auto")),
            (
                "global_accelerator_preferred_protocol".to_owned(),
                text("tcp"),
            ),
        ]);
        let request = streaming_request(&streaming);
        assert_eq!(request.user_settings().len(), 3);
        assert_eq!(request.user_settings()[0].maximum_length(), Some(1024));
        let directory = sdk::WorkspaceDirectory::builder()
            .streaming_properties(request)
            .build();
        assert_eq!(read(&directory)[&Group::Streaming], streaming);
        let none = streaming_request(&GroupSettings::new());
        assert!(none.user_settings().is_empty() && none.global_accelerator().is_none());
    }

    #[test]
    fn dirsettings_a_vpc_endpoint_reads_back_as_the_access_request_that_set_it() {
        let access = GroupSettings::from([
            ("web".to_owned(), Setting::Text("deny".to_owned())),
            (
                "streaming_vpc_endpoint_id".to_owned(),
                Setting::Text("vpce-0123456789abcdef0".to_owned()),
            ),
            ("internet_fallback_pcoip".to_owned(), Setting::Bool(true)),
        ]);
        let request = access_request(&access);
        let config = request.access_endpoint_config().expect("an endpoint");
        assert_eq!(
            config.internet_fallback_protocols(),
            [sdk::InternetFallbackProtocol::Pcoip]
        );
        let directory = sdk::WorkspaceDirectory::builder()
            .workspace_access_properties(request)
            .build();
        assert_eq!(read(&directory)[&Group::Access], access);
        let devices_only =
            GroupSettings::from([("web".to_owned(), Setting::Text("allow".to_owned()))]);
        assert!(
            access_request(&devices_only)
                .access_endpoint_config()
                .is_none()
        );
    }
}

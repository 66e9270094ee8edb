//! The fleet file as written: serde types that mirror the TOML, every value
//! with its span. Only `load` builds them and only `validate` reads them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub(crate) use crate::file_table::{Accounts, Entry, Tags};
pub(crate) use crate::kinds::connection_alias::RawConnectionAlias;
pub(crate) use crate::kinds::ip_group::RawIpGroup;
use crate::workspace_properties::{
    GlobalAccelerator, PROPERTY_KEYS, Protocol, RunningMode, property_table,
};

/// Keys each table accepts; `load` checks them before serde sees the table,
/// so that every unknown key is reported, each with a suggestion.
pub(crate) const TOP_KEYS: &[&str] = &[
    "settings",
    "account",
    "ip_groups",
    "directories",
    "images",
    "bundles",
    "defaults",
    "workspaces",
    "connection_aliases",
];
pub(crate) const DEFAULTS_KEYS: &[&str] = &["workspace"];
pub(crate) const SETTINGS_KEYS: &[&str] = &[
    "stack",
    "region",
    "tag_reads",
    "auto_stop_hours_per_month",
    "max_monthly_increase",
];
pub(crate) const ACCOUNT_KEYS: &[&str] = &["byol", "management_cidr"];
pub(crate) const IMAGE_KEYS: &[&str] = &[
    "import",
    "copy",
    "update_of",
    "existing",
    "description",
    "auto_update",
    "share_with",
    "tags",
];
pub(crate) const DIRECTORY_KEYS: &[&str] = &[
    "directory_id",
    "subnet_ids",
    "tenancy",
    "enable_self_service",
    "ip_groups",
    "self_service_permissions",
    "creation",
    "access",
    "client",
    "saml",
    "certificate_based_auth",
    "endpoint_encryption",
    "streaming",
    "tags",
    "allow_data_loss",
];
pub(crate) const IMPORT_KEYS: &[&str] = &["ec2_image_id", "ingestion_process"];
pub(crate) const COPY_KEYS: &[&str] = &["source_region", "source_image_id"];
pub(crate) const BUNDLE_KEYS: &[&str] = &[
    "image",
    "compute_type",
    "root_volume_gib",
    "user_volume_gib",
    "description",
    "tags",
];
/// A WorkSpace's name is its own: `[defaults.workspace]` cannot set it.
const WORKSPACE_NAME: &str = "workspace_name";
/// The keys of `[defaults.workspace]`: where a WorkSpace goes, its
/// properties but its name (from the properties' table), and its policies.
const WORKSPACE_SHARED_KEYS: [&str; 3 + PROPERTY_KEYS.len() - 1 + 4] = concat(&[
    &["directory_id", "bundle", "bundle_id"],
    &except::<{ PROPERTY_KEYS.len() }, { PROPERTY_KEYS.len() - 1 }>(PROPERTY_KEYS, WORKSPACE_NAME),
    &["tags", "allow_data_loss", "heal", "tune"],
]);
pub(crate) const WORKSPACE_DEFAULT_KEYS: &[&str] = &WORKSPACE_SHARED_KEYS;
/// A WorkSpace's table: its user and its name, and every shared key.
pub(crate) const WORKSPACE_KEYS: &[&str] = &concat::<{ 2 + WORKSPACE_SHARED_KEYS.len() }>(&[
    &["user", WORKSPACE_NAME],
    &WORKSPACE_SHARED_KEYS,
]);

/// `parts` one after another, at compile time: a length other than theirs
/// together does not compile.
const fn concat<const L: usize>(parts: &[&[&'static str]]) -> [&'static str; L] {
    let mut out = [""; L];
    let (mut part, mut at) = (0, 0);
    while part < parts.len() {
        let mut i = 0;
        while i < parts[part].len() {
            out[at] = parts[part][i];
            (i, at) = (i + 1, at + 1);
        }
        part += 1;
    }
    assert!(at == L, "the length of every part together");
    out
}

/// `keys` but `key`, which must be one of them, at compile time.
const fn except<const N: usize, const M: usize>(
    keys: [&'static str; N],
    key: &str,
) -> [&'static str; M] {
    assert!(M + 1 == N, "one key fewer");
    let mut out = [""; M];
    let (mut i, mut at) = (0, 0);
    while i < N {
        if !same(keys[i], key) {
            assert!(at < M, "the key is one of the keys");
            out[at] = keys[i];
            at += 1;
        }
        i += 1;
    }
    out
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
pub(crate) const GLOBAL_ACCELERATOR_KEYS: &[&str] = &["mode", "preferred_protocol"];

/// The whole file. Tables that failed to load are absent; their problems are
/// already diagnostics.
#[derive(Debug, Default)]
pub(crate) struct RawFleet {
    pub(crate) settings: Option<Entry<RawSettings>>,
    pub(crate) account: Option<Entry<RawAccount>>,
    pub(crate) ip_groups: Vec<Entry<RawIpGroup>>,
    pub(crate) directories: Vec<Entry<RawDirectory>>,
    pub(crate) images: Vec<Entry<RawImage>>,
    pub(crate) bundles: Vec<Entry<RawBundle>>,
    pub(crate) defaults: Option<Entry<RawWorkspace>>,
    pub(crate) workspaces: Vec<Entry<RawWorkspace>>,
    pub(crate) connection_aliases: Vec<Entry<RawConnectionAlias>>,
}

// The derives of `schemars::JsonSchema` below make `schema/fleet.schema.json`
// (see `spec::schema`): the schema says the keys users write, so each field
// is described as its plain TOML value (`with`), not as the span wrapper.
// `#[serde(default)]` changes nothing for serde (every field is an `Option`)
// and tells the schema that no key is required: validation says which are.

/// `[settings]`: what the file as a whole is about.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Settings")]
pub(crate) struct RawSettings {
    /// The stack's name: the value of the `wsctl:stack` tag on everything this file owns. Required.
    #[schemars(with = "String")]
    pub(crate) stack: Option<Spanned<String>>,
    /// AWS region, e.g. `us-east-1`; `--region` and the AWS chain are used when it is absent.
    #[schemars(with = "String", regex(pattern = r"^[-0-9a-z]{1,31}$"))]
    pub(crate) region: Option<Spanned<String>>,
    /// How plans read which resources the stack owns: `bulk` (the Resource Groups Tagging API, the default) or `per-resource` (one DescribeTags per resource; no tagging permission needed).
    pub(crate) tag_reads: Option<super::TagReads>,
    /// Hours an AUTO_STOP WorkSpace is assumed to run in a month, for its price in plans (0–744; default 80).
    #[schemars(with = "u32", range(min = 0, max = 744))]
    pub(crate) auto_stop_hours_per_month: Option<Spanned<i64>>,
    /// The most a plan may add to the stack's monthly cost, in the prices' currency: a plan that adds more fails (exit 1) unless `--allow-cost-increase` is given.
    #[schemars(with = "f64", range(min = 0))]
    pub(crate) max_monthly_increase: Option<Spanned<Amount>>,
}

/// A number as TOML writes it, whole or not: `1000`, `250.50`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Amount {
    Whole(i64),
    Fraction(f64),
}

impl Amount {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            // Exact for every amount a guard can hold (below 2^53).
            Amount::Whole(n) => n as f64,
            Amount::Fraction(f) => f,
        }
    }
}

/// `[account]`: the account's BYOL (dedicated tenancy) setting.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Account")]
pub(crate) struct RawAccount {
    /// Turn bring-your-own-license on for the account.
    #[schemars(with = "bool")]
    pub(crate) byol: Option<Spanned<bool>>,
    /// The /16 management network range for BYOL, one of those AWS offers (ListAvailableManagementCidrRanges).
    #[schemars(with = "String")]
    pub(crate) management_cidr: Option<Spanned<String>>,
}

/// `[directories.NAME]`: a Directory Service directory registered with WorkSpaces. Every setting left out is not managed.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Directory")]
pub(crate) struct RawDirectory {
    /// The Directory Service directory, `d-…`. Required.
    #[schemars(with = "String", regex(pattern = r"^d-[0-9a-f]{8,63}$"))]
    pub(crate) directory_id: Option<Spanned<String>>,
    /// The subnets (at most two, in different Availability Zones) for the WorkSpaces. A change re-registers the directory.
    #[schemars(with = "Vec<String>", length(max = 2))]
    pub(crate) subnet_ids: Option<Spanned<Vec<Spanned<String>>>>,
    /// `shared`, or `dedicated` (BYOL; needs `[account] byol = true`). A change re-registers the directory.
    #[schemars(with = "String", extend("enum" = ["shared", "dedicated"]))]
    pub(crate) tenancy: Option<Spanned<String>>,
    /// Turn self-service on at registration; afterwards `self_service_permissions` says what users may do.
    #[schemars(with = "bool")]
    pub(crate) enable_self_service: Option<Spanned<bool>>,
    /// IP access control groups: names of this file's `[ip_groups]`, or group ids (`wsipg-…`). Exactly these are associated.
    #[schemars(with = "Vec<String>")]
    pub(crate) ip_groups: Option<Spanned<Vec<Spanned<String>>>>,
    /// What users may do to their own WorkSpaces.
    #[schemars(with = "RawSelfService")]
    pub(crate) self_service_permissions: Option<Spanned<RawSelfService>>,
    /// Defaults for WorkSpaces created from now on.
    #[schemars(with = "RawCreation")]
    pub(crate) creation: Option<Spanned<RawCreation>>,
    /// Which client devices may connect: `allow` or `deny` per device type.
    #[schemars(with = "RawAccess")]
    pub(crate) access: Option<Spanned<RawAccess>>,
    /// Client settings.
    #[schemars(with = "RawClient")]
    pub(crate) client: Option<Spanned<RawClient>>,
    /// SAML 2.0 sign-in through an identity provider.
    #[schemars(with = "RawSaml")]
    pub(crate) saml: Option<Spanned<RawSaml>>,
    /// Certificate-based authentication (needs `saml` enabled in this file).
    #[schemars(with = "RawCertificateBasedAuth")]
    pub(crate) certificate_based_auth: Option<Spanned<RawCertificateBasedAuth>>,
    /// The encryption of the streaming endpoints: standard TLS or FIPS 140-2 validated.
    #[schemars(with = "RawEndpointEncryption")]
    pub(crate) endpoint_encryption: Option<Spanned<RawEndpointEncryption>>,
    /// Streaming: the preferred protocol, what users may do from their devices, the home folder, Global Accelerator.
    #[schemars(with = "RawStreaming")]
    pub(crate) streaming: Option<Spanned<RawStreaming>>,
    /// Tags on the registration; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub(crate) tags: Option<Spanned<Tags>>,
    /// Let apply deregister (or re-register) this directory without `--allow-data-loss`.
    #[schemars(with = "bool")]
    pub(crate) allow_data_loss: Option<Spanned<bool>>,
}

/// `[directories.NAME.self_service_permissions]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "SelfServicePermissions")]
pub(crate) struct RawSelfService {
    #[schemars(with = "bool")]
    pub(crate) restart_workspace: Option<Spanned<bool>>,
    #[schemars(with = "bool")]
    pub(crate) increase_volume_size: Option<Spanned<bool>>,
    #[schemars(with = "bool")]
    pub(crate) change_compute_type: Option<Spanned<bool>>,
    #[schemars(with = "bool")]
    pub(crate) switch_running_mode: Option<Spanned<bool>>,
    #[schemars(with = "bool")]
    pub(crate) rebuild_workspace: Option<Spanned<bool>>,
}

/// `[directories.NAME.creation]`: applies to WorkSpaces created later only.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "CreationProperties")]
pub(crate) struct RawCreation {
    #[schemars(with = "bool")]
    pub(crate) enable_internet_access: Option<Spanned<bool>>,
    /// The organizational unit for new WorkSpaces' computer accounts.
    #[schemars(with = "String")]
    pub(crate) default_ou: Option<Spanned<String>>,
    /// A security group, `sg-…`, added to new WorkSpaces.
    #[schemars(with = "String", regex(pattern = r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$"))]
    pub(crate) custom_security_group_id: Option<Spanned<String>>,
    #[schemars(with = "bool")]
    pub(crate) user_enabled_as_local_administrator: Option<Spanned<bool>>,
    #[schemars(with = "bool")]
    pub(crate) enable_maintenance_mode: Option<Spanned<bool>>,
    /// An IAM role ARN for new WorkSpaces.
    #[schemars(with = "String", regex(pattern = r"^arn:aws[a-z-]{0,7}:"))]
    pub(crate) instance_iam_role_arn: Option<Spanned<String>>,
}

/// `[directories.NAME.access]`: `allow` or `deny` per device type, and streaming through a VPC endpoint.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "AccessProperties")]
pub(crate) struct RawAccess {
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) windows: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) macos: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) linux: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) web: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) ios: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) android: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) chromeos: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) zeroclient: Option<Spanned<String>>,
    #[schemars(with = "String", extend("enum" = ["allow", "deny"]))]
    pub(crate) thin_client: Option<Spanned<String>>,
    /// Stream (WSP) through this VPC endpoint rather than the internet (AccessEndpointConfig).
    #[schemars(with = "String", regex(pattern = r"^[a-zA-Z0-9_-]{1,1000}$"))]
    pub(crate) streaming_vpc_endpoint_id: Option<Spanned<String>>,
    /// PCoIP falls back to the internet when the VPC endpoint cannot be used (needs `streaming_vpc_endpoint_id`).
    #[schemars(with = "bool")]
    pub(crate) internet_fallback_pcoip: Option<Spanned<bool>>,
}

/// `[directories.NAME.client]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "ClientProperties")]
pub(crate) struct RawClient {
    /// Users may reconnect without entering their credentials again.
    #[schemars(with = "bool")]
    pub(crate) reconnect: Option<Spanned<bool>>,
    /// Clients upload their logs for troubleshooting.
    #[schemars(with = "bool")]
    pub(crate) log_upload: Option<Spanned<bool>>,
}

/// `[directories.NAME.saml]`: ModifySamlProperties.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "SamlProperties")]
pub(crate) struct RawSaml {
    /// `enabled` sends users to the user access URL; `enabled_with_directory_login_fallback` also lets clients without SAML 2.0 sign in with the directory's credentials.
    #[schemars(
        with = "String",
        extend("enum" = ["disabled", "enabled", "enabled_with_directory_login_fallback"])
    )]
    pub(crate) status: Option<Spanned<String>>,
    /// The identity provider's user access URL, `http(s)://…`, at most 200 characters; `""` deletes it.
    #[schemars(
        with = "String",
        length(max = 200),
        regex(pattern = r"^$|^(http|https)://\S+$")
    )]
    pub(crate) user_access_url: Option<Spanned<String>>,
    /// The relay state parameter name the identity provider supports; `""` deletes it.
    #[schemars(with = "String")]
    pub(crate) relay_state_parameter_name: Option<Spanned<String>>,
}

/// `[directories.NAME.certificate_based_auth]`: ModifyCertificateBasedAuthProperties.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "CertificateBasedAuthProperties")]
pub(crate) struct RawCertificateBasedAuth {
    /// `enabled` needs `[directories.NAME.saml]` with an enabled `status`.
    #[schemars(with = "String", extend("enum" = ["disabled", "enabled"]))]
    pub(crate) status: Option<Spanned<String>>,
    /// The AWS Private CA's ARN, at most 200 characters; `""` deletes it.
    #[schemars(with = "String", length(max = 200))]
    pub(crate) certificate_authority_arn: Option<Spanned<String>>,
}

/// `[directories.NAME.endpoint_encryption]`: ModifyEndpointEncryptionMode.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "EndpointEncryption")]
pub(crate) struct RawEndpointEncryption {
    /// `standard_tls`, or `fips_validated` for FIPS 140-2 validated endpoints.
    #[schemars(with = "String", extend("enum" = ["standard_tls", "fips_validated"]))]
    pub(crate) mode: Option<Spanned<String>>,
}

/// `[directories.NAME.streaming]`: ModifyStreamingProperties. Each list AWS keeps (user settings, storage connectors) is sent whole, with AWS's entries for the keys left out.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "StreamingProperties")]
pub(crate) struct RawStreaming {
    /// The streaming experience's preferred protocol.
    #[schemars(with = "String", extend("enum" = ["tcp", "udp"]))]
    pub(crate) preferred_protocol: Option<Spanned<String>>,
    /// Users may copy from their device into the WorkSpace.
    #[schemars(with = "bool")]
    pub(crate) clipboard_copy_from_local_device: Option<Spanned<bool>>,
    /// At most this many characters copied from the device (needs `clipboard_copy_from_local_device`).
    #[schemars(with = "i64", range(min = 0, max = 2147483647))]
    pub(crate) clipboard_copy_from_local_device_max_length: Option<Spanned<i64>>,
    /// Users may copy from the WorkSpace to their device.
    #[schemars(with = "bool")]
    pub(crate) clipboard_copy_to_local_device: Option<Spanned<bool>>,
    /// At most this many characters copied to the device (needs `clipboard_copy_to_local_device`).
    #[schemars(with = "i64", range(min = 0, max = 2147483647))]
    pub(crate) clipboard_copy_to_local_device_max_length: Option<Spanned<i64>>,
    /// Users may print to a printer of their device.
    #[schemars(with = "bool")]
    pub(crate) printing_to_local_device: Option<Spanned<bool>>,
    /// Users may use their device's smart card.
    #[schemars(with = "bool")]
    pub(crate) smart_card: Option<Spanned<bool>>,
    /// The home folder storage connector.
    #[schemars(with = "bool")]
    pub(crate) home_folder: Option<Spanned<bool>>,
    /// Global Accelerator for the directory's WorkSpaces.
    #[schemars(with = "String", extend("enum" = ["enabled_auto", "disabled"]))]
    pub(crate) global_accelerator: Option<Spanned<String>>,
    /// Global Accelerator's preferred protocol (needs `global_accelerator`).
    #[schemars(with = "String", extend("enum" = ["tcp", "none"]))]
    pub(crate) global_accelerator_preferred_protocol: Option<Spanned<String>>,
}

/// `[images.NAME]`: a custom image, made in one of three ways (`import`, `copy` or `update_of`), or one the account already has (`existing = true`).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Image")]
pub(crate) struct RawImage {
    /// Import a BYOL EC2 image (ImportWorkspaceImage).
    #[schemars(with = "RawImport")]
    pub(crate) import: Option<Spanned<RawImport>>,
    /// Copy an image from another region (CopyWorkspaceImage).
    #[schemars(with = "RawCopy")]
    pub(crate) copy: Option<Spanned<RawCopy>>,
    /// The name of another image in this file to make an updated image of (CreateUpdatedWorkspaceImage).
    #[schemars(with = "String")]
    pub(crate) update_of: Option<Spanned<String>>,
    /// The account already has this image, made outside wsctl in a way AWS does not report: wsctl adopts and keeps it by name but cannot make it again.
    #[schemars(with = "bool")]
    pub(crate) existing: Option<Spanned<bool>>,
    /// The image's description (letters, digits, spaces and `_./()-`).
    #[schemars(with = "String")]
    pub(crate) description: Option<Spanned<String>>,
    /// Keep the image's WorkSpaces agents updated.
    #[schemars(with = "bool")]
    pub(crate) auto_update: Option<Spanned<bool>>,
    /// The AWS accounts (12 digits each) the image is shared with (UpdateWorkspaceImagePermission); absent leaves the image's sharing as it is.
    #[schemars(with = "Vec<String>", extend("items" = { "type": "string", "pattern": r"^\d{12}$" }, "uniqueItems" = true))]
    pub(crate) share_with: Option<Spanned<Accounts>>,
    /// Tags on the image; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub(crate) tags: Option<Spanned<Tags>>,
}

/// `import = { … }`: the EC2 image to import.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Import")]
pub(crate) struct RawImport {
    /// The EC2 image id, `ami-` and 8 or 17 hex digits.
    #[schemars(with = "String", regex(pattern = r"^ami-([a-f0-9]{8}|[a-f0-9]{17})$"))]
    pub(crate) ec2_image_id: Option<Spanned<String>>,
    /// How WorkSpaces ingests the image.
    #[schemars(with = "String", extend("enum" = super::rules::INGESTION_PROCESSES))]
    pub(crate) ingestion_process: Option<Spanned<String>>,
}

/// `copy = { … }`: the image to copy from another region.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Copy")]
pub(crate) struct RawCopy {
    /// The region to copy from.
    #[schemars(with = "String", regex(pattern = r"^[-0-9a-z]{1,31}$"))]
    pub(crate) source_region: Option<Spanned<String>>,
    /// The image's id in that region, `wsi-…`.
    #[schemars(with = "String")]
    pub(crate) source_image_id: Option<Spanned<String>>,
}

/// `[bundles.NAME]`: a custom bundle on an image of this file.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Bundle")]
pub(crate) struct RawBundle {
    /// The name of an image in this file.
    #[schemars(with = "String")]
    pub(crate) image: Option<Spanned<String>>,
    /// The bundle's compute type.
    #[schemars(with = "String", extend("enum" = super::rules::COMPUTE_TYPES))]
    pub(crate) compute_type: Option<Spanned<String>>,
    /// Root volume size in GiB.
    #[schemars(with = "i64", range(min = 1, max = 2000))]
    pub(crate) root_volume_gib: Option<Spanned<i64>>,
    /// User volume size in GiB.
    #[schemars(with = "i64", range(min = 1, max = 2000))]
    pub(crate) user_volume_gib: Option<Spanned<i64>>,
    /// The bundle's description (letters, digits, spaces and `_./()-`).
    #[schemars(with = "String")]
    pub(crate) description: Option<Spanned<String>>,
    /// Tags on the bundle; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub(crate) tags: Option<Spanned<Tags>>,
}

/// `RawWorkspace`: a WorkSpace's keys, its properties' from the table.
macro_rules! raw_workspace {
    ($(
        $(#[$file:meta])* $key:ident => $field:ident: $type:ty,
        checked: [$($rule:tt)*], shown: $setting:expr, compared: $compared:expr;
    )*) => {
        /// Both `[workspaces.NAME]` and `[defaults.workspace]` (which has no `user`).
        #[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields, default)]
        #[schemars(rename = "Workspace")]
        pub(crate) struct RawWorkspace {
            /// The registered directory, `d-…` or `wsd-…`.
            #[schemars(with = "String")]
            pub(crate) directory_id: Option<Spanned<String>>,
            /// The directory user; defaults to the WorkSpace's name.
            #[schemars(with = "String")]
            pub(crate) user: Option<Spanned<String>>,
            /// A bundle by name: one of this file's `[bundles]`, or an AMAZON bundle's name. Not with `bundle_id`.
            #[schemars(with = "String")]
            pub(crate) bundle: Option<Spanned<String>>,
            /// A bundle by id, `wsb-…`. Not with `bundle`.
            #[schemars(with = "String", regex(pattern = r"^wsb-[0-9a-z]{8,63}$"))]
            pub(crate) bundle_id: Option<Spanned<String>>,
            $(
                $(#[$file])*
                pub(crate) $key: Option<Spanned<<$type as FileValue>::Raw>>,
            )*
            /// Tags, merged over `[defaults.workspace]` tags; wsctl adds its `wsctl:` ownership tags.
            #[schemars(with = "BTreeMap<String, String>")]
            pub(crate) tags: Option<Spanned<Tags>>,
            /// Let apply replace or terminate this WorkSpace (losing its user data) without `--allow-data-loss`.
            #[schemars(with = "bool")]
            pub(crate) allow_data_loss: Option<Spanned<bool>>,
            /// What the plan does when the WorkSpace is UNHEALTHY or ERROR: nothing, RebootWorkspaces, RebuildWorkspaces or RestoreWorkspace (the last two lose user data).
            #[schemars(with = "String", extend("enum" = super::model::Heal::ALL.map(super::model::Heal::as_str)))]
            pub(crate) heal: Option<Spanned<String>>,
            /// `false`: `wsctl tune` leaves this WorkSpace's running mode (or, in `[defaults.workspace]`, the default's and every WorkSpace's that does not say `tune = true`) as it is.
            #[schemars(with = "bool")]
            pub(crate) tune: Option<Spanned<bool>>,
        }
    };
}

property_table!(raw_workspace);

/// How the file writes a property of a type, and its value once checked:
/// None when the value is out of range (which a rule has reported).
pub(crate) trait FileValue: Sized {
    type Raw;
    fn checked(raw: &Self::Raw) -> Option<Self>;
}

impl FileValue for bool {
    type Raw = bool;
    fn checked(raw: &bool) -> Option<Self> {
        Some(*raw)
    }
}

impl FileValue for String {
    type Raw = String;
    fn checked(raw: &String) -> Option<Self> {
        Some(raw.clone())
    }
}

impl FileValue for i32 {
    type Raw = i64;
    fn checked(raw: &i64) -> Option<Self> {
        i32::try_from(*raw).ok()
    }
}

impl FileValue for RunningMode {
    type Raw = String;
    fn checked(raw: &String) -> Option<Self> {
        RunningMode::named(raw)
    }
}

/// AWS takes a list; a WorkSpace streams over one protocol.
impl FileValue for Protocol {
    type Raw = Vec<Spanned<String>>;
    fn checked(raw: &Vec<Spanned<String>>) -> Option<Self> {
        match raw.as_slice() {
            [protocol] => Protocol::named(protocol.get_ref()),
            _ => None,
        }
    }
}

impl FileValue for GlobalAccelerator {
    type Raw = RawGlobalAccelerator;
    fn checked(raw: &RawGlobalAccelerator) -> Option<Self> {
        Some(GlobalAccelerator {
            mode: raw.mode.as_ref()?.get_ref().clone(),
            preferred_protocol: raw.preferred_protocol.as_ref().map(|p| p.get_ref().clone()),
        })
    }
}

/// `global_accelerator = { … }`.
// Unlike the other tables, only the optional key says `default`: the
// schema then requires `mode` (validation says so too, with its span).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GlobalAccelerator")]
pub(crate) struct RawGlobalAccelerator {
    /// `ENABLED_AUTO`, `DISABLED`, or `INHERITED` (the directory's setting). Required.
    #[schemars(with = "String", extend("enum" = super::rules::AGA_MODES))]
    pub(crate) mode: Option<Spanned<String>>,
    /// `TCP`, `NONE` or `INHERITED`; unset leaves AWS's.
    #[serde(default)]
    #[schemars(with = "String", extend("enum" = super::rules::AGA_PROTOCOLS))]
    pub(crate) preferred_protocol: Option<Spanned<String>>,
}

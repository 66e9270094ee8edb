//! The fleet file as written: serde types that mirror the TOML, every value
//! with its span. Only `load` builds them and only `validate` reads them.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// Keys each table accepts; `load` checks them before serde sees the table,
/// so that every unknown key is reported, each with a suggestion.
pub(crate) const TOP_KEYS: &[&str] = &[
    "settings",
    "account",
    "images",
    "bundles",
    "defaults",
    "workspaces",
];
pub(crate) const DEFAULTS_KEYS: &[&str] = &["workspace"];
pub(crate) const SETTINGS_KEYS: &[&str] = &["stack", "region", "tag_reads"];
pub(crate) const ACCOUNT_KEYS: &[&str] = &["byol", "management_cidr"];
pub(crate) const IMAGE_KEYS: &[&str] = &[
    "import",
    "copy",
    "update_of",
    "existing",
    "description",
    "auto_update",
    "tags",
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
pub(crate) const WORKSPACE_KEYS: &[&str] = &[
    "user",
    "directory_id",
    "bundle",
    "bundle_id",
    "compute_type",
    "running_mode",
    "auto_stop_timeout_minutes",
    "root_volume_gib",
    "user_volume_gib",
    "root_volume_encryption",
    "user_volume_encryption",
    "volume_encryption_key",
    "tags",
    "allow_data_loss",
    "heal",
];
/// `[defaults.workspace]`: every WorkSpace key but `user`, which is per user.
pub(crate) const WORKSPACE_DEFAULT_KEYS: &[&str] = WORKSPACE_KEYS.split_at(1).1;

pub(crate) type Tags = BTreeMap<Spanned<String>, Spanned<String>>;

/// The whole file. Tables that failed to load are absent; their problems are
/// already diagnostics.
#[derive(Debug, Default)]
pub(crate) struct RawFleet {
    pub(crate) settings: Option<Entry<RawSettings>>,
    pub(crate) account: Option<Entry<RawAccount>>,
    pub(crate) images: Vec<Entry<RawImage>>,
    pub(crate) bundles: Vec<Entry<RawBundle>>,
    pub(crate) defaults: Option<Entry<RawWorkspace>>,
    pub(crate) workspaces: Vec<Entry<RawWorkspace>>,
}

/// One table of the file with where it was written.
#[derive(Debug)]
pub(crate) struct Entry<T> {
    /// The last key of the header (`alice` in `[workspaces.alice]`).
    pub(crate) name: String,
    /// What to underline for the table as a whole: the `[header]`, or the
    /// key of an inline table.
    pub(crate) span: Range<usize>,
    pub(crate) value: T,
    /// Keys whose value was unusable (wrong type) or that look misspelt:
    /// already reported, so "missing key" is not said again.
    pub(crate) reported: Vec<String>,
}

impl<T> Entry<T> {
    pub(crate) fn is_reported(&self, key: &str) -> bool {
        self.reported.iter().any(|k| k == key)
    }
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
    /// The compute type, when it differs from the bundle's.
    #[schemars(with = "String", extend("enum" = super::rules::COMPUTE_TYPES))]
    pub(crate) compute_type: Option<Spanned<String>>,
    /// When the WorkSpace runs.
    #[schemars(with = "String", extend("enum" = super::model::RunningMode::ALL.map(super::model::RunningMode::as_str)))]
    pub(crate) running_mode: Option<Spanned<String>>,
    /// Minutes of inactivity before an AUTO_STOP WorkSpace stops: a multiple of 60.
    #[schemars(with = "i64", range(min = 60), extend("multipleOf" = 60))]
    pub(crate) auto_stop_timeout_minutes: Option<Spanned<i64>>,
    /// Root volume size in GiB: 80 with a user volume of 10, 50 or 100; or 175–2000 with 100–2000.
    #[schemars(with = "i64", range(min = 1, max = 2000))]
    pub(crate) root_volume_gib: Option<Spanned<i64>>,
    /// User volume size in GiB (see `root_volume_gib` for the allowed pairs).
    #[schemars(with = "i64", range(min = 1, max = 2000))]
    pub(crate) user_volume_gib: Option<Spanned<i64>>,
    /// Encrypt the root volume; needs `volume_encryption_key`. Cannot change later.
    #[schemars(with = "bool")]
    pub(crate) root_volume_encryption: Option<Spanned<bool>>,
    /// Encrypt the user volume; needs `volume_encryption_key`. Cannot change later.
    #[schemars(with = "bool")]
    pub(crate) user_volume_encryption: Option<Spanned<bool>>,
    /// The KMS key (ARN or id) for encrypted volumes.
    #[schemars(with = "String")]
    pub(crate) volume_encryption_key: Option<Spanned<String>>,
    /// Tags, merged over `[defaults.workspace]` tags; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub(crate) tags: Option<Spanned<Tags>>,
    /// Let apply replace or terminate this WorkSpace (losing its user data) without `--allow-data-loss`.
    #[schemars(with = "bool")]
    pub(crate) allow_data_loss: Option<Spanned<bool>>,
    /// What the plan does when the WorkSpace is UNHEALTHY or ERROR: nothing, RebootWorkspaces, RebuildWorkspaces or RestoreWorkspace (the last two lose user data).
    #[schemars(with = "String", extend("enum" = super::model::Heal::ALL.map(super::model::Heal::as_str)))]
    pub(crate) heal: Option<Spanned<String>>,
}

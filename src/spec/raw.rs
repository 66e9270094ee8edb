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
pub(crate) const SETTINGS_KEYS: &[&str] = &["stack", "region"];
pub(crate) const ACCOUNT_KEYS: &[&str] = &["byol", "management_cidr"];
pub(crate) const IMAGE_KEYS: &[&str] = &[
    "import",
    "copy",
    "update_of",
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
    "directory_id",
    "user",
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
pub(crate) const WORKSPACE_DEFAULT_KEYS: &[&str] = &[
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    pub(crate) stack: Option<Spanned<String>>,
    pub(crate) region: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    pub(crate) byol: Option<Spanned<bool>>,
    pub(crate) management_cidr: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImage {
    pub(crate) import: Option<Spanned<RawImport>>,
    pub(crate) copy: Option<Spanned<RawCopy>>,
    pub(crate) update_of: Option<Spanned<String>>,
    pub(crate) description: Option<Spanned<String>>,
    pub(crate) auto_update: Option<Spanned<bool>>,
    pub(crate) tags: Option<Spanned<Tags>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImport {
    pub(crate) ec2_image_id: Option<Spanned<String>>,
    pub(crate) ingestion_process: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCopy {
    pub(crate) source_region: Option<Spanned<String>>,
    pub(crate) source_image_id: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBundle {
    pub(crate) image: Option<Spanned<String>>,
    pub(crate) compute_type: Option<Spanned<String>>,
    pub(crate) root_volume_gib: Option<Spanned<i64>>,
    pub(crate) user_volume_gib: Option<Spanned<i64>>,
    pub(crate) description: Option<Spanned<String>>,
    pub(crate) tags: Option<Spanned<Tags>>,
}

/// Both `[workspaces.NAME]` and `[defaults.workspace]` (which has no `user`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWorkspace {
    pub(crate) directory_id: Option<Spanned<String>>,
    pub(crate) user: Option<Spanned<String>>,
    pub(crate) bundle: Option<Spanned<String>>,
    pub(crate) bundle_id: Option<Spanned<String>>,
    pub(crate) compute_type: Option<Spanned<String>>,
    pub(crate) running_mode: Option<Spanned<String>>,
    pub(crate) auto_stop_timeout_minutes: Option<Spanned<i64>>,
    pub(crate) root_volume_gib: Option<Spanned<i64>>,
    pub(crate) user_volume_gib: Option<Spanned<i64>>,
    pub(crate) root_volume_encryption: Option<Spanned<bool>>,
    pub(crate) user_volume_encryption: Option<Spanned<bool>>,
    pub(crate) volume_encryption_key: Option<Spanned<String>>,
    pub(crate) tags: Option<Spanned<Tags>>,
    pub(crate) allow_data_loss: Option<Spanned<bool>>,
    pub(crate) heal: Option<Spanned<String>>,
}

//! What a read of the account must cover: this stack's resources, and the
//! ones the file names that may not be this stack's yet (to create, adopt,
//! or report as another stack's). Nothing else costs a call of its own.

use std::collections::BTreeSet;

use super::WorkspaceKey;
use crate::identity::AliasKey;
use crate::spec::{BundleRef, Fleet, TagReads};
use crate::workspace_properties::is_kms_key_arn;

#[derive(Clone, Debug, Default)]
pub struct Scope<'a> {
    pub stack: String,
    /// The file, when planning: which management range to check the offer
    /// of, and which WorkSpaces may need healing.
    pub fleet: Option<&'a Fleet>,
    /// WorkSpaces read by natural key whoever owns them.
    pub workspaces: BTreeSet<WorkspaceKey>,
    /// Custom bundles and images whose tags are read by name whoever owns
    /// them.
    pub bundles: BTreeSet<String>,
    pub images: BTreeSet<String>,
    /// Images whose `share_with` the file sets: who they are shared with is
    /// read whoever owns them (the stack's own are read anyway).
    pub shared_images: BTreeSet<String>,
    /// Connection strings, in lower case, whose aliases' tags and sharing
    /// are read whoever owns them.
    pub connection_strings: BTreeSet<AliasKey>,
    /// Directory ids of `[directories]` and IP group names of `[ip_groups]`:
    /// their tags are read whoever owns them.
    pub directories: BTreeSet<String>,
    pub ip_groups: BTreeSet<String>,
    /// A `[directories]` table associates IP groups, or sets client
    /// settings: what a directory-less, group-less file never reads.
    pub needs_ip_groups: bool,
    /// The KMS keys the file's WorkSpaces name other than by ARN (an
    /// alias, a key id), resolved to their ARNs.
    pub kms_keys: BTreeSet<String>,
    pub tag_reads: TagReads,
}

impl<'a> Scope<'a> {
    /// Everything planning `fleet` needs.
    pub fn of_fleet(fleet: &'a Fleet, tag_reads: TagReads) -> Self {
        let mut scope = Scope {
            stack: fleet.settings.stack.clone(),
            fleet: Some(fleet),
            tag_reads,
            ..Scope::default()
        };
        for workspace in &fleet.workspaces {
            scope.workspaces.insert(workspace.key());
            if let Some(key) = workspace.properties.volume_encryption_key.as_deref()
                && !is_kms_key_arn(key)
            {
                scope.kms_keys.insert(key.to_owned());
            }
            if let BundleRef::Name(name) = &workspace.bundle {
                scope.bundles.insert(name.clone());
            }
        }
        scope
            .bundles
            .extend(fleet.bundles.iter().map(|b| b.name.clone()));
        scope
            .images
            .extend(fleet.images.iter().map(|i| i.name.clone()));
        scope.shared_images.extend(
            fleet
                .images
                .iter()
                .filter(|i| i.share_with.is_some())
                .map(|i| i.name.clone()),
        );
        scope.connection_strings.extend(
            fleet
                .connection_aliases
                .iter()
                .map(|a| AliasKey::new(&a.connection_string)),
        );
        scope.directories = fleet
            .directories
            .iter()
            .map(|d| d.directory_id.clone())
            .collect();
        scope.ip_groups = fleet.ip_groups.iter().map(|g| g.name.clone()).collect();
        scope.needs_ip_groups =
            !scope.ip_groups.is_empty() || fleet.directories.iter().any(|d| d.ip_groups.is_some());
        scope
    }
}

//! How wsctl recognises a resource in the account: a WorkSpace by its
//! natural key, anything it manages by the ownership tags it gave it.
//!
//! AWS allows one WorkSpace per user and directory, and matches the user
//! name without regard to case (so does the simulator). Every (directory,
//! user) match and index goes through `WorkspaceKey`, so a live WorkSpace
//! of `Alice` is the file's `alice` everywhere.

use std::collections::BTreeMap;
use std::fmt;

/// The tag that says which stack owns a resource.
pub const STACK_TAG: &str = "wsctl:stack";
/// The tag that names the `[workspaces.NAME]` a WorkSpace was created for, so
/// a change of user or directory is a replacement rather than an unrelated
/// create and delete.
pub const NAME_TAG: &str = "wsctl:name";

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkspaceKey {
    directory_id: String,
    /// Lowercased once, here.
    user: String,
}

impl WorkspaceKey {
    pub fn new(directory_id: &str, user: &str) -> Self {
        WorkspaceKey {
            directory_id: directory_id.to_owned(),
            user: user.to_lowercase(),
        }
    }

    pub fn directory_id(&self) -> &str {
        &self.directory_id
    }

    /// The user name, lowercased.
    pub fn user(&self) -> &str {
        &self.user
    }
}

/// A connection alias's natural key: its connection string, which AWS
/// matches without regard to case (a domain name). Every match and index of
/// an alias by its string goes through it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AliasKey(String);

impl AliasKey {
    pub fn new(connection_string: &str) -> Self {
        AliasKey(connection_string.to_ascii_lowercase())
    }

    /// Whether `connection_string` names this alias.
    pub fn is(&self, connection_string: &str) -> bool {
        self.0.eq_ignore_ascii_case(connection_string)
    }
}

/// `desktop.example.com`, lowercased: how fingerprints name it.
impl fmt::Display for AliasKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `d-1234567890/alice`: how fingerprints name it.
impl fmt::Display for WorkspaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.directory_id, self.user)
    }
}

/// What every taggable live resource tells the planner about ownership,
/// and how plans and errors name it.
pub trait Owned {
    fn id(&self) -> &str;

    fn tags(&self) -> &BTreeMap<String, String>;

    fn set_tags(&mut self, tags: BTreeMap<String, String>);

    /// The resource as a plan names it: "IP group wsipg-1 (office)".
    fn described(&self) -> String;

    /// Why a plan adopts it.
    fn unowned(&self) -> String {
        format!(
            "{} exists without a wsctl:stack tag; apply tags it",
            self.described()
        )
    }

    fn stack(&self) -> Option<&str> {
        self.tags().get(STACK_TAG).map(String::as_str)
    }

    fn name_tag(&self) -> Option<&str> {
        self.tags().get(NAME_TAG).map(String::as_str)
    }
}

/// `Owned` for a live type: its id, its tags, how it is described, and why
/// a plan adopts it when that is not the default.
macro_rules! owned {
    ($type:ty, |$it:ident| $described:expr $(, unowned: $unowned:expr)?) => {
        impl $crate::identity::Owned for $type {
            fn id(&self) -> &str {
                &self.id
            }

            fn tags(&self) -> &::std::collections::BTreeMap<String, String> {
                &self.tags
            }

            fn set_tags(&mut self, tags: ::std::collections::BTreeMap<String, String>) {
                self.tags = tags;
            }

            fn described(&self) -> String {
                let $it = self;
                $described
            }

            $(fn unowned(&self) -> String {
                let $it = self;
                $unowned
            })?
        }
    };
}
pub(crate) use owned;

/// How a plan reads which resources the stack owns (`[settings] tag_reads`,
/// or `--tag-reads` for one run).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum TagReads {
    /// The Resource Groups Tagging API lists the stack's resources with their
    /// tags, 100 a call; DescribeWorkspaces reads them, 25 ids a call.
    #[default]
    Bulk,
    /// Every WorkSpace of every registered directory, paged, and one
    /// DescribeTags per WorkSpace, bundle and image: slower, needs no tagging
    /// permission, and sees a tag change at once.
    PerResource,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_is_its_connection_string_in_any_case() {
        let key = AliasKey::new("Desktop.Example.COM");
        assert_eq!(key, AliasKey::new("desktop.example.com"));
        assert!(key.is("DESKTOP.example.com"));
        assert!(!key.is("desktop.example.org"));
        assert_eq!(key.to_string(), "desktop.example.com");
    }
}

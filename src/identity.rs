//! How wsctl recognises a resource in the account: a WorkSpace by its
//! natural key, anything it manages by the ownership tags it gave it.
//!
//! AWS allows one WorkSpace per user and directory, and matches the user
//! name without regard to case (so does the simulator). Every (directory,
//! user) match and index goes through `WorkspaceKey`, so a live WorkSpace
//! of `Alice` is the file's `alice` everywhere.

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

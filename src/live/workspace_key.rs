//! The natural key of a WorkSpace: AWS allows one per user and directory,
//! and matches the user name without regard to case (so does the
//! simulator). Every (directory, user) match and index goes through this
//! type, so a live WorkSpace of `Alice` is the file's `alice` everywhere.

use std::fmt;

use super::LiveWorkspace;
use crate::spec::Workspace;

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

/// `d-1234567890/alice`: how fingerprints name it.
impl fmt::Display for WorkspaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.directory_id, self.user)
    }
}

impl LiveWorkspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }
}

impl Workspace {
    pub fn key(&self) -> WorkspaceKey {
        WorkspaceKey::new(&self.directory_id, &self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_is_matched_without_regard_to_case_the_directory_exactly() {
        let alice = WorkspaceKey::new("d-1234567890", "Alice");
        assert_eq!(alice, WorkspaceKey::new("d-1234567890", "alice"));
        assert_eq!(alice, WorkspaceKey::new("d-1234567890", "ALICE"));
        assert_ne!(alice, WorkspaceKey::new("d-0987654321", "alice"));
        assert_ne!(alice, WorkspaceKey::new("d-1234567890", "alice.smith"));
        assert_eq!(alice.user(), "alice");
        assert_eq!(alice.to_string(), "d-1234567890/alice");
    }
}

//! The states AWS reports for WorkSpaces, images, directories and
//! connection aliases, in AWS's words (the API model's enums). A state AWS
//! adds later is kept as `Unknown` and compared as itself. Each serialises
//! as AWS spells it, so the JSON that fingerprints hash is the same as when
//! the states were text.

use std::fmt;

use aws_sdk_workspaces::types as sdk;
use serde::{Deserialize, Serialize};

/// One state enum: its variants beside AWS's spelling, and its SDK type.
macro_rules! state {
    ($(#[$doc:meta])* $name:ident from $sdk:ty { $($variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($variant,)*
            Unknown(String),
        }

        impl $name {
            /// As AWS spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($text => $name::$variant,)*
                    _ => $name::Unknown(value),
                }
            }
        }

        impl From<&$sdk> for $name {
            fn from(state: &$sdk) -> Self {
                $name::from(state.as_str().to_owned())
            }
        }

        impl From<$name> for String {
            fn from(state: $name) -> Self {
                state.as_str().to_owned()
            }
        }

        /// A state AWS left out: empty, as the live types read it before
        /// they had this type.
        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

state! {
    /// A WorkSpace's state (`WorkspaceState`).
    WorkspaceState from sdk::WorkspaceState {
        Pending = "PENDING",
        Available = "AVAILABLE",
        Impaired = "IMPAIRED",
        Unhealthy = "UNHEALTHY",
        Rebooting = "REBOOTING",
        Starting = "STARTING",
        Rebuilding = "REBUILDING",
        Restoring = "RESTORING",
        Maintenance = "MAINTENANCE",
        AdminMaintenance = "ADMIN_MAINTENANCE",
        Terminating = "TERMINATING",
        Terminated = "TERMINATED",
        Suspended = "SUSPENDED",
        Updating = "UPDATING",
        Stopping = "STOPPING",
        Stopped = "STOPPED",
        Error = "ERROR",
    }
}

impl WorkspaceState {
    /// On its way to AVAILABLE or STOPPED by itself: apply can wait it out.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            WorkspaceState::Pending
                | WorkspaceState::Starting
                | WorkspaceState::Rebooting
                | WorkspaceState::Rebuilding
                | WorkspaceState::Restoring
                | WorkspaceState::Updating
                | WorkspaceState::Stopping
                | WorkspaceState::Maintenance
        )
    }

    /// TERMINATING or TERMINATED: on its way out, or gone.
    pub fn is_terminating(&self) -> bool {
        matches!(
            self,
            WorkspaceState::Terminating | WorkspaceState::Terminated
        )
    }
}

state! {
    /// An image's state (`WorkspaceImageState`).
    ImageState from sdk::WorkspaceImageState {
        Available = "AVAILABLE",
        Pending = "PENDING",
        Error = "ERROR",
    }
}

state! {
    /// A directory's registration state (`WorkspaceDirectoryState`).
    DirectoryState from sdk::WorkspaceDirectoryState {
        Registering = "REGISTERING",
        Registered = "REGISTERED",
        Deregistering = "DEREGISTERING",
        Deregistered = "DEREGISTERED",
        Error = "ERROR",
    }
}

state! {
    /// A connection alias's state (`ConnectionAliasState`).
    AliasState from sdk::ConnectionAliasState {
        Creating = "CREATING",
        Created = "CREATED",
        Deleting = "DELETING",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each of AWS's values (the API model's enum) reads as a known state
    /// and writes back as itself; a value AWS adds later reads as
    /// `Unknown` and survives the same trip.
    fn round_trips<S>(model: &[&str], later: &str, unknown: fn(String) -> S)
    where
        S: From<String> + Into<String> + Serialize + for<'de> Deserialize<'de>,
        S: fmt::Debug + PartialEq + Clone,
    {
        for value in model {
            assert_ne!(S::from((*value).to_owned()), unknown((*value).to_owned()));
        }
        assert_eq!(S::from(later.to_owned()), unknown(later.to_owned()));
        for value in model.iter().chain([&later]) {
            let state = S::from((*value).to_owned());
            assert_eq!(state.clone().into(), *value);
            let json = serde_json::to_string(&state).unwrap_or_default();
            assert_eq!(json, format!("\"{value}\""));
            let read: S = serde_json::from_str(&json).expect("a state");
            assert_eq!(read, state);
        }
    }

    #[test]
    fn every_workspace_state_of_the_model_round_trips() {
        let model = [
            "PENDING",
            "AVAILABLE",
            "IMPAIRED",
            "UNHEALTHY",
            "REBOOTING",
            "STARTING",
            "REBUILDING",
            "RESTORING",
            "MAINTENANCE",
            "ADMIN_MAINTENANCE",
            "TERMINATING",
            "TERMINATED",
            "SUSPENDED",
            "UPDATING",
            "STOPPING",
            "STOPPED",
            "ERROR",
        ];
        round_trips(&model, "HIBERNATED", WorkspaceState::Unknown);
        let later = WorkspaceState::from("HIBERNATED".to_owned());
        assert!(!later.is_transitional() && !later.is_terminating());
    }

    #[test]
    fn every_image_state_of_the_model_round_trips() {
        let model = ["AVAILABLE", "PENDING", "ERROR"];
        round_trips(&model, "DEPRECATED", ImageState::Unknown);
    }

    #[test]
    fn every_directory_state_of_the_model_round_trips() {
        let model = [
            "REGISTERING",
            "REGISTERED",
            "DEREGISTERING",
            "DEREGISTERED",
            "ERROR",
        ];
        round_trips(&model, "SUSPENDED", DirectoryState::Unknown);
    }

    #[test]
    fn every_alias_state_of_the_model_round_trips() {
        let model = ["CREATING", "CREATED", "DELETING"];
        round_trips(&model, "FAILED", AliasState::Unknown);
    }

    #[test]
    fn a_state_aws_left_out_is_empty_and_the_sdks_reads_as_ours() {
        assert_eq!(WorkspaceState::default().as_str(), "");
        let stopped = sdk::WorkspaceState::from("STOPPED");
        assert_eq!(WorkspaceState::from(&stopped), WorkspaceState::Stopped);
    }
}

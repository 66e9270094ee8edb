//! Why one step of an apply failed.

use super::waiter::WaitError;
use crate::address::Address;
use crate::aws::ApiError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The call failed as a whole: every step it carried fails with it.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The call went through but AWS refused this item (`FailedRequests`),
    /// or its answer did not name it.
    #[error("{operation} failed: {code}: {message}")]
    Item {
        operation: &'static str,
        code: String,
        message: String,
    },
    /// The call was made; what it started did not arrive.
    #[error(transparent)]
    Wait(#[from] WaitError),
    /// The step needs the id of something this apply was to create first.
    #[error("{created_by} has no id: it was not created")]
    Unresolved { created_by: Address },
    /// The apply was interrupted before the step's call could start.
    #[error("not started: the apply was interrupted")]
    NotStarted,
    /// The step never answered: its call's task panicked, or the walk
    /// ended before it.
    #[error("it never finished: {0}")]
    Lost(String),
}

//! Errors that cross module lines, with their messages in one place.

use std::fmt;

use aws_sdk_workspaces::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// A failed API call: the operation, AWS's error code and its message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed: {code}: {message}")]
pub struct ApiError {
    pub operation: &'static str,
    pub code: String,
    pub message: String,
}

/// Turn an SDK error into AWS's code and message; a transport failure (the
/// endpoint refused the connection, a timeout) gets a code of our own that
/// says so, with the SDK's full chain of causes as its message.
pub fn api_error<E, R>(operation: &'static str, error: SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug,
{
    let code = match (&error, error.code()) {
        (_, Some(code)) => code.to_owned(),
        (SdkError::DispatchFailure(_), None) => "ConnectionFailed".to_owned(),
        (SdkError::TimeoutError(_), None) => "Timeout".to_owned(),
        (SdkError::ResponseError(_), None) => "UnreadableResponse".to_owned(),
        _ => "Unknown".to_owned(),
    };
    let message = match error.message() {
        Some(message) => message.to_owned(),
        None => DisplayErrorContext(&error).to_string(),
    };
    ApiError {
        operation,
        code,
        message,
    }
}

//! A failed API call: the operation, AWS's error code and its message.

use std::fmt;

use aws_sdk_workspaces::error::{ProvideErrorMetadata, SdkError};

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
    R: fmt::Debug + 'static,
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
        None => causes(&error),
    };
    // The SDK reports missing credentials as a failed dispatch; say which.
    let code = if code == "ConnectionFailed" && message.contains("credential") {
        "NoCredentials".to_owned()
    } else {
        code
    };
    let message = match gave_up(&code) {
        Some(budget) => format!("{message} ({budget})"),
        None => message,
    };
    ApiError {
        operation,
        code,
        message,
    }
}

/// A throttling error that reaches wsctl has used every attempt: say so, so
/// the reader knows it was not a single refusal.
fn gave_up(code: &str) -> Option<String> {
    const THROTTLING: [&str; 5] = [
        "ThrottlingException",
        "ThrottledException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
    ];
    THROTTLING.contains(&code).then(|| {
        format!(
            "still refused after {} attempts, each at the slower pace wsctl took; lower --parallelism or try later",
            super::MAX_ATTEMPTS
        )
    })
}

/// "dispatch failure: io error: … Connection refused (os error 111)": each
/// cause's own message, without repeats.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        let message = cause.to_string();
        if !messages.iter().any(|m| m.contains(&message)) {
            messages.push(message);
        }
        next = cause.source();
    }
    messages.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_that_outlasts_the_retries_says_how_many_attempts() {
        assert_eq!(
            gave_up("ThrottlingException").as_deref(),
            Some(
                "still refused after 10 attempts, each at the slower pace wsctl took; lower --parallelism or try later"
            )
        );
        assert_eq!(gave_up("ResourceNotFoundException"), None);
    }
}

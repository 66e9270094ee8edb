//! A bound on the size of every response, so an endpoint that answers with
//! an endless body ends the call instead of filling memory.

use std::fmt;

use aws_sdk_workspaces::config::interceptors::{
    BeforeDeserializationInterceptorContextMut, InterceptorContext,
};
use aws_sdk_workspaces::config::retry::{ClassifyRetry, RetryAction};
use aws_sdk_workspaces::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_workspaces::error::BoxError;
use aws_smithy_types::body::SdkBody;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The largest response wsctl reads. The largest real ones are far below
/// it: a GetResources page of 100 resources with 50 tags each is under
/// 3 MB, a DescribeWorkspaces page of 25 WorkSpaces under 100 KB.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// Refuses a response larger than `MAX_RESPONSE_BYTES`: at once when its
/// Content-Length says so, otherwise when that many bytes have arrived; and
/// does not retry the call, since the endpoint would only send it again.
#[derive(Clone, Debug)]
pub struct ResponseLimit;

/// Why a call's response was refused.
#[derive(Debug)]
struct TooLarge;

impl std::error::Error for TooLarge {}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response is larger than {} MiB, the most wsctl reads; no WorkSpaces answer is that large",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        )
    }
}

impl Intercept for ResponseLimit {
    fn name(&self) -> &'static str {
        "ResponseLimit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|length| length.parse::<u64>().ok());
        if declared.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
            return Err(TooLarge.into());
        }
        let body = response.take_body();
        *response.body_mut() = SdkBody::from_body_1_x(
            Limited::new(body, MAX_RESPONSE_BYTES).map_err(|error| -> BoxError {
                if error.is::<LengthLimitError>() {
                    TooLarge.into()
                } else {
                    error
                }
            }),
        );
        Ok(())
    }
}

impl ClassifyRetry for ResponseLimit {
    fn classify_retry(&self, context: &InterceptorContext) -> RetryAction {
        let Some(Err(error)) = context.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = next {
            if cause.is::<TooLarge>() {
                return RetryAction::RetryForbidden;
            }
            next = cause.source();
        }
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "ResponseLimit"
    }
}

//! The WorkSpaces listings the SDK has no paginator for, paged by hand: one
//! call a page within the run's call limit, until AWS gives no next token.

use std::fmt;
use std::future::Future;

use aws_sdk_workspaces::error::{ProvideErrorMetadata, SdkError};

use crate::aws::{ApiError, Aws, api_error};

/// Every item of a listing. `call` makes the request for a page (the next
/// token given); `read` takes its items into the list and answers the
/// page's next token.
pub(super) async fn all_pages<P, T, E, R, Fut>(
    aws: &Aws,
    operation: &'static str,
    mut call: impl FnMut(Option<String>) -> Fut,
    mut read: impl FnMut(&P, &mut Vec<T>) -> Option<String>,
) -> Result<Vec<T>, ApiError>
where
    Fut: Future<Output = Result<P, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: fmt::Debug + 'static,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .limit
            .run(call(token.take()))
            .await
            .map_err(|e| api_error(operation, e))?;
        token = read(&page, &mut items);
        if token.is_none() {
            return Ok(items);
        }
    }
}

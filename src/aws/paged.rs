//! Listings paged by hand (the WorkSpaces listings the SDK has no
//! paginator for, the Price List's): one call a page within the run's call
//! limit, until the answer gives no next token. A token that comes back
//! again, or more pages than any account holds, ends the read with an
//! error naming the operation: never a loop, never a quietly partial list.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;

use aws_sdk_workspaces::error::{ProvideErrorMetadata, SdkError};

use super::{ApiError, Aws, api_error};

/// More pages than any listing wsctl reads can have: 10,000 WorkSpaces
/// images, bundles or aliases at the smallest page AWS serves, and the
/// Price List's products for a region many times over.
pub const MAX_PAGES: usize = 10_000;

/// Every item of a listing. `call` makes the request for a page (the next
/// token given); `read` takes its items into the list and answers the
/// page's next token.
pub async fn all_pages<P, T, E, R, Fut>(
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
    let mut seen = HashSet::new();
    for _ in 0..MAX_PAGES {
        let page = aws
            .limit
            .run(call(token.take()))
            .await
            .map_err(|e| api_error(operation, e))?;
        token = read(&page, &mut items);
        match &token {
            None => return Ok(items),
            Some(next) if !seen.insert(next.clone()) => {
                return Err(paging_error(
                    operation,
                    "RepeatedNextToken",
                    format!(
                        "the answer gave a NextToken it had given before, after {} pages; the listing would never end",
                        seen.len()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Err(paging_error(
        operation,
        "TooManyPages",
        format!("the listing went on past {MAX_PAGES} pages, more than any account holds"),
    ))
}

fn paging_error(operation: &'static str, code: &str, message: String) -> ApiError {
    ApiError {
        operation,
        code: code.to_owned(),
        message,
    }
}

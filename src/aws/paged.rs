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

/// The tokens of one listing so far: each next one must be new, and there
/// are at most [`MAX_PAGES`] pages.
#[derive(Debug, Default)]
pub struct PageTokens {
    seen: HashSet<String>,
}

impl PageTokens {
    /// The token to ask for the next page with, after a page that answered
    /// `token`; None when the listing is complete (no token, or an empty
    /// one, as the Tagging API ends its listings).
    pub fn next(
        &mut self,
        operation: &'static str,
        token: Option<&str>,
    ) -> Result<Option<String>, ApiError> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let pages = self.seen.len() + 1;
        if !self.seen.insert(token.to_owned()) {
            return Err(paging_error(
                operation,
                "RepeatedNextToken",
                format!(
                    "page {pages} gave a next token an earlier page gave: the listing would never end, and wsctl will not plan on part of it"
                ),
            ));
        }
        if pages >= MAX_PAGES {
            return Err(paging_error(
                operation,
                "TooManyPages",
                format!("the listing went on past {MAX_PAGES} pages, more than any account holds"),
            ));
        }
        Ok(Some(token.to_owned()))
    }
}

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
    let mut tokens = PageTokens::default();
    let mut token = None;
    loop {
        let page = aws
            .limit
            .run(call(token.take()))
            .await
            .map_err(|e| api_error(operation, e))?;
        let next = read(&page, &mut items);
        match tokens.next(operation, next.as_deref())? {
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
}

fn paging_error(operation: &'static str, code: &str, message: String) -> ApiError {
    ApiError {
        operation,
        code: code.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_token_ends_the_listing_with_an_error_naming_the_operation() {
        let mut tokens = PageTokens::default();
        assert_eq!(
            tokens.next("GetProducts", Some("a")),
            Ok(Some("a".to_owned()))
        );
        assert_eq!(
            tokens.next("GetProducts", Some("b")),
            Ok(Some("b".to_owned()))
        );
        let error = tokens.next("GetProducts", Some("a")).expect_err("refused");
        assert_eq!(error.operation, "GetProducts");
        assert_eq!(error.code, "RepeatedNextToken");
        assert!(error.message.contains("page 3"), "{error}");
    }

    #[test]
    fn no_token_or_an_empty_one_ends_the_listing() {
        let mut tokens = PageTokens::default();
        assert_eq!(tokens.next("GetResources", None), Ok(None));
        assert_eq!(tokens.next("GetResources", Some("")), Ok(None));
    }

    #[test]
    fn pages_past_the_bound_end_the_listing() {
        let mut tokens = PageTokens::default();
        for page in 1..MAX_PAGES {
            assert!(
                tokens
                    .next("DescribeWorkspaces", Some(&page.to_string()))
                    .is_ok()
            );
        }
        let error = tokens
            .next("DescribeWorkspaces", Some("last"))
            .expect_err("bounded");
        assert_eq!(error.code, "TooManyPages");
    }
}

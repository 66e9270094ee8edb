//! Reading tags: in bulk through the Resource Groups Tagging API (this
//! stack's resources, 100 a call), or one resource a call with DescribeTags.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_resourcegroupstagging::types::TagFilter;
use futures::{StreamExt, TryStreamExt, stream};

use super::STACK_TAG;
use crate::address::Kind;
use crate::aws::Aws;
use crate::aws::{ApiError, PageTokens, api_error};

/// GetResources takes `ResourcesPerPage` 1..100.
const TAGGING_PAGE: i32 = 100;
pub(crate) type Tags = BTreeMap<String, String>;

/// What GetResources listed: each kind's resources, by id.
#[derive(Debug)]
pub(crate) struct Tagged {
    /// Every kind's, empty where none was listed.
    by_kind: HashMap<Kind, HashMap<String, Tags>>,
    /// The account the listed ARNs name.
    pub(crate) account_id: Option<String>,
}

impl Default for Tagged {
    fn default() -> Self {
        Tagged {
            by_kind: Kind::ALL.map(|kind| (kind, HashMap::new())).into(),
            account_id: None,
        }
    }
}

impl Tagged {
    /// The listed resources of `kind`, by id.
    pub(crate) fn of(&self, kind: Kind) -> &HashMap<String, Tags> {
        &self.by_kind[&kind]
    }

    /// Whether any kind's listing has `id`.
    pub(crate) fn lists(&self, id: &str) -> bool {
        self.by_kind.values().any(|listed| listed.contains_key(id))
    }

    /// The tags of `id`, whatever its kind, taken out.
    pub(crate) fn take(&mut self, id: &str) -> Option<Tags> {
        self.by_kind
            .values_mut()
            .find_map(|listed| listed.remove(id))
    }
}

/// Every resource of every kind that has a Tagging API resource type
/// (`Kind::tagging_type`) tagged `wsctl:stack = stack` (with no stack,
/// every one that has or had a tag), with all its tags, one page of 100 at
/// a time.
/// `on_workspaces` is handed each page's WorkSpace ids as it arrives, so
/// describing them overlaps the paging.
pub(crate) async fn tagged(
    aws: &Aws,
    stack: Option<&str>,
    mut on_workspaces: impl FnMut(Vec<String>),
) -> Result<Tagged, ApiError> {
    let filter = stack.map(|stack| vec![TagFilter::builder().key(STACK_TAG).values(stack).build()]);
    let types: Vec<String> = Kind::by_column()
        .filter_map(Kind::tagging_type)
        .map(|t| format!("workspaces:{t}"))
        .collect();
    let mut tagged = Tagged::default();
    let mut token: Option<String> = None;
    let mut tokens = PageTokens::default();
    loop {
        let call = aws
            .tagging
            .get_resources()
            .set_tag_filters(filter.clone())
            .set_resource_type_filters(Some(types.clone()))
            .resources_per_page(TAGGING_PAGE)
            .set_pagination_token(token.take())
            .send();
        let page = aws
            .limit
            .run(call)
            .await
            .map_err(|e| api_error("GetResources", e))?;
        let mut workspaces = Vec::new();
        for mapping in page.resource_tag_mapping_list() {
            let Some(arn) = mapping.resource_arn() else {
                continue;
            };
            let Some((resource_type, id)) = resource_of(arn) else {
                continue;
            };
            if tagged.account_id.is_none() {
                tagged.account_id = account_of(arn).map(str::to_owned);
            }
            let Some(kind) = Kind::ALL
                .into_iter()
                .find(|k| k.tagging_type() == Some(resource_type))
            else {
                continue;
            };
            let tags: Tags = mapping
                .tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect();
            if kind == Kind::Workspace {
                workspaces.push(id.to_owned());
            }
            if let Some(listed) = tagged.by_kind.get_mut(&kind) {
                listed.insert(id.to_owned(), tags);
            }
        }
        on_workspaces(workspaces);
        match tokens.next("GetResources", page.pagination_token())? {
            Some(next) => token = Some(next),
            None => return Ok(tagged),
        }
    }
}

/// `arn:aws:workspaces:us-east-1:123456789012:workspace/ws-abc` →
/// (`workspace`, `ws-abc`).
fn resource_of(arn: &str) -> Option<(&str, &str)> {
    let resource = arn.splitn(6, ':').nth(5)?;
    resource.split_once('/')
}

/// `arn:aws:workspaces:us-east-1:123456789012:workspace/ws-abc` →
/// `123456789012`.
fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// Whether IAM refused the Tagging API, so reads fall back to DescribeTags.
pub(crate) fn is_denied(error: &ApiError) -> bool {
    matches!(
        error.code.as_str(),
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation"
    )
}

/// One resource's tags.
pub(crate) async fn tags_of(aws: &Aws, id: &str) -> Result<Tags, ApiError> {
    let call = aws.workspaces.describe_tags().resource_id(id).send();
    let output = aws
        .limit
        .run(call)
        .await
        .map_err(|e| api_error("DescribeTags", e))?;
    Ok(output
        .tag_list()
        .iter()
        .map(|tag| {
            (
                tag.key().to_owned(),
                tag.value().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

/// The tags of each of `ids`, read concurrently within the call limit.
pub(crate) async fn tags_of_each(
    aws: &Aws,
    ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, Tags>, ApiError> {
    stream::iter(ids)
        .map(|id| async move {
            let tags = tags_of(aws, &id).await?;
            Ok::<_, ApiError>((id, tags))
        })
        .buffer_unordered(CONCURRENT_READS)
        .try_collect()
        .await
}

/// Reads started at once by one reader; the call limit decides how many are
/// in flight.
pub(crate) const CONCURRENT_READS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_name_their_kind_and_id() {
        assert_eq!(
            resource_of("arn:aws:workspaces:us-east-1:123456789012:workspace/ws-abc123"),
            Some(("workspace", "ws-abc123"))
        );
        assert_eq!(
            resource_of("arn:aws:workspaces:eu-west-1:123456789012:workspacebundle/wsb-1"),
            Some(("workspacebundle", "wsb-1"))
        );
        assert_eq!(
            resource_of("arn:aws:workspaces:us-east-1:123456789012:workspaceipgroup/wsipg-1"),
            Some(("workspaceipgroup", "wsipg-1"))
        );
        assert_eq!(resource_of("arn:aws:workspaces:us-east-1:1"), None);
        assert_eq!(
            account_of("arn:aws:workspaces:us-east-1:123456789012:workspace/ws-abc123"),
            Some("123456789012")
        );
        assert_eq!(
            account_of("arn:aws:workspaces:us-east-1::workspace/ws-1"),
            None
        );
    }
}

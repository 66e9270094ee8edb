//! The Resource Groups Tagging API's `GetResources` over the account's
//! WorkSpaces, own bundles and images, and directories: every one that has
//! or ever had a tag, in ARN order, as the (possibly lagging) index shows it.

use std::collections::BTreeSet;
use std::ops::Bound;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, decode_token, encode_token, parse};
use crate::sim::account::{Account, Millis, Tag};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::arn::{ResourceKey, ResourceType, SERVICE};
use crate::sim::tag_history::PastView;
use crate::sim::validate::{length, list_size, range};

/// Limits from the model's documentation of `GetResourcesInput`.
const MAX_TAG_FILTERS: usize = 50;
const MAX_FILTER_VALUES: usize = 20;
const MAX_TYPE_FILTERS: usize = 100;
const MAX_ARNS: usize = 100;
/// The model documents no default page size; 50 is what moto answers.
const DEFAULT_RESOURCES_PER_PAGE: i64 = 50;
/// A `PaginationToken` is valid for 15 minutes (model documentation of
/// `PaginationTokenExpiredException`).
const TOKEN_LIFETIME: Millis = 15 * 60 * 1000;
const TOKEN_KIND: &str = "GetResources";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    pagination_token: Option<String>,
    tag_filters: Option<Vec<TagFilterInput>>,
    resources_per_page: Option<i64>,
    tags_per_page: Option<i64>,
    resource_type_filters: Option<Vec<String>>,
    #[serde(rename = "ResourceARNList")]
    resource_arn_list: Option<Vec<String>>,
    // Accepted: the simulated account has no tag policy to report on.
    include_compliance_details: Option<bool>,
    exclude_compliant_resources: Option<bool>,
}

impl Input {
    /// The members the model says cannot go together, each refused with an
    /// `InvalidParameterException`.
    fn check_combinations(&self, token: Option<&str>) -> ApiResult<()> {
        if self.exclude_compliant_resources.is_some()
            && self.include_compliance_details != Some(true)
        {
            return Err(ApiError::invalid(
                "ExcludeCompliantResources can be used only with IncludeComplianceDetails true.",
            ));
        }
        if self.resource_arn_list.is_none() {
            return Ok(());
        }
        if self.tag_filters.is_some() || self.resource_type_filters.is_some() {
            return Err(ApiError::invalid(
                "ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters.",
            ));
        }
        if token.is_some() || self.resources_per_page.is_some() || self.tags_per_page.is_some() {
            return Err(ApiError::invalid(
                "ResourceARNList cannot be combined with ResourcesPerPage, TagsPerPage or PaginationToken.",
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagFilterInput {
    key: Option<String>,
    values: Option<Vec<String>>,
}

/// One resource as listed: `(type, id)` and its tags.
type Row<'a> = ((ResourceType, &'a str), &'a [Tag]);

pub(super) fn get_resources(ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: Input = parse(body)?;
    // An empty token is what a first request may send: start at the top.
    let token = input.pagination_token.clone().filter(|t| !t.is_empty());
    input.check_combinations(token.as_deref())?;
    let filter = Filter::new(input.tag_filters, input.resource_type_filters)?;
    if let Some(n) = input.resources_per_page {
        range(n, "ResourcesPerPage", 1, 100)?;
    }
    if let Some(n) = input.tags_per_page {
        range(n, "TagsPerPage", 100, 500)?;
    }
    ctx.account.tag_history.prune(ctx.now);
    let account = &*ctx.account;
    let past = account.tag_history.past(ctx.now);
    if let Some(arns) = input.resource_arn_list {
        return by_arn(account, &past, &filter, &arns);
    }
    let after = token.as_deref().map(|t| decode(t, ctx.now)).transpose()?;
    let after = after.as_ref().map(|k| (k.kind, k.id.as_str()));
    let mut rows = view(account, &past, after)
        .filter(|(key, tags)| filter.matches(key.0, tags))
        .peekable();
    let per_page = input
        .resources_per_page
        .unwrap_or(DEFAULT_RESOURCES_PER_PAGE);
    let per_page = usize::try_from(per_page).unwrap_or(1);
    let tag_budget = input.tags_per_page.and_then(|n| usize::try_from(n).ok());
    let mut page: Vec<Row<'_>> = Vec::new();
    let mut tags_on_page = 0;
    while let Some(&(key, tags)) = rows.peek() {
        // A resource without tags counts as one; a resource is never split.
        let cost = tags.len().max(1);
        let over_budget = tag_budget.is_some_and(|b| tags_on_page + cost > b);
        if page.len() == per_page || (over_budget && !page.is_empty()) {
            break;
        }
        tags_on_page += cost;
        page.push((key, tags));
        rows.next();
    }
    // AWS answers an empty string, not no token, on the last page.
    let next = match (page.last(), rows.peek()) {
        (Some(&(last, _)), Some(_)) => encode(last, ctx.now),
        _ => String::new(),
    };
    Ok(output(page.into_iter(), next))
}

/// `ResourceARNList`: those of the named resources that are listed, in ARN
/// order; an ARN that names nothing is left out, without an error.
fn by_arn(
    account: &Account,
    past: &PastView<'_>,
    filter: &Filter,
    arns: &[String],
) -> ApiResult<Value> {
    list_size(arns, "ResourceARNList", 1, MAX_ARNS)?;
    for arn in arns {
        length(arn, "ResourceARNList", 1, 1011)?;
        in_partition(arn)?;
    }
    let keys: BTreeSet<ResourceKey> = arns
        .iter()
        .filter_map(|a| ResourceKey::from_arn(a))
        .collect();
    let rows = keys.iter().filter_map(|k| {
        let key = (k.kind, k.id.as_str());
        let tags = match past.get(&key) {
            Some(then) => *then,
            None => account.listed(k.kind, &k.id),
        }?;
        filter.matches(k.kind, tags).then_some((key, tags))
    });
    Ok(output(rows, String::new()))
}

/// The model's `InvalidParameterException`: a malformed ARN, or one of
/// another partition than the one called (the simulator's region is in
/// `aws`). The ARN is not echoed: it may hold anything.
fn in_partition(arn: &str) -> ApiResult<()> {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    match fields.as_slice() {
        ["arn", "aws", _, _, _, _] => Ok(()),
        ["arn", partition, _, _, _, _] if !partition.is_empty() => Err(ApiError::invalid(
            "A ResourceARNList ARN names another partition than aws, where this call was made.",
        )),
        _ => Err(ApiError::invalid(
            "A ResourceARNList item is not an ARN (arn:partition:service:region:account:resource).",
        )),
    }
}

/// What the index shows, in ARN order from just after `after`: the account
/// as listed now, except the resources changed within the lag, shown as
/// they were (or not at all if they were not listed then).
fn view<'a>(
    account: &'a Account,
    past: &'a PastView<'a>,
    after: Option<(ResourceType, &'a str)>,
) -> impl Iterator<Item = Row<'a>> + 'a {
    let mut now = account.listed_after(after).peekable();
    let from = after.map_or(Bound::Unbounded, Bound::Excluded);
    let mut then = past.range((from, Bound::Unbounded)).peekable();
    std::iter::from_fn(move || {
        loop {
            let next_now = now.peek().map(|&(key, _)| key);
            let next_then = then.peek().map(|&(&key, _)| key);
            match (next_now, next_then) {
                (None, None) => return None,
                (Some(a), Some(b)) if b < a => {}
                (Some(a), Some(b)) if a == b => {
                    now.next();
                }
                (Some(_), _) => return now.next(),
                (None, Some(_)) => {}
            }
            let (&key, &tags) = then.next()?;
            if let Some(tags) = tags {
                return Some((key, tags));
            }
        }
    })
}

fn output<'a>(rows: impl Iterator<Item = Row<'a>>, next: String) -> Value {
    let list: Vec<Value> = rows
        .map(|((kind, id), tags)| {
            // The tagging API's `Tag.Value` is required: a missing one is "".
            let tags: Vec<Value> = tags
                .iter()
                .map(|t| json!({ "Key": t.key, "Value": t.value.as_deref().unwrap_or("") }))
                .collect();
            json!({ "ResourceARN": ResourceKey::arn(kind, id), "Tags": tags })
        })
        .collect();
    json!({ "PaginationToken": next, "ResourceTagMappingList": list })
}

/// `TagFilters` and `ResourceTypeFilters`, checked.
struct Filter {
    /// All must match; a filter without values matches any value of its key.
    tags: Vec<(String, Vec<String>)>,
    /// `None`: any type. Otherwise one must match: `None` inside is the
    /// whole `workspaces` service. Other services' types match nothing.
    types: Option<Vec<Option<ResourceType>>>,
}

impl Filter {
    fn new(tags: Option<Vec<TagFilterInput>>, types: Option<Vec<String>>) -> ApiResult<Self> {
        let tags = tags.unwrap_or_default();
        list_size(&tags, "TagFilters", 0, MAX_TAG_FILTERS)?;
        let tags = tags
            .into_iter()
            .map(|f| {
                let key = f
                    .key
                    .ok_or_else(|| ApiError::invalid("Each TagFilter must have a Key."))?;
                length(&key, "TagFilters.Key", 1, 128)?;
                let values = f.values.unwrap_or_default();
                list_size(&values, "TagFilters.Values", 0, MAX_FILTER_VALUES)?;
                for value in &values {
                    length(value, "TagFilters.Values", 0, 256)?;
                }
                Ok((key, values))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let types = match types {
            Some(types) if !types.is_empty() => {
                list_size(&types, "ResourceTypeFilters", 0, MAX_TYPE_FILTERS)?;
                for t in &types {
                    length(t, "ResourceTypeFilters", 0, 256)?;
                }
                Some(types.iter().filter_map(|t| workspaces_type(t)).collect())
            }
            _ => None,
        };
        Ok(Filter { tags, types })
    }

    fn matches(&self, kind: ResourceType, tags: &[Tag]) -> bool {
        let type_ok = self
            .types
            .as_ref()
            .is_none_or(|types| types.iter().any(|t| t.is_none_or(|t| t == kind)));
        type_ok
            && self.tags.iter().all(|(key, values)| {
                tags.iter().any(|t| {
                    let value = t.value.as_deref().unwrap_or("");
                    t.key == *key && (values.is_empty() || values.iter().any(|v| v == value))
                })
            })
    }
}

/// A `service[:resourceType]` filter that can match WorkSpaces resources:
/// `Some(None)` for the whole service, `None` for anything else.
fn workspaces_type(filter: &str) -> Option<Option<ResourceType>> {
    match filter.split_once(':') {
        None => (filter == SERVICE).then_some(None),
        Some((service, name)) if service == SERVICE => ResourceType::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .map(Some),
        Some(_) => None,
    }
}

/// A token names the last resource of its page (so the next page starts
/// after it, whatever was added or removed meanwhile) and when it was made.
fn encode(last: (ResourceType, &str), now: Millis) -> String {
    encode_token(TOKEN_KIND, &format!("{now}:{}/{}", last.0.name(), last.1))
}

fn decode(token: &str, now: Millis) -> ApiResult<ResourceKey> {
    let invalid = || {
        ApiError::invalid(
            "The PaginationToken is not valid; pass the one the previous page returned.",
        )
    };
    let cursor = decode_token(token, TOKEN_KIND).map_err(|_| invalid())?;
    let (made, resource) = cursor.split_once(':').ok_or_else(invalid)?;
    let made: Millis = made.parse().map_err(|_| invalid())?;
    let key = ResourceKey::parse_resource(resource).ok_or_else(invalid)?;
    if now.saturating_sub(made) > TOKEN_LIFETIME {
        return Err(ApiError::pagination_token_expired(
            "The PaginationToken has expired (tokens are valid for 15 minutes); start again without one.",
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::{self, SEED_DIRECTORY_ID};

    const IMAGE: &str = "wsi-legacy001";
    const BUNDLE: &str = "wsb-own000001";

    fn retag(account: &mut Account, id: &str, at: Millis, value: &str) {
        account.change_tags(id, at, |tags| {
            *tags = vec![Tag {
                key: "stack".to_owned(),
                value: Some(value.to_owned()),
            }];
        });
    }

    /// The index at `now` from just after `after`, as `type/id=values`.
    fn shown(account: &Account, now: Millis, after: Option<(ResourceType, &str)>) -> Vec<String> {
        let past = account.tag_history.past(now);
        view(account, &past, after)
            .map(|((kind, id), tags)| {
                let values: Vec<&str> = tags.iter().filter_map(|t| t.value.as_deref()).collect();
                format!("{}/{id}={}", kind.name(), values.join(","))
            })
            .collect()
    }

    #[test]
    fn the_index_merges_recent_changes_into_the_account_in_arn_order() {
        let mut account = seed::account();
        account.tag_history.set_lag(100);
        retag(&mut account, SEED_DIRECTORY_ID, 1000, "eng");
        retag(&mut account, IMAGE, 1000, "eng");
        let mut bundle = account.bundles.values().next().cloned().expect("a bundle");
        bundle.id = BUNDLE.to_owned();
        bundle.owner = account.account_id.clone();
        bundle.tags = account.tags(IMAGE).cloned().unwrap_or_default();
        account.insert_bundle(bundle, 1150);
        retag(&mut account, IMAGE, 1160, "ops");
        account.remove_bundle(BUNDLE, 1170);

        let dir = format!("directory/{SEED_DIRECTORY_ID}=eng");
        let image = |v: &str| format!("workspaceimage/{IMAGE}={v}");
        let bundle = format!("workspacebundle/{BUNDLE}=eng");
        // 1100: the bundle does not exist yet, the image is not retagged.
        assert_eq!(shown(&account, 1200, None), [dir.clone(), image("eng")]);
        // 1155: the bundle exists (and is gone now), the image not retagged.
        let at_1255 = [dir.clone(), bundle.clone(), image("eng")];
        assert_eq!(shown(&account, 1255, None), at_1255);
        let after_dir = shown(
            &account,
            1255,
            Some((ResourceType::Directory, SEED_DIRECTORY_ID)),
        );
        assert_eq!(after_dir, at_1255[1..]);
        // 1165: the image is retagged; the bundle is still there.
        assert_eq!(
            shown(&account, 1265, Some((ResourceType::Bundle, BUNDLE))),
            [image("ops")]
        );
        // 1200: the index has caught up.
        assert_eq!(shown(&account, 1300, None), [dir, image("ops")]);
        assert!(account.tag_history.past(1300).is_empty());
    }

    #[test]
    fn tokens_carry_the_last_resource_and_expire_after_15_minutes() {
        let token = encode((ResourceType::Workspace, "ws-abc123xyz"), 1_000);
        let key = decode(&token, 2_000).ok();
        assert_eq!(
            key,
            Some(ResourceKey::new(ResourceType::Workspace, "ws-abc123xyz"))
        );
        let expired = decode(&token, 1_000 + TOKEN_LIFETIME + 1).err();
        assert_eq!(
            expired.map(|e| e.code),
            Some("PaginationTokenExpiredException")
        );
        for bad in ["zz", "00", &encode_token("ws", "1:workspace/ws-1")] {
            assert!(decode(bad, 2_000).is_err(), "{bad}");
        }
    }

    #[test]
    fn type_filters_name_the_service_or_one_of_its_types() {
        assert_eq!(workspaces_type("workspaces"), Some(None));
        assert_eq!(
            workspaces_type("workspaces:workspacebundle"),
            Some(Some(ResourceType::Bundle))
        );
        assert_eq!(
            workspaces_type("workspaces:workspaceipgroup"),
            Some(Some(ResourceType::IpGroup))
        );
        assert_eq!(
            workspaces_type("workspaces:connectionalias"),
            Some(Some(ResourceType::ConnectionAlias))
        );
        assert_eq!(workspaces_type("workspaces:workspacepool"), None);
        assert_eq!(workspaces_type("ec2:instance"), None);
        assert_eq!(workspaces_type("ec2"), None);
    }
}

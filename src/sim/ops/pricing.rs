//! The AWS Price List Query API (`AWSPriceListService`) over the sample
//! WorkSpaces price list of `sim::prices`: `DescribeServices`,
//! `GetAttributeValues` and `GetProducts`, each entry of `PriceList` a JSON
//! text in the shape AWS sends.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, decode_token, encode_token, parse};
use crate::sim::api_error::{ApiError, ApiResult};
use crate::sim::prices::{self, ATTRIBUTE_NAMES, Product, SERVICE_CODE};
use crate::sim::validate::{page_size, required};

/// The one format version the model documents.
const FORMAT_VERSION: &str = "aws_v1";
/// The filter type whose matching the simulator models.
const TERM_MATCH: &str = "TERM_MATCH";

/// The codes and dates of AWS's on-demand offer terms (`JRTCKXETXF` is the
/// on-demand offer term, `6YS6EN2CT7` its one price dimension).
const OFFER_TERM: &str = "JRTCKXETXF";
const RATE: &str = "6YS6EN2CT7";
const PUBLISHED: &str = "2026-11-01T00:00:00Z";
const VERSION: &str = "20261101000000";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeServicesInput {
    service_code: Option<String>,
    format_version: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(super) fn describe_services(_ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: DescribeServicesInput = parse(body)?;
    format_version(input.format_version.as_deref())?;
    if let Some(code) = &input.service_code {
        service(code)?;
    }
    let size = max_results(input.max_results)?;
    // Named or not, the one service is the list.
    let services = [json!({ "ServiceCode": SERVICE_CODE, "AttributeNames": ATTRIBUTE_NAMES })];
    let query = input.service_code.unwrap_or_default();
    let (services, next) = page(
        &services,
        "DescribeServices",
        &query,
        input.next_token.as_deref(),
        size,
    )?;
    Ok(json!({ "Services": services, "FormatVersion": FORMAT_VERSION, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetAttributeValuesInput {
    service_code: Option<String>,
    attribute_name: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

pub(super) fn get_attribute_values(_ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: GetAttributeValuesInput = parse(body)?;
    service(&required(input.service_code, "ServiceCode")?)?;
    let asked = required(input.attribute_name, "AttributeName")?;
    let name = ATTRIBUTE_NAMES
        .into_iter()
        .find(|n| n.eq_ignore_ascii_case(&asked))
        .ok_or_else(|| {
            ApiError::price_list_not_found(format!(
                "Attribute {asked} is not an attribute of {SERVICE_CODE}."
            ))
        })?;
    let size = max_results(input.max_results)?;
    let values: BTreeSet<&str> = prices::products()
        .iter()
        .filter_map(|p| p.attribute(name))
        .collect();
    let values: Vec<&str> = values.into_iter().collect();
    let (values, next) = page(
        &values,
        "GetAttributeValues",
        name,
        input.next_token.as_deref(),
        size,
    )?;
    let values: Vec<Value> = values.into_iter().map(|v| json!({ "Value": v })).collect();
    Ok(json!({ "AttributeValues": values, "NextToken": next }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetProductsInput {
    service_code: Option<String>,
    filters: Option<Vec<FilterInput>>,
    format_version: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FilterInput {
    #[serde(rename = "Type")]
    kind: Option<String>,
    field: Option<String>,
    value: Option<String>,
}

/// A `TERM_MATCH` filter: the product's attribute `field` is `value`.
struct Filter {
    field: String,
    value: String,
}

impl Filter {
    fn new(input: FilterInput) -> ApiResult<Self> {
        let kind = required(input.kind, "Filters.Type")?;
        if kind != TERM_MATCH {
            return Err(ApiError::invalid(format!(
                "Filter type {kind} is not supported by the wsctl simulator; use {TERM_MATCH}."
            )));
        }
        Ok(Filter {
            field: required(input.field, "Filters.Field")?,
            value: required(input.value, "Filters.Value")?,
        })
    }

    /// Names and values compare case-insensitively, as on AWS. The field
    /// `ServiceCode` needs no case of its own: it names the `servicecode`
    /// attribute.
    fn matches(&self, product: &Product) -> bool {
        product
            .attribute(&self.field)
            .is_some_and(|v| v.eq_ignore_ascii_case(&self.value))
    }
}

pub(super) fn get_products(_ctx: &mut Ctx<'_>, body: Value) -> ApiResult<Value> {
    let input: GetProductsInput = parse(body)?;
    let code = required(input.service_code, "ServiceCode")?;
    service(&code)?;
    format_version(input.format_version.as_deref())?;
    let filters = input
        .filters
        .unwrap_or_default()
        .into_iter()
        .map(Filter::new)
        .collect::<ApiResult<Vec<_>>>()?;
    let size = max_results(input.max_results)?;
    let matching: Vec<&Product> = prices::products()
        .iter()
        .filter(|p| filters.iter().all(|f| f.matches(p)))
        .collect();
    let query: Vec<String> = filters
        .iter()
        .map(|f| format!("{}={}", f.field.to_lowercase(), f.value.to_lowercase()))
        .collect();
    let (page, next) = page(
        &matching,
        "GetProducts",
        &query.join("\n"),
        input.next_token.as_deref(),
        size,
    )?;
    let list = page
        .into_iter()
        .map(|p| serde_json::to_string(&price_list_item(p)))
        .collect::<Result<Vec<String>, _>>()
        .map_err(|e| ApiError::internal(format!("cannot write a price list entry: {e}")))?;
    Ok(json!({ "FormatVersion": FORMAT_VERSION, "PriceList": list, "NextToken": next }))
}

/// A product as AWS's offer files and `GetProducts` write it.
fn price_list_item(p: &Product) -> Value {
    let attributes: serde_json::Map<String, Value> = p
        .attributes()
        .map(|(name, value)| (name.to_owned(), value.into()))
        .collect();
    let term = format!("{}.{OFFER_TERM}", p.sku);
    let rate = format!("{term}.{RATE}");
    json!({
        "product": {
            "productFamily": "WorkSpaces",
            "sku": p.sku,
            "attributes": attributes,
        },
        "serviceCode": SERVICE_CODE,
        "terms": {
            "OnDemand": {
                term.clone(): {
                    "sku": p.sku,
                    "offerTermCode": OFFER_TERM,
                    "effectiveDate": PUBLISHED,
                    "termAttributes": {},
                    "priceDimensions": {
                        rate.clone(): {
                            "rateCode": rate,
                            "description": p.description,
                            "unit": p.unit,
                            "beginRange": "0",
                            "endRange": "Inf",
                            "appliesTo": [],
                            "pricePerUnit": { "USD": p.usd() },
                        }
                    }
                }
            }
        },
        "version": VERSION,
        "publicationDate": PUBLISHED,
    })
}

/// The simulator prices one service.
fn service(code: &str) -> ApiResult<()> {
    if code == SERVICE_CODE {
        return Ok(());
    }
    Err(ApiError::price_list_not_found(format!(
        "Service code {code} is not found; the wsctl simulator prices {SERVICE_CODE} only."
    )))
}

/// The model's range for `MaxResults` is 1–100; AWS pages 100 by default.
fn max_results(value: Option<i64>) -> ApiResult<usize> {
    page_size(value, "MaxResults", 100, 100)
}

fn format_version(version: Option<&str>) -> ApiResult<()> {
    match version {
        None | Some(FORMAT_VERSION) => Ok(()),
        Some(other) => Err(ApiError::invalid(format!(
            "FormatVersion {other} is not valid; the valid value is {FORMAT_VERSION}."
        ))),
    }
}

/// A page of `items` from the offset a token carries. The token also
/// carries a fingerprint of the query it was made for, so a token sent with
/// another query is refused instead of read as an offset into other items.
fn page<T: Clone>(
    items: &[T],
    kind: &str,
    query: &str,
    token: Option<&str>,
    size: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let fingerprint = format!("{:016x}", prices::fnv1a(query, 0));
    // An empty token is what a first request may send: start at the top.
    let start = match token.filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => offset(t, kind, &fingerprint, items.len())?,
    };
    let end = start.saturating_add(size).min(items.len());
    let slice = items.get(start..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| encode_token(kind, &format!("{fingerprint}:{end}")));
    Ok((slice, next))
}

fn offset(token: &str, kind: &str, fingerprint: &str, len: usize) -> ApiResult<usize> {
    let invalid = || {
        ApiError::invalid_next_token(
            "The NextToken is not valid; pass the one the previous page returned, with the same request.",
        )
    };
    let cursor = decode_token(token, kind).map_err(|_| invalid())?;
    let (made_for, offset) = cursor.split_once(':').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    if made_for != fingerprint || offset == 0 || offset >= len {
        return Err(invalid());
    }
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_query_and_list() {
        let items: Vec<u32> = (0..5).collect();
        let (first, next) = page(&items, "GetProducts", "q", None, 2).expect("page");
        assert_eq!(first, [0, 1]);
        let next = next.expect("a next page");
        let (second, last) = page(&items, "GetProducts", "q", Some(&next), 2).expect("page");
        assert_eq!(second, [2, 3]);
        let last = last.expect("a last page");
        assert_ne!(next, last);
        assert!(page(&items, "GetProducts", "other", Some(&next), 2).is_err());
        assert!(page(&items, "GetAttributeValues", "q", Some(&next), 2).is_err());
        assert!(page(&items[..2], "GetProducts", "q", Some(&next), 2).is_err());
        let err = page(&items, "GetProducts", "q", Some("zz"), 2).err();
        assert_eq!(err.map(|e| e.code), Some("InvalidNextTokenException"));
    }
}

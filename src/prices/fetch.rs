//! Reading the Price List: which attributes the `AmazonWorkSpaces` service
//! has (DescribeServices), the values of its bundle attribute
//! (GetAttributeValues), and the products of each bundle the fleet uses in
//! its region (GetProducts, 100 a page). Each is kept in the cache, so a
//! plan whose bundles were priced within the week makes none of these calls.

use std::collections::BTreeSet;

use aws_sdk_pricing::types::{Filter, FilterType};

use super::cache::{Cached, CachedBundle, date, today};
use super::{CACHE_DAYS, PriceBook, PriceCache, offer, token};
use crate::aws::{ApiError, Aws, all_pages};

const SERVICE: &str = "AmazonWorkSpaces";
/// The Price List's largest page.
const PAGE: i32 = 100;

/// The prices of a run, and what the reading had to say on the way (a
/// cache refetched, a bundle the Price List does not list).
#[derive(Clone, Debug, Default)]
pub struct Prices {
    pub book: PriceBook,
    pub notes: Vec<String>,
}

/// The offers of `computes` (AWS's compute type names) in `region`, from
/// the cache where it is fresh, else from the Price List.
pub async fn read_prices(
    aws: &Aws,
    region: &str,
    computes: &BTreeSet<String>,
    cache: &PriceCache,
) -> Result<Prices, ApiError> {
    let (mut cached, note) = cache.load(region);
    // The Query API prices in dollars everywhere but China, whose prices
    // wsctl does not read in CNY yet.
    if cached.currency.is_empty() {
        cached.currency = "USD".to_owned();
    }
    let mut notes: Vec<String> = note.into_iter().collect();
    let today = today();
    let fresh = |day: i64| today - day < CACHE_DAYS && day <= today;
    let wanted: Vec<String> = computes
        .iter()
        .map(|c| token(c))
        .filter(|t| !cached.bundles.get(t).is_some_and(|b| fresh(b.day)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !wanted.is_empty() {
        cached.region = region.to_owned();
        if cached.region_attribute.is_none() || cached.bundle_attribute.is_none() {
            attributes(aws, &mut cached).await?;
        }
        let (Some(region_attribute), Some(bundle_attribute)) = (
            cached.region_attribute.clone(),
            cached.bundle_attribute.clone(),
        ) else {
            return Err(ApiError {
                operation: "DescribeServices",
                code: "UnexpectedAnswer".to_owned(),
                message: format!(
                    "{SERVICE} has no region code or bundle attribute in the Price List"
                ),
            });
        };
        if !fresh(cached.bundle_values_day) || cached.bundle_values.is_empty() {
            cached.bundle_values = attribute_values(aws, &bundle_attribute).await?;
            cached.bundle_values_day = today;
        }
        for compute in wanted {
            let value = cached
                .bundle_values
                .iter()
                .find(|v| token(v) == compute)
                .cloned();
            let offers = match value {
                Some(value) => {
                    let filters = [
                        (region_attribute.as_str(), region),
                        (bundle_attribute.as_str(), value.as_str()),
                    ];
                    products(aws, &filters, &cached.currency).await?
                }
                None => Vec::new(),
            };
            cached
                .bundles
                .insert(compute, CachedBundle { day: today, offers });
        }
        notes.extend(cache.save(&cached));
    }
    let fetched = computes
        .iter()
        .filter_map(|c| cached.bundles.get(&token(c)).map(|b| b.day))
        .min()
        .unwrap_or(today);
    let offers = computes
        .iter()
        .map(|c| token(c))
        .collect::<BTreeSet<_>>()
        .iter()
        .filter_map(|t| cached.bundles.get(t))
        .flat_map(|b| b.offers.iter().cloned())
        .collect();
    Ok(Prices {
        book: PriceBook {
            region: region.to_owned(),
            currency: cached.currency.clone(),
            fetched: date(fetched),
            offers,
        },
        notes,
    })
}

/// The Price List's own names of the region code and bundle attributes,
/// found among the service's attribute names in any spelling.
async fn attributes(aws: &Aws, cached: &mut Cached) -> Result<(), ApiError> {
    let names = all_pages(
        aws,
        "DescribeServices",
        |token| {
            aws.pricing
                .describe_services()
                .service_code(SERVICE)
                .format_version("aws_v1")
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_pricing::operation::describe_services::DescribeServicesOutput,
         names: &mut Vec<String>| {
            names.extend(
                page.services()
                    .iter()
                    .filter(|s| s.service_code() == SERVICE)
                    .flat_map(|s| s.attribute_names().iter().cloned()),
            );
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    let named = |wanted: &str| names.iter().find(|n| token(n) == wanted).cloned();
    cached.region_attribute = named("regioncode");
    cached.bundle_attribute = named("bundle");
    Ok(())
}

async fn attribute_values(aws: &Aws, attribute: &str) -> Result<Vec<String>, ApiError> {
    all_pages(
        aws,
        "GetAttributeValues",
        |token| {
            aws.pricing
                .get_attribute_values()
                .service_code(SERVICE)
                .attribute_name(attribute)
                .max_results(PAGE)
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_pricing::operation::get_attribute_values::GetAttributeValuesOutput,
         values: &mut Vec<String>| {
            values.extend(
                page.attribute_values()
                    .iter()
                    .filter_map(|v| v.value().map(str::to_owned)),
            );
            page.next_token().map(str::to_owned)
        },
    )
    .await
}

/// Every product matching `filters`, read into offers.
async fn products(
    aws: &Aws,
    filters: &[(&str, &str)],
    currency: &str,
) -> Result<Vec<super::Offer>, ApiError> {
    let filters: Vec<Filter> = filters
        .iter()
        .map(|(field, value)| {
            Filter::builder()
                .r#type(FilterType::TermMatch)
                .field(*field)
                .value(*value)
                .build()
        })
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError {
            operation: "GetProducts",
            code: "InvalidRequest".to_owned(),
            message: e.to_string(),
        })?;
    let entries = all_pages(
        aws,
        "GetProducts",
        |token| {
            aws.pricing
                .get_products()
                .service_code(SERVICE)
                .format_version("aws_v1")
                .set_filters(Some(filters.clone()))
                .max_results(PAGE)
                .set_next_token(token)
                .send()
        },
        |page: &aws_sdk_pricing::operation::get_products::GetProductsOutput,
         entries: &mut Vec<String>| {
            entries.extend(page.price_list().iter().cloned());
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    let mut offers = Vec::new();
    for entry in &entries {
        let read = offer(entry, currency).map_err(|message| ApiError {
            operation: "GetProducts",
            code: "UnreadableResponse".to_owned(),
            message,
        })?;
        offers.extend(read);
    }
    Ok(offers)
}

//! The Price List Query API through the real `aws-sdk-pricing` client:
//! services, attribute values, products with filters and paging, and the
//! faults.

use aws_sdk_pricing::Client as Pricing;
use aws_sdk_pricing::error::ProvideErrorMetadata;
use aws_sdk_pricing::types::{Filter, FilterType};
use serde_json::Value;
use wsctl::sim::{Faults, Sim, SimConfig};

use crate::common::*;

const SERVICE: &str = "AmazonWorkSpaces";
/// Standard comes with Windows (licence included or BYOL) and Amazon Linux,
/// at two volume combinations, charged three ways; and additional storage.
const STANDARD_PRODUCTS: usize = 3 * 2 * 3 + 1;

fn pricing(sim: &Sim) -> Pricing {
    Pricing::from_conf(wsctl::sim::pricing_client_config(&sim.url()))
}

fn term(field: &str, value: &str) -> Filter {
    Filter::builder()
        .r#type(FilterType::TermMatch)
        .field(field)
        .value(value)
        .build()
        .expect("complete filter")
}

/// A Price List API call as raw JSON.
async fn pricing_call(sim: &Sim, operation: &str, body: &str) -> RawResponse {
    let target = format!("AWSPriceListService.{operation}");
    raw(sim, "POST", "/", Some(&target), body).await
}

/// Every product `filters` select, page by page (`page_size` a page), with
/// the tokens that led to the pages after the first.
async fn products(
    client: &Pricing,
    filters: &[Filter],
    page_size: i32,
) -> (Vec<Value>, Vec<String>) {
    let mut entries = Vec::new();
    let mut tokens = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_products()
            .service_code(SERVICE)
            .set_filters(Some(filters.to_vec()))
            .max_results(page_size)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("GetProducts");
        assert_eq!(out.format_version(), Some("aws_v1"));
        let page = out.price_list();
        assert!(page.len() <= usize::try_from(page_size).unwrap_or(0));
        for text in page {
            entries.push(serde_json::from_str(text).expect("each entry is JSON text"));
        }
        match out.next_token() {
            Some(next) => {
                tokens.push(next.to_owned());
                token = Some(next.to_owned());
            }
            None => return (entries, tokens),
        }
    }
}

/// The one price dimension of a product: (unit, USD).
fn price(entry: &Value) -> (String, String) {
    let terms = entry["terms"]["OnDemand"].as_object().expect("OnDemand");
    assert_eq!(terms.len(), 1, "{entry}");
    let term = terms.values().next().expect("a term");
    let dimensions = term["priceDimensions"].as_object().expect("dimensions");
    assert_eq!(dimensions.len(), 1, "{entry}");
    let dimension = dimensions.values().next().expect("a dimension");
    let text = |v: &Value| v.as_str().expect("a string").to_owned();
    (
        text(&dimension["unit"]),
        text(&dimension["pricePerUnit"]["USD"]),
    )
}

fn attribute<'a>(entry: &'a Value, name: &str) -> Option<&'a str> {
    entry["product"]["attributes"][name].as_str()
}

#[tokio::test]
async fn describe_services_lists_the_workspaces_attributes() {
    let (sim, _client) = sim().await;
    let out = pricing(&sim)
        .describe_services()
        .service_code(SERVICE)
        .send()
        .await
        .expect("DescribeServices");
    assert_eq!(out.format_version(), Some("aws_v1"));
    let services = out.services();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].service_code(), SERVICE);
    assert_eq!(
        services[0].attribute_names(),
        [
            "servicecode",
            "servicename",
            "location",
            "locationType",
            "regionCode",
            "bundle",
            "bundleDescription",
            "bundleGroup",
            "operatingSystem",
            "license",
            "runningMode",
            "softwareIncluded",
            "rootVolume",
            "userVolume",
            "vcpu",
            "memory",
            "resourceType",
            "usagetype",
            "group",
            "groupDescription",
            "operation",
        ]
    );
    let all = pricing(&sim)
        .describe_services()
        .send()
        .await
        .expect("every service");
    assert_eq!(all.services().len(), 1);

    let err = pricing(&sim)
        .describe_services()
        .service_code("AmazonEC2")
        .send()
        .await
        .expect_err("not priced");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_found_exception()),
        "{err:?}"
    );
}

#[tokio::test]
async fn get_attribute_values_lists_each_value_once_sorted_and_pages() {
    let (sim, _client) = sim().await;
    let client = pricing(&sim);
    let values = |name: &'static str, max: i32| {
        let call = client
            .get_attribute_values()
            .service_code(SERVICE)
            .attribute_name(name)
            .max_results(max);
        async move {
            call.into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>()
                .await
                .expect("GetAttributeValues")
                .iter()
                .map(|v| v.value().unwrap_or_default().to_owned())
                .collect::<Vec<String>>()
        }
    };
    let bundles = [
        "Graphics",
        "Graphics.g4dn",
        "GraphicsPro",
        "GraphicsPro.g4dn",
        "Performance",
        "Power",
        "PowerPro",
        "Standard",
        "Value",
    ];
    assert_eq!(values("bundle", 100).await, bundles);
    assert_eq!(values("bundle", 2).await, bundles, "paged by 2");
    assert_eq!(sim.stats().get("GetAttributeValues").requests, 1 + 5);
    assert_eq!(values("runningMode", 100).await, ["AlwaysOn", "AutoStop"]);
    assert_eq!(
        values("license", 100).await,
        ["Bring Your Own License", "Included"]
    );
    assert_eq!(
        values("operatingSystem", 100).await,
        ["Amazon Linux", "Windows"]
    );
    assert_eq!(values("resourceType", 100).await, ["Hardware", "Storage"]);

    let err = client
        .get_attribute_values()
        .service_code(SERVICE)
        .attribute_name("instanceType")
        .send()
        .await
        .expect_err("not an attribute");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_found_exception()),
        "{err:?}"
    );
}

#[tokio::test]
async fn get_products_pages_through_every_standard_product() {
    let (sim, _client) = sim().await;
    let filters = [term("regionCode", "us-east-1"), term("bundle", "Standard")];
    let (entries, tokens) = products(&pricing(&sim), &filters, 10).await;
    assert_eq!(entries.len(), STANDARD_PRODUCTS);
    assert_eq!(tokens.len(), 1, "19 products are two pages of 10");
    assert_eq!(
        sim.stats().get("GetProducts").requests,
        1 + tokens.len() as u64
    );
    let (by_four, tokens) = products(&pricing(&sim), &filters, 4).await;
    assert_eq!(by_four, entries, "the same products whatever the page size");
    let distinct: std::collections::BTreeSet<&String> = tokens.iter().collect();
    assert_eq!((tokens.len(), distinct.len()), (4, 4), "{tokens:?}");

    let mut skus = std::collections::BTreeSet::new();
    for entry in &entries {
        assert_eq!(entry["serviceCode"], SERVICE);
        let sku = entry["product"]["sku"].as_str().expect("sku");
        assert_eq!(sku.len(), 16, "{sku}");
        assert!(skus.insert(sku.to_owned()), "{sku} twice");
        assert_eq!(attribute(entry, "bundle"), Some("Standard"));
        assert_eq!(attribute(entry, "regionCode"), Some("us-east-1"));
        let (unit, _) = price(entry);
        assert!(["Month", "Hrs", "GB-Mo"].contains(&unit.as_str()), "{unit}");
    }
    let windows_always_on = entries.iter().find(|e| {
        attribute(e, "operatingSystem") == Some("Windows")
            && attribute(e, "license") == Some("Included")
            && attribute(e, "runningMode") == Some("AlwaysOn")
            && attribute(e, "rootVolume") == Some("80 GB")
            && attribute(e, "userVolume") == Some("50 GB")
    });
    let (unit, usd) = price(windows_always_on.expect("Standard Windows AlwaysOn 80/50"));
    assert_eq!((unit.as_str(), usd.as_str()), ("Month", "35.0000000000"));

    let (again, _) = products(&pricing(&sim), &filters, 100).await;
    assert_eq!(again, entries, "the same answer every time");
}

#[tokio::test]
async fn filters_match_names_and_values_in_any_case() {
    let (sim, _client) = sim().await;
    let client = pricing(&sim);
    let (exact, _) = products(&client, &[term("bundle", "Standard")], 100).await;
    let (any_case, _) = products(
        &client,
        &[
            term("BUNDLE", "standard"),
            term("ServiceCode", "amazonworkspaces"),
        ],
        100,
    )
    .await;
    assert_eq!(any_case, exact);
    let (hourly, _) = products(
        &client,
        &[
            term("bundle", "Value"),
            term("operatingSystem", "amazon linux"),
            term("runningmode", "AUTOSTOP"),
            term("rootVolume", "80 GB"),
            term("userVolume", "10 GB"),
        ],
        100,
    )
    .await;
    let prices: Vec<(String, String)> = hourly.iter().map(price).collect();
    assert_eq!(
        prices,
        [
            ("Month".to_owned(), "7.2500000000".to_owned()),
            ("Hrs".to_owned(), "0.1700000000".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_filter_on_a_value_nothing_has_returns_no_products() {
    let (sim, _client) = sim().await;
    let client = pricing(&sim);
    for filter in [
        term("bundle", "Enormous"),
        term("regionCode", "eu-west-1"),
        term("instanceType", "m5.large"),
    ] {
        let out = client
            .get_products()
            .service_code(SERVICE)
            .filters(filter)
            .send()
            .await
            .expect("GetProducts");
        assert!(out.price_list().is_empty(), "{out:?}");
        assert_eq!(out.next_token(), None);
    }
    let err = client
        .get_products()
        .service_code("AmazonEC2")
        .send()
        .await
        .expect_err("not priced");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_found_exception()),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_invalid_next_token_is_refused() {
    let (sim, _client) = sim().await;
    let client = pricing(&sim);
    let first = client
        .get_products()
        .service_code(SERVICE)
        .max_results(5)
        .send()
        .await
        .expect("GetProducts");
    let token = first.next_token().expect("more than five products");
    for (filters, token) in [
        (vec![], "not-a-token"),
        (vec![term("bundle", "Value")], token),
    ] {
        let err = client
            .get_products()
            .service_code(SERVICE)
            .set_filters(Some(filters))
            .max_results(5)
            .next_token(token)
            .send()
            .await
            .expect_err("invalid token");
        assert!(
            err.as_service_error()
                .is_some_and(|e| e.is_invalid_next_token_exception()),
            "{err:?}"
        );
    }
    let r = pricing_call(
        &sim,
        "GetProducts",
        r#"{"ServiceCode":"AmazonWorkSpaces","MaxResults":101}"#,
    )
    .await;
    assert_eq!(
        (r.status, r.json()["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
}

#[tokio::test]
async fn the_access_denied_fault_refuses_price_list_calls_only() {
    let (sim, client) = start(SimConfig {
        faults: Faults {
            pricing_access_denied: true,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let err = pricing(&sim)
        .get_products()
        .service_code(SERVICE)
        .send()
        .await
        .expect_err("access denied");
    assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    let message = err.message().unwrap_or_default();
    assert!(
        message.starts_with(
            "User: arn:aws:iam::123456789012:user/sim is not authorized to perform: pricing:GetProducts"
        ),
        "{message}"
    );
    let stats = sim.stats().get("GetProducts");
    assert_eq!((stats.requests, stats.failed), (1, 1));
    let err = pricing(&sim)
        .describe_services()
        .send()
        .await
        .expect_err("access denied");
    assert_eq!(err.code(), Some("AccessDeniedException"), "{err:?}");
    client
        .describe_account()
        .send()
        .await
        .expect("WorkSpaces calls pass");
    tagging(&sim)
        .get_resources()
        .send()
        .await
        .expect("tagging calls pass");
}

#[tokio::test]
async fn server_errors_use_the_price_list_api_names() {
    let (sim, _client) = start(SimConfig {
        faults: Faults {
            server_error_rate: 1.0,
            ..Faults::default()
        },
        ..quick()
    })
    .await;
    let mut seen_500 = false;
    for _ in 0..20 {
        let r = pricing_call(&sim, "DescribeServices", "{}").await;
        let code = r.json()["__type"].as_str().map(str::to_owned);
        match r.status {
            500 => {
                seen_500 = true;
                assert_eq!(code.as_deref(), Some("InternalErrorException"));
            }
            503 => assert_eq!(code.as_deref(), Some("ServiceUnavailable")),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(seen_500);
}

//! The Price List's answer, read: each `GetProducts` entry is a JSON text
//! holding the product's attributes and its on-demand price dimensions.
//! Attribute names are matched as the offer file's columns name them, in
//! any case and spelling (`runningMode`, `Running Mode`), because the Query
//! API writes them in camel case and the offer files with spaces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::money::Money;

/// One product of the `AmazonWorkSpaces` service with what it costs: a
/// bundle in a running mode with its volumes, OS, licence and software, or
/// a bundle's additional storage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The bundle's compute, as a token: `standard`, `graphicsg4dn`.
    pub bundle: String,
    /// Tokens too (`windows`, `amazonlinux`); None where the product has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byol: Option<bool>,
    /// Included software as a token; None for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_gib: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_gib: Option<i32>,
    /// `alwayson` or `autostop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly: Option<Money>,
    /// Additional storage, per GiB and month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_gib_month: Option<Money>,
}

/// `Graphics.g4dn` → `graphicsg4dn`, `GRAPHICS_G4DN` → `graphicsg4dn`: the
/// one spelling the Price List's values and AWS's enums are compared in.
pub fn token(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The offer one `PriceList` entry describes, in `currency`; None for an
/// entry that is not a WorkSpaces bundle or storage product with a price in
/// it. An entry that is not JSON is an error: the answer is not the Price
/// List's.
pub fn offer(entry: &str, currency: &str) -> Result<Option<Offer>, String> {
    let value: Value =
        serde_json::from_str(entry).map_err(|e| format!("a PriceList entry is not JSON: {e}"))?;
    let attributes: BTreeMap<String, &str> = value
        .pointer("/product/attributes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, value)| Some((token(name), value.as_str()?)))
        .collect();
    let attribute = |name: &str| {
        attributes
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let Some(bundle) = attribute("bundle").map(token) else {
        return Ok(None);
    };
    let mut offer = Offer {
        bundle,
        os: attribute("operatingsystem").map(token),
        byol: attribute("license").or(attribute("licence")).map(|l| {
            let l = token(l);
            l.contains("byol") || l.contains("bringyourown")
        }),
        software: attribute("softwareincluded")
            .map(token)
            .filter(|s| s != "none" && s != "na"),
        root_gib: attribute("rootvolume").and_then(gib),
        user_gib: attribute("uservolume").and_then(gib),
        mode: attribute("runningmode").map(token),
        ..Offer::default()
    };
    for dimension in price_dimensions(&value) {
        let Some(price) = dimension
            .pointer(&format!("/pricePerUnit/{currency}"))
            .and_then(Value::as_str)
            .and_then(Money::parse)
        else {
            continue;
        };
        let unit = token(dimension["unit"].as_str().unwrap_or_default());
        let slot = if unit.starts_with("gb") {
            &mut offer.per_gib_month
        } else if unit.contains("hr") || unit.contains("hour") {
            &mut offer.hourly
        } else if unit.contains("mo") || unit.contains("month") || unit.contains("user") {
            &mut offer.monthly
        } else {
            continue;
        };
        *slot = Some(price);
    }
    let priced = offer.monthly.is_some() || offer.hourly.is_some() || offer.per_gib_month.is_some();
    Ok(priced.then_some(offer))
}

/// Every on-demand price dimension of an entry.
fn price_dimensions(entry: &Value) -> impl Iterator<Item = &Value> {
    entry
        .pointer("/terms/OnDemand")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|terms| terms.values())
        .filter_map(|term| term.get("priceDimensions").and_then(Value::as_object))
        .flat_map(|dimensions| dimensions.values())
}

/// `"80 GB"` → 80.
fn gib(text: &str) -> Option<i32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A `PriceList` entry as the Price List writes it.
    pub(in crate::prices) fn entry(attributes: &[(&str, &str)], unit: &str, usd: &str) -> String {
        let attributes: serde_json::Map<String, Value> = attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect();
        serde_json::json!({
            "product": {"productFamily": "WorkSpaces", "sku": "SKU1", "attributes": attributes},
            "serviceCode": "AmazonWorkSpaces",
            "terms": {"OnDemand": {"SKU1.T": {"priceDimensions": {"SKU1.T.D": {
                "unit": unit, "pricePerUnit": {"USD": usd}, "description": "…"
            }}}}}
        })
        .to_string()
    }

    #[test]
    fn a_bundle_product_is_read_in_any_spelling_of_its_attributes() {
        let text = entry(
            &[
                ("bundle", "Graphics.g4dn"),
                ("Operating System", "Amazon Linux"),
                ("license", "Bring Your Own License"),
                ("softwareIncluded", "None"),
                ("rootVolume", "100 GB"),
                ("uservolume", "100 GB"),
                ("Running Mode", "AutoStop"),
            ],
            "Hrs",
            "1.7500000000",
        );
        let offer = offer(&text, "USD").unwrap().unwrap();
        assert_eq!(
            offer,
            Offer {
                bundle: "graphicsg4dn".to_owned(),
                os: Some("amazonlinux".to_owned()),
                byol: Some(true),
                software: None,
                root_gib: Some(100),
                user_gib: Some(100),
                mode: Some("autostop".to_owned()),
                hourly: Some(Money::cents(175)),
                ..Offer::default()
            }
        );
    }

    #[test]
    fn units_say_which_price_it_is() {
        let monthly = entry(&[("bundle", "Standard")], "Month", "35");
        let storage = entry(&[("bundle", "Standard")], "GB-Mo", "0.10");
        assert_eq!(
            offer(&monthly, "USD").unwrap().unwrap().monthly,
            Some(Money::cents(3500))
        );
        assert_eq!(
            offer(&storage, "USD").unwrap().unwrap().per_gib_month,
            Some(Money::cents(10))
        );
    }

    #[test]
    fn entries_without_a_bundle_or_a_price_are_not_offers() {
        let no_bundle = entry(&[("group", "Directory")], "Month", "5");
        let other_currency = entry(&[("bundle", "Standard")], "Month", "35");
        let no_unit = entry(&[("bundle", "Standard")], "Requests", "1");
        assert_eq!(offer(&no_bundle, "USD").unwrap(), None);
        assert_eq!(offer(&other_currency, "CNY").unwrap(), None);
        assert_eq!(offer(&no_unit, "USD").unwrap(), None);
        assert!(offer("{not json", "USD").is_err());
    }
}

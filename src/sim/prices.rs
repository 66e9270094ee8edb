//! The price list the simulator's Price List API serves: the
//! `AmazonWorkSpaces` products of us-east-1 for the compute types of the
//! seeded AMAZON bundles.
//!
//! The numbers are sample prices modelled on AWS's public us-east-1
//! WorkSpaces prices, not a quote: they are here so that costs can be shown
//! and tested without an account, and will drift from what AWS charges.
//!
//! [`TABLE`] holds one row per compute type: its prices for Windows with the
//! licence included, at the volume sizes of the seeded bundle. Every other
//! product is derived from a row by the rules on [`Variant`] and
//! [`EXTRA_GB_MONTH`]: for each operating system and licence, at the seeded
//! sizes and at one larger combination, three products (AlwaysOn monthly,
//! AutoStop monthly, AutoStop hourly); and one product per compute type for
//! additional storage.

use std::sync::LazyLock;

use Family::{General, Graphics};

pub(crate) const SERVICE_CODE: &str = "AmazonWorkSpaces";

/// The product attributes of the `AmazonWorkSpaces` offer, as
/// `DescribeServices` lists them (the offer file's columns, camelCased).
pub(crate) const ATTRIBUTE_NAMES: [&str; 21] = [
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
];

/// Hundredths of a US dollar: every sample price is a whole number of cents.
type Cents = u32;

/// Each GB of root and user volume beyond the seeded sizes, a month: the
/// price of the storage products, and what a larger combination adds to the
/// monthly prices (hourly prices do not change with the volumes).
const EXTRA_GB_MONTH: Cents = 10;

/// What sets a bundle's `bundleGroup` and the operating systems it comes
/// with: Amazon Linux is offered on the general-purpose compute types only.
#[derive(Clone, Copy)]
enum Family {
    General,
    Graphics,
}

impl Family {
    fn group(self) -> &'static str {
        match self {
            Family::General => "General Purpose",
            Family::Graphics => "Graphics",
        }
    }

    fn variants(self) -> &'static [Variant] {
        match self {
            Family::General => &[WINDOWS, WINDOWS_BYOL, AMAZON_LINUX],
            Family::Graphics => &[WINDOWS, WINDOWS_BYOL],
        }
    }
}

/// One compute type: its prices for Windows with the licence included at
/// the first volume combination.
struct Row {
    /// The `bundle` attribute (the compute type as the price list names it).
    bundle: &'static str,
    /// The `HW-n` of the usage type.
    hardware: u8,
    vcpu: &'static str,
    memory: &'static str,
    family: Family,
    /// Root and user GB: the seeded bundle's, then the other combinations
    /// offered (a smaller one is priced as the seeded one).
    volumes: &'static [(u32, u32)],
    always_on: Cents,
    auto_stop_month: Cents,
    auto_stop_hour: Cents,
}

const fn row(
    bundle: &'static str,
    hardware: u8,
    vcpu: &'static str,
    memory: &'static str,
    family: Family,
    volumes: &'static [(u32, u32)],
    [always_on, auto_stop_month, auto_stop_hour]: [Cents; 3],
) -> Row {
    Row {
        bundle,
        hardware,
        vcpu,
        memory,
        family,
        volumes,
        always_on,
        auto_stop_month,
        auto_stop_hour,
    }
}

/// Prices in cents: AlwaysOn a month, AutoStop a month, AutoStop an hour.
/// One row a line, so the table reads as one.
#[rustfmt::skip]
const TABLE: &[Row] = &[
    row("Value", 1, "1", "2 GB", General, &[(80, 10), (80, 50)], [2500, 725, 22]),
    row("Standard", 2, "2", "4 GB", General, &[(80, 50), (175, 100)], [3500, 975, 30]),
    row("Performance", 3, "2", "8 GB", General, &[(80, 100), (175, 100)], [6000, 1300, 51]),
    row("Power", 4, "4", "16 GB", General, &[(175, 100), (175, 200), (80, 50)], [8000, 1300, 68]),
    row("PowerPro", 5, "8", "32 GB", General, &[(175, 100), (175, 200), (80, 50)], [12400, 1900, 153]),
    row("Graphics", 6, "8", "15 GB", Graphics, &[(100, 100), (175, 100)], [50200, 2200, 175]),
    row("GraphicsPro", 7, "16", "122 GB", Graphics, &[(100, 100), (175, 100)], [99900, 6600, 1162]),
    row("Graphics.g4dn", 8, "4", "16 GB", Graphics, &[(100, 100), (175, 100)], [50200, 2200, 175]),
    row("GraphicsPro.g4dn", 9, "16", "64 GB", Graphics, &[(100, 100), (175, 100)], [99900, 6600, 1162]),
];

/// An operating system and licence, and how its prices differ from those
/// of Windows with the licence included.
struct Variant {
    os: &'static str,
    license: &'static str,
    /// Marks the usage type, so each product has its own.
    usage: &'static str,
    /// Off the AlwaysOn monthly price (the AutoStop monthly fee is the same).
    always_on_less: Cents,
    /// Off the AutoStop hourly price.
    hour_less: Cents,
}

const WINDOWS: Variant = Variant {
    os: "Windows",
    license: "Included",
    usage: "",
    always_on_less: 0,
    hour_less: 0,
};

const WINDOWS_BYOL: Variant = Variant {
    os: "Windows",
    license: "Bring Your Own License",
    usage: "BYOL-",
    always_on_less: 400,
    hour_less: 4,
};

const AMAZON_LINUX: Variant = Variant {
    os: "Amazon Linux",
    license: "Included",
    usage: "AL-",
    always_on_less: 400,
    hour_less: 5,
};

/// The three ways a bundle is charged, one product each.
#[derive(Clone, Copy)]
enum Charge {
    AlwaysOn,
    AutoStopMonth,
    AutoStopHour,
}

impl Charge {
    const ALL: [Charge; 3] = [
        Charge::AlwaysOn,
        Charge::AutoStopMonth,
        Charge::AutoStopHour,
    ];

    fn running_mode(self) -> &'static str {
        match self {
            Charge::AlwaysOn => "AlwaysOn",
            Charge::AutoStopMonth | Charge::AutoStopHour => "AutoStop",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Charge::AlwaysOn | Charge::AutoStopMonth => "Month",
            Charge::AutoStopHour => "Hrs",
        }
    }

    /// The end of the usage type, and the `group` attribute.
    fn usage(self) -> &'static str {
        match self {
            Charge::AlwaysOn => "AlwaysOn",
            Charge::AutoStopMonth => "AutoStop-Month",
            Charge::AutoStopHour => "AutoStop-Hours",
        }
    }

    fn group_description(self) -> &'static str {
        match self {
            Charge::AlwaysOn => "Monthly fee for an AlwaysOn WorkSpace",
            Charge::AutoStopMonth => "Monthly fee for an AutoStop WorkSpace",
            Charge::AutoStopHour => "Hourly fee for an AutoStop WorkSpace while it runs",
        }
    }

    fn price(self, row: &Row, variant: &Variant, extra_gb: u32) -> Cents {
        let extra = extra_gb * EXTRA_GB_MONTH;
        match self {
            Charge::AlwaysOn => (row.always_on + extra).saturating_sub(variant.always_on_less),
            Charge::AutoStopMonth => row.auto_stop_month + extra,
            Charge::AutoStopHour => row.auto_stop_hour.saturating_sub(variant.hour_less),
        }
    }

    fn per(self) -> &'static str {
        match self {
            Charge::AlwaysOn | Charge::AutoStopMonth => "month",
            Charge::AutoStopHour => "hour",
        }
    }
}

/// One product of the price list, with its one on-demand price.
pub(crate) struct Product {
    pub(crate) sku: String,
    attributes: Vec<(&'static str, String)>,
    pub(crate) unit: &'static str,
    pub(crate) description: String,
    price: Cents,
}

impl Product {
    /// The value of an attribute, its name compared case-insensitively as
    /// AWS compares filter fields.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn attributes(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.attributes.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// `pricePerUnit.USD`, with the ten decimals AWS writes.
    pub(crate) fn usd(&self) -> String {
        format!("{}00000000", dollars(self.price))
    }
}

/// Every product, in table order.
pub(crate) fn products() -> &'static [Product] {
    static PRODUCTS: LazyLock<Vec<Product>> =
        LazyLock::new(|| TABLE.iter().flat_map(of_row).collect());
    &PRODUCTS
}

fn of_row(row: &Row) -> Vec<Product> {
    let mut products = Vec::new();
    for variant in row.family.variants() {
        for &volumes in row.volumes {
            for charge in Charge::ALL {
                products.push(hardware(row, variant, volumes, charge));
            }
        }
    }
    products.push(storage(row));
    products
}

/// What every product of a compute type says about where and what it is.
fn common(row: &Row) -> Vec<(&'static str, String)> {
    let description = format!("{} ({} vCPU, {} memory)", row.bundle, row.vcpu, row.memory);
    [
        ("servicecode", SERVICE_CODE),
        ("servicename", "Amazon WorkSpaces"),
        ("location", "US East (N. Virginia)"),
        ("locationType", "AWS Region"),
        ("regionCode", "us-east-1"),
        ("bundle", row.bundle),
        ("bundleDescription", description.as_str()),
        ("bundleGroup", row.family.group()),
        ("softwareIncluded", "None"),
        ("vcpu", row.vcpu),
        ("memory", row.memory),
        ("operation", ""),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_owned()))
    .collect()
}

fn hardware(row: &Row, variant: &Variant, (root, user): (u32, u32), charge: Charge) -> Product {
    let (seeded_root, seeded_user) = row.volumes[0];
    let extra_gb = (root + user).saturating_sub(seeded_root + seeded_user);
    let price = charge.price(row, variant, extra_gb);
    let usagetype = format!(
        "USE1-AW-{}HW-{}-{root}GB-{user}GB-{}",
        variant.usage,
        row.hardware,
        charge.usage()
    );
    let description = format!(
        "${} per {} for {} bundle ({} vCPU, {} memory) with {root} GB root and {user} GB user volume, {} (license {}), {}",
        dollars(price),
        charge.per(),
        row.bundle,
        row.vcpu,
        row.memory,
        variant.os,
        variant.license,
        charge.running_mode(),
    );
    let mut attributes = common(row);
    attributes.extend([
        ("operatingSystem", variant.os.to_owned()),
        ("license", variant.license.to_owned()),
        ("runningMode", charge.running_mode().to_owned()),
        ("rootVolume", format!("{root} GB")),
        ("userVolume", format!("{user} GB")),
        ("resourceType", "Hardware".to_owned()),
        ("group", charge.usage().to_owned()),
        ("groupDescription", charge.group_description().to_owned()),
    ]);
    product(usagetype, attributes, charge.unit(), description, price)
}

/// Additional storage beyond a listed volume combination: not tied to an
/// operating system, licence or running mode, so those are left out.
fn storage(row: &Row) -> Product {
    let usagetype = format!("USE1-AW-HW-{}-Storage", row.hardware);
    let description = format!(
        "${} per GB-month of additional root or user volume storage for {} bundles",
        dollars(EXTRA_GB_MONTH),
        row.bundle
    );
    let mut attributes = common(row);
    attributes.extend([
        ("resourceType", "Storage".to_owned()),
        ("group", "Storage".to_owned()),
        (
            "groupDescription",
            "Additional root and user volume storage".to_owned(),
        ),
    ]);
    product(usagetype, attributes, "GB-Mo", description, EXTRA_GB_MONTH)
}

/// A product whose SKU is derived from its usage type (unique per product),
/// so the same product has the same SKU in every run.
fn product(
    usagetype: String,
    mut attributes: Vec<(&'static str, String)>,
    unit: &'static str,
    description: String,
    price: Cents,
) -> Product {
    let sku = sku(&usagetype);
    attributes.push(("usagetype", usagetype));
    Product {
        sku,
        attributes,
        unit,
        description,
        price,
    }
}

fn dollars(cents: Cents) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// 16 characters of `[0-9A-Z]`, the shape of AWS's SKUs, from two FNV-1a
/// hashes of `key` (stable across Rust versions, unlike `DefaultHasher`).
fn sku(key: &str) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut n = (u128::from(fnv1a(key, 0)) << 64) | u128::from(fnv1a(key, 1));
    (0..16)
        .map(|_| {
            let c = ALPHABET[(n % 36) as usize];
            n /= 36;
            char::from(c)
        })
        .collect()
}

/// 64-bit FNV-1a of `text`, its offset basis varied by `seed`.
pub(crate) fn fnv1a(text: &str, seed: u64) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325 ^ seed, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::sim::seed;

    fn find(filters: &[(&str, &str)]) -> Vec<&'static Product> {
        products()
            .iter()
            .filter(|p| filters.iter().all(|(n, v)| p.attribute(n) == Some(*v)))
            .collect()
    }

    fn prices(filters: &[(&str, &str)]) -> Vec<(String, &'static str)> {
        find(filters).iter().map(|p| (p.usd(), p.unit)).collect()
    }

    #[test]
    fn skus_and_usage_types_are_unique_and_shaped_like_aws() {
        let all = products();
        let skus: BTreeSet<&str> = all.iter().map(|p| p.sku.as_str()).collect();
        let usage: BTreeSet<&str> = all
            .iter()
            .filter_map(|p| p.attribute("usagetype"))
            .collect();
        assert_eq!((skus.len(), usage.len()), (all.len(), all.len()));
        for sku in skus {
            assert_eq!(sku.len(), 16, "{sku}");
            assert!(
                sku.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                "{sku}"
            );
        }
        // 5 general-purpose types × 3 variants + 4 graphics types × 2, each
        // at 2 volume combinations (Power and PowerPro at 3) × 3 charges;
        // one storage product each.
        assert_eq!(all.len(), ((5 * 3 + 4 * 2) * 2 + 2 * 3) * 3 + 9);
        for p in all {
            for (name, _) in p.attributes() {
                assert!(ATTRIBUTE_NAMES.contains(&name), "{name}");
            }
        }
    }

    #[test]
    fn variants_and_larger_volumes_follow_the_rules() {
        let standard = |os: &str, license: &str, root: &str, user: &str| {
            prices(&[
                ("bundle", "Standard"),
                ("operatingSystem", os),
                ("license", license),
                ("rootVolume", root),
                ("userVolume", user),
            ])
        };
        let expect = |on: &str, month: &str, hour: &str| {
            vec![
                (format!("{on}00000000"), "Month"),
                (format!("{month}00000000"), "Month"),
                (format!("{hour}00000000"), "Hrs"),
            ]
        };
        let byol = "Bring Your Own License";
        assert_eq!(
            standard("Windows", "Included", "80 GB", "50 GB"),
            expect("35.00", "9.75", "0.30")
        );
        assert_eq!(
            standard("Windows", byol, "80 GB", "50 GB"),
            expect("31.00", "9.75", "0.26")
        );
        assert_eq!(
            standard("Amazon Linux", "Included", "80 GB", "50 GB"),
            expect("31.00", "9.75", "0.25")
        );
        // 175/100 is 145 GB more than 80/50: 14.50 a month more.
        assert_eq!(
            standard("Windows", "Included", "175 GB", "100 GB"),
            expect("49.50", "24.25", "0.30")
        );
        assert!(standard("Amazon Linux", byol, "80 GB", "50 GB").is_empty());
        assert!(find(&[("bundle", "Graphics"), ("operatingSystem", "Amazon Linux")]).is_empty());
        let storage = find(&[("bundle", "Standard"), ("resourceType", "Storage")]);
        assert_eq!(storage.len(), 1);
        assert_eq!(
            (storage[0].usd().as_str(), storage[0].unit),
            ("0.1000000000", "GB-Mo")
        );
        assert_eq!(storage[0].attribute("runningMode"), None);
    }

    #[test]
    fn every_seeded_amazon_bundle_has_its_three_prices() {
        let account = seed::account();
        for b in account.bundles.values() {
            let os = match account.images.get(&b.image_id).map(|i| i.os_type.as_str()) {
                Some("LINUX") => "Amazon Linux",
                _ => "Windows",
            };
            let bundle = TABLE
                .iter()
                .map(|r| r.bundle)
                .find(|name| name.replace('.', "_").eq_ignore_ascii_case(&b.compute_type));
            let bundle = bundle.unwrap_or_else(|| panic!("no row for {}", b.compute_type));
            let found = find(&[
                ("bundle", bundle),
                ("operatingSystem", os),
                ("license", "Included"),
                ("rootVolume", &format!("{} GB", b.root_gib)),
                ("userVolume", &format!("{} GB", b.user_gib)),
            ]);
            let units: Vec<&str> = found.iter().map(|p| p.unit).collect();
            assert_eq!(units, ["Month", "Month", "Hrs"], "{}", b.id);
        }
    }
}

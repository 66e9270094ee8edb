//! The pricing math on plain data: which offer prices a configuration, and
//! what a month of it costs.

use super::*;

fn offer(bundle: &str, os: &str, byol: bool, volumes: (i32, i32), mode: &str) -> Offer {
    Offer {
        bundle: bundle.to_owned(),
        os: Some(os.to_owned()),
        byol: Some(byol),
        software: None,
        root_gib: Some(volumes.0),
        user_gib: Some(volumes.1),
        mode: Some(mode.to_owned()),
        ..Offer::default()
    }
}

fn monthly(offer: Offer, cents: i64) -> Offer {
    Offer {
        monthly: Some(Money::cents(cents)),
        ..offer
    }
}

fn hourly(offer: Offer, cents: i64) -> Offer {
    Offer {
        hourly: Some(Money::cents(cents)),
        ..offer
    }
}

/// Standard and Power, Windows with the licence included and BYOL, Amazon
/// Linux, with Office, and Standard's additional storage.
fn book() -> PriceBook {
    let std = |os, byol, mode| offer("standard", os, byol, (80, 50), mode);
    let office = Offer {
        software: Some("officeprofessional2021".to_owned()),
        ..std("windows", false, "alwayson")
    };
    PriceBook {
        region: "us-east-1".to_owned(),
        currency: "USD".to_owned(),
        fetched: "2026-12-06".to_owned(),
        offers: vec![
            monthly(std("windows", false, "alwayson"), 3500),
            monthly(std("windows", false, "autostop"), 975),
            hourly(std("windows", false, "autostop"), 30),
            monthly(std("windows", true, "alwayson"), 3100),
            monthly(std("amazonlinux", false, "alwayson"), 3100),
            monthly(office, 4500),
            monthly(
                offer("standard", "windows", false, (175, 100), "alwayson"),
                4450,
            ),
            Offer {
                bundle: "standard".to_owned(),
                per_gib_month: Some(Money::cents(10)),
                ..Offer::default()
            },
            monthly(
                offer("power", "windows", false, (175, 100), "alwayson"),
                8000,
            ),
        ],
    }
}

fn key(compute: &str, os: Os, volumes: (i32, i32), mode: RunningMode) -> PriceKey {
    PriceKey {
        compute: compute.to_owned(),
        os,
        byol: false,
        software: None,
        root_gib: volumes.0,
        user_gib: volumes.1,
        mode,
    }
}

fn standard(mode: RunningMode) -> PriceKey {
    key("STANDARD", Os::Windows, (80, 50), mode)
}

fn month(key: &PriceKey, hours: u32) -> Result<Money, Unpriced> {
    let assumptions = Assumptions {
        auto_stop_hours_per_month: hours,
    };
    book().price(key, assumptions).map(|p| p.monthly)
}

#[test]
fn always_on_is_the_monthly_fee() {
    assert_eq!(
        month(&standard(RunningMode::AlwaysOn), 80),
        Ok(Money::cents(3500))
    );
}

#[test]
fn auto_stop_is_the_monthly_fee_and_the_hours_assumed() {
    let key = standard(RunningMode::AutoStop);
    assert_eq!(month(&key, 80), Ok(Money::cents(975 + 80 * 30)));
    assert_eq!(month(&key, 0), Ok(Money::cents(975)));
    let price = book().price(&key, Assumptions::default()).unwrap();
    assert_eq!(price.monthly_fee, Money::cents(975));
    assert_eq!(price.hourly, Some(Money::cents(30)));
}

#[test]
fn byol_and_another_os_have_their_own_prices() {
    let byol = PriceKey {
        byol: true,
        ..standard(RunningMode::AlwaysOn)
    };
    let linux = key("STANDARD", Os::AmazonLinux, (80, 50), RunningMode::AlwaysOn);
    assert_eq!(month(&byol, 80), Ok(Money::cents(3100)));
    assert_eq!(month(&linux, 80), Ok(Money::cents(3100)));
}

#[test]
fn included_software_is_priced_from_its_own_offer() {
    let office = PriceKey {
        software: Some("Office".to_owned()),
        ..standard(RunningMode::AlwaysOn)
    };
    assert_eq!(month(&office, 80), Ok(Money::cents(4500)));
}

#[test]
fn a_listed_volume_combination_is_priced_as_listed() {
    let larger = key("STANDARD", Os::Windows, (175, 100), RunningMode::AlwaysOn);
    assert_eq!(month(&larger, 80), Ok(Money::cents(4450)));
}

#[test]
fn volumes_above_the_listed_ones_add_the_storage_rate_per_gib() {
    // 80/50 listed; 20 GB more root and 30 GB more user at $0.10.
    let grown = key("STANDARD", Os::Windows, (100, 80), RunningMode::AlwaysOn);
    assert_eq!(month(&grown, 80), Ok(Money::cents(3500 + 500)));
    // The largest listed below both volumes is the base: 175/100 for 200/100.
    let more = key("STANDARD", Os::Windows, (200, 100), RunningMode::AlwaysOn);
    assert_eq!(month(&more, 80), Ok(Money::cents(4450 + 250)));
}

#[test]
fn what_the_book_does_not_list_is_unknown_with_the_reason() {
    let unlisted_os = key("STANDARD", Os::Ubuntu, (80, 50), RunningMode::AlwaysOn);
    let Err(why) = month(&unlisted_os, 80) else {
        panic!("priced an OS the book does not list");
    };
    assert_eq!(
        why.0,
        "the Price List for us-east-1 lists no STANDARD Ubuntu with 80 GB root and 50 GB user volumes, ALWAYS_ON"
    );
    let smaller = key("POWER", Os::Windows, (80, 50), RunningMode::AlwaysOn);
    assert!(
        month(&smaller, 80)
            .unwrap_err()
            .0
            .contains("only with larger volumes")
    );
    // Power has no storage rate: a grown Power is unknown, not guessed.
    let grown = key("POWER", Os::Windows, (200, 100), RunningMode::AlwaysOn);
    assert!(month(&grown, 80).unwrap_err().0.contains("no storage rate"));
    // Power has no AutoStop offers.
    let auto_stop = key("POWER", Os::Windows, (175, 100), RunningMode::AutoStop);
    assert!(month(&auto_stop, 80).is_err());
    let manual = standard(RunningMode::Manual);
    assert!(month(&manual, 80).unwrap_err().0.contains("MANUAL"));
}

#[test]
fn auto_stop_without_an_hourly_rate_is_unknown() {
    let mut book = book();
    book.offers.retain(|o| o.hourly.is_none());
    let Err(why) = book.price(&standard(RunningMode::AutoStop), Assumptions::default()) else {
        panic!("priced AUTO_STOP without its hourly rate");
    };
    assert!(why.0.contains("lists no hourly rate"), "{why}");
}

#[test]
fn the_os_is_read_from_aws_names_and_bundle_names() {
    assert_eq!(Os::named_in("WINDOWS_SERVER_2022"), Some(Os::Windows));
    assert_eq!(Os::named_in("AMAZON_LINUX_2"), Some(Os::AmazonLinux));
    assert_eq!(Os::named_in("UBUNTU_22_04"), Some(Os::Ubuntu));
    assert_eq!(Os::named_in("RHEL_8"), Some(Os::RedHat));
    assert_eq!(Os::named_in("ROCKY_8"), Some(Os::RockyLinux));
    assert_eq!(
        Os::named_in("Standard with Amazon Linux 2"),
        Some(Os::AmazonLinux)
    );
    assert_eq!(Os::named_in("LINUX"), None);
}

#[test]
fn a_workspace_is_keyed_by_its_own_properties_then_its_bundle() {
    use crate::workspace_properties::WorkspaceProperties;
    let bundle = BundleFacts {
        name: "Standard with Windows 10 and Office 2021",
        compute: Some("STANDARD"),
        root_gib: Some(80),
        user_gib: Some(50),
        image_os: None,
        byol: false,
    };
    let properties = WorkspaceProperties {
        compute_type: Some("POWER".to_owned()),
        user_volume_gib: Some(100),
        running_mode: Some(RunningMode::AutoStop),
        ..WorkspaceProperties::default()
    };
    let key = key_of_bundle(&bundle, &properties).unwrap();
    assert_eq!(
        key,
        PriceKey {
            compute: "POWER".to_owned(),
            os: Os::Windows,
            byol: false,
            software: Some("office".to_owned()),
            root_gib: 80,
            user_gib: 100,
            mode: RunningMode::AutoStop,
        }
    );
    let nameless = BundleFacts {
        name: "golden",
        ..bundle
    };
    assert!(key_of_bundle(&nameless, &WorkspaceProperties::default()).is_err());
}

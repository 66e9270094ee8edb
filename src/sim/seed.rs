//! The account every simulator starts with (and `POST /_sim/reset` returns to).
//!
//! Account id `123456789012`, BYOL disabled.
//!
//! | bundle id         | name                                            | compute          | root/user GiB | image             |
//! |-------------------|-------------------------------------------------|------------------|---------------|-------------------|
//! | `wsb-w10value0`   | Value with Windows 10 (Server 2022 based)       | VALUE            | 80/10         | `wsi-w10srv22a`   |
//! | `wsb-w10stand0`   | Standard with Windows 10 (Server 2022 based)    | STANDARD         | 80/50         | `wsi-w10srv22a`   |
//! | `wsb-w10perf00`   | Performance with Windows 10 (Server 2022 based) | PERFORMANCE      | 80/100        | `wsi-w10srv22a`   |
//! | `wsb-w10power0`   | Power with Windows 10 (Server 2022 based)       | POWER            | 175/100       | `wsi-w10srv22a`   |
//! | `wsb-w10ppro00`   | PowerPro with Windows 10 (Server 2022 based)    | POWERPRO         | 175/100       | `wsi-w10srv22a`   |
//! | `wsb-w10graph0`   | Graphics with Windows 10 (Server 2019 based)    | GRAPHICS         | 100/100       | `wsi-w10graph1`   |
//! | `wsb-w10gpro00`   | GraphicsPro with Windows 10 (Server 2019 based) | GRAPHICSPRO      | 100/100       | `wsi-w10graph1`   |
//! | `wsb-w10g4dn00`   | Graphics.g4dn with Windows 10 (Server 2022 based)    | GRAPHICS_G4DN    | 100/100  | `wsi-w10graph1`   |
//! | `wsb-w10gp4dn0`   | GraphicsPro.g4dn with Windows 10 (Server 2022 based) | GRAPHICSPRO_G4DN | 100/100  | `wsi-w10graph1`   |
//! | `wsb-al2value0`   | Value with Amazon Linux 2                       | VALUE            | 80/10         | `wsi-amzlinux2`   |
//! | `wsb-al2stand0`   | Standard with Amazon Linux 2                    | STANDARD         | 80/50         | `wsi-amzlinux2`   |
//! | `wsb-al2perf00`   | Performance with Amazon Linux 2                 | PERFORMANCE      | 80/100        | `wsi-amzlinux2`   |
//! | `wsb-al2power0`   | Power with Amazon Linux 2                       | POWER            | 175/100       | `wsi-amzlinux2`   |
//! | `wsb-al2ppro00`   | PowerPro with Amazon Linux 2                    | POWERPRO         | 175/100       | `wsi-amzlinux2`   |
//!
//! All bundles above are owned by `AMAZON`, as are their three images. One
//! image is the account's own: `wsi-legacy001` (`legacy-win10-base`, AVAILABLE,
//! `Updates.UpdateAvailable` true, so `CreateUpdatedWorkspaceImage` has a
//! source).
//!
//! Directory Service directories (all SIMPLE_AD):
//!
//! | directory id   | name               | alias          | VPC                     | subnets (AZ)                                                          | WorkSpaces     |
//! |----------------|--------------------|----------------|-------------------------|-----------------------------------------------------------------------|----------------|
//! | `d-1234567890` | `corp.example.com` | `corp-example` | `vpc-0a1b2c3d4e5f60718` | `subnet-0a1b2c3d4e5f60718` (1a), `subnet-0f1e2d3c4b5a69788` (1b)      | REGISTERED     |
//! | `d-2345678901` | `eng.example.com`  | `eng-example`  | `vpc-0a1b2c3d4e5f60718` | `subnet-0e1b2c3d4e5f60718` (1a), `subnet-0e2b2c3d4e5f60719` (1b)      | not registered |
//! | `d-3456789012` | `lab.example.com`  | `lab-example`  | `vpc-0c1b2c3d4e5f60718` | `subnet-0c1b2c3d4e5f60718` (1a), `subnet-0c2b2c3d4e5f60719` (1c)      | not registered |
//! | `d-4567890123` | `new.example.com`  | `new-example`  | `vpc-0c1b2c3d4e5f60718` | `subnet-0c1b2c3d4e5f60718` (1a), `subnet-0c2b2c3d4e5f60719` (1c)      | not registered; still `Creating` in Directory Service |
//!
//! Only registered directories are seen by `DescribeWorkspaceDirectories`;
//! only `Active` Directory Service directories can be registered;
//! `RegisterWorkspaceDirectory` takes two subnets of the directory's VPC in
//! different Availability Zones (the lab subnets are in another VPC than
//! the eng directory). Management CIDR ranges offered for BYOL:
//! 10.200.0.0/16, 10.201.0.0/16, 10.202.0.0/16, 172.16.0.0/16, 172.17.0.0/16,
//! 172.18.0.0/16, 192.168.0.0/16.

use std::collections::BTreeSet;

use super::account::{
    Account, Bundle, Byol, CreationProperties, Directory, Image, access_defaults, client_defaults,
    directory_state, self_service_defaults,
};

/// The region the simulator plays; `client_config` uses it too.
pub(crate) const REGION: &str = "us-east-1";

/// The registered directory every simulator has.
pub const SEED_DIRECTORY_ID: &str = "d-1234567890";

/// The VPC of the seeded registered directory.
pub(crate) const CORP_VPC: &str = "vpc-0a1b2c3d4e5f60718";
const LAB_VPC: &str = "vpc-0c1b2c3d4e5f60718";

/// The account's subnets: id, VPC, Availability Zone.
const SUBNETS: &[(&str, &str, &str)] = &[
    ("subnet-0a1b2c3d4e5f60718", CORP_VPC, "us-east-1a"),
    ("subnet-0f1e2d3c4b5a69788", CORP_VPC, "us-east-1b"),
    ("subnet-0e1b2c3d4e5f60718", CORP_VPC, "us-east-1a"),
    ("subnet-0e2b2c3d4e5f60719", CORP_VPC, "us-east-1b"),
    ("subnet-0c1b2c3d4e5f60718", LAB_VPC, "us-east-1a"),
    ("subnet-0c2b2c3d4e5f60719", LAB_VPC, "us-east-1c"),
];

/// The Directory Service directories of the catalog that are not `Active`
/// yet, with their stage; every other one is `Active`.
const NOT_ACTIVE: &[(&str, &str)] = &[("d-4567890123", "Creating")];

/// The Directory Service stage of a directory of the catalog.
pub(crate) fn directory_stage(id: &str) -> &'static str {
    NOT_ACTIVE
        .iter()
        .find(|(directory, _)| *directory == id)
        .map_or("Active", |(_, stage)| stage)
}

/// The VPC and Availability Zone of one of the account's subnets.
pub(crate) fn subnet(id: &str) -> Option<(&'static str, &'static str)> {
    SUBNETS
        .iter()
        .find(|(subnet, _, _)| *subnet == id)
        .map(|&(_, vpc, az)| (vpc, az))
}

pub(crate) const ACCOUNT_ID: &str = "123456789012";

/// 2024-01-01T00:00:00Z: a fixed creation time so the seed is reproducible.
const SEED_TIME: u64 = 1_704_067_200_000;

const WINDOWS_IMAGE: &str = "wsi-w10srv22a";
const GRAPHICS_IMAGE: &str = "wsi-w10graph1";
const LINUX_IMAGE: &str = "wsi-amzlinux2";

const BUNDLES: &[(&str, &str, &str, i64, i64, &str)] = &[
    (
        "wsb-w10value0",
        "Value with Windows 10 (Server 2022 based)",
        "VALUE",
        80,
        10,
        WINDOWS_IMAGE,
    ),
    (
        "wsb-w10stand0",
        "Standard with Windows 10 (Server 2022 based)",
        "STANDARD",
        80,
        50,
        WINDOWS_IMAGE,
    ),
    (
        "wsb-w10perf00",
        "Performance with Windows 10 (Server 2022 based)",
        "PERFORMANCE",
        80,
        100,
        WINDOWS_IMAGE,
    ),
    (
        "wsb-w10power0",
        "Power with Windows 10 (Server 2022 based)",
        "POWER",
        175,
        100,
        WINDOWS_IMAGE,
    ),
    (
        "wsb-w10ppro00",
        "PowerPro with Windows 10 (Server 2022 based)",
        "POWERPRO",
        175,
        100,
        WINDOWS_IMAGE,
    ),
    (
        "wsb-w10graph0",
        "Graphics with Windows 10 (Server 2019 based)",
        "GRAPHICS",
        100,
        100,
        GRAPHICS_IMAGE,
    ),
    (
        "wsb-w10gpro00",
        "GraphicsPro with Windows 10 (Server 2019 based)",
        "GRAPHICSPRO",
        100,
        100,
        GRAPHICS_IMAGE,
    ),
    (
        "wsb-w10g4dn00",
        "Graphics.g4dn with Windows 10 (Server 2022 based)",
        "GRAPHICS_G4DN",
        100,
        100,
        GRAPHICS_IMAGE,
    ),
    (
        "wsb-w10gp4dn0",
        "GraphicsPro.g4dn with Windows 10 (Server 2022 based)",
        "GRAPHICSPRO_G4DN",
        100,
        100,
        GRAPHICS_IMAGE,
    ),
    (
        "wsb-al2value0",
        "Value with Amazon Linux 2",
        "VALUE",
        80,
        10,
        LINUX_IMAGE,
    ),
    (
        "wsb-al2stand0",
        "Standard with Amazon Linux 2",
        "STANDARD",
        80,
        50,
        LINUX_IMAGE,
    ),
    (
        "wsb-al2perf00",
        "Performance with Amazon Linux 2",
        "PERFORMANCE",
        80,
        100,
        LINUX_IMAGE,
    ),
    (
        "wsb-al2power0",
        "Power with Amazon Linux 2",
        "POWER",
        175,
        100,
        LINUX_IMAGE,
    ),
    (
        "wsb-al2ppro00",
        "PowerPro with Amazon Linux 2",
        "POWERPRO",
        175,
        100,
        LINUX_IMAGE,
    ),
];

const CIDR_RANGES: &[&str] = &[
    "10.200.0.0/16",
    "10.201.0.0/16",
    "10.202.0.0/16",
    "172.16.0.0/16",
    "172.17.0.0/16",
    "172.18.0.0/16",
    "192.168.0.0/16",
];

fn image(id: &str, name: &str, description: &str, os: (&str, &str, &str)) -> Image {
    let (os_type, os_name, protocol) = os;
    Image {
        id: id.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        os_type: os_type.to_owned(),
        os_name: os_name.to_owned(),
        protocol: protocol.to_owned(),
        state: "AVAILABLE".to_owned(),
        ready_at: None,
        required_tenancy: "DEFAULT".to_owned(),
        created: SEED_TIME,
        owner_account_id: None,
        update_available: false,
        update_description: None,
        shared_with: BTreeSet::new(),
        tags: Vec::new(),
    }
}

const WINDOWS: (&str, &str, &str) = ("WINDOWS", "WINDOWS_SERVER_2022", "PCOIP");

fn images() -> Vec<Image> {
    let mut legacy = image(
        "wsi-legacy001",
        "legacy-win10-base",
        "Windows 10 base image from 2023",
        ("WINDOWS", "WINDOWS_10", "PCOIP"),
    );
    legacy.owner_account_id = Some(ACCOUNT_ID.to_owned());
    legacy.update_available = true;
    legacy.update_description = Some("WorkSpaces agent and driver updates".to_owned());
    vec![
        image(
            WINDOWS_IMAGE,
            "Windows_10_Server_2022",
            "Windows 10 (Server 2022 based)",
            WINDOWS,
        ),
        image(
            GRAPHICS_IMAGE,
            "Windows_10_Graphics",
            "Windows 10 (Server 2019 based) with GPU drivers",
            ("WINDOWS", "WINDOWS_SERVER_2019", "PCOIP"),
        ),
        image(
            LINUX_IMAGE,
            "Amazon_Linux_2",
            "Amazon Linux 2",
            ("LINUX", "AMAZON_LINUX_2", "WSP"),
        ),
        legacy,
    ]
}

/// A Directory Service directory of the catalog, not registered.
fn catalog_directory(
    id: &str,
    name: &str,
    vpc: &str,
    subnets: [&str; 2],
    dns: [&str; 2],
) -> Directory {
    let alias = name.split('.').take(2).collect::<Vec<_>>().join("-");
    Directory {
        id: id.to_owned(),
        alias,
        name: name.to_owned(),
        registration_code: String::new(),
        subnet_ids: Vec::new(),
        dns_ip_addresses: dns.map(str::to_owned).to_vec(),
        customer_user_name: "Administrator".to_owned(),
        directory_type: "SIMPLE_AD".to_owned(),
        security_group_id: String::new(),
        state: directory_state::DEREGISTERED.to_owned(),
        tags: Vec::new(),
        ip_group_ids: Vec::new(),
        vpc_id: vpc.to_owned(),
        directory_subnet_ids: subnets.map(str::to_owned).to_vec(),
        state_until: None,
        tenancy: "SHARED".to_owned(),
        self_service: self_service_defaults(),
        access: access_defaults(),
        client: client_defaults(),
        creation: CreationProperties::default(),
    }
}

/// The Directory Service catalog of the seed.
pub(crate) fn directories() -> Vec<Directory> {
    let corp_subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"];
    let mut corp = catalog_directory(
        SEED_DIRECTORY_ID,
        "corp.example.com",
        CORP_VPC,
        corp_subnets,
        ["10.0.1.10", "10.0.2.10"],
    );
    corp.registration_code = "SLiad+KX4R7Q".to_owned();
    corp.subnet_ids = corp.directory_subnet_ids.clone();
    corp.security_group_id = "sg-0123456789abcdef0".to_owned();
    corp.state = directory_state::REGISTERED.to_owned();
    vec![
        corp,
        catalog_directory(
            "d-2345678901",
            "eng.example.com",
            CORP_VPC,
            ["subnet-0e1b2c3d4e5f60718", "subnet-0e2b2c3d4e5f60719"],
            ["10.0.3.10", "10.0.4.10"],
        ),
        catalog_directory(
            "d-3456789012",
            "lab.example.com",
            LAB_VPC,
            ["subnet-0c1b2c3d4e5f60718", "subnet-0c2b2c3d4e5f60719"],
            ["10.1.1.10", "10.1.2.10"],
        ),
        catalog_directory(
            "d-4567890123",
            "new.example.com",
            LAB_VPC,
            ["subnet-0c1b2c3d4e5f60718", "subnet-0c2b2c3d4e5f60719"],
            ["10.1.1.20", "10.1.2.20"],
        ),
    ]
}

/// A fresh copy of the seeded account.
pub(crate) fn account() -> Account {
    let bundles = BUNDLES
        .iter()
        .map(|&(id, name, compute, root, user, image)| Bundle {
            id: id.to_owned(),
            name: name.to_owned(),
            owner: "AMAZON".to_owned(),
            description: format!("{name}, {root} GB root and {user} GB user volume"),
            image_id: image.to_owned(),
            root_gib: root,
            user_gib: user,
            compute_type: compute.to_owned(),
            created: SEED_TIME,
            updated: SEED_TIME,
            tags: Vec::new(),
        })
        .collect();
    let byol = Byol {
        enabled: false,
        management_cidr: None,
        available_cidrs: CIDR_RANGES.iter().map(|c| (*c).to_owned()).collect(),
    };
    Account::new(
        ACCOUNT_ID.to_owned(),
        bundles,
        images(),
        directories(),
        byol,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::validate;

    #[test]
    fn seed_ids_follow_the_model_patterns() {
        let account = account();
        for b in account.bundles.values() {
            assert!(validate::bundle_id(&b.id, "id").is_ok(), "{}", b.id);
            assert!(account.images.contains_key(&b.image_id), "{}", b.image_id);
        }
        for i in account.images.keys() {
            assert!(validate::image_id(i, "id").is_ok(), "{i}");
        }
        for d in account.directories.values() {
            assert!(validate::directory_id(&d.id, "id").is_ok(), "{}", d.id);
            for s in &d.directory_subnet_ids {
                assert_eq!(
                    subnet(s).map(|(vpc, _)| vpc),
                    Some(d.vpc_id.as_str()),
                    "{s}"
                );
            }
        }
        for c in &account.byol.available_cidrs {
            assert!(validate::management_cidr(c, "range").is_ok(), "{c}");
        }
    }
}

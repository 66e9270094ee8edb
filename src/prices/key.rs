//! What sets a WorkSpace's price, read from what the account and the plan
//! say of it: compute type, volumes and running mode from the WorkSpace;
//! operating system, licence and included software from the WorkSpace or
//! its bundle and the bundle's image.

use serde::Serialize;

use super::{Offer, Unpriced, token};
use crate::live::{LiveBundle, LiveImage, LiveIndex, LiveWorkspace};
use crate::workspace_properties::{RunningMode, WorkspaceProperties};

/// The operating systems the Price List prices WorkSpaces for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Os {
    Windows,
    AmazonLinux,
    Ubuntu,
    RockyLinux,
    RedHat,
}

impl Os {
    /// The start of the Price List's `operatingSystem` value, as a token.
    fn token(self) -> &'static str {
        match self {
            Os::Windows => "windows",
            Os::AmazonLinux => "amazonlinux",
            Os::Ubuntu => "ubuntu",
            Os::RockyLinux => "rocky",
            Os::RedHat => "redhat",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Os::Windows => "Windows",
            Os::AmazonLinux => "Amazon Linux",
            Os::Ubuntu => "Ubuntu",
            Os::RockyLinux => "Rocky Linux",
            Os::RedHat => "Red Hat Enterprise Linux",
        }
    }

    /// From AWS's `OperatingSystemName` (`WINDOWS_11`, `AMAZON_LINUX_2`,
    /// `UBUNTU_22_04`, `RHEL_8`, `ROCKY_8`) or a bundle's name ("Standard
    /// with Amazon Linux 2"), which AWS's public bundles spell out.
    pub fn named_in(text: &str) -> Option<Os> {
        let text = token(text);
        [
            ("windows", Os::Windows),
            ("amazonlinux", Os::AmazonLinux),
            ("ubuntu", Os::Ubuntu),
            ("rocky", Os::RockyLinux),
            ("rhel", Os::RedHat),
            ("redhat", Os::RedHat),
        ]
        .into_iter()
        .find(|(word, _)| text.contains(word))
        .map(|(_, os)| os)
    }
}

/// One WorkSpace configuration, as priced.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PriceKey {
    /// AWS's compute type name: `STANDARD`, `GRAPHICS_G4DN`.
    pub compute: String,
    pub os: Os,
    /// Bring your own licence: the bundle's image is a BYOL import.
    pub byol: bool,
    /// Software the bundle includes (Office), as its name says; None for none.
    pub software: Option<String>,
    pub root_gib: i32,
    pub user_gib: i32,
    pub mode: RunningMode,
}

impl PriceKey {
    /// "STANDARD Windows (BYOL) with 80 GB root and 50 GB user volumes, AUTO_STOP".
    pub fn describe(&self) -> String {
        format!(
            "{} {}{}{} with {} GB root and {} GB user volumes, {}",
            self.compute,
            self.os.name(),
            if self.byol { " (BYOL)" } else { "" },
            self.software
                .as_deref()
                .map(|s| format!(" and {s}"))
                .unwrap_or_default(),
            self.root_gib,
            self.user_gib,
            self.mode.as_str()
        )
    }

    /// The offer is for this OS, licence and software (its bundle, mode
    /// and volumes are compared by the book).
    pub(super) fn matches(&self, offer: &Offer) -> bool {
        let os = offer
            .os
            .as_deref()
            .is_none_or(|os| os.starts_with(self.os.token()));
        let software = match (&self.software, &offer.software) {
            (None, None) => true,
            (Some(wanted), Some(listed)) => listed.contains(&token(wanted)),
            _ => false,
        };
        os && offer.byol.unwrap_or(false) == self.byol && software
    }
}

/// What a bundle tells of the WorkSpaces made from it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BundleFacts<'a> {
    pub name: &'a str,
    pub compute: Option<&'a str>,
    pub root_gib: Option<i32>,
    pub user_gib: Option<i32>,
    /// The image's OS type (`WINDOWS`, `LINUX`) and name, when it is read.
    pub image_os: Option<&'a str>,
    /// The image is a BYOL import (it requires dedicated tenancy).
    pub byol: bool,
}

impl<'a> BundleFacts<'a> {
    pub fn of_live(bundle: &'a LiveBundle, image: Option<&'a LiveImage>) -> Self {
        BundleFacts {
            name: &bundle.name,
            compute: bundle.compute_type.as_deref(),
            root_gib: bundle.root_volume_gib,
            user_gib: bundle.user_volume_gib,
            image_os: image.and_then(|i| i.operating_system.as_deref()),
            byol: image.is_some_and(LiveImage::is_byol) || token(&bundle.name).contains("byol"),
        }
    }
}

/// The price key of a WorkSpace with `properties` made from `bundle`:
/// what the WorkSpace says first, then the bundle.
pub fn key_of_bundle(
    bundle: &BundleFacts<'_>,
    properties: &WorkspaceProperties,
) -> Result<PriceKey, Unpriced> {
    let missing = |what: &str| Unpriced(format!("{what} is unknown"));
    let os = properties
        .operating_system_name
        .as_deref()
        .and_then(Os::named_in)
        .or_else(|| bundle.image_os.and_then(Os::named_in))
        .or_else(|| Os::named_in(bundle.name))
        .ok_or_else(|| {
            Unpriced(format!(
                "the operating system of bundle {:?} is unknown",
                bundle.name
            ))
        })?;
    let name = token(bundle.name);
    let software = ["microsoft365", "office"]
        .into_iter()
        .find(|s| name.contains(s))
        .map(str::to_owned);
    Ok(PriceKey {
        compute: properties
            .compute_type
            .as_deref()
            .or(bundle.compute)
            .ok_or_else(|| missing("the compute type"))?
            .to_owned(),
        os,
        byol: bundle.byol,
        software,
        root_gib: properties
            .root_volume_gib
            .or(bundle.root_gib)
            .ok_or_else(|| missing("the root volume size"))?,
        user_gib: properties
            .user_volume_gib
            .or(bundle.user_gib)
            .ok_or_else(|| missing("the user volume size"))?,
        // AWS's default for a WorkSpace created without one.
        mode: properties.running_mode.unwrap_or(RunningMode::AlwaysOn),
    })
}

/// The price key of a live WorkSpace.
pub fn key_of_live(workspace: &LiveWorkspace, index: &LiveIndex<'_>) -> Result<PriceKey, Unpriced> {
    let bundle = index.bundle(&workspace.bundle_id);
    let facts = match bundle {
        Some(bundle) => BundleFacts::of_live(
            bundle,
            bundle.image_id.as_deref().and_then(|id| index.image(id)),
        ),
        None => BundleFacts::default(),
    };
    key_of_bundle(&facts, &workspace.properties)
}

//! `[ip_groups.NAME]`: IP access control groups, found by name. The
//! group's file table (checked by `spec`), the data a plan's calls carry.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Origin;

/// `[ip_groups.NAME]`: an IP access control group named NAME in AWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpGroup {
    pub name: String,
    pub origin: Origin,
    pub description: Option<String>,
    /// Exactly these rules, in any order, when set.
    pub rules: Option<Vec<IpRule>>,
    pub tags: BTreeMap<String, String>,
}

/// One rule of an IP group: a range users may connect from.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct IpRule {
    /// An IPv4 range or address.
    pub source: String,
    pub description: Option<String>,
}

impl fmt::Display for IpRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.description {
            Some(description) => write!(f, "{} ({description})", self.source),
            None => f.write_str(&self.source),
        }
    }
}

/// An IP group of the file by name, or any group by id (`wsipg-…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpGroupRef {
    Name(String),
    Id(String),
}

/// Everything CreateIpGroup needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NewIpGroup {
    pub name: String,
    pub description: Option<String>,
    pub rules: Vec<IpRule>,
    /// Including the ownership tags.
    pub tags: BTreeMap<String, String>,
}

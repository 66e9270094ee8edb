//! What each kind is to the engines that iterate `Kind::ALL`: one
//! exhaustive match per concern, so a kind added to the list that misses a
//! concern does not compile. `Kind` itself and its address word stay in
//! the base module `address`, which parses addresses with the list and
//! may not use `kinds`.

use super::{connection_alias, ip_group};
use crate::address::Kind;

impl Kind {
    /// Its place where kinds are listed for people (the Markdown counts
    /// table, the commands' counts): the ones reviewers see most first.
    pub fn column(self) -> u8 {
        match self {
            Kind::Workspace => 0,
            Kind::Bundle => 1,
            Kind::Image => 2,
            Kind::Directory => 3,
            Kind::IpGroup => 4,
            Kind::Account => 5,
            Kind::ConnectionAlias => 6,
        }
    }

    /// Every kind in column order.
    pub fn by_column() -> impl Iterator<Item = Kind> {
        let mut kinds = Kind::ALL;
        kinds.sort_by_key(|k| k.column());
        kinds.into_iter()
    }

    /// How a count names it (one, many): "1 IP group", "2 IP groups". The
    /// account, one per region, is not counted.
    pub fn counted(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::Account => None,
            Kind::IpGroup => Some(("IP group", "IP groups")),
            Kind::Directory => Some(("directory", "directories")),
            Kind::Image => Some(("image", "images")),
            Kind::Bundle => Some(("bundle", "bundles")),
            Kind::Workspace => Some(("WorkSpace", "WorkSpaces")),
            Kind::ConnectionAlias => Some(("connection alias", "connection aliases")),
        }
    }

    /// Its resource type as ARNs write it and the Tagging API filters on
    /// it (`arn:aws:workspaces:REGION:ACCOUNT:workspace/ws-…`). The account
    /// is no tagged resource.
    pub fn tagging_type(self) -> Option<&'static str> {
        match self {
            Kind::Account => None,
            Kind::IpGroup => Some(ip_group::TAGGING_TYPE),
            Kind::Directory => Some("directory"),
            Kind::Image => Some("workspaceimage"),
            Kind::Bundle => Some("workspacebundle"),
            Kind::Workspace => Some("workspace"),
            Kind::ConnectionAlias => Some(connection_alias::TAGGING_TYPE),
        }
    }
}

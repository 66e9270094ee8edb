//! ARNs of the WorkSpaces resources that can carry tags, as the Resource
//! Groups Tagging API names them (service authorization reference):
//! `arn:aws:workspaces:{region}:{account}:{type}/{id}`.

use serde::{Deserialize, Serialize};

use super::seed::{ACCOUNT_ID, REGION};

/// A taggable resource type, in the order of its name in ARNs, so that
/// sorting by `(type, id)` sorts by ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum ResourceType {
    #[serde(rename = "connectionalias")]
    ConnectionAlias,
    #[serde(rename = "directory")]
    Directory,
    #[serde(rename = "workspace")]
    Workspace,
    #[serde(rename = "workspacebundle")]
    Bundle,
    #[serde(rename = "workspaceimage")]
    Image,
    #[serde(rename = "workspaceipgroup")]
    IpGroup,
}

impl ResourceType {
    pub(crate) const ALL: [ResourceType; 6] = [
        ResourceType::ConnectionAlias,
        ResourceType::Directory,
        ResourceType::Workspace,
        ResourceType::Bundle,
        ResourceType::Image,
        ResourceType::IpGroup,
    ];

    /// The resource type as written in ARNs and in `ResourceTypeFilters`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ResourceType::ConnectionAlias => "connectionalias",
            ResourceType::Directory => "directory",
            ResourceType::Workspace => "workspace",
            ResourceType::Bundle => "workspacebundle",
            ResourceType::Image => "workspaceimage",
            ResourceType::IpGroup => "workspaceipgroup",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// The service name in ARNs and in `ResourceTypeFilters`.
pub(crate) const SERVICE: &str = "workspaces";

/// A resource by type and id; orders like its ARN.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) struct ResourceKey {
    #[serde(rename = "type")]
    pub(crate) kind: ResourceType,
    pub(crate) id: String,
}

impl ResourceKey {
    pub(crate) fn new(kind: ResourceType, id: &str) -> Self {
        ResourceKey {
            kind,
            id: id.to_owned(),
        }
    }

    /// Reads `{type}/{id}`.
    pub(crate) fn parse_resource(text: &str) -> Option<Self> {
        let (kind, id) = text.split_once('/')?;
        let kind = ResourceType::from_name(kind)?;
        (!id.is_empty()).then(|| ResourceKey::new(kind, id))
    }

    /// The ARN of a resource of the simulated account.
    pub(crate) fn arn(kind: ResourceType, id: &str) -> String {
        format!(
            "arn:aws:{SERVICE}:{REGION}:{ACCOUNT_ID}:{}/{id}",
            kind.name()
        )
    }

    /// The resource an ARN names, if it is one of the simulated account's
    /// WorkSpaces resources; any other ARN names nothing here.
    pub(crate) fn from_arn(arn: &str) -> Option<Self> {
        let rest = arn.strip_prefix("arn:aws:")?;
        let rest = rest.strip_prefix(SERVICE)?.strip_prefix(':')?;
        let rest = rest.strip_prefix(REGION)?.strip_prefix(':')?;
        let rest = rest.strip_prefix(ACCOUNT_ID)?.strip_prefix(':')?;
        Self::parse_resource(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_like_their_arns() {
        let keys = [
            ResourceKey::new(ResourceType::Image, "wsi-a"),
            ResourceKey::new(ResourceType::Workspace, "ws-b"),
            ResourceKey::new(ResourceType::Bundle, "wsb-a"),
            ResourceKey::new(ResourceType::Directory, "d-1"),
            ResourceKey::new(ResourceType::Workspace, "ws-a"),
            ResourceKey::new(ResourceType::IpGroup, "wsipg-a"),
            ResourceKey::new(ResourceType::ConnectionAlias, "wsca-a"),
        ];
        let mut by_key = keys.to_vec();
        by_key.sort();
        let mut by_arn = keys.to_vec();
        by_arn.sort_by_key(|k| ResourceKey::arn(k.kind, &k.id));
        assert_eq!(by_key, by_arn);
    }

    #[test]
    fn arns_round_trip_and_foreign_ones_name_nothing() {
        let arn = ResourceKey::arn(ResourceType::Bundle, "wsb-abc123xyz");
        assert_eq!(
            arn,
            "arn:aws:workspaces:us-east-1:123456789012:workspacebundle/wsb-abc123xyz"
        );
        assert_eq!(
            ResourceKey::from_arn(&arn),
            Some(ResourceKey::new(ResourceType::Bundle, "wsb-abc123xyz"))
        );
        for foreign in [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            "arn:aws:workspaces:eu-west-1:123456789012:workspace/ws-1",
            "arn:aws:workspaces:us-east-1:210987654321:workspace/ws-1",
            "arn:aws:workspaces:us-east-1:123456789012:workspacepool/wspool-1",
            "arn:aws:workspaces:us-east-1:123456789012:workspace/",
            "not an arn",
        ] {
            assert_eq!(ResourceKey::from_arn(foreign), None, "{foreign}");
        }
    }
}

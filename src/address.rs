//! Resource addresses (`account`, `ip_group.NAME`, `directory.NAME`,
//! `image.NAME`, `bundle.NAME`, `workspace.NAME`, `connection_alias.NAME`): parsed once, used in errors, plans, `--target` and JSON.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Account,
    IpGroup,
    Directory,
    Image,
    Bundle,
    Workspace,
    ConnectionAlias,
}

impl Kind {
    /// Every kind, in the order a plan makes them: the one list that
    /// addresses parse, print and describe.
    pub const ALL: [Kind; 7] = [
        Kind::Account,
        Kind::IpGroup,
        Kind::Directory,
        Kind::Image,
        Kind::Bundle,
        Kind::Workspace,
        Kind::ConnectionAlias,
    ];

    /// The resource's name in AWS's words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Account => "account",
            Kind::IpGroup => "IP access control group",
            Kind::Directory => "directory",
            Kind::Image => "image",
            Kind::Bundle => "bundle",
            Kind::Workspace => "WorkSpace",
            Kind::ConnectionAlias => "connection alias",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Account => "account",
            Kind::IpGroup => "ip_group",
            Kind::Directory => "directory",
            Kind::Image => "image",
            Kind::Bundle => "bundle",
            Kind::Workspace => "workspace",
            Kind::ConnectionAlias => "connection_alias",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    kind: Kind,
    /// Empty for the account, which is one per region.
    name: String,
    /// A live resource this one replaced that is still to be deleted, as
    /// Terraform calls the old object of a create-before-destroy: an image
    /// superseded by its update.
    deposed: Option<String>,
}

impl Address {
    pub fn account() -> Self {
        Address {
            kind: Kind::Account,
            name: String::new(),
            deposed: None,
        }
    }

    pub fn ip_group(name: &str) -> Self {
        Self::named(Kind::IpGroup, name)
    }

    pub fn directory(name: &str) -> Self {
        Self::named(Kind::Directory, name)
    }

    pub fn image(name: &str) -> Self {
        Self::named(Kind::Image, name)
    }

    pub fn bundle(name: &str) -> Self {
        Self::named(Kind::Bundle, name)
    }

    pub fn workspace(name: &str) -> Self {
        Self::named(Kind::Workspace, name)
    }

    pub fn connection_alias(name: &str) -> Self {
        Self::named(Kind::ConnectionAlias, name)
    }

    fn named(kind: Kind, name: &str) -> Self {
        Address {
            kind,
            name: name.to_owned(),
            deposed: None,
        }
    }

    /// The same kind of resource under another name.
    pub fn renamed(&self, name: &str) -> Self {
        Address {
            name: name.to_owned(),
            ..self.clone()
        }
    }

    /// The old live object `id` of this resource, still to be deleted.
    pub fn deposed(&self, id: &str) -> Self {
        Address {
            deposed: Some(id.to_owned()),
            ..self.clone()
        }
    }

    pub fn is_deposed(&self) -> bool {
        self.deposed.is_some()
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Account => f.write_str("account")?,
            kind => write!(f, "{}.{}", kind.as_str(), self.name)?,
        }
        match &self.deposed {
            Some(id) => write!(f, " (deposed {id})"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a resource address: expected {shapes}", shapes = shapes(" or "))]
pub struct ParseAddressError(String);

/// "`account`, `ip_group.NAME`, … `last` `connection_alias.NAME`".
fn shapes(last: &str) -> String {
    let shapes: Vec<String> = Kind::ALL
        .iter()
        .map(|kind| match kind {
            Kind::Account => "`account`".to_owned(),
            kind => format!("`{}.NAME`", kind.as_str()),
        })
        .collect();
    match shapes.split_last() {
        Some((tail, head)) => format!("{}{last}{tail}", head.join(", ")),
        None => String::new(),
    }
}

impl FromStr for Address {
    type Err = ParseAddressError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some((resource, id)) = text
            .strip_suffix(')')
            .and_then(|t| t.split_once(" (deposed "))
        {
            return Ok(resource.parse::<Address>()?.deposed(id));
        }
        if text == "account" {
            return Ok(Address::account());
        }
        let invalid = || ParseAddressError(text.to_owned());
        let (kind, name) = text.split_once('.').ok_or_else(invalid)?;
        if name.is_empty() {
            return Err(invalid());
        }
        let kind = Kind::ALL
            .into_iter()
            .find(|k| *k != Kind::Account && k.as_str() == kind)
            .ok_or_else(invalid)?;
        Ok(Address::named(kind, name))
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Addresses are written as text in JSON, so the schema says text of the
/// address's shape rather than the struct's fields.
impl schemars::JsonSchema for Address {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Address".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let named: Vec<&str> = Kind::ALL
            .iter()
            .filter(|k| **k != Kind::Account)
            .map(|k| k.as_str())
            .collect();
        schemars::json_schema!({
            "type": "string",
            "description": format!("A resource address: {}; an old object still to be deleted adds ` (deposed ID)`.", shapes(" or ")),
            "pattern": format!("^(account|({})\\..+)( \\(deposed .+\\))?$", named.join("|")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for text in [
            "account",
            "ip_group.office",
            "directory.corp",
            "image.win11",
            "bundle.dev",
            "workspace.alice.smith",
            "connection_alias.desktop",
        ] {
            let address: Address = text.parse().unwrap();
            assert_eq!(address.to_string(), text);
        }
    }

    #[test]
    fn rejects_unknown_kinds_and_empty_names() {
        for text in ["", "workspace", "workspace.", "stack.x", "accounts"] {
            assert!(text.parse::<Address>().is_err(), "{text}");
        }
    }
}

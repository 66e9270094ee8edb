//! `[ip_groups.NAME]`: IP access control groups, found by name. AWS changes
//! a group's rules (UpdateRulesOfIpGroup) and tags, never its description:
//! a new description replaces a group no directory uses (DeleteIpGroup, then
//! CreateIpGroup of the same name), and is refused for a group in use, since
//! deleting it would first open the directories using it to every address.
//!
//! Here: the group's file table as written (`RawIpGroup`, its keys), read
//! (`read_table`) and checked (`check`, into `IpGroup`) on the machinery of
//! `file_table`, the rules AWS puts on it, its Tagging API resource type,
//! its live type, read and index, its planner on the shared skeleton
//! (`ownership`), its operations' payload, its calls, its import table and
//! the names its fingerprints cover.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use aws_sdk_workspaces::types::WorkspacesIpGroup;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::DeValue;

use super::ownership::{self, Found, InPlace, desired_tags, shown, text};
use super::{Action, AttributeChange, IdRef, Operation, PlanError, Planned, ResourceChange, Value};
use crate::address::Address;
use crate::aws::{ApiError, Aws, all_pages};
use crate::diagnostic::Origin;
use crate::file_table::{self, Check, Entry, Named, Notes, Reader, plain_tags, rules};
use crate::identity::{Owned, owned};
use crate::toml_text::{inline, key, plain, quoted, table_tags};

/// Its resource type in ARNs and the Tagging API.
pub const TAGGING_TYPE: &str = "workspaceipgroup";

/// The keys `[ip_groups.NAME]` and each of its rules take.
pub const IP_GROUP_KEYS: &[&str] = &["description", "rules", "tags"];
pub const IP_RULE_KEYS: &[&str] = &["source", "description"];

/// `[ip_groups.NAME]`: an IP access control group; NAME is its AWS group name.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "IpGroup")]
pub struct RawIpGroup {
    /// The group's description. AWS cannot change it later: a new description replaces a group no directory uses.
    #[schemars(with = "String")]
    pub description: Option<Spanned<String>>,
    /// The address ranges users may connect from: at most 10.
    #[schemars(with = "Vec<RawIpRule>", length(max = 10))]
    pub rules: Option<Spanned<Vec<Spanned<RawIpRule>>>>,
    /// Tags on the group; wsctl adds its `wsctl:` ownership tags.
    #[schemars(with = "BTreeMap<String, String>")]
    pub tags: Option<Spanned<BTreeMap<Spanned<String>, Spanned<String>>>>,
}

/// One rule: `{ source = "203.0.113.0/24", description = "office" }`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "IpRule")]
pub struct RawIpRule {
    /// An IPv4 range (`203.0.113.0/24`) or address (`198.51.100.7`). Required.
    #[schemars(with = "String")]
    pub source: Option<Spanned<String>>,
    /// What the range is, for people.
    #[schemars(with = "String")]
    pub description: Option<Spanned<String>>,
}

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

/// AWS takes at most 10 rules in an IP access control group.
pub const MAX_IP_RULES: usize = 10;
/// And at most 25 groups on a directory (AssociateIpGroups).
pub const MAX_DIRECTORY_IP_GROUPS: usize = 25;

/// An IPv4 address, or an IPv4 range whose address has no bits set past
/// its prefix (`10.0.0.0/8`, not `10.1.0.0/8`): the rules AWS accepts.
pub fn ipv4_cidr_problem(s: &str) -> Option<String> {
    let (address, prefix) = match s.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (s, None),
    };
    let Ok(address) = address.parse::<std::net::Ipv4Addr>() else {
        return Some("not an IPv4 address or range".to_owned());
    };
    let prefix = prefix?;
    let bits = match prefix.parse::<u32>() {
        Ok(bits) if bits <= 32 && (bits == 0 || !prefix.starts_with('0')) => bits,
        _ => return Some(format!("`/{prefix}` is not a prefix length of 0–32")),
    };
    let host_bits = u32::from(address) & u32::MAX.checked_shr(bits).unwrap_or(0);
    (host_bits != 0).then(|| {
        let network = u32::from(address) & !u32::MAX.checked_shr(bits).unwrap_or(0);
        format!(
            "{address} has bits set past /{bits}; the range is {}/{bits}",
            std::net::Ipv4Addr::from(network)
        )
    })
}

/// `[ip_groups.NAME]` as read: the keys of each of its `rules` checked too.
pub(crate) fn read_table(
    reader: &mut Reader,
    key: file_table::Key<'_>,
    mut value: file_table::Value<'_>,
) -> Option<Entry<RawIpGroup>> {
    let mut reported = Vec::new();
    if let DeValue::Table(table) = value.get_mut()
        && let Some(rules) = table.get_mut("rules")
        && let DeValue::Array(rules) = rules.get_mut()
    {
        for rule in rules.iter_mut() {
            if let DeValue::Table(rule) = rule.get_mut() {
                reader.check_keys(rule, IP_RULE_KEYS, "a rule", &mut reported);
            }
        }
    }
    let mut entry = reader.entry("ip_groups", key, value, IP_GROUP_KEYS, &[])?;
    entry.reported.extend(reported);
    Some(entry)
}

/// `[ip_groups.NAME]` checked: its name, description, tags and rules.
pub(crate) fn check(check: &mut Check, entry: &Entry<RawIpGroup>) -> Option<IpGroup> {
    let group = &entry.value;
    check.resource_name(entry, "IP group");
    // The model puts no pattern on a group's description, unlike an
    // image's: any text without control characters.
    if let Some(description) = &group.description {
        check.plain_text(description, "a description");
    }
    check.tags(group.tags.as_ref());
    let rules = group
        .rules
        .as_ref()
        .map(|rules| check_rules(check, rules, &entry.reported));
    Some(IpGroup {
        name: entry.name.clone(),
        origin: check.origin(entry.span.start),
        description: group.description.as_ref().map(|d| d.get_ref().clone()),
        rules: rules.map(|r| r.ok_or(())).transpose().ok()?,
        tags: plain_tags(group.tags.as_ref()),
    })
}

/// `reported`: keys already reported as misspelt, so a rule that spelt
/// `source` wrongly is not also missing it.
fn check_rules(
    check: &mut Check,
    rules: &Spanned<Vec<Spanned<RawIpRule>>>,
    reported: &[String],
) -> Option<Vec<IpRule>> {
    let count = rules.get_ref().len();
    if count > MAX_IP_RULES {
        check
            .error(
                rules.span(),
                format!("too many rules: {count}"),
                format!("at most {}", MAX_IP_RULES),
            )
            .with_note(
                "AWS allows 10 rules in an IP access control group; split them over several groups",
            );
    }
    let mut seen: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    let mut checked = Vec::new();
    let mut ok = count <= MAX_IP_RULES;
    for rule in rules.get_ref() {
        let Some(source) = &rule.get_ref().source else {
            if !reported.iter().any(|k| k == "source") {
                check
                    .error(rule.span(), "missing `source`", "a rule needs `source`")
                    .with_help("write `{ source = \"203.0.113.0/24\", description = \"office\" }`");
            }
            ok = false;
            continue;
        };
        if let Some(problem) = ipv4_cidr_problem(source.get_ref()) {
            check
                .error(
                    source.span(),
                    format!("invalid rule source `{}`", source.get_ref()),
                    problem,
                )
                .with_help("a source is an IPv4 range such as `203.0.113.0/24`, or one address");
            ok = false;
        } else if let Some(first) = seen.insert(source.get_ref(), source.span()) {
            let line = check.origin(first.start).line;
            check
                .error(
                    source.span(),
                    format!("duplicate rule source `{}`", source.get_ref()),
                    "written twice",
                )
                .with_note(format!("first on line {line}"));
            ok = false;
        }
        let description = rule.get_ref().description.as_ref();
        if let Some(d) = description {
            check.plain_text(d, "a rule description");
        }
        checked.push(IpRule {
            source: source.get_ref().clone(),
            description: description.map(|d| d.get_ref().clone()),
        });
    }
    ok.then_some(checked)
}

impl Named for IpGroup {
    fn name(&self) -> &str {
        &self.name
    }
}

/// `wsipg-[0-9a-z]{8,63}$`
pub fn is_ip_group_id(s: &str) -> bool {
    rules::is_id(s, "wsipg-", 8, 63, rules::lower_alnum)
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

/// A group as DescribeIpGroups reports it, with its tags.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveIpGroup {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub rules: Vec<IpRule>,
    pub tags: BTreeMap<String, String>,
}

owned!(LiveIpGroup, |g| format!("IP group {} ({})", g.id, g.name));

/// DescribeIpGroups has no SDK paginator: paged by hand, `page_size`
/// groups a call. Sorted by id.
pub async fn read(aws: &Aws, page_size: i32) -> Result<Vec<LiveIpGroup>, ApiError> {
    let mut groups = all_pages(
        aws,
        "DescribeIpGroups",
        |token| {
            aws.workspaces
                .describe_ip_groups()
                .max_results(page_size)
                .set_next_token(token)
                .send()
        },
        |page, groups| {
            groups.extend(page.result().iter().map(live_ip_group));
            page.next_token().map(str::to_owned)
        },
    )
    .await?;
    groups.sort_by(|a: &LiveIpGroup, b| a.id.cmp(&b.id));
    Ok(groups)
}

fn live_ip_group(group: &WorkspacesIpGroup) -> LiveIpGroup {
    LiveIpGroup {
        id: group.group_id().unwrap_or_default().to_owned(),
        name: group.group_name().unwrap_or_default().to_owned(),
        description: group
            .group_desc()
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        rules: group
            .user_rules()
            .iter()
            .map(|rule| IpRule {
                source: rule.ip_rule().unwrap_or_default().to_owned(),
                description: rule
                    .rule_desc()
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
            })
            .collect(),
        tags: Default::default(),
    }
}

/// The account's groups by id and by name, built once per plan.
pub struct Index<'a> {
    by_id: HashMap<&'a str, &'a LiveIpGroup>,
    named: HashMap<&'a str, Vec<&'a LiveIpGroup>>,
}

impl<'a> Index<'a> {
    pub fn new(groups: &'a [LiveIpGroup]) -> Self {
        let mut index = Index {
            by_id: HashMap::new(),
            named: HashMap::new(),
        };
        for group in groups {
            index.by_id.entry(&group.id).or_insert(group);
            index.named.entry(&group.name).or_default().push(group);
        }
        index
    }

    pub fn get(&self, id: &str) -> Option<&'a LiveIpGroup> {
        self.by_id.get(id).copied()
    }

    /// The groups named `name`: AWS keeps group names unique, so one.
    pub fn named(&self, name: &str) -> &[&'a LiveIpGroup] {
        self.named.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The names a saved plan's fingerprints key groups on: the file's
/// groups and the stack's, whether the file still has them or not.
pub fn fingerprinted<'a>(
    file: &'a [IpGroup],
    live: &'a [LiveIpGroup],
    stack: &'a str,
) -> impl Iterator<Item = &'a str> {
    let file = file.iter().map(|g| g.name.as_str());
    ownership::fingerprinted(file, live, stack, |g| &g.name)
}

/// What the group planner reads, given explicitly: it needs nothing of
/// the engines' state.
pub struct Inputs<'a> {
    pub stack: &'a str,
    /// The file's groups.
    pub file: &'a [IpGroup],
    /// The account's groups, sorted by id.
    pub live: &'a [LiveIpGroup],
    /// The account's directories, with the groups associated with each.
    pub directories: Vec<Associated<'a>>,
}

/// A live directory and the groups associated with it.
pub struct Associated<'a> {
    pub directory_id: &'a str,
    pub group_ids: &'a [String],
    /// The directory planner disassociates the groups of this directory
    /// the file does not name, so a group's deletion need not.
    pub lets_go_itself: bool,
}

/// Plans every group of the file; returns each one's id, live or to be
/// created, for the directories that name it.
pub fn plan(cx: &Inputs, planned: &mut Planned) -> HashMap<String, IdRef> {
    let mut ids = HashMap::new();
    for group in cx.file {
        match plan_one(cx, group, planned) {
            Ok(id) => {
                ids.insert(group.name.clone(), id);
            }
            Err(error) => planned.errors.push(error),
        }
    }
    let named: HashSet<&str> = cx.file.iter().map(|g| g.name.as_str()).collect();
    for group in cx.live {
        if group.stack() == Some(cx.stack) && !named.contains(group.name.as_str()) {
            planned.changes.push(delete(cx, group));
        }
    }
    ids
}

fn plan_one(cx: &Inputs, group: &IpGroup, planned: &mut Planned) -> Result<IdRef, PlanError> {
    let address = Address::ip_group(&group.name);
    let found = ownership::by_key(
        cx.stack,
        cx.live.iter().filter(|live| live.name == group.name),
        &address,
        &group.origin,
    )?;
    let Some(existing) = found.live() else {
        planned.changes.push(create(cx, group, &address));
        return Ok(IdRef::created_by(address));
    };
    let adopt = matches!(found, Found::Unowned(_));
    if let Some(wanted) = &group.description
        && existing.description.as_deref() != Some(wanted.as_str())
    {
        return replace(cx, group, existing, adopt, planned);
    }
    let mut change =
        InPlace::retagged(cx.stack, address, existing, adopt, &group.name, &group.tags);
    if let Some(rules) = &group.rules
        && sorted(rules) != sorted(&existing.rules)
    {
        change.attributes.push(AttributeChange {
            name: "rules".into(),
            before: Some(text(&listed(&existing.rules))),
            after: Some(text(&listed(rules))),
            forces_replacement: false,
        });
        change.operations.push(Operation::UpdateIpRules {
            group_id: existing.id.clone(),
            rules: rules.clone(),
        });
    }
    change.settle(planned, None);
    Ok(IdRef::Id(existing.id.clone()))
}

/// AWS keeps no order of rules: the same set is the same group.
fn sorted(rules: &[IpRule]) -> BTreeSet<&IpRule> {
    rules.iter().collect()
}

fn listed(rules: &[IpRule]) -> String {
    let mut shown: Vec<String> = rules.iter().map(ToString::to_string).collect();
    shown.sort();
    match shown.is_empty() {
        true => "none".to_owned(),
        false => shown.join(", "),
    }
}

/// The live directories that have `group_id` associated.
fn users<'a>(cx: &'a Inputs, group_id: &str) -> impl Iterator<Item = &'a Associated<'a>> {
    cx.directories
        .iter()
        .filter(move |d| d.group_ids.iter().any(|g| g == group_id))
}

/// A new description: the group made anew, if nothing uses it and it is ours.
fn replace(
    cx: &Inputs,
    group: &IpGroup,
    existing: &LiveIpGroup,
    adopt: bool,
    planned: &mut Planned,
) -> Result<IdRef, PlanError> {
    let address = Address::ip_group(&group.name);
    let refuse = |message: String, help: &str| PlanError {
        address: address.clone(),
        origin: Some(Box::new(group.origin.clone())),
        message,
        help: Some(help.to_owned()),
    };
    let before = existing.description.as_deref().unwrap_or("none");
    if adopt {
        return Err(refuse(
            format!(
                "IP group {} has the description {before:?}; AWS cannot change a description, and wsctl replaces only groups of its stack",
                existing.id
            ),
            "leave `description` out (or write the group's own) to adopt the group, then change it in a later apply",
        ));
    }
    let users: Vec<&str> = users(cx, &existing.id).map(|d| d.directory_id).collect();
    if !users.is_empty() {
        return Err(refuse(
            format!(
                "IP group {} is associated with {}; AWS cannot change a description, and replacing the group would leave those directories open to every address meanwhile",
                existing.id,
                users.join(", ")
            ),
            "keep the description, or give the group a new name: wsctl creates it and moves the directories to it",
        ));
    }
    let mut create = create(cx, group, &address);
    let mut attributes = vec![AttributeChange {
        name: "description".into(),
        before: Some(text(before)),
        after: group.description.as_deref().map(text),
        forces_replacement: true,
    }];
    attributes.extend(
        create
            .attributes
            .drain(..)
            .filter(|a| a.name != "description"),
    );
    let mut operations = vec![Operation::DeleteIpGroup {
        group_id: existing.id.clone(),
    }];
    operations.append(&mut create.operations);
    planned.changes.push(ResourceChange {
        action: Action::Replace,
        reason: format!(
            "AWS cannot change an IP group's description, and no directory uses {}: it is deleted and created again with the same rules",
            existing.id
        ),
        id: Some(existing.id.clone()),
        attributes,
        operations,
        ..create
    });
    Ok(IdRef::created_by(address))
}

fn create(cx: &Inputs, group: &IpGroup, address: &Address) -> ResourceChange {
    let tags = desired_tags(cx.stack, &group.name, &group.tags);
    let rules = group.rules.clone().unwrap_or_default();
    let attributes = shown(
        vec![
            ("name", Some(text(&group.name))),
            ("description", group.description.as_deref().map(text)),
            ("rules", Some(text(&listed(&rules)))),
            ("tags", Some(Value::Tags(tags.clone()))),
        ],
        true,
    );
    ownership::creation(
        address.clone(),
        format!("no IP group is named {}", group.name),
        attributes,
        vec![Operation::CreateIpGroup(NewIpGroup {
            name: group.name.clone(),
            description: group.description.clone(),
            rules,
            tags,
        })],
    )
}

/// Deleting a group the file no longer has. Directories that keep it
/// associated and that this plan leaves alone (the file does not manage
/// their `ip_groups`, or does not name them) let go of it first.
fn delete(cx: &Inputs, group: &LiveIpGroup) -> ResourceChange {
    let mut operations: Vec<Operation> = users(cx, &group.id)
        .filter(|directory| !directory.lets_go_itself)
        .map(|directory| Operation::DisassociateIpGroups {
            directory_id: directory.directory_id.to_owned(),
            group_ids: vec![group.id.clone()],
        })
        .collect();
    operations.push(Operation::DeleteIpGroup {
        group_id: group.id.clone(),
    });
    ownership::deletion(
        cx.stack,
        Address::ip_group(group.name_tag().unwrap_or(&group.name)),
        group,
        vec![
            ("name", Some(text(&group.name))),
            ("rules", Some(text(&listed(&group.rules)))),
        ],
        operations,
    )
}

/// The id a directory's `ip_groups` entry names.
pub fn resolve(ids: &HashMap<String, IdRef>, group: &IpGroupRef) -> Option<IdRef> {
    match group {
        IpGroupRef::Id(id) => Some(IdRef::Id(id.clone())),
        IpGroupRef::Name(name) => ids.get(name).cloned(),
    }
}

/// `[ip_groups.NAME]` as import writes the live `group`: a description or
/// rules the file cannot hold are left out, so unmanaged.
pub fn import_table(name: &str, group: &LiveIpGroup) -> String {
    let mut out = format!("\n[ip_groups.{}]\n", key(name));
    if let Some(description) = group.description.as_deref().filter(|d| plain(d)) {
        out.push_str(&format!("description = {}\n", quoted(description)));
    }
    let writable = group.rules.len() <= MAX_IP_RULES
        && group.rules.iter().all(|r| {
            ipv4_cidr_problem(&r.source).is_none() && r.description.as_deref().is_none_or(plain)
        });
    if writable {
        let rules: Vec<String> = group
            .rules
            .iter()
            .map(|rule| {
                let mut pairs = vec![format!("source = {}", quoted(&rule.source))];
                if let Some(description) = &rule.description {
                    pairs.push(format!("description = {}", quoted(description)));
                }
                inline(&pairs)
            })
            .collect();
        out.push_str(&format!("rules = [{}]\n", rules.join(", ")));
    }
    out.push_str(&table_tags(&group.tags));
    out
}

/// The calls apply makes for IP groups, one function a call.
pub mod calls {
    use aws_sdk_workspaces::Client;
    use aws_sdk_workspaces::types::IpRuleItem;

    use super::{IpRule, NewIpGroup};
    use crate::aws::{ApiError, api_error};
    use crate::kinds::tags;

    fn ip_rules(rules: &[IpRule]) -> Vec<IpRuleItem> {
        rules
            .iter()
            .map(|rule| {
                IpRuleItem::builder()
                    .ip_rule(&rule.source)
                    .set_rule_desc(rule.description.clone())
                    .build()
            })
            .collect()
    }

    /// CreateIpGroup, its rules and tags in the one call. Returns the new id.
    pub async fn create(client: &Client, group: &NewIpGroup) -> Result<String, ApiError> {
        let output = client
            .create_ip_group()
            .group_name(&group.name)
            .set_group_desc(group.description.clone())
            .set_user_rules(Some(ip_rules(&group.rules)))
            .set_tags(Some(tags(&group.tags)?))
            .send()
            .await
            .map_err(|e| api_error("CreateIpGroup", e))?;
        output
            .group_id()
            .map(str::to_owned)
            .ok_or_else(|| ApiError {
                operation: "CreateIpGroup",
                code: "MissingGroupId".to_owned(),
                message: format!("the answer for IP group {} named no group id", group.name),
            })
    }

    pub async fn update_rules(
        client: &Client,
        group_id: &str,
        rules: &[IpRule],
    ) -> Result<(), ApiError> {
        client
            .update_rules_of_ip_group()
            .group_id(group_id)
            .set_user_rules(Some(ip_rules(rules)))
            .send()
            .await
            .map_err(|e| api_error("UpdateRulesOfIpGroup", e))?;
        Ok(())
    }

    pub async fn delete(client: &Client, group_id: &str) -> Result<(), ApiError> {
        client
            .delete_ip_group()
            .group_id(group_id)
            .send()
            .await
            .map_err(|e| api_error("DeleteIpGroup", e))?;
        Ok(())
    }

    pub async fn associate(
        client: &Client,
        directory_id: &str,
        group_ids: Vec<String>,
    ) -> Result<(), ApiError> {
        client
            .associate_ip_groups()
            .directory_id(directory_id)
            .set_group_ids(Some(group_ids))
            .send()
            .await
            .map_err(|e| api_error("AssociateIpGroups", e))?;
        Ok(())
    }

    pub async fn disassociate(
        client: &Client,
        directory_id: &str,
        group_ids: &[String],
    ) -> Result<(), ApiError> {
        client
            .disassociate_ip_groups()
            .directory_id(directory_id)
            .set_group_ids(Some(group_ids.to_vec()))
            .send()
            .await
            .map_err(|e| api_error("DisassociateIpGroups", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_workspaces::types::IpRuleItem;

    use super::*;
    use crate::identity::STACK_TAG;

    /// A live group of stack `eng` (or of none).
    fn live(id: &str, name: &str, owned: bool) -> LiveIpGroup {
        let tags = match owned {
            true => BTreeMap::from([(STACK_TAG.to_owned(), "eng".to_owned())]),
            false => BTreeMap::new(),
        };
        LiveIpGroup {
            id: id.to_owned(),
            name: name.to_owned(),
            tags,
            ..LiveIpGroup::default()
        }
    }

    #[test]
    fn a_dropped_group_is_let_go_only_by_the_directories_that_would_not_let_go_themselves() {
        let groups = [live("wsipg-old12345", "old", true)];
        let ids = [String::from("wsipg-old12345")];
        let inputs = Inputs {
            stack: "eng",
            file: &[],
            live: &groups,
            directories: vec![
                Associated {
                    directory_id: "d-1111111111",
                    group_ids: &ids,
                    lets_go_itself: true,
                },
                Associated {
                    directory_id: "d-2222222222",
                    group_ids: &ids,
                    lets_go_itself: false,
                },
            ],
        };
        let mut planned = Planned::default();
        let created = plan(&inputs, &mut planned);
        assert!(created.is_empty());
        assert!(planned.errors.is_empty());
        let [change] = planned.changes.as_slice() else {
            panic!("one change expected: {:#?}", planned.changes);
        };
        assert_eq!(change.action, Action::Delete);
        assert_eq!(
            change.operations,
            [
                Operation::DisassociateIpGroups {
                    directory_id: "d-2222222222".to_owned(),
                    group_ids: ids.to_vec(),
                },
                Operation::DeleteIpGroup {
                    group_id: "wsipg-old12345".to_owned(),
                },
            ]
        );
    }

    #[test]
    fn fingerprints_cover_the_files_groups_and_the_stacks_not_anothers() {
        let file = [IpGroup {
            name: "office".to_owned(),
            origin: Origin {
                file: "fleet.toml".to_owned(),
                line: 1,
                column: 1,
            },
            description: None,
            rules: None,
            tags: BTreeMap::new(),
        }];
        let live = [
            live("wsipg-a1234567", "office", false),
            live("wsipg-b1234567", "dropped", true),
            live("wsipg-c1234567", "unrelated", false),
        ];
        let names: Vec<&str> = fingerprinted(&file, &live, "eng").collect();
        assert_eq!(names, ["office", "dropped"]);
    }

    #[test]
    fn a_described_group_reads_as_its_rules_and_an_empty_description_as_none() {
        let group = WorkspacesIpGroup::builder()
            .group_id("wsipg-abc12345")
            .group_name("office")
            .group_desc("")
            .user_rules(
                IpRuleItem::builder()
                    .ip_rule("203.0.113.0/24")
                    .rule_desc("hq")
                    .build(),
            )
            .user_rules(IpRuleItem::builder().ip_rule("198.51.100.7").build())
            .build();
        let live = live_ip_group(&group);
        assert_eq!(live.name, "office");
        assert_eq!(live.description, None);
        assert_eq!(
            live.rules,
            [
                IpRule {
                    source: "203.0.113.0/24".to_owned(),
                    description: Some("hq".to_owned())
                },
                IpRule {
                    source: "198.51.100.7".to_owned(),
                    description: None
                },
            ]
        );
    }

    #[test]
    fn group_ids() {
        assert!(is_ip_group_id("wsipg-abc12345"));
        assert!(!is_ip_group_id("wsipg-short"));
    }

    #[test]
    fn ip_rule_sources() {
        for good in ["203.0.113.0/24", "198.51.100.7", "0.0.0.0/0", "10.0.0.1/32"] {
            assert_eq!(ipv4_cidr_problem(good), None, "{good}");
        }
        assert_eq!(
            ipv4_cidr_problem("10.1.0.0/8").as_deref(),
            Some("10.1.0.0 has bits set past /8; the range is 10.0.0.0/8")
        );
        for bad in [
            "10.0.0.0/33",
            "10.0.0/24",
            "2001:db8::/32",
            "10.0.0.0/",
            "x",
            "10.0.0.0/08",
        ] {
            assert!(ipv4_cidr_problem(bad).is_some(), "{bad}");
        }
    }
}

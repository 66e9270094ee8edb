//! The registered directories, IP access control groups and connection
//! aliases an import writes, each as the fleet file says it: a value the
//! file cannot hold (a description with control characters, a setting AWS
//! reported in a form the file refuses) is left unmanaged rather than
//! written wrongly.

use std::collections::{BTreeMap, HashMap};

use super::text::{key, plain, quoted};
use super::{LeftOut, Options, because, file_name, ownership, table_tags, unwritable_tags};
use crate::directory_settings::{Group, GroupSettings, Setting, Tenancy};
use crate::kinds::{connection_alias, ip_group};
use crate::live::{LiveConnectionAlias, LiveDirectory, LiveIpGroup, LiveState, Owned};
use crate::spec;
use crate::states::DirectoryState;

/// What the file writes of the account's environment, each kind by file
/// name.
pub(super) struct Environment<'a> {
    pub(super) ip_groups: BTreeMap<String, &'a LiveIpGroup>,
    pub(super) directories: BTreeMap<String, &'a LiveDirectory>,
    pub(super) aliases: BTreeMap<String, &'a LiveConnectionAlias>,
}

pub(super) fn environment<'a>(
    live: &'a LiveState,
    options: &Options,
    left_out: &mut Vec<LeftOut>,
) -> Environment<'a> {
    Environment {
        ip_groups: ip_groups(live, options, left_out),
        directories: directories(live, options, left_out),
        aliases: aliases(live, options, left_out),
    }
}

fn ip_groups<'a>(
    live: &'a LiveState,
    options: &Options,
    left_out: &mut Vec<LeftOut>,
) -> BTreeMap<String, &'a LiveIpGroup> {
    let mut kept = BTreeMap::new();
    for group in &live.ip_groups {
        let what = format!("IP group {} ({})", group.id, group.name);
        // The group's name is its natural key: the file must use it.
        let name = file_name(group, &group.name, options).filter(|n| *n == group.name);
        let why = match (ownership(group, options), name) {
            (Some(why), _) => Some(why),
            _ if unwritable_tags(&group.tags).is_some() => unwritable_tags(&group.tags),
            (None, None) => because(super::NAME_REFUSED),
            (None, Some(name)) if kept.contains_key(name) => {
                because(format!("another IP group is named `{name}` too"))
            }
            (None, Some(name)) => {
                kept.insert(name.to_owned(), group);
                None
            }
        };
        if let Some(why) = why {
            left_out.push(LeftOut { what, why });
        }
    }
    kept
}

/// The directories whose WorkSpaces were read, by the `wsctl:name` this
/// stack gave them, else by id.
fn directories<'a>(
    live: &'a LiveState,
    options: &Options,
    left_out: &mut Vec<LeftOut>,
) -> BTreeMap<String, &'a LiveDirectory> {
    let mut kept = BTreeMap::new();
    for directory in &live.directories {
        if !options.directories.contains(&directory.id) {
            continue;
        }
        let what = format!("directory {}", directory.id);
        let name = match (directory.stack(), directory.name_tag()) {
            (Some(stack), Some(given)) if stack == options.stack => given,
            _ => directory.id.as_str(),
        };
        let why = match ownership(directory, options) {
            Some(why) => Some(why),
            None if directory.state != DirectoryState::Registered => because(format!(
                "{}: only a registered directory is adopted",
                directory.state
            )),
            None if unwritable_tags(&directory.tags).is_some() => unwritable_tags(&directory.tags),
            None if kept.contains_key(name) => {
                because(format!("another directory is named `{name}` too"))
            }
            None => {
                kept.insert(name.to_owned(), directory);
                None
            }
        };
        if let Some(why) = why {
            left_out.push(LeftOut { what, why });
        }
    }
    kept
}

/// Aliases by the `wsctl:name` this stack gave them, else by connection
/// string where that is a name, else by id.
fn aliases<'a>(
    live: &'a LiveState,
    options: &Options,
    left_out: &mut Vec<LeftOut>,
) -> BTreeMap<String, &'a LiveConnectionAlias> {
    let mut kept = BTreeMap::new();
    for alias in &live.connection_aliases {
        let what = format!(
            "connection alias {} ({})",
            alias.id, alias.connection_string
        );
        let name = file_name(alias, &alias.connection_string, options).unwrap_or(&alias.id);
        let why = match ownership(alias, options) {
            Some(why) => Some(why),
            None if alias.is_deleting() => because("DELETING: it is on its way out"),
            None if !spec::is_connection_string(&alias.connection_string) => {
                because("its connection string is not a domain name the file accepts")
            }
            None if unwritable_tags(&alias.tags).is_some() => unwritable_tags(&alias.tags),
            None if kept.contains_key(name) => {
                because(format!("another connection alias is named `{name}` too"))
            }
            None => {
                kept.insert(name.to_owned(), alias);
                None
            }
        };
        if let Some(why) = why {
            left_out.push(LeftOut { what, why });
        }
    }
    kept
}

/// `[ip_groups]`, `[directories]` and `[connection_aliases]`, in that
/// order.
pub(super) fn environment_tables(environment: &Environment) -> String {
    let mut out = String::new();
    for (name, group) in &environment.ip_groups {
        out.push_str(&ip_group::import_table(name, group));
    }
    let group_names: HashMap<&str, &str> = environment
        .ip_groups
        .iter()
        .map(|(name, group)| (group.id.as_str(), name.as_str()))
        .collect();
    for (name, directory) in &environment.directories {
        out.push_str(&directory_table(name, directory, &group_names));
    }
    for (name, alias) in &environment.aliases {
        out.push_str(&connection_alias::import_table(name, alias));
    }
    out
}

fn list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| quoted(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn directory_table(
    name: &str,
    directory: &LiveDirectory,
    group_names: &HashMap<&str, &str>,
) -> String {
    let mut out = format!(
        "\n[directories.{}]\ndirectory_id = {}\n",
        key(name),
        quoted(&directory.id)
    );
    let subnets_ok = (1..=2).contains(&directory.subnet_ids.len())
        && directory.subnet_ids.iter().all(|s| spec::is_subnet_id(s));
    if subnets_ok {
        out.push_str(&format!("subnet_ids = {}\n", list(&directory.subnet_ids)));
    }
    // A tenancy AWS added after wsctl is not one the file can hold.
    if let Some(tenancy) = directory
        .tenancy
        .as_ref()
        .filter(|t| matches!(t, Tenancy::Shared | Tenancy::Dedicated))
    {
        out.push_str(&format!(
            "tenancy = {}\n",
            quoted(&tenancy.as_str().to_ascii_lowercase())
        ));
    }
    // A group the file does not write (another stack's) goes by its id.
    let groups: Option<Vec<&str>> = directory
        .ip_group_ids
        .iter()
        .map(|id| match group_names.get(id.as_str()) {
            Some(name) => Some(*name),
            None => spec::is_ip_group_id(id).then_some(id.as_str()),
        })
        .collect();
    if let Some(groups) = groups.filter(|g| g.len() <= spec::MAX_DIRECTORY_IP_GROUPS) {
        out.push_str(&format!("ip_groups = {}\n", list(groups)));
    }
    out.push_str(&table_tags(&directory.tags));
    for group in Group::ALL {
        let Some(settings) = directory.settings.get(&group) else {
            continue;
        };
        let pairs = settings_lines(group, settings);
        if !pairs.is_empty() {
            out.push_str(&format!("\n[directories.{}.{}]\n", key(name), group.key()));
            for pair in pairs {
                out.push_str(&pair);
                out.push('\n');
            }
        }
    }
    out
}

/// A group's settings the file can hold, in the file's order of keys.
fn settings_lines(group: Group, settings: &GroupSettings) -> Vec<String> {
    group
        .keys()
        .iter()
        .filter_map(|k| {
            let value = match settings.get(*k)? {
                Setting::Bool(on) => on.to_string(),
                Setting::Number(n) if (0..=i64::from(i32::MAX)).contains(n) => n.to_string(),
                Setting::Number(_) => return None,
                Setting::Text(text) if writable_setting(group, k, text) => quoted(text),
                Setting::Text(_) => return None,
            };
            Some(format!("{k} = {value}"))
        })
        .collect()
}

/// Whether the file's rules accept `text` for the setting `key` of `group`.
/// An empty text is what AWS leaves out: not written.
fn writable_setting(group: Group, key: &str, text: &str) -> bool {
    use crate::directory_settings as ds;
    match (group, key) {
        (_, "default_ou" | "relay_state_parameter_name") => plain(text),
        (_, "custom_security_group_id") => spec::is_security_group_id(text),
        (_, "instance_iam_role_arn") => spec::is_arn(text),
        (_, "user_access_url") => spec::is_user_access_url(text),
        (_, "certificate_authority_arn") => spec::is_certificate_authority_arn(text),
        (_, "streaming_vpc_endpoint_id") => spec::is_access_endpoint_id(text),
        (Group::Saml, _) => ds::SAML_STATUSES.contains(&text),
        (Group::CertificateBasedAuth, _) => ds::CERTIFICATE_BASED_AUTH_STATUSES.contains(&text),
        (Group::EndpointEncryption, _) => ds::ENDPOINT_ENCRYPTION_MODES.contains(&text),
        (Group::Streaming, "preferred_protocol") => ds::STREAMING_PROTOCOLS.contains(&text),
        (Group::Streaming, "global_accelerator") => ds::GLOBAL_ACCELERATOR_MODES.contains(&text),
        (Group::Streaming, _) => ds::GLOBAL_ACCELERATOR_PROTOCOLS.contains(&text),
        _ => ds::ACCESS_VALUES.contains(&text),
    }
}

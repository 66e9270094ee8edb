//! `wsctl import`: the account as it is → the text of a fleet file that,
//! planned against the same account, adopts everything it lists and changes
//! nothing else. Pure: it reads `LiveState`, tested on plain data; the
//! command reads the account and writes the file.
//!
//! Directories, IP groups and connection aliases are in `environment.rs`.
//! WorkSpaces (`workspaces.rs`) share `[defaults.workspace]` (`defaults.rs`),
//! each one line under `[workspaces]` saying only how it differs; names come
//! from user names (`names.rs`). What is left out, and why, heads the file.

mod defaults;
mod environment;
mod names;
mod pattern;
#[cfg(test)]
mod tests;
mod workspaces;

use std::collections::{BTreeMap, HashMap};

pub use pattern::UserPattern;

use crate::address::Kind;
use crate::identity::{NAME_TAG, STACK_TAG};
use crate::live::{LiveBundle, LiveImage, LiveState, Owned};
use crate::spec;
use crate::states::ImageState;
use crate::toml_text::{self as text, comment, key, quoted, share_with, table_tags, user_tags};
use environment::{environment, environment_tables};
use workspaces::{Filtered, workspace_tables, workspaces};

/// What the import is of and for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The stack the file is for: `[settings] stack`.
    pub stack: String,
    pub region: Option<String>,
    pub account_id: Option<String>,
    /// The day the file is written, `YYYY-MM-DD`.
    pub written_on: String,
    /// The directories whose WorkSpaces were read.
    pub directories: Vec<String>,
    /// Whether `--directory` chose them (else: every registered one).
    pub directories_chosen: bool,
    pub user_pattern: Option<UserPattern>,
    /// Write what the stack already owns, too.
    pub include_owned: bool,
}

/// The file, and what is in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub text: String,
    /// Whether the file has an `[account]` table.
    account: bool,
    workspaces: usize,
    bundles: usize,
    images: usize,
    directories: usize,
    ip_groups: usize,
    connection_aliases: usize,
    /// Resources left out (the file's header names them).
    pub left_out: usize,
    /// Of those, the ones the stack owns already (without
    /// `--include-owned`): a plan of this file alone would delete them.
    pub owned_left_out: usize,
}

impl Imported {
    /// How many resources of `kind` the file has.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Account => usize::from(self.account),
            Kind::IpGroup => self.ip_groups,
            Kind::Directory => self.directories,
            Kind::Image => self.images,
            Kind::Bundle => self.bundles,
            Kind::Workspace => self.workspaces,
            Kind::ConnectionAlias => self.connection_aliases,
        }
    }
}

/// A resource left out of the file, and why.
struct LeftOut {
    what: String,
    why: Why,
}

enum Why {
    /// The stack's own, left out for want of `--include-owned`: a plan of
    /// the file alone would delete it.
    Owned,
    Because(String),
}

impl Why {
    fn text(&self) -> &str {
        match self {
            Why::Owned => {
                "already this stack's; a plan of this file alone would delete it (--include-owned writes it)"
            }
            Why::Because(why) => why,
        }
    }
}

/// The fleet file for `live`.
pub fn write(live: &LiveState, options: &Options) -> Imported {
    let mut left_out = Vec::new();
    let images = images(live, options, &mut left_out);
    let image_names: HashMap<&str, &str> = images
        .iter()
        .map(|(name, image)| (image.id.as_str(), name.as_str()))
        .collect();
    let bundles = bundles(live, options, &image_names, &mut left_out);
    let environment = environment(live, options, &mut left_out);
    let (workspaces, filtered) = workspaces(live, options, &bundles, &mut left_out);
    left_out.sort_by(|a, b| a.what.cmp(&b.what));
    let mut out = header(options, &left_out, &filtered);
    out.push_str(&settings(options));
    let account = account(live);
    out.push_str(&account);
    for (name, image) in &images {
        out.push_str(&image_table(name, image));
    }
    for (name, bundle) in &bundles {
        out.push_str(&bundle_table(name, bundle, &image_names));
    }
    out.push_str(&environment_tables(&environment));
    out.push_str(&workspace_tables(&workspaces));
    Imported {
        text: out,
        account: !account.is_empty(),
        workspaces: workspaces.len(),
        bundles: bundles.len(),
        images: images.len(),
        directories: environment.directories.len(),
        ip_groups: environment.ip_groups.len(),
        connection_aliases: environment.aliases.len(),
        left_out: left_out.len() + filtered.all,
        owned_left_out: left_out
            .iter()
            .filter(|l| matches!(l.why, Why::Owned))
            .count()
            + filtered.owned,
    }
}

/// Why a resource with these tags stays out, if it does: another stack's,
/// or this stack's without `--include-owned`.
fn ownership(resource: &impl Owned, options: &Options) -> Option<Why> {
    match resource.stack() {
        Some(stack) if stack != options.stack => {
            Some(Why::Because(format!("owned by stack `{stack}`")))
        }
        Some(_) if !options.include_owned => Some(Why::Owned),
        _ => None,
    }
}

fn because(why: impl Into<String>) -> Option<Why> {
    Some(Why::Because(why.into()))
}

/// Why a resource with these tags cannot be written, if it cannot: AWS
/// allows 50 tags, and wsctl needs two for its own; and each key and value
/// must be one the file holds, by AWS's tag rule. The file manages a
/// resource's tags whole, so one it cannot hold leaves out the resource,
/// not the tag: a plan would delete the tag.
fn unwritable_tags(tags: &BTreeMap<String, String>) -> Option<Why> {
    let tags = user_tags(tags);
    let count = tags.len();
    if count > spec::MAX_USER_TAGS {
        return because(format!(
            "it has {count} tags, and wsctl needs 2 of the 50 AWS allows for its own"
        ));
    }
    tags.iter().find_map(|(key, value)| {
        let problem = match spec::tag_problem(key, spec::TAG_KEY_LENGTH) {
            Some(problem) => problem.describe("the key").0,
            None => {
                spec::tag_problem(value, spec::TAG_VALUE_LENGTH)?
                    .describe("the value")
                    .0
            }
        };
        because(format!("the file cannot hold its tag `{key}`: {problem}"))
    })
}

/// The name a bundle or image gets in the file: the `wsctl:name` this stack
/// gave it, else its own; `None` when that cannot be a resource name.
fn file_name<'a>(resource: &'a impl Owned, name: &'a str, options: &Options) -> Option<&'a str> {
    let name = match (resource.stack(), resource.name_tag()) {
        (Some(stack), Some(given)) if stack == options.stack => given,
        _ => name,
    };
    let tag_safe = !name.contains(['(', ')']);
    (spec::is_resource_name(name) && tag_safe).then_some(name)
}

/// The account's images to write, by file name.
fn images<'a>(
    live: &'a LiveState,
    options: &Options,
    left_out: &mut Vec<LeftOut>,
) -> BTreeMap<String, &'a LiveImage> {
    let mut kept = BTreeMap::new();
    for image in &live.images {
        let what = format!("image {} ({})", image.id, image.name);
        let name = file_name(image, &image.name, options);
        let why = match (ownership(image, options), name) {
            (Some(why), _) => Some(why),
            _ if image.state == ImageState::Error => because("in ERROR: it cannot be used"),
            _ if unwritable_tags(&image.tags).is_some() => unwritable_tags(&image.tags),
            (None, None) => because(NAME_REFUSED),
            (None, Some(name)) if kept.contains_key(name) => {
                because(format!("another image is named `{name}` too"))
            }
            (None, Some(name)) => {
                kept.insert(name.to_owned(), image);
                None
            }
        };
        if let Some(why) = why {
            left_out.push(LeftOut { what, why });
        }
    }
    kept
}

const NAME_REFUSED: &str = "its name cannot be a wsctl name (1–64 letters, digits and `_ . / -`)";

/// The account's own bundles to write, by file name.
fn bundles<'a>(
    live: &'a LiveState,
    options: &Options,
    image_names: &HashMap<&str, &str>,
    left_out: &mut Vec<LeftOut>,
) -> BTreeMap<String, &'a LiveBundle> {
    let mut kept = BTreeMap::new();
    for bundle in live.bundles.iter().filter(|b| b.is_custom()) {
        let what = format!("bundle {} ({})", bundle.id, bundle.name);
        let name = file_name(bundle, &bundle.name, options);
        let image_known = bundle
            .image_id
            .as_deref()
            .is_some_and(|id| image_names.contains_key(id) || spec::is_image_id(id));
        let reported = bundle.compute_type.is_some() && bundle.user_volume_gib.is_some();
        let why = match (ownership(bundle, options), name) {
            (Some(why), _) => Some(why),
            _ if unwritable_tags(&bundle.tags).is_some() => unwritable_tags(&bundle.tags),
            _ if !image_known || !reported => {
                because("AWS does not report its image, compute type and user volume")
            }
            (None, None) => because(NAME_REFUSED),
            (None, Some(name)) if kept.contains_key(name) => {
                because(format!("another bundle is named `{name}` too"))
            }
            (None, Some(name)) => {
                kept.insert(name.to_owned(), bundle);
                None
            }
        };
        if let Some(why) = why {
            left_out.push(LeftOut { what, why });
        }
    }
    kept
}

fn header(options: &Options, left_out: &[LeftOut], filtered: &Filtered) -> String {
    let account = options.account_id.as_deref().map_or_else(
        || "an account the API did not name".to_owned(),
        |id| format!("account {id}"),
    );
    let region = options.region.as_deref().unwrap_or("its default region");
    let directories = match (options.directories_chosen, options.directories.as_slice()) {
        (_, []) => "no registered directory".to_owned(),
        (true, ids) => format!("directories {} (--directory)", ids.join(", ")),
        (false, ids) => format!("every registered directory: {}", ids.join(", ")),
    };
    let mut out = comment(&format!(
        "Written by `wsctl import` on {} from {account} in {region}.",
        options.written_on
    ));
    out.push_str(&comment(&format!(
        "Planned against that account, it adopts what it lists (apply tags each with {STACK_TAG} and {NAME_TAG}) and changes nothing else."
    )));
    out.push_str(&comment(&format!("WorkSpaces read from {directories}.")));
    out.push_str(&comment(""));
    if left_out.is_empty() && filtered.all == 0 {
        out.push_str(&comment("Nothing was left out."));
    } else {
        out.push_str(&comment("Left out:"));
    }
    if let (Some(pattern), 1..) = (&options.user_pattern, filtered.all) {
        out.push_str(&comment(&format!(
            "  {} WorkSpace(s) whose user does not match --user-pattern {pattern}",
            filtered.all
        )));
    }
    if filtered.owned > 0 {
        out.push_str(&comment(&format!(
            "    {} of them already this stack's; a plan of this file alone would delete them",
            filtered.owned
        )));
    }
    for left in left_out {
        out.push_str(&comment(&format!("  {}: {}", left.what, left.why.text())));
    }
    out
}

fn settings(options: &Options) -> String {
    let mut out = format!("\n[settings]\nstack = {}\n", quoted(&options.stack));
    if let Some(region) = &options.region {
        out.push_str(&format!("region = {}\n", quoted(region)));
    }
    out
}

/// The BYOL setting; a modification still PENDING counts as done, as the
/// planner counts it.
fn account(live: &LiveState) -> String {
    let account = &live.account;
    let cidr = account
        .pending_cidr
        .as_deref()
        .or(account.management_cidr.as_deref().filter(|_| account.byol));
    match cidr {
        Some(cidr) => format!(
            "\n[account]\nbyol = true\nmanagement_cidr = {}\n",
            quoted(cidr)
        ),
        None if account.byol => String::new(),
        None => "\n[account]\nbyol = false\n".to_owned(),
    }
}

fn image_table(name: &str, image: &LiveImage) -> String {
    let mut out = format!("\n[images.{}]\nexisting = true\n", key(name));
    if let Some(description) = image
        .description
        .as_deref()
        .filter(|d| spec::is_description(d, 256))
    {
        out.push_str(&format!("description = {}\n", quoted(description)));
    }
    if let Some(accounts) = &image.shared_with {
        out.push_str(&share_with(accounts));
    }
    out.push_str(&table_tags(&image.tags));
    out
}

fn bundle_table(name: &str, bundle: &LiveBundle, image_names: &HashMap<&str, &str>) -> String {
    let image_id = bundle.image_id.as_deref().unwrap_or_default();
    let image = image_names.get(image_id).copied().unwrap_or(image_id);
    let mut out = format!("\n[bundles.{}]\nimage = {}\n", key(name), quoted(image));
    if let Some(compute) = &bundle.compute_type {
        out.push_str(&format!("compute_type = {}\n", quoted(compute)));
    }
    if let Some(root) = bundle.root_volume_gib {
        out.push_str(&format!("root_volume_gib = {root}\n"));
    }
    if let Some(user) = bundle.user_volume_gib {
        out.push_str(&format!("user_volume_gib = {user}\n"));
    }
    if let Some(description) = bundle
        .description
        .as_deref()
        .filter(|d| spec::is_description(d, 255))
    {
        out.push_str(&format!("description = {}\n", quoted(description)));
    }
    out.push_str(&table_tags(&bundle.tags));
    out
}

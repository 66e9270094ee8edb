//! The WorkSpaces an import writes: which are left out and why, what each
//! says in full (the one function a new property is added to), and the
//! `[defaults.workspace]` and `[workspaces]` text once they are factored.

use std::collections::{BTreeMap, HashMap};

use super::defaults::{Full, Own, WORKSPACE_NAME, factor};
use super::names::{Naming, names};
use super::text::{Value, inline, inline_tags, key, pair, quoted};
use super::{LeftOut, Options, Why, because, ownership, unwritable_tags, user_tags};
use crate::live::{LiveBundle, LiveIndex, LiveState, LiveWorkspace, Owned};
use crate::spec::{self, RunningMode, WorkspaceProperties};
use crate::states::WorkspaceState;
use crate::workspace_properties::{GlobalAccelerator, Setting};

/// States in which a WorkSpace is not adopted: creation or an operation
/// failed, or AWS suspended it.
const UNADOPTABLE_STATES: [WorkspaceState; 2] = [WorkspaceState::Error, WorkspaceState::Suspended];

/// A WorkSpace to write: its name, user and every value.
pub(super) struct Written {
    name: String,
    user: String,
    own: Own,
}

/// WorkSpaces `--user-pattern` left out: how many, and how many of them the
/// stack owns (a plan of the file alone would delete those).
#[derive(Debug, Default)]
pub(super) struct Filtered {
    pub(super) all: usize,
    pub(super) owned: usize,
}

impl Filtered {
    fn count(&mut self, workspace: &LiveWorkspace, options: &Options) {
        self.all += 1;
        if workspace.stack() == Some(options.stack.as_str()) && !workspace.is_terminating() {
            self.owned += 1;
        }
    }
}

/// The WorkSpaces to write and their defaults.
pub(super) struct Workspaces {
    defaults: Own,
    written: Vec<Written>,
}

impl Workspaces {
    pub(super) fn len(&self) -> usize {
        self.written.len()
    }
}

pub(super) fn workspaces(
    live: &LiveState,
    options: &Options,
    bundles: &BTreeMap<String, &LiveBundle>,
    left_out: &mut Vec<LeftOut>,
) -> (Workspaces, Filtered) {
    let index = LiveIndex::new(live);
    let file_bundles: HashMap<&str, &str> = bundles
        .iter()
        .map(|(name, bundle)| (bundle.id.as_str(), name.as_str()))
        .collect();
    let mut filtered = Filtered::default();
    let mut kept: Vec<(&LiveWorkspace, Full)> = Vec::new();
    for workspace in &live.workspaces {
        if options
            .user_pattern
            .as_ref()
            .is_some_and(|p| !p.matches(&workspace.user))
        {
            filtered.count(workspace, options);
            continue;
        }
        let bundle = bundle_value(&workspace.bundle_id, &file_bundles, &index);
        // While AWS migrates a WorkSpace two hold its user; the plan
        // matches the later listed, and so does the file.
        let holder = index.present(&workspace.key()).last();
        let why = if workspace.is_terminating() {
            because(format!("{}: it is on its way out", workspace.state))
        } else if let Some(holder) = holder.filter(|h| h.id != workspace.id) {
            because(format!(
                "{} holds the same user (AWS is migrating it)",
                holder.id
            ))
        } else if !spec::is_user_name(&workspace.user) {
            because("its user name is not 1–63 characters, as the file's `user` must be")
        } else if let Some(why) = ownership(workspace, options) {
            Some(why)
        } else if let Some(why) = unwritable_tags(&workspace.tags) {
            Some(why)
        } else if UNADOPTABLE_STATES.contains(&workspace.state) {
            because(format!(
                "in {}, which wsctl does not adopt",
                workspace.state
            ))
        } else {
            None
        };
        let what = || {
            format!(
                "WorkSpace {} (user {} in {})",
                workspace.id, workspace.user, workspace.directory_id
            )
        };
        match (why, bundle) {
            (None, Some(bundle)) => kept.push((workspace, full(workspace, bundle))),
            (Some(why), _) => left_out.push(LeftOut { what: what(), why }),
            (None, None) => left_out.push(LeftOut {
                what: what(),
                why: Why::Because(format!(
                    "its bundle {} is not in the account",
                    workspace.bundle_id
                )),
            }),
        }
    }
    let naming: Vec<Naming> = kept
        .iter()
        .map(|(w, _)| Naming {
            user: &w.user,
            directory_id: &w.directory_id,
            id: &w.id,
            given: w
                .stack()
                .filter(|_| options.include_owned)
                .and(w.name_tag()),
        })
        .collect();
    let names = names(&naming);
    let full: Vec<Full> = kept.iter().map(|(_, full)| full.clone()).collect();
    let factored = factor(&full);
    let mut written: Vec<Written> = kept
        .iter()
        .zip(names)
        .zip(factored.own)
        .map(|(((workspace, _), name), own)| Written {
            name,
            user: workspace.user.clone(),
            own,
        })
        .collect();
    written.sort_by(|a, b| a.name.cmp(&b.name));
    let workspaces = Workspaces {
        defaults: factored.defaults,
        written,
    };
    (workspaces, filtered)
}

/// How a WorkSpace names its bundle: the file's bundle by its file name; a
/// bundle whose name no other bundle (nor a file bundle) has by that name;
/// any other by id. `None` when the bundle is not in the account.
fn bundle_value(id: &str, file_bundles: &HashMap<&str, &str>, index: &LiveIndex) -> Option<Value> {
    if let Some(name) = file_bundles.get(id) {
        return Some(Value::Text((*name).to_owned()));
    }
    let bundle = index.bundle(id)?;
    let unique = index.bundles_named(&bundle.name).len() == 1
        && !file_bundles.values().any(|name| *name == bundle.name);
    if unique && !bundle.name.trim().is_empty() {
        Some(Value::Text(bundle.name.clone()))
    } else if spec::is_bundle_id(id) {
        Some(Value::BundleId(id.to_owned()))
    } else {
        None
    }
}

/// Everything the file says of a WorkSpace, before defaults.
fn full(workspace: &LiveWorkspace, bundle: Value) -> Full {
    let mut values = vec![
        (
            "directory_id",
            Some(Value::Text(workspace.directory_id.clone())),
        ),
        ("bundle", Some(bundle)),
    ];
    values.extend(property_values(&workspace.properties));
    Full {
        values,
        tags: user_tags(&workspace.tags),
    }
}

/// A WorkSpace's properties as the file's keys and values, in the file's
/// order (`WorkspaceProperties::settings`). `None` where AWS reported none,
/// or where the key does not apply or the file could not hold the value (a
/// timeout without AUTO_STOP, a key without encryption, an operating system
/// or a name the file does not accept).
fn property_values(p: &WorkspaceProperties) -> Vec<(&'static str, Option<Value>)> {
    let auto_stop = p.running_mode == Some(RunningMode::AutoStop);
    let encrypted = p.encrypts();
    p.settings()
        .into_iter()
        .map(|(key, setting)| {
            let applies = match (key, setting) {
                ("auto_stop_timeout_minutes", _) => auto_stop,
                ("volume_encryption_key", _) => encrypted,
                ("operating_system_name", Some(Setting::Text(os))) => {
                    spec::operating_system_names().contains(&os)
                }
                (WORKSPACE_NAME, Some(Setting::Text(name))) => spec::is_workspace_name(name),
                _ => true,
            };
            let value = setting.filter(|_| applies).map(|setting| match setting {
                Setting::Text(s) => Value::Text(s.to_owned()),
                Setting::Number(n) => Value::Number(n.into()),
                Setting::Flag(on) => Value::Flag(on),
                Setting::Protocol(p) => Value::List(vec![p.as_str().to_owned()]),
                Setting::GlobalAccelerator(aga) => global_accelerator(aga),
            });
            (key, value)
        })
        .collect()
}

/// `{ mode = "…", preferred_protocol = "…" }`: the preferred protocol only
/// where AWS reported one.
fn global_accelerator(aga: &GlobalAccelerator) -> Value {
    let mut pairs = vec![("mode", aga.mode.clone())];
    if let Some(protocol) = &aga.preferred_protocol {
        pairs.push(("preferred_protocol", protocol.clone()));
    }
    Value::Table(pairs)
}

/// `[defaults.workspace]` a key a line, then `[workspaces]` a WorkSpace a
/// line.
pub(super) fn workspace_tables(workspaces: &Workspaces) -> String {
    if workspaces.written.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n[defaults.workspace]\n");
    for (k, value) in &workspaces.defaults.values {
        out.push_str(&pair(k, value));
        out.push('\n');
    }
    if !workspaces.defaults.tags.is_empty() {
        out.push_str(&format!(
            "tags = {}\n",
            inline_tags(&workspaces.defaults.tags)
        ));
    }
    out.push_str("\n[workspaces]\n");
    for workspace in &workspaces.written {
        let mut pairs = Vec::new();
        if workspace.user != workspace.name {
            pairs.push(format!("user = {}", quoted(&workspace.user)));
        }
        pairs.extend(workspace.own.values.iter().map(|(k, v)| pair(k, v)));
        if !workspace.own.tags.is_empty() {
            pairs.push(format!("tags = {}", inline_tags(&workspace.own.tags)));
        }
        out.push_str(&format!("{} = {}\n", key(&workspace.name), inline(&pairs)));
    }
    out
}

//! The verdicts as an edit of the fleet file (`wsctl tune`), made with
//! `toml_edit` so everything the edit does not touch (comments, order,
//! spacing) stays byte for byte:
//!
//! - a WorkSpace whose verdict moves it gets its own `running_mode` only
//!   where it must differ from `[defaults.workspace]`; when most of the
//!   WorkSpaces that take the default move the same way, the default moves
//!   instead, and those that stay get their own line;
//! - a WorkSpace that leaves AUTO_STOP loses its `auto_stop_timeout_minutes`
//!   (AWS takes one only for AUTO_STOP), and one that stays AUTO_STOP under
//!   a default that leaves it keeps the default's timeout as its own;
//! - an unused WorkSpace is never removed: it gets a comment saying since
//!   when, which goes again once it is used;
//! - `tune = false` on a WorkSpace, or in `[defaults.workspace]` (for every
//!   WorkSpace that does not say `tune = true`), leaves its mode alone.

use std::collections::HashMap;

use toml_edit::{DocumentMut, Item, TableLike, Value};

use super::report::Since;
use super::verdict::Verdict;
use crate::spec::Fleet;
use crate::workspace_properties::RunningMode;

/// The start of the comment an unused WorkSpace gets.
const UNUSED_MARK: &str = "# wsctl tune: unused";

/// What the verdicts say of one WorkSpace of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// Its table name, `alice` in `[workspaces.alice]`.
    pub name: String,
    pub verdict: Verdict,
    pub reason: String,
    /// For an unused one: since when.
    pub since: Option<Since>,
}

/// One change made to the file, for the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// `workspace.alice` or `defaults.workspace`.
    pub address: String,
    pub change: String,
    pub reason: String,
}

/// The file as tune leaves it, and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tuned {
    pub text: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TuneError {
    #[error("{file}: toml_edit cannot read the file: {message}")]
    Parse { file: String, message: String },
    #[error(
        "{file}: {address} is written {how}; wsctl tune cannot place an edit in it, and changed nothing\n  help: write it as a table of its own, [workspaces.{name}], or give it `tune = false`"
    )]
    CannotPlace {
        file: String,
        address: String,
        name: String,
        how: &'static str,
    },
}

/// A WorkSpace of the file, as tune sees it.
struct Member<'a> {
    name: &'a str,
    /// Its own `running_mode` line.
    own: Option<RunningMode>,
    /// Its mode now (its own, else the default's).
    current: Option<RunningMode>,
    /// Its mode after the verdicts.
    wanted: Option<RunningMode>,
    /// It has its own `auto_stop_timeout_minutes`.
    own_timeout: bool,
    tunable: bool,
    proposal: Option<&'a Proposal>,
}

/// The unified diff of `before` and `after` (both the file `file`), as
/// `tune` prints it. Patience diffing keeps a file of 100,000 WorkSpaces
/// with thousands of edits linear, where Myers' is not.
pub fn diff(file: &str, before: &str, after: &str) -> String {
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(before, after)
        .unified_diff()
        .header(file, file)
        .to_string()
}

/// The defaults table's keys tune reads.
struct Defaults {
    mode: Option<RunningMode>,
    timeout: Option<i64>,
    tunable: bool,
}

/// `text` (the file `file`, checked into `fleet`) with `proposals` made.
pub fn tune(
    file: &str,
    text: &str,
    fleet: &Fleet,
    proposals: &[Proposal],
) -> Result<Tuned, TuneError> {
    let mut doc: DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| TuneError::Parse {
                file: file.to_owned(),
                message: e.to_string(),
            })?;
    let defaults = defaults_of(&doc);
    let by_name: HashMap<&str, &Proposal> =
        proposals.iter().map(|p| (p.name.as_str(), p)).collect();
    let members: Vec<Member<'_>> = fleet
        .workspaces
        .iter()
        .map(|ws| {
            let table = workspace_table(&doc, &ws.name);
            let own = table.and_then(|t| mode_of(t.get("running_mode")));
            let proposal = by_name.get(ws.name.as_str()).copied();
            let current = ws.properties.running_mode;
            let target = proposal.and_then(|p| p.verdict.target());
            Member {
                name: &ws.name,
                own,
                current,
                wanted: if ws.tune { target.or(current) } else { current },
                own_timeout: table.is_some_and(|t| t.contains_key("auto_stop_timeout_minutes")),
                tunable: ws.tune,
                proposal,
            }
        })
        .collect();
    let mut edits = Vec::new();
    let new_default = moved_default(&defaults, &members);
    if let Some(to) = new_default {
        move_default(&mut doc, &defaults, to, &members, &mut edits);
    }
    let default_after = new_default.or(defaults.mode);
    for member in &members {
        let place = Place {
            file,
            default_before: &defaults,
            default_after,
        };
        edit_member(&mut doc, &place, member, &mut edits)?;
    }
    Ok(Tuned {
        text: doc.to_string(),
        edits,
    })
}

fn defaults_of(doc: &DocumentMut) -> Defaults {
    let table = doc
        .get("defaults")
        .and_then(Item::as_table_like)
        .and_then(|d| d.get("workspace"))
        .and_then(Item::as_table_like);
    Defaults {
        mode: table.and_then(|t| mode_of(t.get("running_mode"))),
        timeout: table
            .and_then(|t| t.get("auto_stop_timeout_minutes"))
            .and_then(Item::as_integer),
        tunable: table
            .and_then(|t| t.get("tune"))
            .and_then(Item::as_bool)
            .unwrap_or(true),
    }
}

fn mode_of(item: Option<&Item>) -> Option<RunningMode> {
    item.and_then(Item::as_str).and_then(RunningMode::named)
}

fn workspace_table<'a>(doc: &'a DocumentMut, name: &str) -> Option<&'a dyn TableLike> {
    doc.get("workspaces")
        .and_then(Item::as_table_like)
        .and_then(|w| w.get(name))
        .and_then(Item::as_table_like)
}

/// The mode the default moves to: the one most of the WorkSpaces that take
/// the default want instead of it.
fn moved_default(defaults: &Defaults, members: &[Member<'_>]) -> Option<RunningMode> {
    let from = defaults.mode.filter(|_| defaults.tunable)?;
    let takers: Vec<&Member<'_>> = members
        .iter()
        .filter(|m| m.own.is_none() && m.current == Some(from))
        .collect();
    [RunningMode::AlwaysOn, RunningMode::AutoStop]
        .into_iter()
        .filter(|to| *to != from)
        .find(|to| 2 * takers.iter().filter(|m| m.wanted == Some(*to)).count() > takers.len())
}

fn move_default(
    doc: &mut DocumentMut,
    defaults: &Defaults,
    to: RunningMode,
    members: &[Member<'_>],
    edits: &mut Vec<Edit>,
) {
    let Some(table) = doc
        .get_mut("defaults")
        .and_then(Item::as_table_like_mut)
        .and_then(|d| d.get_mut("workspace"))
        .and_then(Item::as_table_like_mut)
    else {
        return;
    };
    let from = defaults.mode.map_or("", RunningMode::as_str);
    set_value(table, "running_mode", Value::from(to.as_str()));
    let takers = members
        .iter()
        .filter(|m| m.own.is_none() && m.current == defaults.mode);
    let moving = takers.clone().filter(|m| m.wanted == Some(to)).count();
    edits.push(Edit {
        address: "defaults.workspace".to_owned(),
        change: format!("running_mode {from} → {}", to.as_str()),
        reason: format!(
            "{moving} of the {} WorkSpaces that take the default move to {}",
            takers.count(),
            to.as_str()
        ),
    });
    if to != RunningMode::AutoStop && table.remove("auto_stop_timeout_minutes").is_some() {
        edits.push(Edit {
            address: "defaults.workspace".to_owned(),
            change: "auto_stop_timeout_minutes removed".to_owned(),
            reason: format!(
                "AWS takes an auto-stop time only for AUTO_STOP, not {}",
                to.as_str()
            ),
        });
    }
}

/// Where a WorkSpace's edits are judged against.
struct Place<'a> {
    file: &'a str,
    default_before: &'a Defaults,
    default_after: Option<RunningMode>,
}

/// What one WorkSpace's table gets.
struct Changes {
    mode: Option<RunningMode>,
    comment: Option<String>,
    /// The default's auto-stop time, kept as its own.
    timeout: Option<i64>,
    /// Its own auto-stop time goes: it leaves AUTO_STOP.
    drop_timeout: bool,
}

impl Changes {
    fn of(place: &Place<'_>, member: &Member<'_>) -> Changes {
        let effective = member.own.or(place.default_after);
        let unused = member.tunable
            && member
                .proposal
                .is_some_and(|p| p.verdict == Verdict::Unused);
        let stays_auto_stop = member.wanted == Some(RunningMode::AutoStop);
        Changes {
            mode: member.wanted.filter(|w| Some(*w) != effective),
            comment: unused.then(|| unused_comment(member.proposal.and_then(|p| p.since))),
            timeout: place
                .default_before
                .timeout
                .filter(|_| member.own.is_none() && member.current == Some(RunningMode::AutoStop))
                .filter(|_| place.default_after != Some(RunningMode::AutoStop))
                .filter(|_| stays_auto_stop),
            drop_timeout: member.own_timeout && !stays_auto_stop,
        }
    }

    fn is_empty(&self) -> bool {
        self.mode.is_none()
            && self.comment.is_none()
            && self.timeout.is_none()
            && !self.drop_timeout
    }
}

fn edit_member(
    doc: &mut DocumentMut,
    place: &Place<'_>,
    member: &Member<'_>,
    edits: &mut Vec<Edit>,
) -> Result<(), TuneError> {
    let address = format!("workspace.{}", member.name);
    let changes = Changes::of(place, member);
    let mut entry = match entry_of(doc, member.name) {
        None => return Ok(()),
        Some(Err(_)) if changes.is_empty() => return Ok(()),
        Some(Err(how)) => {
            return Err(TuneError::CannotPlace {
                file: place.file.to_owned(),
                address,
                name: member.name.to_owned(),
                how,
            });
        }
        Some(Ok(entry)) => entry,
    };
    let reason = member
        .proposal
        .map(|p| p.reason.clone())
        .unwrap_or_default();
    if let Some(mode) = changes.mode {
        let from = member
            .own
            .or(place.default_after)
            .map_or("AWS's default", RunningMode::as_str);
        entry.set("running_mode", Value::from(mode.as_str()));
        edits.push(Edit {
            address: address.clone(),
            change: format!("running_mode {from} → {}", mode.as_str()),
            reason: match member.wanted == member.current {
                true => format!("keeps {}: the default moved", mode.as_str()),
                false => reason.clone(),
            },
        });
    }
    if changes.drop_timeout && entry.remove("auto_stop_timeout_minutes") {
        edits.push(Edit {
            address: address.clone(),
            change: "auto_stop_timeout_minutes removed".to_owned(),
            reason: "AWS takes an auto-stop time only for AUTO_STOP".to_owned(),
        });
    }
    if let Some(minutes) = changes.timeout {
        entry.set("auto_stop_timeout_minutes", Value::from(minutes));
    }
    if member.tunable {
        comment_on(
            &mut entry,
            changes.comment.as_deref(),
            &address,
            &reason,
            edits,
        );
    }
    Ok(())
}

/// A WorkSpace's place in the file: its own table, or an inline table
/// under `[workspaces]`.
enum Entry<'a> {
    Table(&'a mut toml_edit::Table),
    Inline {
        key: toml_edit::KeyMut<'a>,
        table: &'a mut toml_edit::InlineTable,
    },
}

impl Entry<'_> {
    /// Sets `key` to `value`: in place, keeping the spacing and comment
    /// around the old value, or as a new last key.
    fn set(&mut self, key: &str, value: Value) {
        match self {
            Entry::Table(table) => set_value(*table, key, value),
            Entry::Inline { table, .. } if table.contains_key(key) => set_value(*table, key, value),
            Entry::Inline { table, .. } => insert_inline(table, key, value),
        }
    }

    fn remove(&mut self, key: &str) -> bool {
        match self {
            Entry::Table(table) => table.remove(key).is_some(),
            Entry::Inline { table, .. } => table.remove(key).is_some(),
        }
    }

    fn decor(&mut self) -> &mut toml_edit::Decor {
        match self {
            Entry::Table(table) => table.decor_mut(),
            Entry::Inline { key, .. } => key.leaf_decor_mut(),
        }
    }
}

/// The WorkSpace `name`'s entry; how it is written when tune cannot edit it.
fn entry_of<'a>(doc: &'a mut DocumentMut, name: &str) -> Option<Result<Entry<'a>, &'static str>> {
    let parent = doc.get_mut("workspaces")?.as_table_like_mut()?;
    let (key, item) = parent.get_key_value_mut(name)?;
    Some(match item {
        Item::Table(table) if table.is_dotted() => Err("with dotted keys"),
        Item::Table(table) if table.is_implicit() => Err("only through its sub-tables"),
        Item::Table(table) => Ok(Entry::Table(table)),
        Item::Value(Value::InlineTable(table)) => Ok(Entry::Inline { key, table }),
        _ => Err("as something other than a table"),
    })
}

/// `# wsctl tune: unused, …`: the line above an unused WorkSpace.
fn unused_comment(since: Option<Since>) -> String {
    match since {
        Some(Since::LastConnected(at)) => format!(
            "{UNUSED_MARK}, no connection since {}",
            crate::clock::date_of(u64::try_from(at).unwrap_or(0))
        ),
        _ => format!("{UNUSED_MARK}, never connected"),
    }
}

/// Puts `comment` (or none) where the WorkSpace's unused comment goes,
/// in place of an earlier one.
fn comment_on(
    entry: &mut Entry<'_>,
    comment: Option<&str>,
    address: &str,
    reason: &str,
    edits: &mut Vec<Edit>,
) {
    let decor = entry.decor();
    let prefix = decor
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_owned();
    let kept: String = prefix
        .split_inclusive('\n')
        .filter(|line| !line.trim_start().starts_with(UNUSED_MARK))
        .collect();
    let new = match comment {
        Some(comment) => format!("{kept}{comment}\n"),
        None => kept,
    };
    if new == prefix {
        return;
    }
    decor.set_prefix(new);
    edits.push(Edit {
        address: address.to_owned(),
        change: match comment {
            Some(comment) => format!("comment {comment:?}"),
            None => "unused comment removed".to_owned(),
        },
        reason: match comment {
            Some(_) => reason.to_owned(),
            None => "it is used again".to_owned(),
        },
    });
}

/// Sets `key` to `value`, keeping the spacing and comment around the old
/// value; a new key goes last.
fn set_value(table: &mut dyn TableLike, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// A new last key of an inline table: `{ a = 1 }` becomes
/// `{ a = 1, key = value }`, the space before `}` moved after it.
fn insert_inline(table: &mut toml_edit::InlineTable, key: &str, mut value: Value) {
    let closing = table
        .iter_mut()
        .last()
        .and_then(|(_, last)| {
            let suffix = last
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map(str::to_owned);
            last.decor_mut().set_suffix("");
            suffix
        })
        .unwrap_or_else(|| " ".to_owned());
    value.decor_mut().set_prefix(" ");
    value.decor_mut().set_suffix(closing);
    table.insert(key, value);
    if let Some(mut inserted) = table.key_mut(key) {
        inserted.leaf_decor_mut().set_prefix(" ");
        inserted.leaf_decor_mut().set_suffix(" ");
    }
}

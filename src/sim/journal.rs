//! The state file's journal: each change is a line appended to `FILE.log`
//! beside the state file and flushed to disk before the call is answered,
//! so a call costs what it changed, not what the account holds. At start
//! the log is replayed on top of the state file; the account is written
//! whole again (compacted) when the simulator stops, or when the next record
//! would take the log past [`LOG_LIMIT`].
//!
//! A record is one JSON object on one line: its `seq`, and the entries it
//! changed, each whole as it is after the change (`null`: gone), by
//! collection and id, and the account-wide fields when they changed. Replay
//! puts each entry back as recorded, so it is exact whatever the operation.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::account::{
    Account, AccountModification, Bundle, Byol, ConnectionAlias, Directory, Image, IpGroup,
    Workspace,
};
use super::error::SimError;
use super::tag_history::TagHistory;
use super::usage::Profile;
use super::{seed, store};

/// The log is compacted before it grows past this; a longer log was not
/// written by this simulator, and is refused rather than read.
pub(crate) const LOG_LIMIT: u64 = 256 * 1024 * 1024;

/// One change of the account, as a line of the log.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    seq: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    workspaces: BTreeMap<String, Option<Workspace>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    bundles: BTreeMap<String, Option<Bundle>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    images: BTreeMap<String, Option<Image>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    directories: BTreeMap<String, Option<Directory>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    ip_groups: BTreeMap<String, Option<IpGroup>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    connection_aliases: BTreeMap<String, Option<ConnectionAlias>>,
    /// Ids that joined (`true`) or left (`false`) the untagged set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    untagged: BTreeMap<String, bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<AccountWide>,
}

/// The account's fields that are not collections by id: small, so a record
/// holds them whole whenever one of them changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AccountWide {
    account_id: String,
    byol: Byol,
    modifications: Vec<AccountModification>,
    tag_history: TagHistory,
    /// Usage profiles set through `/_sim/usage`.
    #[serde(default)]
    usage: BTreeMap<String, Profile>,
}

impl AccountWide {
    fn of(account: &Account) -> Self {
        AccountWide {
            account_id: account.account_id.clone(),
            byol: account.byol.clone(),
            modifications: account.modifications.clone(),
            tag_history: account.tag_history.clone(),
            usage: account.usage.clone(),
        }
    }

    fn put(self, account: &mut Account) {
        account.account_id = self.account_id;
        account.byol = self.byol;
        account.modifications = self.modifications;
        account.tag_history.restore(self.tag_history);
        account.usage = self.usage;
    }
}

impl Record {
    fn is_empty(&self) -> bool {
        self.workspaces.is_empty()
            && self.bundles.is_empty()
            && self.images.is_empty()
            && self.directories.is_empty()
            && self.ip_groups.is_empty()
            && self.connection_aliases.is_empty()
            && self.untagged.is_empty()
            && self.account.is_none()
    }

    fn replay(self, account: &mut Account) {
        account.workspaces.replay(self.workspaces);
        account.bundles.replay(self.bundles);
        account.images.replay(self.images);
        account.directories.replay(self.directories);
        account.ip_groups.replay(self.ip_groups);
        account.connection_aliases.replay(self.connection_aliases);
        account.untagged.replay(self.untagged);
        if let Some(wide) = self.account {
            wide.put(account);
        }
    }
}

/// The changes are written, or, without a state file, never will be.
pub(crate) fn forget_changes(account: &mut Account) {
    account.workspaces.forget_changes();
    account.bundles.forget_changes();
    account.images.forget_changes();
    account.directories.forget_changes();
    account.ip_groups.forget_changes();
    account.connection_aliases.forget_changes();
    account.untagged.forget_changes();
}

/// Appends records to the log of one state file; held under the
/// simulator's lock, as is the state file itself.
#[derive(Debug)]
pub(crate) struct Journal {
    state: PathBuf,
    log_path: PathBuf,
    /// Opened at the first change.
    log: Option<File>,
    /// Bytes in the log.
    len: u64,
    /// The last record written, in the log or in the state file.
    seq: u64,
    /// The account-wide fields as last written: a record holds them only
    /// when they differ, and a failed write puts them back.
    wide: String,
}

/// The last record of the log, cut short: the simulator stopped while
/// writing it, before it answered that call. It is dropped.
#[derive(Debug)]
pub(crate) struct TornRecord {
    log: PathBuf,
    bytes: usize,
}

impl std::fmt::Display for TornRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "dropped the last record of {} ({} bytes without an end of line): the simulator stopped while writing it, before it answered that call",
            self.log.display(),
            self.bytes
        )
    }
}

/// The account of `state` (the seeded one when there is none yet) with its
/// log replayed, the journal that continues it, and the torn record dropped
/// from the log's end, if any.
pub(crate) fn open(state: &Path) -> Result<(Account, Journal, Option<TornRecord>), SimError> {
    let mut account = store::load(state)?.unwrap_or_else(seed::account);
    let log_path = log_path(state);
    let (len, torn) = match File::open(&log_path) {
        Ok(log) => replay(&log_path, &log, &mut account)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (0, None),
        Err(source) => {
            return Err(SimError::ReadState {
                path: log_path,
                source,
            });
        }
    };
    // A state file from before the catalog had more directories lacks them.
    account.add_missing_directories(seed::directories());
    account.reindex();
    forget_changes(&mut account);
    let wide = wide_json(&account, &log_path)?;
    let mut journal = Journal {
        state: state.to_owned(),
        log_path,
        log: None,
        len,
        seq: account.seq,
        wide,
    };
    if torn.is_some() {
        // New records must follow the last whole one, not the torn bytes.
        let cut = journal.log().and_then(|log| log.set_len(len));
        cut.map_err(|e| journal.write_err(e))?;
    }
    Ok((account, journal, torn))
}

/// `FILE.log` beside `FILE`.
fn log_path(state: &Path) -> PathBuf {
    let mut name = state.file_name().unwrap_or_default().to_owned();
    name.push(".log");
    state.with_file_name(name)
}

fn wide_json(account: &Account, log: &Path) -> Result<String, SimError> {
    serde_json::to_string(&AccountWide::of(account)).map_err(|e| SimError::WriteState {
        path: log.to_owned(),
        source: e.into(),
    })
}

/// Replays the whole records of `log` on `account`, setting `account.seq`
/// to the last; returns the length of those records and the torn one after
/// them, if any.
fn replay(
    path: &Path,
    log: &File,
    account: &mut Account,
) -> Result<(u64, Option<TornRecord>), SimError> {
    let read_err = |source| SimError::ReadState {
        path: path.to_owned(),
        source,
    };
    let size = log.metadata().map_err(read_err)?.len();
    if size > LOG_LIMIT {
        return Err(SimError::TooLong {
            path: path.to_owned(),
            size,
            limit: LOG_LIMIT,
        });
    }
    let mut reader = BufReader::new(log.take(LOG_LIMIT));
    let mut line = Vec::new();
    let mut len = 0u64;
    let mut number = 0usize;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(read_err)?;
        if read == 0 {
            return Ok((len, None));
        }
        if line.last() != Some(&b'\n') {
            let torn = TornRecord {
                log: path.to_owned(),
                bytes: line.len(),
            };
            return Ok((len, Some(torn)));
        }
        number += 1;
        let record: Record =
            serde_json::from_slice(&line).map_err(|source| SimError::ParseLog {
                path: path.to_owned(),
                line: number,
                source,
            })?;
        len += line.len() as u64;
        // Records up to the state file's are in it already: the simulator
        // stopped between writing the state file and emptying the log.
        if record.seq <= account.seq {
            continue;
        }
        if record.seq != account.seq + 1 {
            return Err(SimError::LogGap {
                path: path.to_owned(),
                line: number,
                seq: record.seq,
                last: account.seq,
            });
        }
        account.seq = record.seq;
        record.replay(account);
    }
}

impl Journal {
    /// Writes the account's changes since the last record; a change that
    /// cannot be written is undone, so the account stays what the files
    /// hold.
    pub(crate) fn record(&mut self, account: &mut Account) -> Result<(), SimError> {
        let result = self.try_record(account);
        if result.is_err() {
            self.undo(account);
        }
        result
    }

    fn try_record(&mut self, account: &mut Account) -> Result<(), SimError> {
        let wide = wide_json(account, &self.log_path)?;
        let mut record = Record {
            seq: self.seq + 1,
            workspaces: account.workspaces.changed(),
            bundles: account.bundles.changed(),
            images: account.images.changed(),
            directories: account.directories.changed(),
            ip_groups: account.ip_groups.changed(),
            connection_aliases: account.connection_aliases.changed(),
            untagged: account.untagged.changed(),
            account: None,
        };
        if wide != self.wide {
            record.account = Some(AccountWide::of(account));
        }
        if record.is_empty() {
            return Ok(());
        }
        let mut line = serde_json::to_vec(&record).map_err(|e| self.write_err(e.into()))?;
        line.push(b'\n');
        if self.len + line.len() as u64 > LOG_LIMIT {
            return self.compact(account);
        }
        if let Err(source) = self.append(&line) {
            // Leave no partial record for the next one to follow.
            if let Some(log) = &self.log {
                let _ = log.set_len(self.len);
            }
            return Err(self.write_err(source));
        }
        self.len += line.len() as u64;
        self.seq = record.seq;
        account.seq = record.seq;
        self.wide = wide;
        forget_changes(account);
        Ok(())
    }

    fn log(&mut self) -> std::io::Result<&mut File> {
        let log = match self.log.take() {
            Some(log) => log,
            None => File::options()
                .append(true)
                .create(true)
                .open(&self.log_path)?,
        };
        Ok(self.log.insert(log))
    }

    fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let log = self.log()?;
        log.write_all(line)?;
        log.sync_data()
    }

    /// Writes the whole account to the state file and empties the log.
    pub(crate) fn compact(&mut self, account: &mut Account) -> Result<(), SimError> {
        let seq = self.seq + 1;
        account.seq = seq;
        if let Err(e) = store::save(&self.state, account) {
            self.undo(account);
            return Err(e);
        }
        self.seq = seq;
        self.wide = wide_json(account, &self.log_path)?;
        forget_changes(account);
        // Should this fail, the records left are all up to `seq`, which
        // replay skips.
        let emptied = self.log().and_then(|log| log.set_len(0));
        emptied.map_err(|e| self.write_err(e))?;
        self.len = 0;
        Ok(())
    }

    /// Compacts and removes the log: a stopped simulator leaves its state
    /// file alone.
    pub(crate) fn close(mut self, account: &mut Account) -> Result<(), SimError> {
        self.compact(account)?;
        match std::fs::remove_file(&self.log_path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.write_err(e)),
            _ => Ok(()),
        }
    }

    /// Back to what the files hold.
    fn undo(&self, account: &mut Account) {
        account.workspaces.undo_changes();
        account.bundles.undo_changes();
        account.images.undo_changes();
        account.directories.undo_changes();
        account.ip_groups.undo_changes();
        account.connection_aliases.undo_changes();
        account.untagged.undo_changes();
        if let Ok(wide) = serde_json::from_str::<AccountWide>(&self.wide) {
            wide.put(account);
        }
        account.seq = self.seq;
        account.reindex();
    }

    fn write_err(&self, source: std::io::Error) -> SimError {
        SimError::WriteState {
            path: self.log_path.clone(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use serde_json::{Value, json};

    use super::super::account::Millis;
    use super::super::config::Faults;
    use super::super::ops::{self, Ctx};
    use super::*;

    /// An account driven by the real operations at chosen moments, its
    /// changes written after each call as the server writes them.
    struct Run {
        account: Account,
        journal: Journal,
        rng: StdRng,
    }

    impl Run {
        fn open(state: &Path) -> (Self, Option<TornRecord>) {
            let (mut account, journal, torn) = open(state).expect("opened");
            // A lag makes the tag history, an account-wide field, change too.
            account.tag_history.set_lag(60_000);
            let rng = StdRng::seed_from_u64(7);
            let run = Run {
                account,
                journal,
                rng,
            };
            (run, torn)
        }

        fn call(&mut self, now: Millis, operation: &str, body: Value) -> Value {
            let op = ops::find(&format!("WorkspacesService.{operation}")).expect("operation");
            self.account.settle(now);
            let faults = Faults::default();
            let mut ctx = Ctx {
                account: &mut self.account,
                rng: &mut self.rng,
                faults: &faults,
                now,
                settle: 1_000,
                visibility: 0,
                snapshot_every: 3_600_000,
                failed_items: 0,
                seed: 7,
            };
            let out = (op.run)(&mut ctx, body).expect("answered");
            self.journal.record(&mut self.account).expect("recorded");
            out
        }

        /// Creates WorkSpaces, changes, retags and terminates some, and
        /// adds an IP group: each collection and the account-wide fields.
        fn busy_day(&mut self) {
            let requests: Vec<Value> = ["alice", "bob", "carol"]
                .iter()
                .map(|user| {
                    json!({
                        "DirectoryId": seed::SEED_DIRECTORY_ID,
                        "UserName": user,
                        "BundleId": "wsb-w10value0",
                        "Tags": [{"Key": "team", "Value": "eng"}],
                    })
                })
                .collect();
            let created = self.call(1_000, "CreateWorkspaces", json!({"Workspaces": requests}));
            let ids: Vec<String> = created["PendingRequests"]
                .as_array()
                .expect("pending")
                .iter()
                .map(|w| w["WorkspaceId"].as_str().expect("id").to_owned())
                .collect();
            self.call(
                5_000,
                "ModifyWorkspaceProperties",
                json!({"WorkspaceId": ids[0], "WorkspaceProperties": {"RunningMode": "ALWAYS_ON"}}),
            );
            self.call(
                6_000,
                "DeleteTags",
                json!({"ResourceId": ids[1], "TagKeys": ["team"]}),
            );
            self.call(
                7_000,
                "TerminateWorkspaces",
                json!({"TerminateWorkspaceRequests": [{"WorkspaceId": ids[2]}]}),
            );
            self.call(
                9_000,
                "CreateIpGroup",
                json!({"GroupName": "office", "UserRules": [{"ipRule": "10.0.0.0/16"}]}),
            );
        }
    }

    fn state(account: &Account) -> Value {
        serde_json::to_value(account).expect("json")
    }

    #[test]
    fn replaying_the_log_rebuilds_the_account_exactly() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let (mut run, torn) = Run::open(&path);
        assert!(torn.is_none());
        run.busy_day();
        assert!(!path.exists(), "only the log is written");
        let log = std::fs::read_to_string(log_path(&path)).expect("log");
        assert_eq!(log.lines().count(), 5, "one record a call");
        assert!(log.contains(r#""account":"#), "the tag history changed");
        let before = state(&run.account);
        drop(run);

        let (again, torn) = Run::open(&path);
        assert!(torn.is_none());
        assert_eq!(state(&again.account), before);
        assert_eq!(again.account.seq, 5);
    }

    #[test]
    fn a_torn_last_record_is_dropped_with_a_message() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let (mut run, _) = Run::open(&path);
        run.busy_day();
        let before = state(&run.account);
        drop(run);
        let log = log_path(&path);
        let whole = std::fs::metadata(&log).expect("log").len();
        let mut file = File::options().append(true).open(&log).expect("log");
        file.write_all(br#"{"seq":6,"workspaces":{"ws-"#)
            .expect("torn");
        drop(file);

        let (mut again, torn) = Run::open(&path);
        let message = torn.expect("dropped").to_string();
        assert!(
            message.starts_with(&format!("dropped the last record of {}", log.display())),
            "{message}"
        );
        assert!(
            message.contains("(27 bytes without an end of line)"),
            "{message}"
        );
        assert_eq!(state(&again.account), before);
        assert_eq!(std::fs::metadata(&log).expect("log").len(), whole);

        // The next record follows the last whole one.
        again.call(
            20_000,
            "DeleteIpGroup",
            json!({"GroupId": first_group(&again)}),
        );
        let after = state(&again.account);
        drop(again);
        let (third, torn) = Run::open(&path);
        assert!(torn.is_none());
        assert_eq!(state(&third.account), after);
    }

    fn first_group(run: &Run) -> String {
        run.account.ip_groups.keys().next().expect("group").clone()
    }

    #[test]
    fn records_the_state_file_holds_already_are_skipped() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let (mut run, _) = Run::open(&path);
        run.busy_day();
        let log = log_path(&path);
        let records = std::fs::read(&log).expect("log");
        run.journal.compact(&mut run.account).expect("compacted");
        assert_eq!(std::fs::metadata(&log).expect("log").len(), 0);
        // Stopped after writing the state file, before emptying the log.
        std::fs::write(&log, &records).expect("old records back");
        run.call(
            20_000,
            "DeleteIpGroup",
            json!({"GroupId": first_group(&run)}),
        );
        let after = state(&run.account);
        drop(run);

        let (again, _) = Run::open(&path);
        assert_eq!(state(&again.account), after);
        assert_eq!(again.account.seq, 7, "5 records, the state file, 1 record");
    }

    #[test]
    fn a_broken_or_missing_record_is_an_error_naming_its_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let log = log_path(&path);
        std::fs::write(&log, "{\"seq\":1}\nnot json\n").expect("log");
        let message = open(&path).expect_err("refused").to_string();
        assert!(
            message.starts_with(&format!(
                "cannot read simulator state {}: line 2: ",
                log.display()
            )),
            "{message}"
        );

        std::fs::write(&log, "{\"seq\":1}\n{\"seq\":3}\n").expect("log");
        let message = open(&path).expect_err("refused").to_string();
        assert!(
            message.contains(
                "line 2 is change 3, but the state file and the lines before it end at change 1"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_log_longer_than_the_simulator_writes_is_refused_unread() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let file = File::create(log_path(&path)).expect("log");
        file.set_len(LOG_LIMIT + 1).expect("sparse");
        let message = open(&path).expect_err("refused").to_string();
        assert!(
            message.contains(&format!(
                "it is {} bytes, more than the {LOG_LIMIT} bytes",
                LOG_LIMIT + 1
            )),
            "{message}"
        );
    }

    #[test]
    fn a_change_the_log_cannot_keep_is_undone() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sim.json");
        let (mut run, _) = Run::open(&path);
        run.busy_day();
        let before = state(&run.account);
        let groups = run.account.ip_groups.len();
        // A read-only handle: the next append fails.
        run.journal.log = Some(File::open(log_path(&path)).expect("read only"));
        run.account.settle(30_000);
        let id = first_group(&run);
        run.account.remove_ip_group(&id, 30_000);
        assert!(run.journal.record(&mut run.account).is_err());
        assert_eq!(run.account.ip_groups.len(), groups);
        assert_eq!(state(&run.account), before);
    }
}

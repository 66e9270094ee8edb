//! The state file: locked for the simulator's lifetime, read at start,
//! replaced atomically when the journal compacts.

use std::fs::{File, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::account::Account;
use super::error::SimError;

/// A state file larger than this is refused: 100,000 WorkSpaces take
/// about 100 MB.
const STATE_LIMIT: u64 = 4 * 1024 * 1024 * 1024;

/// The account in `path` as the file has it (without its indexes), or
/// `None` when the file does not exist yet.
pub(crate) fn load(path: &Path) -> Result<Option<Account>, SimError> {
    let read_err = |source| SimError::ReadState {
        path: path.to_owned(),
        source,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(read_err(source)),
    };
    let size = file.metadata().map_err(read_err)?.len();
    if size > STATE_LIMIT {
        return Err(SimError::TooLong {
            path: path.to_owned(),
            size,
            limit: STATE_LIMIT,
        });
    }
    let mut text = String::new();
    file.take(STATE_LIMIT)
        .read_to_string(&mut text)
        .map_err(read_err)?;
    let account = serde_json::from_str(&text).map_err(|source| SimError::ParseState {
        path: path.to_owned(),
        source,
    })?;
    Ok(Some(account))
}

/// Held while a simulator serves `path`: a second simulator on the same
/// file (another `wsctl --sim`, another `sim serve --state`) is refused
/// instead of overwriting its account. The OS drops the lock when the
/// process ends, however it ends.
#[derive(Debug)]
pub(crate) struct StateLock {
    _file: File,
}

/// Locks `path` for this process, and removes temporary files an earlier
/// process left behind when it was killed mid-write.
pub(crate) fn lock(path: &Path) -> Result<StateLock, SimError> {
    let (dir, name) = place(path);
    std::fs::create_dir_all(dir).map_err(|source| SimError::WriteState {
        path: path.to_owned(),
        source,
    })?;
    let lock_path = dir.join(format!(".{name}.lock"));
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| SimError::WriteState {
            path: lock_path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(SimError::StateInUse {
                path: path.to_owned(),
            });
        }
        Err(TryLockError::Error(source)) => {
            return Err(SimError::WriteState {
                path: lock_path,
                source,
            });
        }
    }
    for leftover in temporary_files(dir, &name) {
        let _ = std::fs::remove_file(leftover);
    }
    Ok(StateLock { _file: file })
}

/// The directory of `path` and its file name.
fn place(path: &Path) -> (&Path, String) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "state".to_owned(), |n| n.to_string_lossy().into_owned());
    (dir, name)
}

fn temporary_files(dir: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tmp"))
        })
        .collect()
}

/// Writes a temporary file beside `path` and renames it over `path`, so a
/// crash leaves either the old or the new state, never half of one.
pub(crate) fn save(path: &Path, account: &Account) -> Result<(), SimError> {
    let err = |source| SimError::WriteState {
        path: path.to_owned(),
        source,
    };
    let json = serde_json::to_vec(account).map_err(|e| err(std::io::Error::other(e)))?;
    let (dir, name) = place(path);
    std::fs::create_dir_all(dir).map_err(err)?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&tmp).map_err(err)?;
    file.write_all(&json).map_err(err)?;
    file.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

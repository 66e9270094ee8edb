//! The state file: read at start, replaced atomically after each change.

use std::io::Write;
use std::path::Path;

use super::account::Account;
use super::error::SimError;

/// The account in `path`, or `None` when the file does not exist yet.
pub(crate) fn load(path: &Path) -> Result<Option<Account>, SimError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SimError::ReadState {
                path: path.to_owned(),
                source,
            });
        }
    };
    let mut account: Account =
        serde_json::from_str(&text).map_err(|source| SimError::ParseState {
            path: path.to_owned(),
            source,
        })?;
    account.reindex();
    Ok(Some(account))
}

/// Writes a temporary file beside `path` and renames it over `path`, so a
/// crash leaves either the old or the new state, never half of one.
pub(crate) fn save(path: &Path, account: &Account) -> Result<(), SimError> {
    let err = |source| SimError::WriteState {
        path: path.to_owned(),
        source,
    };
    let json = serde_json::to_vec(account).map_err(|e| err(std::io::Error::other(e)))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&tmp).map_err(err)?;
    file.write_all(&json).map_err(err)?;
    file.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

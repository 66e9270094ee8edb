//! Reading the user's files, bounded in size: a fleet file or a saved plan
//! larger than its limit (or a device that never ends) is refused before
//! more of it is read.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// A fleet file: 100,000 WorkSpaces with a table each take about 3 MiB.
pub const FLEET_FILE_LIMIT: u64 = 64 * 1024 * 1024;
/// A saved plan: creating 100,000 WorkSpaces takes about 150 MiB of JSON.
pub const PLAN_FILE_LIMIT: u64 = 512 * 1024 * 1024;

#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge { limit: u64 },
    NotText,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::TooLarge { limit } => {
                write!(
                    f,
                    "it is larger than {} MiB, the limit",
                    limit / (1024 * 1024)
                )
            }
            ReadError::NotText => write!(f, "it is not UTF-8 text"),
        }
    }
}

/// The text of `path`, if it is at most `limit` bytes of UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_after_reading_one_byte_more() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("big.toml");
        std::fs::write(&path, "x".repeat(11)).expect("written");
        assert!(matches!(
            read_text(&path, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_text(&path, 11).expect("read"), "x".repeat(11));
    }

    #[test]
    fn an_endless_device_is_refused_not_read_to_exhaustion() {
        assert!(matches!(
            read_text(Path::new("/dev/zero"), 1024),
            Err(ReadError::TooLarge { limit: 1024 })
        ));
    }
}

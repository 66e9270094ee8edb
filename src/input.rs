//! Reading the user's files, bounded in size: a fleet file or a saved plan
//! larger than its limit is refused before more of it is read, and anything
//! that is not a regular file (a FIFO that would block, a device that never
//! ends, a directory) before it is opened.

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
    TooLarge {
        limit: u64,
    },
    NotText,
    /// A directory, FIFO, socket or device: what it is.
    NotAFile(&'static str),
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
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
        }
    }
}

/// The text of `path`, if it is a regular file of at most `limit` bytes of
/// UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile(kind_of(metadata.file_type())));
    }
    // A file that says it is too large is refused unread; one that grows
    // while it is read is cut at the limit below.
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
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

/// What a path that is not a regular file is, in a reader's words.
fn kind_of(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "not a file"
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
    fn an_endless_device_is_refused_before_it_is_read() {
        let error = read_text(Path::new("/dev/zero"), 1024).expect_err("refused");
        assert_eq!(error.to_string(), "it is a device, not a regular file");
    }

    #[test]
    fn a_directory_and_a_fifo_are_refused_before_they_are_opened() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let error = read_text(dir.path(), 1024).expect_err("refused");
        assert_eq!(error.to_string(), "it is a directory, not a regular file");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_text(&fifo, 1024).expect_err("refused, not blocked on");
            assert_eq!(
                error.to_string(),
                "it is a FIFO (named pipe), not a regular file"
            );
        }
    }
}

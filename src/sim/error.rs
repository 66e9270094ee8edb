use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the simulator could not start, load or save its state.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read simulator state {}: {source}", path.display())]
    ReadState {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read simulator state {}: {source}", path.display())]
    ParseState {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "cannot read simulator state {}: line {line}: {source}",
        path.display()
    )]
    ParseLog {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
    #[error(
        "cannot read simulator state {}: it is {size} bytes, more than the {limit} bytes the simulator ever writes there; it was not written by this simulator",
        path.display()
    )]
    TooLong {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error(
        "cannot read simulator state {}: line {line} is change {seq}, but the state file and the lines before it end at change {last}; changes are missing, so the account cannot be rebuilt",
        path.display()
    )]
    LogGap {
        path: PathBuf,
        line: usize,
        seq: u64,
        last: u64,
    },
    #[error("cannot write simulator state {}: {source}", path.display())]
    WriteState {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "simulator state {} is in use by another simulator (another `wsctl --sim` or `wsctl sim serve`); wait for it to finish, or use another --state file",
        path.display()
    )]
    StateInUse { path: PathBuf },
    #[error("simulator server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot wait for Ctrl-C or SIGTERM: {0}")]
    Signal(std::io::Error),
}

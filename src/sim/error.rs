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

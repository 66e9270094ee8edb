//! The man pages and completion scripts in `share/`, which the release
//! archives carry, are what the clap definitions generate now: a changed
//! flag or help text fails here until they are regenerated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;
use wsctl::commands::cli::Cli;

/// Set to rewrite `share/` from the clap definitions instead of failing.
const UPDATE: &str = "WSCTL_UPDATE_SHARE";

/// Each completion script by its file name, as `wsctl completions SHELL`
/// prints it and as each shell looks it up.
const COMPLETIONS: [(&str, &str); 3] = [
    ("bash", "wsctl.bash"),
    ("zsh", "_wsctl"),
    ("fish", "wsctl.fish"),
];

fn share() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("share")
}

/// Every file `share/` should hold, by its path inside `share/`.
fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let pages = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    clap_mangen::generate_to(Cli::command(), pages.path())
        .unwrap_or_else(|error| panic!("cannot generate the man pages: {error}"));
    for (name, bytes) in read_dir(pages.path()) {
        files.insert(Path::new("man/man1").join(name), bytes);
    }
    for (shell, name) in COMPLETIONS {
        let output = Command::new(env!("CARGO_BIN_EXE_wsctl"))
            .args(["completions", shell])
            .output()
            .unwrap_or_else(|error| panic!("cannot run wsctl: {error}"));
        assert!(output.status.success(), "wsctl completions {shell} failed");
        files.insert(Path::new("completions").join(name), output.stdout);
    }
    files
}

/// The files directly in `dir`, by name.
fn read_dir(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            (PathBuf::from(entry.file_name()), bytes)
        })
        .collect()
}

fn committed() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for sub in ["man/man1", "completions"] {
        for (name, bytes) in read_dir(&share().join(sub)) {
            files.insert(Path::new(sub).join(name), bytes);
        }
    }
    files
}

fn write(files: &BTreeMap<PathBuf, Vec<u8>>) {
    for sub in ["man", "completions"] {
        let _ = std::fs::remove_dir_all(share().join(sub));
    }
    for (path, bytes) in files {
        let path = share().join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|error| panic!("{error}"));
        }
        std::fs::write(&path, bytes)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    }
}

#[test]
fn share_holds_the_man_pages_and_completions_the_cli_generates() {
    let generated = generated();
    let committed = committed();
    if generated == committed {
        return;
    }
    if std::env::var_os(UPDATE).is_some() {
        write(&generated);
        return;
    }
    let mut stale: Vec<String> = generated
        .iter()
        .filter(|(path, bytes)| committed.get(*path) != Some(*bytes))
        .map(|(path, _)| format!("share/{} is not what the CLI generates", path.display()))
        .collect();
    stale.extend(
        committed
            .keys()
            .filter(|path| !generated.contains_key(*path))
            .map(|path| format!("share/{} is generated no more", path.display())),
    );
    panic!(
        "{}\nregenerate share/ with\n\n    {UPDATE}=1 cargo test --test dist share\n",
        stale.join("\n")
    );
}

/// `man wsctl-plan` and the like: each command has its page beside
/// `wsctl.1`.
#[test]
fn every_command_has_a_man_page() {
    let generated = generated();
    assert!(generated.contains_key(Path::new("man/man1/wsctl.1")));
    for command in Cli::command().get_subcommands() {
        let page = format!("man/man1/wsctl-{}.1", command.get_name());
        assert!(generated.contains_key(Path::new(&page)), "no {page}");
    }
}

//! `wsctl validate`: the fleet file checked without calling AWS.

use std::process::ExitCode;

use super::cli::FileArgs;
use super::{Error, counted, load};

pub(super) fn validate(args: &FileArgs) -> Result<ExitCode, Error> {
    let fleet = load(args)?;
    let counts = [
        (fleet.workspaces.len(), "WorkSpace", "WorkSpaces"),
        (fleet.bundles.len(), "bundle", "bundles"),
        (fleet.images.len(), "image", "images"),
        (fleet.directories.len(), "directory", "directories"),
        (fleet.ip_groups.len(), "IP group", "IP groups"),
        (
            fleet.connection_aliases.len(),
            "connection alias",
            "connection aliases",
        ),
    ];
    // What the file has none of goes unsaid, except WorkSpaces.
    let said: Vec<(usize, &str, &str)> = counts
        .iter()
        .enumerate()
        .filter(|(i, (n, _, _))| *i == 0 || *n > 0)
        .map(|(_, count)| *count)
        .collect();
    outln!(
        "{} is valid: {} (stack {}).",
        args.file.display(),
        counted(&said),
        fleet.settings.stack
    );
    Ok(ExitCode::SUCCESS)
}

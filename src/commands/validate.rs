//! `wsctl validate`: the fleet file checked without calling AWS.

use std::process::ExitCode;

use super::cli::FileArgs;
use super::{Error, load};

pub(super) fn validate(args: &FileArgs) -> Result<ExitCode, Error> {
    let fleet = load(args)?;
    outln!(
        "{} is valid: {} WorkSpaces, {} bundles, {} images (stack {}).",
        args.file.display(),
        fleet.workspaces.len(),
        fleet.bundles.len(),
        fleet.images.len(),
        fleet.settings.stack
    );
    Ok(ExitCode::SUCCESS)
}

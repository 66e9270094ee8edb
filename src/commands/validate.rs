//! `wsctl validate`: the fleet file checked without calling AWS.

use std::process::ExitCode;

use super::cli::FileArgs;
use super::{Error, counted, load};
use crate::address::Kind;

pub(super) fn validate(args: &FileArgs) -> Result<ExitCode, Error> {
    let fleet = load(args)?;
    // What the file has none of goes unsaid, except WorkSpaces.
    let said = counted(
        |kind| fleet.count(kind),
        |kind, n| kind == Kind::Workspace || n > 0,
    );
    outln!(
        "{} is valid: {} (stack {}).",
        args.file.display(),
        said,
        fleet.settings.stack
    );
    Ok(ExitCode::SUCCESS)
}

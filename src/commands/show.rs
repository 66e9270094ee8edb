//! `wsctl show`: a saved plan rendered.

use std::process::ExitCode;

use super::cli::ShowArgs;
use super::{Error, read_saved, stdout_style};
use crate::render;

pub(super) fn show(args: &ShowArgs) -> Result<ExitCode, Error> {
    let plan = read_saved(&args.saved)?;
    out!("{}", render::render(&plan, args.format, stdout_style()));
    Ok(ExitCode::SUCCESS)
}

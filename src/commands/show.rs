//! `wsctl show`: a saved plan rendered.

use std::process::ExitCode;

use super::cli::ShowArgs;
use super::{Error, stdout_style};
use crate::{plan, render};

pub(super) fn show(args: &ShowArgs) -> Result<ExitCode, Error> {
    let plan = plan::read(&args.saved).map_err(Error::PlanFile)?;
    out!("{}", render::render(&plan, args.format, stdout_style()));
    Ok(ExitCode::SUCCESS)
}

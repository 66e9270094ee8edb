//! `wsctl destroy`: the plan of an empty file of the same stack, carried out.

use std::process::ExitCode;

use super::Error;
use super::apply::carry_out;
use super::cli::{DestroyArgs, Global};
use super::plan::make_plan;
use crate::apply::{ApplyOptions, Polling};

pub(super) async fn destroy(global: &Global, args: &DestroyArgs) -> Result<ExitCode, Error> {
    let planned = make_plan(global, &args.file, &[], &args.calls, true).await?;
    let options = ApplyOptions {
        wait: true,
        polling: Polling::default(),
    };
    carry_out(planned, &args.approval, &options).await
}

//! `wsctl destroy`: the plan of an empty file of the same stack, carried out.

use std::process::ExitCode;

use super::apply::carry_out;
use super::cli::{DestroyArgs, Global};
use super::cost::guard;
use super::plan::make_plan;
use super::{Deadline, Error};
use crate::apply::{ApplyOptions, Polling};

pub(super) async fn destroy(
    global: &Global,
    args: &DestroyArgs,
    deadline: Deadline,
) -> Result<ExitCode, Error> {
    let planned = deadline
        .within(make_plan(
            global,
            &args.file,
            &[],
            &args.calls,
            &args.costs,
            true,
        ))
        .await?;
    guard(&planned, &args.costs, "nothing was changed")?;
    let options = ApplyOptions {
        wait: true,
        polling: Polling::default(),
    };
    carry_out(planned, &args.approval, &options, deadline).await
}

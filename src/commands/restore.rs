//! `wsctl restore`: one WorkSpace rolled back to its restore snapshot, as a
//! plan of one change, rendered, guarded and applied like any plan.

use std::process::ExitCode;

use super::apply::carry_out;
use super::cli::{Approval, Global, RestoreArgs};
use super::connect::connect;
use super::plan::Planned;
use super::workspace::desired;
use super::{Deadline, Error, load_with_text};
use crate::address::Address;
use crate::apply::{ApplyOptions, Polling};
use crate::live;
use crate::plan;

pub(super) async fn restore(
    global: &Global,
    args: &RestoreArgs,
    deadline: Deadline,
) -> Result<ExitCode, Error> {
    let (fleet, source) = load_with_text(&args.file)?;
    let desired = desired(&fleet, &args.address, &args.file)?;
    let address = Address::workspace(&desired.name);
    // Both refusals come before any call, so nothing is changed.
    if !args.allow_data_loss && !desired.allow_data_loss {
        return Err(Error::DataLoss(vec![format!("{address} (restored)")]));
    }
    if args.snapshot_current_volumes {
        return Err(Error::SnapshotCurrentVolumes { address });
    }
    let (connection, live) = deadline
        .within(async {
            let connection = connect(
                global,
                fleet.settings.region.as_deref(),
                crate::aws::DEFAULT_PARALLELISM,
            )
            .await?;
            let live = live::fetch_one(&connection.aws, &desired.key()).await?;
            Ok((connection, live))
        })
        .await?;
    let mut plan =
        plan::restore(&fleet, desired, &live).map_err(|errors| Error::Plan { errors, source })?;
    plan.region = connection.region.clone();
    // `--allow-data-loss` (or the WorkSpace's own setting) is the consent.
    let approval = Approval {
        auto_approve: true,
        allow_data_loss: args.allow_data_loss,
    };
    let options = ApplyOptions {
        wait: true,
        polling: Polling::default(),
    };
    carry_out(
        Planned {
            plan,
            connection,
            cost_limit: None,
        },
        &approval,
        &options,
        deadline,
    )
    .await
}

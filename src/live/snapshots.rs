//! DescribeWorkspaceSnapshots: the snapshots a rebuild or a restore would
//! use. Read for the `snapshots` and `restore` commands, and by the plan only
//! for WorkSpaces it may heal: one call per WorkSpace, so never for a fleet.

use std::collections::HashSet;

use aws_sdk_workspaces::types::Snapshot;
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use super::{LiveWorkspace, Owned, WorkspaceKey};
use crate::aws::{ApiError, Aws, api_error};
use crate::spec::{Fleet, Heal, Workspace};
use crate::states::WorkspaceState;

/// States in which AWS reports a WorkSpace broken and a heal policy acts.
pub const UNWELL_STATES: [WorkspaceState; 2] = [WorkspaceState::Unhealthy, WorkspaceState::Error];

/// A WorkSpace's snapshots, each list newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshots {
    /// Root and user volume together: what RestoreWorkspace goes back to.
    pub restore: Vec<DateTime>,
    /// The user volume: what RebuildWorkspaces recreates it from.
    pub rebuild: Vec<DateTime>,
}

/// One WorkSpace's snapshots, the call within the run's call limit.
pub async fn describe_snapshots(aws: &Aws, workspace_id: &str) -> Result<Snapshots, ApiError> {
    let call = aws
        .workspaces
        .describe_workspace_snapshots()
        .workspace_id(workspace_id)
        .send();
    let output = aws
        .limit
        .run(call)
        .await
        .map_err(|e| api_error("DescribeWorkspaceSnapshots", e))?;
    Ok(Snapshots {
        restore: newest_first(output.restore_snapshots()),
        rebuild: newest_first(output.rebuild_snapshots()),
    })
}

/// AWS documents no order for the lists.
fn newest_first(snapshots: &[Snapshot]) -> Vec<DateTime> {
    let mut times: Vec<DateTime> = snapshots.iter().filter_map(|s| s.snapshot_time).collect();
    times.sort_by(|a, b| b.cmp(a));
    times
}

/// `2024-01-01T00:00:00Z`.
pub fn timestamp(time: &DateTime) -> String {
    time.fmt(Format::DateTime)
        .unwrap_or_else(|_| format!("{} s after the epoch", time.secs()))
}

/// The live WorkSpaces the plan may heal: UNHEALTHY or ERROR, owned by the
/// stack, and (by name tag, else by natural key) a WorkSpace of the file
/// whose `heal` is not `none`.
pub(super) fn healable<'a>(fleet: &Fleet, workspaces: &'a [LiveWorkspace]) -> Vec<&'a str> {
    let stack = fleet.settings.stack.as_str();
    let healing = || fleet.workspaces.iter().filter(|d| d.heal != Heal::None);
    let names: HashSet<&str> = healing().map(|d| d.name.as_str()).collect();
    let keys: HashSet<WorkspaceKey> = healing().map(Workspace::key).collect();
    workspaces
        .iter()
        .filter(|w| UNWELL_STATES.contains(&w.state) && w.stack() == Some(stack))
        .filter(|w| match w.name_tag() {
            Some(name) => names.contains(name),
            None => keys.contains(&w.key()),
        })
        .map(|w| w.id.as_str())
        .collect()
}

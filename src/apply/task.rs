//! One API call (or batch of 25) of an apply, and the waits that follow it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_workspaces::Client;

use super::calls;
use super::progress::Progress;
use super::waiter::{self, Polling, Until, Waiter};
use crate::address::Address;
use crate::aws::CallLimit;
use crate::plan::{IdRef, NewImageSource, Operation};

/// Ids this apply created, by resource, for the operations that refer to
/// them (`IdRef::CreatedBy`): a new bundle's image, a new WorkSpace's bundle.
#[derive(Clone, Default)]
pub(super) struct Ids(Arc<Mutex<HashMap<Address, String>>>);

impl Ids {
    fn record(&self, address: &Address, id: &str) {
        let mut ids = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ids.insert(address.clone(), id.to_owned());
    }

    fn resolve(&self, id: &IdRef) -> Result<String, String> {
        match id {
            IdRef::Id(id) => Ok(id.clone()),
            IdRef::CreatedBy { created_by } => {
                let ids = self.0.lock().unwrap_or_else(|e| e.into_inner());
                ids.get(created_by)
                    .cloned()
                    .ok_or_else(|| format!("{created_by} has no id: it was not created"))
            }
        }
    }
}

/// One call (or batch) and the waits that follow it.
pub(super) struct Task {
    pub(super) client: Client,
    pub(super) limit: CallLimit,
    pub(super) waiter: Waiter,
    pub(super) progress: Progress,
    pub(super) polling: Polling,
    pub(super) ids: Ids,
    /// (step index, resource, operation, wait for its result)
    pub(super) plan_steps: Vec<(usize, Address, Operation, bool)>,
}

pub(super) type StepResult = (usize, Result<(), String>);

impl Task {
    /// One API call within `--parallelism`; the waits that follow hold no
    /// slot, so a thousand modifications in progress do not block the rest.
    async fn limited<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        self.limit.run(call).await
    }

    pub(super) async fn run(self) -> Vec<StepResult> {
        let Some((_, _, first, _)) = self.plan_steps.first() else {
            return Vec::new();
        };
        match first {
            Operation::CreateWorkspace(_) => self.create().await,
            Operation::TerminateWorkspace { .. } => self.terminate().await,
            Operation::RebootWorkspace { .. } => self.reboot().await,
            _ => {
                let mut results = Vec::new();
                for (index, address, operation, wait) in &self.plan_steps {
                    results.push((*index, self.single(address, operation, *wait).await));
                }
                results
            }
        }
    }

    async fn create(&self) -> Vec<StepResult> {
        let mut results = Vec::new();
        let mut batch = Vec::new();
        let mut steps = Vec::new();
        for step in &self.plan_steps {
            let (index, _, Operation::CreateWorkspace(new), _) = step else {
                continue;
            };
            match self.ids.resolve(&new.bundle_id) {
                Ok(bundle) => {
                    batch.push((new, bundle));
                    steps.push(step);
                }
                Err(error) => results.push((*index, Err(error))),
            }
        }
        if batch.is_empty() {
            return results;
        }
        let created = self
            .limited(calls::create_workspaces(&self.client, &batch))
            .await;
        for ((_, address, _, _), result) in steps.iter().zip(&created) {
            if let Ok(id) = result {
                self.ids.record(address, id);
            }
        }
        results.extend(self.then_wait(&steps, created, Until::Available).await);
        results
    }

    async fn terminate(&self) -> Vec<StepResult> {
        let ids: Vec<&str> = self
            .plan_steps
            .iter()
            .filter_map(|(_, _, op, _)| match op {
                Operation::TerminateWorkspace { workspace_id } => Some(workspace_id.as_str()),
                _ => None,
            })
            .collect();
        let terminated = self
            .limited(calls::terminate_workspaces(&self.client, &ids))
            .await;
        let steps: Vec<_> = self.plan_steps.iter().collect();
        self.then_wait(&steps, terminated, Until::Gone).await
    }

    async fn reboot(&self) -> Vec<StepResult> {
        let ids: Vec<&str> = self
            .plan_steps
            .iter()
            .filter_map(|(_, _, op, _)| match op {
                Operation::RebootWorkspace { workspace_id } => Some(workspace_id.as_str()),
                _ => None,
            })
            .collect();
        let rebooted = self
            .limited(calls::reboot_workspaces(&self.client, &ids))
            .await;
        let steps: Vec<_> = self.plan_steps.iter().collect();
        self.then_wait(&steps, rebooted, Until::Available).await
    }

    async fn then_wait(
        &self,
        steps: &[&(usize, Address, Operation, bool)],
        results: Vec<calls::ItemResult>,
        until: Until,
    ) -> Vec<StepResult> {
        let waits = steps
            .iter()
            .zip(results)
            .map(|((index, _, _, wait), result)| async move {
                let outcome = match result {
                    Ok(id) if *wait => self
                        .waiter
                        .wait(&id, until)
                        .await
                        .map_err(|e| e.to_string()),
                    Ok(_) => Ok(()),
                    Err(error) => Err(error.to_string()),
                };
                (*index, outcome)
            });
        futures::future::join_all(waits).await
    }

    async fn single(
        &self,
        address: &Address,
        operation: &Operation,
        wait: bool,
    ) -> Result<(), String> {
        let text = |e: &dyn std::fmt::Display| e.to_string();
        match operation {
            Operation::ModifyWorkspace {
                workspace_id,
                modification,
            } => {
                self.waiter
                    .wait(workspace_id, Until::Settled)
                    .await
                    .map_err(|e| text(&e))?;
                self.limited(calls::modify_workspace(
                    &self.client,
                    workspace_id,
                    modification,
                ))
                .await
                .map_err(|e| text(&e))?;
                if wait {
                    self.waiter
                        .wait(workspace_id, Until::Settled)
                        .await
                        .map_err(|e| text(&e))?;
                }
                Ok(())
            }
            Operation::MigrateWorkspace {
                workspace_id,
                bundle_id,
            } => {
                let bundle = self.ids.resolve(bundle_id)?;
                let target = self
                    .limited(calls::migrate_workspace(
                        &self.client,
                        workspace_id,
                        &bundle,
                    ))
                    .await
                    .map_err(|e| text(&e))?;
                self.ids.record(address, &target);
                if wait {
                    self.waiter
                        .wait(&target, Until::Available)
                        .await
                        .map_err(|e| text(&e))?;
                }
                Ok(())
            }
            Operation::RebuildWorkspace { workspace_id } => {
                self.limited(calls::rebuild_workspace(&self.client, workspace_id))
                    .await
                    .map_err(|e| text(&e))?;
                self.wait_available(workspace_id, wait).await
            }
            Operation::RestoreWorkspace { workspace_id } => {
                self.limited(calls::restore_workspace(&self.client, workspace_id))
                    .await
                    .map_err(|e| text(&e))?;
                self.wait_available(workspace_id, wait).await
            }
            Operation::EnableByol { management_cidr } => {
                self.limited(calls::enable_byol(&self.client, management_cidr))
                    .await
                    .map_err(|e| text(&e))?;
                if wait {
                    waiter::byol_enabled(
                        &self.client,
                        &self.limit,
                        management_cidr,
                        self.polling,
                        &self.progress,
                    )
                    .await
                    .map_err(|e| text(&e))?;
                }
                Ok(())
            }
            Operation::CreateImage(image) => {
                let source = match &image.source {
                    NewImageSource::UpdateOf { source_image_id } => {
                        Some(self.ids.resolve(source_image_id)?)
                    }
                    _ => None,
                };
                let id = self
                    .limited(calls::create_image(&self.client, image, source.as_deref()))
                    .await
                    .map_err(|e| text(&e))?;
                self.ids.record(address, &id);
                if wait {
                    waiter::image_available(
                        &self.client,
                        &self.limit,
                        &id,
                        self.polling,
                        &self.progress,
                    )
                    .await
                    .map_err(|e| text(&e))?;
                }
                Ok(())
            }
            Operation::DeleteImage { image_id } => self
                .limited(calls::delete_image(&self.client, image_id))
                .await
                .map_err(|e| text(&e)),
            Operation::CreateBundle(bundle) => {
                let image = self.ids.resolve(&bundle.image_id)?;
                let id = self
                    .limited(calls::create_bundle(&self.client, bundle, &image))
                    .await
                    .map_err(|e| text(&e))?;
                self.ids.record(address, &id);
                Ok(())
            }
            Operation::UpdateBundle {
                bundle_id,
                image_id,
            } => {
                let image = self.ids.resolve(image_id)?;
                self.limited(calls::update_bundle(&self.client, bundle_id, &image))
                    .await
                    .map_err(|e| text(&e))
            }
            Operation::DeleteBundle { bundle_id } => self
                .limited(calls::delete_bundle(&self.client, bundle_id))
                .await
                .map_err(|e| text(&e)),
            Operation::TagResource { resource_id, tags } => self
                .limited(calls::tag_resource(&self.client, resource_id, tags))
                .await
                .map_err(|e| text(&e)),
            Operation::UntagResource { resource_id, keys } => self
                .limited(calls::untag_resource(&self.client, resource_id, keys))
                .await
                .map_err(|e| text(&e)),
            Operation::CreateWorkspace(_)
            | Operation::TerminateWorkspace { .. }
            | Operation::RebootWorkspace { .. } => Err(format!(
                "{} is batched, not run alone",
                operation.api_name()
            )),
        }
    }

    async fn wait_available(&self, workspace_id: &str, wait: bool) -> Result<(), String> {
        if !wait {
            return Ok(());
        }
        self.waiter
            .wait(workspace_id, Until::Available)
            .await
            .map_err(|e| e.to_string())
    }
}

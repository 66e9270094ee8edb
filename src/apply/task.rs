//! One call of the plan's order (a batch of up to 25, or one operation), and
//! the waits that follow it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use aws_sdk_workspaces::Client;

use super::StepError;
use super::calls;
use super::interrupt::Interrupt;
use super::progress::Progress;
use super::registrations::{Registration, Registrations};
use super::waiter::{self, AliasUntil, Polling, Until, Waiter};
use crate::address::Address;
use crate::aws::CallLimit;
use crate::directory_settings::{Group, GroupSettings};
use crate::kinds::{IpRule, connection_alias, ip_group};
use crate::plan::{
    IdRef, Modification, NewBundle, NewDirectory, NewImage, NewImageSource, NewIpGroup, Operation,
};

/// Ids this apply created, by resource, for the operations that refer to
/// them (`IdRef::CreatedBy`): a new bundle's image, a new WorkSpace's bundle.
#[derive(Clone, Default)]
pub(super) struct Ids(Arc<Mutex<HashMap<Address, String>>>);

impl Ids {
    fn record(&self, address: &Address, id: &str) {
        let mut ids = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ids.insert(address.clone(), id.to_owned());
    }

    fn resolve(&self, id: &IdRef) -> Result<String, StepError> {
        match id {
            IdRef::Id(id) => Ok(id.clone()),
            IdRef::CreatedBy { created_by } => {
                let ids = self.0.lock().unwrap_or_else(|e| e.into_inner());
                ids.get(created_by)
                    .cloned()
                    .ok_or_else(|| StepError::Unresolved {
                        created_by: created_by.clone(),
                    })
            }
        }
    }
}

/// One step of the plan's order, as its call carries it.
pub(super) struct TaskStep {
    /// The step's place in the walk.
    pub(super) index: usize,
    pub(super) address: Address,
    pub(super) operation: Operation,
    /// Wait for its result (something later needs it, or `--no-wait` is off).
    pub(super) wait: bool,
}

/// One call and the waits that follow it.
pub(super) struct Task {
    pub(super) client: Client,
    pub(super) limit: CallLimit,
    pub(super) waiter: Waiter,
    pub(super) registrations: Registrations,
    pub(super) progress: Progress,
    pub(super) polling: Polling,
    pub(super) ids: Ids,
    pub(super) interrupt: Interrupt,
    /// The steps the call carries: several for a batched operation, one
    /// for any other.
    pub(super) steps: Vec<TaskStep>,
}

pub(super) type StepResult = (usize, Result<(), StepError>);

impl Task {
    /// One API call within `--parallelism`; the waits that follow hold no
    /// slot, so a thousand modifications in progress do not block the rest.
    async fn limited<T, E: Into<StepError>>(
        &self,
        call: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, StepError> {
        match self.gated(call).await {
            Some(result) => result.map_err(Into::into),
            None => Err(StepError::NotStarted),
        }
    }

    /// The call once its slot comes, unless the apply was interrupted
    /// meanwhile: then it never starts.
    async fn gated<T>(&self, call: impl std::future::Future<Output = T>) -> Option<T> {
        self.limit
            .run(async {
                if self.interrupt.is_triggered() {
                    None
                } else {
                    Some(call.await)
                }
            })
            .await
    }

    fn not_started(steps: &[&TaskStep]) -> Vec<StepResult> {
        steps
            .iter()
            .map(|step| (step.index, Err(StepError::NotStarted)))
            .collect()
    }

    /// The call of the task's operation, by kind: a batched operation
    /// carries every step of the task, any other its one step.
    pub(super) async fn run(self) -> Vec<StepResult> {
        let Some(step) = self.steps.first() else {
            return Vec::new();
        };
        let result = match &step.operation {
            Operation::CreateWorkspace(_) => return self.create().await,
            Operation::TerminateWorkspace { .. } => return self.terminate().await,
            Operation::RebootWorkspace { .. } => return self.reboot().await,
            Operation::ModifyWorkspace {
                workspace_id,
                modification,
            } => self.modify(workspace_id, modification, step.wait).await,
            Operation::MigrateWorkspace {
                workspace_id,
                bundle_id,
            } => self.migrate(step, workspace_id, bundle_id).await,
            Operation::RebuildWorkspace { workspace_id } => self.rebuild(step, workspace_id).await,
            Operation::RestoreWorkspace { workspace_id } => self.restore(step, workspace_id).await,
            Operation::EnableByol { management_cidr } => {
                self.enable_byol(management_cidr, step.wait).await
            }
            Operation::CreateImage(image) => self.create_image(step, image).await,
            Operation::DeleteImage { image_id } => self.delete_image(image_id).await,
            Operation::UpdateImagePermission {
                image_id,
                account_id,
                allow_copy_image,
            } => {
                self.share_image(image_id, account_id, *allow_copy_image)
                    .await
            }
            Operation::CreateBundle(bundle) => self.create_bundle(step, bundle).await,
            Operation::UpdateBundle {
                bundle_id,
                image_id,
            } => self.update_bundle(bundle_id, image_id).await,
            Operation::DeleteBundle { bundle_id } => self.delete_bundle(bundle_id).await,
            Operation::CreateIpGroup(group) => self.create_ip_group(step, group).await,
            Operation::UpdateIpRules { group_id, rules } => {
                self.update_ip_rules(group_id, rules).await
            }
            Operation::DeleteIpGroup { group_id } => self.delete_ip_group(group_id).await,
            Operation::RegisterDirectory(directory) => self.register(step, directory).await,
            Operation::DeregisterDirectory { directory_id } => {
                self.deregister(step, directory_id).await
            }
            Operation::ModifyDirectory {
                directory_id,
                group,
                settings,
            } => self.modify_directory(directory_id, *group, settings).await,
            Operation::AssociateIpGroups {
                directory_id,
                group_ids,
            } => self.associate(directory_id, group_ids).await,
            Operation::DisassociateIpGroups {
                directory_id,
                group_ids,
            } => self.disassociate(directory_id, group_ids).await,
            Operation::TagResource { resource_id, tags } => self.tag(resource_id, tags).await,
            Operation::UntagResource { resource_id, keys } => self.untag(resource_id, keys).await,
            Operation::CreateConnectionAlias {
                connection_string,
                tags,
            } => self.create_alias(step, connection_string, tags).await,
            Operation::AssociateConnectionAlias {
                alias_id,
                directory_id,
            } => self.associate_alias(step, alias_id, directory_id).await,
            Operation::DisassociateConnectionAlias {
                alias_id,
                directory_id,
            } => self.disassociate_alias(step, alias_id, directory_id).await,
            Operation::UpdateConnectionAliasPermission {
                alias_id,
                account_id,
                allow_association,
            } => {
                self.share_alias(alias_id, account_id, *allow_association)
                    .await
            }
            Operation::DeleteConnectionAlias { alias_id } => {
                self.delete_alias(step, alias_id).await
            }
        };
        vec![(step.index, result)]
    }

    async fn create(&self) -> Vec<StepResult> {
        let mut results = Vec::new();
        let mut batch = Vec::new();
        let mut steps = Vec::new();
        for step in &self.steps {
            let Operation::CreateWorkspace(new) = &step.operation else {
                continue;
            };
            match self.ids.resolve(&new.bundle_id) {
                Ok(bundle) => {
                    batch.push((new, bundle));
                    steps.push(step);
                }
                Err(error) => results.push((step.index, Err(error))),
            }
        }
        if batch.is_empty() {
            return results;
        }
        let Some(created) = self
            .gated(calls::create_workspaces(&self.client, &batch))
            .await
        else {
            results.extend(Self::not_started(&steps));
            return results;
        };
        for (step, result) in steps.iter().zip(&created) {
            if let Ok(id) = result {
                self.ids.record(&step.address, id);
            }
        }
        results.extend(self.then_wait(&steps, created, Until::Available).await);
        results
    }

    async fn terminate(&self) -> Vec<StepResult> {
        let ids = self.workspace_ids(|operation| match operation {
            Operation::TerminateWorkspace { workspace_id } => Some(workspace_id),
            _ => None,
        });
        let call = calls::terminate_workspaces(&self.client, &ids);
        self.batch(call, Until::Gone).await
    }

    async fn reboot(&self) -> Vec<StepResult> {
        let ids = self.workspace_ids(|operation| match operation {
            Operation::RebootWorkspace { workspace_id } => Some(workspace_id),
            _ => None,
        });
        let call = calls::reboot_workspaces(&self.client, &ids);
        self.batch(call, Until::Available).await
    }

    /// The WorkSpaces of the task's steps, as `id_of` reads each operation.
    fn workspace_ids<'s>(&'s self, id_of: fn(&'s Operation) -> Option<&'s String>) -> Vec<&'s str> {
        let ids = self.steps.iter().filter_map(|step| id_of(&step.operation));
        ids.map(String::as_str).collect()
    }

    /// A call that carries every step of the task, then each step's wait.
    async fn batch(
        &self,
        call: impl std::future::Future<Output = Vec<calls::ItemResult>>,
        until: Until,
    ) -> Vec<StepResult> {
        let steps: Vec<_> = self.steps.iter().collect();
        let Some(results) = self.gated(call).await else {
            return Self::not_started(&steps);
        };
        self.then_wait(&steps, results, until).await
    }

    async fn then_wait(
        &self,
        steps: &[&TaskStep],
        results: Vec<calls::ItemResult>,
        until: Until,
    ) -> Vec<StepResult> {
        let waits = steps.iter().zip(results).map(|(step, result)| async move {
            let outcome = match result {
                Ok(id) if step.wait => self.waiter.wait(&id, until).await.map_err(Into::into),
                Ok(_) => Ok(()),
                Err(error) => Err(error),
            };
            (step.index, outcome)
        });
        futures::future::join_all(waits).await
    }

    /// AWS takes one property change at a time, and none while another is
    /// under way: wait for the WorkSpace to settle before and after.
    async fn modify(
        &self,
        workspace_id: &IdRef,
        modification: &Modification,
        wait: bool,
    ) -> Result<(), StepError> {
        let workspace_id = self.ids.resolve(workspace_id)?;
        self.waiter.wait(&workspace_id, Until::Settled).await?;
        self.limited(calls::modify_workspace(
            &self.client,
            &workspace_id,
            modification,
        ))
        .await?;
        if wait {
            self.waiter.wait(&workspace_id, Until::Settled).await?;
        }
        Ok(())
    }

    async fn tag(
        &self,
        resource_id: &IdRef,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), StepError> {
        let resource_id = self.ids.resolve(resource_id)?;
        self.limited(calls::tag_resource(&self.client, &resource_id, tags))
            .await
    }

    async fn untag(&self, resource_id: &IdRef, keys: &[String]) -> Result<(), StepError> {
        let resource_id = self.ids.resolve(resource_id)?;
        self.limited(calls::untag_resource(&self.client, &resource_id, keys))
            .await
    }

    async fn migrate(
        &self,
        step: &TaskStep,
        workspace_id: &str,
        bundle_id: &IdRef,
    ) -> Result<(), StepError> {
        let bundle = self.ids.resolve(bundle_id)?;
        let target = self
            .limited(calls::migrate_workspace(
                &self.client,
                workspace_id,
                &bundle,
            ))
            .await?;
        self.ids.record(&step.address, &target);
        if step.wait {
            self.waiter.wait(&target, Until::Available).await?;
        }
        Ok(())
    }

    async fn enable_byol(&self, management_cidr: &str, wait: bool) -> Result<(), StepError> {
        self.limited(calls::enable_byol(&self.client, management_cidr))
            .await?;
        if wait {
            waiter::byol_enabled(
                &self.client,
                &self.limit,
                management_cidr,
                self.polling,
                &self.progress,
            )
            .await?;
        }
        Ok(())
    }

    async fn create_image(&self, step: &TaskStep, image: &NewImage) -> Result<(), StepError> {
        let source = match &image.source {
            NewImageSource::UpdateOf { source_image_id } => {
                Some(self.ids.resolve(source_image_id)?)
            }
            _ => None,
        };
        let id = self
            .limited(calls::create_image(&self.client, image, source.as_deref()))
            .await?;
        self.ids.record(&step.address, &id);
        if step.wait {
            waiter::image_available(&self.client, &self.limit, &id, self.polling, &self.progress)
                .await?;
        }
        Ok(())
    }

    async fn create_bundle(&self, step: &TaskStep, bundle: &NewBundle) -> Result<(), StepError> {
        let image = self.ids.resolve(&bundle.image_id)?;
        let id = self
            .limited(calls::create_bundle(&self.client, bundle, &image))
            .await?;
        self.ids.record(&step.address, &id);
        Ok(())
    }

    async fn update_bundle(&self, bundle_id: &str, image_id: &IdRef) -> Result<(), StepError> {
        let image = self.ids.resolve(image_id)?;
        self.limited(calls::update_bundle(&self.client, bundle_id, &image))
            .await
    }

    async fn share_image(
        &self,
        image_id: &IdRef,
        account_id: &str,
        allow: bool,
    ) -> Result<(), StepError> {
        let image = self.ids.resolve(image_id)?;
        self.limited(calls::update_image_permission(
            &self.client,
            &image,
            account_id,
            allow,
        ))
        .await
    }

    async fn alias_reaches(&self, alias_id: &str, until: AliasUntil<'_>) -> Result<(), StepError> {
        waiter::connection_alias(
            &self.client,
            &self.limit,
            alias_id,
            until,
            self.polling,
            &self.progress,
        )
        .await
        .map_err(Into::into)
    }

    async fn create_alias(
        &self,
        step: &TaskStep,
        connection_string: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), StepError> {
        let id = self
            .limited(connection_alias::calls::create(
                &self.client,
                connection_string,
                tags,
            ))
            .await?;
        self.ids.record(&step.address, &id);
        if step.wait {
            self.alias_reaches(&id, AliasUntil::Created).await?;
        }
        Ok(())
    }

    /// AWS associates only a CREATED alias: one made by an earlier apply
    /// run with `--no-wait` may still be CREATING.
    async fn associate_alias(
        &self,
        step: &TaskStep,
        alias_id: &IdRef,
        directory_id: &str,
    ) -> Result<(), StepError> {
        let alias = self.ids.resolve(alias_id)?;
        self.alias_reaches(&alias, AliasUntil::Created).await?;
        self.limited(connection_alias::calls::associate(
            &self.client,
            &alias,
            directory_id,
        ))
        .await?;
        if step.wait {
            self.alias_reaches(&alias, AliasUntil::Associated(directory_id))
                .await?;
        }
        Ok(())
    }

    async fn create_ip_group(&self, step: &TaskStep, group: &NewIpGroup) -> Result<(), StepError> {
        let id = self
            .limited(ip_group::calls::create(&self.client, group))
            .await?;
        self.ids.record(&step.address, &id);
        Ok(())
    }

    /// Registering and deregistering take AWS a while; what follows (the
    /// directory's settings, its WorkSpaces, deleting its IP groups) waits
    /// until it is over.
    async fn registration(
        &self,
        call: impl std::future::Future<Output = Result<(), crate::aws::ApiError>>,
        directory_id: &str,
        until: Registration,
        wait: bool,
    ) -> Result<(), StepError> {
        self.limited(call).await?;
        if wait {
            self.registrations.wait(directory_id, until).await?;
        }
        Ok(())
    }

    async fn disassociate_alias(
        &self,
        step: &TaskStep,
        alias_id: &str,
        directory_id: &str,
    ) -> Result<(), StepError> {
        self.limited(connection_alias::calls::disassociate(
            &self.client,
            alias_id,
        ))
        .await?;
        if step.wait {
            self.alias_reaches(alias_id, AliasUntil::Disassociated(directory_id))
                .await?;
        }
        Ok(())
    }

    async fn share_alias(
        &self,
        alias_id: &IdRef,
        account_id: &str,
        allow: bool,
    ) -> Result<(), StepError> {
        let alias = self.ids.resolve(alias_id)?;
        self.limited(connection_alias::calls::update_permission(
            &self.client,
            &alias,
            account_id,
            allow,
        ))
        .await
    }

    async fn delete_alias(&self, step: &TaskStep, alias_id: &str) -> Result<(), StepError> {
        self.limited(connection_alias::calls::delete(&self.client, alias_id))
            .await?;
        if step.wait {
            self.alias_reaches(alias_id, AliasUntil::Gone).await?;
        }
        Ok(())
    }

    async fn associate(&self, directory_id: &str, group_ids: &[IdRef]) -> Result<(), StepError> {
        let ids = group_ids
            .iter()
            .map(|id| self.ids.resolve(id))
            .collect::<Result<Vec<_>, _>>()?;
        self.limited(ip_group::calls::associate(&self.client, directory_id, ids))
            .await
    }

    async fn rebuild(&self, step: &TaskStep, workspace_id: &str) -> Result<(), StepError> {
        let call = calls::rebuild_workspace(&self.client, workspace_id);
        self.back_in_service(call, step, workspace_id).await
    }

    async fn restore(&self, step: &TaskStep, workspace_id: &str) -> Result<(), StepError> {
        let call = calls::restore_workspace(&self.client, workspace_id);
        self.back_in_service(call, step, workspace_id).await
    }

    /// A rebuild or restore, then the WorkSpace back in service.
    async fn back_in_service<E: Into<StepError>>(
        &self,
        call: impl std::future::Future<Output = Result<(), E>>,
        step: &TaskStep,
        workspace_id: &str,
    ) -> Result<(), StepError> {
        self.limited(call).await?;
        if step.wait {
            self.waiter.wait(workspace_id, Until::Available).await?;
        }
        Ok(())
    }

    async fn delete_image(&self, image_id: &str) -> Result<(), StepError> {
        self.limited(calls::delete_image(&self.client, image_id))
            .await
    }

    async fn delete_bundle(&self, bundle_id: &str) -> Result<(), StepError> {
        self.limited(calls::delete_bundle(&self.client, bundle_id))
            .await
    }

    async fn update_ip_rules(&self, group_id: &str, rules: &[IpRule]) -> Result<(), StepError> {
        self.limited(ip_group::calls::update_rules(&self.client, group_id, rules))
            .await
    }

    async fn delete_ip_group(&self, group_id: &str) -> Result<(), StepError> {
        self.limited(ip_group::calls::delete(&self.client, group_id))
            .await
    }

    async fn register(&self, step: &TaskStep, directory: &NewDirectory) -> Result<(), StepError> {
        let call = calls::register_directory(&self.client, directory);
        let until = Registration::Registered;
        self.registration(call, &directory.directory_id, until, step.wait)
            .await
    }

    async fn deregister(&self, step: &TaskStep, directory_id: &str) -> Result<(), StepError> {
        let call = calls::deregister_directory(&self.client, directory_id);
        self.registration(call, directory_id, Registration::Gone, step.wait)
            .await
    }

    async fn modify_directory(
        &self,
        directory_id: &str,
        group: Group,
        settings: &GroupSettings,
    ) -> Result<(), StepError> {
        let call = calls::modify_directory(&self.client, directory_id, group, settings);
        self.limited(call).await
    }

    async fn disassociate(
        &self,
        directory_id: &str,
        group_ids: &[String],
    ) -> Result<(), StepError> {
        let call = ip_group::calls::disassociate(&self.client, directory_id, group_ids);
        self.limited(call).await
    }
}

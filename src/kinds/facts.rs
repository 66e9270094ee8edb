//! Which resource waits for which, written once. Two engines order
//! resources: the file's graph (`graph.rs`, before anything is read: cycles
//! and `--target`) and the plan's order (`plan/order.rs`: which change waits
//! for which). What a new resource refers to, and so waits for, is a
//! [`Reference`]; [`Reference::need`] is the one statement of each rule,
//! and both engines call it. The order knows more than the file: what each
//! operation does that another must wait for ([`Operation::effects`]:
//! a terminate frees its user, a disassociation lets go of an IP group…)
//! and what each waits for ([`Operation::waits`]). Each is one exhaustive
//! match, so a new operation does not compile without its facts.

use crate::address::Address;
use crate::directory_settings::Tenancy;
use crate::identity::WorkspaceKey;

use super::{IdRef, NewImageSource, Operation};

/// What a new resource refers to, as the file writes it and as the plan's
/// operations carry it. A reference to another resource is given as that
/// resource's address when the same file or plan makes it, and `None` when
/// it names one the account has (an id, or a name the file does not
/// define).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference<'a> {
    /// A directory's tenancy.
    Tenancy(Option<&'a Tenancy>),
    /// An image imported from EC2.
    ImageImport,
    /// The image an image is an update of.
    ImageUpdateOf(Option<Address>),
    /// A bundle's image.
    BundleImage(Option<Address>),
    /// A WorkSpace's bundle.
    WorkspaceBundle(Option<Address>),
    /// The directory a WorkSpace is in, by id.
    WorkspaceDirectory(&'a str),
    /// An IP group associated with a directory.
    DirectoryIpGroup(Option<Address>),
    /// The directory a connection alias is associated with, by id.
    AliasDirectory(&'a str),
}

/// What a resource waits for, as the file's graph and the plan's order
/// both find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need<'a> {
    /// BYOL on the account, which the account's change turns on.
    Byol,
    /// The resource at this address, made by the same file or plan.
    Made(Address),
    /// The directory of this id registered and set up (its settings and IP
    /// groups), where the same file or plan registers it.
    Directory(&'a str),
}

impl<'a> Reference<'a> {
    /// What the referring resource waits for: the rules of the order.
    pub fn need(self) -> Option<Need<'a>> {
        match self {
            // AWS gives dedicated tenancy only to an account with BYOL on.
            Reference::Tenancy(tenancy) => tenancy
                .is_some_and(Tenancy::is_dedicated)
                .then_some(Need::Byol),
            // Every import is a BYOL import.
            Reference::ImageImport => Some(Need::Byol),
            Reference::ImageUpdateOf(made)
            | Reference::BundleImage(made)
            | Reference::WorkspaceBundle(made)
            | Reference::DirectoryIpGroup(made) => made.map(Need::Made),
            Reference::WorkspaceDirectory(directory_id)
            | Reference::AliasDirectory(directory_id) => Some(Need::Directory(directory_id)),
        }
    }
}

/// What an operation does that another may have to wait for. The order
/// files each change under what its operations do; a change waits for
/// every change filed under what it needs done first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Effect<'a> {
    /// Terminating a WorkSpace frees its (directory, user) for a new one.
    FreesUser(WorkspaceKey),
    /// UpdateWorkspaceBundle points the bundle of this id at another image.
    UpdatesBundle(&'a str),
    /// Terminating or migrating a WorkSpace on the bundle of this id.
    MovesOffBundle(&'a str),
    /// Deleting or repointing a bundle on the image of this id, or making
    /// the image's update (which needs its source).
    MovesOffImage(&'a str),
    /// Registering the directory of this id, or changing its settings or
    /// IP groups.
    PreparesDirectory(&'a str),
    /// Terminating a WorkSpace in the directory of this id.
    EmptiesDirectory(&'a str),
    /// Disassociating the IP group of this id from a directory.
    LetsGoOfIpGroup(&'a str),
    /// Disassociating a connection alias from the directory of this id.
    LetsGoOfDirectory(&'a str),
}

/// What an operation waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait<'a> {
    /// BYOL on the account: the account's change.
    Byol,
    /// The change at this address, which makes what an id refers to.
    Made(Address),
    /// Every change of the plan that does this.
    Every(Effect<'a>),
}

impl<'a> From<Need<'a>> for Wait<'a> {
    fn from(need: Need<'a>) -> Self {
        match need {
            Need::Byol => Wait::Byol,
            Need::Made(address) => Wait::Made(address),
            Need::Directory(directory_id) => Wait::Every(Effect::PreparesDirectory(directory_id)),
        }
    }
}

/// What the facts read of the account as it is: a terminated or migrated
/// WorkSpace's user, bundle and directory, a bundle's image. `kinds` does
/// not use `live`; the plan passes its index in through this.
pub trait LiveLookup<'a> {
    /// The live WorkSpace of this id.
    fn workspace(&self, workspace_id: &str) -> Option<PlacedWorkspace<'a>>;
    /// The image of the live bundle of this id.
    fn bundle_image(&self, bundle_id: &str) -> Option<&'a str>;
}

/// Where a live WorkSpace is: its user, its bundle and its directory.
pub struct PlacedWorkspace<'a> {
    pub key: WorkspaceKey,
    pub bundle_id: &'a str,
    pub directory_id: &'a str,
}

impl IdRef {
    /// The change that makes what this names, if this plan makes it.
    pub fn made_by(&self) -> Option<&Address> {
        match self {
            IdRef::CreatedBy { created_by } => Some(created_by),
            IdRef::Id(_) => None,
        }
    }

    /// The id, if what this names exists already.
    pub fn existing(&self) -> Option<&str> {
        match self {
            IdRef::Id(id) => Some(id),
            IdRef::CreatedBy { .. } => None,
        }
    }

    fn made(&self) -> Option<Address> {
        self.made_by().cloned()
    }
}

impl Operation {
    /// What this operation does that others may wait for.
    pub fn effects<'a>(&'a self, live: &impl LiveLookup<'a>) -> Vec<Effect<'a>> {
        match self {
            Operation::TerminateWorkspace { workspace_id } => live
                .workspace(workspace_id)
                .map(|workspace| {
                    vec![
                        Effect::FreesUser(workspace.key),
                        Effect::MovesOffBundle(workspace.bundle_id),
                        Effect::EmptiesDirectory(workspace.directory_id),
                    ]
                })
                .unwrap_or_default(),
            Operation::MigrateWorkspace { workspace_id, .. } => live
                .workspace(workspace_id)
                .map(|workspace| Effect::MovesOffBundle(workspace.bundle_id))
                .into_iter()
                .collect(),
            Operation::RegisterDirectory(new) => vec![Effect::PreparesDirectory(&new.directory_id)],
            Operation::ModifyDirectory { directory_id, .. }
            | Operation::AssociateIpGroups { directory_id, .. } => {
                vec![Effect::PreparesDirectory(directory_id)]
            }
            Operation::DisassociateConnectionAlias { directory_id, .. } => {
                vec![Effect::LetsGoOfDirectory(directory_id)]
            }
            Operation::DisassociateIpGroups { group_ids, .. } => group_ids
                .iter()
                .map(|group_id| Effect::LetsGoOfIpGroup(group_id))
                .collect(),
            Operation::UpdateBundle { bundle_id, .. } => {
                let mut effects = vec![Effect::UpdatesBundle(bundle_id)];
                effects.extend(live.bundle_image(bundle_id).map(Effect::MovesOffImage));
                effects
            }
            Operation::DeleteBundle { bundle_id } => live
                .bundle_image(bundle_id)
                .map(Effect::MovesOffImage)
                .into_iter()
                .collect(),
            Operation::CreateImage(new) => match &new.source {
                NewImageSource::UpdateOf { source_image_id } => source_image_id
                    .existing()
                    .map(Effect::MovesOffImage)
                    .into_iter()
                    .collect(),
                NewImageSource::Import { .. } | NewImageSource::Copy { .. } => Vec::new(),
            },
            Operation::CreateWorkspace(_)
            | Operation::ModifyWorkspace { .. }
            | Operation::RebootWorkspace { .. }
            | Operation::RebuildWorkspace { .. }
            | Operation::RestoreWorkspace { .. }
            | Operation::EnableByol { .. }
            | Operation::DeleteImage { .. }
            | Operation::CreateBundle(_)
            | Operation::CreateIpGroup(_)
            | Operation::UpdateIpRules { .. }
            | Operation::DeleteIpGroup { .. }
            | Operation::DeregisterDirectory { .. }
            | Operation::TagResource { .. }
            | Operation::UntagResource { .. }
            | Operation::UpdateImagePermission { .. }
            | Operation::CreateConnectionAlias { .. }
            | Operation::AssociateConnectionAlias { .. }
            | Operation::UpdateConnectionAliasPermission { .. }
            | Operation::DeleteConnectionAlias { .. } => Vec::new(),
        }
    }

    /// What this operation waits for, beyond the operation before it in
    /// its change.
    pub fn waits(&self) -> Vec<Wait<'_>> {
        match self {
            Operation::CreateImage(image) => match &image.source {
                NewImageSource::UpdateOf { source_image_id } => {
                    needs([Reference::ImageUpdateOf(source_image_id.made())])
                }
                NewImageSource::Import { .. } => needs([Reference::ImageImport]),
                NewImageSource::Copy { .. } => Vec::new(),
            },
            Operation::CreateBundle(bundle) => {
                needs([Reference::BundleImage(bundle.image_id.made())])
            }
            Operation::UpdateBundle { image_id, .. } => {
                needs([Reference::BundleImage(image_id.made())])
            }
            Operation::MigrateWorkspace { bundle_id, .. } => {
                needs([Reference::WorkspaceBundle(bundle_id.made())])
            }
            Operation::CreateWorkspace(new) => {
                let mut waits = needs([Reference::WorkspaceBundle(new.bundle_id.made())]);
                // New WorkSpaces on a bundle that moves to a new image get it.
                waits.extend(
                    new.bundle_id
                        .existing()
                        .map(|bundle_id| Wait::Every(Effect::UpdatesBundle(bundle_id))),
                );
                waits.push(Wait::Every(Effect::FreesUser(new.key())));
                waits.extend(needs([Reference::WorkspaceDirectory(&new.directory_id)]));
                waits
            }
            Operation::RegisterDirectory(new) => needs([Reference::Tenancy(new.tenancy.as_ref())]),
            Operation::AssociateIpGroups { group_ids, .. } => needs(
                group_ids
                    .iter()
                    .map(|group_id| Reference::DirectoryIpGroup(group_id.made())),
            ),
            Operation::AssociateConnectionAlias { directory_id, .. } => {
                needs([Reference::AliasDirectory(directory_id)])
            }
            // AWS deregisters a directory only once no WorkSpace and no
            // alias is left in it.
            Operation::DeregisterDirectory { directory_id } => vec![
                Wait::Every(Effect::EmptiesDirectory(directory_id)),
                Wait::Every(Effect::LetsGoOfDirectory(directory_id)),
            ],
            Operation::DeleteIpGroup { group_id } => {
                vec![Wait::Every(Effect::LetsGoOfIpGroup(group_id))]
            }
            Operation::DeleteBundle { bundle_id } => {
                vec![Wait::Every(Effect::MovesOffBundle(bundle_id))]
            }
            Operation::DeleteImage { image_id } => {
                vec![Wait::Every(Effect::MovesOffImage(image_id))]
            }
            // Users keep the alias until their WorkSpaces are gone.
            Operation::DisassociateConnectionAlias { directory_id, .. } => {
                vec![Wait::Every(Effect::EmptiesDirectory(directory_id))]
            }
            // These wait only for the resource they change, made earlier
            // in the same change.
            Operation::TerminateWorkspace { .. }
            | Operation::ModifyWorkspace { .. }
            | Operation::RebootWorkspace { .. }
            | Operation::RebuildWorkspace { .. }
            | Operation::RestoreWorkspace { .. }
            | Operation::EnableByol { .. }
            | Operation::CreateIpGroup(_)
            | Operation::UpdateIpRules { .. }
            | Operation::ModifyDirectory { .. }
            | Operation::DisassociateIpGroups { .. }
            | Operation::TagResource { .. }
            | Operation::UntagResource { .. }
            | Operation::UpdateImagePermission { .. }
            | Operation::CreateConnectionAlias { .. }
            | Operation::UpdateConnectionAliasPermission { .. }
            | Operation::DeleteConnectionAlias { .. } => Vec::new(),
        }
    }
}

/// The waits of what a new resource refers to.
fn needs<'a>(references: impl IntoIterator<Item = Reference<'a>>) -> Vec<Wait<'a>> {
    references
        .into_iter()
        .filter_map(Reference::need)
        .map(Wait::from)
        .collect()
}

#[cfg(test)]
mod tests {
    //! One test a rule, on the operations that carry it.

    use std::collections::BTreeMap;

    use super::*;
    use crate::kinds::{NewBundle, NewDirectory, NewImage, NewWorkspace};

    fn directory(tenancy: Option<Tenancy>) -> Operation {
        Operation::RegisterDirectory(NewDirectory {
            directory_id: "d-1234567890".to_owned(),
            subnet_ids: None,
            tenancy,
            enable_self_service: None,
            tags: BTreeMap::new(),
        })
    }

    fn image(source: NewImageSource) -> Operation {
        Operation::CreateImage(NewImage {
            name: "base".to_owned(),
            description: String::new(),
            source,
            tags: BTreeMap::new(),
        })
    }

    fn made(address: Address) -> IdRef {
        IdRef::created_by(address)
    }

    /// The account's WorkSpace `ws-alice` and bundle `wsb-dev`.
    struct Account;

    impl<'a> LiveLookup<'a> for Account {
        fn workspace(&self, workspace_id: &str) -> Option<PlacedWorkspace<'a>> {
            (workspace_id == "ws-alice").then(|| PlacedWorkspace {
                key: WorkspaceKey::new("d-1234567890", "alice"),
                bundle_id: "wsb-dev",
                directory_id: "d-1234567890",
            })
        }

        fn bundle_image(&self, bundle_id: &str) -> Option<&'a str> {
            (bundle_id == "wsb-dev").then_some("wsi-base")
        }
    }

    #[test]
    fn a_dedicated_directory_waits_for_byol_and_a_shared_one_for_nothing() {
        assert_eq!(directory(Some(Tenancy::Dedicated)).waits(), [Wait::Byol]);
        assert_eq!(directory(Some(Tenancy::Shared)).waits(), []);
        assert_eq!(directory(None).waits(), []);
    }

    #[test]
    fn an_import_waits_for_byol_and_a_copy_for_nothing() {
        let import = image(NewImageSource::Import {
            ec2_image_id: "ami-0123456789abcdef0".to_owned(),
            ingestion_process: "BYOL_REGULAR_WSP".to_owned(),
        });
        assert_eq!(import.waits(), [Wait::Byol]);
        let copy = image(NewImageSource::Copy {
            source_region: "us-west-2".to_owned(),
            source_image_id: "wsi-0123abcde".to_owned(),
        });
        assert_eq!(copy.waits(), []);
    }

    #[test]
    fn an_update_waits_for_its_source_made_here_and_moves_off_one_that_exists() {
        let of_new = image(NewImageSource::UpdateOf {
            source_image_id: made(Address::image("base")),
        });
        assert_eq!(of_new.waits(), [Wait::Made(Address::image("base"))]);
        assert_eq!(of_new.effects(&Account), []);
        let of_existing = image(NewImageSource::UpdateOf {
            source_image_id: IdRef::Id("wsi-base".to_owned()),
        });
        assert_eq!(of_existing.waits(), []);
        assert_eq!(
            of_existing.effects(&Account),
            [Effect::MovesOffImage("wsi-base")]
        );
    }

    #[test]
    fn a_bundle_waits_for_its_image_made_here() {
        let bundle = Operation::CreateBundle(NewBundle {
            name: "dev".to_owned(),
            description: String::new(),
            image_id: made(Address::image("base")),
            compute_type: "POWER".to_owned(),
            root_volume_gib: None,
            user_volume_gib: 50,
            tags: BTreeMap::new(),
        });
        assert_eq!(bundle.waits(), [Wait::Made(Address::image("base"))]);
        let repointed = Operation::UpdateBundle {
            bundle_id: "wsb-dev".to_owned(),
            image_id: IdRef::Id("wsi-next".to_owned()),
        };
        assert_eq!(repointed.waits(), []);
        assert_eq!(
            repointed.effects(&Account),
            [
                Effect::UpdatesBundle("wsb-dev"),
                Effect::MovesOffImage("wsi-base")
            ]
        );
    }

    #[test]
    fn a_workspace_waits_for_its_bundle_its_user_and_its_directory() {
        let new = |bundle_id| {
            Operation::CreateWorkspace(NewWorkspace {
                directory_id: "d-1234567890".to_owned(),
                user: "alice".to_owned(),
                bundle_id,
                properties: Default::default(),
                tags: BTreeMap::new(),
            })
        };
        let user = Wait::Every(Effect::FreesUser(WorkspaceKey::new(
            "d-1234567890",
            "alice",
        )));
        let directory = Wait::Every(Effect::PreparesDirectory("d-1234567890"));
        assert_eq!(
            new(made(Address::bundle("dev"))).waits(),
            [
                Wait::Made(Address::bundle("dev")),
                user.clone(),
                directory.clone()
            ]
        );
        assert_eq!(
            new(IdRef::Id("wsb-dev".to_owned())).waits(),
            [
                Wait::Every(Effect::UpdatesBundle("wsb-dev")),
                user,
                directory
            ]
        );
    }

    #[test]
    fn a_terminate_frees_the_user_the_bundle_and_the_directory() {
        let terminate = Operation::TerminateWorkspace {
            workspace_id: "ws-alice".to_owned(),
        };
        assert_eq!(
            terminate.effects(&Account),
            [
                Effect::FreesUser(WorkspaceKey::new("d-1234567890", "alice")),
                Effect::MovesOffBundle("wsb-dev"),
                Effect::EmptiesDirectory("d-1234567890"),
            ]
        );
        let gone = Operation::TerminateWorkspace {
            workspace_id: "ws-gone".to_owned(),
        };
        assert_eq!(gone.effects(&Account), []);
    }

    #[test]
    fn a_directory_waits_for_its_ip_groups_made_here() {
        let associate = Operation::AssociateIpGroups {
            directory_id: "d-1234567890".to_owned(),
            group_ids: vec![
                made(Address::ip_group("office")),
                IdRef::Id("wsipg-abc12345".to_owned()),
            ],
        };
        assert_eq!(associate.waits(), [Wait::Made(Address::ip_group("office"))]);
        assert_eq!(
            associate.effects(&Account),
            [Effect::PreparesDirectory("d-1234567890")]
        );
    }

    #[test]
    fn an_alias_waits_for_its_directory_and_the_directory_for_the_alias_to_go() {
        let associate = Operation::AssociateConnectionAlias {
            alias_id: made(Address::connection_alias("desk")),
            directory_id: "d-1234567890".to_owned(),
        };
        assert_eq!(
            associate.waits(),
            [Wait::Every(Effect::PreparesDirectory("d-1234567890"))]
        );
        let deregister = Operation::DeregisterDirectory {
            directory_id: "d-1234567890".to_owned(),
        };
        assert_eq!(
            deregister.waits(),
            [
                Wait::Every(Effect::EmptiesDirectory("d-1234567890")),
                Wait::Every(Effect::LetsGoOfDirectory("d-1234567890")),
            ]
        );
    }

    /// The file's graph reads the same rules from the file's side.
    #[test]
    fn a_reference_to_something_the_account_has_needs_nothing() {
        assert_eq!(Reference::BundleImage(None).need(), None);
        assert_eq!(Reference::WorkspaceBundle(None).need(), None);
        assert_eq!(
            Reference::WorkspaceDirectory("d-1234567890").need(),
            Some(Need::Directory("d-1234567890"))
        );
    }
}

//! Live state by id and natural key, built once per plan: a lookup inside a
//! loop over 10,000 WorkSpaces must not scan them all.

use std::collections::HashMap;

use super::{LiveBundle, LiveDirectory, LiveImage, LiveState, LiveWorkspace, WorkspaceKey};
use crate::kinds::ip_group;

pub struct LiveIndex<'a> {
    live: &'a LiveState,
    workspaces: HashMap<&'a str, &'a LiveWorkspace>,
    /// Not terminating, in the order AWS listed them.
    present: HashMap<WorkspaceKey, Vec<&'a LiveWorkspace>>,
    /// Not terminating, by bundle id.
    on_bundle: HashMap<&'a str, Vec<&'a LiveWorkspace>>,
    bundles: HashMap<&'a str, &'a LiveBundle>,
    bundles_named: HashMap<&'a str, Vec<&'a LiveBundle>>,
    /// The account's own and shared.
    images: HashMap<&'a str, &'a LiveImage>,
    /// The account's own.
    images_named: HashMap<&'a str, Vec<&'a LiveImage>>,
    /// Not terminating, by directory id.
    in_directory: HashMap<&'a str, Vec<&'a LiveWorkspace>>,
    directories: HashMap<&'a str, &'a LiveDirectory>,
    ip_groups: ip_group::Index<'a>,
}

impl<'a> LiveIndex<'a> {
    pub fn new(live: &'a LiveState) -> Self {
        let mut index = LiveIndex {
            live,
            workspaces: HashMap::new(),
            present: HashMap::new(),
            on_bundle: HashMap::new(),
            bundles: HashMap::new(),
            bundles_named: HashMap::new(),
            images: HashMap::new(),
            images_named: HashMap::new(),
            in_directory: HashMap::new(),
            directories: HashMap::new(),
            ip_groups: ip_group::Index::new(&live.ip_groups),
        };
        for workspace in &live.workspaces {
            index.workspaces.entry(&workspace.id).or_insert(workspace);
            if !workspace.is_terminating() {
                index
                    .present
                    .entry(workspace.key())
                    .or_default()
                    .push(workspace);
                let on_bundle = index.on_bundle.entry(&workspace.bundle_id);
                on_bundle.or_default().push(workspace);
                let in_directory = index.in_directory.entry(&workspace.directory_id);
                in_directory.or_default().push(workspace);
            }
        }
        for directory in &live.directories {
            index.directories.entry(&directory.id).or_insert(directory);
        }
        for bundle in &live.bundles {
            index.bundles.entry(&bundle.id).or_insert(bundle);
            let named = index.bundles_named.entry(&bundle.name);
            named.or_default().push(bundle);
        }
        for image in live.images.iter().chain(&live.shared_images) {
            index.images.entry(&image.id).or_insert(image);
        }
        for image in &live.images {
            index
                .images_named
                .entry(&image.name)
                .or_default()
                .push(image);
        }
        index
    }

    pub fn live(&self) -> &'a LiveState {
        self.live
    }

    /// The directory registered (or on its way in or out) as `id`.
    pub fn directory(&self, id: &str) -> Option<&'a LiveDirectory> {
        self.directories.get(id).copied()
    }

    /// The WorkSpaces, not terminating, in directory `id`.
    pub fn in_directory(&self, id: &str) -> &[&'a LiveWorkspace] {
        self.in_directory.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn ip_groups(&self) -> &ip_group::Index<'a> {
        &self.ip_groups
    }

    pub fn workspace(&self, id: &str) -> Option<&'a LiveWorkspace> {
        self.workspaces.get(id).copied()
    }

    /// The WorkSpaces, not terminating, that hold `key`: one, unless AWS
    /// is mid-change.
    pub fn present(&self, key: &WorkspaceKey) -> &[&'a LiveWorkspace] {
        self.present.get(key).map_or(&[], Vec::as_slice)
    }

    /// The WorkSpaces, not terminating, built from bundle `id`.
    pub fn on_bundle(&self, id: &str) -> &[&'a LiveWorkspace] {
        self.on_bundle.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn bundle(&self, id: &str) -> Option<&'a LiveBundle> {
        self.bundles.get(id).copied()
    }

    /// AMAZON's and the account's bundles called `name`.
    pub fn bundles_named(&self, name: &str) -> &[&'a LiveBundle] {
        self.bundles_named.get(name).map_or(&[], Vec::as_slice)
    }

    /// An image of the account's own or shared with it.
    pub fn image(&self, id: &str) -> Option<&'a LiveImage> {
        self.images.get(id).copied()
    }

    /// The account's own images called `name`.
    pub fn images_named(&self, name: &str) -> &[&'a LiveImage] {
        self.images_named.get(name).map_or(&[], Vec::as_slice)
    }
}

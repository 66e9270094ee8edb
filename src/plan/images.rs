//! `[images.NAME]`: import, copy or update an image once; keep its tags; roll
//! out AWS's updates when `auto_update` is on; delete owned images the file
//! no longer lists.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::ownership::{self, Found, InPlace, accounts, desired_tags, shown, text};
use super::{
    AttributeChange, Context, IdRef, NewImage, NewImageSource, Operation, PlanError, Planned,
    ResourceChange, Value,
};
use crate::address::Address;
use crate::live::{LiveImage, Owned};
use crate::spec::{Image, ImageRef, ImageSource};
use crate::states::ImageState;

/// WorkspaceImage names are at most 64 characters.
const MAX_NAME: usize = 64;

pub(super) fn plan(cx: &Context, planned: &mut Planned) -> HashMap<String, IdRef> {
    let mut ids: HashMap<String, IdRef> = HashMap::new();
    let mut claimed: HashSet<&str> = HashSet::new();
    // An `update_of` another file image needs that image's id first; the
    // graph has already refused cycles, so each pass plans at least one.
    let mut pending: Vec<&Image> = cx.fleet.images.iter().collect();
    while !pending.is_empty() {
        let (ready, waiting): (Vec<&Image>, Vec<&Image>) = pending
            .into_iter()
            .partition(|image| source_name(image).is_none_or(|name| ids.contains_key(name)));
        if ready.is_empty() {
            break;
        }
        for image in ready {
            match plan_one(cx, image, &ids, &mut claimed, planned) {
                Ok(id) => {
                    ids.insert(image.name.clone(), id);
                }
                Err(error) => planned.errors.push(error),
            }
        }
        pending = waiting;
    }
    let named: HashSet<&str> = cx.fleet.images.iter().map(|i| i.name.as_str()).collect();
    for image in &cx.live.images {
        let ours = image.stack() == Some(cx.stack);
        let in_file = image.name_tag().is_some_and(|n| named.contains(n));
        if ours && !in_file && !claimed.contains(image.id.as_str()) {
            planned.changes.push(delete(
                cx,
                image,
                Address::image(image.name_tag().unwrap_or(&image.name)),
                None,
            ));
        }
    }
    ids
}

fn source_name(image: &Image) -> Option<&str> {
    match &image.source {
        ImageSource::UpdateOf(ImageRef::Name(name)) => Some(name),
        _ => None,
    }
}

fn plan_one<'a>(
    cx: &Context<'a>,
    image: &Image,
    ids: &HashMap<String, IdRef>,
    claimed: &mut HashSet<&'a str>,
    planned: &mut Planned,
) -> Result<IdRef, PlanError> {
    let address = Address::image(&image.name);
    let own = cx.live.account_id.as_deref();
    ownership::not_shared_with_itself(own, image.share_with.as_ref(), &address, &image.origin)?;
    let found = find(cx, image, &address, claimed, planned)?;
    let Some(existing) = found.live() else {
        planned.changes.push(create(cx, image, &address, ids)?);
        return Ok(IdRef::created_by(address));
    };
    claimed.insert(&existing.id);
    let adopt = matches!(found, Found::Unowned(_));
    if existing.state == ImageState::Error {
        return Err(PlanError {
            address,
            origin: Some(Box::new(image.origin.clone())),
            message: format!("image {} ({}) is in ERROR", existing.id, existing.name),
            help: Some(
                "delete it (DeleteWorkspaceImage) and apply again to make it anew".to_owned(),
            ),
        });
    }
    if let Some(description) = image.description.as_deref()
        && existing
            .description
            .as_deref()
            .is_some_and(|live| live != description)
    {
        planned.warnings.push(format!(
            "{address}: its description differs from the file; AWS cannot change an image's description"
        ));
    }
    let rolls_out =
        image.auto_update && existing.update_available && existing.state == ImageState::Available;
    let mut change = InPlace::retagged(
        cx.stack,
        address.clone(),
        existing,
        adopt,
        &image.name,
        &image.tags,
    );
    let live_sharing = existing.shared_with.clone().unwrap_or_default();
    if let Some(share_with) = &image.share_with
        && *share_with != live_sharing
    {
        change.attributes.push(AttributeChange {
            name: "share_with".into(),
            before: Some(accounts(&live_sharing)),
            after: Some(accounts(share_with)),
            forces_replacement: false,
        });
        if !rolls_out {
            change.operations.extend(sharing(
                IdRef::Id(existing.id.clone()),
                &live_sharing,
                share_with,
            ));
        }
    }
    let why = rolls_out.then(|| roll_out(cx, image, &mut change, planned));
    let id = match rolls_out {
        true => IdRef::created_by(address),
        false => IdRef::Id(existing.id.clone()),
    };
    change.settle(planned, why);
    Ok(id)
}

/// The live image the file's is: the newest version this stack made of it
/// (older ones are deleted, unless in use), else one of its name to adopt.
fn find<'a>(
    cx: &Context<'a>,
    image: &Image,
    address: &Address,
    claimed: &mut HashSet<&'a str>,
    planned: &mut Planned,
) -> Result<Found<'a, LiveImage>, PlanError> {
    // Versions this stack made of the image, newest first: after an update
    // the newest is current and older ones are still to be deleted.
    let mut versions: Vec<&LiveImage> = cx
        .live
        .images
        .iter()
        .filter(|i| i.stack() == Some(cx.stack) && i.name_tag() == Some(image.name.as_str()))
        .collect();
    versions.sort_by(|a, b| b.created.total_cmp(&a.created));
    for old in versions.iter().skip(1) {
        claimed.insert(&old.id);
        push_unless_in_use(
            cx,
            old,
            address.deposed(&old.id),
            planned,
            "an older version of the image",
        );
    }
    match versions.first() {
        Some(current) => Ok(Found::Owned(*current)),
        None => ownership::by_key(
            cx.stack,
            cx.index
                .images_named(&image.name)
                .iter()
                .copied()
                .filter(|i| !claimed.contains(i.id.as_str())),
            address,
            &image.origin,
        ),
    }
}

/// AWS's update of an image the file keeps updated: the updated image,
/// shared as the file says, and the old one deleted once nothing uses it
/// (unshared then). The answer is the change's reason.
fn roll_out(
    cx: &Context,
    image: &Image,
    change: &mut InPlace<'_, LiveImage>,
    planned: &mut Planned,
) -> String {
    let existing = change.existing;
    let wanted = desired_tags(cx.stack, &image.name, &image.tags);
    change.operations.push(Operation::CreateImage(updated_image(
        image, existing, wanted,
    )));
    if let Some(share_with) = &image.share_with {
        change.operations.extend(sharing(
            IdRef::created_by(change.address.clone()),
            &BTreeSet::new(),
            share_with,
        ));
    }
    change.attributes.push(AttributeChange {
        name: "image_id".into(),
        before: Some(text(&existing.id)),
        after: Some(text("(known after apply)")),
        forces_replacement: false,
    });
    push_unless_in_use(
        cx,
        existing,
        change.address.deposed(&existing.id),
        planned,
        "superseded by its update",
    );
    format!(
        "AWS has an update for {} ({}); auto_update makes an updated image, moves the file's bundles to it, then deletes the old one",
        existing.id,
        existing
            .update_description
            .as_deref()
            .unwrap_or("no description")
    )
}

/// Where a new image comes from, as the plan shows it, and why it is made.
fn source(
    image: &Image,
    address: &Address,
    ids: &HashMap<String, IdRef>,
) -> Result<(NewImageSource, String, String), PlanError> {
    Ok(match &image.source {
        ImageSource::Import {
            ec2_image_id,
            ingestion_process,
        } => (
            NewImageSource::Import {
                ec2_image_id: ec2_image_id.clone(),
                ingestion_process: ingestion_process.clone(),
            },
            format!("import {ec2_image_id} ({ingestion_process})"),
            format!(
                "no image is named {}: ImportWorkspaceImage brings in {ec2_image_id}",
                image.name
            ),
        ),
        ImageSource::Copy {
            source_region,
            source_image_id,
        } => (
            NewImageSource::Copy {
                source_region: source_region.clone(),
                source_image_id: source_image_id.clone(),
            },
            format!("copy of {source_image_id} from {source_region}"),
            format!(
                "no image is named {}: CopyWorkspaceImage copies {source_image_id} from {source_region}",
                image.name
            ),
        ),
        ImageSource::Existing => {
            return Err(PlanError {
                address: address.clone(),
                origin: Some(Box::new(image.origin.clone())),
                message: format!(
                    "the account has no image named {}; `existing = true` says how to find the image, not how to make it",
                    image.name
                ),
                help: Some(
                    "give the image a source (`import`, `copy` or `update_of`), or remove it from the file".to_owned(),
                ),
            });
        }
        ImageSource::UpdateOf(reference) => {
            let (source, label) = match reference {
                ImageRef::Id(id) => (IdRef::Id(id.clone()), id.clone()),
                ImageRef::Name(name) => (
                    ids.get(name)
                        .cloned()
                        .unwrap_or_else(|| IdRef::created_by(Address::image(name))),
                    format!("image.{name}"),
                ),
            };
            (
                NewImageSource::UpdateOf {
                    source_image_id: source,
                },
                format!("update of {label}"),
                format!(
                    "no image is named {}: CreateUpdatedWorkspaceImage makes it from {label}",
                    image.name
                ),
            )
        }
    })
}

fn create(
    cx: &Context,
    image: &Image,
    address: &Address,
    ids: &HashMap<String, IdRef>,
) -> Result<ResourceChange, PlanError> {
    let (source, label, reason) = source(image, address, ids)?;
    let tags = desired_tags(cx.stack, &image.name, &image.tags);
    let description = image
        .description
        .clone()
        .unwrap_or_else(|| image.name.clone());
    let attributes = shown(
        vec![
            ("name", Some(text(&image.name))),
            ("source", Some(text(&label))),
            ("description", Some(text(&description))),
            ("share_with", image.share_with.as_ref().map(accounts)),
            ("tags", Some(Value::Tags(tags.clone()))),
        ],
        true,
    );
    let mut operations = vec![Operation::CreateImage(NewImage {
        name: image.name.clone(),
        description,
        source,
        tags,
    })];
    // Shared once AVAILABLE: apply waits for that before the next step.
    if let Some(share_with) = &image.share_with {
        operations.extend(sharing(
            IdRef::created_by(address.clone()),
            &BTreeSet::new(),
            share_with,
        ));
    }
    Ok(ownership::creation(
        address.clone(),
        reason,
        attributes,
        operations,
    ))
}

fn updated_image(
    image: &Image,
    existing: &LiveImage,
    tags: std::collections::BTreeMap<String, String>,
) -> NewImage {
    NewImage {
        name: next_version(&existing.name),
        description: image
            .description
            .clone()
            .or_else(|| existing.description.clone())
            .unwrap_or_else(|| image.name.clone()),
        source: NewImageSource::UpdateOf {
            source_image_id: IdRef::Id(existing.id.clone()),
        },
        tags,
    }
}

/// Image names are unique: `base` → `base-v2` → `base-v3`.
fn next_version(name: &str) -> String {
    let (base, version) = match name.rsplit_once("-v") {
        Some((base, n)) if n.parse::<u32>().is_ok() => (base, n.parse::<u32>().unwrap_or(1) + 1),
        _ => (name, 2),
    };
    let suffix = format!("-v{version}");
    let keep = base.len().min(MAX_NAME - suffix.len());
    format!("{}{suffix}", &base[..keep])
}

/// A delete of `image`, unless a bundle this stack does not manage still
/// uses it (AWS would refuse): then a warning instead.
fn push_unless_in_use(
    cx: &Context,
    image: &LiveImage,
    address: Address,
    planned: &mut Planned,
    why: &str,
) {
    let managed: HashSet<&str> = cx.fleet.bundles.iter().map(|b| b.name.as_str()).collect();
    let users: Vec<&str> = cx
        .live
        .bundles
        .iter()
        .filter(|b| b.is_custom() && b.image_id.as_deref() == Some(image.id.as_str()))
        .filter(|b| {
            !(b.stack() == Some(cx.stack) && b.name_tag().is_some_and(|n| managed.contains(n)))
        })
        .map(|b| b.name.as_str())
        .collect();
    if users.is_empty() {
        planned.changes.push(delete(cx, image, address, Some(why)));
    } else {
        planned.warnings.push(format!(
            "{address}: kept, because bundles this stack does not manage use it: {}",
            users.join(", ")
        ));
    }
}

fn delete(cx: &Context, image: &LiveImage, address: Address, why: Option<&str>) -> ResourceChange {
    // AWS deletes an image only once it is shared with no one.
    let shared = image.shared_with.as_ref();
    let mut operations = sharing(
        IdRef::Id(image.id.clone()),
        shared.unwrap_or(&BTreeSet::new()),
        &BTreeSet::new(),
    );
    operations.push(Operation::DeleteImage {
        image_id: image.id.clone(),
    });
    let deletion = ownership::deletion(
        cx.stack,
        address,
        image,
        vec![
            ("name", Some(text(&image.name))),
            ("state", Some(text(image.state.as_str()))),
            ("share_with", shared.filter(|s| !s.is_empty()).map(accounts)),
        ],
        operations,
    );
    match why {
        Some(why) => ResourceChange {
            reason: format!("{} ({}) is {why}", image.id, image.name),
            ..deletion
        },
        None => deletion,
    }
}

/// One UpdateWorkspaceImagePermission per account added or removed.
fn sharing(image_id: IdRef, live: &BTreeSet<String>, wanted: &BTreeSet<String>) -> Vec<Operation> {
    ownership::sharing_changes(live, wanted)
        .map(|(account, allow)| Operation::UpdateImagePermission {
            image_id: image_id.clone(),
            account_id: account.clone(),
            allow_copy_image: allow,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::next_version;
    use crate::live::{LiveImage, LiveState};
    use crate::plan::{Action, plan};
    use crate::spec::parse;
    use crate::states::ImageState;

    const EXISTING: &str = "[settings]\nstack = \"eng\"\n[images.golden]\nexisting = true\ntags = { os = \"win11\" }\n";

    #[test]
    fn an_existing_image_is_adopted_and_never_made() {
        let fleet = parse("fleet.toml", EXISTING).expect("a valid file");
        let errors = plan(&fleet, &LiveState::default()).expect_err("no image to adopt");
        assert_eq!(
            errors[0].message,
            "the account has no image named golden; `existing = true` says how to find the image, not how to make it"
        );
        let live = LiveState {
            images: vec![LiveImage {
                id: "wsi-golden0001".to_owned(),
                name: "golden".to_owned(),
                state: ImageState::Available,
                tags: [("os".to_owned(), "win11".to_owned())].into(),
                ..LiveImage::default()
            }],
            ..LiveState::default()
        };
        let planned = plan(&fleet, &live).expect("a plan");
        assert_eq!(planned.changes().len(), 1);
        assert_eq!(planned.changes()[0].action, Action::Adopt);
    }

    #[test]
    fn versions_count_up_and_fit_the_name_limit() {
        assert_eq!(next_version("win11-base"), "win11-base-v2");
        assert_eq!(next_version("win11-base-v2"), "win11-base-v3");
        assert_eq!(next_version("win11-base-vx"), "win11-base-vx-v2");
        assert_eq!(next_version(&"a".repeat(64)).len(), 64);
    }
}

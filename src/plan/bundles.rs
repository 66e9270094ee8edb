//! `[bundles.NAME]`: custom bundles. AWS can change only a bundle's image
//! (UpdateWorkspaceBundle), and that does not touch WorkSpaces already built
//! from it; anything else takes a new bundle.

use std::collections::{HashMap, HashSet};

use super::ownership::{self, Found, InPlace, desired_tags, shown, text};
use super::{
    AttributeChange, Context, IdRef, NewBundle, Operation, PlanError, Planned, ResourceChange,
    Value,
};
use crate::address::Address;
use crate::live::{LiveBundle, Owned};
use crate::spec::{Bundle, ImageRef};

pub(super) fn plan(cx: &Context, planned: &mut Planned) -> HashMap<String, IdRef> {
    let mut ids = HashMap::new();
    let mut claimed: HashSet<&str> = HashSet::new();
    for bundle in &cx.fleet.bundles {
        match plan_one(cx, bundle, &mut claimed, planned) {
            Ok(id) => {
                ids.insert(bundle.name.clone(), id);
            }
            Err(error) => planned.errors.push(error),
        }
    }
    let named: HashSet<&str> = cx.fleet.bundles.iter().map(|b| b.name.as_str()).collect();
    for bundle in cx.live.bundles.iter().filter(|b| b.is_custom()) {
        let ours = bundle.stack() == Some(cx.stack);
        let in_file = bundle.name_tag().is_some_and(|n| named.contains(n));
        if ours && !in_file && !claimed.contains(bundle.id.as_str()) {
            planned.changes.push(delete(cx, bundle));
        }
    }
    ids
}

fn plan_one<'a>(
    cx: &Context<'a>,
    bundle: &Bundle,
    claimed: &mut HashSet<&'a str>,
    planned: &mut Planned,
) -> Result<IdRef, PlanError> {
    let address = Address::bundle(&bundle.name);
    let owned = cx.live.bundles.iter().find(|b| {
        b.is_custom() && b.stack() == Some(cx.stack) && b.name_tag() == Some(bundle.name.as_str())
    });
    let found = match owned {
        Some(owned) => Found::Owned(owned),
        None => ownership::by_key(
            cx.stack,
            cx.index
                .bundles_named(&bundle.name)
                .iter()
                .copied()
                .filter(|b| b.is_custom() && !claimed.contains(b.id.as_str())),
            &address,
            &bundle.origin,
        )?,
    };
    let image_id = match &bundle.image {
        ImageRef::Id(id) => IdRef::Id(id.clone()),
        ImageRef::Name(name) => cx
            .images
            .get(name)
            .cloned()
            .unwrap_or_else(|| IdRef::created_by(Address::image(name))),
    };
    let Some(existing) = found.live() else {
        planned.changes.push(create(cx, bundle, &address, image_id));
        return Ok(IdRef::created_by(address));
    };
    claimed.insert(&existing.id);
    let adopt = matches!(found, Found::Unowned(_));
    let fixed = fixed_differences(bundle, existing);
    if !fixed.is_empty() {
        return Err(PlanError {
            address,
            origin: Some(Box::new(bundle.origin.clone())),
            message: format!(
                "bundle {} differs in {}, and AWS can change only a bundle's image",
                existing.id,
                fixed.join(", ")
            ),
            help: Some(
                "give the bundle a new name: wsctl creates it and migrates the WorkSpaces that use it".to_owned(),
            ),
        });
    }
    let mut change = InPlace::retagged(
        cx.stack,
        address.clone(),
        existing,
        adopt,
        &bundle.name,
        &bundle.tags,
    );
    if existing.image_id.as_ref().map(|id| IdRef::Id(id.clone())) != Some(image_id.clone()) {
        change.attributes.push(AttributeChange {
            name: "image".into(),
            before: existing
                .image_id
                .as_deref()
                .map(|id| text(&image_label(cx, &IdRef::Id(id.to_owned())))),
            after: Some(text(&image_label(cx, &image_id))),
            forces_replacement: false,
        });
        change.operations.push(Operation::UpdateBundle {
            bundle_id: existing.id.clone(),
            image_id,
        });
        warn_about_existing_workspaces(cx, &address, existing, planned);
    }
    let moves_to = change.operations.iter().find_map(|op| match op {
        Operation::UpdateBundle {
            image_id: IdRef::CreatedBy { created_by },
            ..
        } => Some(format!(
            "{created_by} is made anew by this plan; the bundle moves to it"
        )),
        _ => None,
    });
    change.settle(planned, moves_to.filter(|_| !adopt));
    Ok(IdRef::Id(existing.id.clone()))
}

/// What no API changes on an existing bundle.
fn fixed_differences(bundle: &Bundle, existing: &LiveBundle) -> Vec<String> {
    let mut differences = Vec::new();
    if existing.compute_type.as_deref() != Some(bundle.compute_type.as_str()) {
        differences.push(format!(
            "compute_type ({} in AWS, {} in the file)",
            existing.compute_type.as_deref().unwrap_or("none"),
            bundle.compute_type
        ));
    }
    let sizes = [
        (
            "root_volume_gib",
            existing.root_volume_gib,
            bundle.root_volume_gib,
        ),
        (
            "user_volume_gib",
            existing.user_volume_gib,
            Some(bundle.user_volume_gib),
        ),
    ];
    for (name, live, wanted) in sizes {
        if let Some(wanted) = wanted
            && live != Some(wanted)
        {
            differences.push(format!(
                "{name} ({} in AWS, {wanted} in the file)",
                live.map_or("none".to_owned(), |n| n.to_string())
            ));
        }
    }
    differences
}

/// UpdateWorkspaceBundle leaves WorkSpaces built from the bundle on the old
/// image until they are rebuilt: say which.
fn warn_about_existing_workspaces(
    cx: &Context,
    address: &Address,
    bundle: &LiveBundle,
    planned: &mut Planned,
) {
    let users: Vec<String> = cx
        .index
        .on_bundle(&bundle.id)
        .iter()
        .map(|w| match w.name_tag() {
            Some(name) if w.stack() == Some(cx.stack) => format!("workspace.{name}"),
            _ => w.id.clone(),
        })
        .collect();
    if !users.is_empty() {
        planned.warnings.push(format!(
            "{address} gets a new image, but UpdateWorkspaceBundle does not change WorkSpaces already built from it; these keep the old image until rebuilt: {}",
            users.join(", ")
        ));
    }
}

fn image_label(cx: &Context, id: &IdRef) -> String {
    match id {
        IdRef::Id(id) => match cx.index.image(id) {
            Some(image) => format!("{} ({id})", image.name),
            None => id.clone(),
        },
        IdRef::CreatedBy { created_by } => format!("{created_by} (created by this plan)"),
    }
}

fn create(cx: &Context, bundle: &Bundle, address: &Address, image_id: IdRef) -> ResourceChange {
    let tags = desired_tags(cx.stack, &bundle.name, &bundle.tags);
    let description = bundle
        .description
        .clone()
        .unwrap_or_else(|| bundle.name.clone());
    let number = |n: i32| Value::Number(n.into());
    let attributes = shown(
        vec![
            ("name", Some(text(&bundle.name))),
            ("image", Some(text(&image_label(cx, &image_id)))),
            ("compute_type", Some(text(&bundle.compute_type))),
            ("root_volume_gib", bundle.root_volume_gib.map(number)),
            ("user_volume_gib", Some(number(bundle.user_volume_gib))),
            ("description", Some(text(&description))),
            ("tags", Some(Value::Tags(tags.clone()))),
        ],
        true,
    );
    ownership::creation(
        address.clone(),
        format!("no custom bundle is named {}", bundle.name),
        attributes,
        vec![Operation::CreateBundle(NewBundle {
            name: bundle.name.clone(),
            description,
            image_id,
            compute_type: bundle.compute_type.clone(),
            root_volume_gib: bundle.root_volume_gib,
            user_volume_gib: bundle.user_volume_gib,
            tags,
        })],
    )
}

fn delete(cx: &Context, bundle: &LiveBundle) -> ResourceChange {
    ownership::deletion(
        cx.stack,
        Address::bundle(bundle.name_tag().unwrap_or(&bundle.name)),
        bundle,
        vec![
            ("name", Some(text(&bundle.name))),
            ("compute_type", bundle.compute_type.as_deref().map(text)),
        ],
        vec![Operation::DeleteBundle {
            bundle_id: bundle.id.clone(),
        }],
    )
}

//! Raw fleet → checked `Fleet`, reporting every problem in the file.
//!
//! `[defaults.workspace]` is merged into each WorkSpace first, keeping each
//! value's span, so a problem points at the line that set the value. A bad
//! default is then found once per WorkSpace; `Diagnostics::sort_and_dedup`
//! keeps one.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::model::{
    Account, Bundle, BundleRef, Directory, Fleet, GlobalAccelerator, Heal, Image, ImageRef,
    ImageSource, Protocol, RunningMode, Settings, Workspace, WorkspaceProperties,
};
use super::raw::{
    Entry, FileValue, RawAccount, RawBundle, RawCopy, RawFleet, RawGlobalAccelerator, RawImage,
    RawImport, RawSettings, RawWorkspace, Tags,
};
use super::rules::{self, Volume};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::did_you_mean;
use crate::file_table::{Check, Named, Notes, Origins, backticked, collect, plain_tags};
use crate::identity::WorkspaceKey;
use crate::kinds::{connection_alias, ip_group};
use crate::workspace_properties::{is_kms_key_reference, property_table};

mod environment;
mod sign_in;
mod streaming;

/// `None` when something required is missing; the reasons are in `found`.
pub(crate) fn validate(
    file: &str,
    text: &str,
    raw: &RawFleet,
    found: &mut Vec<Diagnostic>,
) -> Option<Fleet> {
    let mut check = Check {
        file,
        origins: Origins::new(file, text),
        found,
    };
    let settings = check.settings(raw.settings.as_ref());
    let account = raw.account.as_ref().and_then(|a| check.account(a));
    let group_names: Vec<&str> = raw.ip_groups.iter().map(|g| g.name.as_str()).collect();
    let ip_groups = collect(raw.ip_groups.iter().map(|g| ip_group::check(&mut check, g)));
    let directories = collect(
        raw.directories
            .iter()
            .map(|d| check.directory(d, &group_names, raw.account.as_ref())),
    );
    check.unique_directories(&raw.directories);
    let image_names: Vec<&str> = raw.images.iter().map(|i| i.name.as_str()).collect();
    let byol = raw.account.as_ref().and_then(|a| a.value.byol.as_ref());
    let images = collect(
        raw.images
            .iter()
            .map(|i| check.image(i, &image_names, byol)),
    );
    let bundles = collect(raw.bundles.iter().map(|b| check.bundle(b, &image_names)));
    let file_bundles: FileBundles = raw
        .bundles
        .iter()
        .map(|b| (b.name.as_str(), &b.value))
        .collect();
    let defaults = raw.defaults.as_ref();
    if let Some(defaults) = defaults {
        check.workspace_values(&defaults.value, None);
    }
    let workspaces = collect(
        raw.workspaces
            .iter()
            .map(|w| check.workspace(w, defaults, &file_bundles)),
    );
    check.unique_users(&raw.workspaces, defaults);
    let connection_aliases = collect(
        raw.connection_aliases
            .iter()
            .map(|a| connection_alias::check(&mut check, a)),
    );
    connection_alias::unique_connection_strings(&mut check, &raw.connection_aliases);
    Some(Fleet {
        settings: settings?,
        account: match raw.account {
            Some(_) => Some(account?),
            None => None,
        },
        ip_groups: ip_groups?,
        directories: directories?,
        images: images?,
        bundles: bundles?,
        workspaces: workspaces?,
        connection_aliases: connection_aliases?,
    })
}

/// The file's `[bundles.NAME]` by name.
type FileBundles<'r> = HashMap<&'r str, &'r RawBundle>;

impl Named for Directory {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Image {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Bundle {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Workspace {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Check<'_> {
    fn settings(&mut self, entry: Option<&Entry<RawSettings>>) -> Option<Settings> {
        const MAX_HOURS_A_MONTH: u32 = 744;
        let Some(entry) = entry else {
            self.found.push(
                Diagnostic::error(self.file, "missing `[settings]`")
                    .help("add `[settings]` with `stack = \"NAME\"`: the `wsctl:stack` tag value on everything wsctl manages"),
            );
            return None;
        };
        let settings = &entry.value;
        let stack = self.required(entry, "stack", &settings.stack);
        if let Some(stack) = stack {
            self.tag_text(stack, "`stack`", (1, rules::TAG_VALUE_LENGTH.1));
        }
        if let Some(region) = &settings.region
            && !rules::is_region(region.get_ref())
        {
            self.error(
                region.span(),
                format!("invalid region `{}`", region.get_ref()),
                "not a region name",
            )
            .with_help("a region is 1–31 lowercase letters, digits and `-`, like `us-east-1`");
        }
        let auto_stop_hours_per_month = settings.auto_stop_hours_per_month.as_ref().and_then(|hours| {
            let valid = u32::try_from(*hours.get_ref()).ok().filter(|h| *h <= MAX_HOURS_A_MONTH);
            if valid.is_none() {
                self.error(
                    hours.span(),
                    format!("`auto_stop_hours_per_month` is {}", hours.get_ref()),
                    "not an hour count of a month",
                )
                .with_help(format!("a month has at most {MAX_HOURS_A_MONTH} hours: give 0–{MAX_HOURS_A_MONTH}, like 80"));
            }
            valid
        });
        let max_monthly_increase = settings.max_monthly_increase.as_ref().and_then(|amount| {
            let money = crate::money::Money::of_amount(amount.get_ref().as_f64());
            if money.is_none() {
                self.error(
                    amount.span(),
                    "`max_monthly_increase` is not an amount the guard can hold",
                    "not an amount",
                )
                .with_help("give the most a plan may add a month, 0 or more, like 1000 or 250.50");
            }
            money
        });
        Some(Settings {
            stack: stack?.get_ref().clone(),
            region: settings.region.as_ref().map(|r| r.get_ref().clone()),
            tag_reads: settings.tag_reads.unwrap_or_default(),
            auto_stop_hours_per_month,
            max_monthly_increase,
        })
    }

    fn account(&mut self, entry: &Entry<RawAccount>) -> Option<Account> {
        let account = &entry.value;
        let byol = self
            .required(entry, "byol", &account.byol)
            .map(|b| *b.get_ref());
        match (&account.management_cidr, byol) {
            (Some(cidr), _) if !rules::is_management_cidr(cidr.get_ref()) => {
                self.error(
                    cidr.span(),
                    format!("invalid management CIDR `{}`", cidr.get_ref()),
                    "not of the form a.b.0.0/16",
                )
                .with_help("BYOL needs a /16 range such as `10.200.0.0/16`");
            }
            (None, Some(true)) if !entry.is_reported("management_cidr") => {
                self.error(
                    entry.span.clone(),
                    "missing `management_cidr`",
                    "`byol = true` needs `management_cidr`",
                )
                .with_help("add `management_cidr = \"a.b.0.0/16\"`, a range ListAvailableManagementCidrRanges offers");
            }
            _ => {}
        }
        Some(Account {
            origin: self.origin(entry.span.start),
            byol: byol?,
            management_cidr: account
                .management_cidr
                .as_ref()
                .map(|c| c.get_ref().clone()),
        })
    }

    fn description(&mut self, description: Option<&Spanned<String>>, max: usize) {
        if let Some(d) = description
            && !rules::is_description(d.get_ref(), max)
        {
            self.error(d.span(), "invalid description", "not a valid description")
                .with_help(format!(
                    "a description is 1–{max} letters, digits, spaces and `_ . / ( ) -`"
                ));
        }
    }

    fn image(
        &mut self,
        entry: &Entry<RawImage>,
        names: &[&str],
        byol: Option<&Spanned<bool>>,
    ) -> Option<Image> {
        let image = &entry.value;
        self.resource_name(entry, "image");
        self.description(image.description.as_ref(), 256);
        self.tags(image.tags.as_ref());
        let share_with = self.accounts(image.share_with.as_ref(), "image");
        let mut sources = Vec::new();
        if let Some(import) = &image.import {
            sources.push(import.span());
        }
        if let Some(copy) = &image.copy {
            sources.push(copy.span());
        }
        if let Some(update_of) = &image.update_of {
            sources.push(update_of.span());
        }
        // `existing = false` says nothing about where the image comes from.
        let existing = image.existing.as_ref().filter(|e| *e.get_ref());
        if let Some(existing) = existing {
            sources.push(existing.span());
        }
        let source = match (&image.import, &image.copy, &image.update_of, existing) {
            (Some(import), None, None, None) => self.import(entry, import, byol),
            (None, Some(copy), None, None) => self.copy(entry, copy),
            (None, None, Some(update_of), None) => self.update_of(entry, update_of, names),
            (None, None, None, Some(_)) => Some(ImageSource::Existing),
            (None, None, None, None) => {
                if !["import", "copy", "update_of", "existing"]
                    .iter()
                    .any(|k| entry.is_reported(k))
                {
                    self.error(
                        entry.span.clone(),
                        format!("image `{}` has no source", entry.name),
                        "no source",
                    )
                    .with_help("set one of `import`, `copy` or `update_of`, or `existing = true` for an image the account already has");
                }
                None
            }
            _ => {
                for extra in sources.into_iter().skip(1) {
                    self.error(
                        extra,
                        format!("image `{}` has more than one source", entry.name),
                        "a second source",
                    )
                    .with_help("an image has exactly one of `import`, `copy`, `update_of` or `existing = true`");
                }
                None
            }
        };
        Some(Image {
            name: entry.name.clone(),
            origin: self.origin(entry.span.start),
            source: source?,
            description: image.description.as_ref().map(|d| d.get_ref().clone()),
            auto_update: image.auto_update.as_ref().is_some_and(|a| *a.get_ref()),
            share_with: share_with?,
            tags: plain_tags(image.tags.as_ref()),
        })
    }

    fn import(
        &mut self,
        entry: &Entry<RawImage>,
        import: &Spanned<RawImport>,
        byol: Option<&Spanned<bool>>,
    ) -> Option<ImageSource> {
        let table = Entry {
            name: entry.name.clone(),
            span: import.span(),
            value: (),
            reported: entry.reported.clone(),
        };
        let ami = self.required(&table, "ec2_image_id", &import.get_ref().ec2_image_id);
        if let Some(ami) = ami.filter(|a| !rules::is_ami(a.get_ref())) {
            self.error(
                ami.span(),
                format!("invalid EC2 image id `{}`", ami.get_ref()),
                "not an AMI id",
            )
            .with_help("an AMI id is `ami-` and 8 or 17 lowercase hex digits");
        }
        let process = self.required(
            &table,
            "ingestion_process",
            &import.get_ref().ingestion_process,
        );
        let process = process.and_then(|p| {
            self.one_of(p, rules::INGESTION_PROCESSES, "ingestion process")
                .map(|v| (p, v))
        });
        if let Some((process, _)) = process {
            self.byol_on(process.span(), byol);
        }
        Some(ImageSource::Import {
            ec2_image_id: ami?.get_ref().clone(),
            ingestion_process: process?.1.to_owned(),
        })
    }

    /// BYOL imports need the file to turn BYOL on for the account.
    fn byol_on(&mut self, at: Range<usize>, byol: Option<&Spanned<bool>>) {
        if byol.is_some_and(|b| *b.get_ref()) {
            return;
        }
        let diagnostic = self.error(
            at,
            "a BYOL import needs `[account] byol = true`",
            "BYOL ingestion",
        );
        match byol {
            Some(_) => diagnostic.with_note("`[account]` sets `byol = false`"),
            None => diagnostic.with_help(
                "add `[account]` with `byol = true` and `management_cidr = \"a.b.0.0/16\"`",
            ),
        };
    }

    fn copy(&mut self, entry: &Entry<RawImage>, copy: &Spanned<RawCopy>) -> Option<ImageSource> {
        let table = Entry {
            name: entry.name.clone(),
            span: copy.span(),
            value: (),
            reported: entry.reported.clone(),
        };
        let region = self.required(&table, "source_region", &copy.get_ref().source_region);
        if let Some(region) = region.filter(|r| !rules::is_region(r.get_ref())) {
            self.error(
                region.span(),
                format!("invalid region `{}`", region.get_ref()),
                "not a region name",
            );
        }
        let id = self.required(&table, "source_image_id", &copy.get_ref().source_image_id);
        if let Some(id) = id.filter(|i| !rules::is_image_id(i.get_ref())) {
            self.error(
                id.span(),
                format!("invalid image id `{}`", id.get_ref()),
                "not an image id",
            )
            .with_help("an image id is `wsi-` and 9–63 lowercase letters or digits");
        }
        Some(ImageSource::Copy {
            source_region: region?.get_ref().clone(),
            source_image_id: id?.get_ref().clone(),
        })
    }

    fn update_of(
        &mut self,
        entry: &Entry<RawImage>,
        update_of: &Spanned<String>,
        names: &[&str],
    ) -> Option<ImageSource> {
        let image_ref = self.image_ref(update_of, names)?;
        if image_ref == ImageRef::Name(entry.name.clone()) {
            self.error(
                update_of.span(),
                "an image cannot be an update of itself",
                "this image",
            );
            return None;
        }
        Some(ImageSource::UpdateOf(image_ref))
    }

    /// `wsi-…` is an id; anything else must be an image of the file.
    fn image_ref(&mut self, value: &Spanned<String>, names: &[&str]) -> Option<ImageRef> {
        let v = value.get_ref();
        if v.starts_with("wsi-") {
            if rules::is_image_id(v) {
                return Some(ImageRef::Id(v.clone()));
            }
            self.error(
                value.span(),
                format!("invalid image id `{v}`"),
                "not an image id",
            )
            .with_help("an image id is `wsi-` and 9–63 lowercase letters or digits");
            return None;
        }
        if names.contains(&v.as_str()) {
            return Some(ImageRef::Name(v.clone()));
        }
        let diagnostic = self.error(
            value.span(),
            format!("no image `{v}` in this file"),
            "unknown image",
        );
        let help = match did_you_mean(v, names.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => {
                "name an `[images.NAME]` of this file, or give an image id (`wsi-…`)".to_owned()
            }
        };
        diagnostic.with_help(help);
        None
    }

    fn bundle(&mut self, entry: &Entry<RawBundle>, images: &[&str]) -> Option<Bundle> {
        let bundle = &entry.value;
        self.resource_name(entry, "bundle");
        self.description(bundle.description.as_ref(), 255);
        self.tags(bundle.tags.as_ref());
        let image = self.required(entry, "image", &bundle.image);
        let image = image.and_then(|i| self.image_ref(i, images));
        let compute = self.required(entry, "compute_type", &bundle.compute_type);
        let compute = compute.and_then(|c| self.one_of(c, rules::COMPUTE_TYPES, "compute type"));
        let user = self.required(entry, "user_volume_gib", &bundle.user_volume_gib);
        let volumes_ok = self.volumes(
            bundle.root_volume_gib.as_ref(),
            bundle.user_volume_gib.as_ref(),
            compute.map(rules::is_graphics),
        );
        Some(Bundle {
            name: entry.name.clone(),
            origin: self.origin(entry.span.start),
            image: image?,
            compute_type: compute?.to_owned(),
            root_volume_gib: gib(bundle.root_volume_gib.as_ref()),
            user_volume_gib: gib(user)?,
            description: bundle.description.as_ref().map(|d| d.get_ref().clone()),
            tags: plain_tags(bundle.tags.as_ref()),
        })
        .filter(|_| volumes_ok)
    }

    /// §8.2 sizes; `false` when a size is wrong.
    fn volumes(
        &mut self,
        root: Option<&Spanned<i64>>,
        user: Option<&Spanned<i64>>,
        graphics: Option<bool>,
    ) -> bool {
        let mut ok = true;
        for (volume, size) in [(Volume::Root, root), (Volume::User, user)] {
            if let Some(size) = size.filter(|s| *s.get_ref() < 1) {
                ok = false;
                self.error(
                    size.span(),
                    format!("`{}` must be positive", volume.key()),
                    "not a size",
                );
            }
        }
        if !ok {
            return false;
        }
        let problems = rules::volume_problems(
            root.map(|r| *r.get_ref()),
            user.map(|u| *u.get_ref()),
            graphics,
        );
        for (volume, problem) in &problems {
            let at = match volume {
                Volume::Root => root,
                Volume::User => user,
            };
            if let Some(at) = at {
                let diagnostic =
                    self.error(at.span(), problem.clone(), format!("{} GiB", at.get_ref()));
                if graphics != Some(true) {
                    diagnostic
                        .with_note(format!("allowed [root, user] GiB: {}", rules::VOLUME_PAIRS));
                }
            }
        }
        problems.is_empty()
    }

    fn workspace(
        &mut self,
        entry: &Entry<RawWorkspace>,
        defaults: Option<&Entry<RawWorkspace>>,
        bundles: &FileBundles,
    ) -> Option<Workspace> {
        let ws = merge(&entry.value, defaults.map(|d| &d.value));
        let reported =
            |key: &str| entry.is_reported(key) || defaults.is_some_and(|d| d.is_reported(key));
        let values_ok = self.workspace_values(&ws, Some(bundles));
        let directory = ws.directory_id.as_ref();
        if directory.is_none() && !reported("directory_id") {
            self.error(
                entry.span.clone(),
                "missing `directory_id`",
                "`directory_id` is required here",
            )
            .with_help("set it here or in `[defaults.workspace]`");
        }
        let bundle = match (&ws.bundle, &ws.bundle_id) {
            (Some(name), None) => Some(BundleRef::Name(name.get_ref().clone())),
            (None, Some(id)) => Some(BundleRef::Id(id.get_ref().clone())),
            (Some(_), Some(id)) => {
                self.error(
                    id.span(),
                    "`bundle` and `bundle_id` are both set",
                    "a second bundle",
                )
                .with_help(
                    "a WorkSpace uses one bundle: by name (`bundle`) or by id (`bundle_id`)",
                );
                None
            }
            (None, None) => {
                if !reported("bundle") && !reported("bundle_id") {
                    self.error(
                        entry.span.clone(),
                        "missing `bundle` or `bundle_id`",
                        "no bundle",
                    )
                    .with_help("set one here or in `[defaults.workspace]`");
                }
                None
            }
        };
        self.name_in_tag(entry, "WorkSpace");
        let user = match &ws.user {
            Some(user) => user.clone(),
            None => Spanned::new(entry.span.clone(), entry.name.clone()),
        };
        if !rules::is_user_name(user.get_ref()) {
            self.error(
                user.span(),
                "a user name is 1–63 characters",
                format!("{} characters", user.get_ref().chars().count()),
            )
            .with_note("`user` defaults to the WorkSpace's name");
        }
        let flag = |b: &Option<Spanned<bool>>| b.as_ref().is_some_and(|b| *b.get_ref());
        Some(Workspace {
            name: entry.name.clone(),
            origin: self.origin(entry.span.start),
            directory_id: directory?.get_ref().clone(),
            user: user.into_inner(),
            bundle: bundle?,
            properties: properties(&ws)?,
            tags: plain_tags(ws.tags.as_ref()),
            allow_data_loss: flag(&ws.allow_data_loss),
            heal: match &ws.heal {
                Some(policy) => heal(policy.get_ref())?,
                None => Heal::None,
            },
            tune: ws.tune.as_ref().is_none_or(|t| *t.get_ref()),
        })
        .filter(|_| values_ok)
    }

    /// The rules on a WorkSpace's values, for a WorkSpace (with defaults
    /// merged in) and for `[defaults.workspace]` alone (`bundles: None`).
    /// `false` when any value is wrong.
    fn workspace_values(&mut self, ws: &RawWorkspace, bundles: Option<&FileBundles>) -> bool {
        let before = self.found.len();
        if let Some(directory) = &ws.directory_id
            && !rules::is_directory_id(directory.get_ref())
        {
            self.error(directory.span(), format!("invalid directory id `{}`", directory.get_ref()), "not a directory id")
                    .with_help("a directory id is `d-` and 8–63 hex digits, or `wsd-` and 8–63 lowercase letters or digits");
        }
        if let Some(bundle) = ws.bundle.as_ref().filter(|b| b.get_ref().trim().is_empty()) {
            self.error(bundle.span(), "`bundle` is empty", "a bundle name");
        }
        if let Some(id) = ws
            .bundle_id
            .as_ref()
            .filter(|i| !rules::is_bundle_id(i.get_ref()))
        {
            self.error(
                id.span(),
                format!("invalid bundle id `{}`", id.get_ref()),
                "not a bundle id",
            )
            .with_help("a bundle id is `wsb-` and 8–63 lowercase letters or digits");
        }
        self.property_rules(ws);
        let compute = known(&ws.compute_type, rules::COMPUTE_TYPES);
        let mode = known(&ws.running_mode, &RunningMode::names());
        if let Some(policy) = &ws.heal {
            self.one_of(policy, &heals(), "heal policy");
        }
        self.auto_stop(ws, mode);
        self.encryption(ws);
        self.protocols(ws.protocols.as_ref());
        if let Some(aga) = &ws.global_accelerator {
            self.global_accelerator(aga);
        }
        if let Some(name) = ws
            .workspace_name
            .as_ref()
            .filter(|n| !rules::is_workspace_name(n.get_ref()))
        {
            self.error(
                name.span(),
                format!("invalid WorkSpace name `{}`", name.get_ref()),
                "not a WorkSpace name",
            )
            .with_help("a WorkSpace name is 2–64 letters, digits and `_.()-`, not starting with `.` or `-`");
        }
        self.tags(ws.tags.as_ref());
        // Graphics or not: the WorkSpace's compute type, else its bundle's
        // when the bundle is in this file, else unknown.
        let graphics = match (compute, ws.compute_type.as_ref(), &ws.bundle, bundles) {
            (Some(compute), _, _, _) => Some(rules::is_graphics(compute)),
            (None, Some(_), _, _) => return false,
            (None, None, Some(name), Some(bundles)) => bundles
                .get(name.get_ref().as_str())
                .and_then(|b| b.compute_type.as_ref())
                .map(|c| rules::is_graphics(c.get_ref())),
            _ => None,
        };
        self.volumes(
            ws.root_volume_gib.as_ref(),
            ws.user_volume_gib.as_ref(),
            graphics,
        );
        self.found.len() == before
    }

    fn auto_stop(&mut self, ws: &RawWorkspace, mode: Option<&str>) {
        let Some(timeout) = &ws.auto_stop_timeout_minutes else {
            return;
        };
        let minutes = *timeout.get_ref();
        if mode != Some(RunningMode::AutoStop.as_str()) {
            let diagnostic = self.error(
                timeout.span(),
                "`auto_stop_timeout_minutes` is only for `running_mode = \"AUTO_STOP\"`",
                "needs AUTO_STOP",
            );
            match &ws.running_mode {
                Some(mode) => {
                    diagnostic.with_note(format!("`running_mode` is `{}`", mode.get_ref()))
                }
                None => diagnostic.with_help("add `running_mode = \"AUTO_STOP\"`"),
            };
        }
        if minutes < 60 || minutes % 60 != 0 || i32::try_from(minutes).is_err() {
            self.error(
                timeout.span(),
                "`auto_stop_timeout_minutes` must be a positive multiple of 60",
                format!("{minutes} minutes"),
            )
            .with_note("AWS sets the auto-stop time in 60-minute steps");
        }
    }

    fn encryption(&mut self, ws: &RawWorkspace) {
        let on: Vec<&Spanned<bool>> = [&ws.root_volume_encryption, &ws.user_volume_encryption]
            .into_iter()
            .flatten()
            .filter(|b| *b.get_ref())
            .collect();
        match (&ws.volume_encryption_key, on.first()) {
            (None, Some(flag)) => {
                self.error(
                    flag.span(),
                    "encrypted volumes need `volume_encryption_key`",
                    "encryption on",
                )
                .with_help("set `volume_encryption_key` to a symmetric KMS key id or ARN");
            }
            (Some(key), None) => {
                self.error(key.span(), "`volume_encryption_key` without encrypted volumes", "unused key")
                    .with_help("set `root_volume_encryption` or `user_volume_encryption = true`, or remove the key");
            }
            (Some(key), Some(_)) if !is_kms_key_reference(key.get_ref()) => {
                self.error(
                    key.span(),
                    "`volume_encryption_key` is not a KMS key id, key ARN or alias",
                    "not a key",
                )
                .with_help("write an alias as `alias/NAME` (AWS's own key for WorkSpaces is `alias/aws/workspaces`), or give the key's id or ARN");
            }
            _ => {}
        }
    }

    /// AWS takes a list, but a WorkSpace streams over one protocol.
    fn protocols(&mut self, protocols: Option<&Spanned<Vec<Spanned<String>>>>) {
        let Some(list) = protocols else {
            return;
        };
        if list.get_ref().len() != 1 {
            self.error(
                list.span(),
                "`protocols` names one protocol",
                format!("{} protocols", list.get_ref().len()),
            )
            .with_help("write `protocols = [\"wsp\"]` or `protocols = [\"pcoip\"]`");
        }
        let names = protocol_names();
        for protocol in list.get_ref() {
            if protocol.get_ref().eq_ignore_ascii_case("dcv") {
                self.error(protocol.span(), "unknown protocol `dcv`", "not a protocol")
                    .with_help("DCV is what AWS now calls WSP: write `wsp`");
                continue;
            }
            self.one_of(protocol, &names, "protocol");
        }
    }

    fn global_accelerator(&mut self, aga: &Spanned<RawGlobalAccelerator>) {
        let RawGlobalAccelerator {
            mode,
            preferred_protocol,
        } = aga.get_ref();
        match mode {
            Some(mode) => {
                self.one_of(mode, rules::AGA_MODES, "Global Accelerator mode");
            }
            None => {
                self.error(
                    aga.span(),
                    "missing `mode` in `global_accelerator`",
                    "`mode` is required here",
                )
                .with_help(format!(
                    "add `mode = ` one of {}",
                    backticked(rules::AGA_MODES)
                ));
            }
        }
        if let Some(protocol) = preferred_protocol {
            self.one_of(protocol, rules::AGA_PROTOCOLS, "preferred protocol");
        }
    }

    /// One WorkSpace per (directory, user), the user without regard to case:
    /// AWS's natural key. The later one in the file is the error, naming
    /// where the first is.
    fn unique_users(
        &mut self,
        workspaces: &[Entry<RawWorkspace>],
        defaults: Option<&Entry<RawWorkspace>>,
    ) {
        let mut users: Vec<(&str, &str, &Entry<RawWorkspace>)> = workspaces
            .iter()
            .filter_map(|entry| {
                let directory = entry
                    .value
                    .directory_id
                    .as_ref()
                    .or_else(|| defaults.and_then(|d| d.value.directory_id.as_ref()))?;
                let user = entry
                    .value
                    .user
                    .as_ref()
                    .map_or(entry.name.as_str(), |u| u.get_ref().as_str());
                Some((directory.get_ref().as_str(), user, entry))
            })
            .collect();
        users.sort_by_key(|(_, _, entry)| entry.span.start);
        let mut first: HashMap<WorkspaceKey, &Entry<RawWorkspace>> = HashMap::new();
        for (directory, user, entry) in users {
            let key = WorkspaceKey::new(directory, user);
            let Some(earlier) = first.get(&key).copied() else {
                first.insert(key, entry);
                continue;
            };
            let note = format!(
                "`[workspaces.{}]` at {} is the first",
                earlier.name,
                self.origin(earlier.span.start)
            );
            let span = entry
                .value
                .user
                .as_ref()
                .map_or(entry.span.clone(), |u| u.span());
            self.error(
                span,
                format!("user `{user}` in directory `{directory}` has two WorkSpaces"),
                "a second WorkSpace for this user",
            )
            .with_note(note);
        }
    }
}

/// `value` when it is one of `names` (a property's rule reports it if not).
fn known<'v>(value: &'v Option<Spanned<String>>, names: &[&str]) -> Option<&'v str> {
    let value = value.as_ref()?.get_ref().as_str();
    names.contains(&value).then_some(value)
}

fn protocol_names() -> Vec<&'static str> {
    Protocol::ALL.iter().map(|p| p.as_str()).collect()
}

fn heals() -> Vec<&'static str> {
    Heal::ALL.iter().map(|h| h.as_str()).collect()
}

fn heal(value: &str) -> Option<Heal> {
    Heal::ALL.into_iter().find(|h| h.as_str() == value)
}

/// A property's own rule, as its entry in the table names it.
macro_rules! property_rule {
    ($validator:ident, $value:expr,) => {};
    ($validator:ident, $value:expr, one_of($names:expr, $what:literal)) => {
        if let Some(value) = $value {
            $validator.one_of(value, &$names, $what);
        }
    };
}

/// The table's properties: their own rules, and their values checked and
/// defaulted.
macro_rules! checked_properties {
    ($(
        $(#[$file:meta])* $key:ident => $field:ident: $type:ty,
        checked: [$($rule:tt)*], shown: $setting:expr, compared: $compared:expr;
    )*) => {
        impl Check<'_> {
            /// The rules each property's entry names.
            fn property_rules(&mut self, ws: &RawWorkspace) {
                $(property_rule!(self, &ws.$key, $($rule)*);)*
            }
        }

        /// The checked values of `ws`; `None` when one is out of range
        /// (already reported).
        fn properties(ws: &RawWorkspace) -> Option<WorkspaceProperties> {
            Some(WorkspaceProperties {
                $($field: match &ws.$key {
                    Some(value) => Some(<$type as FileValue>::checked(value.get_ref())?),
                    None => None,
                },)*
            })
        }

        /// Each property `ws` does not set, from `defaults`.
        fn inherit_properties(ws: &mut RawWorkspace, defaults: &RawWorkspace) {
            $(if ws.$key.is_none() {
                ws.$key.clone_from(&defaults.$key);
            })*
        }
    };
}

property_table!(checked_properties);

fn gib(size: Option<&Spanned<i64>>) -> Option<i32> {
    size.and_then(|s| i32::try_from(*s.get_ref()).ok())
}

/// `[defaults.workspace]` under a WorkSpace: each key the WorkSpace does not
/// set comes from the defaults; `bundle` and `bundle_id` count as one key;
/// tags merge, the WorkSpace's own keys winning.
fn merge(ws: &RawWorkspace, defaults: Option<&RawWorkspace>) -> RawWorkspace {
    let Some(d) = defaults else {
        return ws.clone();
    };
    let mut merged = ws.clone();
    inherit_properties(&mut merged, d);
    // The name is each WorkSpace's own.
    merged.workspace_name.clone_from(&ws.workspace_name);
    // A default timeout follows a default AUTO_STOP; a WorkSpace that picks
    // another running mode does not inherit it.
    let auto_stop = merged
        .running_mode
        .as_ref()
        .is_some_and(|m| RunningMode::named(m.get_ref()) == Some(RunningMode::AutoStop));
    if !auto_stop {
        merged
            .auto_stop_timeout_minutes
            .clone_from(&ws.auto_stop_timeout_minutes);
    }
    if ws.bundle.is_none() && ws.bundle_id.is_none() {
        merged.bundle.clone_from(&d.bundle);
        merged.bundle_id.clone_from(&d.bundle_id);
    }
    let pick = |own: &Option<Spanned<String>>, default: &Option<Spanned<String>>| {
        own.clone().or_else(|| default.clone())
    };
    merged.directory_id = pick(&ws.directory_id, &d.directory_id);
    merged.heal = pick(&ws.heal, &d.heal);
    merged.tags = merge_tags(ws.tags.as_ref(), d.tags.as_ref());
    merged.allow_data_loss = ws
        .allow_data_loss
        .clone()
        .or_else(|| d.allow_data_loss.clone());
    merged.tune = ws.tune.clone().or_else(|| d.tune.clone());
    merged
}

fn merge_tags(
    own: Option<&Spanned<Tags>>,
    defaults: Option<&Spanned<Tags>>,
) -> Option<Spanned<Tags>> {
    match (own, defaults) {
        (Some(own), Some(defaults)) => {
            let mut merged = defaults.get_ref().clone();
            for (key, value) in own.get_ref() {
                // Remove first: `insert` would keep the default key's span.
                merged.remove(key);
                merged.insert(key.clone(), value.clone());
            }
            Some(Spanned::new(own.span(), merged))
        }
        (own, defaults) => own.or(defaults).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::spec::{
        BundleRef, Fleet, GlobalAccelerator, Heal, ImageRef, ImageSource, Origin, Protocol,
        RunningMode, parse,
    };

    const SETTINGS: &str = "[settings]\nstack = \"eng\"\n";
    const WS: &str = "[workspaces.alice]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\n";

    fn diagnostics(text: &str) -> Vec<Diagnostic> {
        match parse("fleet.toml", text) {
            Ok(fleet) => panic!("expected problems, got {fleet:#?}"),
            Err(diagnostics) => diagnostics.iter().cloned().collect(),
        }
    }

    fn messages(text: &str) -> Vec<String> {
        diagnostics(text).into_iter().map(|d| d.message).collect()
    }

    /// The one problem in `SETTINGS` + `extra`.
    fn problem(extra: &str) -> Diagnostic {
        let found = diagnostics(&format!("{SETTINGS}{extra}"));
        assert_eq!(found.len(), 1, "{found:#?}");
        found.into_iter().next().expect("one problem")
    }

    fn fleet(extra: &str) -> Fleet {
        let text = format!("{SETTINGS}{extra}");
        match parse("fleet.toml", &text) {
            Ok(fleet) => fleet,
            Err(diagnostics) => panic!("{}", diagnostics.render(false)),
        }
    }

    /// The text a diagnostic underlines.
    fn underlined(d: &Diagnostic, text: &str) -> String {
        let span = d.span.clone().expect("a span");
        text[span].to_owned()
    }

    // settings

    #[test]
    fn settings_are_required() {
        assert_eq!(messages(WS), ["missing `[settings]`"]);
        assert_eq!(
            messages("[settings]\nregion = \"us-east-1\"\n"),
            ["missing `stack`"]
        );
    }

    #[test]
    fn stack_is_a_tag_value() {
        let text = "[settings]\nstack = \"eng,ops\"\n";
        assert_eq!(messages(text), ["`stack` cannot contain `,`"]);
        let long = format!("[settings]\nstack = \"{}\"\n", "s".repeat(256));
        assert_eq!(messages(&long), ["`stack` must be 1–255 characters"]);
        assert_eq!(
            messages("[settings]\nstack = \"\"\n"),
            ["`stack` must be 1–255 characters"]
        );
        assert_eq!(
            messages("[settings]\nstack = \" eng\"\n"),
            ["`stack` cannot begin or end with a space"]
        );
    }

    #[test]
    fn region_pattern() {
        let text = "[settings]\nstack = \"eng\"\nregion = \"US-East-1\"\n";
        let found = diagnostics(text);
        assert_eq!(found[0].message, "invalid region `US-East-1`");
        assert_eq!(underlined(&found[0], text), "\"US-East-1\"");
        let ok = fleet("").settings;
        assert_eq!((ok.stack.as_str(), ok.region), ("eng", None));
    }

    // account

    #[test]
    fn byol_needs_a_slash_16_management_cidr() {
        assert_eq!(
            problem("[account]\nbyol = true\n").message,
            "missing `management_cidr`"
        );
        let d = problem("[account]\nbyol = true\nmanagement_cidr = \"10.200.1.0/24\"\n");
        assert_eq!(d.message, "invalid management CIDR `10.200.1.0/24`");
        assert_eq!(d.label, "not of the form a.b.0.0/16");
        assert_eq!(
            problem("[account]\nmanagement_cidr = \"10.200.0.0/16\"\n").message,
            "missing `byol`"
        );
        let account =
            fleet("\n[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n").account;
        let account = account.expect("an account");
        assert!(account.byol);
        assert_eq!(account.management_cidr.as_deref(), Some("10.200.0.0/16"));
        assert_eq!((account.origin.line, account.origin.column), (4, 1));
    }

    // images

    const BYOL: &str = "[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n";
    const IMPORT: &str = "import = { ec2_image_id = \"ami-0123456789abcdef0\", ingestion_process = \"BYOL_REGULAR_WSP\" }\n";

    #[test]
    fn an_imported_image() {
        let f = fleet(&format!(
            "{BYOL}[images.base]\n{IMPORT}description = \"Win 11 base\"\nauto_update = true\n"
        ));
        let image = &f.images[0];
        assert_eq!(image.name, "base");
        assert_eq!(
            image.source,
            ImageSource::Import {
                ec2_image_id: "ami-0123456789abcdef0".into(),
                ingestion_process: "BYOL_REGULAR_WSP".into()
            }
        );
        assert!(image.auto_update);
        assert_eq!(image.description.as_deref(), Some("Win 11 base"));
        assert_eq!((image.origin.line, image.origin.column), (6, 1));
    }

    #[test]
    fn image_name_pattern() {
        let d = problem(&format!("{BYOL}[images.\"bad name\"]\n{IMPORT}"));
        assert_eq!(d.message, "invalid image name `bad name`");
    }

    #[test]
    fn image_needs_exactly_one_source() {
        assert_eq!(
            problem("[images.base]\ndescription = \"x\"\n").message,
            "image `base` has no source"
        );
        let text = format!(
            "{SETTINGS}{BYOL}[images.base]\n{IMPORT}copy = {{ source_region = \"us-west-2\", source_image_id = \"wsi-0123abcde\" }}\n"
        );
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "image `base` has more than one source");
        assert_eq!(found[0].label, "a second source");
    }

    #[test]
    fn an_existing_image_has_no_other_source() {
        let f = fleet("[images.base]\nexisting = true\ndescription = \"made by hand\"\n");
        assert_eq!(f.images[0].source, ImageSource::Existing);
        assert_eq!(
            problem("[images.base]\nexisting = false\n").message,
            "image `base` has no source"
        );
        let text =
            format!("{SETTINGS}[images.base]\nexisting = true\nupdate_of = \"wsi-0123abcde\"\n");
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "image `base` has more than one source");
    }

    #[test]
    fn import_rules() {
        let bad_ami =
            "import = { ec2_image_id = \"ami-123\", ingestion_process = \"BYOL_REGULAR\" }\n";
        assert_eq!(
            problem(&format!("{BYOL}[images.base]\n{bad_ami}")).message,
            "invalid EC2 image id `ami-123`"
        );
        let bad_process =
            "import = { ec2_image_id = \"ami-01234567\", ingestion_process = \"BYOL_REGULR\" }\n";
        let d = problem(&format!("{BYOL}[images.base]\n{bad_process}"));
        assert_eq!(d.message, "unknown ingestion process `BYOL_REGULR`");
        assert_eq!(d.notes, ["help: did you mean `BYOL_REGULAR`?"]);
        let missing = "import = { ec2_image_id = \"ami-01234567\" }\n";
        assert_eq!(
            problem(&format!("{BYOL}[images.base]\n{missing}")).message,
            "missing `ingestion_process`"
        );
        let typo = "import = { ec2_image_id = \"ami-01234567\", ingestion = \"BYOL_REGULAR\" }\n";
        let found = diagnostics(&format!("{SETTINGS}{BYOL}[images.base]\n{typo}"));
        // No close key: the allowed ones are listed, and the one not given is missing.
        assert_eq!(found[0].message, "missing `ingestion_process`");
        assert_eq!(found[1].message, "unknown key `ingestion`");
        assert_eq!(
            found[1].notes,
            ["help: `import` takes `ec2_image_id`, `ingestion_process`"]
        );
        let d = problem(&format!("{BYOL}[images.base]\nimport = \"ami-01234567\"\n"));
        assert_eq!(d.message, "wrong type for `import`");
        assert_eq!(d.label, "expected a table, found string");
    }

    #[test]
    fn byol_import_needs_byol_in_the_file() {
        let d = problem(&format!("[images.base]\n{IMPORT}"));
        assert_eq!(d.message, "a BYOL import needs `[account] byol = true`");
        assert_eq!(
            underlined(&d, &format!("{SETTINGS}[images.base]\n{IMPORT}")),
            "\"BYOL_REGULAR_WSP\""
        );
        let off = "[account]\nbyol = false\n";
        let d = problem(&format!("{off}[images.base]\n{IMPORT}"));
        assert_eq!(d.notes, ["note: `[account]` sets `byol = false`"]);
    }

    #[test]
    fn copy_rules() {
        let f = fleet(
            "[images.copied]\ncopy = { source_region = \"us-west-2\", source_image_id = \"wsi-0123abcde\" }\n",
        );
        assert_eq!(
            f.images[0].source,
            ImageSource::Copy {
                source_region: "us-west-2".into(),
                source_image_id: "wsi-0123abcde".into()
            }
        );
        let found = messages(&format!(
            "{SETTINGS}[images.copied]\ncopy = {{ source_region = \"US\", source_image_id = \"ami-01234567\" }}\n"
        ));
        assert_eq!(
            found,
            ["invalid region `US`", "invalid image id `ami-01234567`"]
        );
        assert_eq!(
            problem("[images.copied]\ncopy = { source_region = \"us-west-2\" }\n").message,
            "missing `source_image_id`"
        );
    }

    #[test]
    fn update_of_names_a_file_image_or_an_id() {
        let base = format!("{BYOL}[images.base]\n{IMPORT}");
        let f = fleet(&format!(
            "{base}[images.next]\nupdate_of = \"base\"\n[images.byid]\nupdate_of = \"wsi-0123abcde\"\n"
        ));
        let by_name: Vec<_> = f
            .images
            .iter()
            .map(|i| (i.name.as_str(), &i.source))
            .collect();
        assert_eq!(
            by_name[1],
            (
                "byid",
                &ImageSource::UpdateOf(ImageRef::Id("wsi-0123abcde".into()))
            )
        );
        assert_eq!(
            by_name[2],
            (
                "next",
                &ImageSource::UpdateOf(ImageRef::Name("base".into()))
            )
        );
        let d = problem(&format!("{base}[images.next]\nupdate_of = \"bsae\"\n"));
        assert_eq!(d.message, "no image `bsae` in this file");
        assert_eq!(d.notes, ["help: did you mean `base`?"]);
        let d = problem("[images.next]\nupdate_of = \"elsewhere\"\n");
        assert_eq!(
            d.notes,
            ["help: name an `[images.NAME]` of this file, or give an image id (`wsi-…`)"]
        );
        assert_eq!(
            problem("[images.next]\nupdate_of = \"next\"\n").message,
            "an image cannot be an update of itself"
        );
        assert_eq!(
            problem("[images.next]\nupdate_of = \"wsi-1\"\n").message,
            "invalid image id `wsi-1`"
        );
    }

    #[test]
    fn image_description_pattern() {
        let d = problem(&format!(
            "{BYOL}[images.base]\n{IMPORT}description = \"semi;colon\"\n"
        ));
        assert_eq!(d.message, "invalid description");
        let long = "d".repeat(257);
        assert_eq!(
            problem(&format!(
                "{BYOL}[images.base]\n{IMPORT}description = \"{long}\"\n"
            ))
            .message,
            "invalid description"
        );
    }

    // bundles

    const BUNDLE: &str = "[bundles.dev]\nimage = \"wsi-0123abcde\"\ncompute_type = \"POWER\"\nroot_volume_gib = 80\nuser_volume_gib = 50\n";

    #[test]
    fn a_bundle() {
        let f = fleet(BUNDLE);
        let b = &f.bundles[0];
        assert_eq!(b.image, ImageRef::Id("wsi-0123abcde".into()));
        assert_eq!(
            (
                b.compute_type.as_str(),
                b.root_volume_gib,
                b.user_volume_gib
            ),
            ("POWER", Some(80), 50)
        );
        assert_eq!(
            b.origin,
            Origin {
                file: "fleet.toml".into(),
                line: 3,
                column: 1
            }
        );
    }

    #[test]
    fn bundle_image_must_resolve() {
        let text = format!(
            "{BYOL}[images.base]\n{IMPORT}[bundles.dev]\nimage = \"bas\"\ncompute_type = \"POWER\"\nuser_volume_gib = 50\n"
        );
        let d = problem(&text);
        assert_eq!(d.message, "no image `bas` in this file");
        assert_eq!(d.notes, ["help: did you mean `base`?"]);
        let named = text.replace("\"bas\"", "\"base\"");
        assert_eq!(
            fleet(&named).bundles[0].image,
            ImageRef::Name("base".into())
        );
    }

    #[test]
    fn bundle_required_keys_and_enum() {
        let found = messages(&format!("{SETTINGS}[bundles.dev]\ndescription = \"dev\"\n"));
        assert_eq!(
            found,
            [
                "missing `image`",
                "missing `compute_type`",
                "missing `user_volume_gib`"
            ]
        );
        let d = problem(&BUNDLE.replace("\"POWER\"", "\"power\""));
        assert_eq!(d.message, "unknown compute type `power`");
        assert_eq!(d.notes, ["help: did you mean `POWER`?"]);
        let d = problem(&BUNDLE.replace("\"POWER\"", "\"HUGE\""));
        assert!(
            d.notes[0].starts_with("help: expected one of `GENERALPURPOSE_4XLARGE`, `GENERALPURPOSE_8XLARGE`, `GRAPHICS`"),
            "{:?}",
            d.notes
        );
        assert_eq!(
            problem(&format!("[bundles.\"a b\"]\n{}", &BUNDLE[14..])).message,
            "invalid bundle name `a b`"
        );
        let long = "d".repeat(256);
        assert_eq!(
            problem(&format!("{BUNDLE}description = \"{long}\"\n")).message,
            "invalid description"
        );
    }

    #[test]
    fn bundle_volume_pairs() {
        let d = problem(&BUNDLE.replace("user_volume_gib = 50", "user_volume_gib = 500"));
        assert_eq!(
            d.message,
            "[root, user] = [80, 500] GiB is not an allowed pair: with an 80 GiB root the user volume is 10, 50 or 100"
        );
        assert_eq!(d.label, "500 GiB");
        let d = problem(&BUNDLE.replace("root_volume_gib = 80", "root_volume_gib = 2500"));
        assert_eq!(d.message, "a root volume is at most 2000 GiB");
        let d = problem(&BUNDLE.replace("root_volume_gib = 80", "root_volume_gib = 0"));
        assert_eq!(d.message, "`root_volume_gib` must be positive");
        let graphics = BUNDLE
            .replace("\"POWER\"", "\"GRAPHICS_G4DN\"")
            .replace("= 80", "= 100")
            .replace("= 50", "= 100");
        assert_eq!(fleet(&graphics).bundles[0].root_volume_gib, Some(100));
        let d = problem(&BUNDLE.replace("= 80", "= 100").replace("= 50", "= 100"));
        assert_eq!(
            d.message,
            "a root volume of 100 GiB is not allowed: it is 80 or 175–2000 GiB"
        );
        let graphics_too_small = BUNDLE.replace("\"POWER\"", "\"GRAPHICSPRO\"");
        assert_eq!(
            messages(&format!("{SETTINGS}{graphics_too_small}")),
            [
                "graphics compute types need a root volume of at least 100 GiB",
                "graphics compute types need a user volume of at least 100 GiB",
            ]
        );
    }

    // workspaces

    #[test]
    fn a_workspace_with_its_user_defaulting_to_its_name() {
        let f = fleet(WS);
        let ws = &f.workspaces[0];
        assert_eq!((ws.name.as_str(), ws.user.as_str()), ("alice", "alice"));
        assert_eq!(ws.bundle, BundleRef::Name("dev".into()));
        assert_eq!((ws.origin.line, ws.origin.column), (3, 1));
        assert!(!ws.allow_data_loss);
        assert_eq!(ws.properties.root_volume_encryption, None);
        let f = fleet(&format!("{WS}user = \"alice.smith\"\n"));
        assert_eq!(f.workspaces[0].user, "alice.smith");
    }

    #[test]
    fn amazon_bundle_names_are_left_for_live_resolution() {
        let ws = WS.replace(
            "\"dev\"",
            "\"Standard with Windows 10 (Server 2022 based)\"",
        );
        let f = fleet(&ws);
        assert_eq!(
            f.workspaces[0].bundle,
            BundleRef::Name("Standard with Windows 10 (Server 2022 based)".into())
        );
        assert_eq!(
            problem(&WS.replace("\"dev\"", "\"\"")).message,
            "`bundle` is empty"
        );
    }

    #[test]
    fn directory_id_is_required_and_a_directory_id() {
        let d = problem("[workspaces.alice]\nbundle = \"dev\"\n");
        assert_eq!(d.message, "missing `directory_id`");
        assert_eq!(
            underlined(
                &d,
                &format!("{SETTINGS}[workspaces.alice]\nbundle = \"dev\"\n")
            ),
            "[workspaces.alice]"
        );
        let d = problem(&WS.replace("d-1234567890", "d-12"));
        assert_eq!(d.message, "invalid directory id `d-12`");
    }

    #[test]
    fn user_name_length() {
        let long = "u".repeat(64);
        let d = problem(&format!("{WS}user = \"{long}\"\n"));
        assert_eq!(d.message, "a user name is 1–63 characters");
        let d = problem(&format!("{WS}user = \"\"\n"));
        assert_eq!(d.label, "0 characters");
    }

    #[test]
    fn exactly_one_of_bundle_and_bundle_id() {
        let d = problem(&format!("{WS}bundle_id = \"wsb-0123abcd\"\n"));
        assert_eq!(d.message, "`bundle` and `bundle_id` are both set");
        let d = problem("[workspaces.alice]\ndirectory_id = \"d-1234567890\"\n");
        assert_eq!(d.message, "missing `bundle` or `bundle_id`");
        let d = problem(&WS.replace("bundle = \"dev\"", "bundle_id = \"wsb-XX\""));
        assert_eq!(d.message, "invalid bundle id `wsb-XX`");
    }

    #[test]
    fn a_workspace_bundle_overrides_a_default_bundle_id_and_back() {
        let defaults = "[defaults.workspace]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\n";
        let f = fleet(&format!(
            "{defaults}[workspaces.a]\n[workspaces.b]\nbundle_id = \"wsb-0123abcd\"\n"
        ));
        assert_eq!(f.workspaces[0].bundle, BundleRef::Name("dev".into()));
        assert_eq!(f.workspaces[1].bundle, BundleRef::Id("wsb-0123abcd".into()));
        let defaults = defaults.replace("bundle = \"dev\"", "bundle_id = \"wsb-0123abcd\"");
        let f = fleet(&format!("{defaults}[workspaces.a]\nbundle = \"dev\"\n"));
        assert_eq!(f.workspaces[0].bundle, BundleRef::Name("dev".into()));
    }

    #[test]
    fn heal_is_a_policy_of_a_workspace_or_its_defaults() {
        let d = problem(&format!("{WS}heal = \"rebot\"\n"));
        assert_eq!(d.message, "unknown heal policy `rebot`");
        assert_eq!(d.notes, ["help: did you mean `reboot`?"]);
        let d = problem(&format!("{WS}heal = \"RESTORE\"\n"));
        assert_eq!(d.notes, ["help: did you mean `restore`?"]);
        let f = fleet(&format!("{WS}heal = \"rebuild\"\n"));
        assert_eq!(f.workspaces[0].heal, Heal::Rebuild);
        let defaults = "[defaults.workspace]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nheal = \"reboot\"\n";
        let f = fleet(&format!(
            "{defaults}[workspaces.a]\n[workspaces.b]\nheal = \"none\"\n"
        ));
        assert_eq!(f.workspaces[0].heal, Heal::Reboot);
        assert_eq!(f.workspaces[1].heal, Heal::None);
        let f = fleet(WS);
        assert_eq!(f.workspaces[0].heal, Heal::None);
    }

    #[test]
    fn enums_of_a_workspace() {
        let d = problem(&format!("{WS}compute_type = \"POWERPRO2\"\n"));
        assert_eq!(d.message, "unknown compute type `POWERPRO2`");
        assert_eq!(d.notes, ["help: did you mean `POWERPRO`?"]);
        let d = problem(&format!("{WS}running_mode = \"AUTOSTOP\"\n"));
        assert_eq!(d.message, "unknown running mode `AUTOSTOP`");
        assert_eq!(d.notes, ["help: did you mean `AUTO_STOP`?"]);
        let f = fleet(&format!(
            "{WS}running_mode = \"MANUAL\"\ncompute_type = \"GRAPHICS_G6_XLARGE\"\n"
        ));
        assert_eq!(
            f.workspaces[0].properties.running_mode,
            Some(RunningMode::Manual)
        );
        assert_eq!(
            f.workspaces[0].properties.compute_type.as_deref(),
            Some("GRAPHICS_G6_XLARGE")
        );
    }

    #[test]
    fn auto_stop_timeout() {
        let f = fleet(&format!(
            "{WS}running_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 120\n"
        ));
        assert_eq!(
            f.workspaces[0].properties.auto_stop_timeout_minutes,
            Some(120)
        );
        let d = problem(&format!(
            "{WS}running_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 90\n"
        ));
        assert_eq!(
            d.message,
            "`auto_stop_timeout_minutes` must be a positive multiple of 60"
        );
        assert_eq!(d.label, "90 minutes");
        let d = problem(&format!(
            "{WS}running_mode = \"AUTO_STOP\"\nauto_stop_timeout_minutes = 0\n"
        ));
        assert_eq!(
            d.message,
            "`auto_stop_timeout_minutes` must be a positive multiple of 60"
        );
        let d = problem(&format!(
            "{WS}running_mode = \"ALWAYS_ON\"\nauto_stop_timeout_minutes = 60\n"
        ));
        assert_eq!(
            d.message,
            "`auto_stop_timeout_minutes` is only for `running_mode = \"AUTO_STOP\"`"
        );
        assert_eq!(d.notes, ["note: `running_mode` is `ALWAYS_ON`"]);
        let d = problem(&format!("{WS}auto_stop_timeout_minutes = 60\n"));
        assert_eq!(d.notes, ["help: add `running_mode = \"AUTO_STOP\"`"]);
    }

    #[test]
    fn workspace_volumes() {
        let d = problem(&format!(
            "{WS}root_volume_gib = 175\nuser_volume_gib = 50\n"
        ));
        assert_eq!(
            d.message,
            "[root, user] = [175, 50] GiB is not an allowed pair: with a root over 80 GiB the user volume is 100–2000"
        );
        let f = fleet(&format!(
            "{WS}root_volume_gib = 175\nuser_volume_gib = 100\n"
        ));
        assert_eq!(
            (
                f.workspaces[0].properties.root_volume_gib,
                f.workspaces[0].properties.user_volume_gib
            ),
            (Some(175), Some(100))
        );
        // The compute type decides; without one, a file bundle's does.
        let d = problem(&format!(
            "{WS}compute_type = \"GRAPHICS\"\nroot_volume_gib = 80\n"
        ));
        assert_eq!(
            d.message,
            "graphics compute types need a root volume of at least 100 GiB"
        );
        let graphics_bundle = BUNDLE
            .replace("\"POWER\"", "\"GRAPHICS\"")
            .replace("= 80", "= 100")
            .replace("= 50", "= 100");
        let d = problem(&format!("{graphics_bundle}{WS}root_volume_gib = 80\n"));
        assert_eq!(
            d.message,
            "graphics compute types need a root volume of at least 100 GiB"
        );
        // An unknown bundle: either rule set will do.
        let f = fleet(&format!(
            "{}root_volume_gib = 100\nuser_volume_gib = 100\n",
            WS.replace("\"dev\"", "\"Graphics\"")
        ));
        assert_eq!(f.workspaces[0].properties.root_volume_gib, Some(100));
    }

    #[test]
    fn encryption_key() {
        let d = problem(&format!("{WS}user_volume_encryption = true\n"));
        assert_eq!(d.message, "encrypted volumes need `volume_encryption_key`");
        assert_eq!(d.label, "encryption on");
        let d = problem(&format!("{WS}volume_encryption_key = \"alias/ws\"\n"));
        assert_eq!(
            d.message,
            "`volume_encryption_key` without encrypted volumes"
        );
        let d = problem(&format!(
            "{WS}root_volume_encryption = false\nvolume_encryption_key = \"alias/ws\"\n"
        ));
        assert_eq!(
            d.message,
            "`volume_encryption_key` without encrypted volumes"
        );
        let f = fleet(&format!(
            "{WS}root_volume_encryption = true\nvolume_encryption_key = \"alias/ws\"\n"
        ));
        assert_eq!(
            f.workspaces[0].properties.root_volume_encryption,
            Some(true)
        );
        assert_eq!(
            f.workspaces[0].properties.volume_encryption_key.as_deref(),
            Some("alias/ws")
        );
        let d = problem(&format!(
            "{WS}root_volume_encryption = true\nvolume_encryption_key = \"aws/workspaces\"\n"
        ));
        assert_eq!(
            d.message,
            "`volume_encryption_key` is not a KMS key id, key ARN or alias"
        );
        assert_eq!(d.label, "not a key");
        for key in [
            "alias/aws/workspaces",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws-cn:kms:cn-north-1:111122223333:alias/desks",
        ] {
            fleet(&format!(
                "{WS}root_volume_encryption = true\nvolume_encryption_key = \"{key}\"\n"
            ));
        }
        for key in ["alias/", "arn:aws:s3:::bucket", "1234", "key/1234"] {
            let d = problem(&format!(
                "{WS}root_volume_encryption = true\nvolume_encryption_key = \"{key}\"\n"
            ));
            assert_eq!(d.label, "not a key", "{key}");
        }
    }

    #[test]
    fn protocols_name_one_protocol_of_aws() {
        let f = fleet(&format!("{WS}protocols = [\"wsp\"]\n"));
        assert_eq!(f.workspaces[0].properties.protocol, Some(Protocol::Wsp));
        let d = problem(&format!("{WS}protocols = [\"WSP\"]\n"));
        assert_eq!(d.message, "unknown protocol `WSP`");
        assert_eq!(d.notes, ["help: did you mean `wsp`?"]);
        let d = problem(&format!("{WS}protocols = [\"pcoipp\"]\n"));
        assert_eq!(d.notes, ["help: did you mean `pcoip`?"]);
        let d = problem(&format!("{WS}protocols = [\"dcv\"]\n"));
        assert_eq!(
            d.notes,
            ["help: DCV is what AWS now calls WSP: write `wsp`"]
        );
        let d = problem(&format!("{WS}protocols = [\"wsp\", \"pcoip\"]\n"));
        assert_eq!(d.message, "`protocols` names one protocol");
        assert_eq!(d.label, "2 protocols");
        let d = problem(&format!("{WS}protocols = []\n"));
        assert_eq!(d.label, "0 protocols");
    }

    #[test]
    fn operating_system_names_are_aws_names() {
        let f = fleet(&format!("{WS}operating_system_name = \"WINDOWS_11\"\n"));
        assert_eq!(
            f.workspaces[0].properties.operating_system_name.as_deref(),
            Some("WINDOWS_11")
        );
        let d = problem(&format!("{WS}operating_system_name = \"WINDOWS11\"\n"));
        assert_eq!(d.message, "unknown operating system `WINDOWS11`");
        assert_eq!(d.notes, ["help: did you mean `WINDOWS_11`?"]);
        let d = problem(&format!("{WS}operating_system_name = \"UNKNOWN\"\n"));
        assert_eq!(d.message, "unknown operating system `UNKNOWN`");
    }

    #[test]
    fn global_accelerator_needs_a_mode() {
        let f = fleet(&format!(
            "{WS}global_accelerator = {{ mode = \"ENABLED_AUTO\", preferred_protocol = \"TCP\" }}\n"
        ));
        assert_eq!(
            f.workspaces[0].properties.global_accelerator,
            Some(GlobalAccelerator {
                mode: "ENABLED_AUTO".to_owned(),
                preferred_protocol: Some("TCP".to_owned()),
            })
        );
        let d = problem(&format!(
            "{WS}global_accelerator = {{ preferred_protocol = \"TCP\" }}\n"
        ));
        assert_eq!(d.message, "missing `mode` in `global_accelerator`");
        let d = problem(&format!(
            "{WS}global_accelerator = {{ mode = \"ENABLED\" }}\n"
        ));
        assert_eq!(d.message, "unknown Global Accelerator mode `ENABLED`");
        assert_eq!(
            d.notes,
            ["help: expected one of `DISABLED`, `ENABLED_AUTO`, `INHERITED`"]
        );
        let d = problem(&format!(
            "{WS}global_accelerator = {{ mode = \"ENABLED_AUTOO\" }}\n"
        ));
        assert_eq!(d.notes, ["help: did you mean `ENABLED_AUTO`?"]);
        let d = problem(&format!(
            "{WS}global_accelerator = {{ mode = \"INHERITED\", preferred_protocol = \"tcp\" }}\n"
        ));
        assert_eq!(d.notes, ["help: did you mean `TCP`?"]);
        let d = problem(&format!(
            "{WS}global_accelerator = {{ mode = \"INHERITED\", protocol = \"TCP\" }}\n"
        ));
        assert!(d.message.contains("`protocol`"), "{d:?}");
    }

    #[test]
    fn a_workspace_name_follows_the_model_pattern_and_is_never_a_default() {
        let f = fleet(&format!(
            "{WS}workspace_name = \"alice-dev\"\nnested_virtualization = true\n"
        ));
        assert_eq!(
            f.workspaces[0].properties.workspace_name.as_deref(),
            Some("alice-dev")
        );
        assert_eq!(f.workspaces[0].properties.nested_virtualization, Some(true));
        for bad in ["a", "-alice", "alice dev", &"a".repeat(65)] {
            let d = problem(&format!("{WS}workspace_name = \"{bad}\"\n"));
            assert_eq!(d.message, format!("invalid WorkSpace name `{bad}`"));
        }
        let d = problem(
            "[defaults.workspace]\nworkspace_name = \"shared\"\n[workspaces.alice]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\n",
        );
        assert_eq!(d.message, "`workspace_name` cannot have a default");
    }

    #[test]
    fn new_properties_come_from_the_defaults() {
        let f = fleet(
            "[defaults.workspace]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nprotocols = [\"wsp\"]\noperating_system_name = \"WINDOWS_11\"\nglobal_accelerator = { mode = \"DISABLED\" }\nnested_virtualization = true\n[workspaces.a]\n[workspaces.b]\nprotocols = [\"pcoip\"]\n",
        );
        let [a, b] = [&f.workspaces[0].properties, &f.workspaces[1].properties];
        assert_eq!(
            (a.protocol, b.protocol),
            (Some(Protocol::Wsp), Some(Protocol::Pcoip))
        );
        assert_eq!(b.operating_system_name.as_deref(), Some("WINDOWS_11"));
        assert_eq!(
            b.global_accelerator.as_ref().map(|g| g.mode.as_str()),
            Some("DISABLED")
        );
        assert_eq!(b.nested_virtualization, Some(true));
    }

    #[test]
    fn tag_rules() {
        let tag = |tags: &str| problem(&format!("{WS}tags = {tags}\n"));
        assert_eq!(
            tag("{ \"aws:owner\" = \"x\" }").message,
            "tag key `aws:owner` uses the reserved prefix `aws:`"
        );
        assert_eq!(
            tag("{ \"AWS:owner\" = \"x\" }").message,
            "tag key `AWS:owner` uses the reserved prefix `aws:`"
        );
        assert_eq!(
            tag("{ \"wsctl:stack\" = \"x\" }").message,
            "`wsctl:stack` is set by wsctl"
        );
        assert_eq!(
            tag(&format!("{{ {} = \"x\" }}", "k".repeat(128))).message,
            "a tag key must be 1–127 characters"
        );
        assert_eq!(
            tag("{ \"\" = \"x\" }").message,
            "a tag key must be 1–127 characters"
        );
        assert_eq!(
            tag(&format!("{{ k = \"{}\" }}", "v".repeat(256))).message,
            "a tag value must be 0–255 characters"
        );
        assert_eq!(
            tag("{ k = \"a;b\" }").message,
            "a tag value cannot contain `;`"
        );
        assert_eq!(
            tag("{ \"k!\" = \"v\" }").message,
            "a tag key cannot contain `!`"
        );
        assert_eq!(
            tag("{ k = \"v \" }").message,
            "a tag value cannot begin or end with a space"
        );
        assert_eq!(
            tag("{ k = \"aws:x\" }").message,
            "a tag value cannot begin with `aws:`"
        );
        assert_eq!(
            tag("{ k = \"a\\\"b\" }").message,
            "a tag value cannot contain `\"`"
        );
        let fine = fleet(&format!(
            "{WS}tags = {{ \"team/dept\" = \"a b+c=d.e_f:g@h-i\", empty = \"\" }}\n"
        ));
        assert_eq!(fine.workspaces[0].tags.len(), 2);
    }

    #[test]
    fn at_most_48_tags_as_wsctl_adds_two() {
        let tags = |n: usize| {
            (0..n)
                .map(|i| format!("k{i} = \"v\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(
            fleet(&format!("{WS}tags = {{ {} }}\n", tags(48))).workspaces[0]
                .tags
                .len(),
            48
        );
        let d = problem(&format!("{WS}tags = {{ {} }}\n", tags(49)));
        assert_eq!(d.message, "too many tags: 49");
        assert_eq!(
            d.notes,
            ["note: AWS allows 50 tags per resource and wsctl adds `wsctl:stack` and `wsctl:name`"]
        );
        // Counted after merging with the defaults.
        let defaults = format!("[defaults.workspace]\ntags = {{ {} }}\n", tags(40));
        let own = (100..109)
            .map(|i| format!("k{i} = \"v\""))
            .collect::<Vec<_>>()
            .join(", ");
        let d = problem(&format!("{defaults}{WS}tags = {{ {own} }}\n"));
        assert_eq!(d.message, "too many tags: 49");
    }

    #[test]
    fn tags_merge_with_defaults_own_keys_win() {
        let defaults = "[defaults.workspace]\ntags = { team = \"eng\", cost = \"a\" }\n";
        let f = fleet(&format!(
            "{defaults}{WS}tags = {{ team = \"graphics\" }}\n[workspaces.bob]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\n"
        ));
        let alice: Vec<_> = f.workspaces[0]
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(alice, [("cost", "a"), ("team", "graphics")]);
        assert_eq!(f.workspaces[1].tags["team"], "eng");
    }

    #[test]
    fn image_and_bundle_tags_are_checked_too() {
        let d = problem(&format!("{BUNDLE}tags = {{ \"aws:x\" = \"y\" }}\n"));
        assert_eq!(d.message, "tag key `aws:x` uses the reserved prefix `aws:`");
        let d = problem(&format!(
            "{BYOL}[images.base]\n{IMPORT}tags = {{ \"wsctl:stack\" = \"other\" }}\n"
        ));
        assert_eq!(d.message, "`wsctl:stack` is set by wsctl");
    }

    #[test]
    fn unique_directory_and_user() {
        let text = format!(
            "{SETTINGS}{WS}[workspaces.alice2]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nuser = \"alice\"\n"
        );
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "user `alice` in directory `d-1234567890` has two WorkSpaces"
        );
        assert_eq!(
            found[0].notes,
            ["note: `[workspaces.alice]` at fleet.toml:3:1 is the first"]
        );
        assert_eq!(underlined(&found[0], &text), "\"alice\"");
        let other_directory = text.replacen(
            "d-1234567890\"\nbundle = \"dev\"\nuser",
            "d-abcdef0123\"\nbundle = \"dev\"\nuser",
            1,
        );
        assert_eq!(
            fleet(&other_directory[SETTINGS.len()..]).workspaces.len(),
            2
        );
    }

    #[test]
    fn users_differing_only_in_case_are_one_user() {
        let text = format!(
            "{SETTINGS}{WS}[workspaces.alice2]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nuser = \"Alice\"\n"
        );
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "user `Alice` in directory `d-1234567890` has two WorkSpaces"
        );
        assert_eq!(underlined(&found[0], &text), "\"Alice\"");
    }

    #[test]
    fn user_has_no_default() {
        let d = problem(&format!("[defaults.workspace]\nuser = \"x\"\n{WS}"));
        assert_eq!(d.message, "`user` cannot have a default");
    }

    #[test]
    fn a_bad_default_is_one_problem_not_one_per_workspace() {
        let defaults = "[defaults.workspace]\ndirectory_id = \"d-1234567890\"\nbundle = \"dev\"\nrunning_mode = \"SOMETIMES\"\n";
        let names: String = (0..5).map(|i| format!("[workspaces.u{i}]\n")).collect();
        let d = problem(&format!("{defaults}{names}"));
        assert_eq!(d.message, "unknown running mode `SOMETIMES`");
        let timeout = "running_mode = \"ALWAYS_ON\"\nauto_stop_timeout_minutes = 90\n";
        let found = messages(&format!(
            "{SETTINGS}{}{names}",
            defaults.replace("running_mode = \"SOMETIMES\"\n", timeout)
        ));
        assert_eq!(
            found,
            [
                "`auto_stop_timeout_minutes` is only for `running_mode = \"AUTO_STOP\"`",
                "`auto_stop_timeout_minutes` must be a positive multiple of 60",
            ]
        );
        // Also found with no WorkSpace at all.
        assert_eq!(
            problem(defaults).message,
            "unknown running mode `SOMETIMES`"
        );
    }

    #[test]
    fn every_problem_is_reported_not_the_first() {
        let text = format!(
            "{SETTINGS}[account]\nbyol = true\n[workspaces.a]\ndirectory_id = \"d-1\"\nbundle = \"dev\"\ncompute_type = \"BIG\"\n[workspaces.b]\nbundle = \"dev\"\nrunning_mode = 3\n"
        );
        assert_eq!(
            messages(&text),
            [
                "missing `management_cidr`",
                "invalid directory id `d-1`",
                "unknown compute type `BIG`",
                "missing `directory_id`",
                "wrong type for `running_mode`",
            ]
        );
    }

    // connection aliases and sharing

    const ALIAS: &str = "[connection_aliases.desktop]\n";

    #[test]
    fn a_connection_alias() {
        let f = fleet(&format!(
            "{ALIAS}connection_string = \"desktop.example.com\"\ndirectory_id = \"d-1234567890\"\nshare_with = [\"444455556666\", \"111122223333\"]\ntags = {{ team = \"it\" }}\n"
        ));
        let alias = &f.connection_aliases[0];
        assert_eq!(alias.name, "desktop");
        assert_eq!(alias.connection_string, "desktop.example.com");
        assert_eq!(alias.directory_id.as_deref(), Some("d-1234567890"));
        let shared: Vec<&str> = alias
            .share_with
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        assert_eq!(shared, ["111122223333", "444455556666"]);
        assert_eq!(alias.tags["team"], "it");
        assert_eq!((alias.origin.line, alias.origin.column), (3, 1));
        let bare = fleet(&format!(
            "{ALIAS}connection_string = \"desktop.example.com\"\n"
        ));
        assert_eq!(bare.connection_aliases[0].directory_id, None);
        assert_eq!(bare.connection_aliases[0].share_with, None);
    }

    #[test]
    fn a_connection_string_is_required_and_a_domain_name() {
        let d = problem(ALIAS);
        assert_eq!(d.message, "missing `connection_string`");
        let text = format!("{SETTINGS}{ALIAS}connection_string = \"desktop\"\n");
        let found = diagnostics(&text);
        assert_eq!(found[0].message, "invalid connection string `desktop`");
        assert_eq!(found[0].label, "not a fully qualified domain name");
        assert_eq!(underlined(&found[0], &text), "\"desktop\"");
        for bad in [
            "desk_top.example.com",
            "-desk.example.com",
            "a..example.com",
        ] {
            assert_eq!(
                problem(&format!("{ALIAS}connection_string = \"{bad}\"\n")).message,
                format!("invalid connection string `{bad}`")
            );
        }
        let long = format!("{}.example.com", "a".repeat(64));
        assert_eq!(
            problem(&format!("{ALIAS}connection_string = \"{long}\"\n")).message,
            format!("invalid connection string `{long}`")
        );
    }

    #[test]
    fn an_alias_directory_is_a_directory_id() {
        let d = problem(&format!(
            "{ALIAS}connection_string = \"desktop.example.com\"\ndirectory_id = \"corp\"\n"
        ));
        assert_eq!(d.message, "invalid directory id `corp`");
    }

    #[test]
    fn share_with_takes_each_12_digit_account_once() {
        let text = format!(
            "{SETTINGS}{ALIAS}connection_string = \"desktop.example.com\"\nshare_with = [\"111122223333\", \"1111-2222-3333\", \"111122223333\"]\n"
        );
        let found = diagnostics(&text);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid AWS account id `1111-2222-3333`",
                "account `111122223333` is listed twice",
            ]
        );
        assert_eq!(underlined(&found[1], &text), "\"111122223333\"");
        assert!(
            found[1]
                .span
                .as_ref()
                .is_some_and(|s| s.start > text.find("1111-2222").unwrap_or(0))
        );
        assert_eq!(
            found[1].notes,
            [
                "note: first listed at fleet.toml:5:15",
                "help: the connection alias is shared with each account once",
            ]
        );
    }

    #[test]
    fn an_images_share_with_is_checked_and_kept() {
        let base = "[images.base]\ncopy = { source_region = \"us-west-2\", source_image_id = \"wsi-0123abcde\" }\n";
        let f = fleet(&format!("{base}share_with = [\"111122223333\"]\n"));
        let shared: Vec<&str> = f.images[0]
            .share_with
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        assert_eq!(shared, ["111122223333"]);
        assert_eq!(fleet(base).images[0].share_with, None);
        assert_eq!(
            problem(&format!("{base}share_with = [\"12345\"]\n")).message,
            "invalid AWS account id `12345`"
        );
    }

    #[test]
    fn two_aliases_cannot_share_a_connection_string_in_any_case() {
        let text = format!(
            "{SETTINGS}{ALIAS}connection_string = \"desktop.example.com\"\n[connection_aliases.vdi]\nconnection_string = \"Desktop.Example.COM\"\n"
        );
        let found = diagnostics(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].message,
            "connection string `Desktop.Example.COM` has two aliases"
        );
        assert_eq!(
            found[0].notes,
            ["note: `[connection_aliases.desktop]` at fleet.toml:3:1 is the first"]
        );
    }

    #[test]
    fn an_unknown_alias_key_suggests_the_closest() {
        let found = diagnostics(&format!(
            "{SETTINGS}{ALIAS}connection_string = \"desktop.example.com\"\nshare_width = [\"111122223333\"]\n"
        ));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].notes.iter().any(|n| n.contains("`share_with`")),
            "{found:#?}"
        );
    }
}

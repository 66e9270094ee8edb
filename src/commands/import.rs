//! `wsctl import`: read the whole account, write the fleet file that adopts
//! it. The file is checked as `plan` would load it before it is written;
//! what it cannot hold is left out, never a reason to write nothing.

use std::path::Path;
use std::process::ExitCode;

use super::cli::{Global, ImportArgs};
use super::connect::connect;
use super::{Error, counted, write_whole};
use crate::diagnostic::Diagnostic;
use crate::import::{self, Imported, Options};
use crate::live;
use crate::spec;

pub(super) async fn import(global: &Global, args: &ImportArgs) -> Result<ExitCode, Error> {
    let out = args.out.as_deref().filter(|path| *path != Path::new("-"));
    // Refused before any call, so nothing is read for nothing.
    if let Some(path) = out
        && !args.force
        && path.exists()
    {
        return Err(Error::Exists(path.to_owned()));
    }
    let connection = connect(global, None, args.calls.parallelism.into()).await?;
    let tag_reads = args.calls.tag_reads.unwrap_or_default();
    let inventory = live::inventory(&connection.aws, &args.directories, tag_reads)
        .await
        .map_err(|error| Error::from_call(error, &connection.endpoint))?;
    for text in &inventory.live.notes {
        super::note(text);
    }
    if !inventory.unregistered.is_empty() {
        return Err(Error::Unregistered {
            directories: inventory.unregistered,
            endpoint: connection.endpoint.clone(),
        });
    }
    let options = Options {
        stack: args.stack.clone(),
        region: connection.region.clone(),
        account_id: inventory.account_id.clone(),
        written_on: crate::clock::date_of(crate::clock::now()),
        directories: inventory.directories.clone(),
        directories_chosen: !args.directories.is_empty(),
        user_pattern: args.user_pattern.clone(),
        include_owned: args.include_owned,
    };
    let imported = import::write(&inventory.live, &options);
    let shown = out.map_or_else(
        || "the imported fleet".to_owned(),
        |p| p.display().to_string(),
    );
    // Checked as `plan` will load it. The writer leaves out what the file
    // cannot hold, so a problem here is wsctl's, not the account's.
    if let Err(mut problems) = spec::parse(&shown, &imported.text) {
        problems.push(Diagnostic::error(
            &shown,
            "wsctl made a fleet file that does not validate, and wrote nothing: a bug in wsctl; please report it with the problems above",
        ));
        return Err(Error::Spec(problems));
    }
    match out {
        Some(path) => write_whole(path, &imported.text)?,
        None => out!("{}", imported.text),
    }
    report(&imported, &shown, &args.stack);
    Ok(ExitCode::SUCCESS)
}

/// What was written, on stderr, and what to do next.
fn report(imported: &Imported, shown: &str, stack: &str) {
    let written = counted(|kind| imported.count(kind), |_, _| true);
    eprintln!(
        "Wrote {shown}: {written}; {} left out (named in its header).",
        imported.left_out
    );
    if imported.owned_left_out > 0 {
        eprintln!(
            "warning: stack `{stack}` already owns {} of the resources left out; a plan of this file alone would delete them: write them too (--include-owned, with a --user-pattern that matches them), or choose another --stack",
            imported.owned_left_out
        );
    }
    eprintln!("Next: review it, `wsctl plan` it (only adoptions), `wsctl apply`, and commit it.");
}

//! `wsctl tune`: the usage verdicts as an edit of the fleet file. Without
//! `--write` it prints the file's diff; with it, the file is written to a
//! temporary file beside it and renamed over it, so a crash never leaves
//! half a file.

use std::process::ExitCode;

use super::cli::{Global, TuneArgs};
use super::usage::{read_report, refused};
use super::{Error, load_with_text};
use crate::usage::{Proposal, Report, diff, tune as tuned};
use crate::visible::{visible, visible_lines};

pub(super) async fn tune(global: &Global, args: &TuneArgs) -> Result<ExitCode, Error> {
    let (fleet, text) = load_with_text(&args.file)?;
    let (report, cloudwatch) = read_report(global, &fleet, &args.window, &args.calls).await?;
    if let Some(error) = cloudwatch {
        let error = refused(error);
        return Err(Error::Api(crate::aws::ApiError {
            message: format!(
                "{}\n  wsctl tune moves nothing without the hours CloudWatch has; nothing was changed",
                error.message
            ),
            ..error
        }));
    }
    let file = args.file.file.display().to_string();
    let result = tuned(&file, &text, &fleet, &proposals(&report)).map_err(Error::Tune)?;
    for edit in &result.edits {
        eprintln!(
            "{}: {} ({})",
            visible(&edit.address),
            visible(&edit.change),
            visible(&edit.reason)
        );
    }
    if result.text == text {
        eprintln!("{}: nothing to tune", visible(&file));
        return Ok(ExitCode::SUCCESS);
    }
    if args.write {
        super::write_whole(&args.file.file, &result.text)?;
        eprintln!(
            "{}: {} edit{} written",
            visible(&file),
            result.edits.len(),
            if result.edits.len() == 1 { "" } else { "s" }
        );
    } else {
        // What a reviewer reads cannot hide what will be written.
        out!("{}", visible_lines(&diff(&file, &text, &result.text)));
    }
    Ok(ExitCode::SUCCESS)
}

/// The verdict of each WorkSpace that has an address in the file.
fn proposals(report: &Report) -> Vec<Proposal> {
    report
        .rows
        .iter()
        .filter_map(|row| {
            Some(Proposal {
                name: row.workspace.address.as_ref()?.name().to_owned(),
                verdict: row.verdict,
                reason: row.reason.clone(),
                since: Some(row.since()),
            })
        })
        .collect()
}

//! Everything that ends a command with exit code 1, rendered in one place.

use std::time::Duration;

use crate::address::Address;
use crate::aws::ApiError;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::prices::Money;
use crate::visible::visible_lines;

/// Everything that ends a command with exit code 1, rendered in one place.
#[derive(Debug)]
pub enum Error {
    Spec(crate::diagnostic::Diagnostics),
    Cycle(crate::graph::CycleError),
    /// The plan's errors, and the fleet file's text they point into.
    Plan {
        errors: Vec<crate::plan::PlanError>,
        source: String,
    },
    Api(ApiError),
    Sim(crate::sim::SimError),
    Io {
        what: String,
        source: std::io::Error,
    },
    /// The endpoint did not answer, or could not be reached.
    Unreachable {
        endpoint: String,
        error: ApiError,
    },
    /// A file of the user's that cannot be read, or is too large.
    Input {
        what: String,
        why: crate::input::ReadError,
    },
    DataLoss(Vec<String>),
    NoRegion,
    PlanFile(crate::plan::PlanFileError),
    /// The account changed since the saved plan read it.
    StalePlan(Vec<String>),
    /// A saved plan for another stack or region than the one at hand.
    WrongPlan(String),
    NoTerminal,
    Declined,
    ApplyFailed {
        failed: usize,
        total: usize,
    },
    /// Ctrl-C, SIGTERM or the deadline during apply.
    Interrupted {
        done: usize,
        total: usize,
        /// `--deadline`, when it was what stopped the apply.
        deadline: Option<std::time::Duration>,
    },
    /// `--deadline` passed before the command changed anything.
    Deadline(std::time::Duration),
    /// An address given on the command line that the file does not define.
    UnknownAddress {
        address: String,
        file: String,
        help: Option<String>,
    },
    /// The file's WorkSpace has no live WorkSpace.
    NoWorkspace {
        address: crate::address::Address,
        directory_id: String,
        user: String,
    },
    /// `restore --snapshot-current-volumes`: the API has no way to do it.
    SnapshotCurrentVolumes {
        address: crate::address::Address,
    },
    /// `import -o FILE` without `--force`, and FILE exists.
    Exists(std::path::PathBuf),
    /// `import --directory` of directories the region has not registered.
    Unregistered {
        directories: Vec<String>,
        endpoint: String,
    },
    /// The plan adds more a month than the cost guard allows.
    CostGuard {
        delta: crate::prices::Money,
        limit: crate::prices::Money,
        /// The changes that add the most, largest first.
        contributors: Vec<(crate::address::Address, crate::prices::Money)>,
        /// What the command did before the guard stopped it.
        done: &'static str,
    },
    /// A cost guard is set, and the plan has no price to check it against.
    CostUnknown {
        limit: crate::prices::Money,
        done: &'static str,
    },
    /// `tune` found no place for an edit in the fleet file.
    Tune(crate::usage::TuneError),
    /// An API call about one resource failed.
    ResourceApi {
        address: crate::address::Address,
        error: Box<ApiError>,
    },
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(error)
    }
}

impl From<crate::sim::SimError> for Error {
    fn from(error: crate::sim::SimError) -> Self {
        Error::Sim(error)
    }
}

impl Error {
    /// A failed call; one that never reached the endpoint names it.
    pub(super) fn from_call(error: ApiError, endpoint: &str) -> Self {
        match error.code.as_str() {
            "Timeout" | "ConnectionFailed" => Error::Unreachable {
                endpoint: endpoint.to_owned(),
                error,
            },
            _ => Error::Api(error),
        }
    }

    pub fn render(&self, color: bool) -> String {
        // What AWS or a file said is shown, never obeyed: an escape
        // sequence in an error message is escaped.
        let head = |text: &str| {
            let text = visible_lines(text);
            if color {
                format!("\x1b[1;31merror\x1b[0m: {text}\n")
            } else {
                format!("error: {text}\n")
            }
        };
        match self {
            Error::Spec(diagnostics) => diagnostics.render(color),
            Error::Cycle(cycle) => head(&cycle.to_string()),
            Error::Plan { errors, source } => plan_diagnostics(errors, source).render(color),
            Error::Api(error) => head(&error.to_string()),
            Error::Tune(error) => head(&error.to_string()),
            Error::Sim(error) => head(&error.to_string()),
            Error::Io { what, source } => head(&format!("{what}: {source}")),
            Error::Input { what, why } => head(&format!("{what}: {why}")),
            Error::Unreachable { endpoint, error } => head(&format!(
                "{endpoint} did not answer: {error}\n  nothing was changed; check the endpoint and the network, or raise --connect-timeout / --call-timeout"
            )),
            Error::DataLoss(resources) => head(&format!(
                "refusing to lose user data without --allow-data-loss: {}\n  nothing was changed; pass --allow-data-loss, or set allow_data_loss = true on the WorkSpace or directory",
                resources.join(", ")
            )),
            Error::PlanFile(error) => head(&error.to_string()),
            Error::StalePlan(changed) => head(&stale(changed)),
            Error::WrongPlan(why) => head(&format!("{why}; nothing was changed")),
            Error::NoRegion => head(
                "no AWS region is set: pass --region, set region in [settings], or set AWS_REGION (or a profile's region)",
            ),
            Error::NoTerminal => head(
                "apply needs confirmation, and there is no terminal to ask on; pass --auto-approve to apply without asking",
            ),
            Error::Declined => head("apply cancelled; nothing was changed"),
            Error::Interrupted {
                done,
                total,
                deadline,
            } => head(&interrupted(*done, *total, *deadline)),
            Error::Deadline(after) => head(&format!(
                "the deadline ({}, --deadline) passed before the run ended; nothing was changed",
                humantime::format_duration(*after)
            )),
            Error::ApplyFailed { failed, total } => head(&format!(
                "{failed} of {total} changes did not complete (see above); run plan again to see what is left"
            )),
            Error::UnknownAddress {
                address,
                file,
                help,
            } => {
                let mut out = head(&format!("{address} is not a WorkSpace of {file}"));
                if let Some(help) = help {
                    out.push_str(&format!("  = help: {help}\n"));
                }
                out
            }
            Error::NoWorkspace {
                address,
                directory_id,
                user,
            } => head(&format!(
                "{address}: no WorkSpace exists for user {user} in {directory_id}; run apply to create it"
            )),
            Error::SnapshotCurrentVolumes { address } => head(&format!(
                "{address}: --snapshot-current-volumes cannot be honoured: RestoreWorkspace takes only the WorkSpace id, and the WorkSpaces API has no call that snapshots a WorkSpace's volumes on demand (AWS takes them on its own schedule)\n  nothing was changed; `wsctl snapshots {address}` shows the snapshot a restore would go back to; run without the flag to restore to it"
            )),
            Error::ResourceApi { address, error } => head(&format!("{address}: {error}")),
            Error::CostGuard {
                delta,
                limit,
                contributors,
                done,
            } => head(&cost_guard(*delta, *limit, contributors, done)),
            Error::CostUnknown { limit, done } => head(&format!(
                "the plan has no price to check against the guard's {limit} (max_monthly_increase): the Price List could not be read (see the note above); {done}\n  pass --allow-cost-increase to go on without the check"
            )),
            Error::Exists(path) => head(&format!(
                "{} exists; nothing was written\n  pass --force to write over it, or -o another file",
                path.display()
            )),
            Error::Unregistered {
                directories,
                endpoint,
            } => head(&format!(
                "{} is not registered in {endpoint} (DescribeWorkspaceDirectories does not list it); nothing was written\n  name a registered directory, or leave out --directory to read every one",
                directories.join(", ")
            )),
        }
    }
}

/// The fingerprints that changed since the plan was made.
fn stale(changed: &[String]) -> String {
    let listed: Vec<String> = changed.iter().map(|c| format!("  - {c}")).collect();
    format!(
        "stale plan: the account changed since the plan was made, so nothing was changed:\n{}\n  run plan again",
        listed.join("\n")
    )
}

fn interrupted(done: usize, total: usize, deadline: Option<Duration>) -> String {
    let how = match deadline {
        Some(after) => format!(
            "stopped at its deadline ({})",
            humantime::format_duration(after)
        ),
        None => "interrupted".to_owned(),
    };
    format!(
        "apply {how}: {done} of {total} changes done (see above for what AWS is still carrying out and what was not started); run plan again to see what is left"
    )
}

/// The guard's refusal, with the changes that add the most.
fn cost_guard(delta: Money, limit: Money, contributors: &[(Address, Money)], done: &str) -> String {
    let mut out = format!(
        "the plan adds {}/month, more than the guard's {limit} (max_monthly_increase); {done}",
        delta.signed()
    );
    if !contributors.is_empty() {
        out.push_str("\n  the most it adds:");
        for (address, amount) in contributors {
            out.push_str(&format!("\n  - {address}: {}/month", amount.signed()));
        }
    }
    out.push_str("\n  pass --allow-cost-increase to go on, or raise max_monthly_increase");
    out
}

/// Plan errors shown as the file's errors are: the resource's table in its
/// file (whose text is `source`), underlined, with the help below.
fn plan_diagnostics(errors: &[crate::plan::PlanError], source: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for error in errors {
        let message = format!("{}: {}", error.address, error.message);
        let mut diagnostic = match &error.origin {
            Some(origin) => {
                let at = line_span(source, origin.line, origin.column);
                if at.is_some() {
                    diagnostics.add_source(&origin.file, source);
                }
                let diagnostic = Diagnostic::error(&origin.file, message);
                match at {
                    Some(span) => diagnostic.at(span, "planned from here"),
                    None => diagnostic.note(format!("at {origin}")),
                }
            }
            None => Diagnostic::error("", message),
        };
        if let Some(help) = &error.help {
            diagnostic = diagnostic.help(help);
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// From line `line`, column `column` (both from 1, columns in characters)
/// to the end of that line.
fn line_span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let rest = text.get(start_of_line..)?;
    let this_line = rest.split('\n').next()?;
    let offset = this_line
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(this_line.len(), |(i, _)| i);
    let end = this_line
        .trim_end()
        .len()
        .max(offset + 1)
        .min(this_line.len());
    Some(start_of_line + offset..start_of_line + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_and_column_become_the_rest_of_that_line() {
        let text = "[settings]\nstack = \"a\"\n\n[workspaces.alice]\nuser = \"alice\"\n";
        let span = line_span(text, 4, 1).expect("a span");
        assert_eq!(&text[span], "[workspaces.alice]");
        let span = line_span(text, 4, 13).expect("a span");
        assert_eq!(&text[span], "alice]");
        assert_eq!(line_span(text, 0, 1), None);
    }

    #[test]
    fn what_aws_says_is_shown_not_obeyed() {
        let error = Error::Api(ApiError {
            operation: "CreateTags",
            code: "InvalidParameterValuesException".to_owned(),
            message: "bad \u{1b}]0;owned\u{7} \u{202e}value".to_owned(),
        });
        let shown = error.render(false);
        assert!(
            shown.contains("bad \\u{1b}]0;owned\\u{7} \\u{202e}value"),
            "{shown}"
        );
        assert!(!shown.contains('\u{1b}'), "{shown}");
    }
}

//! `wsctl schema`: the JSON Schema of the fleet file or of the JSON plan.

use std::process::ExitCode;

use super::cli::SchemaKind;
use crate::{render, spec};

pub(super) fn schema(which: SchemaKind) -> ExitCode {
    out!(
        "{}",
        match which {
            SchemaKind::Fleet => spec::schema(),
            SchemaKind::Plan => render::plan_schema(),
        }
    );
    ExitCode::SUCCESS
}

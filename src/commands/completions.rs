//! `wsctl completions`: a shell's completion script.

use std::process::ExitCode;

use super::cli::{Cli, Shell};

/// The completion script for `shell`, generated from the same clap
/// definitions that parse the arguments.
pub(super) fn completions(shell: Shell) -> ExitCode {
    use clap::CommandFactory;
    use clap_complete::{Shell as Target, generate};
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut script = Vec::new();
    generate(target, &mut Cli::command(), "wsctl", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    ExitCode::SUCCESS
}

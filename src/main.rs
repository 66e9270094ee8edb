use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use wsctl::commands::cli::Cli;
use wsctl::commands::{color_for, run};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage(&error),
    };
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            let text = error.render(color_for(std::io::stderr().is_terminal()));
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::FAILURE
        }
    }
}

/// `--help` and `--version` succeed; a usage error exits 1, as Terraform's
/// do, because 2 means "changes present" under `--detailed-exitcode`.
fn usage(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    if error.use_stderr() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

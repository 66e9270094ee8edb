use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use wsctl::commands::cli::Cli;
use wsctl::commands::{color_for, run};

/// Stack for each runtime thread. An unoptimised (debug) build lays out
/// every operation's SDK call futures side by side in apply's task, which
/// needs about 2 MiB, tokio's default; memory is taken only as it is used.
const THREAD_STACK: usize = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage(&error),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
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

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use wsctl::cli::Cli;
use wsctl::run::{color_for, run};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprint!(
                "{}",
                error.render(color_for(std::io::stderr().is_terminal()))
            );
            ExitCode::FAILURE
        }
    }
}

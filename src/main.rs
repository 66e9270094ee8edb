use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use wsctl::commands::cli::Cli;
use wsctl::commands::{color_for, run};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            let text = error.render(color_for(std::io::stderr().is_terminal()));
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::FAILURE
        }
    }
}

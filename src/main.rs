//! The `counterdesk` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = counterdesk::cli::Cli::parse();
    ExitCode::from(counterdesk::cli::main(cli))
}

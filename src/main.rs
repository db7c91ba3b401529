//! The `qabot` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() {
    let cli = qabot::cli::Cli::parse();
    let code = match qabot::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{}", qabot::cli::render_error(&error));
            qabot::cli::exit_code(&error)
        }
    };
    std::process::exit(code);
}

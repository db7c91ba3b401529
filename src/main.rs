//! The `qabot` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() {
    let cli = qabot::cli::Cli::parse();
    let code = match qabot::cli::run(cli) {
        Ok(code) => code,
        // The reader went away (`qabot ask … | head`): nothing left to say.
        Err(error) if qabot::cli::is_broken_pipe(&error) => 0,
        Err(error) => {
            eprintln!("{}", qabot::cli::render_error(&error));
            qabot::cli::exit_code(&error)
        }
    };
    std::process::exit(code);
}

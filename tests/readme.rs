//! The examples in README.md and docs/*.md run as tests, so they cannot drift
//! from what the program prints.
//!
//! - ```` ```console ```` blocks are run by trycmd: each `$ qabot …` line runs
//!   the built binary from the repository root, an optional `? N` line after
//!   it is the exit code it must end with (0 without one), and the lines up
//!   to the next `$` or the end of the block are its standard output and
//!   error, which must match exactly (the blank line before the next `$` or
//!   the closing fence is for trycmd: it drops the last newline).
//! - ```` ```shellsession ```` blocks take the same form but are run by `sh`
//!   with the built `qabot` first on `PATH`, for the examples that pipe
//!   (`printf … | qabot ask`), and for output with backslashes, which
//!   trycmd turns into `/` as path separators before comparing.
//! - ```` ```console,ignore ```` blocks are not run: each says why beside it
//!   (a live question log, a Telegram token).

use std::path::{Path, PathBuf};
use std::process::Command;

const QABOT: &str = env!("CARGO_BIN_EXE_qabot");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The documents whose examples are tests.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![Path::new(ROOT).join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("read docs/")
        .map(|entry| entry.expect("list docs/").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

#[test]
fn console_examples_print_what_the_docs_say() {
    let cases = trycmd::TestCases::new();
    cases.register_bin("qabot", trycmd::cargo::cargo_bin("qabot"));
    for doc in documents() {
        cases.case(doc);
    }
}

/// One `$ command` of a ```` ```shellsession ```` block.
#[derive(Debug, PartialEq)]
struct Example {
    /// Where the command is: `README.md:131`.
    at: String,
    command: String,
    status: i32,
    output: String,
}

/// The commands of every ```` ```shellsession ```` block in `text`, in the
/// same form as trycmd's: `$ command`, an optional `? N`, then the output,
/// whose last newline is dropped.
fn shell_examples(name: &str, text: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    // Ends the output of the last command: its last newline is the layout's.
    let end_output = |examples: &mut Vec<Example>| {
        if let Some(example) = examples.last_mut() {
            example.output.pop();
        }
    };
    let mut in_block = false;
    let mut block_has_command = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if !in_block {
            in_block = line.trim_end() == "```shellsession";
            block_has_command = false;
        } else if line.starts_with("```") {
            if block_has_command {
                end_output(&mut examples);
            }
            in_block = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            if block_has_command {
                end_output(&mut examples);
            }
            block_has_command = true;
            examples.push(Example {
                at: format!("{name}:{number}"),
                command: command.to_owned(),
                status: 0,
                output: String::new(),
            });
        } else {
            let example = match examples.last_mut() {
                Some(example) if block_has_command => example,
                _ => panic!("{name}:{number}: output before any `$ ` command"),
            };
            match line.strip_prefix("? ") {
                Some(status) if example.output.is_empty() => {
                    example.status = status.parse().unwrap_or_else(|_| {
                        panic!("{name}:{number}: `? {status}` is not an exit code")
                    });
                }
                _ => {
                    example.output.push_str(line);
                    example.output.push('\n');
                }
            }
        }
    }
    assert!(!in_block, "{name}: a ```shellsession block is not closed");
    examples
}

#[test]
fn shell_examples_print_what_the_docs_say() {
    let bin_dir = Path::new(QABOT).parent().expect("the binary's folder");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let mut ran = 0;
    for doc in documents() {
        let name = doc.strip_prefix(ROOT).unwrap_or(&doc).display().to_string();
        let name = name.trim_start_matches('/');
        let text = std::fs::read_to_string(&doc).expect("read the document");
        for example in shell_examples(name, &text) {
            let run = Command::new("sh")
                .arg("-c")
                .arg(format!("{{ {}\n}} 2>&1", example.command))
                .current_dir(ROOT)
                .env("PATH", &path)
                .output()
                .unwrap_or_else(|e| panic!("{}: cannot run sh: {e}", example.at));
            let output = String::from_utf8_lossy(&run.stdout);
            assert_eq!(
                run.status.code(),
                Some(example.status),
                "{}: `{}` exited with {}, expected {}; it printed:\n{output}",
                example.at,
                example.command,
                run.status,
                example.status
            );
            println!("{}: {}", example.at, example.command);
            snapbox::Assert::new()
                .normalize_paths(false)
                .eq(output.into_owned(), example.output);
            ran += 1;
        }
    }
    assert!(
        ran > 0,
        "no ```shellsession example found: is the parser broken?"
    );
}

#[test]
fn shell_examples_are_read_like_trycmd_reads_console_blocks() {
    let text = "text\n```sh\n$ not this\n```\n```shellsession\n$ a | b\none\n\n$ c\n? 2\ntwo\nthree\n\n```\n```shellsession\n$ d\n\n```\n";
    let at = |line: usize| format!("X.md:{line}");
    assert_eq!(
        shell_examples("X.md", text),
        vec![
            Example {
                at: at(6),
                command: "a | b".into(),
                status: 0,
                output: "one\n".into()
            },
            Example {
                at: at(9),
                command: "c".into(),
                status: 2,
                output: "two\nthree\n".into()
            },
            Example {
                at: at(16),
                command: "d".into(),
                status: 0,
                output: "".into()
            },
        ]
    );
}

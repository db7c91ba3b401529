//! The command line: `qabot ask`, `chat`, `eval`, `check`, `run`. Parses the
//! arguments, loads the config and the knowledge base, and prints; the work
//! itself is done by the library modules.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::answer::{JsonAnswer, Renderer};
use crate::config::Config;
use crate::eval;
use crate::knowledge::{KnowledgeBase, KnowledgeError};
use crate::matcher::Matcher;

/// Answers questions about the column "Three steps to solve Korea's STEM
/// crisis" by Yoon Seok Jin (Korea JoongAng Daily), quoting it verbatim.
#[derive(Debug, Parser)]
#[command(name = "qabot", version, about, long_about = None)]
pub struct Cli {
    /// Settings file [default: ./config.toml if present, else built-in defaults]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Knowledge-base directory to use instead of the built-in one
    #[arg(long, global = true, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a question (or, with none, every line of standard input)
    Ask {
        /// Print one JSON object per question instead of the reply text
        #[arg(long)]
        json: bool,
        /// The question; words are joined with spaces. Omit it to read
        /// questions from standard input, one per line.
        question: Vec<String>,
    },
    /// Ask questions interactively (Ctrl-D to leave)
    Chat,
    /// Score the matcher on a labelled question file
    Eval {
        /// Tab-separated file: expected, category, question
        file: PathBuf,
        /// Print only the summary, not every miss
        #[arg(long)]
        quiet: bool,
    },
    /// Validate a knowledge base and list every problem
    Check,
    /// Run the Telegram bot (token from TELOXIDE_TOKEN; SIGINT or SIGTERM stops it)
    Run {
        /// Log format, overriding [log] format in the config
        #[arg(long, value_enum, value_name = "FORMAT")]
        log_format: Option<crate::config::LogFormat>,
    },
}

/// Exit code for bad input, config or knowledge base.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for anything else that failed.
pub const EXIT_FAILURE: i32 = 1;

/// The exit code an error deserves: 2 when the user can fix their input.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    let bad_input = error.chain().any(|e| {
        e.is::<KnowledgeError>()
            || e.is::<crate::config::ConfigError>()
            || e.is::<eval::EvalError>()
            || e.downcast_ref::<crate::bot::StartError>()
                .is_some_and(crate::bot::StartError::is_bad_input)
    });
    if bad_input {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    }
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let config = Config::discover(cli.config.as_deref())?;
    let knowledge_dir = cli.knowledge.clone().or(config.knowledge.dir.clone());
    match cli.command {
        Command::Check => check(knowledge_dir.as_deref()),
        Command::Ask { json, question } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            let matcher = Matcher::new(&kb, config.matcher.clone());
            let mut out = std::io::stdout().lock();
            if question.is_empty() {
                for line in std::io::stdin().lock().lines() {
                    let line = line.context("reading questions from standard input")?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    print_answer(&mut out, &kb, &matcher, &line, json)?;
                    if !json {
                        writeln!(out)?;
                    }
                }
            } else {
                print_answer(&mut out, &kb, &matcher, &question.join(" "), json)?;
            }
            Ok(0)
        }
        Command::Chat => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            chat(&kb, &Matcher::new(&kb, config.matcher.clone()))
        }
        Command::Eval { file, quiet } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            let matcher = Matcher::new(&kb, config.matcher.clone());
            let questions = eval::load(&file, &kb)?;
            let report = eval::run(&matcher, &kb, &questions);
            print!("{}", report.render(!quiet));
            Ok(0)
        }
        Command::Run { log_format } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            crate::bot::run(&config, kb, log_format)
        }
    }
}

/// The knowledge base in `dir`, or the built-in one.
pub fn load_knowledge(dir: Option<&Path>) -> Result<KnowledgeBase, KnowledgeError> {
    match dir {
        Some(dir) => KnowledgeBase::load_dir(dir),
        None => KnowledgeBase::embedded(),
    }
}

fn check(dir: Option<&Path>) -> anyhow::Result<i32> {
    match load_knowledge(dir) {
        Ok(kb) => {
            let en: usize = kb.entries.iter().map(|e| e.questions.len()).sum();
            let ko: usize = kb.entries.iter().map(|e| e.questions_ko.len()).sum();
            println!(
                "ok: {} — {} entries, {} steps, {} English and {} Korean questions; every passage is verbatim and every paragraph of the source is quoted",
                kb.origin,
                kb.entries.len(),
                kb.step_count(),
                en,
                ko,
            );
            Ok(0)
        }
        Err(e) => {
            eprintln!("qabot: {e}");
            Ok(EXIT_BAD_INPUT)
        }
    }
}

fn print_answer(
    out: &mut impl Write,
    kb: &KnowledgeBase,
    matcher: &Matcher,
    question: &str,
    json: bool,
) -> anyhow::Result<()> {
    let outcome = matcher.decide(question);
    let reply = Renderer::new(kb).outcome(&outcome);
    if json {
        serde_json::to_writer(&mut *out, &JsonAnswer::new(kb, question, &outcome, &reply))?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", reply.to_plain())?;
    }
    Ok(())
}

fn chat(kb: &KnowledgeBase, matcher: &Matcher) -> anyhow::Result<i32> {
    let interactive = std::io::stdin().is_terminal();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "qabot — ask about “{}” by {}. English or Korean. Ctrl-D to leave.",
        kb.source.title, kb.source.author
    )?;
    let mut lines = std::io::stdin().lock().lines();
    loop {
        if interactive {
            write!(out, "\n> ")?;
            out.flush()?;
        }
        let Some(line) = lines.next() else { break };
        let line = line.context("reading from standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        writeln!(out)?;
        print_answer(&mut out, kb, matcher, &line, false)?;
    }
    if interactive {
        writeln!(out)?;
    }
    Ok(0)
}

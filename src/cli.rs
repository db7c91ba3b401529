//! The command line: `qabot ask`, `chat`, `eval`, `check`, `run`. Parses the
//! arguments, loads the config and the knowledge base, and prints; the work
//! itself is done by the library modules.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::answer::{JsonAnswer, Renderer};
use crate::config::Config;
use crate::errors::UserError;
use crate::eval;
pub use crate::input::InputError;
use crate::input::InputLines;
use crate::knowledge::{KnowledgeBase, KnowledgeError};
use crate::matcher::Matcher;
use crate::plural::count;
use crate::question_log::{self, LogError};
use crate::report;

/// Answers questions about a newspaper column (the knowledge base built in,
/// or the one `--knowledge` names), quoting it verbatim.
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
    ///
    /// Standard input is read as UTF-8, one question per line; blank lines
    /// are skipped. A line that is not valid UTF-8 stops the batch there with
    /// exit code 2, after the lines before it have been answered: skipping it
    /// would leave the answers out of step with the questions.
    Ask {
        /// Print one JSON object per question instead of the reply text
        #[arg(long)]
        json: bool,
        /// The question; words are joined with spaces. Omit it to read
        /// questions from standard input, one per line.
        question: Vec<String>,
    },
    /// Ask questions in a conversation: follow-ups ("and the next one?",
    /// "why?", "tell me more", "who is he?") are answered with what came
    /// before (Ctrl-D, or an exit word such as "quit" or "종료", to leave)
    ///
    /// On a terminal, lines can be edited and the Up arrow recalls this
    /// session's messages (nothing is saved). With standard input not a
    /// terminal, it reads conversations: one message a line, a blank line
    /// starting a new conversation. Input is read as UTF-8. A line that is
    /// not valid UTF-8 ends the session with exit code 2; set the terminal
    /// to UTF-8.
    Chat {
        /// Print one JSON object per message: the fields of `ask --json`,
        /// "decision": "clarify" for a follow-up with nothing to follow, and
        /// "context", the entry the answer drew on as context (or null)
        #[arg(long)]
        json: bool,
    },
    /// Score the matcher on a labelled question file, or conversations on a
    /// labelled dialogue file
    ///
    /// A dialogue file's header is expected<TAB>turn<TAB>message (turn is
    /// `first` or `follow-up`; expected may also be `clarify`), with a blank
    /// line between conversations; it reports follow-up turns right, first
    /// turns right (and the same turns asked alone, as `ask` answers them),
    /// and follow-ups without context answered with a passage.
    Eval {
        /// Tab-separated file: expected, category, question (or expected,
        /// turn, message for conversations)
        file: PathBuf,
        /// Print only the summary, not every miss
        #[arg(long)]
        quiet: bool,
    },
    /// Validate a knowledge base and list every problem
    Check,
    /// Summarise the question log: questions per day, answered / suggested /
    /// declined, the most asked entries, feedback, and the questions to add
    /// to the knowledge base, with snippets to paste
    ///
    /// Reads the database `qabot run` writes ([question_log] database_url,
    /// or QABOT_DATABASE_URL); days are UTC. Grouping stops after 10 s and
    /// counts the questions it did not reach ("not grouped"); control and
    /// bidirectional characters in questions are printed escaped. Each
    /// proposal is tried on a copy of the knowledge base first: check, the
    /// questions it answers, and the labelled files of [report] labelled
    /// before and after.
    Report {
        /// How far back: a positive duration (7d, 12h, 30m) or a UTC date (2026-11-01)
        #[arg(long, default_value = "7d", value_name = "WHEN")]
        since: String,
        /// Print the report as one JSON object
        #[arg(long)]
        json: bool,
        /// Write the proposals numbered N into the knowledge base's
        /// knowledge.toml (comments and layout kept), after measuring them
        /// again; the file is left as it was if check fails or a labelled
        /// file would get fewer questions right. N@CODE, as the report
        /// prints it, applies N only if it is still the proposal read
        #[arg(long, value_name = "N[@CODE]", num_args = 1.., conflicts_with_all = ["json", "html"])]
        apply: Vec<report::apply::Choice>,
        /// Write the report as one self-contained HTML page (charts, the
        /// proposals with copy buttons) to FILE, which opens offline
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        html: Option<PathBuf>,
    },
    /// Run the Telegram bot (token from TELOXIDE_TOKEN; SIGINT or SIGTERM stops it, SIGHUP reloads the knowledge base)
    Run {
        /// Log format, overriding the format set in the config file
        #[arg(long, value_enum, value_name = "FORMAT")]
        log_format: Option<crate::config::LogFormat>,
    },
}

/// Exit code for bad input, config or knowledge base.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for anything else that failed.
pub const EXIT_FAILURE: i32 = 1;

/// An error as the user sees it on standard error: `qabot: ` and the error,
/// then each cause it does not already quote.
pub fn render_error(error: &anyhow::Error) -> String {
    format!("qabot: {}", crate::errors::with_causes(error.as_ref()))
}

/// True when the error is standard output closed by its reader, as when
/// piping into `head`: the usual quiet end for a command-line tool.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The exit code an error deserves: 2 when the user can fix their input,
/// that is, when any error in its chain says it is the user's to fix.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    let bad_input = error
        .chain()
        .any(|e| as_user_error(e).is_some_and(UserError::is_bad_input));
    if bad_input {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    }
}

/// `error` as a [`UserError`], when its type is one of the library's.
pub fn as_user_error<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a dyn UserError> {
    fn cast<'a, T: UserError>(
        e: &'a (dyn std::error::Error + 'static),
    ) -> Option<&'a dyn UserError> {
        e.downcast_ref::<T>().map(|t| t as &dyn UserError)
    }
    // The one list of the library's error types (see the doc of `crate::errors`).
    type Cast = for<'b> fn(&'b (dyn std::error::Error + 'static)) -> Option<&'b dyn UserError>;
    let casts: [Cast; 8] = [
        cast::<crate::knowledge::KnowledgeError>,
        cast::<crate::config::ConfigError>,
        cast::<crate::eval::EvalError>,
        cast::<InputError>,
        cast::<crate::bot::StartError>,
        cast::<crate::report::SinceError>,
        cast::<crate::question_log::LogError>,
        cast::<crate::report::apply::ApplyError>,
    ];
    casts.iter().find_map(|cast| cast(error))
}

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let config = Config::discover(cli.config.as_deref())?;
    if cli.knowledge.is_none() {
        config.check_knowledge_dir()?;
    }
    let knowledge_dir = cli.knowledge.clone().or(config.knowledge.dir.clone());
    match cli.command {
        Command::Check => check(knowledge_dir.as_deref()),
        Command::Ask { json, question } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            let matcher = Matcher::new(&kb, config.matcher.clone());
            let mut out = std::io::stdout().lock();
            if question.is_empty() {
                if let Some(hint) = ask_stdin_hint(std::io::stdin().is_terminal()) {
                    eprintln!("{hint}");
                }
                for line in InputLines::new(std::io::stdin().lock()) {
                    let line = line?;
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
        Command::Chat { json } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            crate::chat::run(&kb, &Matcher::new(&kb, config.matcher.clone()), json)
        }
        Command::Eval { file, quiet } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            let matcher = Matcher::new(&kb, config.matcher.clone());
            let head = eval::read_labelled(&file, eval::LabelledKind::Questions).ok();
            if head
                .as_deref()
                .is_some_and(crate::dialogues::is_dialogue_file)
            {
                let conversations = crate::dialogues::load(&file, &kb)?;
                let talk = crate::conversation::Conversations::new(&kb, &matcher);
                let report = crate::dialogues::run(&talk, &kb, &conversations);
                print!("{}", report.render(!quiet));
                return Ok(0);
            }
            let questions = eval::load(&file, &kb)?;
            let report = eval::run(&matcher, &kb, &questions);
            print!("{}", report.render(!quiet));
            Ok(0)
        }
        Command::Report {
            since,
            json,
            apply,
            html,
        } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            let matcher = Matcher::new(&kb, config.matcher.clone());
            let output = match (json, html, apply.is_empty()) {
                (true, _, _) => ReportOutput::Json,
                (false, Some(file), _) => ReportOutput::Html(file),
                (false, None, true) => ReportOutput::Text,
                (false, None, false) => ReportOutput::Apply(apply),
            };
            report(
                &config,
                knowledge_dir.as_deref(),
                &kb,
                &matcher,
                &since,
                output,
            )
        }
        Command::Run { log_format } => {
            let kb = load_knowledge(knowledge_dir.as_deref())?;
            // On SIGHUP: the same files, read again, checked as at start.
            let (config_file, knowledge_flag) = (cli.config.clone(), cli.knowledge.clone());
            let reload = move || -> Result<_, crate::bot::ReloadError> {
                let config = Config::discover(config_file.as_deref())?;
                if knowledge_flag.is_none() {
                    config.check_knowledge_dir()?;
                }
                let dir = knowledge_flag.clone().or(config.knowledge.dir);
                Ok((load_knowledge(dir.as_deref())?, config.matcher))
            };
            crate::bot::run(&config, kb, log_format, Box::new(reload))
        }
    }
}

/// What `ask` without a question says before reading standard input. On a
/// terminal it would otherwise wait on a blank screen; piped input needs no
/// hint, and a script's standard error stays clean.
fn ask_stdin_hint(stdin_is_terminal: bool) -> Option<&'static str> {
    stdin_is_terminal.then_some(
        "qabot: reading questions from standard input, one per line; Ctrl-D to end. Or: qabot ask \"QUESTION\"",
    )
}

/// What `qabot report` does with the report.
enum ReportOutput {
    Text,
    Json,
    /// Write these proposals into the knowledge file.
    Apply(Vec<report::apply::Choice>),
    /// Write the page to this file.
    Html(PathBuf),
}

/// `qabot report`: reads the log since `since`, measures its proposals,
/// and prints the report or applies the chosen proposals.
fn report(
    config: &Config,
    knowledge_dir: Option<&Path>,
    kb: &KnowledgeBase,
    matcher: &Matcher,
    since: &str,
    output: ReportOutput,
) -> anyhow::Result<i32> {
    let now = question_log::now();
    let since = report::parse_since(since, now)?;
    let settings =
        question_log::Settings::from_config(&config.question_log)?.ok_or(LogError::Disabled)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let rows = runtime.block_on(async {
        let store = question_log::Store::open_existing(&settings.url, settings.key.clone()).await?;
        let rows = store.questions_since(since).await;
        store.close().await;
        rows
    });
    let rows = rows.map_err(|error| match error {
        // One line in the bot's log; at the command line, also what to do.
        LogError::Database { .. } => anyhow::anyhow!(
            "{error}\n    hint: check that the database is running and that [question_log] database_url or {} names it",
            question_log::DATABASE_URL_VAR
        ),
        error => error.into(),
    })?;
    let mut report = report::Report::build(&rows, kb, matcher, since, now);
    let files = config.report.files();
    let (file, manifest) = match knowledge_dir {
        Some(dir) => {
            let path = dir.join(crate::knowledge::MANIFEST);
            let text = crate::files::read_text(&path, u64::MAX).map_err(|e| {
                anyhow::anyhow!(
                    "{e}\n    hint: the knowledge base loaded a moment ago; was it moved?"
                )
            })?;
            (path.display().to_string(), text)
        }
        None => (
            crate::knowledge::EMBEDDED_NAME.to_owned(),
            KnowledgeBase::embedded_manifest().to_owned(),
        ),
    };
    let bench = report::Workbench::new(&file, manifest, kb, &config.matcher, &files);
    report.prove(kb, matcher, &bench);
    let mut out = std::io::stdout().lock();
    match output {
        ReportOutput::Json => report.write_json(&mut out)?,
        ReportOutput::Text => write!(out, "{}", report.to_text())?,
        ReportOutput::Html(file) => {
            let page = report.to_html()?;
            std::fs::write(&file, page).map_err(|e| {
                anyhow::anyhow!(
                    "{}: cannot write the report page: {e}\n    hint: pass a file in a folder you can write to",
                    file.display()
                )
            })?;
            writeln!(
                out,
                "wrote {}: {} questions, {} proposals; it opens offline in any browser",
                file.display(),
                report.questions,
                report.proposals.len()
            )?;
        }
        ReportOutput::Apply(numbers) => {
            let chosen = report::apply::chosen(&report.proposals, &numbers)?;
            let dir = knowledge_dir.ok_or(report::apply::ApplyError::Embedded)?;
            let effect = report::apply::apply(dir, &bench, &config.matcher, &files, &chosen)?;
            write!(
                out,
                "{}",
                report::apply::applied_text(&file, &chosen, &effect)
            )?;
        }
    }
    Ok(0)
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
                "ok: {} — {}, {}, {} and {}; every passage is verbatim and every paragraph of the source is quoted",
                kb.origin,
                count(kb.entries.len(), "entry", "entries"),
                count(kb.step_count().into(), "step", "steps"),
                count(en, "English question", "English questions"),
                count(ko, "Korean question", "Korean questions"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_help_states_the_reports_time_budget() {
        let cli = <Cli as clap::CommandFactory>::command();
        let help = cli
            .find_subcommand("report")
            .unwrap()
            .get_long_about()
            .unwrap();
        assert!(
            help.to_string().contains(&format!(
                "Grouping stops after {} s",
                report::BUDGET.as_secs()
            )),
            "{help}"
        );
    }

    #[test]
    fn ask_hints_how_to_end_input_only_on_a_terminal() {
        let hint = ask_stdin_hint(true).expect("a hint on a terminal");
        assert!(hint.contains("Ctrl-D") && hint.contains("qabot ask \"QUESTION\""));
        assert_eq!(ask_stdin_hint(false), None);
    }

    #[test]
    fn input_that_is_not_utf8_is_bad_input_on_one_line() {
        let error = anyhow::Error::from(InputError::NotUtf8 { line: 7 });
        assert_eq!(exit_code(&error), EXIT_BAD_INPUT);
        let text = render_error(&error);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("line 7") && text.contains("UTF-8"), "{text}");
    }

    #[test]
    fn an_os_error_is_printed_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("request failed: {0}")]
        struct Quoting(#[from] std::io::Error);

        let missing = Path::new("/nonexistent-qabot-test/file");
        let not_found = std::fs::read(missing).unwrap_err().to_string();
        let kb = KnowledgeBase::embedded().unwrap();
        let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
        // (what, the error, the OS error text it must print once)
        let cases: Vec<(&str, anyhow::Error, String)> = vec![
            (
                "config",
                Config::load(missing).unwrap_err().into(),
                not_found.clone(),
            ),
            (
                "eval",
                eval::load(missing, &kb).unwrap_err().into(),
                not_found,
            ),
            (
                "stdin",
                InputError::Read {
                    line: 3,
                    error: io(),
                }
                .into(),
                io().to_string(),
            ),
            (
                "a cause quoted by its error",
                Quoting::from(io()).into(),
                io().to_string(),
            ),
            (
                "a cause under a context",
                anyhow::Error::from(io()).context("cannot write"),
                io().to_string(),
            ),
        ];
        for (what, error, os_text) in cases {
            let text = render_error(&error);
            assert_eq!(text.matches(&os_text).count(), 1, "{what}: {text}");
        }
    }

    fn disk_on_fire() -> std::io::Error {
        std::io::Error::other("disk on fire")
    }

    #[test]
    fn each_error_kind_has_its_exit_code() {
        let path = PathBuf::from("f");
        let cases: Vec<(&str, anyhow::Error, i32)> = vec![
            (
                "knowledge",
                crate::knowledge::KnowledgeError { problems: vec![] }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "config",
                crate::config::ConfigError::TooLarge {
                    path: path.clone(),
                    bytes: 1,
                }
                .into(),
                EXIT_BAD_INPUT,
            ),
            (
                "eval",
                crate::eval::EvalError::Read {
                    path: path.clone(),
                    error: disk_on_fire(),
                }
                .into(),
                EXIT_BAD_INPUT,
            ),
            (
                "input not utf-8",
                InputError::NotUtf8 { line: 3 }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "input read",
                InputError::Read {
                    line: 3,
                    error: disk_on_fire(),
                }
                .into(),
                EXIT_FAILURE,
            ),
            (
                "start token",
                crate::bot::StartError::MissingToken.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "start runtime",
                crate::bot::StartError::Runtime(disk_on_fire()).into(),
                EXIT_FAILURE,
            ),
            (
                "since",
                crate::report::SinceError::Zero { text: "0d".into() }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "log off",
                crate::question_log::LogError::Disabled.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "log database",
                crate::question_log::LogError::Database {
                    shown: "sqlite:x".into(),
                    what: "reading",
                    reason: "locked".into(),
                }
                .into(),
                EXIT_FAILURE,
            ),
            (
                "cause under context",
                anyhow::Error::from(crate::question_log::LogError::Disabled).context("report"),
                EXIT_BAD_INPUT,
            ),
            ("foreign", disk_on_fire().into(), EXIT_FAILURE),
        ];
        for (kind, error, code) in cases {
            assert_eq!(exit_code(&error), code, "{kind}");
        }
    }
}

//! The `qabot` binary run as a real process, the way a person or a script
//! runs it: `ask` (plain, `--json`, batches on standard input), `chat` with
//! piped input, `check` on the built-in knowledge base and on the fixtures in
//! `tests/fixtures/knowledge/`, `eval`, `--help`, and the exit codes.
//!
//! Every run gets a fresh empty working directory, so a `config.toml` in the
//! repository (or anywhere else) never changes what a test sees; tests that
//! need a config file write one there. Tests that need a particular decision
//! from the matcher force it through the config rather than rely on scores,
//! so retuning the matcher does not break them.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const QABOT: &str = env!("CARGO_BIN_EXE_qabot");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const SOURCE_LINE: &str =
    "— Yoon Seok Jin, “Three steps to solve Korea's STEM crisis”, Korea JoongAng Daily";

/// Thresholds no score reaches: every question with any match is suggested.
const FORCE_SUGGEST: &str = "[matcher]\nanswer_threshold = 1.0\nanswer_margin = 1.0\nsuggest_threshold = 0.01\nsuggest_window = 1.0\nmax_suggestions = 2\n";
/// Thresholds no score reaches: every question short of a perfect match is declined.
const FORCE_DECLINE: &str =
    "[matcher]\nanswer_threshold = 1.0\nanswer_margin = 1.0\nsuggest_threshold = 1.0\n";

/// A directory of its own under the system temp dir, removed when dropped.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "qabot-cli-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // A leftover from a killed run with the same pid must not leak in.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch { path }
    }

    /// Writes `contents` to `name` (relative to the scratch dir), creating folders.
    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Runs qabot in this directory with `stdin` as its standard input.
    fn run(&self, args: &[&str], stdin: impl Into<Vec<u8>>) -> Run {
        let mut child = Command::new(QABOT)
            .args(args)
            .current_dir(&self.path)
            // A panic would print its backtrace, which `Run` then catches.
            .env("RUST_BACKTRACE", "1")
            .env_remove("RUST_LOG")
            .env_remove("TELOXIDE_TOKEN")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start qabot");
        let mut pipe = child.stdin.take().unwrap();
        let input = stdin.into();
        // Written from a thread: with large input and output, writing all of
        // stdin before reading stdout would deadlock on full pipes.
        let writer = std::thread::spawn(move || {
            // qabot may exit (on an error) before reading everything.
            let _ = pipe.write_all(&input);
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let run = Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().expect("qabot was killed by a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        };
        run.assert_no_crash();
        run
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Runs qabot in a fresh empty directory with empty standard input.
fn qabot(args: &[&str]) -> Run {
    Scratch::new().run(args, "")
}

/// Runs qabot in a fresh empty directory with `stdin` as its standard input.
fn qabot_stdin(args: &[&str], stdin: impl Into<Vec<u8>>) -> Run {
    Scratch::new().run(args, stdin)
}

#[derive(Debug)]
struct Run {
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Whatever happened, it was not a panic or a debug dump of an error.
    fn assert_no_crash(&self) {
        for sign in [
            "panicked",
            "stack backtrace",
            "RUST_BACKTRACE",
            "Os {",
            "Error {",
        ] {
            assert!(!self.stderr.contains(sign), "{self:#?}");
        }
        assert_ne!(self.code, 101, "{self:#?}");
    }

    fn success(self) -> Self {
        let command = self.args.join(" ");
        assert_eq!(self.code, 0, "qabot {command}: {self:#?}");
        assert_eq!(self.stderr, "", "qabot {command}: {self:#?}");
        self
    }

    fn json(&self) -> Value {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "one JSON object expected: {self:#?}");
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {self:#?}"))
    }

    fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/fixtures/knowledge").join(name)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The paragraph of the column (knowledge/column.txt) that starts with `start`.
fn column_paragraph(start: &str) -> String {
    let column = std::fs::read_to_string(Path::new(ROOT).join("knowledge/column.txt")).unwrap();
    column
        .split("\n\n")
        .map(str::trim)
        .find(|p| p.starts_with(start))
        .unwrap_or_else(|| panic!("no paragraph starts with {start:?}"))
        .to_owned()
}

// ---- ask ----------------------------------------------------------------

#[test]
fn ask_answers_each_step_with_its_label_and_the_verbatim_passage() {
    // (question, heading, openings of every paragraph the passage must quote)
    let cases: &[(&str, &str, &[&str])] = &[
        // Step 1 spans two paragraphs: both are quoted, in order.
        (
            "what is step 1",
            "Step 1 of 3 — ",
            &["First, we must entrust", "The government must also"],
        ),
        (
            "what is step 2",
            "Step 2 of 3 — ",
            &["Second, we must build"],
        ),
        ("step 3?", "Step 3 of 3 — ", &["Third, we need to"]),
        // Korean labels, but the passage stays the published English text.
        (
            "2단계 뭐야",
            "2단계 (총 3단계) — ",
            &["Second, we must build"],
        ),
    ];
    for (question, heading, paragraphs) in cases {
        let run = qabot(&["ask", question]).success();
        assert!(run.stdout.starts_with(heading), "{run:#?}");
        let mut at = 0;
        for start in *paragraphs {
            // Whatever marks a quote, the paragraph itself is there unchanged.
            let paragraph = column_paragraph(start);
            let found = run.stdout[at..].find(&paragraph);
            assert!(
                found.is_some(),
                "{question:?} lacks {paragraph:?}: {run:#?}"
            );
            at += found.unwrap() + paragraph.len();
        }
        assert!(run.stdout.trim_end().ends_with(SOURCE_LINE), "{run:#?}");
    }
}

#[test]
fn ask_joins_its_words_into_one_question() {
    let joined = qabot(&["ask", "what", "is", "step", "2"]).success();
    let quoted = qabot(&["ask", "what is step 2"]).success();
    assert_eq!(joined.stdout, quoted.stdout);
}

#[test]
fn ask_json_answer_fills_every_field() {
    let run = qabot(&["ask", "--json", "what is step 2"]).success();
    let json = run.json();
    let keys: BTreeSet<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "question",
        "decision",
        "entry",
        "step",
        "score",
        "passage",
        "sentence",
        "reply",
        "suggestions",
    ]
    .into();
    assert_eq!(keys, expected);
    assert_eq!(json["question"], "what is step 2");
    assert_eq!(json["decision"], "answer");
    assert_eq!(json["entry"], "step-2");
    assert_eq!(json["step"], 2);
    let score = json["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0, "{score}");
    assert_eq!(json["passage"], column_paragraph("Second, we must build"));
    let reply = json["reply"].as_str().unwrap();
    assert!(reply.starts_with("Step 2 of 3 — "), "{reply}");
    assert!(reply.ends_with(SOURCE_LINE), "{reply}");
    assert!(json["suggestions"].is_null());
    // The whole passage answers "what is step 2": no sentence is marked.
    assert!(json["sentence"].is_null());
    assert!(!reply.contains("**"), "{reply}");
}

#[test]
fn ask_marks_the_sentence_that_answers_in_json_and_in_the_terminal() {
    const SENTENCE: &str = "Its CEO, Liang Wenfeng, born in 1985, defied the traditional \
        career-centered approach to talent by emphasizing passion and ability over experience, \
        believing that new ideas drive innovation.";
    let question = "When was Liang Wenfeng born?";
    let json = qabot(&["ask", "--json", question]).success().json();
    assert_eq!(json["entry"], "deepseek-liang");
    assert_eq!(json["sentence"], SENTENCE);
    let passage = json["passage"].as_str().unwrap();
    assert!(passage.contains(SENTENCE), "an exact substring: {passage}");
    // The terminal: the passage quoted whole, the sentence between markers.
    let plain = qabot(&["ask", question]).success().stdout;
    let quote: String = plain
        .lines()
        .filter_map(|l| l.strip_prefix(qabot::answer::QUOTE_MARK))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(quote, passage.replace(SENTENCE, &format!("**{SENTENCE}**")));
    assert_eq!(json["reply"].as_str().unwrap().trim_end(), plain.trim_end());
}

#[test]
fn ask_json_passage_of_a_multi_paragraph_step_keeps_its_paragraphs() {
    let json = qabot(&["ask", "--json", "step 1"]).success().json();
    assert_eq!(json["entry"], "step-1");
    let expected = format!(
        "{}\n\n{}",
        column_paragraph("First, we must entrust"),
        column_paragraph("The government must also")
    );
    assert_eq!(json["passage"], expected);
}

#[test]
fn ask_json_smalltalk_has_no_entry_step_score_passage_or_suggestions() {
    for question in ["hi", "thanks!", "안녕하세요"] {
        let json = qabot(&["ask", "--json", question]).success().json();
        assert_eq!(json["decision"], "smalltalk", "{json}");
        for field in ["entry", "step", "score", "passage", "suggestions"] {
            assert!(json[field].is_null(), "{field} in {json}");
        }
        assert!(!json["reply"].as_str().unwrap().is_empty());
    }
}

#[test]
fn ask_json_suggest_lists_suggestions_best_first() {
    let dir = Scratch::new();
    dir.write("force.toml", FORCE_SUGGEST);
    let question = "what does the column say about failure";
    let run = dir.run(&["--config", "force.toml", "ask", "--json", question], "");
    let json = run.success().json();
    assert_eq!(json["decision"], "suggest", "{json}");
    for field in ["entry", "step", "passage"] {
        assert!(json[field].is_null(), "{field} in {json}");
    }
    let suggestions = json["suggestions"].as_array().unwrap();
    // max_suggestions = 2 in the config.
    assert!((1..=2).contains(&suggestions.len()), "{json}");
    let scores: Vec<f64> = suggestions
        .iter()
        .map(|s| {
            assert!(s["entry"].is_string() && s["title"].is_string(), "{s}");
            s["score"].as_f64().unwrap()
        })
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(json["score"].as_f64(), Some(scores[0]));
    let reply = json["reply"].as_str().unwrap();
    for s in suggestions {
        assert!(reply.contains(s["title"].as_str().unwrap()), "{reply}");
    }
}

#[test]
fn ask_json_decline_has_a_score_but_no_entry() {
    let dir = Scratch::new();
    dir.write("force.toml", FORCE_DECLINE);
    let question = "what does the column say about failure";
    let run = dir.run(&["--config", "force.toml", "ask", "--json", question], "");
    let json = run.success().json();
    assert_eq!(json["decision"], "decline", "{json}");
    for field in ["entry", "step", "passage", "suggestions"] {
        assert!(json[field].is_null(), "{field} in {json}");
    }
    assert!(json["score"].as_f64().unwrap() < 1.0, "{json}");
    // A decline says what the bot can answer: the steps.
    assert!(json["reply"].as_str().unwrap().contains("Step 1 of 3 — "));
}

#[test]
fn config_max_question_chars_cuts_long_questions_and_says_so() {
    let dir = Scratch::new();
    dir.write("short.toml", "[matcher]\nmax_question_chars = 10\n");
    let run = dir.run(
        &[
            "--config",
            "short.toml",
            "ask",
            "what is the second step of the plan",
        ],
        "",
    );
    assert!(
        run.success()
            .stdout
            .contains("(Your message was long: only its beginning was read.)")
    );
}

// ---- batches on standard input --------------------------------------------

#[test]
fn ask_json_without_a_question_answers_each_line_of_stdin() {
    // Blank and whitespace-only lines are skipped; CRLF endings are accepted.
    let input = "what is step 2\n\nhi\n   \n2단계\r\nstep 3";
    let run = qabot_stdin(&["ask", "--json"], input).success();
    let answers = run.json_lines();
    let got: Vec<(&str, &str)> = answers
        .iter()
        .map(|a| {
            (
                a["question"].as_str().unwrap(),
                a["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("what is step 2", "answer"),
            ("hi", "smalltalk"),
            ("2단계", "answer"),
            ("step 3", "answer"),
        ]
    );
    let steps: Vec<&Value> = answers.iter().map(|a| &a["step"]).collect();
    assert_eq!(
        steps,
        [
            &Value::from(2),
            &Value::Null,
            &Value::from(2),
            &Value::from(3)
        ]
    );
}

#[test]
fn ask_json_pipes_thousands_of_questions_through_one_process() {
    let questions = ["what is step 1", "hi", "세 번째 단계", "who wrote this"];
    let input: String = (0..2000)
        .map(|i| format!("{}\n", questions[i % questions.len()]))
        .collect();
    let run = qabot_stdin(&["ask", "--json"], input).success();
    let answers = run.json_lines();
    assert_eq!(answers.len(), 2000);
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(
            a["question"],
            questions[i % questions.len()],
            "line {}",
            i + 1
        );
    }
}

#[test]
fn ask_without_a_question_prints_each_reply_in_turn() {
    let run = qabot_stdin(&["ask"], "step 1\n\nhi\n").success();
    let step = run.stdout.find("Step 1 of 3 — ").expect("step 1 answered");
    let hello = run.stdout.find("Hello!").expect("greeting answered");
    assert!(step < hello, "{run:#?}");
}

#[test]
fn ask_without_a_question_on_piped_input_prints_no_hint() {
    let run = qabot_stdin(&["ask"], "hi\n").success();
    assert_eq!(run.stderr, "", "{run:#?}");
}

/// A pseudo-terminal: the master end to type into, the slave end to give
/// qabot as its standard input.
fn open_pty() -> (std::fs::File, std::os::fd::OwnedFd) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (-1, -1);
    // SAFETY: openpty writes two new descriptors into the two ints; the
    // name, termios and window size are optional and passed as null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by no one else.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// A safety net only: should qabot never see the end of its input, it is
/// killed after a generous wait rather than hang the test run. Send on the
/// channel once it has finished, then join the thread.
fn watchdog(
    child: &std::process::Child,
) -> (std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let pid = child.id() as libc::pid_t;
    let watchdog = std::thread::spawn(move || {
        if finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .is_err()
        {
            // SAFETY: kill has no memory effects; the child has not been reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    });
    (done, watchdog)
}

#[test]
fn ask_without_a_question_on_a_terminal_says_how_to_end_and_how_to_ask() {
    let scratch = Scratch::new();
    let (mut terminal, stdin) = open_pty();
    let child = Command::new(QABOT)
        .arg("ask")
        .current_dir(&scratch.path)
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qabot");
    let (done, watchdog) = watchdog(&child);
    // A question, then Ctrl-D at the start of a line: end of input.
    terminal.write_all(b"hi\n\x04").unwrap();
    let output = child.wait_with_output().unwrap();
    done.send(()).unwrap();
    watchdog.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "qabot: reading questions from standard input, one per line; Ctrl-D to end. Or: qabot ask \"QUESTION\"\n"
    );
    assert!(output.status.success(), "{output:#?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Hello!"));
}

#[test]
fn stdin_that_is_not_utf8_stops_with_exit_2_and_names_its_line() {
    // Line 3 is bad (the blank line 2 counts); what came before it is answered.
    let input = &b"hi\n\n\xff\xfe\nstep 1\n"[..];
    let cases: &[(&[&str], &str)] = &[
        (&["ask", "--json"], "\"decision\":\"smalltalk\""),
        (&["ask"], "Hello!"),
        (&["chat"], "Hello!"),
    ];
    for (args, answered) in cases {
        let run = qabot_stdin(args, input);
        assert_eq!(run.code, 2, "{run:#?}");
        assert_eq!(run.stdout.matches(answered).count(), 1, "{run:#?}");
        assert!(!run.stdout.contains("Step 1 of 3"), "{run:#?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(
            run.stderr
                .starts_with("qabot: standard input, line 3: not valid UTF-8"),
            "{run:#?}"
        );
    }
}

#[test]
fn ask_and_chat_help_say_what_happens_to_input_that_is_not_utf8() {
    for command in ["ask", "chat"] {
        let run = qabot(&[command, "--help"]).success();
        assert!(run.stdout.contains("not valid UTF-8"), "{run:#?}");
        assert!(run.stdout.contains("exit code 2"), "{run:#?}");
    }
}

#[test]
fn empty_stdin_is_no_questions() {
    let run = qabot_stdin(&["ask", "--json"], "").success();
    assert_eq!(run.stdout, "");
}

// ---- chat -----------------------------------------------------------------

#[test]
fn chat_answers_piped_lines_without_a_prompt() {
    let run = qabot_stdin(&["chat"], "what is step 2\n\n   \nthanks\n").success();
    let banner = run.stdout.lines().next().unwrap();
    assert!(
        banner.contains("Three steps to solve Korea's STEM crisis") && banner.contains("Ctrl-D"),
        "{banner}"
    );
    let step = run.stdout.find("Step 2 of 3 — ").expect("step 2 answered");
    let thanks = run.stdout.find("You're welcome").expect("thanks answered");
    assert!(step < thanks, "{run:#?}");
    // The prompt is for a terminal only: piped output has no bare prompt line.
    assert!(!run.stdout.lines().any(|l| l.trim() == ">"), "{run:#?}");
}

#[test]
fn chat_answers_follow_ups_with_the_conversations_context() {
    // A blank line starts a new conversation: "why?" then has nothing to follow.
    let input = "what is the first step\nand the next one?\n\nwhy?\n2\n";
    let run = qabot_stdin(&["chat", "--json"], input).success();
    let turns = run.json_lines();
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = turns
        .iter()
        .map(|t| {
            (
                t["question"].as_str().unwrap(),
                t["decision"].as_str().unwrap(),
                t["entry"].as_str(),
                t["context"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("what is the first step", "answer", Some("step-1"), None),
            (
                "and the next one?",
                "answer",
                Some("step-2"),
                Some("step-1")
            ),
            ("why?", "clarify", None, None),
            ("2", "answer", Some("step-2"), None),
        ]
    );
    // A clarification lists the steps to pick from, and quotes no passage.
    assert!(turns[2]["passage"].is_null(), "{:#}", turns[2]);
    assert!(
        turns[2]["reply"]
            .as_str()
            .unwrap()
            .contains("1. Step 1 of 3")
    );
}

#[test]
fn chat_json_has_the_ask_json_fields_and_the_context() {
    let ask = qabot(&["ask", "--json", "what is step 2"]).success().json();
    let chat = qabot_stdin(&["chat", "--json"], "what is step 2\n")
        .success()
        .json();
    let keys = |v: &Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut expected = keys(&ask);
    expected.insert("context".into());
    assert_eq!(keys(&chat), expected);
    assert!(chat["context"].is_null());
    assert_eq!(chat["entry"], ask["entry"]);
}

#[test]
fn ask_stays_stateless() {
    let run = qabot_stdin(
        &["ask", "--json"],
        "what is the first step\nand the next one?\n",
    )
    .success();
    let turns = run.json_lines();
    assert_eq!(turns[0]["entry"], "step-1");
    assert_ne!(turns[1]["entry"], "step-2", "{:#}", turns[1]);
    assert!(turns[1].get("context").is_none());
}

#[test]
fn quit_never_matches_a_passage() {
    for word in ["quit", "exit", "종료"] {
        let json = qabot(&["ask", "--json", word]).success().json();
        assert!(json["passage"].is_null(), "{word}: {json:#}");
    }
}

#[test]
fn relative_step_references_are_answered_statelessly() {
    let cases = [
        ("what comes after step 2", "step-3"),
        ("whats the step after the first one", "step-2"),
        ("2단계 다음은 뭐야", "step-3"),
    ];
    for (question, entry) in cases {
        let json = qabot(&["ask", "--json", question]).success().json();
        assert_eq!(json["entry"], entry, "{question}: {json:#}");
    }
}

#[test]
fn chat_on_a_terminal_edits_lines_recalls_history_and_leaves_on_an_exit_word() {
    use std::io::Read;
    use std::os::fd::OwnedFd;
    let scratch = Scratch::new();
    let (mut terminal, tty) = open_pty();
    let tty_out: OwnedFd = tty.try_clone().unwrap();
    let child = Command::new(QABOT)
        .arg("chat")
        .current_dir(&scratch.path)
        .env("TERM", "xterm")
        .stdin(Stdio::from(tty))
        .stdout(Stdio::from(tty_out))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qabot");
    let (done, watchdog) = watchdog(&child);
    // What qabot shows, read as it comes; a cursor-position query (which
    // a line editor may send) is answered as a terminal would.
    let mut screen = String::new();
    let mut read_until = |terminal: &mut std::fs::File, done: &dyn Fn(&str) -> bool| {
        let mut buffer = [0; 4096];
        while !done(&screen) {
            // An error (EIO) or 0 once qabot has closed the terminal.
            let n = terminal.read(&mut buffer).unwrap_or(0);
            if n == 0 {
                break;
            }
            let chunk = String::from_utf8_lossy(&buffer[..n]).into_owned();
            for _ in 0..chunk.matches("\x1b[6n").count() {
                terminal.write_all(b"\x1b[1;1R").unwrap();
            }
            screen.push_str(&chunk);
        }
    };
    let answers = |n: usize| move |s: &str| s.matches("Step 1 of 3 — ").count() >= n;
    let prompt_after = |n: usize| {
        move |s: &str| {
            s.match_indices("Step 1 of 3 — ")
                .nth(n - 1)
                .is_some_and(|(at, _)| s[at..].contains("you › "))
        }
    };
    read_until(&mut terminal, &|s: &str| s.contains("you › "));
    terminal.write_all(b"what is the first step\r").unwrap();
    read_until(&mut terminal, &|s: &str| {
        answers(1)(s) && prompt_after(1)(s)
    });
    // The Up arrow recalls the question; Enter sends it again.
    terminal.write_all(b"\x1b[A").unwrap();
    terminal.write_all(b"\r").unwrap();
    read_until(&mut terminal, &|s: &str| {
        answers(2)(s) && prompt_after(2)(s)
    });
    // An exit word leaves: no Ctrl-D.
    terminal.write_all(b"quit\r").unwrap();
    read_until(&mut terminal, &|_: &str| false);
    let output = child.wait_with_output().unwrap();
    done.send(()).unwrap();
    watchdog.join().unwrap();
    assert!(output.status.success(), "{output:#?}\n{screen}");
    assert_eq!(screen.matches("Step 1 of 3 — ").count(), 2, "{screen}");
    assert!(!screen.contains("Sorry"), "{screen}");
    assert!(screen.contains("you › "), "{screen}");
}

#[test]
fn eval_scores_a_dialogue_file_turn_by_turn() {
    let scratch = Scratch::new();
    let file = scratch.write(
        "dialogues.tsv",
        "expected\tturn\tmessage\nstep-1\tfirst\tstep 1\nstep-2\tfollow-up\tnext\n\nclarify\tfollow-up\twhy?\n\n\
         step-1\tfirst\tstep 1\nstep-2\tfirst\tthe next one\n",
    );
    let run = qabot(&["eval", "--quiet", path_str(&file)]).success();
    // "the next one", labelled a first turn, is right in its conversation
    // and not asked alone: the two first-turn figures are told apart.
    assert_eq!(
        run.stdout,
        "conversations: 3\n\
         follow-up turns right: 100.0% (2/2)\n\
         first turns right:     100.0% (3/3); asked alone, as `qabot ask`:  66.7% (2/3)\n\
         follow-ups without context answered with a passage: 0 (of 1)\n",
        "{run:#?}"
    );
}

#[test]
fn chat_with_no_input_prints_the_banner_and_leaves() {
    let run = qabot(&["chat"]).success();
    assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");
}

// ---- check ----------------------------------------------------------------

#[test]
fn check_accepts_the_built_in_knowledge_base() {
    let run = qabot(&["check"]).success();
    assert!(run.stdout.starts_with("ok: <embedded> — "), "{run:#?}");
    assert!(run.stdout.contains(" 3 steps"), "{run:#?}");
}

#[test]
fn check_accepts_the_valid_fixture() {
    let dir = fixture("valid");
    let run = qabot(&["check", "--knowledge", path_str(&dir)]).success();
    assert!(run.stdout.starts_with("ok: "), "{run:#?}");
    assert!(run.stdout.contains("3 entries, 2 steps"), "{run:#?}");
}

/// One broken fixture and what `check` must say about it.
struct Broken {
    fixture: &'static str,
    /// Each problem as `FILE:LINE: message` (a phrase of it), FILE relative
    /// to the fixture directory, in the order they are reported.
    problems: &'static [&'static str],
    /// Anything else stderr must say.
    notes: &'static [&'static str],
}

/// A file that does not parse is checked no further; the hint says so.
const PARSE_STOPS: &str = "other problems are reported once this one is fixed";

const BROKEN: &[Broken] = &[
    Broken {
        fixture: "malformed",
        problems: &["knowledge.toml:26: invalid basic string"],
        notes: &[PARSE_STOPS],
    },
    Broken {
        fixture: "missing-field",
        // serde reports a missing key at the table that lacks it.
        problems: &["knowledge.toml:34: missing field `kind`"],
        notes: &[PARSE_STOPS],
    },
    Broken {
        fixture: "unknown-field",
        problems: &["knowledge.toml:20: unknown field `keyword`, expected one of"],
        notes: &[PARSE_STOPS],
    },
    Broken {
        fixture: "unknown-kind",
        problems: &["knowledge.toml:36: unknown variant `stage`"],
        notes: &[PARSE_STOPS],
    },
    Broken {
        fixture: "duplicate-id",
        problems: &["knowledge.toml:35: duplicate entry id \"step-1\" (first used on line 23)"],
        notes: &[],
    },
    Broken {
        fixture: "not-verbatim",
        // The altered excerpt no longer quotes its paragraph either.
        problems: &[
            "knowledge.toml:28: passage of entry \"step-1\" is not verbatim in the source: from character 80",
            "article.txt:3: no entry quotes this paragraph: \"First, label every sample",
        ],
        notes: &[],
    },
    Broken {
        fixture: "long-id",
        problems: &[
            "knowledge.toml:35: entry id \"step-2-return-every-tool-to-its-shelf-before-leaving-the-lab-bnch\" is 65 bytes, longer than the 64 Telegram allows an inline result's id",
        ],
        notes: &["hint: use a short id"],
    },
    Broken {
        fixture: "step-out-of-range",
        problems: &["knowledge.toml:37: entry \"step-2\" has step 21, outside 1–20"],
        notes: &[],
    },
    Broken {
        fixture: "step-without-number",
        problems: &["knowledge.toml:36: step entry \"step-2\" has no `step`"],
        notes: &[],
    },
    Broken {
        fixture: "step-on-background",
        problems: &["knowledge.toml:25: entry \"step-1\" is not of kind \"step\" but has `step`"],
        notes: &[],
    },
    Broken {
        fixture: "duplicate-step",
        problems: &[
            "knowledge.toml:37: entry \"step-2\" has step 1, as does entry \"step-1\" (line 25)",
        ],
        notes: &["hint: give every step its own entry and number"],
    },
    Broken {
        fixture: "step-gap",
        problems: &["knowledge.toml:37: entry \"step-2\" has step 3, but no entry has step 2"],
        notes: &["hint: number the steps from 1 up with no gap"],
    },
    Broken {
        fixture: "answered-by-not-background",
        problems: &[
            "knowledge.toml:33: entry \"step-1\" is not of kind \"background\" but has `answered_by`",
        ],
        notes: &["hint: remove `answered_by`, or set `kind = \"background\"`"],
    },
    Broken {
        fixture: "two-overviews",
        problems: &[
            "knowledge.toml:36: entry \"step-2\" is a second overview (entry \"overview\" on line 12 is one already)",
        ],
        notes: &["hint: keep one entry of kind \"overview\""],
    },
    Broken {
        fixture: "no-questions",
        problems: &[
            "knowledge.toml:35: entry \"step-2\" has 0 English questions, fewer than 4",
            "knowledge.toml:35: entry \"step-2\" has 1 Korean question, fewer than 2",
        ],
        notes: &[],
    },
    Broken {
        fixture: "uncovered-paragraph",
        problems: &[
            "article.txt:7: no entry quotes this paragraph: \"Neither habit takes more than a minute a day.\"",
        ],
        notes: &[],
    },
    Broken {
        fixture: "source-missing",
        // The missing file has no line: the problem is where it is named.
        problems: &["knowledge.toml:8: source file "],
        notes: &["articel.txt does not exist", "hint: `source.text` names"],
    },
    Broken {
        fixture: "not-utf8",
        problems: &["knowledge.toml:14: is not valid UTF-8"],
        notes: &[],
    },
];

#[test]
fn check_reports_each_broken_fixture_with_file_and_line() {
    for case in BROKEN {
        let dir = fixture(case.fixture);
        let run = qabot(&["check", "--knowledge", path_str(&dir)]);
        assert_eq!(run.code, 2, "{}: {run:#?}", case.fixture);
        assert_eq!(run.stdout, "", "{}: {run:#?}", case.fixture);
        let n = case.problems.len();
        let header = format!(
            "qabot: invalid knowledge base ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        );
        assert!(
            run.stderr.starts_with(&header),
            "{}: {run:#?}",
            case.fixture
        );
        let mut at = 0;
        for problem in case.problems {
            let expected = format!("{}/{problem}", dir.display());
            let found = run.stderr[at..].find(&expected);
            assert!(
                found.is_some(),
                "{}: no {expected:?} (in this order) in\n{}",
                case.fixture,
                run.stderr
            );
            at += found.unwrap() + expected.len();
        }
        for note in case.notes {
            assert!(run.stderr.contains(note), "{}: {run:#?}", case.fixture);
        }
    }
}

#[test]
fn check_shows_where_a_passage_departs_from_the_source_not_its_start() {
    let dir = fixture("not-verbatim");
    let run = qabot(&["check", "--knowledge", path_str(&dir)]);
    // The first 79 characters are the source's: the line quotes what follows.
    let expected = format!(
        "{}/knowledge.toml:28: passage of entry \"step-1\" is not verbatim in the source: \
         from character 80 the passage has \"…and the name of the person who m…\" \
         where {}/article.txt:3 has \"…and the name of whoever made it.…\" (U+0074 vs U+0077)\n",
        dir.display(),
        dir.display()
    );
    assert!(
        run.stderr.contains(&expected),
        "{expected:?} not in {run:#?}"
    );
}

#[test]
fn check_lists_every_problem_at_once() {
    let dir = fixture("several");
    let run = qabot(&["check", "--knowledge", path_str(&dir)]);
    assert_eq!(run.code, 2, "{run:#?}");
    let manifest = dir.join("knowledge.toml");
    let expected = [
        "qabot: invalid knowledge base (3 problems):".to_owned(),
        format!(
            "  {}:11: entry \"overview\" has 0 Korean questions, fewer than 2",
            manifest.display()
        ),
        "    hint: add alternate questions to `questions_ko`".to_owned(),
        format!(
            "  {}:25: entry \"step-1\" has step 0, outside 1–20",
            manifest.display()
        ),
        "    hint: number the steps 1, 2, 3… in order, one entry each".to_owned(),
        format!(
            "  {}:35: duplicate entry id \"step-1\" (first used on line 23)",
            manifest.display()
        ),
        "    hint: give every entry its own id".to_owned(),
    ];
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn a_bad_knowledge_base_fails_every_command_the_same_way() {
    let dir = fixture("duplicate-id");
    let kb = path_str(&dir);
    let dev = Path::new(ROOT).join("tests/questions/dev.tsv");
    let commands: &[&[&str]] = &[
        &["check"],
        &["ask", "hi"],
        &["ask", "--json", "hi"],
        &["ask", "--json"],
        &["chat"],
        &["eval", path_str(&dev)],
    ];
    let expected = format!(
        "{}:35: duplicate entry id",
        dir.join("knowledge.toml").display()
    );
    for command in commands {
        let args: Vec<&str> = ["--knowledge", kb]
            .iter()
            .chain(*command)
            .copied()
            .collect();
        let run = qabot_stdin(&args, "hi\n");
        assert_eq!(run.code, 2, "{run:#?}");
        assert_eq!(run.stdout, "", "{run:#?}");
        assert!(run.stderr.contains(&expected), "{run:#?}");
    }
}

// ---- another article ------------------------------------------------------
//
// `tests/fixtures/knowledge/other-article/`: an article of four steps by
// another author in another paper, run through the same code. Nothing of
// the built-in column may show, and its steps are counted and named by
// ordinal from its own knowledge base.

fn other_article() -> PathBuf {
    fixture("other-article")
}

/// Runs `ask --json` over the other article with these questions, one a line.
fn ask_other_article(questions: &[&str]) -> Vec<Value> {
    let kb = other_article();
    let stdin = questions.join("\n") + "\n";
    let run = qabot_stdin(&["--knowledge", path_str(&kb), "ask", "--json"], stdin).success();
    let answers = run.json_lines();
    assert_eq!(answers.len(), questions.len(), "{run:#?}");
    answers
}

#[test]
fn check_accepts_another_article_with_four_steps() {
    let kb = other_article();
    let run = qabot(&["--knowledge", path_str(&kb), "check"]).success();
    assert!(run.stdout.contains("9 entries, 4 steps"), "{run:#?}");
}

#[test]
fn another_article_answers_its_own_steps_by_ordinal() {
    // (question, entry, step)
    let cases = [
        ("what is the last step", "step-4", 4),
        ("the final one?", "step-4", 4),
        ("what is the fourth step", "step-4", 4),
        ("the second step", "step-2", 2),
        ("step 3", "step-3", 3),
        ("마지막 단계는?", "step-4", 4),
        ("네 번째 단계가 뭐야?", "step-4", 4),
        ("두 번째 단계", "step-2", 2),
    ];
    let questions: Vec<&str> = cases.iter().map(|c| c.0).collect();
    for (json, (q, entry, step)) in ask_other_article(&questions).iter().zip(cases) {
        assert_eq!(json["decision"], "answer", "{q}: {json:#}");
        assert_eq!(json["entry"], entry, "{q}: {json:#}");
        assert_eq!(json["step"], step, "{q}: {json:#}");
        let heading = format!("Step {step} of 4 — ");
        let reply = json["reply"].as_str().unwrap();
        assert!(
            reply.starts_with(&heading) || reply.starts_with(&format!("{step}단계 (총 4단계)")),
            "{q}: {reply}"
        );
    }
}

#[test]
fn another_article_names_its_own_author_title_and_number_of_steps() {
    const BY: &str = "“Four ways to save the neighbourhood bookshop” by Mara Lindqvist";
    // (question, decision, entry, phrases the reply must hold)
    let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
        (
            "who wrote this article?",
            "answer",
            Some("author"),
            &["│ Mara Lindqvist"],
        ),
        (
            "저자가 누구야?",
            "answer",
            Some("author"),
            &["│ Mara Lindqvist"],
        ),
        (
            "what are the four steps",
            "answer",
            Some("overview"),
            &[
                "The four steps — ",
                "— Mara Lindqvist, “Four ways to save the neighbourhood bookshop”, The Lakeside Courier",
            ],
        ),
        (
            "네 가지 방안이 뭐야?",
            "answer",
            Some("overview"),
            &["네 가지 단계 — "],
        ),
        (
            "help",
            "smalltalk",
            None,
            &[
                BY,
                "The column proposes four steps:",
                "Step 4 of 4 — Readers vote with their orders",
            ],
        ),
        (
            "who are you",
            "smalltalk",
            None,
            &[BY, "which of its four steps"],
        ),
        (
            "도움말",
            "smalltalk",
            None,
            &[
                "Mara Lindqvist의 칼럼 “Four ways to save the neighbourhood bookshop”",
                "칼럼이 제안하는 네 가지 단계:",
            ],
        ),
        (
            "what's the weather in paris tomorrow",
            "decline",
            None,
            &[BY, "Step 4 of 4 — "],
        ),
        // A name the knowledge base lists as out of scope declines a
        // question its other words would answer.
        ("does bezos like book clubs", "decline", None, &[BY]),
        (
            "do regulars like book clubs",
            "answer",
            Some("step-1"),
            &["Step 1 of 4"],
        ),
    ];
    let questions: Vec<&str> = cases.iter().map(|c| c.0).collect();
    for (json, (q, decision, entry, phrases)) in ask_other_article(&questions).iter().zip(cases) {
        assert_eq!(json["decision"], *decision, "{q}: {json:#}");
        assert_eq!(json["entry"].as_str(), *entry, "{q}: {json:#}");
        let reply = json["reply"].as_str().unwrap();
        for phrase in *phrases {
            assert!(reply.contains(phrase), "{q}: no {phrase:?} in\n{reply}");
        }
        // Nothing of the built-in column.
        for column in ["Yoon", "STEM", "JoongAng", "three", "세 가지"] {
            assert!(!reply.contains(column), "{q}: {column:?} in\n{reply}");
        }
    }
}

#[test]
fn another_article_scores_well_on_its_own_question_file() {
    let kb = other_article();
    let questions = kb.join("questions.tsv");
    let run = qabot(&[
        "--knowledge",
        path_str(&kb),
        "eval",
        path_str(&questions),
        "--quiet",
    ])
    .success();
    // "overall                  95.1% (39/41)"
    let overall: f64 = run
        .stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("overall"))
        .and_then(|l| l.trim().split('%').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no overall figure: {run:#?}"));
    assert!(overall >= 90.0, "{run:#?}");
}

// ---- eval -----------------------------------------------------------------

const SMALL_EVAL: &str = "expected\tcategory\tquestion
# a comment, then a blank line

step-2\tordinal\twhat is step 2
smalltalk\tsmalltalk\thi
step-3\tordinal\tstep 1
";

#[test]
fn eval_scores_a_labelled_file_and_lists_misses() {
    let dir = Scratch::new();
    dir.write("small.tsv", SMALL_EVAL);
    let run = dir.run(&["eval", "small.tsv"], "").success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("overall") && lines[0].ends_with("66.7% (2/3)"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("  ordinal         50.0% (1/2)"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("  smalltalk      100.0% (1/1)"),
        "{run:#?}"
    );
    // "step 1" labelled step-3 is answered with step-1: a wrong answer,
    // worse than a miss that is declined or suggested.
    assert!(
        run.stdout.contains("wrong answers            33.3% (1/3)"),
        "{run:#?}"
    );
    // The miss names its line, question, label, decision and score.
    assert!(run.stdout.contains("misses (1):"), "{run:#?}");
    assert!(run.stdout.contains("line   6: \"step 1\""), "{run:#?}");
    assert!(
        run.stdout.contains("expected step-3, got step-1 (score "),
        "{run:#?}"
    );

    // Of the two right answers (step 2, small talk), one is a passage;
    // the whole of it answers "what is step 2", so nothing is marked.
    assert!(
        run.stdout
            .contains("sentence marked (of right answers)   0.0% (0/1)"),
        "{run:#?}"
    );

    let quiet = dir.run(&["eval", "small.tsv", "--quiet"], "").success();
    assert!(quiet.stdout.starts_with(lines[0]), "{quiet:#?}");
    assert!(!quiet.stdout.contains("misses"), "{quiet:#?}");
}

#[test]
fn eval_counts_the_right_answers_that_mark_a_sentence() {
    let dir = Scratch::new();
    dir.write(
        "marks.tsv",
        "expected\tcategory\tquestion\n\
         deepseek-liang\tdate\tWhen was Liang Wenfeng born?\n\
         step-2\tordinal\twhat is step 2\n\
         step-1\tordinal\twhat is step 2\n",
    );
    let run = dir.run(&["eval", "marks.tsv", "--quiet"], "").success();
    // A wrong answer is not counted, marked or not.
    assert!(
        run.stdout
            .contains("sentence marked (of right answers)  50.0% (1/2)"),
        "{run:#?}"
    );
}

#[test]
fn eval_uses_the_knowledge_base_given() {
    let dir = Scratch::new();
    dir.write(
        "habits.tsv",
        "step-1\tkeyword\tfirst habit\nstep-2\tkeyword\tsecond habit\n",
    );
    let kb = fixture("valid");
    let run = dir.run(&["--knowledge", path_str(&kb), "eval", "habits.tsv"], "");
    assert!(
        run.success()
            .stdout
            .starts_with("overall                 100.0% (2/2)")
    );
}

#[test]
fn eval_runs_the_dev_set() {
    let dev = Path::new(ROOT).join("tests/questions/dev.tsv");
    let run = qabot(&["eval", path_str(&dev), "--quiet"]).success();
    assert!(run.stdout.starts_with("overall"), "{run:#?}");
}

// ---- config ---------------------------------------------------------------

#[test]
fn config_knowledge_dir_is_relative_to_the_config_file() {
    let dir = Scratch::new();
    for file in ["knowledge.toml", "article.txt"] {
        let text = std::fs::read(fixture("valid").join(file)).unwrap();
        dir.write(&format!("conf/kb/{file}"), text);
    }
    dir.write("conf/qabot.toml", "[knowledge]\ndir = \"kb\"\n");
    let run = dir
        .run(&["--config", "conf/qabot.toml", "check"], "")
        .success();
    assert!(
        run.stdout.starts_with("ok: conf/kb — 3 entries"),
        "{run:#?}"
    );

    // --knowledge wins over the config file.
    dir.write("conf/broken.toml", "[knowledge]\ndir = \"missing\"\n");
    let args = [
        "--config",
        "conf/broken.toml",
        "--knowledge",
        "conf/kb",
        "check",
    ];
    dir.run(&args, "").success();
}

#[test]
fn a_config_toml_in_the_working_directory_is_read() {
    let dir = Scratch::new();
    dir.write("config.toml", FORCE_DECLINE);
    let question = "what does the column say about failure";
    let json = dir.run(&["ask", "--json", question], "").success().json();
    assert_eq!(json["decision"], "decline", "{json}");
}

// ---- exit codes -----------------------------------------------------------

/// A command that must fail with exit code 2 and a readable message.
struct BadInput {
    what: &'static str,
    /// Files written to the working directory first.
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    /// A phrase of stderr.
    says: &'static str,
}

const BAD_INPUT: &[BadInput] = &[
    BadInput {
        what: "unknown config key",
        files: &[("bad.toml", b"[matcher]\nanswer_treshold = 0.5\n")],
        args: &["--config", "bad.toml", "ask", "hi"],
        says: "qabot: bad.toml:2:1: invalid config: unknown field `answer_treshold`",
    },
    BadInput {
        what: "config value of the wrong type",
        files: &[("bad.toml", b"[matcher]\nanswer_threshold = \"high\"\n")],
        args: &["--config", "bad.toml", "ask", "hi"],
        says: "qabot: bad.toml:2:20: invalid config: invalid type",
    },
    BadInput {
        what: "config value out of range",
        files: &[("bad.toml", b"# margins\n[matcher]\nanswer_margin = 1.5\n")],
        args: &["--config", "bad.toml", "check"],
        says: "qabot: bad.toml:3:1: invalid config: matcher.answer_margin is 1.5, outside 0–1",
    },
    BadInput {
        what: "malformed config",
        files: &[("bad.toml", b"[matcher\n")],
        args: &["--config", "bad.toml", "check"],
        says: "qabot: bad.toml:1:9: invalid config: ",
    },
    BadInput {
        what: "bad ./config.toml picked up without --config",
        files: &[("config.toml", b"[matcher]\nsuggest_threshold = 0.9\n")],
        args: &["ask", "hi"],
        says: "qabot: config.toml:2:1: invalid config: matcher.suggest_threshold (0.9) is above",
    },
    BadInput {
        what: "missing --config file",
        files: &[],
        args: &["--config", "nope.toml", "ask", "hi"],
        says: "qabot: nope.toml: cannot read the config file",
    },
    BadInput {
        what: "missing knowledge directory",
        files: &[],
        args: &["--knowledge", "nope", "ask", "hi"],
        says: "qabot: invalid knowledge base (1 problem):\n  nope: does not exist",
    },
    BadInput {
        what: "knowledge directory that is a file",
        files: &[("kb", b"")],
        args: &["--knowledge", "kb", "check"],
        says: "kb: is not a directory",
    },
    BadInput {
        what: "missing eval file",
        files: &[],
        args: &["eval", "nope.tsv"],
        says: "qabot: nope.tsv: cannot read the question file",
    },
    BadInput {
        what: "eval line without three fields",
        files: &[("q.tsv", b"expected\tcategory\tquestion\nstep-1\tordinal\n")],
        args: &["eval", "q.tsv"],
        says: "qabot: q.tsv:2: expected 3 tab-separated fields, found 2",
    },
    BadInput {
        what: "eval label that is no entry",
        files: &[("q.tsv", b"step-9\tordinal\tstep 9\n")],
        args: &["eval", "q.tsv"],
        says: "qabot: q.tsv:1: unknown expected label \"step-9\"",
    },
    BadInput {
        what: "eval file with no questions",
        files: &[("q.tsv", b"expected\tcategory\tquestion\n")],
        args: &["eval", "q.tsv"],
        says: "qabot: q.tsv: no questions in the file",
    },
    BadInput {
        what: "eval dialogue file with a bad turn",
        files: &[(
            "d.tsv",
            b"expected\tturn\tmessage\nstep-1\tsecond\tstep 1?\n",
        )],
        args: &["eval", "d.tsv"],
        says: "qabot: d.tsv:2: turn is \"second\"; write `first` or `follow-up`\n    hint: each line is expected<TAB>turn<TAB>message",
    },
    BadInput {
        what: "eval file not UTF-8",
        files: &[("q.tsv", b"step-1\tordinal\tstep 1\nstep-2\tordinal\t\xff\n")],
        args: &["eval", "q.tsv"],
        says: "qabot: q.tsv:2: not valid UTF-8",
    },
    BadInput {
        // The helper removes TELOXIDE_TOKEN from the environment.
        what: "bot without a token",
        files: &[],
        args: &["run"],
        says: "qabot: TELOXIDE_TOKEN is not set",
    },
    BadInput {
        what: "no subcommand",
        files: &[],
        args: &[],
        says: "Usage: qabot [OPTIONS] <COMMAND>",
    },
    BadInput {
        what: "unknown subcommand",
        files: &[],
        args: &["frobnicate"],
        says: "error: unrecognized subcommand 'frobnicate'",
    },
    BadInput {
        what: "unknown flag",
        files: &[],
        args: &["ask", "--bogus"],
        says: "error: unexpected argument '--bogus'",
    },
    BadInput {
        what: "eval without a file",
        files: &[],
        args: &["eval"],
        says: "error: the following required arguments were not provided",
    },
    BadInput {
        what: "--config without a value",
        files: &[],
        args: &["check", "--config"],
        says: "error: a value is required for '--config <PATH>'",
    },
];

#[test]
fn an_os_error_is_printed_once_with_what_to_do() {
    let cases: &[&[&str]] = &[
        &["--config", "nope.toml", "ask", "hi"],
        &["eval", "nope.tsv"],
    ];
    for args in cases {
        let run = qabot(args);
        assert_eq!(run.code, 2, "{run:#?}");
        assert_eq!(run.stderr.matches("(os error").count(), 1, "{run:#?}");
        // What failed and where on the first line, what to do on the second.
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{run:#?}");
        assert!(lines[0].starts_with("qabot: nope."), "{run:#?}");
        assert!(lines[1].starts_with("    hint: "), "{run:#?}");
    }
}

#[test]
fn bad_input_exits_2_with_a_readable_message() {
    for case in BAD_INPUT {
        let dir = Scratch::new();
        for (name, contents) in case.files {
            dir.write(name, contents);
        }
        let run = dir.run(case.args, "what is step 2\n");
        assert_eq!(run.code, 2, "{}: {run:#?}", case.what);
        assert_eq!(run.stdout, "", "{}: {run:#?}", case.what);
        assert!(run.stderr.contains(case.says), "{}: {run:#?}", case.what);
    }
}

// ---- hostile files ----------------------------------------------------------
//
// Config and knowledge-base files as people break them: cut short, mistyped,
// saved in another encoding, enormous, or a directory where a file belongs.
// Each must end in a clear error that names the file (and the line, where
// there is one), exit code 2, and no panic — from every command.

/// The knowledge-base limit of `qabot::knowledge::MAX_FILE_BYTES`.
const KB_LIMIT: u64 = 16 * 1024 * 1024;

/// The valid fixture's manifest, with its 1-based line `n` replaced by `with`.
fn valid_manifest_with_line(n: usize, with: &str) -> String {
    let text = std::fs::read_to_string(fixture("valid").join("knowledge.toml")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = with;
    lines.join("\n") + "\n"
}

/// Copies the valid fixture to `kb/` in `dir`.
fn valid_kb(dir: &Scratch) {
    for file in ["knowledge.toml", "article.txt"] {
        dir.write(
            &format!("kb/{file}"),
            std::fs::read(fixture("valid").join(file)).unwrap(),
        );
    }
}

/// Replaces `kb/<name>` with an empty directory.
fn kb_dir_for(dir: &Scratch, name: &str) {
    valid_kb(dir);
    let path = dir.path.join("kb").join(name);
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
}

/// A file of `bytes` bytes that takes no disk space: sparse, all zeros. Only
/// the size check ever sees it, as nothing past the limit is read.
fn sparse(dir: &Scratch, name: &str, bytes: u64) {
    let file = std::fs::File::create(dir.write(name, "")).unwrap();
    file.set_len(bytes).unwrap();
}

/// Text cut at the first occurrence of `at`, `at` itself kept.
fn cut_after(text: &str, at: &str) -> String {
    let i = text
        .find(at)
        .unwrap_or_else(|| panic!("{at:?} not in the text"));
    text[..i + at.len()].to_owned()
}

fn valid_text(file: &str) -> String {
    std::fs::read_to_string(fixture("valid").join(file)).unwrap()
}

/// `[` nested `depth` deep: a parser that recurses without a limit would
/// overflow its stack, which is an abort, not even a panic.
fn nested(depth: usize) -> String {
    format!("x = {}\n", "[".repeat(depth))
}

struct HostileFile {
    what: &'static str,
    /// Prepares the working directory.
    setup: fn(&Scratch),
    /// The global options that point qabot at the files.
    args: &'static [&'static str],
    /// A phrase of stderr: the file, the line where there is one, and the
    /// start of the message.
    says: &'static str,
}

const HOSTILE_FILES: &[HostileFile] = &[
    // -- the config file
    HostileFile {
        what: "config cut inside a string",
        setup: |d| drop(d.write("c.toml", "[log]\nfilter = \"inf")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:14: invalid config: ",
    },
    HostileFile {
        what: "config cut inside a table header",
        setup: |d| drop(d.write("c.toml", "[matcher]\nanswer_threshold = 0.4\n[bo")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:3:4: invalid config: ",
    },
    HostileFile {
        what: "config cut after '='",
        setup: |d| drop(d.write("c.toml", "[matcher]\nanswer_threshold =")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:19: invalid config: ",
    },
    HostileFile {
        what: "config saved as UTF-16",
        setup: |d| {
            let utf16: Vec<u8> = "\u{feff}[log]\nfilter = \"info\"\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            drop(d.write("c.toml", utf16));
        },
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:1: invalid config: the file is not valid UTF-8",
    },
    HostileFile {
        what: "config with a byte that is not UTF-8 on line 3",
        setup: |d| drop(d.write("c.toml", b"# settings\n[log]\nfilter = \"\xff\"\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:3: invalid config: the file is not valid UTF-8",
    },
    HostileFile {
        what: "config with a NUL byte",
        setup: |d| drop(d.write("c.toml", "[log]\nfilter = \"info\"\n\0")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:3:2: invalid config: ",
    },
    HostileFile {
        what: "config with a number where a table belongs",
        setup: |d| drop(d.write("c.toml", "matcher = 3\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:1:11: invalid config: invalid type: integer `3`",
    },
    HostileFile {
        what: "config with a negative count",
        setup: |d| drop(d.write("c.toml", "[matcher]\nmax_question_chars = -1\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:22: invalid config: invalid value: integer `-1`",
    },
    HostileFile {
        what: "config with a count too big for any integer",
        setup: |d| {
            drop(d.write(
                "c.toml",
                "[matcher]\nmax_question_chars = 99999999999999999999\n",
            ))
        },
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:22: invalid config: ",
    },
    HostileFile {
        what: "config with a cap of zero characters",
        setup: |d| drop(d.write("c.toml", "[matcher]\nmax_question_chars = 0\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:1: invalid config: matcher.max_question_chars must be at least 1",
    },
    HostileFile {
        what: "config with a threshold that is not a number",
        setup: |d| drop(d.write("c.toml", "[matcher]\nanswer_threshold = nan\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:1: invalid config: matcher.answer_threshold is NaN, outside 0–1",
    },
    HostileFile {
        what: "config setting a key twice",
        setup: |d| {
            drop(d.write(
                "c.toml",
                "[matcher]\nanswer_threshold = 0.4\nanswer_threshold = 0.5\n",
            ))
        },
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:3:1: invalid config: duplicate key",
    },
    HostileFile {
        what: "config with an unknown table",
        setup: |d| drop(d.write("c.toml", "[telegram]\ntoken = \"x\"\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:1:2: invalid config: unknown field `telegram`",
    },
    HostileFile {
        what: "config nesting arrays 100,000 deep",
        setup: |d| drop(d.write("c.toml", nested(100_000))),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:1:85: invalid config: ",
    },
    HostileFile {
        what: "config over the size limit",
        setup: |d| sparse(d, "c.toml", 1024 * 1024 + 1),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml: the config file is 1048577 bytes, over the 1048576 byte limit",
    },
    HostileFile {
        what: "config that is a directory",
        setup: |d| std::fs::create_dir(d.path.join("c.toml")).unwrap(),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml: cannot read the config file: ",
    },
    HostileFile {
        what: "config naming a knowledge directory that does not exist",
        setup: |d| drop(d.write("c.toml", "# where\n[knowledge]\ndir = \"nope\"\n")),
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:3:1: invalid config: knowledge.dir: nope does not exist",
    },
    HostileFile {
        what: "config naming a file as the knowledge directory",
        setup: |d| {
            d.write("c.toml", "[knowledge]\ndir = \"kb.toml\"\n");
            d.write("kb.toml", "");
        },
        args: &["--config", "c.toml"],
        says: "qabot: c.toml:2:1: invalid config: knowledge.dir: kb.toml is not a directory",
    },
    // -- the knowledge base
    HostileFile {
        what: "manifest cut inside a passage",
        setup: |d| {
            valid_kb(d);
            let cut = cut_after(&valid_text("knowledge.toml"), "\"First, lab");
            d.write("kb/knowledge.toml", cut);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:28: ",
    },
    HostileFile {
        what: "manifest cut between two lines of an entry",
        setup: |d| {
            valid_kb(d);
            let cut = cut_after(&valid_text("knowledge.toml"), "kind = \"step\"\nstep = 2\n");
            d.write("kb/knowledge.toml", cut);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:34: missing field `title`",
    },
    HostileFile {
        what: "empty manifest",
        setup: |d| {
            valid_kb(d);
            d.write("kb/knowledge.toml", "");
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:1: missing field `source`",
    },
    HostileFile {
        what: "source cut in half",
        setup: |d| {
            valid_kb(d);
            let source = valid_text("article.txt");
            d.write("kb/article.txt", &source[..source.len() / 2]);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:28: passage of entry \"step-1\" is not verbatim in the source",
    },
    HostileFile {
        what: "manifest saved as UTF-16",
        setup: |d| {
            valid_kb(d);
            // With the byte-order mark, as Windows editors write it.
            let utf16: Vec<u8> = format!("\u{feff}{}", valid_text("knowledge.toml"))
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            d.write("kb/knowledge.toml", utf16);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:1: is not valid UTF-8",
    },
    HostileFile {
        what: "source with a byte that is not UTF-8 on line 3",
        setup: |d| {
            valid_kb(d);
            d.write("kb/article.txt", b"A line.\n\nA \xff byte.\n");
        },
        args: &["--knowledge", "kb"],
        says: "  kb/article.txt:3: is not valid UTF-8",
    },
    HostileFile {
        what: "manifest ending in a NUL byte",
        setup: |d| {
            valid_kb(d);
            d.write("kb/knowledge.toml", valid_text("knowledge.toml") + "\0");
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:45: ",
    },
    HostileFile {
        what: "kind of the wrong type",
        setup: |d| {
            valid_kb(d);
            d.write(
                "kb/knowledge.toml",
                valid_manifest_with_line(24, "kind = 3"),
            );
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:24: ",
    },
    HostileFile {
        what: "step of the wrong type",
        setup: |d| {
            valid_kb(d);
            d.write(
                "kb/knowledge.toml",
                valid_manifest_with_line(25, "step = \"one\""),
            );
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:25: invalid type: string \"one\"",
    },
    HostileFile {
        what: "questions of the wrong type",
        setup: |d| {
            valid_kb(d);
            let line = "questions = [1, 2, 3, 4]";
            d.write("kb/knowledge.toml", valid_manifest_with_line(30, line));
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:30: invalid type: integer `1`",
    },
    HostileFile {
        what: "manifest nesting arrays 100,000 deep",
        setup: |d| {
            valid_kb(d);
            d.write(
                "kb/knowledge.toml",
                valid_text("knowledge.toml") + &nested(100_000),
            );
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:45: ",
    },
    HostileFile {
        what: "manifest one byte over the size limit",
        setup: |d| {
            valid_kb(d);
            sparse(d, "kb/knowledge.toml", KB_LIMIT + 1);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml: is 16777217 bytes, over the 16777216 byte limit",
    },
    HostileFile {
        what: "source one byte over the size limit",
        setup: |d| {
            valid_kb(d);
            sparse(d, "kb/article.txt", KB_LIMIT + 1);
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:8: source file kb/article.txt is 16777217 bytes, over the 16777216 byte limit",
    },
    HostileFile {
        what: "manifest that is a directory",
        setup: |d| kb_dir_for(d, "knowledge.toml"),
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml: is not a file",
    },
    HostileFile {
        what: "no manifest in the directory",
        setup: |d| {
            valid_kb(d);
            std::fs::remove_file(d.path.join("kb/knowledge.toml")).unwrap();
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml: does not exist",
    },
    HostileFile {
        what: "source that is a directory",
        setup: |d| kb_dir_for(d, "article.txt"),
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:8: source file kb/article.txt is not a file",
    },
    HostileFile {
        what: "source named by an empty string",
        setup: |d| {
            valid_kb(d);
            d.write(
                "kb/knowledge.toml",
                valid_manifest_with_line(8, "text = \"\""),
            );
        },
        args: &["--knowledge", "kb"],
        says: "  kb/knowledge.toml:8: source file ",
    },
];

#[test]
fn hostile_config_and_knowledge_files_fail_clearly_with_exit_2() {
    // The same error from a command that only checks and from one that answers.
    let commands: &[&[&str]] = &[&["check"], &["ask", "--json"]];
    for case in HOSTILE_FILES {
        let dir = Scratch::new();
        (case.setup)(&dir);
        for command in commands {
            let args: Vec<&str> = case.args.iter().chain(*command).copied().collect();
            let run = dir.run(&args, "what is step 2\n");
            let what = format!("{} ({})", case.what, command.join(" "));
            assert_eq!(run.code, 2, "{what}: {run:#?}");
            assert_eq!(run.stdout, "", "{what}: {run:#?}");
            assert!(run.stderr.contains(case.says), "{what}: {run:#?}");
            assert!(run.stderr.starts_with("qabot: "), "{what}: {run:#?}");
            // Clear means short: the problems and their hints, not a dump.
            assert!(run.stderr.lines().count() <= 8, "{what}: {run:#?}");
        }
    }
}

// ---- help and version -----------------------------------------------------

#[test]
fn every_subcommand_has_help() {
    let top = qabot(&["--help"]).success();
    assert!(
        top.stdout.contains("Usage: qabot [OPTIONS] <COMMAND>"),
        "{top:#?}"
    );
    // Read the list from the help itself, so a subcommand added later is covered too.
    let commands: Vec<&str> = top
        .stdout
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    for expected in ["ask", "chat", "eval", "check"] {
        assert!(commands.contains(&expected), "{expected} in {commands:?}");
    }
    for command in commands {
        let usage = format!("Usage: qabot {command}");
        for args in [[command, "--help"], ["help", command]] {
            let run = qabot(&args).success();
            assert!(run.stdout.contains(&usage), "{run:#?}");
            // The global options apply to every subcommand.
            assert!(run.stdout.contains("--knowledge <DIR>"), "{run:#?}");
        }
    }
}

#[test]
fn version_names_the_crate_version() {
    let run = qabot(&["--version"]).success();
    assert_eq!(
        run.stdout.trim(),
        format!("qabot {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `qabot ask … | head`: when the reader closes the pipe early, qabot stops
/// quietly with exit 0, as command-line tools do, not with "Broken pipe".
#[test]
fn a_reader_that_closes_the_pipe_early_ends_it_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .args(["--config", "/dev/null", "ask", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qabot runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // Far more than a pipe buffer of answers, so qabot is still writing
        // when the reader leaves; write errors here only mean qabot stopped.
        for _ in 0..20_000 {
            if stdin.write_all(b"what is the second step?\n").is_err() {
                break;
            }
        }
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("a first answer");
    // Dropping the read end closes the pipe.
    let output = child.wait_with_output().expect("qabot exits");
    writer.join().expect("the writer thread ends");
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

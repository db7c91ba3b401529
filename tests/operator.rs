//! The operator's loop (issue 12): `qabot report` proposes, measured on a
//! copy of the knowledge base; `qabot report --apply N` writes a proposal
//! into a copy of the project's knowledge directory with its comments
//! kept, or refuses and leaves the file byte for byte as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::db::{TestDb, test_key};
use crate::question_log::outcome;
use qabot::matcher::Lang;
use qabot::question_log::key::KEY_VAR;
use qabot::question_log::{Asked, ChatKind, DatabaseUrl, Event, QuestionId, Store, Vote};
use serde_json::Value;

/// A question asked, suggested step-2 among others, and that entry picked
/// by the asker: the report's strongest advice, "add it to step-2".
async fn seed_pick(db: &TestDb, question: &str) {
    let url = DatabaseUrl::parse(&db.url, Path::new(".")).unwrap();
    let store = Store::lazy(&url, test_key()).unwrap();
    store.prepare().await.unwrap();
    let now = qabot::question_log::now();
    let asked = Asked {
        id: QuestionId(1),
        at: now - 60,
        chat_kind: ChatKind::Private,
        user_language: Some("en".into()),
        lang: Lang::detect(question),
        question: question.into(),
        decision: "suggest".parse().unwrap(),
        entry: Some("hiring-and-institutes".into()),
        score: Some(0.32),
        suggestions: vec!["hiring-and-institutes".into(), "step-2".into()],
        user: Some(7),
        chat: Some(7),
        context: None,
    };
    store
        .write(&[
            Event::Asked(asked),
            Event::Picked {
                question: QuestionId(1),
                picker: 7,
                entry: "step-2".into(),
                at: now - 50,
            },
        ])
        .await
        .unwrap();
    store.close().await;
}

/// A folder with a copy of the project's knowledge base, a labelled file
/// with `labelled` lines, and a config naming both.
fn workspace(name: &str, labelled: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qabot-operator-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("knowledge")).unwrap();
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    for file in ["knowledge.toml", "column.txt"] {
        std::fs::copy(project.join(file), dir.join("knowledge").join(file)).unwrap();
    }
    std::fs::write(
        dir.join("labelled.tsv"),
        format!("expected\tcategory\tquestion\n{labelled}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("qabot.toml"),
        "[knowledge]\ndir = \"knowledge\"\n[report]\nlabelled = [\"labelled.tsv\"]\n",
    )
    .unwrap();
    dir
}

fn qabot(dir: &Path, db: &TestDb, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .arg("--config")
        .arg(dir.join("qabot.toml"))
        .args(args)
        .env("QABOT_DATABASE_URL", &db.url)
        .env_remove(KEY_VAR)
        .env_remove("QABOT_LOG_SALT")
        .output()
        .unwrap();
    outcome(out)
}

/// Questions of the project's dev set the matcher gets right, labelled.
const LABELLED: &str = "step-2\tparaphrase\twhat is the second step\n\
step-1\tparaphrase\twhat is step 1\n\
decline\tout-of-scope\twhat is the weather in seoul\n\
hiring-and-institutes\tparaphrase\twhat's wrong with how korean research institutes hire people\n";

#[tokio::test]
async fn a_proven_proposal_is_applied_and_the_files_comments_survive() {
    let db = TestDb::sqlite("operator-apply");
    let question = "how do we keep young researchers in korea";
    seed_pick(&db, question).await;
    let dir = workspace("apply", LABELLED);
    let manifest = dir.join("knowledge/knowledge.toml");
    let before = std::fs::read_to_string(&manifest).unwrap();

    let (code, json, stderr) = qabot(&dir, &db, &["report", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let proposal = &report["proposals"][0];
    assert_eq!(proposal["number"], 1, "{json}");
    assert_eq!(proposal["target"], serde_json::json!({"entry": "step-2"}));
    let effect = &proposal["effect"];
    assert_eq!(effect["refused"], Value::Null, "{effect}");
    assert_eq!(effect["problems"], serde_json::json!([]));
    assert_eq!(
        effect["answers"],
        serde_json::json!({"right": 1, "total": 1})
    );
    assert_eq!(
        effect["answers_before"],
        serde_json::json!({"right": 0, "total": 1})
    );
    let floors = effect["floors"].as_array().unwrap();
    assert_eq!(floors.len(), 2, "the labelled file and [out_of_scope]");
    assert!(
        floors[0]["name"]
            .as_str()
            .unwrap()
            .ends_with("labelled.tsv")
    );
    assert_eq!(
        floors[0]["before"],
        serde_json::json!({"right": 4, "total": 4})
    );
    assert_eq!(floors[0]["after"], floors[0]["before"]);

    let (code, text, stderr) = qabot(&dir, &db, &["report"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        text.contains(
            "1. add 1 question to [[entry]] \"step-2\": answers 1 of 1 (now 0)\n      check passes\n"
        ),
        "{text}"
    );

    // Chosen by number and code, as the report prints it: a code that is
    // not this proposal's (the one read moved, or is gone) writes nothing.
    let shown = proposal["code"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "    apply with: qabot report --apply 1@{shown} (and this report's --since)\n"
        )),
        "{text}"
    );
    let (code, out, stderr) = qabot(&dir, &db, &["report", "--apply", "1@0000abcd"]);
    assert_eq!(code, 2, "{out}{stderr}");
    assert!(
        stderr.contains(&format!(
            "proposal 1 is not the one you read (0000abcd): the log or the knowledge base changed since, and it is now {shown} (add 1 question to [[entry]] \"step-2\"); nothing written"
        )),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(&manifest).unwrap() == before);

    let (code, out, stderr) = qabot(&dir, &db, &["report", "--apply", &format!("1@{shown}")]);
    assert_eq!(code, 0, "{out}{stderr}");
    assert!(
        out.contains("applied proposal 1: 1 question added to [[entry]] \"step-2\""),
        "{out}"
    );
    assert!(out.contains(&format!("\n    \"{question}\"\n")), "{out}");
    assert!(out.contains("SIGHUP") && out.contains("/reload"), "{out}");
    let after = std::fs::read_to_string(&manifest).unwrap();
    // Only the new line: every comment and every other line as it was.
    let added: Vec<&str> = diff_lines(&before, &after);
    assert_eq!(added, [format!("  \"{question}\",").as_str()], "{after}");
    assert!(after.contains("# qabot knowledge base for one newspaper column.\n"));
    assert!(after.contains("  # numbers the column does not give\n"));
    let (code, out, stderr) = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .args(["--config", "/dev/null", "--knowledge"])
        .arg(dir.join("knowledge"))
        .args(["ask", "--json", question])
        .output()
        .map(outcome)
        .unwrap();
    assert_eq!(code, 0, "{stderr}");
    let answer: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(answer["entry"], "step-2", "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_proposal_that_lowers_a_floor_is_refused_and_the_file_is_unchanged() {
    let db = TestDb::sqlite("operator-refuse");
    // Picked once, by mistake perhaps; the labelled file says it is to be
    // declined, and the matcher declines it now.
    let question = "where is the best pizza in seoul";
    seed_pick(&db, question).await;
    let dir = workspace(
        "refuse",
        &format!("{LABELLED}decline\tout-of-scope\t{question}\n"),
    );
    let manifest = dir.join("knowledge/knowledge.toml");
    let before = std::fs::read(&manifest).unwrap();

    let (code, json, stderr) = qabot(&dir, &db, &["report", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let refused = report["proposals"][0]["effect"]["refused"]
        .as_str()
        .unwrap_or_else(|| panic!("{json}"));
    assert!(
        refused.contains("labelled.tsv would drop from 5/5 to 4/5 right"),
        "{refused}"
    );

    let (code, out, stderr) = qabot(&dir, &db, &["report", "--apply", "1"]);
    assert_eq!(code, 2, "{out}{stderr}");
    assert!(
        stderr.contains("knowledge.toml: not changed: ")
            && stderr.contains("labelled.tsv would drop from 5/5 to 4/5 right"),
        "{stderr}"
    );
    assert!(std::fs::read(&manifest).unwrap() == before, "byte for byte");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("knowledge"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");

    // A labelled file that cannot be read for this knowledge base: nothing
    // can be measured on it, so nothing is written.
    std::fs::write(
        dir.join("labelled.tsv"),
        "expected\tcategory\tquestion\nno-such-entry\tx\twhat is step 1\n",
    )
    .unwrap();
    let (code, _, stderr) = qabot(&dir, &db, &["report", "--apply", "1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot measure on a labelled file: ")
            && stderr.contains("unknown expected label \"no-such-entry\""),
        "{stderr}"
    );
    assert!(std::fs::read(&manifest).unwrap() == before, "byte for byte");

    // A number the report does not have, and the built-in knowledge base.
    let (code, _, stderr) = qabot(&dir, &db, &["report", "--apply", "9"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no proposal 9: this report has 1"),
        "{stderr}"
    );
    let (code, _, stderr) = qabot(
        &dir,
        &db,
        &[
            "--knowledge",
            "/nonexistent-qabot-kb",
            "report",
            "--apply",
            "1",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .args(["--config", "/dev/null", "report", "--apply", "1"])
        .env("QABOT_DATABASE_URL", &db.url)
        .output()
        .map(outcome)
        .unwrap();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the built-in knowledge base cannot be edited; pass --knowledge DIR"),
        "{stderr}"
    );
    assert!(std::fs::read(&manifest).unwrap() == before, "byte for byte");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lines of `after` that `before` does not have, in order (a file
/// that only gained lines).
fn diff_lines<'a>(before: &str, after: &'a str) -> Vec<&'a str> {
    let mut old = before.lines().peekable();
    let mut added = Vec::new();
    for line in after.lines() {
        if old.peek() == Some(&line) {
            old.next();
        } else {
            added.push(line);
        }
    }
    assert_eq!(old.next(), None, "a line of the old file is gone");
    added
}

// ---- the report page in a browser ---------------------------------------------

/// Set (by `.ci/run`) to make a missing Chromium a failure, not a skip.
const REQUIRE_CHROMIUM: &str = "QABOT_REQUIRE_CHROMIUM";
/// When set, the browser test also saves a screenshot of the page there
/// (how docs/report-page.png was made).
const SCREENSHOT: &str = "QABOT_REPORT_SCREENSHOT";

/// A week of questions: every decision, both languages, three kinds of
/// chat, votes, a pick, and a group of declined questions.
async fn seed_week(db: &TestDb) {
    let url = DatabaseUrl::parse(&db.url, Path::new(".")).unwrap();
    let store = Store::lazy(&url, test_key()).unwrap();
    store.prepare().await.unwrap();
    let now = qabot::question_log::now();
    let mut events = Vec::new();
    let mut id = 0;
    let kinds = [ChatKind::Private, ChatKind::Group, ChatKind::Inline];
    let mut ask = |at: i64, question: &str, decision: &str, entry: Option<&str>| {
        id += 1;
        events.push(Event::Asked(Asked {
            id: QuestionId(id),
            at,
            chat_kind: kinds[id as usize % 3],
            user_language: None,
            lang: Lang::detect(question),
            question: question.into(),
            decision: decision.parse().unwrap(),
            entry: entry.map(str::to_owned),
            score: entry.map(|_| 0.6),
            suggestions: if decision == "suggest" {
                vec!["hiring-and-institutes".into(), "step-2".into()]
            } else {
                Vec::new()
            },
            user: Some(id as u64 % 9),
            chat: Some(id % 9),
            context: None,
        }));
        QuestionId(id)
    };
    let mut votes = Vec::new();
    for day in 0..7 {
        let at = now - day * 86_400 - 600;
        for i in 0..(3 + day % 3) {
            let q = ask(at + i, "what is step 2", "answer", Some("step-2"));
            if i == 0 {
                votes.push((q, if day == 3 { Vote::Down } else { Vote::Up }));
            }
        }
        ask(at, "2단계는 무엇인가요", "answer", Some("step-2"));
        ask(
            at,
            "what does the column say about failure",
            "answer",
            Some("step-1"),
        );
        ask(at, "hello", "smalltalk", None);
        if day % 2 == 0 {
            ask(at, "what is the weather in seoul today", "decline", None);
            ask(at, "what's the weather in seoul", "decline", None);
        }
    }
    let picked = ask(
        now - 300,
        "how do we keep young researchers in korea",
        "suggest",
        None,
    );
    ask(
        now - 200,
        "<script>alert(1)</script> \" onload=\"x",
        "decline",
        None,
    );
    events.push(Event::Picked {
        question: picked,
        picker: picked.0 as u64 % 9,
        entry: "step-2".into(),
        at: now - 250,
    });
    for (q, vote) in votes {
        events.push(Event::Voted {
            question: q,
            voter: q.0 as u64 % 9,
            vote,
            at: now - 100,
        });
    }
    store.write(&events).await.unwrap();
    store.close().await;
}

/// `chromium`, when installed.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
}

/// Headless Chromium on `page` with `extra` arguments: no sandbox (CI runs
/// as root), its own profile, and no network at all (every host name
/// unresolvable, every connection sent to a closed port on 127.0.0.1).
fn run_chromium(chromium: &Path, profile: &Path, page: &Path, extra: &[&str]) -> String {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Installed before the page's own content: records every error (a script
/// error, a promise rejected and not handled, a resource that failed, a
/// refusal by the page's policy, a console.error) and, once loaded, writes what the test checks into the
/// page, where --dump-dom shows it.
const PROBE: &str = r#"<script>
window.qabotErrors = [];
(function () {
  var original = console.error;
  console.error = function () {
    window.qabotErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
  window.addEventListener('error', function (e) {
    window.qabotErrors.push('error: ' + (e.message || (e.target && e.target.outerHTML)));
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    window.qabotErrors.push('unhandled rejection: ' + e.reason);
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    window.qabotErrors.push('policy: ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  window.addEventListener('load', function () {
    var charts = Array.prototype.map.call(document.querySelectorAll('figure.chart svg'), function (svg) {
      var box = svg.getBoundingClientRect();
      return { id: svg.parentNode.id, width: box.width, height: box.height };
    });
    var buttons = Array.prototype.map.call(document.querySelectorAll('button.copy'), function (b) {
      b.click();
      return { toml: b.getAttribute('data-toml') };
    });
    var out = document.createElement('pre');
    out.id = 'qabot-probe';
    out.textContent = JSON.stringify({ errors: window.qabotErrors, charts: charts, buttons: buttons });
    document.body.appendChild(out);
  });
})();
</script>"#;

/// The browser test's name, as the test harness filters by it.
const BROWSER_TEST: &str =
    "operator::the_report_page_loads_in_a_browser_with_its_charts_and_copy_buttons";

#[tokio::test]
async fn the_report_page_loads_in_a_browser_with_its_charts_and_copy_buttons() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var(REQUIRE_CHROMIUM).as_deref() != Ok("1"),
            "{REQUIRE_CHROMIUM}=1 but chromium is not on PATH"
        );
        // Straight to the terminal: the test harness keeps what eprintln!
        // prints from a test that passes, and a skip no one sees is a pass.
        let _ = writeln!(
            std::io::stderr(),
            "note: {BROWSER_TEST}: SKIPPED, chromium is not installed (apt-get install chromium; bash .ci/run does)"
        );
        return;
    };
    let db = TestDb::sqlite("operator-page");
    seed_week(&db).await;
    let dir = workspace("page", LABELLED);
    let page = dir.join("report.html");
    let (code, out, stderr) = qabot(&dir, &db, &["report", "--html", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{stderr}");
    assert!(out.starts_with("wrote "), "{out}");
    let (code, json, stderr) = qabot(&dir, &db, &["report", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let tomls: Vec<&str> = report["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["toml"].as_str().unwrap())
        .collect();
    assert!(!tomls.is_empty(), "{json}");

    let html = std::fs::read_to_string(&page).unwrap();
    let probe = dir.join("probe.html");
    std::fs::write(
        &probe,
        html.replacen("<head>", &format!("<head>{PROBE}"), 1),
    )
    .unwrap();
    let dom = run_chromium(&chromium, &dir.join("profile"), &probe, &["--dump-dom"]);
    let start =
        dom.find("<pre id=\"qabot-probe\">").expect(&dom) + "<pre id=\"qabot-probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let found: Value = serde_json::from_str(&unescape(&dom[start..end])).unwrap();
    assert_eq!(found["errors"], serde_json::json!([]), "{found}");
    let charts = found["charts"].as_array().unwrap();
    let ids: Vec<&str> = charts.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["per-day", "answer-rate", "languages", "chats"]);
    for chart in charts {
        assert!(
            chart["width"].as_f64().unwrap() > 0.0 && chart["height"].as_f64().unwrap() > 0.0,
            "{chart}"
        );
    }
    let held: Vec<&str> = found["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["toml"].as_str().unwrap())
        .collect();
    assert_eq!(held, tomls, "each copy button holds its proposal's TOML");
    // The logged <script> is text in the page, not a script that ran.
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );

    if let Some(shot) = std::env::var_os(SCREENSHOT) {
        let shot = PathBuf::from(shot);
        run_chromium(
            &chromium,
            &dir.join("profile"),
            &page,
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1000,2200",
                "--hide-scrollbars",
            ],
        );
        assert!(shot.is_file());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_chromium_the_browser_test_says_it_was_skipped_in_a_plain_run() {
    // The browser test alone, as `cargo test` runs it (output captured),
    // on a PATH with no chromium.
    let alone = |required: bool| {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([BROWSER_TEST, "--exact", "--test-threads=1"])
            .env("PATH", "")
            .env_remove(REQUIRE_CHROMIUM);
        if required {
            command.env(REQUIRE_CHROMIUM, "1");
        }
        outcome(command.output().unwrap())
    };
    let (code, stdout, stderr) = alone(false);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "note: {BROWSER_TEST}: SKIPPED, chromium is not installed"
        )),
        "the skip is not shown: {stdout}{stderr}"
    );
    // Where CI requires the browser (`.ci/run` sets the variable), a
    // missing one fails the test instead.
    let (code, stdout, stderr) = alone(true);
    assert_ne!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("QABOT_REQUIRE_CHROMIUM=1 but chromium is not on PATH"),
        "{stdout}{stderr}"
    );
}

/// The text of an HTML element as Chromium serialises it.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

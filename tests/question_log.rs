//! The question log (issue 5), against SQLite and PostgreSQL alike
//! (`db`): the schema and its migrations, what is stored (and that user
//! and chat ids are not), votes that replace each other, retention; the
//! real dispatcher recording questions, picks and votes through the fake
//! Bot API; `/stats`, only in private, built off the runtime's workers; the
//! real binary answering every question through a database outage, warning
//! once; and `qabot report` on a seeded log and on a flooded one.

use crate::bot_process;
use crate::db;
use crate::fake_api;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use bot_process::{BotProcess, TOKEN, events};
use db::{Proxy, TEST_KEY, TestDb, test_key};
use fake_api::{FakeApi, buttons, tg};
use hmac::{Hmac, KeyInit, Mac};
use qabot::bot;
use qabot::config::{BotConfig, StatsHook};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Decision, Lang, Matcher, MatcherConfig};
use qabot::question_log::key::KEY_VAR;
use qabot::question_log::store::latest_version;
use qabot::question_log::{
    Asked, ChatKind, DatabaseUrl, Event, Key, KeySource, LogError, LoggedQuestion, QuestionId,
    QuestionLog, Settings, Store, Vote,
};
use qabot::synthetic;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor};

const USER: i64 = 4242;
const OTHER_USER: i64 = 7373;
const ADMIN: i64 = 99;
const OTHER_ADMIN: i64 = 98;
const GROUP: i64 = -5151;

fn url(db: &TestDb) -> DatabaseUrl {
    DatabaseUrl::parse(&db.url, Path::new(".")).expect("a test URL parses")
}

fn asked(id: i64, at: i64, question: &str, decision: &'static str) -> Asked {
    Asked {
        id: QuestionId(id),
        at,
        chat_kind: ChatKind::Private,
        user_language: Some("ko".into()),
        lang: Lang::En,
        question: question.into(),
        decision: decision.parse().expect("a decision"),
        entry: (decision == "answer").then(|| "step-2".into()),
        score: (decision == "answer").then_some(0.75),
        suggestions: if decision == "suggest" {
            vec!["step-1".into(), "rd-budget".into()]
        } else {
            Vec::new()
        },
        user: Some(USER as u64),
        chat: Some(GROUP),
        context: None,
    }
}

fn vote(question: i64, voter: i64, vote: Vote) -> Event {
    Event::Voted {
        question: QuestionId(question),
        voter: voter as u64,
        vote,
        at: 1_800_000_000,
    }
}

// ---- the store ---------------------------------------------------------------

#[tokio::test]
async fn the_schema_is_made_once_in_wal_mode_and_a_newer_one_is_refused() {
    for db in TestDb::all("schema").await {
        let store = Store::lazy(&url(&db), test_key()).unwrap();
        assert_eq!(store.schema_version().await.unwrap(), 0, "{}", db.label);
        store.prepare().await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), latest_version());
        // A second instance on the same database finds it in place.
        let second = Store::lazy(&url(&db), test_key()).unwrap();
        second.prepare().await.unwrap();
        assert_eq!(second.schema_version().await.unwrap(), latest_version());
        if db.label == "sqlite" {
            assert_eq!(store.journal_mode().await.unwrap().as_deref(), Some("wal"));
            assert!(db.sqlite_path().unwrap().is_file());
        }
        // As if a newer qabot had migrated it: refused, not misread.
        let mut conn = raw_connection(&db).await;
        sqlx::query("INSERT INTO qabot_schema (version, applied_at) VALUES (999, 0)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let newer = Store::lazy(&url(&db), test_key()).unwrap();
        match newer.prepare().await {
            Err(LogError::SchemaTooNew { found, known, .. }) => {
                assert_eq!((found, known), (999, latest_version()));
            }
            other => panic!("{}: {other:?}", db.label),
        }
        store.close().await;
        second.close().await;
        newer.close().await;
    }
}

/// A store on `db` with its schema in place, hashing under [`TEST_KEY`].
async fn prepared(db: &TestDb) -> Store {
    let store = Store::lazy(&url(db), test_key()).unwrap();
    store.prepare().await.unwrap();
    store
}

/// A connection of the test's own to the database, beside the bot's.
async fn raw_connection(db: &TestDb) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    // A URL sqlx takes as it is (the store adds `mode=rwc` to SQLite's).
    let url = match db.sqlite_path() {
        Some(path) => format!("sqlite://{}", path.display()),
        None => db.url.clone(),
    };
    sqlx::AnyConnection::connect(&url).await.unwrap()
}

#[tokio::test]
async fn questions_picks_and_votes_round_trip_and_ids_are_only_stored_hashed() {
    for db in TestDb::all("roundtrip").await {
        let store = prepared(&db).await;
        let t = 1_800_000_000;
        store
            .write(&[
                Event::Asked(asked(1, t, "what is step 2", "answer")),
                Event::Asked(asked(2, t + 5, "tell me about scientists", "suggest")),
                Event::Picked {
                    question: QuestionId(2),
                    picker: USER as u64,
                    entry: "rd-budget".into(),
                    at: t + 9,
                },
                vote(1, USER, Vote::Up),
                vote(1, OTHER_USER, Vote::Up),
            ])
            .await
            .unwrap();
        // The same user changes their mind; the same question and pick
        // written again (a retried batch) count once.
        store
            .write(&[
                vote(1, USER, Vote::Down),
                Event::Asked(asked(1, t, "what is step 2", "answer")),
                Event::Picked {
                    question: QuestionId(2),
                    picker: USER as u64,
                    entry: "rd-budget".into(),
                    at: t + 10,
                },
            ])
            .await
            .unwrap();
        let rows = store.questions_since(t).await.unwrap();
        assert_eq!(rows.len(), 2, "{}", db.label);
        let first = &rows[0];
        assert_eq!(
            (first.votes_up, first.votes_down),
            (1, 1),
            "{}: a second vote replaces the first",
            db.label
        );
        assert_eq!(first.decision, Decision::Answer);
        assert_eq!(first.entry.as_deref(), Some("step-2"));
        assert_eq!(first.score, Some(0.75));
        assert_eq!(first.user_language.as_deref(), Some("ko"));
        assert_eq!(first.chat_kind, ChatKind::Private);
        let second = &rows[1];
        assert_eq!(second.suggestions, ["step-1", "rd-budget"]);
        assert_eq!(second.picked, ["rd-budget"]);
        assert_eq!(store.questions_since(t + 1).await.unwrap().len(), 1);

        // No id in the clear anywhere; the same user hashes the same way
        // after a restart (under the same key).
        let hash = first.user_hash.clone().expect("a user hash");
        assert_eq!(hash.len(), 32);
        let mut conn = raw_connection(&db).await;
        for (table, columns) in [
            (
                "questions",
                "CAST(id AS TEXT) || ' ' || COALESCE(user_hash, '') || ' ' || COALESCE(chat_hash, '') || ' ' || question",
            ),
            ("votes", "voter_hash"),
            ("picks", "picker_hash"),
        ] {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {columns} AS t FROM {table}"
            )))
            .fetch_all(&mut conn)
            .await
            .unwrap();
            for row in rows {
                let text: String = sqlx::Row::try_get(&row, "t").unwrap();
                for id in [USER.to_string(), OTHER_USER.to_string(), GROUP.to_string()] {
                    assert!(!text.contains(&id), "{}: {id} in {table}: {text}", db.label);
                }
            }
        }
        conn.close().await.unwrap();
        store.close().await;
        let reopened = Store::lazy(&url(&db), test_key()).unwrap();
        reopened.prepare().await.unwrap();
        reopened
            .write(&[Event::Asked(asked(3, t + 20, "hi", "smalltalk"))])
            .await
            .unwrap();
        let rows = reopened.questions_since(t).await.unwrap();
        assert_eq!(rows[2].user_hash.as_deref(), Some(hash.as_str()));
        // Another key gives other hashes.
        let rekeyed = Store::lazy(
            &url(&db),
            KeySource::Env {
                var: KEY_VAR,
                key: "another key, at least 32 characters long".into(),
            },
        )
        .unwrap();
        rekeyed.prepare().await.unwrap();
        rekeyed
            .write(&[Event::Asked(asked(4, t + 30, "hello", "smalltalk"))])
            .await
            .unwrap();
        let rows = rekeyed.questions_since(t).await.unwrap();
        assert_ne!(rows[3].user_hash.as_deref(), Some(hash.as_str()));
        reopened.close().await;
        rekeyed.close().await;
    }
}

/// A decision, chat kind or language this qabot does not know (written by a newer
/// one, or by hand) is an error naming it and the row, never a row
/// silently counted as nothing.
#[tokio::test]
async fn an_unknown_decision_chat_kind_or_language_in_the_log_is_an_error_naming_it() {
    for db in TestDb::all("unknown-names").await {
        let store = prepared(&db).await;
        let t = 1_800_000_000;
        store
            .write(&[Event::Asked(asked(7, t, "what is step 2", "answer"))])
            .await
            .unwrap();
        assert_eq!(store.questions_since(t).await.unwrap().len(), 1);
        let mut conn = raw_connection(&db).await;
        for (column, value) in [
            ("decision", "answered"),
            ("chat_kind", "forum"),
            ("lang", "fr"),
        ] {
            conn.execute(sqlx::AssertSqlSafe(format!(
                "UPDATE questions SET {column} = '{value}' WHERE id = 7"
            )))
            .await
            .unwrap();
            let error = store.questions_since(t).await.unwrap_err();
            assert!(
                matches!(&error, LogError::UnknownValue { id: 7, column: c, value: v, .. }
                    if *c == column && v == value),
                "{}: {error:?}",
                db.label
            );
            let message = error.to_string();
            assert!(
                message.contains(&format!("question 7 has {column} \"{value}\"")),
                "{message}"
            );
            conn.execute(
                "UPDATE questions SET decision = 'answer', chat_kind = 'private', lang = 'en' WHERE id = 7",
            )
            .await
            .unwrap();
        }
        assert_eq!(store.questions_since(t).await.unwrap().len(), 1);
        store.close().await;
    }
}

#[tokio::test]
async fn rows_past_the_retention_are_deleted_with_their_votes_and_picks() {
    for db in TestDb::all("retention").await {
        let store = prepared(&db).await;
        let now = qabot::question_log::now();
        let old = now - 100 * 86_400;
        store
            .write(&[
                Event::Asked(asked(1, old, "old question", "suggest")),
                Event::Picked {
                    question: QuestionId(1),
                    picker: USER as u64,
                    entry: "step-1".into(),
                    at: old,
                },
                Event::Voted {
                    question: QuestionId(1),
                    voter: 1,
                    vote: Vote::Up,
                    at: old,
                },
                Event::Asked(asked(2, now, "new question", "answer")),
            ])
            .await
            .unwrap();
        // picks 1 + votes 1 + questions 1
        assert_eq!(
            store.purge(now - 90 * 86_400).await.unwrap(),
            3,
            "{}",
            db.label
        );
        let rows = store.questions_since(0).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].question, "new question");
        store.close().await;
    }
}

// ---- the bot, in process ------------------------------------------------------

/// The real dispatcher against `api`, recording to `log`.
struct Running {
    stop: bot::Stop,
    task: tokio::task::JoinHandle<Result<(), bot::StartError>>,
}

async fn start_bot(api: &FakeApi, log: QuestionLog) -> Running {
    start_bot_with(api, log, StatsHook::default()).await
}

/// [`start_bot`], with two admins and `hook` where `/stats` builds reports.
async fn start_bot_with(api: &FakeApi, log: QuestionLog, hook: StatsHook) -> Running {
    let config = BotConfig {
        throttle: false,
        poll_timeout_secs: 1,
        retry_first_ms: 20,
        retry_max_ms: 100,
        admins: vec![ADMIN as u64, OTHER_ADMIN as u64],
        stats_hook: hook,
        ..BotConfig::default()
    };
    let kb = KnowledgeBase::embedded().unwrap();
    let tg = bot::bot(TOKEN, Some(&api.url), None, &config).unwrap();
    let live = bot::Live::fixed(kb, MatcherConfig::default());
    let service = bot::start_with(tg, live, Arc::new(config), None, log)
        .await
        .expect("the bot starts against the fake");
    Running {
        stop: service.stopper(),
        task: tokio::spawn(service.run()),
    }
}

impl Running {
    async fn stop(self) {
        crate::dispatcher::stop(self.stop, self.task).await;
    }
}

fn open_log(db: &TestDb) -> QuestionLog {
    QuestionLog::open(Settings {
        url: url(db),
        retention_days: 90,
        buffer_bytes: 1 << 20,
        key: test_key(),
    })
    .unwrap()
}

/// Sends `text` from `from` in `chat`; the one message the bot sends back.
async fn say(api: &FakeApi, chat: i64, from: Value, text: &str) -> Value {
    let before = api.sent().len();
    api.push(tg::text(api.new_message_id(), chat, from, text));
    let sent = api.wait_sent(before + 1).await;
    sent[before].clone()
}

/// Presses the button with `data` under a message of the bot's; the text
/// of the callback answer.
async fn press(api: &FakeApi, from: Value, chat: i64, data: &str) -> Option<String> {
    let before = api.calls_to("answerCallbackQuery").len();
    let id = format!("cb-{}", api.new_message_id());
    api.push(tg::callback(
        &id,
        from,
        tg::bots_message(api.new_message_id(), chat, "an answer"),
        data,
    ));
    let answers = api.wait_calls("answerCallbackQuery", before + 1).await;
    let answer = answers
        .iter()
        .find(|c| c.body["callback_query_id"] == id.as_str())
        .expect("the press is answered");
    answer.body["text"].as_str().map(str::to_owned)
}

async fn logged(log: &QuestionLog, n: usize) -> Vec<LoggedQuestion> {
    assert!(
        log.flush(Duration::from_secs(10)).await,
        "the log is written"
    );
    let rows = log.questions_since(0).await.unwrap();
    assert_eq!(rows.len(), n, "{rows:#?}");
    rows
}

/// Waits until at least `n` questions are written (updates the bot has not
/// handled yet come in meanwhile); all of them.
async fn logged_at_least(log: &QuestionLog, n: usize) -> Vec<LoggedQuestion> {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            assert!(log.flush(Duration::from_secs(10)).await);
            let rows = log.questions_since(0).await.unwrap();
            if rows.len() >= n {
                break rows;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{n} questions not logged within 10 s"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_records_questions_picks_and_votes() {
    for db in TestDb::all("bot").await {
        let api = FakeApi::start(TOKEN).await;
        let log = open_log(&db);
        let running = start_bot(&api, log.clone()).await;
        let ko = tg::user(USER, "ko");

        // An answer carries 👍 / 👎; a vote is acknowledged, and a second
        // press by the same user changes it.
        let answer = say(&api, USER, ko.clone(), "what is step 2").await;
        let votes: Vec<(String, String)> = buttons(&answer)
            .into_iter()
            .filter(|(_, data)| data.starts_with("v:"))
            .collect();
        assert_eq!(
            votes.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
            ["👍", "👎"],
            "{answer}"
        );
        let thanks = press(&api, ko.clone(), USER, &votes[0].1).await.unwrap();
        assert!(thanks.contains('👍'), "{thanks}");
        press(&api, ko.clone(), USER, &votes[1].1).await.unwrap();
        press(&api, tg::user(OTHER_USER, "en"), USER, &votes[1].1)
            .await
            .unwrap();

        // "Did you mean": pressing a suggestion records the pick and sends
        // the entry, with 👍 / 👎 of its own for the same question.
        let unsure = say(&api, USER, tg::user(USER, "en"), "tell me about scientists").await;
        let picks: Vec<String> = buttons(&unsure)
            .into_iter()
            .map(|(_, d)| d)
            .filter(|d| d.starts_with("p:"))
            .collect();
        assert!(picks.len() >= 2, "{unsure}");
        let before = api.sent().len();
        press(&api, tg::user(USER, "en"), USER, &picks[1]).await;
        let shown = api.wait_sent(before + 1).await[before].clone();
        let picked_entry = picks[1].split(':').nth(2).unwrap().to_owned();
        let feedback_question = picks[1].split(':').nth(1).unwrap();
        assert!(
            buttons(&shown)
                .iter()
                .any(|(_, d)| d == &format!("v:{feedback_question}:u:{picked_entry}:en")),
            "{shown}"
        );
        // Someone else pressing the asker's suggestion sees the entry, but
        // their pick is not counted; nor is a pick on a question that is
        // not in the log.
        let before = api.sent().len();
        press(&api, tg::user(OTHER_USER, "en"), USER, &picks[0]).await;
        api.wait_sent(before + 1).await;
        let before = api.sent().len();
        press(&api, tg::user(USER, "en"), USER, "p:zzzzzz:step-1:en").await;
        api.wait_sent(before + 1).await;

        // A group question, small talk, a declined question, and an inline
        // result a user sent.
        say(
            &api,
            GROUP,
            tg::user(OTHER_USER, "en"),
            "/ask what is step 1",
        )
        .await;
        say(&api, USER, tg::user(USER, "en"), "hello").await;
        let declined = say(
            &api,
            USER,
            tg::user(USER, "en"),
            "what is the weather in Busan",
        )
        .await;
        assert!(buttons(&declined).is_empty(), "{declined}");
        api.push(json!({"chosen_inline_result": {
            "result_id": "step-3", "from": tg::user(OTHER_USER, "en"), "query": "third step"
        }}));
        // Commands are not questions.
        say(&api, USER, tg::user(USER, "en"), "/steps").await;

        let rows = logged_at_least(&log, 6).await;
        assert_eq!(rows.len(), 6, "{}: {rows:#?}", db.label);
        let find = |q: &str| rows.iter().find(|r| r.question == q).unwrap();
        let step2 = find("what is step 2");
        assert_eq!(
            (step2.decision.as_str(), step2.entry.as_deref()),
            ("answer", Some("step-2"))
        );
        assert_eq!((step2.votes_up, step2.votes_down), (0, 2), "{}", db.label);
        assert_eq!(step2.user_language.as_deref(), Some("ko"));
        assert_eq!(step2.chat_kind, ChatKind::Private);
        let unsure = find("tell me about scientists");
        assert_eq!(unsure.decision, Decision::Suggest);
        assert!(unsure.suggestions.len() >= 2);
        assert_eq!(unsure.picked, [picked_entry]);
        assert_eq!(find("what is step 1").chat_kind, ChatKind::Group);
        assert_eq!(find("hello").decision, Decision::Smalltalk);
        assert_eq!(
            find("what is the weather in Busan").decision,
            Decision::Decline
        );
        let inline = find("third step");
        assert_eq!(inline.chat_kind, ChatKind::Inline);
        assert_eq!(inline.picked, ["step-3"]);
        let people: std::collections::HashSet<_> =
            rows.iter().filter_map(|r| r.user_hash.clone()).collect();
        assert_eq!(people.len(), 2, "two users, counted by hash");
        assert_eq!(log.queued_bytes(), 0, "the queue gives its bytes back");
        running.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_tell_an_admin_todays_counts_and_top_declined_questions() {
    let db = TestDb::sqlite("stats");
    let api = FakeApi::start(TOKEN).await;
    let log = open_log(&db);
    let running = start_bot(&api, log.clone()).await;
    let en = tg::user(USER, "en");
    for q in [
        "what is step 2",
        "what is the weather in Busan",
        "What is the weather in Busan?",
        "who won the world cup",
    ] {
        say(&api, USER, en.clone(), q).await;
    }
    logged(&log, 4).await;
    let stats = say(&api, ADMIN, tg::user(ADMIN, "en"), "/stats").await;
    let text = stats["text"].as_str().unwrap();
    assert!(text.contains(": 4 questions from 1 person."), "{text}");
    assert!(text.contains("Answered 1"), "{text}");
    assert!(text.contains("declined 3"), "{text}");
    let weather = text.find("weather in Busan").expect(text);
    let cup = text.find("world cup").expect(text);
    assert!(weather < cup, "the most declined first: {text}");
    assert!(text.contains("×2"), "{text}");
    // To anyone else /stats does not exist: no reply (the next question's
    // answer is the next message).
    api.push(tg::text(api.new_message_id(), USER, en.clone(), "/stats"));
    let next = say(&api, USER, en.clone(), "what is step 3").await;
    let next_text = next["text"].as_str().unwrap();
    assert!(next_text.contains("Step 3"), "{next_text}");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_are_not_posted_in_a_group() {
    let db = TestDb::sqlite("stats-group");
    let api = FakeApi::start(TOKEN).await;
    let log = open_log(&db);
    let running = start_bot(&api, log.clone()).await;
    say(&api, USER, tg::user(USER, "en"), "who won the world cup").await;
    logged(&log, 1).await;
    // The group's updates are handled in order: a report would come before
    // the answer to the question after it.
    let admin = tg::user(ADMIN, "en");
    for command in ["/stats", "/stats@qa_test_bot"] {
        api.push(tg::text(
            api.new_message_id(),
            GROUP,
            admin.clone(),
            command,
        ));
    }
    let next = say(&api, GROUP, admin.clone(), "/ask what is step 3").await;
    let next_text = next["text"].as_str().unwrap();
    assert!(next_text.contains("Step 3"), "{next_text}");
    assert!(
        api.sent()
            .iter()
            .all(|m| m["chat_id"] != GROUP || m == &next),
        "only the answer in the group: {:#?}",
        api.sent()
    );
    // In a private chat the same admin gets the report.
    let stats = say(&api, ADMIN, admin, "/stats").await;
    let text = stats["text"].as_str().unwrap();
    assert!(text.contains("world cup"), "{text}");
    running.stop().await;
}

/// Where `/stats` reports are held while being built: each says it has
/// arrived, then waits until the test opens the gate.
#[derive(Default)]
struct Gate {
    arrived: AtomicUsize,
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// Runs on the thread building a report.
    fn pass(&self) {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        let open = self.open.lock().unwrap();
        drop(self.opened.wait_while(open, |open| !*open).unwrap());
    }

    async fn wait_arrived(&self, n: usize) {
        let waiting = async {
            while self.arrived.load(Ordering::SeqCst) < n {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), waiting)
            .await
            .unwrap_or_else(|_| panic!("{n} reports being built"));
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

/// A safety net: opens the gate after `limit` if the test has not. With
/// every worker of the runtime held at the gate, nothing on the runtime
/// (its timers included) runs to fail the test; this thread does not need it.
fn open_after(gate: &Arc<Gate>, limit: Duration) {
    let gate = gate.clone();
    std::thread::spawn(move || {
        let open = gate.open.lock().unwrap();
        let (open, _) = gate
            .opened
            .wait_timeout_while(open, limit, |open| !*open)
            .unwrap();
        drop(open);
        gate.open();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_being_built_hold_up_no_one_else() {
    // A log flooded with 1,000 long, distinct questions, all declined today.
    let db = TestDb::sqlite("stats-flood");
    let store = Store::lazy(&url(&db), test_key()).unwrap();
    store.prepare().await.unwrap();
    let now = qabot::question_log::now();
    let flood: Vec<Event> = synthetic::long_questions(1_000, 1_000, 7)
        .iter()
        .enumerate()
        .map(|(i, q)| Event::Asked(asked(i as i64 + 1, now, q, "decline")))
        .collect();
    store.write(&flood).await.unwrap();
    store.close().await;

    let gate = Arc::new(Gate::default());
    open_after(&gate, Duration::from_secs(120));
    let hook = StatsHook(Some(Arc::new({
        let gate = gate.clone();
        move || gate.pass()
    })));
    let api = FakeApi::start(TOKEN).await;
    let running = start_bot_with(&api, open_log(&db), hook).await;
    // A chat's updates are handled one after another: two admins, so that
    // two reports are built at once, as many as the test runtime has workers.
    for admin in [ADMIN, OTHER_ADMIN] {
        api.push(tg::text(
            api.new_message_id(),
            admin,
            tg::user(admin, "en"),
            "/stats",
        ));
    }
    gate.wait_arrived(2).await;
    // Both reports are in the making; someone else is answered meanwhile.
    let answer = say(&api, USER, tg::user(USER, "en"), "what is step 2").await;
    assert_eq!(answer["chat_id"], USER, "{answer}");
    assert!(
        answer["text"].as_str().unwrap().contains("Step 2"),
        "{answer}"
    );
    assert_eq!(api.sent().len(), 1, "no report yet: {:#?}", api.sent());

    gate.open();
    let sent = tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            let sent = api.sent();
            if [ADMIN, OTHER_ADMIN]
                .iter()
                .all(|&admin| sent.iter().any(|m| m["chat_id"] == admin))
            {
                break sent;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("both reports sent");
    for admin in [ADMIN, OTHER_ADMIN] {
        let report = sent
            .iter()
            .find(|m| m["chat_id"] == admin)
            .unwrap_or_else(|| panic!("no report to {admin}: {sent:#?}"));
        let text = report["text"].as_str().unwrap();
        assert!(text.contains(": 1000 questions from 1 person."), "{text}");
    }
    running.stop().await;
}

// ---- the binary through an outage -----------------------------------------------

fn bot_config(extra: &str) -> String {
    format!(
        "[bot]\nthrottle = false\npoll_timeout_secs = 1\nrequest_timeout_ms = 1500\n\
         retry_first_ms = 20\nretry_max_ms = 100\n\n[question_log]\n{extra}"
    )
}

/// Asks `n` questions in turn, each in a chat of its own, each answered
/// within `within`; the questions.
async fn ask_many(api: &FakeApi, tag: &str, n: usize, within: Duration) -> Vec<String> {
    let mut asked = Vec::new();
    for i in 0..n {
        let question = format!("what is step {} ({tag} {i})", i % 3 + 1);
        let started = Instant::now();
        let reply = tokio::time::timeout(
            within,
            say(
                &api.clone(),
                1000 + i as i64,
                tg::user(1000 + i as i64, "en"),
                &question,
            ),
        )
        .await
        .unwrap_or_else(|_| panic!("{question:?} not answered within {within:?}"));
        assert!(reply["text"].as_str().unwrap().contains("Step"), "{reply}");
        assert!(started.elapsed() < within);
        asked.push(question);
    }
    asked
}

fn count_logged(log: &str, message: &str) -> usize {
    events(log)
        .iter()
        .filter(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(message))
        })
        .count()
}

async fn wait_logged(bot: &BotProcess, message: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while count_logged(&bot.log(), message) == 0 {
        assert!(
            Instant::now() < deadline,
            "{message:?} not logged within {within:?}:\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the log holds `n` questions; their texts.
async fn wait_rows(store: &Store, n: usize, within: Duration) -> Vec<String> {
    let deadline = Instant::now() + within;
    loop {
        let rows = store.questions_since(0).await.map(|r| r.len()).unwrap_or(0);
        if rows >= n {
            let rows = store.questions_since(0).await.unwrap();
            return rows.into_iter().map(|r| r.question).collect();
        }
        assert!(Instant::now() < deadline, "{rows} of {n} questions logged");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const UNAVAILABLE: &str = "question log unavailable";
const BACK: &str = "question log available again";
const CONTEXTS_UNAVAILABLE: &str = "conversation contexts unavailable";

/// The outage, played against the bot's database.
enum Outage {
    /// Another connection holds SQLite's write lock.
    Locked(sqlx::AnyConnection),
    /// The proxy in front of PostgreSQL is down.
    Cut,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_mid_run_loses_no_reply_and_warns_once() {
    for db in TestDb::all("outage").await {
        let api = FakeApi::start(TOKEN).await;
        let proxy = match db.postgres_addr() {
            Some(addr) => Some(Proxy::start(addr).await),
            None => None,
        };
        let bot_url = proxy
            .as_ref()
            .map_or(db.url.clone(), |p| db.url_via(p.addr));
        let bot = BotProcess::spawn(
            &api.url,
            &bot_config(""),
            &[("QABOT_DATABASE_URL", bot_url.as_str())],
        );
        api.wait_calls("getUpdates", 1).await;
        let reader = Store::lazy(&url(&db), test_key()).unwrap();
        let within = Duration::from_secs(3);
        let mut expected = ask_many(&api, "before", 3, within).await;
        wait_rows(&reader, 3, Duration::from_secs(10)).await;

        let outage = match &proxy {
            Some(proxy) => {
                proxy.take_down();
                Outage::Cut
            }
            None => {
                let mut lock = raw_connection(&db).await;
                sqlx::raw_sql("BEGIN EXCLUSIVE")
                    .execute(&mut lock)
                    .await
                    .unwrap();
                Outage::Locked(lock)
            }
        };
        // Every question is answered at once while the log cannot be written.
        expected.extend(ask_many(&api, "during", 5, within).await);
        wait_logged(&bot, UNAVAILABLE, Duration::from_secs(15)).await;
        expected.extend(ask_many(&api, "still during", 5, within).await);
        match outage {
            Outage::Cut => proxy.as_ref().unwrap().bring_back(),
            Outage::Locked(mut lock) => {
                sqlx::raw_sql("COMMIT").execute(&mut lock).await.unwrap();
                lock.close().await.unwrap();
            }
        }
        wait_logged(&bot, BACK, Duration::from_secs(20)).await;
        expected.extend(ask_many(&api, "after", 2, within).await);
        let mut rows = wait_rows(&reader, expected.len(), Duration::from_secs(10)).await;
        rows.sort();
        expected.sort();
        assert_eq!(rows, expected, "{}: every question logged once", db.label);
        let log = bot.stop().await;
        assert_eq!(
            count_logged(&log, UNAVAILABLE),
            1,
            "{}: one warning per outage:\n{log}",
            db.label
        );
        assert_eq!(count_logged(&log, BACK), 1, "{log}");
        // On PostgreSQL the conversations' contexts live in the same
        // database, and warn once of the same outage; on SQLite they are in
        // memory, and do not.
        let contexts_warned = count_logged(&log, CONTEXTS_UNAVAILABLE);
        let contexts_expected = usize::from(db.label == "postgres");
        assert!(
            contexts_warned <= contexts_expected,
            "{}: {contexts_warned} warnings from the contexts' store:\n{log}",
            db.label
        );
        // Nothing else warned about the database (sqlx's own lines included).
        let all = events(&log);
        let other: Vec<&Value> = all
            .iter()
            .filter(|e| e["level"] == "WARN" || e["level"] == "ERROR")
            .filter(|e| {
                let message = e["message"].as_str().unwrap_or("");
                !message.starts_with(UNAVAILABLE) && !message.starts_with(CONTEXTS_UNAVAILABLE)
            })
            .collect();
        assert!(other.is_empty(), "{}: {other:#?}", db.label);
        assert_eq!(api.sent().len(), expected.len(), "one reply per question");
        for password in url(&db).secrets() {
            assert!(
                !log.contains(password),
                "the database password leaked:\n{log}"
            );
        }
        reader.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_at_all_costs_no_reply() {
    let dir = std::env::temp_dir().join(format!("qabot-unopenable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Its folder is a file: the database can never be created.
    std::fs::write(dir.join("not-a-folder"), "").unwrap();
    let config = bot_config("database_url = \"sqlite:not-a-folder/questions.sqlite\"\n");
    let api = FakeApi::start(TOKEN).await;
    let config_path_dir = dir.clone();
    let bot = BotProcess::spawn(
        &api.url,
        &config.replace(
            "sqlite:not-a-folder",
            &format!("sqlite:{}/not-a-folder", config_path_dir.display()),
        ),
        &[],
    );
    api.wait_calls("getUpdates", 1).await;
    ask_many(&api, "no database", 4, Duration::from_secs(3)).await;
    wait_logged(&bot, UNAVAILABLE, Duration::from_secs(15)).await;
    ask_many(&api, "no database still", 2, Duration::from_secs(3)).await;
    let log = bot.stop().await;
    assert_eq!(count_logged(&log, UNAVAILABLE), 1, "{log}");
    assert_eq!(api.sent().len(), 6);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- qabot report ---------------------------------------------------------------

/// A week of questions, written through the store as the bot would.
async fn seed(db: &TestDb) -> i64 {
    let store = Store::lazy(&url(db), test_key()).unwrap();
    store.prepare().await.unwrap();
    let now = qabot::question_log::now();
    let day = 86_400;
    let mut events = Vec::new();
    let mut id = 0;
    let mut add = |at: i64, q: &str, decision: &'static str, entry: Option<&str>| {
        id += 1;
        let mut a = asked(id, at, q, decision);
        a.entry = entry.map(str::to_owned);
        a.user = Some(id as u64 % 4);
        if decision == "suggest" {
            a.suggestions = vec!["hiring-and-institutes".into(), "step-2".into()];
        }
        a.lang = if q.chars().any(|c| ('가'..='힣').contains(&c)) {
            Lang::Ko
        } else {
            Lang::En
        };
        events.push(Event::Asked(a));
        QuestionId(id)
    };
    let mut votes = Vec::new();
    for d in 0..3 {
        let at = now - d * day - 60;
        let q = add(at, "what is step 2", "answer", Some("step-2"));
        votes.push(vote(q.0, 1, Vote::Up));
        add(at, "what is step 1", "answer", Some("step-1"));
        add(at, "who is the mayor of seoul", "decline", None);
    }
    let picked = add(
        now - 120,
        "how do we keep young researchers",
        "suggest",
        Some("hiring-and-institutes"),
    );
    add(
        now - 100,
        "how do we keep young researchers?",
        "suggest",
        Some("hiring-and-institutes"),
    );
    let down = add(
        now - 90,
        "what does the column say about money",
        "answer",
        Some("rd-budget"),
    );
    votes.push(vote(down.0, 2, Vote::Down));
    // Outside a two-day window.
    add(now - 10 * day, "an old question", "decline", None);
    events.push(Event::Picked {
        question: picked,
        picker: picked.0 as u64 % 4,
        entry: "step-2".into(),
        at: now - 110,
    });
    events.extend(votes);
    store.write(&events).await.unwrap();
    store.close().await;
    now
}

fn report(db_url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .args(["--config", "/dev/null", "report"])
        .args(args)
        .env("QABOT_DATABASE_URL", db_url)
        .env_remove(KEY_VAR)
        .env_remove("QABOT_LOG_SALT")
        .output()
        .unwrap();
    outcome(out)
}

/// A finished command's exit code (-1 for a signal), standard output and
/// standard error.
pub(crate) fn outcome(out: std::process::Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn the_report_on_a_seeded_log() {
    for db in TestDb::all("report").await {
        seed(&db).await;
        let (code, json, stderr) = report(&db.url, &["--since", "7d", "--json"]);
        assert_eq!(code, 0, "{}: {stderr}", db.label);
        let r: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(r["questions"], 12, "{}: {json}", db.label);
        assert_eq!(r["days"].as_array().unwrap().len(), 3, "{json}");
        let d = &r["decisions"];
        assert_eq!(
            (
                d["answered"].as_u64(),
                d["suggested"].as_u64(),
                d["declined"].as_u64()
            ),
            (Some(7), Some(2), Some(3))
        );
        assert_eq!(d["answered_share"], 0.583);
        // step-2: three answers and one pick.
        assert_eq!(r["top_entries"][0], json!({"entry": "step-2", "count": 4}));
        assert_eq!(
            r["feedback"],
            json!([
                {"entry": "step-2", "up": 3, "down": 0},
                {"entry": "rd-budget", "up": 0, "down": 1},
            ])
        );
        // The pick first, with its snippet; then the groups, largest first.
        assert_eq!(r["pairings"][0]["entry"], "step-2");
        assert_eq!(
            r["pairings"][0]["questions"][0]["question"],
            "how do we keep young researchers"
        );
        let groups = r["groups"].as_array().unwrap();
        assert_eq!(groups[0]["count"], 3);
        assert_eq!(
            groups[0]["questions"][0]["question"],
            "who is the mayor of seoul"
        );
        assert_eq!(groups[0]["questions"][0]["count"], 3);
        let unpicked = groups
            .iter()
            .find(|g| g["questions"][0]["question"] == "how do we keep young researchers?")
            .expect("the unpicked twin is a group");
        assert!(unpicked["suggested_entry"].is_string(), "{unpicked}");
        assert!(
            groups
                .iter()
                .any(|g| g["questions"][0]["question"] == "what does the column say about money")
        );

        let (code, text, _) = report(&db.url, &["--since", "2d"]);
        assert_eq!(code, 0);
        assert!(text.contains(": 9 questions from"), "{text}");
        let picks = text.find("\"Did you mean\" picks").unwrap();
        let groups = text.find("Declined and low-confidence").unwrap();
        assert!(picks < groups, "{text}");
        let snippet = text
            .find("# knowledge.toml, add to [[entry]] id = \"step-2\", questions = [ … ]")
            .expect(&text);
        assert!(
            text[snippet..].contains("\"how do we keep young researchers\",\n"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_report_on_thousands_of_long_distinct_questions_finishes() {
    let db = TestDb::sqlite("report-flood");
    let store = Store::lazy(&url(&db), test_key()).unwrap();
    store.prepare().await.unwrap();
    let now = qabot::question_log::now();
    let n = 2_000;
    let flood: Vec<Event> = synthetic::long_questions(n, 1_000, 11)
        .iter()
        .enumerate()
        .map(|(i, q)| Event::Asked(asked(i as i64 + 1, now - 60, q, "decline")))
        .collect();
    store.write(&flood).await.unwrap();
    store.close().await;
    // Standard output to a file: the report is megabytes, more than a pipe
    // holds while this waits.
    let out_path =
        std::env::temp_dir().join(format!("qabot-report-flood-{}.json", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_qabot"))
        .args(["--config", "/dev/null", "report", "--json"])
        .env("QABOT_DATABASE_URL", &db.url)
        .env_remove("QABOT_LOG_SALT")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .spawn()
        .unwrap();
    // Only a safety net: grouping alone once took minutes here.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(600) {
            child.kill().unwrap();
            panic!("qabot report did not finish in 600 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    let json = std::fs::read_to_string(&out_path).unwrap();
    std::fs::remove_file(&out_path).unwrap();
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["questions"], n);
    assert_eq!(r["decisions"]["declined"], n);
    // Every declined question is in a group, or counted as not grouped.
    let grouped: u64 = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .sum();
    let left = r["not_grouped"]["count"].as_u64().unwrap_or(0);
    assert_eq!(grouped + left, n as u64, "{}", r["not_grouped"]);
}

#[test]
fn report_errors_say_what_to_do_and_exit_2() {
    let db = TestDb::sqlite("report-errors");
    let (code, _, stderr) = report(&db.url, &["--since", "last week"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("7d, 12h, 30m or 2026-11-01"), "{stderr}");
    let (code, _, stderr) = report(&db.url, &["--since", "0d"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("an empty window"), "{stderr}");
    assert!(!stderr.contains("not a duration"), "{stderr}");
    let (code, _, stderr) = report(&db.url, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("there is no question log at"), "{stderr}");
    assert!(stderr.contains("creates it on first start"), "{stderr}");
    // Nothing listens on the discard port: a database that is down.
    let (code, _, stderr) = report("postgres://qabot:hunter2@127.0.0.1:9/qabot", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot connect"), "{stderr}");
    assert!(
        stderr.contains("hint: check that the database is running"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    let (code, _, stderr) = report("mysql://u:hunter2@h/db", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_together_share_one_log() {
    for db in TestDb::all("shared").await {
        // Two bots, each with its own Bot API, one database: both create
        // the schema at the same moment.
        let apis = [FakeApi::start(TOKEN).await, FakeApi::start(TOKEN).await];
        let bots: Vec<BotProcess> = apis
            .iter()
            .map(|api| {
                BotProcess::spawn(
                    &api.url,
                    &bot_config(""),
                    &[
                        ("QABOT_DATABASE_URL", db.url.as_str()),
                        // Instances sharing a log share its key.
                        (KEY_VAR, TEST_KEY),
                    ],
                )
            })
            .collect();
        let mut expected = Vec::new();
        for (i, api) in apis.iter().enumerate() {
            api.wait_calls("getUpdates", 1).await;
            expected
                .extend(ask_many(api, &format!("instance {i}"), 5, Duration::from_secs(3)).await);
        }
        let reader = Store::lazy(&url(&db), test_key()).unwrap();
        let mut rows = wait_rows(&reader, expected.len(), Duration::from_secs(10)).await;
        rows.sort();
        expected.sort();
        assert_eq!(rows, expected, "{}", db.label);
        assert_eq!(reader.schema_version().await.unwrap(), latest_version());
        let people: std::collections::HashSet<_> = reader
            .questions_since(0)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|r| r.user_hash)
            .collect();
        // `ask_many` uses the same five users on both: one key, one hash each.
        assert_eq!(people.len(), 5, "{}", db.label);
        for bot in bots {
            let log = bot.stop().await;
            let warnings = events(&log)
                .into_iter()
                .filter(|e| e["level"] == "WARN" || e["level"] == "ERROR")
                .count();
            assert_eq!(warnings, 0, "{}:\n{log}", db.label);
        }
        reader.close().await;
    }
}

// ---- votes and picks that do not count ------------------------------------------

fn pick(question: i64, picker: i64, entry: &str) -> Event {
    Event::Picked {
        question: QuestionId(question),
        picker: picker as u64,
        entry: entry.into(),
        at: 1_800_000_000,
    }
}

#[tokio::test]
async fn forged_votes_and_picks_are_left_out() {
    for db in TestDb::all("forged").await {
        let store = prepared(&db).await;
        let t = 1_800_000_000;
        let declined = "who is the mayor of seoul";
        store
            .write(&[
                // suggestions: step-1, rd-budget
                Event::Asked(asked(1, t, "tell me about scientists", "suggest")),
                Event::Asked(asked(2, t, declined, "decline")),
                Event::Asked(asked(3, t, "what is step 2", "answer")),
            ])
            .await
            .unwrap();
        store
            .write(&[
                // Questions that are not in the log.
                vote(999, USER, Vote::Up),
                pick(999, USER, "step-1"),
                // Someone else's declined question, which would otherwise
                // be proposed for step-2 in the report; and the asker's own,
                // which suggested nothing.
                pick(2, OTHER_USER, "step-2"),
                pick(2, USER, "step-2"),
                // Someone else's suggestion.
                pick(1, OTHER_USER, "step-1"),
                // Entries that were not suggested, however they are spelt.
                pick(1, USER, "step-3"),
                pick(1, USER, "step"),
                pick(1, USER, "step-1,rd-budget"),
                pick(1, USER, ""),
                // The asker changes their mind: one pick, the last.
                pick(1, USER, "step-1"),
                pick(1, USER, "rd-budget"),
                // One vote per person, the last.
                vote(3, USER, Vote::Up),
                vote(3, USER, Vote::Down),
                vote(3, OTHER_USER, Vote::Down),
                vote(3, OTHER_USER, Vote::Down),
                // A question and a pick on it in one batch: written in order.
                Event::Asked(asked(4, t, "how are young researchers hired", "suggest")),
                pick(4, USER, "step-1"),
            ])
            .await
            .unwrap();
        let rows = store.questions_since(0).await.unwrap();
        let row = |id: i64| rows.iter().find(|r| r.id == QuestionId(id)).unwrap();
        assert_eq!(row(1).picked, ["rd-budget"], "{}", db.label);
        assert!(
            row(2).picked.is_empty(),
            "{}: {:?}",
            db.label,
            row(2).picked
        );
        assert_eq!((row(3).votes_up, row(3).votes_down), (0, 2), "{}", db.label);
        assert_eq!(row(4).picked, ["step-1"], "{}", db.label);
        let mut conn = raw_connection(&db).await;
        for (table, rows) in [("picks", 2), ("votes", 2)] {
            let count: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) AS n FROM {table}"
            )))
            .fetch_one(&mut conn)
            .await
            .and_then(|r| sqlx::Row::try_get(&r, "n"))
            .unwrap();
            assert_eq!(count, rows, "{}: {table}", db.label);
        }
        conn.close().await.unwrap();
        // The report proposes the asker's own pick, and nothing for the
        // declined question.
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let report = qabot::report::Report::build(&rows, &kb, &matcher, 0, t + 1);
        let proposed: Vec<(&str, &str)> = report
            .pairings
            .iter()
            .flat_map(|p| {
                p.questions
                    .iter()
                    .map(move |q| (p.entry.as_str(), q.question.as_str()))
            })
            .collect();
        assert!(
            !proposed.iter().any(|(_, q)| *q == declined),
            "{}: {proposed:?}",
            db.label
        );
        assert!(
            proposed.contains(&("rd-budget", "tell me about scientists")),
            "{proposed:?}"
        );
        store.close().await;
    }
}

// ---- privacy: what a copy of the database gives away ----------------------------

/// Ids a brute force tries: user ids are small integers, handed out in order.
const GUESSES: i64 = 100_000;

/// Every hash and every text in `qabot_meta` the database behind `conn`
/// holds.
async fn stored(conn: &mut sqlx::AnyConnection) -> (HashSet<String>, Vec<String>) {
    let mut hashes = HashSet::new();
    for statement in [
        "SELECT user_hash AS h FROM questions WHERE user_hash IS NOT NULL",
        "SELECT chat_hash AS h FROM questions WHERE chat_hash IS NOT NULL",
        "SELECT voter_hash AS h FROM votes",
        "SELECT picker_hash AS h FROM picks",
    ] {
        // Version 1's picks have no picker.
        let Ok(rows) = sqlx::query(statement).fetch_all(&mut *conn).await else {
            continue;
        };
        hashes.extend(
            rows.iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, "h").unwrap()),
        );
    }
    let meta = sqlx::query("SELECT key, value FROM qabot_meta")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .flat_map(|r| {
            [
                sqlx::Row::try_get::<String, _>(r, "key").unwrap(),
                sqlx::Row::try_get::<String, _>(r, "value").unwrap(),
            ]
        })
        .collect();
    (hashes, meta)
}

fn hex16(digest: &[u8]) -> String {
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash schema version 1 stored: SHA-256 of the salt, the kind and the id.
fn legacy_hash(salt: &str, kind: &str, id: i64) -> String {
    hex16(
        &Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update([0])
            .chain_update(kind.as_bytes())
            .chain_update([0])
            .chain_update(id.to_string().as_bytes())
            .finalize(),
    )
}

/// The (kind, id) pairs that a brute force over ids 1..=[`GUESSES`], as
/// users and as chats, finds among `hashes`, trying every construction one
/// could build from `found` (texts read from the database, as salts or
/// keys) or from nothing: SHA-256 of the id, of the kind and id, of each
/// text, kind and id, and HMAC-SHA-256 under each text (and the empty key).
fn brute_force(hashes: &HashSet<String>, found: &[String]) -> BTreeSet<(&'static str, i64)> {
    // Compared as bytes: formatting millions of guesses as hex would be
    // most of the work.
    let targets: HashSet<[u8; 16]> = hashes
        .iter()
        .filter_map(|h| {
            let bytes: Vec<u8> = (0..h.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
                .collect();
            bytes.try_into().ok()
        })
        .collect();
    assert_eq!(targets.len(), hashes.len(), "hashes are 32 hex digits");
    let hit = |digest: &[u8]| targets.contains(&<[u8; 16]>::try_from(&digest[..16]).unwrap());
    let mut keys: Vec<&[u8]> = vec![b""];
    keys.extend(found.iter().map(|s| s.as_bytes()));
    let macs: Vec<Hmac<Sha256>> = keys
        .iter()
        .map(|k| <Hmac<Sha256> as KeyInit>::new_from_slice(k).unwrap())
        .collect();
    let mut recovered = BTreeSet::new();
    let mut message = Vec::with_capacity(32);
    for id in 1..=GUESSES {
        let id_text = id.to_string();
        let bare = hit(&Sha256::digest(id_text.as_bytes()));
        for kind in ["user", "chat"] {
            message.clear();
            message.extend_from_slice(kind.as_bytes());
            message.push(0);
            message.extend_from_slice(id_text.as_bytes());
            let mut found = bare || hit(&Sha256::digest(&message));
            for key in &keys {
                let salted = Sha256::new()
                    .chain_update(key)
                    .chain_update([0])
                    .chain_update(&message)
                    .finalize();
                found = found || hit(&salted);
            }
            for mac in &macs {
                let mut mac = mac.clone();
                mac.update(&message);
                found = found || hit(&mac.finalize().into_bytes());
            }
            if found {
                recovered.insert((kind, id));
            }
        }
    }
    recovered
}

/// The files of a SQLite database: the file, its WAL and shared memory.
fn sqlite_files(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", path.display())))
        .collect()
}

/// A test's own folder under the temporary directory.
fn scratch_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("qabot-{name}-{}", std::process::id()))
}

/// [`scratch_path`], made empty.
fn scratch(name: &str) -> PathBuf {
    let dir = scratch_path(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_copy_alone_recovers_no_id() {
    for db in TestDb::all("copy").await {
        let keys = scratch(&format!("copy-keys-{}", db.label));
        let source = KeySource::File(keys.join("qabot-log.key"));
        let store = Store::lazy(&url(&db), source.clone()).unwrap();
        store.prepare().await.unwrap();
        // Users 1..=40 ask in their private chats (chat id = user id), ten
        // of them in a group too; users 41..=50 vote; the askers pick.
        let t = 1_800_000_000;
        let mut events = Vec::new();
        for user in 1..=40 {
            let mut a = asked(user, t, "tell me about scientists", "suggest");
            a.user = Some(user as u64);
            a.chat = Some(if user <= 10 { GROUP } else { user });
            events.push(Event::Asked(a));
            events.push(pick(user, user, "step-1"));
        }
        for voter in 41..=50 {
            events.push(vote(1, voter, Vote::Up));
        }
        store.write(&events).await.unwrap();
        store.close().await;

        let mut copy = match db.sqlite_path() {
            Some(path) => {
                let dir = scratch(&format!("copy-{}", db.label));
                for file in sqlite_files(&path).iter().filter(|f| f.exists()) {
                    std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
                }
                let copied = dir.join(path.file_name().unwrap());
                // The key is nowhere in the files.
                let key = std::fs::read_to_string(keys.join("qabot-log.key")).unwrap();
                for file in sqlite_files(&copied).iter().filter(|f| f.exists()) {
                    let bytes = std::fs::read(file).unwrap();
                    assert!(
                        !bytes
                            .windows(key.trim().len())
                            .any(|w| w == key.trim().as_bytes()),
                        "the key is in {}",
                        file.display()
                    );
                }
                sqlx::AnyConnection::connect(&format!("sqlite://{}", copied.display()))
                    .await
                    .unwrap()
            }
            // What a dump of the database holds: everything in it.
            None => raw_connection(&db).await,
        };
        let (hashes, meta) = stored(&mut copy).await;
        copy.close().await.unwrap();
        let _ = std::fs::remove_dir_all(scratch_path(&format!("copy-{}", db.label)));
        assert_eq!(
            hashes.len(),
            40 + 31 + 10,
            "{}: users, chats, voters",
            db.label
        );
        let recovered = brute_force(&hashes, &meta);
        assert!(recovered.is_empty(), "{}: {recovered:?}", db.label);

        // The control: with the key, the same search finds every id, so
        // the one above would have found them too had they been there.
        let (key, _) = Key::load(&source).unwrap();
        let mut with_key = BTreeSet::new();
        for id in 1..=GUESSES {
            for kind in ["user", "chat"] {
                if hashes.contains(&key.hash(kind, id)) {
                    with_key.insert((kind, id));
                }
            }
        }
        let expected: BTreeSet<_> = (1..=50)
            .map(|u| ("user", u))
            .chain((11..=40).map(|c| ("chat", c)))
            .collect();
        assert_eq!(with_key, expected, "{}", db.label);
        assert!(hashes.contains(&key.hash("chat", GROUP)));
        let _ = std::fs::remove_dir_all(&keys);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_1_log_gets_keyed_hashes_and_loses_its_salt() {
    use qabot::question_log::store::MIGRATIONS;
    const SALT: &str = "5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17c0ffee5a17";
    for db in TestDb::all("migrate").await {
        // A log as qabot with schema version 1 left it.
        if let Some(path) = db.sqlite_path() {
            std::fs::File::create(path).unwrap();
        }
        let mut conn = raw_connection(&db).await;
        conn.execute(
            "CREATE TABLE qabot_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await
        .unwrap();
        for statement in MIGRATIONS[0].1 {
            conn.execute(*statement).await.unwrap();
        }
        let t = 1_800_000_000_i64;
        let user = |id: i64| legacy_hash(SALT, "user", id);
        let chat = |id: i64| legacy_hash(SALT, "chat", id);
        let mut statements = vec![
            "INSERT INTO qabot_schema (version, applied_at) VALUES (1, 0)".to_owned(),
            format!("INSERT INTO qabot_meta (key, value) VALUES ('salt', '{SALT}')"),
        ];
        for (id, kind, decision, suggestions, u, c) in [
            (
                1,
                "private",
                "suggest",
                "step-1,rd-budget",
                user(1),
                chat(1),
            ),
            (2, "private", "answer", "", user(1), chat(1)),
            (3, "group", "decline", "", user(2), chat(-500)),
            (4, "inline", "answer", "", user(3), chat(3)),
        ] {
            statements.push(format!(
                "INSERT INTO questions (id, asked_at, chat_kind, lang, question, decision, suggestions, user_hash, chat_hash)
                 VALUES ({id}, {t}, '{kind}', 'en', 'question {id}', '{decision}', '{suggestions}', '{u}', '{c}')"
            ));
        }
        for (question, entry, at) in [
            (1, "step-1", t + 1),
            (1, "rd-budget", t + 2),
            // Forged: a declined question's, and one not in the log.
            (3, "step-2", t),
            (999, "step-1", t),
            (4, "step-3", t),
        ] {
            statements.push(format!(
                "INSERT INTO picks (question_id, entry, picked_at) VALUES ({question}, '{entry}', {at})"
            ));
        }
        for (question, voter, vote) in [(2, 1, 1), (2, 2, -1), (999, 3, 1)] {
            statements.push(format!(
                "INSERT INTO votes (question_id, voter_hash, vote, voted_at) VALUES ({question}, '{}', {vote}, {t})",
                user(voter)
            ));
        }
        for statement in statements {
            conn.execute(sqlx::AssertSqlSafe(statement)).await.unwrap();
        }
        // What the salt in the database gave away: every id, to anyone
        // who tries them all under it.
        let (hashes, meta) = stored(&mut conn).await;
        assert!(meta.contains(&SALT.to_owned()));
        let before: BTreeSet<(&str, i64)> = (1..=GUESSES)
            .flat_map(|id| [("user", id), ("chat", id)])
            .filter(|&(kind, id)| hashes.contains(&legacy_hash(SALT, kind, id)))
            .collect();
        assert_eq!(
            before,
            BTreeSet::from([
                ("user", 1),
                ("user", 2),
                ("user", 3),
                ("chat", 1),
                ("chat", 3)
            ]),
            "{}",
            db.label
        );
        conn.close().await.unwrap();

        let keys = scratch(&format!("migrate-keys-{}", db.label));
        let key_file = keys.join("qabot-log.key");
        let store = Store::lazy(&url(&db), KeySource::File(key_file.clone())).unwrap();
        store.prepare().await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), latest_version());
        let key = std::fs::read_to_string(&key_file).unwrap();
        assert_ne!(key.trim(), SALT, "a new key, not the salt");
        #[cfg(unix)]
        assert_eq!(mode(&key_file), 0o600);

        let rows = store.questions_since(0).await.unwrap();
        let row = |id: i64| rows.iter().find(|r| r.id == QuestionId(id)).unwrap();
        // One person's rows still share one hash, now a keyed one.
        assert_eq!(row(1).user_hash, row(2).user_hash, "{}", db.label);
        assert_ne!(row(1).user_hash, row(3).user_hash);
        assert_ne!(row(1).user_hash.as_deref(), Some(user(1).as_str()));
        assert_eq!(row(1).picked, ["rd-budget"], "{}: the latest", db.label);
        assert!(row(3).picked.is_empty(), "{}: forged", db.label);
        assert_eq!(row(4).picked, ["step-3"], "{}: an inline result", db.label);
        assert_eq!((row(2).votes_up, row(2).votes_down), (1, 1));

        let mut conn = raw_connection(&db).await;
        let (hashes, meta) = stored(&mut conn).await;
        assert!(meta.is_empty(), "{}: {meta:?}", db.label);
        let orphans: i64 = sqlx::query("SELECT COUNT(*) AS n FROM votes")
            .fetch_one(&mut conn)
            .await
            .and_then(|r| sqlx::Row::try_get(&r, "n"))
            .unwrap();
        assert_eq!(orphans, 2, "{}: the vote on no question is gone", db.label);
        conn.close().await.unwrap();
        // Neither the copy alone, nor the copy with the old salt (from an
        // older backup, say) gives any id away.
        let after = brute_force(&hashes, &[SALT.to_owned()]);
        assert!(after.is_empty(), "{}: {after:?}", db.label);
        // Nor do the SQLite files hold the salt or an old hash in free
        // space or in the WAL.
        if let Some(path) = db.sqlite_path() {
            for file in sqlite_files(&path).iter().filter(|f| f.exists()) {
                let bytes = std::fs::read(file).unwrap();
                for old in [SALT.to_owned(), user(1), user(2), chat(-500)] {
                    assert!(
                        !bytes.windows(old.len()).any(|w| w == old.as_bytes()),
                        "{old} is still in {}",
                        file.display()
                    );
                }
            }
        }
        // The old hashes cannot be turned into new ones (that takes the
        // ids): a person who asks again counts as someone new.
        store
            .write(&[Event::Asked(Asked {
                user: Some(1),
                ..asked(5, t + 10, "question 5", "answer")
            })])
            .await
            .unwrap();
        let rows = store.questions_since(0).await.unwrap();
        let again = rows.iter().find(|r| r.id == QuestionId(5)).unwrap();
        assert_ne!(again.user_hash, row(1).user_hash);
        store.close().await;
        let _ = std::fs::remove_dir_all(&keys);
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_files_and_the_key_are_private_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let database = dir.join("private/log/questions.sqlite");
    let key_file = dir.join("keys/qabot-log.key");
    let config = bot_config(&format!(
        "database_url = \"sqlite:{}\"\nkey_file = \"{}\"\n",
        database.display(),
        key_file.display()
    ));
    sqlx::any::install_default_drivers();
    let count_rows = || async {
        let mut conn = sqlx::AnyConnection::connect(&format!("sqlite://{}", database.display()))
            .await
            .unwrap();
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM questions")
            .fetch_one(&mut conn)
            .await
            .and_then(|r| sqlx::Row::try_get(&r, "n"))
            .unwrap_or(0);
        conn.close().await.unwrap();
        n
    };
    let api = FakeApi::start(TOKEN).await;
    let bot = BotProcess::spawn_with_umask(&api.url, &config, &[], 0o022);
    api.wait_calls("getUpdates", 1).await;
    ask_many(&api, "modes", 2, Duration::from_secs(3)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while count_rows().await < 2 {
        assert!(Instant::now() < deadline, "questions not written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let files = sqlite_files(&database);
    for (path, expected) in [
        (dir.clone(), 0o755),
        (dir.join("private"), 0o700),
        (dir.join("private/log"), 0o700),
        (files[0].clone(), 0o600),
        (files[1].clone(), 0o600),
        (files[2].clone(), 0o600),
        (dir.join("keys"), 0o700),
        (key_file.clone(), 0o600),
    ] {
        assert_eq!(
            mode(&path),
            expected,
            "{}; log:\n{}",
            path.display(),
            bot.log()
        );
    }
    const TIGHTENED: &str = "question log: others could read the database";
    let log = bot.stop().await;
    // Made private, not made open and tightened after.
    assert_eq!(count_logged(&log, TIGHTENED), 0, "{log}");
    // The new key is announced (where it is, never what it is), once.
    const MADE: &str = "question log: made a new key";
    assert_eq!(count_logged(&log, MADE), 1, "{log}");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(!log.contains(key.trim()), "{log}");

    // A database file left open to others (by an older qabot) is tightened
    // at start, with one warning.
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let bot = BotProcess::spawn_with_umask(&api.url, &config, &[], 0o022);
    api.wait_calls("getUpdates", 1).await;
    wait_logged(&bot, TIGHTENED, Duration::from_secs(10)).await;
    assert_eq!(mode(&database), 0o600);
    let log = bot.stop().await;
    assert_eq!(count_logged(&log, TIGHTENED), 1, "{log}");
    assert_eq!(count_logged(&log, MADE), 0, "the same key: {log}");
    assert!(log.contains("(was 0644)"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_given_as_a_query_parameter_is_never_shown() {
    const PASSWORD: &str = "QueryOnlyPassw0rd";
    const SSL_PASSWORD: &str = "SslOnlyPassw0rd";
    // Nothing listens on the discard port: the database is down throughout.
    let db_url = format!(
        "postgres://qabot@127.0.0.1:9/qabot?sslmode=disable&password={PASSWORD}&sslpassword={SSL_PASSWORD}"
    );
    let leaks = |text: &str| text.contains(PASSWORD) || text.contains(SSL_PASSWORD);
    let api = FakeApi::start(TOKEN).await;
    let config = format!(
        "[bot]\nthrottle = false\npoll_timeout_secs = 1\nrequest_timeout_ms = 1500\nretry_first_ms = 20\nretry_max_ms = 100\nadmins = [{ADMIN}]\n"
    );
    let bot = BotProcess::spawn(&api.url, &config, &[("QABOT_DATABASE_URL", &db_url)]);
    api.wait_calls("getUpdates", 1).await;
    ask_many(&api, "down", 1, Duration::from_secs(3)).await;
    wait_logged(&bot, UNAVAILABLE, Duration::from_secs(15)).await;
    let stats = say(&api, ADMIN, tg::user(ADMIN, "en"), "/stats").await;
    let stats = stats["text"].as_str().unwrap();
    assert!(stats.contains("password=***"), "{stats}");
    assert!(!leaks(stats), "/stats: {stats}");
    let log = bot.stop().await;
    assert!(log.contains("password=***"), "{log}");
    assert!(!leaks(&log), "the log: {log}");
    let (code, _, stderr) = report(&db_url, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("password=***"), "{stderr}");
    assert!(!leaks(&stderr), "qabot report: {stderr}");
    let parsed = DatabaseUrl::parse(&db_url, Path::new(".")).unwrap();
    assert!(!leaks(&format!("{parsed} {parsed:?}")));
}

// ---- what is stored of a question ------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_question_is_stored_cut_to_max_question_chars() {
    let db = TestDb::sqlite("long");
    let api = FakeApi::start(TOKEN).await;
    let log = open_log(&db);
    let running = start_bot(&api, log.clone()).await;
    let max = MatcherConfig::default().max_question_chars;
    let long = "가".repeat(3 * max);
    say(&api, USER, tg::user(USER, "ko"), &long).await;
    let inline = format!("third step {}", "x".repeat(2 * max));
    api.push(json!({"chosen_inline_result": {
        "result_id": "step-3", "from": tg::user(OTHER_USER, "en"), "query": inline
    }}));
    let rows = logged_at_least(&log, 2).await;
    let mut stored: Vec<&str> = rows.iter().map(|r| r.question.as_str()).collect();
    stored.sort_unstable();
    let expected_inline: String = inline.chars().take(max).collect();
    assert_eq!(stored, [expected_inline.as_str(), &long[..3 * max]]);
    running.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_others_may_read_or_too_short_stops_the_start_with_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("bad-key");
    let key_file = dir.join("qabot-log.key");
    std::fs::write(&key_file, format!("{TEST_KEY}\n")).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let config = bot_config(&format!(
        "database_url = \"sqlite:{}\"\nkey_file = \"{}\"\n",
        dir.join("questions.sqlite").display(),
        key_file.display()
    ));
    let api = FakeApi::start(TOKEN).await;
    for (env, says) in [
        (vec![], format!("{} has mode 0644", key_file.display())),
        (
            vec![(KEY_VAR, "too short")],
            format!("the key in {KEY_VAR} holds 9 characters"),
        ),
    ] {
        let mut bot = BotProcess::spawn(&api.url, &config, &env);
        let code = bot.exit_code(Duration::from_secs(15)).await;
        let log = bot.log();
        assert_eq!(code, Some(2), "{log}");
        assert!(log.contains(&says), "{says}: {log}");
        assert!(!log.contains("too short"), "the key is not shown: {log}");
    }
    assert!(api.calls_to("getUpdates").is_empty(), "it never started");
    let _ = std::fs::remove_dir_all(&dir);
}

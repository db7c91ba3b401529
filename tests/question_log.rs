//! The question log (issue 5), against SQLite and PostgreSQL alike
//! (`db`): the schema and its migrations, what is stored (and that user
//! and chat ids are not), votes that replace each other, retention; the
//! real dispatcher recording questions, picks and votes through the fake
//! Bot API; `/stats`; the real binary answering every question through a
//! database outage, warning once; and `qabot report` on a seeded log.

mod bot_process;
mod db;
mod fake_api;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bot_process::{BotProcess, TOKEN, events};
use db::{Proxy, TestDb};
use fake_api::{FakeApi, buttons, tg};
use qabot::bot;
use qabot::config::BotConfig;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};
use qabot::question_log::store::latest_version;
use qabot::question_log::{
    Asked, DatabaseUrl, Event, LogError, LoggedQuestion, QuestionId, QuestionLog, Settings, Store,
    Vote,
};
use serde_json::{Value, json};
use sqlx::Connection;

const USER: i64 = 4242;
const OTHER_USER: i64 = 7373;
const ADMIN: i64 = 99;
const GROUP: i64 = -5151;

fn url(db: &TestDb) -> DatabaseUrl {
    DatabaseUrl::parse(&db.url, Path::new(".")).expect("a test URL parses")
}

fn asked(id: i64, at: i64, question: &str, decision: &'static str) -> Asked {
    Asked {
        id: QuestionId(id),
        at,
        chat_kind: "private",
        user_language: Some("ko".into()),
        lang: "en",
        question: question.into(),
        decision,
        entry: (decision == "answer").then(|| "step-2".into()),
        score: (decision == "answer").then_some(0.75),
        suggestions: if decision == "suggest" {
            vec!["step-1".into(), "rd-budget".into()]
        } else {
            Vec::new()
        },
        user: Some(USER as u64),
        chat: Some(GROUP),
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
        let store = Store::lazy(&url(&db), None).unwrap();
        assert_eq!(store.schema_version().await.unwrap(), 0, "{}", db.label);
        store.prepare().await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), latest_version());
        // A second instance on the same database finds it in place.
        let second = Store::lazy(&url(&db), None).unwrap();
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
        let newer = Store::lazy(&url(&db), None).unwrap();
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

/// A connection of the test's own to the database, beside the bot's.
async fn raw_connection(db: &TestDb) -> sqlx::AnyConnection {
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
        let store = Store::lazy(&url(&db), None).unwrap();
        store.prepare().await.unwrap();
        let t = 1_800_000_000;
        store
            .write(&[
                Event::Asked(asked(1, t, "what is step 2", "answer")),
                Event::Asked(asked(2, t + 5, "tell me about scientists", "suggest")),
                Event::Picked {
                    question: QuestionId(2),
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
        assert_eq!(first.decision, "answer");
        assert_eq!(first.entry.as_deref(), Some("step-2"));
        assert_eq!(first.score, Some(0.75));
        assert_eq!(first.user_language.as_deref(), Some("ko"));
        assert_eq!(first.chat_kind, "private");
        let second = &rows[1];
        assert_eq!(second.suggestions, ["step-1", "rd-budget"]);
        assert_eq!(second.picked, ["rd-budget"]);
        assert_eq!(store.questions_since(t + 1).await.unwrap().len(), 1);

        // No id in the clear anywhere; the same user hashes the same way
        // after a restart (the salt is kept in the database).
        let hash = first.user_hash.clone().expect("a user hash");
        assert_eq!(hash.len(), 32);
        let mut conn = raw_connection(&db).await;
        for (table, columns) in [
            (
                "questions",
                "CAST(id AS TEXT) || ' ' || COALESCE(user_hash, '') || ' ' || COALESCE(chat_hash, '') || ' ' || question",
            ),
            ("votes", "voter_hash"),
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
        let reopened = Store::lazy(&url(&db), None).unwrap();
        reopened.prepare().await.unwrap();
        reopened
            .write(&[Event::Asked(asked(3, t + 20, "hi", "smalltalk"))])
            .await
            .unwrap();
        let rows = reopened.questions_since(t).await.unwrap();
        assert_eq!(rows[2].user_hash.as_deref(), Some(hash.as_str()));
        // A salt from the environment gives other hashes.
        let salted = Store::lazy(&url(&db), Some("another salt".into())).unwrap();
        salted.prepare().await.unwrap();
        salted
            .write(&[Event::Asked(asked(4, t + 30, "hello", "smalltalk"))])
            .await
            .unwrap();
        let rows = salted.questions_since(t).await.unwrap();
        assert_ne!(rows[3].user_hash.as_deref(), Some(hash.as_str()));
        reopened.close().await;
        salted.close().await;
    }
}

#[tokio::test]
async fn rows_past_the_retention_are_deleted_with_their_votes_and_picks() {
    for db in TestDb::all("retention").await {
        let store = Store::lazy(&url(&db), None).unwrap();
        store.prepare().await.unwrap();
        let now = qabot::question_log::now();
        let old = now - 100 * 86_400;
        store
            .write(&[
                Event::Asked(asked(1, old, "old question", "suggest")),
                Event::Picked {
                    question: QuestionId(1),
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
    shutdown: teloxide::dispatching::ShutdownToken,
    task: tokio::task::JoinHandle<Result<(), bot::StartError>>,
}

async fn start_bot(api: &FakeApi, log: QuestionLog) -> Running {
    let config = BotConfig {
        throttle: false,
        poll_timeout_secs: 1,
        retry_first_ms: 20,
        retry_max_ms: 100,
        admins: vec![ADMIN as u64],
        ..BotConfig::default()
    };
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let tg = bot::bot(TOKEN, Some(&api.url), None, &config).unwrap();
    let service = bot::start_with(
        tg,
        Arc::new(kb),
        Arc::new(matcher),
        Arc::new(config),
        None,
        log,
    )
    .await
    .expect("the bot starts against the fake");
    Running {
        shutdown: service.shutdown_token(),
        task: tokio::spawn(service.run()),
    }
}

impl Running {
    async fn stop(self) {
        while self.shutdown.shutdown().is_err() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.task.await.unwrap().unwrap();
    }
}

fn open_log(db: &TestDb) -> QuestionLog {
    QuestionLog::open(Settings {
        url: url(db),
        retention_days: 90,
        buffer: 1000,
        salt: None,
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
                .any(|(_, d)| d == &format!("v:{feedback_question}:u:en")),
            "{shown}"
        );

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

        let rows = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                assert!(log.flush(Duration::from_secs(10)).await);
                let rows = log.questions_since(0).await.unwrap();
                if rows.len() >= 6 {
                    break rows;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("six questions logged");
        assert_eq!(rows.len(), 6, "{}: {rows:#?}", db.label);
        let find = |q: &str| rows.iter().find(|r| r.question == q).unwrap();
        let step2 = find("what is step 2");
        assert_eq!(
            (step2.decision.as_str(), step2.entry.as_deref()),
            ("answer", Some("step-2"))
        );
        assert_eq!((step2.votes_up, step2.votes_down), (0, 2), "{}", db.label);
        assert_eq!(step2.user_language.as_deref(), Some("ko"));
        assert_eq!(step2.chat_kind, "private");
        let unsure = find("tell me about scientists");
        assert_eq!(unsure.decision, "suggest");
        assert!(unsure.suggestions.len() >= 2);
        assert_eq!(unsure.picked, [picked_entry]);
        assert_eq!(find("what is step 1").chat_kind, "group");
        assert_eq!(find("hello").decision, "smalltalk");
        assert_eq!(find("what is the weather in Busan").decision, "decline");
        let inline = find("third step");
        assert_eq!(inline.chat_kind, "inline");
        assert_eq!(inline.picked, ["step-3"]);
        let people: std::collections::HashSet<_> =
            rows.iter().filter_map(|r| r.user_hash.clone()).collect();
        assert_eq!(people.len(), 2, "two users, counted by hash");
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
        let reader = Store::lazy(&url(&db), None).unwrap();
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
        // Nothing else warned about the database (sqlx's own lines included).
        let all = events(&log);
        let other: Vec<&Value> = all
            .iter()
            .filter(|e| e["level"] == "WARN" || e["level"] == "ERROR")
            .filter(|e| !e["message"].as_str().unwrap_or("").starts_with(UNAVAILABLE))
            .collect();
        assert!(other.is_empty(), "{}: {other:#?}", db.label);
        assert_eq!(api.sent().len(), expected.len(), "one reply per question");
        if let Some(password) = url(&db).password() {
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
    let store = Store::lazy(&url(db), None).unwrap();
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
        a.lang = if q.chars().any(|c| ('가'..='힣').contains(&c)) {
            "ko"
        } else {
            "en"
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
        .env_remove("QABOT_LOG_SALT")
        .output()
        .unwrap();
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
            .find("# knowledge.toml, add to [[entries]] id = \"step-2\", questions = [ … ]")
            .expect(&text);
        assert!(
            text[snippet..].contains("\"how do we keep young researchers\",\n"),
            "{text}"
        );
    }
}

#[test]
fn report_errors_say_what_to_do_and_exit_2() {
    let db = TestDb::sqlite("report-errors");
    let (code, _, stderr) = report(&db.url, &["--since", "last week"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("7d, 12h, 30m or 2026-11-01"), "{stderr}");
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
                    &[("QABOT_DATABASE_URL", db.url.as_str())],
                )
            })
            .collect();
        let mut expected = Vec::new();
        for (i, api) in apis.iter().enumerate() {
            api.wait_calls("getUpdates", 1).await;
            expected
                .extend(ask_many(api, &format!("instance {i}"), 5, Duration::from_secs(3)).await);
        }
        let reader = Store::lazy(&url(&db), None).unwrap();
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
        // `ask_many` uses the same five users on both: one salt, one hash each.
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

//! Conversation contexts kept in the question log's database (issue 10),
//! against PostgreSQL (what several instances share; required in CI) and
//! SQLite alike (`db`): a context saved through one store is loaded
//! through a second with its own pool, as by a second instance; expiry and
//! capacity as in memory; a database that refuses is no context, never a
//! panic, and one that comes back is used again; and the table holds keyed
//! hashes, never a conversation's key.

use crate::db;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use db::{Proxy, TEST_KEY, TestDb, test_key};
use qabot::conversation::Context;
use qabot::conversation::store::database::stored_key;
use qabot::conversation::store::{
    ContextStore, Contexts, ConversationKey, DatabaseStore, Limits, Moment,
};
use qabot::matcher::Lang;
use qabot::question_log::{DatabaseUrl, Key, Store};
use sqlx::{Connection, Row};

const MINUTE: Duration = Duration::from_secs(60);
/// A moment in 2027, as Unix time.
const T: Moment = Duration::from_secs(1_800_000_000);
/// Only a safety net: the tests wait for each answer, however slow.
const GENEROUS: Duration = Duration::from_secs(60);

/// A store of its own (its own pool), as another instance has.
fn instance(db: &TestDb, limits: Limits) -> DatabaseStore {
    instance_at(&db.url, limits)
}

fn instance_at(url: &str, limits: Limits) -> DatabaseStore {
    let url = DatabaseUrl::parse(url, Path::new(".")).expect("a test URL parses");
    let log = Store::lazy(&url, test_key()).expect("a store");
    DatabaseStore::new(Arc::new(log), limits).with_timeout(GENEROUS)
}

fn key(name: &str) -> ConversationKey {
    ConversationKey(name.to_owned())
}

fn context(last: &str) -> Context {
    Context {
        last: Some(last.to_owned()),
        before: Some("overview".into()),
        choices: vec!["step-3".into(), "rd-budget".into()],
        lang: Some(Lang::Ko),
        subject: Some(last.to_owned()),
        declined: false,
        suggested: true,
    }
}

/// The rows of the table: key hash and context.
async fn rows(db: &TestDb) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    // A URL sqlx takes as it is (the store adds `mode=rwc` to SQLite's).
    let url = match db.sqlite_path() {
        Some(path) => format!("sqlite://{}", path.display()),
        None => db.url.clone(),
    };
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let rows = sqlx::query("SELECT key_hash, context FROM conversation_contexts ORDER BY key_hash")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    rows.iter()
        .map(|r| (r.get("key_hash"), r.get("context")))
        .collect()
}

fn hashed(key: &ConversationKey) -> String {
    let log_key = Key::from_text(TEST_KEY, String::new).unwrap();
    stored_key(&log_key, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_saved_by_one_instance_is_loaded_by_another() {
    for db in TestDb::all("ctxshared").await {
        let (a, b) = (
            instance(&db, Limits::default()),
            instance(&db, Limits::default()),
        );
        let chat = key("chat 4242");
        assert_eq!(b.get(&chat, T).await, None, "{}", db.label);
        a.put(&chat, &context("step-1"), T).await;
        assert_eq!(b.get(&chat, T + MINUTE).await, Some(context("step-1")));
        // The follow-up's context, saved by the second, is the first's too.
        b.put(&chat, &context("step-2"), T + MINUTE).await;
        assert_eq!(a.get(&chat, T + MINUTE).await, Some(context("step-2")));
        assert_eq!(a.get(&key("chat 4243"), T + MINUTE).await, None);
        assert_eq!((a.dropped_saves(), b.dropped_saves()), (0, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_unused_for_the_expiry_is_gone_and_its_row_deleted() {
    for db in TestDb::all("ctxexpiry").await {
        let limits = Limits {
            expiry: MINUTE * 30,
            capacity: 100,
        };
        let (a, b) = (instance(&db, limits), instance(&db, limits));
        a.put(&key("read again"), &context("step-1"), T).await;
        a.put(&key("never read"), &context("step-2"), T).await;
        let label = db.label;
        assert_eq!(
            b.get(&key("read again"), T + MINUTE * 29).await,
            Some(context("step-1")),
            "{label}"
        );
        assert_eq!(b.get(&key("read again"), T + MINUTE * 30).await, None);
        assert_eq!(
            rows(&db).await.len(),
            1,
            "{label}: deleted when found expired"
        );
        // The next trim deletes the one nobody asked for again.
        b.put(&key("new"), &context("step-3"), T + MINUTE * 31)
            .await;
        let left: Vec<String> = rows(&db).await.into_iter().map(|(k, _)| k).collect();
        assert_eq!(left, [hashed(&key("new"))], "{label}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_capacity_the_contexts_used_longest_ago_are_deleted() {
    for db in TestDb::all("ctxcapacity").await {
        let limits = Limits {
            expiry: MINUTE * 30,
            capacity: 2,
        };
        let (a, b) = (instance(&db, limits), instance(&db, limits));
        // A minute apart, so each save trims.
        a.put(&key("a"), &context("step-1"), T + MINUTE).await;
        b.put(&key("b"), &context("step-2"), T + MINUTE * 2).await;
        // Using "a" again makes "b" the oldest.
        a.put(&key("a"), &context("step-3"), T + MINUTE * 3).await;
        b.put(&key("c"), &context("author"), T + MINUTE * 4).await;
        let label = db.label;
        assert_eq!(rows(&db).await.len(), 2, "{label}");
        let now = T + MINUTE * 4;
        assert_eq!(a.get(&key("b"), now).await, None, "{label}");
        assert_eq!(a.get(&key("a"), now).await, Some(context("step-3")));
        assert_eq!(a.get(&key("c"), now).await, Some(context("author")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_refuses_is_no_context_and_saves_are_dropped() {
    // Nothing listens on the discard port.
    let url = DatabaseUrl::parse("postgres://qabot@127.0.0.1:9/qabot", Path::new(".")).unwrap();
    let log = Arc::new(Store::lazy(&url, test_key()).unwrap());
    let contexts = Contexts::Database(DatabaseStore::new(log, Limits::default()));
    for n in 1..=3 {
        let chat = key("chat 4242");
        assert_eq!(contexts.load(&chat, T).await, None);
        contexts.save(chat, context("step-1"), T).await;
        let Contexts::Database(store) = &contexts else {
            unreachable!()
        };
        assert_eq!(store.dropped_saves(), n);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contexts_come_back_with_the_database() {
    let Some(db) = TestDb::postgres("ctxoutage").await else {
        return;
    };
    let proxy = Proxy::start(db.postgres_addr().expect("a server address")).await;
    let (a, b) = (
        instance_at(&db.url_via(proxy.addr), Limits::default()),
        instance(&db, Limits::default()),
    );
    let chat = key("chat 4242");
    b.put(&chat, &context("step-1"), T).await;
    assert_eq!(a.get(&chat, T).await, Some(context("step-1")));
    proxy.take_down();
    assert_eq!(a.get(&chat, T).await, None, "down: no context");
    a.put(&chat, &context("step-2"), T).await;
    assert_eq!(a.dropped_saves(), 1);
    b.put(&chat, &context("step-3"), T).await;
    proxy.bring_back();
    // The next try comes within RETRY_AFTER; until then, no context.
    let deadline = tokio::time::Instant::now() + GENEROUS;
    loop {
        if let Some(found) = a.get(&chat, T).await {
            assert_eq!(found, context("step-3"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(a.dropped_saves(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_holds_keyed_hashes_never_a_conversations_key() {
    for db in TestDb::all("ctxhashes").await {
        let store = instance(&db, Limits::default());
        let (private, member) = (key("4242"), key("chat -5151 / user 7373"));
        store.put(&private, &context("step-1"), T).await;
        store.put(&member, &context("step-2"), T).await;
        let stored = rows(&db).await;
        let mut expected = [hashed(&private), hashed(&member)];
        expected.sort();
        let keys: Vec<&String> = stored.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, expected.iter().collect::<Vec<_>>(), "{}", db.label);
        for (key_hash, context) in &stored {
            assert_eq!(key_hash.len(), 32, "{key_hash}");
            for id in ["4242", "5151", "7373"] {
                assert!(!context.contains(id), "{}: {context}", db.label);
            }
            assert!(key_hash.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert!(!keys.contains(&&private.0) && !keys.contains(&&member.0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_the_contexts_skip_the_write_ahead_log() {
    let Some(db) = TestDb::postgres("ctxunlogged").await else {
        return;
    };
    let store = instance(&db, Limits::default());
    store.put(&key("chat 4242"), &context("step-1"), T).await;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let persistence: String = sqlx::query(
        "SELECT relpersistence::text AS p FROM pg_class WHERE relname = 'conversation_contexts'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap()
    .get("p");
    assert_eq!(persistence, "u", "unlogged");
    conn.close().await.unwrap();
}

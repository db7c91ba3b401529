//! What a conversation's context costs on top of the matcher, with the
//! context kept in memory ([`MemoryStore`]) on the built-in column:
//!
//! - `context/follow-up "and the next one?"`: load the context, answer the
//!   follow-up from it, save the context back, in a store holding 10,000
//!   other conversations;
//! - `context/fresh question with context`: the same round trip for a
//!   complete question ("what is the second step?"), which the matcher
//!   answers as if asked first;
//! - `context/fresh question alone`: `Matcher::decide` on that question,
//!   with no context at all, to compare with;
//! - `context/Conversations::new`: what the Telegram bot adds per message
//!   by building the conversations' reader (the column's reading order)
//!   for the knowledge base in force.
//! - `context/database: follow-up "and the next one?"`: the follow-up's
//!   round trip with the context in PostgreSQL ([`DatabaseStore`], what
//!   instances sharing one database use), holding 10,000 other contexts;
//!   only with [`DATABASE_VAR`] set to a database the bench may create its
//!   table in (`createdb qabot_bench`), else skipped with a note;
//! - `context/database: load alone`: only the load of that round trip.
//!
//! Run with `cargo bench --bench conversation`.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use qabot::conversation::store::{ConversationKey, DatabaseStore, Limits, MemoryStore};
use qabot::conversation::{Context, Conversations};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};
use qabot::question_log::{DatabaseUrl, KeySource, Store, key};

/// The PostgreSQL database the database-backed store is timed on.
const DATABASE_VAR: &str = "QABOT_BENCH_POSTGRES_URL";

fn bench(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded().expect("built-in knowledge base");
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    let store = MemoryStore::new(Limits::default());
    let now = Duration::from_secs(1_000);
    let mut seeded = Context::default();
    talk.answer(&mut seeded, "what is the first step");
    for n in 0..10_000 {
        store.put(ConversationKey(format!("chat {n}")), seeded.clone(), now);
    }
    let key = ConversationKey("chat 42".into());
    let mut group = c.benchmark_group("context");
    for (name, message) in [
        ("follow-up \"and the next one?\"", "and the next one?"),
        ("fresh question with context", "what is the second step?"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                // From step 1 each time, so every iteration does the same work.
                store.put(key.clone(), seeded.clone(), now);
                let mut context = store.get(&key, now).unwrap_or_default();
                let turn = talk.answer(&mut context, black_box(message));
                store.put(key.clone(), context, now);
                black_box(turn)
            })
        });
    }
    group.bench_function("fresh question alone", |b| {
        b.iter(|| black_box(matcher.decide(black_box("what is the second step?"))))
    });
    group.bench_function("Conversations::new", |b| {
        b.iter(|| black_box(Conversations::new(black_box(&kb), &matcher)))
    });
    match std::env::var(DATABASE_VAR).ok().filter(|v| !v.is_empty()) {
        Some(url) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let store = runtime.block_on(database_store(&url, &seeded));
            // The Unix time, as instances sharing a database give it.
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("a clock after 1970");
            let message = "and the next one?";
            group.bench_function("database: follow-up \"and the next one?\"", |b| {
                b.iter(|| {
                    runtime.block_on(async {
                        let mut context = store.get(&key, now).await.unwrap_or_default();
                        let turn = talk.answer(&mut context, black_box(message));
                        // From step 1 each time: the saved context is the seed.
                        store.put(&key, &seeded, now).await;
                        black_box((turn, context))
                    })
                })
            });
            group.bench_function("database: load alone", |b| {
                b.iter(|| runtime.block_on(store.get(black_box(&key), now)))
            });
            assert_eq!(store.dropped_saves(), 0, "the database failed a save");
        }
        None => eprintln!(
            "note: context/database skipped; set {DATABASE_VAR}=postgres://USER:PASSWORD@127.0.0.1/DB, a database the bench may create its table in"
        ),
    }
    group.finish();
}

/// A store in the database at `url`, holding 10,000 contexts besides the
/// one timed ("chat 42", at step 1).
async fn database_store(url: &str, seeded: &Context) -> DatabaseStore {
    let url = DatabaseUrl::parse(url, Path::new(".")).expect("a PostgreSQL URL");
    let log = Store::lazy(
        &url,
        KeySource::Env {
            var: key::KEY_VAR,
            key: "qabot-bench-key-0123456789abcdef0123456789".into(),
        },
    )
    .expect("a store");
    log.prepare().await.expect("the schema in place");
    let store = DatabaseStore::new(Arc::new(log), Limits::default());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970");
    for n in 0..=10_000 {
        store
            .put(&ConversationKey(format!("chat {n}")), seeded, now)
            .await;
    }
    let key = ConversationKey("chat 42".into());
    assert!(
        store.get(&key, now).await.is_some() && store.dropped_saves() == 0,
        "the database did not keep the contexts: see the warning above"
    );
    store
}

criterion_group!(benches, bench);
criterion_main!(benches);

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
//!
//! Run with `cargo bench --bench conversation`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use qabot::conversation::store::{ConversationKey, Limits, MemoryStore};
use qabot::conversation::{Context, Conversations};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};

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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

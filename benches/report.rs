//! How long `qabot report` (and `/stats`) takes to build a report over a
//! log of 500, 1,000 and 2,000 distinct declined questions of 1,000
//! characters each ([`qabot::synthetic::long_questions`]): the worst case,
//! every question to be grouped with the others and ranked by the matcher.
//!
//! - `report-long-declined/N`: `Report::build`, all of it;
//! - `report-grouping/N`: the grouping step alone
//!   (`report::grouping::group`), the part that was quadratic; the rest is
//!   mostly the matcher ranking each question.
//!
//! Run with `cargo bench --bench report`; docs/PERFORMANCE.md records the
//! figures.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};
use qabot::report::{GROUP_SIMILARITY, Report, grouping};
use qabot::synthetic;

const SIZES: [usize; 3] = [500, 1_000, 2_000];
const CHARS: usize = 1_000;
const AT: i64 = 1_800_000_000;

fn benches(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded().expect("the built-in knowledge base loads");
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let mut group = c.benchmark_group("report-long-declined");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for n in SIZES {
        let rows = synthetic::declined_log(&synthetic::long_questions(n, CHARS, 42), AT);
        group.bench_with_input(BenchmarkId::from_parameter(n), &rows, |b, rows| {
            b.iter(|| Report::build(black_box(rows), &kb, &matcher, AT, AT))
        });
    }
    group.finish();

    let mut grouping = c.benchmark_group("report-grouping");
    grouping
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for n in SIZES {
        let questions = synthetic::long_questions(n, CHARS, 42);
        // The keys the report groups by: what the matcher reads.
        let keys: Vec<Vec<u64>> = questions.iter().map(|q| matcher.keys(q)).collect();
        grouping.bench_with_input(BenchmarkId::from_parameter(n), &keys, |b, keys| {
            b.iter(|| {
                let later = Instant::now() + Duration::from_secs(3600);
                grouping::group(black_box(keys), GROUP_SIMILARITY, later)
            })
        });
    }
    grouping.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}

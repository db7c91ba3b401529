//! How the matcher scales with the size of the knowledge base, on
//! generated knowledge bases of 100, 1,000 and 10,000 entries
//! ([`qabot::synthetic`]: deterministic, entries shaped like the real ones,
//! English and Korean).
//!
//! - `scale-build/N`: building the index (`Matcher::new`), paid at start-up;
//! - `scale-decide/N`: `Matcher::decide` over 200 generated questions
//!   (reworded, misspelt, Korean and out-of-scope ones), per batch;
//! - then a table of per-question latency percentiles over 5,000 questions
//!   each, timed one by one, since a tail is what a median hides.
//!
//! Run with `cargo bench --bench scale`; docs/PERFORMANCE.md records the
//! figures.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use qabot::matcher::{Matcher, MatcherConfig};
use qabot::synthetic;

const SIZES: [usize; 3] = [100, 1_000, 10_000];
const SEED: u64 = 42;

fn benches(c: &mut Criterion) {
    let mut build = c.benchmark_group("scale-build");
    build
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for n in SIZES {
        let kb = synthetic::knowledge_base(n, SEED);
        build.bench_with_input(BenchmarkId::from_parameter(n), &kb, |b, kb| {
            b.iter(|| Matcher::new(black_box(kb), MatcherConfig::default()))
        });
    }
    build.finish();

    let mut decide = c.benchmark_group("scale-decide");
    decide
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for n in SIZES {
        let kb = synthetic::knowledge_base(n, SEED);
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let questions = synthetic::questions(&kb, 200, 7);
        decide.bench_with_input(BenchmarkId::from_parameter(n), &questions, |b, qs| {
            b.iter(|| {
                for q in qs {
                    black_box(matcher.decide(black_box(q)));
                }
            })
        });
    }
    decide.finish();
}

/// Per-question latency at each size: p50, p99 and the slowest.
fn percentiles() {
    println!("\nentries | build | p50 | p99 | max (µs, 5,000 questions each)");
    for n in SIZES {
        let kb = synthetic::knowledge_base(n, SEED);
        let start = Instant::now();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let build = start.elapsed();
        let mut micros: Vec<f64> = synthetic::questions(&kb, 5_000, 11)
            .iter()
            .map(|q| {
                let start = Instant::now();
                black_box(matcher.decide(black_box(q)));
                start.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        micros.sort_by(f64::total_cmp);
        let at = |p: f64| micros[((micros.len() as f64 * p) as usize).min(micros.len() - 1)];
        println!(
            "{n} | {:.0} ms | {:.1} | {:.1} | {:.1}",
            build.as_secs_f64() * 1e3,
            at(0.50),
            at(0.99),
            micros[micros.len() - 1]
        );
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    percentiles();
}

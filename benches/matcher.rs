//! How fast the matcher is on the built-in knowledge base (the column).
//!
//! - `decide/<category>: <question>`: `Matcher::decide` on one question, for
//!   a fixed mix taken from `tests/questions/dev.tsv` (English, Korean,
//!   typos, word-order changes, chatter, ordinals, small talk and
//!   out-of-scope), each reported on its own;
//! - `decide/all 20 in turn`: the whole mix once, for one figure across
//!   question kinds (divide by 20 for a mean per question);
//! - `mark/…`: picking out the sentence that answers (precise answering):
//!   `Marker::mark` alone on one entry, as inline mode calls it per result,
//!   and `decide` on a question whose answer has a sentence marked;
//! - `build/Matcher::new`: indexing the embedded knowledge base, paid once at
//!   start-up;
//! - `build/KnowledgeBase::embedded`: parsing and validating it, also once.
//!
//! Run with `cargo bench --bench matcher`. Its last line is the figure the
//! README quotes: the median of the 20 questions' medians. Criterion's own
//! lines print another statistic (the slope of its samples, near the mean),
//! so that one is read back from the medians criterion saved.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkId, Criterion, criterion_group};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};

/// (category, question), verbatim from tests/questions/dev.tsv. Fixed here
/// rather than read from the file so that editing the dev set does not move
/// the figures the README quotes.
const QUESTIONS: [(&str, &str); 20] = [
    ("ordinal", "step 2"),
    ("ordinal", "2단계가 뭐예요"),
    ("paraphrase", "what are the three steps"),
    (
        "paraphrase",
        "what does he suggest about tolerating failed research projects",
    ),
    (
        "paraphrase",
        "what are the three waves of ai he talks about",
    ),
    ("keyword", "baidu alibaba"),
    ("keyword", "yoon seok jin"),
    ("typo", "wat are the thre steps"),
    ("typo", "who rote this colum"),
    ("typo", "chian ai leader why"),
    ("order", "china ai leader how became"),
    ("korean", "세 가지 단계가 뭐야?"),
    ("korean", "AI의 세 가지 물결이 뭔가요?"),
    ("korean", "글쓴이 누구야?"),
    (
        "chatter",
        "omg this article again 🙄 ok fine what are the 3 steps",
    ),
    ("chatter", "ㅎㅎ 이거 누가 쓴 거야?"),
    ("smalltalk", "thanks!"),
    ("out-of-scope", "what's the weather in seoul today"),
    (
        "out-of-scope",
        "how many parameters does deepseek's model have",
    ),
    ("out-of-scope", "삼성전자 주식 사도 돼?"),
];

fn kb() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("the embedded knowledge base is valid")
}

fn decide(c: &mut Criterion) {
    let kb = kb();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let mut group = c.benchmark_group("decide");
    for (category, question) in QUESTIONS {
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{category}: {question}")),
            question,
            |b, q| b.iter(|| matcher.decide(black_box(q))),
        );
    }
    group.bench_function("all 20 in turn", |b| {
        b.iter(|| {
            for (_, q) in QUESTIONS {
                black_box(matcher.decide(black_box(q)));
            }
        })
    });
    group.finish();
}

fn mark(c: &mut Criterion) {
    let kb = kb();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let question = "When was Liang Wenfeng born?";
    let entry = matcher.decide(question).best.expect("an answer").entry;
    let marker = matcher.marker(question);
    assert!(
        marker.mark(entry).is_some(),
        "{question}: a sentence marked"
    );
    let mut group = c.benchmark_group("mark");
    group.bench_function(format!("Marker::mark: {question}"), |b| {
        b.iter(|| marker.mark(black_box(entry)))
    });
    group.bench_function(format!("decide: {question}"), |b| {
        b.iter(|| matcher.decide(black_box(question)))
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let kb = kb();
    let mut group = c.benchmark_group("build");
    group.bench_function("Matcher::new", |b| {
        b.iter(|| Matcher::new(black_box(&kb), MatcherConfig::default()))
    });
    group.bench_function("KnowledgeBase::embedded", |b| {
        b.iter(|| KnowledgeBase::embedded().unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Shorter than criterion's 3 s + 5 s: two dozen benchmarks of microseconds each
    // settle well within this, and the run stays a couple of minutes on 2 cores.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = decide, mark, build
}

fn main() {
    let started = SystemTime::now();
    benches();
    Criterion::default().configure_from_args().final_summary();
    println!("{}", median_of_the_20(started));
}

/// Where criterion saves its results, as criterion finds it (its fallback,
/// `cargo metadata`, is left out: it only matters with a custom target dir
/// set in a cargo config file).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("criterion")
}

/// The median of the 20 questions' medians, as saved by criterion in this
/// run, or why there is none (a filter left some questions out).
fn median_of_the_20(started: SystemTime) -> String {
    let dir = criterion_dir().join("decide");
    let wanted: Vec<String> = QUESTIONS
        .iter()
        .map(|(category, question)| format!("decide/{category}: {question}"))
        .collect();
    let mut medians = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let new = entry.path().join("new");
        let read = |name: &str| -> Option<serde_json::Value> {
            let path = new.join(name);
            // Only results of this run: an earlier run's are left in place.
            if std::fs::metadata(&path).ok()?.modified().ok()? < started {
                return None;
            }
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
        };
        let (Some(id), Some(estimates)) = (read("benchmark.json"), read("estimates.json")) else {
            continue;
        };
        let is_wanted = id["full_id"]
            .as_str()
            .is_some_and(|id| wanted.iter().any(|w| w == id));
        if let (true, Some(ns)) = (is_wanted, estimates["median"]["point_estimate"].as_f64()) {
            medians.push(ns);
        }
    }
    if medians.len() != QUESTIONS.len() {
        return format!(
            "decide: median of the 20 questions' medians: not measured ({} of 20 ran; run without a filter)",
            medians.len()
        );
    }
    medians.sort_by(f64::total_cmp);
    // An even count: the mean of the middle two.
    let median = (medians[9] + medians[10]) / 2.0 / 1000.0;
    format!("decide: median of the 20 questions' medians: {median:.2} µs")
}

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
    "dev",
    "dev-b",
    "dev-c",
    "dev-d",
    "dev-e",
    "blind-f",
    "blind-g",
    "blind-h",
    "blind-i",
    "blind-j",
    "blind-k",
    "blind-l",
    "blind-m",
    "blind-n",
    "blind-o",
    "blind-p",
    "blind-q",
    "blind-r",
    "blind-s",
    "blind-t",
    "blind-u",
    "blind-v",
    "blind-w",
    "blind-x",
    "blind-y",
    "blind-z",
    "blind-aa",
    "blind-ab",
    "blind-ac",
    "blind-ad",
    "blind-ae",
    "blind-af",
    "blind-ag",
    "blind-ah",
    "blind-long",
];

fn main() -> anyhow::Result<()> {
    let mut w = Weights::default();
    let mut c = MatcherConfig::default();
    let mut calibrate = false;
    let mut lofo: Option<(String, Vec<f32>)> = None;
    for arg in std::env::args().skip(1) {
        if arg == "calibrate" {
            calibrate = true;
            continue;
        }
        if let Some(spec) = arg.strip_prefix("lofo:") {
            let (name, values) = spec
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("{arg}: expected lofo:name=v1,v2,…"))?;
            let values = values
                .split(',')
                .map(str::parse)
                .collect::<Result<_, _>>()?;
            lofo = Some((name.to_owned(), values));
            continue;
        }
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("{arg}: expected name=value"))?;
        set(&mut w, &mut c, name, value.parse()?)?;
    }
    let kb = KnowledgeBase::embedded()?;
    if let Some((name, values)) = lofo {
        return leave_one_file_out(&kb, c, w, &name, &values);
    }
    run(&kb, c, w, calibrate)
}

/// The questions of an in-sight file, by name ("dev-b").
fn questions(kb: &KnowledgeBase, file: &str) -> anyhow::Result<Vec<eval::Labelled>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/questions")
        .join(format!("{file}.tsv"));
    Ok(eval::load(&path, kb)?)
}

/// Sets one weight or threshold by name.
fn set(w: &mut Weights, c: &mut MatcherConfig, name: &str, v: f32) -> anyhow::Result<()> {
    match name {
        "unknown_latin" => w.unknown_latin = v,
        "frame_verb" => w.frame_verb = v,
        "out_of_scope_word" => w.out_of_scope_word = v,
        "unknown_korean_word" => w.unknown_korean_word = v,
        "min_idf" => w.min_idf = v,
        "doc_precision" => w.doc_precision = v,
        "entry_share" => w.entry_share = v,
        "type_cue" => w.type_cue = v,
        "conjugated" => w.conjugated = v,
        "passage" => w.passage = v,
        "evidence" => w.evidence = v,
        "no_number" => w.no_number = v,
        "personal" => w.personal = v,
        "related" => w.related = v,
        "related_cost" => w.related_cost = v as u8,
        "derived" => w.derived = v,
        "derived_cost" => w.derived_cost = v as u8,
        "real_word_edits" => w.real_word_edits = v as u8,
        "asker" => w.asker = v,
        "missing_type" => w.missing_type = v,
        "asked_clause" => w.asked_clause = v,
        "narrowing" => w.narrowing = v,
        "narrowing_lead" => w.narrowing_lead = v,
        "long_words" => w.long_words = v as u8,
        "long_threshold" => w.long_threshold = v,
        "long_lead" => w.long_lead = v,
        "long_lead_story" => w.long_lead_story = v,
        "story_choice" => w.story_choice = v,
        "story_overruled" => w.story_overruled = v as u8,
        "story_tie" => w.story_tie = v,
        "common_from" => w.common_from = v,
        "common_slope" => w.common_slope = v,
        "common_floor" => w.common_floor = v,
        "answer_threshold" => c.answer_threshold = v,
        "answer_margin" => c.answer_margin = v,
        "suggest_threshold" => c.suggest_threshold = v,
        "out_of_scope_margin" => c.out_of_scope_margin = v,
        _ => anyhow::bail!("{name}: not a weight this tool knows"),
    }
    Ok(())
}

/// Right and wrong answers per in-sight file with these settings.
fn per_file(
    kb: &KnowledgeBase,
    c: &MatcherConfig,
    w: Weights,
) -> anyhow::Result<Vec<(usize, usize)>> {
    let matcher = Matcher::with_weights(kb, c.clone(), w);
    FILES
        .iter()
        .map(|f| {
            let r = eval::run(&matcher, kb, &questions(kb, f)?);
            Ok((r.overall.right, r.wrong_answers.right))
        })
        .collect()
}

/// Leave one file out: for each in-sight file, the value chosen on the
/// other six (most right answers, a wrong answer costing two right ones),
/// and how that value does on the file left out.
fn leave_one_file_out(
    kb: &KnowledgeBase,
    c: MatcherConfig,
    w: Weights,
    name: &str,
    values: &[f32],
) -> anyhow::Result<()> {
    let mut table = Vec::new();
    for &v in values {
        let (mut w, mut c) = (w, c.clone());
        set(&mut w, &mut c, name, v)?;
        table.push(per_file(kb, &c, w)?);
    }
    println!("left out   chosen {name}  right  wrong (on the left-out file)");
    for (i, f) in FILES.iter().enumerate() {
        let utility = |rows: &Vec<(usize, usize)>| -> i64 {
            rows.iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &(right, wrong))| right as i64 - 2 * wrong as i64)
                .sum()
        };
        let best = (0..values.len())
            .max_by_key(|&k| (utility(&table[k]), std::cmp::Reverse(k)))
            .unwrap_or(0);
        let (right, wrong) = table[best][i];
        println!("{f:<10} {:>8}  {right:>5}  {wrong:>5}", values[best]);
    }
    Ok(())
}

fn run(kb: &KnowledgeBase, c: MatcherConfig, w: Weights, calibrate: bool) -> anyhow::Result<()> {
    if calibrate {
        return calibration(kb, c, w);
    }
    if let Ok(f) = std::env::var("SLOWEST") {
        let matcher = Matcher::with_weights(kb, c, w);
        let mut times: Vec<(f64, String)> = questions(kb, &f)?
            .into_iter()
            .map(|q| {
                let start = std::time::Instant::now();
                matcher.decide(&q.question);
                (start.elapsed().as_secs_f64() * 1e6, q.question)
            })
            .collect();
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (t, q) in times.iter().take(5) {
            println!("{t:>10.1} µs  {q}");
        }
        return Ok(());
    }
    if let Ok(q) = std::env::var("EXPLAIN") {
        let index = qabot::matcher::Index::build(kb, w);
        let query = index.analyze_query(&q);
        println!("{query:#?}");
        let ranking = index.rank(&query);
        for cand in ranking.candidates.iter().take(4) {
            println!(
                "{} {:.3} cov {:.3}",
                kb.entries[cand.entry].id, cand.score, cand.coverage
            );
        }
        println!("out of scope {:.3}", ranking.out_of_scope);
        let o = Matcher::with_weights(kb, c, w).decide(&q);
        println!("{:?} {:?}", o.decision, o.best);
        return Ok(());
    }
    let matcher = Matcher::with_weights(kb, c, w);
    let (mut right, mut total, mut wrong) = (0, 0, 0);
    for f in FILES {
        let r = eval::run(&matcher, kb, &questions(kb, f)?);
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

/// One question's best entry, its lead over the runner-up, and whether
/// answering with it would be right.
struct Scored {
    file: usize,
    score: f32,
    lead: f32,
    right: bool,
}

/// Precision of answering by score band, and the answer threshold chosen
/// leaving one file out at a time: the lowest threshold whose answers on
/// the other files are at least 99% right.
fn calibration(kb: &KnowledgeBase, c: MatcherConfig, w: Weights) -> anyhow::Result<()> {
    let matcher = Matcher::with_weights(kb, c.clone(), w);
    let mut all = Vec::new();
    for (i, f) in FILES.iter().enumerate() {
        for q in questions(kb, f)? {
            let o = matcher.decide(&q.question);
            // Small talk and out-of-scope verdicts are not answers whatever
            // the threshold.
            if matches!(
                o.decision,
                qabot::matcher::Decision::Smalltalk | qabot::matcher::Decision::Decline
            ) && o.best.is_none_or(|b| b.score < c.suggest_threshold)
            {
                continue;
            }
            let ranked = matcher.rank(&q.question);
            let Some(best) = o.best else { continue };
            if o.decision == qabot::matcher::Decision::Decline {
                continue;
            }
            let lead = best.score - ranked.get(1).map_or(0.0, |r| r.score);
            all.push(Scored {
                file: i,
                score: best.score,
                lead,
                right: kb.entries[best.entry].id == q.expected,
            });
        }
    }
    if std::env::var("DUMP").is_ok() {
        for s in &all {
            println!("D {} {:.3} {:.3} {}", s.file, s.score, s.lead, s.right);
        }
    }
    println!("score band    answered  right  precision");
    let bands = [0.31, 0.35, 0.40, 0.45, 0.50, 0.60, 0.70, 0.80, 1.01];
    for b in bands.windows(2) {
        let inside: Vec<&Scored> = all
            .iter()
            .filter(|s| s.score >= b[0] && s.score < b[1] && s.lead >= c.answer_margin)
            .collect();
        let right = inside.iter().filter(|s| s.right).count();
        println!(
            "{:.2}-{:.2}   {:>8}  {:>5}  {:>8.1}%",
            b[0],
            b[1].min(1.0),
            inside.len(),
            right,
            100.0 * right as f64 / inside.len().max(1) as f64
        );
    }
    println!("left out   threshold  answered  wrong  (on the left-out file)");
    let grid: Vec<f32> = (31..=80).map(|t| t as f32 / 100.0).collect();
    for (i, f) in FILES.iter().enumerate() {
        let precision = |t: f32, keep: &dyn Fn(usize) -> bool| {
            let a: Vec<&Scored> = all
                .iter()
                .filter(|s| keep(s.file) && s.score >= t && s.lead >= c.answer_margin)
                .collect();
            (a.len(), a.iter().filter(|s| !s.right).count())
        };
        let t = grid
            .iter()
            .copied()
            .find(|&t| {
                let (n, wrong) = precision(t, &|file| file != i);
                n > 0 && wrong as f64 <= 0.01 * n as f64
            })
            .unwrap_or(1.0);
        let (n, wrong) = precision(t, &|file| file == i);
        println!("{f:<10} {t:>9.2}  {n:>8}  {wrong:>5}");
    }
    Ok(())
}

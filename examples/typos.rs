//! How well the matcher holds up when a question it answers right is
//! mistyped: every English question of the in-sight question files that is
//! answered with its labelled passage gets one slip of each kind, in one
//! word of five letters or more chosen at random (seeded, so every run is
//! the same), and is asked again.
//!
//! `cargo run --release --example typos` prints, per kind of slip, how
//! many of those questions are still answered right, offered as "did you
//! mean", declined (or taken for chat), or answered with another passage;
//! `SHOW=1` lists the ones answered wrong or declined. The kinds are the
//! phone typist's: a neighbouring key, a letter left out, a letter
//! doubled, two letters swapped, and a word run into the next. It reads
//! only the in-sight files.

use std::path::Path;

use qabot::eval;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Matcher, MatcherConfig};
use qabot::synthetic::Rng;

const FILES: &[&str] = &[
    "dev", "dev-b", "dev-c", "dev-d", "dev-e", "blind-f", "blind-g", "blind-h", "blind-i",
    "blind-j",
];

/// The seed of every run: the same slips each time.
const SEED: u64 = 7;

/// The shortest word a slip goes into: shorter words are mostly stop words.
const MIN_WORD: usize = 5;

const KEY_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

#[derive(Debug, Clone, Copy)]
enum Slip {
    NeighbouringKey,
    LeftOut,
    Doubled,
    Swapped,
    RunTogether,
}

const SLIPS: [Slip; 5] = [
    Slip::NeighbouringKey,
    Slip::LeftOut,
    Slip::Doubled,
    Slip::Swapped,
    Slip::RunTogether,
];

/// A key beside `c` on its row, if `c` is a letter.
fn neighbour(c: char, rng: &mut Rng) -> Option<char> {
    let c = c.to_ascii_lowercase();
    KEY_ROWS.iter().find_map(|row| {
        let keys: Vec<char> = row.chars().collect();
        let at = keys.iter().position(|&k| k == c)?;
        let sides: Vec<char> = [at.checked_sub(1), Some(at + 1)]
            .into_iter()
            .flatten()
            .filter_map(|i| keys.get(i).copied())
            .collect();
        Some(sides[rng.below(sides.len())])
    })
}

/// The question with one slip of this kind, or `None` when it has no word
/// long enough to take it.
fn mistype(question: &str, slip: Slip, rng: &mut Rng) -> Option<String> {
    let mut words: Vec<String> = question.split(' ').map(str::to_owned).collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().filter(char::is_ascii_alphabetic).count() >= MIN_WORD)
        .collect();
    if long.is_empty() {
        return None;
    }
    let at = long[rng.below(long.len())];
    if let Slip::RunTogether = slip {
        let first = if at + 1 < words.len() {
            at
        } else {
            at.checked_sub(1)?
        };
        let next = words.remove(first + 1);
        words[first].push_str(&next);
        return Some(words.join(" "));
    }
    let mut letters: Vec<char> = words[at].chars().collect();
    // A letter inside the word: its first and last are seldom mistyped.
    let inner: Vec<usize> = (1..letters.len().saturating_sub(1))
        .filter(|&i| letters[i].is_ascii_alphabetic())
        .collect();
    if inner.is_empty() {
        return None;
    }
    let i = inner[rng.below(inner.len())];
    match slip {
        Slip::NeighbouringKey => letters[i] = neighbour(letters[i], rng)?,
        Slip::LeftOut => {
            letters.remove(i);
        }
        Slip::Doubled => letters.insert(i, letters[i]),
        Slip::Swapped => {
            if !letters.get(i + 1).is_some_and(char::is_ascii_alphabetic) {
                return None;
            }
            letters.swap(i, i + 1);
        }
        Slip::RunTogether => unreachable!("handled above"),
    }
    words[at] = letters.into_iter().collect();
    Some(words.join(" "))
}

fn main() -> anyhow::Result<()> {
    let kb = KnowledgeBase::embedded()?;
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let show = std::env::var_os("SHOW").is_some();
    let mut answered_right = Vec::new();
    for file in FILES {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/questions")
            .join(format!("{file}.tsv"));
        for q in eval::load(&path, &kb)? {
            let english = q.question.is_ascii();
            let topic = q.expected != "decline" && q.expected != "smalltalk";
            let right = eval::outcome_label(&kb, &matcher.decide(&q.question)) == q.expected;
            if english && topic && right {
                answered_right.push(q);
            }
        }
    }
    println!(
        "{} English questions answered right, each mistyped once per kind",
        answered_right.len()
    );
    println!("slip              asked   right  did you mean  declined  wrong");
    let mut rng = Rng::new(SEED);
    for slip in SLIPS {
        let (mut asked, mut right, mut suggested, mut declined, mut wrong) = (0, 0, 0, 0, 0);
        for q in &answered_right {
            let Some(typed) = mistype(&q.question, slip, &mut rng) else {
                continue;
            };
            asked += 1;
            let got = eval::outcome_label(&kb, &matcher.decide(&typed));
            if got == q.expected {
                right += 1;
                continue;
            }
            if got.starts_with("suggest") {
                suggested += 1;
                continue;
            }
            if got == "decline" || got == "smalltalk" {
                declined += 1;
            } else {
                wrong += 1;
            }
            if show {
                println!("  {slip:?}: {typed:?} expected {}, got {got}", q.expected);
            }
        }
        let pct = |n: usize| 100.0 * n as f64 / asked.max(1) as f64;
        println!(
            "{:<16} {asked:>6}  {:>5.1}%  {:>11.1}%  {:>7.1}%  {:>4.1}%",
            format!("{slip:?}"),
            pct(right),
            pct(suggested),
            pct(declined),
            pct(wrong)
        );
    }
    Ok(())
}

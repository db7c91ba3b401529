//! Generated knowledge bases of any size, for measuring how the matcher
//! scales (`benches/scale.rs`) and for tests that need a large index.
//!
//! The generator is deterministic: the same size and seed always give the
//! same knowledge base and questions. Entries have the shape of the real
//! ones — a passage of a few sentences, eight English and four Korean
//! alternate questions, ten keywords, titles — over an invented vocabulary
//! whose word frequencies fall off like a natural language's (Zipf), so
//! some words are common to many entries and most are rare.
//!
//! It also makes the question log's worst case for the report
//! (`benches/report.rs`): many long, distinct questions, all declined.

use std::collections::BTreeMap;

use crate::knowledge::{Entry, Kind, KnowledgeBase, Source};
use crate::matcher::{Decision, Lang};
use crate::question_log::{ChatKind, LoggedQuestion, QuestionId};

/// A small, fast, deterministic generator (SplitMix64): benchmarks need
/// repeatable inputs, not statistical quality.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A rank in `0..n`, small ranks far more often (Zipf, exponent 1).
    pub fn zipf(&mut self, n: usize) -> usize {
        // Inverse of the continuous approximation of the harmonic CDF.
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let r = ((n as f64 + 1.0).powf(u) - 1.0) as usize;
        r.min(n - 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
    "cr", "dr", "st", "tr", "pl", "gr", "sh", "ch", "th", "sp", "fl",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ee"];
const CODAS: &[&str] = &[
    "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "x",
];
const HANGUL: &[char] = &[
    '가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하', '기', '노',
    '도', '리', '모', '보', '소', '오', '조', '초', '코', '토', '포', '호', '구', '누', '두', '루',
    '무', '부', '수', '우', '주', '추', '쿠', '투', '연', '구', '개', '발', '인', '재', '정', '책',
    '과', '학', '기', '술', '혁', '신', '투', '자', '협', '업', '자', '율', '국', '제', '교', '육',
    '산', '업', '경', '제', '문', '화', '성', '장', '미', '래', '세', '대', '평', '가', '지', '원',
];

/// Two vocabularies, English-like and Korean, each ordered from the most
/// to the least frequent word.
struct Vocabulary {
    english: Vec<String>,
    korean: Vec<String>,
}

impl Vocabulary {
    fn new(size: usize, rng: &mut Rng) -> Self {
        let mut seen = std::collections::HashSet::new();
        let mut english = Vec::with_capacity(size);
        while english.len() < size {
            let syllables = 1 + rng.below(3);
            let word: String = (0..syllables)
                .map(|_| {
                    format!(
                        "{}{}{}",
                        rng.pick(ONSETS),
                        rng.pick(VOWELS),
                        rng.pick(CODAS)
                    )
                })
                .collect();
            if word.len() >= 3 && seen.insert(word.clone()) {
                english.push(word);
            }
        }
        let mut korean = Vec::with_capacity(size / 2);
        while korean.len() < size / 2 {
            let syllables = 2 + rng.below(3);
            let word: String = (0..syllables).map(|_| *rng.pick(HANGUL)).collect();
            if seen.insert(word.clone()) {
                korean.push(word);
            }
        }
        Vocabulary { english, korean }
    }
}

/// A knowledge base of `entries` generated entries (the first three are
/// steps 1–3), passages quoted from a generated source text.
pub fn knowledge_base(entries: usize, seed: u64) -> KnowledgeBase {
    let mut rng = Rng::new(seed);
    let vocab = Vocabulary::new(2_000 + 3 * entries, &mut rng);
    let mut paragraphs = Vec::with_capacity(entries);
    let mut list = Vec::with_capacity(entries);
    for i in 0..entries {
        // Words this entry is about: mostly rare ones, as topics are.
        let topic: Vec<&str> = (0..6)
            .map(|_| {
                vocab.english[vocab.english.len() / 10 + rng.below(vocab.english.len() * 9 / 10)]
                    .as_str()
            })
            .collect();
        let topic_ko: Vec<&str> = (0..3)
            .map(|_| vocab.korean[rng.below(vocab.korean.len())].as_str())
            .collect();
        let word = |rng: &mut Rng| -> String {
            if rng.below(10) < 3 {
                (*rng.pick(&topic)).to_owned()
            } else {
                vocab.english[rng.zipf(vocab.english.len())].clone()
            }
        };
        let sentences: Vec<String> = (0..3 + rng.below(3))
            .map(|_| {
                let words: Vec<String> = (0..12 + rng.below(9)).map(|_| word(&mut rng)).collect();
                let mut s = words.join(" ");
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                s.push('.');
                s
            })
            .collect();
        let passage = sentences.join(" ");
        paragraphs.push(passage.clone());
        let questions = (0..8)
            .map(|k| {
                let (a, b, c) = (rng.pick(&topic), rng.pick(&topic), word(&mut rng));
                match k % 4 {
                    0 => format!("what does it say about {a} and {b}"),
                    1 => format!("why {a} {b}?"),
                    2 => format!("how does {a} affect {c}"),
                    _ => format!("tell me about {a} {b} {c}"),
                }
            })
            .collect();
        let questions_ko = (0..4)
            .map(|k| {
                let (a, b) = (rng.pick(&topic_ko), rng.pick(&topic_ko));
                match k % 2 {
                    0 => format!("{a} {b}에 대해 알려줘"),
                    _ => format!("{a}는 뭐야?"),
                }
            })
            .collect();
        let mut keywords: Vec<String> = topic.iter().map(|w| (*w).to_owned()).collect();
        keywords.extend(topic_ko.iter().map(|w| (*w).to_owned()));
        let step = (i < 3).then(|| i as u8 + 1);
        list.push(Entry {
            id: format!("entry-{i}"),
            kind: if step.is_some() {
                Kind::Step
            } else {
                Kind::Background
            },
            step,
            answered_by: Vec::new(),
            title: format!("{} {} and {}", topic[0], topic[1], topic[2]),
            title_ko: Some(format!("{} {}", topic_ko[0], topic_ko[1])),
            passage: vec![passage],
            questions,
            questions_ko,
            keywords,
            why: None,
            more: None,
            example: None,
        });
    }
    KnowledgeBase {
        origin: format!("<generated: {entries} entries, seed {seed}>"),
        source: Source {
            title: "A generated article".into(),
            author: "qabot".into(),
            paper: "nowhere".into(),
            section: None,
            text: paragraphs.join("\n\n"),
        },
        synonyms: BTreeMap::new(),
        entries: list,
        out_of_scope: Vec::new(),
        out_of_scope_names: Vec::new(),
    }
}

/// `count` questions the way users type them about `kb`'s entries: an
/// alternate question with a word dropped, two swapped or one misspelt,
/// Korean questions, and one in ten about words the knowledge base lacks.
pub fn questions(kb: &KnowledgeBase, count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let entry = &kb.entries[rng.below(kb.entries.len())];
            match i % 10 {
                0 => "what is the weather like in the mountains tomorrow".to_owned(),
                1 | 2 => entry.questions_ko[rng.below(entry.questions_ko.len())].clone(),
                _ => {
                    let question = &entry.questions[rng.below(entry.questions.len())];
                    let mut words: Vec<String> = question.split(' ').map(str::to_owned).collect();
                    match rng.below(3) {
                        0 if words.len() > 2 => {
                            words.remove(rng.below(words.len()));
                        }
                        1 => {
                            let (a, b) = (rng.below(words.len()), rng.below(words.len()));
                            words.swap(a, b);
                        }
                        _ => {
                            let w = rng.below(words.len());
                            if words[w].len() > 4 {
                                // A swapped pair of letters, the commonest typo.
                                let mut chars: Vec<char> = words[w].chars().collect();
                                chars.swap(1, 2);
                                words[w] = chars.into_iter().collect();
                            }
                        }
                    }
                    words.join(" ")
                }
            }
        })
        .collect()
}

/// `count` distinct questions of exactly `chars` characters, random words
/// of 2–12 letters (a–z) drawn evenly: what someone filling the question
/// log with long, distinct questions would send, for the report's benchmark
/// and tests. Two of them share about half their letter pairs, under the
/// report's grouping similarity, so nearly every one stands alone.
pub fn long_questions(count: usize, chars: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let mut q = String::with_capacity(chars + 12);
        while q.len() < chars {
            let letters = 2 + rng.below(11);
            q.extend((0..letters).map(|_| char::from(b'a' + rng.below(26) as u8)));
            q.push(' ');
        }
        // ASCII, so bytes are characters; a word cut short is still a word.
        q.truncate(chars);
        if seen.insert(q.clone()) {
            out.push(q);
        }
    }
    out
}

/// Rows of a question log in which each of `questions` was declined once,
/// at `at`, by one of 100 people: the report's worst case, every row to be
/// grouped.
pub fn declined_log(questions: &[String], at: i64) -> Vec<LoggedQuestion> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| LoggedQuestion {
            id: QuestionId(i as i64 + 1),
            at,
            chat_kind: ChatKind::Private,
            user_language: Some("en".into()),
            lang: Lang::En,
            question: q.clone(),
            decision: Decision::Decline,
            entry: None,
            score: None,
            suggestions: Vec::new(),
            context: None,
            picked: Vec::new(),
            votes_up: 0,
            votes_down: 0,
            user_hash: Some(format!("user{}", i % 100)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Matcher, MatcherConfig};

    #[test]
    fn the_same_seed_gives_the_same_knowledge_base() {
        let a = knowledge_base(50, 7);
        let b = knowledge_base(50, 7);
        assert_eq!(a.entries, b.entries);
        assert_eq!(questions(&a, 20, 1), questions(&b, 20, 1));
        assert_ne!(knowledge_base(50, 8).entries, a.entries);
    }

    #[test]
    fn passages_are_quoted_from_the_source() {
        let kb = knowledge_base(30, 1);
        for e in &kb.entries {
            assert!(kb.source.text.contains(&e.passage[0]), "{}", e.id);
        }
    }

    #[test]
    fn a_large_index_answers_its_own_questions() {
        let kb = knowledge_base(2_000, 3);
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let mut answered = 0;
        for e in kb.entries.iter().step_by(100) {
            let outcome = matcher.decide(&e.questions[0]);
            if outcome.decision == Decision::Answer
                && kb.entries[outcome.best.unwrap().entry].id == e.id
            {
                answered += 1;
            }
        }
        assert!(
            answered >= 15,
            "only {answered} of 20 entries answered their own first question"
        );
    }
}

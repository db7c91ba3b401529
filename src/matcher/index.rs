//! The index behind the matcher: features, their weights, the documents of
//! every entry, and the vocabularies that misspelt words are corrected
//! against.

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::Candidate;
use super::answer_type::{self, AnswerType, Provided};
use super::lexicon::{self, is_stop};
use super::ordinal::{Ordinals, StepRef};
use super::smalltalk::{is_making_word, is_smalltalk_word};
use super::text::{Script, fold, jamo, strip_korean, strip_korean_to, tokenize};
use super::{context, wordnet};
use crate::knowledge::{Entry, KnowledgeBase};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The numbers that shape a score. Chosen by measuring the question files,
/// not by guessing; the later ones (`asker`, `missing_type`, `related`,
/// `real_word_edits`) leaving one file out (`examples/tune.rs`,
/// docs/CALIBRATION.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Weight of an English word the knowledge base does not know. High: a
    /// question about something else is mostly such words.
    pub unknown_latin: f32,
    /// Weight of a Korean word none of whose bigrams the knowledge base knows.
    pub unknown_korean_word: f32,
    /// Weight of an unknown bigram in an otherwise known Korean word: bigrams
    /// that span a particle or a verb ending are unknown without meaning
    /// anything.
    pub unknown_korean_part: f32,
    /// Weight of a step reference: "step 2" says exactly what is wanted.
    pub step: f32,
    /// The least weight a known feature has, however common.
    pub min_idf: f32,
    /// Share of a document's score that depends on how much of the document
    /// the question covers (the rest is how much of the question it covers).
    pub doc_precision: f32,
    /// Share of an entry's score that is the whole entry's coverage of the
    /// question (the rest is its best document's score).
    pub entry_share: f32,
    /// Passage sentences count a little less than questions written for matching.
    pub passage: f32,
    /// Matched weight below which an entry's score is scaled down: one
    /// common word ("column", "korea") is too little evidence to answer on.
    pub evidence: f32,
    /// Factor on an entry whose passage has no number, for a question that
    /// asks for one ("how much", "what year", "몇").
    pub no_number: f32,
    /// Weight of the name of another country, company, university or
    /// person ("japan", "samsung"): such a question is about something else.
    pub other_name: f32,
    /// Weight of a word that only the out-of-scope questions use.
    pub out_of_scope_word: f32,
    /// Factor on the weight of a feature found in exactly the same
    /// documents as one before it in the question.
    pub redundant: f32,
    /// Factor on every entry for a personal request ("how do I", "should
    /// I"): the column advises a country, not the reader.
    pub personal: f32,
    /// How well a WordNet synonym or derivational form of a knowledge-base
    /// word matches it (1 would be as well as the word itself; 0 turns the
    /// expansion off). Off by default: chosen leaving one question file
    /// out, 0 won in every fold (docs/CALIBRATION.md), the knowledge
    /// base's own synonyms already covering what WordNet adds.
    pub related: f32,
    /// How far from their commonest senses a WordNet link may reach (the
    /// two words' sense ranks summed; 0 = both commonest senses only).
    pub related_cost: u8,
    /// A real English word within this many edits of a knowledge-base word
    /// is left as it is rather than corrected as a typo (0: none is).
    pub real_word_edits: u8,
    /// Factor on the weight of an unknown word that is about the asker (a
    /// first-person clause beside the question) or a chat name: it says
    /// who asks, not about what.
    pub asker: f32,
    /// Factor on an entry whose passage holds no fact of the kind the
    /// question asks for (a year, a share, a name it does not contain).
    pub missing_type: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            unknown_latin: 2.6,
            unknown_korean_word: 2.0,
            unknown_korean_part: 0.3,
            step: 4.0,
            min_idf: 0.15,
            doc_precision: 0.5,
            entry_share: 0.3,
            passage: 0.9,
            evidence: 1.0,
            no_number: 0.6,
            other_name: 20.0,
            redundant: 0.25,
            out_of_scope_word: 4.0,
            personal: 0.7,
            related: 0.0,
            related_cost: 0,
            real_word_edits: 2,
            asker: 0.1,
            missing_type: 0.5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocKind {
    Question,
    Keyword,
    Title,
    Passage,
    Step,
}

#[derive(Debug, Clone)]
struct Doc {
    entry: u32,
    kind: DocKind,
    /// Sum of the weights of its distinct features.
    total: f32,
}

/// A feature of a query: known (an id) or not, with its weight and how well
/// it matched (below 1 for a corrected typo).
#[derive(Debug, Clone, PartialEq)]
struct QueryFeature {
    id: Option<u32>,
    weight: f32,
    similarity: f32,
}

/// A question turned into features.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Every word of the question, for classifying small talk.
    pub words: Vec<String>,
    features: Vec<QueryFeature>,
    /// It asks for a number ("how many", "what year", "몇") and names no step.
    asks_number: bool,
    /// It asks for advice for the asker ("how do I", "should I").
    personal: bool,
    /// The kind of fact it asks for, if a date, a share or a name.
    asked: Option<AnswerType>,
}

impl Query {
    /// True when nothing in the question is about a topic.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The weight of the features the knowledge base knows.
    pub fn known_weight(&self) -> f32 {
        self.features
            .iter()
            .filter(|f| f.id.is_some())
            .map(|f| f.weight * f.similarity)
            .sum()
    }
}

/// How many entries a ranking keeps: enough for suggestions and inline
/// results, few enough that a large knowledge base is not sorted whole.
pub const MAX_RANKED: usize = 16;

/// Entries by score, and how closely the question resembles the questions
/// the knowledge base lists as out of scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// The best entries (at most `MAX_RANKED`), best first.
    pub candidates: Vec<Candidate>,
    /// The out-of-scope questions' score, 0 when none resembles it.
    pub out_of_scope: f32,
}

impl Ranking {
    /// The best entry's score, 0 when none matched.
    pub fn top(&self) -> f32 {
        self.candidates.first().map_or(0.0, |c| c.score)
    }
}

/// Per-thread buffers for [`Index::rank`], reused between questions so a
/// question costs what it touches: clearing resets only the slots used.
#[derive(Default)]
struct Scratch {
    doc_hits: Vec<f32>,
    docs_touched: Vec<u32>,
    entry_hits: Vec<f32>,
    best_doc: Vec<f32>,
    entries_touched: Vec<u32>,
}

impl Scratch {
    /// Makes room for an index of this size (one thread may use several).
    fn prepare(&mut self, docs: usize, entries: usize) {
        if self.doc_hits.len() < docs {
            self.doc_hits.resize(docs, 0.0);
        }
        if self.entry_hits.len() < entries {
            self.entry_hits.resize(entries, 0.0);
            self.best_doc.resize(entries, 0.0);
        }
    }

    fn hit_doc(&mut self, doc: u32, gain: f32) {
        let slot = &mut self.doc_hits[doc as usize];
        if *slot == 0.0 {
            self.docs_touched.push(doc);
        }
        *slot += gain;
    }

    fn hit_entry(&mut self, entry: u32, gain: f32) {
        let slot = &mut self.entry_hits[entry as usize];
        if *slot == 0.0 {
            self.entries_touched.push(entry);
        }
        *slot += gain;
    }

    fn clear(&mut self) {
        for d in self.docs_touched.drain(..) {
            self.doc_hits[d as usize] = 0.0;
        }
        for e in self.entries_touched.drain(..) {
            self.entry_hits[e as usize] = 0.0;
            self.best_doc[e as usize] = 0.0;
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// A spelling the knowledge base knows, kept for typo correction.
#[derive(Debug, Clone)]
struct Vocabulary {
    words: Vec<String>,
    /// The same words as compared: letters, or jamo for Hangul.
    letters: Vec<Vec<char>>,
    set: HashMap<String, u32>,
    /// Character bigram → words containing it, to find candidates fast.
    bigrams: HashMap<(char, char), Vec<u32>>,
    /// `by_length[l]`: the first word at least `l` letters long.
    by_length: Vec<u32>,
}

impl Vocabulary {
    fn new(words: Vec<String>, hangul: bool) -> Self {
        let mut pairs: Vec<(Vec<char>, String)> = words
            .into_iter()
            .map(|w| {
                (
                    if hangul {
                        jamo(&w)
                    } else {
                        w.chars().collect()
                    },
                    w,
                )
            })
            .collect();
        // Ordered by length, so that the words of a length range are a range
        // of ids, and every bigram's list can be cut to it.
        pairs.sort_unstable_by(|a, b| (a.0.len(), &a.1).cmp(&(b.0.len(), &b.1)));
        pairs.dedup_by(|a, b| a.1 == b.1);
        let (letters, words): (Vec<Vec<char>>, Vec<String>) = pairs.into_iter().unzip();
        let longest = letters.last().map_or(0, Vec::len);
        let by_length = (0..=longest + 1)
            .map(|l| letters.partition_point(|w| w.len() < l) as u32)
            .collect();
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::default();
        for (i, l) in letters.iter().enumerate() {
            for pair in padded_bigrams(l) {
                let list = bigrams.entry(pair).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        let set = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Vocabulary {
            words,
            letters,
            set,
            bigrams,
            by_length,
        }
    }

    fn contains(&self, word: &str) -> bool {
        self.set.contains_key(word)
    }

    /// The known word nearest to `word` by Damerau-Levenshtein distance, if
    /// near enough to be a typo of it, with its similarity (0–1).
    fn correct(&self, letters: &[char], hangul: bool) -> Option<(&str, f32)> {
        let len = letters.len();
        // Short words are too often other real words ("kaist" is not "kist"):
        // English words of four letters may only gain a letter ("rote" is
        // "wrote"), and nothing is corrected to a word under five letters;
        // Korean words change by one jamo at most.
        let allowed = match (hangul, len) {
            (true, 0..=3) => return None,
            (true, _) => 1,
            (false, 0..=3) => return None,
            (false, 4..=7) => 1,
            (false, 8..=11) => 2,
            (false, _) => 3,
        };
        let min_len = if hangul { 4 } else { 5 };
        // Only words of a length within reach of an edit are candidates: a
        // range of ids, counted in a dense array.
        let id_at = |l: usize| self.by_length[l.min(self.by_length.len() - 1)];
        let (lo, hi) = (
            id_at(len.saturating_sub(allowed).max(min_len)),
            id_at(len + allowed + 1),
        );
        if lo >= hi {
            return None;
        }
        let mut shared = vec![0u8; (hi - lo) as usize];
        let pairs = padded_bigrams(letters);
        for pair in &pairs {
            if let Some(list) = self.bigrams.get(pair) {
                let from = list.partition_point(|&w| w < lo);
                let to = list.partition_point(|&w| w < hi);
                for &w in &list[from..to] {
                    shared[(w - lo) as usize] = shared[(w - lo) as usize].saturating_add(1);
                }
            }
        }
        // A typo leaves most bigrams intact: an edit breaks at most two, a
        // transposition ("fuonder") three; one transposition is allowed for
        // (more would let many more candidates through on a large index).
        let need = pairs.len().saturating_sub(2 * allowed + 1).max(1);
        let query: String = letters.iter().collect();
        let mut best: Option<(usize, f64, u32)> = None;
        for (offset, &count) in shared.iter().enumerate() {
            if (count as usize) < need {
                continue;
            }
            let w = lo + offset as u32;
            let cand = &self.letters[w as usize];
            if cand.len().abs_diff(len) > allowed || cand.len() < min_len {
                continue;
            }
            let distance = strsim::generic_damerau_levenshtein(letters, cand);
            if distance > allowed {
                continue;
            }
            // Typos rarely hit the first letter, while real words that
            // differ only there are common ("heading", "leading"): the first
            // letter must match, unless the first two are swapped ("frist").
            let swapped =
                len > 1 && cand.len() > 1 && cand[0] == letters[1] && cand[1] == letters[0];
            if cand[0] != letters[0] && !swapped {
                continue;
            }
            let jw = strsim::jaro_winkler(&query, &cand.iter().collect::<String>());
            let better = match best {
                None => true,
                Some((d, j, b)) => (distance, -jw, w) < (d, -j, b),
            };
            if better {
                best = Some((distance, jw, w));
            }
        }
        best.map(|(d, _, w)| {
            let longest = len.max(self.letters[w as usize].len());
            (
                self.words[w as usize].as_str(),
                1.0 - d as f32 / longest as f32,
            )
        })
    }
}

fn padded_bigrams(letters: &[char]) -> Vec<(char, char)> {
    let mut out = Vec::with_capacity(letters.len() + 1);
    let mut prev = '^';
    for &c in letters {
        out.push((prev, c));
        prev = c;
    }
    out.push((prev, '$'));
    out
}

/// One unit of analysed text, before it becomes features.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Term {
    Latin(String),
    Korean(String),
    Step(StepRef),
}

/// What reading text needs to know of its knowledge base: which steps it
/// has, and its author's name (a framing word, like "author").
#[derive(Debug, Clone)]
struct Reader {
    ordinals: Ordinals,
    author: Vec<String>,
}

impl Reader {
    fn new(kb: &KnowledgeBase) -> Self {
        Reader {
            ordinals: Ordinals::new(kb.step_count()),
            author: tokenize(&fold(&kb.source.author))
                .into_iter()
                .map(|t| t.text)
                .collect(),
        }
    }
}

/// Text split into terms: stop words and small talk dropped, step
/// references recognised.
fn terms(text: &str, reader: &Reader) -> (Vec<String>, Vec<Term>) {
    let tokens = tokenize(&fold(text));
    // Word lists are checked against a token as written and, for Korean,
    // stripped of its particles (down to one syllable: "봇이에요" is "봇").
    let forms: Vec<[&str; 3]> = tokens
        .iter()
        .map(|t| match t.script {
            Script::Latin => [t.text.as_str(); 3],
            Script::Hangul => [
                t.text.as_str(),
                strip_korean(&t.text),
                strip_korean_to(&t.text, 1),
            ],
        })
        .collect();
    let listed = |i: usize, in_list: fn(&str) -> bool| {
        let [written, stripped, bare] = forms[i];
        in_list(written)
            || (stripped != written && in_list(stripped))
            || (bare != stripped && in_list(bare))
    };
    let is_plain_content = |i: usize| {
        !listed(i, is_stop) && !listed(i, is_smalltalk_word) && !listed(i, is_making_word)
    };
    // "Who made you" is small talk; "who made AlphaGo" asks who made it.
    let other_content = (0..tokens.len()).any(is_plain_content);
    let is_content = |i: usize| is_plain_content(i) || (other_content && listed(i, is_making_word));
    let content = (0..tokens.len()).filter(|&i| is_content(i)).count();
    let (steps, used) = reader.ordinals.detect(&tokens, content);
    let framing = lexicon::framing(&tokens, &reader.author);
    let mut terms: Vec<Term> = steps.into_iter().map(Term::Step).collect();
    for (i, token) in tokens.iter().enumerate() {
        if used[i] || framing[i] || !is_content(i) {
            continue;
        }
        terms.push(match token.script {
            Script::Latin => Term::Latin(token.text.clone()),
            Script::Hangul => Term::Korean(forms[i][1].to_owned()),
        });
    }
    drop(forms);
    let words = tokens.into_iter().map(|t| t.text).collect();
    (words, terms)
}

fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

fn step_feature(step: StepRef) -> String {
    match step {
        StepRef::Step(n) => format!("#{n}"),
        StepRef::All => "#all".to_owned(),
    }
}

/// Hangul syllable bigrams of a word; a one-syllable word is its own feature.
fn korean_features(word: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() == 1 {
        out.push(word.to_owned());
    }
    out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
}

/// The searchable form of a knowledge base.
#[derive(Debug, Clone)]
pub struct Index {
    reader: Reader,
    /// Names the knowledge base says it does not discuss, folded.
    other_names: FxHashSet<String>,
    synonyms: HashMap<String, String>,
    latin: Vocabulary,
    korean: Vocabulary,
    features: HashMap<String, u32>,
    weights: Vec<f32>,
    /// Feature → documents containing it.
    postings: Vec<Vec<u32>>,
    /// Feature → entries containing it.
    entry_postings: Vec<Vec<u32>>,
    docs: Vec<Doc>,
    /// Entries indexed, the out-of-scope pseudo-entry included.
    entry_count: usize,
    /// Entries of the knowledge base; an index past them is out of scope.
    real_entries: usize,
    /// Per entry: its passage states a number.
    has_number: Vec<bool>,
    /// Per entry: the kinds of fact its passage holds.
    provided: Vec<Provided>,
    w: Weights,
}

impl Index {
    pub fn build(kb: &KnowledgeBase, w: Weights) -> Self {
        wordnet::preload();
        let mut synonyms = HashMap::default();
        for (canonical, variants) in &kb.synonyms {
            let canonical = fold(canonical);
            for v in variants {
                synonyms.insert(fold(v), canonical.clone());
            }
        }
        let mut index = Index {
            reader: Reader::new(kb),
            other_names: kb.out_of_scope_names.iter().map(|n| fold(n)).collect(),
            synonyms,
            latin: Vocabulary::new(Vec::new(), false),
            korean: Vocabulary::new(Vec::new(), true),
            features: HashMap::default(),
            weights: Vec::new(),
            postings: Vec::new(),
            entry_postings: Vec::new(),
            docs: Vec::new(),
            entry_count: kb.entries.len() + usize::from(!kb.out_of_scope.is_empty()),
            real_entries: kb.entries.len(),
            has_number: kb
                .entries
                .iter()
                .map(|e| e.passage.iter().any(|p| lexicon::states_number(p)))
                // The out-of-scope entry is never held back for want of a number.
                .chain(std::iter::once(true))
                .collect(),
            provided: kb
                .entries
                .iter()
                .map(|e| Provided::of(&e.passage))
                .collect(),
            w,
        };
        let mut latin_words = FxHashSet::default();
        let mut korean_words = FxHashSet::default();
        let mut term_ids: HashMap<Term, Vec<u32>> = HashMap::default();
        let mut doc_features: Vec<Vec<u32>> = Vec::new();
        // The out-of-scope questions are indexed as one more entry, after
        // the real ones; `rank` takes it out of the ranking again.
        let out_of_scope = Entry {
            id: String::new(),
            kind: crate::knowledge::Kind::Background,
            step: None,
            answered_by: Vec::new(),
            title: String::new(),
            title_ko: None,
            passage: Vec::new(),
            questions: kb.out_of_scope.clone(),
            questions_ko: Vec::new(),
            keywords: Vec::new(),
        };
        let entries: Vec<&Entry> = kb
            .entries
            .iter()
            .chain((!kb.out_of_scope.is_empty()).then_some(&out_of_scope))
            .collect();
        let analysed = analyse_entries(&entries, &index.reader);
        for (e, (entry, texts)) in entries.iter().zip(analysed).enumerate() {
            for (kind, terms) in texts {
                let mut ids: Vec<u32> = Vec::new();
                for term in terms {
                    // Words repeat across a knowledge base: stem and intern
                    // each distinct one once.
                    if let Some(known) = term_ids.get(&term) {
                        ids.extend_from_slice(known);
                        continue;
                    }
                    // Misspellings are corrected towards the entries' words
                    // only: correcting "part" to an out-of-scope "party"
                    // would decline a question about the column.
                    match &term {
                        Term::Latin(w) if e < kb.entries.len() => {
                            latin_words.insert(w.clone());
                        }
                        Term::Korean(w) if e < kb.entries.len() => {
                            korean_words.insert(w.clone());
                        }
                        _ => {}
                    }
                    let new: Vec<u32> = index
                        .term_features(&term, false)
                        .into_iter()
                        .map(|f| index.intern(f))
                        .collect();
                    ids.extend_from_slice(&new);
                    term_ids.insert(term, new);
                }
                ids.sort_unstable();
                ids.dedup();
                index.add_doc(e, kind, ids, &mut doc_features);
            }
            if let Some(step) = entry.step {
                index.add_step_doc(e, StepRef::Step(step), &mut doc_features);
            }
            if entry.kind == crate::knowledge::Kind::Overview {
                index.add_step_doc(e, StepRef::All, &mut doc_features);
            }
        }
        let real_entries = kb.entries.len() as u32;
        for (canonical, variants) in &kb.synonyms {
            let canonical = fold(canonical);
            let term = if super::text::has_hangul(&canonical) {
                Term::Korean(canonical.clone())
            } else {
                Term::Latin(canonical.clone())
            };
            let in_entries = index.term_features(&term, false).iter().any(|f| {
                index.features.get(f).is_some_and(|&id| {
                    index.entry_postings[id as usize]
                        .iter()
                        .any(|&e| e < real_entries)
                })
            });
            if !in_entries {
                continue;
            }
            for w in std::iter::once(&canonical).chain(variants) {
                let w = fold(w);
                if super::text::has_hangul(&w) {
                    korean_words.insert(w);
                } else {
                    latin_words.insert(w);
                }
            }
        }
        index.latin = Vocabulary::new(latin_words.into_iter().collect(), false);
        index.korean = Vocabulary::new(korean_words.into_iter().collect(), true);
        let n = index.entry_count as f32;
        index.weights = vec![0.0; index.postings.len()];
        // Document frequency counts the entries whose content (keywords,
        // titles, passage) has the feature: the framing of alternate
        // questions ("what does the author say about …") would otherwise
        // make "author" common. A feature found only in questions counts
        // the entries whose questions have it.
        let mut content_df = vec![0u32; index.postings.len()];
        let mut seen = vec![u32::MAX; index.postings.len()];
        for (doc, ids) in index.docs.iter().zip(&doc_features) {
            if doc.kind == DocKind::Question {
                continue;
            }
            for &id in ids {
                if seen[id as usize] != doc.entry {
                    seen[id as usize] = doc.entry;
                    content_df[id as usize] += 1;
                }
            }
        }
        let out_of_scope_entry = kb.entries.len() as u32;
        for (name, &id) in &index.features {
            let postings = &index.entry_postings[id as usize];
            index.weights[id as usize] = if name.starts_with('#') {
                w.step
            } else if !kb.out_of_scope.is_empty() && postings.as_slice() == [out_of_scope_entry] {
                // A word only out-of-scope questions use ("salary",
                // "married") marks a question as one of them.
                w.out_of_scope_word
            } else {
                // BM25's IDF over entries: a word in every entry weighs next to nothing.
                let df = match content_df[id as usize] {
                    0 => index.entry_postings[id as usize].len() as f32,
                    df => df as f32,
                };
                (((n - df + 0.5) / (df + 0.5)) + 1.0).ln().max(w.min_idf)
            };
        }
        for (doc, ids) in index.docs.iter_mut().zip(&doc_features) {
            doc.total = ids.iter().map(|&id| index.weights[id as usize]).sum();
        }
        index
    }

    fn add_step_doc(&mut self, entry: usize, step: StepRef, doc_features: &mut Vec<Vec<u32>>) {
        let id = self.intern(step_feature(step));
        self.add_doc(entry, DocKind::Step, vec![id], doc_features);
    }

    /// Adds a document of `entry` with these (sorted, distinct) features.
    fn add_doc(
        &mut self,
        entry: usize,
        kind: DocKind,
        ids: Vec<u32>,
        doc_features: &mut Vec<Vec<u32>>,
    ) {
        if ids.is_empty() {
            return;
        }
        let d = self.docs.len() as u32;
        for &id in &ids {
            self.postings[id as usize].push(d);
            let entries = &mut self.entry_postings[id as usize];
            if entries.last() != Some(&(entry as u32)) {
                entries.push(entry as u32);
            }
        }
        self.docs.push(Doc {
            entry: entry as u32,
            kind,
            total: 0.0,
        });
        doc_features.push(ids);
    }

    fn intern(&mut self, feature: String) -> u32 {
        let next = self.features.len() as u32;
        *self.features.entry(feature).or_insert_with(|| {
            self.postings.push(Vec::new());
            self.entry_postings.push(Vec::new());
            next
        })
    }

    /// The features of a term as written (no typo correction).
    fn term_features(&self, term: &Term, query: bool) -> Vec<String> {
        let mut out = Vec::new();
        match term {
            Term::Step(step) => out.push(step_feature(*step)),
            Term::Latin(w) => {
                let canonical = self.synonyms.get(w).unwrap_or(w);
                out.push(stem(canonical));
            }
            Term::Korean(w) => {
                if let Some(canonical) = self.synonyms.get(w) {
                    if super::text::has_hangul(canonical) {
                        korean_features(canonical, &mut out);
                    } else {
                        out.push(stem(canonical));
                    }
                    // The knowledge base also indexes the word's own bigrams,
                    // so compounds written without spaces ("딥시크창업자")
                    // still meet it; a question's exact synonym needs only
                    // its canonical form, or it would count twice.
                    if query {
                        return out;
                    }
                }
                korean_features(w, &mut out);
            }
        }
        out
    }

    /// Analyses a question: its terms, typo-corrected against the
    /// vocabulary, then its features looked up.
    pub fn analyze_query(&self, question: &str) -> Query {
        // Clauses about the asker are analysed apart, so their unknown
        // words can count for less; what the question asks for (a number,
        // advice for the asker) is read from the other clauses.
        let parts = context::split(question);
        let (words, terms, asked) = if parts.iter().any(|&(_, asker)| asker) {
            let (mut words, mut marked, mut asked) = (Vec::new(), Vec::new(), Vec::new());
            for (clause, asker) in parts {
                let (w, t) = terms(clause, &self.reader);
                if !asker {
                    asked.extend(w.iter().cloned());
                }
                words.extend(w);
                marked.extend(t.into_iter().map(|t| (t, asker)));
            }
            (words, marked, asked)
        } else {
            let (words, t) = terms(question, &self.reader);
            let asked = words.clone();
            (words, t.into_iter().map(|t| (t, false)).collect(), asked)
        };
        let names = context::chat_names(question);
        let names_step = terms.iter().any(|(t, _)| matches!(t, Term::Step(_)));
        let asks_number = !names_step && lexicon::asks_number(&asked);
        let personal = lexicon::is_personal(&asked);
        let asked = (!names_step).then(|| answer_type::asked(&asked)).flatten();
        let terms: Vec<(Term, bool)> = terms
            .into_iter()
            .map(|(t, asker)| {
                let name = matches!(&t, Term::Latin(w) if names.contains(w));
                (t, asker || name)
            })
            .collect();
        let terms = self.resegment(terms);
        let mut features: Vec<QueryFeature> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for (term, asker, similarity) in terms {
            let names = self.term_features(&term, true);
            let ids: Vec<Option<u32>> = names
                .iter()
                .map(|n| self.features.get(n).copied())
                .collect();
            let hits = ids.iter().filter(|id| id.is_some()).count();
            // A Korean word is known when at least half its bigrams are, or
            // two of them: a compound of known words ("딥시크창업자") or a
            // whole sentence typed without spaces ("이공계위기해결하려면…")
            // is, while an unknown word that shares one bigram by chance
            // ("카이스트" and "키스트") is not, and counts as one unknown word.
            let known = match term {
                Term::Korean(_) => hits > 0 && (2 * hits >= ids.len() || hits >= 2),
                _ => hits > 0,
            };
            let ids: Vec<Option<u32>> = if known {
                ids
            } else {
                ids.into_iter().map(|_| None).collect()
            };
            for (name, id) in names.into_iter().zip(ids) {
                match id {
                    Some(id) => match features.iter_mut().find(|f| f.id == Some(id)) {
                        Some(f) => f.similarity = f.similarity.max(similarity),
                        None => features.push(QueryFeature {
                            id: Some(id),
                            weight: self.weights[id as usize] * self.asker_factor(id, asker),
                            similarity,
                        }),
                    },
                    None if !unknown.contains(&name) => {
                        let weight = match (&term, known) {
                            (Term::Latin(w) | Term::Korean(w), _) if self.is_other_name(w) => {
                                self.w.other_name
                            }
                            (Term::Korean(_), true) => self.w.unknown_korean_part,
                            // An unknown verb form ("나왔다고") says little
                            // about the topic; an unknown noun says a lot.
                            (Term::Korean(w), false) if super::text::is_predicate(w) => {
                                self.w.unknown_korean_part
                            }
                            (Term::Korean(_), false) if asker => {
                                self.w.unknown_korean_word * self.w.asker
                            }
                            (Term::Korean(_), false) => self.w.unknown_korean_word,
                            _ if asker => self.w.unknown_latin * self.w.asker,
                            _ => self.w.unknown_latin,
                        };
                        features.push(QueryFeature {
                            id: None,
                            weight,
                            similarity: 0.0,
                        });
                        unknown.push(name);
                    }
                    None => {}
                }
                // A wholly unknown Korean word counts once, not once per bigram.
                if matches!(term, Term::Korean(_)) && !known {
                    break;
                }
            }
        }
        self.discount_redundant(&mut features);
        Query {
            words,
            features,
            asks_number,
            personal,
            asked,
        }
    }

    /// Features found in exactly the same documents say the same thing
    /// twice ("yoon seok jin", the bigrams of one Korean word): only the
    /// first counts in full, or a name of three words would outweigh the
    /// unknown word beside it ("is yoon seok jin married").
    fn discount_redundant(&self, features: &mut [QueryFeature]) {
        for i in 1..features.len() {
            let Some(id) = features[i].id else { continue };
            let postings = &self.postings[id as usize];
            let repeats = features[..i].iter().any(|f| {
                f.id.is_some_and(|other| self.postings[other as usize] == *postings)
            });
            if repeats {
                features[i].weight *= self.w.redundant;
            }
        }
    }

    /// True for the name of something the knowledge base does not discuss:
    /// a well-known name it does not use, or one it lists as out of scope.
    fn is_other_name(&self, word: &str) -> bool {
        lexicon::is_other_name(word) || self.other_names.contains(word)
    }

    /// Factor on a known feature's weight: in the asker's story, a word
    /// only out-of-scope questions use ("applied") counts no more than an
    /// unknown word there. (The story's other known words keep their
    /// weight: they often name the topic; measured, scaling them down lost
    /// questions.)
    fn asker_factor(&self, id: u32, asker: bool) -> f32 {
        let only_out_of_scope = self.entry_postings[id as usize]
            .iter()
            .all(|&e| e as usize >= self.real_entries);
        if asker && only_out_of_scope {
            self.w.asker
        } else {
            1.0
        }
    }

    /// Whether the index knows an English word as written (or through a
    /// synonym).
    fn knows(&self, word: &str) -> bool {
        self.latin.contains(word) || self.synonyms.contains_key(word)
    }

    /// Words run together or split apart: two adjacent English words the
    /// index does not know both, whose join it knows ("long term" for
    /// "longterm"), are joined; an unknown word that is two known words
    /// (or stop words) run together ("freetime", "whatis", "researchfunding")
    /// is split, its stop words dropped.
    ///
    /// Each term comes back typo-corrected, with how well it matched.
    fn resegment(&self, terms: Vec<(Term, bool)>) -> Vec<(Term, bool, f32)> {
        let mut out: Vec<(Term, bool, f32)> = Vec::with_capacity(terms.len());
        let mut terms = terms.into_iter().peekable();
        while let Some((term, asker)) = terms.next() {
            if let (Term::Latin(w), Some((Term::Latin(next), _))) = (&term, terms.peek()) {
                let joined = format!("{w}{next}");
                if !(self.knows(w) && self.knows(next)) && self.knows(&joined) {
                    terms.next();
                    out.push((Term::Latin(joined), asker, 1.0));
                    continue;
                }
            }
            let written = match &term {
                Term::Latin(w) => Some(w.clone()),
                _ => None,
            };
            let (corrected, similarity) = self.correct(term);
            // Only a word left as it was, unknown, and not a real word
            // (a typo of one word, or "weekend", is not two) may be two.
            let split = match (&written, &corrected) {
                (Some(w), Term::Latin(c))
                    if w == c
                        && !self.knows(w)
                        && w.chars().count() >= 6
                        && w.chars().all(char::is_alphabetic)
                        && !wordnet::is_real_word(w, u8::MAX) =>
                {
                    self.split_merged(w)
                }
                _ => None,
            };
            match split {
                Some(parts) => out.extend(parts.into_iter().map(|p| {
                    let (t, sim) = self.correct(Term::Latin(p));
                    (t, asker, sim)
                })),
                None => out.push((corrected, asker, similarity)),
            }
        }
        out
    }

    /// The content words of a word that is two words run together, if it
    /// is: both parts known or stop words. (A typo inside a merged word,
    /// "reserachfunding", would need a typo search per split point: over a
    /// knowledge base of 10,000 entries that tripled the p99 latency.)
    fn split_merged(&self, w: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = w.chars().collect();
        let halves = |i: usize| -> (String, String) {
            (chars[..i].iter().collect(), chars[i..].iter().collect())
        };
        let exact = |p: &str| is_stop(p) || self.knows(p);
        // The longest left part first. A split into two
        // stop words still says nothing: they are dropped.
        for i in (2..chars.len() - 1).rev() {
            let (left, right) = halves(i);
            if exact(&left) && exact(&right) {
                return Some([left, right].into_iter().filter(|p| !is_stop(p)).collect());
            }
        }
        None
    }

    /// A misspelt word replaced by the known word it is nearest to.
    fn correct(&self, term: Term) -> (Term, f32) {
        match term {
            Term::Latin(w) if !self.synonyms.contains_key(&w) && !self.latin.contains(&w) => {
                let letters: Vec<char> = w.chars().collect();
                if letters.iter().any(|c| c.is_ascii_digit()) {
                    return (Term::Latin(w), 1.0);
                }
                // A word the reader chose over the column's: its WordNet
                // synonym or derivational form, when the index knows it.
                let related = (self.w.related > 0.0)
                    .then(|| wordnet::related(&w, self.w.related_cost))
                    .flatten();
                if let Some(target) = related {
                    let target = Term::Latin(target.to_owned());
                    let known = self
                        .term_features(&target, true)
                        .iter()
                        .any(|f| self.features.contains_key(f));
                    if known {
                        return (target, self.w.related);
                    }
                }
                if wordnet::is_real_word(&w, self.w.real_word_edits) {
                    return (Term::Latin(w), 1.0);
                }
                match self.latin.correct(&letters, false) {
                    Some((known, sim)) => (Term::Latin(known.to_owned()), sim),
                    None => (Term::Latin(w), 1.0),
                }
            }
            Term::Korean(w) if !self.synonyms.contains_key(&w) && !self.korean.contains(&w) => {
                match self.korean.correct(&jamo(&w), true) {
                    Some((known, sim)) => (Term::Korean(known.to_owned()), sim),
                    None => (Term::Korean(w), 1.0),
                }
            }
            other => (other, 1.0),
        }
    }

    /// Entries by score, best first; entries scoring zero are left out.
    pub fn rank(&self, query: &Query) -> Ranking {
        let total: f32 = query.features.iter().map(|f| f.weight).sum();
        if total <= 0.0 {
            return Ranking::default();
        }
        let mut ranked = SCRATCH.with_borrow_mut(|scratch| {
            scratch.prepare(self.docs.len(), self.entry_count);
            // Only the documents and entries that share a feature with the
            // question are touched, so the cost follows the question's
            // postings, not the size of the knowledge base.
            for f in &query.features {
                let Some(id) = f.id else { continue };
                let gain = f.weight * f.similarity;
                for &d in &self.postings[id as usize] {
                    scratch.hit_doc(d, gain);
                }
                for &e in &self.entry_postings[id as usize] {
                    scratch.hit_entry(e, gain);
                }
            }
            for &d in &scratch.docs_touched {
                let hit = scratch.doc_hits[d as usize];
                let doc = &self.docs[d as usize];
                let query_cover = hit / total;
                let doc_cover = (hit / doc.total).min(1.0);
                let kind = if doc.kind == DocKind::Passage {
                    self.w.passage
                } else {
                    1.0
                };
                // Multiplying by the question's coverage keeps a short document
                // that the question happens to contain ("deepseek") from lifting
                // a question that is mostly about something else ("deepseek's
                // stock price").
                let precision = self.w.doc_precision;
                let score = kind * query_cover * (1.0 - precision + precision * doc_cover);
                let slot = &mut scratch.best_doc[doc.entry as usize];
                *slot = slot.max(score);
            }
            let ranked: Vec<Candidate> = scratch
                .entries_touched
                .iter()
                .map(|&e| {
                    let entry = e as usize;
                    let (doc, hits) = (scratch.best_doc[entry], scratch.entry_hits[entry]);
                    let coverage = (hits / total).min(1.0);
                    // The out-of-scope questions are many unrelated ones: their
                    // union covers any mix of words, so only the nearest single
                    // question counts for them.
                    let mut score = if entry >= self.real_entries {
                        doc
                    } else {
                        (1.0 - self.w.entry_share) * doc + self.w.entry_share * coverage
                    };
                    score *= (hits / self.w.evidence).min(1.0);
                    if query.asks_number && !self.has_number[entry] {
                        score *= self.w.no_number;
                    }
                    // A fact of a kind the passage does not hold.
                    if let Some(asked) = query.asked
                        && entry < self.real_entries
                        && !self.provided[entry].answers(asked, &query.words)
                    {
                        score *= self.w.missing_type;
                    }
                    // Personal requests are what the out-of-scope questions hold.
                    if query.personal && entry < self.real_entries {
                        score *= self.w.personal;
                    }
                    Candidate {
                        entry,
                        score,
                        coverage,
                    }
                })
                .filter(|c| c.score > 0.0)
                .collect();
            scratch.clear();
            ranked
        });
        // Callers look at the first few: sort only the best ones (and the
        // out-of-scope entry, wherever it ranks).
        let order =
            |a: &Candidate, b: &Candidate| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry));
        let out_of_scope_entry = ranked
            .iter()
            .position(|c| c.entry >= self.real_entries)
            .map(|i| ranked.swap_remove(i));
        if ranked.len() > MAX_RANKED {
            ranked.select_nth_unstable_by(MAX_RANKED, order);
            ranked.truncate(MAX_RANKED);
        }
        ranked.sort_unstable_by(order);
        ranked.extend(out_of_scope_entry);
        let out_of_scope = ranked
            .iter()
            .position(|c| c.entry >= self.real_entries)
            .map_or(0.0, |i| ranked.remove(i).score);
        Ranking {
            candidates: ranked,
            out_of_scope,
        }
    }
}

/// Every entry's texts as terms, on all cores for a large knowledge base:
/// analysing text is most of the cost of building an index.
fn analyse_entries(entries: &[&Entry], reader: &Reader) -> Vec<Vec<(DocKind, Vec<Term>)>> {
    let analyse = |entry: &&Entry| -> Vec<(DocKind, Vec<Term>)> {
        entry_texts(entry)
            .into_iter()
            .map(|(kind, text)| (kind, terms(text, reader).1))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // Below a few hundred entries a thread costs more than it saves.
    if threads < 2 || entries.len() < 500 {
        return entries.iter().map(analyse).collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(analyse).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The texts an entry is found by, with the kind of document each makes.
fn entry_texts(entry: &Entry) -> Vec<(DocKind, &str)> {
    let mut texts = Vec::new();
    texts.extend(
        entry
            .questions
            .iter()
            .map(|q| (DocKind::Question, q.as_str())),
    );
    texts.extend(
        entry
            .questions_ko
            .iter()
            .map(|q| (DocKind::Question, q.as_str())),
    );
    texts.extend(
        entry
            .keywords
            .iter()
            .map(|k| (DocKind::Keyword, k.as_str())),
    );
    texts.push((DocKind::Title, entry.title.as_str()));
    if let Some(t) = &entry.title_ko {
        texts.push((DocKind::Title, t.as_str()));
    }
    for excerpt in &entry.passage {
        texts.extend(sentences(excerpt).map(|s| (DocKind::Passage, s)));
    }
    texts
}

/// Splits an excerpt into sentences at ". ", "? " and "! ".
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = rest
            .match_indices(['.', '?', '!'])
            .map(|(i, _)| i + 1)
            .find(|&i| rest[i..].starts_with(' '))
            .unwrap_or(rest.len());
        let (sentence, tail) = rest.split_at(cut);
        rest = tail.trim_start();
        Some(sentence)
    })
}

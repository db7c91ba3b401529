//! The index behind the matcher: the documents of every entry (its
//! alternate questions, keywords, titles and passage sentences), their
//! features' postings and weights, the out-of-scope questions' own small
//! index over the same features (`out_of_scope`), and the vocabularies that
//! misspelt words are corrected against. Built once per knowledge base; the
//! question side is in `query`, the scoring in `rank`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::analysis::{self, Feature, Reader, Term, terms};
use super::answer_type::Provided;
use super::lexicon::{self, Wording};
use super::ordinal::StepRef;
use super::out_of_scope::OutOfScopeIndex;
use super::sentence::{self, Sentence};
use super::text::fold;
use super::vocabulary::Vocabulary;
use super::weights::Weights;
use super::wordnet;
use crate::knowledge::{Entry, Kind, KnowledgeBase};

/// The kinds of document an entry is indexed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DocKind {
    Question,
    Keyword,
    Title,
    Passage,
    Step,
}

#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) entry: u32,
    pub(super) kind: DocKind,
    /// Sum of the weights of its distinct features.
    pub(super) total: f32,
}

/// The searchable form of a knowledge base.
#[derive(Debug, Clone)]
pub struct Index {
    pub(super) reader: Reader,
    /// Names the knowledge base says it does not discuss, folded.
    pub(super) other_names: FxHashSet<String>,
    pub(super) synonyms: HashMap<String, String>,
    pub(super) latin: Vocabulary,
    pub(super) korean: Vocabulary,
    /// The stem of each Korean verb form the entries use → that form
    /// (`verb::stem`), so another form of the same verb meets it.
    pub(super) korean_stems: HashMap<String, String>,
    /// Korean words of the out-of-scope questions: real words, which a
    /// question means as written ("직원", staff, is no typo of an entry's
    /// "지원", support), though nothing is corrected towards them. English
    /// words have WordNet's list of real words, which also leaves them
    /// open to its derivational forms ("write" meets "writer").
    pub(super) out_of_scope_korean: FxHashSet<String>,
    pub(super) features: HashMap<Feature, u32>,
    pub(super) weights: Vec<f32>,
    /// Feature → the entries' documents containing it.
    pub(super) postings: Vec<Vec<u32>>,
    /// Feature → entries containing it (none: only out-of-scope questions do).
    pub(super) entry_postings: Vec<Vec<u32>>,
    pub(super) docs: Vec<Doc>,
    /// Entries indexed: the knowledge base's.
    pub(super) entry_count: usize,
    /// The `[out_of_scope]` questions, over the same features.
    pub(super) out_of_scope: OutOfScopeIndex,
    /// Per entry: its passage states a number.
    pub(super) has_number: Vec<bool>,
    /// Per entry: the kinds of fact its passage holds.
    pub(super) provided: Vec<Provided>,
    /// Per entry: the roles its passage says someone held before
    /// ("former president").
    pub(super) former_roles: Vec<Vec<String>>,
    /// Per entry: what the figures of its passage count.
    pub(super) counts: Vec<super::counts::Counts>,
    /// Per entry: what part of the source it is. The overview lists what
    /// the source proposes and argues no cause; a step or the overview
    /// tells no event; an entry about the text holds its facts.
    pub(super) kinds: Vec<Kind>,
    /// Per entry: its passage says what should be done (`advice`).
    pub(super) advises: Vec<bool>,
    /// Per entry: its passage's sentences, for marking the one that answers.
    pub(super) sentences: Vec<Vec<Sentence>>,
    /// Per entry: the features of its titles (sorted, distinct).
    pub(super) title_features: Vec<Vec<u32>>,
    /// The entries in the order their passages appear in the source.
    pub(super) reading_order: Vec<usize>,
    pub(super) w: Weights,
}

impl Index {
    pub fn build(kb: &KnowledgeBase, w: Weights) -> Self {
        wordnet::preload();
        super::frequency::preload();
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
            korean_stems: HashMap::default(),
            out_of_scope_korean: FxHashSet::default(),
            features: HashMap::default(),
            weights: Vec::new(),
            postings: Vec::new(),
            entry_postings: Vec::new(),
            docs: Vec::new(),
            entry_count: kb.entries.len(),
            out_of_scope: OutOfScopeIndex::default(),
            has_number: kb
                .entries
                .iter()
                .map(|e| e.passage.iter().any(|p| lexicon::states_number(p)))
                .collect(),
            provided: kb
                .entries
                .iter()
                .map(|e| Provided::of(&e.passage))
                .collect(),
            former_roles: kb
                .entries
                .iter()
                .map(|e| super::former::former_roles(&e.passage))
                .collect(),
            counts: kb
                .entries
                .iter()
                .map(|e| super::counts::Counts::of(&e.passage))
                .collect(),
            kinds: kb.entries.iter().map(|e| e.kind).collect(),
            advises: kb
                .entries
                .iter()
                .map(|e| super::advice::passage_advises(&e.passage))
                .collect(),
            sentences: Vec::new(),
            title_features: Vec::new(),
            reading_order: reading_order(kb),
            w,
        };
        let mut latin_words = FxHashSet::default();
        let mut korean_words = FxHashSet::default();
        let mut term_ids: HashMap<Term, Vec<u32>> = HashMap::default();
        let mut doc_features: Vec<Vec<u32>> = Vec::new();
        let analysed = analyse_entries(&kb.entries, &index.reader);
        for (e, (entry, texts)) in kb.entries.iter().zip(analysed).enumerate() {
            // Passage documents come in the order of their sentences.
            let mut spans = entry.passage.iter().enumerate().flat_map(|(i, excerpt)| {
                sentence::spans(excerpt).map(move |range| (i, range, excerpt))
            });
            let mut sentences = Vec::new();
            let mut title = Vec::new();
            for (kind, terms) in texts {
                let ids = index.intern_terms(terms, &mut term_ids, |term| match term {
                    Term::Latin(w) => {
                        latin_words.insert(w.clone());
                    }
                    Term::Korean(w) => {
                        korean_words.insert(w.clone());
                    }
                    _ => {}
                });
                match kind {
                    DocKind::Title => title.extend_from_slice(&ids),
                    DocKind::Passage => {
                        if let Some((excerpt, range, text)) = spans.next() {
                            let sentence = &text[range.clone()];
                            sentences.push(Sentence::new(excerpt, range, sentence, ids.clone()));
                        }
                    }
                    _ => {}
                }
                index.add_doc(e, kind, ids, &mut doc_features);
            }
            title.sort_unstable();
            title.dedup();
            for s in &mut sentences {
                s.features.retain(|id| title.binary_search(id).is_err());
            }
            // An overview's sentences are the steps, one each: what it
            // answers asks for all of them.
            if entry.kind == crate::knowledge::Kind::Overview {
                sentences.clear();
            }
            index.sentences.push(sentences);
            index.title_features.push(title);
            if let Some(step) = entry.step {
                index.add_step_doc(e, StepRef::Step(step), &mut doc_features);
            }
            if entry.kind == crate::knowledge::Kind::Overview {
                index.add_step_doc(e, StepRef::All, &mut doc_features);
            }
        }
        // After the entries, so their features keep the ids they have
        // without out-of-scope questions. Misspellings are never corrected
        // towards these questions' words: correcting "part" to an
        // out-of-scope "party" would decline a question about the column.
        for question in &kb.out_of_scope {
            let mut words = Vec::new();
            let ids = index.intern_terms(
                terms(question, Wording::Knowledge, &index.reader).1,
                &mut term_ids,
                |term| {
                    if let Term::Korean(w) = term {
                        words.push(w.clone());
                    }
                },
            );
            index.out_of_scope_korean.extend(words);
            index.out_of_scope.add(ids);
        }
        for (canonical, variants) in &kb.synonyms {
            let canonical = fold(canonical);
            let term = if super::text::has_hangul(&canonical) {
                Term::Korean(canonical.clone())
            } else {
                Term::Latin(canonical.clone())
            };
            let in_entries = index.term_features(&term, false).iter().any(|f| {
                index
                    .features
                    .get(f)
                    .is_some_and(|&id| !index.only_out_of_scope(id))
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
        let mut korean_words: Vec<String> = korean_words.into_iter().collect();
        // Sorted, so that of two forms with one stem the same is chosen on
        // every build.
        korean_words.sort_unstable();
        for word in &korean_words {
            if let Some(stem) = super::verb::stem(word) {
                index
                    .korean_stems
                    .entry(stem)
                    .or_insert_with(|| word.clone());
            }
        }
        index.korean = Vocabulary::new(korean_words, true);
        // In document frequency the out-of-scope questions, all together,
        // count as one entry more (as they did when they were indexed as
        // one): the weights were tuned with them counted so.
        let out_of_scope_entries = usize::from(!kb.out_of_scope.is_empty());
        let n = (index.entry_count + out_of_scope_entries) as f32;
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
        for (name, &id) in &index.features {
            index.weights[id as usize] = if matches!(name, Feature::Step(_)) {
                w.step
            } else if index.only_out_of_scope(id) {
                // A word only out-of-scope questions use ("salary",
                // "married") marks a question as one of them.
                w.out_of_scope_word
            } else {
                // BM25's IDF over entries: a word in every entry weighs next to nothing.
                let df = match content_df[id as usize] {
                    0 => {
                        let in_out_of_scope = !index.out_of_scope.postings(id).is_empty();
                        (index.entry_postings[id as usize].len() + usize::from(in_out_of_scope))
                            as f32
                    }
                    df => df as f32,
                };
                (((n - df + 0.5) / (df + 0.5)) + 1.0).ln().max(w.min_idf)
            };
        }
        for (doc, ids) in index.docs.iter_mut().zip(&doc_features) {
            doc.total = ids.iter().map(|&id| index.weights[id as usize]).sum();
        }
        index.out_of_scope.weigh(&index.weights);
        index
    }

    /// The (sorted, distinct) features of a text's terms, interned;
    /// `new_term` sees each term the index had not met before.
    fn intern_terms(
        &mut self,
        terms: Vec<Term>,
        term_ids: &mut HashMap<Term, Vec<u32>>,
        mut new_term: impl FnMut(&Term),
    ) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        for term in terms {
            // Words repeat across a knowledge base: stem and intern each
            // distinct one once.
            if let Some(known) = term_ids.get(&term) {
                ids.extend_from_slice(known);
                continue;
            }
            new_term(&term);
            let new: Vec<u32> = self
                .term_features(&term, false)
                .into_iter()
                .map(|f| self.intern(f))
                .collect();
            ids.extend_from_slice(&new);
            term_ids.insert(term, new);
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// True for a feature that no entry has: only out-of-scope questions
    /// use it.
    pub(super) fn only_out_of_scope(&self, feature: u32) -> bool {
        self.entry_postings[feature as usize].is_empty()
    }

    fn add_step_doc(&mut self, entry: usize, step: StepRef, doc_features: &mut Vec<Vec<u32>>) {
        let id = self.intern(Feature::Step(step));
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

    fn intern(&mut self, feature: Feature) -> u32 {
        let next = self.features.len() as u32;
        *self.features.entry(feature).or_insert_with(|| {
            self.postings.push(Vec::new());
            self.entry_postings.push(Vec::new());
            next
        })
    }

    /// The features of a term as written (no typo correction).
    pub(super) fn term_features(&self, term: &Term, query: bool) -> Vec<Feature> {
        analysis::features(term, &self.synonyms, query)
    }
}

/// Every entry's texts as terms, on all cores for a large knowledge base:
/// analysing text is most of the cost of building an index.
fn analyse_entries(entries: &[Entry], reader: &Reader) -> Vec<Vec<(DocKind, Vec<Term>)>> {
    let analyse = |entry: &Entry| -> Vec<(DocKind, Vec<Term>)> {
        entry_texts(entry)
            .into_iter()
            .map(|(kind, text)| (kind, terms(text, Wording::Knowledge, reader).1))
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
        texts.extend(sentence::spans(excerpt).map(|r| (DocKind::Passage, &excerpt[r])));
    }
    texts
}

/// The entries in the order their first passages appear in the source;
/// an entry whose passage is not found there (a knowledge base built in
/// memory) has no place in it.
fn reading_order(kb: &KnowledgeBase) -> Vec<usize> {
    let mut found: Vec<(usize, usize)> = kb
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let first = e.passage.first()?;
            kb.source.text.find(first.as_str()).map(|at| (at, i))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, i)| i).collect()
}

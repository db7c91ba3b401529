//! Scoring: the entries that share a feature with a question, each scored
//! by how much of the question its best document explains, how much of
//! that document the question covers, and how much of the question the
//! entry as a whole explains; then held back where the question asks for
//! what the passage lacks. The out-of-scope questions score apart.

use super::Candidate;
use super::index::{DocKind, Index};
use super::query::Query;

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

impl Index {
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
                    // "Why" is answered by what the source argues, never by
                    // its list of proposals.
                    if query.asks_reason && self.overview.get(entry) == Some(&true) {
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

#[cfg(test)]
mod tests {
    use crate::knowledge::with_steps;
    use crate::matcher::{Index, Weights};

    /// The ids of the entries `question` ranks, best first.
    fn ranked(index: &Index, kb: &crate::knowledge::KnowledgeBase, question: &str) -> Vec<String> {
        let query = index.analyze_query(question);
        index
            .rank(&query)
            .candidates
            .iter()
            .map(|c| kb.entries[c.entry].id.clone())
            .collect()
    }

    #[test]
    fn a_tiny_knowledge_base_ranks_by_topic_and_step() {
        let kb = with_steps(3);
        let index = Index::build(&kb, Weights::default());
        let cases: &[(&str, &str)] = &[
            ("tell me about the lanterns", "step-3"),
            ("what does the second part say", "step-2"),
            ("why does the town need a plan", "why"),
            ("lantrens", "step-3"), // a typo of a known word
            // "why" is answered by an entry arguing a cause, not by the
            // overview whose words it shares
            ("what is the plan", "overview"),
            ("why is the plan", "why"),
            ("계획이 뭐야", "overview"),
            ("계획이 왜 필요해", "why"),
        ];
        for &(question, want) in cases {
            assert_eq!(
                ranked(&index, &kb, question).first().map(String::as_str),
                Some(want),
                "{question}"
            );
        }
    }

    #[test]
    fn unknown_words_lower_every_score() {
        let kb = with_steps(3);
        let index = Index::build(&kb, Weights::default());
        let top = |q: &str| index.rank(&index.analyze_query(q)).top();
        let plain = top("bridges");
        let diluted = top("bridges stockmarket quarterly dividends");
        assert!(plain > 0.0 && diluted < plain / 2.0, "{plain} {diluted}");
        assert_eq!(top("stockmarket dividends"), 0.0);
    }
}

//! Scoring: the entries that share a feature with a question, each scored
//! by how much of the question its best document explains, how much of
//! that document the question covers, and how much of the question the
//! entry as a whole explains; then held back where the question asks for
//! what the passage lacks. The out-of-scope questions, in their own
//! index, are scored by the same rule as an entry's documents; only the
//! nearest one counts.

use super::Candidate;
use super::answer_type::AnswerType;
use super::index::{DocKind, Index};
use super::query::Query;
use super::sentence::Sentence;
use crate::knowledge::Kind;

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
    /// Per document of an entry: the weight of the question it has.
    docs: Hits,
    /// Per entry: the weight of the question it has.
    entries: Hits,
    /// Per entry: its best document's score.
    best_doc: Vec<f32>,
    /// Per out-of-scope question: the weight of the question it has.
    questions: Hits,
}

/// Gains summed per slot (a document, an entry, a question), and the slots
/// touched.
#[derive(Default)]
struct Hits {
    sums: Vec<f32>,
    touched: Vec<u32>,
}

impl Hits {
    /// Makes room for this many slots (one thread may use several indexes).
    fn prepare(&mut self, slots: usize) {
        if self.sums.len() < slots {
            self.sums.resize(slots, 0.0);
        }
    }

    fn hit(&mut self, slot: u32, gain: f32) {
        let sum = &mut self.sums[slot as usize];
        if *sum == 0.0 {
            self.touched.push(slot);
        }
        *sum += gain;
    }

    fn clear(&mut self) {
        for s in self.touched.drain(..) {
            self.sums[s as usize] = 0.0;
        }
    }
}

impl Scratch {
    /// Makes room for an index of this size.
    fn prepare(&mut self, index: &Index) {
        self.docs.prepare(index.docs.len());
        self.entries.prepare(index.entry_count);
        if self.best_doc.len() < index.entry_count {
            self.best_doc.resize(index.entry_count, 0.0);
        }
        self.questions.prepare(index.out_of_scope.len());
    }

    fn clear(&mut self) {
        for &e in &self.entries.touched {
            self.best_doc[e as usize] = 0.0;
        }
        self.docs.clear();
        self.entries.clear();
        self.questions.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Index {
    /// Whether the entry's passage holds the number the question asks for,
    /// if it asks for one: "How many people?" is not answered by a passage
    /// whose figures count years.
    fn holds_number(&self, query: &Query, entry: usize) -> bool {
        let counts_it = query
            .counted
            .as_ref()
            .is_none_or(|c| self.counts[entry].has(c));
        !query.asks_number
            || (self.has_number[entry]
                && counts_it
                && self.in_a_sentence_asked_about(query, entry, |s| s.states_number))
    }

    /// Whether a sentence of the entry's passage that mentions one of the
    /// question's words holds what `holds` looks for; true as well when no
    /// sentence mentions any ("what year was that?" names nothing to look
    /// for), or the entry has no sentences of its own (the overview).
    fn in_a_sentence_asked_about(
        &self,
        query: &Query,
        entry: usize,
        holds: impl Fn(&Sentence) -> bool,
    ) -> bool {
        let mentions = |s: &Sentence| {
            query
                .features
                .iter()
                .filter_map(|f| f.id)
                .any(|id| s.mentions.binary_search(&id).is_ok())
        };
        let sentences = &self.sentences[entry];
        !sentences.iter().any(mentions) || sentences.iter().any(|s| holds(s) && mentions(s))
    }

    /// Whether the entry's passage holds a fact of the kind the question
    /// asks for, if it asks for one.
    fn holds_type(&self, query: &Query, entry: usize) -> bool {
        let Some(asked) = query.asked else {
            return true;
        };
        if !self.provided[entry].answers(asked, &query.words) {
            return false;
        }
        // A time or a figure is one of what its sentence tells of: "when
        // did ChatGPT come out?" is not answered by AlphaGo's year beside
        // it.
        let in_sentence = matches!(
            asked,
            AnswerType::Date | AnswerType::Age | AnswerType::Amount | AnswerType::Percent
        );
        !in_sentence
            || self.in_a_sentence_asked_about(query, entry, |s| {
                s.provided.answers(asked, &query.words)
            })
    }

    /// Entries by score, best first; entries scoring zero are left out.
    pub fn rank(&self, query: &Query) -> Ranking {
        let total: f32 = query.features.iter().map(|f| f.weight).sum();
        if total <= 0.0 {
            return Ranking::default();
        }
        // As the knowledge base names them: "원장" is its "president".
        let asked_now: Vec<&str> = super::former::roles_asked_now(&query.words)
            .into_iter()
            .map(|role| self.synonyms.get(role).map_or(role, String::as_str))
            .collect();
        let (mut ranked, out_of_scope) = SCRATCH.with_borrow_mut(|scratch| {
            scratch.prepare(self);
            // The weight of the question's features that some out-of-scope
            // question has.
            let mut out_of_scope_hits = 0.0;
            // Only the documents, entries and questions that share a feature
            // with the question are touched, so the cost follows the
            // question's postings, not the size of the knowledge base.
            for f in &query.features {
                let Some(id) = f.id else { continue };
                let gain = f.weight * f.similarity;
                for &d in &self.postings[id as usize] {
                    scratch.docs.hit(d, gain);
                }
                for &e in &self.entry_postings[id as usize] {
                    scratch.entries.hit(e, gain);
                }
                let questions = self.out_of_scope.postings(id);
                if !questions.is_empty() {
                    out_of_scope_hits += gain;
                }
                for &q in questions {
                    scratch.questions.hit(q, gain);
                }
            }
            for &d in &scratch.docs.touched {
                let doc = &self.docs[d as usize];
                let score =
                    self.doc_score(scratch.docs.sums[d as usize], total, doc.kind, doc.total);
                let slot = &mut scratch.best_doc[doc.entry as usize];
                *slot = slot.max(score);
            }
            // The out-of-scope questions are many unrelated ones: their
            // union covers any mix of words, so only the nearest single
            // question counts for them, held to the evidence an entry is.
            let nearest = scratch.questions.touched.iter().fold(0.0, |best: f32, &q| {
                let hit = scratch.questions.sums[q as usize];
                let question = self.out_of_scope.total(q);
                best.max(self.doc_score(hit, total, DocKind::Question, question))
            });
            let out_of_scope = nearest * self.evidence(out_of_scope_hits);
            let ranked: Vec<Candidate> = scratch
                .entries
                .touched
                .iter()
                .map(|&e| {
                    let entry = e as usize;
                    let (doc, hits) = (scratch.best_doc[entry], scratch.entries.sums[entry]);
                    let coverage = (hits / total).min(1.0);
                    let mut score =
                        (1.0 - self.w.entry_share) * doc + self.w.entry_share * coverage;
                    score *= self.evidence(hits);
                    if !self.holds_number(query, entry) {
                        score *= self.w.no_number;
                    }
                    if !self.holds_type(query, entry) {
                        score *= self.w.missing_type;
                    }
                    // "Who is the current president?" is not answered by a
                    // passage naming a former one.
                    if super::former::held_before(&self.former_roles[entry], &asked_now) {
                        score *= self.w.missing_type;
                    }
                    // "Why" is answered by what the source argues, never by
                    // its list of proposals.
                    if query.asks_reason && self.kinds.get(entry) == Some(&Kind::Overview) {
                        score *= self.w.missing_type;
                    }
                    // "What should the state do?" is answered by a passage
                    // that recommends, not by one describing the state.
                    if query.asks_advice && self.advises.get(entry) == Some(&false) {
                        score *= self.w.missing_type;
                    }
                    // "What happened to the research money?" is answered by
                    // a passage telling events, not by a proposal.
                    if query.asks_event
                        && matches!(self.kinds.get(entry), Some(Kind::Step | Kind::Overview))
                    {
                        score *= self.w.missing_type;
                    }
                    // Personal requests are what the out-of-scope questions hold.
                    if query.personal {
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
            (ranked, out_of_scope)
        });
        // Callers look at the first few: sort only the best ones.
        let order =
            |a: &Candidate, b: &Candidate| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry));
        if ranked.len() > MAX_RANKED {
            ranked.select_nth_unstable_by(MAX_RANKED, order);
            ranked.truncate(MAX_RANKED);
        }
        ranked.sort_unstable_by(order);
        Ranking {
            candidates: ranked,
            out_of_scope,
        }
    }

    /// How well one document (of this kind, its features weighing
    /// `doc_total`) explains a question of weight `total`, of which the
    /// features the document has weigh `hit`.
    fn doc_score(&self, hit: f32, total: f32, kind: DocKind, doc_total: f32) -> f32 {
        let query_cover = hit / total;
        let doc_cover = (hit / doc_total).min(1.0);
        let kind = if kind == DocKind::Passage {
            self.w.passage
        } else {
            1.0
        };
        // Multiplying by the question's coverage keeps a short document
        // that the question happens to contain ("deepseek") from lifting
        // a question that is mostly about something else ("deepseek's
        // stock price").
        let precision = self.w.doc_precision;
        kind * query_cover * (1.0 - precision + precision * doc_cover)
    }

    /// Factor for how much of the question's weight a match rests on: a
    /// match on little evidence scores less.
    fn evidence(&self, hits: f32) -> f32 {
        (hits / self.w.evidence).min(1.0)
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
    fn a_question_asking_what_should_be_done_gets_the_passage_that_recommends() {
        // Both passages name the council; only one says what it should do.
        let source = "The council funds the harbour.\n\nThe council must repair the old \
                      harbour walls and the quays before the winter storms.\n";
        let manifest = "[source]\ntitle = \"Harbours\"\nauthor = \"Test Author\"\n\
             paper = \"Test Paper\"\ntext = \"harbour.txt\"\n\n\
             [[entry]]\nid = \"north\"\nkind = \"background\"\ntitle = \"The northern harbour\"\n\
             passage = [\"The council funds the harbour.\"]\n\
             questions = [\"the northern harbour\", \"harbour in the north\", \"northern port\", \"how is the north harbour funded\"]\nquestions_ko = [\"북쪽 항구\", \"북항\"]\n\n\
             [[entry]]\nid = \"walls\"\nkind = \"background\"\ntitle = \"The harbour walls\"\n\
             passage = [\"The council must repair the old harbour walls and the quays before the winter storms.\"]\n\
             questions = [\"the old walls\", \"harbour walls\", \"sea walls\", \"repairing the walls\"]\nquestions_ko = [\"오래된 방파제\", \"방파제 수리\"]\n";
        let kb = crate::knowledge::KnowledgeBase::from_parts(
            crate::knowledge::MANIFEST,
            manifest,
            source,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let index = Index::build(&kb, Weights::default());
        let first = |q: &str| ranked(&index, &kb, q).first().cloned();
        // Without the question asking what should be done, the passage
        // that is shorter and says more of the question ranks first.
        assert_eq!(
            first("what does the council do for the harbour").as_deref(),
            Some("north")
        );
        for question in [
            "what should the council do for the harbour",
            "what does the author want the council to do for the harbour",
        ] {
            assert_eq!(first(question).as_deref(), Some("walls"), "{question}");
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

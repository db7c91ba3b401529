//! The knowledge base's `[out_of_scope]` questions — questions that sound
//! close to the column but that it does not answer — indexed apart from the
//! entries, each question one document. They share the entries' feature
//! table and weights, so a word only they use is still a known word, one
//! that marks a question as theirs (`Weights::out_of_scope_word`); typos
//! are never corrected towards their words. `rank` scores them with the
//! entries' document scoring and keeps only how close the nearest one
//! comes (`Ranking::out_of_scope`).

/// The out-of-scope questions' postings: feature → questions.
#[derive(Debug, Clone, Default)]
pub(super) struct OutOfScopeIndex {
    /// Feature (an id of the index's feature table) → the questions that
    /// have it; features past its end are in none.
    postings: Vec<Vec<u32>>,
    /// Per question: its (sorted, distinct) features, until `weigh`.
    features: Vec<Vec<u32>>,
    /// Per question: the sum of the weights of its features (0 until `weigh`).
    totals: Vec<f32>,
}

impl OutOfScopeIndex {
    /// Adds a question with these (sorted, distinct) features; one with
    /// none is left out, as a document of an entry would be.
    pub(super) fn add(&mut self, ids: Vec<u32>) {
        let Some(&last) = ids.last() else { return };
        if self.postings.len() <= last as usize {
            self.postings.resize(last as usize + 1, Vec::new());
        }
        let question = self.features.len() as u32;
        for &id in &ids {
            self.postings[id as usize].push(question);
        }
        self.features.push(ids);
        self.totals.push(0.0);
    }

    /// Sums each question's feature weights, once every weight is known.
    pub(super) fn weigh(&mut self, weights: &[f32]) {
        for (total, ids) in self
            .totals
            .iter_mut()
            .zip(std::mem::take(&mut self.features))
        {
            *total = ids.iter().map(|&id| weights[id as usize]).sum();
        }
    }

    /// How many questions are indexed.
    pub(super) fn len(&self) -> usize {
        self.totals.len()
    }

    /// The questions that have `feature`.
    pub(super) fn postings(&self, feature: u32) -> &[u32] {
        self.postings
            .get(feature as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The sum of the weights of `question`'s features.
    pub(super) fn total(&self, question: u32) -> f32 {
        self.totals[question as usize]
    }
}

#[cfg(test)]
mod tests {
    use crate::knowledge::{KnowledgeBase, with_steps};
    use crate::matcher::analysis::Term;
    use crate::matcher::{Decision, Index, Matcher, MatcherConfig, Weights};

    /// The town plan of `with_steps(3)`, with these out-of-scope questions.
    fn town(out_of_scope: &[&str]) -> KnowledgeBase {
        let mut kb = with_steps(3);
        kb.out_of_scope = out_of_scope.iter().map(|q| q.to_string()).collect();
        kb
    }

    /// Close to the plan ("bridges" is a step's word), but not in it.
    const COST: &str = "what will the bridges cost";

    /// The id of an English word's feature, as the index stems it.
    fn id(index: &Index, word: &str) -> u32 {
        let features = index.term_features(&Term::Latin(word.to_owned()), false);
        index.features[&features[0]]
    }

    #[test]
    fn an_out_of_scope_question_is_ranked_by_its_own_index_and_declined() {
        let kb = town(&[COST, "is the mayor married"]);
        let index = Index::build(&kb, Weights::default());
        // The entries' documents are the entries' alone; the questions are
        // the small index's.
        assert_eq!(index.entry_count, kb.entries.len());
        assert!(
            index
                .docs
                .iter()
                .all(|d| (d.entry as usize) < kb.entries.len())
        );
        assert_eq!(index.out_of_scope.len(), 2);
        let ranking = index.rank(&index.analyze_query(COST));
        assert!(ranking.out_of_scope > ranking.top(), "{ranking:?}");
        assert!(
            ranking
                .candidates
                .iter()
                .all(|c| c.entry < kb.entries.len())
        );
        let m = Matcher::new(&kb, MatcherConfig::default());
        assert_eq!(m.decide(COST).decision, Decision::Decline);
        assert!(m.is_out_of_scope(COST));
        // Without the out-of-scope question, the step it borrows a word
        // from would be offered.
        let plain = Matcher::new(&town(&[]), MatcherConfig::default());
        assert!(!plain.is_out_of_scope(COST));
        assert_ne!(plain.decide(COST).decision, Decision::Decline);
    }

    #[test]
    fn a_word_only_out_of_scope_questions_use_counts_as_theirs() {
        let kb = town(&[COST]);
        let w = Weights::default();
        let index = Index::build(&kb, w);
        let (cost, bridges) = (id(&index, "cost"), id(&index, "bridges"));
        assert!(index.only_out_of_scope(cost));
        assert!(!index.only_out_of_scope(bridges));
        assert_eq!(index.weights[cost as usize], w.out_of_scope_word);
        assert_ne!(index.weights[bridges as usize], w.out_of_scope_word);
        // Asked, it weighs as theirs; in the asker's own story, no more
        // than an unknown word there.
        let weight = |question: &str| {
            let query = index.analyze_query(question);
            let f = query.features.iter().find(|f| f.id == Some(cost));
            f.map(|f| f.weight)
        };
        assert_eq!(weight("cost"), Some(w.out_of_scope_word));
        assert_eq!(
            weight("I worry about the cost, what about bridges"),
            Some(w.out_of_scope_word * w.asker)
        );
        // Typos are never corrected towards it.
        assert!(!index.latin.contains("cost"));
        assert!(index.latin.contains("bridges"));
    }

    #[test]
    fn a_knowledge_base_without_entries_or_out_of_scope_questions_is_matched() {
        let config = MatcherConfig::default;
        // No entries: the out-of-scope questions alone still decline.
        let mut kb = town(&[COST]);
        kb.entries.clear();
        let m = Matcher::new(&kb, config());
        assert!(m.rank(COST).is_empty());
        assert!(m.is_out_of_scope(COST));
        assert_eq!(m.decide(COST).decision, Decision::Decline);
        assert_eq!(m.decide("bridges").decision, Decision::Decline);
        // No out-of-scope questions: nothing resembles one.
        let kb = town(&[]);
        let index = Index::build(&kb, Weights::default());
        assert_eq!(index.out_of_scope.len(), 0);
        assert_eq!(index.rank(&index.analyze_query(COST)).out_of_scope, 0.0);
        let m = Matcher::new(&kb, config());
        assert_eq!(m.decide("what about bridges").decision, Decision::Answer);
        // Neither.
        let mut kb = town(&[]);
        kb.entries.clear();
        let m = Matcher::new(&kb, config());
        assert!(m.rank(COST).is_empty());
        assert_eq!(m.decide(COST).decision, Decision::Decline);
    }
}

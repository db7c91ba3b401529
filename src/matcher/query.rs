//! A question turned into features: clauses about the asker told apart,
//! words run together or split apart re-segmented, typos corrected against
//! the index's vocabularies, each feature looked up and weighted (an
//! unknown word costs the most), and what the question asks for noted (a
//! number, a kind of fact, advice for the asker).

use super::analysis::{Feature, Term, terms};
use super::answer_type::{self, AnswerType};
use super::index::Index;
use super::lexicon::{self, Wording, is_stop};
use super::ordinal::StepRef;
use super::text::jamo;
use super::{context, smalltalk, wordnet};

/// The most syllables a stop word run onto a known Korean word may have
/// ("누가" in "누가썼어"; "어떻게" in "어떻게됐어").
const MAX_RUN_ON_STOP: usize = 3;

/// A feature of a query: known (an id) or not, with its weight and how well
/// it matched (below 1 for a corrected typo).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct QueryFeature {
    pub(super) id: Option<u32>,
    pub(super) weight: f32,
    pub(super) similarity: f32,
}

/// A question turned into features.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Every word of the question, for classifying small talk.
    pub words: Vec<String>,
    pub(super) features: Vec<QueryFeature>,
    /// It asks for a number ("how many", "what year", "몇") and names no step.
    pub(super) asks_number: bool,
    /// What a "how many" question counts, when it says.
    pub(super) counted: Option<super::counts::Counted>,
    /// It asks for advice for the asker ("how do I", "should I").
    pub(super) personal: bool,
    /// It asks why ("why", "왜", "이유").
    pub(super) asks_reason: bool,
    /// It asks what should be done ("what should the state do", "뭘 해야
    /// 한대").
    pub(super) asks_advice: bool,
    /// Whether it asks what happened ("what happened to the money?").
    pub(super) asks_event: bool,
    /// The kind of fact it asks for, if a date, a share or a name.
    pub(super) asked: Option<AnswerType>,
    /// It names all the steps ("the three steps", "세 단계").
    pub(super) names_all_steps: bool,
    /// The features the knowledge base does not know.
    unknown: Vec<Feature>,
    /// The weight of what it says that no entry speaks of: its unknown
    /// words and the words only out-of-scope questions use.
    beyond_entries: f32,
}

/// The kind of fact a question asks for, as [`Query::wanted`] reads it:
/// an answer type, or a number of some thing counted.
#[derive(Debug, Clone)]
pub(super) struct Wanted {
    asked: Option<AnswerType>,
    asks_number: bool,
    counted: Option<super::counts::Counted>,
}

impl Query {
    /// True when nothing in the question is about a topic.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// What the question says, as the matcher reads it: one key per
    /// feature (stemmed words after synonyms and typo correction, Korean
    /// bigrams of particle-stripped words, step references), a known
    /// feature by its id and an unknown one by its hash, so two
    /// paraphrases that read alike ("flops", "failures") get the same keys.
    pub fn keys(&self) -> Vec<u64> {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hasher = BuildHasherDefault::<rustc_hash::FxHasher>::default();
        let known = self.features.iter().filter_map(|f| f.id).map(u64::from);
        // The top bit keeps a hashed feature apart from every id.
        let unknown = self
            .unknown
            .iter()
            .map(|feature| hasher.hash_one(feature) | 1 << 63);
        known.chain(unknown).collect()
    }

    /// The weight of what the question says that no entry speaks of: its
    /// unknown words, and the words only out-of-scope questions use.
    pub fn beyond_entries(&self) -> f32 {
        self.beyond_entries
    }

    /// The weight of the features the knowledge base knows.
    pub fn known_weight(&self) -> f32 {
        self.features
            .iter()
            .filter(|f| f.id.is_some())
            .map(|f| f.weight * f.similarity)
            .sum()
    }

    /// The kind of fact this question asks for, if it asks for one.
    pub(super) fn wanted(&self) -> Option<Wanted> {
        (self.asked.is_some() || self.asks_number).then(|| Wanted {
            asked: self.asked,
            asks_number: self.asks_number,
            counted: self.counted.clone(),
        })
    }

    /// Asks for the fact `wanted` besides what this question says.
    pub(super) fn want(&mut self, wanted: Wanted) {
        self.asked = wanted.asked;
        self.asks_number = wanted.asks_number;
        self.counted = wanted.counted;
    }
}

impl Index {
    /// Analyses a question: its terms, typo-corrected against the
    /// vocabulary, then its features looked up.
    pub fn analyze_query(&self, question: &str) -> Query {
        let spaced = self.space_run_together(question);
        let question = spaced.as_deref().unwrap_or(question);
        // Clauses about the asker are analysed apart, so their unknown
        // words can count for less; what the question asks for (a number,
        // advice for the asker) is read from the other clauses.
        let parts = context::split(question);
        let (words, terms, asked) = if parts.iter().any(|&(_, asker)| asker) {
            let (mut words, mut marked, mut asked) = (Vec::new(), Vec::new(), Vec::new());
            for (clause, asker) in parts {
                let (w, t) = terms(clause, Wording::Reader, &self.reader);
                if !asker {
                    asked.extend(w.iter().cloned());
                }
                words.extend(w);
                marked.extend(t.into_iter().map(|t| (t, asker)));
            }
            (words, marked, asked)
        } else {
            let (words, t) = terms(question, Wording::Reader, &self.reader);
            let asked = words.clone();
            (words, t.into_iter().map(|t| (t, false)).collect(), asked)
        };
        let names = context::chat_names(question);
        let names_step = terms.iter().any(|(t, _)| matches!(t, Term::Step(_)));
        let names_all_steps = terms
            .iter()
            .any(|(t, _)| matches!(t, Term::Step(StepRef::All)));
        let asks_number = !names_step && lexicon::asks_number(&asked);
        let counted = asks_number
            .then(|| super::counts::counted(&asked))
            .flatten();
        let personal = lexicon::is_personal(&asked) || lexicon::asks_pick(&asked);
        let asks_reason = super::sentence::asks_reason(&asked);
        let asks_advice = super::advice::asks_advice(&asked);
        let asks_event = lexicon::asks_event(&asked);
        // A question naming a step asks about that step, whatever its
        // question word ("when is step 2 about?"), except whether it was
        // taken up since: no passage says that of any step.
        let asked = answer_type::asked(&asked).filter(|&a| !names_step || a == AnswerType::Uptake);
        let terms: Vec<(Term, bool)> = terms
            .into_iter()
            .map(|(t, asker)| {
                // "Minsu: what about Japan?": a well-known other name is
                // what is asked about, not someone in the chat.
                let name =
                    matches!(&t, Term::Latin(w) if names.contains(w) && !self.is_other_name(w));
                (t, asker || name)
            })
            .collect();
        let terms = self.resegment(terms);
        let mut features: Vec<QueryFeature> = Vec::new();
        let mut unknown: Vec<Feature> = Vec::new();
        // Whether every term only says what kind of answer is wanted.
        let mut only_cues = true;
        for (term, asker, similarity) in terms {
            // "몇 퍼센트", "what percentage": the word that says what kind of
            // answer is wanted says nothing of what it is about.
            let (cue, says_only_what_is_asked) = match (&term, asked) {
                (Term::Latin(w) | Term::Korean(w), Some(asked)) => (
                    answer_type::is_cue(asked, w),
                    answer_type::says_only_what_is_asked(asked, w),
                ),
                _ => (false, false),
            };
            only_cues &= says_only_what_is_asked;
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
                            weight: self.weights[id as usize]
                                * self.asker_factor(id, asker)
                                * self.common_word_factor(&term, asker, id)
                                * if cue { self.w.type_cue } else { 1.0 },
                            similarity,
                        }),
                    },
                    None if !unknown.contains(&name) => {
                        let weight = match (&term, known) {
                            (Term::Latin(w) | Term::Korean(w), _) if self.is_other_name(w) => {
                                // "a conference in Europe" in the asker's own
                                // story says where the asker is, not what is
                                // asked: there a well-known other name weighs
                                // as any unknown word of the story does.
                                if asker {
                                    self.w.unknown_latin * self.w.asker
                                } else {
                                    self.w.other_name
                                }
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
                            // "does the author blame …": a verb of saying or
                            // judging that no entry uses frames the question.
                            (Term::Latin(w), _) if lexicon::is_frame_verb(w) => self.w.frame_verb,
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
        // "how old are you?", "when were you born?": a fact of the bot's,
        // which no passage gives, not the one age the column does.
        if only_cues && smalltalk::asks_the_bot(&words) {
            features.clear();
            unknown.clear();
        }
        self.discount_redundant(&mut features);
        let beyond_entries = features
            .iter()
            .filter(|f| f.id.is_none_or(|id| self.only_out_of_scope(id)))
            .map(|f| f.weight)
            .sum();
        Query {
            words,
            features,
            asks_number,
            counted,
            personal,
            asks_reason,
            asks_advice,
            asks_event,
            asked,
            names_all_steps,
            unknown,
            beyond_entries,
        }
    }

    /// Features found in exactly the same documents say the same thing
    /// twice ("yoon seok jin", the bigrams of one Korean word): only the
    /// first counts in full, or a name of three words would outweigh the
    /// unknown word beside it ("is yoon seok jin married").
    fn discount_redundant(&self, features: &mut [QueryFeature]) {
        for i in 1..features.len() {
            let Some(id) = features[i].id else { continue };
            let repeats = features[..i]
                .iter()
                .any(|f| f.id.is_some_and(|other| self.same_documents(id, other)));
            if repeats {
                features[i].weight *= self.w.redundant;
            }
        }
    }

    /// Whether two features are found in exactly the same documents, the
    /// entries' and the out-of-scope questions.
    fn same_documents(&self, a: u32, b: u32) -> bool {
        self.postings[a as usize] == self.postings[b as usize]
            && self.out_of_scope.postings(a) == self.out_of_scope.postings(b)
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
        if asker && self.only_out_of_scope(id) {
            self.w.asker
        } else {
            1.0
        }
    }

    /// Factor on a known word of the asker's story by how common it is in
    /// English: "I've been a postdoc for four years … last year …" tells of
    /// the asker in the commonest words, which the entries seldom use and
    /// so weigh heavily, drowning the story's rarer topic words
    /// ("conference", "overseas"). The question's own words keep their
    /// weight: there, a common word is often the topic ("free time").
    /// Likewise a common word only the out-of-scope questions use ("made"
    /// in "who made AlphaGo?") says little of what "What made DeepSeek's
    /// team successful?" asks.
    fn common_word_factor(&self, term: &Term, asker: bool, id: u32) -> f32 {
        let Term::Latin(word) = term else {
            return 1.0;
        };
        if !asker && !self.only_out_of_scope(id) {
            return 1.0;
        }
        match super::frequency::zipf(word) {
            Some(zipf) if zipf > self.w.common_from => {
                let above = zipf - self.w.common_from;
                (1.0 - self.w.common_slope * above).max(self.w.common_floor)
            }
            _ => 1.0,
        }
    }

    /// The known Korean word after a stop word of one to three syllables
    /// that the reader ran onto it with no space ("누가" in "누가썼어",
    /// "이거" in "이거누가씀"), if the word is that.
    fn after_stop_word<'w>(&self, word: &'w str) -> Option<&'w str> {
        word.char_indices()
            .skip(1)
            .take(MAX_RUN_ON_STOP)
            .map(|(at, _)| word.split_at(at))
            .find(|(stop, rest)| {
                rest.chars().count() >= 2
                    && is_stop(stop)
                    && (self.korean.contains(rest) || self.synonyms.contains_key(*rest))
            })
            .map(|(_, rest)| rest)
    }

    /// Whether the index knows an English word as written (or through a
    /// synonym).
    fn knows(&self, word: &str) -> bool {
        self.latin.contains(word) || self.synonyms.contains_key(word)
    }

    /// The question with a space put back into English words run together
    /// where one of the two is a word for a step and the other a step word,
    /// a stop word or a known word ("threesteps", "what'sstep",
    /// "secondrecommendation"), so the step references are read as such;
    /// `None` when there is none (nothing is copied then: this runs on
    /// every question). Other words run together are split later, as terms
    /// (`resegment`).
    pub(super) fn space_run_together(&self, question: &str) -> Option<String> {
        let is_word = |c: char| c.is_ascii_alphabetic() || c == '\'';
        let mut out: Option<String> = None;
        // How far `out` has copied the question.
        let mut copied = 0;
        let mut at = 0;
        while let Some(start) = question[at..].find(|c: char| c.is_ascii_alphabetic()) {
            let start = at + start;
            let len = question[start..]
                .find(|c: char| !is_word(c))
                .unwrap_or(question.len() - start);
            let word = &question[start..start + len];
            if let Some(split) = self.step_split(word) {
                let spaced = out.get_or_insert_with(|| String::with_capacity(question.len() + 4));
                spaced.push_str(&question[copied..start + split]);
                spaced.push(' ');
                copied = start + split;
            }
            at = start + len;
        }
        out.map(|mut spaced| {
            spaced.push_str(&question[copied..]);
            spaced
        })
    }

    /// Where an unknown English word splits into two that each are a step
    /// word, a stop word or a word the index knows, one of them a step
    /// word: the byte offset of the second.
    fn step_split(&self, word: &str) -> Option<usize> {
        const MIN_LEN: usize = 6;
        if word.len() < MIN_LEN {
            return None;
        }
        let folded = word.to_ascii_lowercase();
        if is_stop(&folded)
            || self.knows(&folded)
            || self.reader.is_step_word(&folded)
            || wordnet::is_real_word(&folded, u8::MAX)
        {
            return None;
        }
        let bare = |p: &str| {
            p.strip_suffix("'s")
                .unwrap_or(p)
                .trim_matches('\'')
                .to_owned()
        };
        let step = |p: &str| self.reader.is_step_word(&bare(p));
        let fits = |p: &str| {
            let p = bare(p);
            !p.is_empty() && (is_stop(&p) || self.knows(&p) || self.reader.is_step_word(&p))
        };
        (2..folded.len() - 1).rev().find(|&i| {
            let (left, right) = folded.split_at(i);
            fits(left) && fits(right) && (step(left) || step(right))
        })
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
            // "whixh", "anout": a slip in a word that says nothing, which
            // no known word is nearer to, nor a word for a step ("thng" is
            // "thing", and "the first thing" is step 1).
            if let (Some(w), Term::Latin(c)) = (&written, &corrected)
                && w == c
                && !self.knows(w)
                && lexicon::misspelt_stop(w)
                && !self.reader.near_step_word(w)
            {
                continue;
            }
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
                // A word the reader chose over the column's: its own
                // derivational form, or its WordNet synonym, when the index
                // knows it and does not know the word's own stem already
                // ("building" is read as it is).
                let derived = (self.w.derived > 0.0)
                    .then(|| wordnet::derived(&w, self.w.derived_cost))
                    .flatten()
                    .map(|t| (t, self.w.derived));
                let related = (self.w.related > 0.0)
                    .then(|| wordnet::related(&w, self.w.related_cost))
                    .flatten()
                    .map(|t| (t, self.w.related));
                // Unlike `knows`, which looks a word up as written, this
                // asks whether the index has any of the term's features.
                let indexed = |term: &Term| {
                    self.term_features(term, true)
                        .iter()
                        .any(|f| self.features.contains_key(f))
                };
                let mut expansions = derived.into_iter().chain(related).peekable();
                if expansions.peek().is_some() && !indexed(&Term::Latin(w.clone())) {
                    for (target, weight) in expansions {
                        let target = Term::Latin(target.to_owned());
                        if indexed(&target) {
                            return (target, weight);
                        }
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
            Term::Korean(w)
                if !self.synonyms.contains_key(&w)
                    && !self.korean.contains(&w)
                    && !self.out_of_scope_korean.contains(&w) =>
            {
                // A word with nothing of its own run onto a known one
                // ("누가썼어" for "누가 썼어"): the known one.
                if let Some(rest) = self.after_stop_word(&w) {
                    return (Term::Korean(rest.to_owned()), 1.0);
                }
                // Another form of a verb the entries use ("실린" for "실렸어").
                if let Some(form) = super::verb::stem(&w).and_then(|s| self.korean_stems.get(&s)) {
                    return (Term::Korean(form.clone()), self.w.conjugated);
                }
                match self.korean.correct(&jamo(&w), true) {
                    Some((known, sim)) => (Term::Korean(known.to_owned()), sim),
                    None => (Term::Korean(w), 1.0),
                }
            }
            other => (other, 1.0),
        }
    }
}

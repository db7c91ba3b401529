//! The matcher: from a user's question to a decision — answer with one
//! entry, suggest a few, small talk, or decline. Pure: no I/O, no Telegram.
//!
//! How it scores. Every entry is indexed as a set of short documents: its
//! alternate questions (English and Korean), keywords, titles, and the
//! sentences of its passage. Text becomes features: stemmed English words
//! (after synonyms), Hangul syllable bigrams of particle-stripped Korean
//! words (so spacing and particles hardly matter), and step references
//! ("second step", "2단계"). Each feature is weighted by how rare it is across
//! entries (IDF); a query word the knowledge base does not know costs the
//! most, which is what lets out-of-scope questions fall below the threshold.
//! Misspelt words are first corrected to the nearest known word, by
//! Damerau-Levenshtein distance over letters (English) or jamo (Korean);
//! an unknown Korean verb form is first brought to its stem and matched as
//! the entries' form of that verb (`verb`).
//!
//! An entry's score mixes how much of the question its best document
//! explains, how much of that document the question covers, and how much of
//! the question the entry as a whole explains.
//!
//! The knowledge base's `[out_of_scope]` questions have a small index of
//! their own over the same features (`out_of_scope`), scored by the same
//! rule; a question nearer to one of them than to its best entry is
//! declined, and a word only they use marks a question as theirs.
//!
//! Around that: words run together or split apart are re-segmented, and
//! real English words (from a WordNet table) are not taken for typos; the
//! unknown words of the asker's own story and the names of people in a
//! group chat count for little (`context`); and a question asking for a
//! year, a share or a name is held back from an entry whose passage has
//! none (`answer_type`; what an acronym stands for, from one that does not
//! spell it out, `acronym`), and one asking what should be done from an
//! entry whose passage recommends nothing (`advice`).
//!
//! Once an entry is answered, the sentence of its passage that answers the
//! question clearly better than the rest, if one does, is marked
//! ([`Outcome::mark`], `sentence`).

mod acronym;
pub mod advice;
mod analysis;
pub mod answer_type;
pub(crate) mod context;
mod counts;
mod former;
mod frequency;
mod index;
pub mod lexicon;
pub mod numbers;
pub mod ordinal;
mod out_of_scope;
mod query;
mod rank;
pub mod sentence;
pub mod smalltalk;
pub mod text;
mod verb;
mod vocabulary;
mod weights;
pub mod wordnet;

use serde::{Deserialize, Serialize};

use crate::knowledge::{Kind, KnowledgeBase};
use crate::names::{Named, by_name};
pub use index::Index;
pub use rank::Ranking;
pub use sentence::Mark;
pub use smalltalk::SmallTalk;
pub use weights::Weights;

/// The least score of the step a "which step is about …?" question is
/// answered with, on its description alone.
const MIN_WHICH_STEP: f32 = 0.2;

/// Coverage that counts as all of a description (a float's sum of the
/// parts may fall just short of 1).
const WHOLE: f32 = 0.99;

/// How far the next step may come to the one a "which step is about …?"
/// question is answered with, as a share of its score.
const WHICH_STEP_LEAD: f32 = 0.75;

/// Thresholds of the decision. Scores run from 0 (nothing in common) to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatcherConfig {
    /// The best entry is answered when it scores at least this…
    pub answer_threshold: f32,
    /// …and leads the runner-up by at least this much.
    pub answer_margin: f32,
    /// Below the answer bar, entries scoring at least this are suggested.
    pub suggest_threshold: f32,
    /// Suggestions are the entries within this distance of the best one.
    pub suggest_window: f32,
    /// How many suggestions at most.
    pub max_suggestions: usize,
    /// A question is declined when it resembles one of the knowledge base's
    /// out-of-scope questions more than its best entry by this much.
    pub out_of_scope_margin: f32,
    /// Only this many characters of a question are matched; the rest is
    /// ignored (and the reply says so).
    pub max_question_chars: usize,
}

impl Default for MatcherConfig {
    fn default() -> Self {
        MatcherConfig {
            answer_threshold: 0.33,
            answer_margin: 0.01,
            suggest_threshold: 0.31,
            suggest_window: 0.15,
            max_suggestions: 3,
            out_of_scope_margin: 0.0,
            max_question_chars: 1000,
        }
    }
}

/// The language a reply should be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    /// Korean for a question with any Hangul in it, English otherwise.
    pub fn detect(question: &str) -> Lang {
        if text::has_hangul(question) {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The language's ISO 639-1 code: "en" or "ko".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// From a Telegram-style language code ("ko", "ko-KR", "en"); English
    /// for any other. Unlike `FromStr`, which reads back the log's codes
    /// and refuses any other.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code {
            Some(c)
                if c.eq_ignore_ascii_case("ko") || c.to_ascii_lowercase().starts_with("ko-") =>
            {
                Lang::Ko
            }
            _ => Lang::En,
        }
    }
}

/// Named by its code, as the question log stores it and `--json` shows it.
impl Named for Lang {
    const ALL: &'static [Lang] = &[Lang::En, Lang::Ko];
    const WHAT: &'static str = "language qabot reads";
    fn name(self) -> &'static str {
        self.code()
    }
}

by_name!(Lang);

/// What to do with a question. Ordered as declared (the report lists a
/// group's decisions in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Answer,
    Suggest,
    Smalltalk,
    Decline,
    /// Not the matcher's: a question the bot dropped unread, because its
    /// chat had too many waiting (`[bot] max_waiting_per_chat`). Only the
    /// question log holds it.
    Dropped,
    /// Not the matcher's: in a conversation, a follow-up with nothing before
    /// it ("why?" as the first message), asked back about, never answered
    /// with a passage (the conversation module decides it).
    Clarify,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Answer => "answer",
            Decision::Suggest => "suggest",
            Decision::Smalltalk => "smalltalk",
            Decision::Decline => "decline",
            Decision::Dropped => "dropped",
            Decision::Clarify => "clarify",
        }
    }
}

/// Named as the question log stores it and `--json` shows it (serde's
/// names, which the tests check are the same).
impl Named for Decision {
    const ALL: &'static [Decision] = &[
        Decision::Answer,
        Decision::Suggest,
        Decision::Smalltalk,
        Decision::Decline,
        Decision::Dropped,
        Decision::Clarify,
    ];
    const WHAT: &'static str = "decision";
    fn name(self) -> &'static str {
        self.as_str()
    }
}

by_name!(Decision);

/// An entry (by index into the knowledge base) and its score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Candidate {
    pub entry: usize,
    pub score: f32,
    /// How much of the question (by weight) the entry explains, 0–1.
    pub coverage: f32,
}

/// The matcher's verdict on one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub decision: Decision,
    /// The answered entry, or the best one for other decisions.
    pub best: Option<Candidate>,
    /// For `Suggest`: the suggestions, best first.
    pub suggestions: Vec<Candidate>,
    pub smalltalk: Option<SmallTalk>,
    pub lang: Lang,
    /// For `Answer`: the sentence of the passage that answers the question
    /// clearly better than the rest, if one does.
    pub mark: Option<Mark>,
    /// The question was longer than `max_question_chars` and was cut.
    pub truncated: bool,
}

impl Outcome {
    /// The best entry's score, as the bot logs and records it: none for
    /// small talk, which no entry answered.
    pub fn score(&self) -> Option<f32> {
        match self.decision {
            Decision::Smalltalk | Decision::Clarify => None,
            _ => self.best.map(|b| b.score),
        }
    }
}

/// The question `asked` answered with `best` instead, a step found by
/// reading the question another way ("the one after the failure step",
/// "which step is about failure?"): no choices, no mark of a sentence.
fn answered_instead(asked: &Outcome, best: Candidate) -> Outcome {
    Outcome {
        decision: Decision::Answer,
        best: Some(best),
        suggestions: Vec::new(),
        smalltalk: None,
        mark: None,
        ..asked.clone()
    }
}

/// A knowledge base indexed for matching, with its thresholds.
#[derive(Debug, Clone)]
pub struct Matcher {
    index: Index,
    config: MatcherConfig,
    /// The column's title as tokens, folded: a question naming it names
    /// the column, not the topics of its words.
    title: Vec<String>,
    /// Each entry's step number, if it is a step.
    entry_steps: Vec<Option<u8>>,
    /// The overview entry (the list of steps), if there is one.
    overview: Option<usize>,
    /// The words the passages write as proper names, folded.
    proper_names: rustc_hash::FxHashSet<String>,
    /// The features of the words for the text and its author ("column",
    /// "저자"; `data/meta.txt`).
    text_features: rustc_hash::FxHashSet<u32>,
}

impl Matcher {
    pub fn new(kb: &KnowledgeBase, config: MatcherConfig) -> Self {
        Self::with_weights(kb, config, Weights::default())
    }

    /// A matcher with other scoring weights, for measuring alternatives.
    pub fn with_weights(kb: &KnowledgeBase, config: MatcherConfig, weights: Weights) -> Self {
        let index = Index::build(kb, weights);
        let text_features = lexicon::meta_words()
            .flat_map(|word| index.analyze_query(word).features)
            .filter_map(|f| f.id)
            .collect();
        Matcher {
            index,
            config,
            title: text::tokenize(&text::fold(&kb.source.title))
                .into_iter()
                .map(|t| t.text)
                .collect(),
            entry_steps: kb.entries.iter().map(|e| e.step).collect(),
            overview: kb.entries.iter().position(|e| e.kind == Kind::Overview),
            proper_names: text::proper_names(kb.entries.iter().flat_map(|e| &e.passage)),
            text_features,
        }
    }

    /// Whether `text` names something the passages call by a proper name
    /// ("the Liang example"), not only things in general ("examples of
    /// companies").
    pub fn names_a_proper_name(&self, text: &str) -> bool {
        text::tokenize(&text::fold(text))
            .iter()
            .any(|t| self.proper_names.contains(&t.text))
    }

    pub fn config(&self) -> &MatcherConfig {
        &self.config
    }

    /// The part of `question` the matcher reads: its first
    /// `max_question_chars` characters. The question log stores no more.
    pub fn cut<'q>(&self, question: &'q str) -> &'q str {
        truncate_chars(question, self.config.max_question_chars).0
    }

    /// Decides what to do with `question`.
    pub fn decide(&self, question: &str) -> Outcome {
        let outcome = self.decide_as_asked(question);
        self.shifted_from_described(question, &outcome)
            .or_else(|| self.step_asked_for(question, &outcome))
            .unwrap_or(outcome)
    }

    /// "which step is about failure?": the step its description is about,
    /// when one step explains all of it and clearly leads the others on
    /// it (scoring at least `MIN_WHICH_STEP` and by `WHICH_STEP_LEAD` over
    /// the next step), and the description is no question the column
    /// leaves unanswered.
    fn step_asked_for(&self, question: &str, asked: &Outcome) -> Option<Outcome> {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        let description = self.index.reader.which_step(question)?;
        let (query, ranking) = self.analyze(&description);
        if query.is_empty()
            || ranking.out_of_scope > ranking.top() + self.config.out_of_scope_margin
        {
            return None;
        }
        let mut steps = ranking
            .candidates
            .iter()
            .filter(|c| self.entry_steps[c.entry].is_some());
        let first = *steps.next()?;
        let second = steps.next().map_or(0.0, |c| c.score);
        // Every word of the description is the step's: "which step is
        // about AI regulation?" asks of more than step 1's red tape.
        let clear = first.score >= MIN_WHICH_STEP
            && first.coverage >= WHOLE
            && second <= first.score * WHICH_STEP_LEAD;
        clear.then(|| answered_instead(asked, first))
    }

    /// "the one after the failure-tolerance step": the step after (or
    /// before) the one its description is answered with, when that is a
    /// step and the knowledge base has one there.
    fn shifted_from_described(&self, question: &str, asked: &Outcome) -> Option<Outcome> {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        let (shift, description) = self.index.reader.described_step(question)?;
        let described = self.decide_as_asked(&description);
        let from = described
            .best
            .filter(|_| described.decision == Decision::Answer)?;
        let step = self.entry_steps[from.entry]?;
        let wanted = u8::try_from(i16::from(step) + i16::from(shift)).ok()?;
        let entry = self.entry_steps.iter().position(|&s| s == Some(wanted))?;
        Some(answered_instead(asked, Candidate { entry, ..from }))
    }

    /// [`Matcher::decide`] before a step shifted from its description.
    fn decide_as_asked(&self, question: &str) -> Outcome {
        let (question, truncated) = truncate_chars(question, self.config.max_question_chars);
        let lang = Lang::detect(question);
        let (query, ranking) = self.analyze(question);
        let base = Outcome {
            decision: Decision::Decline,
            best: None,
            suggestions: Vec::new(),
            smalltalk: None,
            lang,
            mark: None,
            truncated,
        };
        if query.is_empty() {
            return Outcome {
                decision: Decision::Smalltalk,
                smalltalk: Some(smalltalk::classify(query.words.iter().map(String::as_str))),
                ..base
            };
        }
        let c = &self.config;
        let ranked = &ranking.candidates;
        // A message that takes itself back and matches too little to
        // suggest anything is chat; one close to an out-of-scope question
        // is still declined as that.
        let apology = || {
            smalltalk::is_apology(query.words.iter().map(String::as_str))
                && ranking.out_of_scope <= ranking.top() + c.out_of_scope_margin
        };
        let chat = |base: Outcome| Outcome {
            decision: Decision::Smalltalk,
            smalltalk: Some(smalltalk::classify(query.words.iter().map(String::as_str))),
            ..base
        };
        if smalltalk::only_acknowledges(&query.words) {
            return chat(base);
        }
        let Some(&best) = ranked.first() else {
            return if apology() { chat(base) } else { base };
        };
        // Clearly nearer to a question the column does not answer than to
        // any entry; a tie goes to the entry. Bare topic words ("한국 R&D
        // 예산") that the best entry knows every one of ask about that
        // entry, however close an out-of-scope question that asks more of
        // the same words ("what is korea's r&d budget this year") comes.
        // Words asking a fact ("저자 나이가 몇살이에요?") are no bare topic.
        let covered = best.coverage >= 1.0
            && !query.personal
            && query.asked.is_none()
            && query.words.iter().all(|w| !lexicon::is_stop(w));
        if !covered && ranking.out_of_scope > best.score + c.out_of_scope_margin {
            return Outcome {
                best: Some(best),
                ..base
            };
        }
        let runner_up = ranked.get(1).map_or(0.0, |r| r.score);
        if (best.score >= c.answer_threshold
            || self.leads_long_message(question, &query, best, runner_up))
            && best.score - runner_up >= c.answer_margin
        {
            return Outcome {
                decision: Decision::Answer,
                best: Some(best),
                mark: self.index.mark(&query, best.entry),
                ..base
            };
        }
        if best.score >= c.suggest_threshold {
            let suggestions: Vec<Candidate> = ranked
                .iter()
                .take(c.max_suggestions.max(1))
                .filter(|r| {
                    r.score >= c.suggest_threshold && best.score - r.score <= c.suggest_window
                })
                .copied()
                .collect();
            return Outcome {
                decision: Decision::Suggest,
                best: Some(best),
                suggestions,
                ..base
            };
        }
        if apology() {
            return chat(base);
        }
        Outcome {
            best: Some(best),
            ..base
        }
    }

    /// A long message's best entry is answered below the answer threshold
    /// when it leads the runner-up clearly: a story of many words spreads
    /// a question's evidence thin, so its best score is low, but one entry
    /// far ahead of the rest is still what it asks about
    /// (`Weights::long_words`, `long_threshold`, `long_lead`). A request of
    /// the asker's own ("should I …") never is, nor a story of the asker's
    /// that names neither the text nor its writer.
    fn leads_long_message(
        &self,
        question: &str,
        query: &query::Query,
        best: Candidate,
        runner_up: f32,
    ) -> bool {
        let w = &self.index.w;
        // The clauses are read only for a message that may be answered so.
        let leads = |lead: f32| best.score >= runner_up * lead;
        // A story of the asker's own that never names the text or its
        // writer asks for something of the asker's ("…she's only 12. What
        // are good coding camps in Seoul?"), unless what it asks is about
        // the text itself ("…want to credit it correctly. Where is this
        // from?"). Read last: most messages are short.
        let about_the_text = || {
            !context::split(question).iter().any(|&(_, asker)| asker)
                || self.index.kinds[best.entry] == Kind::About
                || lexicon::names_the_text(&text::tokenize(&text::fold(question)))
        };
        !query.personal
            && best.score >= w.long_threshold
            && question.split_whitespace().count() >= usize::from(w.long_words)
            && leads(w.long_lead.min(w.long_lead_story))
            && leads(if context::asks_about_the_story(question) {
                w.long_lead_story
            } else {
                w.long_lead
            })
            && about_the_text()
    }

    /// Whether the knowledge base itself marks `question` out of scope: it
    /// is nearer to one of the `[out_of_scope]` questions than to its best
    /// entry (by `out_of_scope_margin`), so [`Matcher::decide`] declines it
    /// whatever that entry scores.
    pub fn is_out_of_scope(&self, question: &str) -> bool {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        let (query, ranking) = self.analyze(question);
        !query.is_empty() && ranking.out_of_scope > ranking.top() + self.config.out_of_scope_margin
    }

    /// How much `question` says that no entry speaks of: the weight of its
    /// words the knowledge base does not know (a well-known other name
    /// counts most, an unknown Korean verb form least) or knows only from
    /// its out-of-scope questions; 0 when every word it has is an entry's.
    /// A conversation reads a message as a follow-up only when it adds
    /// nothing of its own ("what did his company build?"), not when it
    /// names another matter ("how is Japan dealing with its shortage?").
    pub fn beyond_entries(&self, question: &str) -> f32 {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        self.analyze(question).0.beyond_entries()
    }

    /// The knowledge base's entries in the order their passages appear in
    /// the source: what "next" and "previous" follow beyond the steps.
    pub fn reading_order(&self) -> &[usize] {
        &self.index.reading_order
    }

    /// What the matcher reads in `question`, as keys to compare questions
    /// by (`Query::keys`): the report groups questions with them.
    pub fn keys(&self, question: &str) -> Vec<u64> {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        self.analyze(question).0.keys()
    }

    /// All entries with a score above zero, best first (for inline mode and eval).
    pub fn rank(&self, question: &str) -> Vec<Candidate> {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        self.analyze(question).1.candidates
    }

    /// The question read once, to mark the answering sentence of any entry
    /// (inline mode offers several): the same rule as [`Outcome::mark`].
    pub fn marker(&self, question: &str) -> Marker<'_> {
        let (question, _) = truncate_chars(question, self.config.max_question_chars);
        Marker {
            index: &self.index,
            query: self.analyze(question).0,
        }
    }

    /// The question's features and ranking: of the whole message, or of
    /// one of its clauses when that clause alone matches better (a question
    /// wrapped in chatter). A clause is judged by its score times its share
    /// of what the whole message says that the knowledge base knows, so a
    /// clause of chatter that happens to say "article" does not win over the
    /// question next to it; a clause the message asks as a question, not
    /// pointing back at what came before it, has at least the share
    /// `Weights::asked_clause` (a long personal question's story says more
    /// known words than its question does).
    fn analyze(&self, question: &str) -> (query::Query, Ranking) {
        let (query, mut ranking) = self.analyze_clauses(question);
        // "이 칼럼 언제 나왔어?", "what year is this column from?": a fact
        // asked of the text itself, which only the passages about the text
        // (its author, its source) may hold; the AI history's years are
        // no date of the column's.
        if query
            .asked
            .is_some_and(|asked| self.asks_of_the_text(&query, asked))
        {
            ranking
                .candidates
                .retain(|c| self.index.kinds[c.entry] == Kind::About);
        }
        (query, ranking)
    }

    /// Whether a question asking a fact of the kind `asked` speaks of
    /// nothing but the text and its author, once the words saying what
    /// kind of fact it asks ("year", "when") are left out.
    fn asks_of_the_text(&self, query: &query::Query, asked: answer_type::AnswerType) -> bool {
        let all_of_the_text = |features: &[query::QueryFeature]| {
            let mut known = features.iter().filter_map(|f| f.id).peekable();
            known.peek().is_some() && known.all(|id| self.text_features.contains(&id))
        };
        // Cheap tests first: most questions name no word for the text, and
        // only some kinds of fact have words saying what kind they are.
        let names_the_text = query
            .features
            .iter()
            .any(|f| f.id.is_some_and(|id| self.text_features.contains(&id)));
        if !names_the_text {
            return false;
        }
        if all_of_the_text(&query.features) {
            return true;
        }
        let rest: Vec<&str> = query
            .words
            .iter()
            .map(String::as_str)
            .filter(|w| !answer_type::says_only_what_is_asked(asked, w))
            .collect();
        rest.len() < query.words.len()
            && all_of_the_text(&self.index.analyze_query(&rest.join(" ")).features)
    }

    /// [`Matcher::analyze`] before a fact asked of the text is kept to the
    /// passages about it.
    fn analyze_clauses(&self, question: &str) -> (query::Query, Ranking) {
        // The column's title beside other words only says which column;
        // alone, it asks what the column says.
        let untitled = lexicon::without_title(question, &self.title);
        let question = match &untitled {
            Some(rest) if !self.index.analyze_query(rest).is_empty() => rest.as_str(),
            _ => question,
        };
        // "never mind, who are you?": the question after the wave-off.
        let question = smalltalk::after_acknowledgement(question).unwrap_or(question);
        // "tl;dr anyone? @bot how does it end": the others were asked
        // first, the bot after them.
        let question = context::after_group_aside(question)
            .filter(|rest| !self.index.analyze_query(rest).is_empty())
            .unwrap_or(question);
        let whole = self.index.analyze_query(question);
        let whole_ranked = self.index.rank(&whole);
        let clauses = text::clauses(question);
        if clauses.len() < 2 {
            return (whole, whole_ranked);
        }
        let known = whole.known_weight();
        let mut best: Option<(f32, bool, usize, query::Query, Ranking)> = None;
        // The fact the message asks for, read from its questions.
        let mut wanted: Option<query::Wanted> = None;
        // Whether one of its questions is a request of the asker's own.
        let mut personal_question = false;
        for (at, clause) in clauses.iter().copied().enumerate() {
            let query = self.index.analyze_query(clause);
            // "tl;dr? how does he end it": a bare request for a summary
            // beside a question says how to answer it, not what about.
            if query.words.iter().any(|w| lexicon::is_summary_request(w))
                && query
                    .words
                    .iter()
                    .all(|w| lexicon::is_stop(w) || lexicon::is_summary_request(w))
            {
                continue;
            }
            if context::has_question_mark(question, clause) {
                wanted = wanted.or_else(|| query.wanted());
                personal_question |= query.personal;
            }
            let ranked = self.index.rank(&query);
            let share = if known > 0.0 {
                (query.known_weight() / known).min(1.0)
            } else {
                0.0
            };
            // The question itself, beside a story, is judged as asked.
            let asked =
                context::asks_on_its_own(question, clause) && share < self.index.w.asked_clause;
            let judged = ranked.top()
                * if asked {
                    self.index.w.asked_clause
                } else {
                    share
                };
            if judged > whole_ranked.top() && best.as_ref().is_none_or(|b| judged > b.0) {
                best = Some((judged, asked, at, query, ranked));
            }
        }
        match best {
            Some((_, asked, at, mut query, mut ranked)) => {
                // A clause of the story that matches best still answers
                // the question's "how much" or "which year" only if its
                // entry holds one: "…the government trimming R&D money. By
                // exactly how much was it cut?"
                let mut reread = false;
                if let Some(wanted) = wanted
                    && query.wanted().is_none()
                    && !context::has_question_mark(question, clauses[at])
                {
                    query.want(wanted);
                    reread = true;
                }
                // Nor does it turn a request of the asker's own into a
                // question about the column: "I'm thinking about moving to
                // China for a job. Should I take it?" asks for advice.
                if personal_question && !query.personal {
                    query.personal = true;
                    reread = true;
                }
                if reread {
                    ranked = self.index.rank(&query);
                }
                // "What are the three steps?" and "what are the main
                // proposals?" ask for them all, whatever the story beside
                // it.
                let names_the_set =
                    query.names_all_steps || query.words.iter().any(|w| ordinal::is_step_plural(w));
                if asked && !names_the_set {
                    self.disagreeing_story(&query, &whole_ranked, &mut ranked);
                }
                if !names_the_set {
                    self.narrowed_by_story(&clauses, at, &mut ranked);
                }
                (query, ranked)
            }
            None => (whole, whole_ranked),
        }
    }

    /// A clause the overview answers best ("what does the author
    /// recommend?") asks, beside a story about one step's matter, for that
    /// step: the story, read without the clause, names the step clearly
    /// ahead of the others (`Weights::narrowing`, `narrowing_lead`). The
    /// step takes the clause's score and the overview follows it.
    fn narrowed_by_story(&self, clauses: &[&str], question_at: usize, ranked: &mut Ranking) {
        /// The overview's share of the clause's score once a step has
        /// taken it: still offered beside the step, never ahead of it.
        const OVERVIEW_AFTER: f32 = 0.9;
        let Some(top) = ranked.candidates.first().copied() else {
            return;
        };
        if Some(top.entry) != self.overview {
            return;
        }
        let story: Vec<&str> = clauses
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != question_at)
            .map(|(_, clause)| *clause)
            .collect();
        let story = self
            .index
            .rank(&self.index.analyze_query(&story.join(". ")));
        let mut steps = story
            .candidates
            .iter()
            .filter(|c| self.entry_steps[c.entry].is_some());
        let (Some(story_best), Some(step)) = (story.candidates.first(), steps.next()) else {
            return;
        };
        let next_step = steps.next().map_or(0.0, |c| c.score);
        let w = &self.index.w;
        if story_best.entry != step.entry
            || step.score < w.narrowing
            || step.score < next_step * w.narrowing_lead
        {
            return;
        }
        ranked.candidates.retain(|c| c.entry != step.entry);
        ranked.candidates.insert(
            0,
            Candidate {
                entry: step.entry,
                ..top
            },
        );
        if let Some(overview) = ranked.candidates.get_mut(1) {
            overview.score = top.score * OVERVIEW_AFTER;
        }
    }

    /// When the question, read on its own, points at another entry than the
    /// whole message with its story does, and the story's entry is good
    /// enough to offer (`Weights::story_choice`), both are offered: the
    /// story may be what tells them apart; when the question read alone
    /// ranks the story's entry all but as high as its own
    /// (`Weights::story_tie`), it does, and that entry is answered. Not
    /// when every one of several words of the question is its entry's
    /// (`Weights::story_overruled`): "…all his friends are going to med
    /// school. Why does he say Korea is losing STEM talent?" asks that,
    /// whatever the story is about.
    fn disagreeing_story(&self, question: &query::Query, whole: &Ranking, asked: &mut Ranking) {
        let (Some(story), Some(top)) =
            (whole.candidates.first(), asked.candidates.first().copied())
        else {
            return;
        };
        let known_words = question.features.iter().filter(|f| f.id.is_some()).count();
        if top.coverage >= 1.0 && known_words >= usize::from(self.index.w.story_overruled) {
            return;
        }
        // A story about the plan as a whole, before a question about one
        // of its steps, says which plan the step is picked from ("I meant
        // the steps. what's the first reform?"), and the whole message
        // ranks that step as high.
        let picked_from_plan = self.index.kinds[story.entry] == Kind::Overview
            && self.entry_steps[top.entry].is_some()
            && whole
                .candidates
                .iter()
                .any(|c| c.entry == top.entry && c.score >= story.score);
        if story.entry == top.entry || picked_from_plan || story.score < self.index.w.story_choice {
            return;
        }
        let tie = self.index.w.story_tie;
        let as_asked = asked
            .candidates
            .iter()
            .find(|c| c.entry == story.entry)
            .map_or(0.0, |c| c.score);
        asked.candidates.retain(|c| c.entry != story.entry);
        let chosen = Candidate {
            score: top.score,
            ..*story
        };
        // The question read alone all but ties the story's entry with its
        // own ("…'failures into assets'… how did that work out for
        // DeepSeek?"): the story tells them apart, and its entry is
        // answered.
        if as_asked >= top.score * tie {
            asked.candidates[0].score = top.score * tie;
            asked.candidates.insert(0, chosen);
        } else {
            asked.candidates.insert(1, chosen);
        }
    }
}

/// A question read for marking sentences ([`Matcher::marker`]).
#[derive(Debug)]
pub struct Marker<'m> {
    index: &'m Index,
    query: query::Query,
}

impl Marker<'_> {
    /// The sentence of entry `entry`'s passage (an index into the knowledge
    /// base) that answers the question clearly better than the rest, if one
    /// does.
    pub fn mark(&self, entry: usize) -> Option<Mark> {
        self.index.mark(&self.query, entry)
    }
}

/// The first `max` characters of `s`, and whether anything was cut.
fn truncate_chars(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

#[cfg(test)]
mod tests;

//! A conversation, not a lookup: what qabot remembers of one conversation
//! ([`Context`]) and how a follow-up ("and the next one?", "why?", "tell me
//! more", "who is he?", "and China?") is answered with it. Pure: no I/O, no
//! Telegram; the terminal (`qabot chat`) and the bot keep one context per
//! conversation in a [`store::ContextStore`] and hand it in.
//!
//! What wins. A message is first read for what kind of follow-up it is
//! ([`cues`]); a message that is none is answered as if asked first, so a
//! complete question on a new topic never depends on what came before —
//! except a short question that names nothing the matcher knows nor any
//! other thing ("몇년생임?"), which is about the last subject. A short
//! follow-up the matcher answers with another passage on its own ("why did
//! the author write this?" after step 1) is a question of its own too. A
//! follow-up with no context to draw on is answered with a [`Turn`] whose
//! decision is [`Decision::Clarify`]: a short question back, listing the
//! steps, never a passage. One the column gives nothing for (no reason for what was just
//! read, a question it marks out of scope, a year or a name its passage
//! does not hold) is declined.
//!
//! Where a follow-up leads is data: the knowledge base's `why` and `more`
//! relations, its step numbers, and the order of its passages in the
//! column.

pub mod cues;
pub mod store;

use serde::{Deserialize, Serialize};

use crate::knowledge::{Kind, KnowledgeBase};
use crate::matcher::advice;
use crate::matcher::answer_type::{self, AnswerType, Provided};
use crate::matcher::lexicon;
use crate::matcher::sentence;
use crate::matcher::smalltalk;
use crate::matcher::{Candidate, Decision, Lang, Matcher, Outcome, SmallTalk};
pub use cues::Cue;

/// What qabot remembers of one conversation. Entries are kept by id, so a
/// context outlives a reload of the knowledge base (an id that is gone is
/// treated as no context).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The entry last answered.
    pub last: Option<String>,
    /// The entry answered before it.
    pub before: Option<String>,
    /// The last "did you mean" choices, in the order shown (numbered from 1).
    pub choices: Vec<String>,
    /// The language of the last message.
    pub lang: Option<Lang>,
    /// What the last passage was about, for a pronoun ("who is he?"): the
    /// last entry answered with a passage other than the overview, which
    /// names no one.
    pub subject: Option<String>,
    /// Whether the last message asked something the column gave no
    /// passage for (declined): "what about China?" after it is that
    /// question asked of China. Absent in a context stored before it was
    /// kept, and then false.
    #[serde(default)]
    pub declined: bool,
    /// Whether `choices` are a "did you mean" (the first the likeliest of
    /// what was asked), not the steps listed by a question back: "why?" or
    /// "next" after it follows on from that first choice. Absent in a
    /// context stored before it was kept, and then false.
    #[serde(default)]
    pub suggested: bool,
}

/// How a message was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnKind {
    /// No context used: asked as if first, or (decision
    /// [`Decision::Clarify`]) a follow-up with nothing to follow, asked back
    /// about.
    Fresh,
    /// A follow-up, answered with the context.
    FollowUp(Follow),
}

/// The follow-ups a context answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// A cue of [`cues`].
    Cue(Cue),
    /// One of the last "did you mean" choices, by number or by its words.
    Pick,
    /// A short question with no cue and nothing the column answers in it
    /// ("몇년생임?"): about what the last passage was about.
    Implied,
    /// How something compares with what was just read ("and how does
    /// Korea compare?"): the passage that contrasts with it.
    Contrast,
    /// The part of the text the conversation is on ("anything else in
    /// that step?"): that step.
    Part,
    /// What the source recommends about what was just read ("does he want
    /// Korea to do that too?"): the step that answers it.
    Recommended,
}

/// One message answered within a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// What to reply, as the matcher would have decided it: a follow-up
    /// resolved to an entry is an answer with that entry.
    pub outcome: Outcome,
    pub kind: TurnKind,
    /// The entry the answer drew on as context, if it did.
    pub context: Option<usize>,
}

/// Answers messages of conversations over one knowledge base.
#[derive(Debug)]
pub struct Conversations<'a> {
    kb: &'a KnowledgeBase,
    matcher: &'a Matcher,
    /// Entries in the order their passages appear in the source, for "next"
    /// and "previous" beyond the steps: found once, when the matcher was
    /// built, so a conversation costs nothing to start.
    reading_order: &'a [usize],
}

impl<'a> Conversations<'a> {
    pub fn new(kb: &'a KnowledgeBase, matcher: &'a Matcher) -> Self {
        Conversations {
            kb,
            matcher,
            reading_order: matcher.reading_order(),
        }
    }

    /// The matcher a message with no context is answered by.
    pub fn matcher(&self) -> &Matcher {
        self.matcher
    }

    /// Answers `message` in the conversation `context`, and updates it.
    pub fn answer(&self, context: &mut Context, message: &str) -> Turn {
        let turn = self.resolve(context, message);
        self.remember(context, &turn);
        turn
    }

    /// The index of an entry id the context holds, if the knowledge base
    /// still has it.
    fn index(&self, id: Option<&String>) -> Option<usize> {
        let id = id?;
        self.kb.entries.iter().position(|e| &e.id == id)
    }

    fn resolve(&self, context: &Context, message: &str) -> Turn {
        // "cool thanks. and the one before?": the follow-up after the thanks.
        if let Some(rest) = smalltalk::after_acknowledgement(message) {
            return self.resolve(context, rest);
        }
        // "lol ok. what's the one before it": a follow-up after the
        // acknowledgement, asked without a question mark.
        if let Some(rest) = smalltalk::after_acknowledging_words(message)
            && cues::classify(rest).is_some()
        {
            return self.resolve(context, rest);
        }
        if let Some(turn) = self.walked_and_described(context, message) {
            return turn;
        }
        let lang = Lang::detect(message);
        let last = self.index(context.last.as_ref());
        if let Some(pick) = self.pick(context, message) {
            return self.follow(Follow::Pick, pick, last, lang, message);
        }
        // "2?" within a conversation: the step of that number.
        if last.is_some()
            && let Some(step) = cues::number(message).and_then(|n| self.step(n))
        {
            return self.follow(Follow::Pick, step, last, lang, message);
        }
        // "2" with no list shown, "who wrote this?" as the first message:
        // they point at something, and nothing has been said yet.
        let opening = last.is_none() && self.index(context.subject.as_ref()).is_none();
        if opening && (cues::number(message).is_some() || cues::points_back(message)) {
            // "thanks, that was useful" points back at nothing to answer;
            // "what comes after that" does, whatever the matcher reads.
            let alone = self.matcher.decide(message);
            // "그게 언제야?" and "who did it?" are small talk only for
            // want of a topic (the help reply): they ask about something
            // said before, and nothing was; "what is this?" may ask what
            // the bot is.
            let topicless_question =
                alone.smalltalk == Some(SmallTalk::Help) && !cues::points_at_hand(message);
            if alone.decision == Decision::Smalltalk
                && !topicless_question
                && cues::classify(message).is_none()
            {
                return self.turn(alone, TurnKind::Fresh, None);
            }
            // "이거 AI로 번역한 글이야?" says enough of its own to be
            // answered; "who wrote this?" asks about the text the bot is
            // about, the one thing at hand before anything was said; "who
            // wrote it?" and "why is that?" point back at nothing.
            let own = cues::content_words(message) >= OWN_WORDS;
            let about_the_text = cues::points_at_hand(message)
                && alone
                    .best
                    .is_some_and(|b| self.kb.entries[b.entry].kind == Kind::About);
            if (own || about_the_text) && alone.decision == Decision::Answer {
                return self.turn(alone, TurnKind::Fresh, None);
            }
            return self.clarify(message);
        }
        let classified = cues::classify(message);
        if let Some(turn) = self.read_against_last(context, message, &classified, last, lang) {
            return turn;
        }
        let Some((cue, rest)) = classified else {
            return self.implied(context, message, lang);
        };
        let follow = Follow::Cue(cue);
        match cue {
            Cue::Why if !rest.is_empty() => {
                // "why did the author write this?" after step 1 is a
                // question of its own; "why does Korea need that?" asks
                // about what was just read. A why that names its topic
                // ("중국 얘기는 왜 나와?") or leaves it out ("왜 깎았대?")
                // is the matcher's; one that points back in Korean ("그게
                // 왜 필요해?") only with a clear answer.
                let alone = self.matcher.decide(message);
                // Opening a conversation ("why is that bad?" as the first
                // message), only a clear answer too: nothing was read yet.
                let bar = match lang {
                    Lang::En if last.is_some() => 0.0,
                    _ if last.is_some() && !cues::refers_back(message) => 0.0,
                    _ => COMPLETE_SCORE,
                };
                // "why has it worked for them?" after China: pointing back,
                // with words that several passages share about as well
                // ("worked"), it is about what was just read.
                let shared = || {
                    lang == Lang::En
                        && cues::refers_back(message)
                        && !cues::points_at_hand(message)
                        && self.answered_on_shared_words(message, &alone)
                };
                if names_another(&alone, last, bar)
                    && !self.fits_last_as_well(message, last)
                    && !shared()
                {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                // "딥시크 얘기는 왜 나와?" names its topic, and the matcher
                // hesitates between passages about it: those choices, not
                // a question back nor the last passage's reason.
                let last_suggested =
                    last.is_some_and(|l| alone.suggestions.iter().any(|c| c.entry == l));
                if alone.decision == Decision::Suggest
                    && !last_suggested
                    && !cues::refers_back(message)
                {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                let Some(from) = last else {
                    return self.clarify(message);
                };
                match self.why(from, message) {
                    Some(target) => self.follow(follow, target, Some(from), lang, message),
                    None => self.declined(follow, Some(from), lang),
                }
            }
            Cue::More if !rest.is_empty() => {
                // "tell me more about the budget": the topic named, read
                // without the words that ask for more.
                match self.topic(&rest, last) {
                    Some(topic) if last.is_some() => {
                        self.follow(follow, topic, last, lang, message)
                    }
                    _ => self.fresh(message),
                }
            }
            Cue::Example if !rest.is_empty() => {
                // "examples of companies?" after China: the example the
                // last passage has, when what it is an example of takes at
                // most a word ("companies", "real") and is no name; "the
                // Liang example he mentions" names its topic, as "tell me
                // more about" does.
                if let Some(from) = last
                    && cues::content_words(&rest) <= 1
                    && !self.matcher.names_a_proper_name(&rest)
                    && let Some(target) = self.example(from)
                {
                    return self.follow(follow, target, Some(from), lang, message);
                }
                match self.topic(&rest, last) {
                    Some(topic) if last.is_some() => {
                        self.follow(follow, topic, last, lang, message)
                    }
                    _ => self.fresh(message),
                }
            }
            Cue::Other => {
                // "what are the other steps?" after step 1 is a question
                // of its own; "any other problems?" after the shortage,
                // which the matcher answers with the shortage, is not.
                let alone = self.matcher.decide(message);
                let Some(from) = last else {
                    return self.clarify(message);
                };
                if names_another(&alone, last, 0.0) {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                match self.more(from) {
                    Some(target) => self.follow(follow, target, Some(from), lang, message),
                    None => self.clarify(message),
                }
            }
            Cue::Related => {
                // With nothing pointing back, "해외 인재 유치 관련 내용
                // 있어?" names its own topic, and "is the author related to
                // president yoon" asks of something no entry speaks of:
                // questions of their own. "so how does that connect to
                // the recommendations?" is about what was read.
                let alone = self.matcher.decide(message);
                let answered = names_another(&alone, last, 0.0);
                let beyond = alone.decision == Decision::Decline && self.says_more(message);
                // Opening a conversation, a word pointing back points at
                // nothing: a topic named is the question ("international
                // conference 관련된 제안 있었지? 그거 뭐였더라"), and
                // "which step is this related to?" is asked back about.
                let own = answered || (beyond && last.is_some());
                // "몇 번째 단계야?" asks which step of nothing but what
                // was read, though the matcher knows none of its words.
                let points_back = last.is_some()
                    && (cues::refers_back(message) || cues::asks_which_step_of_it(message));
                // "does the author connect Liang to any of his steps?" asks
                // which step: the steps as a set are what it relates to.
                let to_the_steps = last.is_some()
                    && alone
                        .best
                        .is_some_and(|b| self.kb.entries[b.entry].kind == Kind::Overview);
                if own && !points_back && !to_the_steps {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                // The step a background passage's problem is answered by.
                let step = last.and_then(|from| {
                    let entry = &self.kb.entries[from];
                    match entry.kind {
                        Kind::Step => Some(from),
                        _ => entry.answered_by.first().and_then(|&n| self.step(n)),
                    }
                });
                match step {
                    Some(step) => self.follow(follow, step, last, lang, message),
                    // "which step is this related to?" with nothing read.
                    None if last.is_none() => self.clarify(message),
                    None => self.fresh(message),
                }
            }
            Cue::Next | Cue::Previous | Cue::Why | Cue::More | Cue::Example => {
                // After a "did you mean", its first choice is what the
                // conversation is likeliest on.
                let offered = context
                    .suggested
                    .then(|| self.index(context.choices.first()))
                    .flatten();
                let Some(from) = offered.or(last) else {
                    return self.clarify(message);
                };
                // "and what came after it?" after a passage telling events
                // in order ("In 2016, … Since then, …") asks for the next
                // event in it; "next?" and "the next step" walk the text.
                let walks = matches!(cue, Cue::Next | Cue::Previous);
                if walks
                    && cues::asks_event(message)
                    && !cues::names_text_part(message)
                    && cues::is_chronology(&self.kb.entries[from].passage)
                {
                    return self.follow(follow, from, Some(from), lang, message);
                }
                let target = match cue {
                    Cue::Next => self.next(self.walked_from(context, from)),
                    // "what was the step before that?" after a step's why:
                    // the step before that step.
                    Cue::Previous => self
                        .previous(self.walked_from(context, from))
                        .or_else(|| self.index(context.before.as_ref())),
                    Cue::Why => self.why(from, message),
                    Cue::Example => Some(self.example(from).unwrap_or_else(|| self.deeper(from))),
                    // Cue::More, the only one left.
                    _ => Some(self.deeper(from)),
                };
                match target {
                    Some(target) => self.follow(follow, target, Some(from), lang, message),
                    // The context is clear, and the column gives no reason
                    // for it: say so rather than ask what was meant.
                    None if cue == Cue::Why => self.declined(follow, Some(from), lang),
                    None => self.clarify(message),
                }
            }
            Cue::Pronoun => {
                // A question the matcher answers on its own ("how did
                // DeepSeek turn its failures into assets?") needs no subject.
                // Opening a conversation, only a clear answer, unless it
                // says enough of its own ("can you list the reforms he
                // recommends", where "he" is the writer): "when was he
                // born?" has one word besides its pronoun and question
                // word, and asks who is meant. Within a conversation ("그
                // 칼럼 제목이 뭐야?" after the overview), any answer.
                let subject = self.index(context.subject.as_ref());
                let words_of_its_own = cues::content_words(message);
                let own = words_of_its_own >= OWN_WORDS;
                // "what's the first thing he says Korea should do?": the
                // writer speaking needs no one named before.
                let writer = cues::writer_speaks(message);
                // "how old is he?" or "where does he work?" opening a
                // conversation: one word besides the pronoun cannot say
                // who is meant, however well the matcher scores it (the
                // one age the column gives is Liang's). Later, after a
                // question asked back ("the reforms, I mean. what are
                // they?"), the message may be naming what was meant. A
                // person pointed at in Korean ("그 사람이 말한 두 번째 거")
                // is someone named before, whatever else the message says.
                let unnamed = words_of_its_own <= 1 || cues::points_at_someone(message);
                if context.lang.is_none() && subject.is_none() && unnamed && !writer {
                    return self.clarify(message);
                }
                let bar = if subject.is_some() || last.is_some() || own || writer {
                    0.0
                } else {
                    COMPLETE_SCORE
                };
                let alone = self.matcher.decide(message);
                // "when was he born?" after the author: a fact about him
                // that his passage does not give, not another person's
                // from a passage far from his.
                if let Some(subject) = subject
                    && self.asks_what_subject_lacks(subject, &alone, message)
                {
                    return self.declined(follow, Some(subject), lang);
                }
                // "when was that?" after AlphaGo's year: a time asked with
                // nothing of its own, which the subject's passage gives,
                // is the subject's, not a year of a passage far from it.
                if let Some(subject) = subject
                    && self.asks_what_subject_holds(subject, &alone, message)
                {
                    return self.follow(follow, subject, Some(subject), lang, message);
                }
                // "where does he work?" after the author: a person asked
                // about with nothing of the question's own is the one
                // just read of, not the note on where the text is from,
                // nor another person's passage ("그 사람 어디서 일했는데?"
                // after the author is not Liang's work).
                if let (Some(subject), Some(best)) = (subject, alone.best)
                    && alone.decision == Decision::Answer
                    && best.entry != subject
                    && if self.titled_by_a_person(best.entry) {
                        cues::points_at_a_person(message)
                    } else {
                        self.kb.entries[best.entry].kind == Kind::About
                    }
                    && self.titled_by_a_person(subject)
                    && words_of_its_own <= 1
                {
                    return self.about(follow, subject, alone, message, lang);
                }
                if alone.decision == Decision::Answer && alone.best.is_some_and(|b| b.score >= bar)
                {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                // "How is Japan dealing with its own shortage?": the pronoun
                // is the other thing's the message names.
                if cues::names_another_thing(message) {
                    return self.turn(alone, TurnKind::Fresh, None);
                }
                // "Who is he?" with no one named before: no guess. One
                // with enough of its own ("which country does he call one
                // of the two biggest economies?") gets what the matcher
                // makes of it, a "did you mean" or a decline.
                let Some(subject) = subject else {
                    return if own {
                        self.turn(alone, TurnKind::Fresh, None)
                    } else {
                        self.clarify(message)
                    };
                };
                // Of the passages the matcher hesitates between, the one
                // the pronoun points to: the subject ("그분 경력은?" after
                // the author), or the first suggested beside the subject
                // ("the Chinese CEO mentioned there?"; "so what did all that
                // failing get them" after Liang's six years without results,
                // where step 1 ranks first). When the
                // subject is the passage just read, the question asks what
                // it did not say ("what did his team do differently?" after
                // Liang's passage): another suggested passage beside it, if
                // there is one.
                if alone.decision == Decision::Suggest {
                    let suggested = |e: usize| alone.suggestions.iter().any(|c| c.entry == e);
                    let near = self.near(subject);
                    let unread = alone
                        .suggestions
                        .iter()
                        .map(|c| c.entry)
                        .find(|&e| e != subject && near.contains(&e));
                    let pointed = if suggested(subject) {
                        match unread {
                            Some(other) if last == Some(subject) => Some(other),
                            _ => Some(subject),
                        }
                    } else {
                        unread
                    };
                    if let Some(target) = pointed {
                        return self.follow(follow, target, Some(subject), lang, message);
                    }
                }
                self.about(follow, subject, alone, message, lang)
            }
            Cue::Ellipsis => {
                let Some(from) = last else {
                    // "3단계는?" opening a conversation is a question; "and
                    // China?" is not. After a question the column gave no
                    // passage for ("… Japan's approach to STEM?") or only
                    // choices, "what about China?" is that question asked
                    // of what it names.
                    if cues::words(message).join(" ") == rest {
                        return self.fresh(message);
                    }
                    let asked_before = context.declined || !context.choices.is_empty();
                    return match asked_before.then(|| self.topic(&rest, None)).flatten() {
                        Some(topic) => self.follow(follow, topic, None, lang, message),
                        None => self.clarify(message),
                    };
                };
                // "나이는?" after the author: his age, which his passage
                // does not give, not the one age the column gives.
                if let Some(subject) = self.index(context.subject.as_ref())
                    && cues::content_words(message) <= 1
                    && self.asks_what_subject_lacks(subject, &self.matcher.decide(message), message)
                {
                    return self.declined(follow, Some(subject), lang);
                }
                match self.topic(&rest, Some(from)) {
                    Some(topic) => self.follow(follow, topic, Some(from), lang, message),
                    None => self.fresh(message),
                }
            }
        }
    }

    /// The follow-ups read from what was last answered before the cue
    /// (`classified`) is acted on: a comparison, what a passage is good
    /// for, what should be done about it, and "that step". `None` when the
    /// message is none of these.
    fn read_against_last(
        &self,
        context: &Context,
        message: &str,
        classified: &Option<(Cue, String)>,
        last: Option<usize>,
        lang: Lang,
    ) -> Option<Turn> {
        let from = last?;
        let turn = |follow: Follow, target: usize| {
            Some(self.follow(follow, target, Some(from), lang, message))
        };
        if let Some(target) = self.contrast_asked(from, message) {
            return turn(Follow::Contrast, target);
        }
        if self.benefit_asked(from, message) {
            return turn(Follow::Cue(Cue::Why), from);
        }
        // "does the author want korea to do that too?" after DeepSeek's
        // way with failure: what the source recommends about a problem or
        // an example it gave is the step that answers it (the knowledge
        // base's `answered_by`). Asking for the recommendations themselves
        // ("list the main recommendations it makes") is no follow-up.
        let words = cues::words(message);
        if words.len() <= MAX_RECOMMENDED_WORDS
            && advice::asks_advice(&words)
            && (cues::points_at_thing(message) || cues::asks_instead(&words))
            && let Some(step) = self.recommended_for(from, message)
        {
            return turn(Follow::Recommended, step);
        }
        // "anything else in that step?", "그 단계 다시": the step the
        // conversation is on, unless the message walks on from it ("the
        // step after that step").
        let walks_on = matches!(classified, Some((Cue::Next | Cue::Previous, _)));
        if !walks_on && cues::points_at_part(message) {
            let on = self.walked_from(context, from);
            if self.kb.entries[on].kind == Kind::Step {
                return turn(Follow::Part, on);
            }
        }
        None
    }

    /// "and how does Korea compare?" after a passage the next one
    /// contrasts with ("By contrast, …"): that one. Not when the message is
    /// long, names another thing or something no entry speaks of ("how
    /// does ChatGPT compare on benchmarks?"), or the matcher answers it
    /// with another passage and the message says much less of the
    /// contrasting one ("what is different about DeepSeek's approach?"
    /// after China).
    fn contrast_asked(&self, from: usize, message: &str) -> Option<usize> {
        if !cues::compares(message)
            || cues::words(message).len() > MAX_CONTRAST_WORDS
            || cues::names_another_thing(message)
            // "opposite" and "사례" are no words of the passages, and ask
            // no more than "compare" and "example" do.
            || self.says_more(&cues::compared_subject(message))
            || self.matcher.is_out_of_scope(message)
        {
            return None;
        }
        // "how does that compare with deepseek's approach?" after the
        // institutes' hiring: the column's example of doing otherwise, when
        // the message is about it as much as about anything, or about
        // nothing of its own ("who did the opposite?").
        let ranked = self.matcher.rank(message);
        let alone = self.matcher.decide(message);
        let of_its_own = matches!(alone.decision, Decision::Answer | Decision::Suggest);
        let example = self
            .example(from)
            .filter(|&e| e != from && (!of_its_own || ranked.iter().take(2).any(|c| c.entry == e)));
        let target = self.contrasted(from).or(example)?;
        let score_of = |entry: usize| {
            ranked
                .iter()
                .find(|c| c.entry == entry)
                .map_or(0.0, |c| c.score)
        };
        let own = names_another(&alone, Some(from), 0.0)
            && alone
                .best
                .is_some_and(|b| b.entry != target && score_of(target) < b.score * CONTRAST_SHARE);
        (!own).then_some(target)
    }

    /// "why would that help?" after a passage: what it says it is good for
    /// is in it ("… will stimulate creative exploration"). Only pointing
    /// back at it: "how does AlphaGo's algorithm work?" asks about a thing
    /// of its own; and not when the matcher clearly answers the message
    /// with another passage.
    /// Likewise "why is that a problem?" after a passage describing one:
    /// it says what harm it does ("… further straining efforts to attract
    /// top-tier talent"). After a step, the harm is of what the step would
    /// change, which its `why` gives.
    fn benefit_asked(&self, from: usize, message: &str) -> bool {
        let harm = || self.kb.entries[from].kind == Kind::Background && cues::asks_harm(message);
        (cues::asks_benefit(message) || harm())
            && cues::refers_back(message)
            && !self.says_more(message)
            && !names_another(&self.matcher.decide(message), Some(from), COMPLETE_SCORE)
    }

    /// A message with no cue: as if asked first, unless it is a short
    /// question the matcher finds nothing in ("몇년생임?", "which
    /// companies?") and that names nothing else ("일본 얘기도 있어?"), which
    /// leaves its subject implied: what the last passage was about.
    fn implied(&self, context: &Context, message: &str, lang: Lang) -> Turn {
        let alone = self.matcher.decide(message);
        // "what made it worse?" and "why does he bring them up?" have no
        // topic word of their own, so alone they read as small talk (about
        // the bot, or nothing to match); pointing back, they ask about
        // what was just read. Thanks and greetings stay small talk.
        // Having no topic word, such a question may be of any length.
        let points_at_last = matches!(alone.smalltalk, Some(SmallTalk::Help | SmallTalk::Identity))
            && cues::refers_back(message)
            && cues::is_question(message);
        // "by whom?", "since when?": a question word and nothing to match,
        // not about the bot ("who are you?").
        let bare = alone.smalltalk == Some(SmallTalk::Help)
            && cues::asks_with_question_word(message)
            && !smalltalk::addresses_bot(&cues::words(message));
        let short =
            (alone.decision == Decision::Decline || bare) && cues::is_short_question(message);
        let subject = self.index(context.subject.as_ref());
        // "how old" after the author: his age, which his passage does not
        // give, not another person's.
        if let Some(subject) = subject
            && cues::content_words(message) <= 1
            && cues::is_short_question(message)
            && self.asks_what_subject_lacks(subject, &alone, message)
        {
            return self.declined(Follow::Implied, Some(subject), lang);
        }
        // "when was that?" after AlphaGo's year: the subject's year.
        if let Some(subject) = subject
            && (cues::refers_back(message) || cues::is_short_question(message))
            && self.asks_what_subject_holds(subject, &alone, message)
        {
            return self.follow(Follow::Implied, subject, Some(subject), lang, message);
        }
        match subject {
            Some(subject)
                if (short || points_at_last)
                    && !cues::names_another_thing(message)
                    && !self.says_more(message) =>
            {
                self.about(Follow::Implied, subject, alone, message, lang)
            }
            Some(subject) if self.ties_with(subject, &alone, message) => {
                self.follow(Follow::Implied, subject, Some(subject), lang, message)
            }
            _ => self.turn(alone, TurnKind::Fresh, None),
        }
    }

    /// Whether a message pointing back at what was just read ("why has it
    /// succeeded?" after China) fits that passage nearly as well as the
    /// matcher's best answer: then the best is no question of its own, only
    /// a word the message shares with it ("success"). "why did they cut
    /// it?" after a step that says nothing of cuts is one; naming the source
    /// or its author, "this" is the source ("why did the author write
    /// this?").
    fn fits_last_as_well(&self, message: &str, last: Option<usize>) -> bool {
        let Some(last) = last else { return false };
        // Korean leaves out a subject the conversation is on ("왜
        // 성공했대?" after China): a Korean message may lean on it unsaid.
        let leans_back = cues::refers_back(message) || Lang::detect(message) == Lang::Ko;
        if !leans_back || cues::words(message).iter().any(|w| lexicon::is_meta(w)) {
            return false;
        }
        let ranked = self.matcher.rank(message);
        let score = |entry: Option<usize>| {
            ranked
                .iter()
                .find(|c| entry.is_none_or(|e| c.entry == e))
                .map_or(0.0, |c| c.score)
        };
        score(Some(last)) >= LAST_SHARE * score(None)
    }

    /// Whether the matcher answered `message` (`alone`) with another
    /// passage than `subject`, the one the conversation is about, but
    /// scores `subject` all but as high (`NEAR_TIE`): "government 역할은
    /// 뭐래?" after step 1 asks about the government in step 1, though
    /// China's passage speaks of its government a hair more.
    fn ties_with(&self, subject: usize, alone: &Outcome, message: &str) -> bool {
        let Some(best) = alone.best.filter(|_| alone.decision == Decision::Answer) else {
            return false;
        };
        best.entry != subject
            && self
                .matcher
                .rank(message)
                .iter()
                .any(|c| c.entry == subject && c.score >= NEAR_TIE * best.score)
    }

    /// Whether `message` says something no entry speaks of ("점심 뭐
    /// 먹지", "올해 수능 언제야?"): an unknown noun, or a word only
    /// out-of-scope questions use. Such a message is about that, not about
    /// what was just read; one with nothing of its own ("몇년생임?") is.
    fn says_more(&self, message: &str) -> bool {
        self.matcher.beyond_entries(message) >= UNKNOWN_WORD_WEIGHT
    }

    /// Whether the matcher answered `message` (`alone`) on words several
    /// passages share about as well: its best leads the next by less than
    /// `SHARED_WORDS_LEAD` ("why has it worked for them?" is about the
    /// institutes, step 2 and Liang alike on "worked"). Asked of a why
    /// pointing back only: the same test on every message with a pronoun
    /// cost the never-read dialogue sets more than it gained.
    fn answered_on_shared_words(&self, message: &str, alone: &Outcome) -> bool {
        let Some(best) = alone.best else {
            return false;
        };
        self.matcher
            .rank(message)
            .get(1)
            .is_some_and(|runner_up| best.score < runner_up.score * SHARED_WORDS_LEAD)
    }

    /// A question about `subject` (its pronoun or its implied subject),
    /// which the matcher alone decided as `alone`.
    fn about(
        &self,
        follow: Follow,
        subject: usize,
        alone: Outcome,
        message: &str,
        lang: Lang,
    ) -> Turn {
        // A question the knowledge base marks out of scope ("how much money
        // did they raise?") is declined whoever it is about.
        if self.matcher.is_out_of_scope(message) {
            return self.turn(alone, TurnKind::Fresh, None);
        }
        // The question read as if it named the subject: "when was he born"
        // after Liang Wenfeng's passage may be answered by another passage
        // about him.
        let read = format!("{message} {}", self.kb.entries[subject].title);
        let with_subject = self.matcher.decide(&read);
        let target = match (with_subject.decision, with_subject.best) {
            (Decision::Answer, Some(best)) => best.entry,
            // Declined even with its subject named ("how is Japan dealing
            // with its own shortage?" after DeepSeek): what it asks is not
            // in the column, whoever it is about.
            (Decision::Decline, _) => return self.turn(alone, TurnKind::Fresh, None),
            _ => subject,
        };
        // "When was the company founded?": a year the passage does not
        // give is not answered with it.
        if !self.holds_what_is_asked(target, message) {
            return self.declined(follow, Some(subject), lang);
        }
        self.follow(follow, target, Some(subject), lang, message)
    }

    /// Whether `message`, about `subject`, asks a kind of fact (a year or
    /// an age) that the subject's passage does not hold, while the
    /// matcher answers it (`alone`) with a passage far from the subject's:
    /// that passage gives the fact of someone or something else.
    fn asks_what_subject_lacks(&self, subject: usize, alone: &Outcome, message: &str) -> bool {
        // A time asked with a pronoun ("when was he born?") names no one
        // else; "who's Liang?" does, and a figure ("how much did they
        // cut?") may be another passage's to give.
        let Some(AnswerType::Date | AnswerType::Age) = answer_type::asked(&cues::words(message))
        else {
            return false;
        };
        let elsewhere = alone.decision == Decision::Answer
            && alone
                .best
                .is_some_and(|b| !self.near(subject).contains(&b.entry));
        elsewhere && !self.holds_what_is_asked(subject, message)
    }

    /// Whether `message` asks a year or an age and names nothing else
    /// (at most the word for what it asks: "what year was that?"), the
    /// subject's passage gives one, and the matcher alone (`alone`)
    /// answers with another passage: one giving another year, even
    /// beside the subject's (Liang's "born in 1985" after AlphaGo's 2016).
    fn asks_what_subject_holds(&self, subject: usize, alone: &Outcome, message: &str) -> bool {
        let Some(AnswerType::Date | AnswerType::Age) = answer_type::asked(&cues::words(message))
        else {
            return false;
        };
        let elsewhere =
            alone.decision == Decision::Answer && alone.best.is_some_and(|b| b.entry != subject);
        elsewhere && cues::content_words(message) <= 1 && self.holds_what_is_asked(subject, message)
    }

    /// Whether the entry's title names a person ("Yoon Seok Jin, the
    /// author"): the entry is about someone, whom "he" may point at.
    fn titled_by_a_person(&self, entry: usize) -> bool {
        let title = std::slice::from_ref(&self.kb.entries[entry].title);
        Provided::of(title).answers(AnswerType::Person, &[])
    }

    /// Whether the entry's passage holds the kind of fact `message` asks
    /// for (a year, a share, a name), or it asks for none of these.
    fn holds_what_is_asked(&self, entry: usize, message: &str) -> bool {
        let words = cues::words(message);
        answer_type::asked(&words).is_none_or(|asked| {
            Provided::of(&self.kb.entries[entry].passage).answers(asked, &words)
        })
    }

    /// The entry the words after a cue name ("and Korea?" → Korea's
    /// shortage): the one they answer, or the first they suggest that is a
    /// topic (not the list of steps) and not the one just read.
    fn topic(&self, rest: &str, from: Option<usize>) -> Option<usize> {
        // "step 3 details": the step of that number ("step" is a filler).
        if let Some(step) = cues::number(rest).and_then(|n| self.step(n)) {
            return Some(step);
        }
        // "does the column say more about China?": "column" says where,
        // not what ("more about the author" keeps its one word).
        let words = cues::words(rest);
        let unframed: Vec<String> = words
            .iter()
            .filter(|w| !lexicon::is_meta(w))
            .cloned()
            .collect();
        // But "글쓴이 경력은?" after the source asks the writer's career,
        // which the matcher, reading the words as typed, answers with the
        // passage about the writer.
        if unframed.len() < words.len() {
            let as_typed = self.matcher.decide(rest);
            if as_typed.decision == Decision::Answer
                && let Some(best) = as_typed.best
                && self.kb.entries[best.entry].kind == Kind::About
            {
                return Some(best.entry);
            }
        }
        let rest = if unframed.is_empty() {
            rest.to_owned()
        } else {
            unframed.join(" ")
        };
        let rest = rest.as_str();
        let alone = self.matcher.decide(rest);
        // "우리나라는": the topic without its Korean particles, when the
        // words as typed name nothing.
        let alone = match alone.decision {
            Decision::Answer | Decision::Suggest => alone,
            _ => self.matcher.decide(&cues::stems(rest)),
        };
        match (alone.decision, alone.best) {
            (Decision::Answer, Some(best)) => Some(best.entry),
            // "and about bureaucracy?" after step 1, the matcher's first
            // guess: the passage just read says more on it (not the
            // overview, which names every topic in passing).
            (Decision::Suggest, _)
                if alone.suggestions.first().map(|c| c.entry) == from
                    && from.is_some_and(|f| self.kb.entries[f].kind != Kind::Overview) =>
            {
                from
            }
            (Decision::Suggest, _) => alone
                .suggestions
                .iter()
                .map(|c| c.entry)
                .find(|&e| Some(e) != from && self.kb.entries[e].kind != Kind::Overview),
            _ => None,
        }
    }

    /// The choice `message` picks: its number ("2", "#2", "2번") or the
    /// words of one choice's title, and no other's.
    fn pick(&self, context: &Context, message: &str) -> Option<usize> {
        if context.choices.is_empty() {
            return None;
        }
        let choices: Vec<usize> = context
            .choices
            .iter()
            .filter_map(|id| self.index(Some(id)))
            .collect();
        if let Some(n) = cues::number(message) {
            return usize::from(n)
                .checked_sub(1)
                .and_then(|i| choices.get(i).copied());
        }
        let words = cues::words(message);
        if words.is_empty() {
            return None;
        }
        let mut matching = choices.iter().copied().filter(|&c| {
            let entry = &self.kb.entries[c];
            let title = cues::words(&entry.title);
            let title_ko = entry.title_ko.as_deref().map(cues::words);
            words
                .iter()
                .all(|w| title.contains(w) || title_ko.as_ref().is_some_and(|t| t.contains(w)))
        });
        match (matching.next(), matching.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The step after a step; past the steps, the passage after it in the
    /// column (the overview is followed by step 1).
    fn next(&self, from: usize) -> Option<usize> {
        let entry = &self.kb.entries[from];
        let step = match (entry.kind, entry.step) {
            (Kind::Overview, _) => self.step(1),
            (Kind::Step, Some(n)) => self.step(n + 1),
            _ => None,
        };
        step.or_else(|| self.in_reading_order(from, 1))
    }

    /// Where "next" and "previous" go on from: the step a background
    /// passage was reached from by its why or more ("왜 그게 필요하대?"
    /// after step 2, then "다음꺼" is step 3 and "the step before that"
    /// step 1), else the passage itself.
    fn walked_from(&self, context: &Context, last: usize) -> usize {
        let Some(before) = self.index(context.before.as_ref()) else {
            return last;
        };
        let step = &self.kb.entries[before];
        let reached = |id: &Option<String>| self.index(id.as_ref()) == Some(last);
        let detour = self.kb.entries[last].kind == Kind::Background
            && step.kind == Kind::Step
            && (reached(&step.why) || reached(&step.more));
        if detour { before } else { last }
    }

    /// The step before a step (the overview before step 1); otherwise the
    /// passage before it in the column.
    fn previous(&self, from: usize) -> Option<usize> {
        let entry = &self.kb.entries[from];
        match (entry.kind, entry.step) {
            (Kind::Step, Some(1)) => self.overview(),
            (Kind::Step, Some(n)) => self.step(n - 1),
            (Kind::Overview, _) => None,
            _ => self.in_reading_order(from, -1),
        }
    }

    /// What answers "why?" after the entry: a passage that states a cause
    /// itself ("… due to waning interest …") is its own answer; otherwise
    /// the knowledge base's `why` for the entry, or for a step without one
    /// the first background it answers. Asked what made it worse ("what
    /// made it worse?", "왜 더 심해졌대?"), the knowledge base's `why`
    /// comes first: the passage's own cause is of the thing, not of its
    /// worsening.
    fn why(&self, from: usize, message: &str) -> Option<usize> {
        let entry = &self.kb.entries[from];
        if sentence::passage_gives_reason(&entry.passage) && !cues::asks_aggravation(message) {
            return Some(from);
        }
        self.index(entry.why.as_ref())
            .or_else(|| {
                let n = entry.step?;
                self.kb
                    .entries
                    .iter()
                    .position(|e| e.kind == Kind::Background && e.answered_by.contains(&n))
            })
            .or_else(|| sentence::passage_gives_reason(&entry.passage).then_some(from))
    }

    /// The step that answers a background passage, for a question asking
    /// what should be done about it: of several, the one the matcher ranks
    /// first for the message; `None` for a passage no step answers, when
    /// the matcher clearly answers the message with a passage of its own,
    /// or with the list of steps ("list the main recommendations it
    /// makes").
    fn recommended_for(&self, from: usize, message: &str) -> Option<usize> {
        let entry = &self.kb.entries[from];
        if entry.kind != Kind::Background {
            return None;
        }
        let steps: Vec<usize> = entry
            .answered_by
            .iter()
            .filter_map(|&n| self.step(n))
            .collect();
        let alone = self.matcher.decide(message);
        let overview = alone.decision == Decision::Answer
            && alone
                .best
                .is_some_and(|b| self.kb.entries[b.entry].kind == Kind::Overview);
        if overview
            || (names_another(&alone, Some(from), COMPLETE_SCORE)
                && alone.best.is_some_and(|b| !steps.contains(&b.entry)))
        {
            return None;
        }
        let ranked = self.matcher.rank(message);
        ranked
            .iter()
            .map(|c| c.entry)
            .find(|e| steps.contains(e))
            .or_else(|| steps.first().copied())
    }

    /// The passage that contrasts with the entry: the one after it in the
    /// column when that opens with a contrast ("By contrast, …"), or the
    /// one before it when the entry itself does.
    fn contrasted(&self, from: usize) -> Option<usize> {
        let opens = |e: usize| {
            self.kb.entries[e]
                .passage
                .first()
                .is_some_and(|p| cues::opens_with_contrast(p))
        };
        let after = self.in_reading_order(from, 1).filter(|&e| opens(e));
        after.or_else(|| {
            opens(from)
                .then(|| self.in_reading_order(from, -1))
                .flatten()
        })
    }

    /// The knowledge base's `more` for the entry, else what comes next.
    /// The entry giving the column's example of what `from` says (the
    /// knowledge base's `example`, which may be `from` itself).
    fn example(&self, from: usize) -> Option<usize> {
        self.index(self.kb.entries[from].example.as_ref())
    }

    /// What "any other …?" leads to after `from`: the knowledge base's
    /// `more`, else the next passage.
    fn more(&self, from: usize) -> Option<usize> {
        let entry = &self.kb.entries[from];
        self.index(entry.more.as_ref()).or_else(|| self.next(from))
    }

    /// What "tell me more" leads to after `from`: the knowledge base's
    /// `more`, else `from` itself, whose passage is then all the column
    /// says on its matter (step 3's international exchange is not
    /// continued by the conclusion that follows it).
    fn deeper(&self, from: usize) -> usize {
        self.index(self.kb.entries[from].more.as_ref())
            .unwrap_or(from)
    }

    /// The entry and those a follow-up leads to from it: its `why` and
    /// `more`, and the passages before and after it.
    fn near(&self, entry: usize) -> Vec<usize> {
        let e = &self.kb.entries[entry];
        [
            Some(entry),
            self.index(e.why.as_ref()),
            self.index(e.more.as_ref()),
            self.next(entry),
            self.previous(entry),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn step(&self, n: u8) -> Option<usize> {
        self.kb
            .entries
            .iter()
            .position(|e| e.kind == Kind::Step && e.step == Some(n))
    }

    fn overview(&self) -> Option<usize> {
        self.kb
            .entries
            .iter()
            .position(|e| e.kind == Kind::Overview)
    }

    fn in_reading_order(&self, from: usize, by: isize) -> Option<usize> {
        let at = self.reading_order.iter().position(|&e| e == from)?;
        let to = at.checked_add_signed(by)?;
        self.reading_order.get(to).copied()
    }

    /// "go back one, the part about failure": a bare step to walk to, then
    /// what it is about. The walk is followed when the description agrees
    /// with where it leads (the matcher answers or offers that entry, or
    /// finds nothing clear); a description the matcher answers with
    /// another entry is asked as a question of its own. With nowhere to
    /// walk, the message is read as any other.
    fn walked_and_described(&self, context: &Context, message: &str) -> Option<Turn> {
        let (head, described) = message.split_once(", ")?;
        let bare_walk = matches!(
            cues::classify(head),
            Some((Cue::Next | Cue::Previous, rest)) if rest.is_empty()
        );
        if !bare_walk {
            return None;
        }
        let walked = self.resolve(context, head);
        let target = walked
            .outcome
            .best
            .filter(|_| walked.outcome.decision == Decision::Answer)?;
        let alone = self.matcher.decide(described);
        let offers_target = alone.best.is_some_and(|b| b.entry == target.entry)
            || alone.suggestions.iter().any(|s| s.entry == target.entry);
        Some(if alone.decision != Decision::Answer || offers_target {
            walked
        } else {
            self.fresh(described)
        })
    }

    fn fresh(&self, message: &str) -> Turn {
        self.turn(self.matcher.decide(message), TurnKind::Fresh, None)
    }

    /// The column gives nothing for this follow-up (no reason for what was
    /// just read, no year in the passage asked about): declined, with the
    /// context it was read in.
    fn declined(&self, follow: Follow, context: Option<usize>, lang: Lang) -> Turn {
        let outcome = no_passage(Decision::Decline, lang);
        self.turn(outcome, TurnKind::FollowUp(follow), context)
    }

    fn clarify(&self, message: &str) -> Turn {
        let outcome = no_passage(Decision::Clarify, Lang::detect(message));
        self.turn(outcome, TurnKind::Fresh, None)
    }

    fn follow(
        &self,
        follow: Follow,
        target: usize,
        context: Option<usize>,
        lang: Lang,
        message: &str,
    ) -> Turn {
        let outcome = Outcome {
            decision: Decision::Answer,
            // Resolved from the context, not scored: the score says how
            // sure qabot is, and a follow-up it resolved it is sure of.
            best: Some(Candidate {
                entry: target,
                score: 1.0,
                coverage: 1.0,
            }),
            suggestions: Vec::new(),
            smalltalk: None,
            lang,
            truncated: self.matcher.cut(message).len() < message.len(),
            // A passage reached by following the conversation answers no
            // one question, so no sentence of it is marked.
            mark: None,
        };
        self.turn(outcome, TurnKind::FollowUp(follow), context)
    }

    fn turn(&self, outcome: Outcome, kind: TurnKind, context: Option<usize>) -> Turn {
        Turn {
            outcome,
            kind,
            context,
        }
    }

    /// Notes in `context` that entry `index` was just shown, as an answer
    /// with it would: a step shown by a button, or the entry of a message
    /// replied to. An index the knowledge base does not have is ignored.
    pub fn shown(&self, context: &mut Context, index: usize) {
        let Some(entry) = self.kb.entries.get(index) else {
            return;
        };
        if context.last.as_ref() != Some(&entry.id) {
            context.before = context.last.replace(entry.id.clone());
        }
        if entry.kind != Kind::Overview {
            context.subject = Some(entry.id.clone());
        }
        context.choices.clear();
        context.suggested = false;
    }

    /// What the context keeps of a turn: the entry answered (and the one
    /// before it), the choices offered, the language.
    fn remember(&self, context: &mut Context, turn: &Turn) {
        let outcome = &turn.outcome;
        context.lang = Some(outcome.lang);
        context.declined = outcome.decision == Decision::Decline;
        context.suggested = outcome.decision == Decision::Suggest;
        let id = |i: usize| self.kb.entries[i].id.clone();
        match (turn.kind, outcome.decision, outcome.best) {
            (_, Decision::Clarify, _) => {
                // The steps listed in the reply are the choices now.
                context.choices = (1..=self.kb.step_count())
                    .filter_map(|n| self.step(n))
                    .map(id)
                    .collect();
            }
            (_, Decision::Answer, Some(best)) => self.shown(context, best.entry),
            (_, Decision::Suggest, _) => {
                context.choices = outcome.suggestions.iter().map(|c| id(c.entry)).collect();
            }
            _ => {}
        }
    }
}

/// An outcome that quotes nothing: a question back (as small talk) or a
/// follow-up the column gives nothing for (declined).
fn no_passage(decision: Decision, lang: Lang) -> Outcome {
    Outcome {
        decision,
        best: None,
        suggestions: Vec::new(),
        smalltalk: None,
        lang,
        truncated: false,
        mark: None,
    }
}

/// With no subject in the context, a message with a pronoun that the
/// matcher answers this well on its own is a complete question ("how did
/// DeepSeek turn its failures into assets?" scores 1.0 on the built-in
/// column); "when was he born?" (0.88) and "what did his company build?"
/// (0.50) are asked back about. With a subject, any answer of the matcher's
/// stands, and the subject is the fallback.
const COMPLETE_SCORE: f32 = 0.9;

/// How far the matcher's answer to a why pointing back must lead the
/// next passage to be a question of its own: "why has it worked for
/// them?" after China scores 0.86 for the institutes and 0.83 for step 2
/// on "worked" alone; "why did they cut it?" after step 1 names the budget
/// cuts far ahead of the rest.
const SHARED_WORDS_LEAD: f32 = 1.2;

/// The least share of the best score at which the passage a conversation
/// is about wins a message with no cue over the matcher's best answer
/// ([`Conversations::ties_with`]): a near tie, not a close second. Chosen
/// on the dialogue files in sight (0.93 and 0.95 gained the same three
/// follow-ups, 0.97 two, 0.90 none net).
const NEAR_TIE: f32 = 0.95;

/// The least share of the best score the passage just read must reach for
/// a message pointing back to stay with it ([`Conversations::fits_last_as_well`]).
const LAST_SHARE: f32 = 0.75;

/// At most this many words make a comparison a follow-up: a longer
/// message ("I'm writing a report comparing …") asks its own question.
const MAX_CONTRAST_WORDS: usize = 8;

/// At most this many words make a question what should be done about
/// what was just read a follow-up ("does the author want korea to do that
/// too?" has nine); a longer one tells its own story ("I'm in HR at a
/// research institute … Does the column propose anything like that?").
const MAX_RECOMMENDED_WORDS: usize = 12;

/// A comparison the matcher answers with another passage is still about
/// the contrasting one when the message scores that one at least this share
/// of the other ("중국은 어떻게 다르다고 했어?" after Korea's shortage:
/// China 0.46 against 0.50 for a passage sharing "different").
const CONTRAST_SHARE: f32 = 0.5;

/// At least this many words that say something (`cues::content_words`)
/// make a message with a pronoun a question of its own, even with nothing
/// before it to point at.
const OWN_WORDS: usize = 3;

/// What `Matcher::beyond_entries` must reach for a message to say something
/// of its own: one unknown word or more (an unknown English word weighs
/// 2.6, a Korean noun 2.0), not an unknown Korean verb form (0.3).
const UNKNOWN_WORD_WEIGHT: f32 = 1.0;

/// Whether the matcher, asked the message alone, answers it with a passage
/// other than the last one, scoring at least `bar`: the message names a
/// topic of its own.
fn names_another(alone: &Outcome, last: Option<usize>, bar: f32) -> bool {
    alone.decision == Decision::Answer
        && alone
            .best
            .is_some_and(|b| b.score >= bar && Some(b.entry) != last)
}

#[cfg(test)]
mod tests;

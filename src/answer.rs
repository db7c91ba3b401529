//! The one reply renderer: turns the matcher's outcome into what a person
//! reads, the same in the terminal and on Telegram. A [`Reply`] is a list of
//! blocks; [`Reply::to_plain`] and [`Reply::to_html`] only differ in markup.
//!
//! Labels and help text follow the question's language (English or
//! Korean); quoted passages are always the column's published English text,
//! whole, with the sentence that answers marked when the matcher picked one
//! ([`Quote`]): bold on Telegram, between [`PLAIN_MARK`]s in the terminal.

use std::ops::Range;

use serde::Serialize;

use crate::knowledge::{Entry, Kind, KnowledgeBase};
use crate::matcher::numbers;
use crate::matcher::{Candidate, Decision, Lang, Mark, Outcome, SmallTalk};

/// A quote longer than this many characters is sent to Telegram as an
/// expandable blockquote (`<blockquote expandable>`), which shows only its
/// first lines until tapped, so a long passage takes little room in a busy
/// group. Chosen on the built-in column: it folds 5 of its 21 excerpts,
/// the longest (step 1's second paragraph, 468 characters, and the
/// background passages of 422 to 569), and leaves the shorter ones (at most
/// 391) open. The terminal shows every quote whole.
pub const EXPANDABLE_QUOTE_CHARS: usize = 400;

/// What the terminal puts around the marked sentence of a quote, where
/// Telegram shows it bold: Markdown's bold, which reads as emphasis even
/// to someone who has never seen qabot, and which no passage of the column
/// contains.
pub const PLAIN_MARK: &str = "**";

/// Verbatim text from the column, with the sentence that answers the
/// question marked, if one does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    text: String,
    /// Byte range of the marked sentence in `text`; always on character
    /// boundaries ([`Quote::marked`] checks, and neither field changes after).
    mark: Option<Range<usize>>,
}

impl Quote {
    /// A quote with nothing marked.
    pub fn plain(text: impl Into<String>) -> Self {
        Quote {
            text: text.into(),
            mark: None,
        }
    }

    /// A quote with `text[range]` marked; nothing is marked when the range
    /// is not a non-empty piece of `text`.
    pub fn marked(text: impl Into<String>, range: Range<usize>) -> Self {
        let text = text.into();
        let mark = (!range.is_empty() && text.get(range.clone()).is_some()).then_some(range);
        Quote { text, mark }
    }

    /// The text before the mark, the marked sentence, and the text after
    /// it: the whole text first when nothing is marked.
    pub fn parts(&self) -> (&str, Option<&str>, &str) {
        match &self.mark {
            Some(r) => (
                &self.text[..r.start],
                Some(&self.text[r.clone()]),
                &self.text[r.end..],
            ),
            None => (&self.text, None, ""),
        }
    }

    /// The whole text, verbatim.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The marked sentence, if any.
    pub fn mark(&self) -> Option<&str> {
        self.parts().1
    }

    /// The text with the marked sentence between `open` and `close`, each
    /// piece passed through `escape`.
    fn render(&self, escape: impl Fn(&str) -> String, open: &str, close: &str) -> String {
        match self.parts() {
            (before, Some(marked), after) => format!(
                "{}{open}{}{close}{}",
                escape(before),
                escape(marked),
                escape(after)
            ),
            (text, None, _) => escape(text),
        }
    }
}

/// One piece of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A bold first line: the step and title.
    Heading(String),
    /// Verbatim text from the column.
    Quote(Quote),
    /// Running text of the bot's own.
    Text(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A numbered list of choices: the next message may be a number.
    Choices(Vec<String>),
    /// The attribution line.
    Source(String),
}

/// A rendered reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub lang: Lang,
    pub blocks: Vec<Block>,
}

impl Reply {
    /// Plain text, for the terminal.
    pub fn to_plain(&self) -> String {
        let parts: Vec<String> = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading(t) | Block::Text(t) => t.clone(),
                // Passages carry quotation marks of their own; a block
                // marker keeps them verbatim and unambiguous, and unlike
                // the chat prompt's, so a quote never looks typed.
                Block::Quote(q) => q
                    .render(str::to_owned, PLAIN_MARK, PLAIN_MARK)
                    .lines()
                    .map(|l| format!("{QUOTE_MARK}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::List(items) => items
                    .iter()
                    .map(|i| format!("  • {i}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::Choices(items) => numbered(items, |i| i.to_owned()),
                Block::Source(t) => format!("— {t}"),
            })
            .collect();
        parts.join("\n\n")
    }

    /// Telegram HTML (parse mode "HTML"), every piece of text escaped.
    pub fn to_html(&self) -> String {
        self.html_blocks().join("\n\n")
    }

    /// Each block as Telegram HTML, so a sender can split between blocks.
    pub fn html_blocks(&self) -> Vec<String> {
        self.blocks
            .iter()
            .map(|b| match b {
                Block::Heading(t) => format!("<b>{}</b>", escape_html(t)),
                Block::Quote(q) => {
                    let open = if q.text().chars().count() > EXPANDABLE_QUOTE_CHARS {
                        "<blockquote expandable>"
                    } else {
                        "<blockquote>"
                    };
                    let text = q.render(escape_html, "<b>", "</b>");
                    format!("{open}{text}</blockquote>")
                }
                Block::Text(t) => escape_html(t),
                Block::List(items) => items
                    .iter()
                    .map(|i| format!("• {}", escape_html(i)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                Block::Choices(items) => numbered(items, escape_html),
                Block::Source(t) => format!("<i>— {}</i>", escape_html(t)),
            })
            .collect()
    }
}

/// What starts each line of a quoted passage in plain text.
pub const QUOTE_MARK: &str = "  │ ";

/// Choices numbered from 1, one a line: "  1. Step 1 of 3 — …".
fn numbered(items: &[String], text: impl Fn(&str) -> String) -> String {
    items
        .iter()
        .enumerate()
        .map(|(n, i)| format!("  {}. {}", n + 1, text(i)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes the three characters Telegram's HTML parse mode reserves (and
/// quotes, so text is safe inside attributes too).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders replies over one knowledge base.
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    kb: &'a KnowledgeBase,
}

impl<'a> Renderer<'a> {
    pub fn new(kb: &'a KnowledgeBase) -> Self {
        Renderer { kb }
    }

    /// The reply to a question the matcher decided on.
    pub fn outcome(&self, outcome: &Outcome) -> Reply {
        let lang = outcome.lang;
        let mut reply = match outcome.decision {
            Decision::Answer => match outcome.best {
                Some(best) => {
                    self.entry_marked(&self.kb.entries[best.entry], lang, outcome.mark.as_ref())
                }
                None => self.decline(lang),
            },
            Decision::Suggest => self.suggest(&outcome.suggestions, lang),
            Decision::Smalltalk => {
                self.smalltalk(outcome.smalltalk.unwrap_or(SmallTalk::Help), lang)
            }
            // Never the matcher's outcome; declined if it were.
            Decision::Decline | Decision::Dropped => self.decline(lang),
            Decision::Clarify => self.clarify(lang),
        };
        if outcome.truncated {
            reply.blocks.push(Block::Text(match lang {
                Lang::En => "(Your message was long: only its beginning was read.)".into(),
                Lang::Ko => "(메시지가 길어서 앞부분만 읽었어요.)".into(),
            }));
        }
        reply
    }

    /// An entry's passage with its step (or "Background") and the source.
    pub fn entry(&self, entry: &Entry, lang: Lang) -> Reply {
        self.entry_marked(entry, lang, None)
    }

    /// [`Renderer::entry`] with the sentence `mark` names marked.
    pub fn entry_marked(&self, entry: &Entry, lang: Lang, mark: Option<&Mark>) -> Reply {
        let mut blocks = vec![Block::Heading(self.heading(entry, lang))];
        blocks.extend(entry.passage.iter().enumerate().map(|(i, p)| {
            Block::Quote(match mark {
                Some(m) if m.excerpt == i => Quote::marked(p.as_str(), m.range.clone()),
                _ => Quote::plain(p.as_str()),
            })
        }));
        if entry.kind == Kind::Background && !entry.answered_by.is_empty() {
            let steps: Vec<String> = entry
                .answered_by
                .iter()
                .filter_map(|&n| self.kb.step(n))
                .map(|s| self.step_label(s, lang))
                .collect();
            blocks.push(Block::Text(match lang {
                Lang::En => format!("The column's answer to this: {}.", steps.join("; ")),
                Lang::Ko => format!("칼럼이 제시하는 해법: {}.", steps.join("; ")),
            }));
        }
        if lang == Lang::Ko {
            blocks.push(Block::Text(
                "인용문은 칼럼의 영어 원문 그대로입니다.".into(),
            ));
        }
        blocks.push(Block::Source(self.source_line()));
        Reply { lang, blocks }
    }

    /// "Step 2 of 3 — title", "Background — title", …
    pub fn heading(&self, entry: &Entry, lang: Lang) -> String {
        let title = self.title(entry, lang);
        let steps;
        let label = match (entry.kind, lang) {
            (Kind::Step, _) => return self.step_label(entry, lang),
            (Kind::Overview, Lang::En) => {
                steps = format!("The {}", self.steps_phrase(lang));
                &steps
            }
            (Kind::Overview, Lang::Ko) => {
                steps = self.steps_phrase(lang);
                &steps
            }
            (Kind::Background, Lang::En) => "Background",
            (Kind::Background, Lang::Ko) => "배경",
            (Kind::About, Lang::En) => "About the column",
            (Kind::About, Lang::Ko) => "칼럼 정보",
        };
        format!("{label} — {title}")
    }

    fn step_label(&self, entry: &Entry, lang: Lang) -> String {
        let n = entry.step.unwrap_or(0);
        let of = self.kb.step_count();
        let title = self.title(entry, lang);
        match lang {
            Lang::En => format!("Step {n} of {of} — {title}"),
            Lang::Ko => format!("{n}단계 (총 {of}단계) — {title}"),
        }
    }

    fn title<'e>(&self, entry: &'e Entry, lang: Lang) -> &'e str {
        match (lang, &entry.title_ko) {
            (Lang::Ko, Some(t)) => t,
            _ => &entry.title,
        }
    }

    /// "Author, “Title”, Paper".
    pub fn source_line(&self) -> String {
        let s = &self.kb.source;
        format!("{}, “{}”, {}", s.author, s.title, s.paper)
    }

    /// A short label for a suggestion or an inline result: the step or kind, and the title.
    pub fn short_label(&self, entry: &Entry, lang: Lang) -> String {
        self.heading(entry, lang)
    }

    fn suggest(&self, suggestions: &[Candidate], lang: Lang) -> Reply {
        let items = suggestions
            .iter()
            .map(|c| self.short_label(&self.kb.entries[c.entry], lang))
            .collect();
        let (intro, outro) = match lang {
            Lang::En => (
                "I'm not sure which part of the column you mean. Did you mean one of these?",
                "Ask again with a few more words, or pick one by its number.",
            ),
            Lang::Ko => (
                "칼럼의 어느 부분을 말씀하시는지 확실하지 않아요. 혹시 이 중 하나인가요?",
                "조금 더 구체적으로 다시 물어보시거나 번호로 하나를 골라 주세요.",
            ),
        };
        Reply {
            lang,
            blocks: vec![
                Block::Text(intro.into()),
                Block::Choices(items),
                Block::Text(outro.into()),
            ],
        }
    }

    /// The steps counted in words: "three steps", "세 가지 단계".
    fn steps_phrase(&self, lang: Lang) -> String {
        let n = self.kb.step_count();
        match lang {
            Lang::En => {
                let noun = crate::plural::noun(usize::from(n), "step", "steps");
                format!("{} {noun}", numbers::english(n))
            }
            Lang::Ko => format!("{} 가지 단계", numbers::korean(n)),
        }
    }

    fn steps_list(&self, lang: Lang) -> Vec<String> {
        (1..=self.kb.step_count())
            .filter_map(|n| self.kb.step(n))
            .map(|s| self.step_label(s, lang))
            .collect()
    }

    /// The reply to a follow-up with nothing to follow ("why?" as a first
    /// message): what does it refer to, with the steps to pick from.
    pub fn clarify(&self, lang: Lang) -> Reply {
        let (ask, pick) = match lang {
            Lang::En => (
                "What does that refer to? I don't know yet what we are talking about.",
                "Ask about a part of the column, or pick a step by its number:",
            ),
            Lang::Ko => (
                "무엇을 말씀하시는 건지 아직 모르겠어요.",
                "칼럼의 어느 부분인지 물어보시거나 단계를 번호로 골라 주세요:",
            ),
        };
        Reply {
            lang,
            blocks: vec![
                Block::Text(format!("{ask} {pick}")),
                Block::Choices(self.steps_list(lang)),
            ],
        }
    }

    fn decline(&self, lang: Lang) -> Reply {
        let s = &self.kb.source;
        let (sorry, scope, try_this) = match lang {
            Lang::En => (
                "Sorry, the column doesn't answer that.".to_owned(),
                format!(
                    "I answer questions about “{}” by {}: the steps it proposes and the background it gives.",
                    s.title, s.author
                ),
                "Try",
            ),
            Lang::Ko => (
                "죄송해요, 그 질문은 칼럼에서 다루지 않아요.".to_owned(),
                format!(
                    "저는 {}의 칼럼 “{}”에 대해, 칼럼이 제안하는 단계와 그 배경을 답해 드려요.",
                    s.author, s.title
                ),
                "예를 들어",
            ),
        };
        let mut blocks = vec![
            Block::Text(format!("{sorry} {scope}")),
            Block::List(self.steps_list(lang)),
        ];
        if let Some(example) = self.examples(lang).first() {
            blocks.push(Block::Text(format!("{try_this}: “{example}”")));
        }
        Reply { lang, blocks }
    }

    /// Questions to show as examples: one from a step, one from the
    /// background, one about the column, in the reader's language.
    fn examples(&self, lang: Lang) -> Vec<&str> {
        [Kind::Step, Kind::Background, Kind::About]
            .iter()
            .filter_map(|kind| self.kb.entries.iter().rev().find(|e| e.kind == *kind))
            .filter_map(|e| match lang {
                Lang::En => e.questions.first(),
                Lang::Ko => e.questions_ko.first(),
            })
            .map(String::as_str)
            .collect()
    }

    /// The background topics, by title.
    fn background_titles(&self, lang: Lang) -> Vec<String> {
        self.kb
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Background)
            .map(|e| self.title(e, lang).to_owned())
            .collect()
    }

    /// One sentence on what the bot knows: the column, its author and
    /// paper, quoted word for word.
    pub fn about(&self, lang: Lang) -> String {
        let s = &self.kb.source;
        match lang {
            Lang::En => format!(
                "I answer questions about the column “{}” by {} ({}), quoting it word for word.",
                s.title, s.author, s.paper
            ),
            Lang::Ko => format!(
                "저는 {}의 칼럼 “{}”({})에 대한 질문에 원문을 그대로 인용해 답하는 봇이에요.",
                s.author, s.title, s.paper
            ),
        }
    }

    /// The reply to small talk.
    pub fn smalltalk(&self, kind: SmallTalk, lang: Lang) -> Reply {
        let about = self.about(lang);
        let examples = self
            .examples(lang)
            .iter()
            .map(|q| format!("“{q}”"))
            .collect::<Vec<_>>()
            .join(", ");
        let how = match lang {
            Lang::En => {
                format!("Ask in your own words, in English or Korean — for example {examples}.")
            }
            Lang::Ko => format!("영어나 한국어로 편하게 물어보세요. 예: {examples}"),
        };
        let text = |t: &str| Block::Text(t.to_owned());
        let blocks = match (kind, lang) {
            (SmallTalk::Greeting, Lang::En) => {
                vec![Block::Text(format!("Hello! {about}")), Block::Text(how)]
            }
            (SmallTalk::Greeting, Lang::Ko) => vec![
                Block::Text(format!("안녕하세요! {about}")),
                Block::Text(how),
            ],
            (SmallTalk::Thanks, Lang::En) => vec![text(
                "You're welcome! Ask me anything else about the column.",
            )],
            (SmallTalk::Thanks, Lang::Ko) => vec![text(
                "천만에요! 칼럼에 대해 더 궁금한 게 있으면 물어보세요.",
            )],
            (SmallTalk::Goodbye, Lang::En) => vec![text(
                "Goodbye! Come back any time with a question about the column.",
            )],
            (SmallTalk::Goodbye, Lang::Ko) => vec![text(
                "안녕히 가세요! 칼럼에 대해 궁금한 게 생기면 언제든 물어보세요.",
            )],
            (SmallTalk::Identity, Lang::En) => vec![
                Block::Text(format!(
                    "I'm qabot, a bot. {about} I also tell you which of its {} a passage belongs to.",
                    self.steps_phrase(lang)
                )),
                Block::Text(how),
            ],
            (SmallTalk::Identity, Lang::Ko) => vec![
                Block::Text(format!(
                    "{about} 인용한 내용이 {} 단계 중 어디에 속하는지도 알려드려요.",
                    numbers::korean(self.kb.step_count())
                )),
                Block::Text(how),
            ],
            (SmallTalk::Help, _) => {
                let (steps, background) = match lang {
                    Lang::En => (
                        format!("The column proposes {}:", self.steps_phrase(lang)),
                        "You can also ask about its background:",
                    ),
                    Lang::Ko => (
                        format!("칼럼이 제안하는 {}:", self.steps_phrase(lang)),
                        "배경에 대해서도 물어보실 수 있어요:",
                    ),
                };
                vec![
                    Block::Text(about),
                    Block::Text(steps),
                    Block::List(self.steps_list(lang)),
                    text(background),
                    Block::List(self.background_titles(lang)),
                    Block::Text(how),
                ]
            }
        };
        Reply { lang, blocks }
    }
}

/// The machine-readable form of one answered question (`qabot ask --json`;
/// `qabot chat --json` prints the same fields and the context).
#[derive(Debug, Clone, Serialize)]
pub struct JsonAnswer<'a> {
    pub question: &'a str,
    pub decision: Decision,
    pub entry: Option<&'a str>,
    pub step: Option<u8>,
    pub score: Option<f32>,
    pub passage: Option<String>,
    /// The sentence of the passage marked as the answer, verbatim, or null.
    pub sentence: Option<&'a str>,
    pub reply: String,
    pub suggestions: Option<Vec<JsonSuggestion<'a>>>,
}

/// One "did you mean" suggestion in [`JsonAnswer`].
#[derive(Debug, Clone, Serialize)]
pub struct JsonSuggestion<'a> {
    pub entry: &'a str,
    pub title: &'a str,
    pub score: f32,
}

impl<'a> JsonAnswer<'a> {
    pub fn new(kb: &'a KnowledgeBase, question: &'a str, outcome: &Outcome, reply: &Reply) -> Self {
        let answered = match outcome.decision {
            Decision::Answer => outcome.best.map(|b| &kb.entries[b.entry]),
            _ => None,
        };
        JsonAnswer {
            question,
            decision: outcome.decision,
            entry: answered.map(|e| e.id.as_str()),
            step: answered.and_then(|e| e.step),
            score: match outcome.decision {
                // Nothing was scored: no topic, or a question back.
                Decision::Smalltalk | Decision::Clarify => None,
                _ => Some(round(outcome.best.map_or(0.0, |b| b.score))),
            },
            passage: answered.map(Entry::passage_text),
            sentence: answered
                .zip(outcome.mark.as_ref())
                .and_then(|(e, m)| m.text(e)),
            reply: reply.to_plain(),
            suggestions: (outcome.decision == Decision::Suggest).then(|| {
                outcome
                    .suggestions
                    .iter()
                    .map(|c| {
                        let e = &kb.entries[c.entry];
                        JsonSuggestion {
                            entry: &e.id,
                            title: &e.title,
                            score: round(c.score),
                        }
                    })
                    .collect()
            }),
        }
    }
}

/// Scores to three decimals: more is noise, and it keeps JSON readable.
fn round(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Matcher, MatcherConfig};

    fn kb() -> KnowledgeBase {
        KnowledgeBase::embedded().unwrap()
    }

    #[test]
    fn step_answer_quotes_verbatim_with_step_label() {
        let kb = kb();
        let reply = Renderer::new(&kb).entry(kb.step(2).unwrap(), Lang::En);
        let plain = reply.to_plain();
        assert!(plain.starts_with("Step 2 of 3 — "), "{plain}");
        assert!(plain.contains(&kb.step(2).unwrap().passage[0]));
        assert!(plain.contains("Yoon Seok Jin"));
    }

    #[test]
    fn quoted_lines_do_not_look_like_the_chat_prompt() {
        let kb = kb();
        let plain = Renderer::new(&kb)
            .entry(kb.step(2).unwrap(), Lang::En)
            .to_plain();
        let quoted: Vec<&str> = plain
            .lines()
            .filter(|l| l.starts_with(QUOTE_MARK))
            .collect();
        assert_eq!(quoted.len(), kb.step(2).unwrap().passage.len(), "{plain}");
        assert!(!plain.lines().any(|l| l.starts_with("> ")), "{plain}");
    }

    #[test]
    fn choices_are_numbered_to_be_picked_by_number() {
        let kb = kb();
        let renderer = Renderer::new(&kb);
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let outcome = matcher.decide("korea");
        assert_eq!(outcome.decision, Decision::Suggest);
        // (reply, its language, the phrase that says how to pick)
        let cases = [
            (renderer.outcome(&outcome), "by its number"),
            (renderer.clarify(Lang::En), "pick a step by its number"),
            (renderer.clarify(Lang::Ko), "번호로 골라"),
        ];
        for (reply, phrase) in cases {
            let plain = reply.to_plain();
            assert!(
                plain.contains("  1. ") && plain.contains("  2. "),
                "{plain}"
            );
            assert!(plain.contains(phrase), "{plain}");
            let html = reply.to_html();
            assert!(html.contains("  1. "), "{html}");
        }
        let clarify = renderer.clarify(Lang::En).to_plain();
        assert!(clarify.contains("1. Step 1 of 3 — "), "{clarify}");
    }

    #[test]
    fn korean_labels_keep_english_passage() {
        let kb = kb();
        let reply = Renderer::new(&kb).entry(kb.step(1).unwrap(), Lang::Ko);
        let plain = reply.to_plain();
        assert!(plain.starts_with("1단계 (총 3단계) — "), "{plain}");
        assert!(plain.contains("First, we must entrust"));
    }

    #[test]
    fn background_names_the_step_that_answers_it() {
        let kb = kb();
        let entry = kb
            .entries
            .iter()
            .find(|e| e.kind == Kind::Background && !e.answered_by.is_empty())
            .unwrap();
        let plain = Renderer::new(&kb).entry(entry, Lang::En).to_plain();
        assert!(plain.starts_with("Background — "), "{plain}");
        assert!(
            plain.contains("The column's answer to this: Step"),
            "{plain}"
        );
    }

    #[test]
    fn replies_count_the_knowledge_bases_own_steps() {
        use crate::knowledge::with_steps;
        // (knowledge base, language, what the reply is, a phrase it must hold)
        let kbs = [kb(), with_steps(2), with_steps(5)];
        let cases: &[(usize, Lang, &str, &str)] = &[
            (0, Lang::En, "overview", "The three steps — "),
            (0, Lang::En, "help", "The column proposes three steps:"),
            (
                0,
                Lang::En,
                "identity",
                "which of its three steps a passage",
            ),
            (0, Lang::Ko, "overview", "세 가지 단계 — "),
            (1, Lang::En, "overview", "The two steps — "),
            (1, Lang::En, "help", "The column proposes two steps:"),
            (1, Lang::Ko, "identity", "두 단계 중"),
            (2, Lang::En, "overview", "The five steps — "),
            (2, Lang::En, "help", "The column proposes five steps:"),
            (2, Lang::En, "identity", "which of its five steps a passage"),
            (2, Lang::Ko, "overview", "다섯 가지 단계 — "),
            (2, Lang::Ko, "help", "칼럼이 제안하는 다섯 가지 단계:"),
            (2, Lang::Ko, "identity", "다섯 단계 중"),
        ];
        for &(i, lang, what, phrase) in cases {
            let kb = &kbs[i];
            let renderer = Renderer::new(kb);
            let reply = match what {
                "overview" => renderer.entry(kb.overview().unwrap(), lang),
                "help" => renderer.smalltalk(SmallTalk::Help, lang),
                _ => renderer.smalltalk(SmallTalk::Identity, lang),
            }
            .to_plain();
            assert!(reply.contains(phrase), "{i} {lang:?} {what}: {reply}");
        }
        // The help lists every step, the last one "n of n".
        let five = Renderer::new(&kbs[2]).smalltalk(SmallTalk::Help, Lang::En);
        assert!(
            five.to_plain().contains("Step 5 of 5 — Build ferries"),
            "{five:?}"
        );
    }

    #[test]
    fn html_escapes_everything() {
        let reply = Reply {
            lang: Lang::En,
            blocks: vec![
                Block::Heading("<b>&".into()),
                Block::Quote(Quote::plain("a<script>")),
                Block::Text("\"x\"".into()),
            ],
        };
        assert_eq!(
            reply.to_html(),
            "<b>&lt;b&gt;&amp;</b>\n\n<blockquote>a&lt;script&gt;</blockquote>\n\n&quot;x&quot;"
        );
    }

    #[test]
    fn long_quotes_fold_on_telegram_and_stay_whole_in_the_terminal() {
        let at = |n: usize| "x".repeat(n);
        let reply = Reply {
            lang: Lang::En,
            blocks: vec![
                Block::Quote(Quote::plain(at(EXPANDABLE_QUOTE_CHARS))),
                Block::Quote(Quote::plain(at(EXPANDABLE_QUOTE_CHARS + 1))),
            ],
        };
        let html = reply.html_blocks();
        assert!(html[0].starts_with("<blockquote>"), "{}", html[0]);
        assert!(
            html[1].starts_with("<blockquote expandable>") && html[1].ends_with("</blockquote>"),
            "{}",
            html[1]
        );
        assert!(!reply.to_plain().contains("expandable"));
        // The built-in column: step 1's second paragraph folds, step 2 does not.
        let kb = kb();
        let html = |n| {
            Renderer::new(&kb)
                .entry(kb.step(n).unwrap(), Lang::En)
                .to_html()
        };
        assert!(html(1).contains("<blockquote expandable>"), "{}", html(1));
        assert!(!html(2).contains("expandable"), "{}", html(2));
    }

    #[test]
    fn a_marked_sentence_is_bold_on_telegram_and_starred_in_the_terminal() {
        let text = "One <b>. Two & three. Four.";
        let two = text.find("Two").unwrap();
        let quote = Quote::marked(text, two..text.find(" Four").unwrap());
        assert_eq!(quote.mark(), Some("Two & three."));
        let reply = Reply {
            lang: Lang::En,
            blocks: vec![Block::Quote(quote)],
        };
        assert_eq!(
            reply.to_plain(),
            format!("{QUOTE_MARK}One <b>. **Two & three.** Four.")
        );
        assert_eq!(
            reply.to_html(),
            "<blockquote>One &lt;b&gt;. <b>Two &amp; three.</b> Four.</blockquote>"
        );
        // A long quote folds, the mark inside the fold.
        let long = format!("{} Last.", "x".repeat(EXPANDABLE_QUOTE_CHARS));
        let at = long.find("Last").unwrap();
        let folded = Reply {
            lang: Lang::En,
            blocks: vec![Block::Quote(Quote::marked(long.as_str(), at..long.len()))],
        };
        assert!(
            folded.to_html().starts_with("<blockquote expandable>")
                && folded.to_html().ends_with(" <b>Last.</b></blockquote>"),
            "{}",
            folded.to_html()
        );
        // A range that is no piece of the text marks nothing.
        let bad: &[std::ops::Range<usize>] = &[2..2, 0..100, 1..2];
        for range in bad {
            let quote = Quote::marked("é text", range.clone());
            assert_eq!(quote.mark(), None, "{range:?}");
            assert_eq!(quote.parts().0, "é text");
        }
    }

    #[test]
    fn json_fields_follow_the_decision() {
        let kb = kb();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let renderer = Renderer::new(&kb);
        let json_for = |question: &str| {
            let outcome = matcher.decide(question);
            let reply = renderer.outcome(&outcome);
            serde_json::to_value(JsonAnswer::new(&kb, question, &outcome, &reply)).unwrap()
        };
        let json = json_for("what is the second step?");
        assert_eq!(json["decision"], "answer");
        assert_eq!(json["step"], 2);
        assert!(json["suggestions"].is_null());
        assert!(json["sentence"].is_null(), "{json}");
        let json = json_for("When was Liang Wenfeng born?");
        let sentence = json["sentence"].as_str().unwrap();
        assert!(sentence.contains("born in 1985"), "{json}");
        assert!(json["passage"].as_str().unwrap().contains(sentence));
        assert!(
            json["reply"]
                .as_str()
                .unwrap()
                .contains(&format!("**{sentence}**"))
        );
        let json = json_for("hello");
        assert_eq!(json["decision"], "smalltalk");
        assert!(json["entry"].is_null() && json["score"].is_null() && json["passage"].is_null());
        assert!(json["sentence"].is_null());
    }
}

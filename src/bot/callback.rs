//! Inline-keyboard buttons and the data they carry. All the state a button
//! needs lives in its callback data (what to show and in which language), so
//! any instance of the bot, restarted or not, can serve any button; data
//! that does not parse, or names something the knowledge base does not have,
//! is stale or forged and is refused without touching anything.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::texts;
use crate::answer::Renderer;
use crate::knowledge::{Entry, Kind, KnowledgeBase};
use crate::matcher::Lang;
use crate::question_log::{QuestionId, Vote};

/// Telegram's limit on callback data, in bytes.
const MAX_DATA_BYTES: usize = 64;

/// What pressing a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replace the message with this step (◀ / ▶ navigation).
    Navigate { step: u8, lang: Lang },
    /// Send this step as a new message (the step buttons of /start, /steps).
    ShowStep { step: u8, lang: Lang },
    /// Send this entry as a new message (a "did you mean" suggestion).
    ShowEntry { id: String, lang: Lang },
    /// A "did you mean" suggestion for logged question `question`: send the
    /// entry, and record the pick.
    Pick {
        question: QuestionId,
        id: String,
        lang: Lang,
    },
    /// 👍 / 👎 on the answer to logged question `question`.
    Vote {
        question: QuestionId,
        vote: Vote,
        lang: Lang,
    },
}

impl Action {
    /// The callback data, e.g. `n:2:en`.
    pub fn encode(&self) -> String {
        match self {
            Action::Navigate { step, lang } => format!("n:{step}:{}", lang.code()),
            Action::ShowStep { step, lang } => format!("s:{step}:{}", lang.code()),
            Action::ShowEntry { id, lang } => format!("e:{id}:{}", lang.code()),
            Action::Pick { question, id, lang } => {
                format!("p:{}:{id}:{}", question.encode(), lang.code())
            }
            Action::Vote {
                question,
                vote,
                lang,
            } => {
                let vote = match vote {
                    Vote::Up => "u",
                    Vote::Down => "d",
                };
                format!("v:{}:{vote}:{}", question.encode(), lang.code())
            }
        }
    }

    /// Parses callback data, accepting only data [`Action::encode`] writes
    /// for steps and entries `kb` has.
    pub fn decode(data: &str, kb: &KnowledgeBase) -> Option<Action> {
        let (kind, rest) = data.split_once(':')?;
        let (arg, lang) = rest.rsplit_once(':')?;
        let lang = match lang {
            "en" => Lang::En,
            "ko" => Lang::Ko,
            _ => return None,
        };
        let action = match kind {
            "n" => Action::Navigate {
                step: arg.parse().ok()?,
                lang,
            },
            "s" => Action::ShowStep {
                step: arg.parse().ok()?,
                lang,
            },
            "e" => Action::ShowEntry {
                id: arg.to_owned(),
                lang,
            },
            "p" => {
                let (question, id) = arg.split_once(':')?;
                Action::Pick {
                    question: QuestionId::decode(question)?,
                    id: id.to_owned(),
                    lang,
                }
            }
            "v" => {
                let (question, vote) = arg.split_once(':')?;
                Action::Vote {
                    question: QuestionId::decode(question)?,
                    vote: match vote {
                        "u" => Vote::Up,
                        "d" => Vote::Down,
                        _ => return None,
                    },
                    lang,
                }
            }
            _ => return None,
        };
        // A vote shows nothing; every other button must show something.
        let valid = matches!(action, Action::Vote { .. }) || action.shows(kb).is_some();
        // "n:+2:en" parses, but no button carries it.
        (valid && action.encode() == data).then_some(action)
    }

    /// The entry the button shows, and in which language; `None` only for
    /// an action that [`Action::decode`] did not make.
    pub fn shows<'k>(&self, kb: &'k KnowledgeBase) -> Option<(&'k Entry, Lang)> {
        match self {
            Action::Navigate { step, lang } | Action::ShowStep { step, lang } => {
                Some((kb.step(*step)?, *lang))
            }
            Action::ShowEntry { id, lang } | Action::Pick { id, lang, .. } => {
                Some((kb.entry(id)?, *lang))
            }
            Action::Vote { .. } => None,
        }
    }
}

fn button(label: String, action: &Action) -> Option<InlineKeyboardButton> {
    let data = action.encode();
    // An entry id too long for Telegram gets no button rather than a refused message.
    (data.len() <= MAX_DATA_BYTES).then(|| InlineKeyboardButton::callback(label, data))
}

fn markup(rows: Vec<Vec<InlineKeyboardButton>>) -> Option<InlineKeyboardMarkup> {
    let rows: Vec<_> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// ◀ previous / next ▶ under step `step`.
pub fn navigation(kb: &KnowledgeBase, step: u8, lang: Lang) -> Option<InlineKeyboardMarkup> {
    let mut row = Vec::new();
    if let Some(prev) = step.checked_sub(1).filter(|&n| kb.step(n).is_some()) {
        row.extend(button(
            texts::previous_step(lang, prev),
            &Action::Navigate { step: prev, lang },
        ));
    }
    if let Some(next) = step.checked_add(1).filter(|&n| kb.step(n).is_some()) {
        row.extend(button(
            texts::next_step(lang, next),
            &Action::Navigate { step: next, lang },
        ));
    }
    markup(vec![row])
}

/// One button per step, one per row (the labels are long).
pub fn steps(kb: &KnowledgeBase, lang: Lang) -> Option<InlineKeyboardMarkup> {
    let renderer = Renderer::new(kb);
    markup(
        (1..=kb.step_count())
            .filter_map(|n| kb.step(n))
            .filter_map(|e| {
                let step = e.step?;
                button(
                    renderer.short_label(e, lang),
                    &Action::ShowStep { step, lang },
                )
            })
            .map(|b| vec![b])
            .collect(),
    )
}

/// One button per suggested entry (indices into `kb.entries`); when the
/// question is logged, pressing one records the pick.
pub fn suggestions(
    kb: &KnowledgeBase,
    entries: impl IntoIterator<Item = usize>,
    lang: Lang,
    question: Option<QuestionId>,
) -> Option<InlineKeyboardMarkup> {
    let renderer = Renderer::new(kb);
    markup(
        entries
            .into_iter()
            .filter_map(|i| kb.entries.get(i))
            .filter_map(|e| {
                let label = renderer.short_label(e, lang);
                let id = e.id.clone();
                let pick = question.and_then(|question| {
                    button(
                        label.clone(),
                        &Action::Pick {
                            question,
                            id: id.clone(),
                            lang,
                        },
                    )
                });
                // An id too long to carry the question too still gets a button.
                pick.or_else(|| button(label, &Action::ShowEntry { id, lang }))
            })
            .map(|b| vec![b])
            .collect(),
    )
}

/// 👍 / 👎 under the answer to a logged question.
fn feedback(question: QuestionId, lang: Lang) -> Vec<InlineKeyboardButton> {
    [Vote::Up, Vote::Down]
        .into_iter()
        .filter_map(|vote| {
            button(
                texts::vote_label(vote).to_owned(),
                &Action::Vote {
                    question,
                    vote,
                    lang,
                },
            )
        })
        .collect()
}

/// A button that passes `entry` on: it opens inline mode in a chat the
/// reader picks, with a question that finds the entry (its first in
/// `lang`, else its first in English, else its title) already typed.
fn share(entry: &Entry, lang: Lang) -> InlineKeyboardButton {
    let question = match lang {
        Lang::Ko => entry.questions_ko.first(),
        Lang::En => None,
    }
    .or(entry.questions.first())
    .unwrap_or(&entry.title);
    // Telegram reads an inline query of up to 256 characters.
    let query: String = question.chars().take(256).collect();
    InlineKeyboardButton::switch_inline_query(texts::share_label(lang), query)
}

/// The keyboard that goes under an answer with `entry`: navigation for a
/// step, 👍 / 👎 when the question is logged, and a button to share it.
pub fn for_entry(
    kb: &KnowledgeBase,
    entry: &Entry,
    lang: Lang,
    question: Option<QuestionId>,
) -> Option<InlineKeyboardMarkup> {
    let mut rows = match (entry.kind, entry.step) {
        (Kind::Step, Some(step)) => navigation(kb, step, lang)
            .map(|m| m.inline_keyboard)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if let Some(question) = question {
        rows.push(feedback(question, lang));
    }
    rows.push(vec![share(entry, lang)]);
    markup(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_and_forged_data_is_refused() {
        let kb = KnowledgeBase::embedded().unwrap();
        let id = kb.entries[0].id.clone();
        for action in [
            Action::Navigate {
                step: 2,
                lang: Lang::Ko,
            },
            Action::ShowStep {
                step: 1,
                lang: Lang::En,
            },
            Action::ShowEntry {
                id: id.clone(),
                lang: Lang::En,
            },
            Action::Pick {
                question: QuestionId(i64::MAX),
                id,
                lang: Lang::Ko,
            },
            Action::Vote {
                question: QuestionId(1),
                vote: Vote::Down,
                lang: Lang::En,
            },
        ] {
            let data = action.encode();
            assert!(data.len() <= MAX_DATA_BYTES);
            assert_eq!(Action::decode(&data, &kb), Some(action));
        }
        for forged in [
            "",
            "n",
            "n:",
            "n:2",
            "n:9:en",
            "n:0:en",
            "n:-1:en",
            "n:2:fr",
            "x:2:en",
            "e:no-such-entry:en",
            "e::en",
            "n:256:en",
            "s:２:en",
            "n:+2:en",
            "n:02:en",
            "n:2:en:extra",
            "p:abc:no-such-entry:en",
            "p:0:step-1:en",
            "p:-5:step-1:en",
            "p::step-1:en",
            "p:abc:step-1",
            "v:abc:x:en",
            "v:abc:u",
            "v:0:u:en",
            "v:ABC:u:en",
            "v:abc:u:en:extra",
        ] {
            assert_eq!(Action::decode(forged, &kb), None, "{forged:?}");
        }
    }

    /// The inline query a share button types for each entry, in each
    /// language, finds that entry first.
    #[test]
    fn a_shared_answer_is_found_again_in_inline_mode() {
        use crate::matcher::{Matcher, MatcherConfig};
        use teloxide::types::InlineKeyboardButtonKind;
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        for (i, entry) in kb.entries.iter().enumerate() {
            for lang in [Lang::En, Lang::Ko] {
                let keyboard = for_entry(&kb, entry, lang, None).unwrap().inline_keyboard;
                let button = keyboard.last().unwrap().last().unwrap();
                assert_eq!(button.text, texts::share_label(lang));
                let InlineKeyboardButtonKind::SwitchInlineQuery(query) = &button.kind else {
                    panic!("{:?}", button.kind);
                };
                let best = matcher.rank(query).first().map(|c| c.entry);
                assert_eq!(best, Some(i), "{} {lang:?}: {query:?}", entry.id);
            }
        }
    }

    #[test]
    fn navigation_has_no_button_past_either_end() {
        let kb = KnowledgeBase::embedded().unwrap();
        let labels = |step| {
            navigation(&kb, step, Lang::En)
                .unwrap()
                .inline_keyboard
                .concat()
                .into_iter()
                .map(|b| b.text)
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(1), vec!["Step 2 ▶"]);
        assert_eq!(labels(2), vec!["◀ Step 1", "Step 3 ▶"]);
        assert_eq!(labels(3), vec!["◀ Step 2"]);
    }
}

//! Inline-keyboard buttons and the data they carry. All the state a button
//! needs lives in its callback data (what to show and in which language), so
//! any instance of the bot, restarted or not, can serve any button; data
//! that does not parse, or names something the knowledge base does not have,
//! is stale or forged and is refused without touching anything.
//!
//! The buttons under an answer also say which entry the message shows (the
//! step navigated from, the entry voted on), and the buttons of a list the
//! entries listed: a reply to the message carries its own context
//! ([`Carried`]), read from the message alone.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardButtonKind, InlineKeyboardMarkup};

use super::texts::{self, InlineMode};
use crate::answer::Renderer;
use crate::knowledge::{Entry, Kind, KnowledgeBase};
use crate::matcher::Lang;
use crate::question_log::{QuestionId, Vote};

/// Telegram's limit on callback data, in bytes.
const MAX_DATA_BYTES: usize = 64;

/// What pressing a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replace the message with this step (◀ / ▶ navigation), from step
    /// `from`, the one the message shows (`None` in data written before
    /// buttons said it).
    Navigate {
        step: u8,
        from: Option<u8>,
        lang: Lang,
    },
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
    /// 👍 / 👎 on the answer to logged question `question`, which showed
    /// entry `entry` (`None` in data written before buttons said it, or
    /// when the id would not fit).
    Vote {
        question: QuestionId,
        vote: Vote,
        entry: Option<String>,
        lang: Lang,
    },
}

impl Action {
    /// The callback data, e.g. `n:2:1:en`.
    pub fn encode(&self) -> String {
        match self {
            Action::Navigate {
                step,
                from: None,
                lang,
            } => format!("n:{step}:{}", lang.code()),
            Action::Navigate {
                step,
                from: Some(from),
                lang,
            } => format!("n:{step}:{from}:{}", lang.code()),
            Action::ShowStep { step, lang } => format!("s:{step}:{}", lang.code()),
            Action::ShowEntry { id, lang } => format!("e:{id}:{}", lang.code()),
            Action::Pick { question, id, lang } => {
                format!("p:{}:{id}:{}", question.encode(), lang.code())
            }
            Action::Vote {
                question,
                vote,
                entry,
                lang,
            } => {
                let vote = match vote {
                    Vote::Up => "u",
                    Vote::Down => "d",
                };
                let entry = entry.as_ref().map(|e| format!(":{e}")).unwrap_or_default();
                format!("v:{}:{vote}{entry}:{}", question.encode(), lang.code())
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
            "n" => {
                let (step, from) = match arg.split_once(':') {
                    Some((step, from)) => (step, Some(from.parse().ok()?)),
                    None => (arg, None),
                };
                Action::Navigate {
                    step: step.parse().ok()?,
                    from,
                    lang,
                }
            }
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
                let (vote, entry) = match vote.split_once(':') {
                    Some((vote, entry)) => (vote, Some(entry.to_owned())),
                    None => (vote, None),
                };
                Action::Vote {
                    question: QuestionId::decode(question)?,
                    vote: match vote {
                        "u" => Vote::Up,
                        "d" => Vote::Down,
                        _ => return None,
                    },
                    entry,
                    lang,
                }
            }
            _ => return None,
        };
        // A vote shows nothing; every other button must show something,
        // and an entry a button names as shown must be one `kb` has.
        let valid = match &action {
            Action::Vote { entry, .. } => entry.as_ref().is_none_or(|e| kb.entry(e).is_some()),
            Action::Navigate {
                from: Some(from), ..
            } => kb.step(*from).is_some() && action.shows(kb).is_some(),
            _ => action.shows(kb).is_some(),
        };
        // "n:+2:en" parses, but no button carries it.
        (valid && action.encode() == data).then_some(action)
    }

    /// The entry the button shows, and in which language; `None` only for
    /// an action that [`Action::decode`] did not make.
    pub fn shows<'k>(&self, kb: &'k KnowledgeBase) -> Option<(&'k Entry, Lang)> {
        match self {
            Action::Navigate { step, lang, .. } | Action::ShowStep { step, lang } => {
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
    let from = Some(step);
    if let Some(prev) = step.checked_sub(1).filter(|&n| kb.step(n).is_some()) {
        row.extend(button(
            texts::previous_step(lang, prev),
            &Action::Navigate {
                step: prev,
                from,
                lang,
            },
        ));
    }
    if let Some(next) = step.checked_add(1).filter(|&n| kb.step(n).is_some()) {
        row.extend(button(
            texts::next_step(lang, next),
            &Action::Navigate {
                step: next,
                from,
                lang,
            },
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

/// 👍 / 👎 under the answer with `entry` to a logged question.
fn feedback(question: QuestionId, entry: &Entry, lang: Lang) -> Vec<InlineKeyboardButton> {
    [Vote::Up, Vote::Down]
        .into_iter()
        .filter_map(|vote| {
            let label = texts::vote_label(vote);
            let action = |entry| Action::Vote {
                question,
                vote,
                entry,
                lang,
            };
            // An id too long to fit still gets its vote, without the entry.
            button(label.to_owned(), &action(Some(entry.id.clone())))
                .or_else(|| button(label.to_owned(), &action(None)))
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
/// step, 👍 / 👎 when the question is logged, and, with inline mode on, a
/// button to share it (without, the query it typed would go unanswered).
pub fn for_entry(
    kb: &KnowledgeBase,
    entry: &Entry,
    lang: Lang,
    question: Option<QuestionId>,
    inline: InlineMode,
) -> Option<InlineKeyboardMarkup> {
    let mut rows = match (entry.kind, entry.step) {
        (Kind::Step, Some(step)) => navigation(kb, step, lang)
            .map(|m| m.inline_keyboard)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if let Some(question) = question {
        rows.push(feedback(question, entry, lang));
    }
    if inline == InlineMode::On {
        rows.push(vec![share(entry, lang)]);
    }
    markup(rows)
}

/// What a message of the bot's says of the conversation, read from its
/// buttons: the entry it shows, and the entries it lists to pick from, in
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    pub shows: Option<String>,
    pub choices: Vec<String>,
}

/// The conversation a keyboard of the bot's carries: the step navigated
/// from or the entry voted on; the steps or entries its buttons list.
/// Data that does not decode for `kb` says nothing.
pub fn carried(keyboard: &InlineKeyboardMarkup, kb: &KnowledgeBase) -> Carried {
    let mut carried = Carried::default();
    let actions = keyboard
        .inline_keyboard
        .iter()
        .flatten()
        .filter_map(|b| match &b.kind {
            InlineKeyboardButtonKind::CallbackData(data) => Action::decode(data, kb),
            _ => None,
        });
    for action in actions {
        match action {
            Action::Navigate {
                from: Some(from), ..
            } => carried.shows = kb.step(from).map(|e| e.id.clone()),
            Action::Vote {
                entry: Some(entry), ..
            } => carried.shows = Some(entry),
            Action::ShowStep { step, .. } => {
                carried.choices.extend(kb.step(step).map(|e| e.id.clone()))
            }
            Action::ShowEntry { id, .. } | Action::Pick { id, .. } => carried.choices.push(id),
            Action::Navigate { from: None, .. } | Action::Vote { entry: None, .. } => {}
        }
    }
    carried
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
                from: None,
                lang: Lang::Ko,
            },
            Action::Navigate {
                step: 2,
                from: Some(3),
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
                entry: None,
                lang: Lang::En,
            },
            Action::Vote {
                question: QuestionId(i64::MAX),
                vote: Vote::Up,
                entry: Some("hiring-and-institutes".into()),
                lang: Lang::Ko,
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
            "n:2:9:en",
            "n:2:0:en",
            "n:2::en",
            "n:2:1:1:en",
            "p:abc:no-such-entry:en",
            "p:0:step-1:en",
            "p:-5:step-1:en",
            "p::step-1:en",
            "p:abc:step-1",
            "v:abc:x:en",
            "v:abc:u",
            "v:0:u:en",
            "v:ABC:u:en",
            "v:abc:u:no-such-entry:en",
            "v:abc:u::en",
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
                let keyboard = for_entry(&kb, entry, lang, None, InlineMode::On)
                    .unwrap()
                    .inline_keyboard;
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

    /// Without inline mode a Share button would type a query Telegram
    /// never sends the bot: none, and the other buttons as before.
    #[test]
    fn without_inline_mode_an_answer_has_no_share_button() {
        let kb = KnowledgeBase::embedded().unwrap();
        let kinds = |entry, question, inline| -> Vec<bool> {
            for_entry(&kb, entry, Lang::En, question, inline)
                .map(|m| m.inline_keyboard.concat())
                .unwrap_or_default()
                .iter()
                .map(|b| matches!(b.kind, InlineKeyboardButtonKind::SwitchInlineQuery(_)))
                .collect()
        };
        for entry in &kb.entries {
            for question in [None, Some(QuestionId(7))] {
                let on = kinds(entry, question, InlineMode::On);
                let off = kinds(entry, question, InlineMode::Off);
                assert_eq!(on.last(), Some(&true), "{}", entry.id);
                assert_eq!(off, on[..on.len() - 1], "{}", entry.id);
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

    /// Data written before buttons said what their message shows still
    /// works, as it did.
    #[test]
    fn data_written_by_earlier_versions_still_decodes() {
        let kb = KnowledgeBase::embedded().unwrap();
        assert_eq!(
            Action::decode("n:2:en", &kb),
            Some(Action::Navigate {
                step: 2,
                from: None,
                lang: Lang::En
            })
        );
        assert_eq!(
            Action::decode("v:abc:u:en", &kb),
            Some(Action::Vote {
                question: QuestionId::decode("abc").unwrap(),
                vote: Vote::Up,
                entry: None,
                lang: Lang::En
            })
        );
    }

    /// The keyboard under each entry's answer says which entry it shows
    /// (with the log on, for every entry; with it off, for the steps), and
    /// a list's buttons its choices, in order.
    #[test]
    fn a_keyboard_carries_the_entry_it_shows_and_the_choices_it_lists() {
        let kb = KnowledgeBase::embedded().unwrap();
        for entry in &kb.entries {
            let logged =
                for_entry(&kb, entry, Lang::En, Some(QuestionId(7)), InlineMode::On).unwrap();
            assert_eq!(carried(&logged, &kb).shows.as_ref(), Some(&entry.id));
            let unlogged = for_entry(&kb, entry, Lang::Ko, None, InlineMode::On).unwrap();
            let shows = carried(&unlogged, &kb).shows;
            match entry.kind {
                Kind::Step => assert_eq!(shows.as_ref(), Some(&entry.id)),
                _ => assert_eq!(shows, None, "{}", entry.id),
            }
        }
        let steps = carried(&steps(&kb, Lang::En).unwrap(), &kb);
        assert_eq!(
            (steps.shows, steps.choices),
            (
                None,
                vec!["step-1".to_owned(), "step-2".into(), "step-3".into()]
            )
        );
        let picks = [5, 2];
        let listed = suggestions(&kb, picks, Lang::En, Some(QuestionId(7))).unwrap();
        let ids: Vec<String> = picks.iter().map(|&i| kb.entries[i].id.clone()).collect();
        assert_eq!(carried(&listed, &kb).choices, ids);
    }
}

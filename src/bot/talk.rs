//! Conversations in Telegram: which conversation a message belongs to
//! ([`key`]), its context loaded before the message is answered and saved
//! after ([`Talk`]), on a clock the tests can move ([`Clock`]), and the
//! context a reply to one of the bot's own messages carries ([`carry`]),
//! read from that message alone so that it holds in any instance, after a
//! restart, with no store at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use teloxide::types::{Chat, Message, User};

use super::callback;
use crate::answer::Renderer;
use crate::conversation::store::{ContextStore, Contexts, ConversationKey, Limits, Moment};
use crate::conversation::{Context, Conversations, Turn};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Lang, Matcher};

/// Where the time contexts expire by comes from.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's: time since the Unix epoch.
    #[default]
    System,
    /// Time that passes only when the holder of the [`ManualClock`] says.
    Manual(ManualClock),
}

impl Clock {
    pub fn now(&self) -> Moment {
        match self {
            // A clock set before 1970 reads as the epoch: contexts then
            // expire late, never early.
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            Clock::Manual(hand) => Duration::from_millis(hand.0.load(Ordering::SeqCst)),
        }
    }
}

/// A clock that stands still until advanced: expiry tested without waiting.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicU64>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.0.fetch_add(millis, Ordering::SeqCst);
    }
}

/// The conversations' contexts and the clock they expire by: a dependency
/// of the handlers.
#[derive(Debug, Clone)]
pub struct Talk {
    contexts: Arc<Contexts>,
    clock: Clock,
}

impl Default for Talk {
    /// In memory with the default limits, on the system clock.
    fn default() -> Self {
        Talk::new(Contexts::in_memory(Limits::default()), Clock::System)
    }
}

impl Talk {
    pub fn new(contexts: Contexts, clock: Clock) -> Self {
        Talk {
            contexts: Arc::new(contexts),
            clock,
        }
    }

    /// Answers `question` in its conversation: the context is loaded (the
    /// one `replied` carries, if the question replies to one of the bot's
    /// messages, prevails), the question answered with it, and the context
    /// saved.
    pub(super) async fn answer(
        &self,
        key: ConversationKey,
        replied: Option<&Message>,
        question: &str,
        kb: &KnowledgeBase,
        matcher: &Matcher,
    ) -> Turn {
        let talk = Conversations::new(kb, matcher);
        let mut context = self.load(&key).await;
        if let Some(replied) = replied {
            carry(&talk, kb, replied, &mut context);
        }
        let turn = talk.answer(&mut context, question);
        self.contexts.save(key, context, self.clock.now()).await;
        turn
    }

    /// Notes that the conversation was just shown `entry` (a button
    /// pressed, a step asked for by command), so that a follow-up follows it.
    pub(super) async fn shown(
        &self,
        key: ConversationKey,
        kb: &KnowledgeBase,
        matcher: &Matcher,
        entry: &str,
    ) {
        let Some(index) = kb.entries.iter().position(|e| e.id == entry) else {
            return;
        };
        let mut context = self.load(&key).await;
        Conversations::new(kb, matcher).shown(&mut context, index);
        self.contexts.save(key, context, self.clock.now()).await;
    }

    async fn load(&self, key: &ConversationKey) -> Context {
        let now = self.clock.now();
        self.contexts.load(key, now).await.unwrap_or_default()
    }
}

/// The conversation a message in `chat` belongs to: the chat, when
/// private; in a group, the person within it (two people asking at once
/// each keep theirs), or the chat or channel a message was sent on behalf
/// of (`sender_chat`), which has no person.
pub(super) fn key(
    chat: &Chat,
    person: Option<&User>,
    sender_chat: Option<&Chat>,
) -> ConversationKey {
    let chat_id = chat.id.0;
    ConversationKey(match (chat.is_private(), person, sender_chat) {
        (true, _, _) => format!("{chat_id}"),
        (false, Some(user), _) => format!("{chat_id}/user:{}", user.id.0),
        (false, None, Some(on_behalf)) => format!("{chat_id}/chat:{}", on_behalf.id.0),
        (false, None, None) => format!("{chat_id}/anyone"),
    })
}

/// Puts in `context` what `replied`, a message of the bot's, says of the
/// conversation: the entry it shows (from its buttons, else from its
/// heading) becomes the last one answered, and the entries it lists the
/// choices.
fn carry(talk: &Conversations, kb: &KnowledgeBase, replied: &Message, context: &mut Context) {
    let mut carried = replied
        .reply_markup()
        .map(|keyboard| callback::carried(keyboard, kb))
        .unwrap_or_default();
    if carried.shows.is_none() && carried.choices.is_empty() {
        carried.shows = replied
            .text()
            .and_then(|text| text.lines().next())
            .and_then(|line| heading_entry(kb, line.trim()));
    }
    match carried
        .shows
        .and_then(|id| kb.entries.iter().position(|e| e.id == id))
    {
        Some(shows) => talk.shown(context, shows),
        None if !carried.choices.is_empty() => context.choices = carried.choices,
        None => {}
    }
}

/// The entry whose heading, in either language, is `line`.
fn heading_entry(kb: &KnowledgeBase, line: &str) -> Option<String> {
    let renderer = Renderer::new(kb);
    kb.entries
        .iter()
        .find(|e| {
            [Lang::En, Lang::Ko]
                .iter()
                .any(|&lang| renderer.heading(e, lang) == line)
        })
        .map(|e| e.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::ChatId;

    fn chat(id: i64) -> Chat {
        serde_json::from_value(serde_json::json!(if id > 0 {
            serde_json::json!({"id": id, "type": "private", "first_name": "A"})
        } else {
            serde_json::json!({"id": id, "type": "supergroup", "title": "G"})
        }))
        .unwrap()
    }

    fn user(id: u64) -> User {
        serde_json::from_value(serde_json::json!({"id": id, "is_bot": false, "first_name": "A"}))
            .unwrap()
    }

    #[test]
    fn a_private_chat_is_one_conversation_a_group_one_per_person() {
        let (private, group) = (chat(5), chat(-7));
        assert_eq!(private.id, ChatId(5));
        let (a, b) = (user(1), user(2));
        // (key, key, same conversation)
        for (one, other, same) in [
            (
                key(&private, Some(&a), None),
                key(&private, None, None),
                true,
            ),
            (
                key(&group, Some(&a), None),
                key(&group, Some(&b), None),
                false,
            ),
            (
                key(&group, Some(&a), None),
                key(&chat(-8), Some(&a), None),
                false,
            ),
            (
                key(&group, Some(&a), None),
                key(&private, Some(&a), None),
                false,
            ),
            (
                key(&group, None, Some(&group)),
                key(&group, Some(&a), None),
                false,
            ),
        ] {
            assert_eq!(one == other, same, "{one:?} {other:?}");
        }
    }

    #[test]
    fn a_heading_names_its_entry_in_either_language() {
        let kb = KnowledgeBase::embedded().unwrap();
        let renderer = Renderer::new(&kb);
        for entry in &kb.entries {
            for lang in [Lang::En, Lang::Ko] {
                let line = renderer.heading(entry, lang);
                assert_eq!(heading_entry(&kb, &line).as_ref(), Some(&entry.id));
            }
        }
        assert_eq!(heading_entry(&kb, "Step 9 of 3 — nothing"), None);
    }

    #[test]
    fn a_manual_clock_moves_only_when_advanced() {
        let hand = ManualClock::default();
        let clock = Clock::Manual(hand.clone());
        assert_eq!(clock.now(), Duration::ZERO);
        hand.advance(Duration::from_secs(90));
        assert_eq!(clock.now(), Duration::from_secs(90));
    }
}

//! What the bot answered, per question message, so that an edited question
//! is answered by editing the earlier answer. Telegram sends
//! `edited_message` also for changes the bot cannot see (the Update docs:
//! "fields that are either unavailable or not actively used by your
//! bot"), so an edit is answered only when the question's text changed.
//!
//! The memory is bounded: it keeps the [`REMEMBERED`] questions used most
//! recently, forgetting the least recently used first. Each holds a 64-bit
//! hash of the text, not the text, and the ids of the answer's messages.
//! It lives in the process: after a restart, or once a question is
//! forgotten, an edit of it is answered as a new question, in a new message.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};

use teloxide::types::{ChatId, MessageId};

/// How many answered questions are remembered: a busy deployment answers
/// fewer in a day, and a question edited after this many others is
/// answered anew instead.
pub const REMEMBERED: usize = 10_000;

/// A question message: its chat and id.
type Key = (ChatId, MessageId);

/// What is remembered of one question.
#[derive(Debug, Clone)]
struct Slot {
    /// When it was last used, in [`Lru::clock`] ticks.
    used: u64,
    text: u64,
    answer: Vec<MessageId>,
}

/// What the memory says about an edited question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recall {
    /// Not remembered: answer it as a new question.
    Unknown,
    /// Its text is what was answered: nothing to do.
    Unchanged,
    /// Its text changed: these messages answered the old text (none when
    /// a reaction pointed it at an answer already given).
    Changed(Vec<MessageId>),
}

#[derive(Debug, Default)]
struct Lru {
    slots: HashMap<Key, Slot>,
    /// Last use → question: the least recently used first.
    order: BTreeMap<u64, Key>,
    clock: u64,
}

/// The shared memory of answers; cloning shares it.
#[derive(Debug, Clone)]
pub struct Answered {
    lru: Arc<Mutex<Lru>>,
    capacity: usize,
    hasher: RandomState,
}

impl Default for Answered {
    fn default() -> Self {
        Answered::new(REMEMBERED)
    }
}

impl Answered {
    /// A memory of at most `capacity` questions (at least one).
    pub fn new(capacity: usize) -> Self {
        Answered {
            lru: Arc::default(),
            capacity: capacity.max(1),
            hasher: RandomState::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        // The map stays consistent whatever panicked while holding it.
        self.lru.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remembers that `answer` answered question `message` in `chat`, whose
    /// text was `text`; forgets the least recently used question when full.
    pub fn remember(&self, chat: ChatId, message: MessageId, text: &str, answer: Vec<MessageId>) {
        let text = self.hasher.hash_one(text);
        let mut lru = self.lock();
        lru.clock += 1;
        let used = lru.clock;
        let key = (chat, message);
        if let Some(old) = lru.slots.insert(key, Slot { used, text, answer }) {
            lru.order.remove(&old.used);
        }
        lru.order.insert(used, key);
        while lru.slots.len() > self.capacity {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            lru.slots.remove(&oldest);
        }
    }

    /// Whether question `message` in `chat`, now reading `text`, was
    /// answered, and for which text.
    pub fn recall(&self, chat: ChatId, message: MessageId, text: &str) -> Recall {
        let text = self.hasher.hash_one(text);
        let mut lru = self.lock();
        lru.clock += 1;
        let now = lru.clock;
        let Some(slot) = lru.slots.get_mut(&(chat, message)) else {
            return Recall::Unknown;
        };
        let before = std::mem::replace(&mut slot.used, now);
        let recall = if slot.text == text {
            Recall::Unchanged
        } else {
            Recall::Changed(slot.answer.clone())
        };
        lru.order.remove(&before);
        lru.order.insert(now, (chat, message));
        recall
    }

    /// How many questions are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAT: ChatId = ChatId(-5);

    fn id(n: i32) -> MessageId {
        MessageId(n)
    }

    #[test]
    fn an_edit_is_unchanged_changed_or_unknown() {
        let memory = Answered::default();
        memory.remember(CHAT, id(1), "what is step 1", vec![id(10), id(11)]);
        assert_eq!(
            memory.recall(CHAT, id(1), "what is step 1"),
            Recall::Unchanged
        );
        assert_eq!(
            memory.recall(CHAT, id(1), "what is step 2"),
            Recall::Changed(vec![id(10), id(11)])
        );
        assert_eq!(memory.recall(ChatId(5), id(1), "x"), Recall::Unknown);
        assert_eq!(memory.recall(CHAT, id(2), "x"), Recall::Unknown);
        // Remembering the new answer replaces the old one.
        memory.remember(CHAT, id(1), "what is step 2", vec![id(12)]);
        assert_eq!(
            memory.recall(CHAT, id(1), "what is step 1"),
            Recall::Changed(vec![id(12)])
        );
        assert_eq!(memory.len(), 1);
    }

    #[test]
    fn the_least_recently_used_question_is_forgotten_first() {
        let memory = Answered::new(3);
        for n in 1..=3 {
            memory.remember(CHAT, id(n), "q", vec![id(100 + n)]);
        }
        // Question 1 is used again, so question 2 is now the oldest.
        assert_eq!(memory.recall(CHAT, id(1), "q"), Recall::Unchanged);
        memory.remember(CHAT, id(4), "q", vec![id(104)]);
        assert_eq!(memory.len(), 3);
        assert_eq!(memory.recall(CHAT, id(2), "q"), Recall::Unknown);
        for n in [1, 3, 4] {
            assert_eq!(memory.recall(CHAT, id(n), "q"), Recall::Unchanged, "{n}");
        }
        // However many questions pass through, the bound holds.
        for n in 5..1000 {
            memory.remember(CHAT, id(n), "q", vec![id(n)]);
        }
        assert_eq!(memory.len(), 3);
        assert_eq!(memory.lock().order.len(), 3);
    }
}

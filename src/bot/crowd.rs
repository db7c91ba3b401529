//! Group bursts: a class told to try the bot asks it the same thing twenty
//! times in a minute, and a group may get only about 20 messages a minute.
//! So when members of one group ask for the same entry within [`WINDOW`],
//! the first gets the answer and the others a reaction on their question
//! (setMessageReaction, which spends none of the group's message budget)
//! pointing them at it, just above in the chat. The one who got the answer
//! and asks again is answered again: they may have lost it. In a forum
//! each topic is a chat of its own here: an answer in one topic is not
//! above a question in another.
//!
//! Distinct questions are not held back here: each member has a lane of
//! their own in the dispatcher (see `admission`), so one member asking a
//! lot cannot keep the others waiting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::matcher::Lang;

/// How long one answer serves a group's later askers of the same entry.
pub const WINDOW: Duration = Duration::from_secs(60);

/// The reaction that points a later asker at the answer already given.
pub const SEEN: &str = "👀";

/// What a group question for an entry should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The first to ask within the window: answer it.
    First,
    /// Asked again within the window: the answer is there already.
    Answered,
}

/// Who asked a group for which entry lately (shared by the handlers).
#[derive(Clone, Default)]
pub struct Crowd(Arc<Mutex<Recent>>);

impl Crowd {
    /// Claims the answer of `entry` in `lang` for `asker` in `chat`, in
    /// forum topic `topic` if any.
    pub(super) fn claim(
        &self,
        chat: i64,
        topic: Option<i32>,
        asker: Option<u64>,
        entry: &str,
        lang: Lang,
    ) -> Claim {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).claim(
            (chat, topic),
            asker,
            entry,
            lang,
            Instant::now(),
        )
    }
}

/// A group, and the forum topic in it.
type Place = (i64, Option<i32>);

/// The entries answered in each group within the window, without I/O.
#[derive(Debug, Default)]
pub struct Recent {
    /// When each group (and forum topic) was last answered each entry,
    /// and whom.
    answered: HashMap<(Place, String, Lang), (Instant, Option<u64>)>,
    swept: Option<Instant>,
}

impl Recent {
    fn claim(
        &mut self,
        place: Place,
        asker: Option<u64>,
        entry: &str,
        lang: Lang,
        now: Instant,
    ) -> Claim {
        // Forgetting old answers now and then keeps the map to what the
        // last window asked.
        if self
            .swept
            .is_none_or(|at| now.saturating_duration_since(at) >= WINDOW)
        {
            self.answered
                .retain(|_, (at, _)| now.saturating_duration_since(*at) < WINDOW);
            self.swept = Some(now);
        }
        let key = (place, entry.to_owned(), lang);
        match self.answered.get(&key) {
            Some((at, first))
                if now.saturating_duration_since(*at) < WINDOW
                    && (first.is_none() || *first != asker) =>
            {
                Claim::Answered
            }
            _ => {
                self.answered.insert(key, (now, asker));
                Claim::First
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_answer_per_group_entry_and_language_within_the_window() {
        let t0 = Instant::now();
        let mut recent = Recent::default();
        let later = |s| t0 + Duration::from_secs(s);
        for (place, asker, entry, lang, at, expected) in [
            ((-1, None), 1, "step-1", Lang::En, t0, Claim::First),
            (
                (-1, None),
                2,
                "step-1",
                Lang::En,
                later(10),
                Claim::Answered,
            ),
            // The one answered, asking again, is answered again.
            ((-1, None), 1, "step-1", Lang::En, later(11), Claim::First),
            (
                (-1, None),
                3,
                "step-1",
                Lang::En,
                later(12),
                Claim::Answered,
            ),
            // Another group, topic, entry or language gets its own answer.
            ((-2, None), 2, "step-1", Lang::En, later(12), Claim::First),
            (
                (-1, Some(7)),
                2,
                "step-1",
                Lang::En,
                later(12),
                Claim::First,
            ),
            (
                (-1, Some(7)),
                3,
                "step-1",
                Lang::En,
                later(13),
                Claim::Answered,
            ),
            ((-1, None), 2, "step-2", Lang::En, later(12), Claim::First),
            ((-1, None), 2, "step-1", Lang::Ko, later(12), Claim::First),
            (
                (-1, None),
                2,
                "step-1",
                Lang::En,
                later(70),
                Claim::Answered,
            ),
            // The window counts from the answer, not from the last asker.
            ((-1, None), 2, "step-1", Lang::En, later(71), Claim::First),
            (
                (-1, None),
                3,
                "step-1",
                Lang::En,
                later(72),
                Claim::Answered,
            ),
        ] {
            assert_eq!(
                recent.claim(place, Some(asker), entry, lang, at),
                expected,
                "{place:?} {entry} {lang:?} at {:?}",
                at - t0
            );
        }
    }

    #[test]
    fn old_answers_are_forgotten() {
        let t0 = Instant::now();
        let mut recent = Recent::default();
        for chat in 0..100 {
            recent.claim((chat, None), Some(1), "step-1", Lang::En, t0);
        }
        recent.claim((-1, None), Some(1), "step-2", Lang::En, t0 + WINDOW);
        assert_eq!(recent.answered.len(), 1);
    }
}

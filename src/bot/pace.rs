//! The pace of sendMessage when `[bot] throttle` is on, from Telegram's
//! own figures (Bots FAQ, "My bot is hitting limits, how do I avoid
//! this?"): in one chat, no more than about one message a second; in a
//! group, no more than 20 a minute; overall, about 30 a second. The FAQ
//! puts no cap of its own on a private chat's minute.
//!
//! teloxide's [`Limits`] give each chat one per-minute figure, and
//! supergroups (and channels) another; a basic group counts as a chat,
//! like a private one. Its chat figure is set to what one a second
//! allows, so private chats are not held back, and [`GroupMinute`] holds
//! basic groups to their 20 a minute before a message reaches the
//! adaptor.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::types::ChatId;
use tokio::time::Instant;

/// Messages a second in one chat (FAQ: "avoid sending more than one
/// message per second").
pub const PER_SECOND_IN_A_CHAT: u32 = 1;
/// Messages a minute in a group (FAQ: "In a group, bots are not be able
/// to send more than 20 messages per minute").
pub const PER_MINUTE_IN_A_GROUP: u32 = 20;
/// Messages a second to everyone (FAQ: "not able to broadcast more than
/// about 30 messages per second", without paid broadcasts).
pub const PER_SECOND_OVERALL: u32 = 30;

const MINUTE: Duration = Duration::from_secs(60);

/// The limits given to teloxide's throttle.
pub fn limits() -> Limits {
    Limits {
        messages_per_sec_chat: PER_SECOND_IN_A_CHAT,
        // No cap on a minute beyond what a second's allows: the FAQ has
        // none for private chats. Basic groups share this figure, so
        // [`GroupMinute`] paces them.
        messages_per_min_chat: PER_SECOND_IN_A_CHAT * 60,
        messages_per_min_channel_or_supergroup: PER_MINUTE_IN_A_GROUP,
        messages_per_sec_overall: PER_SECOND_OVERALL,
    }
}

/// Holds each basic group to [`PER_MINUTE_IN_A_GROUP`] messages in any
/// minute; other chats pass at once. A message waits until the oldest of
/// the group's last 20 is a minute old.
#[derive(Debug, Default)]
pub struct GroupMinute {
    /// Each basic group's sends in the last minute, oldest first.
    sent: Mutex<HashMap<ChatId, VecDeque<Instant>>>,
}

/// Groups kept before those idle for a minute are forgotten.
const FORGET_AFTER: usize = 1024;

impl GroupMinute {
    /// Waits until `chat` may have one more message, and counts it.
    pub async fn turn(&self, chat: ChatId) {
        if !chat.is_group() {
            return;
        }
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                if sent.len() > FORGET_AFTER {
                    sent.retain(|_, times| times.back().is_some_and(|t| now - *t < MINUTE));
                }
                let times = sent.entry(chat).or_default();
                while times.front().is_some_and(|t| now - *t >= MINUTE) {
                    times.pop_front();
                }
                if times.len() < PER_MINUTE_IN_A_GROUP as usize {
                    times.push_back(now);
                    return;
                }
                times[0] + MINUTE - now
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_are_the_faqs() {
        let l = limits();
        assert_eq!(l.messages_per_sec_chat, 1);
        assert_eq!(l.messages_per_min_channel_or_supergroup, 20);
        assert_eq!(l.messages_per_sec_overall, 30);
        // A private chat's minute is capped by its second only.
        assert!(l.messages_per_min_chat >= 60 * l.messages_per_sec_chat);
    }

    /// Time is paused: sleeps end at once, and [`Instant`] shows how long
    /// they would have been.
    #[tokio::test(start_paused = true)]
    async fn a_basic_group_waits_for_its_21st_message_in_a_minute_and_no_one_else_does() {
        let pace = GroupMinute::default();
        let group = ChatId(-5151);
        let start = Instant::now();
        for _ in 0..PER_MINUTE_IN_A_GROUP {
            pace.turn(group).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Private chats and supergroups (paced by teloxide) are not held,
        // nor is another group within its own 20.
        for (chat, n) in [
            (ChatId(4242), 2 * PER_MINUTE_IN_A_GROUP),
            (ChatId(-1_000_000_005_151), 2 * PER_MINUTE_IN_A_GROUP),
            (ChatId(-6161), PER_MINUTE_IN_A_GROUP),
        ] {
            for _ in 0..n {
                pace.turn(chat).await;
            }
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        pace.turn(group).await;
        assert_eq!(start.elapsed(), MINUTE);
        // The 22nd follows: the oldest 20 are all a minute old by then.
        pace.turn(group).await;
        assert_eq!(start.elapsed(), MINUTE);
    }
}

//! Turns at the flood-limit pacer, one group at a time per group.
//!
//! Each member of a group has a dispatcher lane of their own (see
//! `admission`), so many replies to one group can be ready at once; a group
//! gets about 20 messages a minute, and teloxide's pacer holds at most 30
//! waiting messages for everyone. Without turns, one busy group would fill
//! the pacer and every other chat would wait behind it. With them, a group
//! has at most one message in the pacer; its members take turns in the
//! order they got there (a fair semaphore), so none of them is starved.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The chats' turns: shared by every clone of the client.
#[derive(Clone, Default)]
pub(super) struct Turns(Arc<Mutex<HashMap<i64, Arc<Semaphore>>>>);

/// A chat's turn, held while its message is paced and sent.
pub(super) struct Turn {
    turns: Turns,
    chat: i64,
    permit: Option<OwnedSemaphorePermit>,
}

impl Turns {
    /// Waits for `chat`'s turn.
    pub(super) async fn take(&self, chat: i64) -> Turn {
        let semaphore = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(chat)
            .or_insert_with(|| Arc::new(Semaphore::new(1)))
            .clone();
        // Never closed, so acquiring cannot fail.
        let permit = semaphore.acquire_owned().await.ok();
        Turn {
            turns: self.clone(),
            chat,
            permit,
        }
    }

    /// Chats with a turn taken or waited for.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        drop(self.permit.take());
        let mut turns = self.turns.0.lock().unwrap_or_else(|e| e.into_inner());
        // Forgotten once nobody holds or waits for it: only the map's
        // reference is left.
        if turns
            .get(&self.chat)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            turns.remove(&self.chat);
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    #[tokio::test]
    async fn one_turn_per_chat_taken_in_order_and_then_forgotten() {
        let turns = Turns::default();
        let first = turns.take(-1).await;
        // Another chat is not held up.
        let other = turns.take(-2).await;
        let mut second = Box::pin(turns.take(-1));
        let mut third = Box::pin(turns.take(-1));
        // Polled once each: in line, in this order.
        assert!((&mut second).now_or_never().is_none());
        assert!((&mut third).now_or_never().is_none());
        drop(first);
        assert!(
            (&mut third).now_or_never().is_none(),
            "second in line first"
        );
        let second = second.await;
        assert!((&mut third).now_or_never().is_none());
        drop(second);
        let third = third.await;
        drop((third, other));
        assert_eq!(turns.len(), 0, "nothing kept once done");
    }
}

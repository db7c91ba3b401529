//! Turns: one at a time per key, in the order asked, and nothing kept for
//! a key once nobody holds or waits for its turn (a fair semaphore per
//! key).
//!
//! Two places take turns. The flood-limit pacer, per group: each member
//! of a group has a lane of their own (see `admission`), so many replies to
//! one group can be ready at once; a group gets about 20 messages a
//! minute, and teloxide's pacer holds at most 30 waiting messages for
//! everyone. Without turns, one busy group would fill the pacer and every
//! other chat would wait behind it; with them, a group has at most one
//! message in the pacer, and its members take turns in the order they got
//! there, so none of them is starved. And the lanes themselves: updates in
//! one lane are answered one after another, in the order they came
//! (`admission`).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The keys' turns: shared by every clone.
pub(super) struct Turns<K>(Arc<Mutex<HashMap<K, Arc<Semaphore>>>>);

// Not derived: a derive would ask `K: Clone` and `K: Default`.
impl<K> Clone for Turns<K> {
    fn clone(&self) -> Self {
        Turns(self.0.clone())
    }
}

impl<K> Default for Turns<K> {
    fn default() -> Self {
        Turns(Arc::default())
    }
}

/// A key's turn, held while its work is done; the next in line gets it
/// when this is dropped.
pub(super) struct Turn<K: Hash + Eq + Copy> {
    turns: Turns<K>,
    key: K,
    permit: Option<OwnedSemaphorePermit>,
}

impl<K: Hash + Eq + Copy> Turns<K> {
    /// Waits for `key`'s turn, after those who asked for it before.
    pub(super) async fn take(&self, key: K) -> Turn<K> {
        let semaphore = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(1)))
            .clone();
        // Never closed, so acquiring cannot fail.
        let permit = semaphore.acquire_owned().await.ok();
        Turn {
            turns: self.clone(),
            key,
            permit,
        }
    }

    /// Chats with a turn taken or waited for.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl<K: Hash + Eq + Copy> Drop for Turn<K> {
    fn drop(&mut self) {
        drop(self.permit.take());
        let mut turns = self.turns.0.lock().unwrap_or_else(|e| e.into_inner());
        // Forgotten once nobody holds or waits for it: only the map's
        // reference is left.
        if turns
            .get(&self.key)
            .is_some_and(|s| Arc::strong_count(s) == 1)
        {
            turns.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    #[tokio::test]
    async fn one_turn_per_key_taken_in_order_and_then_forgotten() {
        let turns = Turns::<i64>::default();
        let first = turns.take(-1).await;
        // Another key is not held up.
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

//! How updates are handed to the handler tree: every update at once, each
//! answered in a task of its own, in line behind the updates of its lane
//! that came before it ([`Lines`]).
//!
//! teloxide's dispatcher can keep a queue and a task per key itself, but
//! its fetching loop then waits, now and then, for one chat's answer: when
//! it has more queues than it has seen busy at once, it retires the idle
//! ones and waits for each to end, and a queue that has just taken an
//! update still looks idle. That wait lasts as long as the answer, which
//! with replies held (or a busy group's pacing) is as long as it likes;
//! meanwhile nobody's updates were fetched. So the dispatcher is given no
//! keys ([`side_by_side`]): its one queue for updates without a key takes
//! every update as it comes. That queue runs its updates in one task; each
//! update takes its place in its lane's line there, at once and so in the
//! order updates came, and [`in_own_task`] then answers it in a task of its
//! own, which waits for the place before it only: a place is handed on
//! from task to task directly, not through that one task.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use teloxide::dispatching::{DpHandlerDescription, UpdateHandler};
use teloxide::dptree::{self, HandlerDescription, HandlerSignature};
use teloxide::prelude::*;

use super::admission::Lane;
use super::error::BotError;

/// The dispatcher's distribution function: none, so that teloxide takes
/// in every update at once (the module's doc says why).
pub(super) fn side_by_side(_: &Update) -> Option<Lane> {
    None
}

/// A step of the handler tree that runs the rest of it in a task of its
/// own and waits for it, so that the dispatcher still sees each answer's
/// outcome and waits for the answers in flight when it stops. Put after
/// the step that joins the lane's line: places are taken in the order
/// updates came, which the tasks, on different threads, would not keep.
pub(super) fn in_own_task() -> UpdateHandler<BotError> {
    dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        |deps, rest| async move {
            match tokio::spawn(rest(deps)).await {
                Ok(outcome) => outcome,
                // The answer's own task went down; the others go on.
                Err(e) => {
                    tracing::error!(error = %e, "answering an update panicked");
                    ControlFlow::Break(Ok(()))
                }
            }
        },
        // Needs nothing, adds nothing, and goes on to the rest.
        HandlerSignature::Other {
            obligations: BTreeMap::new(),
            guaranteed_outcomes: BTreeSet::new(),
            conditional_outcomes: BTreeSet::new(),
            continues: true,
        },
    )
}

/// Lines, one per key: each place is taken at once, and its holder waits
/// only for the place before it to be let go. Nothing is kept for a key
/// whose line is empty.
pub(super) struct Lines<K>(Arc<Mutex<HashMap<K, Last>>>);

/// The place at the end of a line: its number, and what says it is done.
struct Last {
    number: u64,
    done: oneshot::Receiver<()>,
}

// Not derived: a derive would ask `K: Clone` and `K: Default`.
impl<K> Clone for Lines<K> {
    fn clone(&self) -> Self {
        Lines(self.0.clone())
    }
}

impl<K> Default for Lines<K> {
    fn default() -> Self {
        Lines(Arc::default())
    }
}

/// A place in a line, from joining it until it is dropped, which lets the
/// next one go.
pub(super) struct Place<K: Hash + Eq + Copy> {
    lines: Lines<K>,
    key: K,
    number: u64,
    /// Done when the place before is let go; taken by [`Place::wait`].
    before: Mutex<Option<oneshot::Receiver<()>>>,
    /// Dropped with the place: tells the place after.
    _done: oneshot::Sender<()>,
}

static NUMBERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl<K: Hash + Eq + Copy> Lines<K> {
    /// A place at the end of `key`'s line, taken now.
    pub(super) fn join(&self, key: K) -> Place<K> {
        let (done, after) = oneshot::channel();
        let number = NUMBERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let last = Last {
            number,
            done: after,
        };
        let before = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, last)
            .map(|last| last.done);
        Place {
            lines: self.clone(),
            key,
            number,
            before: Mutex::new(before),
            _done: done,
        }
    }

    /// Keys with someone in line.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl<K: Hash + Eq + Copy> Place<K> {
    /// Waits until every place before this one is let go.
    pub(super) async fn wait(&self) {
        let before = self.before.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(before) = before {
            // Its sender is only ever dropped: an error is the signal.
            let _ = before.await;
        }
    }
}

impl<K: Hash + Eq + Copy> Drop for Place<K> {
    fn drop(&mut self) {
        let mut lines = self.lines.0.lock().unwrap_or_else(|e| e.into_inner());
        // The last in line leaves nothing behind.
        if lines
            .get(&self.key)
            .is_some_and(|last| last.number == self.number)
        {
            lines.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::task::Id;

    use super::*;

    type Seen = Arc<Mutex<Option<Id>>>;

    /// The tree's rest, recording the task it runs in.
    fn recording() -> UpdateHandler<BotError> {
        in_own_task().endpoint(|seen: Seen| async move {
            *seen.lock().unwrap() = tokio::task::try_id();
            Ok(())
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_rest_of_the_tree_runs_in_a_task_of_its_own() {
        let seen = Seen::default();
        let deps = dptree::deps![seen.clone()];
        let (outer, outcome) =
            tokio::spawn(async move { (tokio::task::id(), recording().dispatch(deps).await) })
                .await
                .unwrap();
        assert!(matches!(outcome, ControlFlow::Break(Ok(()))));
        let inner = seen.lock().unwrap().expect("the endpoint ran");
        assert_ne!(inner, outer, "the answer ran in the dispatcher's own task");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_answer_that_panics_takes_down_only_itself() {
        let tree = in_own_task().endpoint(|| async {
            panic!("an answer's bug");
            #[allow(unreachable_code)]
            Ok(())
        });
        let outcome = tree.dispatch(dptree::deps![]).await;
        assert!(matches!(outcome, ControlFlow::Break(Ok(()))));
    }

    #[tokio::test]
    async fn places_are_let_go_in_the_order_taken_and_then_forgotten() {
        use futures_util::FutureExt;
        let lines = Lines::<i64>::default();
        let first = lines.join(1);
        let second = lines.join(1);
        let third = lines.join(1);
        // Another key is not held up, nor is the first in line.
        let other = lines.join(2);
        assert!(other.wait().now_or_never().is_some());
        assert!(first.wait().now_or_never().is_some());
        let mut second_turn = Box::pin(second.wait());
        let mut third_turn = Box::pin(third.wait());
        assert!((&mut second_turn).now_or_never().is_none());
        assert!((&mut third_turn).now_or_never().is_none());
        drop(first);
        assert!((&mut third_turn).now_or_never().is_none(), "second first");
        assert!((&mut second_turn).now_or_never().is_some());
        drop(second_turn);
        drop(second);
        assert!((&mut third_turn).now_or_never().is_some());
        drop(third_turn);
        drop((third, other));
        assert_eq!(lines.len(), 0, "nothing kept once done");
    }
}

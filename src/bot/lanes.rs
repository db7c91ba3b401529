//! How updates are handed to the handler tree: every update at once, each
//! answered in a task of its own, after the updates of its lane that came
//! before it.
//!
//! teloxide's dispatcher can keep a queue and a task per key itself, but
//! its fetching loop then waits, now and then, for one chat's answer: when
//! it has more queues than it has seen busy at once, it retires the idle
//! ones and waits for each to end, and a queue that has just taken an
//! update still looks idle. That wait lasts as long as the answer, which
//! with replies held (or a busy group's pacing) is as long as it likes;
//! meanwhile nobody's updates were fetched. So the dispatcher is given no
//! keys ([`side_by_side`]): its one queue for updates without a key takes
//! every update as it comes. That queue runs its updates in one task,
//! where each waits for its lane's turn (`Admission::start`, a fair
//! semaphore per lane: turns are given in the order they were asked for,
//! so in the order updates came), and [`in_own_task`] then answers it in
//! a task of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

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
/// the step that takes the lane's turn: turns are asked for in the order
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
}

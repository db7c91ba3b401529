//! The webhook's accept loop: at most `max_connections` open at once, each
//! served by [`connection::serve`], and a stop that ends on time however
//! many clients hang on.
//!
//! At the cap, a new connection is accepted and the open one that has
//! waited longest without sending a whole request (never one whose request
//! is being handled) is closed. Telegram, or nginx on its behalf, sends its
//! request as soon as it has connected, so it is never that one for long:
//! to push it out, a stranger would have to open `max_connections`
//! connections in that moment. Refusing newcomers instead would refuse
//! Telegram for as long as strangers kept the places filled, and not
//! accepting would leave it in the queue behind them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Duration;

use super::connection::{self, Conn, Phase, State, Timeouts};

/// After a failed accept (out of file descriptors, say), the pause before
/// the next, so that the loop does not spin on the same error.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The limits the loop enforces.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub timeouts: Timeouts,
    pub max_connections: usize,
    /// How long a stop waits for the requests in progress: the longest a
    /// request with the secret may legitimately take, its body's limit.
    pub grace: Duration,
}

/// The open connections, by the number they were accepted as.
type Open = Arc<Mutex<HashMap<u64, Arc<Conn>>>>;

fn lock(open: &Open) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
    open.lock().unwrap_or_else(|e| e.into_inner())
}

/// Accepts and serves until `stopping`; then stops accepting, lets the
/// requests in progress finish within `limits.grace`, and drops the rest.
pub(super) async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let open: Open = Arc::default();
    let mut tasks = JoinSet::new();
    let mut next_id: u64 = 0;
    // Connections closed to make room since the cap was reached.
    let mut crowded: Option<u64> = None;
    loop {
        let accepted = tokio::select! {
            biased;
            _ = stopping.wait_for(|stop| *stop) => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "the webhook could not accept a connection");
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let conn = Arc::new(Conn::new());
        {
            let mut open = lock(&open);
            if open.len() >= limits.max_connections {
                let waiting = open.iter().map(|(id, conn)| (*id, conn.state()));
                match longest_waiting(waiting) {
                    Some(id) => {
                        if let Some(evicted) = open.remove(&id) {
                            evicted.evict();
                        }
                        if crowded.is_none() {
                            tracing::warn!(
                                max_connections = limits.max_connections,
                                "the webhook has {} connections open, its max_connections: from now on each new one closes the one that has waited longest",
                                limits.max_connections
                            );
                        }
                        *crowded.get_or_insert(0) += 1;
                    }
                    // Every place holds a request being handled: the
                    // newcomer is closed, and Telegram retries.
                    None => continue,
                }
            } else if let Some(closed) = crowded.take() {
                tracing::info!(
                    closed,
                    "the webhook is below max_connections again ({closed} waiting connections were closed to make room)"
                );
            }
            open.insert(next_id, conn.clone());
        }
        let registered = Registered {
            id: next_id,
            open: open.clone(),
        };
        next_id += 1;
        let (app, stopping) = (app.clone(), stopping.clone());
        tasks.spawn(async move {
            connection::serve(stream, conn, app, limits.timeouts, stopping).await;
            drop(registered);
        });
    }
    drop(listener);
    // Each connection has seen the stop: those without a request in
    // progress are closed already.
    let finished = tokio::time::timeout(limits.grace, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            open = tasks.len(),
            "stopping: dropped {} webhook connections whose requests did not finish in time",
            tasks.len()
        );
        tasks.shutdown().await;
    }
}

/// Removes its connection from the open ones when its task ends.
struct Registered {
    id: u64,
    open: Open,
}

impl Drop for Registered {
    fn drop(&mut self) {
        lock(&self.open).remove(&self.id);
    }
}

/// The connection to close to make room: of those without a request being
/// handled, the one whose wait began first.
fn longest_waiting(open: impl Iterator<Item = (u64, State)>) -> Option<u64> {
    open.filter(|(_, state)| state.phase != Phase::Serving)
        .min_by_key(|(id, state)| (state.since, *id))
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    #[test]
    fn the_longest_wait_is_closed_never_a_request_in_progress() {
        let t = Instant::now();
        let s = |secs, phase| State {
            phase,
            since: t + Duration::from_secs(secs),
        };
        type Case<'a> = (&'a [(u64, State)], Option<u64>);
        let cases: [Case; 5] = [
            (&[], None),
            (&[(1, s(0, Phase::Serving))], None),
            (
                &[(1, s(0, Phase::Serving)), (2, s(5, Phase::Idle))],
                Some(2),
            ),
            (
                &[
                    (1, s(3, Phase::Idle)),
                    (2, s(1, Phase::Head)),
                    (3, s(2, Phase::Head)),
                ],
                Some(2),
            ),
            // The same wait: the one accepted first.
            (&[(4, s(1, Phase::Head)), (3, s(1, Phase::Idle))], Some(3)),
        ];
        for (open, expected) in cases {
            assert_eq!(longest_waiting(open.iter().copied()), expected, "{open:?}");
        }
    }
}

//! Webhook mode (`[bot.webhook]`): Telegram POSTs each update to qabot's
//! own HTTP server instead of qabot long-polling for it.
//!
//! - Every request to the update path must carry the secret token (from
//!   `QABOT_WEBHOOK_SECRET`, never the config file) in
//!   `X-Telegram-Bot-Api-Secret-Token`. It is checked as soon as the
//!   headers are in: a wrong or missing one gets 401 and the body is not
//!   read (hyper drops what came in with the headers, and closes the
//!   connection if more was declared). The comparison takes the same time
//!   wherever the tokens differ.
//! - Only then is the body read: a Content-Length over [`MAX_BODY_BYTES`]
//!   gets 413 before any of it, a longer body 413 when it gets there, and
//!   one that takes longer than `body_timeout_ms` 408.
//! - `GET /healthz` answers 200 for load balancers. Once stopping, the
//!   port is closed (a new check is refused) and a check already on an
//!   open connection gets 503.
//! - An update is answered 200 once it is in the queue for the dispatcher,
//!   which holds at most `max_queued_updates`; the reply goes out through
//!   the Bot API, as in polling mode. When the queue is full, and once the
//!   bot is stopping, the answer is 503, so Telegram delivers the update
//!   again later (to this instance or another) rather than losing it. At a
//!   stop the queued ones are dropped, counted (Telegram has them as
//!   delivered), so the stop ends on time; see docs/RELIABILITY.md.
//! - The listener passes each update through [`Admission`], which drops a
//!   flooding chat's updates past its budget before the dispatcher.
//! - Connections are served by `serve`: a time limit on sending headers
//!   and on idling, a cap on how many are open, and a stop that ends on
//!   time (see `connection`).
//! - teloxide's `webhooks-axum` is not used: it answers 400 rather than 401
//!   to a malformed secret, logs unreadable updates over several lines, and
//!   deletes the webhook when one instance stops, which would cut off the
//!   others behind the same proxy.

mod connection;
mod serve;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use futures_util::stream::{BoxStream, StreamExt};
use teloxide::stop::{StopToken, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{Mutex, mpsc, watch};

use super::admission::Admission;
use crate::config::WebhookConfig;

/// The environment variable holding the webhook's secret token.
pub const SECRET_VAR: &str = "QABOT_WEBHOOK_SECRET";

/// The header Telegram sends the secret token in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The health check's path.
pub const HEALTH_PATH: &str = "/healthz";

/// The largest update body read. An update is a few KB (a message is at
/// most 4096 characters, with its entities and the message it replies to);
/// docs/DEPLOY.md has nginx refuse over 1 MiB too.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Whether `secret` is one Telegram accepts: 1–256 of `A-Za-z0-9_-`.
pub fn valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Equal, in a time that depends on the lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Open while updates are accepted. Queuing an update happens under a read
/// lock; stopping shuts the gate under the write lock before it tells the
/// listener, so the queue the listener drains can no longer grow, and
/// nothing accepted is left in it.
type Gate = Arc<std::sync::RwLock<bool>>;

#[derive(Clone)]
struct Shared {
    secret: Arc<str>,
    updates: mpsc::Sender<Update>,
    /// The queue was full at the last try: said once, not per request.
    full: Arc<AtomicBool>,
    body_timeout: Duration,
    gate: Gate,
    stopping: watch::Receiver<bool>,
}

/// The running HTTP server and the queue between it and the dispatcher.
pub(super) struct Server {
    updates: Arc<Mutex<mpsc::Receiver<Update>>>,
    stop_token: StopToken,
    stopping: watch::Receiver<bool>,
    task: tokio::task::JoinHandle<()>,
    /// The address it listens on (the port chosen, when 0 was asked for).
    pub address: SocketAddr,
}

impl Server {
    /// Starts serving `path` (updates) and [`HEALTH_PATH`] on `listener`,
    /// within `config`'s limits.
    pub fn start(
        listener: tokio::net::TcpListener,
        config: &WebhookConfig,
        path: &str,
        secret: &str,
    ) -> Server {
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (tx, rx) = mpsc::channel(config.max_queued_updates as usize);
        let (stop_token, stop_flag) = mk_stop_token();
        // The dispatcher stops the listener through `stop_token`; the flag is
        // watched by one task only, as its clones share a single waker.
        let (stop_tx, stopping) = watch::channel(false);
        let gate: Gate = Arc::new(std::sync::RwLock::new(true));
        let shut = gate.clone();
        tokio::spawn(async move {
            stop_flag.await;
            *shut.write().unwrap_or_else(|e| e.into_inner()) = false;
            let _ = stop_tx.send(true);
        });
        let body_timeout = Duration::from_millis(config.body_timeout_ms);
        let shared = Shared {
            secret: secret.into(),
            updates: tx,
            full: Arc::default(),
            body_timeout,
            gate: gate.clone(),
            stopping: stopping.clone(),
        };
        let app = Router::new()
            .route(path, post(receive))
            .route(HEALTH_PATH, get(health))
            .with_state(shared);
        let limits = serve::Limits {
            timeouts: connection::Timeouts {
                header: Duration::from_millis(config.header_timeout_ms),
                idle: Duration::from_millis(config.idle_timeout_ms),
            },
            max_connections: config.max_connections as usize,
            grace: body_timeout,
        };
        let task = tokio::spawn(serve::run(listener, app, limits, stopping.clone()));
        Server {
            updates: Arc::new(Mutex::new(rx)),
            stop_token,
            stopping,
            task,
            address,
        }
    }

    /// A listener for the dispatcher; one per attempt to start it, all on
    /// the same queue.
    pub fn listener(&self, admission: Admission) -> Listener {
        Listener {
            admission,
            updates: self.updates.clone(),
            stop_token: self.stop_token.clone(),
            stopping: self.stopping.clone(),
        }
    }

    /// Stops it: new requests get 503, the listener ends once the queue is
    /// empty, and the server closes.
    pub fn stop_token(&self) -> StopToken {
        self.stop_token.clone()
    }

    /// Stops accepting updates and waits for the server to close.
    pub async fn stop(self) {
        self.stop_token.stop();
        let _ = self.task.await;
    }
}

/// An update: the secret first, from the headers alone; then the declared
/// length; only then the body, within its size and time limits.
async fn receive(State(shared): State<Shared>, request: Request) -> StatusCode {
    let (parts, body) = request.into_parts();
    let given = parts.headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|given| same(given, shared.secret.as_bytes())) {
        tracing::debug!("refused a webhook request without the secret token");
        return StatusCode::UNAUTHORIZED;
    }
    let declared = declared_length(&parts.headers);
    if let Some(bytes) = declared.filter(|bytes| *bytes > MAX_BODY_BYTES) {
        tracing::warn!(
            bytes,
            "refused a webhook update of {bytes} bytes, over the {MAX_BODY_BYTES} byte limit"
        );
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let body = match tokio::time::timeout(shared.body_timeout, read_body(body, declared)).await {
        Ok(Ok(body)) => body,
        Ok(Err(status)) => return status,
        Err(_) => {
            tracing::warn!(
                timeout_ms = shared.body_timeout.as_millis() as u64,
                "a webhook update's body did not arrive within body_timeout_ms: answered 408, Telegram sends it again"
            );
            return StatusCode::REQUEST_TIMEOUT;
        }
    };
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!(error = %e, bytes = body.len(), "a webhook request that is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Kinds teloxide cannot read are skipped here, in one line, as in polling.
    if !super::polling::readable(&update) {
        return StatusCode::OK;
    }
    let open = shared.gate.read().unwrap_or_else(|e| e.into_inner());
    // Once stopping, Telegram is told to deliver it again later.
    if !*open {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    enqueue(&shared.updates, &shared.full, update)
}

/// Hands `update` to the dispatcher's side: 200 when the queue took it;
/// 503 when it is full (logged once until it has room again), so Telegram
/// delivers the update again later; 503 once the queue is closed.
fn enqueue(updates: &mpsc::Sender<Update>, full: &AtomicBool, update: Update) -> StatusCode {
    match updates.try_send(update) {
        Ok(()) => {
            if full.load(Ordering::Relaxed) && full.swap(false, Ordering::Relaxed) {
                tracing::info!("the webhook's queue has room again");
            }
            StatusCode::OK
        }
        Err(TrySendError::Full(_)) => {
            if !full.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    capacity = updates.max_capacity(),
                    "the webhook's queue is full ({} updates, max_queued_updates): answering 503 until it has room, and Telegram delivers those updates again later",
                    updates.max_capacity()
                );
            }
            StatusCode::SERVICE_UNAVAILABLE
        }
        Err(TrySendError::Closed(_)) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The Content-Length, if there is a readable one.
fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The whole body, or the status that refuses it: 413 past
/// [`MAX_BODY_BYTES`] (a chunked body has no length to check beforehand),
/// 400 if the client broke off.
async fn read_body(body: Body, declared: Option<usize>) -> Result<Vec<u8>, StatusCode> {
    let mut read = Vec::with_capacity(declared.unwrap_or(0).min(MAX_BODY_BYTES));
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| {
            tracing::debug!(error = %e, "a webhook update's body broke off");
            StatusCode::BAD_REQUEST
        })?;
        if read.len() + chunk.len() > MAX_BODY_BYTES {
            tracing::warn!("refused a webhook update over the {MAX_BODY_BYTES} byte limit");
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
        read.extend_from_slice(&chunk);
    }
    Ok(read)
}

async fn health(State(shared): State<Shared>) -> (StatusCode, &'static str) {
    if *shared.stopping.borrow() {
        (StatusCode::SERVICE_UNAVAILABLE, "stopping\n")
    } else {
        (StatusCode::OK, "ok\n")
    }
}

/// The updates the server queued, for the dispatcher. Once stopped, it
/// hands out what is still queued, then ends.
pub(super) struct Listener {
    admission: Admission,
    updates: Arc<Mutex<mpsc::Receiver<Update>>>,
    stop_token: StopToken,
    stopping: watch::Receiver<bool>,
}

impl UpdateListener for Listener {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.stop_token.clone()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        // setWebhook was sent `allowed_updates()` before the dispatcher existed.
        let mut wanted: Vec<AllowedUpdate> = hint.collect();
        wanted.sort_by_key(|u| format!("{u:?}"));
        let mut sent = super::allowed_updates();
        sent.sort_by_key(|u| format!("{u:?}"));
        if wanted != sent {
            tracing::warn!(
                ?wanted,
                ?sent,
                "the handlers want other updates than setWebhook asked for"
            );
        }
    }
}

impl<'a> AsUpdateStream<'a> for Listener {
    type StreamErr = Infallible;
    type Stream = BoxStream<'a, Result<Update, Infallible>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let state = (self.updates.clone(), self.stopping.clone());
        let admission = self.admission.clone();
        futures_util::stream::unfold(state, |(updates, mut stopping)| async move {
            let next = {
                let mut queue = updates.lock().await;
                tokio::select! {
                    // What is queued goes first, stopping or not.
                    biased;
                    update = queue.recv() => update,
                    // The gate is shut: what is queued is all there will be.
                    _ = stopping.wait_for(|stop| *stop) => queue.try_recv().ok(),
                }
            };
            next.map(|update| (Ok(update), (updates, stopping)))
        })
        .filter(move |update| {
            std::future::ready(update.as_ref().map_or(true, |u| admission.admit(u)))
        })
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_telegram_accepts() {
        assert!(valid_secret("abc-DEF_012"));
        assert!(valid_secret(&"a".repeat(256)));
        for bad in ["", "with space", "sl/ash", "é", &"a".repeat(257)] {
            assert!(!valid_secret(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn a_full_queue_answers_503_until_it_has_room_and_a_closed_one_503() {
        let update = |id: i64| -> Update {
            serde_json::from_value(serde_json::json!({
                "update_id": id,
                "message": {
                    "message_id": id, "date": 0, "text": "what is step 1?",
                    "chat": {"id": 7, "type": "private", "first_name": "A"},
                }
            }))
            .unwrap()
        };
        let (tx, mut rx) = mpsc::channel(2);
        let full = AtomicBool::new(false);
        let statuses: Vec<StatusCode> = (1..=3).map(|id| enqueue(&tx, &full, update(id))).collect();
        assert_eq!(
            statuses,
            [
                StatusCode::OK,
                StatusCode::OK,
                StatusCode::SERVICE_UNAVAILABLE
            ]
        );
        assert!(full.load(Ordering::Relaxed));
        // The dispatcher takes one: the next update is taken, and the queue
        // is no longer marked full.
        assert_eq!(rx.recv().await.map(|u| u.id.0), Some(1));
        assert_eq!(enqueue(&tx, &full, update(4)), StatusCode::OK);
        assert!(!full.load(Ordering::Relaxed));
        drop(rx);
        assert_eq!(
            enqueue(&tx, &full, update(5)),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn only_the_same_bytes_are_the_same() {
        assert!(same(b"secret", b"secret"));
        assert!(!same(b"secret", b"secreT"));
        assert!(!same(b"secret", b"secret2"));
        assert!(!same(b"", b"secret"));
    }
}

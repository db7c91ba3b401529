//! One webhook connection, served by hyper (HTTP/1), with a time limit on
//! each phase it can wait in: sending a request's headers, and waiting
//! idle for the next request. The body of an authenticated request has its
//! own limit, in the handler that reads it. A connection is closed when it
//! overstays, when the accept loop evicts it to make room, or when the bot
//! stops, unless a request is being handled on it: that one is finished.
//!
//! hyper's own `header_read_timeout` is not used: its clock starts as soon
//! as a connection turns idle, so it limits idle and headers together and
//! would close every kept-alive connection after the header limit.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, watch};
use tokio::time::{Duration, Instant};

/// Request headers larger than this get 431: Telegram's are a few hundred
/// bytes, and a stranger's must not grow the read buffer.
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// hyper's read buffer, at most (its default is ~400 KiB); what a
/// connection can make the bot hold in it, body reads included.
const MAX_BUFFER_BYTES: usize = 64 * 1024;

/// Time limits per phase; the body's is applied where it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Timeouts {
    pub header: Duration,
    pub idle: Duration,
}

/// Where a connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Opened, or a request's first byte arrived: its headers are awaited.
    Head,
    /// A request is being handled (its body read, for an update).
    Serving,
    /// Answered; waiting for the next request on the kept-alive connection.
    Idle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct State {
    pub phase: Phase,
    /// When the phase began.
    pub since: Instant,
}

impl State {
    /// When a connection in this state has overstayed: none while serving,
    /// which only a request with the secret can prolong, and then by its
    /// body's limit.
    fn deadline(self, limits: Timeouts) -> Option<Instant> {
        match self.phase {
            Phase::Head => Some(self.since + limits.header),
            Phase::Idle => Some(self.since + limits.idle),
            Phase::Serving => None,
        }
    }
}

/// What the accept loop and the connection's task share about it.
pub(super) struct Conn {
    state: watch::Sender<State>,
    evicted: Notify,
}

impl Conn {
    /// A connection just accepted: its first headers are awaited from now.
    pub fn new() -> Conn {
        Conn {
            state: watch::Sender::new(State {
                phase: Phase::Head,
                since: Instant::now(),
            }),
            evicted: Notify::new(),
        }
    }

    pub fn state(&self) -> State {
        *self.state.borrow()
    }

    /// Tells the connection's task to close it (after the request being
    /// handled, if one is).
    pub fn evict(&self) {
        self.evicted.notify_one();
    }

    fn enter(&self, phase: Phase) {
        self.state.send_replace(State {
            phase,
            since: Instant::now(),
        });
    }

    /// Bytes came in: an idle connection has begun a request.
    fn bytes_arrived(&self) {
        self.state.send_if_modified(|state| {
            let begun = state.phase == Phase::Idle;
            if begun {
                *state = State {
                    phase: Phase::Head,
                    since: Instant::now(),
                };
            }
            begun
        });
    }

    /// Resolves when the connection overstays its phase; the phase.
    async fn overstayed(&self, limits: Timeouts) -> Phase {
        let mut changes = self.state.subscribe();
        loop {
            let state = *changes.borrow_and_update();
            let deadline = state.deadline(limits);
            tokio::select! {
                // A change first: a deadline past its phase means nothing.
                biased;
                changed = changes.changed() => {
                    if changed.is_err() {
                        // Cannot happen: `self` holds the sender.
                        std::future::pending::<()>().await;
                    }
                }
                () = sleep_until(deadline) => return state.phase,
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Serves `stream` with `app` until the client closes it, it overstays a
/// phase, it is evicted, or (once `stopping`) its request in progress, if
/// any, is answered.
pub(super) async fn serve(
    stream: TcpStream,
    conn: Arc<Conn>,
    app: Router,
    limits: Timeouts,
    mut stopping: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Watched {
        stream,
        conn: conn.clone(),
    });
    let router = TowerToHyperService::new(app);
    let tracked = conn.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        tracked.enter(Phase::Serving);
        let answer = router.call(request);
        let tracked = tracked.clone();
        async move {
            let response = answer.await;
            tracked.enter(Phase::Idle);
            response
        }
    });
    let connection = http1::Builder::new()
        .header_read_timeout(None)
        .max_header_size(MAX_HEADER_BYTES)
        .max_buf_size(MAX_BUFFER_BYTES)
        .serve_connection(io, service);
    tokio::pin!(connection);
    let overstayed = conn.overstayed(limits);
    tokio::pin!(overstayed);
    let mut closing = false;
    loop {
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "a webhook connection ended with an error");
                }
                return;
            }
            phase = &mut overstayed => {
                tracing::debug!(?phase, "closed a webhook connection that overstayed");
                return;
            }
            () = conn.evicted.notified(), if !closing => {
                if conn.state().phase != Phase::Serving {
                    return;
                }
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
            _ = stopping.wait_for(|stop| *stop), if !closing => {
                // Whoever was only connected is not answered: Telegram
                // retries what it could not deliver.
                if conn.state().phase != Phase::Serving {
                    return;
                }
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}

/// The connection's socket, noting when bytes arrive (see
/// [`Conn::bytes_arrived`]).
struct Watched {
    stream: TcpStream,
    conn: Arc<Conn>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.conn.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phase_has_its_own_limit() {
        let limits = Timeouts {
            header: Duration::from_secs(10),
            idle: Duration::from_secs(75),
        };
        let since = Instant::now();
        for (phase, deadline) in [
            (Phase::Head, Some(since + Duration::from_secs(10))),
            (Phase::Idle, Some(since + Duration::from_secs(75))),
            (Phase::Serving, None),
        ] {
            assert_eq!(
                State { phase, since }.deadline(limits),
                deadline,
                "{phase:?}"
            );
        }
    }

    #[test]
    fn bytes_start_a_request_only_on_an_idle_connection() {
        let conn = Conn::new();
        let opened = conn.state();
        assert_eq!(opened.phase, Phase::Head);
        // More header bytes do not restart the header clock.
        conn.bytes_arrived();
        assert_eq!(conn.state(), opened);
        conn.enter(Phase::Serving);
        conn.bytes_arrived();
        assert_eq!(conn.state().phase, Phase::Serving);
        conn.enter(Phase::Idle);
        conn.bytes_arrived();
        assert_eq!(conn.state().phase, Phase::Head);
    }
}

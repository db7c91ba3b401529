//! What the dispatcher is given besides the handlers: the long-polling
//! listener that skips updates teloxide cannot read ([`Readable`]; the
//! webhook's listener uses [`readable`] too), the deleting of a webhook
//! that would refuse it, and the two error handlers that log a failed poll
//! and a failed answer in one line each.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::stream::{BoxStream, StreamExt};
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};
use teloxide::{ApiError, RequestError};

use super::admission::Admission;
use super::error::BotError;
use super::logging;
use super::send;
use crate::config::BotConfig;

/// Long polling, less the updates teloxide cannot read: kinds newer than
/// it, or known kinds it fails to parse. Its dispatcher would log each as a
/// multi-line error asking for a bug report; this logs one line and skips
/// it. Polling has already moved its offset past the update, so it is
/// neither lost to the updates around it nor fetched again. Less, too, the
/// updates [`Admission`] drops: a flooding chat's past its budget, and
/// everything once stopping (their offset is confirmed all the same, by
/// the poll polling makes as it stops).
pub(super) struct Readable(pub(super) Polling<Bot>, pub(super) Admission);

impl UpdateListener for Readable {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.0.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.0.hint_allowed_updates(hint);
    }
}

impl<'a> AsUpdateStream<'a> for Readable {
    type StreamErr = RequestError;
    type Stream = BoxStream<'a, Result<Update, RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let admission = self.1.clone();
        self.0
            .as_stream()
            .filter(move |update| {
                std::future::ready(
                    update
                        .as_ref()
                        .map_or(true, |u| readable(u) && admission.admit(u)),
                )
            })
            .boxed()
    }
}

/// Whether the dispatcher should see `update`; logs the ones it should not.
pub(super) fn readable(update: &Update) -> bool {
    let Update {
        id,
        kind: UpdateKind::Error(raw),
    } = update
    else {
        return true;
    };
    let kind = raw
        .as_object()
        .and_then(|fields| fields.keys().find(|k| *k != "update_id"))
        .map_or("?", String::as_str);
    tracing::warn!(
        update = id.0,
        kind,
        "skipped an update this bot cannot read"
    );
    false
}

/// Logs a failed getUpdates in one line, with the pause before the next
/// poll (teloxide's own line for it is quieted, see [`logging::QUIET`]);
/// when the poll was refused because a webhook is set, deletes it.
pub(super) struct PollErrors {
    /// The last pause the backoff strategy chose.
    pub(super) pause_ms: Arc<AtomicU64>,
    pub(super) bot: Bot,
    pub(super) config: Arc<BotConfig>,
}

/// Whether `error` is getUpdates refused because a webhook is set (409).
/// teloxide knows the refusal only by a shorter wording than Telegram's,
/// so Telegram's own is read as well.
pub(super) fn webhook_active(error: &RequestError) -> bool {
    match error {
        RequestError::Api(ApiError::CantGetUpdates) => true,
        RequestError::Api(ApiError::Unknown(description)) => {
            description.contains("can't use getUpdates method while webhook is active")
        }
        _ => false,
    }
}

impl ErrorHandler<RequestError> for PollErrors {
    fn handle_error(
        self: Arc<Self>,
        error: RequestError,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        // Polling waits what a 429 says, else what the backoff chose just now.
        let pause = match &error {
            RequestError::RetryAfter(after) => after.duration(),
            _ => Duration::from_millis(self.pause_ms.load(Ordering::Relaxed)),
        };
        tracing::warn!(
            error = %logging::error_line(&error),
            retry_in_ms = pause.as_millis() as u64,
            "could not get updates"
        );
        if !webhook_active(&error) {
            return Box::pin(async {});
        }
        // The dispatcher awaits this before it polls again.
        Box::pin(async move { delete_webhook(&self.bot, &self.config).await })
    }
}

/// Deletes the webhook, if any, so that getUpdates is not refused;
/// retried like any request. Updates Telegram holds are kept. On a final
/// failure polling starts anyway: each poll refused because a webhook is
/// set deletes it again ([`PollErrors`]).
pub(super) async fn delete_webhook(bot: &Bot, config: &BotConfig) {
    match send::retrying(config, || bot.delete_webhook().send()).await {
        Ok(_) => tracing::debug!("webhook deleted, if there was one: polling"),
        Err(e) => tracing::warn!(
            error = %logging::error_line(&e),
            "could not delete the webhook; polling is refused while one is set"
        ),
    }
}

/// Logs a failed answer through tracing, in one line (the dispatcher's
/// default uses `log` and Debug formatting).
pub(super) struct LogErrors;

impl ErrorHandler<BotError> for LogErrors {
    fn handle_error(
        self: Arc<Self>,
        error: BotError,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        tracing::warn!(error = %logging::error_line(&error), "could not answer an update");
        Box::pin(async {})
    }
}

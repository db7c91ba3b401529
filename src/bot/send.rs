//! Sending replies: HTML parse mode, split to Telegram's length limit, the
//! keyboard under the last part, and retries. Sends go through the
//! [`Throttle`](teloxide::adaptors::Throttle) adaptor, which paces them and
//! waits out a 429 itself; what it does not cover (network errors, and a 429
//! on edits or callback answers, which it does not queue) is retried here
//! with a doubling backoff.

use std::future::Future;
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{Chat, ChatId, InlineKeyboardMarkup, MessageId, ParseMode, ReplyParameters};

use super::TgBot;
use super::html::{self, MESSAGE_LIMIT};
use crate::answer::Reply;
use crate::config::BotConfig;

/// The wait before retry number `attempt` (0-based) after a network error.
pub fn backoff(config: &BotConfig, attempt: u32) -> Duration {
    let ms = config
        .retry_first_ms
        .saturating_mul(1u64 << attempt.min(20))
        .min(config.retry_max_ms);
    Duration::from_millis(ms)
}

/// Runs `request` until it succeeds, retrying network errors and 429s up to
/// `send_retries` times. A network error can hide a request that did reach
/// Telegram, so a retry may rarely duplicate a message; a lost answer is the
/// worse failure for a bot whose whole job is answering.
pub async fn retrying<T, F, Fut>(config: &BotConfig, mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        let wait = match request().await {
            Err(RequestError::RetryAfter(after)) if attempt < config.send_retries => {
                after.duration()
            }
            Err(RequestError::Network(e)) if attempt < config.send_retries => {
                let wait = backoff(config, attempt);
                tracing::warn!(
                    error = %super::logging::one_line(&*e),
                    retry_in_ms = wait.as_millis() as u64,
                    "network error, retrying"
                );
                wait
            }
            other => return other,
        };
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// Where a reply goes.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub chat: ChatId,
    /// In groups, the message answered, so threads stay readable.
    pub reply_to: Option<MessageId>,
}

impl Target {
    /// A reply to `message` in `chat`: threaded in groups, where several
    /// people ask at once; plain in a private chat, where it is obvious.
    pub fn answering(chat: &Chat, message: MessageId) -> Target {
        Target {
            chat: chat.id,
            reply_to: (!chat.is_private()).then_some(message),
        }
    }
}

/// The messages `reply` takes: its HTML, split to Telegram's length limit.
pub fn messages(reply: &Reply) -> Vec<String> {
    html::pack(&reply.html_blocks(), MESSAGE_LIMIT)
}

/// Sends `reply` as one message or, when too long, several; the keyboard
/// goes under the last.
pub async fn reply(
    bot: &TgBot,
    config: &BotConfig,
    target: Target,
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError> {
    let parts = messages(reply);
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.into_iter().enumerate() {
        let mut request = bot
            .send_message(target.chat, part)
            .parse_mode(ParseMode::Html);
        if let (0, Some(id)) = (i, target.reply_to) {
            request =
                request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
        }
        if let (true, Some(kb)) = (i == last, &keyboard) {
            request = request.reply_markup(kb.clone());
        }
        retrying(config, || request.send_ref()).await?;
    }
    Ok(())
}

/// Replaces a message's text and keyboard with `reply`, when it fits in one
/// message; otherwise sends it anew (a message cannot be edited into two).
pub async fn edit_or_send(
    bot: &TgBot,
    config: &BotConfig,
    chat: ChatId,
    message: MessageId,
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError> {
    let parts = messages(reply);
    let [text] = parts.as_slice() else {
        let target = Target {
            chat,
            reply_to: None,
        };
        return self::reply(bot, config, target, reply, keyboard).await;
    };
    let mut request = bot
        .edit_message_text(chat, message, text)
        .parse_mode(ParseMode::Html);
    if let Some(kb) = keyboard {
        request = request.reply_markup(kb);
    }
    match retrying(config, || request.send_ref()).await {
        // Pressing the button of the step already shown: nothing to change.
        Err(RequestError::Api(ApiError::MessageNotModified)) | Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

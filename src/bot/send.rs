//! Sending replies: HTML parse mode, split to Telegram's length limit, the
//! keyboard under the last part, and retries. sendMessage goes through the
//! [`Telegram`] handle, which paces it to the flood limits when
//! `[bot] throttle` is on. Every retry is here, with one log line each: a
//! 429 waits what Telegram asked, a network error or a malformed answer a
//! doubling backoff; a refusal (`ok:false`) is final, except "the group is
//! now a supergroup", answered in the supergroup.

use std::future::Future;
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    Chat, ChatId, ForceReply, InlineKeyboardMarkup, MessageId, ParseMode, ReplyMarkup,
    ReplyParameters, ThreadId,
};

use super::Telegram;
use super::html::{self, MESSAGE_LIMIT};
use super::logging::error_line;
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

/// Whether `error` may go away if the request is sent again, and if so
/// after how long (for retry number `attempt`, 0-based) and what to call it
/// in the log.
pub(super) fn transient(
    config: &BotConfig,
    error: &RequestError,
    attempt: u32,
) -> Option<(Duration, &'static str)> {
    match error {
        RequestError::RetryAfter(after) => Some((after.duration(), "flood limit (429), retrying")),
        RequestError::Network(_) => Some((backoff(config, attempt), "network error, retrying")),
        // Not the Bot API's JSON: a proxy's or gateway's error page, or a
        // body cut short. Whoever sent it most likely did not pass the
        // request on.
        RequestError::InvalidJson { .. } => {
            Some((backoff(config, attempt), "malformed answer, retrying"))
        }
        // Telegram's own 5xx in JSON (teloxide has already waited 10 s).
        RequestError::Api(ApiError::Unknown(description)) if server_error(description) => {
            Some((backoff(config, attempt), "server error, retrying"))
        }
        _ => None,
    }
}

/// Whether an `ok:false` description is one of a server's 5xx, not a refusal.
fn server_error(description: &str) -> bool {
    [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ]
    .iter()
    .any(|s| description.starts_with(s))
}

/// Runs `request` until it succeeds, retrying 429s, network errors and
/// malformed answers up to `send_retries` times, each logged in one line. A
/// network error or a garbled answer can hide a request that did reach
/// Telegram, so a retry may rarely duplicate a message; a lost answer is
/// the worse failure for a bot whose whole job is answering.
pub async fn retrying<T, F, Fut>(config: &BotConfig, mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        let error = match request().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let Some((wait, what)) =
            transient(config, &error, attempt).filter(|_| attempt < config.send_retries)
        else {
            return Err(error);
        };
        tracing::warn!(
            error = %error_line(&error),
            retry_in_ms = wait.as_millis() as u64,
            attempt = attempt + 1,
            "{what}"
        );
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
    /// The forum topic the question was asked in: every part of the answer
    /// goes there (a message without one lands in the General topic).
    pub thread: Option<ThreadId>,
}

impl Target {
    /// A reply to `message` in `chat`: threaded in groups, where several
    /// people ask at once; plain in a private chat, where it is obvious.
    pub fn answering(chat: &Chat, message: MessageId) -> Target {
        Target {
            chat: chat.id,
            reply_to: (!chat.is_private()).then_some(message),
            thread: None,
        }
    }

    /// [`Target::answering`] `message`, in its forum topic when it is in
    /// one. (Outside forums `message_thread_id` names a reply thread, which
    /// sendMessage does not take.)
    pub fn answering_message(message: &Message) -> Target {
        Target {
            thread: message.thread_id.filter(|_| message.is_topic_message),
            ..Target::answering(&message.chat, message.id)
        }
    }

    /// A message in `chat` that replies to nothing, outside any topic.
    pub fn chat(chat: ChatId) -> Target {
        Target {
            chat,
            reply_to: None,
            thread: None,
        }
    }
}

/// The messages `reply` takes: its HTML, split to Telegram's length limit.
pub fn messages(reply: &Reply) -> Vec<String> {
    html::pack(&reply.html_blocks(), MESSAGE_LIMIT)
}

/// Sends `reply` as one message or, when too long, several, each replying
/// where the first does and in its topic; the keyboard goes under the last.
/// Returns the messages sent.
pub async fn reply(
    tg: &Telegram,
    config: &BotConfig,
    target: Target,
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<Vec<MessageId>, RequestError> {
    let parts = messages(reply);
    let last = parts.len().saturating_sub(1);
    let mut target = target;
    let mut sent = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        let keyboard = if i == last { keyboard.clone() } else { None };
        let id = match tg.send_html(config, target, &part, keyboard.clone()).await {
            Ok(id) => id,
            // The group became a supergroup (a new chat id) since the
            // question: answer there. The question is not in that chat, so
            // the answer cannot quote it.
            Err(RequestError::MigrateToChatId(to)) if to != target.chat => {
                tracing::info!("the group is now a supergroup; answering there");
                target = Target::chat(to);
                tg.send_html(config, target, &part, keyboard).await?
            }
            Err(e) => return Err(e),
        };
        sent.push(id);
    }
    Ok(sent)
}

/// Sends `reply`, a line of the bot's own, with a ForceReply `prompt`:
/// the asker's app opens a reply to it, and that reply reaches the bot
/// even in a group with privacy mode on.
pub async fn prompt(
    tg: &Telegram,
    config: &BotConfig,
    target: Target,
    reply: &Reply,
    prompt: ForceReply,
) -> Result<Vec<MessageId>, RequestError> {
    // A prompt is one line, far below the limit: one message.
    let text = messages(reply).concat();
    let id = tg.send_html(config, target, &text, Some(prompt)).await?;
    Ok(vec![id])
}

impl Telegram {
    /// One HTML message, paced when throttling is on, retried by [`retrying`].
    async fn send_html(
        &self,
        config: &BotConfig,
        target: Target,
        text: &str,
        keyboard: Option<impl Into<ReplyMarkup>>,
    ) -> Result<MessageId, RequestError> {
        let mut request = self
            .bot()
            .send_message(target.chat, text)
            .parse_mode(ParseMode::Html);
        if let Some(id) = target.reply_to {
            request =
                request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
        }
        if let Some(thread) = target.thread {
            request = request.message_thread_id(thread);
        }
        if let Some(kb) = keyboard {
            request = request.reply_markup(kb);
        }
        let sent = match self.throttle() {
            Some(throttle) => {
                // A group has one message at a time in the pacer (`turns`).
                let _turn = match target.chat.0 < 0 {
                    true => Some(self.turns().take(target.chat.0).await),
                    false => None,
                };
                self.group_turn(target.chat).await;
                let mut paced = throttle.send_message(target.chat, "");
                *paced.payload_mut() = request.payload_ref().clone();
                retrying(config, || paced.send_ref()).await?
            }
            None => retrying(config, || request.send_ref()).await?,
        };
        Ok(sent.id)
    }
}

/// Replaces message `message`'s text and keyboard with `text`; `false`
/// when the message can no longer be edited (deleted, or too old).
async fn edit(
    tg: &Telegram,
    config: &BotConfig,
    chat: ChatId,
    message: MessageId,
    text: &str,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<bool, RequestError> {
    let mut request = tg
        .bot()
        .edit_message_text(chat, message, text)
        .parse_mode(ParseMode::Html);
    if let Some(kb) = keyboard {
        request = request.reply_markup(kb);
    }
    match retrying(config, || request.send_ref()).await {
        // The same text and keyboard again (the step already shown, a
        // question edited into one with the same answer): nothing to change.
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(true),
        Err(RequestError::Api(ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited)) => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Replaces a message's text and keyboard with `reply`, when it fits in one
/// message; otherwise, or when the message can no longer be edited, sends
/// it anew in the message's chat and topic (a message cannot be edited into
/// two).
pub async fn edit_or_send(
    tg: &Telegram,
    config: &BotConfig,
    shown: &Message,
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError> {
    if let [text] = messages(reply).as_slice()
        && edit(tg, config, shown.chat.id, shown.id, text, keyboard.clone()).await?
    {
        return Ok(());
    }
    let target = Target {
        reply_to: None,
        ..Target::answering_message(shown)
    };
    self::reply(tg, config, target, reply, keyboard).await?;
    Ok(())
}

/// Puts `reply` in place of the messages `earlier` that answered a question
/// since edited: edits them part by part, sends the parts it has more of
/// (to `target`, as [`reply`] would), and deletes the earlier parts left
/// over. A part that can no longer be edited is sent anew. Returns the
/// messages that now hold the answer, in order.
pub async fn replace(
    tg: &Telegram,
    config: &BotConfig,
    target: Target,
    earlier: &[MessageId],
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<Vec<MessageId>, RequestError> {
    let parts = messages(reply);
    let last = parts.len().saturating_sub(1);
    let mut now = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let keyboard = if i == last { keyboard.clone() } else { None };
        let edited = match earlier.get(i) {
            Some(&id) => edit(tg, config, target.chat, id, part, keyboard.clone())
                .await?
                .then_some(id),
            None => None,
        };
        let id = match edited {
            Some(id) => id,
            None => tg.send_html(config, target, part, keyboard).await?,
        };
        now.push(id);
    }
    for &id in earlier.iter().skip(parts.len()) {
        let request = tg.bot().delete_message(target.chat, id);
        // A part left over is clutter, not a wrong answer: the edited parts
        // above it already say the new one.
        if let Err(error) = retrying(config, || request.send_ref()).await {
            tracing::warn!(error = %error_line(&error), "could not delete an earlier answer's extra part");
        }
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use teloxide::types::Seconds;

    use super::*;

    #[test]
    fn what_is_retried_and_after_how_long() {
        let config = BotConfig {
            retry_first_ms: 20,
            retry_max_ms: 100,
            ..BotConfig::default()
        };
        let wait = |e: RequestError, attempt| transient(&config, &e, attempt).map(|(d, _)| d);
        let ms = Duration::from_millis;
        assert_eq!(
            wait(RequestError::RetryAfter(Seconds::from_seconds(3)), 0),
            Some(Duration::from_secs(3))
        );
        let invalid = || RequestError::InvalidJson {
            source: Arc::new(serde_json::from_str::<serde_json::Value>("{").unwrap_err()),
            raw: "<html>502 Bad Gateway</html>".into(),
        };
        assert_eq!(wait(invalid(), 0), Some(ms(20)));
        assert_eq!(wait(invalid(), 2), Some(ms(80)));
        assert_eq!(wait(invalid(), 3), Some(ms(100)), "capped at retry_max_ms");
        let api = |d: &str| RequestError::Api(ApiError::Unknown(d.into()));
        assert_eq!(wait(api("Internal Server Error"), 0), Some(ms(20)));
        assert_eq!(wait(api("Bad Gateway"), 1), Some(ms(40)));
        // Refusals are final: sending again would be refused again.
        assert_eq!(wait(RequestError::Api(ApiError::BotBlocked), 0), None);
        assert_eq!(wait(api("Bad Request: chat not found"), 0), None);
        assert_eq!(wait(RequestError::MigrateToChatId(ChatId(-1)), 0), None);
    }
}

//! The Telegram front end (`qabot run`), and the only module that knows
//! teloxide. It long-polls the Bot API (or, with `[bot.webhook]`, receives
//! updates on its own HTTP server, see [`webhook`]) and puts the core in front of
//! Telegram users: questions go to the [`Matcher`](crate::matcher::Matcher),
//! replies come from the one [`Renderer`](crate::answer::Renderer), sent as
//! HTML.
//!
//! This file holds the handler tree ([`schema`]) and the update kinds it
//! answers ([`allowed_updates`]); the rest is one concern a file:
//!
//! - `client`: the [`Telegram`] client ([`bot`]), built from the token, API
//!   URL and proxy in the environment, each checked before anything is
//!   sent; sendMessage is paced to the flood limits when `[bot] throttle`
//!   is on, the rest goes out plain. `pace`: those limits, Telegram's
//!   figures, and the basic groups' minute teloxide cannot tell apart.
//! - `live`: [`Live`], the knowledge base and matcher the handlers answer
//!   with. It is built with where reloads read from ([`Reload`]), and
//!   replaces the pair on SIGHUP and on `/reload` from a user in
//!   `[bot] admins`, keeping the old pair when the new one does not load.
//! - `error`: [`BotError`] (a failed answer) and [`StartError`] (why the bot
//!   could not start, and whether the user can fix it).
//! - `service`: the lifecycle, which tests drive against a fake Bot API:
//!   [`start`] (or [`connect`] then [`Connected::serve`]) checks the token
//!   with getMe, registers the commands, sets the webhook and builds the
//!   dispatcher; [`Service::run`] answers until shut down.
//! - `profile`: what Telegram shows of the bot before anyone asks — the
//!   command menus by kind of chat and language, and the descriptions —
//!   registered by [`Connected::serve`].
//! - `polling`: the long-polling listener that skips updates teloxide
//!   cannot read, and the error handlers that log a failed poll or answer
//!   in one line.
//! - `admission`: between the listener (polling or webhook) and the
//!   dispatcher, each chat's budget of waiting updates
//!   (`max_waiting_per_chat`): a chat that floods the bot has the rest
//!   dropped unread, so one chat's backlog costs a few answers' worth. It
//!   keeps the lanes: a chat's updates (a group member's, in a group) are
//!   answered in order, lanes side by side. At a stop it drops what is not
//!   yet being answered. `lanes`: the dispatcher takes in every update at
//!   once, and each is answered in a task of its own. `crowd`: in a group,
//!   one answer per entry within a minute, a reaction for the others who
//!   asked it. `turns`: with pacing on, one message at a time per group in
//!   the pacer, so one busy group cannot fill it for everyone.
//! - `run`: [`run`], the binary's `qabot run`: environment, logging, the
//!   runtime, and the question log, opened only once getMe has succeeded
//!   so that a bot that cannot start writes nothing. `signals`: SIGINT and
//!   SIGTERM stop within `stop_deadline_ms` (a second one at once), SIGHUP
//!   reloads.
//! - The endpoints (in `handlers`) get their state — [`Live`], the `[bot]`
//!   config, the client, the question log and the bot's own `Me` — from
//!   the dispatcher's dependencies. `commands` decides, without I/O, what a
//!   message asks for; `answered` remembers, within a bound, which
//!   messages answered which question, so an edited question edits its
//!   answer; `callback` holds the inline keyboards and their
//!   self-contained button data; `texts` the bot's own words; `send` and
//!   [`html`] the sending, splitting and retrying; [`logging`] the
//!   token-safe logs.
//! - `talk`: conversations. Each question is answered with its
//!   conversation's context ([`crate::conversation`]): one per private
//!   chat, one per person in a group, kept in the [`Talk`] dependency
//!   (built once at start-up, with the clock contexts expire by) and
//!   loaded before the answer, saved after. A reply to one of the bot's
//!   messages carries that message's entry, read from its buttons or its
//!   heading, so it needs no store.
//! - Each question, "did you mean" pick and 👍 / 👎 vote is handed to the
//!   [`QuestionLog`](crate::question_log::QuestionLog) (a dependency like
//!   the others), which queues it without waiting; admins' `/stats` reads
//!   it back.
//! - Failures of the Bot API are survived, not propagated: a failed poll is
//!   logged in one line and polling goes on (teloxide keeps the offset), an
//!   update teloxide cannot parse is skipped in one line, a failed reply is
//!   retried by `send` and, when final, logged in one line
//!   (docs/RELIABILITY.md, "Faults").

mod admission;
mod answered;
mod callback;
mod client;
mod commands;
mod crowd;
mod error;
mod handlers;
pub mod html;
mod lanes;
mod live;
pub mod logging;
mod pace;
mod polling;
mod profile;
mod run;
mod send;
mod service;
mod signals;
mod talk;
mod texts;
mod turns;
pub mod webhook;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;

pub use answered::Answered;
pub use client::{
    API_URL_VAR, PROXY_VAR, TELEGRAM_API_URL, TOKEN_VAR, Telegram, bot, token_from_env,
    webhook_secret_from_env,
};
pub use crowd::Crowd;
pub use error::{BotError, HandlerResult, ReloadError, StartError};
pub use live::{Live, Reload, Reloaded};
pub use run::run;
pub use service::{Connected, Service, Stop, connect, start, start_with};
pub use talk::{Clock, ManualClock, Talk};
pub use webhook::SECRET_VAR;

/// One branch of the handler tree.
type Branch = fn() -> UpdateHandler<BotError>;

/// Each kind of update the bot answers, with its branch: the one list that
/// both the handler tree ([`schema`]) and the `allowed_updates` sent with
/// setWebhook ([`allowed_updates`]) are built from. (Polling's getUpdates
/// asks for what teloxide reads off the tree.) A test checks that each
/// branch handles the kind beside it.
const ANSWERED: [(AllowedUpdate, Branch); 6] = [
    (AllowedUpdate::Message, || {
        Update::filter_message().endpoint(handlers::message)
    }),
    (AllowedUpdate::EditedMessage, || {
        Update::filter_edited_message().endpoint(handlers::message)
    }),
    (AllowedUpdate::CallbackQuery, || {
        Update::filter_callback_query().endpoint(handlers::callback)
    }),
    (AllowedUpdate::InlineQuery, || {
        Update::filter_inline_query().endpoint(handlers::inline)
    }),
    (AllowedUpdate::ChosenInlineResult, || {
        Update::filter_chosen_inline_result().endpoint(handlers::chosen_inline_result)
    }),
    (AllowedUpdate::MyChatMember, || {
        Update::filter_my_chat_member().endpoint(handlers::my_chat_member)
    }),
];

/// The handler tree: one endpoint per kind of update the bot answers.
pub fn schema() -> UpdateHandler<BotError> {
    ANSWERED
        .iter()
        .fold(dptree::entry(), |tree, (_, branch)| tree.branch(branch()))
}

/// The kinds of update [`schema`] answers, in its order: what Telegram is
/// asked to send.
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    ANSWERED.iter().map(|(kind, _)| *kind).collect()
}

//! What Telegram shows of the bot before anyone asks, set at start-up: the
//! command menus, one per kind of chat (groups lead with /ask, private
//! chats with /start), and the description an empty chat shows and the
//! short one on the bot's profile, each in English and in Korean. A
//! failure only costs the menu or the words, so it is logged, never fatal.

use std::future::Future;

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope};

use super::send;
use super::texts::{self, Menu};
use crate::config::BotConfig;
use crate::knowledge::KnowledgeBase;
use crate::matcher::Lang;

/// The languages the bot speaks, each with the `language_code` it is set
/// under: English for everyone without a list of their own, Korean for
/// users whose app is in Korean.
const LANGUAGES: [(Lang, Option<&str>); 2] = [(Lang::En, None), (Lang::Ko, Some("ko"))];

/// Each command scope registered, with its menu. The default scope covers
/// any chat the other two do not, and older apps.
fn scopes() -> [(BotCommandScope, Menu); 3] {
    [
        (BotCommandScope::Default, Menu::Private),
        (BotCommandScope::AllPrivateChats, Menu::Private),
        (BotCommandScope::AllGroupChats, Menu::Groups),
    ]
}

/// Registers the command menus and the descriptions for `kb`.
pub(super) async fn register(bot: &Bot, config: &BotConfig, kb: &KnowledgeBase) {
    register_commands(bot, config, kb.step_count()).await;
    describe(bot, config, kb).await;
}

/// `setMyCommands` for each scope and language, for a knowledge base of
/// `steps` steps.
async fn register_commands(bot: &Bot, config: &BotConfig, steps: u8) {
    for (scope, menu) in scopes() {
        for (lang, code) in LANGUAGES {
            let commands: Vec<BotCommand> = texts::command_list(lang, steps, menu)
                .iter()
                .map(|(name, about)| BotCommand::new(*name, about))
                .collect();
            let mut request = bot.set_my_commands(commands).scope(scope.clone());
            if let Some(code) = code {
                request = request.language_code(code);
            }
            if let Err(e) = send::retrying(config, || request.send_ref()).await {
                tracing::warn!(error = %e, ?lang, ?menu, "could not register the bot's commands");
            }
        }
    }
}

/// The description and short description in each language, each set only
/// when it differs from what Telegram has: a restart changes nothing, and
/// each set counts against a limit Telegram keeps on profile changes.
async fn describe(bot: &Bot, config: &BotConfig, kb: &KnowledgeBase) {
    for (lang, code) in LANGUAGES {
        let wanted = texts::description(kb, lang);
        let mut get = bot.get_my_description();
        let mut set = bot.set_my_description().description(wanted.clone());
        if let Some(code) = code {
            get = get.language_code(code);
            set = set.language_code(code);
        }
        let now = send::retrying(config, || get.send_ref()).await;
        let now = now.map(|d| d.description);
        update(config, "description", lang, &wanted, now, || set.send_ref()).await;

        let wanted = texts::short_description(kb, lang);
        let mut get = bot.get_my_short_description();
        let mut set = bot
            .set_my_short_description()
            .short_description(wanted.clone());
        if let Some(code) = code {
            get = get.language_code(code);
            set = set.language_code(code);
        }
        let now = send::retrying(config, || get.send_ref()).await;
        let now = now.map(|d| d.short_description);
        update(config, "short description", lang, &wanted, now, || {
            set.send_ref()
        })
        .await;
    }
}

/// Sends `set` unless `now`, what Telegram has, is `wanted` already; when
/// `now` could not be read, sends it anyway.
async fn update<T, F, Fut>(
    config: &BotConfig,
    what: &str,
    lang: Lang,
    wanted: &str,
    now: Result<String, RequestError>,
    set: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    if now.is_ok_and(|now| now == wanted) {
        return;
    }
    if let Err(e) = send::retrying(config, set).await {
        tracing::warn!(error = %e, ?lang, "could not set the bot's {what}");
    }
}

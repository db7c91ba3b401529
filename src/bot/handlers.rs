//! The endpoints of the handler tree. Each gathers the facts of its update,
//! asks the pure core (routing, matcher, renderer) what to say, sends it,
//! and logs one event for the update.

use std::sync::Arc;
use std::time::Instant;

use teloxide::prelude::*;
use teloxide::types::{
    Chat, ChatMemberUpdated, ChatType, InlineKeyboardMarkup, InlineQueryResult,
    InlineQueryResultArticle, InputMessageContent, InputMessageContentText, Me, MessageKind,
    ParseMode, UpdateKind,
};

use super::callback::{self, Action};
use super::commands::{self, Incoming, Intent, StartPayload};
use super::send::{self, Target, retrying};
use super::{HandlerResult, Live, Telegram, texts};
use crate::answer::{Renderer, Reply};
use crate::config::BotConfig;
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Decision, Lang, Matcher};

/// At most this many inline results: Telegram shows few, and the best few
/// are what a user picks from.
const MAX_INLINE_RESULTS: usize = 5;

/// What to send, and what to log about it.
struct Response {
    reply: Reply,
    keyboard: Option<InlineKeyboardMarkup>,
    decision: &'static str,
    entry: Option<String>,
    score: Option<f32>,
}

impl Response {
    fn plain(reply: Reply, decision: &'static str) -> Self {
        Response {
            reply,
            keyboard: None,
            decision,
            entry: None,
            score: None,
        }
    }
}

/// One structured event per answered update: what operators graph and alert on.
fn log_answered(
    update: &str,
    chat: &str,
    decision: &str,
    entry: Option<&str>,
    score: Option<f32>,
    started: Instant,
) {
    tracing::info!(
        update,
        chat,
        decision,
        entry,
        score = score.map(|s| (f64::from(s) * 1000.0).round() / 1000.0),
        micros = started.elapsed().as_micros() as u64,
        "answered"
    );
}

fn chat_kind(chat: &Chat) -> &'static str {
    if chat.is_private() {
        "private"
    } else if chat.is_group() {
        "group"
    } else if chat.is_supergroup() {
        "supergroup"
    } else {
        "channel"
    }
}

fn username(me: &Me) -> &str {
    // getMe always names a bot; an empty name only means no mention matches.
    me.user.username.as_deref().unwrap_or("")
}

fn user_lang(user: Option<&teloxide::types::User>) -> Lang {
    Lang::from_code(user.and_then(|u| u.language_code.as_deref()))
}

/// A text message, a captioned photo, or an edited message (answered anew).
pub async fn message(
    tg: Telegram,
    msg: Message,
    update: Update,
    me: Me,
    live: Live,
    config: Arc<BotConfig>,
) -> HandlerResult {
    let started = Instant::now();
    // One knowledge base for the whole update, even if a reload lands meanwhile.
    let (kb, matcher) = live.current();
    let incoming = Incoming {
        private: msg.chat.is_private(),
        text: msg.text().or(msg.caption()),
        from_bot: msg.from.as_ref().is_some_and(|u| u.is_bot),
        // A dice is something a person sent, and so, most likely, is a message
        // teloxide could not parse (`Empty`); every other kind is a service message.
        service: !matches!(
            msg.kind,
            MessageKind::Common(_) | MessageKind::Dice(_) | MessageKind::Empty {}
        ),
        reply_to_me: msg
            .reply_to_message()
            .and_then(|r| r.from.as_ref())
            .is_some_and(|u| u.id == me.id),
        me: username(&me),
        admin: msg
            .from
            .as_ref()
            .is_some_and(|u| config.admins.contains(&u.id.0)),
    };
    let intent = commands::route(incoming);
    let lang = user_lang(msg.from.as_ref());
    let response = match intent {
        Intent::Reload => {
            let outcome = live.reload("/reload").await;
            Some(Response::plain(texts::reloaded(&outcome), "reload"))
        }
        _ => respond(&intent, lang, &kb, &matcher, username(&me)),
    };
    let Some(response) = response else {
        tracing::debug!(
            update = update.id.0,
            chat = chat_kind(&msg.chat),
            ?intent,
            "ignored"
        );
        return Ok(());
    };
    let target = Target::answering(&msg.chat, msg.id);
    send::reply(&tg, &config, target, &response.reply, response.keyboard).await?;
    let kind = match update.kind {
        UpdateKind::EditedMessage(_) => "edited_message",
        _ => "message",
    };
    log_answered(
        kind,
        chat_kind(&msg.chat),
        response.decision,
        response.entry.as_deref(),
        response.score,
        started,
    );
    Ok(())
}

/// What to say for `intent`; `None` when the message is not for the bot.
fn respond(
    intent: &Intent,
    lang: Lang,
    kb: &KnowledgeBase,
    matcher: &Matcher,
    me: &str,
) -> Option<Response> {
    let step = |n: u8| {
        kb.step(n).map(|entry| Response {
            reply: Renderer::new(kb).entry(entry, lang),
            keyboard: callback::navigation(kb, n, lang),
            decision: "command",
            entry: Some(entry.id.clone()),
            score: None,
        })
    };
    // The step buttons under a reply of the bot's own.
    let with_steps = |reply: Reply, decision: &'static str| Response {
        keyboard: callback::steps(kb, lang),
        ..Response::plain(reply, decision)
    };
    let greeting = || with_steps(texts::greeting(kb, lang), "command");
    let step_usage = || with_steps(texts::step_usage(kb, lang), "usage");
    let response = match intent {
        // Reloading is awaited, so `message` answers it, not this.
        Intent::Ignore(_) | Intent::Reload => return None,
        Intent::Question(question) => answer(question, kb, matcher),
        // A deep link to a step the column does not have opens like /start.
        Intent::Start(StartPayload::Step(n)) => step(*n).unwrap_or_else(greeting),
        Intent::Start(StartPayload::None) => greeting(),
        Intent::Start(StartPayload::Steps) | Intent::Steps => {
            with_steps(texts::steps(kb, lang), "command")
        }
        Intent::Help => Response::plain(texts::help(kb, lang, me), "command"),
        Intent::Step(n) => n.and_then(step).unwrap_or_else(step_usage),
        Intent::Source => Response::plain(texts::source(kb, lang), "command"),
        Intent::AskUsage => Response::plain(texts::ask_usage(lang, me), "usage"),
        Intent::NotText => Response::plain(texts::send_text_hint(lang), "hint"),
        Intent::UnknownCommand => Response::plain(texts::unknown_command(lang), "hint"),
    };
    Some(response)
}

/// The matcher's decision on a question, rendered, with its buttons.
fn answer(question: &str, kb: &KnowledgeBase, matcher: &Matcher) -> Response {
    let outcome = matcher.decide(question);
    let keyboard = match (outcome.decision, outcome.best) {
        (Decision::Answer, Some(best)) => {
            callback::for_entry(kb, &kb.entries[best.entry], outcome.lang)
        }
        (Decision::Suggest, _) => callback::suggestions(
            kb,
            outcome.suggestions.iter().map(|c| c.entry),
            outcome.lang,
        ),
        _ => None,
    };
    Response {
        reply: Renderer::new(kb).outcome(&outcome),
        keyboard,
        decision: outcome.decision.as_str(),
        entry: outcome.best.map(|b| kb.entries[b.entry].id.clone()),
        score: match outcome.decision {
            Decision::Smalltalk => None,
            _ => outcome.best.map(|b| b.score),
        },
    }
}

/// A button press. Always answered, so the client stops its spinner, even
/// when the data is stale or forged (then with a notice, and nothing else).
pub async fn callback(
    tg: Telegram,
    q: CallbackQuery,
    live: Live,
    config: Arc<BotConfig>,
) -> HandlerResult {
    let started = Instant::now();
    let (kb, _) = live.current();
    let action = q.data.as_deref().and_then(|d| Action::decode(d, &kb));
    let shown = q.message.as_ref();
    let notice = match (&action, shown) {
        (None, _) => Some(texts::stale_button(user_lang(Some(&q.from)))),
        // Buttons under an inline-mode message: the bot cannot post there.
        (Some(_), None) => Some(texts::message_gone(user_lang(Some(&q.from)))),
        (Some(_), Some(_)) => None,
    };
    let mut answer = tg.bot().answer_callback_query(q.id.clone());
    if let Some(notice) = notice {
        answer = answer.text(notice);
    }
    retrying(&config, || answer.send_ref()).await?;
    let chat = shown.map_or("inline", |m| chat_kind(m.chat()));
    let (Some(action), Some(shown)) = (action, shown) else {
        log_answered("callback_query", chat, "stale", None, None, started);
        return Ok(());
    };
    let Some((entry, lang)) = action.shows(&kb) else {
        return Ok(());
    };
    let reply = Renderer::new(&kb).entry(entry, lang);
    let keyboard = callback::for_entry(&kb, entry, lang);
    match (&action, shown.regular_message()) {
        (Action::Navigate { .. }, Some(m)) => {
            send::edit_or_send(&tg, &config, m.chat.id, m.id, &reply, keyboard).await?;
        }
        // Other buttons, and one under a message too old to edit: a new message.
        _ => {
            let target = Target::answering(shown.chat(), shown.id());
            send::reply(&tg, &config, target, &reply, keyboard).await?;
        }
    }
    log_answered(
        "callback_query",
        chat,
        "button",
        Some(&entry.id),
        None,
        started,
    );
    Ok(())
}

/// `@bot question` in any chat: the best passages; the steps while the
/// query has nothing to match yet (empty, or only small talk); nothing for a
/// question the bot would decline in a chat.
pub async fn inline(
    tg: Telegram,
    q: InlineQuery,
    live: Live,
    config: Arc<BotConfig>,
) -> HandlerResult {
    let started = Instant::now();
    // One knowledge base for the whole update, even if a reload lands meanwhile.
    let (kb, matcher) = live.current();
    let query = q.query.trim();
    let outcome = (!query.is_empty()).then(|| matcher.decide(query));
    let lang = outcome
        .as_ref()
        .map_or_else(|| user_lang(Some(&q.from)), |o| o.lang);
    let hits: Vec<(usize, Option<f32>)> = match outcome.as_ref().map(|o| o.decision) {
        None | Some(Decision::Smalltalk) => (1..=kb.step_count())
            .filter_map(|n| kb.entries.iter().position(|e| e.step == Some(n)))
            .map(|i| (i, None))
            .collect(),
        Some(Decision::Answer | Decision::Suggest) => {
            let floor = matcher.config().suggest_threshold;
            matcher
                .rank(query)
                .into_iter()
                .filter(|c| c.score >= floor)
                .take(MAX_INLINE_RESULTS)
                .map(|c| (c.entry, Some(c.score)))
                .collect()
        }
        Some(Decision::Decline) => Vec::new(),
    };
    let results: Vec<InlineQueryResult> = hits
        .iter()
        .map(|&(i, _)| article(&kb, i, lang).into())
        .collect();
    let request = tg
        .bot()
        .answer_inline_query(q.id.clone(), results)
        .cache_time(config.inline_cache_secs);
    retrying(&config, || request.send_ref()).await?;
    let best = hits.first();
    log_answered(
        "inline_query",
        inline_chat_kind(q.chat_type.as_ref()),
        outcome.map_or("steps", |o| o.decision.as_str()),
        best.map(|&(i, _)| kb.entries[i].id.as_str()),
        best.and_then(|&(_, s)| s),
        started,
    );
    Ok(())
}

/// The kind of chat an inline query was typed in, when Telegram says.
fn inline_chat_kind(chat: Option<&ChatType>) -> &'static str {
    match chat {
        Some(ChatType::Sender | ChatType::Private) => "private",
        Some(ChatType::Group) => "group",
        Some(ChatType::Supergroup) => "supergroup",
        Some(ChatType::Channel) => "channel",
        None => "inline",
    }
}

/// An inline result: titled with the step (or kind) and title, sending the
/// rendered passage.
fn article(kb: &KnowledgeBase, index: usize, lang: Lang) -> InlineQueryResultArticle {
    let renderer = Renderer::new(kb);
    let entry = &kb.entries[index];
    let reply = renderer.entry(entry, lang);
    // An inline message cannot be split: a passage too long keeps its first part.
    let text = send::messages(&reply)
        .into_iter()
        .next()
        .unwrap_or_default();
    let description: String = entry.passage_text().chars().take(120).collect();
    InlineQueryResultArticle::new(
        entry.id.clone(),
        renderer.short_label(entry, lang),
        InputMessageContent::Text(InputMessageContentText::new(text).parse_mode(ParseMode::Html)),
    )
    .description(description)
}

/// The bot's own membership changed: introduce itself once when added to a
/// group, and nowhere else (a promotion to admin is not a second arrival).
pub async fn my_chat_member(
    tg: Telegram,
    update: ChatMemberUpdated,
    me: Me,
    live: Live,
    config: Arc<BotConfig>,
) -> HandlerResult {
    let started = Instant::now();
    let (kb, _) = live.current();
    let group = update.chat.is_group() || update.chat.is_supergroup();
    let arrived = !update.old_chat_member.is_present() && update.new_chat_member.is_present();
    if !(group && arrived) {
        tracing::debug!(
            chat = chat_kind(&update.chat),
            "membership change, nothing to say"
        );
        return Ok(());
    }
    let lang = user_lang(Some(&update.from));
    let reply = texts::group_intro(&kb, lang, username(&me));
    let target = Target {
        chat: update.chat.id,
        reply_to: None,
    };
    send::reply(&tg, &config, target, &reply, None).await?;
    log_answered(
        "my_chat_member",
        chat_kind(&update.chat),
        "intro",
        None,
        None,
        started,
    );
    Ok(())
}

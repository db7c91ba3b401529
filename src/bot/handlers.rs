//! The endpoints of the handler tree. Each gathers the facts of its update,
//! asks the pure core (routing, matcher, renderer) what to say, records a
//! question (or pick, or vote) in the question log, sends the reply, and
//! logs one event for the update.

use std::sync::Arc;
use std::time::Instant;

use teloxide::prelude::*;
use teloxide::types::{
    Chat, ChatMemberUpdated, ChatType, ChosenInlineResult, ForceReply, InlineKeyboardMarkup,
    InlineQueryResult, InlineQueryResultArticle, InlineQueryResultsButton,
    InlineQueryResultsButtonKind, InputMessageContent, InputMessageContentText, Me, MessageKind,
    ParseMode, ReactionType, UpdateKind, User,
};

use super::answered::{Answered, Recall};
use super::callback::{self, Action};
use super::commands::{self, Incoming, Intent, StartPayload};
use super::crowd::{self, Claim, Crowd};
use super::send::{self, Target, retrying};
use super::talk::{self, Talk};
use super::texts::{InlineMode, Privacy};
use super::{HandlerResult, Live, Telegram, texts};
use crate::answer::{Renderer, Reply};
use crate::chat;
use crate::config::BotConfig;
use crate::conversation::Turn;
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Decision, Lang, Mark, Matcher, Outcome};
use crate::question_log::{self, Asked, ChatKind, Event, QuestionId, QuestionLog};
use crate::report::Report;

/// At most this many inline results: Telegram shows few, and the best few
/// are what a user picks from.
const MAX_INLINE_RESULTS: usize = 5;

/// The `/start` parameter of the button above an inline answer with no
/// passage. It names no step, so the private chat opens as `/start` does.
const INLINE_START: &str = "inline";

/// What a reply was, as the "answered" log line names it: the matcher's
/// decision for a question, or what else the bot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replied {
    /// A question, decided by the matcher or its conversation.
    Matched(Decision),
    /// A command's text or step (`/start`, `/step 2`, `/help`).
    Command,
    /// How to use a command given without what it needs.
    Usage,
    /// A hint for a message the bot cannot read (not text, unknown command).
    Hint,
    /// A group question pointed at the same answer given just above.
    Shared,
    /// A "did you mean" choice pressed.
    Pick,
    /// A step or navigation button pressed.
    Button,
    /// A 👍/👎 pressed.
    Vote,
    /// A button whose message or entry is gone.
    Stale,
    /// An empty inline query, answered with the steps.
    Steps,
    /// The introduction when the bot joins a group.
    Intro,
    /// `/reload`'s outcome, for an admin.
    Reload,
    /// `/stats`, for an admin.
    Stats,
}

impl Replied {
    fn as_str(self) -> &'static str {
        match self {
            Replied::Matched(decision) => decision.as_str(),
            Replied::Command => "command",
            Replied::Usage => "usage",
            Replied::Hint => "hint",
            Replied::Shared => "shared",
            Replied::Pick => "pick",
            Replied::Button => "button",
            Replied::Vote => "vote",
            Replied::Stale => "stale",
            Replied::Steps => "steps",
            Replied::Intro => "intro",
            Replied::Reload => "reload",
            Replied::Stats => "stats",
        }
    }
}

/// What to send, and what to log about it.
struct Response {
    reply: Reply,
    keyboard: Option<InlineKeyboardMarkup>,
    /// Sent instead of the keyboard: the asker's app opens a reply to the
    /// message, which reaches the bot even with privacy mode on.
    prompt: Option<ForceReply>,
    decision: Replied,
    entry: Option<String>,
    score: Option<f32>,
    /// The question, for the question log (when it is on).
    asked: Option<Asked>,
}

impl Response {
    fn plain(reply: Reply, decision: Replied) -> Self {
        Response {
            reply,
            keyboard: None,
            prompt: None,
            decision,
            entry: None,
            score: None,
            asked: None,
        }
    }
}

/// One structured event per answered update: what operators graph and alert on.
fn log_answered(
    update: &str,
    chat: &str,
    decision: Replied,
    entry: Option<&str>,
    score: Option<f32>,
    started: Instant,
) {
    let decision = decision.as_str();
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

fn chat_kind(chat: &Chat) -> ChatKind {
    if chat.is_private() {
        ChatKind::Private
    } else if chat.is_group() {
        ChatKind::Group
    } else if chat.is_supergroup() {
        ChatKind::Supergroup
    } else {
        ChatKind::Channel
    }
}

fn username(me: &Me) -> &str {
    // getMe always names a bot; an empty name only means no mention matches.
    me.user.username.as_deref().unwrap_or("")
}

/// Whether privacy mode keeps group chatter from the bot, as getMe said.
fn privacy(me: &Me) -> Privacy {
    Privacy::reading_all(me.can_read_all_group_messages)
}

/// Whether the bot has inline mode, as getMe said.
fn inline_mode(me: &Me) -> InlineMode {
    InlineMode::supported(me.supports_inline_queries)
}

fn user_lang(user: Option<&User>) -> Lang {
    Lang::from_code(user.and_then(|u| u.language_code.as_deref()))
}

/// The person who sent `msg`, when a user did. A message sent on behalf of
/// a chat (an anonymous group admin, someone posting as a channel) has a
/// `sender_chat`, and in `from` a placeholder bot (GroupAnonymousBot,
/// Channel_Bot) that is no one: it asks, but as no user.
fn sender(msg: &Message) -> Option<&User> {
    msg.from.as_ref().filter(|_| msg.sender_chat.is_none())
}

/// A text message, a captioned photo, or an edited message: answered
/// anew by editing the earlier answer when its text changed, and not at
/// all when it did not. In a group, a question whose answer was just given
/// there gets a reaction instead (see [`crowd`](super::crowd)).
#[allow(clippy::too_many_arguments)]
pub async fn message(
    tg: Telegram,
    msg: Message,
    update: Update,
    me: Me,
    live: Live,
    config: Arc<BotConfig>,
    log: QuestionLog,
    answered: Answered,
    crowd: Crowd,
    talk: Talk,
) -> HandlerResult {
    let started = Instant::now();
    let text = msg.text().or(msg.caption());
    let edited = matches!(update.kind, UpdateKind::EditedMessage(_));
    let earlier = if edited {
        answered.recall(msg.chat.id, msg.id, text.unwrap_or_default())
    } else {
        Recall::Unknown
    };
    if earlier == Recall::Unchanged {
        tracing::debug!(
            update = update.id.0,
            chat = chat_kind(&msg.chat).as_str(),
            "edited, but its text is what was answered"
        );
        return Ok(());
    }
    // One knowledge base for the whole update, even if a reload lands meanwhile.
    let (kb, matcher) = live.current();
    let replied = msg
        .reply_to_message()
        .filter(|r| r.from.as_ref().is_some_and(|u| u.id == me.id));
    let conversation = talk::key(&msg.chat, sender(&msg), msg.sender_chat.as_ref());
    let incoming = Incoming {
        private: msg.chat.is_private(),
        text,
        from_bot: sender(&msg).is_some_and(|u| u.is_bot),
        via_me: msg.via_bot.as_ref().is_some_and(|b| b.id == me.id),
        // A dice is something a person sent, and so, most likely, is a message
        // teloxide could not parse (`Empty`); every other kind is a service message.
        service: !matches!(
            msg.kind,
            MessageKind::Common(_) | MessageKind::Dice(_) | MessageKind::Empty {}
        ),
        reply_to_me: replied.is_some(),
        me: username(&me),
        admin: sender(&msg).is_some_and(|u| config.admins.contains(&u.id.0)),
    };
    let intent = commands::route(incoming);
    let lang = user_lang(sender(&msg));
    let response = match &intent {
        Intent::Reload => {
            let outcome = live.reload("/reload").await;
            Some(Response::plain(texts::reloaded(&outcome), Replied::Reload))
        }
        Intent::Stats => Some(Response::plain(
            stats(&log, kb.clone(), matcher.clone(), &config).await,
            Replied::Stats,
        )),
        Intent::Question(question) => {
            let turn = talk
                .answer(conversation.clone(), replied, question, &kb, &matcher)
                .await;
            let logged = log.is_enabled();
            Some(answer(
                question,
                &turn,
                &kb,
                &matcher,
                logged,
                inline_mode(&me),
            ))
        }
        _ => respond(
            &intent,
            lang,
            &kb,
            Asker {
                me: username(&me),
                privacy: privacy(&me),
                inline: inline_mode(&me),
                private: msg.chat.is_private(),
            },
        ),
    };
    let Some(mut response) = response else {
        tracing::debug!(
            update = update.id.0,
            chat = chat_kind(&msg.chat).as_str(),
            ?intent,
            "ignored"
        );
        return Ok(());
    };
    // A step shown by command is followed like an answer.
    if let (Some(entry), Replied::Command) = (&response.entry, response.decision) {
        talk.shown(conversation, &kb, &matcher, entry).await;
    }
    if let Some(mut asked) = response.asked.take() {
        asked.chat_kind = chat_kind(&msg.chat);
        asked.user_language = sender(&msg).and_then(|u| u.language_code.clone());
        asked.user = sender(&msg).map(|u| u.id.0);
        asked.chat = Some(msg.chat.id.0);
        // Queued, never awaited: the reply does not wait for the database.
        log.record(Event::Asked(asked));
    }
    let shared = match &response.entry {
        Some(entry)
            if !msg.chat.is_private()
                && response.decision == Replied::Matched(Decision::Answer)
                && !matches!(earlier, Recall::Changed(_)) =>
        {
            let asker = sender(&msg).map(|u| u.id.0);
            let topic = Target::answering_message(&msg).thread.map(|t| t.0.0);
            crowd.claim(msg.chat.id.0, topic, asker, entry, response.reply.lang) == Claim::Answered
                && point_at_answer(&tg, &config, &msg).await
        }
        _ => false,
    };
    // A question pointed at the answer above is remembered too, answered
    // by no message of its own: an edit that changes nothing then gets
    // nothing, not the answer the window no longer holds back.
    let sent = if shared {
        Vec::new()
    } else {
        let target = Target::answering_message(&msg);
        match (&earlier, response.prompt) {
            (_, Some(prompt)) => {
                send::prompt(&tg, &config, target, &response.reply, prompt).await?
            }
            (Recall::Changed(earlier), None) => {
                send::replace(
                    &tg,
                    &config,
                    target,
                    earlier,
                    &response.reply,
                    response.keyboard,
                )
                .await?
            }
            _ => send::reply(&tg, &config, target, &response.reply, response.keyboard).await?,
        }
    };
    answered.remember(msg.chat.id, msg.id, text.unwrap_or_default(), sent);
    let kind = if edited { "edited_message" } else { "message" };
    log_answered(
        kind,
        chat_kind(&msg.chat).as_str(),
        if shared {
            Replied::Shared
        } else {
            response.decision
        },
        response.entry.as_deref(),
        response.score,
        started,
    );
    Ok(())
}

/// Records a message dropped unread (its chat had too many waiting) in the
/// question log, as a question of its own decision: not matched, so no
/// entry and no score, and read in the asker's language.
pub(super) fn record_dropped(update: &Update, log: &QuestionLog, live: &Live) {
    let (UpdateKind::Message(msg) | UpdateKind::EditedMessage(msg)) = &update.kind else {
        return;
    };
    let Some(text) = msg.text().or(msg.caption()).filter(|_| log.is_enabled()) else {
        return;
    };
    let (_, matcher) = live.current();
    log.record(Event::Asked(Asked {
        id: QuestionId::random(),
        at: question_log::now(),
        chat_kind: chat_kind(&msg.chat),
        user_language: msg.from.as_ref().and_then(|u| u.language_code.clone()),
        lang: user_lang(msg.from.as_ref()),
        question: matcher.cut(text).to_owned(),
        decision: Decision::Dropped,
        entry: None,
        score: None,
        suggestions: Vec::new(),
        user: msg.from.as_ref().map(|u| u.id.0),
        chat: Some(msg.chat.id.0),
        context: None,
    }));
}

/// Reacts to `msg` to point at the answer just above it in the group;
/// whether it could (a group may not allow the reaction: then the question
/// is answered as usual).
async fn point_at_answer(tg: &Telegram, config: &BotConfig, msg: &Message) -> bool {
    let request = tg
        .bot()
        .set_message_reaction(msg.chat.id, msg.id)
        .reaction(vec![ReactionType::Emoji {
            emoji: crowd::SEEN.to_owned(),
        }]);
    match retrying(config, || request.send_ref()).await {
        Ok(_) => true,
        Err(error) => {
            tracing::debug!(error = %error, "could not react to a repeated question; answering it");
            false
        }
    }
}

/// Where a message was sent, for advice on how to ask that works there.
#[derive(Debug, Clone, Copy)]
struct Asker<'a> {
    /// The bot's username.
    me: &'a str,
    privacy: Privacy,
    inline: InlineMode,
    /// In a private chat, where any message is a question.
    private: bool,
}

/// What to say for `intent`; `None` when the message is not for the bot.
fn respond(intent: &Intent, lang: Lang, kb: &KnowledgeBase, asker: Asker) -> Option<Response> {
    let step = |n: u8| {
        kb.step(n).map(|entry| Response {
            reply: Renderer::new(kb).entry(entry, lang),
            keyboard: callback::for_entry(kb, entry, lang, None, asker.inline),
            prompt: None,
            decision: Replied::Command,
            entry: Some(entry.id.clone()),
            score: None,
            asked: None,
        })
    };
    // The step buttons under a reply of the bot's own.
    let with_steps = |reply: Reply, decision: Replied| Response {
        keyboard: callback::steps(kb, lang),
        ..Response::plain(reply, decision)
    };
    let greeting = || with_steps(texts::greeting(kb, lang), Replied::Command);
    let step_usage = || with_steps(texts::step_usage(kb, lang), Replied::Usage);
    let response = match intent {
        // Reloading and questions are awaited, so `message` answers them, not this.
        Intent::Ignore(_) | Intent::Reload | Intent::Stats | Intent::Question(_) => return None,
        // A deep link to a step the column does not have opens like /start.
        Intent::Start(StartPayload::Step(n)) => step(*n).unwrap_or_else(greeting),
        Intent::Start(StartPayload::None) => greeting(),
        Intent::Start(StartPayload::Steps) | Intent::Steps => {
            with_steps(texts::steps(kb, lang), Replied::Command)
        }
        Intent::Help => Response::plain(
            texts::help(kb, lang, asker.me, asker.privacy, asker.inline),
            Replied::Command,
        ),
        Intent::Step(n) => n.and_then(step).unwrap_or_else(step_usage),
        Intent::Source => Response::plain(texts::source(kb, lang), Replied::Command),
        Intent::AskUsage if asker.private => {
            Response::plain(texts::ask_usage(lang), Replied::Usage)
        }
        // Selective: the prompt replies to the asker's message, so only
        // the asker's app opens a reply.
        Intent::AskUsage => Response {
            prompt: Some(
                ForceReply::new()
                    .input_field_placeholder(texts::ask_placeholder(lang).to_owned())
                    .selective(),
            ),
            ..Response::plain(texts::ask_prompt(lang), Replied::Usage)
        },
        Intent::NotText => Response::plain(texts::send_text_hint(lang), Replied::Hint),
        Intent::UnknownCommand => Response::plain(texts::unknown_command(lang), Replied::Hint),
    };
    Some(response)
}

/// A question's turn in its conversation, rendered, with its buttons; with
/// the question log on, the question to record, whose id the feedback and
/// suggestion buttons carry. A follow-up with nothing to follow is asked
/// back about, with the steps to pick from.
fn answer(
    question: &str,
    turn: &Turn,
    kb: &KnowledgeBase,
    matcher: &Matcher,
    logged: bool,
    inline: InlineMode,
) -> Response {
    let outcome = &turn.outcome;
    let id = logged.then(QuestionId::random);
    let keyboard = match (turn.kind, outcome.decision, outcome.best) {
        (_, Decision::Clarify, _) => callback::steps(kb, outcome.lang),
        (_, Decision::Answer, Some(best)) => {
            callback::for_entry(kb, &kb.entries[best.entry], outcome.lang, id, inline)
        }
        (_, Decision::Suggest, _) => callback::suggestions(
            kb,
            outcome.suggestions.iter().map(|c| c.entry),
            outcome.lang,
            id,
        ),
        _ => None,
    };
    let mut asked = id.map(|id| asked(id, matcher.cut(question), kb, outcome));
    if let Some(asked) = &mut asked {
        asked.context = turn.context.map(|i| kb.entries[i].id.clone());
    }
    Response {
        reply: chat::reply(kb, turn),
        keyboard,
        prompt: None,
        decision: Replied::Matched(outcome.decision),
        entry: outcome.best.map(|b| kb.entries[b.entry].id.clone()),
        score: outcome.score(),
        asked,
    }
}

/// The log row of a question (`question` as the matcher read it, cut to
/// `max_question_chars`); the handler adds who asked it, and where.
fn asked(id: QuestionId, question: &str, kb: &KnowledgeBase, outcome: &Outcome) -> Asked {
    let entry_id = |i: usize| kb.entries[i].id.clone();
    Asked {
        id,
        at: question_log::now(),
        chat_kind: ChatKind::Private,
        user_language: None,
        lang: outcome.lang,
        question: question.to_owned(),
        decision: outcome.decision,
        entry: outcome.best.map(|b| entry_id(b.entry)),
        score: outcome.score(),
        suggestions: match outcome.decision {
            Decision::Suggest => outcome
                .suggestions
                .iter()
                .map(|c| entry_id(c.entry))
                .collect(),
            _ => Vec::new(),
        },
        user: None,
        chat: None,
        context: None,
    }
}

/// `/stats`: today's report (UTC day), or why there is none. The report
/// is built on a blocking thread: however long it takes (up to
/// [`report::BUDGET`](crate::report::BUDGET) for grouping),
/// the runtime's workers go on answering everyone else.
async fn stats(
    log: &QuestionLog,
    kb: Arc<KnowledgeBase>,
    matcher: Arc<Matcher>,
    config: &BotConfig,
) -> Reply {
    let now = question_log::now();
    let midnight = crate::report::dates::start_of_day(now);
    let rows = match log.questions_since(midnight).await {
        Ok(rows) => rows,
        Err(error) => {
            let error = error.to_string();
            tracing::warn!(error = %error, "/stats: cannot read the question log");
            return texts::stats_unavailable(error.lines().next().unwrap_or_default());
        }
    };
    let hook = config.stats_hook.clone();
    let built = tokio::task::spawn_blocking(move || {
        hook.run();
        Report::build(&rows, &kb, &matcher, midnight, now)
    })
    .await;
    match built {
        Ok(report) => texts::stats(&report),
        Err(error) => {
            tracing::error!(error = %error, "/stats: building the report failed");
            texts::stats_unavailable("building the report failed; see the bot's log")
        }
    }
}

/// A button press. Always answered, so the client stops its spinner, even
/// when the data is stale or forged (then with a notice, and nothing else).
pub async fn callback(
    tg: Telegram,
    q: CallbackQuery,
    me: Me,
    live: Live,
    config: Arc<BotConfig>,
    log: QuestionLog,
    talk: Talk,
) -> HandlerResult {
    let started = Instant::now();
    let (kb, matcher) = live.current();
    let action = q.data.as_deref().and_then(|d| Action::decode(d, &kb));
    let shown = q.message.as_ref();
    let chat = shown
        .map_or(ChatKind::Inline, |m| chat_kind(m.chat()))
        .as_str();
    if let Some(Action::Vote {
        question,
        vote,
        lang,
        ..
    }) = action
    {
        // A vote needs no message to edit: it is recorded and acknowledged,
        // and a second press by the same user replaces the first.
        log.record(Event::Voted {
            question,
            voter: q.from.id.0,
            vote,
            at: question_log::now(),
        });
        let answer = tg
            .bot()
            .answer_callback_query(q.id.clone())
            .text(texts::vote_thanks(lang, vote));
        retrying(&config, || answer.send_ref()).await?;
        log_answered("callback_query", chat, Replied::Vote, None, None, started);
        return Ok(());
    }
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
    let (Some(action), Some(shown)) = (action, shown) else {
        log_answered("callback_query", chat, Replied::Stale, None, None, started);
        return Ok(());
    };
    let Some((entry, lang)) = action.shows(&kb) else {
        return Ok(());
    };
    // A picked suggestion is recorded, and its answer can be voted on.
    let question = match &action {
        Action::Pick { question, id, .. } => {
            // Counted only if the presser asked the question (the store checks).
            log.record(Event::Picked {
                question: *question,
                picker: q.from.id.0,
                entry: id.clone(),
                at: question_log::now(),
            });
            Some(*question).filter(|_| log.is_enabled())
        }
        _ => None,
    };
    let reply = Renderer::new(&kb).entry(entry, lang);
    let keyboard = callback::for_entry(&kb, entry, lang, question, inline_mode(&me));
    match (&action, shown.regular_message()) {
        (Action::Navigate { .. }, Some(m)) => {
            send::edit_or_send(&tg, &config, m, &reply, keyboard).await?;
        }
        // Other buttons, and one under a message too old to edit: a new message.
        _ => {
            let target = shown.regular_message().map_or_else(
                || Target::answering(shown.chat(), shown.id()),
                Target::answering_message,
            );
            send::reply(&tg, &config, target, &reply, keyboard).await?;
        }
    }
    // What the presser was shown is what a follow-up of theirs follows.
    let conversation = talk::key(shown.chat(), Some(&q.from), None);
    talk.shown(conversation, &kb, &matcher, &entry.id).await;
    let decision = match action {
        Action::Pick { .. } => Replied::Pick,
        _ => Replied::Button,
    };
    log_answered(
        "callback_query",
        chat,
        decision,
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
    let hits = inline_hits(&kb, &matcher, query, outcome.as_ref());
    // Each result marks its answering sentence by the rule of a chat answer.
    let marker = outcome.is_some().then(|| matcher.marker(query));
    let results: Vec<InlineQueryResult> = hits
        .iter()
        .map(|&(i, _)| {
            let mark = marker.as_ref().and_then(|m| m.mark(i));
            article(&kb, i, lang, mark.as_ref()).into()
        })
        .collect();
    let nothing = results.is_empty();
    let mut request = tg
        .bot()
        .answer_inline_query(q.id.clone(), results)
        .cache_time(config.inline_cache_secs);
    // The empty query is answered in the sender's language. Telegram may
    // hand a cached answer to anyone who sends the same query, unless it
    // is personal; every other answer follows the query's own language.
    if outcome.is_none() {
        request = request.is_personal(true);
    }
    if nothing {
        request = request.button(InlineQueryResultsButton {
            text: texts::inline_no_match(lang).to_owned(),
            kind: InlineQueryResultsButtonKind::StartParameter(INLINE_START.to_owned()),
        });
    }
    retrying(&config, || request.send_ref()).await?;
    let best = hits.first();
    log_answered(
        "inline_query",
        inline_chat_kind(q.chat_type.as_ref()).as_str(),
        outcome.map_or(Replied::Steps, |o| Replied::Matched(o.decision)),
        best.map(|&(i, _)| kb.entries[i].id.as_str()),
        best.and_then(|&(_, s)| s),
        started,
    );
    Ok(())
}

/// The entries (indices, with their scores) offered as inline results for
/// `query`, which the matcher decided as `outcome` (none when empty).
fn inline_hits(
    kb: &KnowledgeBase,
    matcher: &Matcher,
    query: &str,
    outcome: Option<&Outcome>,
) -> Vec<(usize, Option<f32>)> {
    match outcome.map(|o| o.decision) {
        // Inline queries are answered alone, never asked back about; were
        // one to be, the steps are what a question back offers.
        None | Some(Decision::Smalltalk | Decision::Clarify) => (1..=kb.step_count())
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
        Some(Decision::Decline | Decision::Dropped) => Vec::new(),
    }
}

/// An inline result a user sent. Telegram reports these only to a bot
/// with inline feedback on (@BotFather, /setinlinefeedback); each is logged
/// as an inline question, with the results offered as its suggestions and
/// the one sent as its pick. The queries
/// themselves are not logged: Telegram sends one per pause in typing, so
/// most are half a question.
pub async fn chosen_inline_result(
    result: ChosenInlineResult,
    live: Live,
    log: QuestionLog,
) -> HandlerResult {
    let started = Instant::now();
    let query = result.query.trim();
    if !log.is_enabled() || query.is_empty() {
        return Ok(());
    }
    let (kb, matcher) = live.current();
    let outcome = matcher.decide(query);
    let id = QuestionId::random();
    let mut row = asked(id, matcher.cut(query), &kb, &outcome);
    row.chat_kind = ChatKind::Inline;
    row.user_language = result.from.language_code.clone();
    row.user = Some(result.from.id.0);
    // What the user chose from: a pick of anything else is not counted.
    row.suggestions = inline_hits(&kb, &matcher, query, Some(&outcome))
        .into_iter()
        .map(|(i, _)| kb.entries[i].id.clone())
        .collect();
    log.record(Event::Asked(row));
    let chosen = kb.entry(&result.result_id);
    if let Some(entry) = chosen {
        log.record(Event::Picked {
            question: id,
            picker: result.from.id.0,
            entry: entry.id.clone(),
            at: question_log::now(),
        });
    }
    log_answered(
        "chosen_inline_result",
        "inline",
        Replied::Matched(outcome.decision),
        chosen.map(|e| e.id.as_str()),
        outcome.best.map(|b| b.score),
        started,
    );
    Ok(())
}

/// The kind of chat an inline query was typed in, when Telegram says.
fn inline_chat_kind(chat: Option<&ChatType>) -> ChatKind {
    match chat {
        Some(ChatType::Sender | ChatType::Private) => ChatKind::Private,
        Some(ChatType::Group) => ChatKind::Group,
        Some(ChatType::Supergroup) => ChatKind::Supergroup,
        Some(ChatType::Channel) => ChatKind::Channel,
        None => ChatKind::Inline,
    }
}

/// An inline result: titled with the step (or kind) and title, sending the
/// rendered passage, its answering sentence marked if one stands out.
fn article(
    kb: &KnowledgeBase,
    index: usize,
    lang: Lang,
    mark: Option<&Mark>,
) -> InlineQueryResultArticle {
    let renderer = Renderer::new(kb);
    let entry = &kb.entries[index];
    let reply = renderer.entry_marked(entry, lang, mark);
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
            chat = chat_kind(&update.chat).as_str(),
            "membership change, nothing to say"
        );
        return Ok(());
    }
    let lang = user_lang(Some(&update.from));
    let reply = texts::group_intro(&kb, lang, username(&me), privacy(&me));
    send::reply(&tg, &config, Target::chat(update.chat.id), &reply, None).await?;
    log_answered(
        "my_chat_member",
        chat_kind(&update.chat).as_str(),
        Replied::Intro,
        None,
        None,
        started,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Operators graph and alert on the "answered" line's `decision`: each
    /// kind of reply has a name of its own, and a question's is the
    /// matcher's decision, as the question log stores it.
    #[test]
    fn every_kind_of_reply_logs_a_name_of_its_own() {
        let all = [
            Replied::Matched(Decision::Answer),
            Replied::Matched(Decision::Suggest),
            Replied::Matched(Decision::Smalltalk),
            Replied::Matched(Decision::Decline),
            Replied::Matched(Decision::Clarify),
            Replied::Matched(Decision::Dropped),
            Replied::Command,
            Replied::Usage,
            Replied::Hint,
            Replied::Shared,
            Replied::Pick,
            Replied::Button,
            Replied::Vote,
            Replied::Stale,
            Replied::Steps,
            Replied::Intro,
            Replied::Reload,
            Replied::Stats,
        ];
        let names: std::collections::HashSet<&str> = all.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.len(), all.len(), "{names:?}");
        assert_eq!(Replied::Matched(Decision::Answer).as_str(), "answer");
        assert_eq!(Replied::Matched(Decision::Clarify).as_str(), "clarify");
    }
}

//! End-to-end tests of the Telegram bot (issue 3, and the hostile input of
//! issue 4): the real dispatcher from `qabot::bot`, or the real `qabot`
//! binary, against a fake Bot API on 127.0.0.1 (`fake_api`). Nothing here
//! reaches Telegram.
//!
//! Tests that check a message was ignored send a question in the same chat
//! afterwards and wait for its answer: the dispatcher handles one chat's
//! updates in order, so once the later answer is out, the ignored message
//! has been handled, and anything it sent would be recorded before.

use crate::fake_api;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fake_api::{
    BOT_ID, BOT_USERNAME, Call, Failure, FakeApi, buttons, share_buttons, strip_tags, tg,
};
use futures_util::stream::{BoxStream, StreamExt};
use qabot::bot::logging::REDACTED;
use qabot::bot::{self, StartError, html::utf16_len};
use qabot::config::BotConfig;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::{Decision, Matcher, MatcherConfig};
use serde_json::{Value, json};
use std::convert::Infallible;
use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::IgnoringErrorHandlerSafe;
use teloxide::stop::StopToken;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::task::JoinHandle;

/// Shaped like a real token: numeric bot id, ':' and a 35-character secret.
const TOKEN: &str = "123456789:AAFakeSecretForQabotTests_0123456789";
const SECRET: &str = "AAFakeSecretForQabotTests_0123456789";

const USER: i64 = 4242;
const GROUP: i64 = -5151;

fn en() -> Value {
    tg::user(USER, "en")
}

/// Fast settings: no pacing, short polls and retries.
pub(crate) fn test_config() -> BotConfig {
    BotConfig {
        throttle: false,
        poll_timeout_secs: 1,
        retry_first_ms: 20,
        retry_max_ms: 100,
        send_retries: 3,
        inline_cache_secs: 0,
        // Tests here push a chat's updates in a burst and want each one
        // answered; flood control is tested in tests/flood.rs.
        max_waiting_per_chat: qabot::config::MAX_WAITING_PER_CHAT,
        ..BotConfig::default()
    }
}

fn embedded() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("the embedded knowledge base is valid")
}

/// The dispatcher of `qabot::bot`, running against a fresh fake.
struct Harness {
    api: FakeApi,
    stop: bot::Stop,
    task: JoinHandle<Result<(), StartError>>,
}

impl Harness {
    async fn start() -> Harness {
        Harness::with_kb(embedded()).await
    }

    async fn with_kb(kb: KnowledgeBase) -> Harness {
        Harness::with(kb, test_config()).await
    }

    async fn with(kb: KnowledgeBase, config: BotConfig) -> Harness {
        Harness::on(FakeApi::start(TOKEN).await, kb, config).await
    }

    /// The bot with privacy mode off: every group message reaches it, for
    /// tests of what it does with messages privacy mode would withhold.
    async fn reading_all() -> Harness {
        let api = FakeApi::start(TOKEN).await;
        api.read_all_group_messages();
        Harness::on(api, embedded(), test_config()).await
    }

    /// The bot against `api`, set up as the test needs.
    async fn on(api: FakeApi, kb: KnowledgeBase, config: BotConfig) -> Harness {
        let bot = bot::bot(TOKEN, Some(&api.url), None, &config).expect("bot");
        let live = bot::Live::fixed(kb, MatcherConfig::default());
        let service = bot::start(bot, live, Arc::new(config))
            .await
            .expect("the bot starts against the fake");
        assert_eq!(service.me().user.username.as_deref(), Some(BOT_USERNAME));
        let stop = service.stopper();
        let task = tokio::spawn(service.run());
        Harness { api, stop, task }
    }

    /// Sends `text` in `chat` and waits for a one-message reply.
    async fn ask(&self, chat: i64, from: Value, text: &str) -> Vec<Value> {
        self.ask_parts(chat, from, text, 1).await
    }

    /// Sends `text` in `chat` and waits for a reply in `parts` messages.
    async fn ask_parts(&self, chat: i64, from: Value, text: &str, parts: usize) -> Vec<Value> {
        let id = self.api.new_message_id();
        self.exchange(tg::text(id, chat, from, text), parts).await
    }

    /// Pushes `update` and waits for `parts` more delivered messages; returns them.
    async fn exchange(&self, update: Value, parts: usize) -> Vec<Value> {
        let before = self.api.sent().len();
        self.api.push(update);
        self.api.wait_sent(before + parts).await;
        self.api.sent().split_off(before)
    }

    /// Sends a known question in `chat` and waits for its answer: after it,
    /// everything sent earlier in that chat has been handled.
    async fn barrier(&self, chat: i64) -> Vec<Call> {
        let text = if chat > 0 {
            "what is step 2"
        } else {
            "/ask what is step 2"
        };
        self.ask(chat, en(), text).await;
        self.api.calls()
    }

    async fn stop(self) {
        crate::dispatcher::stop(self.stop, self.task).await;
    }
}

/// Asserts that `n` messages were delivered in all (`what` they are),
/// showing the calls if not.
#[track_caller]
fn assert_sent(h: &Harness, n: usize, what: &str, calls: &[Call]) {
    assert_eq!(h.api.sent().len(), n, "{what}:\n{}", fake_api::dump(calls));
}

fn text_of(message: &Value) -> &str {
    message["text"].as_str().unwrap_or("")
}

/// The callback data of every button under a message.
fn callback_data(message: &Value) -> Vec<String> {
    buttons(message).into_iter().map(|(_, data)| data).collect()
}

/// Asserts that a message's text starts with `prefix`, showing the text if not.
#[track_caller]
fn assert_opens(message: &Value, prefix: &str) {
    let text = text_of(message);
    assert!(
        text.starts_with(prefix),
        "expected {prefix:?} at the start of {text:?}"
    );
}

/// Telegram HTML the bot may send: only <b>, <i>, <blockquote> (which may
/// be expandable), balanced, and every '&' an entity.
fn assert_telegram_html(text: &str) {
    let mut stack = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['<', '&']) {
        rest = &rest[i..];
        if rest.starts_with('&') {
            let entity = ["&amp;", "&lt;", "&gt;", "&quot;"]
                .iter()
                .any(|e| rest.starts_with(e));
            assert!(entity, "a bare '&' in {text:?}");
            rest = &rest[1..];
            continue;
        }
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {text:?}"));
        let tag = &rest[1..end];
        match tag.strip_prefix('/') {
            Some(name) => assert_eq!(stack.pop(), Some(name.to_owned()), "in {text:?}"),
            None => {
                assert!(
                    ["b", "i", "blockquote", "blockquote expandable"].contains(&tag),
                    "unexpected tag <{tag}> in {text:?}"
                );
                stack.push(tag.split(' ').next().unwrap_or(tag).to_owned());
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?} in {text:?}");
}

/// Every part of a split reply fits one message and is valid Telegram HTML.
#[track_caller]
fn assert_sendable(parts: &[Value]) {
    for m in parts {
        let text = text_of(m);
        assert!(utf16_len(text) <= 4096, "{} units", utf16_len(text));
        assert_telegram_html(text);
    }
}

fn step_passage(kb: &KnowledgeBase, n: u8) -> String {
    kb.step(n).unwrap().passage[0].clone()
}

/// The start of a passage as it appears escaped in HTML.
fn escaped_start(passage: &str) -> String {
    qabot::answer::escape_html(&passage.chars().take(60).collect::<String>())
}

// ---- private chats -------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_question_gets_the_passage_with_its_step_and_navigation() {
    let h = Harness::start().await;
    let kb = embedded();
    let reply = h.ask(USER, en(), "what is step 2").await;
    assert_eq!(reply.len(), 1);
    let m = &reply[0];
    assert_eq!(m["chat_id"], json!(USER));
    assert_eq!(m["parse_mode"], "HTML");
    assert!(
        m.get("reply_parameters").is_none(),
        "no reply threading in private chats"
    );
    let text = text_of(m);
    assert!(text.starts_with("<b>Step 2 of 3 — "), "{text}");
    assert!(
        text.contains(&escaped_start(&step_passage(&kb, 2))),
        "{text}"
    );
    assert_telegram_html(text);
    let b = buttons(m);
    assert_eq!(
        b,
        vec![
            ("◀ Step 1".to_owned(), "n:1:2:en".to_owned()),
            ("Step 3 ▶".to_owned(), "n:3:2:en".to_owned())
        ]
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_greets_in_the_users_language_with_the_three_steps_as_buttons() {
    let h = Harness::start().await;
    let reply = h.ask(USER, en(), "/start").await;
    let text = text_of(&reply[0]);
    assert!(
        text.starts_with("Hello! I answer questions about the column"),
        "{text}"
    );
    assert_eq!(text.matches("\n\n").count(), 1, "two lines: {text}");
    let data: Vec<String> = callback_data(&reply[0]);
    assert_eq!(data, ["s:1:en", "s:2:en", "s:3:en"]);

    let reply = h.ask(USER + 1, tg::user(USER + 1, "ko"), "/start").await;
    let text = text_of(&reply[0]);
    assert!(text.starts_with("안녕하세요!"), "{text}");
    let labels: Vec<String> = buttons(&reply[0]).into_iter().map(|(l, _)| l).collect();
    assert!(labels[0].starts_with("1단계"), "{labels:?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_links_open_on_a_step_or_the_steps() {
    let h = Harness::start().await;
    let kb = embedded();
    for n in 1..=3u8 {
        let reply = h.ask(USER, en(), &format!("/start step{n}")).await;
        let text = text_of(&reply[0]);
        assert!(text.starts_with(&format!("<b>Step {n} of 3")), "{text}");
        assert!(text.contains(&escaped_start(&step_passage(&kb, n))));
    }
    let reply = h.ask(USER, en(), "/start steps").await;
    assert_opens(&reply[0], "<b>The three steps");
    assert_eq!(buttons(&reply[0]).len(), 3);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_steps_step_and_source_commands() {
    let h = Harness::start().await;
    let kb = embedded();

    let help = text_of(&h.ask(USER, en(), "/help").await[0]).to_owned();
    for command in ["/ask", "/steps", "/step", "/source", "/start"] {
        assert!(help.contains(command), "{command} in {help}");
    }
    assert!(
        help.contains(&format!("type @{BOT_USERNAME}")),
        "inline mode in {help}"
    );
    assert_telegram_html(&help);

    let steps = h.ask(USER, en(), "/steps").await;
    assert_opens(&steps[0], "<b>The three steps");
    let data: Vec<String> = callback_data(&steps[0]);
    assert_eq!(data, ["s:1:en", "s:2:en", "s:3:en"]);

    let step = h.ask(USER, en(), "/step 3").await;
    assert_opens(&step[0], "<b>Step 3 of 3");
    assert!(text_of(&step[0]).contains(&escaped_start(&step_passage(&kb, 3))));
    assert_eq!(
        buttons(&step[0]),
        [("◀ Step 2".to_owned(), "n:2:3:en".to_owned())]
    );

    let bad = h.ask(USER, en(), "/step 9").await;
    assert_opens(&bad[0], "Which step?");
    assert_eq!(buttons(&bad[0]).len(), 3);

    let source = text_of(&h.ask(USER, en(), "/source").await[0]).to_owned();
    let s = &kb.source;
    for fact in [&s.author, &s.paper] {
        assert!(source.contains(fact.as_str()), "{fact} in {source}");
    }
    assert!(source.contains(&qabot::answer::escape_html(&s.title)));
    assert!(
        source.contains("English text, word for word"),
        "translation note: {source}"
    );

    let asked = h.ask(USER, en(), "/ask what is step 1").await;
    assert_opens(&asked[0], "<b>Step 1 of 3");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_per_kind_of_chat_in_english_and_korean() {
    let h = Harness::start().await;
    h.api.wait_calls("setMyCommands", 6).await;
    let names = |scope: &str, lang: &str| -> Vec<String> {
        let list = h
            .api
            .commands(scope, lang)
            .unwrap_or_else(|| panic!("no {scope:?} menu in {lang:?}"));
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["command"].as_str().unwrap().to_owned())
            .collect()
    };
    for lang in ["", "ko"] {
        // Private chats (and the default) lead with /start; groups with /ask.
        for scope in ["default", "all_private_chats"] {
            assert_eq!(
                names(scope, lang),
                ["start", "ask", "steps", "step", "source", "help"],
                "{scope} {lang:?}"
            );
        }
        assert_eq!(
            names("all_group_chats", lang),
            ["ask", "start", "steps", "step", "source", "help"],
            "groups {lang:?}"
        );
    }
    let ko = h.api.commands("all_group_chats", "ko").unwrap();
    assert!(
        ko[0]["description"].as_str().unwrap().contains("질문"),
        "{ko}"
    );
    // Only the update kinds the bot handles are asked for.
    let polls = h.api.wait_calls("getUpdates", 1).await;
    fake_api::assert_allowed_updates(&polls[0].body);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn descriptions_are_set_in_english_and_korean_only_when_they_differ() {
    let api = FakeApi::start(TOKEN).await;
    let h = Harness::on(api.clone(), embedded(), test_config()).await;
    h.barrier(USER).await;
    let sets = |method: &str| -> Vec<Value> {
        api.calls_to(method)
            .into_iter()
            .filter(|c| !c.failed)
            .map(|c| c.body)
            .collect()
    };
    for (method, field, limit) in [
        ("setMyDescription", "description", 512),
        ("setMyShortDescription", "short_description", 120),
    ] {
        let set = sets(method);
        assert_eq!(set.len(), 2, "{method}: {set:?}");
        let en = set
            .iter()
            .find(|b| b.get("language_code").is_none())
            .unwrap();
        let ko = set.iter().find(|b| b["language_code"] == "ko").unwrap();
        let (en, ko) = (en[field].as_str().unwrap(), ko[field].as_str().unwrap());
        assert!(
            en.contains("Three steps to solve Korea's STEM crisis"),
            "{en}"
        );
        assert!(ko.contains("칼럼"), "{ko}");
        for text in [en, ko] {
            assert!((1..=limit).contains(&text.chars().count()), "{text}");
        }
    }
    let en = &sets("setMyDescription")[0]["description"];
    assert!(
        en.as_str().unwrap().contains("/ask"),
        "how to ask in a group: {en}"
    );
    h.stop().await;

    // Started again: read back, and nothing set, as nothing changed.
    let h = Harness::on(api.clone(), embedded(), test_config()).await;
    h.barrier(USER).await;
    assert_eq!(api.calls_to("getMyDescription").len(), 4);
    assert_eq!(api.calls_to("getMyShortDescription").len(), 4);
    assert_eq!(sets("setMyDescription").len(), 2);
    assert_eq!(sets("setMyShortDescription").len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stickers_voice_and_bare_photos_get_a_hint_and_a_caption_is_a_question() {
    let h = Harness::start().await;
    let media = [
        json!({"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
            "is_animated": false, "is_video": false, "type": "regular"}}),
        json!({"voice": {"file_id": "v1", "file_unique_id": "u2", "duration": 3, "mime_type": "audio/ogg"}}),
        json!({"photo": [{"file_id": "p1", "file_unique_id": "u3", "width": 90, "height": 90}]}),
    ];
    let from_user =
        |fields| json!({"message": tg::message(h.api.new_message_id(), USER, en(), fields)});
    for fields in media {
        let reply = h.exchange(from_user(fields.clone()), 1).await;
        assert_opens(&reply[0], "I can only read text.");
    }
    let photo = json!({
        "photo": [{"file_id": "p2", "file_unique_id": "u4", "width": 90, "height": 90}],
        "caption": "what is step 1",
    });
    let reply = h.exchange(from_user(photo), 1).await;
    assert_opens(&reply[0], "<b>Step 1 of 3");
    // A service message is no one writing to the bot: no hint.
    let before = h.api.sent().len();
    h.api.push(from_user(
        json!({"write_access_allowed": {"from_request": true}}),
    ));
    h.barrier(USER).await;
    assert_eq!(h.api.sent().len(), before + 1, "only the barrier's answer");
    h.stop().await;
}

/// Waits for the answer to `question` (in `chat`, message `id`) in
/// `parts` messages; returns their ids.
async fn answer_ids(h: &Harness, update: Value, parts: usize) -> Vec<i64> {
    let before = h.api.sent().len();
    h.exchange(update, parts).await;
    h.api.sent_ids().split_off(before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_question_edits_its_answer_and_an_edit_that_changes_nothing_gets_none() {
    let h = Harness::start().await;
    for chat in [USER, GROUP] {
        let ask = |q: &str| {
            if chat > 0 {
                q.to_owned()
            } else {
                format!("/ask {q}")
            }
        };
        let id = h.api.new_message_id();
        let answer = answer_ids(&h, tg::text(id, chat, en(), &ask("what is step 1")), 1).await;
        let edits = h.api.calls_to("editMessageText").len();
        // Telegram sends an edit for changes a bot cannot see: the text is
        // the one answered, so nothing is said again.
        h.api
            .push(tg::edited(id, chat, en(), &ask("what is step 1")));
        let sent = h.api.sent().len();
        h.barrier(chat).await;
        assert_eq!(h.api.sent().len(), sent + 1, "only the barrier's answer");
        assert_eq!(h.api.calls_to("editMessageText").len(), edits);
        // The question changed: its answer changes in place, twice over.
        for (n, question) in [(2, "what is step 2"), (3, "and step 3?")] {
            h.api.push(tg::edited(id, chat, en(), &ask(question)));
            let calls = h.api.wait_calls("editMessageText", edits + n - 1).await;
            let edit = &calls.last().unwrap().body;
            assert_eq!(edit["message_id"], json!(answer[0]), "{edit}");
            assert_eq!(edit["chat_id"], json!(chat));
            let shown = h.api.shows(chat, answer[0]).unwrap();
            assert!(shown.starts_with(&format!("<b>Step {n} of 3")), "{shown}");
            assert!(
                !buttons(edit).is_empty(),
                "the new answer's buttons: {edit}"
            );
        }
        h.barrier(chat).await;
        assert_eq!(
            h.api.sent().len(),
            sent + 2,
            "no new message, only barriers"
        );
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_pointed_at_the_answer_above_gets_nothing_more_for_an_edit_that_changes_nothing()
{
    let h = Harness::start().await;
    let other = tg::user(USER + 7, "en");
    h.ask(GROUP, en(), "/ask what is step 1").await;
    // Asked again by someone else: a reaction points at the answer above.
    let id = h.api.new_message_id();
    h.api
        .push(tg::text(id, GROUP, other.clone(), "/ask what is step 1"));
    h.api.wait_calls("setMessageReaction", 1).await;
    // An edit Telegram sends for a change the bot cannot see: nothing, not
    // a second reaction, nor (once the window is past) a full answer.
    h.api
        .push(tg::edited(id, GROUP, other.clone(), "/ask what is step 1"));
    let sent = h.api.sent().len();
    // The same member's lane: handled after the edit.
    let barrier = tg::text(h.api.new_message_id(), GROUP, other.clone(), "/step 3");
    h.exchange(barrier, 1).await;
    assert_eq!(h.api.sent().len(), sent + 1, "only the barrier's answer");
    let reactions = h.api.calls_to("setMessageReaction");
    assert_eq!(reactions.len(), 1, "{}", fake_api::dump(&reactions));
    // Its text changed: answered, in a message of its own.
    let reply = h
        .exchange(tg::edited(id, GROUP, other, "/ask what is step 3"), 1)
        .await;
    assert_opens(&reply[0], "<b>Step 3 of 3");
    assert_eq!(reply[0]["reply_parameters"]["message_id"], json!(id));
    h.stop().await;
}

/// The built-in column with step 2 so long that its answer takes two messages.
fn long_step_2() -> KnowledgeBase {
    let mut kb = embedded();
    let long = "The column's longest passage, repeated for the test & then some. ".repeat(80);
    assert!(long.chars().count() > 5000);
    let step2 = kb.entries.iter_mut().find(|e| e.step == Some(2)).unwrap();
    step2.passage.push(long);
    kb
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_between_a_split_answer_and_a_short_one_edits_sends_and_deletes_parts() {
    let h = Harness::with_kb(long_step_2()).await;
    let id = h.api.new_message_id();
    let two = answer_ids(&h, tg::text(id, USER, en(), "/step 2"), 2).await;
    // Two parts become one: the first is edited, the second deleted.
    h.api.push(tg::edited(id, USER, en(), "/step 1"));
    let deleted = h.api.wait_calls("deleteMessage", 1).await;
    assert_eq!(deleted[0].body["message_id"], json!(two[1]));
    assert_eq!(h.api.shows(USER, two[1]), None);
    let shown = h.api.shows(USER, two[0]).unwrap();
    assert!(shown.starts_with("<b>Step 1 of 3"), "{shown}");
    // One part becomes two: the first is edited, the second sent.
    let sent = h.api.sent().len();
    h.api.push(tg::edited(id, USER, en(), "/step 2"));
    let parts = h.api.wait_sent(sent + 1).await;
    let shown = h.api.shows(USER, two[0]).unwrap();
    assert!(shown.starts_with("<b>Step 2 of 3"), "{shown}");
    assert!(
        buttons(&parts[sent]).len() == 2,
        "the keyboard under the last part"
    );
    let edits = h.api.calls_to("editMessageText");
    assert!(
        buttons(&edits.last().unwrap().body).is_empty(),
        "none under the first"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_a_question_never_reaches_the_reply_unescaped() {
    let h = Harness::start().await;
    for question in [
        "<b>R&D</b> budget cuts?",
        "<script>alert(1)</script> what is step 2 & why",
        "</blockquote><i>hello",
        "<a href=\"x\">?</a>",
    ] {
        let reply = h.ask(USER, en(), question).await;
        for m in &reply {
            let text = text_of(m);
            assert_telegram_html(text);
            assert!(
                !text.contains("<script>") && !text.contains("<a "),
                "{text}"
            );
        }
    }
    // Knowledge-base text with '&' is escaped too.
    let reply = h.ask(USER, en(), "R&D budget cuts").await;
    assert!(
        text_of(&reply[0]).contains("R&amp;D"),
        "{}",
        text_of(&reply[0])
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_knowledge_base_text_is_escaped_in_messages_and_kept_in_labels() {
    let mut kb = embedded();
    let title = "<i>R&D</i> \"cuts\" & <script>";
    let step2 = kb.entries.iter_mut().find(|e| e.step == Some(2)).unwrap();
    step2.title = title.into();
    step2.passage = vec!["A passage with <b>tags</b> & an ampersand.".into()];
    let h = Harness::with_kb(kb).await;

    let step = h.ask(USER, en(), "/step 2").await;
    let text = text_of(&step[0]);
    assert_telegram_html(text);
    assert!(
        text.starts_with(
            "<b>Step 2 of 3 — &lt;i&gt;R&amp;D&lt;/i&gt; &quot;cuts&quot; &amp; &lt;script&gt;</b>"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "<blockquote>A passage with &lt;b&gt;tags&lt;/b&gt; &amp; an ampersand.</blockquote>"
        ),
        "{text}"
    );
    // Button labels and inline titles are plain text: escaping them would
    // show the entities.
    let steps = h.ask(USER, en(), "/steps").await;
    let (label, _) = &buttons(&steps[0])[1];
    assert_eq!(label, &format!("Step 2 of 3 — {title}"));
    h.api.push(tg::inline("iq-html", en(), ""));
    let answers = h.api.wait_calls("answerInlineQuery", 1).await;
    let result = &answers[0].body["results"][1];
    assert_eq!(result["title"], format!("Step 2 of 3 — {title}"));
    assert_telegram_html(
        result["input_message_content"]["message_text"]
            .as_str()
            .unwrap(),
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_over_4096_characters_is_split_without_breaking_a_tag() {
    let h = Harness::with_kb(long_step_2()).await;
    let reply = h.ask_parts(USER, en(), "/step 2", 2).await;
    // The barrier: step 2 asked as a question is in two parts too.
    h.ask_parts(USER, en(), "what is step 2", 2).await;
    assert_eq!(h.api.sent().len(), 4, "two parts, twice");
    assert_sendable(&reply);
    assert!(
        text_of(&reply[1]).starts_with("<blockquote expandable>"),
        "the quote reopens"
    );
    // Cut between words: with the tags gone, every word is still there.
    let all: Vec<String> = reply.iter().map(|m| strip_tags(text_of(m))).collect();
    let all = all
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        all.matches("repeated for the test &amp; then some.")
            .count(),
        80
    );
    // The buttons go under the last part only.
    assert!(buttons(&reply[0]).is_empty());
    assert_eq!(buttons(reply.last().unwrap()).len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_throttle_on_messages_to_one_chat_are_paced() {
    let mut kb = embedded();
    let long = "A passage long enough to need three messages. ".repeat(200);
    let step2 = kb.entries.iter_mut().find(|e| e.step == Some(2)).unwrap();
    step2.passage.push(long);
    let config = BotConfig {
        throttle: true,
        ..test_config()
    };
    let h = Harness::with(kb, config).await;
    h.ask_parts(USER, en(), "/step 2", 3).await;
    let at: Vec<Instant> = h.api.calls_to("sendMessage").iter().map(|c| c.at).collect();
    // Telegram allows about one message a second in one chat.
    for pair in at.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(900), "{gap:?}");
    }
    h.stop().await;
}

/// A supergroup's id (below -10¹²), which teloxide's throttle tells apart.
const SUPERGROUP: i64 = -1_000_000_005_151;

/// Asks `n` questions in `chat` at once, with pacing on, and checks that
/// all are answered, in order, one a second at most. No time limit: a
/// per-minute cap under `n` would hold the last answers for most of a
/// minute, with no call made meanwhile, which the fake's safety net
/// ([`fake_api::STALLED`]) reports. The figures themselves are checked
/// without a clock: `bot::pace`'s unit tests, and the throttle
/// `bot::client` builds.
async fn paced_answers(chat: i64, n: usize) {
    let config = BotConfig {
        throttle: true,
        ..test_config()
    };
    let h = Harness::with(embedded(), config).await;
    let ids: Vec<i64> = (0..n).map(|_| h.api.new_message_id()).collect();
    let text = if chat > 0 {
        "what is step 1"
    } else {
        "/ask what is step 1"
    };
    h.api.push_all(
        ids.iter()
            .map(|&id| tg::text(id, chat, en(), text))
            .collect(),
    );
    h.api.wait_sent(n).await;
    let sends = h.api.calls_to("sendMessage");
    assert_eq!(sends.len(), n, "{}", fake_api::dump(&sends));
    if chat < 0 {
        let answered: Vec<i64> = sends
            .iter()
            .map(|c| c.body["reply_parameters"]["message_id"].as_i64().unwrap())
            .collect();
        assert_eq!(answered, ids, "in the order asked");
    }
    // One a second in a chat, as the FAQ asks: a floor, which a slow
    // machine only widens.
    for pair in sends.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(900), "{gap:?}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supergroup_gets_20_replies_a_minute_not_10() {
    // teloxide's default (10 a minute) held the 11th for about 50 s.
    paced_answers(SUPERGROUP, 11).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_chat_is_not_capped_at_20_replies_a_minute() {
    // teloxide's default (20 a minute) held the 21st for about 40 s.
    paced_answers(USER, 21).await;
}

// ---- buttons --------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigation_buttons_edit_the_message_in_place() {
    let h = Harness::start().await;
    let reply = h.ask(USER, en(), "what is step 2").await;
    let (_, next) = buttons(&reply[0]).pop().unwrap();
    let shown = tg::bots_message(5555, USER, text_of(&reply[0]));
    h.api.push(tg::callback("cb-1", en(), shown, &next));
    let edits = h.api.wait_calls("editMessageText", 1).await;
    let edit = &edits[0].body;
    assert_eq!(edit["message_id"], json!(5555));
    assert_eq!(edit["chat_id"], json!(USER));
    assert_eq!(edit["parse_mode"], "HTML");
    assert!(edit["text"].as_str().unwrap().starts_with("<b>Step 3 of 3"));
    assert_eq!(
        buttons(edit),
        [("◀ Step 2".to_owned(), "n:2:3:en".to_owned())]
    );
    let answers = h.api.wait_calls("answerCallbackQuery", 1).await;
    assert_eq!(answers[0].body["callback_query_id"], "cb-1");
    assert!(answers[0].body.get("text").is_none());
    assert_eq!(h.api.sent().len(), 1, "no new message");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_buttons_send_the_step() {
    let h = Harness::start().await;
    let start = h.ask(USER, en(), "/start").await;
    let (_, data) = buttons(&start[0])[0].clone();
    let shown = tg::bots_message(6000, USER, "hi");
    h.api.push(tg::callback("cb-s", en(), shown, &data));
    let sent = h.api.wait_sent(2).await;
    assert_opens(&sent[1], "<b>Step 1 of 3");
    h.api.wait_calls("answerCallbackQuery", 1).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestion_buttons_answer_the_suggestion() {
    let kb = embedded();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    // Whichever of these the matcher currently finds ambiguous.
    let question = [
        "failure",
        "failures",
        "mistakes",
        "talent",
        "research",
        "korea",
        "china",
        "young researchers",
        "budget and talent",
        "ai and china",
    ]
    .into_iter()
    .find(|q| matcher.decide(q).decision == Decision::Suggest)
    .expect("one of the probe questions gets a 'did you mean'");
    let outcome = matcher.decide(question);

    let h = Harness::start().await;
    let reply = h.ask(USER, en(), question).await;
    let b = buttons(&reply[0]);
    assert_eq!(
        b.len(),
        outcome.suggestions.len(),
        "one button per suggestion"
    );
    let first = &kb.entries[outcome.suggestions[0].entry];
    assert_eq!(b[0].1, format!("e:{}:en", first.id));

    let shown = tg::bots_message(7000, USER, text_of(&reply[0]));
    h.api.push(tg::callback("cb-e", en(), shown, &b[0].1));
    let sent = h.api.wait_sent(2).await;
    let answer = text_of(&sent[1]);
    assert!(
        answer.contains(&escaped_start(&first.passage[0])),
        "{answer}"
    );
    h.api.wait_calls("answerCallbackQuery", 1).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_or_stale_button_data_is_answered_and_ignored() {
    let h = Harness::start().await;
    let forged = [
        "n:9:en",
        "e:no-such-entry:en",
        "x",
        "",
        "s:1:xx",
        "n:1:en:extra",
        "💣",
    ];
    for (i, data) in forged.iter().enumerate() {
        let shown = tg::bots_message(8000, USER, "old");
        h.api
            .push(tg::callback(&format!("forged-{i}"), en(), shown, data));
    }
    // A callback with no data at all.
    let shown = tg::bots_message(8000, USER, "old");
    h.api.push(json!({"callback_query": {"id": "nodata", "from": en(), "chat_instance": "c", "message": shown}}));
    let calls = h.barrier(USER).await;
    let answers: Vec<&Call> = calls
        .iter()
        .filter(|c| c.method == "answercallbackquery")
        .collect();
    assert_eq!(
        answers.len(),
        forged.len() + 1,
        "{}",
        fake_api::dump(&calls)
    );
    for a in answers {
        assert!(
            a.body["text"].as_str().unwrap().contains("out of date"),
            "{}",
            a.body
        );
    }
    assert!(calls.iter().all(|c| c.method != "editmessagetext"));
    assert_eq!(h.api.sent().len(), 1, "only the barrier's answer");

    // Valid data under a message the bot cannot reach (an inline message).
    h.api.push(json!({"callback_query": {
        "id": "inline-1", "from": en(), "chat_instance": "c",
        "inline_message_id": "im-1", "data": "n:2:en",
    }}));
    let answers = h
        .api
        .wait_calls("answerCallbackQuery", forged.len() + 2)
        .await;
    let last = &answers.last().unwrap().body;
    assert_eq!(last["callback_query_id"], "inline-1");
    assert!(last["text"].as_str().unwrap().contains("too old"), "{last}");
    h.barrier(USER).await;
    assert!(h.api.calls_to("editMessageText").is_empty());
    assert_eq!(h.api.sent().len(), 2, "only the barriers' answers");
    h.stop().await;
}

// ---- groups ---------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_ask_commands_are_answered_as_replies() {
    let h = Harness::start().await;
    for text in [
        "/ask what is step 2",
        &format!("/ask@{BOT_USERNAME} what is step 2"),
    ] {
        let id = h.api.new_message_id();
        let sent = h.exchange(tg::text(id, GROUP, en(), text), 1).await;
        let m = &sent[0];
        assert_eq!(m["chat_id"], json!(GROUP));
        assert!(text_of(m).starts_with("<b>Step 2 of 3"), "{text}");
        assert_eq!(
            m["reply_parameters"]["message_id"],
            json!(id),
            "{text}: {m}"
        );
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_ask_in_a_group_prompts_for_a_reply_which_is_answered() {
    // Privacy mode on, as for every new bot: a mention would not arrive.
    let h = Harness::start().await;
    for (lang, opening, placeholder) in [
        (
            "en",
            "Ask like this: reply to this message",
            "Your question",
        ),
        ("ko", "이렇게 물어보세요: 이 메시지에 답장으로", "질문"),
    ] {
        let id = h.api.new_message_id();
        let from = tg::user(USER, lang);
        let sent = h
            .exchange(tg::text(id, GROUP, from.clone(), "/ask"), 1)
            .await;
        let prompt = &sent[0];
        let text = text_of(prompt);
        assert!(text.starts_with(opening) && !text.contains('\n'), "{text}");
        // Never "@bot question": not delivered, and it opens inline mode.
        assert!(!text.contains(&format!("@{BOT_USERNAME}")), "{text}");
        // ForceReply, for the asker only (the prompt replies to them).
        let markup = &prompt["reply_markup"];
        assert_eq!(markup["force_reply"], json!(true), "{prompt}");
        assert_eq!(markup["selective"], json!(true), "{prompt}");
        let hint = markup["input_field_placeholder"].as_str().unwrap_or("");
        assert!(
            hint.contains(placeholder) && (1..=64).contains(&hint.chars().count()),
            "{hint:?}"
        );
        assert_eq!(prompt["reply_parameters"]["message_id"], json!(id));

        // The reply the app opens is a reply to the bot: delivered, and answered.
        // Nothing was numbered since: the prompt's id.
        let shown = tg::message(
            h.api.last_message_id(),
            GROUP,
            fake_api::bot_user(),
            json!({ "text": text }),
        );
        let reply_id = h.api.new_message_id();
        let reply = tg::message(
            reply_id,
            GROUP,
            from,
            json!({"text": "what is step 2?", "reply_to_message": shown}),
        );
        let answer = h.exchange(json!({ "message": reply }), 1).await;
        assert!(text_of(&answer[0]).contains("2"), "{}", answer[0]);
        assert_opens(&answer[0], "<b>");
        assert_eq!(answer[0]["reply_parameters"]["message_id"], json!(reply_id));
    }
    // In a private chat any message is a question: no prompt, just how.
    let usage = h.ask(USER, en(), "/ask").await;
    assert_opens(&usage[0], "Ask like this: What is the second step?");
    assert!(usage[0].get("reply_markup").is_none(), "{}", usage[0]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_advice_names_only_ways_that_reach_the_bot() {
    let mention = format!("@{BOT_USERNAME}");
    // Privacy mode on: /ask, or a reply; no mention.
    let h = Harness::start().await;
    h.api
        .push(tg::my_chat_member(GROUP, en(), "left", "member"));
    let intro = text_of(&h.api.wait_sent(1).await[0]).to_owned();
    assert!(
        intro.contains("/ask QUESTION") && intro.contains("reply to one of my messages"),
        "{intro}"
    );
    let asking = intro.replace(&format!("/ask{mention}"), "");
    assert!(!asking.contains(&mention), "{intro}");
    // As Telegram does, the fake withholds a plain mention, and delivers
    // a command, a reply to the bot, and a message sent via it.
    let said = |fields: Value| json!({"message": tg::message(h.api.new_message_id(), GROUP, en(), fields)});
    let bots = tg::bots_message(9000, GROUP, "Step 1 …");
    for (fields, delivered) in [
        (json!({"text": format!("{mention} what is step 1?")}), false),
        (json!({"text": "what is step 1?"}), false),
        (json!({"text": "/ask@other_bot what is step 1?"}), false),
        (json!({"text": "/ask what is step 1?"}), true),
        (
            json!({"text": "and step 2?", "reply_to_message": bots}),
            true,
        ),
        (
            json!({"text": "Step 1", "via_bot": fake_api::bot_user()}),
            true,
        ),
    ] {
        let what = fields.to_string();
        assert_eq!(h.api.push(said(fields)).is_some(), delivered, "{what}");
    }
    h.stop().await;
    // Privacy mode off: a mention reaches the bot too, after the question
    // (one that starts with it opens inline mode).
    let h = Harness::reading_all().await;
    h.api
        .push(tg::my_chat_member(GROUP, en(), "left", "member"));
    let intro = text_of(&h.api.wait_sent(1).await[0]).to_owned();
    assert!(
        intro.contains(&format!("end your question with {mention}")),
        "{intro}"
    );
    let answer = h
        .ask(GROUP, en(), &format!("what is step 1? {mention}"))
        .await;
    assert_opens(&answer[0], "<b>Step 1 of 3");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_ignore_other_bots_commands_chatter_and_bots() {
    // What the bot itself ignores: with privacy mode on, Telegram would
    // not even deliver most of these.
    let h = Harness::reading_all().await;
    let ignored = [
        (en(), "/ask@other_bot what is step 2"),
        (en(), "what is step 2"),
        (en(), "lunch anyone?"),
        (en(), "/weather"),
        (
            json!({"id": 99, "is_bot": true, "first_name": "Other", "username": "other_bot"}),
            "/ask what is step 2",
        ),
    ];
    for (from, text) in ignored {
        h.api
            .push(tg::text(h.api.new_message_id(), GROUP, from, text));
    }
    let calls = h.barrier(GROUP).await;
    assert_sent(&h, 1, "only the barrier", &calls);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_answer_a_mention_and_a_reply_to_the_bot() {
    // Privacy mode off: with it on, Telegram delivers no plain mention.
    let h = Harness::reading_all().await;
    let id = h.api.new_message_id();
    h.api.push(tg::text(
        id,
        GROUP,
        en(),
        &format!("@{BOT_USERNAME} what is step 1?"),
    ));
    let sent = h.api.wait_sent(1).await;
    assert_opens(&sent[0], "<b>Step 1 of 3");
    assert_eq!(sent[0]["reply_parameters"]["message_id"], json!(id));

    let bots_message = tg::bots_message(9000, GROUP, "Step 1 …");
    let id = h.api.new_message_id();
    let reply = tg::message(
        id,
        GROUP,
        en(),
        json!({"text": "and what is step 2?", "reply_to_message": bots_message}),
    );
    h.api.push(json!({ "message": reply }));
    let sent = h.api.wait_sent(2).await;
    assert_opens(&sent[1], "<b>Step 2 of 3");
    assert_eq!(sent[1]["reply_parameters"]["message_id"], json!(id));

    // A reply to someone else is chatter.
    let other = tg::message(9001, GROUP, tg::user(31, "en"), json!({"text": "hi"}));
    let reply = tg::message(
        h.api.new_message_id(),
        GROUP,
        en(),
        json!({"text": "what is step 1?", "reply_to_message": other}),
    );
    h.api.push(json!({ "message": reply }));
    h.barrier(GROUP).await;
    assert_eq!(h.api.sent().len(), 3, "two answers and the barrier");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn being_added_to_a_group_posts_one_introduction() {
    let h = Harness::start().await;
    h.api
        .push(tg::my_chat_member(GROUP, en(), "left", "member"));
    let sent = h.api.wait_sent(1).await;
    assert_opens(&sent[0], "Hello! I answer questions about the column");
    let intro = text_of(&sent[0]);
    assert!(intro.contains(&format!("/ask@{BOT_USERNAME}")), "{intro}");
    assert!(sent[0].get("reply_parameters").is_none(), "{}", sent[0]);
    // Promotion to admin, and the same in a private chat: no second intro.
    h.api
        .push(tg::my_chat_member(GROUP, en(), "member", "administrator"));
    h.api.push(tg::my_chat_member(USER, en(), "left", "member"));
    h.barrier(GROUP).await;
    h.barrier(USER).await;
    assert_eq!(h.api.sent().len(), 3, "intro and two barriers");
    h.stop().await;
}

// ---- inline mode -----------------------------------------------------------

/// Sends an inline query from `from` and waits for the bot's answer to
/// it, which the fake accepted; returns the answer's body.
async fn inline_answer(h: &Harness, id: &str, from: Value, query: &str) -> Value {
    h.api.push(tg::inline(id, from, query));
    let calls = h
        .api
        .wait_until(&format!("the answer to inline query {id}"), |calls| {
            calls.iter().any(|c| c.body["inline_query_id"] == id)
        })
        .await;
    let answer = calls
        .iter()
        .find(|c| c.body["inline_query_id"] == id)
        .expect("waited for");
    assert!(!answer.failed, "refused: {}", answer.body);
    answer.body.clone()
}

/// Sends an inline query and waits for the bot's answer to it; returns its results.
async fn inline_results(h: &Harness, id: &str, query: &str) -> Vec<Value> {
    inline_answer(h, id, en(), query).await["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn result_ids(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_offer_the_best_passages_or_the_steps() {
    let kb = embedded();
    let h = Harness::start().await;
    let results = inline_results(&h, "iq-1", "what is step 2").await;
    assert!((1..=5).contains(&results.len()), "{}", results.len());
    let first = &results[0];
    assert_eq!(first["type"], "article");
    assert_eq!(first["id"], "step-2");
    assert!(
        first["title"]
            .as_str()
            .unwrap()
            .starts_with("Step 2 of 3 — ")
    );
    let content = &first["input_message_content"];
    assert_eq!(content["parse_mode"], "HTML");
    let text = content["message_text"].as_str().unwrap();
    assert!(text.contains(&escaped_start(&step_passage(&kb, 2))));
    assert_telegram_html(text);

    // Nothing typed yet, or nothing but small talk: the three steps.
    for (id, query) in [("iq-2", "  "), ("iq-3", "hello")] {
        let results = inline_results(&h, id, query).await;
        assert_eq!(
            result_ids(&results),
            ["step-1", "step-2", "step-3"],
            "{query:?}"
        );
    }

    let results = inline_results(&h, "iq-4", "how do i bake sourdough bread").await;
    assert!(results.is_empty(), "nothing matches: {results:?}");

    // A question the bot declines in a chat gets no passage here either,
    // though a passage shares some of its words.
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let floor = MatcherConfig::default().suggest_threshold;
    let declined = kb
        .out_of_scope
        .iter()
        .find(|q| {
            matcher.decide(q).decision == Decision::Decline
                && matcher.rank(q).first().is_some_and(|c| c.score >= floor)
        })
        .expect("an out-of-scope question that shares words with a passage");
    let results = inline_results(&h, "iq-5", declined).await;
    assert!(
        results.is_empty(),
        "{declined:?}: {:?}",
        result_ids(&results)
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_answers_in_the_senders_language_are_personal_and_others_may_be_shared() {
    let h = Harness::start().await;
    let ko = tg::user(USER + 1, "ko");
    // Nothing typed: the steps, in the sender's language, for the sender only.
    let answer = inline_answer(&h, "iq-ko", ko.clone(), "").await;
    let title = answer["results"][0]["title"].as_str().unwrap();
    assert!(title.starts_with("1단계"), "{title}");
    assert_eq!(answer["is_personal"], json!(true), "{answer}");
    let answer = inline_answer(&h, "iq-en", en(), "").await;
    assert_eq!(answer["is_personal"], json!(true), "{answer}");
    // A question: answered in its own language, the same for everyone.
    let answer = inline_answer(&h, "iq-q", ko, "what is step 2").await;
    let title = answer["results"][0]["title"].as_str().unwrap();
    assert!(title.starts_with("Step 2 of 3"), "{title}");
    assert!(answer.get("is_personal").is_none(), "{answer}");
    assert!(answer.get("button").is_none(), "{answer}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inline_query_nothing_matches_offers_a_button_that_opens_the_bot() {
    let h = Harness::start().await;
    let answer = inline_answer(&h, "iq-none", en(), "how do i bake sourdough bread").await;
    assert_eq!(answer["results"], json!([]));
    assert_eq!(
        answer["button"],
        json!({"text": "No passage matches: open the bot", "start_parameter": "inline"})
    );
    // The button sends /start with its parameter: the greeting.
    let reply = h.ask(USER, en(), "/start inline").await;
    assert_opens(&reply[0], "Hello! I answer questions about the column");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_fold_long_quotes_and_carry_a_button_to_share_them() {
    let kb = embedded();
    let h = Harness::start().await;
    let reply = h.ask(USER, en(), "/step 1").await;
    let text = text_of(&reply[0]);
    assert!(text.contains("<blockquote expandable>"), "{text}");
    assert_telegram_html(text);
    let step1 = kb.step(1).unwrap();
    assert_eq!(
        share_buttons(&reply[0]),
        [("↗ Share".to_owned(), step1.questions[0].clone())]
    );
    let reply = h
        .ask(USER, tg::user(USER, "ko"), "두 번째 단계가 뭐야?")
        .await;
    assert_eq!(
        share_buttons(&reply[0]),
        [(
            "↗ 공유하기".to_owned(),
            kb.step(2).unwrap().questions_ko[0].clone()
        )]
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_inline_mode_nothing_points_at_it() {
    // @BotFather's /setinline never sent: Telegram sends no inline queries,
    // so a Share button, or /help's "type @bot", would lead nowhere.
    let api = FakeApi::start(TOKEN).await;
    api.without_inline_mode();
    let h = Harness::on(api, embedded(), test_config()).await;
    for question in ["/step 1", "what is step 2"] {
        let reply = h.ask(USER, en(), question).await;
        assert!(share_buttons(&reply[0]).is_empty(), "{}", reply[0]);
        assert!(!buttons(&reply[0]).is_empty(), "navigation stays");
    }
    let help = h.ask(USER, en(), "/help").await;
    assert!(
        !text_of(&help[0]).contains(&format!("type @{BOT_USERNAME}")),
        "{}",
        help[0]
    );
    // A button pressed: the step it sends has no Share either.
    let shown = tg::bots_message(h.api.new_message_id(), USER, "Step 1");
    let before = h.api.sent().len();
    h.api.push(tg::callback("cb-1", en(), shown, "s:3:en"));
    let sent = h.api.wait_sent(before + 1).await;
    assert_opens(&sent[before], "<b>Step 3 of 3");
    assert!(share_buttons(&sent[before]).is_empty(), "{}", sent[before]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_admins_and_channels_are_answered_but_are_never_admins() {
    let config = BotConfig {
        admins: vec![tg::ANONYMOUS_ADMIN as u64, USER as u64],
        ..test_config()
    };
    let h = Harness::with(embedded(), config).await;
    let id = h.api.new_message_id();
    let sent = h
        .exchange(tg::as_group(id, GROUP, "/ask what is step 3"), 1)
        .await;
    // Step 3, not 2: the barrier below asks for step 2, and a group's
    // repeated question within a minute gets a reaction, not an answer.
    assert_opens(&sent[0], "<b>Step 3 of 3");
    assert_eq!(sent[0]["reply_parameters"]["message_id"], json!(id));
    let id = h.api.new_message_id();
    // A command: with privacy mode on, a channel's plain mention would not
    // reach the bot at all.
    let sent = h
        .exchange(
            tg::as_channel(id, GROUP, -1_000_000_000_999, "/ask what is step 1?"),
            1,
        )
        .await;
    assert_opens(&sent[0], "<b>Step 1 of 3");
    // The placeholder's id is no admin's, even when listed.
    h.api
        .push(tg::as_group(h.api.new_message_id(), GROUP, "/reload"));
    let calls = h.barrier(GROUP).await;
    assert_sent(&h, 3, "two answers and the barrier", &calls);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passages_sent_through_the_bots_own_inline_mode_are_not_answered() {
    let h = Harness::start().await;
    let mention = format!("Step 2 of 3 — what is step 2 @{BOT_USERNAME}");
    for (chat, text) in [(USER, "what is step 2"), (GROUP, mention.as_str())] {
        let id = h.api.new_message_id();
        h.api.push(tg::via_me(tg::text(id, chat, en(), text)));
    }
    h.barrier(USER).await;
    let calls = h.barrier(GROUP).await;
    assert_sent(&h, 2, "only the barriers", &calls);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_part_of_a_split_answer_replies_in_the_askers_forum_topic() {
    const FORUM: i64 = -1_000_000_000_777;
    let h = Harness::with_kb(long_step_2()).await;
    let id = h.api.new_message_id();
    let asked = tg::text(id, FORUM, en(), "/ask what is step 2");
    let parts = h.exchange(tg::in_topic(asked, 77), 2).await;
    for part in &parts {
        assert_eq!(part["message_thread_id"], json!(77), "{part}");
        assert_eq!(part["reply_parameters"]["message_id"], json!(id), "{part}");
    }
    // A reply thread outside a forum is no topic: no message_thread_id.
    // Another group, so this answer owes nothing to the one above (a
    // group's repeated question is the crowd rule's, tested in flood.rs).
    let id = h.api.new_message_id();
    let mut asked = tg::text(id, FORUM - 1, en(), "/ask what is step 2");
    asked["message"]["message_thread_id"] = json!(55);
    let parts = h.exchange(asked, 2).await;
    for part in &parts {
        assert!(part.get("message_thread_id").is_none(), "{part}");
        assert_eq!(part["reply_parameters"]["message_id"], json!(id), "{part}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_in_one_forum_topic_is_not_pointed_at_from_another() {
    const FORUM: i64 = -1_000_000_000_778;
    let h = Harness::start().await;
    let ask = |from: Value, topic: i64| {
        let asked = tg::text(h.api.new_message_id(), FORUM, from, "/ask what is step 1");
        tg::in_topic(asked, topic)
    };
    let first = h.exchange(ask(en(), 77), 1).await;
    assert_eq!(first[0]["message_thread_id"], json!(77));
    // The same question in another topic, where that answer is not above.
    let other = tg::user(USER + 7, "en");
    let answer = h.exchange(ask(other, 78), 1).await;
    assert_opens(&answer[0], "<b>Step 1 of 3");
    assert_eq!(answer[0]["message_thread_id"], json!(78), "{}", answer[0]);
    // In the first topic again, it is above: a reaction.
    h.api.push(ask(tg::user(USER + 8, "en"), 77));
    h.api.wait_calls("setMessageReaction", 1).await;
    assert_eq!(h.api.sent().len(), 2);
    h.stop().await;
}

/// The fake refuses, as Telegram documents, what the tests above rely on
/// it to refuse: were it to accept these, a bot that sends them would pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_refuses_bad_result_ids_edits_that_change_nothing_or_find_nothing_and_bad_messages()
 {
    use teloxide::ApiError;
    use teloxide::RequestError;
    use teloxide::payloads::SendMessageSetters;
    use teloxide::prelude::Requester;
    use teloxide::types::{
        ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryId,
        InlineQueryResultArticle, InputMessageContent, InputMessageContentText, ParseMode,
    };
    let api = FakeApi::start(TOKEN).await;
    let tg = bot::bot(TOKEN, Some(&api.url), None, &test_config()).expect("bot");
    let bot = tg.bot();
    let article_with = |id: &str, text: &str| {
        let text = InputMessageContent::Text(
            InputMessageContentText::new(text).parse_mode(ParseMode::Html),
        );
        InlineQueryResultArticle::new(id, "title", text).into()
    };
    let article = |id: &str| article_with(id, "passage");
    let refusal = |e: RequestError| match e {
        RequestError::Api(ApiError::Unknown(description)) => description,
        other => panic!("{other:?}"),
    };
    let long = "x".repeat(65);
    for (ids, refused) in [
        (vec!["x".repeat(64)], None),
        (vec![long], Some("Bad Request: RESULT_ID_INVALID")),
        (vec![String::new()], Some("Bad Request: RESULT_ID_INVALID")),
        (
            vec!["a".into(), "a".into()],
            Some("Bad Request: RESULT_ID_DUPLICATE"),
        ),
    ] {
        let results: Vec<_> = ids.iter().map(|id| article(id)).collect();
        let answer = bot
            .answer_inline_query(InlineQueryId("iq".into()), results)
            .await;
        assert_eq!(answer.err().map(refusal).as_deref(), refused, "{ids:?}");
    }
    // A result's message is held to sendMessage's rules.
    let unclosed = bot
        .answer_inline_query(InlineQueryId("iq".into()), [article_with("a", "<b>open")])
        .await;
    assert!(
        matches!(
            unclosed,
            Err(RequestError::Api(ApiError::CantParseEntities(_)))
        ),
        "{unclosed:?}"
    );
    let chat = ChatId(USER);
    let sent = bot.send_message(chat, "one").await.unwrap();
    let again = bot.edit_message_text(chat, sent.id, "one").await;
    assert!(
        matches!(again, Err(RequestError::Api(ApiError::MessageNotModified))),
        "{again:?}"
    );
    bot.edit_message_text(chat, sent.id, "two").await.unwrap();
    // What sendMessage refuses of a text and its buttons.
    let html = |text: &str| {
        bot.send_message(chat, text.to_owned())
            .parse_mode(ParseMode::Html)
    };
    for bad in ["<b>open", "<b>crossed<i></b></i>", "<p>unknown</p>", "<b"] {
        let refused = html(bad).await.expect_err(bad);
        assert!(
            matches!(&refused, RequestError::Api(ApiError::CantParseEntities(_))),
            "{bad}: {refused:?}"
        );
    }
    html("<blockquote expandable><b>bold</b> &amp; &lt;i&gt;</blockquote>")
        .await
        .unwrap();
    // 4096 characters once parsed: "&amp;" is one.
    html(&"&amp;".repeat(4096)).await.unwrap();
    let long = html(&"&amp;".repeat(4097)).await;
    assert!(
        matches!(long, Err(RequestError::Api(ApiError::MessageIsTooLong))),
        "{long:?}"
    );
    let empty = html("<b> </b>").await;
    assert!(
        matches!(empty, Err(RequestError::Api(ApiError::MessageTextIsEmpty))),
        "{empty:?}"
    );
    for (data, ok) in [("x".repeat(64), true), ("x".repeat(65), false)] {
        let button = InlineKeyboardButton::callback("press", data.clone());
        let sent = bot
            .send_message(chat, "buttons")
            .reply_markup(InlineKeyboardMarkup::new([[button]]))
            .await;
        match sent {
            Ok(_) => assert!(ok, "{data}"),
            Err(RequestError::Api(ApiError::ButtonDataInvalid)) => assert!(!ok, "{data}"),
            Err(e) => panic!("{e:?}"),
        }
    }
    bot.delete_message(chat, sent.id).await.unwrap();
    let gone = bot.edit_message_text(chat, sent.id, "three").await;
    assert!(
        matches!(
            gone,
            Err(RequestError::Api(ApiError::MessageToEditNotFound))
        ),
        "{gone:?}"
    );
}

// ---- failures of the API -----------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_send_message_is_waited_out_and_delivered_exactly_once() {
    let h = Harness::start().await;
    h.api.fail_next("sendMessage", Failure::RetryAfter(1));
    let reply = h.ask(USER, en(), "what is step 3").await;
    assert_opens(&reply[0], "<b>Step 3 of 3");
    // Whatever was still to come for that question has come by now.
    h.barrier(USER).await;
    let attempts = h.api.calls_to("sendMessage");
    assert_eq!(attempts.len(), 3, "{}", fake_api::dump(&attempts));
    let (refused, retried) = (&attempts[0], &attempts[1]);
    assert!(refused.failed && !retried.failed);
    assert_eq!(refused.body, retried.body, "the same message sent again");
    let waited = retried.at - refused.at;
    assert!(
        waited >= Duration::from_millis(950),
        "retry_after (1 s) was not waited out: {waited:?}"
    );
    let answer = &refused.body["text"];
    let delivered = h.api.sent().iter().filter(|m| &m["text"] == answer).count();
    assert_eq!(delivered, 1, "exactly one delivered reply to the question");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_errors_are_retried_for_polling_and_for_replies() {
    let h = Harness::start().await;
    h.api.wait_calls("getUpdates", 1).await;
    h.api.fail_next("getUpdates", Failure::Disconnect);
    h.api.fail_next("sendMessage", Failure::Disconnect);
    let reply = h.ask(USER, en(), "what is step 1").await;
    assert_opens(&reply[0], "<b>Step 1 of 3");
    assert!(h.api.calls_to("getUpdates").iter().any(|c| c.failed));
    let attempts = h.api.calls_to("sendMessage");
    assert_eq!(attempts.len(), 2);
    assert!(attempts[0].failed && !attempts[1].failed);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_left_set_is_deleted_before_polling_even_when_get_webhook_info_fails() {
    let api = FakeApi::start(TOKEN).await;
    // Left by an earlier deployment in webhook mode: getUpdates is refused.
    api.set_webhook("https://old.example.invalid/hook");
    // A look at the webhook that fails must not keep it set; nor must the
    // first delete, lost on the way.
    for _ in 0..5 {
        api.fail_next("getWebhookInfo", Failure::Disconnect);
    }
    api.fail_next("deleteWebhook", Failure::Disconnect);
    let h = Harness::on(api, embedded(), test_config()).await;
    let reply = h.ask(USER, en(), "what is step 1").await;
    assert_opens(&reply[0], "<b>Step 1 of 3");
    assert_eq!(h.api.webhook(), None);
    let deletes = h.api.calls_to("deleteWebhook");
    assert!(
        deletes[0].failed && !deletes[1].failed,
        "{}",
        fake_api::dump(&deletes)
    );
    // Updates Telegram holds are kept.
    assert_ne!(deletes[1].body["drop_pending_updates"], json!(true));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_refused_because_a_webhook_is_set_deletes_it_and_polling_goes_on() {
    let h = Harness::start().await;
    h.ask(USER, en(), "what is step 1").await;
    // Another deployment sets a webhook while this one polls.
    h.api.set_webhook("https://other.example.invalid/hook");
    h.api
        .wait_until("a poll refused with 409", |calls| {
            calls.iter().any(|c| c.method == "getupdates" && c.failed)
        })
        .await;
    let reply = h.ask(USER, en(), "what is step 2").await;
    assert_opens(&reply[0], "<b>Step 2 of 3");
    assert_eq!(h.api.webhook(), None);
    h.stop().await;
}

// ---- hostile input ---------------------------------------------------------
//
// What a client that is not Telegram's, or a person poking at the bot, can
// send: button data no button carries, inline queries at and past
// Telegram's limit, entities that point outside their text, commands with
// an empty bot name. Every such update is answered or ignored, never a
// panic; each test ends by asking a normal question, which must still be
// answered.

/// What the bot sent in reply to `update` in `chat`. A barrier follows it
/// in the same chat, `/step 3`, whose answer no update here gets: the
/// replies are what came before that answer. (Counting messages would not
/// do: the update's own reply could be taken for the barrier's.)
async fn replies_to(h: &Harness, chat: i64, update: Value) -> Vec<Value> {
    const BARRIER: &str = "<b>Step 3 of 3";
    let before = h.api.sent().len();
    h.api.push(update);
    h.api
        .push(tg::text(h.api.new_message_id(), chat, en(), "/step 3"));
    h.api
        .wait_until("the barrier's answer", |calls| {
            calls
                .iter()
                .filter(|c| c.method == "sendmessage" && !c.failed)
                .skip(before)
                .any(|c| text_of(&c.body).starts_with(BARRIER))
        })
        .await;
    let mut sent = h.api.sent().split_off(before);
    let barrier = sent
        .iter()
        .position(|m| text_of(m).starts_with(BARRIER))
        .expect("waited for");
    sent.truncate(barrier);
    sent
}

/// Asks a normal question, which must get its normal answer, and stops.
async fn still_answers_then_stop(h: Harness) {
    let reply = h.ask(USER, en(), "what is step 3").await;
    assert_opens(&reply[0], "<b>Step 3 of 3");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_garbage_button_data_is_answered_as_stale() {
    let h = Harness::start().await;
    let kb = embedded();
    let id = &kb.entries[0].id;
    // Telegram caps callback data at 64 bytes; a forged client need not.
    let oversized = [
        format!("n:2:en{}", " ".repeat(59)),
        "n:2:en".repeat(11),
        format!("e:{id}:en").repeat(20),
        format!("e:{}:en", "x".repeat(60)),
        "💣".repeat(4096),
        "x".repeat(100_000),
    ];
    let garbage = [
        "n:2:en\0",
        "\0",
        "n:2:en\u{200b}",
        "\u{202e}ne:2:n",
        "n:99999999999999999999999:en",
        "n:-0:en",
        "s:1:EN",
        "::::::::",
        "e:../../etc/passwd:en",
        "e:step-1:en:ko",
        "e:\u{301}:en",
        "%6E%3A2%3Aen",
    ];
    let all: Vec<&str> = oversized
        .iter()
        .map(String::as_str)
        .chain(garbage)
        .collect();
    for (i, data) in all.iter().enumerate() {
        assert_eq!(
            oversized.iter().any(|o| o == data),
            data.len() > 64,
            "{data:?}"
        );
        let shown = tg::bots_message(8100, USER, "old");
        h.api
            .push(tg::callback(&format!("hostile-{i}"), en(), shown, data));
    }
    // Data of the wrong JSON type does not parse as a callback query at all;
    // `null` is no data.
    for (i, data) in [
        json!(null),
        json!(12345),
        json!(["n:2:en"]),
        json!({"n": 2}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut update = tg::callback(
            &format!("typed-{i}"),
            en(),
            tg::bots_message(8100, USER, "old"),
            "",
        );
        update["callback_query"]["data"] = data;
        h.api.push(update);
    }
    let calls = h.barrier(USER).await;
    let answers: Vec<&Call> = calls
        .iter()
        .filter(|c| c.method == "answercallbackquery")
        .collect();
    let answered: Vec<&str> = answers
        .iter()
        .map(|a| a.body["callback_query_id"].as_str().unwrap_or(""))
        .collect();
    for (i, data) in all.iter().enumerate() {
        let id = format!("hostile-{i}");
        assert!(answered.contains(&id.as_str()), "{id} ({data:?})");
    }
    assert!(answered.contains(&"typed-0"), "null data: {answered:?}");
    for a in &answers {
        let text = a.body["text"].as_str().unwrap_or("");
        assert!(text.contains("out of date"), "{}", a.body);
    }
    assert!(calls.iter().all(|c| c.method != "editmessagetext"));
    assert_eq!(h.api.sent().len(), 1, "only the barrier's answer");
    still_answers_then_stop(h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_at_and_past_the_256_character_limit_are_answered() {
    let h = Harness::start().await;
    let queries = [
        // Exactly 256 characters, of one UTF-16 unit each.
        ("ascii", format!("what is step 2 {}", "x".repeat(241))),
        ("hangul", "단계".repeat(128)),
        ("jamo", "ㄷㅏㄴㄱㅖ".repeat(51) + "ㄷ"),
        ("zero-width", "\u{200b}".repeat(256)),
        ("bidi", "\u{202e}\u{2066}".repeat(128)),
        ("combining", format!("a{}", "\u{301}".repeat(255))),
        ("nul", "\0".repeat(256)),
        // 256 UTF-16 units in 128 characters, and 256 characters in 512 units.
        ("emoji-units", "🔬".repeat(128)),
        ("emoji-chars", "🔬".repeat(256)),
        // Far past anything Telegram sends: only a forged update has it.
        ("forged", "what is step 2 ".repeat(700)),
    ];
    for (what, query) in &queries {
        if *what != "emoji-chars" && *what != "forged" {
            assert_eq!(utf16_len(query), 256, "{what}");
        }
        let results = inline_results(&h, &format!("iq-{what}"), query).await;
        assert!(results.len() <= 5, "{what}: {}", results.len());
        for r in &results {
            assert!(r["id"].as_str().unwrap().len() <= 64, "{what}: {r}");
            let text = r["input_message_content"]["message_text"].as_str().unwrap();
            assert!(utf16_len(text) <= 4096, "{what}");
            assert_telegram_html(text);
        }
    }
    still_answers_then_stop(h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_that_point_outside_the_text_are_ignored() {
    // Privacy mode off, so the group message below reaches the bot.
    let h = Harness::reading_all().await;
    // The bot reads the text, not the entities: a question with entities
    // that make no sense is still the question. Offsets and lengths are in
    // UTF-16 units; "what is step 2" has 14.
    let text = "what is step 2";
    let many: Vec<Value> = (0..1000)
        .map(|i| json!({"type": "bold", "offset": i, "length": 3}))
        .collect();
    let answered = [
        (
            "past the end",
            json!([{"type": "bold", "offset": 1000, "length": 5}]),
        ),
        (
            "longer than the text",
            json!([{"type": "bot_command", "offset": 0, "length": 500}]),
        ),
        (
            "at the very end",
            json!([{"type": "mention", "offset": 14, "length": 1}]),
        ),
        (
            "empty",
            json!([{"type": "italic", "offset": 3, "length": 0}]),
        ),
        (
            "u32::MAX",
            json!([{"type": "code", "offset": u32::MAX, "length": u32::MAX}]),
        ),
        (
            "overflowing offset + length",
            json!([{"type": "bold", "offset": i64::MAX, "length": i64::MAX}]),
        ),
        (
            "a link past the end",
            json!([{"type": "text_link", "offset": 10, "length": 99, "url": "https://example.com/"}]),
        ),
        (
            "a mention of the bot the text does not have",
            json!([{"type": "text_mention", "offset": 0, "length": 4, "user": fake_api::bot_user()}]),
        ),
        ("a thousand, overlapping", Value::Array(many)),
    ];
    for (what, entities) in answered {
        let fields = json!({"text": text, "entities": entities});
        let id = h.api.new_message_id();
        let update = json!({"message": tg::message(id, USER, en(), fields)});
        let replies = replies_to(&h, USER, update).await;
        assert_eq!(replies.len(), 1, "{what}");
        assert_opens(&replies[0], "<b>Step 2 of 3");
    }
    // Inside a surrogate pair: offset 1 cuts "🔬" in half.
    let fields = json!({
        "photo": [{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}],
        "caption": "🔬 what is step 2",
        "caption_entities": [{"type": "bold", "offset": 1, "length": 1}],
    });
    let update = json!({"message": tg::message(h.api.new_message_id(), USER, en(), fields)});
    let replies = replies_to(&h, USER, update).await;
    assert_eq!(replies.len(), 1, "a caption's entities");
    assert_opens(&replies[0], "<b>Step 2 of 3");

    // Entities that do not even parse (a negative offset, a length that is
    // not a number, no type, not a list) make the message unreadable.
    for entities in [
        json!([{"type": "bold", "offset": -1, "length": 3}]),
        json!([{"type": "bold", "offset": 0, "length": "all"}]),
        json!([{"offset": 0, "length": 4}]),
        json!("not a list"),
    ] {
        let fields = json!({"text": text, "entities": entities.clone()});
        let update = json!({"message": tg::message(h.api.new_message_id(), USER, en(), fields)});
        let replies = replies_to(&h, USER, update).await;
        // teloxide keeps such a message, without its text: to the bot it is
        // one it cannot read, and it says so.
        assert_eq!(replies.len(), 1, "{entities}: {replies:?}");
        assert_opens(&replies[0], "I can only read text.");
    }

    // In a group the bot is addressed by its name in the text, not by an
    // entity claiming a mention where the text has none.
    let fields = json!({
        "text": text,
        "entities": [{"type": "mention", "offset": 0, "length": 12}],
    });
    let update = json!({"message": tg::message(h.api.new_message_id(), GROUP, en(), fields)});
    assert!(replies_to(&h, GROUP, update).await.is_empty());
    still_answers_then_stop(h).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_with_an_empty_or_odd_bot_name_are_handled() {
    // Privacy mode off: each text below reaches the bot, which decides.
    let h = Harness::reading_all().await;
    let me = BOT_USERNAME;
    // (text, reply in a private chat, reply in a group): the opening of the
    // one reply expected, or None for no reply.
    let at_me_twice = format!("@{me}@{me}");
    let cases: Vec<(String, Option<&str>, Option<&str>)> = vec![
        // Addressed to a bot with no name: to none, so to no one.
        ("/ask@".into(), None, None),
        ("/ask@ what is step 2".into(), None, None),
        ("/ask@\u{200b} what is step 2".into(), None, None),
        (format!("/ask@@{me} what is step 2"), None, None),
        (format!("/ask@{me}@ what is step 2"), None, None),
        // No command name: not a command, but text, which mentions the bot.
        (
            format!("/@{me} what is step 2"),
            Some("<b>Step 2 of 3"),
            Some("<b>Step 2 of 3"),
        ),
        ("/@".into(), Some(""), None),
        ("@".into(), Some(""), None),
        ("/".into(), Some(""), None),
        // This bot's name in capitals.
        (
            format!("/ask@{} what is step 2", me.to_uppercase()),
            Some("<b>Step 2 of 3"),
            Some("<b>Step 2 of 3"),
        ),
        // Two mentions and nothing else: how to ask.
        (at_me_twice, Some("Ask like this"), Some("Ask like this")),
    ];
    for (text, private, group) in &cases {
        for (chat, expected) in [(USER, private), (GROUP, group)] {
            let id = h.api.new_message_id();
            let replies = replies_to(&h, chat, tg::text(id, chat, en(), text)).await;
            let what = format!("{text:?} in chat {chat}");
            match expected {
                None => assert!(replies.is_empty(), "{what}: {replies:?}"),
                Some(opening) => {
                    assert_eq!(replies.len(), 1, "{what}: {replies:?}");
                    assert_opens(&replies[0], opening);
                    assert_telegram_html(text_of(&replies[0]));
                }
            }
        }
    }
    still_answers_then_stop(h).await;
}

// ---- the binary ----------------------------------------------------------------

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory for one test.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "qabot-telegram-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A config file with the fast test settings, and `extra` at the end.
fn config_file(dir: &std::path::Path, extra: &str) -> PathBuf {
    let path = dir.join("config.toml");
    let c = test_config();
    std::fs::write(
        &path,
        format!(
            "[bot]\nthrottle = {}\npoll_timeout_secs = {}\nretry_first_ms = {}\nretry_max_ms = {}\nsend_retries = {}\ninline_cache_secs = {}\n",
            c.throttle, c.poll_timeout_secs, c.retry_first_ms, c.retry_max_ms, c.send_retries, c.inline_cache_secs
        ) + extra,
    )
    .unwrap();
    path
}

/// `qabot run` with its standard error going to a file.
struct Binary {
    child: std::process::Child,
    dir: PathBuf,
    stderr: PathBuf,
}

impl Binary {
    fn spawn(
        api_url: Option<&str>,
        token: Option<&str>,
        extra: &[&str],
        env: &[(&str, &str)],
        config: &str,
    ) -> Binary {
        let dir = scratch();
        let stderr = dir.join("stderr.log");
        // Another build of qabot if named, as in `bot_process`.
        let qabot = std::env::var_os("QABOT_TEST_BINARY")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_qabot").into());
        let mut cmd = Command::new(qabot);
        cmd.arg("--config")
            .arg(config_file(&dir, config))
            .arg("run")
            .args(extra);
        cmd.env_remove("TELOXIDE_TOKEN")
            .env_remove("TELOXIDE_API_URL")
            .env_remove("TELOXIDE_PROXY")
            .env_remove("RUST_LOG")
            .env_remove("RUST_BACKTRACE");
        if let Some(t) = token {
            cmd.env("TELOXIDE_TOKEN", t);
        }
        // Never Telegram: with no fake, a port nothing listens on.
        cmd.env(
            "TELOXIDE_API_URL",
            api_url.map_or_else(refused_url, str::to_owned),
        );
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap());
        Binary {
            child: cmd.spawn().expect("qabot runs"),
            dir,
            stderr,
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits (without blocking the runtime) for the exit code.
    async fn exit_code(&mut self) -> i32 {
        let within = Duration::from_secs(15);
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited, not killed by a signal");
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "qabot did not exit within {within:?}; stderr:\n{}",
                    self.stderr()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends `signal` and checks the bot stops cleanly (exit 0, no panic);
    /// returns what it logged.
    async fn stop(mut self, signal: &str) -> String {
        self.signal(signal);
        let code = self.exit_code().await;
        let err = self.stderr();
        assert_eq!(code, 0, "exit code after SIG{signal}; stderr:\n{err}");
        assert!(!err.contains("panicked"), "{err}");
        err
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An address on 127.0.0.1 where nothing listens: connections are refused.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("bound").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Log lines that must each be a JSON object.
fn json_lines(log: &str) -> Vec<Value> {
    log.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_without_a_token_says_how_to_set_it_and_exits_2() {
    for (token, says) in [
        (None, "TELOXIDE_TOKEN is not set"),
        (Some(""), "TELOXIDE_TOKEN is empty"),
        (Some("  "), "TELOXIDE_TOKEN is empty"),
    ] {
        let mut bin = Binary::spawn(None, token, &[], &[], "");
        assert_eq!(bin.exit_code().await, 2);
        let err = bin.stderr();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(says) && err.contains("@BotFather"), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_with_a_rejected_token_exits_2_with_a_clear_message() {
    let api = FakeApi::start(TOKEN).await;
    let wrong = "987654321:AAWrongSecretWrongSecretWrongSecret1";
    // With the default logging, the message is all there is; with every log
    // line on, the token still appears in none.
    for (rust_log, getme_calls) in [(None, 1), (Some("trace"), 2)] {
        let env: Vec<(&str, &str)> = rust_log.map(|l| ("RUST_LOG", l)).into_iter().collect();
        let mut bin = Binary::spawn(Some(&api.url), Some(wrong), &[], &env, "");
        assert_eq!(bin.exit_code().await, 2);
        let err = bin.stderr();
        if rust_log.is_none() {
            assert_eq!(err.lines().count(), 1, "one line: {err}");
        }
        // With every log line on, the client's own trace lines may follow the
        // message (its connection pool closes as the process ends), so the
        // message is looked for, not expected last.
        let message = err
            .lines()
            .find(|line| line.starts_with("qabot: the Bot API at"))
            .unwrap_or_else(|| panic!("no error message: {err}"));
        assert!(
            message.contains("rejected the token in TELOXIDE_TOKEN"),
            "{err}"
        );
        assert!(!err.contains("AAWrongSecret"), "the token leaked:\n{err}");
        assert!(!err.contains("panicked"), "{err}");
        let getme = api.calls_to("getMe");
        assert_eq!(getme.len(), getme_calls, "a refusal is not retried");
        assert!(getme.iter().all(|c| c.failed));
    }
    assert!(
        api.calls_to("getUpdates").is_empty(),
        "never polls with a bad token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_started_service_always_has_a_source_to_reload_from() {
    let config = BotConfig {
        admins: vec![USER as u64],
        ..test_config()
    };
    let h = Harness::with(embedded(), config).await;
    let reply = h.ask(USER, en(), "/reload").await;
    let text = reply[0]["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("reloaded: knowledge base"), "{text}");
    h.stop().await;
}

/// A listener with no updates, which notes the kinds of update the
/// dispatcher asks it for: teloxide reads them off the handler tree.
struct Hinted {
    hint: Arc<std::sync::Mutex<Vec<AllowedUpdate>>>,
    stop: StopToken,
}

impl UpdateListener for Hinted {
    type Err = Infallible;

    fn stop_token(&mut self) -> StopToken {
        self.stop.clone()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        *self.hint.lock().unwrap() = hint.collect();
    }
}

impl<'a> AsUpdateStream<'a> for Hinted {
    type StreamErr = Infallible;
    type Stream = BoxStream<'a, Result<teloxide::types::Update, Infallible>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        futures_util::stream::empty().boxed()
    }
}

/// Sorted, as their names in the Bot API.
fn kind_names(kinds: &[AllowedUpdate]) -> Vec<String> {
    let mut names: Vec<String> = kinds
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_update_kinds_asked_of_telegram_are_those_the_handler_tree_answers() {
    let api = FakeApi::start(TOKEN).await;
    let tg = bot::bot(TOKEN, Some(&api.url), None, &test_config()).expect("bot");
    let hint = Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = Hinted {
        hint: hint.clone(),
        stop: teloxide::stop::mk_stop_token().0,
    };
    // The dependencies the endpoints take, which the dispatcher checks for.
    let live = bot::Live::fixed(embedded(), MatcherConfig::default());
    let log = qabot::question_log::QuestionLog::disabled();
    Dispatcher::builder(tg.bot().clone(), bot::schema())
        .dependencies(teloxide::dptree::deps![
            live,
            Arc::new(test_config()),
            tg.clone(),
            log,
            bot::Answered::default(),
            bot::Crowd::default(),
            bot::Talk::default()
        ])
        .build()
        .try_dispatch_with_listener(listener, Arc::new(IgnoringErrorHandlerSafe))
        .await
        .expect("the dispatcher starts against the fake");
    let from_tree = kind_names(&hint.lock().unwrap());
    // What setWebhook sends.
    let sent = kind_names(&bot::allowed_updates());
    assert!(!sent.is_empty());
    assert_eq!(sent, from_tree);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_with_a_token_of_the_wrong_shape_exits_2_before_sending_anything() {
    let api = FakeApi::start(TOKEN).await;
    for (token, says) in [
        ("AAFakeSecretForQabotTests_0123456789", "it has no ':'"),
        (
            "bot123456789:AAFakeSecret",
            "the part before ':' is not a number",
        ),
        ("123456789:", "nothing follows ':'"),
        ("123456789:AAFake Secret", "other than letters"),
    ] {
        let mut bin = Binary::spawn(Some(&api.url), Some(token), &[], &[], "");
        assert_eq!(bin.exit_code().await, 2, "{token}");
        let err = bin.stderr();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains("TELOXIDE_TOKEN does not look like a bot token") && err.contains(says),
            "{token}: {err}"
        );
        assert!(!err.contains("AAFake"), "the token leaked:\n{err}");
    }
    assert!(
        api.calls().is_empty(),
        "nothing is sent with a malformed token: {}",
        fake_api::dump(&api.calls())
    );
}

/// The question log's files in `dir` (the default `[question_log]` puts
/// them beside the config file).
fn question_log_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("qabot-questions.sqlite") || name == "qabot-log.key")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_that_cannot_start_leaves_no_question_log_behind() {
    let api = FakeApi::start(TOKEN).await;
    let wrong = "987654321:AAWrongSecretWrongSecretWrongSecret1";
    // Refused by the Bot API (exit 2), then with no Bot API at all (exit 1).
    for (url, token, code) in [(Some(api.url.as_str()), wrong, 2), (None, TOKEN, 1)] {
        let mut bin = Binary::spawn(url, Some(token), &[], &[], "");
        assert_eq!(bin.exit_code().await, code, "{}", bin.stderr());
        let made = question_log_files(&bin.dir);
        assert!(made.is_empty(), "made {made:?}; stderr:\n{}", bin.stderr());
    }
    // The same set-up, started, does make them where the check looks.
    let bin = Binary::spawn(Some(&api.url), Some(TOKEN), &[], &[], "");
    api.wait_calls("getUpdates", 1).await;
    let made = question_log_files(&bin.dir);
    assert!(made.contains(&"qabot-log.key".to_owned()), "{made:?}");
    bin.stop("TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_retries_an_unreachable_api_then_exits_1() {
    let url = refused_url();
    let mut bin = Binary::spawn(Some(&url), Some(TOKEN), &[], &[("RUST_LOG", "trace")], "");
    assert_eq!(bin.exit_code().await, 1);
    let err = bin.stderr();
    // Trace lines may follow the message as the client shuts down.
    let prefix = format!("qabot: cannot reach the Bot API at {url}");
    let last = err
        .lines()
        .find(|line| line.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no error message: {err}"));
    assert!(last.to_lowercase().contains("refused"), "says why: {last}");
    let retries = err
        .lines()
        .filter(|l| l.contains("network error, retrying"))
        .count();
    assert_eq!(retries, test_config().send_retries as usize, "{err}");
    assert!(!err.contains(SECRET), "the token leaked:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_lets_the_reply_in_flight_finish_then_exits_0() {
    let api = FakeApi::start(TOKEN).await;
    let bin = Binary::spawn(Some(&api.url), Some(TOKEN), &[], &[], "");
    api.wait_calls("getUpdates", 1).await;
    // The reply will be in flight (waiting out a 429) when the signal comes.
    api.fail_next("sendMessage", Failure::RetryAfter(1));
    api.push(tg::text(1, USER, en(), "what is step 2"));
    api.wait_calls("sendMessage", 1).await;
    let err = bin.stop("INT").await;
    let sent = api.sent();
    assert_eq!(sent.len(), 1, "the reply was delivered after the signal");
    assert_opens(&sent[0], "<b>Step 2 of 3");
    assert!(err.contains("SIGINT"), "{err}");
    // The config's default filter and text format.
    let running = err
        .lines()
        .find(|l| l.contains("running as @"))
        .expect(&err);
    assert!(
        running.contains(" INFO ") && !running.starts_with('{'),
        "{running}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_with_exit_0() {
    let api = FakeApi::start(TOKEN).await;
    // JSON chosen in the config file rather than by the flag.
    let config = "[log]\nformat = \"json\"\n";
    let bin = Binary::spawn(Some(&api.url), Some(TOKEN), &[], &[], config);
    api.wait_calls("getUpdates", 1).await;
    let events = json_lines(&bin.stop("TERM").await);
    assert!(
        events.iter().any(|e| e["signal"] == "SIGTERM"),
        "{events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_log_filters_the_logs() {
    let api = FakeApi::start(TOKEN).await;
    let bin = Binary::spawn(
        Some(&api.url),
        Some(TOKEN),
        &[],
        &[("RUST_LOG", "warn")],
        "",
    );
    api.wait_calls("getUpdates", 1).await;
    api.push(tg::text(1, USER, en(), "what is step 2"));
    api.wait_sent(1).await;
    let err = bin.stop("INT").await;
    assert!(
        !err.contains("running as") && !err.contains("answered"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_json_lines_with_one_event_per_update_and_never_the_token() {
    let api = FakeApi::start(TOKEN).await;
    let bin = Binary::spawn(
        Some(&format!("{}/", api.url)),
        Some(TOKEN),
        &["--log-format", "json"],
        &[("RUST_LOG", "trace")],
        "",
    );
    api.wait_calls("getUpdates", 1).await;
    // A poll and a reply answered by a web page that quotes the request path:
    // the errors logged for them carry the token, unless the logs hide it.
    api.fail_next("getUpdates", Failure::EchoPath);
    api.fail_next("sendMessage", Failure::EchoPath);
    api.push(tg::text(1, USER + 1, en(), "what is step 3"));
    api.wait_until("the reply refused", |calls| {
        calls.iter().any(|c| c.method == "sendmessage" && c.failed)
    })
    .await;
    api.push(tg::text(2, USER, en(), "what is step 2"));
    api.push(tg::text(3, GROUP, en(), "/ask what is step 1"));
    let mut inline = tg::inline("iq", en(), "what is step 2");
    inline["inline_query"]["chat_type"] = json!("supergroup");
    api.push(inline);
    // Three: the refused reply (not the Bot API's JSON) is retried.
    api.wait_sent(3).await;
    api.wait_calls("answerInlineQuery", 1).await;
    let err = bin.stop("INT").await;
    assert!(
        !err.contains(SECRET),
        "the token leaked into the logs:\n{err}"
    );
    let bot_id = TOKEN.split(':').next().unwrap();
    for method in ["GetUpdates", "SendMessage"] {
        let quoted = format!("/bot{bot_id}:{REDACTED}/{method}");
        assert!(err.contains(&quoted), "no {quoted} in:\n{err}");
    }
    let events = json_lines(&err);
    let running = events
        .iter()
        .find(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("running as @"))
        })
        .expect("a start-up line");
    let message = running["message"].as_str().unwrap();
    assert!(
        message.contains(BOT_USERNAME) && message.contains("<embedded>"),
        "{message}"
    );
    assert_eq!(running["id"], json!(BOT_ID));
    let answered: Vec<&Value> = events
        .iter()
        .filter(|e| e["message"] == "answered")
        .collect();
    assert_eq!(answered.len(), 4, "one per answered update: {answered:?}");
    let private = answered
        .iter()
        .find(|e| e["chat"] == "private" && e["entry"] == "step-2")
        .unwrap();
    assert_eq!(private["update"], "message");
    assert_eq!(private["decision"], "answer");
    assert_eq!(private["entry"], "step-2");
    assert!(private["score"].as_f64().unwrap() > 0.0);
    assert!(private["micros"].as_u64().unwrap() > 0);
    assert!(
        answered
            .iter()
            .any(|e| e["chat"] == "group" && e["entry"] == "step-1")
    );
    assert!(answered.iter().any(|e| e["update"] == "inline_query"
        && e["chat"] == "supergroup"
        && e["entry"] == "step-2"));
}

// ---- precise answering -----------------------------------------------------

/// The text inside the first blockquote of `html`, tags and all.
fn quoted(html: &str) -> &str {
    let start = html.find("<blockquote").expect("a blockquote");
    let body = &html[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find("</blockquote>").expect("a closed blockquote");
    &body[open..close]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answering_sentence_is_bold_inside_the_quote_and_the_rest_is_verbatim() {
    let kb = embedded();
    let h = Harness::start().await;
    let reply = h.ask(USER, en(), "When was Liang Wenfeng born?").await;
    let text = text_of(&reply[0]);
    assert_telegram_html(text);
    let passage = &kb.entry("deepseek-liang").unwrap().passage[0];
    let sentence = "Its CEO, Liang Wenfeng, born in 1985, defied the traditional \
                    career-centered approach to talent by emphasizing passion and ability \
                    over experience, believing that new ideas drive innovation.";
    let quote = quoted(text);
    assert!(
        quote.contains(&format!("<b>{sentence}</b>")),
        "the sentence bold inside the quote: {text}"
    );
    assert_eq!(quote.matches("<b>").count(), 1, "{text}");
    assert_eq!(strip_tags(quote), qabot::answer::escape_html(passage));
    // A question the whole passage answers: nothing bold in the quote.
    let reply = h.ask(USER, en(), "what is step 2").await;
    let text = text_of(&reply[0]);
    assert!(!quoted(text).contains("<b>"), "{text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marked_sentence_split_across_messages_keeps_its_bold_and_every_word() {
    let mut kb = embedded();
    // A marked sentence too long for one message, in a passage that is
    // longer still: the cut falls inside the bold.
    let sentence = format!(
        "The zebra protocol {}was adopted in 1999.",
        "spanned many words & pages ".repeat(200)
    );
    let passage = format!(
        "{}{sentence} A closing line.",
        "An opening line of filler. ".repeat(40)
    );
    let step2 = kb.entries.iter_mut().find(|e| e.step == Some(2)).unwrap();
    step2.passage = vec![passage.clone()];
    let h = Harness::with_kb(kb).await;
    let reply = h
        .ask_parts(USER, en(), "when was the zebra protocol adopted", 2)
        .await;
    assert_sendable(&reply);
    // The bold reopens inside the quote in the message after the cut.
    assert!(
        text_of(&reply[1]).starts_with("<blockquote expandable><b>"),
        "{}",
        text_of(&reply[1])
    );
    assert!(
        text_of(&reply[1]).contains("was adopted in 1999.</b> A closing line."),
        "{}",
        text_of(&reply[1])
    );
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let all: Vec<String> = reply.iter().map(|m| strip_tags(text_of(m))).collect();
    assert!(
        words(&all.join(" ")).contains(&words(&qabot::answer::escape_html(&passage))),
        "every word of the passage, in order"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_results_mark_the_answering_sentence_by_the_same_rule() {
    let h = Harness::start().await;
    let results = inline_results(&h, "iq-mark", "When was Liang Wenfeng born?").await;
    let liang = results
        .iter()
        .find(|r| r["id"] == "deepseek-liang")
        .expect("the passage about Liang Wenfeng");
    let text = liang["input_message_content"]["message_text"]
        .as_str()
        .unwrap();
    assert_telegram_html(text);
    assert!(
        quoted(text).contains("<b>Its CEO, Liang Wenfeng, born in 1985,"),
        "{text}"
    );
    let results = inline_results(&h, "iq-nomark", "what is step 2").await;
    for r in &results {
        let text = r["input_message_content"]["message_text"].as_str().unwrap();
        assert!(!quoted(text).contains("<b>"), "{text}");
    }
    h.stop().await;
}

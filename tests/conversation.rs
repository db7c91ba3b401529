//! End-to-end tests of conversations in Telegram (issue 10): follow-ups
//! answered with the conversation's context, one per private chat and one
//! per person in a group; a reply to one of the bot's messages carrying
//! that message's entry with no store behind it; contexts expiring on an
//! injected clock; clarifying questions; "did you mean" picks by number;
//! the context entry in the question log. The real dispatcher runs
//! in-process against the fake Bot API (`fake_api`).
//!
//! Where a follow-up leads is the core's to say (`qabot::conversation`):
//! beyond a few facts that define the feature ("and the next one?" after
//! step 1 is step 2), each test asserts that the bot answered what
//! `Conversations` gives for the same messages.

use crate::db::{TestDb, test_key};
use crate::telegram::test_config;
use crate::{dispatcher, fake_api};

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fake_api::{FakeApi, buttons, strip_tags, tg};
use qabot::answer::{Renderer, escape_html};
use qabot::bot::{self, Clock, ManualClock, StartError, Talk};
use qabot::conversation::store::{Contexts, ConversationConfig};
use qabot::conversation::{Context, Conversations};
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::Decision;
use qabot::matcher::{Lang, Matcher, MatcherConfig};
use qabot::question_log::{DatabaseUrl, QuestionLog, Settings};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

const TOKEN: &str = "123456789:AAFakeSecretForQabotTests_0123456789";
const USER: i64 = 4242;
const OTHER: i64 = 4343;
const GROUP: i64 = -5151;

fn en(id: i64) -> Value {
    tg::user(id, "en")
}

fn embedded() -> KnowledgeBase {
    KnowledgeBase::embedded().expect("the embedded knowledge base is valid")
}

/// The dispatcher of `qabot::bot` against `api`, its contexts in memory
/// within `[conversation]`'s limits, on `clock`.
struct Running {
    stop: bot::Stop,
    task: JoinHandle<Result<(), StartError>>,
}

async fn start(
    api: &FakeApi,
    log: QuestionLog,
    clock: Clock,
    limits: ConversationConfig,
) -> Running {
    let config = test_config();
    let tg = bot::bot(TOKEN, Some(&api.url), None, &config).expect("bot");
    let live = bot::Live::fixed(embedded(), MatcherConfig::default());
    let talk = Talk::new(Contexts::in_memory(limits.limits()), clock);
    let service = bot::connect(tg, Arc::new(config), None)
        .await
        .expect("the bot connects to the fake")
        .serve_with(live, log, talk)
        .await
        .expect("the bot starts against the fake");
    Running {
        stop: service.stopper(),
        task: tokio::spawn(service.run()),
    }
}

async fn start_plain(api: &FakeApi) -> Running {
    start(
        api,
        QuestionLog::disabled(),
        Clock::System,
        ConversationConfig::default(),
    )
    .await
}

impl Running {
    async fn stop(self) {
        dispatcher::stop(self.stop, self.task).await;
    }
}

/// Pushes `message` (the fields of a message from `from` in `chat`) and
/// waits for the one message the bot sends back; returns it with the id
/// the fake gave it.
async fn send(api: &FakeApi, chat: i64, from: Value, fields: Value) -> (Value, i64) {
    let before = api.sent().len();
    let message = tg::message(api.new_message_id(), chat, from, fields);
    api.push(json!({ "message": message }));
    let sent = api.wait_sent(before + 1).await[before].clone();
    let id = api.sent_ids()[before];
    (sent, id)
}

async fn say(api: &FakeApi, chat: i64, from: Value, text: &str) -> Value {
    send(api, chat, from, json!({ "text": text })).await.0
}

/// `text` from `from`, replying to `replied` (a message the bot sent, as
/// the fake recorded it, with its id).
async fn reply(api: &FakeApi, chat: i64, from: Value, text: &str, replied: &Value) -> Value {
    send(
        api,
        chat,
        from,
        json!({ "text": text, "reply_to_message": replied }),
    )
    .await
    .0
}

/// A message the bot sent (`body`, as sent, and its `id`) as Telegram hands
/// it back inside a reply: plain text, and its inline keyboard unless
/// `keyboard` is false.
fn as_received(chat: i64, body: &Value, id: i64, keyboard: bool) -> Value {
    let text = unescape(&strip_tags(body["text"].as_str().unwrap_or("")));
    let mut message = tg::bots_message(id, chat, &text);
    if keyboard && !body["reply_markup"].is_null() {
        message["reply_markup"] = body["reply_markup"].clone();
    }
    message
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The entry whose passage the message quotes, if any (the longest one
/// quoted: one entry's passage may be a part of another's).
fn quoted_entry(kb: &KnowledgeBase, message: &Value) -> Option<String> {
    let text = strip_tags(message["text"].as_str().unwrap_or(""));
    kb.entries
        .iter()
        .filter_map(|e| {
            let quoted = e.passage.first().map(|p| escape_html(p))?;
            text.contains(&quoted).then_some((quoted.len(), &e.id))
        })
        .max()
        .map(|(_, id)| id.clone())
}

/// What the core answers to `messages` in one conversation, from no
/// context: the entry of each answer, `None` for anything else.
fn core_answers(kb: &KnowledgeBase, context: Context, messages: &[&str]) -> Vec<Option<String>> {
    let matcher = Matcher::new(kb, MatcherConfig::default());
    let talk = Conversations::new(kb, &matcher);
    let mut context = context;
    messages
        .iter()
        .map(|m| {
            let turn = talk.answer(&mut context, m);
            turn.outcome
                .best
                .filter(|_| turn.outcome.decision != Decision::Clarify)
                .map(|b| kb.entries[b.entry].id.clone())
        })
        .collect()
}

fn after(entry: &str) -> Context {
    Context {
        last: Some(entry.to_owned()),
        subject: Some(entry.to_owned()),
        ..Context::default()
    }
}

/// Asserts that `message` is the clarifying question in `lang`, with one
/// button per step and no passage.
#[track_caller]
fn assert_clarifies(message: &Value, lang: &str) {
    let text = message["text"].as_str().unwrap_or("");
    let opening = match lang {
        "ko" => "무엇을 말씀하시는 건지",
        _ => "What does that refer to?",
    };
    assert!(text.starts_with(opening), "{text}");
    assert!(!text.contains("<blockquote"), "no passage: {text}");
    let data: Vec<String> = buttons(message).into_iter().map(|(_, d)| d).collect();
    assert_eq!(
        data,
        (1..=3).map(|n| format!("s:{n}:{lang}")).collect::<Vec<_>>(),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_chat_follows_next_why_more_and_a_pronoun() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    let conversations: [&[&str]; 2] = [
        &[
            "what is the first step",
            "and the next one?",
            "why?",
            "tell me more",
        ],
        &["who is Liang Wenfeng", "when was he born?"],
    ];
    for (chat, messages) in [USER, USER + 1].into_iter().zip(conversations) {
        let expected = core_answers(&kb, Context::default(), messages);
        for (message, expected) in messages.iter().zip(&expected) {
            let answer = say(&api, chat, en(chat), message).await;
            assert_eq!(&quoted_entry(&kb, &answer), expected, "{message}: {answer}");
        }
    }
    // What defines a follow-up, whatever the core's finer choices.
    let expected = core_answers(&kb, Context::default(), conversations[0]);
    assert_eq!(
        expected[..2],
        [Some("step-1".into()), Some("step-2".into())]
    );
    assert!(expected.iter().all(Option::is_some), "{expected:?}");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_in_a_group_each_keep_their_own_context() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    let ask = |who: i64, text: &str| {
        let text = format!("/ask {text}");
        let api = &api;
        async move { say(api, GROUP, en(who), &text).await }
    };
    let a1 = ask(USER, "what is step 1").await;
    let b1 = ask(OTHER, "what is step 3").await;
    let a2 = ask(USER, "and the next one?").await;
    let b2 = ask(OTHER, "and the next one?").await;
    let entry = |m: &Value| quoted_entry(&kb, m);
    assert_eq!(entry(&a1).as_deref(), Some("step-1"));
    assert_eq!(entry(&b1).as_deref(), Some("step-3"));
    assert_eq!(
        entry(&a2).as_deref(),
        Some("step-2"),
        "A's next follows A's step 1"
    );
    let b_next = core_answers(&kb, after("step-3"), &["and the next one?"]);
    assert_eq!(entry(&b2), b_next[0], "B's next follows B's step 3");
    assert_ne!(b_next[0].as_deref(), Some("step-2"));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_an_old_message_carries_its_entry_after_a_restart() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let first = start_plain(&api).await;
    let (step1, step1_id) = send(&api, USER, en(USER), json!({"text": "what is step 1"})).await;
    let other = en(USER + 1);
    let (step2, step2_id) = send(
        &api,
        USER + 1,
        other.clone(),
        json!({"text": "what is step 2"}),
    )
    .await;
    let (in_group, in_group_id) = send(
        &api,
        GROUP,
        en(USER),
        json!({"text": "/ask what is step 1"}),
    )
    .await;
    first.stop().await;

    // A new instance, with an empty store: the message replied to is all
    // it knows.
    let second = start_plain(&api).await;
    let next = reply(
        &api,
        USER,
        en(USER),
        "and the next one?",
        &as_received(USER, &step1, step1_id, true),
    )
    .await;
    assert_eq!(
        quoted_entry(&kb, &next).as_deref(),
        Some("step-2"),
        "{next}"
    );
    // With no keyboard to read, the heading says which entry it was.
    let next = reply(
        &api,
        USER + 1,
        other,
        "and the next one?",
        &as_received(USER + 1, &step2, step2_id, false),
    )
    .await;
    assert_eq!(
        quoted_entry(&kb, &next).as_deref(),
        Some("step-3"),
        "{next}"
    );
    // In a group, someone else replying to another's answer: the message
    // is the context, whoever replies.
    let why = reply(
        &api,
        GROUP,
        en(OTHER),
        "why?",
        &as_received(GROUP, &in_group, in_group_id, true),
    )
    .await;
    let expected = core_answers(&kb, after("step-1"), &["why?"]);
    assert!(expected[0].is_some());
    assert_eq!(quoted_entry(&kb, &why), expected[0], "{why}");
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_context_expires_after_the_configured_minutes_on_the_bots_clock() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let hand = ManualClock::default();
    let limits: ConversationConfig = toml::from_str("expiry_minutes = 5").unwrap();
    let running = start(
        &api,
        QuestionLog::disabled(),
        Clock::Manual(hand.clone()),
        limits,
    )
    .await;
    let minute = Duration::from_secs(60);
    say(&api, USER, en(USER), "what is step 1").await;
    hand.advance(minute * 4);
    let next = say(&api, USER, en(USER), "and the next one?").await;
    assert_eq!(
        quoted_entry(&kb, &next).as_deref(),
        Some("step-2"),
        "{next}"
    );
    hand.advance(minute * 5);
    let next = say(&api, USER, en(USER), "and the next one?").await;
    assert_clarifies(&next, "en");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_follow_up_is_asked_about_with_the_steps_in_the_users_language() {
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    assert_clarifies(&say(&api, USER, en(USER), "why?").await, "en");
    let ko = tg::user(USER + 1, "ko");
    assert_clarifies(&say(&api, USER + 1, ko, "다음은?").await, "ko");
    let (in_group, _) = send(&api, GROUP, en(OTHER), json!({"text": "/ask why?"})).await;
    assert_clarifies(&in_group, "en");
    assert!(in_group["reply_parameters"]["message_id"].is_i64());
    // The steps listed are the choices: "2" picks step 2.
    let kb = embedded();
    let two = say(&api, USER, en(USER), "2").await;
    assert_eq!(quoted_entry(&kb, &two).as_deref(), Some("step-2"), "{two}");
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_did_you_mean_is_picked_by_its_number_or_its_words() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    let unsure = "tell me about scientists";
    let choices = |message: &Value| -> Vec<String> {
        buttons(message)
            .into_iter()
            .map(|(_, data)| data.split(':').nth(1).unwrap().to_owned())
            .collect()
    };
    for pick in ["2", "2번", "#2"] {
        let offered = say(&api, USER, en(USER), unsure).await;
        let ids = choices(&offered);
        assert!(ids.len() >= 2, "{offered}");
        // The list is numbered in the buttons' order.
        let text = strip_tags(offered["text"].as_str().unwrap());
        let second = Renderer::new(&kb).short_label(kb.entry(&ids[1]).unwrap(), Lang::En);
        assert!(
            text.contains(&format!("2. {}", escape_html(&second))),
            "{text}"
        );
        let picked = say(&api, USER, en(USER), pick).await;
        assert_eq!(
            quoted_entry(&kb, &picked).as_ref(),
            Some(&ids[1]),
            "{pick}: {picked}"
        );
    }
    // The words of one choice's title, and no other's.
    let offered = say(&api, USER, en(USER), unsure).await;
    let ids = choices(&offered);
    let titles: Vec<&str> = ids
        .iter()
        .map(|id| kb.entry(id).unwrap().title.as_str())
        .collect();
    let word = titles[0]
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .find(|w| {
            w.len() > 4
                && !titles[1..]
                    .iter()
                    .any(|t| t.to_lowercase().contains(w.as_str()))
        })
        .expect("a word only the first choice's title has");
    let picked = say(&api, USER, en(USER), &word).await;
    assert_eq!(
        quoted_entry(&kb, &picked).as_ref(),
        Some(&ids[0]),
        "{word}: {picked}"
    );
    // In a group, a reply to the "did you mean" picks from its list,
    // whoever replies.
    let (offered, id) = send(
        &api,
        GROUP,
        en(USER),
        json!({"text": format!("/ask {unsure}")}),
    )
    .await;
    let ids = choices(&offered);
    let picked = reply(
        &api,
        GROUP,
        en(OTHER),
        "2",
        &as_received(GROUP, &offered, id, true),
    )
    .await;
    assert_eq!(
        quoted_entry(&kb, &picked).as_ref(),
        Some(&ids[1]),
        "{picked}"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_question_log_records_the_entry_a_follow_up_drew_on() {
    let db = TestDb::sqlite("conversation");
    let log = QuestionLog::open(Settings {
        url: DatabaseUrl::parse(&db.url, Path::new(".")).unwrap(),
        retention_days: 90,
        buffer_bytes: 1 << 20,
        key: test_key(),
    })
    .unwrap();
    let api = FakeApi::start(TOKEN).await;
    let running = start(
        &api,
        log.clone(),
        Clock::System,
        ConversationConfig::default(),
    )
    .await;
    // Another chat's first message is a follow-up with nothing before it.
    say(&api, OTHER, en(OTHER), "why?").await;
    say(&api, USER, en(USER), "what is step 1").await;
    say(&api, USER, en(USER), "and the next one?").await;
    running.stop().await;
    assert!(
        log.flush(Duration::from_secs(10)).await,
        "the log is written"
    );
    let rows = log.questions_since(0).await.unwrap();
    let mut found: Vec<(&str, &str, Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| {
            (
                r.question.as_str(),
                r.decision.as_str(),
                r.entry.as_deref(),
                r.context.as_deref(),
            )
        })
        .collect();
    // Rows asked within one second come back in the order of their random ids.
    found.sort();
    assert_eq!(
        found,
        [
            (
                "and the next one?",
                "answer",
                Some("step-2"),
                Some("step-1")
            ),
            ("what is step 1", "answer", Some("step-1"), None),
            ("why?", "clarify", None, None),
        ]
    );
}

/// A question asked by replying to one of the bot's messages is answered
/// by the rule of any other: its answering sentence bold inside the quote
/// (inline results follow the same rule: see `telegram::inline_results_mark_…`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_in_a_reply_has_its_answering_sentence_bold() {
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    let (step1, id) = send(
        &api,
        GROUP,
        en(USER),
        json!({"text": "/ask what is step 1"}),
    )
    .await;
    let answer = reply(
        &api,
        GROUP,
        en(OTHER),
        "When was Liang Wenfeng born?",
        &as_received(GROUP, &step1, id, true),
    )
    .await;
    let text = answer["text"].as_str().unwrap();
    assert!(
        text.contains("<b>Its CEO, Liang Wenfeng, born in 1985,"),
        "{text}"
    );
    running.stop().await;
}

/// A step shown by `/step N` or by a button is followed like an answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_shown_by_command_or_button_is_followed() {
    let kb = embedded();
    let api = FakeApi::start(TOKEN).await;
    let running = start_plain(&api).await;
    say(&api, USER, en(USER), "/step 2").await;
    let next = say(&api, USER, en(USER), "and the next one?").await;
    assert_eq!(
        quoted_entry(&kb, &next).as_deref(),
        Some("step-3"),
        "{next}"
    );
    let before = api.sent().len();
    let shown = tg::bots_message(api.new_message_id(), USER, "an answer");
    api.push(tg::callback("cb-step", en(USER), shown, "s:1:en"));
    api.wait_sent(before + 1).await;
    let next = say(&api, USER, en(USER), "and the next one?").await;
    assert_eq!(
        quoted_entry(&kb, &next).as_deref(),
        Some("step-2"),
        "{next}"
    );
    running.stop().await;
}

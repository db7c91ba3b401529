//! One chat must never stall the others (issue 13): per-chat flood
//! control, group bursts, and a stop that ends on time, end to end against
//! the fake Bot API on 127.0.0.1 — the real dispatcher of `qabot::bot`, or
//! the real `qabot` binary.
//!
//! The stall is caught as events (`a_flood_never_holds_up_fetching_the_others`:
//! with every reply held, the others are still fetched). Latency is
//! compared, never bounded in absolute terms: the same questions are timed
//! without the flood in the same test, and the bound (twice the slowest
//! plus 5 s) is loose on purpose, to catch a stall of minutes on a busy
//! machine; the printed percentiles are the measurement. Every wait is on
//! an event (a reply, a call, an exit), with a generous timeout as a
//! safety net only.

use crate::bot_process;
use crate::fake_api;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bot_process::{BotProcess, TOKEN, events};
use fake_api::{Call, Failure, FakeApi, tg};
use qabot::bot::{self, StartError};
use qabot::config::BotConfig;
use qabot::knowledge::KnowledgeBase;
use qabot::matcher::MatcherConfig;
use serde_json::Value;
use tokio::task::JoinHandle;

/// The notice a flooding chat gets, in English and in Korean.
const BUSY_EN: &str = "I’m still answering your earlier questions";
const BUSY_KO: &str = "아직 앞의 질문에 답하고 있어요";

/// The flooding chat, and where the other chats' ids start.
const FLOODER: i64 = 9_000;
const OTHERS: i64 = 20_000;

/// Fast settings, pacing as told.
fn config(throttle: bool) -> BotConfig {
    BotConfig {
        throttle,
        poll_timeout_secs: 1,
        retry_first_ms: 20,
        retry_max_ms: 100,
        send_retries: 3,
        inline_cache_secs: 0,
        ..BotConfig::default()
    }
}

/// The dispatcher of `qabot::bot`, running against a fresh fake.
struct Harness {
    api: FakeApi,
    stop: bot::Stop,
    task: JoinHandle<Result<(), StartError>>,
}

impl Harness {
    async fn start(config: BotConfig) -> Harness {
        let api = FakeApi::start(TOKEN).await;
        let tg = bot::bot(TOKEN, Some(&api.url), None, &config).expect("bot");
        let kb = KnowledgeBase::embedded().expect("the embedded knowledge base is valid");
        let live = bot::Live::fixed(kb, MatcherConfig::default());
        let service = bot::start(tg, live, Arc::new(config))
            .await
            .expect("the bot starts against the fake");
        let stop = service.stopper();
        let task = tokio::spawn(service.run());
        api.wait_calls("getUpdates", 1).await;
        Harness { api, stop, task }
    }

    /// Ends the dispatcher at once, with the replies it still owes: a
    /// group's take minutes at the pace of 20 a minute.
    fn abandon(self) {
        self.task.abort();
    }

    async fn stop(self) {
        crate::dispatcher::stop(self.stop, self.task).await;
    }
}

/// The delivered messages to `chat`.
fn sent_to(calls: &[Call], chat: i64) -> Vec<&Call> {
    calls
        .iter()
        .filter(|c| c.method == "sendmessage" && !c.failed && c.body["chat_id"] == chat)
        .collect()
}

/// How many of `sent` are answers, and how many the busy notice.
fn answers_and_notices<'a>(sent: impl IntoIterator<Item = &'a Call>) -> (usize, usize) {
    let (notices, answers): (Vec<&Call>, Vec<&Call>) =
        sent.into_iter().partition(|c| text(c).contains(BUSY_EN));
    (answers.len(), notices.len())
}

fn text(call: &Call) -> &str {
    call.body["text"].as_str().unwrap_or("")
}

/// `n` questions from `chat`, each a message of its own.
fn flood(api: &FakeApi, chat: i64, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let question = format!("what is step {}", 1 + i % 3);
            tg::text(api.new_message_id(), chat, tg::user(chat, "en"), &question)
        })
        .collect()
}

/// One question from each of `chats` other chats.
fn others(api: &FakeApi, chats: i64) -> Vec<Value> {
    (0..chats)
        .map(|c| {
            let chat = OTHERS + c;
            tg::text(
                api.new_message_id(),
                chat,
                tg::user(chat, "en"),
                "what is step 2",
            )
        })
        .collect()
}

/// Waits until every update queued at the fake has been fetched and
/// confirmed, and so has been through admission.
async fn all_fetched(api: &FakeApi, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.pending() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} of {what} never fetched",
            api.pending()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Asks "what is step 2" as `from`, in their private chat, until it is
/// answered: a flooding user is answered as usual once their backlog is.
async fn answered_again(api: &FakeApi, from: &Value) {
    let chat = from["id"].as_i64().expect("a user id");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        api.push(tg::text(
            api.new_message_id(),
            chat,
            from.clone(),
            "what is step 2",
        ));
        all_fetched(api, "the question asked again").await;
        if sent_to(&api.calls(), chat)
            .iter()
            .any(|c| text(c).contains("Step 2 of 3"))
        {
            return;
        }
        assert!(Instant::now() < deadline, "never answered again");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Pushes `before` (a flood, or nothing), then one question from each of
/// `chats` other chats; waits for each of those to be answered and returns
/// how long each took from the push.
async fn others_answered(h: &Harness, before: Vec<Value>, chats: i64) -> Vec<Duration> {
    let others = others(&h.api, chats);
    h.api.push_all(before);
    let pushed = Instant::now();
    h.api.push_all(others);
    let deadline = pushed + Duration::from_secs(60);
    loop {
        let calls = h.api.calls();
        let answered: Vec<Option<Instant>> = (0..chats)
            .map(|c| sent_to(&calls, OTHERS + c).first().map(|call| call.at))
            .collect();
        if answered.iter().all(Option::is_some) {
            return answered
                .into_iter()
                .flatten()
                .map(|at| at - pushed)
                .collect();
        }
        let missing = answered.iter().filter(|a| a.is_none()).count();
        assert!(
            Instant::now() < deadline,
            "{missing} of {chats} other chats still unanswered after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Asserts that no other chat was held back behind a flood: each answer
/// `during` came within twice the slowest answer `usual` (the same chats
/// alone) plus 5 s. What this guards against is measured in minutes (a
/// chat queued behind a flood paced at one message a second, or a group at
/// 20 a minute), so the bound keeps that failure while a busy machine,
/// where every answer is slower, does not trip it.
pub(crate) fn assert_not_held_back(during: &[Duration], usual: &[Duration], beside: &str) {
    let bound = slowest(usual) * 2 + Duration::from_secs(5);
    for (c, took) in during.iter().enumerate() {
        assert!(
            *took <= bound,
            "chat {c} answered after {:.0} ms beside {beside}; alone the slowest took {:.0} ms",
            ms(*took),
            ms(slowest(usual))
        );
    }
}

fn slowest(latencies: &[Duration]) -> Duration {
    latencies.iter().copied().max().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// "p50 … ms, p99 … ms" of `latencies`, for the figures.
fn percentiles(latencies: &[Duration]) -> String {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let at = |p: f64| ms(sorted[((sorted.len() - 1) as f64 * p).round() as usize]);
    format!("p50 {:.0} ms, p99 {:.0} ms", at(0.5), at(0.99))
}

/// With pacing on, as in production: 50 chats ask, alone; then the same 50
/// ask right after one private chat sent 500 questions. Before flood
/// control, the flooding chat filled its dispatcher queue (64) and the
/// dispatcher waited on it, paced at one message a second: the others were
/// not even fetched for minutes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_flood_does_not_slow_other_chats() {
    let calm = Harness::start(config(true)).await;
    let usual = others_answered(&calm, Vec::new(), 50).await;
    calm.stop().await;

    let h = Harness::start(config(true)).await;
    let burst = flood(&h.api, FLOODER, 500);
    let during = others_answered(&h, burst, 50).await;
    println!(
        "polling, pacing on, 50 other chats: alone {}; beside a 500-message flood {}",
        percentiles(&usual),
        percentiles(&during)
    );
    assert_not_held_back(&during, &usual, "the flood");
    // The flooding chat: told once, and answered only within its budget.
    let calls = h
        .api
        .wait_until("the flooding chat's notice", |calls| {
            sent_to(calls, FLOODER)
                .iter()
                .any(|c| text(c).contains(BUSY_EN))
        })
        .await;
    let flooder = sent_to(&calls, FLOODER);
    let notices = flooder.iter().filter(|c| text(c).contains(BUSY_EN)).count();
    assert_eq!(notices, 1, "one notice per burst");
    assert!(
        flooder.len() < 20,
        "{} messages to the flooding chat",
        flooder.len()
    );
    h.stop().await;
}

/// The stall itself, as events: with every reply held, so that nothing the
/// flooding chat asked can be answered, 500 questions from it and then one
/// from each of 50 other chats are all fetched and taken in (before flood
/// control, the flooding chat's queue of 64 filled and nothing after it
/// was fetched). Released, each of the 50 is answered once, and the
/// flooding chat gets its budget's 3 answers and one notice.
///
/// It also catches the stall teloxide's queues per chat caused now and
/// then: retiring idle workers, its fetching loop could wait for one that
/// had just taken an update, so for that update's answer, held here. That
/// happened in 2 of 3 CI runs; the lanes are kept by admission now
/// (docs/RELIABILITY.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_never_holds_up_fetching_the_others() {
    let h = Harness::start(config(true)).await;
    h.api.hold_replies();
    h.api.push_all(flood(&h.api, FLOODER, 500));
    h.api.push_all(others(&h.api, 50));
    all_fetched(&h.api, "the updates, the flood's replies held,").await;
    h.api.release_replies();
    let calls = h
        .api
        .wait_until("the others' answers and the flood's", |calls| {
            (0..50).all(|c| !sent_to(calls, OTHERS + c).is_empty())
                && sent_to(calls, FLOODER).len() >= 4
        })
        .await;
    for c in 0..50 {
        assert_eq!(sent_to(&calls, OTHERS + c).len(), 1, "chat {c}");
    }
    assert_eq!(
        answers_and_notices(sent_to(&calls, FLOODER)),
        (3, 1),
        "the flooding chat's answers and notices"
    );
    h.stop().await;
}

/// A user pressing a button 200 times at once, with the replies held so
/// that nothing finishes meanwhile: 3 presses are taken (the budget), one
/// more is answered with the notice, the rest are dropped unanswered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_pressing_buttons_in_a_flood_is_bounded() {
    let h = Harness::start(config(false)).await;
    h.api.hold_replies();
    let from = tg::user(FLOODER, "ko");
    let presses: Vec<Value> = (0..200)
        .map(|i| {
            let shown = tg::bots_message(h.api.new_message_id(), FLOODER, "steps");
            tg::callback(&format!("cb-{i}"), from.clone(), shown, "s:1:en")
        })
        .collect();
    h.api.push_all(presses);
    // The first press is being answered (its reply held); the notice comes
    // with the first press past the budget.
    let calls = h
        .api
        .wait_until("the busy notice", |calls| {
            calls.iter().any(|c| {
                c.method == "answercallbackquery"
                    && c.body["text"].as_str().is_some_and(|t| t.contains(BUSY_KO))
            })
        })
        .await;
    // Every press fetched, and so through admission: the fake has had
    // them all confirmed.
    all_fetched(&h.api, "the presses").await;
    let before = sent_to(&calls, FLOODER).len();
    assert_eq!(before, 0, "replies were held");
    h.api.release_replies();
    h.api
        .wait_until("the presses' replies", |calls| {
            sent_to(calls, FLOODER).len() >= 3
        })
        .await;
    // Once the chat's backlog is answered, it is answered as usual again.
    answered_again(&h.api, &from).await;
    let calls = h.api.calls();
    let steps = sent_to(&calls, FLOODER)
        .iter()
        .filter(|c| text(c).contains("Step 1 of 3"))
        .count();
    assert_eq!(steps, 3, "the budget's 3 presses answered, no more");
    let answered = calls
        .iter()
        .filter(|c| c.method == "answercallbackquery")
        .count();
    assert_eq!(answered, 4, "3 presses and one notice");
    h.stop().await;
}

/// One user spreading a flood over ten groups, five questions in each,
/// replies held so that nothing finishes meanwhile: the user has one
/// budget across all of them, two chats' worth. The first group's budget
/// fills first (its burst, its notice), then the user's in the second
/// group (the user's burst, one notice for it and the eight groups after):
/// 6 answers and 2 notices, not 3 answers and a notice in each group.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_user_flooding_many_groups_has_one_budget() {
    let h = Harness::start(config(false)).await;
    h.api.hold_replies();
    let from = tg::user(FLOODER, "en");
    let groups: Vec<i64> = (1..=10).map(|g| -(FLOODER + g)).collect();
    let questions: Vec<Value> = groups
        .iter()
        .flat_map(|group| {
            (1..=5).map(|n| {
                let question = format!("/ask what is step {}", 1 + n % 3);
                tg::text(h.api.new_message_id(), *group, from.clone(), &question)
            })
        })
        .collect();
    h.api.push_all(questions);
    // Every question fetched, and so through admission, before any reply.
    all_fetched(&h.api, "the questions").await;
    h.api.release_replies();
    let to_groups = |calls: &[Call]| -> Vec<Call> {
        groups
            .iter()
            .flat_map(|g| sent_to(calls, *g))
            .cloned()
            .collect()
    };
    h.api
        .wait_until("the budget's answers and the notices", |calls| {
            to_groups(calls).len() >= 8
        })
        .await;
    // Then they are answered as usual again; meanwhile any answer more
    // than the budget's would have come too.
    answered_again(&h.api, &from).await;
    assert_eq!(
        answers_and_notices(to_groups(&h.api.calls()).iter()),
        (6, 2),
        "answers and notices to the ten groups"
    );
    h.stop().await;
}

/// The bot's settings for the binary: pacing on, as in production, and a
/// short stop deadline.
const PACED: &str = "[bot]\nthrottle = true\npoll_timeout_secs = 1\nstop_deadline_ms = 1500\n\
    [question_log]\nenabled = false\n";

/// SIGTERM with a backlog of 500 questions (500 chats, paced at 30
/// messages a second overall): the bot stops fetching, drops the backlog
/// and exits within its deadline; restarted, it answers what it never
/// fetched, and nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_a_backlog_exits_on_time_and_nothing_is_answered_twice() {
    let api = FakeApi::start(TOKEN).await;
    let bot = BotProcess::spawn(&api.url, PACED, &[]);
    api.wait_calls("getUpdates", 1).await;
    let chats = 500;
    let questions: Vec<Value> = (0..chats)
        .map(|c| {
            let (chat, user) = (-(OTHERS + c), tg::user(OTHERS + c, "en"));
            tg::text(
                1 + c,
                chat,
                user,
                &format!("/ask what is step {}", 1 + c % 3),
            )
        })
        .collect();
    api.push_all(questions);
    // A backlog: some answered, most waiting.
    api.wait_sent(5).await;
    let signalled = Instant::now();
    let log = bot.stop_with("-TERM").await;
    let took = signalled.elapsed();
    let events = events(&log);
    // Safety net, far above the deadline (1.5 s) and far under the backlog's
    // 17 s at the pace: what is asserted is that the stop did not wait for it.
    assert!(
        took < Duration::from_secs(10),
        "the stop took {took:?}; log:\n{log}"
    );
    let answered_first = api.sent().len();
    assert!(
        answered_first < chats as usize,
        "the backlog was answered before the stop"
    );
    // One line says what the stop left unanswered, and it is all of it.
    let stopped: Vec<&Value> = events
        .iter()
        .filter(|e| e["given_up"].is_u64() && e["dropped"].is_u64())
        .collect();
    assert_eq!(stopped.len(), 1, "{log}");
    let count = |field: &str| stopped[0][field].as_u64().unwrap() as usize;
    let (dropped, given_up) = (count("dropped"), count("given_up"));
    assert!(dropped + given_up > 0, "{log}");
    // The rest was never fetched: Telegram still has it. A reply given up
    // at the deadline may still have reached Telegram as the process
    // ended; a dropped one never did.
    let pending = api.pending();
    assert!(
        answered_first + dropped + pending <= chats as usize
            && chats as usize <= answered_first + dropped + given_up + pending,
        "every question answered ({answered_first}), dropped ({dropped}), given up \
         ({given_up}) or still at Telegram ({pending}):\n{log}"
    );
    let left = dropped + given_up;

    // Restarted on the same Bot API: only what the first never confirmed.
    let again = BotProcess::spawn(&api.url, PACED, &[]);
    api.push(tg::text(
        9_999,
        -OTHERS,
        tg::user(OTHERS, "en"),
        "/ask what is step 2",
    ));
    // What the first never fetched, then this, at 30 messages a second.
    let deadline = Instant::now() + Duration::from_secs(90);
    while !api
        .sent()
        .iter()
        .any(|m| m["reply_parameters"]["message_id"] == 9_999)
    {
        assert!(
            Instant::now() < deadline,
            "the restarted bot never answered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    again.stop().await;
    assert!(
        api.sent().len() + left > chats as usize,
        "each question answered, or dropped or given up at the stop"
    );
    let mut replies: HashMap<i64, usize> = HashMap::new();
    for sent in api.sent() {
        let message = sent["reply_parameters"]["message_id"]
            .as_i64()
            .expect("a group reply");
        *replies.entry(message).or_default() += 1;
    }
    let twice: Vec<_> = replies.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "answered twice: {twice:?}");
}

/// The messages delivered to `chat`, in order.
fn group_messages(calls: &[Call], chat: i64) -> Vec<Value> {
    sent_to(calls, chat)
        .iter()
        .map(|c| c.body.clone())
        .collect()
}

/// A class told to try the bot: 30 members of one group ask it the same
/// thing at once, with pacing on (a group gets about 20 messages a
/// minute). One answer, to the first; a 👀 on each of the others'
/// questions, which spends none of the group's messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_members_asking_the_same_thing_get_one_answer_and_reactions() {
    let h = Harness::start(config(true)).await;
    let group = -777;
    let asked: Vec<(i64, Value)> = (0..30)
        .map(|m| {
            let id = h.api.new_message_id();
            let from = tg::user(30_000 + m, "en");
            (id, tg::text(id, group, from, "/ask what is step 2?"))
        })
        .collect();
    h.api
        .push_all(asked.iter().map(|(_, update)| update.clone()).collect());
    let reactions = h.api.wait_calls("setMessageReaction", 29).await;
    let calls = h
        .api
        .wait_until("the one answer", |calls| !sent_to(calls, group).is_empty())
        .await;
    let answers = group_messages(&calls, group);
    assert_eq!(answers.len(), 1, "one message to the group: {answers:?}");
    assert!(answers[0]["text"].as_str().unwrap().contains("Step 2 of 3"));
    let answered = answers[0]["reply_parameters"]["message_id"]
        .as_i64()
        .expect("the answer quotes its question");
    let mut reacted: Vec<i64> = reactions
        .iter()
        .map(|c| {
            assert!(!c.failed, "{}", c.body);
            assert_eq!(c.body["chat_id"], group);
            assert_eq!(c.body["reaction"][0]["emoji"], "👀");
            c.body["message_id"].as_i64().unwrap()
        })
        .collect();
    reacted.push(answered);
    reacted.sort();
    let mut ids: Vec<i64> = asked.iter().map(|(id, _)| *id).collect();
    ids.sort();
    assert_eq!(reacted, ids, "each question answered or reacted to, once");
    // Something else asked in the group meanwhile gets its own answer.
    h.api.push(tg::text(
        h.api.new_message_id(),
        group,
        tg::user(30_000, "en"),
        "/ask what is step 3?",
    ));
    let calls = h
        .api
        .wait_until("the other question's answer", |calls| {
            sent_to(calls, group).len() == 2
        })
        .await;
    assert!(text(sent_to(&calls, group)[1]).contains("Step 3 of 3"));
    h.stop().await;
}

/// One member asks three different things, then another asks one, with
/// pacing on: the other's answer does not wait behind all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_member_cannot_make_the_rest_of_a_group_wait() {
    let h = Harness::start(config(true)).await;
    let group = -778;
    let (busy, other) = (tg::user(31_000, "en"), tg::user(31_001, "en"));
    let mut updates: Vec<Value> = [
        "what is step 1?",
        "what is step 3?",
        "who wrote the column?",
    ]
    .iter()
    .map(|q| {
        tg::text(
            h.api.new_message_id(),
            group,
            busy.clone(),
            &format!("/ask {q}"),
        )
    })
    .collect();
    let theirs = h.api.new_message_id();
    updates.push(tg::text(theirs, group, other, "/ask what is step 2?"));
    h.api.push_all(updates);
    let calls = h
        .api
        .wait_until("four answers", |calls| sent_to(calls, group).len() == 4)
        .await;
    let order: Vec<i64> = sent_to(&calls, group)
        .iter()
        .map(|c| c.body["reply_parameters"]["message_id"].as_i64().unwrap())
        .collect();
    // Not behind all three. Whether it comes second or third depends on
    // which handler reaches the group's turn first, which a loaded machine
    // decides; the busy member's answers are a second apart (the pace of
    // one a second per chat), so it never waits for the third.
    let position = order.iter().position(|id| *id == theirs).unwrap();
    assert!(
        position < 3,
        "the other member's answer came {} of 4",
        position + 1
    );
    h.stop().await;
}

/// A second signal while a stop is under way ends the process at once,
/// whatever the deadline (here a minute).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_stops_at_once() {
    let api = FakeApi::start(TOKEN).await;
    let config = PACED.replace("stop_deadline_ms = 1500", "stop_deadline_ms = 60000");
    let mut bot = BotProcess::spawn(&api.url, &config, &[]);
    api.wait_calls("getUpdates", 1).await;
    let backlog: Vec<Value> = (0..100)
        .map(|c| {
            let (chat, user) = (-(OTHERS + c), tg::user(OTHERS + c, "en"));
            tg::text(1 + c, chat, user, "/ask what is step 1")
        })
        .collect();
    api.push_all(backlog);
    api.wait_sent(5).await;
    let kill = |signal: &str| {
        let status = std::process::Command::new("kill")
            .args([signal, &bot.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    };
    kill("-TERM");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !bot.log().contains("stopping: finishing") {
        assert!(Instant::now() < deadline, "no stop begun:\n{}", bot.log());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    kill("-TERM");
    let code = bot.exit_code(Duration::from_secs(10)).await;
    assert_eq!(code, Some(130), "{}", bot.log());
    assert!(bot.log().contains("second signal"), "{}", bot.log());
}

/// A class of 100, each member asking for a step at once, with pacing on
/// (the group gets about 20 messages a minute): the 50 other chats are
/// answered as if the class were not there. Each member has a lane of
/// their own, and the group one message at a time in the pacer, so the
/// class neither blocks the dispatcher nor fills the pacer's queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_group_does_not_slow_other_chats() {
    let calm = Harness::start(config(true)).await;
    let usual = others_answered(&calm, Vec::new(), 50).await;
    calm.stop().await;

    let h = Harness::start(config(true)).await;
    let group = -779;
    let class: Vec<Value> = (0..100)
        .map(|m| {
            let from = tg::user(32_000 + m, "en");
            let step = format!("/step {}", 1 + m % 3);
            tg::text(h.api.new_message_id(), group, from, &step)
        })
        .collect();
    let during = others_answered(&h, class, 50).await;
    println!(
        "polling, pacing on, 50 other chats: alone {}; beside a class of 100 {}",
        percentiles(&usual),
        percentiles(&during)
    );
    assert_not_held_back(&during, &usual, "the class");
    h.abandon();
}

/// A user typing inline queries in a flood: 3 are answered (the budget,
/// their answers held up by a slow Bot API meanwhile), the other 197 get
/// nothing and expire, as Telegram lets them; the next one after is
/// answered as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_flooding_inline_queries_is_bounded() {
    let h = Harness::start(config(false)).await;
    for _ in 0..3 {
        h.api
            .fail_next("answerInlineQuery", Failure::Slow(Duration::from_secs(2)));
    }
    let from = tg::user(FLOODER, "en");
    let queries: Vec<Value> = (0..200)
        .map(|i| tg::inline(&format!("iq-{i}"), from.clone(), "what is step 2"))
        .collect();
    h.api.push_all(queries);
    h.api.wait_calls("answerInlineQuery", 3).await;
    all_fetched(&h.api, "the queries").await;
    // Once the slow answers are in, the user is answered as usual again:
    // a query while they are still out is dropped too, so ask until one is
    // answered.
    let late = |c: &Call| {
        c.body["inline_query_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("late-"))
    };
    let after = Instant::now() + Duration::from_secs(30);
    for n in 0.. {
        h.api
            .push(tg::inline(&format!("late-{n}"), from.clone(), "step 3"));
        tokio::time::sleep(Duration::from_millis(200)).await;
        if h.api.calls_to("answerInlineQuery").iter().any(late) {
            break;
        }
        assert!(Instant::now() < after, "the late query was never answered");
    }
    let answered = h.api.calls_to("answerInlineQuery");
    let flood = answered
        .iter()
        .filter(|c| {
            c.body["inline_query_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("iq-"))
        })
        .count();
    assert_eq!(flood, 3, "the budget's 3 queries answered, no more");
    h.stop().await;
}

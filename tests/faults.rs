//! Faults of the Bot API (issue 4): the fake Bot API on 127.0.0.1 injects,
//! on a schedule, what a long-running bot meets — 429 "retry after" on
//! sendMessage and on getUpdates, `ok:false` refusals, dropped connections,
//! answers slower than the client's timeout, malformed JSON, and updates of
//! a kind the bot cannot read — into the real `qabot run` binary.
//!
//! Under each the bot keeps running, every question is answered exactly
//! once after the fault clears (group questions, so each reply names the
//! message it answers), getUpdates' offset never goes back nor skips ahead,
//! and the JSON log has one WARN line per fault: no multi-line message, no
//! panic, no backtrace. The client timeout is 1.5 s here and retries start
//! at 20 ms, so each test takes a few seconds at most.

use crate::bot_process;
use crate::fake_api;

use std::time::Duration;

use bot_process::{BotProcess, TOKEN, events};
use fake_api::{Failure, FakeApi, tg};
use serde_json::{Value, json};

/// Fast settings: no pacing, 1 s polls, a 1.5 s client timeout, short
/// retries; and room for a chat's questions to pile up behind a reply
/// that is waiting out a fault (flood control has tests of its own, in
/// `tests/flood.rs`: here every question must be answered).
fn config(throttle: bool) -> String {
    format!(
        "[bot]\nthrottle = {throttle}\npoll_timeout_secs = 1\nrequest_timeout_ms = 1500\n\
         retry_first_ms = 20\nretry_max_ms = 100\nsend_retries = 3\ninline_cache_secs = 0\n\
         max_waiting_per_chat = 32\n"
    )
}

/// Longer than the client's 1.5 s timeout.
const TOO_SLOW: Duration = Duration::from_millis(2500);

/// A question the bot was sent, and where its answer must land.
struct Asked {
    chat: i64,
    message_id: i64,
    /// Where the reply goes, and whether it quotes the question (a reply
    /// in the question's own group does).
    lands_in: i64,
    quoted: bool,
    /// Refused for good by Telegram: tried once, never delivered.
    refused: bool,
}

/// The binary against a fresh fake, and what it was asked.
struct Run {
    api: FakeApi,
    bot: BotProcess,
    asked: Vec<Asked>,
    last_update: i64,
}

impl Run {
    async fn start(throttle: bool) -> Run {
        Run::with(FakeApi::start(TOKEN).await, throttle).await
    }

    /// The binary against `api`, faults perhaps already scheduled.
    async fn with(api: FakeApi, throttle: bool) -> Run {
        let bot = BotProcess::spawn(&api.url, &config(throttle), &[]);
        // Polling: the bot is up.
        api.wait_calls("getUpdates", 1).await;
        Run {
            api,
            bot,
            asked: Vec::new(),
            last_update: 0,
        }
    }

    /// `/ask` in group `chat`: the reply quotes the question's message.
    fn ask(&mut self, chat: i64) {
        self.ask_landing(chat, chat, true, false);
    }

    fn ask_landing(&mut self, chat: i64, lands_in: i64, quoted: bool, refused: bool) {
        let message_id = self.api.new_message_id();
        let step = 1 + self.asked.len() % 3;
        let text = format!("/ask what is step {step}");
        self.last_update = self
            .api
            .push(tg::text(message_id, chat, tg::user(7, "en"), &text))
            .expect("a command reaches the bot");
        self.asked.push(Asked {
            chat,
            message_id,
            lands_in,
            quoted,
            refused,
        });
    }

    /// An update as given (a kind the bot cannot read, say).
    fn push(&mut self, update: Value) {
        self.last_update = self.api.push(update).expect("not a group message");
    }

    /// Waits until a failed call of `method` has been recorded: the fault
    /// is happening now.
    async fn wait_failed(&self, method: &str, n: usize) {
        let m = method.to_lowercase();
        self.api
            .wait_until(&format!("{n} failed {method}"), |calls| {
                calls.iter().filter(|c| c.method == m && c.failed).count() >= n
            })
            .await;
    }

    /// Once every question is answered and every fault injected, stops the
    /// bot and checks: it kept running, each question answered exactly
    /// once, offsets in order, one line per event. Returns the fake and
    /// the log's WARN and ERROR events.
    async fn finish(self) -> (FakeApi, Vec<Value>) {
        let answers = self.asked.iter().filter(|a| !a.refused).count();
        let delivered = self
            .api
            .wait_delivered(answers, Duration::from_secs(15))
            .await;
        assert_eq!(delivered, answers, "answers within 15 s");
        assert_eq!(
            self.api.scheduled(),
            0,
            "every scheduled fault was injected"
        );
        let mut bot = self.bot;
        assert!(bot.running(), "the bot stopped by itself:\n{}", bot.log());
        // A stop lets every reply being sent finish, retries and all, before
        // the process exits; so a duplicate in flight has landed by now,
        // unless the stop gave up on it, which it says in a line.
        let log = bot.stop().await;
        assert_eq!(
            bot_process::given_up_at_stop(&log),
            0,
            "the stop cut replies short:\n{log}"
        );
        assert_answered_once(&self.api, &self.asked);
        assert_offsets(&self.api, self.last_update);
        let warnings = one_line_per_event(&log)
            .into_iter()
            .filter(|e| e["level"] == "WARN" || e["level"] == "ERROR")
            .collect();
        (self.api, warnings)
    }
}

/// Every question got exactly one delivered reply, where it should land;
/// a refused one was tried exactly once; nothing else was sent.
fn assert_answered_once(api: &FakeApi, asked: &[Asked]) {
    let sends = api.calls_to("sendMessage");
    let of = |a: &Asked, delivered: bool| {
        sends
            .iter()
            .filter(|c| c.failed != delivered && c.body["chat_id"] == a.lands_in)
            .filter(|c| {
                let quoted = &c.body["reply_parameters"]["message_id"];
                if a.quoted {
                    *quoted == json!(a.message_id)
                } else {
                    quoted.is_null()
                }
            })
            .count()
    };
    for a in asked {
        if a.refused {
            assert_eq!(of(a, false), 1, "message {} tried once", a.message_id);
            assert_eq!(of(a, true), 0, "message {} refused", a.message_id);
        } else {
            assert_eq!(
                of(a, true),
                1,
                "message {} in chat {} answered once:\n{}",
                a.message_id,
                a.chat,
                fake_api::dump(&sends)
            );
        }
    }
    let answers = asked.iter().filter(|a| !a.refused).count();
    assert_eq!(api.sent().len(), answers, "no other message");
}

/// getUpdates' offset never went back, never passed an update not yet
/// handed out, and at the end confirmed the last update.
fn assert_offsets(api: &FakeApi, last_update: i64) {
    let offsets: Vec<i64> = api
        .calls_to("getUpdates")
        .iter()
        .map(|c| c.body["offset"].as_i64().unwrap_or(0))
        .collect();
    for pair in offsets.windows(2) {
        assert!(pair[0] <= pair[1], "the offset went back: {offsets:?}");
    }
    assert!(
        offsets.iter().all(|&o| o <= last_update + 1),
        "an offset past every update: {offsets:?}"
    );
    assert_eq!(
        offsets.last(),
        Some(&(last_update + 1)),
        "the last update confirmed: {offsets:?}"
    );
}

/// The log's events, having checked it is one JSON object per line with
/// no line break inside a field, and no panic or backtrace.
fn one_line_per_event(log: &str) -> Vec<Value> {
    for needle in ["panicked", "backtrace", "open an issue"] {
        assert!(!log.contains(needle), "{needle:?} in the log:\n{log}");
    }
    let events = events(log);
    // Besides its shutdown progress, teloxide's own lines at these levels
    // only repeat ours (and are quieted), or are its multi-line "cannot
    // parse an update".
    let teloxide: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["target"].as_str().is_some_and(|t| {
                t.starts_with("teloxide") && t != "teloxide::utils::shutdown_token"
            })
        })
        .collect();
    assert!(teloxide.is_empty(), "teloxide's own lines: {teloxide:#?}");
    for e in &events {
        let fields = e.as_object().into_iter().flatten();
        for (key, value) in fields {
            let text = value.as_str().unwrap_or("");
            assert!(!text.contains('\n'), "a line break in {key}: {e}");
        }
    }
    events
}

/// The `message` of each event, sorted.
fn messages(events: &[Value]) -> Vec<&str> {
    let mut m: Vec<&str> = events
        .iter()
        .map(|e| e["message"].as_str().unwrap_or(""))
        .collect();
    m.sort_unstable();
    m
}

/// The one event with this message, whose error mentions `mentions`.
#[track_caller]
fn the_line<'a>(events: &'a [Value], message: &str, mentions: &str) -> &'a Value {
    let found: Vec<&Value> = events.iter().filter(|e| e["message"] == message).collect();
    assert_eq!(found.len(), 1, "one {message:?} line: {events:#?}");
    let error = found[0]["error"].as_str().unwrap_or("");
    assert!(
        error.to_lowercase().contains(&mentions.to_lowercase()),
        "{message:?} should mention {mentions:?}: {error}"
    );
    found[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_send_message_is_waited_out_then_answered_once() {
    // Paced as against Telegram (where 429s come from), and not.
    for throttle in [true, false] {
        let mut run = Run::start(throttle).await;
        run.api.fail_next("sendMessage", Failure::RetryAfter(1));
        for chat in [-101, -102, -103] {
            run.ask(chat);
        }
        let (api, warnings) = run.finish().await;
        assert_eq!(messages(&warnings), ["flood limit (429), retrying"]);
        let line = the_line(&warnings, "flood limit (429), retrying", "retry after");
        assert_eq!(line["retry_in_ms"], 1000);
        let sends = api.calls_to("sendMessage");
        assert_eq!(sends.len(), 4, "throttle {throttle}: one retry");
        let refused = sends.iter().find(|c| c.failed).expect("the 429");
        let again = sends
            .iter()
            .find(|c| !c.failed && c.body == refused.body)
            .expect("the same message sent again");
        assert!(
            again.at - refused.at >= Duration::from_millis(950),
            "retry_after (1 s) was not waited out: {:?}",
            again.at - refused.at
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_get_updates_pauses_polling_then_every_update_is_answered_once() {
    let mut run = Run::start(false).await;
    run.api.fail_next("getUpdates", Failure::RetryAfter(1));
    run.wait_failed("getUpdates", 1).await;
    // Questions that arrive while polling is paused.
    for chat in [-201, -202, -203] {
        run.ask(chat);
    }
    let (api, warnings) = run.finish().await;
    assert_eq!(messages(&warnings), ["could not get updates"]);
    let line = the_line(&warnings, "could not get updates", "retry after");
    assert_eq!(line["retry_in_ms"], 1000);
    let polls = api.calls_to("getUpdates");
    let i = polls.iter().position(|c| c.failed).expect("the 429");
    let paused = polls[i + 1].at - polls[i].at;
    assert!(
        paused >= Duration::from_millis(950),
        "polled again after {paused:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_logged_once_polling_resumes_and_a_refused_reply_is_not_repeated() {
    let mut run = Run::start(false).await;
    // A reply Telegram refuses for good: tried once, logged once.
    run.api.fail_next(
        "sendMessage",
        Failure::Refuse(403, "Forbidden: bot was blocked by the user"),
    );
    run.ask_landing(-300, -300, true, true);
    run.wait_failed("sendMessage", 1).await;
    // A poll refused (another instance polling, briefly): polling resumes.
    run.api.fail_next(
        "getUpdates",
        Failure::Refuse(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        ),
    );
    run.wait_failed("getUpdates", 1).await;
    for chat in [-301, -302] {
        run.ask(chat);
    }
    let (_, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        ["could not answer an update", "could not get updates"]
    );
    the_line(
        &warnings,
        "could not answer an update",
        "blocked by the user",
    );
    let poll = the_line(&warnings, "could not get updates", "terminated by other");
    assert_eq!(poll["retry_in_ms"], 20, "the first backoff step");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_became_a_supergroup_is_answered_in_the_supergroup() {
    let mut run = Run::start(false).await;
    let supergroup = -1_000_000_000_401;
    run.api
        .fail_next("sendMessage", Failure::Migrated(supergroup));
    run.ask_landing(-401, supergroup, false, false);
    run.wait_failed("sendMessage", 1).await;
    run.ask(-402);
    let (api, warnings) = run.finish().await;
    assert!(warnings.is_empty(), "{warnings:#?}");
    let refused = api.calls_to("sendMessage");
    let first = refused.iter().find(|c| c.failed).expect("the refusal");
    assert_eq!(first.body["chat_id"], -401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_are_retried_then_every_update_is_answered_once() {
    let mut run = Run::start(false).await;
    run.api.fail_next("getUpdates", Failure::Disconnect);
    run.api.fail_next("sendMessage", Failure::Disconnect);
    run.wait_failed("getUpdates", 1).await;
    for chat in [-501, -502, -503] {
        run.ask(chat);
    }
    let (_, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        ["could not get updates", "network error, retrying"]
    );
    the_line(&warnings, "could not get updates", "network error");
    the_line(&warnings, "network error, retrying", "network error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_slower_than_the_client_timeout_are_abandoned_and_retried() {
    let mut run = Run::start(false).await;
    run.api.fail_next("getUpdates", Failure::Slow(TOO_SLOW));
    run.api.fail_next("sendMessage", Failure::Slow(TOO_SLOW));
    run.wait_failed("getUpdates", 1).await;
    // Queued while the slow poll hangs: its late answer carries them, to a
    // client that gave up; the next poll must bring them again.
    for chat in [-601, -602] {
        run.ask(chat);
    }
    let (api, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        ["could not get updates", "network error, retrying"]
    );
    the_line(&warnings, "could not get updates", "timed out");
    the_line(&warnings, "network error, retrying", "timed out");
    let sends = api.calls_to("sendMessage");
    let slow = sends.iter().find(|c| c.failed).expect("the slow send");
    let retried = sends
        .iter()
        .find(|c| !c.failed && c.body == slow.body)
        .expect("sent again");
    let gave_up_after = retried.at - slow.at;
    assert!(
        gave_up_after >= Duration::from_millis(1400) && gave_up_after < TOO_SLOW,
        "the client gave up after {gave_up_after:?}, not at its 1.5 s timeout"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_logged_and_retried_then_every_update_is_answered_once() {
    let mut run = Run::start(false).await;
    run.api.fail_next("getUpdates", Failure::Malformed);
    run.api.fail_next("sendMessage", Failure::Malformed);
    run.wait_failed("getUpdates", 1).await;
    for chat in [-701, -702] {
        run.ask(chat);
    }
    let (_, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        ["could not get updates", "malformed answer, retrying"]
    );
    the_line(&warnings, "could not get updates", "parsing JSON");
    the_line(&warnings, "malformed answer, retrying", "parsing JSON");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_the_bot_cannot_read_are_skipped_in_one_line_each() {
    let mut run = Run::start(false).await;
    run.ask(-801);
    // A kind newer than the bot, and a known kind that does not parse.
    run.push(json!({"future_kind": {"id": 1, "note": "from a later Bot API"}}));
    run.push(json!({"message": {"message_id": 5, "text": "no chat, no date"}}));
    run.ask(-802);
    let (_, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        [
            "skipped an update this bot cannot read",
            "skipped an update this bot cannot read"
        ]
    );
    let mut kinds: Vec<&str> = warnings
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or(""))
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["future_kind", "message"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_as_polling_starts_does_not_stop_the_bot() {
    // The second getMe: teloxide's dispatcher asks again before it polls.
    let api = FakeApi::start(TOKEN).await;
    api.fail_next("getMe", Failure::Pass);
    api.fail_next("getMe", Failure::Disconnect);
    let mut run = Run::with(api, false).await;
    run.ask(-1001);
    let (api, warnings) = run.finish().await;
    assert_eq!(
        messages(&warnings),
        ["could not start polling: network error, retrying"]
    );
    assert_eq!(api.calls_to("getMe").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schedule_of_every_fault_still_answers_every_update_once() {
    let mut run = Run::start(false).await;
    let polls = [
        Failure::RetryAfter(1),
        Failure::Refuse(409, "Conflict: terminated by other getUpdates request"),
        Failure::Disconnect,
        Failure::Slow(TOO_SLOW),
        Failure::Malformed,
    ];
    let sends = [
        Failure::RetryAfter(1),
        Failure::Disconnect,
        Failure::Malformed,
    ];
    for f in polls {
        run.api.fail_next("getUpdates", f);
    }
    for f in sends {
        run.api.fail_next("sendMessage", f);
    }
    // Questions in bursts while the polls fail one after another, with an
    // unreadable update among them.
    for round in 0..polls.len() {
        for chat in [-901, -902, -903, -904] {
            run.ask(chat);
        }
        if round == 2 {
            run.push(json!({"future_kind": {}}));
        }
        run.wait_failed("getUpdates", round + 1).await;
    }
    for chat in [-901, -902, -903, -904] {
        run.ask(chat);
    }
    let (_, warnings) = run.finish().await;
    let m = messages(&warnings);
    let count = |message: &str| m.iter().filter(|&&x| x == message).count();
    assert_eq!(count("could not get updates"), polls.len(), "{m:?}");
    // One retry line per failed send: a reply may meet more than one fault.
    let retries = count("flood limit (429), retrying")
        + count("network error, retrying")
        + count("malformed answer, retrying");
    assert_eq!(retries, sends.len(), "{m:?}");
    assert_eq!(count("skipped an update this bot cannot read"), 1, "{m:?}");
    assert_eq!(m.len(), polls.len() + sends.len() + 1, "{m:?}");
}

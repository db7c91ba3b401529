//! A fake Telegram Bot API on 127.0.0.1, for driving the real bot in tests:
//! it hands out queued updates through getUpdates (honouring `offset` and a
//! short long-poll), answers the methods the bot calls, records every call
//! (method and JSON body), and can be told to fail the next calls of a
//! method, in order (a schedule of [`Failure`]s) — with a 429 "retry after",
//! an `ok:false` refusal, a connection cut mid-answer, an answer slower than
//! the client's timeout, malformed JSON, or a web server's 404 page that
//! quotes the request path with the token in it. It can also hold every
//! sendMessage unanswered until told to let them through.
//!
//! A failed call is one the fake did not carry out: a refused or cut
//! sendMessage delivered nothing, so a retry that then succeeds is the one
//! delivery. Updates stay queued until a later getUpdates confirms them with
//! its `offset`, as on Telegram, so an answer to getUpdates that fails or
//! never arrives loses nothing. The fake also notes when each update was
//! first handed out ([`FakeApi::served_at`]), for latency figures.
//!
//! It plays Telegram's documented rules where the bot depends on them:
//! privacy mode is on, as for every new bot, so a group message reaches
//! the bot only as privacy mode allows ([`FakeApi::push`];
//! [`FakeApi::read_all_group_messages`] turns it off); getUpdates is
//! refused with 409 while a webhook is set, and setWebhook takes only an
//! HTTPS URL on port 443, 80, 88 or 8443; commands are kept per scope and
//! language, and descriptions per language, as getMyDescription reads them
//! back.
//!
//! Where the bot's correctness depends on it, the fake refuses what
//! Telegram documents as refused, with Telegram's own description: inline
//! result ids outside 1–64 bytes or repeated (`RESULT_ID_INVALID`,
//! `RESULT_ID_DUPLICATE`), or whose message a sendMessage would have
//! refused (below), an edit that changes nothing ("message is not
//! modified"), an edit of a message deleted ("message to edit not found"),
//! a message whose HTML does not parse ("can't parse entities"), whose
//! text is empty or over 4096 characters once parsed, or whose buttons
//! carry callback data outside 1–64 bytes (`BUTTON_DATA_INVALID`).
//! It remembers the text and keyboard of each message the bot sent or
//! edited for that; a message it never saw (one a test invents) is taken
//! as sent before it started, and edited as asked.
//!
//! It never answers HTTP 5xx: teloxide sleeps 10 s after one, which would
//! only make tests slow. Method names are matched case-insensitively, since
//! teloxide writes them capitalised (`SendMessage`).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// The fake bot's user id and username.
/// How long [`FakeApi::wait_until`] waits without any call from the bot
/// before it gives up on what it waits for.
pub const STALLED: Duration = Duration::from_secs(20);

/// How long [`FakeApi::wait_until`] waits at most, progress or not.
pub const GIVE_UP: Duration = Duration::from_secs(300);

pub const BOT_ID: i64 = 777_000_111;
pub const BOT_USERNAME: &str = "qa_test_bot";

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Call {
    /// Lower-case method name, e.g. `sendmessage`.
    pub method: String,
    pub body: Value,
    /// The fake answered with an error (an injected failure or a bad token).
    pub failed: bool,
    /// When the request arrived.
    pub at: Instant,
}

/// A failure to inject into the next call of a method.
#[derive(Debug, Clone, Copy)]
pub enum Failure {
    /// No failure: answered as usual. Scheduled first, it makes the
    /// failure after it hit a later call.
    Pass,
    /// HTTP 429 with `parameters.retry_after`.
    RetryAfter(u32),
    /// `ok:false` with this HTTP status (4xx) and description, as Telegram
    /// refuses a request: 409 "Conflict: terminated by other getUpdates
    /// request", 403 "Forbidden: bot was blocked by the user"…
    Refuse(u16, &'static str),
    /// `ok:false` 400 "group chat was upgraded to a supergroup chat", with
    /// `parameters.migrate_to_chat_id` naming the new chat.
    Migrated(i64),
    /// Headers sent, then the connection cut: a network error for the client.
    Disconnect,
    /// The answer comes after this long: set it past the client's timeout,
    /// which then gives up (a network error). Whatever the answer would
    /// have done is not done.
    Slow(Duration),
    /// HTTP 200 with a JSON body cut short, as a broken proxy passes on.
    Malformed,
    /// HTTP 404 with an HTML page quoting the request path, token and all,
    /// as a web server that is not the Bot API answers (a wrong
    /// TELOXIDE_API_URL, a proxy in the way). The client keeps the page in
    /// the error it returns.
    EchoPath,
}

#[derive(Default)]
struct Inner {
    /// Updates not yet confirmed by an `offset` past them.
    updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    calls: Vec<Call>,
    failures: HashMap<String, VecDeque<Failure>>,
    /// When each update was first in an answer to getUpdates.
    served: HashMap<i64, Instant>,
    /// (chat, message id) → the text and keyboard of a message the bot
    /// sent or edited, or `None` once it deleted it.
    messages: HashMap<(i64, i64), Option<(Value, Value)>>,
    /// The ids of the messages sendMessage delivered, in order.
    sent_ids: Vec<i64>,
    /// Privacy mode off (@BotFather, /setprivacy → Disable): group messages
    /// all reach the bot. Off by default, as for every new bot.
    reads_all_group_messages: bool,
    /// Inline mode off (@BotFather's /setinline never sent). On by default
    /// here, as the bot is meant to be set up.
    no_inline_mode: bool,
    /// The webhook's URL while one is set.
    webhook: Option<String>,
    /// The command lists by (scope, language code; "" for none).
    commands: HashMap<(String, String), Value>,
    /// Descriptions by (method's kind, language code): ("description", "ko")…
    descriptions: HashMap<(&'static str, String), String>,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    /// Wakes getUpdates long-polls when an update is queued.
    queued: tokio::sync::Notify,
    /// sendMessage calls that succeeded, counted without the lock, so a
    /// load test can wait on it without copying every call.
    delivered: AtomicUsize,
    /// While true, sendMessage calls wait before they are carried out.
    held: tokio::sync::watch::Sender<bool>,
}

/// A running fake; dropped with the test's runtime.
#[derive(Clone)]
pub struct FakeApi {
    /// Base URL for TELOXIDE_API_URL.
    pub url: String,
    shared: Arc<Shared>,
}

impl FakeApi {
    /// Starts a fake that accepts `token` (any other gets 401 Unauthorized).
    pub async fn start(token: &str) -> FakeApi {
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            inner: Mutex::new(Inner {
                next_update_id: 1,
                next_message_id: 1000,
                ..Inner::default()
            }),
            queued: tokio::sync::Notify::new(),
            delivered: AtomicUsize::new(0),
            held: tokio::sync::watch::Sender::new(false),
        });
        let app = Router::new()
            .route("/{bot}/{method}", post(handle))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeApi { url, shared }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an update (`{"message": …}` etc.); its update_id is assigned
    /// here and returned. A group message that privacy mode keeps from the
    /// bot is dropped, as Telegram does: `None`.
    pub fn push(&self, update: Value) -> Option<i64> {
        self.push_all(vec![update]).first().copied()
    }

    /// Queues updates in order, under one lock; returns the update_ids of
    /// those queued (privacy mode drops some, see [`FakeApi::push`]).
    pub fn push_all(&self, updates: Vec<Value>) -> Vec<i64> {
        let ids = {
            let mut inner = self.lock();
            let mut ids = Vec::with_capacity(updates.len());
            for mut update in updates {
                if !inner.reads_all_group_messages && withheld_by_privacy(&update) {
                    continue;
                }
                let id = inner.next_update_id;
                update["update_id"] = json!(id);
                inner.next_update_id += 1;
                inner.updates.push_back(update);
                ids.push(id);
            }
            ids
        };
        self.shared.queued.notify_waiters();
        ids
    }

    /// Turns privacy mode off, as @BotFather's /setprivacy → Disable does
    /// (or making the bot a group admin): every group message reaches the
    /// bot, and getMe says `can_read_all_group_messages`. Call it before
    /// the bot starts, which reads getMe once.
    pub fn read_all_group_messages(&self) {
        self.lock().reads_all_group_messages = true;
    }

    /// Turns inline mode off, as for a bot @BotFather's /setinline was never
    /// sent for: getMe says `supports_inline_queries: false`. Call it before
    /// the bot starts, which reads getMe once.
    pub fn without_inline_mode(&self) {
        self.lock().no_inline_mode = true;
    }

    /// Sets a webhook, as an earlier deployment in webhook mode left it:
    /// getUpdates is refused until deleteWebhook.
    pub fn set_webhook(&self, url: &str) {
        self.lock().webhook = Some(url.to_owned());
    }

    /// The webhook's URL while one is set.
    pub fn webhook(&self) -> Option<String> {
        self.lock().webhook.clone()
    }

    /// The command list set for `scope` (its type: "default",
    /// "all_group_chats"…) and `language` ("" for none).
    pub fn commands(&self, scope: &str, language: &str) -> Option<Value> {
        self.lock()
            .commands
            .get(&(scope.to_owned(), language.to_owned()))
            .cloned()
    }

    /// The update_id the next [`FakeApi::push`] will assign.
    pub fn next_update_id(&self) -> i64 {
        self.lock().next_update_id
    }

    /// When update `id` was first handed out by getUpdates.
    pub fn served_at(&self, id: i64) -> Option<Instant> {
        self.lock().served.get(&id).copied()
    }

    /// How many sendMessage calls succeeded so far.
    pub fn delivered(&self) -> usize {
        self.shared.delivered.load(Ordering::Acquire)
    }

    /// Waits until `n` sendMessage calls have succeeded, or `within` has
    /// passed; returns how many had. Cheap enough to run beside a load test.
    pub async fn wait_delivered(&self, n: usize, within: Duration) -> usize {
        let deadline = Instant::now() + within;
        loop {
            let delivered = self.delivered();
            if delivered >= n || Instant::now() >= deadline {
                return delivered;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Makes sendMessage calls wait, unanswered and not yet carried out,
    /// until [`FakeApi::release_replies`]: a bot whose replies hang.
    pub fn hold_replies(&self) {
        self.shared.held.send_replace(true);
    }

    /// Lets the held sendMessage calls, and later ones, through.
    pub fn release_replies(&self) {
        self.shared.held.send_replace(false);
    }

    /// Updates queued and not yet confirmed by an offset past them.
    pub fn pending(&self) -> usize {
        self.lock().updates.len()
    }

    /// Failures scheduled and not yet injected.
    pub fn scheduled(&self) -> usize {
        self.lock().failures.values().map(VecDeque::len).sum()
    }

    /// Makes the next call of `method` (case-insensitive) fail as told;
    /// called again, the call after that, and so on: a schedule.
    pub fn fail_next(&self, method: &str, failure: Failure) {
        self.lock()
            .failures
            .entry(method.to_lowercase())
            .or_default()
            .push_back(failure);
    }

    /// A message id the fake has not used, for messages tests invent.
    pub fn new_message_id(&self) -> i64 {
        let mut inner = self.lock();
        inner.next_message_id += 1;
        inner.next_message_id
    }

    /// The ids of the messages sendMessage delivered, in the order of [`FakeApi::sent`].
    pub fn sent_ids(&self) -> Vec<i64> {
        self.lock().sent_ids.clone()
    }

    /// The text message `id` in `chat` shows now, after the bot's edits;
    /// `None` once deleted, or for a message the bot did not send.
    pub fn shows(&self, chat: i64, id: i64) -> Option<String> {
        let inner = self.lock();
        let (text, _) = inner.messages.get(&(chat, id))?.as_ref()?;
        text.as_str().map(str::to_owned)
    }

    /// The last message id the fake gave out: to a message the bot sent,
    /// or through [`FakeApi::new_message_id`].
    pub fn last_message_id(&self) -> i64 {
        self.lock().next_message_id
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Calls of `method` (case-insensitive), failed ones included.
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let method = method.to_lowercase();
        self.calls()
            .into_iter()
            .filter(|c| c.method == method)
            .collect()
    }

    /// Bodies of the sendMessage calls that succeeded: the messages users saw.
    pub fn sent(&self) -> Vec<Value> {
        self.calls_to("sendMessage")
            .into_iter()
            .filter(|c| !c.failed)
            .map(|c| c.body)
            .collect()
    }

    /// Waits until `done` holds for the calls so far. A safety net, not a
    /// time limit: it panics, showing the calls, only once the bot has made
    /// no call but getUpdates for [`STALLED`] (a loaded machine answers slowly, but it
    /// answers), or after [`GIVE_UP`] in all.
    pub async fn wait_until(&self, what: &str, done: impl Fn(&[Call]) -> bool) -> Vec<Call> {
        let start = Instant::now();
        let (mut seen, mut progress) = (0, start);
        loop {
            let calls = self.calls();
            if done(&calls) {
                return calls;
            }
            // Polls go on while the bot is stuck: only other calls count.
            let made = calls.iter().filter(|c| c.method != "getupdates").count();
            if made > seen {
                (seen, progress) = (made, Instant::now());
            }
            if progress.elapsed() > STALLED || start.elapsed() > GIVE_UP {
                // getUpdates calls are left out of the dump; whether the
                // bot was still polling tells a stuck handler from a stuck
                // listener.
                let polls: Vec<&Call> = calls.iter().filter(|c| c.method == "getupdates").collect();
                let last = polls.last().map(|c| c.at.elapsed());
                panic!(
                    "timed out waiting for {what} ({} getUpdates, the last {last:?} ago); calls:\n{}",
                    polls.len(),
                    dump(&calls)
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for `n` delivered messages in all; returns them all.
    pub async fn wait_sent(&self, n: usize) -> Vec<Value> {
        self.wait_until(&format!("{n} sent messages"), |calls| {
            calls
                .iter()
                .filter(|c| c.method == "sendmessage" && !c.failed)
                .count()
                >= n
        })
        .await;
        self.sent()
    }

    /// Waits for `n` calls of `method`; returns them all.
    pub async fn wait_calls(&self, method: &str, n: usize) -> Vec<Call> {
        let m = method.to_lowercase();
        self.wait_until(&format!("{n} {method} calls"), |calls| {
            calls.iter().filter(|c| c.method == m).count() >= n
        })
        .await;
        self.calls_to(method)
    }
}

/// The calls, getUpdates left out, one per line.
pub fn dump(calls: &[Call]) -> String {
    calls
        .iter()
        .filter(|c| c.method != "getupdates")
        .map(|c| {
            format!(
                "  {}{} {}",
                c.method,
                if c.failed { " (failed)" } else { "" },
                c.body
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn error(status: StatusCode, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (status, axum::Json(body)).into_response()
}

pub fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "QA Bot", "username": BOT_USERNAME})
}

/// The chat an id stands for: positive ids are private chats, negative ones groups.
pub fn chat(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "Tester"})
    } else if id <= -1_000_000_000_000 {
        json!({"id": id, "type": "supergroup", "title": "Test supergroup"})
    } else {
        json!({"id": id, "type": "group", "title": "Test group"})
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method_as_sent)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let method = method_as_sent.to_lowercase();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body: Value = match content_type.split_once("boundary=") {
        Some((_, boundary)) => form_fields(&body, boundary.trim_matches('"')),
        None => serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    let record = |failed: bool| {
        let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
            failed,
            at: Instant::now(),
        });
    };
    if bot != format!("bot{}", shared.token) {
        record(true);
        return error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
    }
    let failure = {
        let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner
            .failures
            .get_mut(&method)
            .and_then(VecDeque::pop_front)
            .filter(|f| !matches!(f, Failure::Pass))
    };
    if let Some(failure) = failure {
        record(true);
        return match failure {
            Failure::Pass => unreachable!("filtered out above"),
            Failure::RetryAfter(secs) => error(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too Many Requests: retry after {secs}"),
                Some(json!({"retry_after": secs})),
            ),
            Failure::Refuse(status, description) => error(
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                description,
                None,
            ),
            Failure::Migrated(to) => error(
                StatusCode::BAD_REQUEST,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Some(json!({"migrate_to_chat_id": to})),
            ),
            Failure::Slow(delay) => {
                tokio::time::sleep(delay).await;
                if method == "getupdates" {
                    // Served, but to a client that has given up: still queued.
                    ok(get_updates(&shared, &json!({"offset": body["offset"]})).await)
                } else {
                    ok(json!(true))
                }
            }
            Failure::Malformed => (
                StatusCode::OK,
                [("content-type", "application/json")],
                r#"{"ok":true,"result":[{"update_id":"#,
            )
                .into_response(),
            Failure::Disconnect => {
                let cut = futures_util::stream::once(async {
                    Err::<Bytes, std::io::Error>(std::io::Error::other(
                        "connection cut by the fake",
                    ))
                });
                Response::new(Body::from_stream(cut))
            }
            Failure::EchoPath => (
                StatusCode::NOT_FOUND,
                [("content-type", "text/html")],
                format!(
                    "<html><body><h1>404</h1>\n<p>Cannot POST /{bot}/{method_as_sent}</p></body></html>\n"
                ),
            )
                .into_response(),
        };
    }
    if method == "getupdates" {
        let webhook = shared
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .webhook
            .is_some();
        if webhook {
            record(true);
            return error(StatusCode::CONFLICT, WEBHOOK_ACTIVE, None);
        }
        record(false);
        return ok(get_updates(&shared, &body).await);
    }
    if let Some(description) = refusal(&shared, &method, &body) {
        record(true);
        return error(StatusCode::BAD_REQUEST, description, None);
    }
    if method == "sendmessage" && *shared.held.borrow() {
        let _ = shared.held.subscribe().wait_for(|held| !*held).await;
    }
    // A delivered message's id is kept before its call is recorded, so a
    // test that has seen the call finds the id too (`FakeApi::sent_ids`).
    let delivered_id =
        (method == "sendmessage" && body.get("inline_message_id").is_none()).then(|| {
            let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
            inner.next_message_id += 1;
            let id = inner.next_message_id;
            inner.sent_ids.push(id);
            id
        });
    record(false);
    if method == "sendmessage" {
        shared.delivered.fetch_add(1, Ordering::Release);
    }
    let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "QA Bot", "username": BOT_USERNAME,
            "can_join_groups": true,
            "can_read_all_group_messages": inner.reads_all_group_messages,
            "supports_inline_queries": !inner.no_inline_mode, "can_connect_to_business": false,
            "has_main_web_app": false,
        })),
        "sendmessage" | "editmessagetext" => {
            if body.get("inline_message_id").is_some() {
                return ok(json!(true));
            }
            let message_id = match (delivered_id, body.get("message_id").and_then(Value::as_i64)) {
                (Some(id), _) | (None, Some(id)) => id,
                (None, None) => {
                    inner.next_message_id += 1;
                    inner.next_message_id
                }
            };
            let chat_id = body["chat_id"].as_i64().unwrap_or(1);
            inner
                .messages
                .insert((chat_id, message_id), Some(content(&body)));
            let mut message = json!({
                "message_id": message_id,
                "date": 1_700_000_000,
                "chat": chat(chat_id),
                "from": bot_user(),
                "text": body["text"].as_str().unwrap_or(""),
            });
            if !body["reply_markup"].is_null() {
                message["reply_markup"] = body["reply_markup"].clone();
            }
            if let Some(thread) = body["message_thread_id"].as_i64() {
                message["chat"]["is_forum"] = json!(true);
                message["message_thread_id"] = json!(thread);
                message["is_topic_message"] = json!(true);
            }
            ok(message)
        }
        "setmessagereaction" => match reaction_error(&body) {
            None => ok(json!(true)),
            Some(description) => error(StatusCode::BAD_REQUEST, description, None),
        },
        "deletemessage" => {
            let key = (
                body["chat_id"].as_i64().unwrap_or(0),
                body["message_id"].as_i64().unwrap_or(0),
            );
            inner.messages.insert(key, None);
            ok(json!(true))
        }
        "getwebhookinfo" => ok(json!({
            "url": inner.webhook.clone().unwrap_or_default(),
            "has_custom_certificate": false,
            "pending_update_count": 0,
        })),
        "setwebhook" => match webhook_refusal(&body["url"]) {
            Some(refusal) => error(StatusCode::BAD_REQUEST, refusal, None),
            None => {
                inner.webhook = body["url"].as_str().map(str::to_owned);
                ok(json!(true))
            }
        },
        // True whether or not one was set ("Webhook is already deleted").
        "deletewebhook" => {
            inner.webhook = None;
            ok(json!(true))
        }
        "setmycommands" => match command_list_refusal(&body) {
            Some(refusal) => error(StatusCode::BAD_REQUEST, refusal, None),
            None => {
                inner
                    .commands
                    .insert(scope_key(&body), body["commands"].clone());
                ok(json!(true))
            }
        },
        "deletemycommands" => {
            inner.commands.remove(&scope_key(&body));
            ok(json!(true))
        }
        "setmydescription" | "setmyshortdescription" => {
            let (kind, max) = if method == "setmydescription" {
                ("description", 512)
            } else {
                ("short_description", 120)
            };
            let text = body[kind].as_str().unwrap_or("");
            if text.chars().count() > max {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: description is too long",
                    None,
                );
            }
            let key = (kind, language(&body));
            // An empty description removes the one for that language.
            if text.is_empty() {
                inner.descriptions.remove(&key);
            } else {
                inner.descriptions.insert(key, text.to_owned());
            }
            ok(json!(true))
        }
        "getmydescription" | "getmyshortdescription" => {
            let kind = if method == "getmydescription" {
                "description"
            } else {
                "short_description"
            };
            let text = inner
                .descriptions
                .get(&(kind, language(&body)))
                .cloned()
                .unwrap_or_default();
            let mut result = serde_json::Map::new();
            result.insert(kind.to_owned(), json!(text));
            ok(Value::Object(result))
        }
        "answercallbackquery" | "answerinlinequery" => ok(json!(true)),
        _ => error(
            StatusCode::BAD_REQUEST,
            "Bad Request: the fake does not implement this method",
            None,
        ),
    }
}

/// A message's text and keyboard, as sent in a request's body.
fn content(body: &Value) -> (Value, Value) {
    (body["text"].clone(), body["reply_markup"].clone())
}

/// Telegram's description of why it refuses this request, for the
/// refusals the fake knows (see the module's documentation).
fn refusal(shared: &Shared, method: &str, body: &Value) -> Option<&'static str> {
    match method {
        "answerinlinequery" => {
            let ids: Vec<&str> = body["results"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| r["id"].as_str().unwrap_or(""))
                .collect();
            // answerInlineQuery: "Unique identifier for this result, 1-64 Bytes".
            if ids.iter().any(|id| id.is_empty() || id.len() > 64) {
                return Some("Bad Request: RESULT_ID_INVALID");
            }
            let unique: std::collections::HashSet<&&str> = ids.iter().collect();
            if unique.len() < ids.len() {
                return Some("Bad Request: RESULT_ID_DUPLICATE");
            }
            // Each result's message is held to a sent message's rules.
            body["results"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|r| {
                    let content = &r["input_message_content"];
                    message_refusal(&json!({
                        "text": content["message_text"],
                        "parse_mode": content["parse_mode"],
                        "reply_markup": r["reply_markup"],
                    }))
                })
        }
        "sendmessage" => message_refusal(body),
        "editmessagetext" if body.get("inline_message_id").is_none() => {
            if let Some(refusal) = message_refusal(body) {
                return Some(refusal);
            }
            let key = (
                body["chat_id"].as_i64().unwrap_or(0),
                body["message_id"].as_i64().unwrap_or(0),
            );
            let inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
            match inner.messages.get(&key) {
                Some(None) => Some("Bad Request: message to edit not found"),
                Some(Some(was)) if *was == content(body) => Some(
                    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                ),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Why Telegram refuses a message's text or keyboard, if it would: HTML
/// that does not parse (a tag Telegram does not know, or one left open or
/// closed out of turn), a text empty or over 4096 characters once parsed,
/// or callback data outside 1–64 bytes (Bot API: sendMessage, "Formatting
/// options", InlineKeyboardButton).
fn message_refusal(body: &Value) -> Option<&'static str> {
    let text = body["text"].as_str().unwrap_or("");
    let shown = match body["parse_mode"].as_str() {
        Some("HTML") => parsed_html(text),
        _ => Ok(text.to_owned()),
    };
    let shown = match shown {
        Ok(shown) => shown,
        Err(refusal) => return Some(refusal),
    };
    if shown.trim().is_empty() {
        return Some("Bad Request: message text is empty");
    }
    // Telegram counts UTF-16 code units, as its entity offsets do.
    if shown.encode_utf16().count() > 4096 {
        return Some("Bad Request: message is too long");
    }
    let bad_data = all_buttons(body)
        .filter_map(|b| b["callback_data"].as_str())
        .any(|data| !(1..=64).contains(&data.len()));
    bad_data.then_some("Bad Request: BUTTON_DATA_INVALID")
}

/// The text Telegram shows for `html` in its HTML parse mode, or why it
/// refuses it: only its tags (some with attributes), each closed in turn,
/// and the entities `&lt;`, `&gt;`, `&amp;` and `&quot;`. Any other `&`
/// is taken as itself: the fake does not guess at what Telegram refuses
/// there.
fn parsed_html(html: &str) -> Result<String, &'static str> {
    const TAGS: [&str; 16] = [
        "blockquote",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
    ];
    let mut shown = String::new();
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        shown.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('&') {
            let entity = [
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&amp;", '&'),
                ("&quot;", '"'),
            ]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
            let (e, c) = entity.unwrap_or(("&", '&'));
            shown.push(c);
            rest = &rest[e.len()..];
            continue;
        }
        let Some(end) = rest.find('>') else {
            return Err("Bad Request: can't parse entities: Unclosed start tag");
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        match tag.strip_prefix('/') {
            Some(name) if open.pop() == Some(name.trim()) => {}
            Some(_) => {
                return Err("Bad Request: can't parse entities: Unmatched end tag");
            }
            None => {
                let name = tag.split_whitespace().next().unwrap_or("");
                if !TAGS.contains(&name) {
                    return Err("Bad Request: can't parse entities: Unsupported start tag");
                }
                open.push(name);
            }
        }
    }
    shown.push_str(rest);
    if open.is_empty() {
        Ok(shown)
    } else {
        Err("Bad Request: can't parse entities: Can't find end tag corresponding to start tag")
    }
}

/// What Telegram answers getUpdates while a webhook is set (HTTP 409).
pub const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/// Why setWebhook refuses `url`, as Telegram words it: webhooks are HTTPS
/// only, on port 443, 80, 88 or 8443 (Bot API, setWebhook).
fn webhook_refusal(url: &Value) -> Option<&'static str> {
    let Some(url) = url.as_str().filter(|u| !u.is_empty()) else {
        // An empty URL removes the webhook, as deleteWebhook does.
        return None;
    };
    match reqwest::Url::parse(url) {
        Err(_) => {
            Some("Bad Request: bad webhook: Failed to resolve host: Name or service not known")
        }
        Ok(url) if url.scheme() != "https" => {
            Some("Bad Request: bad webhook: HTTPS url must be provided for webhook")
        }
        Ok(url) if !matches!(url.port_or_known_default(), Some(443 | 80 | 88 | 8443)) => Some(
            "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ),
        Ok(_) => None,
    }
}

/// Why setMyCommands refuses a list: 1–100 commands of 1–32 lower-case
/// letters, digits and underscores, each described in 1–256 characters,
/// under a known scope (Bot API, BotCommand and BotCommandScope).
fn command_list_refusal(body: &Value) -> Option<&'static str> {
    let Some(commands) = body["commands"]
        .as_array()
        .filter(|c| (1..=100).contains(&c.len()))
    else {
        return Some("Bad Request: commands must be a list of 1-100 commands");
    };
    for c in commands {
        let name = c["command"].as_str().unwrap_or("");
        let name_ok = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Some("Bad Request: BOT_COMMAND_INVALID");
        }
        let about = c["description"].as_str().unwrap_or("").chars().count();
        if !(1..=256).contains(&about) {
            return Some("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
        }
    }
    let scope = body["scope"]["type"].as_str().unwrap_or("default");
    let known = [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ];
    (!known.contains(&scope)).then_some("Bad Request: can't parse BotCommandScope")
}

/// A command list's key: its scope's type (with the chat and user it
/// names, if any) and its language code.
fn scope_key(body: &Value) -> (String, String) {
    let scope = &body["scope"];
    let mut key = scope["type"].as_str().unwrap_or("default").to_owned();
    for field in ["chat_id", "user_id"] {
        if let Some(v) = scope.get(field) {
            key.push_str(&format!(":{v}"));
        }
    }
    (key, language(body))
}

/// A request's `language_code`, "" when it has none.
fn language(body: &Value) -> String {
    body["language_code"].as_str().unwrap_or("").to_owned()
}

/// Keys of a message that carry what someone wrote; a message with none of
/// them is a service message (a member joining, a pin…).
const CONTENT: [&str; 16] = [
    "text",
    "caption",
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "dice",
    "poll",
    "location",
    "venue",
    "contact",
    "story",
];

/// Whether privacy mode keeps `update` from the bot. In a group or
/// supergroup a bot in privacy mode gets only commands (not those
/// addressed to another bot), replies to its own messages, messages sent
/// via it, and service messages (Bot FAQ, "What messages will my bot get?";
/// the features page, "Privacy mode"). A plain mention is not delivered.
/// The fake's groups have no other bot, so a command without `@bot` is
/// this bot's, as the FAQ has it when it was the last bot to speak.
fn withheld_by_privacy(update: &Value) -> bool {
    let Some(message) = update.get("message").or(update.get("edited_message")) else {
        return false;
    };
    if !matches!(
        message["chat"]["type"].as_str(),
        Some("group" | "supergroup")
    ) {
        return false;
    }
    let text = message["text"].as_str().or(message["caption"].as_str());
    let command = text.and_then(|t| t.strip_prefix('/')).is_some_and(|rest| {
        let word = rest.split_whitespace().next().unwrap_or("");
        word.split_once('@')
            .is_none_or(|(_, to)| to.eq_ignore_ascii_case(BOT_USERNAME))
    });
    let reply_to_me = message["reply_to_message"]["from"]["id"] == BOT_ID;
    let via_me = message["via_bot"]["id"] == BOT_ID;
    let service = !CONTENT.iter().any(|k| message.get(k).is_some());
    !(command || reply_to_me || via_me || service)
}

/// Why Telegram would refuse a setMessageReaction body, if it would: it
/// needs a chat and a message, and a bot may set at most one reaction, an
/// emoji from Telegram's list (a few of them are checked here).
fn reaction_error(body: &Value) -> Option<&'static str> {
    if !body["message_id"].is_i64() || body["chat_id"].is_null() {
        return Some("Bad Request: message to react not found");
    }
    let allowed = ["👍", "👎", "❤", "🔥", "👀", "🙏", "👌"];
    match body["reaction"].as_array().map(Vec::as_slice) {
        None | Some([]) => None,
        Some([r])
            if r["type"] == "emoji"
                && r["emoji"].as_str().is_some_and(|e| allowed.contains(&e)) =>
        {
            None
        }
        Some([_]) => Some("Bad Request: REACTION_INVALID"),
        Some(_) => Some("Bad Request: REACTIONS_TOO_MANY"),
    }
}

/// A multipart form's text fields as a JSON object, each value parsed as
/// JSON when it is (teloxide sends setWebhook as a form, its
/// `allowed_updates` as a JSON array in one field).
fn form_fields(body: &[u8], boundary: &str) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split(&format!("--{boundary}")) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let parsed = serde_json::from_str(value).unwrap_or_else(|_| json!(value));
        fields.insert(name.to_owned(), parsed);
    }
    Value::Object(fields)
}

/// Updates from `offset` on, waiting up to the request's timeout (capped,
/// so a stopping bot is not held) for one to arrive.
async fn get_updates(shared: &Shared, body: &Value) -> Value {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0).min(2));
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        // Registered before looking, so a push in between still wakes us.
        let queued = shared.queued.notified();
        {
            let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
            // An offset confirms every update before it, as on Telegram
            // (ids are assigned in order, so those are at the front).
            let confirmed = |u: &Value| u["update_id"].as_i64().is_some_and(|id| id < offset);
            while inner.updates.front().is_some_and(confirmed) {
                inner.updates.pop_front();
            }
            if !inner.updates.is_empty() {
                let batch: Vec<Value> = inner.updates.iter().take(limit).cloned().collect();
                let now = Instant::now();
                for u in &batch {
                    if let Some(id) = u["update_id"].as_i64() {
                        inner.served.entry(id).or_insert(now);
                    }
                }
                return Value::Array(batch);
            }
        }
        if tokio::time::timeout_at(deadline, queued).await.is_err() {
            return json!([]);
        }
    }
}

/// Every button under a message, row by row.
fn all_buttons(message: &Value) -> impl Iterator<Item = &Value> {
    message["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
}

/// (label, `field`) of every button under a message that has `field`.
fn buttons_with(message: &Value, field: &str) -> Vec<(String, String)> {
    all_buttons(message)
        .filter_map(|b| {
            let label = b["text"].as_str().unwrap_or("").to_owned();
            Some((label, b[field].as_str()?.to_owned()))
        })
        .collect()
}

/// (label, callback data) of every button under a message that sends the
/// bot a callback query.
pub fn buttons(message: &Value) -> Vec<(String, String)> {
    buttons_with(message, "callback_data")
}

/// (label, query) of every button under a message that opens inline mode
/// in a chat the user picks (`switch_inline_query`).
pub fn share_buttons(message: &Value) -> Vec<(String, String)> {
    buttons_with(message, "switch_inline_query")
}

/// The text of a message the bot sent as HTML, without its tags.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Builders of the updates Telegram sends.
pub mod tg {
    use super::*;

    pub fn user(id: i64, lang: &str) -> Value {
        json!({"id": id, "is_bot": false, "first_name": "Tester", "language_code": lang})
    }

    /// A message from `from` in chat `chat_id` with extra fields (text, sticker…).
    pub fn message(message_id: i64, chat_id: i64, from: Value, fields: Value) -> Value {
        let mut m = json!({
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": chat(chat_id),
            "from": from,
        });
        for (k, v) in fields.as_object().expect("fields is an object") {
            m[k] = v.clone();
        }
        m
    }

    /// A message the bot sent earlier, as it comes back inside a callback
    /// query or a reply.
    pub fn bots_message(message_id: i64, chat_id: i64, text: &str) -> Value {
        message(message_id, chat_id, bot_user(), json!({ "text": text }))
    }

    pub fn text(message_id: i64, chat_id: i64, from: Value, text: &str) -> Value {
        json!({"message": message(message_id, chat_id, from, json!({"text": text}))})
    }

    /// Message `message_id`, edited to read `text` (which may be what it
    /// read before: Telegram also sends an edit for changes a bot cannot see).
    pub fn edited(message_id: i64, chat_id: i64, from: Value, text: &str) -> Value {
        let mut m = message(message_id, chat_id, from, json!({ "text": text }));
        m["edit_date"] = json!(1_700_000_100);
        json!({ "edited_message": m })
    }

    /// The id of GroupAnonymousBot, the placeholder sender of a message an
    /// anonymous admin sends on behalf of the group.
    pub const ANONYMOUS_ADMIN: i64 = 1_087_968_824;

    /// `text` from an anonymous admin of group `chat_id`: `from` is the
    /// placeholder bot and `sender_chat` the group itself, as Telegram sends it.
    pub fn as_group(message_id: i64, chat_id: i64, text: &str) -> Value {
        let placeholder = json!({
            "id": ANONYMOUS_ADMIN, "is_bot": true, "first_name": "Group",
            "username": "GroupAnonymousBot",
        });
        let fields = json!({ "text": text, "sender_chat": chat(chat_id) });
        json!({ "message": message(message_id, chat_id, placeholder, fields) })
    }

    /// `text` posted in group `chat_id` as channel `channel_id`: `from` is
    /// the placeholder Channel_Bot and `sender_chat` the channel.
    pub fn as_channel(message_id: i64, chat_id: i64, channel_id: i64, text: &str) -> Value {
        let placeholder = json!({
            "id": 136_817_688, "is_bot": true, "first_name": "Channel",
            "username": "Channel_Bot",
        });
        let channel = json!({"id": channel_id, "type": "channel", "title": "Test channel"});
        let fields = json!({ "text": text, "sender_chat": channel });
        json!({ "message": message(message_id, chat_id, placeholder, fields) })
    }

    /// A message update `update`, as sent through this bot's inline mode:
    /// with `via_bot`, the bot whose inline result it is.
    pub fn via_me(mut update: Value) -> Value {
        update["message"]["via_bot"] = bot_user();
        update
    }

    /// A message update `update`, in forum topic `thread` of its supergroup.
    pub fn in_topic(mut update: Value, thread: i64) -> Value {
        let m = &mut update["message"];
        m["chat"]["is_forum"] = json!(true);
        m["message_thread_id"] = json!(thread);
        m["is_topic_message"] = json!(true);
        update
    }

    pub fn callback(id: &str, from: Value, message: Value, data: &str) -> Value {
        json!({"callback_query": {
            "id": id, "from": from, "chat_instance": "ci-1", "message": message, "data": data,
        }})
    }

    pub fn inline(id: &str, from: Value, query: &str) -> Value {
        json!({"inline_query": {"id": id, "from": from, "query": query, "offset": ""}})
    }

    pub fn my_chat_member(chat_id: i64, from: Value, old: &str, new: &str) -> Value {
        let member = |status: &str| {
            let mut m = json!({"user": bot_user(), "status": status});
            if status == "administrator" {
                for (k, v) in [
                    ("can_be_edited", false),
                    ("is_anonymous", false),
                    ("can_manage_chat", true),
                    ("can_delete_messages", true),
                    ("can_manage_video_chats", false),
                    ("can_restrict_members", false),
                    ("can_promote_members", false),
                    ("can_change_info", false),
                    ("can_invite_users", true),
                    ("can_post_stories", false),
                    ("can_edit_stories", false),
                    ("can_delete_stories", false),
                    ("can_pin_messages", true),
                ] {
                    m[k] = json!(v);
                }
            }
            m
        };
        json!({"my_chat_member": {
            "chat": chat(chat_id), "from": from, "date": 1_700_000_000,
            "old_chat_member": member(old), "new_chat_member": member(new),
        }})
    }
}

/// Checks that a getUpdates or setWebhook body asks for every update kind
/// the bot handles, and panics naming what it asked for otherwise.
pub fn assert_allowed_updates(body: &Value) {
    let allowed: Vec<&str> = body["allowed_updates"]
        .as_array()
        .expect("allowed_updates is sent")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for kind in [
        "message",
        "edited_message",
        "callback_query",
        "inline_query",
        "my_chat_member",
    ] {
        assert!(allowed.contains(&kind), "{kind} not in {allowed:?}");
    }
}

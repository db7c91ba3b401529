//! Webhook mode (issue 5), end to end on 127.0.0.1: the real `qabot run`
//! with `[bot.webhook]` set tells the fake Bot API where to send updates
//! (setWebhook, with the secret token), serves them on its own port (port
//! 0: it logs the one it got), and answers each through the fake. Requests
//! without the secret token in `X-Telegram-Bot-Api-Secret-Token`, or with
//! a wrong one, get 401 and no reply; `/healthz` answers 200; the secret is
//! in no log line; a stop in the middle of a stream of requests answers
//! every update it accepted; without the secret in the environment the bot
//! does not start.

mod bot_process;
mod fake_api;

use std::time::{Duration, Instant};

use bot_process::{BotProcess, TOKEN, events};
use fake_api::{FakeApi, tg};
use serde_json::{Value, json};

/// The webhook's secret token, as the operator puts it in the environment.
const HOOK_SECRET: &str = "Webhook-Secret_for-qabot-tests-42";

/// The public URL given to Telegram; its path is the one served locally.
/// Only ever sent to the fake, never fetched.
const PUBLIC_URL: &str = "https://bot.example.invalid/qabot/hook";

/// Fast settings, and a webhook on a port of the system's choosing.
const CONFIG: &str = "[bot]\nthrottle = false\npoll_timeout_secs = 1\nrequest_timeout_ms = 1500\n\
     retry_first_ms = 20\nretry_max_ms = 100\nsend_retries = 3\ninline_cache_secs = 0\n\
     \n[bot.webhook]\nurl = \"https://bot.example.invalid/qabot/hook\"\nlisten = \"127.0.0.1:0\"\n";

/// The binary in webhook mode against a fresh fake.
struct Hooked {
    api: FakeApi,
    bot: BotProcess,
    /// `http://127.0.0.1:PORT`, where the bot listens.
    base: String,
    http: reqwest::Client,
    next_update: i64,
}

impl Hooked {
    async fn start() -> Hooked {
        let api = FakeApi::start(TOKEN).await;
        let bot = BotProcess::spawn(&api.url, CONFIG, &[("QABOT_WEBHOOK_SECRET", HOOK_SECRET)]);
        api.wait_calls("setWebhook", 1).await;
        // Logged once setWebhook succeeded: the port it listens on.
        let deadline = Instant::now() + Duration::from_secs(10);
        let listen = loop {
            let found = events(&bot.log())
                .into_iter()
                .find_map(|e| e["listen"].as_str().map(str::to_owned));
            if let Some(listen) = found {
                break listen;
            }
            assert!(
                Instant::now() < deadline,
                "no listen address logged:\n{}",
                bot.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        Hooked {
            api,
            bot,
            base: format!("http://{listen}"),
            http: reqwest::Client::new(),
            next_update: 1,
        }
    }

    /// POSTs `update` (an update_id added) to the webhook, with `secret` in
    /// the header if given; the HTTP status.
    async fn post(&mut self, secret: Option<&str>, mut update: Value) -> u16 {
        update["update_id"] = json!(self.next_update);
        self.next_update += 1;
        self.post_raw(secret, update.to_string()).await
    }

    async fn post_raw(&self, secret: Option<&str>, body: String) -> u16 {
        let mut request = self
            .http
            .post(format!("{}/qabot/hook", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        request
            .send()
            .await
            .expect("the webhook answers")
            .status()
            .as_u16()
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// Stops the bot (SIGINT, exit 0) and returns its log, checked to hold
    /// neither secret.
    async fn stop(self) -> (FakeApi, String) {
        let log = self.bot.stop().await;
        assert!(
            !log.contains(HOOK_SECRET),
            "the webhook secret was logged:\n{log}"
        );
        assert!(
            !log.contains(bot_process::SECRET),
            "the token was logged:\n{log}"
        );
        (self.api, log)
    }
}

fn question(chat: i64, text: &str) -> Value {
    tg::text(1, chat, tg::user(chat.abs(), "en"), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_posted_with_the_secret_are_answered_through_the_bot_api() {
    let mut h = Hooked::start().await;
    let set = &h.api.calls_to("setWebhook")[0].body;
    assert_eq!(set["url"], PUBLIC_URL);
    assert_eq!(set["secret_token"], HOOK_SECRET);
    fake_api::assert_allowed_updates(set);

    assert_eq!(h.get("/healthz").await, (200, "ok\n".to_owned()));
    let started = Instant::now();
    assert_eq!(
        h.post(Some(HOOK_SECRET), question(41, "what is step 2?"))
            .await,
        200
    );
    let sent = h.api.wait_sent(1).await;
    assert_eq!(sent[0]["chat_id"], 41);
    assert!(
        sent[0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Step 2 of 3"),
        "{}",
        sent[0]
    );
    let inline = tg::inline("iq-1", tg::user(42, "en"), "step 3");
    assert_eq!(h.post(Some(HOOK_SECRET), inline).await, 200);
    let answers = h.api.wait_calls("answerInlineQuery", 1).await;
    assert_eq!(answers[0].body["inline_query_id"], "iq-1");
    eprintln!("two updates answered in {:?}", started.elapsed());

    // A webhook bot never polls, and leaves the webhook set when it stops:
    // other instances may be serving it.
    let (api, log) = h.stop().await;
    assert!(api.calls_to("getUpdates").is_empty());
    assert!(api.calls_to("deleteWebhook").is_empty());
    let events = events(&log);
    let warnings: Vec<&Value> = events
        .iter()
        .filter(|e| e["level"] == "WARN" || e["level"] == "ERROR")
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_or_missing_secret_gets_401_and_nothing_is_answered() {
    let mut h = Hooked::start().await;
    let wrong_same_length: String = HOOK_SECRET
        .chars()
        .map(|c| if c == 'W' { 'w' } else { c })
        .collect();
    let prefix = &HOOK_SECRET[..HOOK_SECRET.len() - 1];
    let longer = format!("{HOOK_SECRET}x");
    for secret in [
        None,
        Some(""),
        Some(wrong_same_length.as_str()),
        Some(prefix),
        Some(longer.as_str()),
        Some("not a valid secret!"),
    ] {
        let status = h.post(secret, question(50, "what is step 1?")).await;
        assert_eq!(status, 401, "secret {secret:?}");
    }
    // With the secret, a body that is not an update is refused, not read.
    assert_eq!(
        h.post_raw(Some(HOOK_SECRET), "{\"nope\":".into()).await,
        400
    );
    // Long enough for a wrongly accepted update to be answered, and caught.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(h.api.sent().is_empty(), "answered without the secret");

    assert_eq!(
        h.post(Some(HOOK_SECRET), question(51, "what is step 1?"))
            .await,
        200
    );
    h.api.wait_sent(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = h.api.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["chat_id"], 51);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_usable_secret_in_the_environment_the_bot_does_not_start() {
    let api = FakeApi::start(TOKEN).await;
    for env in [vec![], vec![("QABOT_WEBHOOK_SECRET", "has a space")]] {
        let mut bot = BotProcess::spawn(&api.url, CONFIG, &env);
        let code = bot.exit_code(Duration::from_secs(10)).await;
        let log = bot.log();
        assert_eq!(code, Some(2), "{env:?}:\n{log}");
        assert!(log.contains("QABOT_WEBHOOK_SECRET"), "{log}");
        assert!(!log.contains("has a space"), "{log}");
    }
    assert!(api.calls_to("setWebhook").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_update_accepted_before_a_stop_is_answered() {
    let h = Hooked::start().await;
    let url = format!("{}/qabot/hook", h.base);
    let http = h.http.clone();
    // Posts until the server is gone; counts the updates it accepted (200).
    let poster = tokio::spawn(async move {
        let mut accepted = 0;
        for id in 1..=2000 {
            let update = json!({ "update_id": id })
                .as_object()
                .cloned()
                .map(|mut u| {
                    u.extend(
                        question(1000 + id, "what is step 1?")
                            .as_object()
                            .cloned()
                            .unwrap(),
                    );
                    Value::Object(u)
                })
                .unwrap();
            let sent = http
                .post(&url)
                .header("X-Telegram-Bot-Api-Secret-Token", HOOK_SECRET)
                .header("content-type", "application/json")
                .body(update.to_string())
                .send()
                .await;
            match sent.map(|r| r.status().as_u16()) {
                Ok(200) => accepted += 1,
                Ok(503) => {}
                Ok(other) => panic!("status {other}"),
                Err(_) => break,
            }
        }
        accepted
    });
    h.api.wait_sent(10).await;
    let (api, _) = h.stop().await;
    let accepted = poster.await.unwrap();
    let mut chats: Vec<i64> = api
        .sent()
        .iter()
        .filter_map(|m| m["chat_id"].as_i64())
        .collect();
    chats.sort();
    chats.dedup();
    assert_eq!(
        api.sent().len(),
        accepted,
        "answers to the accepted updates"
    );
    assert_eq!(chats.len(), accepted, "each answered once");
    eprintln!("{accepted} updates accepted before the stop, all answered");
}

//! Hot reload (issue 5): the real `qabot run`, long-polling the fake Bot
//! API on 127.0.0.1, reads its knowledge base from a directory the test
//! edits. SIGHUP after a valid edit changes the answers; the updates queued
//! around the signal are all answered once. SIGHUP after an invalid edit is
//! rejected with the file and line in the log, and the bot keeps answering
//! with the knowledge base it had. `/reload` from a user in `[bot] admins`
//! does the same and replies in one line; from anyone else it does nothing
//! and gets no reply. Under load (2,000 questions streaming in), three
//! reloads, one of them rejected, cost no answer.

use crate::bot_process;
use crate::fake_api;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bot_process::{BotProcess, TOKEN, events};
use fake_api::{FakeApi, tg};
use serde_json::Value;

const OLD_TITLE: &str = "Autonomy and collaboration, not top-down control";
const NEW_TITLE: &str = "Autonomy RELOADED";

/// A copy of the shipped knowledge base, removed when dropped.
struct KnowledgeCopy(PathBuf);

impl KnowledgeCopy {
    /// `name` keeps the copies of tests running side by side apart.
    fn new(name: &str) -> KnowledgeCopy {
        let dir = std::env::temp_dir().join(format!("qabot-reload-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        for file in ["knowledge.toml", "column.txt"] {
            std::fs::copy(shipped.join(file), dir.join(file)).unwrap();
        }
        KnowledgeCopy(dir)
    }

    fn toml(&self) -> PathBuf {
        self.0.join("knowledge.toml")
    }

    fn edit(&self, change: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.toml()).unwrap();
        std::fs::write(self.toml(), change(text)).unwrap();
    }
}

impl Drop for KnowledgeCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn hangup(bot: &BotProcess) {
    let status = Command::new("kill")
        .args(["-HUP", &bot.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for the `n`th log event whose message starts with `message`.
async fn wait_logged(bot: &BotProcess, message: &str, n: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let found: Vec<Value> = events(&bot.log())
            .into_iter()
            .filter(|e| {
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(message))
            })
            .collect();
        if found.len() >= n {
            return found[n - 1].clone();
        }
        assert!(
            Instant::now() < deadline,
            "no {message:?} logged:\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A config reading the knowledge base from `kb`, with `bot` added to
/// `[bot]`.
fn config(kb: &KnowledgeCopy, bot: &str) -> String {
    format!(
        "[knowledge]\ndir = {:?}\n\n[bot]\nthrottle = false\npoll_timeout_secs = 1\n\
         request_timeout_ms = 1500\nretry_first_ms = 20\nretry_max_ms = 100\n{bot}",
        kb.0.display().to_string()
    )
}

/// Edits step 1's title to [`NEW_TITLE`].
fn retitle(kb: &KnowledgeCopy) {
    kb.edit(|text| {
        let old = format!("title = {OLD_TITLE:?}");
        assert!(text.contains(&old));
        text.replace(&old, &format!("title = {NEW_TITLE:?}"))
    });
}

/// Sends `text` from user `user` in chat `chat` and waits for the one
/// message it gets; that message, checked to go to the same chat.
async fn say(api: &FakeApi, chat: i64, user: i64, text: &str) -> String {
    let before = api.sent().len();
    api.push(tg::text(
        api.new_message_id(),
        chat,
        tg::user(user, "en"),
        text,
    ));
    let sent = api.wait_sent(before + 1).await;
    assert_eq!(sent[before]["chat_id"], chat, "{:?}", sent[before]);
    sent[before]["text"].as_str().unwrap_or("").to_owned()
}

/// Sends `/reload` from user `user` in chat `chat`; the reply's text.
async fn send_reload(api: &FakeApi, chat: i64, user: i64) -> String {
    say(api, chat, user, "/reload").await
}

/// Asks step 2 in a private chat; the title the answer gives.
async fn ask_step_2(api: &FakeApi, chat: i64) -> String {
    say(api, chat, chat, "what is step 2?").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_a_valid_knowledge_base_and_rejects_an_invalid_one() {
    let kb = KnowledgeCopy::new("sighup");
    let config = config(&kb, "");
    let api = FakeApi::start(TOKEN).await;
    let mut bot = BotProcess::spawn(&api.url, &config, &[]);
    api.wait_calls("getUpdates", 1).await;
    assert!(ask_step_2(&api, 11).await.contains(OLD_TITLE));

    // A valid edit, with updates queued on both sides of the signal.
    retitle(&kb);
    let before = api.sent().len();
    let chats: Vec<i64> = (100..140).collect();
    for &chat in &chats[..20] {
        api.push(tg::text(
            api.new_message_id(),
            chat,
            tg::user(chat, "en"),
            "what is step 1?",
        ));
    }
    hangup(&bot);
    for &chat in &chats[20..] {
        api.push(tg::text(
            api.new_message_id(),
            chat,
            tg::user(chat, "en"),
            "what is step 1?",
        ));
    }
    let reloaded = wait_logged(&bot, "reloaded", 1).await;
    assert_eq!(reloaded["level"], "INFO");
    let sent = api.wait_sent(before + chats.len()).await;
    let mut answered: Vec<i64> = sent[before..]
        .iter()
        .filter_map(|m| m["chat_id"].as_i64())
        .collect();
    answered.sort();
    assert_eq!(
        answered, chats,
        "every update around the reload answered once"
    );
    assert!(ask_step_2(&api, 12).await.contains(NEW_TITLE));

    // An invalid edit: rejected, with the file and line; the old one serves.
    kb.edit(|text| format!("{text}garbage = = 1\n"));
    let line = std::fs::read_to_string(kb.toml()).unwrap().lines().count();
    hangup(&bot);
    let rejected = wait_logged(&bot, "reload rejected", 1).await;
    assert_eq!(rejected["level"], "ERROR");
    let error = rejected["error"].as_str().unwrap_or("");
    assert!(error.contains(&format!("knowledge.toml:{line}")), "{error}");
    assert!(ask_step_2(&api, 13).await.contains(NEW_TITLE));
    assert!(bot.running(), "the bot stopped:\n{}", bot.log());
    bot.stop().await;
}

const ADMIN: i64 = 4242;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admins_reload_applies_a_valid_edit_and_rejects_an_invalid_one() {
    let kb = KnowledgeCopy::new("admin");
    let config = config(&kb, &format!("admins = [{ADMIN}]\n"));
    let api = FakeApi::start(TOKEN).await;
    let mut bot = BotProcess::spawn(&api.url, &config, &[]);
    api.wait_calls("getUpdates", 1).await;
    assert!(ask_step_2(&api, 21).await.contains(OLD_TITLE));

    // A valid edit, reloaded from the admin's private chat.
    retitle(&kb);
    let reply = send_reload(&api, ADMIN, ADMIN).await;
    assert!(reply.starts_with("reloaded: "), "{reply}");
    assert!(!reply.contains('\n'), "{reply}");
    assert!(reply.contains(" entries"), "{reply}");
    assert!(ask_step_2(&api, 22).await.contains(NEW_TITLE));

    // An invalid edit, from a group: one line naming the file and line, and
    // the knowledge base loaded before keeps answering.
    kb.edit(|text| format!("{text}garbage = = 1\n"));
    let line = std::fs::read_to_string(kb.toml()).unwrap().lines().count();
    let reply = send_reload(&api, -500, ADMIN).await;
    assert!(reply.starts_with("reload rejected: "), "{reply}");
    assert!(!reply.contains('\n'), "{reply}");
    assert!(reply.contains(&format!("knowledge.toml:{line}")), "{reply}");
    assert!(ask_step_2(&api, 23).await.contains(NEW_TITLE));
    assert!(bot.running(), "the bot stopped:\n{}", bot.log());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_admins_reload_changes_nothing_and_gets_no_reply() {
    let kb = KnowledgeCopy::new("non-admin");
    let config = config(&kb, &format!("admins = [{ADMIN}]\n"));
    let api = FakeApi::start(TOKEN).await;
    let mut bot = BotProcess::spawn(&api.url, &config, &[("RUST_LOG", "qabot=debug,info")]);
    api.wait_calls("getUpdates", 1).await;

    retitle(&kb);
    let user = 31;
    let before = api.sent().len();
    for chat in [user, -600] {
        api.push(tg::text(
            api.new_message_id(),
            chat,
            tg::user(user, "en"),
            "/reload",
        ));
    }
    for n in 1..=2 {
        let ignored = wait_logged(&bot, "ignored", n).await;
        assert_eq!(ignored["level"], "DEBUG");
        let intent = ignored["intent"].as_str().unwrap_or("");
        assert!(intent.contains("non-admin"), "{ignored}");
    }
    // Asked after the /reload, by the same user in the same chats: a chat's
    // updates (a group's, per member) are answered in order, so a reply to
    // a /reload would come before these answers. They come with the old
    // knowledge base, and are the only messages sent.
    for (chat, question) in [(user, "what is step 2?"), (-600, "/ask what is step 2?")] {
        let reply = say(&api, chat, user, question).await;
        assert!(reply.contains(OLD_TITLE), "{chat}: {reply}");
    }
    assert!(bot.running(), "the bot stopped:\n{}", bot.log());
    // A stop lets the replies being sent finish: any other would be in.
    let log = bot.stop().await;
    assert_eq!(api.sent().len(), before + 2, "{:?}", &api.sent()[before..]);
    assert!(
        events(&log)
            .iter()
            .all(|e| !e["message"].as_str().unwrap_or("").contains("reloading")),
        "{log}"
    );
}

/// A reload under load: 2,000 questions from 200 group chats (whose replies
/// quote the question, so each can be matched to its reply) stream in while the
/// knowledge base is reloaded three times (a valid edit, an invalid one,
/// a valid one again). Every question is answered exactly once; the
/// answers switch to the new knowledge base mid-stream; the invalid edit
/// is rejected without a gap in the answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloads_under_load_drop_nothing() {
    const QUESTIONS: usize = 2000;
    const CHATS: i64 = 200;
    let kb = KnowledgeCopy::new("load");
    let api = FakeApi::start(TOKEN).await;
    // Each chat asks 10 times, faster than a loaded bot answers: room for
    // that backlog (flood control is tested in tests/flood.rs).
    let bot = BotProcess::spawn(&api.url, &config(&kb, "max_waiting_per_chat = 32\n"), &[]);
    api.wait_calls("getUpdates", 1).await;
    let before = api.sent().len();
    let mut pushed = Vec::with_capacity(QUESTIONS);
    let valid = std::fs::read_to_string(kb.toml()).unwrap();
    for wave in 0..QUESTIONS / 50 {
        let updates: Vec<_> = (0..50)
            .map(|i| {
                let chat = -(1000 + (wave as i64 * 50 + i) % CHATS);
                let id = api.new_message_id();
                pushed.push(id);
                tg::text(id, chat, tg::user(-chat, "en"), "/ask what is step 2?")
            })
            .collect();
        api.push_all(updates);
        match wave {
            // Each edit waits for the reload that reads it before the next
            // edit: under load a reload can take longer than the waves
            // between two edits, and two SIGHUPs sent while a reload runs
            // make one reload. The backlog keeps the bot busy meanwhile, so
            // every reload still happens under load.
            10 => {
                retitle(&kb);
                hangup(&bot);
                wait_logged(&bot, "reloaded", 1).await;
            }
            20 => {
                kb.edit(|text| format!("{text}garbage = = 1\n"));
                hangup(&bot);
                wait_logged(&bot, "reload rejected", 1).await;
            }
            30 => {
                std::fs::write(kb.toml(), valid.replace(OLD_TITLE, NEW_TITLE)).unwrap();
                hangup(&bot);
                wait_logged(&bot, "reloaded", 2).await;
            }
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let sent = api.wait_sent(before + QUESTIONS).await;
    let replies = &sent[before..];
    let mut answered: Vec<i64> = replies
        .iter()
        .filter_map(|m| m["reply_parameters"]["message_id"].as_i64())
        .collect();
    answered.sort();
    pushed.sort();
    assert_eq!(answered, pushed, "every question answered exactly once");
    let title = |m: &Value| {
        let text = m["text"].as_str().unwrap_or("");
        if text.contains(NEW_TITLE) {
            "new"
        } else if text.contains(OLD_TITLE) {
            "old"
        } else {
            panic!("neither title in {text:?}")
        }
    };
    assert_eq!(title(&replies[0]), "old");
    assert!(
        replies.iter().any(|m| title(m) == "new"),
        "the reload took effect mid-stream"
    );
    assert!(ask_step_2(&api, 5).await.contains(NEW_TITLE));
    let log = bot.stop().await;
    let unexpected: Vec<Value> = events(&log)
        .into_iter()
        .filter(|e| e["level"] == "WARN")
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

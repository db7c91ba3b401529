//! `qabot run`: the binary's side of the bot. Reads the token, API URL,
//! proxy and webhook secret from the environment, starts logging and the
//! runtime, opens the question log once the bot has started, and answers
//! until a signal stops it (SIGHUP reloads).

use std::sync::Arc;
use std::time::Duration;

use super::client::{API_URL_VAR, PROXY_VAR, bot, token_from_env, webhook_secret_from_env};
use super::error::StartError;
use super::live::{Live, Reload};
use super::logging;
use super::service::connect;
use super::signals::Signals;
use super::talk::{Clock, Talk};
use crate::config::{Config, LogFormat};
use crate::conversation::store::Contexts;
use crate::knowledge::KnowledgeBase;
use crate::matcher::Matcher;
use crate::question_log::{self, QuestionLog};

/// How long a stopping bot waits for the question log to write what it
/// holds (longer only when the database is down, and then in vain).
const LOG_FLUSH_AT_STOP: Duration = Duration::from_secs(5);

/// The most of `stop_deadline_ms` kept for the question log to write what
/// it holds (a quarter of it, when that is less).
const LAST_FLUSH: Duration = Duration::from_millis(200);

/// The exit code after a second SIGINT or SIGTERM: stopped, not cleanly.
const SECOND_SIGNAL_EXIT: i32 = 130;

/// `qabot run`: reads the token and API URL from the environment, starts
/// logging, answers until SIGINT or SIGTERM, reloads the knowledge base and
/// matcher settings on SIGHUP, and returns the exit code.
pub fn run(
    config: &Config,
    kb: KnowledgeBase,
    log_format: Option<LogFormat>,
    reload: Reload,
) -> anyhow::Result<i32> {
    let token = token_from_env()?;
    let secret = webhook_secret_from_env(&config.bot)?;
    let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (api_url, proxy) = (env(API_URL_VAR), env(PROXY_VAR));
    let log_settings = question_log::Settings::from_config(&config.question_log)?;
    let format = log_format.unwrap_or(config.log.format);
    // The database password and the hashes' key are secrets too.
    let others: Vec<&str> = secret
        .iter()
        .map(String::as_str)
        .chain(
            log_settings
                .iter()
                .flat_map(question_log::Settings::secrets),
        )
        .collect();
    logging::init(&config.log, format, &token, &others);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)?;
    let code = runtime.block_on(async {
        // Installed first, so a signal during start-up is ours, not a kill.
        let mut signals = Signals::install().map_err(StartError::Runtime)?;
        let matcher = Matcher::new(&kb, config.matcher.clone());
        let bot = bot(&token, api_url.as_deref(), proxy.as_deref(), &config.bot)?;
        let retention_days = log_settings.as_ref().map_or(0, |s| s.retention_days);
        let live = Live::new(Arc::new(kb), Arc::new(matcher), reload);
        let bot_config = Arc::new(config.bot.clone());
        let starting = async {
            let connected = connect(bot, bot_config, secret).await?;
            // Opened (its key file and database made) only now: a bot that
            // cannot start leaves nothing behind.
            let log = match log_settings {
                Some(settings) => QuestionLog::open(settings)?,
                None => QuestionLog::disabled(),
            };
            // The one place the contexts' store is chosen: the question
            // log's PostgreSQL when it has one (instances share it), else
            // this process's memory.
            let contexts = Contexts::for_log(&log, config.conversation.limits());
            let talk = Talk::new(contexts, Clock::System);
            let service = connected
                .serve_with(live.clone(), log.clone(), talk)
                .await?;
            anyhow::Ok((service, log))
        };
        let (service, log) = tokio::select! {
            started = starting => started?,
            signal = signals.recv() => {
                tracing::info!(signal, "stopped before the bot started");
                return Ok(0);
            }
        };
        // Said once the bot has started: a bot that cannot start says only why.
        log.log_start(retention_days);
        #[cfg(unix)]
        if let Some(mut hangup) = signals.hangup.take() {
            tokio::spawn(async move {
                while hangup.recv().await.is_some() {
                    let _ = live.reload("SIGHUP").await;
                }
            });
        }
        let stop = service.stopper();
        let deadline_ms = config.bot.stop_deadline_ms;
        // When the first signal came.
        let (stopping_tx, mut stopping) = tokio::sync::watch::channel(None);
        let stopper = stop.clone();
        tokio::spawn(async move {
            let signal = signals.recv().await;
            tracing::info!(
                signal,
                deadline_ms,
                "stopping: finishing the replies being sent, dropping the rest"
            );
            stopping_tx.send_replace(Some(tokio::time::Instant::now()));
            tokio::spawn(async move { stopper.stop().await });
            let signal = signals.recv().await;
            // Whoever sends a second signal wants it gone now, not cleanly.
            tracing::warn!(signal, "second signal: stopping at once");
            std::process::exit(SECOND_SIGNAL_EXIT);
        });
        let deadline = Duration::from_millis(deadline_ms);
        // The deadline runs from the signal: a stop ends within it, however
        // long the replies in flight would take. The last of it is kept for
        // the question log.
        let for_log = (deadline / 4).min(LAST_FLUSH);
        let signalled = stopping.clone();
        let over = async move {
            let at = match stopping.wait_for(Option::is_some).await {
                Ok(at) => *at,
                // No signal will come: the bot stops by itself.
                Err(_) => None,
            };
            match at {
                Some(at) => tokio::time::sleep_until(at + deadline - for_log).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            ran = service.run() => ran?,
            () = over => stop.log_dropped(),
        }
        // The question log gets what is left of the deadline;
        // LOG_FLUSH_AT_STOP when the bot stopped without a signal.
        let flush = match *signalled.borrow() {
            Some(at) => deadline
                .saturating_sub(at.elapsed())
                .min(LOG_FLUSH_AT_STOP),
            None => LOG_FLUSH_AT_STOP,
        };
        if !log.flush(flush).await {
            tracing::warn!(
                "question log: the questions of the last moments could not be written before stopping"
            );
        }
        tracing::info!("stopped");
        anyhow::Ok(0)
    });
    // Past the deadline, tasks still sending are not waited for.
    runtime.shutdown_background();
    code
}

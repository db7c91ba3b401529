//! Start-up and dispatch: checking the settings and the token (getMe),
//! registering the commands, pointing Telegram at the webhook, and the
//! dispatcher that long-polls (or takes the webhook's updates) until shut
//! down. Tests drive it against a fake Bot API; `run` adds the rest the
//! binary needs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use teloxide::RequestError;
use teloxide::dispatching::ShutdownToken;
use teloxide::dispatching::{Dispatcher, DpHandlerDescription};
use teloxide::dptree::HandlerDescription;
use teloxide::error_handlers::IgnoringErrorHandlerSafe;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::Me;
use teloxide::update_listeners::{Polling, UpdateListener};

use super::admission::{Admission, Lane};
use super::answered::Answered;
use super::client::Telegram;
use super::crowd::Crowd;
use super::error::{BotError, StartError};
use super::live::Live;
use super::polling::{LogErrors, PollErrors, Readable, delete_webhook};
use super::talk::Talk;
use super::{allowed_updates, lanes, logging, profile, schema, send, webhook};
use crate::config::{BotConfig, WebhookConfig};
use crate::question_log::QuestionLog;

/// A started bot, ready to poll or, with a webhook, to take updates.
pub struct Service {
    tg: Telegram,
    me: Me,
    config: Arc<BotConfig>,
    dispatcher: Dispatcher<Bot, BotError, Lane>,
    webhook: Option<webhook::Server>,
    live: Live,
    admission: Admission,
    /// Stops the long polling in progress, if any.
    polling: PollingStop,
}

/// Where the stop token of the polling in progress is kept, for [`Stop`].
type PollingStop = Arc<std::sync::Mutex<Option<StopToken>>>;

/// Checks the token (getMe), registers the commands, logs what it runs as,
/// and builds the dispatcher, for long polling. With `[bot.webhook]` set,
/// use [`start_with`].
pub async fn start(
    tg: Telegram,
    live: Live,
    config: Arc<BotConfig>,
) -> Result<Service, StartError> {
    start_with(tg, live, config, None, QuestionLog::disabled()).await
}

/// [`start`], and with `[bot.webhook]` set (and its `secret`): listens,
/// then tells Telegram to send updates there (setWebhook). Questions,
/// picks and votes go to `log`.
pub async fn start_with(
    tg: Telegram,
    live: Live,
    config: Arc<BotConfig>,
    secret: Option<String>,
    log: QuestionLog,
) -> Result<Service, StartError> {
    connect(tg, config, secret).await?.serve(live, log).await
}

/// A bot whose settings are checked and whose token the Bot API accepted
/// (getMe), with its webhook's port bound: what [`Connected::serve`] turns
/// into a [`Service`]. Start-up is split here so that what the bot writes
/// (the question log) is made only once it is known to start.
pub struct Connected {
    tg: Telegram,
    me: Me,
    config: Arc<BotConfig>,
    hook: Option<Hook>,
}

/// The webhook's settings, checked, and its bound port.
struct Hook {
    url: reqwest::Url,
    listener: tokio::net::TcpListener,
    secret: String,
}

/// The first half of [`start_with`]: checks the webhook settings (with its
/// `secret`) and binds its port, then checks the token (getMe).
pub async fn connect(
    tg: Telegram,
    config: Arc<BotConfig>,
    secret: Option<String>,
) -> Result<Connected, StartError> {
    // Settings the user must fix fail before anything is sent.
    let hook = match &config.webhook {
        None => None,
        Some(hook) => {
            let secret = secret.ok_or(StartError::MissingWebhookSecret)?;
            if !webhook::valid_secret(&secret) {
                return Err(StartError::BadWebhookSecret);
            }
            let url = reqwest::Url::parse(&hook.url).map_err(|e| StartError::BadWebhookUrl {
                url: hook.url.clone(),
                reason: e.to_string(),
            })?;
            let listener = tokio::net::TcpListener::bind(hook.listen)
                .await
                .map_err(|e| StartError::Listen {
                    address: hook.listen.to_string(),
                    reason: e.to_string(),
                })?;
            Some(Hook {
                url,
                listener,
                secret,
            })
        }
    };
    let bot = tg.bot();
    // A network blip at start is retried like any other; a refusal is final.
    let me = send::retrying(&config, || bot.get_me().send())
        .await
        .map_err(|e| start_error(bot, e))?;
    Ok(Connected {
        tg,
        me,
        config,
        hook,
    })
}

impl Connected {
    /// The second half of [`start_with`]: registers the commands, logs what
    /// the bot runs as, points Telegram at the webhook if there is one, and
    /// builds the dispatcher, answering with `live` and logging to `log`.
    /// Conversations' contexts are kept in memory with the default limits.
    pub async fn serve(self, live: Live, log: QuestionLog) -> Result<Service, StartError> {
        self.serve_with(live, log, Talk::default()).await
    }

    /// [`Connected::serve`], keeping conversations' contexts in `talk`.
    pub async fn serve_with(
        self,
        live: Live,
        log: QuestionLog,
        talk: Talk,
    ) -> Result<Service, StartError> {
        let Connected {
            tg,
            me,
            config,
            hook,
        } = self;
        let bot = tg.bot();
        let (kb, _) = live.current();
        profile::register(bot, &config, &kb).await;
        tracing::info!(
            username = me.user.username.as_deref().unwrap_or(""),
            id = me.user.id.0,
            knowledge = %kb.origin,
            entries = kb.entries.len(),
            "running as @{} with knowledge base {} ({} entries, {} steps)",
            me.user.username.as_deref().unwrap_or("?"),
            kb.origin,
            kb.entries.len(),
            kb.step_count(),
        );
        let webhook = match (hook, &config.webhook) {
            (Some(hook), Some(settings)) => Some(set_webhook(bot, &config, settings, hook).await?),
            _ => None,
        };
        let admission = Admission::new(tg.clone(), config.clone(), log.clone(), live.clone());
        // Each update waits for its lane's turn, asked for as it comes,
        // then is answered in a task of its own, holding its ticket
        // meanwhile; once stopping, one not yet started is let go.
        // Described as an entry, so the kinds of update asked for stay the
        // schema's.
        let tree = dptree::filter_map_async_with_description(
            DpHandlerDescription::entry(),
            |update: Update, admission: Admission| async move { admission.start(&update).await },
        )
        .chain(lanes::in_own_task())
        .chain(schema());
        let dispatcher = Dispatcher::builder(bot.clone(), tree)
            .dependencies(dptree::deps![
                live.clone(),
                config.clone(),
                tg.clone(),
                log.clone(),
                Answered::default(),
                admission.clone(),
                Crowd::default(),
                talk
            ])
            .distribution_function(lanes::side_by_side)
            .default_handler(|update| async move {
                tracing::debug!(update = update.id.0, "no handler for this update");
            })
            .error_handler(Arc::new(LogErrors))
            .build();
        Ok(Service {
            tg,
            me,
            config,
            dispatcher,
            webhook,
            live,
            admission,
            polling: PollingStop::default(),
        })
    }
}

/// Serves the webhook on `listener`, then points Telegram at it. The
/// server comes first, so the first update Telegram sends finds it up.
async fn set_webhook(
    bot: &Bot,
    config: &BotConfig,
    settings: &WebhookConfig,
    hook: Hook,
) -> Result<webhook::Server, StartError> {
    let Hook {
        url,
        listener,
        secret,
    } = hook;
    let server = webhook::Server::start(listener, settings, url.path(), &secret);
    let request = bot
        .set_webhook(url)
        .secret_token(secret)
        .allowed_updates(allowed_updates());
    if let Err(e) = send::retrying(config, || request.send_ref()).await {
        server.stop().await;
        return Err(match e {
            // The token worked for getMe: a refusal here is of the webhook.
            RequestError::Api(_) => StartError::WebhookRefused {
                url: settings.url.clone(),
                reason: logging::redact(&logging::one_line(&e), bot.token()),
            },
            e => start_error(bot, e),
        });
    }
    tracing::info!(
        url = %settings.url,
        listen = %server.address,
        "receiving updates by webhook at {}, listening on {}",
        settings.url,
        server.address,
    );
    Ok(server)
}

fn start_error(bot: &Bot, error: RequestError) -> StartError {
    let api = bot.api_url().to_string();
    // What the user reads when the bot will not start: one line, with the
    // causes ("connection refused"), and only the start of a non-JSON answer
    // (an HTML error page, say).
    let reason: String = logging::redact(&logging::one_line(&error), bot.token())
        .chars()
        .take(300)
        .collect();
    match error {
        RequestError::Api(_) => StartError::RejectedToken { api, reason },
        _ => StartError::Unreachable { api, reason },
    }
}

impl Service {
    /// The bot's own user, as getMe returned it.
    pub fn me(&self) -> &Me {
        &self.me
    }

    /// The knowledge base and matcher the handlers answer with, for reloads.
    pub fn live(&self) -> Live {
        self.live.clone()
    }

    /// Stops taking updates from the webhook, if there is one: new requests
    /// get 503, and the dispatcher ends once it has taken what was accepted.
    /// Needed besides [`Service::shutdown_token`] because teloxide's
    /// dispatcher looks for a shutdown only when no update is waiting, which
    /// under a steady stream of webhook requests is never.
    pub fn webhook_stop_token(&self) -> Option<StopToken> {
        self.webhook.as_ref().map(webhook::Server::stop_token)
    }

    /// Stops [`Service::run`] once it is polling (before that, shutting
    /// down returns an error: retry it).
    pub fn shutdown_token(&self) -> ShutdownToken {
        self.dispatcher.shutdown_token()
    }

    /// What stops the bot on a signal: see [`Stop::stop`].
    pub fn stopper(&self) -> Stop {
        Stop {
            shutdown: self.shutdown_token(),
            webhook: self.webhook_stop_token(),
            polling: self.polling.clone(),
            admission: self.admission.clone(),
        }
    }

    /// Long-polls (or takes updates from the webhook) and answers until
    /// shut down; replies in flight finish before it returns.
    pub async fn run(mut self) -> Result<(), StartError> {
        let result = self.dispatch().await;
        if let Some(server) = self.webhook.take() {
            // The webhook stays set: other instances may be serving it, and
            // Telegram keeps what it cannot deliver until one answers.
            server.stop().await;
        }
        if self.admission.stopping() {
            self.admission.log_at_stop(false);
        }
        result
    }

    async fn dispatch(&mut self) -> Result<(), StartError> {
        // The pause polling takes after a failure, for the line that logs it.
        let pause_ms = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(PollErrors {
            pause_ms: pause_ms.clone(),
            bot: self.tg.bot().clone(),
            config: self.config.clone(),
        });
        let mut attempt = 0;
        loop {
            let outcome = match &self.webhook {
                Some(server) => {
                    self.dispatcher
                        .try_dispatch_with_listener(
                            server.listener(self.admission.clone()),
                            Arc::new(IgnoringErrorHandlerSafe),
                        )
                        .await
                }
                None => {
                    let mut listener = self.listener(pause_ms.clone()).await;
                    let stop = listener.stop_token();
                    // Kept before looking: a stop in between sees it.
                    *self.polling.lock().unwrap_or_else(|e| e.into_inner()) = Some(stop.clone());
                    if self.admission.stopping() {
                        stop.stop();
                    }
                    self.dispatcher
                        .try_dispatch_with_listener(listener, errors.clone())
                        .await
                }
            };
            let Err(error) = outcome else {
                return Ok(());
            };
            // The dispatcher asks getMe once more before it polls, and gives
            // up on any failure: a blip in that moment must not stop a bot
            // that has already started.
            let Some((wait, what)) = send::transient(&self.config, &error, attempt)
                .filter(|_| attempt < self.config.send_retries)
            else {
                return Err(start_error(self.tg.bot(), error));
            };
            tracing::warn!(
                error = %logging::error_line(&error),
                retry_in_ms = wait.as_millis() as u64,
                "could not start polling: {what}"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Long polling with the configured timeout and backoff, which notes
    /// each pause it takes in `pause_ms`, once any webhook is deleted.
    async fn listener(&self, pause_ms: Arc<AtomicU64>) -> Readable {
        // teloxide's own `delete_webhook` sends deleteWebhook only once
        // getWebhookInfo has said a webhook is set, and gives up if that
        // fails: a webhook left by an earlier deployment would then refuse
        // every poll. Deleting needs no look first, and is harmless when
        // there is none.
        delete_webhook(self.tg.bot(), &self.config).await;
        let config = self.config.clone();
        let polling = Polling::builder(self.tg.bot().clone())
            .timeout(Duration::from_secs(config.poll_timeout_secs.into()))
            .backoff_strategy(move |errors| {
                let wait = send::backoff(&config, errors);
                pause_ms.store(wait.as_millis() as u64, Ordering::Relaxed);
                wait
            })
            .build();
        Readable(polling, self.admission.clone())
    }
}

/// Stops a running [`Service`] on time.
#[derive(Clone)]
pub struct Stop {
    shutdown: ShutdownToken,
    webhook: Option<StopToken>,
    polling: PollingStop,
    admission: Admission,
}

impl Stop {
    /// Stops fetching (the webhook answers 503 from now on), drops the
    /// updates not yet being answered, and lets the replies being sent
    /// finish: [`Service::run`] then returns, logging what was dropped.
    pub async fn stop(&self) {
        self.admission.stop();
        self.stop_fetching();
        self.shut_down().await;
    }

    /// Stops fetching once the dispatcher is running, and lets every update
    /// already fetched be answered, however long that takes: [`Stop::stop`]
    /// without dropping. Unlike [`Service::shutdown_token`] alone, never
    /// missed. Returns once the stop is asked for; [`Service::run`] returns
    /// when it is done.
    pub async fn finish(&self) {
        // The other way round from `stop`, which must stop fetching at once:
        // a dispatcher that ends before its shutdown is asked for goes back
        // to refusing it, and this would wait for ever.
        self.shut_down().await;
        self.stop_fetching();
    }

    fn stop_fetching(&self) {
        if let Some(webhook) = &self.webhook {
            webhook.stop();
        }
        // Told directly, like the webhook: teloxide's dispatcher misses a
        // shutdown asked for while it hands out an update (it is woken only
        // if waiting right then), and would go on polling.
        if let Some(polling) = &*self.polling.lock().unwrap_or_else(|e| e.into_inner()) {
            polling.stop();
        }
    }

    /// Asks the dispatcher to shut down, waiting until it is listening: it
    /// refuses before.
    async fn shut_down(&self) {
        while self.shutdown.shutdown().is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Logs what the stop dropped, when [`Service::run`] did not get to
    /// (the deadline passed first).
    pub fn log_dropped(&self) {
        self.admission.log_at_stop(true);
    }
}

//! The Bot API client and what it is built from: the token, API URL and
//! proxy from the environment (checked before anything is sent), the
//! webhook secret, and [`Telegram`], the client with its flood-limit pacer.

use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Settings;
use teloxide::prelude::*;

use super::error::StartError;
use super::logging;
use super::pace::{self, GroupMinute};
use super::turns::Turns;
use super::webhook::{self, SECRET_VAR};
use crate::config::BotConfig;

/// The environment variable holding the bot token (the only place it is read from).
pub const TOKEN_VAR: &str = "TELOXIDE_TOKEN";
/// The environment variable holding the Bot API base URL.
pub const API_URL_VAR: &str = "TELOXIDE_API_URL";
/// The environment variable holding an HTTP(S) proxy for the Bot API.
pub const PROXY_VAR: &str = "TELOXIDE_PROXY";

/// Telegram's Bot API, used when [`API_URL_VAR`] is unset.
pub const TELEGRAM_API_URL: &str = "https://api.telegram.org";

/// The Bot API as the bot uses it: plain requests, and sendMessage paced to
/// Telegram's flood limits when `[bot] throttle` is on.
///
/// Only sendMessage is paced, so only it goes through teloxide's
/// [`Throttle`] adaptor; the rest (getUpdates, edits, callback and inline
/// answers) go straight out, as they would through the adaptor. Without
/// throttling the adaptor is left out altogether: even with limits set high
/// it releases requests in rounds every 250 ms, capped at its per-second
/// limit, which made it the bottleneck of the load test (about 1,000
/// updates/s, p50 5 s).
#[derive(Clone)]
pub struct Telegram {
    bot: Bot,
    throttle: Option<Throttle<Bot>>,
    /// Basic groups' minute, which the adaptor cannot tell apart.
    groups: Arc<GroupMinute>,
    turns: Turns<i64>,
}

impl Telegram {
    /// Requests that are not paced.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// The pacer of sendMessage, when throttling is on.
    pub(super) fn throttle(&self) -> Option<&Throttle<Bot>> {
        self.throttle.as_ref()
    }

    /// Waits, with throttling on, until a basic group may have one more
    /// message this minute ([`pace`]); at once otherwise.
    pub(super) async fn group_turn(&self, chat: ChatId) {
        if self.throttle.is_some() {
            self.groups.turn(chat).await;
        }
    }

    /// The groups' turns at the pacer.
    pub(super) fn turns(&self) -> &Turns<i64> {
        &self.turns
    }
}

/// The webhook's secret token from the environment, when `[bot.webhook]`
/// asks for one; blank counts as unset.
pub fn webhook_secret_from_env(config: &BotConfig) -> Result<Option<String>, StartError> {
    if config.webhook.is_none() {
        return Ok(None);
    }
    match std::env::var(SECRET_VAR) {
        Ok(secret) if !secret.trim().is_empty() => {
            let secret = secret.trim().to_owned();
            if webhook::valid_secret(&secret) {
                Ok(Some(secret))
            } else {
                Err(StartError::BadWebhookSecret)
            }
        }
        _ => Err(StartError::MissingWebhookSecret),
    }
}

/// The token from the environment, checked for its shape: a mistyped one
/// is told at once, not after the retries of a getMe that cannot succeed.
pub fn token_from_env() -> Result<String, StartError> {
    let token = std::env::var(TOKEN_VAR).map_err(|_| StartError::MissingToken)?;
    let token = token.trim();
    if token.is_empty() {
        return Err(StartError::EmptyToken);
    }
    check_token(token)?;
    Ok(token.to_owned())
}

/// Whether `token` has the shape @BotFather gives: the bot's number, ':'
/// and a secret of letters, digits, '_' and '-'. The reason never quotes
/// the token, which is a secret even when mistyped.
fn check_token(token: &str) -> Result<(), StartError> {
    let bad = |reason| Err(StartError::MalformedToken { reason });
    let Some((id, secret)) = token.split_once(':') else {
        return bad("it has no ':'");
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return bad("the part before ':' is not a number");
    }
    if secret.is_empty() {
        return bad("nothing follows ':'");
    }
    if !secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return bad("the part after ':' holds characters other than letters, digits, '_' and '-'");
    }
    Ok(())
}

/// A bot for `token` talking to `api_url` (Telegram's when `None`), through
/// `proxy` if given. Must be called inside a Tokio runtime: the throttle's
/// worker is spawned on it.
pub fn bot(
    token: &str,
    api_url: Option<&str>,
    proxy: Option<&str>,
    config: &BotConfig,
) -> Result<Telegram, StartError> {
    // teloxide's settings (connect timeout, no Nagle), with our timeout.
    let mut client = teloxide::net::default_reqwest_settings()
        .timeout(Duration::from_millis(config.request_timeout_ms));
    if let Some(proxy) = proxy {
        let bad = |reason: String| StartError::BadProxy { reason };
        let url = reqwest::Url::parse(proxy.trim()).map_err(|e| bad(e.to_string()))?;
        // The HTTP client is built without SOCKS support.
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(format!("{}:// is not supported", url.scheme())));
        }
        let proxy = reqwest::Proxy::all(url).map_err(|e| bad(logging::one_line(&e)))?;
        client = client.proxy(proxy);
    }
    let client = client
        .build()
        .map_err(|e| StartError::Client(e.to_string()))?;
    let mut bot = Bot::with_client(token, client);
    if let Some(value) = api_url {
        // A trailing slash would double the one teloxide puts before `bot<token>`.
        let url = reqwest::Url::parse(value.trim().trim_end_matches('/')).map_err(|e| {
            StartError::BadApiUrl {
                value: value.to_owned(),
                reason: e.to_string(),
            }
        })?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(StartError::BadApiUrl {
                value: value.to_owned(),
                reason: "not an http(s) URL".into(),
            });
        }
        bot = bot.set_api_url(url);
    }
    let throttle = config.throttle.then(|| {
        // 429s are retried (and logged) by `send::retrying`, like every other
        // failure; the adaptor still pauses all sending when one comes.
        // Telegram's figures, not teloxide's defaults, which cap a private
        // chat at 20 a minute and a supergroup at 10 ([`pace`]).
        let settings = Settings::default()
            .limits(pace::limits())
            .no_retry()
            .on_queue_full(|pending| async move {
                tracing::warn!(pending, "flood-limit queue full: replies are waiting");
            });
        Throttle::spawn_with_settings(bot.clone(), settings)
    });
    Ok(Telegram {
        bot,
        throttle,
        groups: Arc::default(),
        turns: Turns::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::UserError;

    #[test]
    fn only_tokens_shaped_like_botfathers_pass() {
        for good in [
            "123456789:AAFakeSecretForQabotTests_0123456789",
            "1:x",
            "42:a-b_C9",
        ] {
            assert!(check_token(good).is_ok(), "{good}");
        }
        for (bad, says) in [
            ("AAFakeSecretForQabotTests", "no ':'"),
            (":secret", "not a number"),
            ("12a4:secret", "not a number"),
            ("123456789:", "nothing follows"),
            ("123456789:secret with spaces", "other than letters"),
            ("123456789:AA\"quoted\"", "other than letters"),
        ] {
            let error = check_token(bad).expect_err(bad);
            assert!(error.is_bad_input(), "{bad}");
            let message = error.to_string();
            assert!(message.contains(says), "{bad}: {message}");
            assert!(message.contains(TOKEN_VAR), "{message}");
        }
    }

    #[test]
    fn an_unusable_api_url_is_bad_input() {
        for url in ["not a url", "ftp://127.0.0.1/", "mailto:bot@example.com"] {
            let error = bot("1:x", Some(url), None, &BotConfig::default())
                .err()
                .unwrap_or_else(|| panic!("{url} accepted"));
            assert!(matches!(error, StartError::BadApiUrl { .. }), "{error}");
            assert!(error.is_bad_input());
            assert!(error.to_string().contains(API_URL_VAR));
        }
    }

    #[tokio::test]
    async fn throttling_paces_to_telegrams_figures_not_teloxides_defaults() {
        let config = BotConfig::default();
        assert!(config.throttle, "on by default");
        let tg = bot("1:x", Some("http://127.0.0.1:9"), None, &config).unwrap();
        let limits = tg.throttle().expect("a throttle").limits().await;
        assert_eq!(limits, pace::limits());
        let off = BotConfig {
            throttle: false,
            ..BotConfig::default()
        };
        assert!(bot("1:x", None, None, &off).unwrap().throttle().is_none());
    }

    #[tokio::test]
    async fn only_http_proxies_are_accepted() {
        let config = BotConfig::default();
        for proxy in ["socks5://127.0.0.1:1080", "not a url", "ftp://127.0.0.1:21"] {
            let error = bot("1:x", None, Some(proxy), &config)
                .err()
                .unwrap_or_else(|| panic!("{proxy} accepted"));
            assert!(matches!(error, StartError::BadProxy { .. }), "{error}");
            assert!(error.is_bad_input());
            assert!(error.to_string().contains(PROXY_VAR), "{error}");
        }
        for proxy in ["http://127.0.0.1:3128", "https://user:pass@127.0.0.1:3129"] {
            assert!(bot("1:x", None, Some(proxy), &config).is_ok(), "{proxy}");
        }
    }
}

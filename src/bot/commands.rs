//! From an incoming message to what the bot should do with it, decided
//! without I/O: which commands it has, whether a group message is addressed
//! to it (a command for it, a reply to it, a mention of it), and the
//! question left once commands and mentions are stripped.

/// Facts about a message that routing needs.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub private: bool,
    /// The text, or a media caption.
    pub text: Option<&'a str>,
    /// Sent by a bot. A message sent on behalf of a chat (an anonymous
    /// group admin, someone posting as a channel) is not: its `from` is a
    /// placeholder bot, but a person wrote it.
    pub from_bot: bool,
    /// Sent through this bot's own inline mode: a passage the bot already
    /// gave, which answering would only repeat.
    pub via_me: bool,
    /// A service message (a pin, a member joining, access granted…), which
    /// no one wrote to the bot.
    pub service: bool,
    /// It replies to one of this bot's messages.
    pub reply_to_me: bool,
    /// This bot's username, without '@'.
    pub me: &'a str,
    /// The sender is a user in `[bot] admins` (never a message sent on
    /// behalf of a chat, whose placeholder sender is no one's id).
    pub admin: bool,
}

/// What to do with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Question(String),
    /// `/start`, with what a deep link asked for.
    Start(StartPayload),
    Help,
    Steps,
    /// `/step N`; `None` when N is missing or not a number.
    Step(Option<u8>),
    Source,
    /// `/reload`, from an admin.
    Reload,
    /// `/stats`, from an admin in a private chat.
    Stats,
    /// `/ask` or a mention with no question.
    AskUsage,
    /// A message with no text in a private chat.
    NotText,
    UnknownCommand,
    /// Not for this bot; the reason is for the debug log.
    Ignore(&'static str),
}

/// What `t.me/<bot>?start=…` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPayload {
    None,
    Step(u8),
    Steps,
}

impl StartPayload {
    fn parse(payload: &str) -> StartPayload {
        match payload.trim() {
            "steps" => StartPayload::Steps,
            p => p
                .strip_prefix("step")
                .and_then(|n| n.parse().ok())
                .map_or(StartPayload::None, StartPayload::Step),
        }
    }
}

/// A `/command[@bot] args` at the start of a message.
struct Command<'a> {
    name: String,
    /// The username after '@', if any.
    addressee: Option<&'a str>,
    args: &'a str,
}

fn parse_command(text: &str) -> Option<Command<'_>> {
    let rest = text.strip_prefix('/')?;
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (head, args) = rest.split_at(end);
    let (name, addressee) = match head.split_once('@') {
        Some((name, bot)) => (name, Some(bot)),
        None => (head, None),
    };
    if name.is_empty() {
        return None;
    }
    Some(Command {
        name: name.to_lowercase(),
        addressee,
        args: args.trim(),
    })
}

/// Decides what to do with a message.
pub fn route(m: Incoming) -> Intent {
    if m.from_bot {
        return Intent::Ignore("from a bot");
    }
    if m.via_me {
        return Intent::Ignore("sent through this bot's inline mode");
    }
    if m.service {
        return Intent::Ignore("a service message");
    }
    let Some(text) = m.text.map(str::trim).filter(|t| !t.is_empty()) else {
        return if m.private {
            Intent::NotText
        } else {
            Intent::Ignore("no text in a group")
        };
    };
    if let Some(cmd) = parse_command(text) {
        match cmd.addressee {
            Some(bot) if !bot.eq_ignore_ascii_case(m.me) => {
                return Intent::Ignore("a command for another bot");
            }
            _ => {}
        }
        // To anyone but an admin /reload and /stats do not exist, and say
        // nothing that would hint they do.
        if cmd.name == "reload" {
            return if m.admin {
                Intent::Reload
            } else {
                Intent::Ignore("/reload from a non-admin")
            };
        }
        if cmd.name == "stats" {
            // The report quotes other people's questions: not for a group.
            // Silence there too, as a hint would tell the group who the
            // admins are.
            return match (m.admin, m.private) {
                (true, true) => Intent::Stats,
                (true, false) => Intent::Ignore("/stats outside a private chat"),
                (false, _) => Intent::Ignore("/stats from a non-admin"),
            };
        }
        return match command(&cmd) {
            Some(intent) => intent,
            // Unaddressed unknown commands in groups are likely other bots'.
            None if m.private || cmd.addressee.is_some() => Intent::UnknownCommand,
            None => Intent::Ignore("an unknown command in a group"),
        };
    }
    let mention = strip_mention(text, m.me);
    let addressed = m.private || m.reply_to_me || mention.is_some();
    if !addressed {
        return Intent::Ignore("group chatter");
    }
    match mention {
        Some(rest) if rest.is_empty() => Intent::AskUsage,
        Some(rest) => Intent::Question(rest),
        None => Intent::Question(text.to_owned()),
    }
}

fn command(cmd: &Command) -> Option<Intent> {
    let intent = match cmd.name.as_str() {
        "start" => Intent::Start(StartPayload::parse(cmd.args)),
        "help" => Intent::Help,
        "steps" => Intent::Steps,
        "step" => Intent::Step(cmd.args.parse().ok()),
        "source" => Intent::Source,
        "ask" if cmd.args.is_empty() => Intent::AskUsage,
        "ask" => Intent::Question(cmd.args.to_owned()),
        _ => return None,
    };
    Some(intent)
}

/// The text without `@me` when it mentions this bot (in any letter case, as
/// a whole username), else `None`.
fn strip_mention(text: &str, me: &str) -> Option<String> {
    if me.is_empty() {
        return None;
    }
    let mut found = false;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, from_at) = rest.split_at(at);
        let after_at = &from_at[1..];
        // Usernames are ASCII, so comparing bytes case-insensitively is exact;
        // offsets come from the text itself (lowercasing other letters can
        // change their length), and `get` refuses a cut inside a character.
        let is_me = after_at
            .get(..me.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(me))
            && !after_at[me.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(before);
        if is_me {
            found = true;
            rest = &after_at[me.len()..];
        } else {
            out.push('@');
            rest = after_at;
        }
    }
    out.push_str(rest);
    found.then(|| tidy(&out))
}

/// Collapses the spaces a removed mention leaves, and a leading comma or colon
/// ("@bot, what is…").
fn tidy(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches([',', ':'])
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routes `text` in a private chat (`private`) or a group, for `@qa_bot`.
    fn route_text(private: bool, text: &str) -> Intent {
        route(Incoming {
            private,
            text: Some(text),
            from_bot: false,
            via_me: false,
            service: false,
            reply_to_me: false,
            me: "qa_bot",
            admin: false,
        })
    }

    fn question(text: &str) -> Intent {
        Intent::Question(text.into())
    }

    #[test]
    fn commands_in_private_chats() {
        let cases = [
            ("/start", Intent::Start(StartPayload::None)),
            ("/start step2", Intent::Start(StartPayload::Step(2))),
            ("/start steps", Intent::Start(StartPayload::Steps)),
            ("/start junk", Intent::Start(StartPayload::None)),
            ("/step 3", Intent::Step(Some(3))),
            ("/step three", Intent::Step(None)),
            ("/HELP", Intent::Help),
            ("/ask", Intent::AskUsage),
            ("/ask  why? ", question("why?")),
            ("/frobnicate", Intent::UnknownCommand),
            ("what is step 2", question("what is step 2")),
            ("/", question("/")),
        ];
        for (text, intent) in cases {
            assert_eq!(route_text(true, text), intent, "{text:?}");
        }
    }

    #[test]
    fn groups_answer_only_what_is_addressed_to_the_bot() {
        let cases = [
            ("/ask why", question("why")),
            ("/ask@QA_Bot why", question("why")),
            (
                "/ask@other_bot why",
                Intent::Ignore("a command for another bot"),
            ),
            ("/weather", Intent::Ignore("an unknown command in a group")),
            ("/weather@qa_bot", Intent::UnknownCommand),
            ("lunch anyone?", Intent::Ignore("group chatter")),
            ("@qa_bot, what is step 2?", question("what is step 2?")),
            ("what is step 2 @QA_BOT", question("what is step 2")),
            ("@qa_bot", Intent::AskUsage),
            ("@qa_botty hi", Intent::Ignore("group chatter")),
            ("ＡＢ @qa_bot 단계?", question("ＡＢ 단계?")),
            // 'İ' grows by a byte when lowercased and the ohm sign shrinks by
            // one: the text keeps its length, but not its offsets.
            ("İ@qa_bot한\u{2126}", Intent::Ignore("group chatter")),
            ("İ @qa_bot \u{2126}", question("İ \u{2126}")),
            (
                "\u{212A} @QA_BOT what is step 2",
                question("\u{212A} what is step 2"),
            ),
        ];
        for (text, intent) in cases {
            assert_eq!(route_text(false, text), intent, "{text:?}");
        }
    }

    #[test]
    fn replies_bots_and_media() {
        let base = Incoming {
            private: false,
            text: Some("and the next one?"),
            from_bot: false,
            via_me: false,
            service: false,
            reply_to_me: true,
            me: "qa_bot",
            admin: false,
        };
        assert_eq!(route(base), Intent::Question("and the next one?".into()));
        let reload = Incoming {
            text: Some("/reload"),
            ..base
        };
        assert_eq!(route(reload), Intent::Ignore("/reload from a non-admin"));
        assert_eq!(
            route(Incoming {
                private: true,
                ..reload
            }),
            Intent::Ignore("/reload from a non-admin")
        );
        assert_eq!(
            route(Incoming {
                admin: true,
                ..reload
            }),
            Intent::Reload
        );
        assert_eq!(
            route(Incoming {
                admin: true,
                text: Some("/reload@other_bot"),
                ..reload
            }),
            Intent::Ignore("a command for another bot")
        );
        // /stats: an admin's, in a private chat only.
        let stats = Incoming {
            text: Some("/stats"),
            ..base
        };
        let cases = [
            (
                false,
                false,
                "/stats",
                Intent::Ignore("/stats from a non-admin"),
            ),
            (
                false,
                true,
                "/stats",
                Intent::Ignore("/stats from a non-admin"),
            ),
            (
                true,
                false,
                "/stats",
                Intent::Ignore("/stats outside a private chat"),
            ),
            (
                true,
                false,
                "/stats@qa_bot",
                Intent::Ignore("/stats outside a private chat"),
            ),
            (true, true, "/stats", Intent::Stats),
            (true, true, "/stats@qa_bot", Intent::Stats),
        ];
        for (admin, private, text, intent) in cases {
            assert_eq!(
                route(Incoming {
                    admin,
                    private,
                    text: Some(text),
                    ..stats
                }),
                intent,
                "admin {admin}, private {private}, {text}"
            );
        }
        let mentioned = Incoming {
            text: Some("@qa_bot and the next one?"),
            ..base
        };
        assert_eq!(
            route(mentioned),
            Intent::Question("and the next one?".into())
        );
        let private = Incoming {
            private: true,
            reply_to_me: false,
            ..mentioned
        };
        assert_eq!(route(private), Intent::Question("and the next one?".into()));
        assert!(matches!(
            route(Incoming {
                from_bot: true,
                ..base
            }),
            Intent::Ignore(_)
        ));
        // A passage sent through the bot's own inline mode, in a group or
        // in the bot's private chat, even when it mentions the bot.
        for private in [false, true] {
            assert_eq!(
                route(Incoming {
                    private,
                    via_me: true,
                    text: Some("Step 2 of 3 — @qa_bot"),
                    ..base
                }),
                Intent::Ignore("sent through this bot's inline mode")
            );
        }
        assert!(matches!(
            route(Incoming { text: None, ..base }),
            Intent::Ignore(_)
        ));
        assert_eq!(
            route(Incoming {
                text: None,
                private: true,
                ..base
            }),
            Intent::NotText
        );
        assert_eq!(
            route(Incoming {
                text: None,
                private: true,
                service: true,
                ..base
            }),
            Intent::Ignore("a service message")
        );
    }
}

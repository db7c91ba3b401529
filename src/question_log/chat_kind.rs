//! The kind of chat a question came from, as the log stores it.

use std::fmt;
use std::str::FromStr;

/// Where a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
    /// An inline query, from a chat Telegram did not name.
    Inline,
}

impl ChatKind {
    /// Every kind, in the order above.
    pub const ALL: [ChatKind; 5] = [
        ChatKind::Private,
        ChatKind::Group,
        ChatKind::Supergroup,
        ChatKind::Channel,
        ChatKind::Inline,
    ];

    /// The name the log stores, the report counts by, and the bot's log
    /// lines show.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Private => "private",
            ChatKind::Group => "group",
            ChatKind::Supergroup => "supergroup",
            ChatKind::Channel => "channel",
            ChatKind::Inline => "inline",
        }
    }
}

impl fmt::Display for ChatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A chat kind's name that is none of [`ChatKind::ALL`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a kind of chat (private, group, supergroup, channel or inline)")]
pub struct UnknownChatKind(pub String);

impl FromStr for ChatKind {
    type Err = UnknownChatKind;

    /// The inverse of `Display`, and only of it: no other spelling.
    fn from_str(text: &str) -> Result<ChatKind, UnknownChatKind> {
        ChatKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| UnknownChatKind(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_kinds_round_trip_through_the_names_the_log_stores() {
        let names = [
            (ChatKind::Private, "private"),
            (ChatKind::Group, "group"),
            (ChatKind::Supergroup, "supergroup"),
            (ChatKind::Channel, "channel"),
            (ChatKind::Inline, "inline"),
        ];
        assert_eq!(names.map(|(k, _)| k), ChatKind::ALL);
        for (kind, name) in names {
            assert_eq!(kind.to_string(), name);
            assert_eq!(name.parse::<ChatKind>(), Ok(kind), "{name}");
        }
        for unknown in ["Private", "pri\u{202E}vate", "", "sender"] {
            let error = unknown.parse::<ChatKind>().unwrap_err();
            assert_eq!(error, UnknownChatKind(unknown.to_owned()));
            // Named, with what could hide it escaped.
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("{unknown:?} is not")),
                "{error}"
            );
        }
        assert!(
            UnknownChatKind("pri\u{202E}vate".into())
                .to_string()
                .contains("pri\\u{202e}vate")
        );
    }
}

//! The kind of chat a question came from, as the log stores it.

use crate::names::{Named, by_name};

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

impl Named for ChatKind {
    const ALL: &'static [ChatKind] = &[
        ChatKind::Private,
        ChatKind::Group,
        ChatKind::Supergroup,
        ChatKind::Channel,
        ChatKind::Inline,
    ];
    const WHAT: &'static str = "kind of chat";
    fn name(self) -> &'static str {
        self.as_str()
    }
}

by_name!(ChatKind);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_names;

    #[test]
    fn chat_kinds_round_trip_through_the_names_the_log_stores() {
        assert_names(
            &[
                (ChatKind::Private, "private"),
                (ChatKind::Group, "group"),
                (ChatKind::Supergroup, "supergroup"),
                (ChatKind::Channel, "channel"),
                (ChatKind::Inline, "inline"),
            ],
            &["Private", "pri\u{202E}vate", "", "sender"],
        );
    }
}

//! qabot answers questions about one newspaper column, in a terminal or on
//! Telegram. What it knows of the column is data, the knowledge base: the
//! one in `knowledge/` is built in, and `--knowledge DIR` names another.
//!
//! The crate is a library with a thin binary. Each module is one concern:
//! - [`knowledge`]: loading and validating the knowledge base;
//! - [`matcher`]: from a question to a decision (pure, no I/O);
//! - [`answer`]: the one reply renderer, for the terminal and for Telegram;
//! - [`config`]: the settings file;
//! - [`conversation`]: follow-up questions answered with what came before;
//! - [`eval`]: scoring the matcher on a labelled question file;
//! - [`dialogues`]: scoring conversations on a labelled dialogue file;
//! - [`errors`]: errors told in one line;
//! - [`question_log`]: the log of what the bot was asked;
//! - [`report`]: what the operator learns from that log (`qabot report`,
//!   `/stats`);
//! - [`plural`]: counts of things in words;
//! - [`names`]: enums written and read back by name;
//! - [`chat`]: `qabot chat`, a conversation in the terminal;
//! - [`input`]: standard input read as numbered lines of UTF-8;
//! - [`cli`]: the command line;
//! - [`bot`]: the Telegram front end (`qabot run`), the only module that
//!   knows teloxide.

pub mod answer;
pub mod bot;
pub mod chat;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod dialogues;
pub mod errors;
pub mod eval;
pub mod files;
pub mod input;
pub mod knowledge;
pub mod located;
pub mod matcher;
pub mod names;
pub mod plural;
pub mod question_log;
pub mod report;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;

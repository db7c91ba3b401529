//! The integration tests, as one binary with a module per area (ripgrep's
//! layout), so the shared helpers are compiled once and every area links
//! against the library once. `cargo test --test tests telegram::` runs one
//! area; `cargo test --test tests NAME` one test.
//!
//! Helpers, used by the areas that drive the bot:
//! - [`fake_api`]: a fake Telegram Bot API on 127.0.0.1;
//! - [`bot_process`]: the real `qabot run` as a child process;
//! - [`db`]: fresh SQLite and PostgreSQL databases for the question log;
//! - [`dispatcher`]: stopping the real dispatcher run in-process.

mod bot_process;
mod db;
mod dispatcher;
mod fake_api;

mod cli;
mod conversation;
mod conversation_store;
mod dev_set;
mod faults;
mod flood;
mod hostile;
mod load;
mod module_graph;
mod operator;
mod question_log;
mod readme;
mod reload;
mod telegram;
mod webhook;

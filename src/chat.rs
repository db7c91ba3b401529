//! `qabot chat`: a conversation in the terminal. Interactively, a line
//! editor (history for the session only, never written to a file) and the
//! exit words end it; with standard input not a terminal, conversations are
//! read one message a line, a blank line starting the next conversation.
//! Either way each message is answered with the conversation's context
//! ([`crate::conversation`]); `--json` prints one object per message.

use std::io::{IsTerminal, Write};

use rustyline::error::ReadlineError;

use serde::Serialize;

use crate::answer::{JsonAnswer, Renderer, Reply};
use crate::conversation::{Context, Conversations, Turn, cues};
use crate::input::{InputError, InputLines};
use crate::knowledge::KnowledgeBase;
use crate::matcher::Matcher;

/// The prompt: unlike the mark before quoted lines (`answer::QUOTE_MARK`),
/// so what was typed and what the column says never look alike.
pub const PROMPT: &str = "you › ";

/// Runs a chat session on standard input and output.
pub fn run(kb: &KnowledgeBase, matcher: &Matcher, json: bool) -> anyhow::Result<i32> {
    let talk = Conversations::new(kb, matcher);
    let mut out = std::io::stdout().lock();
    if !json {
        writeln!(
            out,
            "qabot — ask about “{}” by {}. English or Korean. Ctrl-D or “quit” to leave.",
            kb.source.title, kb.source.author
        )?;
    }
    if std::io::stdin().is_terminal() {
        interactive(&talk, kb, json, &mut out)?;
    } else {
        piped(&talk, kb, json, &mut out)?;
    }
    Ok(0)
}

/// A session on a terminal, with line editing and the session's history.
fn interactive(
    talk: &Conversations,
    kb: &KnowledgeBase,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut editor = rustyline::DefaultEditor::new()?;
    let mut context = Context::default();
    let mut line_number = 0;
    loop {
        writeln!(out)?;
        out.flush()?;
        line_number += 1;
        let line = match editor.readline(PROMPT) {
            Ok(line) => line,
            Err(ReadlineError::Eof | ReadlineError::Interrupted) => break,
            Err(ReadlineError::Io(error)) if error.kind() == std::io::ErrorKind::InvalidData => {
                return Err(InputError::NotUtf8 { line: line_number }.into());
            }
            Err(error) => return Err(error.into()),
        };
        if line.trim().is_empty() {
            continue;
        }
        editor.add_history_entry(line.as_str())?;
        if cues::is_exit(&line) {
            break;
        }
        writeln!(out)?;
        answer(talk, kb, &mut context, &line, json, out)?;
    }
    writeln!(out)?;
    Ok(())
}

/// Conversations read from a pipe or a file: one message a line, a blank
/// line between conversations. Exit words are messages like any other
/// here: a script ends at the end of its input.
fn piped(
    talk: &Conversations,
    kb: &KnowledgeBase,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut context = Context::default();
    for line in InputLines::new(std::io::stdin().lock()) {
        let line = line?;
        if line.trim().is_empty() {
            context = Context::default();
            continue;
        }
        if !json {
            writeln!(out)?;
        }
        answer(talk, kb, &mut context, &line, json, out)?;
    }
    Ok(())
}

/// Answers one message and prints the reply, or its JSON object.
fn answer(
    talk: &Conversations,
    kb: &KnowledgeBase,
    context: &mut Context,
    message: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let turn = talk.answer(context, message);
    let reply = reply(kb, &turn);
    if json {
        serde_json::to_writer(&mut *out, &TurnJson::new(kb, message, &turn, &reply))?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", reply.to_plain())?;
    }
    Ok(())
}

/// The reply to a turn of a conversation: a follow-up with nothing to
/// follow has the decision `clarify`, which the renderer asks back with.
pub fn reply(kb: &KnowledgeBase, turn: &Turn) -> Reply {
    Renderer::new(kb).outcome(&turn.outcome)
}

/// A turn as `chat --json` prints it: the fields of `ask --json`, in the
/// same order, with `"decision": "clarify"` for a follow-up with nothing to
/// follow, then `"context"`: the id of the entry the answer drew on as
/// context, or null.
#[derive(Debug, Serialize)]
pub struct TurnJson<'a> {
    #[serde(flatten)]
    pub answer: JsonAnswer<'a>,
    pub context: Option<&'a str>,
}

impl<'a> TurnJson<'a> {
    pub fn new(kb: &'a KnowledgeBase, message: &'a str, turn: &Turn, reply: &Reply) -> Self {
        let answer = JsonAnswer::new(kb, message, &turn.outcome, reply);
        TurnJson {
            answer,
            context: turn.context.map(|c| kb.entries[c].id.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::MatcherConfig;

    /// The object's keys in the order they are written.
    fn keys_in_order(json: &str) -> Vec<String> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut keys: Vec<(usize, String)> = value
            .as_object()
            .unwrap()
            .keys()
            .map(|k| (json.find(&format!("\"{k}\":")).unwrap(), k.clone()))
            .collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn chat_json_is_the_ask_json_then_the_context() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let talk = Conversations::new(&kb, &matcher);
        let renderer = Renderer::new(&kb);
        // (message, the decision chat --json names)
        let cases = [
            ("what is step 2", "answer"),
            ("hello", "smalltalk"),
            ("how do I bake bread", "decline"),
            ("why?", "clarify"),
        ];
        for (message, decision) in cases {
            let outcome = matcher.decide(message);
            let reply = renderer.outcome(&outcome);
            let ask =
                serde_json::to_string(&JsonAnswer::new(&kb, message, &outcome, &reply)).unwrap();
            let turn = talk.answer(&mut Context::default(), message);
            let chat_reply = super::reply(&kb, &turn);
            let chat =
                serde_json::to_string(&TurnJson::new(&kb, message, &turn, &chat_reply)).unwrap();
            let mut want = keys_in_order(&ask);
            want.push("context".to_owned());
            assert_eq!(keys_in_order(&chat), want, "{message}: {chat}");
            let chat: serde_json::Value = serde_json::from_str(&chat).unwrap();
            assert_eq!(chat["decision"], decision, "{message}: {chat}");
            if decision == "clarify" {
                assert!(
                    chat["score"].is_null() && chat["passage"].is_null(),
                    "{chat}"
                );
            } else {
                let ask: serde_json::Value = serde_json::from_str(&ask).unwrap();
                assert_eq!(chat["entry"], ask["entry"], "{message}");
                assert_eq!(chat["score"], ask["score"], "{message}");
            }
        }
    }
}

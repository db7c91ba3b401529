//! `qabot chat`: a conversation in the terminal. Interactively, a line
//! editor (history for the session only, never written to a file) and the
//! exit words end it; with standard input not a terminal, conversations are
//! read one message a line, a blank line starting the next conversation.
//! Either way each message is answered with the conversation's context
//! ([`crate::conversation`]); `--json` prints one object per message.

use std::io::{IsTerminal, Write};

use rustyline::error::ReadlineError;

use serde::Serialize;

use crate::answer::{JsonAnswer, JsonSuggestion, Renderer, Reply};
use crate::conversation::{Context, Conversations, Turn, TurnKind, cues};
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

/// The reply to a turn of a conversation.
pub fn reply(kb: &KnowledgeBase, turn: &Turn) -> Reply {
    let renderer = Renderer::new(kb);
    match turn.kind {
        TurnKind::Clarify => renderer.clarify(turn.outcome.lang),
        _ => renderer.outcome(&turn.outcome),
    }
}

/// A turn as `chat --json` prints it: the fields of `ask --json`, in
/// the same order, with `"decision": "clarify"` for a follow-up with nothing
/// to follow, and `"context"`: the id of the entry the answer drew on as
/// context, or null.
#[derive(Debug, Serialize)]
pub struct TurnJson<'a> {
    pub question: &'a str,
    pub decision: &'static str,
    pub entry: Option<&'a str>,
    pub step: Option<u8>,
    pub score: Option<f32>,
    pub passage: Option<String>,
    pub sentence: Option<&'a str>,
    pub reply: String,
    pub suggestions: Option<Vec<JsonSuggestion<'a>>>,
    pub context: Option<&'a str>,
}

impl<'a> TurnJson<'a> {
    pub fn new(kb: &'a KnowledgeBase, message: &'a str, turn: &Turn, reply: &Reply) -> Self {
        let answer = JsonAnswer::new(kb, message, &turn.outcome, reply);
        let clarify = turn.kind == TurnKind::Clarify;
        TurnJson {
            question: answer.question,
            decision: if clarify {
                CLARIFY
            } else {
                answer.decision.as_str()
            },
            entry: answer.entry,
            step: answer.step,
            score: if clarify { None } else { answer.score },
            passage: answer.passage,
            sentence: answer.sentence,
            reply: answer.reply,
            suggestions: answer.suggestions,
            context: turn.context.map(|c| kb.entries[c].id.as_str()),
        }
    }
}

/// The decision `chat --json` names a clarifying question back.
pub const CLARIFY: &str = "clarify";

//! The bot's own words on Telegram — greetings, hints, the command list —
//! in English and Korean. They are built as [`Reply`] blocks so they go
//! through the same renderer and escaping as answers; what is said about the
//! column itself comes from [`Renderer`].

use super::error::ReloadError;
use super::live::Reloaded;
use crate::answer::{Block, Renderer, Reply};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Lang, SmallTalk, numbers};
use crate::plural;
use crate::question_log::Vote;
use crate::report::Report;
use crate::report::visible::visible;

/// The commands registered with `setMyCommands`, with their descriptions,
/// for a knowledge base of `steps` steps.
pub fn command_list(lang: Lang, steps: u8) -> [(&'static str, String); 6] {
    let numbers = step_numbers(lang, steps);
    match lang {
        Lang::En => [
            ("start", "What I know and how to ask".into()),
            ("ask", "Ask a question: /ask QUESTION".into()),
            (
                "steps",
                format!(
                    "The column's {} step{}",
                    numbers::english(steps),
                    if steps == 1 { "" } else { "s" }
                ),
            ),
            ("step", format!("One step: /step {numbers}")),
            ("source", "The column: title, author, paper".into()),
            ("help", "How to ask, and the commands".into()),
        ],
        Lang::Ko => [
            ("start", "무엇을 아는지, 어떻게 묻는지".into()),
            ("ask", "질문하기: /ask 질문".into()),
            (
                "steps",
                format!("칼럼의 {} 가지 단계", numbers::korean(steps)),
            ),
            ("step", format!("단계 하나 보기: /step {numbers}")),
            ("source", "칼럼 정보: 제목, 저자, 신문".into()),
            ("help", "묻는 방법과 명령어".into()),
        ],
    }
}

/// The numbers `/step` takes: "1, 2 or 3" ("1, 2, 3" in Korean), or the
/// range when they are many.
fn step_numbers(lang: Lang, steps: u8) -> String {
    let all: Vec<String> = (1..=steps).map(|n| n.to_string()).collect();
    match (lang, all.as_slice()) {
        (_, []) => String::new(),
        (_, [one]) => one.clone(),
        (Lang::En, [.., last]) if steps <= 5 => {
            format!("{} or {last}", all[..all.len() - 1].join(", "))
        }
        (Lang::Ko, _) if steps <= 5 => all.join(", "),
        (Lang::En, _) => format!("1 to {steps}"),
        (Lang::Ko, _) => format!("1 ~ {steps}"),
    }
}

fn text(lang: Lang, blocks: Vec<Block>) -> Reply {
    Reply { lang, blocks }
}

/// A paragraph of the bot's own, in the reader's language.
fn said(lang: Lang, en: impl Into<String>, ko: impl Into<String>) -> Block {
    Block::Text(match lang {
        Lang::En => en.into(),
        Lang::Ko => ko.into(),
    })
}

/// A reply of one paragraph.
fn line(lang: Lang, en: impl Into<String>, ko: impl Into<String>) -> Reply {
    text(lang, vec![said(lang, en, ko)])
}

/// `/start`: the renderer's greeting, two lines on what the bot knows and
/// how to ask (the step buttons go under it).
pub fn greeting(kb: &KnowledgeBase, lang: Lang) -> Reply {
    Renderer::new(kb).smalltalk(SmallTalk::Greeting, lang)
}

/// `/help`: the renderer's help (what the bot knows, how to ask), the
/// commands, and the ways to ask outside a private chat.
pub fn help(kb: &KnowledgeBase, lang: Lang, username: &str) -> Reply {
    let mut reply = Renderer::new(kb).smalltalk(SmallTalk::Help, lang);
    let commands = command_list(lang, kb.step_count())
        .iter()
        .map(|(name, about)| format!("/{name} — {about}"))
        .collect();
    reply.blocks.push(Block::List(commands));
    reply.blocks.push(asking_in_groups(lang, username));
    reply.blocks.push(said(
        lang,
        format!("In any chat, type @{username} and a question to share a passage."),
        format!("어느 채팅에서든 @{username} 뒤에 질문을 쓰면 구절을 공유할 수 있어요."),
    ));
    reply
}

/// Posted once when the bot is added to a group: the greeting, and how to
/// ask in a group.
pub fn group_intro(kb: &KnowledgeBase, lang: Lang, username: &str) -> Reply {
    let mut reply = greeting(kb, lang);
    reply.blocks.push(asking_in_groups(lang, username));
    reply
}

fn asking_in_groups(lang: Lang, username: &str) -> Block {
    said(
        lang,
        format!(
            "In a group, ask with /ask QUESTION (or /ask@{username} QUESTION), or reply to one of my messages."
        ),
        format!(
            "그룹에서는 /ask 질문 (또는 /ask@{username} 질문) 으로 묻거나 제 메시지에 답장해 주세요."
        ),
    )
}

/// `/steps`: the overview passage (or the list of steps), for the buttons
/// under it.
pub fn steps(kb: &KnowledgeBase, lang: Lang) -> Reply {
    let renderer = Renderer::new(kb);
    match kb.overview() {
        Some(overview) => renderer.entry(overview, lang),
        None => text(
            lang,
            vec![Block::List(
                (1..=kb.step_count())
                    .filter_map(|n| kb.step(n))
                    .map(|e| renderer.short_label(e, lang))
                    .collect(),
            )],
        ),
    }
}

/// `/source`: title, author, paper, and how quotes relate to translation.
pub fn source(kb: &KnowledgeBase, lang: Lang) -> Reply {
    let s = &kb.source;
    let (heading, title, author, paper, section, note) = match lang {
        Lang::En => (
            "About this column",
            "Title",
            "Author",
            "Published in",
            "Section",
            "Quotes are the column's published English text, word for word; nothing is paraphrased. Korean replies translate only my own words, never the column.",
        ),
        Lang::Ko => (
            "칼럼 정보",
            "제목",
            "저자",
            "게재",
            "섹션",
            "인용문은 칼럼의 영어 원문 그대로이며 바꿔 쓰지 않아요. 한국어 답변에서도 번역하는 것은 제 안내 문구뿐, 칼럼은 번역하지 않아요.",
        ),
    };
    let mut facts = vec![
        format!("{title}: {}", s.title),
        format!("{author}: {}", s.author),
        format!("{paper}: {}", s.paper),
    ];
    if let Some(sec) = &s.section {
        facts.push(format!("{section}: {sec}"));
    }
    text(
        lang,
        vec![
            Block::Heading(heading.into()),
            Block::List(facts),
            Block::Text(note.into()),
        ],
    )
}

/// A sticker, a photo without a caption, a voice message…
pub fn send_text_hint(lang: Lang) -> Reply {
    line(
        lang,
        "I can only read text. Please type your question about the column, for example “What is the second step?”",
        "저는 글만 읽을 수 있어요. 칼럼에 대한 질문을 글로 보내 주세요. 예: “두 번째 단계가 뭐야?”",
    )
}

/// `/ask` with nothing after it, or a bare mention.
pub fn ask_usage(lang: Lang, username: &str) -> Reply {
    line(
        lang,
        format!(
            "Ask like this: /ask What is the second step? — or @{username} What is the second step?"
        ),
        format!(
            "이렇게 물어보세요: /ask 두 번째 단계가 뭐야? — 또는 @{username} 두 번째 단계가 뭐야?"
        ),
    )
}

/// `/step` without a step number the column has.
pub fn step_usage(kb: &KnowledgeBase, lang: Lang) -> Reply {
    let n = kb.step_count();
    line(
        lang,
        format!("Which step? The column has {n}: send /step 1 to /step {n}, or tap one below."),
        format!(
            "몇 단계를 볼까요? 칼럼에는 {n}단계가 있어요: /step 1 ~ /step {n} 을 보내거나 아래에서 골라 주세요."
        ),
    )
}

/// A command the bot does not have.
pub fn unknown_command(lang: Lang) -> Reply {
    line(
        lang,
        "I don't know that command. /help lists mine — or just ask your question.",
        "모르는 명령어예요. /help 에서 명령어를 볼 수 있어요. 아니면 그냥 질문해 주세요.",
    )
}

/// The outcome of an admin's `/reload`, in one line: it is for operators,
/// who read the logs in English too, so it is not translated.
pub fn reloaded(outcome: &Result<Reloaded, ReloadError>) -> Reply {
    let line = match outcome {
        Ok(reloaded) => format!("reloaded: {reloaded}"),
        Err(error) => format!("reload rejected: {}", error.headline()),
    };
    text(Lang::En, vec![Block::Text(line)])
}

/// Top declined questions listed by `/stats`.
const STATS_DECLINED: usize = 5;
/// Characters of each shown by `/stats`, so the reply stays one message;
/// `qabot report` shows them whole.
const STATS_QUESTION_CHARS: usize = 200;

/// `/stats` for an admin: today's counts (UTC) and the questions most
/// often declined, from the question log; the questions with any character
/// that could hide or disguise text written out.
pub fn stats(today: &Report) -> Reply {
    let d = &today.decisions;
    let (up, down) = today
        .feedback
        .iter()
        .fold((0, 0), |(u, n), f| (u + f.up, n + f.down));
    let mut lines = vec![
        format!(
            "Today (UTC, since {}): {} from {}.",
            &today.since[11..16],
            plural::count(today.questions, "question", "questions"),
            plural::count(today.people, "person", "people")
        ),
        format!(
            "Answered {} · suggested {} · declined {} · small talk {}. Feedback: 👍 {up} · 👎 {down}.",
            d.answered, d.suggested, d.declined, d.smalltalk
        ),
    ];
    let declined: Vec<(usize, &str)> = today
        .groups
        .iter()
        .filter_map(|g| {
            let n = g.decisions.get("decline").copied().unwrap_or(0);
            let lead = g.questions.first()?;
            (n > 0).then_some((n, lead.question.as_str()))
        })
        .take(STATS_DECLINED)
        .collect();
    if declined.is_empty() {
        lines.push("Nothing declined today.".into());
    } else {
        lines.push("Most declined today:".into());
        for (i, (n, question)) in declined.iter().enumerate() {
            let times = if *n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            let shown = match question.char_indices().nth(STATS_QUESTION_CHARS) {
                Some((end, _)) => format!("{}…", &question[..end]),
                None => (*question).to_owned(),
            };
            lines.push(format!("{}. “{shown}”{times}", i + 1));
        }
    }
    if let Some(left) = &today.not_grouped {
        lines.push(format!("{}.", left.line()));
    }
    lines.push("Whole report: qabot report --since 1d".into());
    let lines = lines.iter().map(|l| Block::Text(visible(l).into_owned()));
    text(Lang::En, lines.collect())
}

/// `/stats` when the question log cannot be read.
pub fn stats_unavailable(error: &str) -> Reply {
    text(
        Lang::En,
        vec![Block::Text(format!("No stats: {}", visible(error)))],
    )
}

/// The feedback buttons' labels.
pub fn vote_label(vote: Vote) -> &'static str {
    match vote {
        Vote::Up => "👍",
        Vote::Down => "👎",
    }
}

/// Shown (as a callback notice) when a vote is taken.
pub fn vote_thanks(lang: Lang, vote: Vote) -> &'static str {
    match (lang, vote) {
        (Lang::En, Vote::Up) => "Thanks! Noted 👍 (press 👎 to change it).",
        (Lang::En, Vote::Down) => {
            "Thanks! Noted 👎: this helps fix the answer (press 👍 to change it)."
        }
        (Lang::Ko, Vote::Up) => "고마워요! 👍 로 기록했어요 (바꾸려면 👎 를 누르세요).",
        (Lang::Ko, Vote::Down) => {
            "고마워요! 👎 로 기록했어요. 답을 고치는 데 쓸게요 (바꾸려면 👍 를 누르세요)."
        }
    }
}

/// Shown (as a callback notice) for a button whose data is stale or forged.
pub fn stale_button(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "This button is out of date. Ask again, or send /steps.",
        Lang::Ko => "오래된 버튼이에요. 다시 질문하거나 /steps 를 보내 주세요.",
    }
}

/// Shown (as a callback notice) when the message under a button is gone.
pub fn message_gone(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "That message is too old to change. Send /steps for fresh buttons.",
        Lang::Ko => "너무 오래된 메시지라 바꿀 수 없어요. /steps 를 보내 새 버튼을 받아 주세요.",
    }
}

/// Labels of the previous / next step buttons.
pub fn previous_step(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("◀ Step {n}"),
        Lang::Ko => format!("◀ {n}단계"),
    }
}

pub fn next_step(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Step {n} ▶"),
        Lang::Ko => format!("{n}단계 ▶"),
    }
}

/// The label of the button under an answer that passes it on through
/// inline mode (`switch_inline_query`).
pub fn share_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "↗ Share",
        Lang::Ko => "↗ 공유하기",
    }
}

/// The button above an inline answer with no passage: it opens the bot's
/// private chat, where the reader can see what the column covers.
pub fn inline_no_match(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No passage matches: open the bot",
        Lang::Ko => "맞는 구절이 없어요: 봇 열기",
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::bot::send;
    use crate::matcher::{Matcher, MatcherConfig};
    use crate::report::visible::is_hidden;
    use crate::synthetic;

    /// The messages Telegram would get, checked to hide nothing.
    fn sent(reply: &Reply) -> String {
        let text = send::messages(reply).join("\n");
        let hidden: Vec<char> = text
            .chars()
            .filter(|&c| c != '\n' && is_hidden(c))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?} in {text}");
        text
    }

    #[test]
    fn stats_write_hidden_characters_out_and_say_what_was_not_grouped() {
        let kb = KnowledgeBase::embedded().unwrap();
        let matcher = Matcher::new(&kb, MatcherConfig::default());
        let at = 1_795_910_400;
        let questions = [
            "\u{202E}txt.exe is the weather?",
            "clear \u{1b}[2J the screen\u{9b}",
            "one\u{2028}two\u{2066}three",
            &"long ".repeat(300),
        ]
        .map(str::to_owned);
        let rows = synthetic::declined_log(&questions, at);
        let report = Report::build(&rows, &kb, &matcher, at, at);
        let text = sent(&stats(&report));
        assert_eq!(send::messages(&stats(&report)).len(), 1);
        for shown in [
            "“\\u{202e}txt.exe is the weather?”",
            "clear \\u{1b}[2J the screen\\u{9b}”",
            "one\\u{2028}two\\u{2066}three",
            &format!("“{}…”", "long ".repeat(40)),
        ] {
            assert!(text.contains(shown), "{shown} not in {text}");
        }
        assert!(!text.contains("not grouped"), "{text}");

        let cut = Report::build_within(&rows, &kb, &matcher, at, at, Duration::ZERO);
        let text = sent(&stats(&cut));
        assert!(
            text.contains("4 questions not grouped (4 distinct): time budget (0 s) reached."),
            "{text}"
        );
        let text = sent(&stats_unavailable("the log at \u{202E}x: gone"));
        assert!(text.contains("\\u{202e}x: gone"), "{text}");
    }

    #[test]
    fn the_command_list_counts_the_knowledge_bases_own_steps() {
        // (steps, language, /steps description, /step description)
        let cases = [
            (
                3,
                Lang::En,
                "The column's three steps",
                "One step: /step 1, 2 or 3",
            ),
            (
                3,
                Lang::Ko,
                "칼럼의 세 가지 단계",
                "단계 하나 보기: /step 1, 2, 3",
            ),
            (
                2,
                Lang::En,
                "The column's two steps",
                "One step: /step 1 or 2",
            ),
            (
                4,
                Lang::Ko,
                "칼럼의 네 가지 단계",
                "단계 하나 보기: /step 1, 2, 3, 4",
            ),
            (1, Lang::En, "The column's one step", "One step: /step 1"),
            (
                12,
                Lang::En,
                "The column's twelve steps",
                "One step: /step 1 to 12",
            ),
            (
                12,
                Lang::Ko,
                "칼럼의 열두 가지 단계",
                "단계 하나 보기: /step 1 ~ 12",
            ),
        ];
        for (steps, lang, all, one) in cases {
            let list = command_list(lang, steps);
            let about = |name: &str| list.iter().find(|(n, _)| *n == name).unwrap().1.clone();
            assert_eq!(
                (about("steps"), about("step")),
                (all.into(), one.into()),
                "{steps} {lang:?}"
            );
        }
    }
}

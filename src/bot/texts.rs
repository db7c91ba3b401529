//! The bot's own words on Telegram — greetings, hints, the command list —
//! in English and Korean. They are built as [`Reply`] blocks so they go
//! through the same renderer and escaping as answers; what is said about the
//! column itself comes from [`Renderer`].

use super::error::ReloadError;
use super::live::Reloaded;
use crate::answer::{Block, Renderer, Reply};
use crate::knowledge::KnowledgeBase;
use crate::matcher::{Decision, Lang, SmallTalk, numbers};
use crate::plural;
use crate::question_log::Vote;
use crate::report::Report;
use crate::report::visible::visible;

/// Whether privacy mode is on (@BotFather's /setprivacy; getMe's
/// `can_read_all_group_messages` is false): then, in groups, only commands,
/// replies to the bot and messages sent via it reach the bot, and a plain
/// mention does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    On,
    Off,
}

impl Privacy {
    /// From getMe's `can_read_all_group_messages`.
    pub fn reading_all(can_read_all_group_messages: bool) -> Privacy {
        if can_read_all_group_messages {
            Privacy::Off
        } else {
            Privacy::On
        }
    }
}

/// Whether the bot has inline mode (@BotFather's /setinline; getMe's
/// `supports_inline_queries`): without it Telegram sends the bot no inline
/// queries, so nothing it says may point there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineMode {
    On,
    Off,
}

impl InlineMode {
    /// From getMe's `supports_inline_queries`.
    pub fn supported(supports_inline_queries: bool) -> InlineMode {
        if supports_inline_queries {
            InlineMode::On
        } else {
            InlineMode::Off
        }
    }
}

/// The chats a command menu is registered for (setMyCommands' scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// Private chats, and any chat no other scope covers: led by /start.
    Private,
    /// Groups and supergroups: led by /ask, the way to ask there.
    Groups,
}

/// The commands registered with `setMyCommands` for `menu`, with their
/// descriptions, for a knowledge base of `steps` steps. A group's menu
/// leads with /ask: there a question needs it, and a new group member
/// has no use for /start.
pub fn command_list(lang: Lang, steps: u8, menu: Menu) -> [(&'static str, String); 6] {
    let mut list = commands(lang, steps);
    if menu == Menu::Groups {
        list.swap(0, 1);
    }
    list
}

/// The commands, in the private menu's order.
fn commands(lang: Lang, steps: u8) -> [(&'static str, String); 6] {
    let numbers = step_numbers(lang, steps);
    match lang {
        Lang::En => [
            ("start", "What I know and how to ask".into()),
            ("ask", "Ask a question: /ask QUESTION".into()),
            (
                "steps",
                format!(
                    "The column's {} {}",
                    numbers::english(steps),
                    plural::noun(usize::from(steps), "step", "steps")
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

/// Telegram's limits on the bot's description and short description
/// (setMyDescription, setMyShortDescription), in characters.
pub const DESCRIPTION_LIMIT: usize = 512;
pub const SHORT_DESCRIPTION_LIMIT: usize = 120;

/// The bot's description, which an empty chat with it shows before anyone
/// types: what it knows, how to ask, and how in groups. Without the
/// column's title when a long title would pass [`DESCRIPTION_LIMIT`].
pub fn description(kb: &KnowledgeBase, lang: Lang) -> String {
    let text = |about: String| match lang {
        Lang::En => format!(
            "{about} Ask in your own words, in English or Korean: “What is the second step?” In a group, use /ask QUESTION or reply to one of my messages."
        ),
        Lang::Ko => format!(
            "{about} 영어나 한국어로 편하게 물어보세요: “두 번째 단계가 뭐야?” 그룹에서는 /ask 질문 으로 묻거나 제 메시지에 답장해 주세요."
        ),
    };
    let full = text(Renderer::new(kb).about(lang));
    if full.chars().count() <= DESCRIPTION_LIMIT {
        return full;
    }
    text(match lang {
        Lang::En => {
            "I answer questions about one newspaper column, quoting it word for word.".into()
        }
        Lang::Ko => {
            "저는 신문 칼럼 한 편에 대한 질문에 원문을 그대로 인용해 답하는 봇이에요.".into()
        }
    })
}

/// The bot's short description, on its profile and where it is shared;
/// without the title when a long one would pass [`SHORT_DESCRIPTION_LIMIT`].
pub fn short_description(kb: &KnowledgeBase, lang: Lang) -> String {
    let title = &kb.source.title;
    let full = match lang {
        Lang::En => format!("Answers questions about the column “{title}”, in its own words."),
        Lang::Ko => format!("칼럼 “{title}” 에 대한 질문에 원문으로 답해요."),
    };
    if full.chars().count() <= SHORT_DESCRIPTION_LIMIT {
        return full;
    }
    match lang {
        Lang::En => "Answers questions about one newspaper column, in its own words.".into(),
        Lang::Ko => "신문 칼럼 한 편에 대한 질문에 원문으로 답해요.".into(),
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
/// commands, the ways to ask outside a private chat, and, with inline mode
/// on, how to share a passage.
pub fn help(
    kb: &KnowledgeBase,
    lang: Lang,
    username: &str,
    privacy: Privacy,
    inline: InlineMode,
) -> Reply {
    let mut reply = Renderer::new(kb).smalltalk(SmallTalk::Help, lang);
    let commands = command_list(lang, kb.step_count(), Menu::Private)
        .iter()
        .map(|(name, about)| format!("/{name} — {about}"))
        .collect();
    reply.blocks.push(Block::List(commands));
    reply.blocks.push(asking_in_groups(lang, username, privacy));
    if inline == InlineMode::On {
        reply.blocks.push(said(
            lang,
            format!("In any chat, type @{username} and a question to share a passage."),
            format!("어느 채팅에서든 @{username} 뒤에 질문을 쓰면 구절을 공유할 수 있어요."),
        ));
    }
    reply
}

/// Posted once when the bot is added to a group: the greeting, and how to
/// ask in a group.
pub fn group_intro(kb: &KnowledgeBase, lang: Lang, username: &str, privacy: Privacy) -> Reply {
    let mut reply = greeting(kb, lang);
    reply.blocks.push(asking_in_groups(lang, username, privacy));
    reply
}

/// How to ask in a group, in the ways that reach the bot. "@bot question"
/// is never advised: with privacy mode on Telegram does not deliver it,
/// and a message that starts with "@bot" opens inline mode in the apps. A
/// mention after the question reaches a bot that reads every message.
fn asking_in_groups(lang: Lang, username: &str, privacy: Privacy) -> Block {
    match privacy {
        Privacy::On => said(
            lang,
            format!(
                "In a group, ask with /ask QUESTION (or /ask@{username} QUESTION), or reply to one of my messages."
            ),
            format!(
                "그룹에서는 /ask 질문 (또는 /ask@{username} 질문) 으로 묻거나 제 메시지에 답장해 주세요."
            ),
        ),
        Privacy::Off => said(
            lang,
            format!(
                "In a group, ask with /ask QUESTION (or /ask@{username} QUESTION), reply to one of my messages, or end your question with @{username}."
            ),
            format!(
                "그룹에서는 /ask 질문 (또는 /ask@{username} 질문) 으로 묻거나, 제 메시지에 답장하거나, 질문 끝에 @{username} 을 붙여 주세요."
            ),
        ),
    }
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

/// `/ask` with nothing after it, or a bare mention, in a private chat,
/// where any message is a question.
pub fn ask_usage(lang: Lang) -> Reply {
    line(
        lang,
        "Ask like this: What is the second step? Here, just send your question; no command is needed.",
        "이렇게 물어보세요: 두 번째 단계가 뭐야? 여기서는 명령어 없이 질문만 보내면 돼요.",
    )
}

/// `/ask` with nothing after it in a group: a prompt sent with ForceReply,
/// so the asker's app opens a reply to it, and the reply reaches the bot
/// even with privacy mode on.
pub fn ask_prompt(lang: Lang) -> Reply {
    line(
        lang,
        "Ask like this: reply to this message with your question, or send /ask What is the second step?",
        "이렇게 물어보세요: 이 메시지에 답장으로 질문을 보내거나 /ask 두 번째 단계가 뭐야? 를 보내 주세요.",
    )
}

/// The reply field's placeholder under [`ask_prompt`] (at most 64
/// characters, Telegram's limit).
pub fn ask_placeholder(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Your question about the column",
        Lang::Ko => "칼럼에 대한 질문",
    }
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
            let n = g.decisions.get(&Decision::Decline).copied().unwrap_or(0);
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

/// Told once per burst to a chat that asks faster than it is answered:
/// the questions past its budget are dropped, unread.
pub fn busy(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "I’m still answering your earlier questions — ask again in a moment.",
        Lang::Ko => "아직 앞의 질문에 답하고 있어요. 잠시 후에 다시 물어봐 주세요.",
    }
}

/// [`busy`] as a message.
pub fn busy_reply(lang: Lang) -> Reply {
    line(lang, busy(Lang::En), busy(Lang::Ko))
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
    fn descriptions_fit_telegrams_limits_even_for_a_long_title() {
        let mut kb = KnowledgeBase::embedded().unwrap();
        for title in [kb.source.title.clone(), "A very long title ".repeat(40)] {
            kb.source.title = title.clone();
            for lang in [Lang::En, Lang::Ko] {
                let long = description(&kb, lang);
                let short = short_description(&kb, lang);
                assert!(long.chars().count() <= DESCRIPTION_LIMIT, "{long}");
                assert!(short.chars().count() <= SHORT_DESCRIPTION_LIMIT, "{short}");
                // The title is named whenever it fits.
                let fits = title.len() < 60;
                assert_eq!(long.contains(&title), fits, "{long}");
                assert_eq!(short.contains(&title), fits, "{short}");
            }
        }
    }

    #[test]
    fn groups_menus_lead_with_ask_and_private_ones_with_start() {
        for lang in [Lang::En, Lang::Ko] {
            let names = |menu| command_list(lang, 3, menu).map(|(name, _)| name);
            assert_eq!(
                names(Menu::Private),
                ["start", "ask", "steps", "step", "source", "help"]
            );
            assert_eq!(
                names(Menu::Groups),
                ["ask", "start", "steps", "step", "source", "help"]
            );
        }
    }

    #[test]
    fn advice_for_groups_never_says_to_start_with_the_bots_name() {
        let kb = KnowledgeBase::embedded().unwrap();
        let me = "qa_bot";
        for lang in [Lang::En, Lang::Ko] {
            for privacy in [Privacy::On, Privacy::Off] {
                let intro = sent(&group_intro(&kb, lang, me, privacy));
                // Leave out "/ask@qa_bot": a command, delivered either way.
                let advice = intro.replace("/ask@qa_bot", "");
                let mentioned = advice.contains("@qa_bot");
                assert_eq!(mentioned, privacy == Privacy::Off, "{privacy:?}: {intro}");
                // A message that starts with "@bot" opens inline mode.
                assert!(!advice.contains("@qa_bot 질문") && !advice.contains("@qa_bot What"));
            }
            for text in [ask_usage(lang), ask_prompt(lang)] {
                assert!(!sent(&text).contains('@'), "{}", sent(&text));
            }
            assert!((1..=64).contains(&ask_placeholder(lang).chars().count()));
        }
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
            let list = command_list(lang, steps, Menu::Private);
            let about = |name: &str| list.iter().find(|(n, _)| *n == name).unwrap().1.clone();
            assert_eq!(
                (about("steps"), about("step")),
                (all.into(), one.into()),
                "{steps} {lang:?}"
            );
        }
    }
}

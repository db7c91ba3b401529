//! The report's tests: from rows to counts, groups, text and JSON.

use std::time::Duration;

use super::*;
use crate::knowledge::KnowledgeBase;
use crate::matcher::Matcher;
use crate::matcher::{Decision, Lang, MatcherConfig};
use crate::question_log::{ChatKind, LoggedQuestion, QuestionId};
use crate::report::Workbench;

fn row(
    id: i64,
    at: i64,
    question: &str,
    decision: Decision,
    entry: Option<&str>,
) -> LoggedQuestion {
    LoggedQuestion {
        id: QuestionId(id),
        at,
        chat_kind: ChatKind::Private,
        user_language: Some("en".into()),
        lang: if question.chars().any(|c| ('가'..='힣').contains(&c)) {
            Lang::Ko
        } else {
            Lang::En
        },
        question: question.into(),
        decision,
        entry: entry.map(str::to_owned),
        score: entry.map(|_| 0.6),
        suggestions: Vec::new(),
        context: None,
        picked: Vec::new(),
        votes_up: 0,
        votes_down: 0,
        user_hash: Some(format!("user{}", id % 3)),
    }
}

/// Each question declined once, at `at`.
fn declined(questions: &[&str], at: i64) -> Vec<LoggedQuestion> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| row(i as i64 + 1, at, q, Decision::Decline, None))
        .collect()
}

/// Proposals measured on the built-in knowledge base, no labelled file.
fn embedded_bench(kb: &KnowledgeBase) -> Workbench {
    Workbench::new(
        "<embedded>",
        KnowledgeBase::embedded_manifest().to_owned(),
        kb,
        &MatcherConfig::default(),
        &[],
    )
}

#[test]
fn a_report_counts_days_shares_entries_and_feedback() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let day = 1_795_910_400;
    let mut rows = vec![
        row(
            1,
            day - 100,
            "what is step 1",
            Decision::Answer,
            Some("step-1"),
        ),
        row(
            2,
            day + 10,
            "what is step 1?",
            Decision::Answer,
            Some("step-1"),
        ),
        row(
            3,
            day + 20,
            "tell me about step 2",
            Decision::Answer,
            Some("step-2"),
        ),
        row(4, day + 30, "hi", Decision::Smalltalk, None),
        row(
            5,
            day + 40,
            "what is the weather in seoul",
            Decision::Decline,
            None,
        ),
    ];
    rows[1].votes_up = 2;
    rows[2].votes_down = 1;
    let report = Report::build(&rows, &kb, &matcher, day - 86_400, day + 86_400);
    assert_eq!(report.questions, 5);
    assert_eq!(report.people, 3);
    assert_eq!(
        report
            .days
            .iter()
            .map(|d| (d.date.as_str(), d.questions))
            .collect::<Vec<_>>(),
        [("2026-11-28", 1), ("2026-11-29", 4)]
    );
    assert_eq!(report.decisions.answered, 3);
    assert_eq!(report.languages.get("en"), Some(&5));
    assert_eq!(report.chats.get("private"), Some(&5));
    assert!(
        report
            .to_text()
            .contains("language en 100%; chats private 100%")
    );
    assert_eq!(report.decisions.answered_share, 0.6);
    assert_eq!(report.decisions.declined_share, 0.2);
    assert_eq!(report.top_entries[0].entry, "step-1");
    assert_eq!(report.top_entries[0].count, 2);
    assert_eq!(
        report.feedback,
        [
            EntryFeedback {
                entry: "step-1".into(),
                up: 2,
                down: 0
            },
            EntryFeedback {
                entry: "step-2".into(),
                up: 0,
                down: 1
            },
        ]
    );
    // Voted down, and declined: both need attention; the rest do not.
    let grouped: Vec<&str> = report
        .groups
        .iter()
        .flat_map(|g| g.questions.iter().map(|q| q.question.as_str()))
        .collect();
    assert_eq!(grouped.len(), 2, "{grouped:?}");
    assert!(grouped.contains(&"tell me about step 2"));
    assert!(grouped.contains(&"what is the weather in seoul"));
    // Outside the window: not counted.
    let narrow = Report::build(&rows, &kb, &matcher, day, day + 86_400);
    assert_eq!(narrow.questions, 4);
}

#[test]
fn past_the_budget_questions_are_counted_not_grouped() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let rows = vec![
        row(1, at, "who won the world cup", Decision::Decline, None),
        row(2, at, "who won the world cup?", Decision::Decline, None),
        row(3, at, "best pizza in seoul", Decision::Decline, None),
        row(4, at, "what is step 1", Decision::Answer, Some("step-1")),
    ];
    let full = Report::build(&rows, &kb, &matcher, at, at);
    assert_eq!(full.groups.len(), 2);
    assert_eq!(full.not_grouped, None);
    assert!(!full.to_text().contains("not grouped"));

    let cut = Report::build_within(&rows, &kb, &matcher, at, at, Duration::ZERO);
    assert!(cut.groups.is_empty());
    assert_eq!(
        cut.not_grouped,
        Some(NotGrouped {
            count: 3,
            distinct: 2,
            reason: LeftOut::TimeBudget,
            budget_ms: 0,
        })
    );
    // The counts do not depend on grouping.
    assert_eq!(cut.decisions, full.decisions);
    let text = cut.to_text();
    assert!(!text.contains("  none\n  3 questions"), "{text}");
    assert!(
        text.contains("  3 questions not grouped (2 distinct): time budget (0 s) reached\n"),
        "{text}"
    );
    let json = serde_json::to_value(&cut).unwrap();
    assert_eq!(
        json["not_grouped"],
        serde_json::json!({"count": 3, "distinct": 2, "reason": "time_budget", "budget_ms": 0})
    );
    assert_eq!(
        serde_json::to_value(&full).unwrap()["not_grouped"],
        serde_json::Value::Null
    );
    // What the command line says of the budget: see the cli's tests.
}

#[test]
fn questions_are_compared_by_as_much_as_the_matcher_reads() {
    let kb = KnowledgeBase::embedded().unwrap();
    let config = MatcherConfig {
        max_question_chars: 20,
        ..MatcherConfig::default()
    };
    let matcher = Matcher::new(&kb, config);
    let at = 1_795_910_400;
    let rows = vec![
        row(
            1,
            at,
            "what is the weather in busan today",
            Decision::Decline,
            None,
        ),
        row(
            2,
            at,
            "What is the weather in Busan, tomorrow?",
            Decision::Decline,
            None,
        ),
    ];
    let report = Report::build(&rows, &kb, &matcher, at, at);
    assert_eq!(report.groups.len(), 1);
    let asked = &report.groups[0].questions;
    assert_eq!(asked.len(), 1, "one question, as far as the matcher reads");
    assert_eq!(asked[0].count, 2);
    assert_eq!(asked[0].question, "what is the weather in busan today");
}

#[test]
fn the_text_report_writes_hidden_characters_out() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let hostile = [
        "\u{202E}txt.exe is step 2?",
        "clear \u{1b}[2J the screen \u{9b}31m",
        "one line\u{2028}or two\u{85}?",
        "\u{2066}isolated\u{2069} \u{200F}marks\u{200E}",
    ];
    let mut rows = declined(&hostile, at);
    rows.push(row(9, at, "\u{202E}picked", Decision::Suggest, None));
    // An entry id comes from the log too.
    rows[4].picked = vec!["step\u{202E}-2".into()];
    let text = Report::build(&rows, &kb, &matcher, at, at).to_text();
    let hidden: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && visible::is_hidden(c))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?} in {text}");
    for shown in [
        "\"\\u202Etxt.exe is step 2?\"",
        "\\u001B[2J",
        "\\u2028or two\\u0085?",
        "\"\\u202Epicked\"",
        "→ step\\u{202e}-2",
    ] {
        assert!(text.contains(shown), "{shown} not in {text}");
    }
}

#[test]
fn picks_come_first_and_similar_misses_are_grouped_with_a_snippet() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let mut rows = vec![
        row(
            1,
            at,
            "how can korea keep its young scientists",
            Decision::Suggest,
            Some("step-2"),
        ),
        row(
            2,
            at,
            "How can Korea keep its young scientists?",
            Decision::Suggest,
            Some("step-2"),
        ),
        row(
            3,
            at,
            "how can korea keep young scientists",
            Decision::Decline,
            None,
        ),
        row(
            4,
            at,
            "과학자를 어떻게 붙잡나요",
            Decision::Suggest,
            Some("step-2"),
        ),
        row(
            5,
            at,
            "what's the best pizza in seoul",
            Decision::Decline,
            None,
        ),
        row(6, at, "best pizza in seoul?", Decision::Decline, None),
    ];
    rows[0].picked = vec!["step-2".into()];
    rows[3].picked = vec!["step-2".into()];
    let report = Report::build(&rows, &kb, &matcher, at, at);
    assert_eq!(report.pairings.len(), 1);
    let pairing = &report.pairings[0];
    assert_eq!(pairing.entry, "step-2");
    assert_eq!(pairing.questions.len(), 2);
    assert!(
        pairing.snippet.contains(
            "add to [[entry]] id = \"step-2\", questions = [ … ]\n    \"how can korea keep its young scientists\",\n"
        ),
        "{}",
        pairing.snippet
    );
    assert!(
        pairing
            .snippet
            .contains("questions_ko = [ … ]\n    \"과학자를 어떻게 붙잡나요\",\n"),
        "{}",
        pairing.snippet
    );
    // The unpicked spelling of the paired question and its near twin
    // form one group; the pizza questions another.
    assert_eq!(report.groups.len(), 2, "{:#?}", report.groups);
    let scientists = &report.groups[0];
    assert_eq!(scientists.count, 2);
    assert_eq!(scientists.questions.len(), 2);
    assert_eq!(scientists.decisions.get(&Decision::Suggest), Some(&1));
    assert!(scientists.suggested_entry.is_some());
    let pizza = &report.groups[1];
    assert_eq!(pizza.count, 2);
    let text = report.to_text();
    let picks = text.find("\"Did you mean\" picks").unwrap();
    let groups = text.find("Declined and low-confidence").unwrap();
    assert!(picks < groups, "{text}");
    // A snippet is valid TOML once wrapped in its array.
    for snippet in [&pairing.snippet, &scientists.snippet, &pizza.snippet] {
        let body: String = snippet.lines().filter(|l| !l.starts_with('#')).collect();
        let wrapped = format!("questions = [{body}]");
        assert!(toml::from_str::<toml::Value>(&wrapped).is_ok(), "{wrapped}");
    }
}

#[test]
fn a_snippet_names_the_table_the_knowledge_base_has() {
    // knowledge.toml's tables are `[[entry]]`; a snippet or README that says
    // `[[entries]]` sends the operator to a table that does not exist.
    let manifest = include_str!("../../knowledge/knowledge.toml");
    assert!(manifest.contains("\n[[entry]]\n"));
    let kb = KnowledgeBase::embedded().unwrap();
    let asked = [Asked {
        question: "how can korea keep its young scientists".into(),
        count: 1,
        lang: Lang::En,
    }];
    let snippet = super::build::snippet(&kb, Some("step-2"), &asked);
    assert!(snippet.contains("[[entry]] id = \"step-2\""), "{snippet}");
    let readme = include_str!("../../README.md");
    assert!(
        !readme.contains("[[entries]]"),
        "README.md says [[entries]]"
    );
}

#[test]
fn a_question_the_knowledge_base_marks_out_of_scope_is_never_proposed_for_an_entry() {
    let kb = KnowledgeBase::embedded().unwrap();
    assert!(
        kb.out_of_scope
            .iter()
            .any(|q| q == "who is the president of korea")
    );
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    assert_eq!(
        matcher.decide("who is the president of korea").decision,
        Decision::Decline
    );
    let at = 1_795_910_400;
    let rows = vec![
        row(
            1,
            at,
            "who is the president of korea",
            Decision::Decline,
            None,
        ),
        row(
            2,
            at,
            "who is the president of korea?",
            Decision::Decline,
            None,
        ),
    ];
    let report = Report::build(&rows, &kb, &matcher, at, at);
    assert_eq!(report.groups.len(), 1, "{:#?}", report.groups);
    let group = &report.groups[0];
    assert_eq!(group.suggested_entry, None, "{group:#?}");
    assert_eq!(group.already_out_of_scope, 1, "{group:#?}");
    assert_eq!(group.snippet, "", "nothing to paste: {group:#?}");
    let text = report.to_text();
    assert!(!text.contains("author"), "{text}");
    assert!(text.contains("already out of scope"), "{text}");
}

#[test]
fn paraphrases_in_other_words_fall_in_one_group() {
    // No letter pair in common to speak of, but the matcher reads both as
    // "failure" (a synonym of the knowledge base); Korean particles and
    // spacing are stripped as the matcher strips them.
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let rows = vec![
        row(
            1,
            at,
            "what does he say about flops",
            Decision::Suggest,
            None,
        ),
        row(2, at, "failures?", Decision::Suggest, None),
        row(
            3,
            at,
            "what's the best pizza in seoul",
            Decision::Decline,
            None,
        ),
        // Synonyms (과학자, 연구원; 해외, 외국) under particles (이, 은, 로, 으로).
        row(
            4,
            at,
            "과학자들이 왜 해외로 떠나나요",
            Decision::Decline,
            None,
        ),
        row(
            5,
            at,
            "연구원은 왜 외국으로 가나요",
            Decision::Decline,
            None,
        ),
    ];
    let report = Report::build(&rows, &kb, &matcher, at, at);
    let groups: Vec<Vec<&str>> = report
        .groups
        .iter()
        .map(|g| g.questions.iter().map(|q| q.question.as_str()).collect())
        .collect();
    assert!(
        groups.contains(&vec!["what does he say about flops", "failures?"]),
        "{groups:?}"
    );
    assert!(
        groups.contains(&vec![
            "과학자들이 왜 해외로 떠나나요",
            "연구원은 왜 외국으로 가나요"
        ]),
        "{groups:?}"
    );
    assert_eq!(groups.len(), 3, "{groups:?}");
}

#[test]
fn the_page_shows_every_logged_question_as_text_and_loads_nothing() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let hostile = [
        "<script>alert(1)</script> step 2?",
        "what </svg><img src=x onerror=alert(2)> is step 1",
        "x\" onload=\"alert(3)\" step 3",
        "\u{202E}txt.exe <b>bold</b>",
    ];
    let mut rows = declined(&hostile, at);
    // Picked, so each is in a proposal too: its TOML in an attribute.
    rows[0].picked = vec!["step-2".into()];
    rows[2].picked = vec!["step-3".into()];
    let mut report = Report::build(&rows, &kb, &matcher, at, at);
    let bench = embedded_bench(&kb);
    report.prove(&kb, &matcher, &bench);
    assert!(!report.proposals.is_empty());
    let page = report.to_html().unwrap();
    // The page's own script, once; no other.
    assert_eq!(page.matches("<script>").count(), 1, "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; step 2?"),
        "{page}"
    );
    // Four charts, each closed once: a question closes none.
    assert_eq!(page.matches("<svg").count(), 4);
    assert_eq!(page.matches("</svg>").count(), 4, "{page}");
    assert!(page.contains("what &lt;/svg&gt;&lt;img src=x onerror=alert(2)&gt; is step 1"));
    assert!(!page.contains("<img"));
    assert!(!page.contains("\" onload="), "{page}");
    assert!(
        page.contains("x&quot; onload=&quot;alert(3)&quot; step 3"),
        "{page}"
    );
    assert!(!page.contains("<b>bold"));
    assert!(
        page.contains("\\u{202e}txt.exe &lt;b&gt;bold&lt;/b&gt;"),
        "{page}"
    );
    // Self-contained: nothing is fetched from anywhere (SVG's namespace is
    // a name, not an address).
    let fetched = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for outside in ["src=\"", "href=", "url(", "@import", "http://", "https://"] {
        assert!(!fetched.contains(outside), "{outside} in the page");
    }
    assert!(page.contains("content=\"default-src 'none';"));
}

#[test]
fn a_proposal_is_measured_and_refused_when_it_answers_what_is_out_of_scope_or_gains_nothing() {
    use crate::report::edit::{Addition, Target};
    let kb = KnowledgeBase::embedded().unwrap();
    let bench = embedded_bench(&kb);
    let add = |target: Target, question: &str| {
        bench.measure(&[Addition {
            target,
            questions: vec![(question.to_owned(), Lang::En)],
        }])
    };
    // What the old report advised: the author's note for a question the
    // knowledge base lists as out of scope. Measured, it is refused.
    let president = add(
        Target::Entry("author".into()),
        "who is the president of korea",
    );
    let refused = president.refused.clone().unwrap_or_default();
    assert!(
        refused.starts_with("[out_of_scope] questions would drop from "),
        "{president:#?}"
    );
    // Already answered so: nothing to gain.
    let known = add(Target::Entry("step-1".into()), "what is step 1");
    assert_eq!(known.answers_before.right, 1);
    assert!(
        known
            .refused
            .as_deref()
            .unwrap_or("")
            .starts_with("it gains nothing"),
        "{known:#?}"
    );
    // A copy that fails check says so, with the problem.
    let unknown = add(Target::Entry("no-such-entry".into()), "anything");
    assert!(unknown.refused.is_some() && !unknown.problems.is_empty());
    // A good one: answered after, not before, no floor lower.
    let good = add(
        Target::Entry("step-2".into()),
        "how do we keep young researchers in korea",
    );
    assert_eq!(good.refused, None, "{good:#?}");
    assert_eq!((good.answers_before.right, good.answers.right), (0, 1));
    assert!(good.floors.iter().all(|f| f.after.right >= f.before.right));
}

#[test]
fn dropped_questions_are_counted_apart_and_never_grouped() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let at = 1_795_910_400;
    let mut rows: Vec<LoggedQuestion> = (0..8)
        .map(|i| row(i + 1, at, "who won the world cup", Decision::Dropped, None))
        .collect();
    rows.push(row(
        9,
        at,
        "what is step 1",
        Decision::Answer,
        Some("step-1"),
    ));
    rows.push(row(10, at, "best pizza in seoul", Decision::Decline, None));
    let report = Report::build(&rows, &kb, &matcher, at, at + 60);
    assert_eq!(report.questions, 10);
    assert_eq!(report.decisions.dropped, 8);
    assert_eq!(report.decisions.dropped_share, 0.8);
    assert_eq!(report.decisions.answered, 1);
    assert_eq!(report.days[0].dropped, 8);
    // Never read, so nothing to learn from: not among the unanswered.
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("world cup"), "{json}");
    let text = report.to_text();
    assert!(text.contains("dropped unread 8 (80%)"), "{text}");
    // A report without drops does not mention them.
    let calm = Report::build(&rows[8..], &kb, &matcher, at, at + 60);
    assert!(!calm.to_text().contains("dropped"), "{}", calm.to_text());
}

#[test]
fn follow_ups_are_counted_apart_in_text_and_html() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let day = 1_795_910_400;
    let mut rows = vec![
        row(1, day, "what is step 1", Decision::Answer, Some("step-1")),
        row(
            2,
            day + 10,
            "and the next one?",
            Decision::Answer,
            Some("step-2"),
        ),
        row(
            3,
            day + 20,
            "what is step 3",
            Decision::Answer,
            Some("step-3"),
        ),
    ];
    rows[1].context = Some("step-1".into());
    let report = Report::build(&rows, &kb, &matcher, day - 60, day + 60);
    assert_eq!(report.follow_ups, 1);
    let text = report.to_text();
    assert!(
        text.contains("follow-ups 1 (33%): answered with the conversation's context"),
        "{text}"
    );
    let html = report.to_html().unwrap();
    assert!(
        html.contains("1 of the questions were follow-ups"),
        "{html}"
    );
    // A log with no follow-up says nothing of them.
    rows[1].context = None;
    let report = Report::build(&rows, &kb, &matcher, day - 60, day + 60);
    assert!(!report.to_text().contains("follow-ups"));
}

#[test]
fn a_proposals_measured_effect_is_shown_in_text_json_and_html() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let labelled =
        std::env::temp_dir().join(format!("qabot-report-effect-{}.tsv", std::process::id()));
    std::fs::write(
        &labelled,
        "expected\tcategory\tquestion\nstep-1\tp\twhat is step 1\nstep-2\tp\twhat is the second step\ndecline\to\twhat is the weather in seoul\n",
    )
    .unwrap();
    let bench = Workbench::new(
        "<embedded>",
        KnowledgeBase::embedded_manifest().to_owned(),
        &kb,
        &MatcherConfig::default(),
        std::slice::from_ref(&labelled),
    );
    let _ = std::fs::remove_file(&labelled);
    let at = 1_795_910_400;
    let mut rows = vec![
        row(
            1,
            at,
            "how do we keep young researchers in korea",
            Decision::Suggest,
            None,
        ),
        // Answered already, only voted down: adding it gains nothing.
        row(2, at, "what is step 1", Decision::Answer, Some("step-1")),
        row(3, at, "what is step 1", Decision::Answer, Some("step-1")),
        row(
            4,
            at,
            "where is the best pizza in seoul",
            Decision::Decline,
            None,
        ),
    ];
    rows[0].picked = vec!["step-2".into()];
    rows[1].votes_down = 2;
    rows[2].votes_up = 1;
    let mut report = Report::build(&rows, &kb, &matcher, at, at);
    report.prove(&kb, &matcher, &bench);
    let name = labelled.display().to_string();
    let numbers: Vec<(usize, Option<&str>)> = report
        .proposals
        .iter()
        .map(|p| (p.number, p.effect.refused.as_deref()))
        .collect();
    assert_eq!(numbers.len(), 3, "{:#?}", report.proposals);
    assert_eq!(numbers[0], (1, None));
    let refused = numbers[1].1.unwrap_or_default();
    assert!(refused.starts_with("it gains nothing"), "{numbers:?}");

    let text = report.to_text();
    for line in [
        "  1. add 1 question to [[entry]] \"step-2\": answers 1 of 1 (now 0)\n      check passes\n",
        &format!("      {name:<40} 3/3 → 3/3\n"),
        "      [out_of_scope] questions",
        &format!(
            "    apply with: qabot report --apply 1@{} (and this report's --since)\n",
            report.proposals[0].code
        ),
        "  2. add 1 question to [[entry]] \"step-1\": answers 1 of 1 (now 1)\n",
        "    not advised: it gains nothing",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }

    let json: serde_json::Value = serde_json::to_value(&report).unwrap();
    let effect = &json["proposals"][0]["effect"];
    // Answers after, and before: 1 and 0 of 1.
    let answers =
        [&effect["answers"], &effect["answers_before"]].map(|f| (&f["right"], &f["total"]));
    assert_eq!(answers, [(&1.into(), &1.into()), (&0.into(), &1.into())]);
    let right_of_three = serde_json::json!({"right": 3, "total": 3});
    assert_eq!(
        effect["floors"][0],
        serde_json::json!({"name": name, "before": right_of_three, "after": right_of_three})
    );
    assert_eq!(json["labelled_files"], serde_json::json!([name]));

    let page = report.to_html().unwrap();
    for part in [
        // Each proposal: what it answers now and before, check, each floor
        // before and after, whether it is advised, and its TOML to copy.
        "answers 1 of 1 of them (now 0); <span class=\"ok\">check passes</span>",
        &format!("<td>{name}</td><td class=\"n\">3/3</td><td class=\"n\">3/3</td>"),
        &format!(
            "<p class=\"ok\">Advised: <code>qabot report --apply 1@{}</code></p>",
            report.proposals[0].code
        ),
        "<p class=\"no\">Not advised: it gains nothing",
        "data-toml=\"# knowledge.toml, add to [[entry]] id = &quot;step-2&quot;",
        // The most asked entries with their votes.
        "<td>step-1</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">2</td>",
        // The declined groups.
        "<li>where is the best pizza in seoul</li>",
    ] {
        assert!(page.contains(part), "{part:?} not in the page\n{page}");
    }
}

#[test]
fn a_file_that_fails_once_written_is_put_back_byte_for_byte() {
    use crate::report::apply::{ApplyError, apply};
    use crate::report::edit::Target;
    let dir = std::env::temp_dir().join(format!("qabot-report-apply-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    for file in ["knowledge.toml", "column.txt"] {
        std::fs::copy(project.join(file), dir.join(file)).unwrap();
    }
    let manifest = dir.join("knowledge.toml");
    let before = std::fs::read(&manifest).unwrap();
    let kb = KnowledgeBase::load_dir(&dir).unwrap();
    let config = MatcherConfig::default();
    let bench = Workbench::new(
        &manifest.display().to_string(),
        String::from_utf8(before.clone()).unwrap(),
        &kb,
        &config,
        &[],
    );
    let questions = vec![Asked {
        question: "how do we keep young researchers in korea".into(),
        count: 1,
        lang: Lang::En,
    }];
    let target = Target::Entry("step-2".into());
    let proposal = Proposal {
        number: 1,
        effect: bench.measure(&[super::addition(&target, &questions)]),
        target,
        questions,
        toml: String::new(),
        code: String::new(),
    };
    assert_eq!(proposal.effect.refused, None, "{:#?}", proposal.effect);
    // Measured good in memory; but the column changed on disk meanwhile,
    // so the knowledge base read back from the written file fails check.
    let mut column = std::fs::read_to_string(dir.join("column.txt")).unwrap();
    column.push_str("\n\nA paragraph no passage quotes.\n");
    std::fs::write(dir.join("column.txt"), column).unwrap();

    let error = apply(&dir, &bench, &config, &[], &[&proposal]).unwrap_err();
    let ApplyError::Refused { why, .. } = &error else {
        panic!("{error}");
    };
    assert!(
        why.starts_with("the file as written fails check"),
        "{error}"
    );
    assert!(std::fs::read(&manifest).unwrap() == before, "byte for byte");
    let mut left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["column.txt", "knowledge.toml"]);
    let _ = std::fs::remove_dir_all(&dir);
}

//! Matcher behaviour, table-driven over the built-in knowledge base.

use super::*;
use crate::knowledge::KnowledgeBase;
use crate::names::assert_names;

fn matcher() -> (KnowledgeBase, Matcher) {
    let kb = KnowledgeBase::embedded().unwrap();
    let m = Matcher::new(&kb, MatcherConfig::default());
    (kb, m)
}

/// What a question should get: an entry id, "smalltalk" or "decline".
fn verdict(kb: &KnowledgeBase, m: &Matcher, q: &str) -> String {
    let o = m.decide(q);
    match o.decision {
        Decision::Answer => kb.entries[o.best.unwrap().entry].id.clone(),
        Decision::Suggest => "suggest".into(),
        Decision::Smalltalk => "smalltalk".into(),
        Decision::Decline | Decision::Dropped => "decline".into(),
        Decision::Clarify => "clarify".into(),
    }
}

/// The decision on `q` and the ids of the entries it suggests, in order.
fn offered<'k>(kb: &'k KnowledgeBase, m: &Matcher, q: &str) -> (Decision, Vec<&'k str>) {
    let o = m.decide(q);
    let ids = o
        .suggestions
        .iter()
        .map(|c| kb.entries[c.entry].id.as_str())
        .collect();
    (o.decision, ids)
}

/// [`verdict`] of a matcher built with these weights.
fn verdict_with(kb: &KnowledgeBase, weights: Weights, q: &str) -> String {
    let m = Matcher::with_weights(kb, MatcherConfig::default(), weights);
    verdict(kb, &m, q)
}

#[test]
fn decisions_table() {
    let (kb, m) = matcher();
    let cases: &[(&str, &str)] = &[
        // wishes that close a message carry no topic
        ("bye, have a good day", "smalltalk"),
        // how anyone answered the column or its critics is not in it
        ("how did the government react to this op-ed?", "decline"),
        ("how did the ministry respond to the criticism?", "decline"),
        // nothing but acknowledgement, whatever "enough" or "mind" name
        // in the knowledge base
        ("fair enough, thanks", "smalltalk"),
        ("haha ok never mind", "smalltalk"),
        ("아 ㅋㅋ 안녕", "smalltalk"),
        ("not enough scientists?", "korea-shortage"),
        // an age or a birth asked of the bot is no one's in the column
        ("how old are you?", "smalltalk"),
        ("when were you born?", "smalltalk"),
        ("what's your age?", "smalltalk"),
        ("when was liang born?", "deepseek-liang"),
        ("can you tell me how old he is?", "deepseek-liang"),
        ("ok never mind, what about china?", "china"),
        // "op-ed" frames the question as "column" does
        ("does the op-ed say anything about China?", "china"),
        // "ones" stands for what was named before it, never the number
        (
            "the column describes AI arriving in waves — which ones?",
            "ai-waves",
        ),
        // which step is about something: the step that is, not the list
        // of steps nor a decline for a step word matched as unknown
        ("which step talks about failure?", "step-1"),
        ("which of the steps deals with going abroad?", "step-3"),
        ("which recommendation deals with hierarchy?", "step-2"),
        ("해외 학회 지원 얘기는 몇 번째 제안이야?", "step-3"),
        ("어느 단계가 실패 얘기야?", "step-1"),
        // …but only a step that explains all of what is asked
        ("which step is about AI regulation?", "suggest"),
        // a fact asked of the text itself is only the passages about the
        // text to give: the AI history's years are no date of the column's
        ("이 칼럼 언제 나왔어?", "decline"),
        ("what year is this column from?", "decline"),
        ("what's the author's name?", "author"),
        // a verb of saying or judging that no entry uses only frames the
        // question; it does not count as a word of another matter
        (
            "does the author blame the popularity of medicine for anything?",
            "rd-budget",
        ),
        (
            "what are the three big currents of AI development he describes?",
            "ai-waves",
        ),
        ("what AI developments does the column describe?", "ai-waves"),
        (
            "what stages of AI development does the author describe?",
            "ai-waves",
        ),
        // a word shifting a step shifts only within its own sentence: "after
        // one year" in the asker's story is no "step after step one"
        (
            "My grant got pulled after one year because we didn't hit the milestones. What does the column say the government should do about risky projects?",
            "step-1",
        ),
        // a company's chief is its CEO (the knowledge base's synonyms)
        (
            "How did the DeepSeek chief approach talent differently?",
            "deepseek-liang",
        ),
        // what happened is told by a passage of events, not a proposal
        // (step 1 asks how the government should fund research)
        (
            "What happened to government research money in Korea?",
            "rd-budget",
        ),
        // the knowledge base counts its waves, and calls them stages too:
        // three stages are those, not the three steps
        (
            "The writer groups AI progress into three stages, what are they?",
            "ai-waves",
        ),
        // "agree" after the writer frames the question as "says" does
        ("does the author agree with tolerating failure?", "step-1"),
        (
            "does the writer agree that labs need more autonomy?",
            "step-2",
        ),
        ("thanks, have a nice day", "smalltalk"),
        ("have a good one", "smalltalk"),
        ("what is the writer's day job", "author"),
        // ordinals
        ("what is the second step?", "step-2"),
        ("step 1", "step-1"),
        ("3rd step", "step-3"),
        ("두 번째 단계가 뭐야?", "step-2"),
        // a verb asking to be shown, in any form, carries no topic
        ("알파고 얘기 나오는 부분 보여줘", "ai-waves"),
        ("what are the three steps", "overview"),
        // a summary asked of a topic is of that topic; alone, or of the
        // column named by its title, of the whole column
        ("결론 부분 summary 해줘", "conclusion"),
        ("summary of the conclusion", "conclusion"),
        ("요약해줘", "overview"),
        // the Korean word for it inside a verb ("요약해줘") asks the same
        ("알파고 언급한 부분 좀 요약해줘", "ai-waves"),
        ("tldr of the stem crisis column pls", "overview"),
        // a name asked for: what kind of answer, not about what
        ("딥시크 CEO 이름이 뭐야?", "deepseek-liang"),
        ("what's the name of DeepSeek's AI search engine?", "decline"),
        // the author was KIST's president: who is its president now, the
        // column does not say; what he was, it does
        ("who is the current president of KIST?", "decline"),
        // experiments are not experience, whatever the stemmer says
        (
            "what did deepseek's engineers do differently when experiments went wrong?",
            "deepseek-failure",
        ),
        ("was the author president of KIST?", "author"),
        ("이름이 뭐야?", "smalltalk"),
        // particles written onto an English word, an honorific after a
        // name, and "here"/"there" carry no topic
        ("윤석진 씨는 KIST에서 무슨 직책이에요?", "author"),
        // "있었어" (was) says nothing of what: KIST does
        ("KIST에서 무슨 자리에 있었어?", "author"),
        ("여기 나온 중국 회사 CEO는?", "deepseek-liang"),
        // "now" and any form of 어떻다 ("how is it") carry no topic
        ("중국 AI 지금 어떻다고 해?", "china"),
        // the author's stance frames the question, whatever word says it
        ("is the writer okay with scientists failing?", "step-1"),
        (
            "what is the author's explanation for china's success?",
            "china",
        ),
        // how a question is put in a group carries no topic
        (
            "ok serious q 😤 @bot what should the government do for researchers",
            "step-1",
        ),
        // "manage to" says that it was done, not how anything is managed
        (
            "According to the piece, how did China manage to become an AI leader?",
            "china",
        ),
        // the problem the column finds in Korea, not a keyword phrase of
        // DeepSeek's passage ("core problems", once in the knowledge base)
        ("what's the core problem in Korea?", "korea-shortage"),
        // typos
        ("wat is the secnd stepp", "step-2"),
        // keywords
        ("20 percent free time", "step-2"),
        ("deepseek founder", "deepseek-liang"),
        // Korean
        ("딥시크 창업자는 누구야", "deepseek-liang"),
        // an idiom's ordinal names no step
        (
            "why is there a shortage in the first place?",
            "korea-shortage",
        ),
        ("first of all, what is step 2", "step-2"),
        // "chief executive" spelled out for the passage's "CEO"
        (
            "who is the chief executive officer of deepseek",
            "deepseek-liang",
        ),
        ("연구개발 예산 삭감", "rd-budget"),
        // "stand for" asks what a name is, as "what is" does
        ("What does KIST stand for?", "author"),
        // "end up" says when, not what: the ending is no topic
        ("what did his team end up building?", "deepseek-failure"),
        // the copula's past after a question word: "언제였어" asks "when"
        ("알파고는 언제였어?", "ai-waves"),
        // bare topic words the entry knows, beside an out-of-scope
        // question asking more of the same words
        ("한국 R&D 예산", "rd-budget"),
        ("what is korea's r&d budget this year", "decline"),
        // …but a fact asked with the words is no bare topic: the author's
        // passage gives no age, whoever else's does ("몇 살" apart or not)
        ("저자 나이가 몇 살이에요?", "decline"),
        ("저자 나이가 몇살이에요?", "decline"),
        ("량원펑 나이 몇 살이야?", "deepseek-liang"),
        // chatter
        ("lol ok but who wrote this column", "author"),
        // a misspelt word for the column frames the question all the same
        ("who is the autor of this colum", "author"),
        ("hey guys, which newspaper ran this?", "source"),
        // a question after an aside to the rest of the group
        (
            "tldr anyone? @bot what's the bottom line of the column",
            "conclusion",
        ),
        // a slip in a word that says nothing does not count as an unknown word
        ("In whixh two areas has China become a leader?", "china"),
        (
            "Why has China done so well in AI accordong to the writer?",
            "china",
        ),
        // "story" frames what is asked, as "piece" does: it names no topic
        ("what's Liang's story?", "deepseek-liang"),
        // the column's own title names the column, not its topics
        (
            "Who is the author of \"Three steps to solve Korea's STEM crisis\"?",
            "author",
        ),
        // small talk
        ("hi", "smalltalk"),
        ("thanks!", "smalltalk"),
        ("thanks, that was informative", "smalltalk"),
        ("안녕하세요", "smalltalk"),
        ("what's your name", "smalltalk"),
        ("how does this work?", "smalltalk"),
        ("넌 누구니?", "smalltalk"),
        ("ㄳㄳ", "smalltalk"),
        ("안녕히 계세요", "smalltalk"),
        ("봇 맞아?", "smalltalk"),
        // the same words as the topic beside other words
        ("저자가 누구야", "author"),
        ("who made alphago", "decline"),
        // the same asked in Korean with no question word: the maker noun
        // after the verb asks it
        ("알파고 만든 회사는?", "decline"),
        // 기간 is the passage's "period" (a Korean synonym)
        ("처음에 성과 없던 기간이 얼마나 됐어?", "deepseek-liang"),
        ("딥시크 만든 사람은?", "deepseek-liang"),
        ("wrong", "smalltalk"),
        (
            "what's wrong with korean research institutes",
            "hiring-and-institutes",
        ),
        // framing words and reported speech are not the topic
        ("what does the column say about china", "china"),
        ("칼럼에서 중국 얘기 뭐라고 나와?", "china"),
        (
            "@qabot jisoo says institutes copy old formulas, is that in there",
            "hiring-and-institutes",
        ),
        // ordinals in other shapes
        ("what's step number one", "step-1"),
        ("the last of the three steps", "step-3"),
        // title words naming the column frame the question
        ("the author of the STEM column", "author"),
        // a step picked from a set counted in Korean, after an interjection
        ("아 칼럼에 나온 개혁 3가지 중 첫번째 뭐였지", "step-1"),
        (
            "아 칼럼 필자가 제시한 개혁안 중에 두 번째 말하는 거야",
            "step-2",
        ),
        ("마지막 단계는?", "step-3"),
        // a step named by what it is about, and the one after or before it
        ("the one after the failure-tolerance step", "step-2"),
        ("what comes before the conferences step?", "step-2"),
        ("실패 용인 단계 다음 거", "step-2"),
        // The word for a step between its ordinal and "다음" is part of
        // the reference, not a topic that some steps' questions use.
        ("두 번째 해결책 다음 거", "step-3"),
        // out of scope
        ("what's the US doing about STEM talent", "decline"),
        (
            "does google still have the 20 percent time thing",
            "decline",
        ),
        ("is yoon seok jin married", "decline"),
        ("how much do kist researchers earn", "decline"),
        ("딥시크 주식 살 수 있어?", "decline"),
        ("what's the weather in seoul tomorrow", "decline"),
        ("how do I bake sourdough bread", "decline"),
        ("오늘 점심 뭐 먹지", "decline"),
        // a stop verb's other forms are as empty as it is
        ("what does he say about letting researchers fail?", "step-1"),
        // a word of an out-of-scope question is real, no typo: "직원"
        // (staff) is not the entries' "지원" (support)
        ("직원 수는?", "decline"),
        ("딥시크 직원 수는?", "decline"),
        // a story's clause that matches best does not turn the asker's
        // own request into a question about the column
        (
            "I'm a software engineer thinking about moving to China for a job at an AI lab. \
             My wife is not sure. Should I take it?",
            "decline",
        ),
        // a bare request for a summary beside a question says how to
        // answer it, not what about
        ("summary? how does it end", "conclusion"),
        ("tl;dr?", "overview"),
        // the verb "go" asks nothing about the game of Go
        ("which countries should they go to?", "decline"),
    ];
    let mut wrong = Vec::new();
    for (q, want) in cases {
        let got = verdict(&kb, &m, q);
        if got != *want {
            wrong.push(format!("{q:?}: want {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Chat that takes itself back, and a judging word alone, are small talk;
/// beside a topic the same words leave the question as it was.
#[test]
fn chat_and_judging_words_table() {
    let kb = crate::knowledge::with_steps(3);
    let m = Matcher::new(&kb, MatcherConfig::default());
    let cases: &[(&str, &str)] = &[
        ("wrong", "smalltalk"),
        ("oh sorry wrong chat", "smalltalk"),
        ("problem?", "smalltalk"),
        ("lol nvm", "smalltalk"),
        ("ㅋㅋ 아 미안", "smalltalk"),
        ("오키 땡큐", "smalltalk"),
        ("sorry, what about the lanterns", "step-3"),
        ("미안, gardens 건설은?", "step-1"),
    ];
    for &(q, want) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
    }
}

#[test]
fn same_input_same_outcome() {
    let (_, m) = matcher();
    for q in ["step 2", "딥시크", "", "   ", "🙂", "\u{200b}\u{202e}"] {
        assert_eq!(m.decide(q), m.decide(q));
    }
}

#[test]
fn long_questions_are_cut_and_flagged() {
    let (_, m) = matcher();
    let long = "what is the second step ".repeat(1000);
    let o = m.decide(&long);
    assert!(o.truncated);
    assert!(!m.decide("step 2").truncated);
}

/// Function words as chat spells them read as the words they stand for:
/// "wat are teh steps" asks what "what are the steps" asks, with no
/// unknown word.
#[test]
fn chat_spellings_of_stop_words_are_stop_words() {
    let (_, m) = matcher();
    let cases: &[(&str, &str)] = &[
        ("wat are teh three steps", "what are the three steps"),
        (
            "wht does he say abt failure",
            "what does he say about failure",
        ),
        (
            "dunno wich step is about failure",
            "which step is about failure",
        ),
        // "one" stands for a thing named elsewhere ("quick one", "which
        // one"), though the column has "as one of the world's …".
        ("quick one, who's the author", "who's the author"),
    ];
    for &(chat, written) in cases {
        let (a, b) = (
            m.index.analyze_query(chat).keys(),
            m.index.analyze_query(written).keys(),
        );
        assert_eq!(a, b, "{chat}");
    }
}

/// Words run together and split apart weigh the same as written right.
#[test]
fn segmentation_table() {
    let (_, m) = matcher();
    let cases: &[(&str, &str)] = &[
        ("freetime", "free time"),
        ("researchfunding", "research funding"),
        ("whatis step two", "step two"),
        // A Korean question word run onto a known word ("누가썼어").
        ("이 칼럼 누가썼어", "이 칼럼 누가 썼어"),
    ];
    for &(merged, written) in cases {
        let (a, b) = (
            m.index.analyze_query(merged).known_weight(),
            m.index.analyze_query(written).known_weight(),
        );
        assert!(a > 0.0 && (a - b).abs() < 0.05 * b, "{merged}: {a} vs {b}");
    }
    // A real word is never two: "gotten" holds no "ten".
    let whole: &[(&str, &str)] = &[("why has china gotten so strong", "ten")];
    for &(q, part) in whole {
        let part = m.index.analyze_query(part).keys();
        let keys = m.index.analyze_query(q).keys();
        assert!(part.iter().all(|k| !keys.contains(k)), "{q}");
    }
}

/// A step word run into the word before or after it is read as a step
/// reference all the same; a stop word made of two ("anything") is left
/// whole.
#[test]
fn step_words_run_together_table() {
    let (kb, m) = matcher();
    let cases: &[(&str, &str)] = &[
        ("what are the threesteps", "overview"),
        ("firststep", "step-1"),
        ("what'sstep #2 about", "step-2"),
        ("what's the thirdrecommendation", "step-3"),
        ("the finalstep", "step-3"),
    ];
    for &(q, want) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
    }
    // Where the space goes back, and where it does not: a stop word made
    // of two words ("anything", "everyone") stays whole.
    let spaced: &[(&str, Option<&str>)] = &[
        ("threesteps", Some("three steps")),
        ("what'sstep one", Some("what's step one")),
        ("does it say anything about failure", None),
        ("ask everyone", None),
        ("freetime", None),
    ];
    for &(q, want) in spaced {
        assert_eq!(m.index.space_run_together(q).as_deref(), want, "{q}");
    }
}

/// Transposed letters are one edit: the word is found.
#[test]
fn transpositions_table() {
    let (kb, m) = matcher();
    let cases: &[(&str, &str)] = &[
        ("waht is the frist step", "step-1"),
        ("deepsek fuonder", "deepseek-liang"),
    ];
    for &(q, want) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
    }
}

/// A question asking for a fact of a kind the passage lacks (a name, a
/// year, a share) about a thing the column names is not answered.
#[test]
fn near_miss_table() {
    let (kb, m) = matcher();
    let cases: &[&str] = &[
        "which minister slashed the R&D budget",
        // a word describing the person asked for
        "Which Korean minister was responsible for the R&D budget cut?",
        "in what year did the author become head of KIST",
        "what percentage of the R&D budget was cut",
        // naming the steps does not make their uptake a fact the column gives
        "Did the Korean government adopt any of these three steps after the column came out?",
        "has the korean government actually done any of this?",
        // a story that matches best, then the question asking the fact
        "My students keep complaining about the government trimming R&D money these days. How much money was cut?",
    ];
    for &q in cases {
        assert_ne!(
            m.decide(q).decision,
            Decision::Answer,
            "{q}: {}",
            verdict(&kb, &m, q)
        );
    }
}

/// A question asking what an actor should do is answered by the passage
/// that recommends it, not by one describing that actor elsewhere (the
/// column's China passage credits "strong government support").
#[test]
fn what_should_be_done_table() {
    let (kb, m) = matcher();
    let cases: &[(&str, &str)] = &[
        ("What should the state do for its scientists?", "step-1"),
        ("what does he want the government to do?", "step-1"),
        ("what does he want from the government?", "step-1"),
        (
            "which changes does Korea need to make for its engineers?",
            "overview",
        ),
        ("정부는 뭘 해야 한대?", "step-1"),
        // Asked what it did, the description stands.
        (
            "what did the chinese government do for STEM talent?",
            "china",
        ),
    ];
    for &(q, want) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
    }
}

/// The asker's own story beside the question does not count against it.
#[test]
fn evidence_about_the_asker_table() {
    let (kb, m) = matcher();
    let cases: &[(&str, &str)] = &[
        (
            "I manage a tiny chemistry group in Busan and my sponsors want deliverables every quarter. Does the author say how research should be evaluated?",
            "step-1",
        ),
        (
            "@qabot step two please, I'm on the bus and the link won't open",
            "step-2",
        ),
        // A well-known other name in the asker's story says where the
        // asker is; asked about, or said in a group chat, it is the topic.
        (
            "My lab can't pay for me to fly to a conference in Japan this year. Does the column say anything about support for that?",
            "step-3",
        ),
        ("Minsu: what about Japan's STEM policy?", "decline"),
        // "made" is a word only out-of-scope questions use ("who made
        // AlphaGo?"); as common as it is, it says little here.
        ("what made china successful in AI?", "china"),
        ("which government made the cuts?", "decline"),
    ];
    for &(q, want) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
    }
}

/// A question asked beside a long story of known words is judged as
/// asked: the story's words do not dilute it below answering, on a tiny
/// knowledge base whatever the weights of the built-in one.
#[test]
fn a_question_beside_a_long_story_is_judged_as_asked() {
    let kb = crate::knowledge::with_steps(3);
    let question = "Our town argued about gardens and bridges and the plan for months, \
                    and every part of it went to the council. What about lanterns?";
    let decide = |asked_clause| {
        // The story's own entry is not offered beside it: this is about
        // how the question is judged.
        let weights = Weights {
            asked_clause,
            story_choice: 2.0,
            ..Weights::default()
        };
        verdict_with(&kb, weights, question)
    };
    assert_eq!(decide(Weights::default().asked_clause), "step-3");
    // Judged by its share of the message's known words, it is not answered.
    assert_ne!(decide(0.0), "step-3");
}

/// A request for advice for the asker is declined even when it shares a
/// topic with an entry: the column advises a country, not the reader.
#[test]
fn a_personal_request_sharing_a_topic_is_declined() {
    let kb = KnowledgeBase::embedded().unwrap();
    let question = "should I go abroad for a conference?";
    let decide = |personal| {
        let weights = Weights {
            personal,
            ..Weights::default()
        };
        verdict_with(&kb, weights, question)
    };
    assert_eq!(decide(Weights::default().personal), "decline");
    // At the factor used before it was fitted, it was answered.
    assert_ne!(decide(0.7), "decline");
}

/// A question asking for the whole set of steps asks for it, whatever
/// the story beside it is about.
#[test]
fn a_question_for_all_the_steps_is_answered_whatever_the_story() {
    let (kb, m) = matcher();
    let question = "I run a lab and my team never has time to chase its own ideas. \
                    What are the main proposals?";
    assert_eq!(verdict(&kb, &m, question), "overview");
}

/// When the story beside a question is itself about another entry, good
/// enough to offer, the question read alone is not answered over it: both
/// are offered.
#[test]
fn a_story_about_another_entry_turns_the_answer_into_a_choice() {
    let kb = crate::knowledge::with_steps(3);
    let m = Matcher::new(&kb, MatcherConfig::default());
    let question =
        "We keep talking about who gets bridges and why build bridges. What about lanterns?";
    assert_eq!(
        offered(&kb, &m, question),
        (Decision::Suggest, vec!["step-3", "step-2"])
    );
    // The question alone is answered.
    assert_eq!(verdict(&kb, &m, "What about lanterns?"), "step-3");
    // A story that ranks the question's entry level with its own does not
    // disagree: "the steps" hold the first.
    let (kb, m) = matcher();
    let question = "I mean the steps. What's the first step?";
    assert_eq!(verdict(&kb, &m, question), "step-1");
}

/// A story that gives its own entry a modest score (`Weights::
/// story_choice`) still turns the answer into a choice: the question read
/// alone ("the state of STEM talent" on the step of global talent) is not
/// all the message says.
#[test]
fn a_modest_story_about_another_entry_is_offered_too() {
    let (kb, m) = matcher();
    let q = "I teach biology at a high school in Daejeon, and every year fewer of my top students say they want to study science or engineering at university. My colleagues think it's just a phase. How does the writer describe the state of STEM talent in the country?";
    assert_eq!(
        offered(&kb, &m, q),
        (Decision::Suggest, vec!["step-3", "korea-shortage"])
    );
    let never = Weights {
        story_choice: 2.0,
        ..Weights::default()
    };
    assert_eq!(verdict_with(&kb, never, q), "step-3");
}

/// A long message's clear leader is not answered below the answer
/// threshold when its story is the asker's own and it names neither the
/// text nor its writer: it asks for something of the asker's.
#[test]
fn a_long_personal_story_that_never_names_the_text_is_not_answered_on_its_lead() {
    let (kb, m) = matcher();
    let q = "I'm finishing a physics degree this winter and can't choose between a PhD and a job at LG. My parents want me to pick the safe option. Which path pays better in the long run?";
    assert_eq!(verdict(&kb, &m, q), "decline");
    // Naming the column, the same story asks about it.
    let q = "I'm finishing a physics degree this winter and can't choose between a PhD and a job at LG. My parents want me to pick the safe option. Does the column say why young people avoid science careers?";
    assert_eq!(verdict(&kb, &m, q), "korea-shortage");
}

/// A story beside a question that points at another entry leaves the
/// question's answer alone in two cases, each with its weight; with the
/// weight off, both entries are offered. The question's several words are
/// every one its entry's (`Weights::story_overruled`), or the question
/// ranks two entries alike and the story names one (`Weights::story_tie`).
#[test]
fn a_story_leaves_the_answer_alone_when_the_question_is_clear_or_tied() {
    let (kb, m) = matcher();
    let cases = [
        (
            "My cousin is choosing between medicine and physics, and most of her classmates are heading to med school. Why does the writer say Korea is losing STEM talent?",
            "korea-shortage",
            Weights {
                story_overruled: u8::MAX,
                ..Weights::default()
            },
        ),
        (
            "haha \"failures into assets\" sounds like my whole career 😂 but how did that work out for DeepSeek?",
            "deepseek-failure",
            Weights {
                story_tie: 2.0,
                ..Weights::default()
            },
        ),
    ];
    for (q, want, off) in cases {
        assert_eq!(verdict(&kb, &m, q), want, "{q}");
        let without = Matcher::with_weights(&kb, MatcherConfig::default(), off);
        assert_eq!(offered(&kb, &without, q).0, Decision::Suggest, "{q}");
    }
}

#[test]
fn decisions_and_languages_round_trip_through_the_names_the_log_stores() {
    let decisions = [
        (Decision::Answer, "answer"),
        (Decision::Suggest, "suggest"),
        (Decision::Smalltalk, "smalltalk"),
        (Decision::Decline, "decline"),
        (Decision::Dropped, "dropped"),
        (Decision::Clarify, "clarify"),
    ];
    assert_names(
        &decisions,
        &["Answer", "answered", " answer", "", "command"],
    );
    let langs = [(Lang::En, "en"), (Lang::Ko, "ko")];
    // Unlike `Lang::from_code`: no default and no other spelling.
    assert_names(&langs, &["EN", "ko-KR", "fr", ""]);
    // `--json` shows the same names.
    for (decision, name) in decisions {
        assert_eq!(serde_json::to_value(decision).unwrap(), name);
    }
    for (lang, code) in langs {
        assert_eq!(serde_json::to_value(lang).unwrap(), code);
    }
}

/// A knowledge base of a bridge plan in two parts, the first of them
/// `part_1` (its passage), asked about with `part_1_questions` (TOML
/// strings, comma-separated).
fn bridge_plan(part_1: &str, part_1_questions: &str) -> KnowledgeBase {
    let source = format!("A plan for the bridge.\n\n{part_1}\n\nPart 2: build a second lane.\n");
    let manifest = format!(
        "[source]\ntitle = \"A bridge plan\"\nauthor = \"Test Author\"\npaper = \"Test Paper\"\ntext = \"plan.txt\"\n\n\
        [[entry]]\nid = \"overview\"\nkind = \"overview\"\ntitle = \"The plan\"\npassage = [\"A plan for the bridge.\"]\n\
        questions = [\"what is the plan\", \"summary\", \"list the parts\", \"overview\"]\nquestions_ko = [\"계획 요약\", \"계획이 뭐야\"]\n\n\
        [[entry]]\nid = \"step-1\"\nkind = \"step\"\nstep = 1\ntitle = \"Tolls\"\npassage = [\"{part_1}\"]\n\
        questions = [{part_1_questions}]\nquestions_ko = [\"통행료\", \"통행료 인하\"]\n\n\
        [[entry]]\nid = \"step-2\"\nkind = \"step\"\nstep = 2\ntitle = \"Lanes\"\npassage = [\"Part 2: build a second lane.\"]\n\
        questions = [\"what about lanes\", \"lanes\", \"second lane\", \"wider bridge\"]\nquestions_ko = [\"차선\", \"차선 추가\"]\n"
    );
    KnowledgeBase::from_parts(crate::knowledge::MANIFEST, &manifest, &source)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A knowledge base whose steps say "reduction" and "build", for the
/// derivational-form tests.
fn toll_plan() -> KnowledgeBase {
    bridge_plan(
        "Part 1: a reduction of the tolls.",
        r#""what about tolls", "tolls", "toll reduction", "cheaper crossing""#,
    )
}

/// A long story asked about by a question pointing back at it ("Does the
/// author see this as a problem?") is answered with a smaller lead over the
/// runner-up than other long messages need.
#[test]
fn a_story_asked_about_is_answered_with_a_smaller_lead() {
    let kb = KnowledgeBase::embedded().unwrap();
    let question = "I've been at a national research institute for 10 years and honestly \
                    we just repeat whatever worked before. New ideas get shot down fast. \
                    Does the author see this as a problem?";
    let on = Matcher::new(&kb, MatcherConfig::default());
    let off = Matcher::with_weights(
        &kb,
        MatcherConfig::default(),
        Weights {
            long_lead_story: Weights::default().long_lead,
            ..Weights::default()
        },
    );
    assert_eq!(verdict(&kb, &on, question), "hiring-and-institutes");
    assert_eq!(verdict(&kb, &off, question), "decline");
}

/// A word the knowledge base only uses in another part of speech
/// ("reducing" for its "reduction") counts, for less than the word
/// itself; a word whose own stem it knows ("building") counts in full.
#[test]
fn derivational_forms_reach_the_knowledge_base() {
    let kb = toll_plan();
    let on = Matcher::new(&kb, MatcherConfig::default());
    let off = Matcher::with_weights(
        &kb,
        MatcherConfig::default(),
        Weights {
            derived: 0.0,
            ..Weights::default()
        },
    );
    let known = |m: &Matcher, q: &str| m.index.analyze_query(q).known_weight();
    assert!(known(&on, "reducing") > known(&off, "reducing"));
    assert!(known(&on, "reducing") < known(&on, "reduction"));
    assert_eq!(known(&on, "building"), known(&off, "building"));
    assert_eq!(verdict(&kb, &on, "are they reducing the tolls?"), "step-1");
}

/// Another form of a Korean verb the knowledge base uses ("깎인" for its
/// "깎였어") meets it; with the stems' weight at 0 it counts for nothing.
#[test]
fn korean_verb_forms_meet_at_their_stem() {
    let mut kb_ko = toll_plan();
    kb_ko.entries[1].questions_ko.push("얼마나 깎였어".into());
    let on = Matcher::new(&kb_ko, MatcherConfig::default());
    let off = Matcher::with_weights(
        &kb_ko,
        MatcherConfig::default(),
        Weights {
            conjugated: 0.0,
            ..Weights::default()
        },
    );
    let known = |m: &Matcher, q: &str| m.index.analyze_query(q).known_weight();
    assert!(known(&on, "깎인") > known(&off, "깎인"));
    assert_eq!(verdict(&kb_ko, &on, "깎인 거 맞아?"), "step-1");
    assert_ne!(verdict(&kb_ko, &off, "깎인 거 맞아?"), "step-1");
}

/// "What does TCB stand for?" is answered by the passage that spells the
/// acronym out, though another entry is asked about it more.
#[test]
fn an_acronym_is_answered_where_it_is_spelled_out() {
    let mut kb = bridge_plan(
        "Part 1: the Toll Cut Board (TCB) lowers the tolls.",
        r#""what about tolls", "tolls", "cheaper crossing", "lower tolls""#,
    );
    kb.entries[2].questions.extend([
        "what does the tcb want for lanes".to_owned(),
        "tcb".to_owned(),
        "tcb lanes".to_owned(),
    ]);
    let m = Matcher::new(&kb, MatcherConfig::default());
    assert_eq!(verdict(&kb, &m, "what about the tcb?"), "step-2");
    assert_eq!(verdict(&kb, &m, "what does TCB stand for?"), "step-1");
}

/// "What percent of the lanes…": the word asking for a share counts for
/// less than what the share is of, so a passage holding "20 percent" of
/// something else is no answer on that word alone.
#[test]
fn the_word_asking_for_a_share_says_little_of_its_topic() {
    let kb = bridge_plan(
        "Part 1: tolls fall by 20 percent.",
        r#""what about tolls", "tolls", "toll cut", "20 percent cheaper""#,
    );
    let plain = Weights {
        type_cue: 1.0,
        ..Weights::default()
    };
    let m = Matcher::new(&kb, MatcherConfig::default());
    let full = Matcher::with_weights(&kb, MatcherConfig::default(), plain);
    let known = |m: &Matcher, q: &str| m.index.analyze_query(q).known_weight();
    let q = "what percent of the lanes is new";
    assert!(known(&m, q) < known(&full, q));
    // Asked for no share, the same word counts in full.
    let q = "is it 20 percent";
    assert_eq!(known(&m, q), known(&full, q));
}

/// A request the overview answers, beside a story about one step's matter,
/// asks for that step; beside a story that names no step, for the overview.
#[test]
fn a_story_narrows_a_request_for_the_whole_plan() {
    let kb = toll_plan();
    let on = Matcher::new(&kb, MatcherConfig::default());
    let off = Weights {
        narrowing: 2.0,
        ..Weights::default()
    };
    let cases: &[(&str, &str, &str)] = &[
        // (message, with narrowing, without)
        (
            "I cross the bridge every morning and the tolls eat my salary. What is the plan?",
            "step-1",
            "overview",
        ),
        (
            "My van is stuck in one slow lane for an hour a day. What is the plan?",
            "step-2",
            "overview",
        ),
        // The story names no step: the whole plan is asked for.
        (
            "I drive across every morning. What is the plan?",
            "overview",
            "overview",
        ),
        ("What is the plan?", "overview", "overview"),
        // Asked for all the steps by name, the story narrows nothing.
        (
            "I cross the bridge every morning and the tolls eat my salary. What are the two steps?",
            "overview",
            "overview",
        ),
    ];
    for &(q, with, without) in cases {
        assert_eq!(verdict(&kb, &on, q), with, "{q}");
        assert_eq!(verdict_with(&kb, off, q), without, "{q}");
    }
}

/// A question asking for the steps by a plural ("the main proposals") asks
/// for the set, whatever step its story is nearest: "boss" is step 2's
/// word, but briefing one is no matter of management.
#[test]
fn a_story_narrows_no_request_for_the_steps_as_a_set() {
    let (kb, m) = matcher();
    let story = "My boss wants a quick brief on this column tomorrow and I have not read it.";
    assert_eq!(
        verdict(&kb, &m, &format!("{story} What are the main proposals?")),
        "overview"
    );
    // Asked what the author suggests, the story still narrows it.
    let story = "Our team leader decides everything and juniors never speak up.";
    assert_eq!(
        verdict(&kb, &m, &format!("{story} What does the author suggest?")),
        "step-2"
    );
}

/// A clause of the story that matches better than the question beside it
/// still answers only what the question asks: "…by how much will they
/// drop?" is not answered with a passage that holds no figure.
#[test]
fn a_story_clause_keeps_the_fact_its_question_asks_for() {
    let kb = toll_plan();
    let m = Matcher::new(&kb, MatcherConfig::default());
    let story = "Everyone at work talks about a reduction of the tolls on the bridge.";
    let q = format!("{story} By how much will they drop?");
    let (query, _) = m.analyze(&q);
    assert_eq!(query.asked, Some(answer_type::AnswerType::Amount), "{q}");
    assert!(query.asks_number, "{q}");
    // The first part's passage, with no figure, scores below the story's.
    let score = |q: &str| m.decide(q).best.map_or(0.0, |b| b.score);
    assert_eq!(verdict(&kb, &m, story), "step-1");
    assert!(score(&q) < score(story), "{q}");
}

/// A long message's best entry, far ahead of the rest, is answered below
/// the answer threshold; a short one at the same score, a request of the
/// asker's own, or a long one with no clear lead, is not.
#[test]
fn a_long_message_is_answered_on_a_clear_lead() {
    let kb = toll_plan();
    let m = Matcher::new(&kb, MatcherConfig::default());
    let long =
        "my brother drives his old van over the bridge twice every weekday and pays the tolls";
    let short = "what about the tolls";
    let personal =
        "should I drive my old van over the bridge twice every weekday and pay the tolls";
    let best = |score| Candidate {
        entry: 1,
        score,
        coverage: 0.5,
    };
    // (message, best score, runner-up's, answered)
    let cases: &[(&str, f32, f32, bool)] = &[
        (long, 0.25, 0.15, true),
        (long, 0.25, 0.2, false),
        (long, 0.15, 0.05, false),
        (short, 0.25, 0.15, false),
        (personal, 0.25, 0.15, false),
    ];
    for &(q, score, runner_up, want) in cases {
        let (query, _) = m.analyze(q);
        assert_eq!(
            m.leads_long_message(q, &query, best(score), runner_up),
            want,
            "{q} {score} {runner_up}"
        );
    }
    // On the column: a story about a team leader and side projects, then
    // "does this column propose anything like that?", gets step 2.
    let (kb, m) = matcher();
    let q = "I work at a government-funded research institute in Daejeon. My team leader decides every topic and the juniors basically just execute. I've heard some tech companies let engineers spend part of their week on side projects. Does this column propose anything like that for Korean labs?";
    assert_eq!(verdict(&kb, &m, q), "step-2");
    let strict = Weights {
        long_threshold: 2.0,
        ..Weights::default()
    };
    assert_eq!(verdict_with(&kb, strict, q), "decline");
}

/// A year or a number is one of what its sentence tells of: "when did
/// the ferry stop?" is not answered by the year the tolls were cut, in the
/// sentence before, while "when were the tolls cut?" is.
#[test]
fn a_year_answers_what_its_sentence_tells_of() {
    // The first part gives a year for the tolls and none for the ferry.
    let kb = bridge_plan(
        "Part 1: in 2019 the tolls were cut. The old ferry stopped running as well.",
        r#""what about tolls", "tolls", "the ferry", "cheaper crossing""#,
    );
    let m = Matcher::new(&kb, MatcherConfig::default());
    let score = |q: &str| {
        m.rank(q)
            .iter()
            .find(|c| c.entry == 1)
            .map_or(0.0, |c| c.score)
    };
    let (tolls, ferry) = (
        score("when were the tolls cut?"),
        score("when did the ferry stop?"),
    );
    // Both share as much with the part; only the tolls' sentence has a year.
    assert!(ferry < tolls * 0.75, "{ferry} {tolls}");
    assert_eq!(verdict(&kb, &m, "what happened to the ferry?"), "step-1");
    assert_ne!(verdict(&kb, &m, "when did the ferry stop?"), "step-1");
    // A number asked for, likewise.
    let (tolls, ferry) = (
        score("the tolls were cut, but how many?"),
        score("the ferry stopped, but how many?"),
    );
    assert!(ferry < tolls * 0.75, "{ferry} {tolls}");
}

/// The commonest English words of the asker's story ("four years", "last
/// year") count for less: rare among the entries, they would otherwise
/// outweigh the story's topic words and the message be declined.
#[test]
fn common_words_of_the_askers_story_count_for_less() {
    let kb = KnowledgeBase::embedded().unwrap();
    let question = "I started my PhD two years ago and this year my advisor said there is \
                    no money to send me to conferences overseas. I'm worried I'll fall \
                    behind. What does the column propose on this?";
    let off = Weights {
        common_slope: 0.0,
        ..Weights::default()
    };
    assert_eq!(verdict_with(&kb, Weights::default(), question), "step-3");
    assert_eq!(verdict_with(&kb, off, question), "decline");
}

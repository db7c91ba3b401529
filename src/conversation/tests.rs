//! Conversations over the built-in column: each case is a conversation,
//! each turn what it must be answered with.

use super::*;
use crate::matcher::MatcherConfig;

/// What a turn must get: an entry (by id) or a clarifying question back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Entry(&'static str),
    Clarify,
    /// Anything but a passage or a clarification: small talk, decline.
    NoPassage,
}
use Want::*;

fn got(kb: &KnowledgeBase, turn: &Turn) -> Want {
    match (turn.kind, turn.outcome.decision, turn.outcome.best) {
        (_, Decision::Clarify, _) => Clarify,
        (_, Decision::Answer, Some(best)) => {
            let id = kb.entries[best.entry].id.clone();
            Entry(Box::leak(id.into_boxed_str()))
        }
        _ => NoPassage,
    }
}

fn run(conversations: &[&[(&str, Want)]]) {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    for conversation in conversations {
        let mut context = Context::default();
        for (message, want) in *conversation {
            let turn = talk.answer(&mut context, message);
            assert_eq!(got(&kb, &turn), *want, "{message:?} in {conversation:?}");
        }
    }
}

#[test]
fn next_and_previous_step_in_both_languages() {
    run(&[
        &[
            ("what is the first step", Entry("step-1")),
            ("and the next one?", Entry("step-2")),
            ("next", Entry("step-3")),
            ("the one before", Entry("step-2")),
        ],
        &[
            ("1단계가 뭐야", Entry("step-1")),
            ("다음은?", Entry("step-2")),
            ("그 전 단계", Entry("step-1")),
            ("이전 단계는?", Entry("overview")),
        ],
        &[
            ("what are the three steps", Entry("overview")),
            ("what's next?", Entry("step-1")),
        ],
        &[
            ("what is the last step", Entry("step-3")),
            ("and then?", Entry("conclusion")),
        ],
    ]);
}

/// A walk with a description after it: followed when the description
/// agrees, the description asked on its own when it names another passage.
#[test]
fn a_walk_described_goes_where_the_description_agrees() {
    run(&[
        &[
            ("what is the second step?", Entry("step-2")),
            (
                "go back one, the part about failure being ok",
                Entry("step-1"),
            ),
        ],
        &[
            ("what is the first step?", Entry("step-1")),
            ("next, the part about China", Entry("china")),
        ],
    ]);
}

#[test]
fn why_and_more_follow_the_knowledge_bases_relations() {
    let kb = KnowledgeBase::embedded().unwrap();
    let why = |id: &str| kb.entry(id).unwrap().why.clone().unwrap();
    let more = |id: &str| kb.entry(id).unwrap().more.clone().unwrap();
    let (why_2, more_1) = (why("step-2"), more("step-1"));
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    run(&[
        &[
            ("what's the second step?", Entry("step-2")),
            ("why?", Entry(leak(why_2.clone()))),
        ],
        &[
            ("2단계 뭐야", Entry("step-2")),
            ("왜?", Entry(leak(why_2.clone()))),
        ],
        // "like that" and "become" say no more than "why?".
        &[
            ("2단계 뭐야", Entry("step-2")),
            ("왜 그렇게 된 거야?", Entry(leak(why_2))),
        ],
        // Asking what made it worse asks its cause.
        &[
            (
                "why is korea short of stem talent?",
                Entry("korea-shortage"),
            ),
            ("what made it worse?", Entry(leak(why("korea-shortage")))),
        ],
        &[
            ("what's the first step?", Entry("step-1")),
            ("tell me more", Entry(leak(more_1.clone()))),
        ],
        &[
            ("1단계는?", Entry("step-1")),
            ("자세히", Entry(leak(more_1))),
        ],
        // No passage deepens steps 2 and 3 (they have no `more`): "tell
        // me more" shows the step again rather than another matter's
        // passage, and "any other ideas?" goes on to the next passage.
        &[
            ("what's the third step?", Entry("step-3")),
            ("tell me more", Entry("step-3")),
        ],
        &[("2단계 뭐야", Entry("step-2")), ("자세히", Entry("step-2"))],
        &[
            ("what's the second step?", Entry("step-2")),
            ("any other ideas?", Entry("step-3")),
        ],
    ]);
}

#[test]
fn pronouns_refer_to_what_the_last_passage_was_about() {
    run(&[
        &[
            ("who is the ceo of deepseek", Entry("deepseek-liang")),
            ("when was he born?", Entry("deepseek-liang")),
            ("who is he?", Entry("deepseek-liang")),
        ],
        &[
            ("who wrote the column", Entry("author")),
            ("그 사람 누구야?", Entry("author")),
        ],
    ]);
}

/// "그걸" and "이걸" (그것을, 이것을 run together) point back as "그거"
/// does: "그걸 어떻게 봤대?" asks about what was just read.
#[test]
fn a_korean_thing_pointed_at_as_an_object_is_what_was_just_read() {
    run(&[
        &[
            ("딥시크 CEO는 누구야?", Entry("deepseek-liang")),
            ("그걸 어떻게 봤대?", Entry("deepseek-liang")),
        ],
        &[
            ("2단계가 뭐야?", Entry("step-2")),
            ("이걸 어떻게 봤대?", Entry("step-2")),
        ],
    ]);
}

#[test]
fn an_ellipsis_is_read_as_the_last_question_about_something_else() {
    run(&[
        &[
            ("how does china nurture stem talent", Entry("china")),
            ("and Korea?", Entry("korea-shortage")),
        ],
        &[
            ("why is korea short of engineers", Entry("korea-shortage")),
            ("what about China?", Entry("china")),
        ],
        // Korea's situation is its shortage, not the list of steps.
        &[
            ("how does china nurture stem talent", Entry("china")),
            ("what about Korea's situation?", Entry("korea-shortage")),
        ],
        // After a question the column gave no passage for, or only
        // choices: that question asked of what the ellipsis names.
        &[
            (
                "does the column say anything about Japan's approach to STEM?",
                NoPassage,
            ),
            ("what about china?", Entry("china")),
        ],
        &[
            ("what's the writer's take on failure?", NoPassage),
            ("and korea?", Entry("korea-shortage")),
        ],
        // After small talk nothing was asked: still asked back about.
        &[("hi!", NoPassage), ("and China?", Clarify)],
    ]);
}

#[test]
fn a_complete_question_on_a_new_topic_wins_over_the_context() {
    run(&[
        &[
            ("what is the first step", Entry("step-1")),
            ("who wrote this?", Entry("author")),
            ("where is this from?", Entry("source")),
            ("what's the third step?", Entry("step-3")),
            ("why is korea short of engineers?", Entry("korea-shortage")),
        ],
        &[
            ("who is the ceo of deepseek", Entry("deepseek-liang")),
            (
                "what does the author say about the r&d budget cuts",
                Entry("rd-budget"),
            ),
        ],
    ]);
}

/// Asks `message` right after each passage of the built-in column has
/// been shown, and checks the turn every time.
fn after_every_passage(cases: &[(&str, Want)]) {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    for (message, want) in cases {
        for (index, entry) in kb.entries.iter().enumerate() {
            let mut context = Context::default();
            talk.shown(&mut context, index);
            let turn = talk.answer(&mut context, message);
            let got = got(&kb, &turn);
            // Where no passage is wanted, a question back is none either
            // (a pronoun after the overview, which names no one).
            let fine = got == *want || (*want == NoPassage && got == Clarify);
            assert!(fine, "{message:?} after {}: {got:?}", entry.id);
        }
    }
}

#[test]
fn a_question_about_what_no_entry_speaks_of_is_declined_after_any_passage() {
    after_every_passage(&[
        // A pronoun for the other thing the message names.
        (
            "How is Japan dealing with its own STEM shortage?",
            NoPassage,
        ),
        // Short, with no cue, and a word no entry uses: not implied.
        ("점심 뭐 먹지", NoPassage),
        ("올해 수능 언제야?", NoPassage),
        // A relation word, and a name the column does not discuss.
        ("is the author related to president yoon", NoPassage),
        // A sum no passage gives, whoever it is about.
        ("량원펑 재산 얼마야", NoPassage),
        ("How much did DeepSeek spend to train its model?", NoPassage),
    ]);
}

#[test]
fn an_opening_with_a_pronoun_and_one_word_of_its_own_is_asked_back_about() {
    // The matcher alone answers both well: the column gives one age
    // (Liang's), and "where … from" is how its source is asked for.
    run(&[
        &[("how old is he?", Clarify)],
        &[("where does he work?", Clarify)],
        &[("how old is she", Clarify)],
        // The writer speaking is still the writer.
        &[(
            "what does he think about the budget cuts?",
            Entry("rd-budget"),
        )],
    ]);
}

#[test]
fn an_opening_with_a_pronoun_and_enough_words_of_its_own_is_a_question() {
    // The writer is who "he" is when nothing was said before; the context
    // after a question back is as empty.
    for opening in [&[][..], &[("why?", Clarify)][..]] {
        let with = |message: &'static str, want: Want| {
            let mut turns = opening.to_vec();
            turns.push((message, want));
            turns
        };
        run(&[
            &with("can you list the reforms he recommends", Entry("overview")),
            &with("does he want more money for basic science", Entry("step-1")),
            &with(
                "what kind of lab culture does he want instead of bosses deciding everything from the top",
                Entry("step-2"),
            ),
            // Too little of its own to know who is meant.
            &with("when was he born?", Clarify),
            &with("그 사람 누구야?", Clarify),
            &with("what did his company build?", Clarify),
            // Small talk pointing back at nothing is small talk.
            &with("thanks, that was useful", NoPassage),
            // "this" before anything was said is the bot at hand.
            &with("what is this?", NoPassage),
            // Pointing back, with enough of its own to be answered.
            &with("이거 AI로 번역한 글이야?", Entry("source")),
            &with(
                "international conference 관련된 제안 있었지? 그거 뭐였더라",
                Entry("step-3"),
            ),
            // About the text itself: before anything was read, "this" can
            // only be the column.
            &with("who wrote this?", Entry("author")),
            &with("이거 누가 썼어요?", Entry("author")),
            &with("where is this from?", Entry("source")),
            // Too little of its own, and not about the text.
            &with("why is that?", Clarify),
            // The pronoun stands for a noun said before it in the message.
            &with("whos the author and is he legit?", Entry("author")),
            &with("딥시크 창업자 그 사람 몇년생이야?", Entry("deepseek-liang")),
        ]);
    }
}

#[test]
fn a_step_walked_away_from_by_its_why_is_where_next_and_previous_start() {
    run(&[
        &[
            (
                "does he talk about top-down management at all?",
                Entry("step-2"),
            ),
            ("why?", Entry("hiring-and-institutes")),
            ("what was the step before that?", Entry("step-1")),
        ],
        &[
            ("what is the last step", Entry("step-3")),
            ("anything after that?", Entry("conclusion")),
        ],
        &[
            ("what are the three steps", Entry("overview")),
            ("explain #2", Entry("step-2")),
        ],
    ]);
}

#[test]
fn why_after_a_passage_that_states_its_cause_is_that_passage() {
    run(&[
        &[
            (
                "How did China move beyond being a follower?",
                Entry("china"),
            ),
            ("why?", Entry("china")),
        ],
        &[
            ("바이두랑 알리바바 왜 나왔어?", Entry("china")),
            ("걔네가 잘 된 이유는?", Entry("china")),
        ],
        // Pointing back, a why is the matcher's only when it is sure:
        // "succeeded" alone scores a step's "short-term success" high.
        &[
            ("What does the column say about China?", Entry("china")),
            ("why has it succeeded?", Entry("china")),
        ],
        // Nor when what it says, several passages share about as well.
        &[
            ("what does the writer say about China?", Entry("china")),
            ("why has it worked for them?", Entry("china")),
        ],
        // A topic cut short that the matcher answers with the passage
        // about the writer is the writer's, though "글쓴이" frames
        // elsewhere.
        &[
            ("이 칼럼 어느 신문에 나온 거야?", Entry("source")),
            ("글쓴이 경력은?", Entry("author")),
        ],
        // Korea's shortage states its cause ("due to waning interest");
        // what made it worse is the knowledge base's `why`.
        &[
            (
                "why is korea short of stem talent?",
                Entry("korea-shortage"),
            ),
            ("why?", Entry("korea-shortage")),
        ],
        &[
            ("한국 이공계 인재 부족 얘기 해줘", Entry("korea-shortage")),
            ("왜 그렇게 된 거야?", Entry("korea-shortage")),
        ],
        // A passage giving its motive ("believing that …") or the harm
        // it describes ("this hinders …") is its own answer to "why?".
        &[
            (
                "I mean the DeepSeek CEO, how does he pick talent?",
                Entry("deepseek-liang"),
            ),
            ("why?", Entry("deepseek-liang")),
        ],
        &[
            (
                "연구기관 채용 방식 문제 있다고 했어?",
                Entry("hiring-and-institutes"),
            ),
            ("왜 문제인데?", Entry("hiring-and-institutes")),
        ],
        // A phrasal verb's particle is no word of its own.
        &[
            ("what does the writer say about China?", Entry("china")),
            ("why has it worked out for them?", Entry("china")),
        ],
        // Chat spelling.
        &[
            ("what's the second step?", Entry("step-2")),
            ("y tho", Entry("hiring-and-institutes")),
        ],
    ]);
}

#[test]
fn an_opening_with_a_pronoun_and_words_of_its_own_gets_what_the_matcher_makes_of_it() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    for message in [
        "which country does he call one of the two biggest economies?",
        "How much did DeepSeek spend to train its model?",
    ] {
        let turn = talk.answer(&mut Context::default(), message);
        assert_eq!(turn.kind, TurnKind::Fresh, "{message}");
        assert_eq!(turn.outcome, matcher.decide(message), "{message}");
    }
}

#[test]
fn more_about_a_step_by_its_number_is_that_step() {
    after_every_passage(&[("step 3 details", Entry("step-3"))]);
}

#[test]
fn a_korean_why_naming_its_own_topic_is_a_question_of_its_own() {
    run(&[
        &[
            ("첫 번째 단계 알려줘", Entry("step-1")),
            ("중국 얘기는 왜 나오는거야", Entry("china")),
        ],
        &[
            ("3단계는?", Entry("step-3")),
            ("알파고 얘기는 왜 나오는 거예요?", Entry("ai-waves")),
        ],
        // Pointing back, it asks about what was read.
        &[
            ("2단계 뭐야", Entry("step-2")),
            ("왜 그게 필요하대?", Entry("hiring-and-institutes")),
        ],
        // Leaving its subject out, as Korean does, it asks about what was
        // read when that fits it nearly as well: DeepSeek's success, not
        // the institutes' "past success".
        &[
            (
                "딥시크 팀은 실패를 어떻게 대했어?",
                Entry("deepseek-failure"),
            ),
            ("왜 성공했대?", Entry("deepseek-liang")),
        ],
    ]);
}

/// "he" asked about with nothing else of the question's own is the person
/// just read of, not the note on where the text is from, which a bare
/// "where" matches best.
#[test]
fn a_person_pointed_at_is_not_the_note_on_the_source() {
    run(&[
        &[
            ("who wrote this column?", Entry("author")),
            ("where does he work now?", Entry("author")),
        ],
        &[
            ("where is this from?", Entry("source")),
            ("who wrote it?", Entry("author")),
        ],
    ]);
}

/// A person pointed at with nothing else of the question's own ("그
/// 사람", "he") is the person just read of, not another person whose
/// passage shares a word with the question; "it" may be the text.
#[test]
fn a_person_pointed_at_is_the_one_just_read_of() {
    run(&[
        &[
            ("이 칼럼 누가 썼어?", Entry("author")),
            ("그 사람 어디서 일했는데?", Entry("author")),
        ],
        &[
            ("이 칼럼 누가 썼어?", Entry("author")),
            ("그 사람 전에 뭐 했어?", Entry("author")),
        ],
        &[
            ("who is liang wenfeng?", Entry("deepseek-liang")),
            ("where does he work?", Entry("deepseek-liang")),
        ],
        &[
            ("who is liang wenfeng?", Entry("deepseek-liang")),
            ("who wrote it?", Entry("author")),
        ],
    ]);
}

/// A why naming a topic the matcher hesitates on gets the matcher's
/// choices, opening a conversation or after a passage with no reason of
/// its own: never a question back, nor a decline for the last passage.
#[test]
fn a_why_naming_a_topic_with_two_passages_offers_them() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    for opening in [None, Some("이 칼럼 쓴 사람 누구야")] {
        let mut context = Context::default();
        if let Some(opening) = opening {
            talk.answer(&mut context, opening);
        }
        let turn = talk.answer(&mut context, "딥시크 얘기는 왜 나와?");
        let offered: Vec<&str> = turn
            .outcome
            .suggestions
            .iter()
            .map(|c| kb.entries[c.entry].id.as_str())
            .collect();
        assert_eq!(
            turn.outcome.decision,
            Decision::Suggest,
            "after {opening:?}"
        );
        assert!(offered.contains(&"deepseek-liang"), "{offered:?}");
    }
}

#[test]
fn a_relation_word_in_a_question_naming_its_own_topic_is_no_follow_up() {
    after_every_passage(&[
        ("해외 인재 유치 관련 내용 있어?", Entry("step-3")),
        ("국제학회나 해외연수 관련해서 뭐라고 했냐", Entry("step-3")),
    ]);
    // Pointing back, it asks which step the passage read belongs to.
    run(&[&[
        (
            "tell me about deepseek's failures",
            Entry("deepseek-failure"),
        ),
        ("이게 한국 제안이랑 무슨 상관?", Entry("step-1")),
    ]]);
    // Naming what was read and the steps as a set, it asks the same.
    run(&[&[
        ("who is liang wenfeng?", Entry("deepseek-liang")),
        (
            "does the author connect liang to any of his steps?",
            Entry("step-1"),
        ),
    ]]);
    // With nothing read, the steps named are the question.
    run(&[&[("how do the steps relate to each other?", Entry("overview"))]]);
}

#[test]
fn which_step_asked_of_nothing_else_is_the_step_of_what_was_read() {
    run(&[
        &[
            (
                "is there anything about giving scientists time for their own side projects?",
                Entry("step-2"),
            ),
            ("which step number is that?", Entry("step-2")),
        ],
        // A background passage belongs to the step that answers it.
        &[
            (
                "tell me about deepseek's failures",
                Entry("deepseek-failure"),
            ),
            ("몇 번째 단계야?", Entry("step-1")),
        ],
        // With nothing read, it is asked back about.
        &[("which step is that?", Clarify)],
    ]);
}

#[test]
fn a_question_the_matcher_answers_alone_needs_no_subject_for_its_pronoun() {
    run(&[&[(
        "ok, how did DeepSeek turn its failures into assets?",
        Entry("deepseek-failure"),
    )]]);
}

#[test]
fn his_company_after_the_founder_is_the_company_he_founded() {
    // "company" is DeepSeek here, not industry at large (step 1's link
    // between academia and industry).
    run(&[&[
        ("who is liang wenfeng?", Entry("deepseek-liang")),
        ("what did his company build?", Entry("deepseek-failure")),
    ]]);
}

#[test]
fn a_thing_pointed_at_opening_a_conversation_is_the_column() {
    // "그 칼럼" points at the one column there is; "그 사람" at no one yet.
    run(&[&[("그 칼럼 두 번째 단계가 뭐야?", Entry("step-2"))]]);
}

#[test]
fn a_follow_up_with_no_context_asks_what_it_refers_to() {
    let first_messages = [
        "why?",
        "왜?",
        "and the next one?",
        "다음은?",
        "tell me more",
        "자세히",
        "who is he?",
        "what did his company build?",
        "when was he born?",
        "그 사람 누구야?",
        // A person pointed at, however much else is asked.
        "그 사람이 말한 두 번째 거 무슨 뜻이야?",
        "그분이 제안한 첫 번째 단계는?",
        "and China?",
        "the one before",
        // Nothing of their own to match: small talk alone, a question
        // about something said before here.
        "그게 언제야?",
        "who did it?",
    ];
    for message in first_messages {
        run(&[&[(message, Clarify)]]);
    }
}

#[test]
fn a_choice_is_picked_by_its_number_or_its_words() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    // After a clarification, the steps are the choices.
    let cases = [
        ("2", "step-2"),
        ("#3", "step-3"),
        ("1번", "step-1"),
        ("autonomy and collaboration", "step-2"),
    ];
    for (pick, want) in cases {
        let mut context = Context::default();
        let asked = talk.answer(&mut context, "why?");
        assert_eq!(asked.outcome.decision, Decision::Clarify);
        let turn = talk.answer(&mut context, pick);
        assert_eq!(turn.kind, TurnKind::FollowUp(Follow::Pick), "{pick}");
        assert_eq!(got(&kb, &turn), Entry(want), "{pick}");
    }
    // A number past the choices is no pick, and no passage.
    let mut context = Context::default();
    talk.answer(&mut context, "why?");
    let turn = talk.answer(&mut context, "9");
    assert_ne!(turn.kind, TurnKind::FollowUp(Follow::Pick));
}

#[test]
fn after_a_did_you_mean_why_next_and_more_follow_its_first_choice() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    // (what was read before, the question offered choices, the follow-up,
    // what it gets)
    let cases = [
        (
            None,
            "what does the writer say korea should do?",
            "why?",
            Entry("korea-shortage"),
        ),
        (
            None,
            "haha sungho is a failure expert 🤣 anyway @bot what does the writer say about failure in research?",
            "next",
            Entry("step-2"),
        ),
        (
            None,
            "딥시크 얘기는 왜 나와?",
            "더 자세히",
            Entry("deepseek-failure"),
        ),
        // The choices, not the passage read before them.
        (
            Some("what is the third step"),
            "딥시크 얘기는 왜 나와?",
            "더 자세히",
            Entry("deepseek-failure"),
        ),
    ];
    for (before, offered, follow_up, want) in cases {
        let mut context = Context::default();
        if let Some(before) = before {
            talk.answer(&mut context, before);
        }
        let turn = talk.answer(&mut context, offered);
        assert_eq!(turn.outcome.decision, Decision::Suggest, "{offered}");
        let turn = talk.answer(&mut context, follow_up);
        assert_eq!(got(&kb, &turn), want, "{offered} / {follow_up}");
    }
    // The steps listed by a question back are no guess of what was asked.
    run(&[&[("why?", Clarify), ("next", Clarify)]]);
}

#[test]
fn the_context_keeps_the_last_two_entries_the_choices_and_the_language() {
    let kb = KnowledgeBase::embedded().unwrap();
    let matcher = Matcher::new(&kb, MatcherConfig::default());
    let talk = Conversations::new(&kb, &matcher);
    let mut context = Context::default();
    talk.answer(&mut context, "what are the three steps");
    talk.answer(&mut context, "2단계 뭐야");
    assert_eq!(context.last.as_deref(), Some("step-2"));
    assert_eq!(context.before.as_deref(), Some("overview"));
    assert_eq!(context.lang, Some(Lang::Ko));
    assert_eq!(context.subject.as_deref(), Some("step-2"));
    let turn = talk.answer(&mut context, "다음은?");
    assert_eq!(
        turn.context.map(|c| kb.entries[c].id.as_str()),
        Some("step-2")
    );
    assert_eq!(context.before.as_deref(), Some("step-2"));
}

#[test]
fn a_question_the_column_does_not_answer_is_declined_whoever_it_is_about() {
    run(&[
        // Out of scope for the knowledge base, with a pronoun.
        &[
            (
                "how did deepseek turn its failures into assets",
                Entry("deepseek-failure"),
            ),
            ("how much money did they raise?", NoPassage),
        ],
        // A year asked for that the passage does not give.
        &[
            (
                "how did deepseek turn its failures into assets",
                Entry("deepseek-failure"),
            ),
            ("그 회사 언제 창업했어?", NoPassage),
        ],
        // The column gives no reason for the cuts ("perplexing").
        &[
            ("R&D 예산 삭감 얘기 있어?", Entry("rd-budget")),
            ("왜 깎았대?", NoPassage),
        ],
        // Whether its proposals were taken up since: no passage says.
        &[
            (
                "What are the three steps the column proposes?",
                Entry("overview"),
            ),
            ("has the government adopted any of these yet?", NoPassage),
        ],
        &[
            ("How should research be evaluated?", Entry("step-1")),
            ("has any Korean funding agency adopted that?", NoPassage),
        ],
        &[
            ("2단계 뭐야?", Entry("step-2")),
            ("정부가 이거 도입했어?", NoPassage),
        ],
        // An age: the author's passage gives no year of birth, Liang's does.
        &[
            ("이 칼럼 누가 썼어?", Entry("author")),
            ("그 사람 몇 살이야?", NoPassage),
        ],
        &[
            ("who is liang wenfeng?", Entry("deepseek-liang")),
            ("how old is he?", Entry("deepseek-liang")),
        ],
        // Names of places on the web the column never speaks of.
        &[
            ("who wrote it?", Clarify),
            ("who is the author?", Entry("author")),
            ("does he have a twitter account?", NoPassage),
        ],
        // Organisations asked by name where the passage names none.
        &[
            ("what is the third step?", Entry("step-3")),
            ("which conferences?", NoPassage),
        ],
    ]);
}

/// After a passage describing a problem, what someone should do about it
/// is the step that recommends it.
#[test]
fn what_someone_should_do_after_a_problem_is_the_step_that_says_it() {
    run(&[&[
        (
            "Does the column mention R&D budget cuts?",
            Entry("rd-budget"),
        ),
        (
            "what does he want the government to do about it?",
            Entry("step-1"),
        ),
    ]]);
}

/// "And how does Korea compare?" after the passage the next one contrasts
/// with ("By contrast, Korea …") is that next passage; asked after the
/// contrasting passage, the one before it. Naming a thing the column does
/// not speak of, it is a question of its own.
#[test]
fn a_comparison_after_a_passage_is_the_passage_that_contrasts_with_it() {
    run(&[
        &[
            (
                "What does the author say about China and STEM?",
                Entry("china"),
            ),
            ("and how does korea compare", Entry("korea-shortage")),
        ],
        &[
            (
                "How did China move beyond being a follower?",
                Entry("china"),
            ),
            ("and how is Korea different?", Entry("korea-shortage")),
        ],
        &[
            ("한국 STEM 인재 부족 원인이 뭐래?", Entry("korea-shortage")),
            ("중국은 어떻게 다르다고 했어?", Entry("china")),
        ],
        // "opposite" asks how they compare, though no passage uses it.
        &[
            ("중국은 과학 인재를 어떻게 키웠대?", Entry("china")),
            ("한국은 그 반대라는 거지?", Entry("korea-shortage")),
        ],
        &[
            ("what does the column say about china?", Entry("china")),
            ("so korea is the opposite?", Entry("korea-shortage")),
        ],
        &[
            (
                "What does the author say about China and STEM?",
                Entry("china"),
            ),
            ("and how does japan compare?", NoPassage),
        ],
        &[
            (
                "What does the author say about China and STEM?",
                Entry("china"),
            ),
            (
                "what is different about deepseek's approach?",
                Entry("deepseek-failure"),
            ),
        ],
    ]);
}

/// After a passage telling events in order ("In 2016, … Since then, …"),
/// what came after or before an event is in that passage; "next?" and the
/// next part of the text still walk the text.
#[test]
fn after_a_chronology_next_and_previous_events_are_in_it() {
    run(&[
        &[
            ("What does the column say about AlphaGo?", Entry("ai-waves")),
            ("and what came after it?", Entry("ai-waves")),
            (
                "and what was the first big moment before it",
                Entry("ai-waves"),
            ),
        ],
        &[
            ("알파고가 몇년도였지", Entry("ai-waves")),
            ("그 다음에 나온 건?", Entry("ai-waves")),
        ],
        &[
            (
                "when did AlphaGo happen per the article?",
                Entry("ai-waves"),
            ),
            ("and after that?", Entry("ai-waves")),
        ],
        &[
            ("What does the column say about AlphaGo?", Entry("ai-waves")),
            ("next?", Entry("deepseek-liang")),
        ],
        // What the latest of the events brought is told in the same
        // passage, not in DeepSeek's own.
        &[
            ("what are the three waves of AI?", Entry("ai-waves")),
            ("what did DeepSeek add?", Entry("ai-waves")),
        ],
        &[
            ("AI 세가지 물결이 뭐임", Entry("ai-waves")),
            ("딥시크가 AI에 뭘 더했다고?", Entry("ai-waves")),
        ],
    ]);
}

/// "That step" is the step the conversation is on: the one just read, or
/// the one a background passage was reached from by its why.
#[test]
fn that_step_is_the_step_the_conversation_is_on() {
    run(&[
        &[
            (
                "does he say anything about attracting foreign researchers?",
                Entry("step-3"),
            ),
            ("what else is in that step?", Entry("step-3")),
        ],
        &[
            ("what's the second step?", Entry("step-2")),
            ("why?", Entry("hiring-and-institutes")),
            ("anything else in that step?", Entry("step-2")),
        ],
        &[
            ("what's the second step?", Entry("step-2")),
            ("what is the step after that step?", Entry("step-3")),
        ],
    ]);
}

/// "Why would that help?" asks what the passage just read is good for,
/// which it says itself; "why is that needed?" asks for the problem behind
/// it. A question about a thing of its own is neither.
#[test]
fn what_a_passage_is_good_for_is_in_it() {
    run(&[
        &[
            ("What's the third step in the column?", Entry("step-3")),
            ("why would that help?", Entry("step-3")),
        ],
        &[
            ("What's the third step in the column?", Entry("step-3")),
            ("why is that needed?", Entry("korea-shortage")),
        ],
        &[
            (
                "What does the article say about the R&D budget cuts?",
                Entry("rd-budget"),
            ),
            ("why does it matter?", Entry("rd-budget")),
        ],
        &[
            ("what is the first step", Entry("step-1")),
            ("How does AlphaGo's algorithm work?", NoPassage),
        ],
        // What harm a problem does is in the passage describing it; the
        // harm a step answers is its `why`.
        &[
            (
                "Does the column mention R&D budget cuts?",
                Entry("rd-budget"),
            ),
            ("why are they a problem?", Entry("rd-budget")),
        ],
        &[
            (
                "what does the column mean by top-down management",
                Entry("step-2"),
            ),
            ("why is that bad", Entry("hiring-and-institutes")),
        ],
    ]);
}

/// What the source wants done about what was just read, a problem or an
/// example it gave, is the step that answers it (`answered_by`); a question
/// for the recommendations themselves is a question of its own.
#[test]
fn what_should_be_done_about_what_was_read_is_the_step_that_answers_it() {
    run(&[
        &[
            ("how did deepseek treat failure?", Entry("deepseek-failure")),
            (
                "does the author want korea to do that too?",
                Entry("step-1"),
            ),
        ],
        // "instead" points back as "that" does; "instead of …" names its
        // own topic.
        &[
            (
                "Does the column mention R&D budget cuts?",
                Entry("rd-budget"),
            ),
            (
                "what does he want the government to do instead?",
                Entry("step-1"),
            ),
        ],
        &[
            (
                "Does the column mention R&D budget cuts?",
                Entry("rd-budget"),
            ),
            ("탑다운 관리 대신 뭘 하자는 거예요?", Entry("step-2")),
        ],
        &[
            ("who is liang wenfeng", Entry("deepseek-liang")),
            ("can you list the reforms he recommends", Entry("overview")),
        ],
        &[
            ("who is liang wenfeng", Entry("deepseek-liang")),
            (
                "What measures are recommended so that Korea can lead in tech innovation?",
                Entry("overview"),
            ),
        ],
    ]);
}

#[test]
fn a_short_question_that_names_nothing_is_about_the_last_subject() {
    run(&[
        &[
            ("Who is DeepSeek's CEO?", Entry("deepseek-liang")),
            ("몇년생임?", Entry("deepseek-liang")),
        ],
        // A time asked of what was just read is its time, not the year of
        // a passage beside it (Liang's "born in 1985").
        &[
            ("what does he say about AlphaGo?", Entry("ai-waves")),
            ("when was that?", Entry("ai-waves")),
            ("what year was that", Entry("ai-waves")),
        ],
        // A word asking a date, with the copula's past or without, is
        // no topic of its own.
        &[
            ("알파고 얘기도 나와?", Entry("ai-waves")),
            ("그게 몇년도였지", Entry("ai-waves")),
            ("몇년도야?", Entry("ai-waves")),
        ],
        // A name asked for that the passage does not give.
        &[
            ("R&D 예산 삭감 얘기 있어?", Entry("rd-budget")),
            ("누가 그랬어?", NoPassage),
        ],
        // A short question that names something else is about that.
        &[
            ("Who is DeepSeek's CEO?", Entry("deepseek-liang")),
            ("일본 얘기도 있어?", NoPassage),
        ],
        // Small talk is not a question about anything.
        &[
            ("Who is DeepSeek's CEO?", Entry("deepseek-liang")),
            ("아 ㅋㅋ 안녕", NoPassage),
        ],
        // A question word alone, with nothing to match, asks about it; one
        // to the bot stays small talk.
        &[
            ("what is step two?", Entry("step-2")),
            ("어떻게?", Entry("step-2")),
            ("who are you?", NoPassage),
        ],
    ]);
}

#[test]
fn a_question_with_no_topic_word_pointing_back_is_about_the_last_subject() {
    run(&[
        // Alone, "how bad is it?" reads as small talk.
        &[
            (
                "why is Korea short of STEM talent?",
                Entry("korea-shortage"),
            ),
            ("how bad is it?", Entry("korea-shortage")),
        ],
        // Thanks pointing back stay thanks.
        &[
            ("Who is DeepSeek's CEO?", Entry("deepseek-liang")),
            ("thanks, that helped", NoPassage),
        ],
        // With nothing before it, it points at nothing: asked back about,
        // never a passage.
        &[("how bad is it?", Clarify)],
    ]);
}

#[test]
fn a_follow_up_after_thanks_or_a_wave_off_is_read_as_that_follow_up() {
    run(&[
        &[
            ("what is step two?", Entry("step-2")),
            ("fine. what is after that?", Entry("step-3")),
            ("cool thanks. and the one before?", Entry("step-2")),
            // No question mark after the acknowledgement.
            ("lol ok. what's the one before it", Entry("step-1")),
            ("haha next", Entry("step-2")),
        ],
        // "Show me" and an interjection ask for nothing of their own.
        &[
            ("what is step two?", Entry("step-2")),
            ("아 그 전 거 다시 보여줘", Entry("step-1")),
            ("show me the next one", Entry("step-2")),
        ],
        &[
            ("2단계 뭐야?", Entry("step-2")),
            ("아 그렇구나, 그럼 다음은?", Entry("step-3")),
        ],
        &[
            ("what is the weather like in Seoul today?", NoPassage),
            ("never mind, who are you anyway?", NoPassage),
        ],
    ]);
}

#[test]
fn why_more_and_other_with_a_word_or_two_follow_the_context() {
    let kb = KnowledgeBase::embedded().unwrap();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let why = |id: &str| Entry(leak(kb.entry(id).unwrap().why.clone().unwrap()));
    let more = |id: &str| Entry(leak(kb.entry(id).unwrap().more.clone().unwrap()));
    run(&[
        &[
            ("what's the first step", Entry("step-1")),
            ("why does Korea need that?", why("step-1")),
        ],
        // A why that is a question of its own stays one.
        &[
            ("what's the first step", Entry("step-1")),
            (
                "why is Korea short of STEM talent?",
                Entry("korea-shortage"),
            ),
        ],
        &[
            ("why is korea short of engineers", Entry("korea-shortage")),
            ("any other problems?", more("korea-shortage")),
        ],
        &[
            ("R&D 예산 삭감 얘기 있어?", Entry("rd-budget")),
            ("다른 문제는?", more("rd-budget")),
        ],
        &[
            ("why is korea short of engineers", Entry("korea-shortage")),
            ("tell me more about the budget part", Entry("rd-budget")),
        ],
        // The source named beside the topic says where, not what.
        &[
            ("what are the three waves of AI?", Entry("ai-waves")),
            ("does the column say more about China?", Entry("china")),
        ],
        &[
            ("한국 이공계 인재 왜 부족해?", Entry("korea-shortage")),
            ("예산 얘기 더 해줘", Entry("rd-budget")),
        ],
        &[
            ("how does china nurture stem talent", Entry("china")),
            ("우리나라는?", Entry("korea-shortage")),
        ],
    ]);
}

#[test]
fn a_why_with_a_word_or_two_and_no_context_asks_what_it_refers_to() {
    for message in ["why 그런건데?", "why does Korea need that?", "왜 그런데?"] {
        run(&[&[(message, Clarify)]]);
    }
}

#[test]
fn a_pronoun_picks_among_the_matchers_suggestions_the_one_beside_the_subject() {
    run(&[
        &[
            ("AI 발전 얘기 뭐라고 했어?", Entry("ai-waves")),
            ("거기서 말한 중국 회사 CEO는?", Entry("deepseek-liang")),
        ],
        // The first beside the subject, when others rank before it.
        &[
            (
                "deepseek got no results for 6 years??",
                Entry("deepseek-liang"),
            ),
            (
                "so what did all that failing get them",
                Entry("deepseek-failure"),
            ),
        ],
        // The subject itself, when it is among them.
        &[
            ("who wrote the column", Entry("author")),
            ("그분 경력은?", Entry("author")),
        ],
        // Unless it was just read and a passage beside it is among them
        // too: the question asks what the one read did not say.
        &[
            ("who is liang wenfeng", Entry("deepseek-liang")),
            (
                "what did his team do differently?",
                Entry("deepseek-failure"),
            ),
        ],
    ]);
}

#[test]
fn a_short_why_or_other_that_names_another_passage_is_a_question_of_its_own() {
    run(&[
        // English names its subject: another passage answered is the
        // question's own.
        &[
            ("what is the first step", Entry("step-1")),
            ("Why did the author write this?", Entry("author")),
        ],
        &[
            ("what is the first step", Entry("step-1")),
            ("why did they cut it?", Entry("rd-budget")),
        ],
        // Korean leaves it out: the context stands.
        &[
            ("3단계 뭐야", Entry("step-3")),
            ("그게 왜 필요해?", Entry("korea-shortage")),
        ],
        &[
            ("what is the first step", Entry("step-1")),
            ("what are the other steps?", Entry("overview")),
        ],
    ]);
}

#[test]
fn within_a_conversation_a_pronoun_question_the_matcher_answers_stands() {
    run(&[&[
        ("what are the three steps", Entry("overview")),
        ("그 칼럼 제목이 뭐야?", Entry("source")),
    ]]);
}

#[test]
fn which_step_a_passage_belongs_to_a_number_and_a_topic_asked_short() {
    run(&[
        &[
            (
                "how did deepseek turn its failures into assets",
                Entry("deepseek-failure"),
            ),
            ("which step is this related to?", Entry("step-1")),
        ],
        &[
            ("what are the three steps", Entry("overview")),
            ("2?", Entry("step-2")),
            ("3번", Entry("step-3")),
        ],
        &[
            ("how does china nurture stem talent", Entry("china")),
            ("korea?", Entry("korea-shortage")),
        ],
    ]);
}

#[test]
fn a_word_pointing_back_with_nothing_before_it_is_asked_back_about() {
    // (message) opening a conversation: "it" and "that" point back at
    // nothing yet.
    for message in [
        "who wrote it?",
        "그거 어디서 나온 거야?",
        "why is that?",
        "2",
        "#2 pls",
    ] {
        run(&[&[(message, Clarify)]]);
    }
    // "This" is what is at hand: asked about the text itself, the column.
    for (message, entry) in [
        ("who wrote this?", "author"),
        ("이거 누가 썼어?", "author"),
        ("where is this from?", "source"),
    ] {
        run(&[&[(message, Entry(entry))]]);
    }
    // Within a conversation the same words are answered, and a piece named
    // is no pointer to nothing.
    run(&[
        &[
            ("what is the first step", Entry("step-1")),
            ("who wrote this?", Entry("author")),
        ],
        &[
            ("1단계가 뭐야", Entry("step-1")),
            ("이거 누가 썼어?", Entry("author")),
        ],
        &[("who wrote this column?", Entry("author"))],
    ]);
}

#[test]
fn a_number_with_a_word_or_two_picks_the_step_after_a_list() {
    run(&[&[
        ("what are the three steps", Entry("overview")),
        ("#2 pls", Entry("step-2")),
        ("and #3", Entry("step-3")),
    ]]);
}

#[test]
fn next_after_a_steps_why_goes_on_with_the_steps() {
    let kb = KnowledgeBase::embedded().unwrap();
    let why_2 = kb.entry("step-2").unwrap().why.clone().unwrap();
    let why_2: &'static str = Box::leak(why_2.into_boxed_str());
    run(&[
        &[
            ("2단계 뭐야", Entry("step-2")),
            ("왜?", Entry(why_2)),
            ("다음꺼", Entry("step-3")),
        ],
        &[
            ("what's the second step?", Entry("step-2")),
            ("why?", Entry(why_2)),
            ("next", Entry("step-3")),
        ],
    ]);
}

#[test]
fn one_more_back_repeats_the_direction() {
    run(&[&[
        ("what is the last step", Entry("step-3")),
        ("and before that?", Entry("step-2")),
        ("one more back", Entry("step-1")),
    ]]);
}

#[test]
fn a_short_why_opening_a_conversation_needs_a_clear_answer() {
    run(&[
        // Nothing read yet that "that" could be.
        &[("why is that bad?", Clarify)],
        &[("which step is this related to?", Clarify)],
        // The matcher is sure of this one on its own.
        &[("why does he want autonomy?", Entry("step-2"))],
    ]);
}

#[test]
fn an_ellipsis_the_matcher_hesitates_on_stays_with_the_passage_just_read() {
    // The matcher alone hesitates between step 1 and the author.
    run(&[&[
        ("what is the first step", Entry("step-1")),
        ("and about bureaucracy?", Entry("step-1")),
        ("ok next step", Entry("step-2")),
    ]]);
}

/// A question with no cue that the matcher answers with another passage,
/// scoring the one the conversation is on all but as high, stays on it:
/// China's passage speaks of its government a hair more than step 1 does.
#[test]
fn a_near_tie_goes_to_the_passage_the_conversation_is_on() {
    run(&[&[
        ("what is the first step", Entry("step-1")),
        ("정부 역할은 뭐래?", Entry("step-1")),
        ("그 다음은?", Entry("step-2")),
    ]]);
}

#[test]
fn the_writer_speaking_opens_a_conversation_with_no_one_named_before() {
    run(&[
        &[
            ("what does he say korea must do first?", Entry("step-1")),
            ("next", Entry("step-2")),
        ],
        &[(
            "what does he think about the budget cuts?",
            Entry("rd-budget"),
        )],
        // Nothing of its own to answer: still asked back about.
        &[("what does he say about it?", Clarify)],
        // "according to him" names him as who holds a view, after a
        // question the column does not answer.
        &[
            (
                "does the column say anything about Japan's approach to STEM?",
                NoPassage,
            ),
            (
                "ok so what's the final step korea should take according to him",
                Entry("step-3"),
            ),
        ],
    ]);
}

#[test]
fn a_year_or_age_the_subjects_passage_lacks_is_not_taken_from_another_persons() {
    run(&[
        &[
            ("who wrote the column?", Entry("author")),
            ("how old is he?", NoPassage),
            ("and when was he born?", NoPassage),
        ],
        // With no pronoun, a bare question about the last subject.
        &[
            ("who wrote the column?", Entry("author")),
            ("how old", NoPassage),
        ],
        &[
            ("who is the CEO of DeepSeek?", Entry("deepseek-liang")),
            ("when was he born?", Entry("deepseek-liang")),
        ],
        // "몇 살" written apart asks the age as "몇살" does.
        &[
            ("who is Liang Wenfeng", Entry("deepseek-liang")),
            ("그 사람 몇 살이야?", Entry("deepseek-liang")),
        ],
        &[
            ("이 칼럼 쓴 사람 누구야", Entry("author")),
            ("몇 살이야?", NoPassage),
        ],
        // An age asked by ellipsis, of whoever the passage was about.
        &[
            ("이 칼럼 쓴 사람 누구야", Entry("author")),
            ("나이는?", NoPassage),
        ],
        &[
            ("who is Liang Wenfeng", Entry("deepseek-liang")),
            ("나이는?", Entry("deepseek-liang")),
        ],
    ]);
}

/// "What else is behind it?" after one cause asks for the others: Korea's
/// shortage names them, while the conclusion's "broader failure" is
/// what "the bigger failure" asks for.
#[test]
fn what_else_is_behind_a_problem_is_its_other_causes() {
    run(&[&[
        (
            "did the column mention R&D budget cuts?",
            Entry("rd-budget"),
        ),
        (
            "what else is behind the talent shortage?",
            Entry("korea-shortage"),
        ),
        (
            "what bigger failure does it reflect, in his view?",
            Entry("conclusion"),
        ),
    ]]);
}

/// "for example?" leads to the passage the knowledge base names as the
/// column's example of what was just read: another passage (Liang's case
/// for the first step), or the same one when it names the examples itself
/// (China's companies, the second step's free-time policy). Said of a
/// thing in a word ("examples of companies?") it still asks for that
/// example; naming a name ("the Liang example") it asks about the name.
#[test]
fn an_example_asked_for_is_the_one_the_column_gives() {
    run(&[
        &[
            ("what's the first step?", Entry("step-1")),
            ("예를 들면?", Entry("deepseek-failure")),
        ],
        &[
            ("how does china support stem talent?", Entry("china")),
            ("examples of companies?", Entry("china")),
        ],
        // "name" here asks for names, not for the newspaper's name.
        &[
            ("how does china support stem talent?", Entry("china")),
            ("which companies does he name there?", Entry("china")),
        ],
        &[
            ("중국은 어떻게 이공계 인재를 키운다는 거야?", Entry("china")),
            ("예로 든 기업들은?", Entry("china")),
        ],
        &[
            ("what's the second step?", Entry("step-2")),
            ("any examples?", Entry("step-2")),
        ],
        &[
            ("what's the first step?", Entry("step-1")),
            (
                "the Liang example he mentions, what's that about",
                Entry("deepseek-liang"),
            ),
        ],
        // "instance" alone is no example asked for ("for instance?" is).
        &[
            ("what is step 1 (instance 0 0)", Entry("step-1")),
            ("what is step 1 (instance 1 0)", Entry("step-1")),
        ],
        &[
            ("what's the first step?", Entry("step-1")),
            ("for instance?", Entry("deepseek-failure")),
        ],
    ]);
}

/// "the budget part" names a piece of the text by its topic: "part" says
/// no topic of its own (step 2's "part of every working week" is a share).
#[test]
fn a_piece_of_the_text_is_named_by_its_topic() {
    run(&[&[
        (
            "why is korea short on stem talent?",
            Entry("korea-shortage"),
        ),
        ("and the budget part?", Entry("rd-budget")),
    ]]);
}

/// A comparison asked after a passage with no contrast of its own is with
/// the column's example of doing otherwise (the institutes' hiring is
/// compared with Liang's), when the message is about that example or
/// about nothing of its own.
#[test]
fn a_comparison_is_with_the_example_of_doing_otherwise() {
    let institutes = (
        "What's wrong with Korean research institutes, per the column?",
        Entry("hiring-and-institutes"),
    );
    run(&[
        &[
            institutes,
            (
                "how does that compare with deepseek's approach?",
                Entry("deepseek-liang"),
            ),
        ],
        &[
            institutes,
            ("who did the opposite?", Entry("deepseek-liang")),
        ],
        &[
            institutes,
            ("그럼 반대로 잘한 사례는?", Entry("deepseek-liang")),
        ],
    ]);
}

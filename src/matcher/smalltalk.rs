//! Small talk: greetings, thanks, goodbyes, requests for help and "who are
//! you". Such messages get a friendly reply that points at what the bot
//! knows, never a passage.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use serde::Serialize;

use super::text::{folded_set, strip_korean_to};

/// What kind of small talk a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmallTalk {
    Greeting,
    Thanks,
    Goodbye,
    /// "help", "what can you do", or a message with nothing to match.
    Help,
    /// "who are you", "are you a bot".
    Identity,
}

const GREETING: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "howdy",
    "greetings",
    "morning",
    "afternoon",
    "evening",
    "good",
    "sup",
    "yo",
    "hallo",
    "hola",
    "안녕",
    "안녕하세",
    "안녕하세요",
    "안녕하십니까",
    "하이",
    "헬로",
    "ㅎㅇ",
    "반가워",
    "반가워요",
    "반갑습니다",
    "반갑",
    "방가",
    "hii",
    "hiii",
    "heyy",
    "heyyy",
    "gm",
    "wassup",
    "whatsup",
    "좋은",
    "아침",
    "하이요",
    "안뇽",
    "안녕ㅎㅎ",
    "지내",
    "지내요",
    "지냈어",
    "ㅎㅇㅎㅇ",
    "doing",
    "meet",
    "meeting",
    "만나서",
];

const THANKS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "ty",
    "tysm",
    "cheers",
    "appreciate",
    "appreciated",
    "great",
    "cool",
    "nice",
    "awesome",
    "perfect",
    "helpful",
    "got",
    "understood",
    "gotcha",
    "alright",
    "고마워",
    "고마워요",
    "고맙습니다",
    "고맙",
    "감사",
    "감사합니다",
    "감사해요",
    "땡큐",
    "좋아",
    "좋네",
    "좋네요",
    "알겠어",
    "알겠습니다",
    "오케이",
    "ㅇㅋ",
    "ㄱㅅ",
    "ㄳ",
    "최고",
    "job",
    "bravo",
    "amazing",
    "wonderful",
    "excellent",
    "brilliant",
    "neat",
    "sweet",
    "lovely",
    "k",
    "kk",
    "okie",
    "fine",
    "잘했어",
    "좋아요",
    "굿",
    "대박",
    "멋져",
    "훌륭해",
    "ㅇㅇ",
    "응",
    "넵",
    "그래",
    "알았어",
    "고마웡",
    "감사요",
    "감사감사",
    "helped",
    "helps",
    "helping",
    "thankyou",
    "thanx",
    "ㄳㄳ",
    "ㄱㅅㄱㅅ",
    "ㅇㅋㅇㅋ",
    "감사드려요",
    "감사드립니다",
    "고맙다",
    "고마웠어",
    "고맙네",
    "감사해",
    "감사하다",
    "잘하네",
    "잘한다",
    "잘했네",
    "똑똑하네",
    "유용해",
    "유용하네",
];

const GOODBYE: &[&str] = &[
    "bye",
    "goodbye",
    "cya",
    "later",
    "farewell",
    "night",
    "goodnight",
    "잘가",
    "잘가요",
    "안녕히",
    "바이",
    "잘자",
    "다음에",
    "수고",
    "수고하세요",
    "수고했어",
    "gn",
    "ciao",
    "adios",
    "ttyl",
    "잘있어",
    "빠이",
    "ㅂㅂ",
    "ㅃㅃ",
    "이만",
    "하루",
    "보내",
    "보내요",
    "보내세요",
    "계세요",
    "가세요",
    "계셔요",
    "자",
    "자요",
    "주무세요",
];

const HELP: &[&str] = &[
    "help",
    "commands",
    "command",
    "usage",
    "menu",
    "start",
    "instructions",
    "use",
    "ask",
    "도움말",
    "도움",
    "도와줘",
    "도와주세요",
    "사용법",
    "명령어",
    "사용",
    "질문",
    "할수",
    "할",
    "수",
    "있어",
    "있니",
    "있나요",
    "있어요",
    "알아",
    "아는",
    "뭘",
    "뭐",
    "무엇을",
    "할수있어",
    "test",
    "testing",
    "ping",
    "guide",
    "tutorial",
    "example",
    "examples",
    "테스트",
    "기능",
    "사용설명",
    "work",
    "works",
    "써",
    "써요",
    "쓰는",
    "쓰나요",
    "사용해요",
    "사용하나요",
    "사용해",
    "이용",
    "물어보면",
    "물어봐도",
    "물어볼",
    "질문해도",
    "물어보",
    "돼",
    "되나요",
];

const IDENTITY: &[&str] = &["bot", "정체", "봇", "봇이야", "누가만들었어"];

/// "You": a question about the bot only together with a question word
/// ("who are you"), not in "thank you".
const YOU: &[&str] = &["you", "u", "yourself", "너", "넌", "너는", "당신", "당신은"];
const ASKING: &[&str] = &["who", "what", "are", "whats", "뭐", "뭐야", "뭘", "무엇"];

/// Words that make a question about "you" a question about what it can do.
const ABILITY: &[&str] = &[
    "do", "can", "ask", "know", "help", "use", "할", "할수", "알아", "아는", "뭘", "도와",
];

/// The word lists folded the way the matcher folds text.
static LISTS: LazyLock<[HashSet<String>; 7]> =
    LazyLock::new(|| [GREETING, THANKS, GOODBYE, HELP, IDENTITY, YOU, ASKING].map(folded_set));
static ABILITY_SET: LazyLock<HashSet<String>> = LazyLock::new(|| folded_set(ABILITY));

/// Words that are small talk when nothing else is asked ("who made you",
/// "what's your name", "넌 누구니") and the topic beside other words ("who
/// made AlphaGo", "저자가 누구야").
const MAKING: &[&str] = &[
    "made",
    "created",
    "built",
    "developed",
    "creator",
    "developer",
    "maker",
    "만들었어",
    "만든",
    "개발자",
    "human",
    "person",
    "robot",
    "사람",
    "로봇",
    "name",
    "이름",
    "누구",
    "누구니",
    "누구야",
    "누구세요",
    "누구예요",
    "누구임",
];
static MAKING_SET: LazyLock<HashSet<String>> = LazyLock::new(|| folded_set(MAKING));

/// True when `word` (folded) belongs to small talk rather than to a question's topic.
pub fn is_smalltalk_word(word: &str) -> bool {
    LISTS[..4].iter().any(|list| list.contains(word))
}

/// True for a word of `MAKING`: small talk alone, the topic beside other words.
pub fn is_making_word(word: &str) -> bool {
    MAKING_SET.contains(word)
}

/// Classifies a message that has no topic words left. `words` are all its
/// words, stop words included.
pub fn classify<'a>(words: impl IntoIterator<Item = &'a str> + Clone) -> SmallTalk {
    let has = |list: &HashSet<String>| {
        words
            .clone()
            .into_iter()
            .any(|w| list.contains(w) || list.contains(strip_korean_to(w, 1)))
    };
    let [greeting, thanks, goodbye, _help, identity, you, asking] = &*LISTS;
    let about_bot = has(identity) || has(&MAKING_SET) || (has(you) && has(asking));
    let how_are_you =
        words.clone().into_iter().any(|w| w == "how") && has(you) && !has(&ABILITY_SET);
    if how_are_you {
        SmallTalk::Greeting
    } else if about_bot && has(&ABILITY_SET) {
        SmallTalk::Help
    } else if about_bot {
        SmallTalk::Identity
    } else if has(thanks) {
        SmallTalk::Thanks
    } else if has(goodbye) {
        SmallTalk::Goodbye
    } else if has(greeting) {
        SmallTalk::Greeting
    } else {
        SmallTalk::Help
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::fold;
    use super::*;

    #[test]
    fn classify_table() {
        let cases: &[(&[&str], SmallTalk)] = &[
            (&["hi"], SmallTalk::Greeting),
            (&["hello", "there"], SmallTalk::Greeting),
            (&["thanks"], SmallTalk::Thanks),
            (&["thank", "you"], SmallTalk::Thanks),
            (&["bye"], SmallTalk::Goodbye),
            (&["help"], SmallTalk::Help),
            (&["what", "can", "you", "do"], SmallTalk::Help),
            (&["who", "are", "you"], SmallTalk::Identity),
            (&["안녕하세요"], SmallTalk::Greeting),
            (&["고마워"], SmallTalk::Thanks),
            (&["넌", "누구야"], SmallTalk::Identity),
            (&["봇이에요"], SmallTalk::Identity),
            (&["고마워", "ㅎㅎ"], SmallTalk::Thanks),
            (&["how", "are", "you"], SmallTalk::Greeting),
            (&["who", "made", "you"], SmallTalk::Identity),
            (&["good", "job"], SmallTalk::Thanks),
            (&["test"], SmallTalk::Help),
            (&[], SmallTalk::Help),
        ];
        for (words, want) in cases {
            let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
            assert_eq!(
                classify(folded.iter().map(String::as_str)),
                *want,
                "words {words:?}"
            );
        }
    }
}

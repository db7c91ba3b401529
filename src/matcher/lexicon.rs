//! Word lists the matcher leans on: stop words that carry no topic in either
//! language, and the chatter that surrounds questions in group chats.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use super::text::{Script, Token, folded_set, strip_korean};

/// English words that say nothing about which passage is wanted: question
/// words, pronouns, auxiliaries, politeness and group-chat filler.
const ENGLISH_STOP: &[&str] = &[
    "a",
    "about",
    "abt",
    "according",
    "across",
    "actually",
    "after",
    "again",
    "ah",
    "all",
    "already",
    "also",
    "although",
    "am",
    "an",
    "and",
    "another",
    "any",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "anyways",
    "are",
    "aren't",
    "argument",
    "around",
    "as",
    "asking",
    "at",
    "basically",
    "be",
    "because",
    "been",
    "before",
    "being",
    "bit",
    "bot",
    "both",
    "brb",
    "bring",
    "brings",
    "bro",
    "brother",
    "btw",
    "but",
    "by",
    "came",
    "can",
    "can't",
    "cant",
    "cause",
    "chat",
    "claim",
    "claimed",
    "claims",
    "classmate",
    "classmates",
    "colleague",
    "colleagues",
    "come",
    "comes",
    "complain",
    "complains",
    "convo",
    "correct",
    "could",
    "couldn't",
    "cousin",
    "coworker",
    "coz",
    "criticise",
    "criticize",
    "criticizes",
    "critique",
    "curious",
    "currently",
    "cuz",
    "dad",
    "deal",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doesnt",
    "doing",
    "don't",
    "dont",
    "dude",
    "during",
    "e",
    "each",
    "eh",
    "either",
    "else",
    "etc",
    "even",
    "ever",
    "every",
    "everybody",
    "everyone",
    "everything",
    "exactly",
    "explain",
    "false",
    "feel",
    "few",
    "find",
    "folks",
    "for",
    "friend",
    "friends",
    "from",
    "fyi",
    "get",
    "gets",
    "getting",
    "gimme",
    "give",
    "goes",
    "going",
    "gonna",
    "got",
    "group",
    "guess",
    "guy",
    "guys",
    "had",
    "haha",
    "hahaha",
    "happen",
    "happened",
    "happens",
    "has",
    "have",
    "having",
    "he",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "hey",
    "him",
    "himself",
    "his",
    "hiya",
    "hm",
    "hmm",
    "honestly",
    "how",
    "how's",
    "hows",
    "huh",
    "i",
    "i'd",
    "i'm",
    "i've",
    "idk",
    "if",
    "im",
    "imo",
    "in",
    "into",
    "is",
    "isn't",
    "isnt",
    "it",
    "it's",
    "its",
    "ive",
    "just",
    "keep",
    "keeps",
    "kind",
    "kinda",
    "know",
    "late",
    "lemme",
    "let",
    "let's",
    "like",
    "literally",
    "lmao",
    "lmk",
    "lol",
    "lolol",
    "look",
    "looking",
    "lot",
    "lots",
    "made",
    "make",
    "makes",
    "man",
    "mate",
    "maybe",
    "me",
    "mean",
    "means",
    "mention",
    "mentioned",
    "mentions",
    "might",
    "mom",
    "more",
    "much",
    "must",
    "my",
    "myself",
    "nah",
    "need",
    "needs",
    "neither",
    "ngl",
    "nope",
    "nor",
    "now",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "omg",
    "on",
    "one's",
    "only",
    "onto",
    "oops",
    "or",
    "other",
    "our",
    "ourselves",
    "out",
    "per",
    "please",
    "pls",
    "plz",
    "ppl",
    "pretty",
    "probably",
    "prof",
    "professor",
    "put",
    "q",
    "question",
    "questions",
    "quick",
    "quickly",
    "quite",
    "re",
    "real",
    "really",
    "regarding",
    "right",
    "rn",
    "roommate",
    "s",
    "said",
    "say",
    "saying",
    "says",
    "see",
    "seem",
    "seems",
    "seriously",
    "settle",
    "she",
    "she's",
    "should",
    "show",
    "since",
    "sister",
    "so",
    "some",
    "somebody",
    "someone",
    "something",
    "sorry",
    "sort",
    "sorta",
    "specifically",
    "still",
    "stuff",
    "such",
    "sup",
    "super",
    "sure",
    "take",
    "takes",
    "talk",
    "talking",
    "talks",
    "tbh",
    "teacher",
    "tell",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "think",
    "thinks",
    "this",
    "tho",
    "those",
    "though",
    "thread",
    "through",
    "to",
    "today",
    "tonight",
    "took",
    "totally",
    "true",
    "try",
    "trying",
    "u",
    "uh",
    "um",
    "until",
    "up",
    "upon",
    "ur",
    "us",
    "use",
    "used",
    "using",
    "very",
    "via",
    "vs",
    "w",
    "wait",
    "wanna",
    "want",
    "wanted",
    "wants",
    "was",
    "way",
    "we",
    "we're",
    "well",
    "went",
    "were",
    "what",
    "what's",
    "whats",
    "where's",
    "wheres",
    "whether",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "whos",
    "whose",
    "why",
    "why's",
    "will",
    "with",
    "wondering",
    "wont",
    "would",
    "wouldn't",
    "wow",
    "wrt",
    "xd",
    "y'all",
    "ya",
    "yall",
    "yeah",
    "yep",
    "yes",
    "yet",
    "yo",
    "you",
    "you're",
    "your",
    "yours",
    "yourself",
];

/// Korean words (after particle stripping) with no topic of their own.
const KOREAN_STOP: &[&str] = &[
    "그거",
    "그건",
    "그게",
    "그냥",
    "그래서",
    "그러면",
    "그럼",
    "근데",
    "나한테",
    "너",
    "넌",
    "네",
    "누가",
    "뭐",
    "뭐지",
    "뭐냐",
    "뭐야",
    "뭐예",
    "뭐에",
    "뭔가",
    "뭔지",
    "뭘",
    "무슨",
    "무엇",
    "무엇인지",
    "무엇입니까",
    "설명",
    "설명해",
    "설명해줘",
    "설명해주세요",
    "알려",
    "알려줘",
    "알려주세요",
    "알려줄래",
    "얘기",
    "어떤",
    "어떻게",
    "어디",
    "언제",
    "얘들아",
    "여러분",
    "왜",
    "이거",
    "이건",
    "이게",
    "이런",
    "저기",
    "정말",
    "좀",
    "주세요",
    "줘",
    "혹시",
    "해줘",
    "말해줘",
    "말해",
    "대해",
    "대해서",
    "관해",
    "관해서",
    "대한",
    "관한",
    "있어",
    "있나",
    "있나요",
    "있어요",
    "있는",
    "있음",
    "뭐임",
    "ㅋㅋ",
    "ㅋㅋㅋ",
    "ㅎㅎ",
    "ㅎㅎㅎ",
    "ㅠㅠ",
    "ㅜㅜ",
    "봇",
    "님",
    "궁금해",
    "궁금",
    "궁금합니다",
    "궁금한데",
    "질문",
    "거",
    "것",
    "건",
    "게",
    "하는",
    "해",
    "해요",
    "하나",
    "하나요",
    "인가",
    "이야",
    "있",
    "없",
    "저",
    "제",
    "내",
    "우리",
    "그",
    "이",
    "잘",
    "또",
    "다시",
    "어때",
    "어때요",
    "어떤가요",
    "뭔가요",
    "뭡니까",
    "말하는",
    "말한",
    "라고",
    "이라고",
    "내용",
    "부분",
    "말",
    "하던데",
    "했는데",
    "했던",
    "하지",
    "중요",
    "중요하게",
    "중요한",
    "관련",
    "빨리",
    "확인",
    "잠깐",
    "잠깐만",
    "다들",
    "요즘",
    "애들",
    "나와",
    "나와요",
    "나오나",
    "나온",
    "나오는지",
    "봤대",
    "봤어",
    "했대",
    "한대",
    "있대",
    "뭐였지",
    "뭐였어",
    "뭐였더라",
    "뭐라고",
    "뭐래",
    "라던데",
    "들었는데",
    "읽었어",
    "읽었는데",
    "회의",
    "전에",
    "진짜",
    "완전",
    "약간",
    "그거뭐",
    "봇아",
    "봇님",
    "나왔다고",
    "나왔어",
    "했다고",
    "한다고",
    "됐어",
    "되었어",
    "말했어",
    "뭐라함",
    "뭐라고함",
    "라함",
    "얘기하는거",
    "하는거",
    "거임",
    "안감",
    "안가",
    "안가요",
    "안해",
    "안함",
    "안하는",
    "안하지",
    "안가는",
    "맞아",
    "맞아요",
    "맞지",
    "맞나요",
    "맞죠",
    "엄청",
    "되게",
    "진심",
    "ㄹㅇ",
    "그니까",
    "정리",
    "ㄱㄱ",
];

/// The lists as the matcher sees text: folded (NFKC turns compatibility
/// jamo such as "ㅋ" into conjoining jamo, so the lists must be folded too).
static STOP: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut stop = folded_set(ENGLISH_STOP.iter().chain(KOREAN_STOP));
    stop.extend(super::context::word_list(include_str!(
        "data/reactions.txt"
    )));
    stop
});

/// True for a word (folded) that carries no topic.
pub fn is_stop(word: &str) -> bool {
    STOP.contains(word)
}

/// Names of countries, companies, universities and people that questions
/// bring up. Only a name the knowledge base does not know counts: one in a
/// question says it is about something else, more surely than an ordinary
/// unknown word (a paraphrase may use one of those). Names close to one
/// article's subject belong in its knowledge base (`[out_of_scope] names`).
const OTHER_NAMES: &[&str] = &[
    // countries and regions
    "japan",
    "japanese",
    "usa",
    "america",
    "american",
    "americans",
    "germany",
    "german",
    "france",
    "french",
    "uk",
    "britain",
    "british",
    "england",
    "india",
    "indian",
    "taiwan",
    "taiwanese",
    "singapore",
    "israel",
    "europe",
    "european",
    "eu",
    "russia",
    "russian",
    "vietnam",
    "canada",
    "australia",
    "finland",
    "sweden",
    "switzerland",
    "brazil",
    "mexico",
    "africa",
    "north",
    "pyongyang",
    "일본",
    "미국",
    "독일",
    "프랑스",
    "영국",
    "인도",
    "대만",
    "싱가포르",
    "이스라엘",
    "유럽",
    "러시아",
    "베트남",
    "캐나다",
    "호주",
    "북한",
    // companies and products
    "samsung",
    "lg",
    "hyundai",
    "sk",
    "naver",
    "kakao",
    "google",
    "apple",
    "microsoft",
    "nvidia",
    "openai",
    "meta",
    "facebook",
    "amazon",
    "tesla",
    "tsmc",
    "intel",
    "huawei",
    "tencent",
    "bytedance",
    "tiktok",
    "anthropic",
    "claude",
    "gemini",
    "llama",
    "mistral",
    "bitcoin",
    "crypto",
    "iphone",
    "android",
    "windows",
    "삼성",
    "삼성전자",
    "현대",
    "네이버",
    "카카오",
    "구글",
    "애플",
    "엔비디아",
    "오픈ai",
    "테슬라",
    "화웨이",
    "텐센트",
    "비트코인",
    "아이폰",
    // universities and institutes
    "kaist",
    "postech",
    "snu",
    "harvard",
    "mit",
    "stanford",
    "oxford",
    "cambridge",
    "tsinghua",
    "카이스트",
    "포스텍",
    "서울대",
    "연세대",
    "고려대",
    "하버드",
    // people
    "musk",
    "altman",
    "zuckerberg",
    "jensen",
    "trump",
    "biden",
    "obama",
    "머스크",
    "트럼프",
    "윤석열",
    "이재명",
];

static OTHER_NAME_SET: LazyLock<HashSet<String>> = LazyLock::new(|| folded_set(OTHER_NAMES));

/// True for the name of a well-known country, company, university or person.
pub fn is_other_name(word: &str) -> bool {
    OTHER_NAME_SET.contains(word)
}

/// Words for the article and its author (the author's name is added from
/// the knowledge base). In "what does the column say about China" or
/// "칼럼에서 중국 얘기" they only frame the question; in "who is the
/// author" they are what it asks about.
const META: &[&str] = &[
    "column",
    "article",
    "piece",
    "essay",
    "text",
    "author",
    "writer",
    "columnist",
    "he",
    "she",
    "칼럼",
    "기사",
    "글",
    "저자",
    "필자",
    "작가",
    "글쓴이",
];

/// Verbs that follow a framing word: "the author says", "the article mentions".
const FRAME_VERBS: &[&str] = &[
    "say",
    "says",
    "said",
    "think",
    "thinks",
    "thought",
    "mention",
    "mentions",
    "mentioned",
    "talk",
    "talks",
    "write",
    "writes",
    "argue",
    "argues",
    "claim",
    "claims",
    "suggest",
    "suggests",
    "propose",
    "proposes",
    "recommend",
    "recommends",
    "want",
    "wants",
    "believe",
    "believes",
    "criticize",
    "criticizes",
    "list",
    "lists",
    "bring",
    "brings",
    "cover",
    "covers",
    "discuss",
    "discusses",
    "describe",
    "describes",
    "explain",
    "explains",
    "feel",
    "feels",
    "see",
    "sees",
    "view",
    "views",
    "call",
    "calls",
    "blame",
    "blames",
    "point",
    "points",
    "make",
    "makes",
    "give",
];

/// Words before a framing word: "in the column", "according to the article".
const FRAME_BEFORE: &[&str] = &["in", "according", "per", "from", "of", "by", "to"];

/// Korean verbs of saying that follow a framing word: "저자가 말하는".
const KOREAN_FRAME_VERBS: &[&str] = &[
    "말",
    "주장",
    "얘기",
    "이야기",
    "언급",
    "설명",
    "강조",
    "제안",
    "생각",
    "보는",
    "본다",
];

/// Verbs of reporting: whoever is before them ("jisoo says", "my prof
/// said") only frames the question.
const REPORTING: &[&str] = &[
    "says", "said", "told", "thinks", "reckons", "claims", "asked", "saying", "keeps",
];

/// For each token, whether it only frames the question (see `META`);
/// `author` holds the words of the author's name, folded.
pub fn framing(tokens: &[Token], author: &[String]) -> Vec<bool> {
    let is_meta = |w: &str| META.contains(&w) || author.iter().any(|a| a == w);
    let word = |i: usize| tokens.get(i).map(|t| t.text.as_str());
    (0..tokens.len())
        .map(|i| {
            let t = &tokens[i];
            match t.script {
                Script::Latin => {
                    if word(i + 1).is_some_and(|w| REPORTING.contains(&w)) {
                        return true;
                    }
                    if !is_meta(&t.text) {
                        return false;
                    }
                    let verb_after =
                        (i + 1..=i + 2).any(|j| word(j).is_some_and(|w| FRAME_VERBS.contains(&w)));
                    // "in the column", "per this article", "according to him"
                    let before = (i.saturating_sub(2)..i).rev().find(|&j| {
                        !matches!(word(j), Some("the" | "this" | "that" | "his" | "her"))
                    });
                    let prep_before =
                        before.is_some_and(|j| word(j).is_some_and(|w| FRAME_BEFORE.contains(&w)));
                    verb_after || prep_before
                }
                Script::Hangul => {
                    let stem = strip_korean(&t.text);
                    if !is_meta(stem) {
                        return false;
                    }
                    // "칼럼에서", "칼럼에" place the question inside the column.
                    let locative = t.text.ends_with("에서")
                        || t.text.ends_with("에선")
                        || t.text.ends_with('에');
                    let verb_after = tokens
                        .get(i + 1)
                        .is_some_and(|n| KOREAN_FRAME_VERBS.iter().any(|v| n.text.starts_with(v)));
                    locative || verb_after
                }
            }
        })
        .collect()
}

/// True for a question that asks for a number: "how many", "how much",
/// "how old", "how long", "what year", "when", "몇", "얼마", "언제".
pub fn asks_number(words: &[String]) -> bool {
    let pairs = words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            ("how", "many" | "much" | "old" | "long" | "big")
                | ("what" | "which", "year" | "age" | "date")
        )
    });
    pairs
        || words.iter().enumerate().any(|(i, w)| {
            // "얼마나" is "how much" before 돼/들어/받아…, "how" before an
            // adjective ("얼마나 심각해": how serious).
            let how_much = w.starts_with("얼마나")
                && words.get(i + 1).is_some_and(|n| {
                    [
                        "돼", "되", "들", "받", "벌", "많", "줄", "늘", "올", "깎", "삭감",
                    ]
                    .iter()
                    .any(|p| n.starts_with(p))
                });
            // "몇번째", "몇 단계" ask which one (an ordinal), not how many.
            let which_one = |t: &str| {
                ["번째", "째", "단계", "번 째"]
                    .iter()
                    .any(|p| t.starts_with(p))
            };
            let ordinal = w.strip_prefix('몇').is_some_and(which_one)
                || (w == "몇" && words.get(i + 1).is_some_and(|n| which_one(n)));
            w == "when"
                || (w.starts_with('몇') && !ordinal)
                || (w.starts_with("얼마") && !w.starts_with("얼마나"))
                || how_much
                || w.starts_with("언제")
        })
}

/// True for a request about the asker rather than the column: "how do I",
/// "can I", "should I", "제가", "내가".
pub fn is_personal(words: &[String]) -> bool {
    let asks = words.windows(2).any(|w| {
        matches!(
            (w[0].as_str(), w[1].as_str()),
            (
                "do" | "can" | "could" | "should" | "would" | "will" | "shall" | "am",
                "i"
            ) | ("i", "want" | "need")
        )
    });
    asks || words
        .iter()
        .any(|w| matches!(w.as_str(), "제가" | "내가" | "저도" | "나도"))
}

/// Number words a passage may state a quantity with.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty",
    "forty", "hundred", "thousand", "million", "billion", "percent", "decade", "decades",
];

/// True when a passage states a number (digits or number words).
pub fn states_number(passage: &str) -> bool {
    passage.chars().any(|c| c.is_ascii_digit())
        || passage
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| NUMBER_WORDS.contains(&w.to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::text::fold;
    use super::*;

    #[test]
    fn intents() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(asks_number(&words("how much do they earn")));
        assert!(asks_number(&words("의대 정원 몇 명")));
        assert!(asks_number(&words("예산 얼마나 줄었어")));
        assert!(!asks_number(&words("인력난 얼마나 심각하대")));
        assert!(!asks_number(&words("what is step two")));
        assert!(!asks_number(&words("해외연수 지원은 몇번째 단계야")));
        assert!(!asks_number(&words("몇 번째 제안이야")));
        assert!(is_personal(&words("how do i get into kaist")));
        assert!(!is_personal(&words("how can korea fix it")));
        assert!(states_number("In 2016, AlphaGo"));
        assert!(states_number("three major waves"));
        assert!(!states_number("Second, we must build"));
    }

    #[test]
    fn framing_table() {
        use super::super::text::tokenize;
        let cases: &[(&str, &[&str])] = &[
            ("what does the column say about china", &["column"]),
            ("what does he think of failure", &["he"]),
            ("why is china doing well per this article", &["article"]),
            ("who is the author", &[]),
            ("what is this column", &[]),
            ("칼럼에서 중국 얘기 나와?", &["칼럼에서"]),
            ("저자가 말하는 해법", &["저자가"]),
            ("저자가 누구야", &[]),
        ];
        for (q, want) in cases {
            let tokens = tokenize(&fold(q));
            let got: Vec<&str> = tokens
                .iter()
                .zip(framing(&tokens, &[]))
                .filter(|(_, f)| *f)
                .map(|(t, _)| t.text.as_str())
                .collect();
            assert_eq!(got, *want, "{q}");
        }
        // The author's name, from the knowledge base, frames like "author".
        let tokens = tokenize(&fold("what does Lindqvist say about rent"));
        let author = ["mara".to_owned(), "lindqvist".to_owned()];
        assert_eq!(
            framing(&tokens, &author),
            [false, false, true, false, false, false]
        );
        assert_eq!(framing(&tokens, &[]), [false; 6]);
    }

    #[test]
    fn other_names() {
        assert!(is_other_name("japan"));
        assert!(is_other_name("카이스트"));
        assert!(!is_other_name("china"));
    }

    #[test]
    fn stop_words() {
        assert!(is_stop("what"));
        assert!(!is_stop("failure"));
        assert!(is_stop("뭐야"));
        assert!(is_stop(&fold("ㅋㅋ")));
        assert!(!is_stop("실패"));
    }
}

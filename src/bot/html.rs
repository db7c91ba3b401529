//! Fitting Telegram HTML into messages. Telegram refuses a message over
//! 4096 characters, and a message cut in the middle of `<blockquote>…` is
//! refused as malformed, so a long reply is split between blocks where it
//! can, and inside a block only between tags and entities, closing the tags
//! still open at the cut and reopening them at the start of the next message.
//!
//! Lengths are counted in UTF-16 code units of the HTML source: Telegram
//! counts UTF-16 units of the text after parsing, which is never longer, so
//! a piece that fits here fits there.

/// Telegram's limit on one message's text.
pub const MESSAGE_LIMIT: usize = 4096;

/// Packs HTML blocks into as few messages as fit `limit`, blocks separated by
/// a blank line, splitting any block that does not fit: its first piece
/// fills the room left in the current message, if there is a useful amount.
pub fn pack(blocks: &[String], limit: usize) -> Vec<String> {
    // Less room than this is not worth a fragment of a block.
    let min_room = limit / 8;
    let mut messages = Vec::new();
    let mut current = String::new();
    for block in blocks {
        let used = if current.is_empty() {
            0
        } else {
            utf16_len(&current) + 2
        };
        let room = limit.saturating_sub(used);
        let first = if room >= min_room.max(1) { room } else { limit };
        for (i, piece) in split_with(block, first, limit).into_iter().enumerate() {
            let fits = i == 0 && utf16_len(&piece) <= room;
            if current.is_empty() {
                current = piece;
            } else if fits {
                current.push_str("\n\n");
                current.push_str(&piece);
            } else {
                messages.push(std::mem::replace(&mut current, piece));
            }
        }
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

/// Splits one piece of HTML into pieces of at most `limit` UTF-16 units,
/// each with balanced tags. Cuts after whitespace where possible, so words
/// stay whole. Only a `limit` too small for a single tag or character plus
/// the tags open around it yields a longer piece.
pub fn split(html: &str, limit: usize) -> Vec<String> {
    split_with(html, limit, limit)
}

/// [`split`] with a different limit for the first piece.
fn split_with(html: &str, first: usize, limit: usize) -> Vec<String> {
    if utf16_len(html) <= first {
        return vec![html.to_owned()];
    }
    let tokens = tokenize(html);
    let mut pieces = Vec::new();
    let mut open: Vec<Tag> = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let limit = if pieces.is_empty() { first } else { limit };
        let reopen: String = open.iter().map(|t| t.raw).collect();
        let mut len = utf16_len(&reopen);
        let mut stack = open.clone();
        // The last cut after whitespace that fits: token index and open tags.
        let mut soft: Option<(usize, Vec<Tag>)> = None;
        let mut end = start;
        while end < tokens.len() {
            let token = &tokens[end];
            let undo = apply(&mut stack, token);
            let token_len = utf16_len(token.raw());
            if len + token_len + closing_len(&stack) > limit {
                revert(&mut stack, undo);
                break;
            }
            len += token_len;
            end += 1;
            if token.is_whitespace() {
                soft = Some((end, stack.clone()));
            }
        }
        let (cut, after) = if end == tokens.len() {
            (end, stack)
        } else {
            match soft {
                Some((cut, after)) if cut > start => (cut, after),
                _ if end > start => (end, stack),
                _ => {
                    // Not even one token fits: take it anyway, or never finish.
                    apply(&mut stack, &tokens[start]);
                    (start + 1, stack)
                }
            }
        };
        let mut piece = reopen;
        tokens[start..cut]
            .iter()
            .for_each(|t| piece.push_str(t.raw()));
        if cut < tokens.len() {
            for tag in after.iter().rev() {
                piece.push_str("</");
                piece.push_str(tag.name);
                piece.push('>');
            }
        }
        pieces.push(piece);
        open = after;
        start = cut;
    }
    pieces
}

/// Length in UTF-16 code units, the unit of Telegram's limits.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag<'a> {
    name: &'a str,
    raw: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Open(Tag<'a>),
    Close {
        name: &'a str,
        raw: &'a str,
    },
    /// One character or one entity such as `&amp;`.
    Text(&'a str),
}

impl<'a> Token<'a> {
    fn raw(&self) -> &'a str {
        match *self {
            Token::Open(tag) => tag.raw,
            Token::Close { raw, .. } | Token::Text(raw) => raw,
        }
    }

    fn is_whitespace(&self) -> bool {
        matches!(self, Token::Text(t) if t.chars().all(char::is_whitespace))
    }
}

/// What [`apply`] did, so a token that does not fit can be taken back.
enum Undo<'a> {
    Nothing,
    Pushed,
    Popped(Tag<'a>),
}

fn apply<'a>(stack: &mut Vec<Tag<'a>>, token: &Token<'a>) -> Undo<'a> {
    match *token {
        Token::Open(tag) => {
            stack.push(tag);
            Undo::Pushed
        }
        Token::Close { name, .. } => match stack.pop_if(|t| t.name == name) {
            Some(tag) => Undo::Popped(tag),
            None => Undo::Nothing,
        },
        Token::Text(_) => Undo::Nothing,
    }
}

fn revert<'a>(stack: &mut Vec<Tag<'a>>, undo: Undo<'a>) {
    match undo {
        Undo::Nothing => {}
        Undo::Pushed => {
            stack.pop();
        }
        Undo::Popped(tag) => stack.push(tag),
    }
}

fn closing_len(stack: &[Tag]) -> usize {
    stack.iter().map(|t| utf16_len(t.name) + 3).sum()
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '<' => rest.find('>').map_or(c.len_utf8(), |i| i + 1),
            // Entities are short; a lone '&' is taken as a character.
            '&' => rest
                .char_indices()
                .take(12)
                .find(|&(_, ch)| ch == ';')
                .map_or(c.len_utf8(), |(i, _)| i + 1),
            _ => c.len_utf8(),
        };
        let (raw, tail) = rest.split_at(len);
        rest = tail;
        let token = if raw.len() > 1 && raw.starts_with("</") {
            Token::Close {
                name: tag_name(&raw[2..]),
                raw,
            }
        } else if raw.len() > 1 && raw.starts_with('<') && !raw.ends_with("/>") {
            Token::Open(Tag {
                name: tag_name(&raw[1..]),
                raw,
            })
        } else {
            Token::Text(raw)
        };
        tokens.push(token);
    }
    tokens
}

fn tag_name(after_bracket: &str) -> &str {
    let end = after_bracket
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(after_bracket.len());
    &after_bracket[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag closed in order, none cut.
    fn balanced(html: &str) -> bool {
        let mut stack = Vec::new();
        for token in tokenize(html) {
            match token {
                Token::Open(tag) => stack.push(tag.name),
                Token::Close { name, .. } => {
                    if stack.pop() != Some(name) {
                        return false;
                    }
                }
                Token::Text(t) => {
                    if t.starts_with('<') {
                        return false;
                    }
                }
            }
        }
        stack.is_empty()
    }

    fn text_of(html: &str) -> String {
        tokenize(html)
            .into_iter()
            .filter_map(|t| match t {
                Token::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn short_html_is_one_piece() {
        assert_eq!(split("<b>hi</b>", 100), vec!["<b>hi</b>"]);
        assert_eq!(pack(&["a".into(), "b".into()], 100), vec!["a\n\nb"]);
    }

    #[test]
    fn a_long_quote_is_cut_between_words_and_its_tag_reopened() {
        let words = "word &amp; “quoted” 단어 ".repeat(400);
        let html = format!("<b>Step 2</b>\n<blockquote>{words}</blockquote>");
        let pieces = split(&html, MESSAGE_LIMIT);
        assert!(pieces.len() >= 2, "{}", pieces.len());
        for piece in &pieces {
            assert!(utf16_len(piece) <= MESSAGE_LIMIT, "{}", utf16_len(piece));
            assert!(balanced(piece), "{piece}");
            assert!(!piece.contains("&am<") && !piece.contains("<blockq</"));
        }
        assert!(pieces[1].starts_with("<blockquote>"));
        assert!(pieces[0].ends_with(" </blockquote>"), "cut after a space");
        let joined: String = pieces.iter().map(|p| text_of(p)).collect();
        assert_eq!(joined, text_of(&html));
    }

    #[test]
    fn blocks_are_packed_and_never_exceed_the_limit() {
        let blocks: Vec<String> = (0..50)
            .map(|i| format!("<i>{}</i>", format!("block {i} ").repeat(20)))
            .collect();
        let messages = pack(&blocks, 1000);
        assert!(messages.len() > 1);
        for m in &messages {
            assert!(utf16_len(m) <= 1000);
            assert!(balanced(m), "{m}");
        }
        let words = |s: &str| text_of(s).split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(&messages.join(" ")), words(&blocks.join(" ")));
        // A block is only cut to fill a message that has room for part of it.
        for pair in messages.windows(2) {
            assert!(
                utf16_len(&pair[0]) > 1000 - 1000 / 8 - 200,
                "{}",
                utf16_len(&pair[0])
            );
        }
    }

    #[test]
    fn counts_utf16_units() {
        assert_eq!(utf16_len("a한😀"), 1 + 1 + 2);
        let emoji = "😀".repeat(10);
        for piece in split(&emoji, 5) {
            assert!(utf16_len(&piece) <= 5);
        }
    }

    #[test]
    fn text_without_spaces_is_still_cut_and_a_tiny_limit_terminates() {
        let html = format!("<b>{}</b>", "x".repeat(50));
        let pieces = split(&html, 20);
        assert!(pieces.iter().all(|p| utf16_len(p) <= 20 && balanced(p)));
        assert_eq!(
            pieces.iter().map(|p| text_of(p)).collect::<String>(),
            "x".repeat(50)
        );
        assert!(!split(&html, 1).is_empty());
        assert!(!split("<b", 1).is_empty());
    }
}

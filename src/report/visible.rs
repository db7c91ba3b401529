//! Questions from the log shown to the operator — in a terminal by
//! `qabot report`, in a chat by `/stats` — with every character that could
//! hide or disguise text written out instead: control characters (C0, DEL,
//! C1: a terminal obeys escape sequences), the bidirectional controls that
//! reorder what follows them (U+202E shows `exe.txt` for `txt.exe`), line
//! and paragraph separators, and the invisible marks and joiners that make
//! two questions look alike. Anyone can put any of them in a question.
//!
//! JSON output needs none of this: serde escapes control characters, and
//! what reads JSON is a program.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is written out rather than shown.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}' // soft hyphen
            | '\u{061C}' // Arabic letter mark
            | '\u{180E}' // Mongolian vowel separator
            | '\u{200B}' // zero-width space
            | '\u{200E}'..='\u{200F}' // left-to-right, right-to-left marks
            | '\u{2028}'..='\u{202E}' // line, paragraph separators; embeddings, overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}' // isolates; deprecated format characters
            | '\u{FEFF}' // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        )
}

/// `text` with each hidden character written as Rust writes it (`\u{202e}`).
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// Like [`visible`], but line ends stay: for a whole report, whose lines
/// are its own.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hidden(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) && !keep(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a TOML basic string, quotes included, to paste into
/// `knowledge.toml`: what TOML requires escaped, and every hidden character
/// too, as `\uXXXX` (TOML's own escape, so the string still reads back as
/// it was asked).
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Every hidden character is in the Basic Multilingual Plane.
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_written_out() {
        let cases = [
            ("what is step 2", "what is step 2"),
            ("과학자 👩‍🔬 é", "과학자 👩‍🔬 é"),
            ("\u{202E}txt.exe", "\\u{202e}txt.exe"),
            (
                "a\u{202A}b\u{202B}c\u{202C}d\u{202D}",
                "a\\u{202a}b\\u{202b}c\\u{202c}d\\u{202d}",
            ),
            (
                "\u{2066}x\u{2067}y\u{2068}z\u{2069}",
                "\\u{2066}x\\u{2067}y\\u{2068}z\\u{2069}",
            ),
            ("\u{200E}\u{200F}\u{061C}", "\\u{200e}\\u{200f}\\u{61c}"),
            ("one\u{2028}two\u{2029}", "one\\u{2028}two\\u{2029}"),
            ("\u{1b}[2J\u{7}", "\\u{1b}[2J\\u{7}"),
            ("tab\there\r\n", "tab\\u{9}here\\u{d}\\u{a}"),
            ("\u{0}\u{7f}", "\\u{0}\\u{7f}"),
            ("\u{85}\u{9b}31m", "\\u{85}\\u{9b}31m"),
            (
                "in\u{200B}visible\u{FEFF}\u{AD}",
                "in\\u{200b}visible\\u{feff}\\u{ad}",
            ),
        ];
        for (text, shown) in cases {
            assert_eq!(visible(text), shown, "{text:?}");
            assert!(!visible(text).chars().any(is_hidden), "{text:?}");
        }
        assert_eq!(visible_lines("a\u{202E}\nb\n"), "a\\u{202e}\nb\n");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn toml_strings_read_back_as_asked_and_hide_nothing() {
        let cases = [
            ("say \"hi\" \\ there", "\"say \\\"hi\\\" \\\\ there\""),
            ("it's \"odd\"", "\"it's \\\"odd\\\"\""),
            ("줄\n바꿈", "\"줄\\n바꿈\""),
            ("'''", "\"'''\""),
            ("\u{202E}gnp.exe", "\"\\u202Egnp.exe\""),
            ("\u{1b}[31mred\u{85}", "\"\\u001B[31mred\\u0085\""),
            ("a\u{2028}b\tc\r", "\"a\\u2028b\\tc\\r\""),
        ];
        for (question, expected) in cases {
            let written = toml_string(question);
            assert_eq!(written, expected, "{question:?}");
            assert!(!written.chars().any(is_hidden), "{written}");
            let line = format!("q = {written}");
            let parsed: toml::Table =
                toml::from_str(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(parsed["q"].as_str(), Some(question), "{line}");
        }
    }
}

//! An error and the place in a file it is about, said the way compilers and
//! editors read it: `PATH: message`, `PATH:LINE: message` or
//! `PATH:LINE:COL: message`. Config and knowledge-base errors are located
//! with it, so every "where" is written one way.

use std::fmt;
use std::path::{Path, PathBuf};

/// `error`, found in `path` at `line` (1-based) and `column` (1-based, in
/// characters), where those are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<E> {
    pub path: PathBuf,
    pub line: Option<usize>,
    /// Only shown with a line.
    pub column: Option<usize>,
    pub error: E,
}

impl<E> Located<E> {
    /// `error` about the whole of `path`.
    pub fn in_file(path: &Path, error: E) -> Self {
        Located {
            path: path.to_path_buf(),
            line: None,
            column: None,
            error,
        }
    }

    /// `error` on `line` of `path`.
    pub fn on_line(path: &Path, line: usize, error: E) -> Self {
        Located {
            line: Some(line),
            ..Located::in_file(path, error)
        }
    }

    /// `error` at byte `offset` of `text`, the contents of `path`: its line
    /// and column (counted in characters, as editors do).
    pub fn at_offset(path: &Path, text: &str, offset: usize, error: E) -> Self {
        let (line, column) = line_and_column(text, offset);
        Located::on_line(path, line, error).at_column(column)
    }

    /// The same place, with another error.
    pub fn map<F>(self, f: impl FnOnce(E) -> F) -> Located<F> {
        Located {
            path: self.path,
            line: self.line,
            column: self.column,
            error: f(self.error),
        }
    }

    /// The same place, with the column too.
    pub fn at_column(self, column: usize) -> Self {
        Located {
            column: Some(column),
            ..self
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`;
/// an offset past the end, or inside a character, counts as the next place
/// there is.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

impl<E: fmt::Display> fmt::Display for Located<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.error)
    }
}

/// The inner error's text is already in this one's, so its cause is the
/// inner error's cause: a report walking the chain says each once.
impl<E: std::error::Error> std::error::Error for Located<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_said_as_precisely_as_it_is_known() {
        let path = Path::new("kb/knowledge.toml");
        let cases = [
            (Located::in_file(path, "bad"), "kb/knowledge.toml: bad"),
            (Located::on_line(path, 3, "bad"), "kb/knowledge.toml:3: bad"),
            (
                Located::on_line(path, 3, "bad").at_column(7),
                "kb/knowledge.toml:3:7: bad",
            ),
            // A column without a line places nothing.
            (
                Located::in_file(path, "bad").at_column(7),
                "kb/knowledge.toml: bad",
            ),
        ];
        for (located, shown) in cases {
            assert_eq!(located.to_string(), shown);
        }
    }

    #[test]
    fn an_offset_becomes_a_line_and_a_column_in_characters() {
        let text = "ab\nλx = 1\n";
        for (offset, place) in [
            (0, (1, 1)),
            (2, (1, 3)),
            (3, (2, 1)),
            // After the two-byte λ: the second character.
            (5, (2, 2)),
            // Inside λ: the next place there is.
            (4, (2, 2)),
            (99, (3, 1)),
        ] {
            assert_eq!(line_and_column(text, offset), place, "offset {offset}");
        }
    }
}

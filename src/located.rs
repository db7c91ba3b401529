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

    /// The same place, with the column too.
    pub fn at_column(self, column: usize) -> Self {
        Located {
            column: Some(column),
            ..self
        }
    }
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
}

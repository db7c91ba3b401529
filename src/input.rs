//! Standard input read as lines of UTF-8 (`qabot ask` and `qabot chat`),
//! each numbered so that an error can name its line.

use std::io::BufRead;

/// Standard input that cannot be read as questions.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(
        "standard input, line {line}: not valid UTF-8, so qabot stopped there (the lines before it were answered); send questions as UTF-8 text"
    )]
    NotUtf8 { line: usize },
    // The I/O error is in the text, not a `source()`, so it prints once.
    #[error("cannot read standard input at line {line}: {error}")]
    Read { line: usize, error: std::io::Error },
}

impl crate::errors::UserError for InputError {
    /// The input itself is at fault when it is not UTF-8; a failed read is
    /// the system's.
    fn is_bad_input(&self) -> bool {
        matches!(self, InputError::NotUtf8 { .. })
    }
}

/// The lines of `reader`, without their `\n` or `\r\n`, counted from 1 so an
/// error can name its line; the first error ends them.
pub struct InputLines<R> {
    reader: R,
    line: usize,
    failed: bool,
}

impl<R: BufRead> InputLines<R> {
    pub fn new(reader: R) -> Self {
        InputLines {
            reader,
            line: 0,
            failed: false,
        }
    }
}

impl<R: BufRead> Iterator for InputLines<R> {
    type Item = Result<String, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        // Bytes, not `BufRead::lines`: its error does not say which line.
        let mut bytes = Vec::new();
        let line = self.line + 1;
        let result = match self.reader.read_until(b'\n', &mut bytes) {
            Ok(0) => return None,
            Ok(_) => {
                self.line = line;
                if bytes.ends_with(b"\n") {
                    bytes.pop();
                    if bytes.ends_with(b"\r") {
                        bytes.pop();
                    }
                }
                String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { line })
            }
            Err(error) => Err(InputError::Read { line, error }),
        };
        self.failed = result.is_err();
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_lines_are_numbered_and_stop_at_the_first_bad_one() {
        // (input, lines read; Err(n) is "line n is not UTF-8")
        type Lines<'a> = &'a [Result<&'a str, usize>];
        let cases: &[(&[u8], Lines)] = &[
            (b"", &[]),
            (b"a\nb", &[Ok("a"), Ok("b")]),
            (b"a\r\n\nb\n", &[Ok("a"), Ok(""), Ok("b")]),
            (b"hi\n\xff\xfe\nstep 1\n", &[Ok("hi"), Err(2)]),
            (b"\n\n\xe2\x82\n", &[Ok(""), Ok(""), Err(3)]),
            (b"\xff", &[Err(1)]),
        ];
        for (input, expected) in cases {
            let got: Vec<Result<String, usize>> = InputLines::new(*input)
                .map(|r| {
                    r.map_err(|e| match e {
                        InputError::NotUtf8 { line } => line,
                        InputError::Read { .. } => panic!("{e}"),
                    })
                })
                .collect();
            let expected: Vec<Result<String, usize>> =
                expected.iter().map(|r| r.map(str::to_owned)).collect();
            assert_eq!(got, expected, "{input:?}");
        }
    }
}

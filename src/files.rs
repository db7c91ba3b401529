//! Reading a hand-edited text file: whole, capped in size, as UTF-8. The
//! config, the knowledge base and the eval question file all read this way,
//! and each turns a [`ReadError`] into its own message with its own hint.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A text file that could not be read.
///
/// Each message names the path; the I/O error is part of the text and not
/// also a `source()`, so a report that walks the chain says it once.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}: cannot be read: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: is {bytes} bytes, over the {limit} byte limit", path.display())]
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    /// `line` is 1-based: the line holding the first byte that is not UTF-8.
    #[error("{}:{line}: is not valid UTF-8", path.display())]
    NotUtf8 { path: PathBuf, line: usize },
}

/// The text of `path`, refused when over `limit` bytes or not UTF-8.
///
/// The cap holds for files whose size is not known beforehand (a pipe given
/// as `--config <(…)`): at most `limit + 1` bytes are ever read.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let io = |error| ReadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let too_large = |bytes| ReadError::TooLarge {
        path: path.to_path_buf(),
        bytes,
        limit,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ReadError::NotUtf8 {
            path: path.to_path_buf(),
            line: valid.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own for one test, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("qabot-files-{}-{name}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn file(name: &str, bytes: &[u8]) -> (Scratch, PathBuf) {
        let dir = Scratch::new(name);
        let path = dir.0.join("f.txt");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    #[test]
    fn text_within_the_limit_is_read_whole() {
        let (_dir, path) = file("whole", "é\nb\n".as_bytes());
        assert_eq!(read_text(&path, 5).unwrap(), "é\nb\n");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let (_dir, path) = file("large", b"123456");
        match read_text(&path, 5) {
            Err(ReadError::TooLarge { bytes, limit, .. }) => assert_eq!((bytes, limit), (6, 5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_utf8_is_told_with_its_line() {
        for (bytes, line) in [
            (&b"\xff"[..], 1),
            (b"ok\n\xff", 2),
            (b"a\nb\nc\xc3", 3),
            (b"a\r\nb\r\n\r\n\xe9t\xe9\n", 4),
        ] {
            let (_dir, path) = file(&format!("utf8-{line}"), bytes);
            match read_text(&path, 100) {
                Err(e @ ReadError::NotUtf8 { .. }) => {
                    let ReadError::NotUtf8 { line: got, .. } = e else {
                        unreachable!()
                    };
                    assert_eq!(got, line, "{bytes:?}");
                    assert!(
                        e.to_string()
                            .ends_with(&format!("f.txt:{line}: is not valid UTF-8"))
                    );
                }
                other => panic!("{bytes:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_the_path() {
        let dir = Scratch::new("missing");
        let path = dir.0.join("nope.txt");
        let error = read_text(&path, 100).unwrap_err();
        match &error {
            ReadError::Io { error, .. } => {
                assert_eq!(error.kind(), std::io::ErrorKind::NotFound)
            }
            other => panic!("{other:?}"),
        }
        assert!(
            error.to_string().contains("nope.txt: cannot be read: "),
            "{error}"
        );
    }
}

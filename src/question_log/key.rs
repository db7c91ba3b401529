//! The key of the user and chat hashes in the question log. A hash is
//! HMAC-SHA-256 under this key, so nobody without the key can test a
//! guessed id against it; and the key never lives in the database, so a
//! copy of the database alone reveals no id, however small the ids are.
//!
//! The key comes from the environment ([`KEY_VAR`], or its old name
//! [`OLD_KEY_VAR`]) or else from a key file (`[question_log] key_file`),
//! which is created, mode 0600, with a random key when it is missing. A key
//! file that its group or others may read is refused: the key may have
//! leaked, and whoever runs qabot decides whether to tighten it or start
//! a new key.

use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::private_files;

/// The environment variable with the key; it wins over the key file.
pub const KEY_VAR: &str = "QABOT_LOG_KEY";
/// The variable's name before the key was a key (it was the hashes' salt);
/// still read when [`KEY_VAR`] is not set.
pub const OLD_KEY_VAR: &str = "QABOT_LOG_SALT";
/// A key shorter than this is refused: guessing it must be out of reach.
pub const MIN_KEY_CHARS: usize = 32;
/// Random bytes in a new key file (written as hex).
const NEW_KEY_BYTES: usize = 32;
/// Bytes of the HMAC kept in a stored hash: 128 bits.
const HASH_BYTES: usize = 16;

/// Where the key comes from. Its `Debug` and `Display` never show the key.
#[derive(Clone)]
pub enum KeySource {
    /// Given in the environment variable `var`.
    Env { var: &'static str, key: String },
    /// A file, created with a new random key when missing.
    File(PathBuf),
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Env { var, .. } => write!(f, "the key in {var}"),
            KeySource::File(path) => write!(f, "the key file {}", path.display()),
        }
    }
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl KeySource {
    /// The key the environment gives ([`KEY_VAR`], else [`OLD_KEY_VAR`]),
    /// or else the file `path`.
    pub fn from_env_or(path: PathBuf) -> Result<KeySource, KeyError> {
        let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        match (env(KEY_VAR), env(OLD_KEY_VAR)) {
            (Some(key), Some(old)) if key.trim() != old.trim() => Err(KeyError::TwoKeys),
            (Some(key), _) => Ok(KeySource::Env { var: KEY_VAR, key }),
            (None, Some(key)) => Ok(KeySource::Env {
                var: OLD_KEY_VAR,
                key,
            }),
            (None, None) => Ok(KeySource::File(path)),
        }
    }

    /// The key when it comes from the environment: a secret for the log
    /// writer to blank.
    pub fn secret(&self) -> Option<&str> {
        match self {
            KeySource::Env { key, .. } => Some(key.trim()),
            KeySource::File(_) => None,
        }
    }
}

/// Why there is no key to hash with.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{KEY_VAR} and {OLD_KEY_VAR} are both set, to different keys\n    hint: set only {KEY_VAR} ({OLD_KEY_VAR} is its old name)"
    )]
    TwoKeys,
    #[error(
        "{from} holds {chars} characters; a key needs at least {MIN_KEY_CHARS}\n    hint: make one with `openssl rand -hex 32`; a new key starts new hashes, which do not match the old ones"
    )]
    TooShort { from: String, chars: usize },
    #[error(
        "cannot read the question log's key file {}: {error}\n    hint: it must be readable by the user qabot runs as; or set [question_log] key_file, or {KEY_VAR}",
        path.display()
    )]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "the question log's key file {} is not text\n    hint: delete it and qabot makes a new key (new hashes then do not match the old ones), or write `openssl rand -hex 32` into it",
        path.display()
    )]
    NotText { path: PathBuf },
    #[error(
        "the question log's key file {} has mode {mode:04o}: its group or others may read the key\n    hint: `chmod 600 {}`; if someone else may have read it, delete it instead and qabot makes a new key (new hashes then do not match the old ones)",
        path.display(), path.display()
    )]
    Loose { path: PathBuf, mode: u32 },
    #[error(
        "cannot create the question log's key file {}: {error}\n    hint: qabot must be able to write to that folder once; or set [question_log] key_file to a writable place, or {KEY_VAR}",
        path.display()
    )]
    Create {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot make a random key for the question log: {0}")]
    Random(String),
}

/// A key, ready to hash with. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Key(Hmac<Sha256>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key `source` gives, and whether this call made the key file
    /// (it is made when missing).
    pub fn load(source: &KeySource) -> Result<(Key, bool), KeyError> {
        match source {
            KeySource::Env { key, .. } => Ok((Key::from_text(key, || source.to_string())?, false)),
            KeySource::File(path) => {
                let made = !path.exists() && create(path)?;
                let unreadable = |error| KeyError::Unreadable {
                    path: path.clone(),
                    error,
                };
                if let Some(mode) = private_files::loose_mode(path).map_err(unreadable)? {
                    return Err(KeyError::Loose {
                        path: path.clone(),
                        mode,
                    });
                }
                let bytes = std::fs::read(path).map_err(unreadable)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| KeyError::NotText { path: path.clone() })?;
                Ok((Key::from_text(&text, || source.to_string())?, made))
            }
        }
    }

    /// A key from its text (surrounding white space aside); `source` says
    /// where it came from, for the error.
    pub fn from_text(text: &str, source: impl FnOnce() -> String) -> Result<Key, KeyError> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars < MIN_KEY_CHARS {
            return Err(KeyError::TooShort {
                from: source(),
                chars,
            });
        }
        // HMAC takes a key of any length.
        Hmac::new_from_slice(text.as_bytes())
            .map(Key)
            .map_err(|e| KeyError::Random(e.to_string()))
    }

    /// The hash of a user's or chat's id (`kind` is "user" or "chat"): the
    /// same id always gets the same hash under one key.
    pub fn hash(&self, kind: &str, id: i64) -> String {
        self.hash_text(kind, &id.to_string())
    }

    /// The hash of an identifier made of text (`kind` says what it
    /// identifies, so equal texts of two kinds hash apart): how a
    /// conversation's key is stored.
    pub fn hash_text(&self, kind: &str, text: &str) -> String {
        self.mac(&[kind.as_bytes(), &[0], text.as_bytes()])
    }

    /// A hash stored before the key existed (schema version 1, a salted
    /// SHA-256 whose salt sat in the database), hashed again under the key:
    /// the rows of one person still share one hash, and the old salt can
    /// no longer test guesses against them.
    pub fn rehash_legacy(&self, old: &str) -> String {
        self.mac(&[b"legacy", &[0], old.as_bytes()])
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        let mut mac = self.0.clone();
        for part in parts {
            mac.update(part);
        }
        hex(&mac.finalize().into_bytes()[..HASH_BYTES])
    }
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates the key file with a new random key (and its folder, 0700);
/// whether this call made it (another instance may have, meanwhile).
fn create(path: &Path) -> Result<bool, KeyError> {
    let failed = |error| KeyError::Create {
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent() {
        private_files::create_dirs(dir).map_err(failed)?;
    }
    let mut key = [0u8; NEW_KEY_BYTES];
    getrandom::fill(&mut key).map_err(|e| KeyError::Random(e.to_string()))?;
    private_files::create_with(path, format!("{}\n", hex(&key)).as_bytes()).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("qabot-key-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_missing_key_file_is_made_once_and_gives_the_same_hashes_after() {
        let dir = scratch("made");
        let path = dir.join("sub/qabot-log.key");
        let source = KeySource::File(path.clone());
        let (key, made) = Key::load(&source).unwrap();
        assert!(made);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.trim().len(), 2 * NEW_KEY_BYTES);
        assert!(text.trim().bytes().all(|b| b.is_ascii_hexdigit()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        let (again, made) = Key::load(&source).unwrap();
        assert!(!made);
        assert_eq!(key.hash("user", 42), again.hash("user", 42));
        assert_eq!(key.hash("user", 42).len(), 2 * HASH_BYTES);
        assert_ne!(key.hash("user", 42), key.hash("chat", 42));
        assert_ne!(key.hash("user", 42), key.hash("user", 43));
        // The file's text and the environment's are the same key.
        let env = KeySource::Env {
            var: KEY_VAR,
            key: text.clone(),
        };
        assert_eq!(
            Key::load(&env).unwrap().0.hash("user", 42),
            key.hash("user", 42)
        );
        let other = Key::from_text(&"k".repeat(MIN_KEY_CHARS), String::new).unwrap();
        assert_ne!(other.hash("user", 42), key.hash("user", 42));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_keys_are_clear_errors_naming_where_they_came_from() {
        let dir = scratch("bad");
        std::fs::create_dir_all(&dir).unwrap();
        let file = |name: &str, text: &[u8]| {
            let path = dir.join(name);
            private_files::create_with(&path, text).unwrap();
            KeySource::File(path)
        };
        let short = "0123456789abcdef".repeat(2);
        let cases: Vec<(KeySource, &str)> = vec![
            (file("empty.key", b""), "empty.key holds 0 characters"),
            (file("blank.key", b"  \n"), "blank.key holds 0 characters"),
            (
                file("short.key", b"abc\n"),
                "holds 3 characters; a key needs at least 32",
            ),
            (file("binary.key", &[0xff; 40]), "binary.key is not text"),
            (
                KeySource::Env {
                    var: KEY_VAR,
                    key: "hunter2".into(),
                },
                "the key in QABOT_LOG_KEY holds 7 characters",
            ),
            (
                KeySource::File(dir.join("a-file/inside-a-file.key")),
                "cannot create the question log's key file",
            ),
        ];
        std::fs::write(dir.join("a-file"), "").unwrap();
        for (source, needle) in cases {
            let error = Key::load(&source).unwrap_err().to_string();
            assert!(error.contains(needle), "{source}: {error}");
            assert!(error.contains("hint:"), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
        assert!(Key::load(&file("ok.key", short.as_bytes())).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let loose = dir.join("ok.key");
            std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
            let error = Key::load(&KeySource::File(loose.clone()))
                .unwrap_err()
                .to_string();
            assert!(error.contains("has mode 0644"), "{error}");
            assert!(error.contains("chmod 600"), "{error}");
            // Refused, not changed: whoever runs qabot decides.
            assert_eq!(
                std::fs::metadata(&loose).unwrap().permissions().mode() & 0o777,
                0o644
            );
            std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o000)).unwrap();
            // Root reads it anyway; anyone else gets the error.
            if std::fs::read(&loose).is_err() {
                let error = Key::load(&KeySource::File(loose)).unwrap_err().to_string();
                assert!(
                    error.contains("cannot read the question log's key file"),
                    "{error}"
                );
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Errors as people read them on the command line and in logs: each cause
//! said once ([`with_causes`], and [`one_line`] for logs), and whose fault an
//! error is.
//!
//! Whose fault: each library error type says, through [`UserError`], whether
//! the user can fix it by changing their input or settings (exit code 2) or
//! the system failed (exit code 1). An `anyhow` chain holds `dyn Error`, and
//! Rust cannot ask a `dyn Error` for another trait object, so [`as_user_error`]
//! keeps the one list of types that implement the trait: a new error type is
//! added there, next to the trait, and nowhere else.

/// An error and each cause it does not already quote, joined by `: `, with
/// its line breaks (hints) kept: how the command line shows an error. The
/// one walk of a cause chain; [`one_line`] flattens it for logs.
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let said = e.to_string();
        // Wrappers often repeat their cause's words in their own message
        // (as `#[error("…: {0}")]` with `#[from]` does).
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = e.source();
    }
    text
}

/// An error and its causes on one line, each said once.
pub fn one_line(error: &dyn std::error::Error) -> String {
    with_causes(error)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An error that knows whether the user is at fault.
pub trait UserError: std::error::Error + 'static {
    /// Whether the user can fix it by changing their input or settings
    /// (exit code 2), not a failure of the system (exit code 1).
    fn is_bad_input(&self) -> bool;
}

/// `error` as a [`UserError`], when its type is one of the library's.
pub fn as_user_error<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a dyn UserError> {
    fn cast<'a, T: UserError>(
        e: &'a (dyn std::error::Error + 'static),
    ) -> Option<&'a dyn UserError> {
        e.downcast_ref::<T>().map(|t| t as &dyn UserError)
    }
    // The one list of the library's error types (see the module doc).
    type Cast = for<'b> fn(&'b (dyn std::error::Error + 'static)) -> Option<&'b dyn UserError>;
    let casts: [Cast; 7] = [
        cast::<crate::knowledge::KnowledgeError>,
        cast::<crate::config::ConfigError>,
        cast::<crate::eval::EvalError>,
        cast::<crate::cli::InputError>,
        cast::<crate::bot::StartError>,
        cast::<crate::report::SinceError>,
        cast::<crate::question_log::LogError>,
    ];
    casts.iter().find_map(|cast| cast(error))
}

/// Whether any error in the chain from `error` is the user's to fix.
pub fn is_bad_input(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if as_user_error(e).is_some_and(UserError::is_bad_input) {
            return true;
        }
        cause = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::cli::{EXIT_BAD_INPUT, EXIT_FAILURE, InputError, exit_code};

    fn io() -> std::io::Error {
        std::io::Error::other("disk on fire")
    }

    #[test]
    fn each_cause_is_said_once_and_a_hint_keeps_its_line() {
        let quoted = anyhow::Error::from(io()).context("cannot save: disk on fire");
        let hinted = anyhow::Error::from(io()).context("cannot save\n    hint: free some space");
        let cases = [
            (
                &quoted,
                "cannot save: disk on fire",
                "cannot save: disk on fire",
            ),
            (
                &hinted,
                "cannot save\n    hint: free some space: disk on fire",
                "cannot save hint: free some space: disk on fire",
            ),
        ];
        for (error, shown, logged) in cases {
            let error: &dyn std::error::Error = error.as_ref();
            assert_eq!(super::with_causes(error), shown);
            assert_eq!(super::one_line(error), logged);
        }
    }

    #[test]
    fn each_error_kind_has_its_exit_code() {
        let path = PathBuf::from("f");
        let cases: Vec<(&str, anyhow::Error, i32)> = vec![
            (
                "knowledge",
                crate::knowledge::KnowledgeError { problems: vec![] }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "config",
                crate::config::ConfigError::TooLarge {
                    path: path.clone(),
                    bytes: 1,
                }
                .into(),
                EXIT_BAD_INPUT,
            ),
            (
                "eval",
                crate::eval::EvalError::Read {
                    path: path.clone(),
                    error: io(),
                }
                .into(),
                EXIT_BAD_INPUT,
            ),
            (
                "input not utf-8",
                InputError::NotUtf8 { line: 3 }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "input read",
                InputError::Read {
                    line: 3,
                    error: io(),
                }
                .into(),
                EXIT_FAILURE,
            ),
            (
                "start token",
                crate::bot::StartError::MissingToken.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "start runtime",
                crate::bot::StartError::Runtime(io()).into(),
                EXIT_FAILURE,
            ),
            (
                "since",
                crate::report::SinceError::Zero { text: "0d".into() }.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "log off",
                crate::question_log::LogError::Disabled.into(),
                EXIT_BAD_INPUT,
            ),
            (
                "log database",
                crate::question_log::LogError::Database {
                    shown: "sqlite:x".into(),
                    what: "reading",
                    reason: "locked".into(),
                }
                .into(),
                EXIT_FAILURE,
            ),
            (
                "cause under context",
                anyhow::Error::from(crate::question_log::LogError::Disabled).context("report"),
                EXIT_BAD_INPUT,
            ),
            ("foreign", io().into(), EXIT_FAILURE),
        ];
        for (kind, error, code) in cases {
            assert_eq!(exit_code(&error), code, "{kind}");
        }
    }
}

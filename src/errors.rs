//! Errors as people read them on the command line and in logs: each cause
//! said once ([`with_causes`], and [`one_line`] for logs), and whose fault an
//! error is.
//!
//! Whose fault: each library error type says, through [`UserError`], whether
//! the user can fix it by changing their input or settings (exit code 2) or
//! the system failed (exit code 1). An `anyhow` chain holds `dyn Error`, and
//! Rust cannot ask a `dyn Error` for another trait object, so
//! `cli::as_user_error` keeps the one list of the types that implement the
//! trait, beside `cli::exit_code` that asks it: a new error type is added
//! there and nowhere else. The list is in `cli`, the top of the crate, as
//! it names types from every module, and this leaf module is used by them.

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

#[cfg(test)]
mod tests {
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
}

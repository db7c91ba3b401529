//! Errors as people read them in logs and messages: one line, each cause
//! said once. Shared by the bot's logging and the question log.

/// An error and its causes on one line, each said once.
pub fn one_line(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        // Wrappers often repeat their cause's words in their own message.
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = e.source();
    }
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

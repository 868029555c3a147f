//! An error and its causes as text: one line (`what failed: why: deeper
//! cause`) for messages that become data — a report's per-object error, a
//! repair's outcome, the terminal's `error:` line — or one cause per line
//! for `-v`. A cause whose text its parent already quotes is not repeated.
//!
//! Must not decide what to do about an error; it only words it.

use std::error::Error;

/// The messages of `error` and each of its causes, outermost first, without
/// the causes whose text the message before already contains.
pub fn messages(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut cause = Some(error);
    while let Some(current) = cause {
        let text = current.to_string();
        if !text.is_empty() && !messages.last().is_some_and(|previous| previous.contains(&text)) {
            messages.push(text);
        }
        cause = current.source();
    }
    messages
}

/// `error` and its causes on one line, joined by `: `.
pub fn one_line(error: &(dyn Error + 'static)) -> String {
    messages(error).join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{what}")]
    struct Wrapped {
        what: String,
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn causes_are_joined_once() {
        let inner = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = Wrapped { what: "reading x.yaml".into(), source: inner };
        assert_eq!(one_line(&error), "reading x.yaml: no such file");
        let quoting = Wrapped {
            what: "reading x.yaml (no such file)".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        };
        assert_eq!(messages(&quoting), ["reading x.yaml (no such file)"]);
    }
}

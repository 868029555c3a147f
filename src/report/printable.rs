//! Text from the input (names, values, messages, managers) made safe to
//! print: control characters are written as escapes, so nothing read from the
//! cluster or the repository can move a terminal's cursor, clear its screen,
//! bring its own colors, or start a new line in a table row. Shared by the
//! terminal and Markdown reports; each format adds its own escaping on top.
//! This module must not know about any format's markup.

use std::borrow::Cow;

/// `text` with control characters written as escapes (`\u{1b}`).
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars().map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() }).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_control_characters_only() {
        assert_eq!(printable("kubectl-edit"), "kubectl-edit");
        assert_eq!(printable("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\u{a}c");
        assert_eq!(printable("naïve ✓"), "naïve ✓");
    }
}

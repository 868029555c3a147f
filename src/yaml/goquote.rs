//! Go's `strconv.Quote`, `strconv.QuoteRune` and `%q` of a `[]rune`: how Go
//! tools print a string or rune in messages and `%q`/`%#v` output. The one
//! quoter of the crate: the YAML reader's errors, the template engine's
//! `printf`, kustomize's and Helm's `--set` messages all quote through it.
//!
//! Go's rules: `\a \b \f \n \r \t \v`, `\\` and the quote are escaped; other
//! bytes below 0x20 and 0x7f are `\xNN`; a byte that is not valid UTF-8 is
//! `\xNN`; a rune that Go's `unicode.IsPrint` refuses is `\uNNNN` or
//! `\UNNNNNNNN`. Printable means the Unicode categories L, M, N, P, S and
//! the ASCII space, read from the `regex` crate's Unicode tables (which may
//! know a newer Unicode version than Go's: a rune assigned since is printed
//! where Go escapes it).
//!
//! Must not decide when to quote; callers choose.

use std::sync::OnceLock;

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    quote_bytes(s.as_bytes())
}

/// Go's `strconv.Quote` of a Go string holding any bytes: each byte that is
/// not part of valid UTF-8 is written `\xNN`.
pub(crate) fn quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped(&mut out, c, '"');
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune`.
pub(crate) fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

/// Go's `%q` of a `[]rune`: each rune quoted, as `['x' 'y']`.
pub(crate) fn quote_runes(text: &str) -> String {
    let quoted: Vec<String> = text.chars().map(quote_rune).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `appendEscapedRune`.
fn push_escaped(out: &mut String, c: char, quote_char: char) {
    match c {
        c if c == quote_char || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        c if is_go_printable(c) => out.push(c),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    static PRINTABLE: OnceLock<regex::Regex> = OnceLock::new();
    let printable = PRINTABLE.get_or_init(|| {
        regex::Regex::new(r"^[\p{L}\p{M}\p{N}\p{P}\p{S}]$").unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
    });
    printable.is_match(c.encode_utf8(&mut [0; 4]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_go_strconv_does() {
        // Each expected text as Go 1.19's strconv.Quote prints it.
        assert_eq!(quote("a\"b\\c\n\t\x07\x00\x7f"), r#""a\"b\\c\n\t\a\x00\x7f""#);
        assert_eq!(quote("é€😀\u{FFFD}"), "\"é€😀\u{FFFD}\"");
        assert_eq!(
            quote("\u{85}\u{a0}\u{ad}\u{200b}\u{2028}\u{feff}\u{e000}"),
            r#""\u0085\u00a0\u00ad\u200b\u2028\ufeff\ue000""#
        );
        assert_eq!(quote("\u{301}\u{e0001}\u{f0000}\u{10ffff}"), "\"\u{301}\\U000e0001\\U000f0000\\U0010ffff\"");
        assert_eq!(quote("\u{378}"), r#""\u0378""#);
        assert_eq!(quote_bytes(b"a\xffb\xe2\x82"), r#""a\xffb\xe2\x82""#);
        assert_eq!(quote_rune('\''), r"'\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_runes("a'\n\u{85}"), r"['a' '\'' '\n' '\u0085']");
    }
}

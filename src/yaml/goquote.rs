//! Go's `strconv.Quote` and `strconv.QuoteRune`: how Go tools print a string
//! or rune in messages and `%q`/`%#v` output, so both the YAML reader's errors
//! and the template engine's `printf` quote exactly as Go does.
//!
//! Must not decide when to quote; callers choose.

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
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

fn push_escaped(out: &mut String, c: char, quote_char: char) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote_char => {
            out.push('\\');
            out.push(c);
        }
        '\u{FFFD}' => out.push('\u{FFFD}'),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if is_go_printable(c) => out.push(c),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// An approximation of Go's `unicode.IsPrint` for characters beyond ASCII:
/// control, format and unassigned-surrogate ranges are escaped.
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    !(0x80..0xa0).contains(&u)
        && u != 0xad
        && !(0x2000..=0x200f).contains(&u)
        && !(0x2028..=0x202f).contains(&u)
        && !(0x205f..=0x206f).contains(&u)
        && u != 0xfeff
        && !(0xfff9..=0xfffb).contains(&u)
        && !(0xe000..=0xf8ff).contains(&u)
        && !c.is_control()
}

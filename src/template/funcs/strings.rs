//! Sprig's string functions: case, trimming, padding (`indent`, `nindent`),
//! quoting, abbreviation, wrapping and splitting, with the Go library
//! semantics Sprig inherits (byte-based `trunc`/`substr`, `strings.Title`,
//! goutils' `Abbreviate`/`Wrap`, xstrings' case conversions).

use super::cast::{as_list, strslice, strval};
use super::{CallResult, Param, Registry, arg_int, arg_str};
use crate::template::gofmt;
use crate::template::value::{ElemType, Value};

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Int, Str};
    r.add("trunc", &[Int, Str], None, |_, a| Ok(Value::str(trunc(arg_int(&a, 0), arg_str(&a, 1)))));
    r.add("trim", &[Str], None, |_, a| Ok(Value::str(arg_str(&a, 0).trim())));
    r.add("upper", &[Str], None, |_, a| Ok(Value::str(map_chars(arg_str(&a, 0), upper_char))));
    r.add("lower", &[Str], None, |_, a| Ok(Value::str(map_chars(arg_str(&a, 0), lower_char))));
    r.add("title", &[Str], None, |_, a| Ok(Value::str(title(arg_str(&a, 0)))));
    r.add("untitle", &[Str], None, |_, a| Ok(Value::str(untitle(arg_str(&a, 0)))));
    r.add("substr", &[Int, Int, Str], None, substr);
    r.add("repeat", &[Int, Str], None, |_, a| {
        let n = arg_int(&a, 0);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        Ok(Value::str(arg_str(&a, 1).repeat(n as usize)))
    });
    r.add("trimall", &[Str, Str], None, trim_all);
    r.add("trimAll", &[Str, Str], None, trim_all);
    r.add("trimSuffix", &[Str, Str], None, |_, a| {
        let (suffix, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::str(s.strip_suffix(suffix).unwrap_or(s)))
    });
    r.add("trimPrefix", &[Str, Str], None, |_, a| {
        let (prefix, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Value::str(s.strip_prefix(prefix).unwrap_or(s)))
    });
    r.add("nospace", &[Str], None, |_, a| {
        Ok(Value::str(arg_str(&a, 0).chars().filter(|c| !c.is_whitespace()).collect::<String>()))
    });
    r.add("initials", &[Str], None, |_, a| Ok(Value::str(initials(arg_str(&a, 0)))));
    r.add("swapcase", &[Str], None, |_, a| Ok(Value::str(swapcase(arg_str(&a, 0)))));
    r.add("snakecase", &[Str], None, |_, a| Ok(Value::str(to_delimited(arg_str(&a, 0), '_'))));
    r.add("kebabcase", &[Str], None, |_, a| Ok(Value::str(to_delimited(arg_str(&a, 0), '-'))));
    r.add("camelcase", &[Str], None, |_, a| Ok(Value::str(camelcase(arg_str(&a, 0)))));
    r.add("wrap", &[Int, Str], None, |_, a| Ok(Value::str(wrap(arg_str(&a, 1), arg_int(&a, 0), "\n", false))));
    r.add("wrapWith", &[Int, Str, Str], None, |_, a| {
        Ok(Value::str(wrap(arg_str(&a, 2), arg_int(&a, 0), arg_str(&a, 1), true)))
    });
    r.add("contains", &[Str, Str], None, |_, a| Ok(Value::Bool(arg_str(&a, 1).contains(arg_str(&a, 0)))));
    r.add("hasPrefix", &[Str, Str], None, |_, a| Ok(Value::Bool(arg_str(&a, 1).starts_with(arg_str(&a, 0)))));
    r.add("hasSuffix", &[Str, Str], None, |_, a| Ok(Value::Bool(arg_str(&a, 1).ends_with(arg_str(&a, 0)))));
    r.add("quote", &[], Some(Any), |_, a| {
        let parts: Vec<String> =
            a.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| gofmt::quote(&strval(v))).collect();
        Ok(Value::str(parts.join(" ")))
    });
    r.add("squote", &[], Some(Any), |_, a| {
        let parts: Vec<String> =
            a.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| format!("'{}'", strval(v))).collect();
        Ok(Value::str(parts.join(" ")))
    });
    r.add("cat", &[], Some(Any), |_, a| {
        let parts: Vec<String> = a.iter().filter(|v| !matches!(v, Value::Nil)).map(gofmt::format_value).collect();
        Ok(Value::str(parts.join(" ")))
    });
    r.add("indent", &[Int, Str], None, |_, a| indent(arg_int(&a, 0), arg_str(&a, 1)).map(Value::str));
    r.add("nindent", &[Int, Str], None, |_, a| {
        indent(arg_int(&a, 0), arg_str(&a, 1)).map(|s| Value::str(format!("\n{s}")))
    });
    r.add("replace", &[Str, Str, Str], None, |_, a| {
        Ok(Value::str(go_replace(arg_str(&a, 2), arg_str(&a, 0), arg_str(&a, 1))))
    });
    r.add("plural", &[Str, Str, Int], None, |_, a| {
        Ok(Value::str(if arg_int(&a, 2) == 1 { arg_str(&a, 0) } else { arg_str(&a, 1) }))
    });
    r.add("toString", &[Any], None, |_, a| Ok(Value::str(strval(&a[0]))));
    r.add("abbrev", &[Int, Str], None, |_, a| {
        let (width, s) = (arg_int(&a, 0), arg_str(&a, 1));
        if width < 4 {
            return Ok(Value::str(s));
        }
        Ok(Value::str(abbreviate(s, 0, width).unwrap_or_default()))
    });
    r.add("abbrevboth", &[Int, Int, Str], None, |_, a| {
        let (left, right, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
        if right < 4 || left > 0 && right < 7 {
            return Ok(Value::str(s));
        }
        Ok(Value::str(abbreviate(s, left, right).unwrap_or_default()))
    });
    r.add("split", &[Str, Str], None, |_, a| Ok(indexed_map(go_split(arg_str(&a, 1), arg_str(&a, 0), -1))));
    r.add("splitn", &[Str, Int, Str], None, |_, a| {
        Ok(indexed_map(go_split(arg_str(&a, 2), arg_str(&a, 0), arg_int(&a, 1))))
    });
    r.add("splitList", &[Str, Str], None, |_, a| Ok(Value::str_list(go_split(arg_str(&a, 1), arg_str(&a, 0), -1))));
    r.add("toStrings", &[Any], None, |_, a| Ok(Value::str_list(strslice(&a[0]))));
    r.add("join", &[Str, Any], None, |_, a| Ok(Value::str(strslice(&a[1]).join(arg_str(&a, 0)))));
    r.add("sortAlpha", &[Any], None, |_, a| {
        let mut items = match &a[0] {
            list if as_list(list).is_some() => strslice(list),
            other => vec![strval(other)],
        };
        items.sort();
        Ok(Value::str_list(items))
    });
}

fn upper_char(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn lower_char(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn map_chars(s: &str, f: fn(char) -> char) -> String {
    s.chars().map(f).collect()
}

/// A string from bytes that may have been cut inside a UTF-8 sequence.
fn from_bytes(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return from_bytes(&s.as_bytes()[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return from_bytes(&s.as_bytes()[..c as usize]);
    }
    s.to_string()
}

fn substr(_: &mut crate::template::exec::Exec<'_>, a: Vec<Value>) -> CallResult {
    let (start, end, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
    let len = s.len() as i64;
    let bytes = s.as_bytes();
    let out_of_range = |lo: i64, hi: i64| format!("runtime error: slice bounds out of range [{lo}:{hi}]");
    if start < 0 {
        if end < 0 || end > len {
            return Err(format!("runtime error: slice bounds out of range [:{end}] with length {len}").into());
        }
        return Ok(Value::str(from_bytes(&bytes[..end as usize])));
    }
    if end < 0 || end > len {
        if start > len {
            return Err(format!("runtime error: slice bounds out of range [{start}:{len}]").into());
        }
        return Ok(Value::str(from_bytes(&bytes[start as usize..])));
    }
    if start > end {
        return Err(out_of_range(start, end).into());
    }
    Ok(Value::str(from_bytes(&bytes[start as usize..end as usize])))
}

fn trim_all(_: &mut crate::template::exec::Exec<'_>, a: Vec<Value>) -> CallResult {
    let cutset = arg_str(&a, 0);
    Ok(Value::str(arg_str(&a, 1).trim_matches(|c| cutset.contains(c))))
}

/// Go's `strings.Title`: upper-case letters that follow a separator.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_title_separator(prev) { upper_char(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    c.is_whitespace()
}

/// goutils' `Uncapitalize`: lower-case the first letter of each space-separated word.
fn untitle(s: &str) -> String {
    let mut at_word_start = true;
    s.chars()
        .map(|c| {
            let out = if at_word_start { lower_char(c) } else { c };
            at_word_start = c.is_whitespace();
            out
        })
        .collect()
}

/// goutils' `Initials`: the first letter of each space-separated word.
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut at_word_start = true;
    for c in s.chars() {
        if c.is_whitespace() {
            at_word_start = true;
        } else if at_word_start {
            out.push(c);
            at_word_start = false;
        }
    }
    out
}

/// goutils' `SwapCase`.
fn swapcase(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_uppercase() {
                lower_char(c)
            } else if c.is_lowercase() {
                upper_char(c)
            } else {
                c
            }
        })
        .collect()
}

/// xstrings' `ToCamelCase`: connectors (`_`, `-`, space) removed and the
/// next letter upper-cased; the first letter upper-cased.
fn camelcase(s: &str) -> String {
    let is_connector = |c: char| c == '-' || c == '_' || c.is_whitespace();
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    let mut first = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first = Some(upper_char(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = first else { return out };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            r0 = upper_char(r0);
        } else {
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

/// xstrings' `ToSnakeCase`/`ToKebabCase`: words split at case changes,
/// digits and connectors, lower-cased and joined with `sep`.
fn to_delimited(s: &str, sep: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '.' || c.is_whitespace() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(&prev) = current.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
                || (prev.is_alphabetic() && c.is_ascii_digit() && next.is_some_and(|n| n.is_lowercase()));
            if boundary {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.iter().map(|w| map_chars(w, lower_char)).collect::<Vec<_>>().join(&sep.to_string())
}

/// goutils' `WrapCustom`, byte-indexed as in Go.
fn wrap(s: &str, width: i64, newline: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut offset = 0;
    let mut out: Vec<u8> = Vec::new();
    while len - offset > width {
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(len);
        let space = bytes[offset..end].iter().rposition(|&b| b == b' ').map(|p| p + offset);
        match space {
            Some(at) => {
                out.extend_from_slice(&bytes[offset..at]);
                out.extend_from_slice(newline.as_bytes());
                offset = at + 1;
            }
            None if wrap_long_words => {
                out.extend_from_slice(&bytes[offset..width + offset]);
                out.extend_from_slice(newline.as_bytes());
                offset += width;
            }
            None => {
                let end = width + offset;
                match bytes[end..].iter().position(|&b| b == b' ') {
                    None => {
                        out.extend_from_slice(&bytes[offset..]);
                        offset = len;
                    }
                    Some(i) => {
                        let at = i + end;
                        out.extend_from_slice(&bytes[offset..at]);
                        out.extend_from_slice(newline.as_bytes());
                        offset = at + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&bytes[offset..]);
    from_bytes(&out)
}

fn indent(spaces: i64, s: &str) -> Result<String, super::CallError> {
    if spaces < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let pad = " ".repeat(spaces as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

/// Go's `strings.Replace(s, old, new, -1)`: an empty `old` matches between
/// every character.
fn go_replace(s: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in s.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    s.replace(old, new)
}

/// Go's `strings.SplitN` (`n < 0`: all parts, `n == 0`: none).
fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let mut parts: Vec<String> =
        if sep.is_empty() { s.chars().map(String::from).collect() } else { s.split(sep).map(String::from).collect() };
    if n > 0 && parts.len() > n as usize {
        let n = n as usize;
        if sep.is_empty() {
            let head: Vec<String> = parts[..n - 1].to_vec();
            let tail: String = parts[n - 1..].concat();
            parts = head;
            parts.push(tail);
        } else {
            let tail = parts[n - 1..].join(sep);
            parts.truncate(n - 1);
            parts.push(tail);
        }
    }
    parts
}

/// Sprig's `split` result: `map[string]string` keyed `_0`, `_1`…
fn indexed_map(parts: Vec<String>) -> Value {
    let map = parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), Value::str(p))).collect();
    match Value::map(map) {
        Value::Map(m, _) => Value::Map(m, ElemType::String),
        other => other,
    }
}

/// goutils' `AbbreviateFull`, byte-indexed; `None` for its error cases.
fn abbreviate(s: &str, offset: i64, max_width: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return Some(format!("{}...", from_bytes(&bytes[..(max_width - 3) as usize])));
    }
    if max_width < 7 {
        return None;
    }
    if offset + max_width - 3 < len {
        let rest = from_bytes(&bytes[offset as usize..]);
        return Some(format!("...{}", abbreviate(&rest, 0, max_width - 3)?));
    }
    Some(format!("...{}", from_bytes(&bytes[(len - (max_width - 3)) as usize..])))
}

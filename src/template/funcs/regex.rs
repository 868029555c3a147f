//! Sprig's regular-expression functions. Patterns use Go's RE2 syntax, which
//! the `regex` crate mostly shares; where the two read a pattern differently
//! (a `{` that starts no repetition is a literal in Go; `\d`, `\w`, `\s`, `\b`
//! are ASCII in Go) the pattern is rewritten to Go's meaning first.
//! Replacement templates expand `$1`/`${name}` as Go's `Regexp.Expand` does.

use regex::Regex;

use super::{CallError, Param, Registry, arg_int, arg_str};
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::{Int, Str};
    for (name, must) in [("regexMatch", false), ("mustRegexMatch", true)] {
        let call: super::Implementation = if must {
            |_, a| Ok(Value::Bool(compile(arg_str(&a, 0))?.is_match(arg_str(&a, 1))))
        } else {
            |_, a| Ok(Value::Bool(compile(arg_str(&a, 0)).is_ok_and(|re| re.is_match(arg_str(&a, 1)))))
        };
        r.add(name, &[Str, Str], None, call);
    }
    for name in ["regexFindAll", "mustRegexFindAll"] {
        r.add(name, &[Str, Str, Int], None, |_, a| {
            let re = compile(arg_str(&a, 0))?;
            let n = arg_int(&a, 2);
            let found = re.find_iter(arg_str(&a, 1)).map(|m| m.as_str().to_string());
            Ok(Value::str_list(if n < 0 { found.collect() } else { found.take(n as usize).collect() }))
        });
    }
    for name in ["regexFind", "mustRegexFind"] {
        r.add(name, &[Str, Str], None, |_, a| {
            let re = compile(arg_str(&a, 0))?;
            Ok(Value::str(re.find(arg_str(&a, 1)).map(|m| m.as_str()).unwrap_or("")))
        });
    }
    for name in ["regexReplaceAll", "mustRegexReplaceAll"] {
        r.add(name, &[Str, Str, Str], None, |_, a| {
            let re = compile(arg_str(&a, 0))?;
            Ok(Value::str(re.replace_all(arg_str(&a, 1), arg_str(&a, 2)).into_owned()))
        });
    }
    for name in ["regexReplaceAllLiteral", "mustRegexReplaceAllLiteral"] {
        r.add(name, &[Str, Str, Str], None, |_, a| {
            let re = compile(arg_str(&a, 0))?;
            Ok(Value::str(re.replace_all(arg_str(&a, 1), regex::NoExpand(arg_str(&a, 2))).into_owned()))
        });
    }
    for name in ["regexSplit", "mustRegexSplit"] {
        r.add(name, &[Str, Str, Int], None, |_, a| {
            let re = compile(arg_str(&a, 0))?;
            Ok(Value::str_list(split(&re, arg_str(&a, 0), arg_str(&a, 1), arg_int(&a, 2))))
        });
    }
    r.add("regexQuoteMeta", &[Str], None, |_, a| Ok(Value::str(quote_meta(arg_str(&a, 0)))));
}

fn compile(pattern: &str) -> Result<Regex, CallError> {
    Regex::new(&with_go_meaning(pattern)).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or("").trim_start_matches("error: ").to_string();
        format!("regexp: Compile({}): {last}", crate::template::gofmt::quote(pattern)).into()
    })
}

/// The pattern rewritten so the `regex` crate reads it as Go's `regexp/syntax`
/// does: Perl classes and word boundaries are ASCII-only, and a `{` or `}`
/// that is not part of a counted repetition (`{2}`, `{2,}`, `{2,5}`) is a
/// literal brace.
fn with_go_meaning(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let escaped = chars[i + 1];
                let ascii = match escaped {
                    'd' => Some("[0-9]"),
                    'D' => Some("[^0-9]"),
                    'w' => Some("[0-9A-Za-z_]"),
                    'W' => Some("[^0-9A-Za-z_]"),
                    's' => Some("[\\t\\n\\f\\r ]"),
                    'S' => Some("[^\\t\\n\\f\\r ]"),
                    'b' if !in_class => Some("(?-u:\\b)"),
                    'B' if !in_class => Some("(?-u:\\B)"),
                    _ => None,
                };
                match ascii {
                    Some(text) => out.push_str(text),
                    None => {
                        out.push(c);
                        out.push(escaped);
                    }
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` (after an optional `^`) right after the opening bracket is a literal.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '[' if in_class && chars.get(i + 1) == Some(&':') => {
                // A POSIX class such as `[:alpha:]` stays whole.
                let end = chars[i + 2..].iter().position(|&x| x == ']').map(|p| i + 2 + p);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end;
                    }
                    None => out.push_str("\\["),
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class => match counted_repetition_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..=end]);
                    i = end;
                }
                None => out.push_str("\\{"),
            },
            '}' if !in_class => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where `{min}`, `{min,}` or `{min,max}` starting at `start` ends, as Go's
/// `parseRepeat` accepts it.
fn counted_repetition_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let digits = |i: &mut usize| {
        let from = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i)
}

/// Go's `Regexp.Split`.
fn split(re: &Regex, pattern: &str, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !pattern.is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for m in re.find_iter(s) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = m.end();
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

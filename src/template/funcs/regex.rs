//! Sprig's regular-expression functions. Patterns use Go's RE2 syntax, which
//! the `regex` crate shares; replacement templates expand `$1`/`${name}` as
//! Go's `Regexp.Expand` does.

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
    Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or("").trim_start_matches("error: ").to_string();
        format!("regexp: Compile({}): {last}", crate::template::gofmt::quote(pattern)).into()
    })
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

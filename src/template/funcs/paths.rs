//! Sprig's path functions (`base`, `dir`, `clean`, `ext`, `isAbs` and the
//! `os*` forms, which are the same on Linux) with Go's `path` semantics,
//! plus `urlParse`/`urlJoin`.

use std::collections::BTreeMap;

use super::{Param, Registry, arg_str};
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::{Map, Str};
    for name in ["base", "osBase"] {
        r.add(name, &[Str], None, |_, a| Ok(Value::str(base(arg_str(&a, 0)))));
    }
    for name in ["dir", "osDir"] {
        r.add(name, &[Str], None, |_, a| Ok(Value::str(dir(arg_str(&a, 0)))));
    }
    for name in ["clean", "osClean"] {
        r.add(name, &[Str], None, |_, a| Ok(Value::str(clean(arg_str(&a, 0)))));
    }
    for name in ["ext", "osExt"] {
        r.add(name, &[Str], None, |_, a| Ok(Value::str(ext(arg_str(&a, 0)))));
    }
    for name in ["isAbs", "osIsAbs"] {
        r.add(name, &[Str], None, |_, a| Ok(Value::Bool(arg_str(&a, 0).starts_with('/'))));
    }
    r.add("urlParse", &[Str], None, |_, a| Ok(url_parse(arg_str(&a, 0))));
    r.add("urlJoin", &[Map], None, |_, a| Ok(Value::str(url_join(&a[0]))));
}

/// Go's `path.Clean`.
pub(super) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`.
fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `path.Dir`.
fn dir(path: &str) -> String {
    let split = path.rfind('/').map(|i| i + 1).unwrap_or(0);
    clean(&path[..split])
}

/// Go's `path.Ext`.
fn ext(path: &str) -> String {
    for (i, c) in path.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return path[i..].to_string();
        }
    }
    String::new()
}

/// Sprig's `urlParse`: the parts of a URL as a dict.
fn url_parse(text: &str) -> Value {
    let mut rest = text;
    let mut scheme = "";
    if let Some(i) = rest.find(':')
        && rest[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && rest[..i].chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        scheme = &rest[..i];
        rest = &rest[i + 1..];
    }
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (mut host, mut userinfo, mut path) = ("", "", rest);
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = &after[end..];
        match authority.rsplit_once('@') {
            Some((user, h)) => {
                userinfo = user;
                host = h;
            }
            None => host = authority,
        }
    }
    let mut map = BTreeMap::new();
    for (k, v) in [
        ("scheme", scheme),
        ("host", host),
        ("hostname", host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)),
        ("path", path),
        ("query", query),
        ("opaque", ""),
        ("fragment", fragment),
        ("userinfo", userinfo),
    ] {
        map.insert(k.to_string(), Value::str(v));
    }
    Value::map(map)
}

/// Sprig's `urlJoin`: the inverse of `urlParse`.
fn url_join(dict: &Value) -> String {
    let get = |k: &str| match dict {
        Value::Map(m, _) => m.borrow().get(k).map(super::cast::strval).unwrap_or_default(),
        _ => String::new(),
    };
    let mut out = String::new();
    let scheme = get("scheme");
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    let host = get("host");
    let userinfo = get("userinfo");
    if !host.is_empty() || !userinfo.is_empty() {
        out.push_str("//");
        if !userinfo.is_empty() {
            out.push_str(&userinfo);
            out.push('@');
        }
        out.push_str(&host);
    }
    out.push_str(&get("path"));
    let query = get("query");
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    let fragment = get("fragment");
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&fragment);
    }
    out
}

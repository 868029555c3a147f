//! `semver` and `semverCompare` with Masterminds/semver v3 semantics (what
//! Sprig uses, not Cargo's): `v` prefixes and short versions allowed,
//! constraints with `=`, `!=`, `<`, `<=`, `>`, `>=`, `~`, `^`, wildcards,
//! hyphen ranges, `,`/space for "and", `||` for "or", and prerelease
//! versions matching only constraints that name a prerelease.

use std::cmp::Ordering;
use std::rc::Rc;

use super::{Param, Registry, arg_str};
use crate::template::value::{HostObject, Value};

pub(super) fn register(r: &mut Registry) {
    use Param::Str;
    r.add("semver", &[Str], None, |_, a| {
        let version = Version::parse(arg_str(&a, 0)).ok_or("Invalid Semantic Version")?;
        Ok(Value::Object(Rc::new(version)))
    });
    r.add("semverCompare", &[Str, Str], None, |_, a| {
        let constraint = Constraint::parse(arg_str(&a, 0))?;
        let version = Version::parse(arg_str(&a, 1)).ok_or("Invalid Semantic Version")?;
        Ok(Value::Bool(constraint.check(&version)))
    });
}

/// A parsed version (`*semver.Version`).
#[derive(Clone, Debug)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let body = text.strip_prefix('v').unwrap_or(text);
        let (body, metadata) = match body.split_once('+') {
            Some((b, m)) => (b, m.to_string()),
            None => (body, String::new()),
        };
        let (core, pre) = match body.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (body, String::new()),
        };
        let valid_ident = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        };
        if (!pre.is_empty() || body.contains('-')) && !valid_ident(&pre) {
            return None;
        }
        if (!metadata.is_empty() || text.contains('+')) && !valid_ident(&metadata) {
            return None;
        }
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty()
            || parts.len() > 3
            || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let number = |i: usize| parts.get(i).map(|p| p.parse::<u64>().ok()).unwrap_or(Some(0));
        Some(Version {
            major: number(0)?,
            minor: number(1)?,
            patch: number(2)?,
            pre,
            metadata,
            original: text.to_string(),
        })
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_prerelease(&self.pre, &other.pre))
    }

    fn render(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in pa.iter().zip(pb.iter()) {
        let ordering = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(nx), Ok(ny)) => nx.cmp(&ny),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    pa.len().cmp(&pb.len())
}

impl HostObject for Version {
    fn go_type(&self) -> String {
        "*semver.Version".to_string()
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String")
    }

    fn call_method(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        Some(Ok(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => Value::str(self.pre.as_str()),
            "Metadata" => Value::str(self.metadata.as_str()),
            "Original" => Value::str(self.original.as_str()),
            "String" => Value::str(self.render()),
            _ => return None,
        }))
    }

    fn format(&self) -> String {
        self.render()
    }

    /// `%#v` shows the unexported fields, numbers as Go prints a `uint64`.
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        go_syntax.then(|| {
            let quote = |text: &str| crate::template::go_syntax(&Value::str(text));
            format!(
                "&semver.Version{{major:{:#x}, minor:{:#x}, patch:{:#x}, pre:{}, metadata:{}, original:{}}}",
                self.major,
                self.minor,
                self.patch,
                quote(&self.pre),
                quote(&self.metadata),
                quote(&self.original)
            )
        })
    }
}

/// One comparison: operator, version, and which parts were wildcards.
#[derive(Debug)]
struct Condition {
    op: String,
    version: Version,
    /// Number of version parts written (1–3); wildcards count as unwritten.
    parts: usize,
}

/// `||` of `,`-joined conditions.
struct Constraint {
    any_of: Vec<Vec<Condition>>,
}

impl Constraint {
    fn parse(text: &str) -> Result<Constraint, String> {
        let mut any_of = Vec::new();
        for group in text.split("||") {
            let group = rewrite_hyphen_ranges(group.trim());
            let mut all_of = Vec::new();
            let tokens = tokenize(&group);
            if tokens.is_empty() {
                all_of.push(Condition::parse("*").ok_or_else(|| format!("improper constraint: {text}"))?);
            }
            for token in tokens {
                all_of.push(Condition::parse(&token).ok_or_else(|| format!("improper constraint: {text}"))?);
            }
            any_of.push(all_of);
        }
        Ok(Constraint { any_of })
    }

    fn check(&self, version: &Version) -> bool {
        self.any_of.iter().any(|all| all.iter().all(|c| c.check(version)))
    }
}

/// `1.2 - 1.4` → `>= 1.2, <= 1.4`.
fn rewrite_hyphen_ranges(group: &str) -> String {
    let words: Vec<&str> = group.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 2 < words.len() && words[i + 1] == "-" {
            out.push(format!(">={},", words[i]));
            out.push(format!("<={}", words[i + 2]));
            i += 3;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Split a group into `op version` tokens (operators may be followed by spaces).
fn tokenize(group: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut pending_op = String::new();
    for word in group.split([',', ' ']).filter(|w| !w.is_empty()) {
        if word.chars().all(|c| "=!<>~^".contains(c)) {
            pending_op.push_str(word);
            continue;
        }
        tokens.push(format!("{pending_op}{word}"));
        pending_op.clear();
    }
    tokens
}

impl Condition {
    fn parse(token: &str) -> Option<Condition> {
        let split = token.find(|c: char| !"=!<>~^".contains(c)).unwrap_or(token.len());
        let (op, rest) = token.split_at(split);
        let op = match op {
            "" | "=" => "=",
            "!=" => "!=",
            ">" => ">",
            "<" => "<",
            ">=" | "=>" => ">=",
            "<=" | "=<" => "<=",
            "~" | "~>" => "~",
            "^" => "^",
            _ => return None,
        };
        let rest = rest.trim().strip_prefix('v').unwrap_or(rest.trim());
        let (core, suffix) = match rest.find(['-', '+']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let mut parts = 0;
        let mut numbers = Vec::new();
        for (i, part) in core.split('.').enumerate() {
            if i > 2 {
                return None;
            }
            if matches!(part, "x" | "X" | "*") {
                break;
            }
            numbers.push(part);
            parts += 1;
        }
        let padded = (0..3).map(|i| numbers.get(i).copied().unwrap_or("0")).collect::<Vec<_>>().join(".");
        let version = Version::parse(&format!("{padded}{suffix}"))?;
        Some(Condition { op: op.to_string(), version, parts })
    }

    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        let cmp = v.compare(c);
        let next = |level: usize| match level {
            0 => Version { major: c.major + 1, minor: 0, patch: 0, pre: String::new(), ..c.clone() },
            1 => Version { minor: c.minor + 1, patch: 0, pre: String::new(), ..c.clone() },
            _ => Version { patch: c.patch + 1, pre: String::new(), ..c.clone() },
        };
        let below = |upper: Version| v.compare(&upper) == Ordering::Less;
        match self.op.as_str() {
            "=" => match self.parts {
                0 => true,
                1 => v.major == c.major,
                2 => v.major == c.major && v.minor == c.minor,
                _ => cmp == Ordering::Equal,
            },
            "!=" => match self.parts {
                0 => false,
                1 => v.major != c.major,
                2 => !(v.major == c.major && v.minor == c.minor),
                _ => cmp != Ordering::Equal,
            },
            ">" => match self.parts {
                0 => false,
                1 => v.major > c.major,
                2 => v.major > c.major || (v.major == c.major && v.minor > c.minor),
                _ => cmp == Ordering::Greater,
            },
            ">=" => cmp != Ordering::Less,
            "<" => cmp == Ordering::Less,
            "<=" => match self.parts {
                0 => true,
                1 => v.major <= c.major,
                2 => v.major < c.major || (v.major == c.major && v.minor <= c.minor),
                _ => cmp != Ordering::Greater,
            },
            "~" => cmp != Ordering::Less && below(next(if self.parts <= 1 { 0 } else { 1 })),
            "^" => {
                if cmp == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.parts <= 1 {
                    below(next(0))
                } else if c.minor > 0 || self.parts == 2 {
                    below(next(1))
                } else {
                    below(next(2))
                }
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(constraint: &str, version: &str) -> bool {
        Constraint::parse(constraint).unwrap().check(&Version::parse(version).unwrap())
    }

    #[test]
    fn constraints_follow_masterminds_v3() {
        assert!(check(">=1.19-0", "v1.20.0"));
        assert!(check(">=1.19-0", "v1.27.3-gke.100"));
        assert!(!check(">=1.19", "v1.27.3-gke.100"));
        assert!(check("^1.2.3", "1.9.0"));
        assert!(!check("^1.2.3", "2.0.0"));
        assert!(check("~1.2.3", "1.2.9"));
        assert!(!check("~1.2.3", "1.3.0"));
        assert!(check("1.2 - 1.4", "1.3.7"));
        assert!(check("<1.0 || >=2.0", "2.1.0"));
        assert!(check("1.2.x", "1.2.7"));
    }
}

//! Shell-style patterns as Helm matches them: Go's `filepath.Match` for
//! `.helmignore` rules, and gobwas/glob (with `**` and `{a,b}`) for
//! `.Files.Glob`. One matcher serves both; the syntax differences are flags.
//!
//! This module must not read files.

/// Which pattern dialect to match with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Go's `path/filepath.Match`: `*`, `?`, `[...]` with `^` negation, `\` escapes.
    GoFilepath,
    /// gobwas/glob with `/` as separator: adds `**` and `{a,b}`; classes negate with `!`.
    Gobwas,
}

/// A pattern could not be parsed (Go's `ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern;

/// Whether Go's `filepath.Match` accepts `pattern`: Go checks every part of
/// it, whatever the name, and reports `ErrBadPattern` for a dangling `\`,
/// an unclosed class, an empty class or a class range with a missing end.
pub fn is_valid_go_pattern(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 == chars.len() => return false,
            '\\' => i += 2,
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                let mut ranges = 0;
                while !(chars.get(i) == Some(&']') && ranges > 0) {
                    let Some(after_low) = go_class_char(&chars, i) else { return false };
                    i = after_low;
                    if chars.get(i) == Some(&'-') {
                        let Some(after_high) = go_class_char(&chars, i + 1) else { return false };
                        i = after_high;
                    }
                    ranges += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    true
}

/// Whether gobwas/glob compiles `pattern` (Helm's `.Files.Glob` matches
/// every file when it does not): only a malformed class fails.
pub fn is_valid_gobwas_pattern(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '[' => match match_gobwas_class(&chars[i + 1..], None) {
                Ok((class_len, _)) => i += 1 + class_len,
                Err(BadPattern) => return false,
            },
            _ => i += 1,
        }
    }
    true
}

/// Go's `getEsc`: the class character at `i` (escaped or not), as the index
/// just past it; `None` when Go calls the class malformed there.
fn go_class_char(chars: &[char], mut i: usize) -> Option<usize> {
    match chars.get(i)? {
        '-' | ']' => return None,
        '\\' => {
            i += 1;
            chars.get(i)?;
        }
        _ => {}
    }
    i += 1;
    (i < chars.len()).then_some(i)
}

/// Whether `name` matches `pattern` entirely.
pub fn matches(pattern: &str, name: &str, dialect: Dialect) -> Result<bool, BadPattern> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    match_from(&pattern, &name, dialect)
}

fn match_from(pattern: &[char], name: &[char], dialect: Dialect) -> Result<bool, BadPattern> {
    let Some((&first, rest)) = pattern.split_first() else {
        return Ok(name.is_empty());
    };
    match first {
        '*' => {
            let (any_depth, rest) = match rest.split_first() {
                Some(('*', after)) if dialect == Dialect::Gobwas => (true, after),
                _ => (false, rest),
            };
            for taken in 0..=name.len() {
                if taken > 0 && !any_depth && name[taken - 1] == '/' {
                    break;
                }
                if match_from(rest, &name[taken..], dialect)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        '?' => match name.split_first() {
            Some((&c, tail)) if c != '/' => match_from(rest, tail, dialect),
            _ => Ok(false),
        },
        '[' => {
            let (class_len, matched) = match dialect {
                Dialect::GoFilepath => match_class(rest, name.first().copied())?,
                Dialect::Gobwas => match_gobwas_class(rest, name.first().copied())?,
            };
            match name.split_first() {
                Some((_, tail)) if matched => match_from(&rest[class_len..], tail, dialect),
                _ => Ok(false),
            }
        }
        '{' if dialect == Dialect::Gobwas => {
            let (alternatives, after) = split_alternatives(rest)?;
            for alternative in alternatives {
                let mut candidate = alternative;
                candidate.extend_from_slice(after);
                if match_from(&candidate, name, dialect)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        // gobwas reads a trailing backslash as itself.
        '\\' if dialect == Dialect::Gobwas && rest.is_empty() => match name {
            ['\\'] => Ok(true),
            _ => Ok(false),
        },
        '\\' => {
            let (&escaped, rest) = rest.split_first().ok_or(BadPattern)?;
            match name.split_first() {
                Some((&c, tail)) if c == escaped => match_from(rest, tail, dialect),
                _ => Ok(false),
            }
        }
        literal => match name.split_first() {
            Some((&c, tail)) if c == literal => match_from(rest, tail, dialect),
            _ => Ok(false),
        },
    }
}

/// Reads a Go `filepath.Match` character class after `[`; returns its
/// length (through `]`) and whether `c` is in it.
fn match_class(class: &[char], c: Option<char>) -> Result<(usize, bool), BadPattern> {
    let mut i = 0;
    let negated = class.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let &lo = class.get(i).ok_or(BadPattern)?;
        if lo == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if lo == '\\' {
            i += 1;
            *class.get(i).ok_or(BadPattern)?
        } else {
            lo
        };
        i += 1;
        let mut hi = lo;
        if class.get(i) == Some(&'-') && class.get(i + 1).is_some_and(|&h| h != ']') {
            hi = class[i + 1];
            i += 2;
        }
        if let Some(c) = c
            && lo <= c
            && c <= hi
        {
            found = true;
        }
    }
    Ok((i, found != negated && c.is_some()))
}

/// A gobwas class after `[`: an optional `!`, then either one range `lo-hi`
/// or a list of characters (backslash escapes them), then `]`; a range
/// followed by anything but `]` does not compile. Returns the class length
/// (through `]`) and whether `c` is in it.
fn match_gobwas_class(class: &[char], c: Option<char>) -> Result<(usize, bool), BadPattern> {
    let negated = class.first() == Some(&'!');
    let mut i = usize::from(negated);
    let found = if class.get(i + 1) == Some(&'-') {
        let (lo, hi) = (class[i], *class.get(i + 2).ok_or(BadPattern)?);
        if class.get(i + 3) != Some(&']') {
            return Err(BadPattern);
        }
        i += 4;
        c.is_some_and(|c| lo <= c && c <= hi)
    } else {
        let mut listed = Vec::new();
        loop {
            match *class.get(i).ok_or(BadPattern)? {
                ']' => break,
                '\\' => {
                    i += 1;
                    listed.push(*class.get(i).ok_or(BadPattern)?);
                }
                other => listed.push(other),
            }
            i += 1;
        }
        i += 1;
        c.is_some_and(|c| listed.contains(&c))
    };
    Ok((i, found != negated && c.is_some_and(|c| c != '/')))
}

/// Splits `a,b}rest` into the alternatives and what follows the closing
/// brace; gobwas closes braces left open at the end of the pattern.
fn split_alternatives(text: &[char]) -> Result<(Vec<Vec<char>>, &[char]), BadPattern> {
    let mut alternatives = vec![Vec::new()];
    let mut depth = 0;
    for (i, &c) in text.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Ok((alternatives, &text[i + 1..])),
            '}' => depth -= 1,
            ',' if depth == 0 => {
                alternatives.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = alternatives.last_mut() {
            last.push(c);
        }
    }
    Ok((alternatives, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_filepath_star_stops_at_separators() {
        assert_eq!(matches("*.txt", "a.txt", Dialect::GoFilepath), Ok(true));
        assert_eq!(matches("*.txt", "dir/a.txt", Dialect::GoFilepath), Ok(false));
        assert_eq!(matches("dir/*", "dir/a.txt", Dialect::GoFilepath), Ok(true));
        assert_eq!(matches("[^a]b", "ab", Dialect::GoFilepath), Ok(false));
        assert_eq!(matches("[a-c]?", "bz", Dialect::GoFilepath), Ok(true));
        assert_eq!(matches("[a", "a", Dialect::GoFilepath), Err(BadPattern));
    }

    #[test]
    fn gobwas_adds_double_star_and_alternatives() {
        assert_eq!(matches("files/**", "files/a/b.txt", Dialect::Gobwas), Ok(true));
        assert_eq!(matches("files/*", "files/a/b.txt", Dialect::Gobwas), Ok(false));
        assert_eq!(matches("files/*.{json,yaml}", "files/x.yaml", Dialect::Gobwas), Ok(true));
        assert_eq!(matches("files/*.{json,yaml}", "files/x.toml", Dialect::Gobwas), Ok(false));
        assert_eq!(matches("[!x]", "y", Dialect::Gobwas), Ok(true));
    }

    #[test]
    fn go_pattern_syntax_is_checked_past_the_first_mismatch() {
        for good in ["*.md", r"\*.md", r"[\]]", "x[a-z]", "/docs/*", "!README.md", "[!a]", "[^a]b"] {
            assert!(is_valid_go_pattern(good), "{good}");
        }
        for bad in ["a[", "!x[", "\\", "[]a]", "[-a]", "[a-]", "[^]", "*[a", "[a*", r"[a\]", "a\\"] {
            assert!(!is_valid_go_pattern(bad), "{bad}");
        }
    }

    #[test]
    fn gobwas_reads_escapes_open_braces_and_single_range_classes() {
        assert_eq!(matches(r"odd\[1\].txt", "odd[1].txt", Dialect::Gobwas), Ok(true));
        assert_eq!(matches("{app,db", "db", Dialect::Gobwas), Ok(true));
        assert_eq!(matches("[ab-]*", "-x", Dialect::Gobwas), Ok(true));
        assert!(is_valid_gobwas_pattern("conf/[a-b]*"));
        assert!(!is_valid_gobwas_pattern("conf/[a-bx]*"));
        assert!(!is_valid_gobwas_pattern("conf/["));
    }
}

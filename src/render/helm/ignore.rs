//! `.helmignore` rules: which chart files Helm leaves out when it loads a
//! chart directory. Rules read like `.gitignore` but match as Helm's
//! `ignore` package does: a rule without `/` matches the base name, a rule
//! with `/` the whole path (Go `filepath.Match`), `!` negates, a trailing
//! `/` matches directories only, `**` is refused.
//!
//! This module must not walk directories.

use super::error::HelmError;
use super::pattern::{Dialect, is_valid_go_pattern, matches};

/// The rules of one chart.
#[derive(Debug, Default, Clone)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    negate: bool,
    directories_only: bool,
    scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    BaseName,
    WholePath,
}

impl IgnoreRules {
    /// Parses a `.helmignore` file and adds Helm's default rule (dot files
    /// under `templates/`).
    pub fn parse(text: &str) -> Result<IgnoreRules, HelmError> {
        let mut rules = IgnoreRules::default();
        for line in text.lines() {
            rules.add(line)?;
        }
        rules.add("templates/.?*")?;
        Ok(rules)
    }

    /// Only Helm's default rule, for charts without `.helmignore`.
    pub fn defaults() -> IgnoreRules {
        IgnoreRules::parse("").unwrap_or_default()
    }

    fn add(&mut self, line: &str) -> Result<(), HelmError> {
        let mut rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(HelmError::Ignore { message: "double-star (**) syntax is not supported".to_string() });
        }
        // Helm checks the rule as written, with its `!` and `/`.
        if !is_valid_go_pattern(rule) {
            return Err(HelmError::Ignore { message: "syntax error in pattern".to_string() });
        }
        let negate = rule.starts_with('!') && rule.len() > 1;
        if negate {
            rule = &rule[1..];
        }
        let directories_only = rule.ends_with('/');
        if directories_only {
            rule = &rule[..rule.len() - 1];
        }
        let (pattern, scope) = match rule.strip_prefix('/') {
            Some(rooted) => (rooted, Scope::WholePath),
            None if rule.contains('/') => (rule, Scope::WholePath),
            None => (rule, Scope::BaseName),
        };
        self.rules.push(Rule { pattern: pattern.to_string(), negate, directories_only, scope });
        Ok(())
    }

    /// Whether the chart file or directory at `path` (relative, `/`-separated) is ignored.
    pub fn ignores(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for rule in &self.rules {
            let candidate = match rule.scope {
                Scope::BaseName => path.rsplit('/').next().unwrap_or(path),
                Scope::WholePath => path,
            };
            let matched = matches(&rule.pattern, candidate, Dialect::GoFilepath).unwrap_or(false);
            if rule.negate {
                if (rule.directories_only && !is_dir) || !matched {
                    return true;
                }
                continue;
            }
            if rule.directories_only && !is_dir {
                continue;
            }
            if matched {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_base_names_paths_and_directories() {
        let rules = IgnoreRules::parse("# comment\n*.bak\nsecret/\n/docs/*.md\n").unwrap();
        assert!(rules.ignores("files/a.bak", false));
        assert!(rules.ignores("secret", true));
        assert!(!rules.ignores("secret", false));
        assert!(rules.ignores("docs/readme.md", false));
        assert!(!rules.ignores("files/docs/readme.md", false));
        assert!(rules.ignores("templates/.hidden.yaml", false));
        assert!(!rules.ignores("templates/cm.yaml", false));
    }

    #[test]
    fn refused_rules_fail_with_helms_words() {
        let error = IgnoreRules::parse("ok\nfiles/**\n").unwrap_err();
        assert_eq!(error.to_string(), "double-star (**) syntax is not supported");
        for rule in ["a[", "!x[", "\\"] {
            let error = IgnoreRules::parse(rule).unwrap_err();
            assert_eq!(error.to_string(), "syntax error in pattern", "{rule}");
        }
    }
}

//! Error texts worded as Helm's Go libraries word them (go-yaml, `os`), so
//! driftctl's messages read like `helm template`'s.
//!
//! This module must not decide whether something is an error.

use crate::yaml::YamlError;

/// A YAML error as go-yaml v2 words it. go-yaml prints the scanner's
/// 0-based mark plus one, the parser's mark as it is, and no line at all
/// when the mark is 0.
pub fn go_yaml_message(error: &YamlError) -> String {
    match error {
        YamlError::Syntax { line, problem, .. } => {
            let mark = line.saturating_sub(1);
            let shown = if is_parser_problem(problem) { mark } else { mark + 1 };
            if mark == 0 { format!("yaml: {problem}") } else { format!("yaml: line {shown}: {problem}") }
        }
        YamlError::DuplicateKey { line, key, .. } => {
            format!("yaml: unmarshal errors:\n  line {line}: key {key:?} already set in map")
        }
        other => other.to_string(),
    }
}

/// Whether libyaml's parser (not its scanner) reports this problem.
fn is_parser_problem(problem: &str) -> bool {
    (problem.starts_with("did not find expected ") && problem != "did not find expected comment or line break")
        || problem.starts_with("found undefined tag handle")
        || problem.starts_with("found duplicate %")
        || problem.starts_with("found incompatible YAML document")
}

/// An I/O error as Go's `os` package words it.
pub fn go_io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => error.to_string(),
    }
}

//! The one error type of the YAML layer: what went wrong and where (1-based
//! line and column of the input), worded so the user can fix the input.
//!
//! Must not carry parser internals or panic payloads; every failure of the
//! reader, the resolver or the emitter maps to a variant here.

use thiserror::Error;

/// A failure to read or write YAML, with the position in the input it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum YamlError {
    /// The text is not well-formed YAML (scanner or parser error).
    #[error("yaml: line {line}, column {column}: {problem}{context}; fix the YAML syntax at this position")]
    Syntax {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser found wrong, e.g. "mapping values are not allowed in this context".
        problem: String,
        /// Extra context from the parser (starts with ", " when present, else empty).
        context: String,
    },
    /// A mapping defines the same key twice, which Kubernetes' YAML reader rejects.
    #[error("yaml: line {line}, column {column}: key {key:?} already set in map; remove one of the duplicate keys")]
    DuplicateKey {
        /// 1-based line of the second occurrence.
        line: usize,
        /// 1-based column of the second occurrence.
        column: usize,
        /// The duplicated key, in its string form.
        key: String,
    },
    /// An alias names an anchor that was not defined before it.
    #[error(
        "yaml: line {line}, column {column}: unknown anchor {anchor:?} referenced; define `&{anchor}` before using `*{anchor}`"
    )]
    UnknownAnchor {
        /// 1-based line of the alias.
        line: usize,
        /// 1-based column of the alias.
        column: usize,
        /// The anchor name.
        anchor: String,
    },
    /// A path used to edit a node tree names a sequence item that does not exist.
    #[error("no node at {path}: the sequence has no such index; append the item first or fix the path")]
    NoSuchPath {
        /// The path, joined with `/`.
        path: String,
    },
    /// A mapping or sequence is used as a mapping key, which go-yaml v2 refuses
    /// while decoding; as there, the message shows the key as Go's `%#v` and no position.
    #[error("yaml: invalid map key: {key}")]
    InvalidMapKey {
        /// 1-based line of the key.
        line: usize,
        /// 1-based column of the key.
        column: usize,
        /// The key as Go's `%#v` prints the value go-yaml v2 decoded.
        key: String,
    },
    /// A number JSON cannot hold (`.inf`, `.nan`) where the reader converts
    /// YAML to JSON, as Kubernetes and Helm read it.
    #[error(
        "yaml: line {line}, column {column}: json: unsupported value: {value}; quote the value to keep it as a string"
    )]
    UnsupportedNumber {
        /// 1-based line of the number.
        line: usize,
        /// 1-based column of the number.
        column: usize,
        /// The number as Go's `encoding/json` names it: `+Inf`, `-Inf` or `NaN`.
        value: &'static str,
    },
    /// Collections nest deeper than go-yaml allows (its words: "exceeded max
    /// depth of 10000"); refused before any tree is built, so deep input costs
    /// no more than its own size.
    #[error("yaml: line {line}, column {column}: exceeded max depth of {limit}; nest the YAML less deeply")]
    TooDeep {
        /// 1-based line of the first collection past the limit.
        line: usize,
        /// 1-based column of that collection.
        column: usize,
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// A value cannot be represented the way the reader needs it (bad tag, bad
    /// merge, key type JSON cannot hold …).
    #[error("yaml: line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line of the offending node.
        line: usize,
        /// 1-based column of the offending node.
        column: usize,
        /// What is wrong and what to do instead.
        message: String,
    },
}

impl YamlError {
    /// 1-based line the error refers to (0 when it is not about input text).
    pub fn line(&self) -> usize {
        match self {
            Self::Syntax { line, .. }
            | Self::DuplicateKey { line, .. }
            | Self::UnknownAnchor { line, .. }
            | Self::Invalid { line, .. }
            | Self::UnsupportedNumber { line, .. }
            | Self::InvalidMapKey { line, .. }
            | Self::TooDeep { line, .. } => *line,
            Self::NoSuchPath { .. } => 0,
        }
    }

    /// 1-based column the error refers to (0 when it is not about input text).
    pub fn column(&self) -> usize {
        match self {
            Self::Syntax { column, .. }
            | Self::DuplicateKey { column, .. }
            | Self::UnknownAnchor { column, .. }
            | Self::Invalid { column, .. }
            | Self::UnsupportedNumber { column, .. }
            | Self::InvalidMapKey { column, .. }
            | Self::TooDeep { column, .. } => *column,
            Self::NoSuchPath { .. } => 0,
        }
    }

    /// The error as go-yaml v2 (Helm's reader) words it. go-yaml prints the
    /// scanner's 0-based mark plus one, the parser's mark as it is, and no
    /// line at all when the mark is 0.
    pub fn go_v2_message(&self) -> String {
        match self {
            YamlError::Syntax { line, problem, .. } => {
                let mark = line.saturating_sub(1);
                let shown = if is_parser_problem(problem) { mark } else { mark + 1 };
                if mark == 0 { format!("yaml: {problem}") } else { format!("yaml: line {shown}: {problem}") }
            }
            YamlError::DuplicateKey { line, key, .. } => {
                format!("yaml: unmarshal errors:\n  line {line}: key {key:?} already set in map")
            }
            // A scanner error: no line when the mark is on the first line.
            YamlError::TooDeep { line, limit, .. } if *line <= 1 => format!("yaml: exceeded max depth of {limit}"),
            YamlError::TooDeep { line, limit, .. } => format!("yaml: line {line}: exceeded max depth of {limit}"),
            // encoding/json's error, which names no position.
            YamlError::UnsupportedNumber { value, .. } => format!("json: unsupported value: {value}"),
            other => other.to_string(),
        }
    }
}

/// Whether libyaml's parser (not its scanner) reports this problem.
fn is_parser_problem(problem: &str) -> bool {
    (problem.starts_with("did not find expected ") && problem != "did not find expected comment or line break")
        || problem.starts_with("found undefined tag handle")
        || problem.starts_with("found duplicate %")
        || problem.starts_with("found incompatible YAML document")
}

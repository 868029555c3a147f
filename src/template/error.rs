//! Errors of the template engine, printed exactly as Go's `text/template`
//! prints them, plus Helm's rewording (`helm_message`).
//!
//! This module must not evaluate or parse templates.

use super::parser::ParseFailure;

/// An execution failure with Go's context: where, in which template, at which node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecFailure {
    /// `FILE:LINE:COL` of the node being evaluated, when there is one.
    pub location: Option<String>,
    /// Name of the template being executed.
    pub template: String,
    /// The node, as Go prints it.
    pub context: String,
    /// What went wrong, e.g. `nil pointer evaluating interface {}.y`.
    pub message: String,
}

impl std::fmt::Display for ExecFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(location) => write!(
                f,
                "template: {}: executing {} at <{}>: {}",
                location,
                super::gofmt::quote(&self.template),
                self.context,
                self.message
            ),
            None => write!(f, "template: {}: {}", self.template, self.message),
        }
    }
}

/// Errors from parsing or executing templates.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The template text is not valid Go template syntax; fix the file and line named.
    #[error("{0}")]
    Parse(ParseFailure),
    /// Executing the template failed; the message names file, line, column and the failing expression.
    #[error("{0}")]
    Exec(ExecFailure),
    /// `execute` was asked for a template the set does not hold.
    #[error("template: no template {} associated with the template set; add the file that defines it", super::gofmt::quote(.0))]
    NoSuchTemplate(String),
}

/// Helm marks messages from `required` so it can print them without Go's context.
pub(crate) const REQUIRED_START: &str = "HELM_ERR_START";
pub(crate) const REQUIRED_END: &str = "HELM_ERR_END";

impl TemplateError {
    /// The message as `helm template` prints it after `Error: `: parse errors
    /// become `parse error at (FILE:LINE): MSG`; `required` failures become
    /// `execution error at (FILE:LINE:COL): MSG`; other execution errors stay Go's.
    pub fn helm_message(&self) -> String {
        match self {
            TemplateError::Parse(failure) => {
                let text = failure.to_string();
                let tokens: Vec<&str> = text.split(": ").collect();
                if tokens.len() == 1 {
                    return format!("parse error in ({}): {}", failure.name, text);
                }
                format!("parse error at ({}): {}", tokens[1], tokens[tokens.len() - 1])
            }
            TemplateError::Exec(failure) => {
                let text = failure.to_string();
                let tokens: Vec<&str> = text.splitn(3, ": ").collect();
                if tokens.len() != 3 {
                    return format!("execution error in ({}): {}", failure.template, text);
                }
                // Helm's pattern is `HELM_ERR_START((?s).*)HELM_ERR_END`: greedy and
                // across lines, so a multi-line `fail` message survives whole.
                if let Some(start) = tokens[2].find(REQUIRED_START) {
                    let after = &tokens[2][start + REQUIRED_START.len()..];
                    if let Some(end) = after.rfind(REQUIRED_END) {
                        return format!("execution error at ({}): {}", tokens[1], &after[..end]);
                    }
                }
                text
            }
            TemplateError::NoSuchTemplate(_) => self.to_string(),
        }
    }
}

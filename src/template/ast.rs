//! Syntax tree of a parsed template, shaped like Go's `text/template/parse`
//! nodes so execution and error messages follow Go's. `Display` renders a
//! node as Go's `Node.String()` does (used in error contexts).
//!
//! This module must not parse or execute.

use std::fmt;

/// A list of nodes (a template body or a branch).
pub type List = Vec<Node>;

/// A node of the template body.
#[derive(Clone, Debug)]
pub enum Node {
    /// Plain text copied to the output.
    Text(String),
    /// `{{pipeline}}`
    Action(Pipe),
    /// `{{if}}`
    If(Branch),
    /// `{{with}}`
    With(Branch),
    /// `{{range}}`
    Range(Branch),
    /// `{{template "name" pipeline}}`
    Template { pos: usize, name: String, pipe: Option<Pipe> },
    /// `{{break}}`
    Break { pos: usize },
    /// `{{continue}}`
    Continue { pos: usize },
}

/// The shared shape of `if`, `with` and `range`.
#[derive(Clone, Debug)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

/// A pipeline with optional variable declarations.
#[derive(Clone, Debug)]
pub struct Pipe {
    pub pos: usize,
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

/// One command of a pipeline: a function or operand with arguments.
#[derive(Clone, Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

pub use super::gonumber::Number;

/// An operand.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `.a.b`
    Field { pos: usize, idents: Vec<String> },
    /// `$x.a`
    Variable { pos: usize, idents: Vec<String> },
    /// A function name.
    Identifier { pos: usize, name: String },
    /// `.`
    Dot { pos: usize },
    /// `nil`
    Nil { pos: usize },
    /// `true` / `false`
    Bool { pos: usize, value: bool },
    /// A number or character constant.
    Number { pos: usize, number: Number },
    /// A string literal: source text and value.
    String { pos: usize, quoted: String, value: String },
    /// `(pipeline)`
    Pipe(Box<Pipe>),
    /// `(pipeline).a.b` or `fn.a` — fields on a non-field operand.
    Chain { pos: usize, node: Box<Arg>, fields: Vec<String> },
}

impl Arg {
    /// Byte offset of the operand in the source.
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(pipe) => pipe.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for ident in idents {
                    write!(f, ".{ident}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => write!(f, "{}", idents.join(".")),
            Arg::Identifier { name, .. } => write!(f, "{name}"),
            Arg::Dot { .. } => write!(f, "."),
            Arg::Nil { .. } => write!(f, "nil"),
            Arg::Bool { value, .. } => write!(f, "{value}"),
            Arg::Number { number, .. } => write!(f, "{}", number.text),
            Arg::String { quoted, .. } => write!(f, "{quoted}"),
            Arg::Pipe(pipe) => write!(f, "{pipe}"),
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(_) = node.as_ref() {
                    write!(f, "({node})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for field in fields {
                    write!(f, ".{field}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            if let Arg::Pipe(_) = arg {
                write!(f, "({arg})")?;
            } else {
                write!(f, "{arg}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            write!(f, "{}", if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &List) -> fmt::Result {
    for node in list {
        write!(f, "{node}")?;
    }
    Ok(())
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(text) => write!(f, "{}", super::gofmt::quote(text)),
            Node::Action(pipe) => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) | Node::With(b) | Node::Range(b) => {
                let keyword = match self {
                    Node::If(_) => "if",
                    Node::With(_) => "with",
                    _ => "range",
                };
                write!(f, "{{{{{keyword} {}}}}}", b.pipe)?;
                write_list(f, &b.list)?;
                if let Some(else_list) = &b.else_list {
                    write!(f, "{{{{else}}}}")?;
                    write_list(f, else_list)?;
                }
                write!(f, "{{{{end}}}}")
            }
            Node::Template { name, pipe, .. } => match pipe {
                Some(pipe) => write!(f, "{{{{template {} {pipe}}}}}", super::gofmt::quote(name)),
                None => write!(f, "{{{{template {}}}}}", super::gofmt::quote(name)),
            },
            Node::Break { .. } => write!(f, "{{{{break}}}}"),
            Node::Continue { .. } => write!(f, "{{{{continue}}}}"),
        }
    }
}

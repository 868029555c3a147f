//! Builds the syntax tree from tokens with the rules and error messages of
//! Go's `text/template/parse`: undefined variables and functions, unbalanced
//! blocks and stray `{{end}}`/`{{else}}` are parse errors.
//!
//! This module must not evaluate templates; it only knows which function
//! names exist.

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe};
use super::lexer::{Token, TokenKind, lex};

/// A parse failure, printed as Go prints it: `template: NAME:LINE: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseFailure {
    /// Name of the source being parsed (Go's `ParseName`).
    pub name: String,
    /// 1-based line of the offending token.
    pub line: usize,
    /// Go's message, e.g. `function "foo" not defined`.
    pub message: String,
}

impl std::fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

/// A parsed source: its main body and the templates it `define`s or `block`s,
/// in source order.
#[derive(Clone, Debug, Default)]
pub struct ParsedSource {
    /// The body outside any `define`.
    pub root: List,
    /// `(name, body)` of each `define`/`block`.
    pub defines: Vec<(String, List)>,
}

/// Parse `text` named `name`; `has_function` says which identifiers are
/// functions (Go checks this at parse time).
pub fn parse(
    name: &str,
    text: &str,
    has_function: &dyn Fn(&str) -> bool,
) -> std::result::Result<ParsedSource, ParseFailure> {
    let tokens = lex(text);
    let mut parser = Parser {
        name,
        tokens,
        cursor: 0,
        last_line: 1,
        vars: vec!["$".to_string()],
        range_depth: 0,
        action_line: 0,
        has_function,
        defines: Vec::new(),
    };
    let root = parser.parse_top()?;
    Ok(ParsedSource { root, defines: parser.defines })
}

/// What ended a list of nodes.
enum Stop {
    End,
    Else,
}

enum Item {
    Node(Node),
    Stop(Stop),
    Nothing,
}

type Result<T> = std::result::Result<T, ParseFailure>;

struct Parser<'a, 's> {
    name: &'a str,
    tokens: Vec<Token<'s>>,
    cursor: usize,
    last_line: usize,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    has_function: &'a dyn Fn(&str) -> bool,
    defines: Vec<(String, List)>,
}

impl<'s> Parser<'_, 's> {
    fn errorf<T>(&self, message: String) -> Result<T> {
        Err(ParseFailure { name: self.name.to_string(), line: self.last_line, message })
    }

    fn next(&mut self) -> Token<'s> {
        let i = self.cursor.min(self.tokens.len() - 1);
        self.cursor = i + 1;
        let token = self.tokens[i].clone();
        self.last_line = token.line;
        token
    }

    fn backup(&mut self) {
        self.cursor -= 1;
    }

    fn peek(&mut self) -> Token<'s> {
        let token = self.next();
        self.backup();
        token
    }

    fn next_non_space(&mut self) -> Token<'s> {
        loop {
            let token = self.next();
            if token.kind != TokenKind::Space {
                return token;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token<'s> {
        let token = self.next_non_space();
        self.backup();
        token
    }

    fn expect(&mut self, kind: TokenKind, context: &str) -> Result<Token<'s>> {
        let token = self.next_non_space();
        if token.kind != kind {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn unexpected<T>(&self, token: &Token, context: &str) -> Result<T> {
        if token.kind == TokenKind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if token.text.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{token}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn parse_top(&mut self) -> Result<List> {
        let mut root = Vec::new();
        while self.peek().kind != TokenKind::Eof {
            if self.peek().kind == TokenKind::LeftDelim {
                let delim = self.cursor;
                self.next();
                if self.next_non_space().kind == TokenKind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.cursor = delim;
            }
            match self.text_or_action()? {
                Item::Stop(Stop::End) => return self.errorf("unexpected {{end}}".to_string()),
                Item::Stop(Stop::Else) => return self.errorf("unexpected {{else}}".to_string()),
                Item::Node(node) => root.push(node),
                Item::Nothing => {}
            }
        }
        if let Some(token) = self.tokens.last()
            && token.kind == TokenKind::Error
        {
            let token = token.clone();
            return self.unexpected(&token, "input");
        }
        Ok(root)
    }

    /// Parse a nested template body with its own variable scope (`define`, `block`).
    fn parse_sub_template(&mut self, name: String, context: &str) -> Result<()> {
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let (list, stop) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        if let Stop::Else = stop {
            return self.errorf(format!("unexpected {{{{else}}}} in {context}"));
        }
        let list_is_empty = is_empty_tree(&list);
        if let Some(existing) = self.defines.iter_mut().find(|(n, _)| *n == name) {
            if is_empty_tree(&existing.1) {
                existing.1 = list;
            } else if !list_is_empty {
                return self
                    .errorf(format!("template: multiple definition of template {}", super::gofmt::quote(&name)));
            }
        } else {
            self.defines.push((name, list));
        }
        Ok(())
    }

    fn parse_definition(&mut self) -> Result<()> {
        const CONTEXT: &str = "define clause";
        let token = self.next_non_space();
        let name = match token.kind {
            TokenKind::String | TokenKind::RawString => self.unquote(&token.text)?,
            _ => return self.unexpected(&token, CONTEXT),
        };
        self.expect(TokenKind::RightDelim, CONTEXT)?;
        self.parse_sub_template(name, CONTEXT)
    }

    fn item_list(&mut self) -> Result<(List, Stop)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != TokenKind::Eof {
            match self.text_or_action()? {
                Item::Stop(stop) => return Ok((list, stop)),
                Item::Node(node) => list.push(node),
                Item::Nothing => {}
            }
        }
        if let Some(token) = self.tokens.last()
            && token.kind == TokenKind::Error
        {
            let token = token.clone();
            return self.unexpected(&token, "input");
        }
        self.errorf("unexpected EOF".to_string())
    }

    fn text_or_action(&mut self) -> Result<Item> {
        let token = self.next_non_space();
        match token.kind {
            TokenKind::Text => Ok(Item::Node(Node::Text(token.text.into_owned()))),
            TokenKind::LeftDelim => {
                self.action_line = token.line;
                let result = self.action();
                self.action_line = 0;
                result
            }
            TokenKind::Comment => Ok(Item::Nothing),
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> Result<Item> {
        let token = self.next_non_space();
        match token.kind {
            TokenKind::Block => return self.block_control().map(Item::Node),
            TokenKind::Break | TokenKind::Continue => {
                let keyword = token.text.clone();
                let next = self.next_non_space();
                if next.kind != TokenKind::RightDelim {
                    return self.unexpected(&next, &format!("{{{{{keyword}}}}}"));
                }
                if self.range_depth == 0 {
                    return self.errorf(format!("{{{{{keyword}}}}} outside {{{{range}}}}"));
                }
                let pos = token.pos;
                return Ok(Item::Node(if token.kind == TokenKind::Break {
                    Node::Break { pos }
                } else {
                    Node::Continue { pos }
                }));
            }
            TokenKind::Else => {
                let peek = self.peek_non_space();
                if peek.kind != TokenKind::If && peek.kind != TokenKind::With {
                    self.expect(TokenKind::RightDelim, "else")?;
                }
                return Ok(Item::Stop(Stop::Else));
            }
            TokenKind::End => {
                self.expect(TokenKind::RightDelim, "end")?;
                return Ok(Item::Stop(Stop::End));
            }
            TokenKind::If => return self.branch("if").map(|b| Item::Node(Node::If(b))),
            TokenKind::Range => return self.branch("range").map(|b| Item::Node(Node::Range(b))),
            TokenKind::With => return self.branch("with").map(|b| Item::Node(Node::With(b))),
            TokenKind::Template => return self.template_control().map(Item::Node),
            _ => {}
        }
        self.backup();
        Ok(Item::Node(Node::Action(self.pipeline("command", TokenKind::RightDelim)?)))
    }

    fn branch(&mut self, context: &str) -> Result<Branch> {
        let vars_len = self.vars.len();
        let result = self.branch_inner(context);
        self.vars.truncate(vars_len);
        result
    }

    fn branch_inner(&mut self, context: &str) -> Result<Branch> {
        let pipe = self.pipeline(context, TokenKind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Stop::Else = stop {
            let peek = self.peek().kind;
            if context == "if" && peek == TokenKind::If {
                self.next();
                else_list = Some(vec![Node::If(self.branch("if")?)]);
            } else if context == "with" && peek == TokenKind::With {
                self.next();
                else_list = Some(vec![Node::With(self.branch("with")?)]);
            } else {
                let (list, stop) = self.item_list()?;
                if let Stop::Else = stop {
                    return self.errorf("expected end; found {{else}}".to_string());
                }
                else_list = Some(list);
            }
        }
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn template_name(&mut self, context: &str) -> Result<(Token<'s>, String)> {
        let token = self.next_non_space();
        match token.kind {
            TokenKind::String | TokenKind::RawString => {
                let name = self.unquote(&token.text)?;
                Ok((token, name))
            }
            _ => self.unexpected(&token, context),
        }
    }

    fn template_control(&mut self) -> Result<Node> {
        const CONTEXT: &str = "template clause";
        let (token, name) = self.template_name(CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != TokenKind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, TokenKind::RightDelim)?);
        }
        Ok(Node::Template { pos: token.pos, name, pipe })
    }

    fn block_control(&mut self) -> Result<Node> {
        const CONTEXT: &str = "block clause";
        let (token, name) = self.template_name(CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, TokenKind::RightDelim)?;
        self.parse_sub_template(name.clone(), CONTEXT)?;
        Ok(Node::Template { pos: token.pos, name, pipe: Some(pipe) })
    }

    fn pipeline(&mut self, context: &str, end: TokenKind) -> Result<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe { pos: start.pos, decl: Vec::new(), is_assign: false, cmds: Vec::new() };
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != TokenKind::Variable {
                break;
            }
            let before = self.cursor;
            self.next_non_space();
            let token_after = self.peek();
            let next = self.peek_non_space();
            match next.kind {
                TokenKind::Assign | TokenKind::Declare => {
                    pipe.is_assign = next.kind == TokenKind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.text.to_string());
                    self.vars.push(v.text.into_owned());
                }
                TokenKind::Char if next.text == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.text.to_string());
                    self.vars.push(v.text.into_owned());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            TokenKind::Variable | TokenKind::RightDelim | TokenKind::RightParen => continue 'decls,
                            _ => return self.errorf("range can only initialize variables".to_string()),
                        }
                    }
                    return self.errorf(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = token_after;
                    self.cursor = before;
                }
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.kind {
                k if k == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                TokenKind::Bool
                | TokenKind::CharConstant
                | TokenKind::Dot
                | TokenKind::Field
                | TokenKind::Identifier
                | TokenKind::Number
                | TokenKind::Complex
                | TokenKind::Nil
                | TokenKind::RawString
                | TokenKind::String
                | TokenKind::Variable
                | TokenKind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> Result<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                cmd.args.first(),
                Some(Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number { .. } | Arg::String { .. })
            ) {
                return self.errorf(format!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> Result<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command { pos, args: Vec::new() };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.kind {
                TokenKind::Space => continue,
                TokenKind::RightDelim | TokenKind::RightParen => self.backup(),
                TokenKind::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command".to_string());
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> Result<Option<Arg>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().kind != TokenKind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == TokenKind::Field {
            fields.push(self.next().text[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos: chain_pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos: chain_pos, idents }
            }
            Arg::Bool { .. } | Arg::String { .. } | Arg::Number { .. } | Arg::Nil { .. } | Arg::Dot { .. } => {
                return self.errorf(format!("unexpected . after term {}", super::gofmt::quote(&node.to_string())));
            }
            other => Arg::Chain { pos: chain_pos, node: Box::new(other), fields },
        }))
    }

    fn term(&mut self) -> Result<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.kind {
            TokenKind::Identifier => {
                if !(self.has_function)(&token.text) {
                    return self.errorf(format!("function {} not defined", super::gofmt::quote(&token.text)));
                }
                Arg::Identifier { pos, name: token.text.into_owned() }
            }
            TokenKind::Dot => Arg::Dot { pos },
            TokenKind::Nil => Arg::Nil { pos },
            TokenKind::Variable => {
                if !self.vars.iter().any(|v| *v == token.text) {
                    return self.errorf(format!("undefined variable {}", super::gofmt::quote(&token.text)));
                }
                Arg::Variable { pos, idents: vec![token.text.into_owned()] }
            }
            TokenKind::Field => Arg::Field { pos, idents: vec![token.text[1..].to_string()] },
            TokenKind::Bool => Arg::Bool { pos, value: token.text == "true" },
            TokenKind::Number | TokenKind::Complex | TokenKind::CharConstant => {
                let number = self.number(&token)?;
                Arg::Number { pos, number }
            }
            TokenKind::LeftParen => {
                Arg::Pipe(Box::new(self.pipeline("parenthesized pipeline", TokenKind::RightParen)?))
            }
            TokenKind::String | TokenKind::RawString => {
                let value = self.unquote(&token.text)?;
                Arg::String { pos, quoted: token.text.into_owned(), value }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    fn unquote(&self, text: &str) -> Result<String> {
        match unquote(text) {
            Some(s) => Ok(s),
            None => self.errorf("invalid syntax".to_string()),
        }
    }

    fn number(&self, token: &Token) -> Result<Number> {
        let text = token.text.to_string();
        if token.kind == TokenKind::CharConstant {
            let inner = &text[1..text.len() - 1];
            let value = unescape(inner, '\'').filter(|s| s.chars().count() == 1).and_then(|s| s.chars().next());
            let Some(c) = value else {
                return self.errorf(format!("malformed character constant: {text}"));
            };
            let code = c as u32;
            return Ok(Number {
                text,
                int: Some(i64::from(code)),
                uint: Some(u64::from(code)),
                float: Some(f64::from(code)),
                complex: None,
                is_char: true,
            });
        }
        match super::gonumber::number_node(&text, token.kind == TokenKind::Complex) {
            Ok(number) => Ok(number),
            Err(message) => self.errorf(message),
        }
    }
}

/// Whether a template body has only whitespace text (Go's `IsEmptyTree`).
pub fn is_empty_tree(list: &List) -> bool {
    list.iter().all(|node| matches!(node, Node::Text(t) if t.trim_matches([' ', '\t', '\r', '\n']).is_empty()))
}

/// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals.
pub fn unquote(text: &str) -> Option<String> {
    if text.len() >= 2 && text.starts_with('`') && text.ends_with('`') {
        let inner = &text[1..text.len() - 1];
        return Some(inner.replace('\r', ""));
    }
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        return unescape(&text[1..text.len() - 1], '"');
    }
    None
}

/// Resolve Go escape sequences inside a quoted literal.
fn unescape(inner: &str, quote: char) -> Option<String> {
    let mut out = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut chars = inner.chars().peekable();
    let flush = |bytes: &mut Vec<u8>, out: &mut String| {
        if !bytes.is_empty() {
            out.push_str(&String::from_utf8_lossy(bytes));
            bytes.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c == quote || c == '\n' {
            return None;
        }
        if c != '\\' {
            flush(&mut bytes, &mut out);
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let simple = match e {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            '\'' | '"' if e == quote => Some(e),
            _ => None,
        };
        if let Some(s) = simple {
            flush(&mut bytes, &mut out);
            out.push(s);
            continue;
        }
        match e {
            'x' => {
                let h: String = (0..2).filter_map(|_| chars.next()).collect();
                bytes.push(u8::from_str_radix(&h, 16).ok().filter(|_| h.len() == 2)?);
            }
            '0'..='7' => {
                let mut o = e.to_string();
                o.extend((0..2).filter_map(|_| chars.next()));
                let v = u32::from_str_radix(&o, 8).ok().filter(|_| o.len() == 3)?;
                bytes.push(u8::try_from(v).ok()?);
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let h: String = (0..n).filter_map(|_| chars.next()).collect();
                if h.len() != n {
                    return None;
                }
                flush(&mut bytes, &mut out);
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    flush(&mut bytes, &mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(src: &str) -> String {
        match parse("t", src, &|name: &str| name == "f") {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reports_go_parse_errors() {
        assert_eq!(parse_err("{{if .a}}x"), "template: t:1: unexpected EOF");
        assert_eq!(parse_err("{{end}}"), "template: t:1: unexpected {{end}}");
        assert_eq!(parse_err("\n{{g 1}}"), "template: t:2: function \"g\" not defined");
        assert_eq!(parse_err("{{$x}}"), "template: t:1: undefined variable \"$x\"");
        assert_eq!(parse_err("{{break}}"), "template: t:1: {{break}} outside {{range}}");
    }
}

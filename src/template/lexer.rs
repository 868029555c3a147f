//! Splits template text into tokens the way Go's `text/template/parse` lexer
//! does: text, `{{`/`}}` with `-` trim markers, comments, and the tokens
//! inside actions. Positions are byte offsets into the source, lines are
//! 1-based, so error messages point where Go's would.
//!
//! This module must not build syntax trees or evaluate anything.

/// Kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Text,
    LeftDelim,
    RightDelim,
    Space,
    Identifier,
    Field,
    Variable,
    Dot,
    String,
    RawString,
    CharConstant,
    Number,
    /// A complex constant, `1+2i`.
    Complex,
    Bool,
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Assign,
    Declare,
    Char,
    Comment,
    Eof,
    Error,
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

impl TokenKind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            TokenKind::Block
                | TokenKind::Break
                | TokenKind::Continue
                | TokenKind::Define
                | TokenKind::Else
                | TokenKind::End
                | TokenKind::If
                | TokenKind::Range
                | TokenKind::Template
                | TokenKind::With
                | TokenKind::Nil
                | TokenKind::Dot
        )
    }
}

/// One token: kind, text, byte offset and line where it starts.
#[derive(Clone, Debug)]
pub struct Token<'a> {
    pub kind: TokenKind,
    /// The source text of the token (an error's message for `Error`).
    pub text: std::borrow::Cow<'a, str>,
    pub pos: usize,
    pub line: usize,
}

impl std::fmt::Display for Token<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            TokenKind::Eof => write!(f, "EOF"),
            TokenKind::Error => write!(f, "{}", self.text),
            k if k.is_keyword() => write!(f, "<{}>", self.text),
            _ => {
                let chars: Vec<char> = self.text.chars().collect();
                if self.text.len() > 10 {
                    let head: String = chars.iter().take(10).collect();
                    write!(f, "{}...", super::gofmt::quote(&head))
                } else {
                    write!(f, "{}", super::gofmt::quote(&self.text))
                }
            }
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Tokenize a whole source text; the last token is `Eof` or `Error`.
pub fn lex(input: &str) -> Vec<Token<'_>> {
    let mut lexer = Lexer { input, pos: 0, start: 0, line: 1, start_line: 1, tokens: Vec::new(), paren_depth: 0 };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    line: usize,
    start_line: usize,
    tokens: Vec<Token<'a>>,
    paren_depth: i32,
}

enum State {
    Text,
    InsideAction,
    Done,
}

impl<'a> Lexer<'a> {
    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::InsideAction => self.lex_inside_action(),
                State::Done => return,
            };
        }
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn backup(&mut self, c: char) {
        self.pos -= c.len_utf8();
        if c == '\n' {
            self.line -= 1;
        }
    }

    fn emit(&mut self, kind: TokenKind) {
        let text = std::borrow::Cow::Borrowed(&self.input[self.start..self.pos]);
        self.tokens.push(Token { kind, text, pos: self.start, line: self.start_line });
        self.ignore();
    }

    /// Skip the pending text, keeping line counts right.
    fn ignore(&mut self) {
        self.line = self.start_line + count_newlines(&self.input[self.start..self.pos]);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn error(&mut self, message: String) -> State {
        self.tokens.push(Token {
            kind: TokenKind::Error,
            text: std::borrow::Cow::Owned(message),
            pos: self.start,
            line: self.start_line,
        });
        State::Done
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.rest().find(LEFT) {
            if x > 0 {
                let mut end = self.pos + x;
                let after = &self.input[end + LEFT.len()..];
                let trim = after.len() >= 2 && after.as_bytes()[0] == b'-' && is_space(after.as_bytes()[1]);
                self.pos = end;
                if trim {
                    while end > self.start && is_space(self.input.as_bytes()[end - 1]) {
                        end -= 1;
                    }
                }
                let saved = self.pos;
                self.pos = end;
                if end > self.start {
                    self.emit(TokenKind::Text);
                }
                self.pos = saved;
                self.ignore();
            }
            return self.lex_left_delim();
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(TokenKind::Text);
        }
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            text: std::borrow::Cow::Borrowed(""),
            pos: self.pos,
            line: self.line,
        });
        State::Done
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest().as_bytes();
        if rest.len() >= 2 && is_space(rest[0]) && rest[1] == b'-' && self.rest()[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (self.rest().starts_with(RIGHT), false)
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT.len();
        let rest = self.rest().as_bytes();
        let trim = rest.len() >= 2 && rest[0] == b'-' && is_space(rest[1]);
        let after_marker = if trim { 2 } else { 0 };
        if self.rest()[after_marker..].starts_with("/*") {
            self.pos += after_marker;
            self.ignore();
            return self.lex_comment();
        }
        self.emit(TokenKind::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += 2;
        let Some(x) = self.rest().find("*/") else {
            return self.error("unclosed comment".to_string());
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".to_string());
        }
        self.emit(TokenKind::Comment);
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.skip_leading_space();
        }
        self.ignore();
        State::Text
    }

    fn skip_leading_space(&mut self) {
        while let Some(&b) = self.rest().as_bytes().first() {
            if !is_space(b) {
                break;
            }
            self.pos += 1;
        }
    }

    fn lex_right_delim(&mut self, trim: bool) -> State {
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += RIGHT.len();
        self.emit(TokenKind::RightDelim);
        if trim {
            self.skip_leading_space();
            self.ignore();
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, trim) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim(trim);
            }
            return self.error("unclosed left paren".to_string());
        }
        let Some(c) = self.next() else {
            return self.error("unclosed action".to_string());
        };
        match c {
            c if c.is_ascii() && is_space(c as u8) => {
                self.backup(c);
                return self.lex_space();
            }
            '=' => self.emit(TokenKind::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".to_string());
                }
                self.emit(TokenKind::Declare);
            }
            '|' => self.emit(TokenKind::Pipe),
            '"' => return self.lex_quoted('"', TokenKind::String, "quoted string"),
            '`' => return self.lex_raw_quote(),
            '$' => return self.lex_field_or_variable(TokenKind::Variable),
            '\'' => return self.lex_quoted('\'', TokenKind::CharConstant, "character constant"),
            '.' if !matches!(self.peek(), Some('0'..='9')) => return self.lex_field_or_variable(TokenKind::Field),
            '.' | '+' | '-' | '0'..='9' => {
                self.backup(c);
                return self.lex_number();
            }
            c if is_alnum(c) => {
                self.backup(c);
                return self.lex_identifier();
            }
            '(' => {
                self.emit(TokenKind::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".to_string());
                }
                self.emit(TokenKind::RightParen);
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(TokenKind::Char),
            c => return self.error(format!("unrecognized character in action: {}", go_char_u(c))),
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let mut spaces = 0;
        while let Some(c) = self.peek() {
            if !(c.is_ascii() && is_space(c as u8)) {
                break;
            }
            self.next();
            spaces += 1;
        }
        let before = &self.input[self.pos - 1..];
        if before.len() >= 2 && before.as_bytes()[1] == b'-' && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            self.line = self.start_line + count_newlines(&self.input[self.start..self.pos]);
            if spaces == 1 {
                return State::InsideAction;
            }
        }
        self.emit(TokenKind::Space);
        State::InsideAction
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c.is_ascii() && is_space(c as u8) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT),
        }
    }

    /// Consumes a run of letters and digits, which must end where a word may
    /// end; otherwise the error state.
    fn scan_word(&mut self) -> Option<State> {
        while let Some(c) = self.peek() {
            if !is_alnum(c) {
                break;
            }
            self.next();
        }
        if self.at_terminator() {
            return None;
        }
        let c = self.peek().unwrap_or(' ');
        Some(self.error(format!("bad character {}", go_char_u(c))))
    }

    fn lex_identifier(&mut self) -> State {
        if let Some(error) = self.scan_word() {
            return error;
        }
        let kind = match &self.input[self.start..self.pos] {
            "block" => TokenKind::Block,
            "break" => TokenKind::Break,
            "continue" => TokenKind::Continue,
            "define" => TokenKind::Define,
            "else" => TokenKind::Else,
            "end" => TokenKind::End,
            "if" => TokenKind::If,
            "range" => TokenKind::Range,
            "nil" => TokenKind::Nil,
            "template" => TokenKind::Template,
            "with" => TokenKind::With,
            "true" | "false" => TokenKind::Bool,
            _ => TokenKind::Identifier,
        };
        self.emit(kind);
        State::InsideAction
    }

    fn lex_field_or_variable(&mut self, kind: TokenKind) -> State {
        if self.at_terminator() {
            self.emit(if kind == TokenKind::Variable { TokenKind::Variable } else { TokenKind::Dot });
            return State::InsideAction;
        }
        if let Some(error) = self.scan_word() {
            return error;
        }
        self.emit(kind);
        State::InsideAction
    }

    /// A quoted string (`"`) or character constant (`'`), its opening quote
    /// already read: up to the closing `quote`, backslash escapes skipped,
    /// never across a line.
    fn lex_quoted(&mut self, quote: char, kind: TokenKind, what: &str) -> State {
        loop {
            match self.next() {
                Some('\\') => {
                    if let Some(c) = self.next()
                        && c != '\n'
                    {
                        continue;
                    }
                    return self.error(format!("unterminated {what}"));
                }
                None | Some('\n') => return self.error(format!("unterminated {what}")),
                Some(c) if c == quote => break,
                _ => {}
            }
        }
        self.emit(kind);
        State::InsideAction
    }

    fn lex_raw_quote(&mut self) -> State {
        match self.rest().find('`') {
            Some(x) => {
                self.pos += x + 1;
                self.line = self.start_line + count_newlines(&self.input[self.start..self.pos]);
            }
            None => return self.error("unterminated raw quoted string".to_string()),
        }
        self.emit(TokenKind::RawString);
        State::InsideAction
    }

    /// Go's `lexNumber`: a number, or a complex constant `1+2i` (no spaces, ending in `i`).
    fn lex_number(&mut self) -> State {
        let mut kind = TokenKind::Number;
        let mut scanned = super::gonumber::scan(&self.input[self.pos..]);
        if let Ok(length) = scanned {
            self.pos += length;
            if matches!(self.peek(), Some('+' | '-')) {
                kind = TokenKind::Complex;
                scanned = super::gonumber::scan(&self.input[self.pos..]);
                if let Ok(length) = scanned {
                    self.pos += length;
                    if !self.input[..self.pos].ends_with('i') {
                        scanned = Err(0);
                    }
                }
            }
        }
        if let Err(length) = scanned {
            self.pos += length;
            let text = std::borrow::Cow::Borrowed(&self.input[self.start..self.pos]);
            return self.error(format!("bad number syntax: {}", super::gofmt::quote(&text)));
        }
        self.emit(kind);
        State::InsideAction
    }
}

/// Go's `%#U` of a rune: `U+0023 '#'`.
fn go_char_u(c: char) -> String {
    format!("U+{:04X} '{}'", c as u32, c)
}

/// Newlines in `text`, counted over bytes (a `\n` byte is always a newline in UTF-8),
/// which the compiler vectorizes; the lexer counts them after every token.
fn count_newlines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        lex(src).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn trim_markers_remove_adjacent_space() {
        let tokens = lex("a  {{- 1 -}}  b");
        assert_eq!(tokens[0].text, "a");
        assert_eq!(tokens.last().map(|t| t.kind), Some(TokenKind::Eof));
        assert_eq!(tokens[tokens.len() - 2].text, "b");
    }

    #[test]
    fn fields_are_separate_tokens() {
        use TokenKind::*;
        assert_eq!(kinds("{{.a.b}}"), vec![LeftDelim, Field, Field, RightDelim, Eof]);
        assert_eq!(
            kinds("{{ $x := 3 }}"),
            vec![LeftDelim, Space, Variable, Space, Declare, Space, Number, Space, RightDelim, Eof]
        );
    }
}

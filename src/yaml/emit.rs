//! The YAML emitter: a tree of scalars, sequences and mappings in, text out,
//! laid out the way go-yaml's emitter (a port of libyaml's) lays it out.
//!
//! It reproduces the emitter's observable rules: block collections with a
//! 2-space step and sequences not indented under a mapping key; empty
//! collections as `{}`/`[]`; keys longer than 128 bytes or spanning lines
//! written as `? key` / `: value`; the scalar analysis that downgrades a
//! requested style (plain → single-quoted → double-quoted, literal →
//! double-quoted) when the text cannot be written that way; go-yaml's
//! printable set (characters above U+FFFF, tabs, NEL, BOM are escaped);
//! escapes with upper-case hex; folding of plain and quoted scalars at the
//! best width; block scalar indentation and chomping indicators.
//! go-yaml v3's differences (indented sequences, tabs allowed in literal
//! blocks) are a [`Generation`] switch. Which style to *request* is the
//! caller's decision (`marshal`), never made here.

/// A scalar style the caller asks for; the emitter may fall back to a safer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestedStyle {
    Plain,
    DoubleQuoted,
    Literal,
}

/// One node of the document to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EmitNode {
    Scalar { text: String, style: RequestedStyle },
    Sequence(Vec<EmitNode>),
    Mapping(Vec<(EmitNode, EmitNode)>),
}

/// Which go-yaml emitter to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Generation {
    /// go-yaml v2: sequences under a mapping key are not indented; a tab
    /// rules out every style but double quotes.
    V2,
    /// go-yaml v3: sequences under a mapping key are indented; a tab still
    /// allows literal blocks.
    V3,
}

/// Emitter settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmitterOptions {
    /// The emitter generation whose layout rules apply.
    pub generation: Generation,
    /// Preferred line width for folding long scalars; `None` means never fold.
    pub width: Option<usize>,
    /// Indentation step.
    pub indent: usize,
}

/// Writes one document (no `---`), ending with a line break.
pub(crate) fn emit_document(options: EmitterOptions, root: &EmitNode) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: None,
        indents: Vec::new(),
        best_width: options.width.unwrap_or(usize::MAX),
        best_indent: options.indent,
        generation: options.generation,
    };
    emitter.node(root, Context::default());
    emitter.write_indent();
    emitter.out
}

/// Where a node sits, which changes how it is written.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    mapping: bool,
    simple_key: bool,
}

struct Emitter {
    out: String,
    /// Column of the next character, counted in characters.
    column: usize,
    /// The last character written was whitespace (or nothing yet).
    whitespace: bool,
    /// Only indentation has been written on the current line.
    indention: bool,
    /// Current indentation; `None` before the root collection.
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    best_width: usize,
    best_indent: usize,
    generation: Generation,
}

impl Emitter {
    fn node(&mut self, node: &EmitNode, context: Context) {
        match node {
            EmitNode::Scalar { text, style } => self.scalar(text, *style, context),
            EmitNode::Sequence(items) if items.is_empty() => self.empty_collection("[", "]"),
            EmitNode::Mapping(entries) if entries.is_empty() => self.empty_collection("{", "}"),
            EmitNode::Sequence(items) => {
                // In v2 a sequence that is a mapping value stays at the key's indentation.
                let indentless = self.generation == Generation::V2 && context.mapping && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Context::default());
                }
                self.indent = self.indents.pop().flatten();
            }
            EmitNode::Mapping(entries) => {
                self.increase_indent(false, false);
                for (key, value) in entries {
                    self.write_indent();
                    if is_simple_key(key) {
                        self.node(key, Context { mapping: true, simple_key: true });
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(key, Context { mapping: true, simple_key: false });
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, Context { mapping: true, simple_key: false });
                }
                self.indent = self.indents.pop().flatten();
            }
        }
    }

    fn empty_collection(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        self.indent = Some(match self.indent {
            None if flow => self.best_indent,
            None => 0,
            Some(indent) if indentless => indent,
            Some(indent) => indent + self.best_indent,
        });
    }

    fn scalar(&mut self, text: &str, requested: RequestedStyle, context: Context) {
        let analysis = Analysis::of(text, self.generation);
        let style = choose_style(requested, &analysis, context.simple_key, text.is_empty());
        self.increase_indent(true, false);
        let allow_breaks = !context.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.indent = self.indents.pop().flatten();
    }

    fn put(&mut self, character: char) {
        self.out.push(character);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Writes a line-break character of the text: `\n` as a break, others as is (still ending the line).
    fn write_break(&mut self, character: char) {
        if character == '\n' {
            self.put_break();
        } else {
            self.out.push(character);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for character in indicator.chars() {
            self.put(character);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        self.write_folding(text, allow_breaks, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folding(text, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The body of a plain or single-quoted scalar, as libyaml writes both:
    /// a space past the best width becomes a line break (in a single-quoted
    /// scalar, never its first or last character), a line break is written
    /// twice, and inside quotes `'` is doubled.
    fn write_folding(&mut self, text: &str, allow_breaks: bool, quoted: bool) {
        let characters: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (index, &character) in characters.iter().enumerate() {
            if character == ' ' {
                let inside = !quoted || (index > 0 && index + 1 < characters.len());
                let next_is_space = characters.get(index + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > self.best_width && inside && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(character);
                }
                spaces = true;
            } else if is_break(character) {
                if !breaks && character == '\n' {
                    self.put_break();
                }
                self.write_break(character);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if quoted && character == '\'' {
                    self.put('\'');
                }
                self.put(character);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let characters: Vec<char> = text.chars().collect();
        // go-yaml's `is_bom` looks at the start of the text whatever the position asked
        // about, so after a leading byte order mark every character is escaped (`Q` as `\x51`).
        let starts_with_bom = text.starts_with('\u{feff}');
        let mut spaces = false;
        for (index, &character) in characters.iter().enumerate() {
            let needs_escape = !is_printable(character)
                || starts_with_bom
                || is_break(character)
                || character == '"'
                || character == '\\';
            if needs_escape {
                self.put('\\');
                match escape_letter(character) {
                    Some(letter) => self.put(letter),
                    None => {
                        let code = u32::from(character);
                        let (marker, digits) = match code {
                            0..=0xFF => ('x', 2),
                            0x100..=0xFFFF => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(marker);
                        for digit in format!("{code:0digits$X}").chars() {
                            self.put(digit);
                        }
                    }
                }
                spaces = false;
            } else if character == ' ' {
                let inside = index > 0 && index + 1 < characters.len();
                if allow_breaks && !spaces && self.column > self.best_width && inside {
                    self.write_indent();
                    if characters.get(index + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(character);
                }
                spaces = true;
            } else {
                self.put(character);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(text);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for character in text.chars() {
            if is_break(character) {
                self.write_break(character);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(character);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// The indentation indicator (when the text starts with a space or break)
    /// and the chomping indicator (`-` without a final break, `+` with more than one).
    fn write_block_scalar_hints(&mut self, text: &str) {
        let first = text.chars().next();
        if first.is_some_and(|character| character == ' ' || is_break(character)) {
            let hint = self.best_indent.to_string();
            self.write_indicator(&hint, false, false, false);
        }
        let mut from_end = text.chars().rev();
        let chomp = match (from_end.next(), from_end.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }
}

/// The style actually written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

fn choose_style(requested: RequestedStyle, analysis: &Analysis, simple_key: bool, empty: bool) -> Style {
    let mut style = match requested {
        RequestedStyle::Plain => Style::Plain,
        RequestedStyle::DoubleQuoted => Style::DoubleQuoted,
        RequestedStyle::Literal => Style::Literal,
    };
    if simple_key && analysis.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!analysis.block_plain_allowed || (empty && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !analysis.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!analysis.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// What a scalar's text permits (libyaml's `analyze_scalar`, block context only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(text: &str, generation: Generation) -> Analysis {
        let characters: Vec<char> = text.chars().collect();
        if characters.is_empty() {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let mut block_indicators = text.starts_with("---") || text.starts_with("...");
        let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
            (false, false, false, false);
        let (mut break_space, mut space_break, mut previous_space, mut previous_break) = (false, false, false, false);
        let (mut special_characters, mut tab_characters, mut line_breaks) = (false, false, false);
        let mut preceded_by_whitespace = true;
        let last = characters.len() - 1;
        for (index, &character) in characters.iter().enumerate() {
            let followed_by_whitespace = characters.get(index + 1).is_none_or(|&next| is_blank_or_break(next));
            if index == 0 {
                match character {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                        block_indicators = true;
                    }
                    '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match character {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if character == '\t' && generation == Generation::V3 {
                tab_characters = true;
            } else if !is_printable(character) {
                special_characters = true;
            }
            if is_break(character) {
                line_breaks = true;
            }
            if character == ' ' {
                leading_space |= index == 0;
                trailing_space |= index == last;
                break_space |= previous_break;
                previous_space = true;
                previous_break = false;
            } else if is_break(character) {
                leading_break |= index == 0;
                trailing_break |= index == last;
                space_break |= previous_space;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blank_or_break(character);
        }
        let mut analysis = Analysis {
            multiline: line_breaks,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
        if leading_space || leading_break || trailing_space || trailing_break {
            analysis.block_plain_allowed = false;
        }
        if trailing_space {
            analysis.block_allowed = false;
        }
        if break_space {
            analysis.block_plain_allowed = false;
            analysis.single_quoted_allowed = false;
        }
        if tab_characters {
            analysis.block_plain_allowed = false;
            analysis.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            analysis.block_plain_allowed = false;
            analysis.single_quoted_allowed = false;
            analysis.block_allowed = false;
        }
        if line_breaks || block_indicators {
            analysis.block_plain_allowed = false;
        }
        analysis
    }
}

/// A key fits on one line as `key: value` (single line, at most 128 bytes).
fn is_simple_key(key: &EmitNode) -> bool {
    match key {
        EmitNode::Scalar { text, .. } => text.len() <= 128 && !text.chars().any(is_break),
        EmitNode::Sequence(items) => items.is_empty(),
        EmitNode::Mapping(entries) => entries.is_empty(),
    }
}

/// YAML line breaks: LF, CR, NEL, LS, PS.
fn is_break(character: char) -> bool {
    matches!(character, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Blanks, breaks, and NUL (which libyaml treats as the end of the text).
fn is_blank_or_break(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\0') || is_break(character)
}

/// go-yaml's printable set: LF, ASCII graphic and space, U+00A0–U+D7FF,
/// U+E000–U+FFFD except U+FEFF. Characters above U+FFFF are not printable to it.
fn is_printable(character: char) -> bool {
    matches!(character, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}') && character != '\u{feff}'
}

/// YAML's one-letter escapes.
fn escape_letter(character: char) -> Option<char> {
    Some(match character {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_YAML_V2: EmitterOptions = EmitterOptions { generation: Generation::V2, width: Some(80), indent: 2 };
    const GO_YAML_V3: EmitterOptions = EmitterOptions { generation: Generation::V3, width: None, indent: 2 };

    fn scalar(text: &str, style: RequestedStyle) -> EmitNode {
        EmitNode::Scalar { text: text.to_owned(), style }
    }

    #[test]
    fn lays_out_block_collections() {
        let document = EmitNode::Mapping(vec![
            (
                scalar("list", RequestedStyle::Plain),
                EmitNode::Sequence(vec![
                    scalar("a", RequestedStyle::Plain),
                    EmitNode::Sequence(vec![scalar("b", RequestedStyle::Plain)]),
                    EmitNode::Mapping(vec![(scalar("k", RequestedStyle::Plain), scalar("v", RequestedStyle::Plain))]),
                ]),
            ),
            (scalar("empty", RequestedStyle::Plain), EmitNode::Mapping(vec![])),
            (scalar(&"k".repeat(129), RequestedStyle::Plain), scalar("long", RequestedStyle::Plain)),
        ]);
        let expected = format!("list:\n- a\n- - b\n- k: v\nempty: {{}}\n? {}\n: long\n", "k".repeat(129));
        assert_eq!(emit_document(GO_YAML_V2, &document), expected);
    }

    #[test]
    fn falls_back_to_safer_styles() {
        let emit = |text: &str, style| emit_document(GO_YAML_V2, &scalar(text, style));
        assert_eq!(emit("- a", RequestedStyle::Plain), "'- a'\n");
        assert_eq!(emit("it's ", RequestedStyle::Plain), "'it''s '\n");
        assert_eq!(emit("tab\there", RequestedStyle::Plain), "\"tab\\there\"\n");
        assert_eq!(emit("emoji \u{1F600}", RequestedStyle::Plain), "\"emoji \\U0001F600\"\n");
        assert_eq!(emit("a \nb", RequestedStyle::Literal), "\"a \\nb\"\n");
        assert_eq!(emit(" a\nb\n\n", RequestedStyle::Literal), "|2+\n   a\n  b\n\n");
        assert_eq!(emit("\u{feff}Q é", RequestedStyle::Plain), "\"\\uFEFF\\x51\\x20\\xE9\"\n");
        assert_eq!(emit("Q\u{feff}", RequestedStyle::Plain), "\"Q\\uFEFF\"\n");
    }

    #[test]
    fn v3_indents_sequences_and_keeps_tabs_in_literals() {
        let document = EmitNode::Mapping(vec![(
            scalar("k", RequestedStyle::Plain),
            EmitNode::Sequence(vec![scalar("a\n\tb", RequestedStyle::Literal)]),
        )]);
        assert_eq!(emit_document(GO_YAML_V3, &document), "k:\n  - |-\n    a\n    \tb\n");
        assert_eq!(emit_document(GO_YAML_V2, &document), "k:\n- \"a\\n\\tb\"\n");
    }

    #[test]
    fn folds_long_plain_text_at_the_width() {
        let text = "word ".repeat(20).trim_end().to_owned();
        // The break happens at the first space past column 80, so the first line runs to 84.
        let expected = format!("{}\n  {}\n", "word ".repeat(17).trim_end(), "word ".repeat(3).trim_end());
        assert_eq!(emit_document(GO_YAML_V2, &scalar(&text, RequestedStyle::Plain)), expected);
    }
}

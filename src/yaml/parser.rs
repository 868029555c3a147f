//! Safe event stream over libyaml's parser (`libyaml-rs`).
//!
//! libyaml is the C library go-yaml is a line-by-line port of, so scanning,
//! error positions and scalar styles here are the ones Kubernetes tooling sees.
//! This is the only file of the crate that touches libyaml's parser `unsafe`
//! API; everything else consumes [`Event`]s. Where libyaml 0.2 accepts
//! what go-yaml refuses (the `\/` escape) the refusal is added here. It must
//! not interpret scalars (that is `resolve`) nor build trees (that is `node`).

use std::ffi::CStr;
use std::mem::MaybeUninit;

use libyaml_rs as sys;

use super::error::YamlError;

/// A position in the input: 0-based byte index, 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// 0-based byte offset into the input.
    pub index: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (counted in characters, as libyaml does).
    pub column: usize,
}

impl Mark {
    /// Converts libyaml's 0-based mark; `first_line` is the 1-based line the parsed text starts at.
    fn from_sys(mark: sys::yaml_mark_t, first_line: usize) -> Self {
        Mark { index: mark.index as usize, line: mark.line as usize + first_line, column: mark.column as usize + 1 }
    }
}

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'...'`
    SingleQuoted,
    /// `"..."`
    DoubleQuoted,
    /// `|`
    Literal,
    /// `>`
    Folded,
}

/// One parser event, owning its strings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias { anchor: String },
    Scalar { anchor: Option<String>, tag: Option<String>, value: String, style: ScalarStyle },
    SequenceStart { anchor: Option<String>, tag: Option<String>, flow: bool },
    SequenceEnd,
    MappingStart { anchor: Option<String>, tag: Option<String>, flow: bool },
    MappingEnd,
}

/// An event with the positions where it starts and ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub kind: EventKind,
    pub start: Mark,
    pub end: Mark,
}

/// How deeply collections may nest: go-yaml (v2 and v3) refuses a flow
/// level or an indentation stack deeper than this ("exceeded max depth of
/// 10000"); libyaml has no limit. Applied to every collection, block or flow.
pub(crate) const MAX_DEPTH: usize = 10_000;

/// Parses the input into events, stopping at the first error, or after
/// `document_limit` documents (later text is then not even scanned, as
/// go-yaml's `Unmarshal` reads only the first document), or at the first
/// collection nested deeper than [`MAX_DEPTH`]. Lines are counted from
/// `first_line` (1 for a whole file).
pub(crate) fn parse_events(
    text: &str,
    document_limit: Option<usize>,
    first_line: usize,
) -> Result<Vec<Event>, YamlError> {
    let mut parser = Parser::new(text.as_bytes(), first_line);
    let mut events = Vec::new();
    let mut documents = 0;
    let mut depth = 0usize;
    loop {
        let event = parser.next_event()?;
        documents += usize::from(event.kind == EventKind::DocumentEnd);
        match event.kind {
            EventKind::SequenceStart { .. } | EventKind::MappingStart { .. } => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(YamlError::TooDeep {
                        line: event.start.line,
                        column: event.start.column,
                        limit: MAX_DEPTH,
                    });
                }
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => depth -= 1,
            _ => {}
        }
        let done = event.kind == EventKind::StreamEnd || document_limit == Some(documents);
        events.push(event);
        if done {
            reject_slash_escapes(text, &events)?;
            return Ok(events);
        }
    }
}

/// go-yaml (v2 and v3) knows no `\/` escape, which libyaml 0.2 accepts:
/// report it where go-yaml does, as an unknown escape.
fn reject_slash_escapes(text: &str, events: &[Event]) -> Result<(), YamlError> {
    if !text.contains("\\/") {
        return Ok(());
    }
    for event in events {
        let EventKind::Scalar { style: ScalarStyle::DoubleQuoted, .. } = event.kind else {
            continue;
        };
        let raw = text.get(event.start.index..event.end.index).unwrap_or_default();
        let mut line = event.start.line;
        let mut column = event.start.column;
        let mut escaped = false;
        for character in raw.chars() {
            if escaped && character == '/' {
                return Err(YamlError::Syntax {
                    line,
                    column: column - 1,
                    problem: "found unknown escape character".to_owned(),
                    context: ", while parsing a quoted scalar".to_owned(),
                });
            }
            escaped = !escaped && character == '\\';
            if character == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
    }
    Ok(())
}

/// Owns an initialized libyaml parser reading from a borrowed buffer.
struct Parser<'input> {
    // Boxed so the address libyaml keeps pointers into never moves.
    raw: Box<MaybeUninit<sys::yaml_parser_t>>,
    _input: &'input [u8],
    first_line: usize,
}

impl<'input> Parser<'input> {
    fn new(input: &'input [u8], first_line: usize) -> Self {
        let mut raw = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        // SAFETY: yaml_parser_initialize zeroes and initializes the struct it is
        // given; the input slice outlives the parser through `'input`. An empty
        // slice still has a valid dangling, non-null pointer.
        unsafe {
            let parser = raw.as_mut_ptr();
            if sys::yaml_parser_initialize(parser).fail {
                // Only allocation can fail; Rust's allocator aborts first.
                unreachable!("libyaml parser initialization cannot fail without allocation failure");
            }
            // The encoding is left to detection so a leading BOM is skipped, as go-yaml does.
            sys::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as _);
        }
        Parser { raw, _input: input, first_line }
    }

    fn next_event(&mut self) -> Result<Event, YamlError> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; on success the event is
        // fully initialized and deleted below after its strings are copied.
        unsafe {
            let parser = self.raw.as_mut_ptr();
            if sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                return Err(syntax_error(&*parser, self.first_line));
            }
            let event_ptr = event.as_mut_ptr();
            let converted = convert_event(&*event_ptr, self.first_line);
            sys::yaml_event_delete(event_ptr);
            Ok(converted)
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`, deleted exactly once here.
        unsafe { sys::yaml_parser_delete(self.raw.as_mut_ptr()) }
    }
}

/// Copies a NUL-terminated libyaml string; null means absent.
///
/// # Safety
/// `ptr` must be null or point to a NUL-terminated string.
unsafe fn optional_string(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: caller guarantees NUL termination.
    let text = unsafe { CStr::from_ptr(ptr.cast()) };
    Some(text.to_string_lossy().into_owned())
}

/// # Safety
/// `event` must be a fully initialized event returned by the parser.
unsafe fn convert_event(event: &sys::yaml_event_t, first_line: usize) -> Event {
    let start = Mark::from_sys(event.start_mark, first_line);
    let end = Mark::from_sys(event.end_mark, first_line);
    // SAFETY: each union field is read only for the event type that owns it.
    let kind = unsafe {
        match event.type_ {
            sys::YAML_STREAM_START_EVENT => EventKind::StreamStart,
            sys::YAML_DOCUMENT_START_EVENT => EventKind::DocumentStart,
            sys::YAML_DOCUMENT_END_EVENT => EventKind::DocumentEnd,
            sys::YAML_ALIAS_EVENT => {
                EventKind::Alias { anchor: optional_string(event.data.alias.anchor).unwrap_or_default() }
            }
            sys::YAML_SCALAR_EVENT => {
                let scalar = event.data.scalar;
                let bytes = if scalar.value.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(scalar.value, scalar.length as usize)
                };
                EventKind::Scalar {
                    anchor: optional_string(scalar.anchor),
                    tag: optional_string(scalar.tag),
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    style: match scalar.style {
                        sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => ScalarStyle::SingleQuoted,
                        sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => ScalarStyle::DoubleQuoted,
                        sys::YAML_LITERAL_SCALAR_STYLE => ScalarStyle::Literal,
                        sys::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Folded,
                        _ => ScalarStyle::Plain,
                    },
                }
            }
            sys::YAML_SEQUENCE_START_EVENT => {
                let sequence = event.data.sequence_start;
                EventKind::SequenceStart {
                    anchor: optional_string(sequence.anchor),
                    tag: optional_string(sequence.tag),
                    flow: sequence.style == sys::YAML_FLOW_SEQUENCE_STYLE,
                }
            }
            sys::YAML_SEQUENCE_END_EVENT => EventKind::SequenceEnd,
            sys::YAML_MAPPING_START_EVENT => {
                let mapping = event.data.mapping_start;
                EventKind::MappingStart {
                    anchor: optional_string(mapping.anchor),
                    tag: optional_string(mapping.tag),
                    flow: mapping.style == sys::YAML_FLOW_MAPPING_STYLE,
                }
            }
            sys::YAML_MAPPING_END_EVENT => EventKind::MappingEnd,
            _ => EventKind::StreamEnd,
        }
    };
    Event { kind, start, end }
}

fn syntax_error(parser: &sys::yaml_parser_t, first_line: usize) -> YamlError {
    // SAFETY: libyaml sets `problem`/`context` to static NUL-terminated strings or null.
    let (problem, context) =
        unsafe { (optional_string(parser.problem.cast()), optional_string(parser.context.cast())) };
    let mark = Mark::from_sys(parser.problem_mark, first_line);
    YamlError::Syntax {
        line: mark.line,
        column: mark.column,
        problem: problem.unwrap_or_else(|| "unknown problem parsing YAML content".to_owned()),
        context: context.map(|context| format!(", {context}")).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_events_keep_style_tag_and_position() {
        let events = parse_events("a: 'x'\nb: !!str 1\n", None, 1).unwrap();
        let scalars: Vec<_> = events
            .iter()
            .filter_map(|event| match &event.kind {
                EventKind::Scalar { value, style, tag, .. } => Some((value.clone(), *style, tag.clone(), event.start)),
                _ => None,
            })
            .collect();
        assert_eq!(scalars[1].0, "x");
        assert_eq!(scalars[1].1, ScalarStyle::SingleQuoted);
        assert_eq!(scalars[3].2.as_deref(), Some("tag:yaml.org,2002:str"));
        assert_eq!((scalars[2].3.line, scalars[2].3.column), (2, 1));
    }

    #[test]
    fn a_document_limit_leaves_later_text_unread() {
        assert!(parse_events("a: 1\n---\nb: [\n", Some(1), 1).is_ok());
        assert!(parse_events("a: 1\n---\nb: [\n", None, 1).is_err());
    }

    #[test]
    fn slash_escapes_are_unknown_to_go_yaml() {
        let error = parse_events("é: 1\nb: \"x\\\\/\"\nc: \"http:\\/\"\n", None, 1).unwrap_err();
        assert_eq!((error.line(), error.column()), (3, 10), "{error}");
        assert!(error.to_string().contains("unknown escape"));
        assert!(parse_events("a: '\\/'\n", None, 1).is_ok());
    }

    fn nested(depth: usize) -> String {
        format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn nesting_deeper_than_go_yaml_allows_is_refused_where_it_starts() {
        // The root mapping is one level: the flow sequences reach MAX_DEPTH exactly.
        assert!(parse_events(&nested(MAX_DEPTH - 1), None, 1).is_ok());
        let error = parse_events(&nested(MAX_DEPTH), None, 7).unwrap_err();
        assert_eq!(error, YamlError::TooDeep { line: 7, column: 4 + MAX_DEPTH - 1, limit: MAX_DEPTH });
        assert!(error.to_string().contains("exceeded max depth of 10000"), "{error}");
        // Block sequences nest too: `- - x` is a list in a list.
        let block = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(matches!(parse_events(&block, None, 1), Err(YamlError::TooDeep { line: 1, .. })));
        assert!(parse_events(&format!("{}x\n", "- ".repeat(MAX_DEPTH)), None, 1).is_ok());
    }

    #[test]
    fn syntax_error_reports_position() {
        let error = parse_events("a: b: c\n", None, 1).unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 5));
        assert!(error.to_string().contains("mapping values are not allowed"), "{error}");
    }
}

//! How kubectl cuts a manifest file into documents before decoding them
//! (k8s.io/apimachinery's `YAMLOrJSONDecoder`).
//!
//! A file whose first non-space character is `{` is a stream of JSON
//! values. Anything else is split on lines that start with `---`; such a
//! line may carry only spaces or a comment after the dashes (`--- |` is an
//! error), and each piece is decoded alone, of which go-yaml reads only the
//! first document (so `%YAML` directives before a `---` fail, and text after
//! a `...` inside a piece is ignored). Must not resolve scalars itself.

use serde_json::Value;

use super::Document;
use super::error::YamlError;
use super::gofloat::float_beyond_int64;
use super::node::parse_first_node;
use super::resolve::Dialect;

/// Splits and decodes a manifest stream the way kubectl does.
pub(crate) fn read_manifest_stream(text: &str) -> Result<Vec<Document>, YamlError> {
    if text.trim_start().starts_with('{') {
        return read_json_stream(text);
    }
    let mut documents = Vec::new();
    for piece in split_on_separator_lines(text)? {
        let value = match parse_first_node(piece.text, piece.first_line)? {
            Some(root) => Document { line: root.line, value: root.to_json(Dialect::Yaml11)? },
            None => Document { line: piece.first_line, value: Value::Null },
        };
        documents.push(value);
    }
    Ok(documents)
}

/// A piece of the stream between separator lines.
struct Piece<'text> {
    text: &'text str,
    /// 1-based line of the piece's first line in the whole stream.
    first_line: usize,
}

fn split_on_separator_lines(text: &str) -> Result<Vec<Piece<'_>>, YamlError> {
    let mut pieces = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(YamlError::Syntax {
                    line: line_number,
                    column: 4,
                    problem: format!("invalid Yaml document separator: {rest}"),
                    context: ", a `---` line may only be followed by a comment".to_owned(),
                });
            }
            if let Some((piece_start, first_line)) = start.take() {
                pieces.push(Piece { text: &text[piece_start..offset], first_line });
            }
        } else if start.is_none() {
            start = Some((offset, line_number));
        }
        offset += line.len();
    }
    if let Some((piece_start, first_line)) = start {
        pieces.push(Piece { text: &text[piece_start..], first_line });
    }
    Ok(pieces)
}

/// Concatenated JSON values, as Go's `json.Decoder` reads them; integers
/// beyond int64 become float64 as in unstructured objects.
fn read_json_stream(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut documents = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let (mut consumed, mut line) = (0, 1);
    while let Some(next) = stream.next() {
        let value = next.map_err(|error| YamlError::Syntax {
            line: error.line(),
            column: error.column(),
            problem: error.to_string(),
            context: String::new(),
        })?;
        let rest = &text[consumed..];
        let value_start = consumed + (rest.len() - rest.trim_start().len());
        line += text[consumed..value_start].matches('\n').count();
        documents.push(Document { line, value: float_beyond_int64(value) });
        line += text[value_start..stream.byte_offset()].matches('\n').count();
        consumed = stream.byte_offset();
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_on_dash_lines_only() {
        let documents = read_manifest_stream("a: 1\n--- # next\n\nb: 2\n...\nignored: [\n----x\n").unwrap_err();
        assert_eq!(documents.line(), 7);
        let documents = read_manifest_stream("a: 1\n--- # next\n\nb: 2\n...\nignored: [\n").unwrap();
        let values: Vec<_> = documents.iter().map(|document| (document.line, document.value.clone())).collect();
        assert_eq!(values, [(1, json!({"a": 1})), (4, json!({"b": 2}))]);
    }

    #[test]
    fn json_streams_are_json() {
        let documents =
            read_manifest_stream("\n{\"a\": \"\\/\"}\n{\"b\": 18446744073709551615}\n\n{\"c\":\n1}").unwrap();
        assert_eq!(documents[0].value, json!({"a": "/"}));
        let lines: Vec<_> = documents.iter().map(|document| document.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(documents[1].value, json!({"b": 18446744073709551615.0}));
    }
}

//! The YAML node tree: what a document says, with how it was written.
//!
//! A [`Node`] keeps the scalar text and style (plain, quoted, literal,
//! folded), explicit tags, anchors, key order and the 1-based position of
//! every node, so tools that edit documents (kustomize patches, transformers)
//! can work on the tree and still know where each value came from. Aliases
//! are expanded when the tree is built (as kyaml's `DeAnchor` does), so every
//! node is a plain value; merge keys (`<<`) stay in the tree and are applied
//! when converting to JSON (see `decode`).
//!
//! This module must not decide what a scalar means (that is `resolve`) nor
//! print YAML (that is `emit`/`marshal`).

use std::collections::HashMap;

use serde_json::Value;

use super::error::YamlError;
use super::parser::{Event, EventKind, Mark, ScalarStyle, parse_events};

/// One node of a YAML document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node's content.
    pub value: NodeValue,
    /// The explicit tag in its full form (`tag:yaml.org,2002:str` for `!!str`,
    /// `!` for the non-specific tag, `!foo` for local tags); `None` when untagged.
    pub tag: Option<String>,
    /// The anchor (`&name`) defined on this node, if any.
    pub anchor: Option<String>,
    /// 1-based line where the node starts.
    pub line: usize,
    /// 1-based column where the node starts.
    pub column: usize,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// A scalar: its text exactly as the parser decoded it, and how it was written.
    Scalar {
        /// The scalar's text (escapes and folding already applied).
        text: String,
        /// How the scalar was written.
        style: ScalarStyle,
    },
    /// A sequence.
    Sequence {
        /// The items, in order.
        items: Vec<Node>,
        /// Written in flow style (`[a, b]`).
        flow: bool,
    },
    /// A mapping; entries keep their order and may repeat keys only in invalid input.
    Mapping {
        /// Key/value pairs, in order.
        entries: Vec<(Node, Node)>,
        /// Written in flow style (`{a: b}`).
        flow: bool,
    },
}

/// Parses every document of a stream into node trees. An empty document is a
/// plain empty scalar (which resolves to null).
pub fn parse_nodes(text: &str) -> Result<Vec<Node>, YamlError> {
    compose(text, None, 1)
}

/// The first document only (`None` for a stream without documents); text
/// after it is not read, as go-yaml's `Unmarshal` does. Lines count from `first_line`.
pub(crate) fn parse_first_node(text: &str, first_line: usize) -> Result<Option<Node>, YamlError> {
    Ok(compose(text, Some(1), first_line)?.into_iter().next())
}

fn compose(text: &str, document_limit: Option<usize>, first_line: usize) -> Result<Vec<Node>, YamlError> {
    let events = parse_events(text, document_limit, first_line)?;
    let mut composer = Composer { events, next: 0, ..Composer::default() };
    let mut documents = Vec::new();
    while let Some(event) = composer.events.get(composer.next) {
        let document_start = event.kind == EventKind::DocumentStart;
        composer.next += 1;
        if document_start {
            // go-yaml decodes each document alone: anchors and the alias count start afresh.
            composer.anchors.clear();
            composer.decoded = 0;
            composer.aliased = 0;
            let root = composer.next_node()?;
            documents.push(root);
        }
    }
    Ok(documents)
}

/// Builds trees from the event list. An anchor is remembered as the index of
/// the event that starts its node, and an alias is expanded by composing those
/// events again, so anchors cost nothing until used (copying each anchored
/// node when it is defined would cost the square of the depth for anchors
/// nested in anchors).
#[derive(Default)]
struct Composer {
    events: Vec<Event>,
    /// Index of the next event to compose.
    next: usize,
    /// Anchor name → the event starting its node, for anchors defined so far.
    anchors: HashMap<String, usize>,
    /// Alias event → the anchor event it named where it stands, so that
    /// expanding it again (inside another alias) finds the same node even if
    /// the name was given to another node later.
    resolved: HashMap<usize, usize>,
    /// How many aliases are being expanded around the current node, and
    /// where the outermost of them stands (what an error points at).
    alias_depth: usize,
    outer_alias: Mark,
    /// Nodes composed in this document, and how many of them came from aliases
    /// (go-yaml's `decodeCount` and `aliasCount`).
    decoded: usize,
    aliased: usize,
}

impl Composer {
    fn next_node(&mut self) -> Result<Node, YamlError> {
        let index = self.next;
        let Some(Event { kind, start, .. }) = self.events.get(index).cloned() else {
            return Err(truncated());
        };
        self.next += 1;
        self.count_decode(start)?;
        let (value, tag, anchor) = match kind {
            EventKind::Scalar { anchor, tag, value, style } => (NodeValue::Scalar { text: value, style }, tag, anchor),
            EventKind::Alias { anchor } => return self.expand_alias(index, &anchor, start),
            EventKind::SequenceStart { anchor, tag, flow } => {
                let mut items = Vec::new();
                while !self.at(&EventKind::SequenceEnd) {
                    items.push(self.next_node()?);
                }
                self.next += 1;
                (NodeValue::Sequence { items, flow }, tag, anchor)
            }
            EventKind::MappingStart { anchor, tag, flow } => {
                let mut entries = Vec::new();
                while !self.at(&EventKind::MappingEnd) {
                    let key = self.next_node()?;
                    let value = self.next_node()?;
                    entries.push((key, value));
                }
                self.next += 1;
                (NodeValue::Mapping { entries, flow }, tag, anchor)
            }
            _ => return Err(truncated()),
        };
        // Defined once the node is complete, so a node cannot contain an alias
        // of itself; a replay inside an alias defines nothing anew.
        if let Some(name) = &anchor
            && self.alias_depth == 0
        {
            self.anchors.insert(name.clone(), index);
        }
        Ok(Node { value, tag, anchor, line: start.line, column: start.column })
    }

    fn at(&self, kind: &EventKind) -> bool {
        self.events.get(self.next).is_some_and(|event| &event.kind == kind)
    }

    /// go-yaml's guard against "billion laughs": once a document has more than
    /// 1000 nodes of which more than 100 came from aliases, aliases may make up
    /// at most 99% of the nodes, falling to 10% between 400,000 and 4,000,000
    /// nodes. So aliases expand to at most about 400,000 nodes unless the
    /// document itself is that large.
    fn count_decode(&mut self, at: Mark) -> Result<(), YamlError> {
        const RATIO_RANGE_LOW: usize = 400_000;
        const RATIO_RANGE_HIGH: usize = 4_000_000;
        self.decoded += 1;
        if self.alias_depth > 0 {
            self.aliased += 1;
        }
        let allowed_ratio = match self.decoded {
            decoded if decoded <= RATIO_RANGE_LOW => 0.99,
            decoded if decoded >= RATIO_RANGE_HIGH => 0.10,
            decoded => 0.99 - 0.89 * ((decoded - RATIO_RANGE_LOW) as f64 / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW) as f64),
        };
        if self.aliased > 100 && self.decoded > 1000 && self.aliased as f64 / self.decoded as f64 > allowed_ratio {
            let at = if self.alias_depth > 0 { self.outer_alias } else { at };
            return Err(YamlError::Invalid {
                line: at.line,
                column: at.column,
                message: "document contains excessive aliasing; expand the anchors by hand".to_owned(),
            });
        }
        Ok(())
    }

    fn expand_alias(&mut self, index: usize, anchor: &str, at: Mark) -> Result<Node, YamlError> {
        let target = match self.resolved.get(&index) {
            Some(&target) => target,
            None => {
                let Some(&target) = self.anchors.get(anchor) else {
                    return Err(YamlError::UnknownAnchor {
                        line: at.line,
                        column: at.column,
                        anchor: anchor.to_owned(),
                    });
                };
                self.resolved.insert(index, target);
                target
            }
        };
        let resume = std::mem::replace(&mut self.next, target);
        if self.alias_depth == 0 {
            self.outer_alias = at;
        }
        self.alias_depth += 1;
        let copy = self.next_node();
        self.alias_depth -= 1;
        self.next = resume;
        // The copy sits where the alias is, so positions point at the alias.
        let mut copy = copy?;
        copy.anchor = None;
        copy.line = at.line;
        copy.column = at.column;
        Ok(copy)
    }
}

fn truncated() -> YamlError {
    YamlError::Invalid { line: 1, column: 1, message: "unexpected end of YAML event stream".to_owned() }
}

impl Node {
    /// A plain, untagged scalar (its meaning is resolved when read).
    pub fn plain(text: impl Into<String>) -> Node {
        Node::scalar(text, ScalarStyle::Plain)
    }

    /// An untagged scalar in the given style.
    pub fn scalar(text: impl Into<String>, style: ScalarStyle) -> Node {
        Node::new(NodeValue::Scalar { text: text.into(), style })
    }

    /// An empty block mapping.
    pub fn mapping() -> Node {
        Node::new(NodeValue::Mapping { entries: Vec::new(), flow: false })
    }

    /// An empty block sequence.
    pub fn sequence() -> Node {
        Node::new(NodeValue::Sequence { items: Vec::new(), flow: false })
    }

    fn new(value: NodeValue) -> Node {
        Node { value, tag: None, anchor: None, line: 0, column: 0 }
    }

    /// Builds a tree from a JSON value. Strings that would read back as
    /// something else (`"true"`, `"1"`, `"null"`) are double-quoted, so
    /// `Node::from_json(v).to_json(d) == v` in both dialects.
    pub fn from_json(value: &Value) -> Node {
        match value {
            Value::Null => Node::plain("null"),
            Value::Bool(flag) => Node::plain(flag.to_string()),
            Value::Number(number) => Node::plain(super::gofloat::format_json_number(number)),
            Value::String(text) => Node::string(text),
            Value::Array(items) => {
                Node::new(NodeValue::Sequence { items: items.iter().map(Node::from_json).collect(), flow: false })
            }
            Value::Object(map) => Node::new(NodeValue::Mapping {
                entries: map.iter().map(|(key, value)| (Node::string(key), Node::from_json(value))).collect(),
                flow: false,
            }),
        }
    }

    /// A scalar that reads back as this exact string in both dialects: plain
    /// when it can be, double-quoted when plain text would mean something
    /// else (`"yes"`, `"1"`, `"null"`, `"<<"`).
    pub fn string(text: &str) -> Node {
        let reads_as_string = [super::Dialect::Yaml11, super::Dialect::Yaml12]
            .into_iter()
            .all(|dialect| matches!(super::resolve::resolve_plain(dialect, text), super::resolve::Scalar::Str(_)));
        let style = if reads_as_string && text != "<<" { ScalarStyle::Plain } else { ScalarStyle::DoubleQuoted };
        Node::scalar(text, style)
    }

    /// The scalar text, if this is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Mapping entries in order (empty for non-mappings).
    pub fn entries(&self) -> impl Iterator<Item = (&Node, &Node)> {
        let entries: &[(Node, Node)] = match &self.value {
            NodeValue::Mapping { entries, .. } => entries,
            _ => &[],
        };
        entries.iter().map(|(key, value)| (key, value))
    }

    /// Sequence items in order (empty for non-sequences).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            NodeValue::Sequence { items, .. } => items,
            _ => &[],
        }
    }

    /// The value under a mapping key (compared by scalar text).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries().find(|(candidate, _)| candidate.as_scalar() == Some(key)).map(|(_, value)| value)
    }

    /// The value under a mapping key, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            NodeValue::Mapping { entries, .. } => {
                entries.iter_mut().find(|(candidate, _)| candidate.as_scalar() == Some(key)).map(|(_, value)| value)
            }
            _ => None,
        }
    }

    /// Follows a path of mapping keys and sequence indexes (`["spec", "containers", "0", "image"]`).
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, step| match &node.value {
            NodeValue::Mapping { .. } => node.get(step),
            NodeValue::Sequence { items, .. } => step.parse::<usize>().ok().and_then(|index| items.get(index)),
            NodeValue::Scalar { .. } => None,
        })
    }

    /// Follows a path like [`Node::get_path`], mutably.
    pub fn get_path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        path.iter().try_fold(self, |node, step| match &mut node.value {
            NodeValue::Sequence { items, .. } => step.parse::<usize>().ok().and_then(|index| items.get_mut(index)),
            NodeValue::Mapping { entries, .. } => {
                entries.iter_mut().find(|(candidate, _)| candidate.as_scalar() == Some(*step)).map(|(_, value)| value)
            }
            NodeValue::Scalar { .. } => None,
        })
    }

    /// Sets `key` in a mapping, replacing the value in place (keeping key
    /// order) or appending a new entry. Returns the previous value. A
    /// non-mapping node is replaced by a mapping first.
    pub fn set(&mut self, key: &str, value: Node) -> Option<Node> {
        if !matches!(self.value, NodeValue::Mapping { .. }) {
            self.value = NodeValue::Mapping { entries: Vec::new(), flow: false };
            self.tag = None;
        }
        if let Some(slot) = self.get_mut(key) {
            return Some(std::mem::replace(slot, value));
        }
        if let NodeValue::Mapping { entries, .. } = &mut self.value {
            entries.push((Node::string(key), value));
        }
        None
    }

    /// Sets the value at a path of mapping keys and sequence indexes,
    /// creating missing mappings on the way (sequence items must exist).
    /// Returns the previous value, if any.
    pub fn set_path(&mut self, path: &[&str], value: Node) -> Result<Option<Node>, YamlError> {
        let missing = || YamlError::NoSuchPath { path: path.join("/") };
        let Some((last, parents)) = path.split_last() else {
            return Ok(Some(std::mem::replace(self, value)));
        };
        let mut node = self;
        for step in parents {
            node = match node.value {
                NodeValue::Sequence { .. } => node.get_path_mut(&[step]).ok_or_else(missing)?,
                _ => {
                    if node.get(step).is_none_or(|child| matches!(child.value, NodeValue::Scalar { .. })) {
                        node.set(step, Node::mapping());
                    }
                    node.get_mut(step).ok_or_else(missing)?
                }
            };
        }
        if let NodeValue::Sequence { items, .. } = &mut node.value {
            let slot = last.parse::<usize>().ok().and_then(|index| items.get_mut(index)).ok_or_else(missing)?;
            return Ok(Some(std::mem::replace(slot, value)));
        }
        Ok(node.set(last, value))
    }

    /// Removes `key` from a mapping, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let NodeValue::Mapping { entries, .. } = &mut self.value else {
            return None;
        };
        let index = entries.iter().position(|(candidate, _)| candidate.as_scalar() == Some(key))?;
        Some(entries.remove(index).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_styles_positions_and_expands_aliases() {
        let docs = parse_nodes("a: &x 'q'\nb: *x\nc:\n- |\n  lit\n").unwrap();
        let root = &docs[0];
        let b = root.get("b").unwrap();
        assert_eq!(b.value, NodeValue::Scalar { text: "q".into(), style: ScalarStyle::SingleQuoted });
        assert_eq!((b.line, b.column), (2, 4));
        let literal = root.get_path(&["c", "0"]).unwrap();
        assert_eq!(literal.value, NodeValue::Scalar { text: "lit\n".into(), style: ScalarStyle::Literal });
    }

    #[test]
    fn unknown_alias_is_an_error_with_position() {
        let error = parse_nodes("a: *nope\n").unwrap_err();
        assert!(matches!(error, YamlError::UnknownAnchor { line: 1, column: 4, .. }), "{error:?}");
    }

    #[test]
    fn exponential_aliases_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            text.push_str(&format!("a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
        }
        assert!(matches!(parse_nodes(&text), Err(YamlError::Invalid { .. })));
    }

    #[test]
    fn excessive_aliasing_is_refused_at_the_alias_as_go_yaml_counts_it() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..7 {
            let previous = format!("*a{}", level - 1);
            text.push_str(&format!("a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
        }
        // 1,111,111 nodes from 70 written ones: far beyond go-yaml's 99%.
        let error = parse_nodes(&text).unwrap_err();
        assert!(error.to_string().contains("document contains excessive aliasing"), "{error}");
        assert_eq!(error.line(), 4, "{error}");
        // A large document may draw on aliases for most of its nodes, as in go-yaml.
        let mut reused = String::from("base: &base {a: 1, b: 2, c: 3, d: 4}\nitems:\n");
        for _ in 0..2000 {
            reused.push_str("- *base\n");
        }
        assert_eq!(parse_nodes(&reused).unwrap()[0].get("items").unwrap().items().len(), 2000);
    }

    #[test]
    fn an_alias_keeps_the_node_its_anchor_named_where_it_stood() {
        let root =
            parse_nodes("a: &x 1\nb: &y [*x]\nc: &x 2\nd: *y\ne: *x\nf: &z [&x 3, *x]\ng: *z\n").unwrap().remove(0);
        let json = root.to_json(crate::yaml::Dialect::Yaml12).unwrap();
        assert_eq!(json, serde_json::json!({"a": 1, "b": [1], "c": 2, "d": [1], "e": 2, "f": [3, 3], "g": [3, 3]}));
        assert!(matches!(parse_nodes("a: &x [*x]\n"), Err(YamlError::UnknownAnchor { .. })));
    }

    #[test]
    fn anchors_nested_in_anchors_cost_their_size_not_its_square() {
        // Each level anchored: copying every anchored node when defined made
        // 5,000 levels cost 12.5 million nodes.
        let depth = 5_000;
        let text: String = (0..depth).map(|level| format!("&a{level} [")).collect::<String>() + &"]".repeat(depth);
        let started = std::time::Instant::now();
        let handle = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || parse_nodes(&text).map(|nodes| nodes.len()))
            .unwrap();
        assert_eq!(handle.join().unwrap(), Ok(1));
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn from_json_reads_back_the_same_in_both_dialects() {
        let value = serde_json::json!({
            "strings": ["yes", "1.0", "null", "", "<<", "2001-12-14", "0x1F", "~", "a: b", "multi\nline", " pad "],
            "numbers": [1, -2, 1.5, 1e21, 18446744073709551615u64],
            "other": [true, false, null, {}, []],
            "keys": {"yes": 1, "<<": 2, "1.0": 3, "null": 4, "on": 5},
        });
        let node = Node::from_json(&value);
        for dialect in [crate::yaml::Dialect::Yaml11, crate::yaml::Dialect::Yaml12] {
            let back = node.to_json(dialect).unwrap();
            assert_eq!(back["strings"], value["strings"], "{dialect:?}");
            assert_eq!(back["other"], value["other"], "{dialect:?}");
            assert_eq!(back["keys"], value["keys"], "{dialect:?}");
            let numbers: Vec<f64> = back["numbers"].as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
            assert_eq!(numbers, [1.0, -2.0, 1.5, 1e21, 18446744073709551615.0]);
        }
    }

    #[test]
    fn set_path_creates_mappings_and_keeps_order() {
        let mut root = parse_nodes("b: 1\na: {x: 1}\n").unwrap().remove(0);
        root.set_path(&["a", "y", "z"], Node::plain("2")).unwrap();
        root.set_path(&["b"], Node::plain("3")).unwrap();
        let keys: Vec<_> = root.entries().map(|(key, _)| key.as_scalar().unwrap()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(root.get_path(&["a", "y", "z"]).and_then(Node::as_scalar), Some("2"));
        assert_eq!(root.get("b").and_then(Node::as_scalar), Some("3"));
        assert_eq!(root.remove("b").and_then(|node| node.as_scalar().map(str::to_owned)), Some("3".into()));
        let mut list = parse_nodes("- a\n").unwrap().remove(0);
        assert!(matches!(list.set_path(&["3", "x"], Node::plain("y")), Err(YamlError::NoSuchPath { .. })));
    }
}

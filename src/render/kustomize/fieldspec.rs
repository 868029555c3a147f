//! Field specs: "this field of objects of that kind", the unit of configuration every
//! built-in transformer is driven by, and the walk that visits such a field in an object
//! (through lists, creating missing maps when asked).

use serde_json::{Map, Value};

use super::resource::{Gvk, ResId};

/// Which objects a field spec applies to; empty parts match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindFilter {
    /// Group, or empty.
    pub group: String,
    /// Version, or empty.
    pub version: String,
    /// Kind, or empty.
    pub kind: String,
}

impl KindFilter {
    /// Parses `Kind`, `Kind.group` or `-` (anything).
    pub fn parse(text: &str) -> Self {
        if text == "-" {
            return KindFilter::default();
        }
        let (kind, group) = text.split_once('.').unwrap_or((text, ""));
        KindFilter { group: group.to_string(), version: String::new(), kind: kind.to_string() }
    }

    /// kustomize's `Gvk.IsSelected`: every part `selector` sets is equal here.
    pub fn is_selected_by(&self, selector: &KindFilter) -> bool {
        (selector.group.is_empty() || selector.group == self.group)
            && (selector.version.is_empty() || selector.version == self.version)
            && (selector.kind.is_empty() || selector.kind == self.kind)
    }

    /// `Kind.version.group` with kustomize's placeholders for empty parts.
    pub fn go_string(&self) -> String {
        let or =
            |text: &str, placeholder: &str| if text.is_empty() { placeholder.to_string() } else { text.to_string() };
        format!("{}.{}.{}", or(&self.kind, "[noKind]"), or(&self.version, "[noVer]"), or(&self.group, "[noGrp]"))
    }

    /// kustomize's `Gvk.IsLessThan` order: kind priority of the legacy output order, then
    /// the `Kind.version.group` text.
    pub fn sort_key(&self) -> (i64, String) {
        (super::order::KindOrder::legacy().rank(&self.kind), self.go_string())
    }

    /// True when the filter selects objects of this type.
    pub fn matches(&self, gvk: &Gvk) -> bool {
        (self.group.is_empty() || self.group == gvk.group)
            && (self.version.is_empty() || self.version == gvk.version)
            && (self.kind.is_empty() || self.kind == gvk.kind)
    }
}

/// One field of one kind of object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The objects it applies to.
    pub filter: KindFilter,
    /// Path segments (`[]` markers removed, `\/` unescaped).
    pub path: Vec<String>,
    /// Create the field (and missing parent maps) when absent.
    pub create: bool,
}

impl FieldSpec {
    /// Builds a spec from a kind filter and a slash-separated path.
    pub fn new(filter: KindFilter, path: &str, create: bool) -> Self {
        FieldSpec { filter, path: split_path(path), create }
    }

    /// Calls `visit` on every value at this spec's path in `object`. With `create`, a missing
    /// last field is first set to `make_missing()` and missing parents become maps. A path
    /// kustomize cannot walk in this object (a list index met on a map, a scalar with path
    /// left) fails as kustomize fails on it.
    pub fn visit<E: From<FieldWalkError>>(
        &self,
        object: &mut Map<String, Value>,
        make_missing: &dyn Fn() -> Value,
        visit: &mut dyn FnMut(&mut Value) -> Result<(), E>,
    ) -> Result<(), E> {
        visit_map(object, &self.path, self.create, make_missing, visit).map_err(|err| match err {
            Walk::Visitor(err) => err,
            Walk::Path { message, wrong_node_kind } => {
                E::from(FieldWalkError { path: self.path_text(), object: object_id(object), message, wrong_node_kind })
            }
        })
    }

    /// The path as written in configurations (`\/` for a slash inside a key).
    pub fn path_text(&self) -> String {
        let escaped: Vec<String> = self.path.iter().map(|segment| segment.replace('/', "\\/")).collect();
        escaped.join("/")
    }
}

/// A field spec's path that cannot be walked in an object, worded as kustomize's field
/// spec filter words it.
#[derive(Debug, thiserror::Error)]
#[error("considering field '{path}' of object {object}: {message}")]
pub struct FieldWalkError {
    path: String,
    object: String,
    message: String,
    wrong_node_kind: bool,
}

impl FieldWalkError {
    /// True when a list step met a map (kyaml's `InvalidNodeKindError`), which some
    /// transformers word differently.
    pub fn is_wrong_node_kind(&self) -> bool {
        self.wrong_node_kind
    }
}

/// Why a walk stopped: the visitor's own error, or kyaml's message about the path.
enum Walk<E> {
    Visitor(E),
    Path { message: String, wrong_node_kind: bool },
}

/// kustomize's `resid.FromRNode`: the id the object carries right now.
fn object_id(object: &Map<String, Value>) -> String {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or_default().to_string();
    let metadata = object.get("metadata");
    let gvk = Gvk::from_api_version(&text(object.get("apiVersion")), &text(object.get("kind")));
    let name = text(metadata.and_then(|m| m.get("name")));
    let namespace = text(metadata.and_then(|m| m.get("namespace")));
    ResId { gvk, namespace, name }.to_string()
}

/// kyaml's `PathGetter` reads a step that is a number, `-` or `[key=value]` as a list
/// element, which a map cannot give; `*` it refuses outright.
fn list_step_on_map<E>(step: &str, map: &Map<String, Value>) -> Option<Walk<E>> {
    let wrong_kind = || {
        let contents = crate::yaml::to_yaml_kyaml(&Value::Object(map.clone()));
        format!("wrong node kind: expected SequenceNode but got MappingNode: node contents:\n{contents}")
    };
    let (message, wrong_node_kind) = match step.parse::<i64>() {
        Ok(index) if index < 0 => (format!("array index {index} cannot be negative"), false),
        Ok(_) => (wrong_kind(), true),
        Err(_) if step == "*" => ("wildcard is not supported in PathGetter".to_string(), false),
        Err(_) if step == "-" || (step.starts_with('[') && step.ends_with(']')) => (wrong_kind(), true),
        Err(_) => return None,
    };
    Some(Walk::Path { message: format!("fieldName: {step}: {message}"), wrong_node_kind })
}

/// Splits `a/b\/c/d[]` into `["a", "b/c", "d"]`.
pub fn split_path(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                current.push('/');
                chars.next();
            }
            '/' => segments.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    segments.push(current);
    segments
        .into_iter()
        .map(|s| s.strip_suffix("[]").map(str::to_string).unwrap_or(s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn visit_map<E>(
    map: &mut Map<String, Value>,
    path: &[String],
    create: bool,
    make_missing: &dyn Fn() -> Value,
    visit: &mut dyn FnMut(&mut Value) -> Result<(), E>,
) -> Result<(), Walk<E>> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(());
    };
    if let Some(problem) = list_step_on_map(first, map) {
        return Err(problem);
    }
    if !map.contains_key(first.as_str()) {
        if !create {
            return Ok(());
        }
        let fresh = if rest.is_empty() { make_missing() } else { Value::Object(Map::new()) };
        map.insert(first.clone(), fresh);
    }
    let Some(child) = map.get_mut(first.as_str()) else {
        return Ok(());
    };
    if rest.is_empty() {
        return visit(child).map_err(Walk::Visitor);
    }
    visit_value(child, rest, create, make_missing, visit)
}

fn visit_value<E>(
    value: &mut Value,
    path: &[String],
    create: bool,
    make_missing: &dyn Fn() -> Value,
    visit: &mut dyn FnMut(&mut Value) -> Result<(), E>,
) -> Result<(), Walk<E>> {
    match value {
        Value::Object(map) => visit_map(map, path, create, make_missing, visit),
        // A list on the way applies the rest of the path to each element.
        Value::Array(items) => {
            for item in items {
                visit_value(item, path, create, make_missing, visit).map_err(|err| match err {
                    Walk::Path { message, wrong_node_kind } => Walk::Path {
                        message: format!("visit traversal on path: [{}]: {message}", path.join(" ")),
                        wrong_node_kind,
                    },
                    visitor => visitor,
                })?;
            }
            Ok(())
        }
        Value::Null if create => {
            *value = Value::Object(Map::new());
            visit_value(value, path, create, make_missing, visit)
        }
        Value::Null => Ok(()),
        _ => Err(Walk::Path { message: "expected sequence or mapping node".to_string(), wrong_node_kind: false }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_escaped_slashes_and_list_markers() {
        assert_eq!(split_path("metadata/annotations/a.io\\/b"), vec!["metadata", "annotations", "a.io/b"]);
        assert_eq!(split_path("subjects[]/namespace"), vec!["subjects", "namespace"]);
    }

    #[test]
    fn visits_through_lists_and_creates_only_when_asked() {
        let mut object = json!({"spec": {"containers": [{"image": "a"}, {"image": "b"}, {"name": "c"}]}});
        let spec = FieldSpec::new(KindFilter::default(), "spec/containers[]/image", false);
        let mut seen = Vec::new();
        spec.visit::<FieldWalkError>(object.as_object_mut().unwrap(), &|| Value::Null, &mut |v| {
            seen.push(v.as_str().unwrap().to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec!["a", "b"]);

        let create = FieldSpec::new(KindFilter::default(), "spec/selector/matchLabels", true);
        create
            .visit::<FieldWalkError>(object.as_object_mut().unwrap(), &|| json!({}), &mut |v| {
                v.as_object_mut().unwrap().insert("x".into(), json!("y"));
                Ok(())
            })
            .unwrap();
        assert_eq!(object["spec"]["selector"]["matchLabels"]["x"], "y");
    }
}

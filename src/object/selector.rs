//! Selecting objects: the target selector kustomize patches and replacements, and Flux's
//! `driftDetection.ignore` rules share — anchored regexes over group, version, kind, name
//! and namespace, plus Kubernetes label and annotation selectors (`a=b`, `a!=b`,
//! `a in (x,y)`, `a notin (x)`, `a`, `!a`).
//!
//! It only answers "is this object selected"; which names and namespaces an object
//! answers to (kustomize also matches the ones it had before a rename) is the caller's
//! business, and so is wording errors for the file they came from.

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A target selector as written in a kustomization or an ignore rule; empty parts select
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetSpec {
    /// API group regex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// API version regex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Kind regex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name regex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace regex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Label selector (`app=web,tier in (a,b),!legacy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    /// Annotation selector, same syntax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation_selector: Option<String>,
}

/// Why a selector does not compile.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SelectorError {
    /// A target field is not a valid regular expression.
    #[error("target {field} {pattern:?} is not a valid regular expression: {message}")]
    BadRegex {
        /// Which target field.
        field: &'static str,
        /// The pattern.
        pattern: String,
        /// The regex error.
        message: String,
    },
    /// A label or annotation selector does not parse.
    #[error(
        "selector {selector:?} is not valid: {message}; write requirements as a=b, a!=b, a in (x,y), a notin (x), a or !a"
    )]
    BadSelector {
        /// The selector.
        selector: String,
        /// Why.
        message: String,
    },
}

/// What a selector looks at in one object.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// `apiVersion` (`apps/v1`, `v1`).
    pub api_version: &'a str,
    /// `kind`.
    pub kind: &'a str,
    /// Names the object answers to; the name regex must match one of them.
    pub names: &'a [&'a str],
    /// Namespaces the object answers to; the namespace regex must match one of them.
    pub namespaces: &'a [&'a str],
    /// The object's `metadata`, for labels and annotations.
    pub metadata: Option<&'a Map<String, Value>>,
}

/// A compiled target selector.
#[derive(Debug, Clone, Default)]
pub struct TargetSelector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: LabelSelector,
    annotations: LabelSelector,
}

impl TargetSelector {
    /// Compiles a selector; regexes are anchored at both ends, as kustomize and Flux do.
    pub fn compile(spec: &TargetSpec) -> Result<Self, SelectorError> {
        let regex = |field: &'static str, pattern: &Option<String>| -> Result<Option<Regex>, SelectorError> {
            match pattern.as_deref().filter(|p| !p.is_empty()) {
                None => Ok(None),
                Some(p) => Regex::new(&format!("^(?:{p})$")).map(Some).map_err(|e| SelectorError::BadRegex {
                    field,
                    pattern: p.to_string(),
                    message: e.to_string(),
                }),
            }
        };
        Ok(TargetSelector {
            group: regex("group", &spec.group)?,
            version: regex("version", &spec.version)?,
            kind: regex("kind", &spec.kind)?,
            name: regex("name", &spec.name)?,
            namespace: regex("namespace", &spec.namespace)?,
            labels: LabelSelector::parse(spec.label_selector.as_deref().unwrap_or(""))?,
            annotations: LabelSelector::parse(spec.annotation_selector.as_deref().unwrap_or(""))?,
        })
    }

    /// Whether the object is selected.
    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        let (group, version) = subject.api_version.rsplit_once('/').unwrap_or(("", subject.api_version));
        let one = |r: &Option<Regex>, text: &str| r.as_ref().is_none_or(|r| r.is_match(text));
        let any = |r: &Option<Regex>, texts: &[&str]| r.as_ref().is_none_or(|r| texts.iter().any(|t| r.is_match(t)));
        let map = |key: &str| subject.metadata.and_then(|m| m.get(key)).and_then(Value::as_object);
        one(&self.group, group)
            && one(&self.version, version)
            && one(&self.kind, subject.kind)
            && any(&self.name, subject.names)
            && any(&self.namespace, subject.namespaces)
            && self.labels.matches(map("labels"))
            && self.annotations.matches(map("annotations"))
    }
}

/// A Kubernetes label selector in its string form (also used for annotations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector(Vec<Requirement>);

#[derive(Debug, Clone, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl LabelSelector {
    /// Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`; an empty text selects everything.
    pub fn parse(selector: &str) -> Result<Self, SelectorError> {
        let mut requirements = Vec::new();
        let mut rest = selector.trim();
        while !rest.is_empty() {
            // A top-level comma ends a requirement; commas inside parentheses do not.
            let end = top_level_comma(rest).unwrap_or(rest.len());
            let part = rest[..end].trim();
            rest = rest[end..].trim_start_matches(',').trim();
            let requirement = parse_requirement(part)
                .map_err(|message| SelectorError::BadSelector { selector: selector.to_string(), message })?;
            requirements.push(requirement);
        }
        Ok(LabelSelector(requirements))
    }

    /// Whether a `labels`/`annotations` map (absent counts as empty) satisfies every requirement.
    pub fn matches(&self, map: Option<&Map<String, Value>>) -> bool {
        let get = |k: &str| map.and_then(|m| m.get(k)).and_then(Value::as_str);
        self.0.iter().all(|requirement| match requirement {
            Requirement::Equals(k, v) => get(k) == Some(v),
            Requirement::NotEquals(k, v) => get(k) != Some(v),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

fn top_level_comma(text: &str) -> Option<usize> {
    let mut depth = 0;
    text.char_indices().find_map(|(i, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    })
}

fn parse_requirement(part: &str) -> Result<Requirement, String> {
    let set = |key: &str, values: &str| -> Result<(String, Vec<String>), String> {
        let inner = values.trim().strip_prefix('(').and_then(|v| v.strip_suffix(')')).ok_or("expected (values)")?;
        Ok((key.trim().to_string(), inner.split(',').map(|v| v.trim().to_string()).collect()))
    };
    if let Some((k, v)) = part.split_once(" notin ") {
        let (k, vs) = set(k, v)?;
        return Ok(Requirement::NotIn(k, vs));
    }
    if let Some((k, v)) = part.split_once(" in ") {
        let (k, vs) = set(k, v)?;
        return Ok(Requirement::In(k, vs));
    }
    if let Some((k, v)) = part.split_once("!=") {
        return Ok(Requirement::NotEquals(k.trim().into(), v.trim().into()));
    }
    if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Requirement::Equals(k.trim().into(), v.trim().into()));
    }
    if let Some(k) = part.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(k.trim().into()));
    }
    if part.is_empty() || part.contains(char::is_whitespace) {
        return Err(format!("cannot parse {part:?}"));
    }
    Ok(Requirement::Exists(part.into()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn label_selector_forms() {
        let labels = json!({"app": "web", "tier": "front"});
        let ok = |s: &str| LabelSelector::parse(s).unwrap().matches(labels.as_object());
        assert!(ok("app=web"));
        assert!(ok("app==web,tier!=back"));
        assert!(ok("tier in (front, back),app notin (db)"));
        assert!(ok("app,!legacy"));
        assert!(ok(""));
        assert!(!ok("app=db"));
        assert!(!ok("legacy"));
        assert!(!ok("tier in (back)"));
        assert!(LabelSelector::parse("tier in front").is_err());
    }

    #[test]
    fn targets_match_any_of_the_names_and_anchored_regexes() {
        let spec = TargetSpec {
            group: Some("apps".into()),
            kind: Some("Deploy.*".into()),
            name: Some("web".into()),
            label_selector: Some("app=web".into()),
            ..TargetSpec::default()
        };
        let selector = TargetSelector::compile(&spec).unwrap();
        let metadata = json!({"labels": {"app": "web"}});
        let subject = |api_version, names| Subject {
            api_version,
            kind: "Deployment",
            names,
            namespaces: &["default"],
            metadata: metadata.as_object(),
        };
        assert!(selector.matches(&subject("apps/v1", &["prod-web", "web"])));
        assert!(!selector.matches(&subject("apps/v1", &["prod-web"])));
        assert!(!selector.matches(&subject("v1", &["web"])));
        let bad = TargetSpec { kind: Some("(".into()), ..TargetSpec::default() };
        assert!(matches!(TargetSelector::compile(&bad), Err(SelectorError::BadRegex { field: "kind", .. })));
    }
}

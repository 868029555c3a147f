//! Patch and replacement targets: anchored regexes over group, version, kind, name and
//! namespace (original or current), plus Kubernetes label and annotation selectors.

use regex::Regex;

use super::kustomization::Selector;
use super::resource::Resource;

/// A compiled selector.
#[derive(Debug)]
pub struct CompiledSelector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

#[derive(Debug)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl CompiledSelector {
    /// Compiles a selector; the error says which part is not a valid regex or selector.
    pub fn new(selector: &Selector) -> Result<Self, String> {
        let anchored = |field: &str, pattern: &Option<String>| -> Result<Option<Regex>, String> {
            match pattern.as_deref().filter(|p| !p.is_empty()) {
                None => Ok(None),
                Some(p) => Regex::new(&format!("^(?:{p})$"))
                    .map(Some)
                    .map_err(|err| format!("target {field} '{p}' is not a valid regular expression: {err}")),
            }
        };
        Ok(CompiledSelector {
            group: anchored("group", &selector.group)?,
            version: anchored("version", &selector.version)?,
            kind: anchored("kind", &selector.kind)?,
            name: anchored("name", &selector.name)?,
            namespace: anchored("namespace", &selector.namespace)?,
            labels: parse_requirements(selector.label_selector.as_deref().unwrap_or(""))?,
            annotations: parse_requirements(selector.annotation_selector.as_deref().unwrap_or(""))?,
        })
    }

    /// True when the object is selected.
    pub fn matches(&self, resource: &Resource) -> bool {
        let original = resource.original_id();
        let current = resource.id();
        let hit = |re: &Option<Regex>, a: &str, b: &str| re.as_ref().is_none_or(|re| re.is_match(a) || re.is_match(b));
        let gvk = resource.gvk();
        let one = |re: &Option<Regex>, v: &str| re.as_ref().is_none_or(|re| re.is_match(v));
        hit(&self.namespace, original.effective_namespace(), current.effective_namespace())
            && hit(&self.name, &original.name, &current.name)
            && one(&self.group, &gvk.group)
            && one(&self.version, &gvk.version)
            && one(&self.kind, &gvk.kind)
            && satisfies(&self.labels, &resource.metadata_strings("labels"))
            && satisfies(&self.annotations, &resource.metadata_strings("annotations"))
    }
}

fn satisfies(requirements: &[Requirement], pairs: &[(String, String)]) -> bool {
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    requirements.iter().all(|req| match req {
        Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
        Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
        Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
        Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
        Requirement::Exists(k) => get(k).is_some(),
        Requirement::NotExists(k) => get(k).is_none(),
    })
}

/// Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
fn parse_requirements(text: &str) -> Result<Vec<Requirement>, String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    let mut requirements = Vec::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let values = |rest: &str| -> Vec<String> {
            rest.trim().trim_start_matches('(').trim_end_matches(')').split(',').map(|v| v.trim().to_string()).collect()
        };
        let requirement = if let Some((k, v)) = part.split_once("!=") {
            Requirement::NotEquals(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            Requirement::Equals(k.trim().into(), v.trim().into())
        } else if let Some((k, rest)) = part.split_once(" notin ") {
            Requirement::NotIn(k.trim().into(), values(rest))
        } else if let Some((k, rest)) = part.split_once(" in ") {
            Requirement::In(k.trim().into(), values(rest))
        } else if let Some(k) = part.strip_prefix('!') {
            Requirement::NotExists(k.trim().into())
        } else if part.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
            Requirement::Exists(part.into())
        } else {
            return Err(format!("unable to parse requirement '{part}' of selector '{text}'"));
        };
        requirements.push(requirement);
    }
    Ok(requirements)
}

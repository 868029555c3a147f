//! `.Chart` as Helm 3 hands it to templates: a Go value of type
//! `struct { chart.Metadata; IsRoot bool }` whose fields are the Go names of
//! `Chart.yaml` (`Name`, `AppVersion`, `Maintainers`…), printed with Go's
//! struct formatting and marshalled with `chart.Metadata`'s JSON tags.
//!
//! Go prints the pointers inside `Maintainers` and `Dependencies` as memory
//! addresses, which change from run to run; they print here as stable
//! placeholder addresses. This module must not read chart files.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use super::chart::{Dependency, Maintainer, Metadata};
use crate::template::{ElemType, HostObject, Value, format_value, go_syntax, sprintf};

/// Go field names of `chart.Metadata`, in declaration order.
const METADATA_FIELDS: [&str; 17] = [
    "Name",
    "Home",
    "Sources",
    "Version",
    "Description",
    "Keywords",
    "Maintainers",
    "Icon",
    "APIVersion",
    "Condition",
    "Tags",
    "AppVersion",
    "Deprecated",
    "Annotations",
    "KubeVersion",
    "Dependencies",
    "Type",
];

/// `.Chart` for a chart's templates; `is_root` is false inside subcharts.
pub fn chart_object(metadata: &Metadata, is_root: bool) -> Value {
    Value::Object(Rc::new(ChartObject { metadata: MetadataObject(Rc::new(metadata.clone())), is_root }))
}

/// `struct { chart.Metadata; IsRoot bool }`: the embedded metadata's fields
/// are promoted, as Go promotes them.
#[derive(Debug, Clone)]
struct ChartObject {
    metadata: MetadataObject,
    is_root: bool,
}

impl HostObject for ChartObject {
    fn go_type(&self) -> String {
        "struct { chart.Metadata; IsRoot bool }".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "struct"
    }
    /// Its metadata holds slices and a map.
    fn comparable(&self) -> bool {
        false
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "IsRoot" => Some(Value::Bool(self.is_root)),
            "Metadata" => Some(Value::Object(Rc::new(self.metadata.clone()))),
            _ => self.metadata.field(name),
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        self.metadata.call_method(name, args)
    }
    fn has_method(&self, name: &str) -> bool {
        self.metadata.has_method(name)
    }
    fn format(&self) -> String {
        format!("{{{} {}}}", self.metadata.format(), self.is_root)
    }
    /// `%s` applies to every field: a bool shows as `%!s(bool=true)`.
    fn format_text(&self) -> Option<String> {
        let is_root = sprintf("%s", &[Value::Bool(self.is_root)]);
        Some(format!("{{{} {is_root}}}", self.metadata.format_text()?))
    }
    fn format_verbose(&self, go_syntax: bool) -> Option<String> {
        let metadata = self.metadata.format_verbose(go_syntax)?;
        Some(if go_syntax {
            format!("{}{{Metadata:{metadata}, IsRoot:{}}}", self.go_type(), self.is_root)
        } else {
            format!("{{Metadata:{metadata} IsRoot:{}}}", self.is_root)
        })
    }
    /// The embedded struct's tagged fields, then `IsRoot` (it has no tag).
    fn to_json(&self) -> Option<Json> {
        let mut map = match self.metadata.to_json() {
            Some(Json::Object(map)) => map,
            _ => Map::new(),
        };
        map.insert("IsRoot".to_string(), Json::Bool(self.is_root));
        Some(Json::Object(map))
    }
}

/// `chart.Metadata` (what `.Chart.Metadata` gives).
#[derive(Debug, Clone)]
struct MetadataObject(Rc<Metadata>);

impl MetadataObject {
    fn annotations(&self) -> BTreeMap<String, String> {
        self.0.annotations.clone().unwrap_or_default()
    }
}

/// No methods are offered: `chart.Metadata`'s only one, `Validate`, returns
/// nothing a template can use.
impl HostObject for MetadataObject {
    fn go_type(&self) -> String {
        "chart.Metadata".to_string()
    }
    fn go_kind(&self) -> &'static str {
        "struct"
    }
    /// It holds slices and a map.
    fn comparable(&self) -> bool {
        false
    }
    fn field(&self, name: &str) -> Option<Value> {
        let m = &self.0;
        let text = |s: &str| Some(Value::str(s));
        match name {
            "Name" => text(&m.name),
            "Home" => text(&m.home),
            "Sources" => Some(Value::str_list(m.sources.clone())),
            "Version" => text(&m.version),
            "Description" => text(&m.description),
            "Keywords" => Some(Value::str_list(m.keywords.clone())),
            "Maintainers" => Some(pointer_list(m.maintainers.iter().map(|x| MaintainerObject(x.clone())))),
            "Icon" => text(&m.icon),
            "APIVersion" => text(&m.api_version),
            "Condition" => text(&m.condition),
            "Tags" => text(&m.tags),
            "AppVersion" => text(&m.app_version),
            "Deprecated" => Some(Value::Bool(m.deprecated)),
            "Annotations" => {
                let entries = self.annotations().into_iter().map(|(k, v)| (k, Value::str(v))).collect();
                Some(Value::Map(Rc::new(std::cell::RefCell::new(entries)), ElemType::String))
            }
            "KubeVersion" => text(&m.kube_version),
            "Dependencies" => Some(pointer_list(m.dependencies.iter().map(|d| DependencyObject(d.clone())))),
            "Type" => text(&m.chart_type),
            _ => None,
        }
    }
    fn format(&self) -> String {
        let fields: Vec<String> = METADATA_FIELDS
            .iter()
            .map(|name| match *name {
                "Maintainers" => placeholder_addresses(self.0.maintainers.len(), 0),
                "Dependencies" => placeholder_addresses(self.0.dependencies.len(), self.0.maintainers.len()),
                other => self.field(other).map(|v| format_value(&v)).unwrap_or_default(),
            })
            .collect();
        format!("{{{}}}", fields.join(" "))
    }
    /// `%s` applies to every field: `Deprecated` shows as
    /// `%!s(bool=false)`, each maintainer or dependency pointer as
    /// `%!s(*chart.Maintainer=&{…})`, printed whole as at the top level.
    fn format_text(&self) -> Option<String> {
        let m = &self.0;
        let pointers = |items: Vec<Rc<dyn HostObject>>| {
            let items: Vec<String> =
                items.iter().map(|item| format!("%!s({}={})", item.go_type(), item.format())).collect();
            format!("[{}]", items.join(" "))
        };
        let fields: Vec<String> = METADATA_FIELDS
            .iter()
            .map(|name| match *name {
                "Maintainers" => pointers(
                    m.maintainers.iter().map(|x| Rc::new(MaintainerObject(x.clone())) as Rc<dyn HostObject>).collect(),
                ),
                "Dependencies" => pointers(
                    m.dependencies.iter().map(|d| Rc::new(DependencyObject(d.clone())) as Rc<dyn HostObject>).collect(),
                ),
                other => sprintf("%s", &[self.field(other).unwrap_or(Value::Nil)]),
            })
            .collect();
        Some(format!("{{{}}}", fields.join(" ")))
    }
    /// `%+v` and `%#v`. A list `Chart.yaml` leaves out is nil in Go; an
    /// empty list prints as nil here too (see the module header).
    fn format_verbose(&self, go_syntax_wanted: bool) -> Option<String> {
        let m = &self.0;
        let pointers = |go_type: &str, count: usize, first: usize| {
            if !go_syntax_wanted {
                return placeholder_addresses(count, first);
            }
            if count == 0 {
                return format!("[]*{go_type}(nil)");
            }
            let items: Vec<String> =
                (first..first + count).map(|i| format!("(*{go_type})(0xc{:09x})", (i + 1) * 0x30)).collect();
            format!("[]*{go_type}{{{}}}", items.join(", "))
        };
        let fields: Vec<String> = METADATA_FIELDS
            .iter()
            .map(|name| {
                let text = match *name {
                    "Maintainers" => pointers("chart.Maintainer", m.maintainers.len(), 0),
                    "Dependencies" => pointers("chart.Dependency", m.dependencies.len(), m.maintainers.len()),
                    "Sources" | "Keywords" if go_syntax_wanted => {
                        let items = if *name == "Sources" { &m.sources } else { &m.keywords };
                        if items.is_empty() {
                            "[]string(nil)".to_string()
                        } else {
                            go_syntax(&Value::str_list(items.clone()))
                        }
                    }
                    "Annotations" if go_syntax_wanted => match &m.annotations {
                        None => "map[string]string(nil)".to_string(),
                        Some(_) => go_syntax(&self.field(name).unwrap_or(Value::Nil)),
                    },
                    other => {
                        let value = self.field(other).unwrap_or(Value::Nil);
                        if go_syntax_wanted { go_syntax(&value) } else { format_value(&value) }
                    }
                };
                format!("{name}:{text}")
            })
            .collect();
        Some(if go_syntax_wanted {
            format!("chart.Metadata{{{}}}", fields.join(", "))
        } else {
            format!("{{{}}}", fields.join(" "))
        })
    }
    fn to_json(&self) -> Option<Json> {
        let m = &self.0;
        let mut map = Map::new();
        put_text(&mut map, "name", &m.name);
        put_text(&mut map, "home", &m.home);
        put_list(&mut map, "sources", &m.sources);
        put_text(&mut map, "version", &m.version);
        put_text(&mut map, "description", &m.description);
        put_list(&mut map, "keywords", &m.keywords);
        if !m.maintainers.is_empty() {
            let maintainers = m.maintainers.iter().filter_map(|x| MaintainerObject(x.clone()).to_json()).collect();
            map.insert("maintainers".to_string(), Json::Array(maintainers));
        }
        put_text(&mut map, "icon", &m.icon);
        put_text(&mut map, "apiVersion", &m.api_version);
        put_text(&mut map, "condition", &m.condition);
        put_text(&mut map, "tags", &m.tags);
        put_text(&mut map, "appVersion", &m.app_version);
        if m.deprecated {
            map.insert("deprecated".to_string(), Json::Bool(true));
        }
        let annotations = self.annotations();
        if !annotations.is_empty() {
            let entries = annotations.into_iter().map(|(k, v)| (k, Json::String(v))).collect();
            map.insert("annotations".to_string(), Json::Object(entries));
        }
        put_text(&mut map, "kubeVersion", &m.kube_version);
        if !m.dependencies.is_empty() {
            let dependencies = m.dependencies.iter().filter_map(|d| DependencyObject(d.clone()).to_json()).collect();
            map.insert("dependencies".to_string(), Json::Array(dependencies));
        }
        put_text(&mut map, "type", &m.chart_type);
        Some(Json::Object(map))
    }
}

/// `*chart.Maintainer`.
#[derive(Debug, Clone)]
struct MaintainerObject(Maintainer);

impl HostObject for MaintainerObject {
    fn go_type(&self) -> String {
        "*chart.Maintainer".to_string()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Name" => Some(Value::str(self.0.name.as_str())),
            "Email" => Some(Value::str(self.0.email.as_str())),
            "URL" => Some(Value::str(self.0.url.as_str())),
            _ => None,
        }
    }
    fn format(&self) -> String {
        format!("&{{{} {} {}}}", self.0.name, self.0.email, self.0.url)
    }
    fn to_json(&self) -> Option<Json> {
        let mut map = Map::new();
        put_text(&mut map, "name", &self.0.name);
        put_text(&mut map, "email", &self.0.email);
        put_text(&mut map, "url", &self.0.url);
        Some(Json::Object(map))
    }
}

/// `*chart.Dependency`, with `Enabled` as dependency processing left it.
#[derive(Debug, Clone)]
struct DependencyObject(Dependency);

impl DependencyObject {
    fn import_values(&self) -> Value {
        Value::list(self.0.import_values.iter().map(Value::from_json).collect())
    }
}

impl HostObject for DependencyObject {
    fn go_type(&self) -> String {
        "*chart.Dependency".to_string()
    }
    fn field(&self, name: &str) -> Option<Value> {
        let d = &self.0;
        match name {
            "Name" => Some(Value::str(d.name.as_str())),
            "Version" => Some(Value::str(d.version.as_str())),
            "Repository" => Some(Value::str(d.repository.as_str())),
            "Condition" => Some(Value::str(d.condition.as_str())),
            "Tags" => Some(Value::str_list(d.tags.clone())),
            "Enabled" => Some(Value::Bool(d.enabled.unwrap_or(false))),
            "ImportValues" => Some(self.import_values()),
            "Alias" => Some(Value::str(d.alias.as_str())),
            _ => None,
        }
    }
    fn format(&self) -> String {
        let d = &self.0;
        format!(
            "&{{{} {} {} {} {} {} {} {}}}",
            d.name,
            d.version,
            d.repository,
            d.condition,
            format_value(&Value::str_list(d.tags.clone())),
            d.enabled.unwrap_or(false),
            format_value(&self.import_values()),
            d.alias
        )
    }
    /// `name` and `repository` have no `omitempty` in Helm's struct tags.
    fn to_json(&self) -> Option<Json> {
        let d = &self.0;
        let mut map = Map::new();
        map.insert("name".to_string(), Json::String(d.name.clone()));
        put_text(&mut map, "version", &d.version);
        map.insert("repository".to_string(), Json::String(d.repository.clone()));
        put_text(&mut map, "condition", &d.condition);
        put_list(&mut map, "tags", &d.tags);
        if d.enabled == Some(true) {
            map.insert("enabled".to_string(), Json::Bool(true));
        }
        if !d.import_values.is_empty() {
            map.insert("import-values".to_string(), Json::Array(d.import_values.iter().map(sorted_keys).collect()));
        }
        put_text(&mut map, "alias", &d.alias);
        Some(Json::Object(map))
    }
}

/// A slice of struct pointers; elements stay reachable by `index` and `range`.
fn pointer_list<T: HostObject + 'static>(items: impl Iterator<Item = T>) -> Value {
    Value::list(items.map(|item| Value::Object(Rc::new(item))).collect())
}

/// What Go prints for a slice of pointers nested in a struct: addresses.
fn placeholder_addresses(count: usize, first: usize) -> String {
    let addresses: Vec<String> = (first..first + count).map(|i| format!("0xc{:09x}", (i + 1) * 0x30)).collect();
    format!("[{}]", addresses.join(" "))
}

/// A string field with `omitempty`.
fn put_text(map: &mut Map<String, Json>, key: &str, text: &str) {
    if !text.is_empty() {
        map.insert(key.to_string(), Json::String(text.to_string()));
    }
}

/// A `[]string` field with `omitempty`.
fn put_list(map: &mut Map<String, Json>, key: &str, items: &[String]) {
    if !items.is_empty() {
        map.insert(key.to_string(), Json::Array(items.iter().cloned().map(Json::String).collect()));
    }
}

/// Go marshals `map[string]interface{}` with sorted keys.
fn sorted_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => {
            let mut entries: Vec<(&String, &Json)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Json::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted_keys(v))).collect())
        }
        Json::Array(items) => Json::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TemplateSet;

    fn render(text: &str, metadata: &Metadata) -> Result<String, String> {
        let mut set = TemplateSet::new();
        set.add("t", text).map_err(|e| e.to_string())?;
        let mut data = BTreeMap::new();
        data.insert("Chart".to_string(), chart_object(metadata, true));
        set.execute("t", &Value::helm_values(data)).map(|r| r.text).map_err(|e| e.to_string())
    }

    fn metadata() -> Metadata {
        Metadata {
            name: "web".to_string(),
            version: "1.0.0".to_string(),
            api_version: "v2".to_string(),
            keywords: vec!["a".to_string()],
            maintainers: vec![Maintainer { name: "Ann".to_string(), ..Maintainer::default() }],
            ..Metadata::default()
        }
    }

    #[test]
    fn fields_have_go_names_and_types() {
        let text = "{{ .Chart.Name }} {{ .Chart.Metadata.Version }} {{ typeOf .Chart }} {{ kindOf .Chart }} \
                    {{ typeOf .Chart.Metadata }} {{ (index .Chart.Maintainers 0).Name }} {{ .Chart.IsRoot }}";
        assert_eq!(
            render(text, &metadata()).unwrap(),
            "web 1.0.0 struct { chart.Metadata; IsRoot bool } struct chart.Metadata Ann true"
        );
        let error = render("{{ .Chart.name }}", &metadata()).unwrap_err();
        assert!(error.ends_with("can't evaluate field name in type interface {}"), "{error}");
    }

    #[test]
    fn prints_and_marshals_like_go() {
        assert_eq!(
            render("{{ .Chart }}", &metadata()).unwrap(),
            "{{web  [] 1.0.0  [a] [0xc000000030]  v2    false map[]  [] } true}"
        );
        assert_eq!(
            render("{{ toJson .Chart }}", &metadata()).unwrap(),
            r#"{"name":"web","version":"1.0.0","keywords":["a"],"maintainers":[{"name":"Ann"}],"apiVersion":"v2","IsRoot":true}"#
        );
    }
}

//! A set of named templates, as Helm builds one per chart: every file is
//! added under its path, `define`d templates are shared by all files, and
//! any template can be executed with a data value. This is the engine's
//! entry point; it must not know about charts, values files or releases.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::List;
use super::clock::{Clock, SystemClock};
use super::error::TemplateError;
use super::exec::Exec;
use super::funcs;
use super::lookup::{Lookup, OfflineLookup};
use super::parser::{is_empty_tree, parse};
use super::value::Value;

/// The text a template was parsed from, for error positions.
#[derive(Debug)]
pub struct Source {
    pub(crate) name: String,
    pub(crate) text: String,
}

/// One named template body.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) body: List,
    pub(crate) source: Rc<Source>,
}

/// What a render produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The output text, with Go's `<no value>` removed as Helm removes it.
    pub text: String,
    /// A function whose output changes between runs (`now`, `rand*`,
    /// `uuidv4`, `genCA`…) was called: differences in this output are not drift.
    pub nondeterministic: bool,
}

/// Helm's name for the template set; `tpl` parses its text under this name.
const HELM_ROOT_NAME: &str = "gotpl";

/// Nested template calls allowed. Go allows 100000; each level here costs
/// native stack, so the engine stops earlier, still above Helm's `include`
/// limit of 1000 levels for one name.
const DEFAULT_MAX_DEPTH: usize = 3000;

/// Templates by name, with the hooks they run with: the `lookup` answer,
/// the clock `now` reads and the seed of the random functions.
///
/// To find which parts of a render are nondeterministic, execute the same
/// set twice with different hooks and compare the outputs:
///
/// ```
/// use std::rc::Rc;
/// use driftctl::template::{FixedClock, TemplateSet, Value};
/// let mut set = TemplateSet::new();
/// set.add("t", "{{ now | date \"2006\" }} {{ randAlpha 4 }}").unwrap();
/// set.set_clock(Rc::new(FixedClock::at_unix_seconds(0)));
/// set.set_random_seed(1);
/// let first = set.execute("t", &Value::Nil).unwrap();
/// set.set_clock(Rc::new(FixedClock::at_unix_seconds(2_000_000_000)));
/// set.set_random_seed(2);
/// let second = set.execute("t", &Value::Nil).unwrap();
/// assert!(first.nondeterministic && first.text != second.text);
/// ```
#[derive(Clone)]
pub struct TemplateSet {
    templates: HashMap<String, Rc<Template>>,
    root_name: String,
    lookup: Rc<dyn Lookup>,
    clock: Rc<dyn Clock>,
    random_seed: Option<u64>,
    max_depth: usize,
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::new()
    }
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.templates.keys().collect();
        names.sort();
        f.debug_struct("TemplateSet").field("templates", &names).finish()
    }
}

impl TemplateSet {
    /// An empty set that answers `lookup` with nothing (offline, as `helm template`).
    pub fn new() -> TemplateSet {
        TemplateSet {
            templates: HashMap::new(),
            root_name: HELM_ROOT_NAME.to_string(),
            lookup: Rc::new(OfflineLookup),
            clock: Rc::new(SystemClock),
            random_seed: None,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Use `lookup` to answer the `lookup` function.
    pub fn set_lookup(&mut self, lookup: Rc<dyn Lookup>) {
        self.lookup = lookup;
    }

    /// Read the current time from `clock` (`now`, `ago`, `date` of a
    /// non-time…); the default is the system clock.
    pub fn set_clock(&mut self, clock: Rc<dyn Clock>) {
        self.clock = clock;
    }

    /// Seed the random functions (`rand*`, `uuidv4`, `shuffle`, AES IVs,
    /// certificate serials) so each execution repeats the same sequence;
    /// without a seed every execution draws fresh randomness. Generated keys
    /// always come from the system's generator.
    pub fn set_random_seed(&mut self, seed: u64) {
        self.random_seed = Some(seed);
    }

    /// Parse `text` as the template `name` (e.g. `mychart/templates/cm.yaml`)
    /// and register the templates it defines. Like Go's `AddParseTree`, a
    /// later definition replaces an earlier one unless it is empty.
    pub fn add(&mut self, name: &str, text: &str) -> Result<(), TemplateError> {
        let parsed = parse(name, text, &funcs::exists).map_err(TemplateError::Parse)?;
        let source = Rc::new(Source { name: name.to_string(), text: text.to_string() });
        self.associate(name, parsed.root, &source);
        for (define_name, body) in parsed.defines {
            self.associate(&define_name, body, &source);
        }
        Ok(())
    }

    fn associate(&mut self, name: &str, body: List, source: &Rc<Source>) {
        if is_empty_tree(&body) && self.templates.contains_key(name) {
            return;
        }
        self.templates.insert(name.to_string(), Rc::new(Template { body, source: source.clone() }));
    }

    /// Whether a template called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Names of all templates, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.templates.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// Execute template `name` with `data` as dot, as Helm renders a file:
    /// Go's `<no value>` markers are removed from the output.
    pub fn execute(&self, name: &str, data: &Value) -> Result<Rendered, TemplateError> {
        let (text, nondeterministic) = self.execute_go(name, data)?;
        Ok(Rendered { text: text.replace("<no value>", ""), nondeterministic })
    }

    /// Execute as Go's `ExecuteTemplate` does, keeping `<no value>`; also
    /// says whether a nondeterministic function ran.
    pub fn execute_go(&self, name: &str, data: &Value) -> Result<(String, bool), TemplateError> {
        let template = self.template(name).ok_or_else(|| TemplateError::NoSuchTemplate(name.to_string()))?;
        let mut exec = Exec::new(self, name, template.source.clone());
        let text = exec.run(&template.body, data.clone())?;
        Ok((text, exec.nondeterministic))
    }

    pub(crate) fn template(&self, name: &str) -> Option<&Template> {
        self.templates.get(name).map(Rc::as_ref)
    }

    pub(crate) fn root_name(&self) -> &str {
        &self.root_name
    }

    pub(crate) fn max_depth(&self) -> usize {
        self.max_depth
    }

    pub(crate) fn lookup_hook(&self) -> &dyn Lookup {
        self.lookup.as_ref()
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub(crate) fn random_seed(&self) -> Option<u64> {
        self.random_seed
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use super::*;
    use crate::template::value::HostObject;

    fn render(set: &TemplateSet, name: &str, data: &Value) -> Rendered {
        set.execute(name, data).unwrap_or_else(|e| panic!("render {name}: {e}"))
    }

    fn one(text: &str) -> Rendered {
        let mut set = TemplateSet::new();
        set.add("t", text).expect("parses");
        render(&set, "t", &Value::Nil)
    }

    #[test]
    fn random_functions_mark_the_render_nondeterministic() {
        let out = one("{{ randAlphaNum 12 }}");
        assert!(out.nondeterministic);
        assert_eq!(out.text.len(), 12);
        assert!(out.text.chars().all(|c| c.is_ascii_alphanumeric()));
        let uuid = one("{{ uuidv4 }}");
        assert!(uuid.nondeterministic);
        let parts: Vec<&str> = uuid.text.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        let n: i64 = one("{{ randInt 5 8 }}").text.parse().expect("an integer");
        assert!((5..8).contains(&n));
        assert_eq!(one("{{ randNumeric 6 }}").text.chars().filter(char::is_ascii_digit).count(), 6);
        assert!(one("{{ tpl \"{{ randAlpha 3 }}\" dict }}").nondeterministic);
        assert!(!one("{{ \"fixed\" | upper }}").nondeterministic);
    }

    #[test]
    fn clock_and_random_seed_are_hooks_for_a_second_render() {
        use crate::template::clock::{ClockReading, FixedClock, ShiftedClock};
        let mut set = TemplateSet::new();
        set.add("t", "{{ dateInZone \"2006-01-02T15:04:05Z07:00\" now \"UTC\" }} {{ randAlphaNum 12 }}").unwrap();
        let base = FixedClock::at_unix_seconds(1_700_000_000);
        set.set_clock(Rc::new(base));
        set.set_random_seed(7);
        let first = render(&set, "t", &Value::Nil);
        assert!(first.nondeterministic);
        assert!(first.text.starts_with("2023-11-14T22:13:20Z "), "{}", first.text);
        assert_eq!(render(&set, "t", &Value::Nil), first, "same hooks, same output");
        let ten_years = std::time::Duration::from_secs(10 * 365 * 86_400);
        set.set_clock(Rc::new(ShiftedClock::new(base, ten_years, false)));
        set.set_random_seed(8);
        let second = render(&set, "t", &Value::Nil);
        assert!(second.text.starts_with("2033-11-11T22:13:20Z "), "{}", second.text);
        assert_ne!(first.text[21..], second.text[21..], "another seed draws other characters");

        set.set_clock(Rc::new(FixedClock(ClockReading { unix_nanos: 5_000_000_001, monotonic_nanos: 42_000_000_123 })));
        set.add("now", "{{ dateInZone \"05.000000000\" now \"UTC\" }} {{ now | toString | len | lt 20 }}").unwrap();
        assert_eq!(render(&set, "now", &Value::Nil).text, "05.000000001 true");
        set.add("mono", "{{ (now).UTC }}|{{ now | dateModify \"1s\" | toString | splitList \" m=\" | last }}").unwrap();
        assert_eq!(render(&set, "mono", &Value::Nil).text, "1970-01-01 00:00:05.000000001 +0000 UTC|+43.000000123");
    }

    #[test]
    fn date_functions_that_do_not_read_the_clock_are_deterministic() {
        let pure = one(
            "{{ toDate \"2006-01-02\" \"2024-03-05\" | dateModify \"1h\" | date \"15:04\" }} {{ duration \"95\" }} \
             {{ dateInZone \"2006\" 0 \"UTC\" }} {{ durationRound \"26h\" }}",
        );
        assert_eq!(pure.text, "01:00 1m35s 1970 1d");
        assert!(!pure.nondeterministic);
        assert!(one("{{ date \"2006\" 1.5 }}").nondeterministic, "a float is not an epoch: Sprig reads the clock");
        assert!(one("{{ ago 0 }}").nondeterministic);
    }

    #[test]
    fn dsa_keys_fail_with_a_clear_message() {
        let mut set = TemplateSet::new();
        set.add("t", "{{ genPrivateKey \"dsa\" }}").expect("parses like Helm");
        let error = set.execute("t", &Value::Nil).expect_err("not implemented").to_string();
        assert!(error.contains("error calling genPrivateKey: DSA keys are not supported"), "{error}");
        assert_eq!(one("{{ genPrivateKey \"x\" }}").text, "Unknown type x");
    }

    #[derive(Debug)]
    struct Files(BTreeMap<String, String>);

    impl HostObject for Files {
        fn go_type(&self) -> String {
            "chart.Files".to_string()
        }
        fn go_kind(&self) -> &'static str {
            "map"
        }
        fn field(&self, _: &str) -> Option<Value> {
            None
        }
        fn has_method(&self, name: &str) -> bool {
            name == "Get"
        }
        fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
            (name == "Get").then(|| match args {
                [Value::String(path)] => Ok(Value::str(self.0.get(&**path).cloned().unwrap_or_default())),
                _ => Err("Get takes one string".to_string()),
            })
        }
        fn format(&self) -> String {
            "map[]".to_string()
        }
    }

    #[derive(Debug)]
    struct Chart;

    impl HostObject for Chart {
        fn go_type(&self) -> String {
            "*chart.Metadata".to_string()
        }
        fn field(&self, name: &str) -> Option<Value> {
            (name == "Name").then(|| Value::str("web"))
        }
        fn has_method(&self, _: &str) -> bool {
            false
        }
        fn call_method(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
            None
        }
        fn format(&self) -> String {
            "&{web}".to_string()
        }
        fn to_json(&self) -> Option<serde_json::Value> {
            Some(serde_json::json!({"name": "web", "apiVersion": "v2", "IsRoot": true}))
        }
    }

    fn host_data() -> Value {
        let files = Files([("a.conf".to_string(), "x=1".to_string())].into_iter().collect());
        let mut top = BTreeMap::new();
        top.insert("Files".to_string(), Value::Object(Rc::new(files)));
        top.insert("Chart".to_string(), Value::Object(Rc::new(Chart)));
        Value::helm_values(top)
    }

    #[test]
    fn host_objects_expose_fields_and_methods() {
        let mut set = TemplateSet::new();
        set.add("t", "{{ .Files.Get \"a.conf\" | upper }} {{ .Chart.Name }} {{ typeOf .Chart }}").unwrap();
        assert_eq!(render(&set, "t", &host_data()).text, "X=1 web *chart.Metadata");
        set.add("bad", "{{ .Chart.Version }}").unwrap();
        let error = set.execute("bad", &host_data()).expect_err("no such field").to_string();
        assert!(error.ends_with("can't evaluate field Version in type interface {}"), "{error}");
        set.add("args", "{{ .Files.Get 1 2 }}").unwrap();
        let error = set.execute("args", &host_data()).expect_err("bad arguments").to_string();
        assert!(error.ends_with("error calling Get: Get takes one string"), "{error}");
    }

    #[test]
    fn host_objects_marshal_with_their_own_json_form() {
        let mut set = TemplateSet::new();
        set.add("t", "{{ toJson .Chart }}|{{ toYaml .Chart }}|{{ toJson .Files }}").unwrap();
        assert_eq!(
            render(&set, "t", &host_data()).text,
            "{\"name\":\"web\",\"apiVersion\":\"v2\",\"IsRoot\":true}|IsRoot: true\napiVersion: v2\nname: web|\"map[]\""
        );
        set.add("pretty", "{{ toPrettyJson (list .Chart) }}").unwrap();
        assert_eq!(
            render(&set, "pretty", &host_data()).text,
            "[\n  {\n    \"name\": \"web\",\n    \"apiVersion\": \"v2\",\n    \"IsRoot\": true\n  }\n]"
        );
    }

    struct FixedLookup;

    impl Lookup for FixedLookup {
        fn lookup(&self, _: &str, kind: &str, _: &str, name: &str) -> Result<serde_json::Value, String> {
            Ok(serde_json::json!({"kind": kind, "metadata": {"name": name}, "spec": {"replicas": 3}}))
        }
    }

    #[test]
    fn lookup_answers_come_from_the_hook() {
        let mut set = TemplateSet::new();
        set.add("offline", "{{ lookup \"v1\" \"ConfigMap\" \"ns\" \"cfg\" | len }}").unwrap();
        assert_eq!(render(&set, "offline", &Value::Nil).text, "0");
        set.add("t", "{{ $o := lookup \"v1\" \"ConfigMap\" \"ns\" \"cfg\" }}{{ $o.metadata.name }} {{ typeOf $o.spec.replicas }}")
            .unwrap();
        set.set_lookup(Rc::new(FixedLookup));
        assert_eq!(render(&set, "t", &Value::Nil).text, "cfg int64");
    }

    #[test]
    fn defines_are_shared_across_files_and_later_ones_win() {
        let mut set = TemplateSet::new();
        set.add("chart/templates/_a.tpl", "{{ define \"x\" }}first{{ end }}{{ define \"y\" }}kept{{ end }}").unwrap();
        set.add("chart/templates/_b.tpl", "{{ define \"x\" }}second{{ end }}{{ define \"y\" }}{{ end }}").unwrap();
        set.add("chart/templates/cm.yaml", "{{ include \"x\" . }} {{ template \"y\" }}").unwrap();
        assert_eq!(render(&set, "chart/templates/cm.yaml", &Value::Nil).text, "second kept");
        assert!(set.contains("x") && set.names().contains(&"chart/templates/cm.yaml"));
        let error = set.execute("nope", &Value::Nil).expect_err("missing").to_string();
        assert!(error.contains("no template \"nope\""), "{error}");
    }
}

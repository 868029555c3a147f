//! A set of named templates, as Helm builds one per chart: every file is
//! added under its path, `define`d templates are shared by all files, and
//! any template can be executed with a data value. This is the engine's
//! entry point; it must not know about charts, values files or releases.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::List;
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

/// Templates by name, with the `lookup` hook they run with.
#[derive(Clone)]
pub struct TemplateSet {
    templates: HashMap<String, Rc<Template>>,
    root_name: String,
    lookup: Rc<dyn Lookup>,
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
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Use `lookup` to answer the `lookup` function.
    pub fn set_lookup(&mut self, lookup: Rc<dyn Lookup>) {
        self.lookup = lookup;
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
}

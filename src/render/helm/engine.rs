//! Executing a chart's templates as Helm's engine does: every template of
//! the chart and its enabled subcharts goes into one template set (deepest
//! paths first, so a parent's `define` wins over a subchart's), each chart
//! gets its own `.Values`, `.Chart`, `.Files` and `.Subcharts`, and every
//! non-partial file is executed with `.Template` set to it.
//!
//! This module must not split, sort or print the output (see `manifests`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::chart::Chart;
use super::chart_object::chart_object;
use super::error::HelmError;
use super::objects::{Capabilities, Files};
use crate::template::{Clock, ElemType, Lookup, MapRef, TemplateSet, Value};

/// What every chart's templates share: the release and the cluster.
pub struct RenderContext {
    /// `.Release`.
    pub release: Value,
    /// `.Capabilities`.
    pub capabilities: Capabilities,
    /// Answers `lookup`.
    pub lookup: Rc<dyn Lookup>,
    /// Where `now` reads the time (`None`: the system clock).
    pub clock: Option<Rc<dyn Clock>>,
}

struct Renderable {
    text: String,
    /// The chart's data, one map for all its templates and its `.Subcharts`
    /// entry, as in Helm: `.Template` and whatever a template `set`s on `.`
    /// stay visible to the templates rendered after it.
    data: MapRef,
    base_path: String,
}

/// Every non-partial template of a chart, rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderedTemplates {
    /// (file path, rendered text), in Helm's execution order.
    pub files: Vec<(String, String)>,
    /// Whether any template called a nondeterministic function (`now`, `rand*`…).
    pub nondeterministic: bool,
}

/// Renders every template of `chart` with the coalesced `values`, in Helm's
/// execution order. The first failure is returned with Helm's message.
pub fn render_templates(
    chart: &Chart,
    values: &Value,
    context: &RenderContext,
) -> Result<RenderedTemplates, HelmError> {
    let mut templates = BTreeMap::new();
    collect_templates(chart, chart.metadata.name.clone(), true, values.clone(), context, &mut templates);
    let mut names: Vec<&String> = templates.keys().collect();
    // Helm's sortTemplates: deeper paths first, then reverse lexical order.
    names.sort_by(|a, b| (b.matches('/').count(), b.as_str()).cmp(&(a.matches('/').count(), a.as_str())));
    let mut set = TemplateSet::new();
    set.set_lookup(context.lookup.clone());
    if let Some(clock) = &context.clock {
        set.set_clock(clock.clone());
    }
    for name in &names {
        set.add(name, &templates[*name].text).map_err(|e| HelmError::Template { message: e.helm_message() })?;
    }
    let mut rendered = RenderedTemplates::default();
    for name in names {
        if name.rsplit('/').next().is_some_and(|base| base.starts_with('_')) {
            continue;
        }
        let renderable = &templates[name];
        let mut template = BTreeMap::new();
        template.insert("Name".to_string(), Value::str(name.as_str()));
        template.insert("BasePath".to_string(), Value::str(renderable.base_path.as_str()));
        renderable.data.borrow_mut().insert("Template".to_string(), Value::helm_values(template));
        let output = set
            .execute(name, &Value::Map(renderable.data.clone(), ElemType::HelmValues))
            .map_err(|e| HelmError::Template { message: e.helm_message() })?;
        rendered.nondeterministic |= output.nondeterministic;
        rendered.files.push((name.clone(), output.text));
    }
    Ok(rendered)
}

/// Helm's `recAllTpls`: the data each chart's templates see, and its templates by full path.
fn collect_templates(
    chart: &Chart,
    full_path: String,
    is_root: bool,
    values: Value,
    context: &RenderContext,
    templates: &mut BTreeMap<String, Renderable>,
) -> Value {
    let mut subcharts = BTreeMap::new();
    for subchart in &chart.dependencies {
        let name = subchart.metadata.name.clone();
        let sub_values = match &values {
            Value::Map(map, _) => match map.borrow().get(&name) {
                Some(found @ Value::Map(..)) => found.clone(),
                _ => Value::map(BTreeMap::new()),
            },
            _ => Value::map(BTreeMap::new()),
        };
        let sub_path = format!("{full_path}/charts/{name}");
        let sub_data = collect_templates(subchart, sub_path, false, sub_values, context, templates);
        subcharts.insert(name, sub_data);
    }
    let mut data = BTreeMap::new();
    data.insert("Chart".to_string(), chart_object(&chart.metadata, is_root));
    data.insert("Files".to_string(), Value::Object(Rc::new(Files::new(&chart.files))));
    data.insert("Release".to_string(), context.release.clone());
    data.insert("Capabilities".to_string(), Value::Object(Rc::new(context.capabilities.clone())));
    // Helm's `Values.Table` hands each chart its part of the values as the
    // named type `chartutil.Values`, sharing the map with the parent's values.
    let values = match values {
        Value::Map(map, _) => Value::Map(map, ElemType::HelmValues),
        other => other,
    };
    data.insert("Values".to_string(), values);
    data.insert("Subcharts".to_string(), Value::map(subcharts));
    let data: MapRef = Rc::new(RefCell::new(data));
    for template in &chart.templates {
        let base = template.name.rsplit('/').next().unwrap_or(&template.name);
        if chart.is_library() && !base.starts_with('_') {
            continue;
        }
        templates.insert(
            format!("{full_path}/{}", template.name),
            Renderable {
                text: String::from_utf8_lossy(&template.data).into_owned(),
                data: data.clone(),
                base_path: format!("{full_path}/templates"),
            },
        );
    }
    Value::Map(data, ElemType::Any)
}

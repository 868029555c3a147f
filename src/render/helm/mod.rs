//! Helm chart rendering: what `helm template` prints for a chart directory
//! or packaged chart, byte for byte, and the objects `driftctl check`
//! compares.
//!
//! The steps follow Helm's install action: load the chart ([`loader`]),
//! check its dependencies are present and select the enabled ones
//! ([`dependencies`]), combine values ([`values`], [`strvals`]) and check
//! them against `values.schema.json` ([`schema`]), execute the
//! templates ([`engine`]) with the built-in objects ([`objects`]), and split
//! and order the documents ([`manifests`]).
//!
//! This module must not talk to a cluster (a `lookup` hook may be passed in)
//! nor fetch charts from repositories.

mod archive;
pub mod chart;
mod chart_object;
mod constraint;
pub mod dependencies;
pub mod engine;
pub mod error;
mod go_messages;
mod ignore;
mod json_schema;
pub mod loader;
pub mod manifests;
pub mod objects;
mod pattern;
pub mod schema;
mod schema_format;
pub mod strvals;
pub mod values;

use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use error::HelmError;
pub use manifests::Manifest;

use crate::template::{Clock, Lookup, OfflineLookup};
use engine::RenderContext;
use values::Values;

/// What `helm template` is told: release, values sources and cluster facts.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// `.Release.Name` (`helm template`'s default is `release-name`).
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `-f/--values` files, in order.
    pub value_files: Vec<PathBuf>,
    /// `--set-json` flags, applied after the files.
    pub set_json: Vec<String>,
    /// `--set` flags, applied after `--set-json`.
    pub set: Vec<String>,
    /// `--set-string` flags, applied after `--set`.
    pub set_string: Vec<String>,
    /// `--set-file` flags (`key=path`), applied after `--set-string`.
    pub set_file: Vec<String>,
    /// `--set-literal` flags, applied last: the text after the first `=` is
    /// the value, verbatim (no escapes, no `,` splitting, never typed).
    pub set_literal: Vec<String>,
    /// Print CRDs from `crds/` directories first.
    pub include_crds: bool,
    /// Print hooks after the manifests.
    pub include_hooks: bool,
    /// Leave test hooks out of the hooks printed (`--skip-tests`).
    pub skip_tests: bool,
    /// Kubernetes version for `.Capabilities` and `kubeVersion` (default [`objects::DEFAULT_KUBE_VERSION`]).
    pub kube_version: Option<String>,
    /// What a live cluster's discovery lists (`group/version` and
    /// `group/version/Kind`): replaces Helm's default `.Capabilities.APIVersions`,
    /// as `helm install` does. `None`: `helm template`'s default list.
    pub discovered_api_versions: Option<Vec<String>>,
    /// API versions added to `.Capabilities.APIVersions` (`--api-versions`).
    pub api_versions: Vec<String>,
    /// Where the templates' `now` reads the time (`None`: the system clock).
    pub clock: Option<Rc<dyn Clock>>,
    /// What the chart's files may resolve to through symlinks (`None`: the chart itself).
    pub boundary: Option<crate::source::SourceRoot>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".to_string(),
            namespace: "default".to_string(),
            value_files: Vec::new(),
            set_json: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            set_file: Vec::new(),
            set_literal: Vec::new(),
            include_crds: false,
            include_hooks: false,
            skip_tests: false,
            kube_version: None,
            discovered_api_versions: None,
            api_versions: Vec::new(),
            clock: None,
            boundary: None,
        }
    }
}

/// A rendered chart, documents in the order `helm template` prints them.
#[derive(Debug, Clone, Default)]
pub struct RenderedChart {
    /// Documents of `crds/` directories (root chart first), when asked for.
    pub crds: Vec<Manifest>,
    /// Ordinary manifests, in Helm's install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, when asked for.
    pub hooks: Vec<Manifest>,
    /// Whether a template called a nondeterministic function (`now`, `rand*`,
    /// `uuidv4`…): another render may print other values.
    pub nondeterministic: bool,
}

impl RenderedChart {
    /// The text `helm template` prints.
    pub fn to_helm_output(&self) -> String {
        manifests::format_output(&self.crds, &self.manifests, &self.hooks)
    }
}

/// Renders the chart at `path` (directory or `.tgz`) as `helm template` does, offline.
pub fn render_chart(path: &Path, options: &RenderOptions) -> Result<RenderedChart, HelmError> {
    render_chart_with_lookup(path, options, Rc::new(OfflineLookup))
}

/// [`render_chart`] with `lookup` answered by `lookup` (a read-only cluster view).
pub fn render_chart_with_lookup(
    path: &Path,
    options: &RenderOptions,
    lookup: Rc<dyn Lookup>,
) -> Result<RenderedChart, HelmError> {
    validate_release_name(&options.release_name)?;
    let boundary = options.boundary.clone().unwrap_or_else(|| crate::source::SourceRoot::new_or_lexical(path));
    let mut chart = loader::load_chart(path, &boundary)?;
    if chart.is_library() {
        return Err(HelmError::InvalidChart { message: "library charts are not installable".to_string() });
    }
    dependencies::check_dependencies(&chart)?;
    let user = user_values(options)?;
    dependencies::process_dependencies(&mut chart, &user)?;
    // Helm reads an empty --kube-version as not given.
    let kube_version =
        options.kube_version.as_deref().filter(|v| !v.is_empty()).unwrap_or(objects::DEFAULT_KUBE_VERSION);
    let capabilities =
        objects::Capabilities::new(kube_version, options.discovered_api_versions.as_deref(), &options.api_versions)
            .map_err(|message| HelmError::Values { message })?;
    let coalesced = values::coalesce(&chart, user).map_err(|message| HelmError::Values { message })?;
    schema::validate_values(&chart, &coalesced)?;
    if !chart.metadata.kube_version.is_empty()
        && !constraint::is_compatible_range(&chart.metadata.kube_version, capabilities.kube_version())
    {
        return Err(HelmError::KubeVersion {
            constraint: chart.metadata.kube_version.clone(),
            version: capabilities.kube_version().to_string(),
        });
    }
    let context = RenderContext {
        // Helm reads an empty --namespace as not given.
        release: objects::release(
            &options.release_name,
            if options.namespace.is_empty() { "default" } else { &options.namespace },
        ),
        capabilities,
        lookup,
        clock: options.clock.clone(),
    };
    let template_values = values::to_template_value(&serde_json::Value::Object(coalesced));
    let rendered = engine::render_templates(&chart, &template_values, &context)?;
    let files: Vec<(String, String)> =
        rendered.files.into_iter().filter(|(name, _)| !name.ends_with("NOTES.txt")).collect();
    let (manifests, hooks) = manifests::sort_manifests(&files)?;
    let crds = if options.include_crds { crd_manifests(&chart, &chart.metadata.name) } else { Vec::new() };
    Ok(RenderedChart {
        crds,
        manifests,
        hooks: if options.include_hooks {
            hooks.into_iter().filter(|h| !(options.skip_tests && h.is_test_hook)).collect()
        } else {
            Vec::new()
        },
        nondeterministic: rendered.nondeterministic,
    })
}

/// The files of `crds/` of the chart and its enabled subcharts, printed as they are.
fn crd_manifests(chart: &Chart, full_path: &str) -> Vec<Manifest> {
    let mut out: Vec<Manifest> = chart
        .crd_files()
        .map(|file| Manifest {
            source: format!("{full_path}/{}", file.name),
            content: String::from_utf8_lossy(&file.data).into_owned(),
            line: 1,
            kind: "CustomResourceDefinition".to_string(),
            is_hook: false,
            is_test_hook: false,
        })
        .collect();
    for subchart in &chart.dependencies {
        out.extend(crd_manifests(subchart, &format!("{full_path}/charts/{}", subchart.metadata.name)));
    }
    out
}

use chart::Chart;

/// Helm's `ValidateReleaseName`: a DNS subdomain of at most 53 characters.
fn validate_release_name(name: &str) -> Result<(), HelmError> {
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    };
    if name.is_empty() || name.len() > 53 || !name.split('.').all(label_ok) {
        return Err(HelmError::ReleaseName { name: name.to_string() });
    }
    Ok(())
}

/// The user's values in Helm's order: `-f` files merged in order, then
/// `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal`
/// (Helm's `values.Options.MergeValues`).
fn user_values(options: &RenderOptions) -> Result<Values, HelmError> {
    let mut merged = Values::new();
    for file in &options.value_files {
        let text = std::fs::read_to_string(file).map_err(|e| HelmError::Values {
            message: format!("open {}: {}", file.display(), go_messages::go_io_message(&e)),
        })?;
        let values = chart::read_values(&text).map_err(|message| HelmError::Values {
            message: format!("failed to parse {}: {message}", file.display()),
        })?;
        merged = values::merge_maps(merged, values);
    }
    let flags = [
        (&options.set_json, strvals::ValueKind::Json),
        (&options.set, strvals::ValueKind::Typed),
        (&options.set_string, strvals::ValueKind::String),
        (&options.set_file, strvals::ValueKind::File),
        (&options.set_literal, strvals::ValueKind::Literal),
    ];
    for (texts, kind) in flags {
        for text in texts {
            strvals::parse_into(text, &mut merged, kind).map_err(|message| HelmError::Values { message })?;
        }
    }
    Ok(merged)
}

//! render: turn discovered units into desired manifests — helm/, kustomize/, plain.
//!
//! Each renderer takes a unit found on disk and returns the objects it declares, in the
//! order and form the real tool would print them. Renderers never talk to a cluster.

pub mod helm;
pub mod kustomize;
mod lookup_secrets;
mod nondeterminism;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use crate::discover::RenderUnit;
use crate::object::{DesiredObject, Manifest, Origin, Unit};
use crate::template::{Lookup, OfflineLookup, ShiftedClock, SystemClock};

/// How far the clock moves for the second render of a nondeterministic chart:
/// 3 years, 7 days, 5 hours, 3 minutes and 1 second, so every field of a date changes.
const SHIFT_FOR_SECOND_RENDER: u64 = ((3 * 365 + 7) * 24 * 3600) + 5 * 3600 + 3 * 60 + 1;

/// The cluster a render is for: what Helm's `.Capabilities` and `lookup`
/// see. [`RenderTarget::offline`] is `helm template`'s view; `check` against
/// a cluster passes what the cluster's discovery says and a read-only lookup.
#[derive(Clone)]
pub struct RenderTarget {
    /// The namespace the source is deployed to: charts' `.Release.Namespace`.
    pub namespace: String,
    /// `.Capabilities.KubeVersion` (`None`: Helm's default).
    pub kube_version: Option<String>,
    /// `.Capabilities.APIVersions` as discovery lists them (`None`: Helm's default list).
    pub api_versions: Option<Vec<String>>,
    /// Answers `lookup`.
    pub lookup: Rc<dyn Lookup>,
}

impl RenderTarget {
    /// No cluster: `helm template`'s defaults, and `lookup` finds nothing.
    pub fn offline(namespace: &str) -> Self {
        RenderTarget {
            namespace: namespace.to_string(),
            kube_version: None,
            api_versions: None,
            lookup: Rc::new(OfflineLookup),
        }
    }
}

/// A unit of the source that does not render.
#[derive(Debug, thiserror::Error)]
#[error("{unit}")]
pub struct RenderError {
    /// The unit (`chart/apps/web`, `kustomize/prod`).
    pub unit: Unit,
    /// Why (boxed: a Helm or kustomize error is large, and errors travel by value).
    #[source]
    pub cause: Box<RenderCause>,
}

impl RenderError {
    fn new(unit: Unit, cause: RenderCause) -> Self {
        RenderError { unit, cause: Box::new(cause) }
    }
}

/// Why a unit does not render.
#[derive(Debug, thiserror::Error)]
pub enum RenderCause {
    /// The kustomization does not build.
    #[error(transparent)]
    Kustomize(#[from] kustomize::KustomizeError),
    /// The chart does not render.
    #[error(transparent)]
    Helm(#[from] helm::HelmError),
    /// The rendered text is not YAML a cluster would take.
    #[error("{file}")]
    Output {
        /// The rendered file.
        file: String,
        /// The YAML error.
        #[source]
        source: crate::yaml::YamlError,
    },
    /// The unit is not one that renders from a directory.
    #[error("this unit cannot be rendered from a source directory")]
    NotRenderable,
}

/// Renders the overlays and charts a source holds into desired objects; what
/// cannot be rendered is returned as a problem naming the unit. An overlay
/// that another overlay of the source includes (as a resource or component)
/// is rendered only as part of it, as `kubectl apply -k` of the top one would.
pub fn render_units(units: &[RenderUnit], target: &RenderTarget) -> (Vec<DesiredObject>, Vec<RenderError>) {
    let included = included_overlays(units);
    let mut objects = Vec::new();
    let mut problems = Vec::new();
    for unit in units {
        match &unit.unit {
            Unit::Kustomize { path } => {
                if included.contains(&canonical(&unit.dir)) {
                    continue;
                }
                match render_overlay(unit, path) {
                    Ok(rendered) => objects.extend(rendered),
                    Err(problem) => problems.push(problem),
                }
            }
            Unit::Chart { path } => match render_chart(unit, path, target) {
                Ok(rendered) => objects.extend(rendered),
                Err(problem) => problems.push(problem),
            },
            other => problems.push(RenderError::new(other.clone(), RenderCause::NotRenderable)),
        }
    }
    (objects, problems)
}

/// Builds one overlay and reads its output as `kubectl apply -k` would (YAML 1.1). Each
/// object points to the resource file and line it came from (generated objects to the
/// kustomization file that declares them), from the source root.
fn render_overlay(unit: &RenderUnit, path: &str) -> Result<Vec<DesiredObject>, RenderError> {
    let failed = |cause: RenderCause| RenderError::new(Unit::Kustomize { path: path.to_string() }, cause);
    let built = kustomize::build(&unit.dir, &unit.boundary).map_err(|e| failed(e.into()))?;
    let printed: Vec<_> = built.iter().map(|b| b.object.clone()).collect();
    let text = kustomize::print(&printed);
    let output = Origin::path_in_source(path, "kustomization.yaml");
    let documents = crate::yaml::parse_documents(&text)
        .map_err(|source| failed(RenderCause::Output { file: format!("{output} (output)"), source }))?;
    // One printed document per built object, in the same order.
    Ok(documents
        .into_iter()
        .zip(&built)
        .filter(|(d, _)| d.value.is_object())
        .map(|(d, built)| {
            let unit = Unit::Kustomize { path: path.to_string() };
            let origin = Origin { file: Origin::path_in_source(path, &built.file), line: built.line, unit };
            DesiredObject::new(Manifest(d.value), origin)
        })
        .collect())
}

/// Renders a chart found in a source as `helm install` would apply it: the
/// release is named after the chart directory ([`release_name_for`]), in the
/// target's namespace, with
/// the chart's default values and the CRDs of its `crds/` directories;
/// hooks are left out, as Helm does not keep them in the release. When a
/// template called a nondeterministic function, the chart is rendered a
/// second time to find the fields that vary.
fn render_chart(unit: &RenderUnit, path: &str, target: &RenderTarget) -> Result<Vec<DesiredObject>, RenderError> {
    let failed = |cause: RenderCause| RenderError::new(Unit::Chart { path: path.to_string() }, cause);
    let dir = &unit.dir;
    let directory = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    let options = helm::RenderOptions {
        release_name: release_name_for(directory.as_deref().unwrap_or_default()),
        namespace: target.namespace.clone(),
        include_crds: true,
        kube_version: target.kube_version.clone(),
        discovered_api_versions: target.api_versions.clone(),
        boundary: Some(unit.boundary.clone()),
        ..helm::RenderOptions::default()
    };
    // Values the chart reads from the cluster's Secrets are secret in whatever object it puts them.
    let lookup = Rc::new(lookup_secrets::RecordingLookup::new(target.lookup.clone()));
    let render = |options: &helm::RenderOptions| {
        let rendered = helm::render_chart_with_lookup(dir, options, lookup.clone()).map_err(|e| failed(e.into()))?;
        let objects = chart_objects(&rendered, path).map_err(failed)?;
        Ok::<_, RenderError>((objects, rendered.nondeterministic))
    };
    let (mut objects, nondeterministic) = render(&options)?;
    lookup_secrets::mark_secret_fields(&mut objects, &lookup.secret_values());
    if nondeterministic {
        // Years later, with other random numbers: whatever depends on either differs.
        let later = ShiftedClock::new(SystemClock, Duration::from_secs(SHIFT_FOR_SECOND_RENDER), false);
        let (again, _) = render(&helm::RenderOptions { clock: Some(Rc::new(later)), ..options })?;
        nondeterminism::mark_varying_fields(&mut objects, &again);
    }
    Ok(objects)
}

/// The objects of a rendered chart, each with its template file (from the source root) as
/// origin, and the line of its document in the template's rendered output (a template has
/// no line for an object before it runs; for a `crds/` file it is the file's line).
fn chart_objects(rendered: &helm::RenderedChart, path: &str) -> Result<Vec<DesiredObject>, RenderCause> {
    let mut objects = Vec::new();
    for manifest in rendered.crds.iter().chain(&rendered.manifests) {
        let documents = crate::yaml::parse_documents(&manifest.content)
            .map_err(|source| RenderCause::Output { file: manifest.source.clone(), source })?;
        // Helm names a template `CHART/templates/x.yaml` after the chart's name, not its directory.
        let in_chart = manifest.source.split_once('/').map_or(manifest.source.as_str(), |(_, rest)| rest);
        let file = Origin::path_in_source(path, in_chart);
        objects.extend(documents.into_iter().filter(|d| d.value.is_object()).map(|d| {
            let unit = Unit::Chart { path: path.to_string() };
            let line = manifest.line + d.line - 1;
            DesiredObject::new(Manifest(d.value), Origin { file: file.clone(), line, unit })
        }));
    }
    Ok(objects)
}

/// A valid Helm release name from a directory name: lowercased, other
/// characters than letters, digits, `-` and `.` turned into `-`, at most 53
/// characters (`release-name`, Helm's default, when nothing is left).
fn release_name_for(directory: &str) -> String {
    let mapped: String = directory
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' { c } else { '-' })
        .take(53)
        .collect();
    let trimmed = mapped.trim_matches(|c| c == '-' || c == '.');
    if trimmed.is_empty() { "release-name".to_string() } else { trimmed.to_string() }
}

/// Directories that some overlay of `units` names in `resources`, `bases` or `components`.
fn included_overlays(units: &[RenderUnit]) -> HashSet<PathBuf> {
    let mut included = HashSet::new();
    for unit in units.iter().filter(|u| matches!(u.unit, Unit::Kustomize { .. })) {
        let Ok(loader) = kustomize::Loader::for_directory(&unit.dir, &unit.boundary) else { continue };
        let Ok(text) = loader.read_kustomization() else { continue };
        let Ok(kustomization) = kustomize::kustomization::Kustomization::parse(&text, &loader.kustomization_path)
        else {
            continue;
        };
        let entries = kustomization.resources.iter().chain(&kustomization.bases).chain(&kustomization.components);
        included.extend(entries.map(|e| unit.dir.join(e)).filter(|p| p.is_dir()).map(|p| canonical(&p)));
    }
    included
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_in_a_source_render_with_their_template_file_as_origin() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("apps/web/Chart.yaml", "apiVersion: v2\nname: webchart\nversion: 1.0.0\n");
        write("apps/web/values.yaml", "port: 8080\n");
        write(
            "apps/web/templates/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports: [{port: {{ .Values.port }}}]\n",
        );
        let found = crate::discover::discover(dir.path(), &crate::source::SourceRoot::new(dir.path()).unwrap());
        let (objects, problems) = render_units(&found.units, &RenderTarget::offline("default"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(objects.len(), 1);
        let service = &objects[0];
        assert_eq!(service.manifest.name(), "web", "the release is named after the chart directory");
        assert_eq!(service.manifest.0["spec"]["ports"][0]["port"], serde_json::json!(8080));
        assert_eq!(service.origin.file, "apps/web/templates/svc.yaml", "from the source root, not the chart's name");
        assert_eq!(service.origin.line, 1);
        assert_eq!(service.origin.unit.to_string(), "chart/apps/web");
    }

    #[test]
    fn fields_a_random_function_renders_are_marked_nondeterministic() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
        write(
            "app/templates/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  user: admin\n  password: {{ randAlphaNum 24 }}\n",
        );
        write("app/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n");
        write(
            "app/templates/stamp.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stamp\n  annotations:\n    deployed: {{ now | date \"2006-01-02\" | quote }}\ndata:\n  a: b\n",
        );
        let found = crate::discover::discover(dir.path(), &crate::source::SourceRoot::new(dir.path()).unwrap());
        let (objects, problems) = render_units(&found.units, &RenderTarget::offline("default"));
        assert!(problems.is_empty(), "{problems:?}");
        let secret = objects.iter().find(|o| o.manifest.kind() == "Secret").unwrap();
        let marked: Vec<String> = secret.nondeterministic.iter().map(ToString::to_string).collect();
        assert_eq!(marked, ["/stringData/password"]);
        let config = objects.iter().find(|o| o.manifest.name() == "plain").unwrap();
        assert!(config.nondeterministic.is_empty(), "a chart's deterministic objects stay unmarked");
        let stamp = objects.iter().find(|o| o.manifest.name() == "stamp").unwrap();
        let marked: Vec<String> = stamp.nondeterministic.iter().map(ToString::to_string).collect();
        assert_eq!(marked, ["/metadata/annotations/deployed"], "fields that depend on the clock vary too");
    }

    #[test]
    fn release_names_from_directories_are_valid_for_helm() {
        assert_eq!(release_name_for("Web_App"), "web-app");
        assert_eq!(release_name_for("__"), "release-name");
        assert_eq!(release_name_for(&"x".repeat(60)).len(), 53);
    }

    #[test]
    fn overlays_render_once_and_bases_only_through_them() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("base/kustomization.yaml", "resources: [cm.yaml]\n");
        write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {on: yes}\n");
        write("prod/kustomization.yaml", "namespace: prod\nnamePrefix: prod-\nresources: [../base]\n");
        let found = crate::discover::discover(dir.path(), &crate::source::SourceRoot::new(dir.path()).unwrap());
        let (objects, problems) = render_units(&found.units, &RenderTarget::offline("default"));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(objects.len(), 1, "the base is rendered only through the overlay");
        let cm = &objects[0];
        assert_eq!((cm.manifest.name(), cm.manifest.namespace()), ("prod-settings", Some("prod")));
        assert_eq!(cm.origin.unit.to_string(), "kustomize/prod");
        assert_eq!((cm.origin.file.as_str(), cm.origin.line), ("base/cm.yaml", 1), "the resource file it came from");
    }
}

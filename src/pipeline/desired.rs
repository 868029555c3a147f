//! The desired state of a source: discover the tree, render its charts and
//! overlays for the session's cluster (or offline, as `helm template` would),
//! and gather every input problem so they are all reported at once.

use std::path::Path;

use super::{Backend, InputProblem, Observer, Session, SessionError, target};
use crate::discover::{self, Discovered};
use crate::object::DesiredSet;
use crate::render::RenderTarget;
use crate::source::SourceRoot;

/// Discovers and renders the session's source (identities not settled yet).
pub(super) fn render_source(session: &Session) -> Result<DesiredSet, SessionError> {
    let namespace = session.default_namespace();
    let target = |units: &[discover::RenderUnit]| match &session.backend {
        Backend::Cluster(connection) => Ok(target::live_target(&session.runtime, connection, namespace, units)?),
        Backend::Snapshot(_) => Ok(RenderTarget::offline(namespace)),
    };
    let source = &session.source;
    render_tree(&source.root, &source.boundary, &source.description, session.observer.as_ref(), target)
}

/// Discovers and renders the tree at `root` (a directory or a single file) as
/// `helm template` and `kubectl kustomize` would, with no cluster: what
/// `driftctl render` prints for a directory of manifests. Nothing outside
/// `root` is read.
pub fn render_offline(root: &Path, namespace: &str, observer: &dyn Observer) -> Result<DesiredSet, SessionError> {
    let boundary = SourceRoot::new_or_lexical(root);
    render_tree(root, &boundary, &root.display().to_string(), observer, |_| Ok(RenderTarget::offline(namespace)))
}

fn render_tree(
    root: &Path,
    boundary: &SourceRoot,
    description: &str,
    observer: &dyn Observer,
    target: impl FnOnce(&[discover::RenderUnit]) -> Result<RenderTarget, SessionError>,
) -> Result<DesiredSet, SessionError> {
    let Discovered { mut objects, units, skipped, errors } = discover::discover(root, boundary);
    for file in &skipped {
        observer.note(&format!("skipped {file}: no Kubernetes objects"));
    }
    let render_target = target(&units)?;
    let mut problems: Vec<InputProblem> = errors.into_iter().map(InputProblem::from).collect();
    let (rendered, render_problems) = crate::render::render_units(&units, &render_target);
    objects.extend(rendered);
    problems.extend(render_problems.into_iter().map(InputProblem::from));
    if !problems.is_empty() {
        return Err(SessionError::Input { source_description: description.to_string(), problems });
    }
    if objects.is_empty() {
        return Err(SessionError::Empty(description.to_string()));
    }
    Ok(DesiredSet { objects, ..Default::default() })
}

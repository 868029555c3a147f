//! `driftctl render PATH`: what a chart (`helm template`), a kustomization
//! (`kubectl kustomize`) or a directory or file of plain manifests renders to,
//! printed without a cluster.

use anyhow::Context;

use super::Outcome;
use super::terminal::{TerminalObserver, write_stdout};
use crate::cli::{Config, RenderArgs, render_api_versions};
use crate::discover::unit_of_directory;
use crate::object::Unit;

/// Runs `driftctl render`.
pub fn render(args: &RenderArgs, config: &Config) -> anyhow::Result<Outcome> {
    let path = &args.path;
    let unit = if path.is_dir() { unit_of_directory(path, String::new()) } else { None };
    let text = match unit {
        // What `kubectl kustomize PATH` prints: each kustomization reads only in or below
        // its own directory, and the bases it names may be anywhere, as the user named PATH.
        Some(Unit::Kustomize { .. }) => {
            let anywhere = crate::source::SourceRoot::new_or_lexical(std::path::Path::new("/"));
            crate::render::kustomize::render(path, &anywhere)?
        }
        Some(Unit::Chart { .. }) => render_chart(args)?,
        _ if is_chart_archive(path) => render_chart(args)?,
        _ => {
            let observer = TerminalObserver::new(config);
            let set = crate::pipeline::render_offline(path, &args.namespace, &observer)?;
            let mut text = String::new();
            for object in &set.objects {
                text.push_str(&format!("---\n# Source: {}\n", object.origin));
                text.push_str(&crate::yaml::marshal_yaml(&object.manifest.0));
            }
            text
        }
    };
    write_stdout(text.as_bytes()).context("writing the rendered manifests to stdout")?;
    Ok(Outcome::Clean)
}

fn render_chart(args: &RenderArgs) -> anyhow::Result<String> {
    let options = crate::render::helm::RenderOptions {
        release_name: args.release_name.clone(),
        namespace: args.namespace.clone(),
        value_files: args.values.clone(),
        set_json: args.set_json.clone(),
        set: args.set.clone(),
        set_string: args.set_string.clone(),
        set_file: args.set_file.clone(),
        set_literal: args.set_literal.clone(),
        include_crds: args.include_crds,
        include_hooks: !args.no_hooks,
        skip_tests: args.skip_tests,
        kube_version: args.kube_version.clone(),
        api_versions: render_api_versions(args)?,
        ..Default::default()
    };
    Ok(crate::render::helm::render_chart(&args.path, &options)?.to_helm_output())
}

/// A packaged chart, as `helm template` takes it.
fn is_chart_archive(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    path.is_file() && (name.ends_with(".tgz") || name.ends_with(".tar.gz"))
}

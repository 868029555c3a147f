//! The edge of the program: resolves the configuration once, drives the
//! stages for the chosen subcommand, and says how the run ended.
//!
//! This is one of the two places (with `cli`) where `anyhow` is used; the
//! stages below return their own typed errors.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::cli::{Args, Command, CompletionsArgs, Config, RenderArgs};

mod check;
mod releases;
mod repair;
mod target;

/// Exit code for errors: bad input, unreachable cluster, partial fix.
pub const EXIT_ERROR: u8 = 2;

/// How a successful run ended; errors are the `Err` side of [`run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Drift was found in a category chosen by `--fail-on`.
    Drift,
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Drift => ExitCode::from(1),
        }
    }
}

/// Runs one invocation of driftctl.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let config = Config::resolve(&args);
    if config.verbose > 0 {
        eprintln!("driftctl {}: color={} output={:?}", env!("CARGO_PKG_VERSION"), config.color, config.output);
    }
    match &args.command {
        Command::Completions(c) => print_completions(c),
        Command::Check(c) => check::check(c, &config),
        Command::Render(r) => render(r),
        Command::Snapshot(s) => check::snapshot(s, &config),
    }
}

/// `--api-versions` occurrences, each split as Helm splits it.
fn read_api_versions(values: &[String]) -> anyhow::Result<Vec<String>> {
    let mut versions = Vec::new();
    for value in values {
        let items = crate::cli::read_csv_flag(value)
            .map_err(|e| anyhow::anyhow!("invalid argument {value:?} for \"-a, --api-versions\" flag: {e}"))?;
        versions.extend(items);
    }
    Ok(versions)
}

fn not_implemented(command: &str) -> anyhow::Result<Outcome> {
    bail!("`driftctl {command}` is not implemented yet in this version")
}

/// `driftctl render PATH`: a kustomization directory prints its build output.
fn render(args: &RenderArgs) -> anyhow::Result<Outcome> {
    if args.path.is_dir() && crate::render::kustomize::is_kustomization_dir(&args.path) {
        let text = crate::render::kustomize::render(&args.path)?;
        std::io::stdout().lock().write_all(text.as_bytes()).context("writing the rendered manifests to stdout")?;
        return Ok(Outcome::Clean);
    }
    if is_chart(&args.path) {
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
            include_hooks: args.include_hooks,
            kube_version: args.kube_version.clone(),
            api_versions: read_api_versions(&args.api_versions)?,
            ..Default::default()
        };
        let rendered = crate::render::helm::render_chart(&args.path, &options)?;
        let text = rendered.to_helm_output();
        std::io::stdout().lock().write_all(text.as_bytes()).context("writing the rendered manifests to stdout")?;
        return Ok(Outcome::Clean);
    }
    not_implemented("render (plain manifests)")
}

/// A chart directory (holding `Chart.yaml`) or a packaged chart.
fn is_chart(path: &std::path::Path) -> bool {
    if path.is_dir() {
        return path.join("Chart.yaml").is_file();
    }
    let name = path.to_string_lossy();
    path.is_file() && (name.ends_with(".tgz") || name.ends_with(".tar.gz"))
}

fn print_completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    crate::cli::write_completions(args.shell, &mut out);
    std::io::stdout().lock().write_all(&out).context("writing the completion script to stdout")?;
    Ok(Outcome::Clean)
}

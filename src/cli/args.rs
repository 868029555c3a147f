//! clap definitions: exactly what the user typed, no interpretation.
//! `Config::resolve` turns this into the settings the program runs with.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Find drift between Git and a Kubernetes cluster, and repair it.
///
/// driftctl renders what Git declares (plain manifests, Helm charts, kustomize
/// overlays, Flux HelmReleases and Kustomizations), reads what the cluster runs
/// and what was last applied, and reports every difference: who changed it, and
/// whether it is drift in the cluster, a pending change in Git, or a conflict.
#[derive(Debug, Parser)]
#[command(name = "driftctl", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Exit codes: 0 nothing to report, 1 drift found, 2 error.\n\
Examples:\n  driftctl check ./clusters/prod\n  driftctl check --live-from examples/snapshot examples/gitops\n  \
driftctl check https://github.com/org/fleet --ref main --path clusters/prod -o json")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,

    /// Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use instead of the current one.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// When to color the output; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Output format of the report.
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub output: OutputFormat,

    /// Say more about what happens (repeat for more detail) on stderr.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare a Git source with the cluster and report drift.
    Check(CheckArgs),
    /// Print the manifests a source renders to (Helm chart, kustomization or plain YAML).
    Render(RenderArgs),
    /// Save the live objects a source touches to a directory, for `check --live-from`.
    Snapshot(SnapshotArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

/// `driftctl check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Local directory or Git URL holding the desired state.
    #[arg(value_name = "SOURCE", default_value = ".")]
    pub source: String,
}

/// `driftctl render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Chart directory, packaged chart (.tgz), kustomization directory or manifest file.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
}

/// `driftctl snapshot`.
#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// Local directory or Git URL holding the desired state.
    #[arg(value_name = "SOURCE", default_value = ".")]
    pub source: String,
}

/// `driftctl completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// Shell to print the completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when writing to a terminal, unless NO_COLOR is set or TERM=dumb.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// `-o/--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Summary table and colored three-way diffs, for people.
    Human,
    /// The DriftReport document (apiVersion driftctl.dev/v1) as JSON.
    Json,
    /// The DriftReport document as YAML.
    Yaml,
}

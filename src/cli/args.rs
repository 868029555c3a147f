//! clap definitions: exactly what the user typed, no interpretation.
//! `Config::resolve` turns this into the settings the program runs with.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diff::FailOn;
use crate::pipeline::DEFAULT_HISTORY_DEPTH;
use crate::report::OutputFormat;

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

    /// Say more about what happens on stderr (the source, skipped files, API requests, the causes of an error).
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

/// Where the desired state comes from: shared by `check` and `snapshot`.
#[derive(Debug, Clone, clap::Args)]
pub struct SourceArgs {
    /// Local directory, or Git URL (https://, ssh://, git@host:path, file://) holding the desired state.
    #[arg(value_name = "SOURCE", default_value = ".")]
    pub source: String,

    /// Branch, tag or commit to read from a Git URL (default: the remote's HEAD).
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,

    /// Subdirectory of the source to audit.
    #[arg(long, value_name = "DIR")]
    pub path: Option<String>,

    /// Private key for ssh Git URLs (the ssh agent and ~/.ssh/id_* are tried too). For https, set DRIFTCTL_GIT_TOKEN.
    #[arg(long, value_name = "FILE", env = "DRIFTCTL_SSH_KEY")]
    pub ssh_key: Option<PathBuf>,

    /// Namespace for namespaced objects that declare none (default: `default`); with --all-releases, the only namespace searched.
    #[arg(short = 'n', long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
}

/// How to reach the cluster: shared by `check` and `snapshot`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Cluster")]
pub struct ClusterArgs {
    /// Kubeconfig file to read (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account).
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use instead of the current one.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// Client-side limit on API requests per second.
    #[arg(long, value_name = "N", default_value_t = 50.0)]
    pub qps: f64,

    /// Requests allowed at once above --qps.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub burst: u32,

    /// How long one API request may wait for the server before the run gives up on it
    /// (as kubectl's flag: 30s, 1m, 500ms; a bare number is seconds; 0 waits forever).
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub request_timeout: String,
}

/// `driftctl check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  driftctl check ./clusters/prod\n  \
driftctl check https://github.com/org/fleet --ref v1.4.0 --path apps -o json\n  \
driftctl check examples/gitops --live-from examples/snapshot\n  \
driftctl check . --ignore 'Deployment:/spec/replicas' --fail-on drift,conflict")]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Output format of the report.
    #[arg(short = 'o', long, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub output: OutputFormat,

    /// When to color the report; `auto` colors only a terminal and honors NO_COLOR and TERM=dumb.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Audit a Helm release straight from the cluster (no Git): live objects vs the release manifest. Repeatable.
    #[arg(long = "release", value_name = "NAMESPACE/NAME", conflicts_with = "live_from")]
    pub releases: Vec<String>,

    /// Audit every Helm release in the cluster (or in -n NAMESPACE).
    #[arg(long, conflicts_with_all = ["releases", "live_from"])]
    pub all_releases: bool,

    /// Audit against a directory of saved live objects (`driftctl snapshot`, or `kubectl get -o yaml` output) instead of a cluster.
    #[arg(long, value_name = "DIR")]
    pub live_from: Option<PathBuf>,

    /// Compare a server-side dry-run apply of Git with the live objects (exact, includes defaulting and webhooks).
    #[arg(long, conflicts_with = "live_from")]
    pub server_side: bool,

    /// Which findings make the exit code 1.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "CATEGORIES",
        default_value = "drift,missing,conflict"
    )]
    pub fail_on: Vec<FailOn>,

    /// How many Git versions of a chart to render, newest first, to show that a Helm release revision came from Git. A revision no searched version renders to (a hand-made `helm upgrade --set`) is drift, not a pending Git change; 0 searches none.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_HISTORY_DEPTH, conflicts_with_all = ["releases", "all_releases", "live_from"])]
    pub history_depth: usize,

    /// Ignore differences at a JSON pointer, for all objects or for a kind: `/spec/replicas`, `Deployment:/spec/replicas`. Repeatable.
    #[arg(long, value_name = "[KIND:]POINTER")]
    pub ignore: Vec<String>,

    /// Configuration file (default: .driftctl.yaml at the source root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Show Secret values instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,

    /// Lines of context around each change in the human diff.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub context_lines: usize,

    #[command(flatten)]
    pub fix: FixArgs,
}

/// `--fix` and its options.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Repair")]
pub struct FixArgs {
    /// Repair drift and missing objects with server-side apply, after showing the plan.
    #[arg(long, conflicts_with = "live_from")]
    pub fix: bool,

    /// With --fix: also repair conflicts (Git wins).
    #[arg(long, requires = "fix")]
    pub fix_conflicts: bool,

    /// With --fix: also apply pending Git changes (normally left to the deployment tool).
    #[arg(long, requires = "fix")]
    pub fix_pending: bool,

    /// With --fix: delete extra objects (never ones annotated driftctl.dev/prune: disabled or kustomize.toolkit.fluxcd.io/prune: disabled).
    #[arg(long, requires = "fix")]
    pub prune: bool,

    /// With --fix: write as this field manager instead of the deployment tool's.
    #[arg(long, value_name = "NAME", requires = "fix")]
    pub field_manager: Option<String>,

    /// With --fix: show the plan (checked by a server-side dry-run) and stop.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,

    /// With --fix: do not ask for confirmation (needed without a terminal).
    #[arg(short = 'y', long, requires = "fix")]
    pub yes: bool,

    /// With --fix: don't record a DriftCorrected Event on repaired objects.
    #[arg(long, requires = "fix")]
    pub no_events: bool,

    /// Lease that keeps two repairs from running at once, as NAMESPACE/NAME.
    #[arg(long, value_name = "NAMESPACE/NAME", default_value = "kube-system/driftctl-fix")]
    pub lock: String,

    /// Seconds to wait for another repair to release the lock.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_timeout: u64,
}

/// `driftctl render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Chart directory, packaged chart (.tgz), kustomization directory or manifest file.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Chart values file (YAML); repeat to layer several, later files win.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,

    /// Set chart values (a.b[0].c=x,d=y), after the values files.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Set chart values as strings, never numbers or booleans.
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,

    /// Set chart values from JSON (a.b={"c":1}).
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,

    /// Set chart values to the contents of files (key=path).
    #[arg(long = "set-file", value_name = "KEY=FILE")]
    pub set_file: Vec<String>,

    /// Set chart values to literal strings: everything after the first = is the value, commas and backslashes included.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,

    /// Release name the chart is rendered for (`.Release.Name`).
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release_name: String,

    /// Release namespace (`.Release.Namespace`).
    #[arg(short = 'n', long, value_name = "NAMESPACE", default_value = "default")]
    pub namespace: String,

    /// Print the chart's CRDs (crds/ directories) first.
    #[arg(long)]
    pub include_crds: bool,

    /// Leave the chart's hooks out (by default they are printed after the manifests, as `helm template` does).
    #[arg(long)]
    pub no_hooks: bool,

    /// Leave the chart's test hooks (helm.sh/hook: test) out.
    #[arg(long)]
    pub skip_tests: bool,

    /// Kubernetes version for .Capabilities and the chart's kubeVersion (default v1.32.0).
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// API versions for .Capabilities.APIVersions (group/version or group/version/Kind), added to the defaults.
    #[arg(short = 'a', long = "api-versions", value_name = "VERSION")]
    pub api_versions: Vec<String>,
}

/// `driftctl snapshot`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Secrets are saved with their data: every file is written readable by its owner only (mode 0600), \
and every directory driftctl creates is 0700, whatever the umask.\n\n\
Example:\n  driftctl snapshot ./clusters/prod --out snapshot/ && driftctl check ./clusters/prod --live-from snapshot/"
)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub cluster: ClusterArgs,

    /// Directory to write the live objects to (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
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

impl SourceArgs {
    /// The namespace for namespaced objects that declare none.
    pub fn default_namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
}

/// `-o`: the report's formats, named and explained by `report` itself.
impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &OutputFormat::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.purpose()))
    }
}

/// `--fail-on`: the finding categories of `diff`.
impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[FailOn::Drift, FailOn::Missing, FailOn::Conflict, FailOn::Pending, FailOn::Extra]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let (name, help) = match self {
            FailOn::Drift => ("drift", "A field changed in the cluster by hand"),
            FailOn::Missing => ("missing", "An object in Git is absent from the cluster"),
            FailOn::Conflict => ("conflict", "Git and the cluster both changed a field, differently"),
            FailOn::Pending => ("pending", "Git changed and was not applied yet"),
            FailOn::Extra => ("extra", "An object is owned by a unit but not in Git"),
        };
        Some(clap::builder::PossibleValue::new(name).help(help))
    }
}

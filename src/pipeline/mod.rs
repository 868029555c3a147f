//! The audit pipeline as a library: one [`Session`] that every command (and
//! any other caller: a watch loop, a test) drives the same way.
//!
//! - [`Session::desired`]: source → discover → render → settled identities
//!   (namespaces set from each kind's scope, fields a CRD prunes dropped), so
//!   an object's identity is final before anything is read from the cluster;
//! - [`Session::live`]: the legs Git is compared with, from a cluster or a snapshot;
//! - [`Session::audit`]: the pure decision ([`crate::diff::audit`]);
//! - [`Session::repair`]: plan → lock → preview → apply → verify, asking a
//!   [`RepairUi`] for the interactive parts.
//!
//! Settings come in already validated ([`Settings`]); nothing here knows the
//! command line, the terminal or the process environment, and nothing here
//! prints: what a person should see goes through an [`Observer`] or a
//! [`RepairUi`].

mod desired;
mod identity;
mod live;
mod project;
mod provenance;
mod releases;
mod repair;
mod target;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use desired::render_offline;
pub use project::{PROJECT_FILE, ProjectConfig, ProjectConfigError};
pub use repair::{LeaseName, Repair, RepairSettings, RepairUi};

use crate::cluster::{ClusterError, ClusterSettings, Connection, Snapshot};
use crate::diff::{Audit, AuditOptions, FailOn, IgnoreError, IgnoreRuleSpec, IgnoreRules, Legs, Mode, Verdict};
use crate::discover::DiscoverError;
use crate::fix::FixError;
use crate::object::{DesiredSet, Provenance};
use crate::render::RenderError;
use crate::source::{GitAuth, Source, SourceError, SourceSpec};

/// What a session audits, and against what: everything the command line
/// decided, already checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the desired state comes from.
    pub desired: DesiredFrom,
    /// Where the live state comes from.
    pub live: LiveFrom,
    /// `-n`: the namespace of namespaced objects that name none (`None`: `default`),
    /// and with `--all-releases` the only namespace searched.
    pub namespace: Option<String>,
    /// Where Git clones and exported trees are cached.
    pub cache_dir: PathBuf,
    /// Credentials for Git sources.
    pub git_auth: GitAuth,
    /// `--config`: the settings file to use instead of `.driftctl.yaml` at the source root.
    pub project_file: Option<PathBuf>,
    /// `--ignore` rules, on top of the settings file's.
    pub ignore: Vec<IgnoreRuleSpec>,
    /// How fields are compared.
    pub mode: Mode,
    /// Which findings make the audit fail.
    pub fail_on: Vec<FailOn>,
    /// `--history-depth`: how many versions of a chart are rendered, newest first,
    /// looking for the one a Helm release revision came from (0: none; every
    /// revision Git does not render to today is then drift).
    pub history_depth: usize,
}

/// `--history-depth`'s default.
pub const DEFAULT_HISTORY_DEPTH: usize = 20;

/// Where the desired state comes from.
#[derive(Debug, Clone)]
pub enum DesiredFrom {
    /// A directory or a Git repository at a ref.
    Source(SourceSpec),
    /// Helm releases, read from their storage in the cluster (no Git).
    Releases(ReleaseSelection),
}

/// Which Helm releases `check --release` / `--all-releases` audits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseSelection {
    /// These releases, as (namespace, name).
    Named(Vec<(String, String)>),
    /// Every release (in the settings' namespace, when one is given).
    All,
}

/// Where the live state comes from.
#[derive(Debug, Clone)]
pub enum LiveFrom {
    /// A cluster.
    Cluster(ClusterSettings),
    /// A directory of saved live objects (`--live-from`).
    Snapshot(PathBuf),
}

/// Receives what a person may want to know while a session works. Every method
/// has a silent default; [`Silent`] is the observer that says nothing.
pub trait Observer: Send + Sync {
    /// A detail worth a line with `-v` (a skipped file, the settings file used…).
    fn note(&self, _message: &str) {}
    /// Progress of the live read: `done` of `total` LISTs.
    fn progress(&self, _done: usize, _total: usize) {}
    /// The live read is over.
    fn progress_done(&self) {}
}

/// An [`Observer`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// Why a session could not go on.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The source could not be opened.
    #[error("cannot open the source")]
    Source(#[source] SourceError),
    /// The settings file is unusable.
    #[error(transparent)]
    Project(#[from] ProjectConfigError),
    /// The cluster or a snapshot could not be read.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// An ignore rule or a HelmRelease's `driftDetection` is malformed.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
    /// The source holds files that cannot be read or rendered; all of them are listed.
    #[error("{} problem(s) in {source_description}:\n  {}", problems.len(), problems.iter().map(InputProblem::line).collect::<Vec<_>>().join("\n  "))]
    Input {
        /// The source as the user named it.
        source_description: String,
        /// Every problem.
        problems: Vec<InputProblem>,
    },
    /// The source holds no Kubernetes object.
    #[error("no Kubernetes objects found in {0}; point SOURCE (or --path) at the manifests")]
    Empty(String),
    /// No Helm release matched.
    #[error("no Helm releases found in {0}")]
    NoReleases(String),
    /// A release named with `--release` has no storage.
    #[error(
        "Helm release {namespace}/{name} not found: no Helm storage Secret or ConfigMap (owner=helm, name={name}) in namespace {namespace}"
    )]
    ReleaseNotFound {
        /// Release namespace.
        namespace: String,
        /// Release name.
        name: String,
    },
    /// Something that needs a cluster was asked of a session that reads a snapshot.
    #[error("{what} needs a cluster; it cannot work from a snapshot (--live-from)")]
    NeedsCluster {
        /// What was asked.
        what: &'static str,
    },
    /// The repair lock could not be taken.
    #[error(transparent)]
    Fix(#[from] FixError),
    /// `--fix` without `--yes` where nobody can be asked.
    #[error(
        "refusing to repair without confirmation: no terminal to ask on; pass --yes to repair unattended (nothing was changed)"
    )]
    NeedsConfirmation,
    /// The person said no.
    #[error("repair cancelled; nothing was changed")]
    Cancelled,
    /// The thread rendering earlier Git versions of a chart failed.
    #[error("rendering earlier Git versions of a chart failed: {0}")]
    Worker(String),
}

/// One file or unit of the source that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    /// A file that cannot be read as manifests.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// A chart or overlay that does not render.
    #[error(transparent)]
    Render(#[from] RenderError),
}

impl InputProblem {
    /// The problem and its causes on one line.
    fn line(&self) -> String {
        crate::error_chain::one_line(self)
    }
}

/// The desired state of one session, ready to audit.
#[derive(Debug, Clone)]
pub struct Desired {
    /// The objects (identities settled), what could not be rendered, the releases read.
    pub set: DesiredSet,
    /// How the live side serves each object's kind.
    kinds: identity::Kinds,
}

/// One audit session: its settings, the opened source, the compiled comparison
/// options, and the cluster connection or snapshot.
pub struct Session {
    settings: Settings,
    source: Source,
    options: AuditOptions,
    backend: Backend,
    runtime: tokio::runtime::Handle,
    observer: Arc<dyn Observer>,
    /// Where each Helm release revision in question came from, once found.
    provenance: Mutex<HashMap<provenance::RevisionKey, Provenance>>,
}

/// Where live objects are read from.
enum Backend {
    Cluster(Connection),
    Snapshot(Snapshot),
}

impl Session {
    /// Opens the source (fetching a Git repository into the cache), reads the
    /// settings file, compiles the ignore rules and connects to the cluster (or
    /// loads the snapshot). `runtime` runs the cluster requests; call the
    /// synchronous methods from outside it.
    pub fn open(
        settings: Settings,
        runtime: tokio::runtime::Handle,
        observer: Arc<dyn Observer>,
    ) -> Result<Self, SessionError> {
        let source = match &settings.desired {
            DesiredFrom::Source(spec) => {
                let source =
                    crate::source::open(spec, &settings.cache_dir, &settings.git_auth).map_err(SessionError::Source)?;
                observer.note(&format!("source: {} ({})", source.description, source.root.display()));
                source
            }
            DesiredFrom::Releases(selection) => releases::describe(selection, settings.namespace.as_deref()),
        };
        let (project, project_path) =
            ProjectConfig::load(settings.project_file.as_deref(), &source.root, &source.boundary)?;
        let origin = project_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        if let Some(path) = &project_path {
            observer.note(&format!("using settings from {}", path.display()));
        }
        let mut rules = IgnoreRules::compile(&project.ignore, &origin)?;
        rules.extend(IgnoreRules::compile(&settings.ignore, "--ignore")?);
        let options =
            AuditOptions { mode: settings.mode, rules, controllers: project.controllers, people: project.people };
        let backend = match &settings.live {
            LiveFrom::Cluster(cluster) => Backend::Cluster(runtime.block_on(crate::cluster::connect(cluster))?),
            LiveFrom::Snapshot(dir) => Backend::Snapshot(Snapshot::load(dir)?),
        };
        Ok(Session { settings, source, options, backend, runtime, observer, provenance: Mutex::default() })
    }

    /// The source, as opened.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The cluster connection, when the live side is a cluster.
    pub fn connection(&self) -> Option<&Connection> {
        match &self.backend {
            Backend::Cluster(connection) => Some(connection),
            Backend::Snapshot(_) => None,
        }
    }

    /// The namespace of namespaced objects that name none.
    fn default_namespace(&self) -> &str {
        self.settings.namespace.as_deref().unwrap_or("default")
    }

    /// Discovers and renders the desired state and settles every object's identity.
    /// Input problems are reported together. Blocks: call it outside the runtime.
    pub fn desired(&self) -> Result<Desired, SessionError> {
        let mut set = match &self.settings.desired {
            DesiredFrom::Releases(selection) => {
                let Backend::Cluster(connection) = &self.backend else {
                    return Err(SessionError::NeedsCluster { what: "auditing Helm releases" });
                };
                self.runtime.block_on(releases::load(
                    connection,
                    selection,
                    self.settings.namespace.as_deref(),
                    &self.source.description,
                    self.observer.as_ref(),
                ))?
            }
            DesiredFrom::Source(_) => desired::render_source(self)?,
        };
        let kinds = match &self.backend {
            Backend::Cluster(connection) => self.runtime.block_on(identity::settle_for_cluster(
                connection,
                &mut set.objects,
                self.default_namespace(),
            ))?,
            Backend::Snapshot(snapshot) => {
                identity::settle_offline(&mut set.objects, self.default_namespace(), &|g, k| {
                    snapshot.is_namespaced(g, k)
                })
            }
        };
        Ok(Desired { set, kinds })
    }

    /// The live objects of the desired state alone (no last-applied leg): what a snapshot saves.
    pub async fn live_objects(&self, desired: &Desired) -> Result<crate::cluster::LiveObjects, SessionError> {
        Ok(live::read_live_objects(&self.backend, desired, self.observer.as_ref()).await?)
    }

    /// The legs of the desired state: live objects, last-applied states (with where
    /// each Helm release revision Git disagrees with came from), server-side dry-runs
    /// (`--server-side`), and the Flux HelmReleases that govern drift detection.
    pub async fn live(&self, desired: &Desired) -> Result<Legs, SessionError> {
        let mut legs = live::read_legs(&self.backend, desired, self.settings.mode, self.observer.as_ref()).await?;
        provenance::prove_releases(self, desired, &mut legs).await?;
        Ok(legs)
    }

    /// Audits the desired state against its legs (pure).
    pub fn audit(&self, desired: &Desired, legs: &Legs) -> Result<Audit, SessionError> {
        Ok(crate::diff::audit(&self.source.description, &desired.set, legs, &self.options)?)
    }

    /// How an audit ends under the session's `--fail-on`.
    pub fn verdict(&self, audit: &Audit) -> Verdict {
        audit.verdict(&self.settings.fail_on)
    }

    /// Reads the legs and audits: what every command does first.
    pub async fn audit_live(&self, desired: &Desired) -> Result<(Legs, Audit), SessionError> {
        let legs = self.live(desired).await?;
        let audit = self.audit(desired, &legs)?;
        Ok((legs, audit))
    }
}

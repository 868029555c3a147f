//! `driftctl check` and `driftctl snapshot`: open the source, discover and
//! render the desired objects, read the live leg (cluster or snapshot), audit
//! every object, write the report, and decide the exit code.

use std::collections::HashMap;
use std::io::Write;

use anyhow::{Context, anyhow, bail};

use super::Outcome;
use super::target::live_target;
use crate::cli::{CheckArgs, Config, FailOn, ProjectConfig, SnapshotArgs, SourceArgs, ignore_flag_rule};
use crate::cluster::helm::{FLUX_HELM_GROUP, read_flux_helm_releases};
use crate::cluster::{self, Connection, LastApplied, LiveObjects, RateLimit, Snapshot, Unreadable};
use crate::diff::{
    Audit, AuditOptions, AuditedObject, DriftMode, DriftPolicy, FieldClass, IgnoreRules, Mode, ObjectClass, ObjectDiff,
    ObjectInput, drift_policy, helm_release_of,
};
use crate::discover::{self, Discovered, RenderUnit};
use crate::fix::FixRecord;
use crate::object::{DesiredObject, Manifest, ReleaseRef, Unit};
use crate::render::RenderTarget;
use crate::report::{ReportOptions, write_report_with_fixes};
use crate::source::{self, Source, SourceSpec};

/// One `driftctl check` run: what it was asked and what it has so far.
pub(super) struct CheckRun<'a> {
    /// The command line.
    pub args: &'a CheckArgs,
    /// Resolved configuration.
    pub config: &'a Config,
    /// The opened source.
    pub source: Source,
    /// Comparison settings.
    pub options: AuditOptions,
    /// Report settings.
    pub report: ReportOptions,
    /// The desired objects (namespaces settled by the live read).
    pub desired: Vec<DesiredObject>,
    /// Units that could not be audited (a failed or unreadable Helm release), reported with every audit.
    pub problems: Vec<AuditedObject>,
    /// The Helm release revisions audited (`--release`), to name on objects missing from the cluster.
    pub releases: Vec<ReleaseRef>,
}

/// Runs `driftctl check`.
pub fn check(args: &CheckArgs, config: &Config) -> anyhow::Result<Outcome> {
    let release_mode = args.all_releases || !args.releases.is_empty();
    let source = if release_mode {
        let where_ = match (&args.source.namespace, args.all_releases) {
            (Some(ns), true) => format!("Helm releases in namespace {ns}"),
            (None, true) => "all Helm releases".to_string(),
            _ => format!("Helm release {}", args.releases.join(", ")),
        };
        Source {
            root: std::env::current_dir().context("reading the current directory")?,
            description: where_,
            revision: None,
        }
    } else {
        open_source(&args.source, config)?
    };
    let (project, project_path) = ProjectConfig::load(args.config.as_deref(), &source.root)?;
    if let Some(path) = &project_path {
        verbose(config, format!("using settings from {}", path.display()));
    }
    let mut rules = IgnoreRules::compile(&project.ignore, &format!("{}", project_path.unwrap_or_default().display()))?;
    let flag_rules: Vec<_> = args.ignore.iter().map(|f| ignore_flag_rule(f)).collect();
    rules.extend(IgnoreRules::compile(&flag_rules, "--ignore")?);
    let options = AuditOptions {
        mode: if args.server_side { Mode::ServerSide } else { Mode::DesiredFields },
        rules,
        controllers: project.controllers,
        people: project.people,
    };
    let report = ReportOptions {
        color: config.color,
        show_secrets: args.show_secrets,
        context_lines: args.context_lines,
        verbose: config.verbose > 0,
    };
    if release_mode {
        let mut run = CheckRun {
            args,
            config,
            source,
            options,
            report,
            desired: Vec::new(),
            problems: Vec::new(),
            releases: Vec::new(),
        };
        return runtime()?.block_on(async {
            let connection = connect(&args.source, config).await?;
            super::releases::load_releases(&mut run, &connection).await?;
            audit_and_report(&mut run, &connection).await
        });
    }
    if let Some(dir) = &args.live_from {
        let desired = desired_objects(&source, config, |_| Ok(RenderTarget::offline(args.source.default_namespace())))?;
        let mut run =
            CheckRun { args, config, source, options, report, desired, problems: Vec::new(), releases: Vec::new() };
        let snapshot = Snapshot::load(dir)?;
        let live = cluster::read_snapshot(&snapshot, &mut run.desired, args.source.default_namespace());
        let last_applied = cluster::annotations_only(&live);
        let policies = drift_policies(&run.desired, &[])?;
        let legs = Legs { live: &live, last_applied: &last_applied, expected: &HashMap::new(), policies: &policies };
        let audit = audit_all(&run.source, &run.desired, &legs, &run.options);
        run.write(&audit, &[])?;
        return run.outcome(&audit);
    }
    let runtime = runtime()?;
    let connection = runtime.block_on(connect(&args.source, config))?;
    let desired = desired_objects(&source, config, |units| {
        live_target(&runtime, &connection, args.source.default_namespace(), units)
    })?;
    let mut run =
        CheckRun { args, config, source, options, report, desired, problems: Vec::new(), releases: Vec::new() };
    runtime.block_on(audit_and_report(&mut run, &connection))
}

/// Audits against the cluster, repairs when asked, reports, and says how many requests it took.
async fn audit_and_report(run: &mut CheckRun<'_>, connection: &Connection) -> anyhow::Result<Outcome> {
    let (live, audit) = run.audit_cluster(connection).await?;
    let result = if run.args.fix.fix {
        super::repair::repair(run, connection, audit, live).await
    } else {
        run.write(&audit, &[])?;
        run.outcome(&audit)
    };
    let stats = connection.traffic.stats();
    verbose(
        run.config,
        format!(
            "API requests: {} ({} reads, {} writes of which {} dry-run)",
            stats.total(),
            stats.reads,
            stats.writes,
            stats.dry_run_writes
        ),
    );
    result
}

impl CheckRun<'_> {
    /// Reads the live leg from the cluster and audits every desired object.
    pub(super) async fn audit_cluster(&mut self, connection: &Connection) -> anyhow::Result<(LiveObjects, Audit)> {
        let progress = progress_reporter(self.config);
        let live =
            cluster::read_cluster(connection, &mut self.desired, self.args.source.default_namespace(), &progress)
                .await?;
        finish_progress(self.config);
        let last_applied = cluster::read_last_applied(&connection.client, &live).await?;
        let expected =
            if self.args.server_side { dry_run_all(connection, &self.desired, &live).await } else { HashMap::new() };
        let namespaces = live.objects.values().filter_map(|o| helm_release_of(o).map(|(ns, _)| ns)).collect();
        let in_cluster = read_flux_helm_releases(&connection.client, &namespaces).await?;
        let policies = drift_policies(&self.desired, &in_cluster)?;
        let legs = Legs { live: &live, last_applied: &last_applied, expected: &expected, policies: &policies };
        let mut audit = audit_all(&self.source, &self.desired, &legs, &self.options);
        for object in audit.objects.iter_mut().filter(|o| o.release.is_none()) {
            if let Some(Unit::HelmRelease { namespace, name }) = object.origin.as_ref().map(|o| &o.unit) {
                object.release = self.releases.iter().find(|r| r.namespace == *namespace && r.name == *name).cloned();
            }
        }
        audit.objects.extend(self.problems.iter().cloned());
        Ok((live, audit))
    }

    /// Writes the report (with the repairs, if any) to stdout.
    pub(super) fn write(&self, audit: &Audit, fixes: &[FixRecord]) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        write_report_with_fixes(audit, fixes, self.config.output, &self.report, &mut stdout)
            .context("writing the report")?;
        stdout.flush().context("writing the report")
    }

    /// The exit outcome for an audit under `--fail-on`.
    pub(super) fn outcome(&self, audit: &Audit) -> anyhow::Result<Outcome> {
        outcome(audit, &self.args.fail_on)
    }
}

/// Runs `driftctl snapshot`.
pub fn snapshot(args: &SnapshotArgs, config: &Config) -> anyhow::Result<Outcome> {
    let source = open_source(&args.source, config)?;
    let runtime = runtime()?;
    let connection = runtime.block_on(connect(&args.source, config))?;
    let mut desired = desired_objects(&source, config, |units| {
        live_target(&runtime, &connection, args.source.default_namespace(), units)
    })?;
    let live = runtime.block_on(async {
        let progress = progress_reporter(config);
        let live = cluster::read_cluster(&connection, &mut desired, args.source.default_namespace(), &progress).await?;
        finish_progress(config);
        anyhow::Ok(live)
    })?;
    if let Some((reference, problem)) = live.unreadable.iter().next() {
        let message = match problem {
            Unreadable::UnknownKind(m) | Unreadable::Error(m) => m,
        };
        bail!("cannot read {reference} for the snapshot: {message}");
    }
    let mut objects: Vec<_> = desired.iter().filter_map(|o| live.objects.get(&o.object_ref())).collect();
    objects.sort_by_key(|m| m.object_ref());
    objects.dedup_by_key(|m| m.object_ref());
    let written = cluster::write_snapshot(&args.out, &objects)?;
    eprintln!(
        "wrote {} live objects to {} ({} of {} desired objects are absent from the cluster)",
        written.len(),
        args.out.display(),
        desired.len() - objects.len(),
        desired.len()
    );
    Ok(Outcome::Clean)
}

fn open_source(args: &SourceArgs, config: &Config) -> anyhow::Result<Source> {
    let spec = SourceSpec { location: args.source.clone(), reference: args.reference.clone(), path: args.path.clone() };
    let source = source::open(&spec, &config.cache_dir, &config.git_auth)?;
    verbose(config, format!("source: {} ({})", source.description, source.root.display()));
    Ok(source)
}

/// Discovers and renders every desired object for the cluster `target`
/// describes; all input errors are reported together.
fn desired_objects(
    source: &Source,
    config: &Config,
    target: impl FnOnce(&[RenderUnit]) -> anyhow::Result<RenderTarget>,
) -> anyhow::Result<Vec<DesiredObject>> {
    let Discovered { mut objects, units, skipped, errors } = discover::discover(&source.root);
    for file in &skipped {
        verbose(config, format!("skipped {file}: no Kubernetes objects"));
    }
    let mut problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let (rendered, render_problems) = crate::render::render_units(&units, &target(&units)?);
    objects.extend(rendered);
    problems.extend(render_problems);
    if !problems.is_empty() {
        bail!("{} problem(s) in {}:\n  {}", problems.len(), source.description, problems.join("\n  "));
    }
    if objects.is_empty() {
        bail!("no Kubernetes objects found in {}; point SOURCE (or --path) at the manifests", source.description);
    }
    Ok(objects)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

pub(super) async fn connect(args: &SourceArgs, config: &Config) -> anyhow::Result<Connection> {
    Ok(cluster::connect(&config.kube, RateLimit { qps: args.qps, burst: args.burst }).await?)
}

/// Server-side dry-run applies of every desired object that exists in the cluster.
async fn dry_run_all(
    connection: &Connection,
    desired: &[DesiredObject],
    live: &LiveObjects,
) -> HashMap<crate::object::ObjectRef, Result<crate::object::Manifest, String>> {
    let existing = desired
        .iter()
        .filter(|o| live.objects.contains_key(&o.object_ref()))
        .filter_map(|o| {
            let info = live.resources.get(&o.object_ref())?.clone();
            let current = live.objects.get(&o.object_ref())?;
            Some((crate::object::Manifest(crate::diff::update_form(&o.manifest.0, &current.0)), info))
        })
        .collect();
    cluster::dry_run_all(&connection.client, existing).await
}

/// What is known of the objects besides Git.
struct Legs<'a> {
    /// The live objects.
    live: &'a LiveObjects,
    /// The last-applied leg.
    last_applied: &'a LastApplied,
    /// Server-side dry-run results (`--server-side`).
    expected: &'a HashMap<crate::object::ObjectRef, Result<crate::object::Manifest, String>>,
    /// Drift detection of Flux HelmReleases, by (namespace, name).
    policies: &'a HashMap<(String, String), DriftPolicy>,
}

/// The drift-detection policies of Flux HelmReleases: Git's objects win over the cluster's.
fn drift_policies(
    desired: &[DesiredObject],
    in_cluster: &[Manifest],
) -> anyhow::Result<HashMap<(String, String), DriftPolicy>> {
    let from_git = desired
        .iter()
        .map(|o| &o.manifest)
        .filter(|m| m.kind() == "HelmRelease" && crate::object::group_of(m.api_version()) == FLUX_HELM_GROUP);
    let mut policies = HashMap::new();
    for release in in_cluster.iter().chain(from_git) {
        if let Some(policy) = drift_policy(release)? {
            policies.insert((release.namespace().unwrap_or("default").to_string(), release.name().to_string()), policy);
        }
    }
    Ok(policies)
}

fn audit_all(source: &Source, desired: &[DesiredObject], legs: &Legs<'_>, options: &AuditOptions) -> Audit {
    let mut audit = Audit { source: source.description.clone(), ..Default::default() };
    for object in desired {
        let reference = object.object_ref();
        let live_object = legs.live.objects.get(&reference);
        let policy =
            live_object.or(Some(&object.manifest)).and_then(helm_release_of).and_then(|key| legs.policies.get(&key));
        if crate::diff::is_disabled(&object.manifest, live_object)
            || policy.is_some_and(|p| p.mode == DriftMode::Disabled)
        {
            audit.ignored.push(reference);
            continue;
        }
        if policy.is_some_and(|p| p.mode == DriftMode::Warn) {
            audit.report_only.push(reference.clone());
        }
        let failed = |class: ObjectClass, message: String| AuditedObject {
            reference: reference.clone(),
            api_version: object.manifest.api_version().to_string(),
            origin: Some(object.origin.clone()),
            diff: ObjectDiff { class, fields: Vec::new() },
            error: Some(message),
            desired: Some(object.manifest.clone()),
            live: live_object.cloned(),
            release: None,
        };
        let audited = match legs.live.unreadable.get(&reference) {
            Some(Unreadable::UnknownKind(m)) => failed(ObjectClass::UnknownKind, m.clone()),
            Some(Unreadable::Error(m)) => failed(ObjectClass::Error, m.clone()),
            None => match (
                legs.last_applied.get(&reference).filter(|_| live_object.is_some()),
                legs.expected.get(&reference),
            ) {
                (Some(Err(m)), _) | (_, Some(Err(m))) => failed(ObjectClass::Error, m.clone()),
                (last_applied, expected) => {
                    let state = last_applied.and_then(|a| a.as_ref().ok());
                    let mut audited = crate::diff::audit_object(
                        ObjectInput {
                            desired: object,
                            last_applied: state.map(|s| &s.manifest),
                            live: live_object,
                            expected: expected.and_then(|e| e.as_ref().ok()),
                            unit_rules: policy.map(|p| &p.rules),
                        },
                        options,
                    );
                    audited.release = state.and_then(|s| s.release.clone());
                    audited
                }
            },
        };
        audit.objects.push(audited);
    }
    // Objects of one unit (a Helm release, an overlay) stay together, in declaration order.
    audit.objects.sort_by(|a, b| {
        let origin = |o: &AuditedObject| o.origin.as_ref().map(|o| (o.unit.clone(), o.file.clone(), o.line));
        origin(a).cmp(&origin(b)).then_with(|| a.reference.cmp(&b.reference))
    });
    audit
}

/// Exit 1 when a finding is in a `--fail-on` category; errors end the run with exit 2
/// after the report, so they are never mistaken for "in sync".
fn outcome(audit: &Audit, fail_on: &[FailOn]) -> anyhow::Result<Outcome> {
    let unaudited: Vec<String> = audit
        .objects
        .iter()
        .filter(|o| matches!(o.diff.class, ObjectClass::Error | ObjectClass::UnknownKind))
        .map(|o| format!("{}: {}", o.reference, o.error.as_deref().unwrap_or("not audited")))
        .collect();
    if !unaudited.is_empty() {
        return Err(anyhow!("{} object(s) could not be audited:\n  {}", unaudited.len(), unaudited.join("\n  ")));
    }
    let hit = |category: FailOn| {
        audit.objects.iter().any(|o| match category {
            FailOn::Missing => o.diff.class == ObjectClass::Missing,
            FailOn::Extra => o.diff.class == ObjectClass::Extra,
            FailOn::Drift => o.diff.has(FieldClass::Drift),
            FailOn::Conflict => o.diff.has(FieldClass::Conflict),
            FailOn::Pending => o.diff.has(FieldClass::Pending),
        })
    };
    Ok(if fail_on.iter().any(|c| hit(*c)) { Outcome::Drift } else { Outcome::Clean })
}

pub(super) fn verbose(config: &Config, message: String) {
    if config.verbose > 0 {
        eprintln!("driftctl: {message}");
    }
}

/// Progress on stderr for the LISTs, drawn only on a terminal.
fn progress_reporter(config: &Config) -> impl Fn(usize, usize) + Sync + use<> {
    let draw = config.stderr_is_terminal;
    move |done, total| {
        if draw {
            eprint!("\r\x1b[2Kreading live objects: {done}/{total} lists");
        }
    }
}

fn finish_progress(config: &Config) {
    if config.stderr_is_terminal {
        eprint!("\r\x1b[2K");
    }
}

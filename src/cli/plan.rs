//! Turns what the user typed into a validated plan for each subcommand: every
//! flag is parsed and checked here, before any work starts (a typo in `--lock`
//! is refused before the source is fetched, not after an audit), and nothing
//! below `cli` ever sees a clap type.

use std::path::PathBuf;
use std::time::Duration;

use super::args::{CheckArgs, ClusterArgs, RenderArgs, SnapshotArgs, SourceArgs};
use super::config::Config;
use crate::cluster::{ClusterSettings, RateLimit};
use crate::diff::{IgnoreError, IgnoreRuleSpec, IgnoreRules, Mode, TargetSpec};
use crate::fix::FixOptions;
use crate::pipeline::{DesiredFrom, LeaseName, LiveFrom, ReleaseSelection, RepairSettings, Settings};
use crate::report::{OutputFormat, ReportOptions};
use crate::source::SourceSpec;

/// A flag whose value cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A value that does not have the form the flag needs.
    #[error("{flag} {value}: {problem}")]
    BadValue {
        /// The flag.
        flag: &'static str,
        /// What was given.
        value: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// A value the flag library itself refuses, worded as Helm's flag library words it.
    #[error("invalid argument {value:?} for \"{flag}\" flag: {problem}")]
    InvalidArgument {
        /// The flag, as Helm names it.
        flag: &'static str,
        /// What was given.
        value: String,
        /// Why it cannot be read.
        problem: String,
    },
    /// An `--ignore` rule is malformed.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
}

/// `driftctl check`, validated.
#[derive(Debug, Clone)]
pub struct CheckPlan {
    /// What the session audits, and against what.
    pub session: Settings,
    /// The report's format.
    pub format: OutputFormat,
    /// How the report is written.
    pub report: ReportOptions,
    /// `--fix`: how to repair.
    pub repair: Option<RepairSettings>,
}

/// `driftctl snapshot`, validated.
#[derive(Debug, Clone)]
pub struct SnapshotPlan {
    /// What the session reads.
    pub session: Settings,
    /// The directory to write.
    pub out: PathBuf,
}

/// Plans `driftctl check`.
pub fn plan_check(args: &CheckArgs, config: &Config) -> Result<CheckPlan, PlanError> {
    let desired = if args.all_releases {
        DesiredFrom::Releases(ReleaseSelection::All)
    } else if !args.releases.is_empty() {
        let names = args.releases.iter().map(|r| namespaced_name("--release", r)).collect::<Result<_, _>>()?;
        DesiredFrom::Releases(ReleaseSelection::Named(names))
    } else {
        DesiredFrom::Source(source_spec(&args.source))
    };
    let live = match &args.live_from {
        Some(dir) => LiveFrom::Snapshot(dir.clone()),
        None => LiveFrom::Cluster(cluster_settings(&args.cluster, config)?),
    };
    let ignore: Vec<IgnoreRuleSpec> = args.ignore.iter().map(|f| ignore_flag_rule(f)).collect();
    IgnoreRules::compile(&ignore, "--ignore")?;
    let session = Settings {
        desired,
        live,
        namespace: args.source.namespace.clone(),
        cache_dir: config.cache_dir.clone(),
        git_auth: config.git_auth.clone(),
        project_file: args.config.clone(),
        ignore,
        mode: if args.server_side { Mode::ServerSide } else { Mode::DesiredFields },
        fail_on: args.fail_on.clone(),
        history_depth: args.history_depth,
    };
    let report = ReportOptions {
        color: config.color,
        show_secrets: args.show_secrets,
        context_lines: args.context_lines,
        verbose: config.verbose > 0,
    };
    let fix = &args.fix;
    let repair = if fix.fix {
        let (namespace, name) = namespaced_name("--lock", &fix.lock)?;
        Some(RepairSettings {
            options: FixOptions {
                fix_conflicts: fix.fix_conflicts,
                fix_pending: fix.fix_pending,
                prune: fix.prune,
                field_manager: fix.field_manager.clone(),
            },
            dry_run: fix.dry_run,
            assume_yes: fix.yes,
            events: !fix.no_events,
            lock: LeaseName { namespace, name },
            lock_timeout: Duration::from_secs(fix.lock_timeout),
            identity: format!("driftctl-{}-{}", hostname(), std::process::id()),
        })
    } else {
        None
    };
    Ok(CheckPlan { session, format: args.output, report, repair })
}

/// Plans `driftctl snapshot`.
pub fn plan_snapshot(args: &SnapshotArgs, config: &Config) -> Result<SnapshotPlan, PlanError> {
    let session = Settings {
        desired: DesiredFrom::Source(source_spec(&args.source)),
        live: LiveFrom::Cluster(cluster_settings(&args.cluster, config)?),
        namespace: args.source.namespace.clone(),
        cache_dir: config.cache_dir.clone(),
        git_auth: config.git_auth.clone(),
        project_file: None,
        ignore: Vec::new(),
        mode: Mode::DesiredFields,
        fail_on: Vec::new(),
        history_depth: 0,
    };
    Ok(SnapshotPlan { session, out: args.out.clone() })
}

/// `--api-versions` occurrences of `driftctl render`, each split as Helm splits it.
pub fn render_api_versions(args: &RenderArgs) -> Result<Vec<String>, PlanError> {
    let mut versions = Vec::new();
    for value in &args.api_versions {
        let items = super::read_csv_flag(value).map_err(|problem| PlanError::InvalidArgument {
            flag: "-a, --api-versions",
            value: value.clone(),
            problem,
        })?;
        versions.extend(items);
    }
    Ok(versions)
}

fn source_spec(args: &SourceArgs) -> SourceSpec {
    SourceSpec { location: args.source.clone(), reference: args.reference.clone(), path: args.path.clone() }
}

fn cluster_settings(args: &ClusterArgs, config: &Config) -> Result<ClusterSettings, PlanError> {
    let bad = |problem: String| PlanError::BadValue {
        flag: "--request-timeout",
        value: args.request_timeout.clone(),
        problem,
    };
    let timeout = parse_request_timeout(&args.request_timeout).map_err(bad)?;
    if !(args.qps >= 0.0 && args.qps.is_finite()) {
        return Err(PlanError::BadValue {
            flag: "--qps",
            value: args.qps.to_string(),
            problem: "give a number of requests per second, 0 for no limit".into(),
        });
    }
    Ok(ClusterSettings {
        kubeconfig: config.kubeconfig.clone(),
        context: args.context.clone(),
        rate: RateLimit { qps: args.qps, burst: args.burst },
        request_timeout: timeout,
    })
}

/// kubectl's `--request-timeout`: a Go duration (`30s`, `1m`, `500ms`) or a bare number of
/// seconds; `0` means no timeout.
fn parse_request_timeout(text: &str) -> Result<Option<Duration>, String> {
    let nanos = match text.parse::<u64>() {
        Ok(seconds) => i64::try_from(seconds.saturating_mul(1_000_000_000)).unwrap_or(i64::MAX),
        Err(_) => crate::template::parse_go_duration(text)?,
    };
    match nanos {
        0 => Ok(None),
        n if n < 0 => Err("a timeout cannot be negative".into()),
        n => Ok(Some(Duration::from_nanos(n.unsigned_abs()))),
    }
}

/// `NAMESPACE/NAME` as a pair.
fn namespaced_name(flag: &'static str, value: &str) -> Result<(String, String), PlanError> {
    match value.split_once('/') {
        Some((namespace, name)) if !namespace.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((namespace.to_string(), name.to_string()))
        }
        _ => Err(PlanError::BadValue { flag, value: value.to_string(), problem: "give it as NAMESPACE/NAME".into() }),
    }
}

/// Parses `--ignore [KIND:]POINTER` into a rule.
pub fn ignore_flag_rule(flag: &str) -> IgnoreRuleSpec {
    let (kind, pointer) = match flag.split_once(":/") {
        Some((kind, rest)) => (Some(kind.to_string()), format!("/{rest}")),
        None => (None, flag.to_string()),
    };
    IgnoreRuleSpec {
        paths: vec![pointer],
        managers: Vec::new(),
        target: kind.map(|kind| TargetSpec { kind: Some(kind), ..Default::default() }),
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "host".into())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Args, Command, Environment};

    fn plan(line: &[&str]) -> Result<CheckPlan, PlanError> {
        let args = Args::try_parse_from(std::iter::once("driftctl").chain(line.iter().copied())).unwrap();
        let config = Config::resolve_with(&args, &Environment::default(), false);
        let Command::Check(check) = &args.command else { panic!("not check") };
        plan_check(check, &config)
    }

    #[test]
    fn ignore_flag_forms() {
        assert_eq!(ignore_flag_rule("/spec/replicas").paths, ["/spec/replicas"]);
        let rule = ignore_flag_rule("Deployment:/spec/replicas");
        assert_eq!(rule.paths, ["/spec/replicas"]);
        assert_eq!(rule.target.unwrap().kind.as_deref(), Some("Deployment"));
    }

    #[test]
    fn every_flag_is_checked_before_any_work() {
        let error = plan(&["check", ".", "--fix", "--lock", "no-slash"]).unwrap_err().to_string();
        assert_eq!(error, "--lock no-slash: give it as NAMESPACE/NAME");
        let error = plan(&["check", "--release", "web"]).unwrap_err().to_string();
        assert_eq!(error, "--release web: give it as NAMESPACE/NAME");
        let error = plan(&["check", "--ignore", "spec/replicas"]).unwrap_err().to_string();
        assert!(error.contains("is not a JSON pointer"), "{error}");
        let error = plan(&["check", "--request-timeout", "soon"]).unwrap_err().to_string();
        assert_eq!(error, "--request-timeout soon: time: invalid duration \"soon\"");
    }

    #[test]
    fn request_timeouts_read_as_kubectl_reads_them() {
        assert_eq!(parse_request_timeout("30s"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(parse_request_timeout("45"), Ok(Some(Duration::from_secs(45))));
        assert_eq!(parse_request_timeout("1m30s"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(parse_request_timeout("0"), Ok(None));
        assert!(parse_request_timeout("-1s").is_err());
    }

    #[test]
    fn a_plan_carries_the_settings_the_pipeline_needs() {
        let plan = plan(&["check", "repo", "--release", "shop/web", "--fix", "--yes", "--fail-on", "pending"]).unwrap();
        assert!(
            matches!(&plan.session.desired, DesiredFrom::Releases(ReleaseSelection::Named(n)) if n[0] == ("shop".into(), "web".into()))
        );
        let repair = plan.repair.unwrap();
        assert_eq!(repair.lock, LeaseName { namespace: "kube-system".into(), name: "driftctl-fix".into() });
        assert!(repair.assume_yes && repair.events);
        assert_eq!(plan.session.fail_on, [crate::diff::FailOn::Pending]);
    }
}

//! `driftctl check`: plan the run from the flags, open a session, audit (and
//! repair with `--fix`), write the report to stdout, and turn the verdict
//! into the exit code. The audit and the repair are the session's.

use std::sync::Arc;

use anyhow::anyhow;

use super::Outcome;
use super::terminal::{TerminalObserver, TerminalRepair, write_stdout};
use crate::cli::{CheckArgs, CheckPlan, Config, plan_check};
use crate::diff::{Audit, Verdict};
use crate::fix::{FixOutcome, FixRecord};
use crate::pipeline::{Observer, Session};
use crate::report::{OutputFormat, ReportOptions, write_report_with_fixes};

/// Runs `driftctl check`.
pub fn check(args: &CheckArgs, config: &Config) -> anyhow::Result<Outcome> {
    let plan = plan_check(args, config)?;
    let runtime = super::runtime()?;
    let observer = Arc::new(TerminalObserver::new(config));
    let session = Session::open(plan.session.clone(), runtime.handle().clone(), observer.clone())?;
    let outcome = audit_and_report(&session, &runtime, &plan, config);
    if let Some(connection) = session.connection() {
        let stats = connection.traffic.stats();
        observer.note(&format!(
            "API requests: {} ({} reads, {} writes of which {} dry-run)",
            stats.total(),
            stats.reads,
            stats.writes,
            stats.dry_run_writes
        ));
    }
    outcome
}

/// Audits, repairs when asked, and writes the report.
fn audit_and_report(
    session: &Session,
    runtime: &tokio::runtime::Runtime,
    plan: &CheckPlan,
    config: &Config,
) -> anyhow::Result<Outcome> {
    let desired = session.desired()?;
    let (_, audit) = runtime.block_on(session.audit_live(&desired))?;
    let writer = ReportWriter { format: plan.format, options: &plan.report };
    let Some(settings) = &plan.repair else {
        writer.write(&audit, &[], None)?;
        return outcome(session.verdict(&audit));
    };
    let mut ui = TerminalRepair { stdin_is_terminal: config.stdin_is_terminal };
    let repair = runtime.block_on(session.repair(&desired, audit, settings, &mut ui))?;
    writer.write(&repair.found, &repair.records, repair.verified.as_ref())?;
    let failures = repair.failures();
    if !failures.is_empty() {
        return Err(anyhow!("{} repair(s) failed:\n  {}", failures.len(), failures.join("\n  ")));
    }
    if repair.verified.is_some() {
        let fixed = repair.records.iter().filter(|r| r.outcome == FixOutcome::Fixed).count();
        eprintln!("Repaired {fixed} object(s).");
    }
    outcome(session.verdict(repair.current()))
}

/// The report on stdout, in the planned format.
struct ReportWriter<'a> {
    format: OutputFormat,
    options: &'a ReportOptions,
}

impl ReportWriter<'_> {
    fn write(&self, audit: &Audit, fixes: &[FixRecord], after: Option<&Audit>) -> anyhow::Result<()> {
        let mut text = Vec::new();
        write_report_with_fixes(audit, fixes, after, self.format, self.options, &mut text)?;
        write_stdout(&text).map_err(|e| anyhow!(e).context("writing the report"))
    }
}

/// Exit 1 for findings; objects that could not be audited end the run with exit 2
/// after the report, so they are never mistaken for "in sync".
fn outcome(verdict: Verdict) -> anyhow::Result<Outcome> {
    match verdict {
        Verdict::Clean => Ok(Outcome::Clean),
        Verdict::Findings => Ok(Outcome::Drift),
        Verdict::Unaudited(lines) => {
            Err(anyhow!("{} object(s) could not be audited:\n  {}", lines.len(), lines.join("\n  ")))
        }
    }
}

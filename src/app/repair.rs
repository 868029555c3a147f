//! `driftctl check --fix`: plan the repair from the audit, check it with a
//! server-side dry-run, show it, ask, take the repair lock, apply, record
//! Events, and verify with a fresh audit. Exit 0 only when every planned
//! repair was applied and verified.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};

use super::Outcome;
use super::check::{CheckRun, verbose};
use crate::cluster::{Connection, LiveObjects};
use crate::diff::{Audit, ObjectClass};
use crate::fix::{self, FixAction, FixOptions, FixOutcome, FixRecord, PlannedFix};
use crate::object::ObjectRef;

/// Runs the repair after the first audit.
pub(super) async fn repair(
    run: &mut CheckRun<'_>,
    connection: &Connection,
    audit: Audit,
    live: LiveObjects,
) -> anyhow::Result<Outcome> {
    let args = run.args;
    let fix_options = FixOptions {
        fix_conflicts: args.fix.fix_conflicts,
        fix_pending: args.fix.fix_pending,
        prune: args.fix.prune,
        field_manager: args.fix.field_manager.clone(),
    };
    let plan = fix::plan_fixes(&audit, &fix_options);
    if !plan.iter().any(writes) {
        let records: Vec<FixRecord> = plan.iter().map(|f| record(f, FixOutcome::Skipped, f.reason.clone())).collect();
        eprintln!("Nothing to repair.");
        run.write(&audit, &records)?;
        return run.outcome(&audit);
    }
    if !args.fix.dry_run && !args.fix.yes && !run.config.stdin_is_terminal {
        print_plan(&plan, &HashMap::new());
        bail!(
            "refusing to repair without confirmation: no terminal to ask on; pass --yes to repair unattended (nothing was changed)"
        );
    }

    // Take the lock before looking again: a run that waited must not repeat another's repair.
    let lock = if args.fix.dry_run {
        None
    } else {
        let (namespace, name) =
            args.fix.lock.split_once('/').ok_or_else(|| anyhow!("--lock must be NAMESPACE/NAME"))?;
        let identity = format!("driftctl-{}-{}", hostname(), std::process::id());
        verbose(run.config, format!("waiting for the repair lock {namespace}/{name}"));
        let timeout = Duration::from_secs(args.fix.lock_timeout);
        Some(fix::acquire_lock(&connection.client, namespace, name, &identity, timeout).await?)
    };
    let result = match &lock {
        Some(_) => match run.audit_cluster(connection).await {
            Ok((live, audit)) => repair_locked(run, connection, &fix_options, audit, live).await,
            Err(e) => Err(e),
        },
        None => repair_locked(run, connection, &fix_options, audit, live).await,
    };
    if let Some(lock) = lock {
        lock.release().await;
    }
    result
}

async fn repair_locked(
    run: &mut CheckRun<'_>,
    connection: &Connection,
    fix_options: &FixOptions,
    audit: Audit,
    live: LiveObjects,
) -> anyhow::Result<Outcome> {
    let args = run.args;
    let plan = fix::plan_fixes(&audit, fix_options);
    if !plan.iter().any(writes) {
        eprintln!("Nothing to repair (another run may have repaired it meanwhile).");
        run.write(&audit, &[])?;
        return run.outcome(&audit);
    }

    let mut rejected = HashMap::new();
    for fix in plan.iter().filter(|f| writes(f)) {
        let verdict = match live.resources.get(&fix.reference) {
            Some(info) => fix::preview_fix(&connection.client, fix, info).await,
            None => Err("the cluster does not serve this kind".to_string()),
        };
        if let Err(message) = verdict {
            rejected.insert(fix.reference.clone(), message);
        }
    }
    print_plan(&plan, &rejected);
    if args.fix.dry_run {
        let records: Vec<FixRecord> = plan
            .iter()
            .map(|f| match rejected.get(&f.reference) {
                Some(m) => record(f, FixOutcome::Failed, Some(m.clone())),
                None => record(f, FixOutcome::Skipped, Some("dry run".into())),
            })
            .collect();
        run.write(&audit, &records)?;
        return run.outcome(&audit);
    }
    if !args.fix.yes && !confirm()? {
        bail!("repair cancelled; nothing was changed");
    }

    let mut records = Vec::new();
    let mut applied = Vec::new();
    for fix in &plan {
        if !writes(fix) {
            records.push(record(fix, FixOutcome::Skipped, fix.reason.clone()));
            continue;
        }
        if let Some(message) = rejected.get(&fix.reference) {
            records.push(record(fix, FixOutcome::Failed, Some(format!("rejected by the server's dry-run: {message}"))));
            continue;
        }
        let info = &live.resources[&fix.reference];
        match fix::apply_fix(&connection.client, fix, info).await {
            Ok(()) => applied.push(fix),
            Err(message) => records.push(record(fix, FixOutcome::Failed, Some(message))),
        }
    }

    // Verify with a fresh read of everything, then record Events for what holds.
    let (after_live, after) = run.audit_cluster(connection).await?;
    for fix in applied {
        let verdict = verify(fix, &after, fix_options);
        if verdict.is_ok() && !args.fix.no_events && fix.action != FixAction::Delete {
            let uid = after_live
                .objects
                .get(&fix.reference)
                .and_then(|o| o.0.pointer("/metadata/uid"))
                .and_then(|u| u.as_str())
                .map(str::to_string);
            if let Err(message) = fix::record_event(&connection.client, fix, uid).await {
                eprintln!("warning: {}: {message}", fix.reference);
            }
        }
        records.push(match verdict {
            Ok(()) => record(fix, FixOutcome::Fixed, Some(describe_fields(fix))),
            Err(message) => record(fix, FixOutcome::Failed, Some(message)),
        });
    }
    records.sort_by(|a, b| a.reference.cmp(&b.reference));
    run.write(&audit, &records)?;
    let failed: Vec<String> = records
        .iter()
        .filter(|r| r.outcome == FixOutcome::Failed)
        .map(|r| format!("{}: {}", r.reference, r.message.as_deref().unwrap_or("failed")))
        .collect();
    if !failed.is_empty() {
        return Err(anyhow!("{} repair(s) failed:\n  {}", failed.len(), failed.join("\n  ")));
    }
    eprintln!("Repaired {} object(s).", records.iter().filter(|r| r.outcome == FixOutcome::Fixed).count());
    run.outcome(&after)
}

fn writes(fix: &PlannedFix) -> bool {
    fix.action != FixAction::Skip
}

fn record(fix: &PlannedFix, outcome: FixOutcome, message: Option<String>) -> FixRecord {
    FixRecord {
        reference: fix.reference.clone(),
        api_version: fix.api_version.clone(),
        action: fix.action,
        outcome,
        message,
    }
}

fn describe_fields(fix: &PlannedFix) -> String {
    let fields: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
    match fix.action {
        FixAction::Create => format!("re-created as {}", fix.manager),
        FixAction::Delete => "deleted".into(),
        _ => format!("restored {} as {}", fields.join(", "), fix.manager),
    }
}

/// A repair holds when the fresh audit shows none of the repaired classes left on the object.
fn verify(fix: &PlannedFix, after: &Audit, options: &FixOptions) -> Result<(), String> {
    let object = after.objects.iter().find(|o| o.reference == fix.reference);
    match (fix.action, object) {
        (FixAction::Delete, None) => Ok(()),
        (FixAction::Delete, Some(o)) if o.diff.class == ObjectClass::Missing => Ok(()),
        (FixAction::Delete, Some(_)) => Err("still present after the delete".into()),
        (_, None) => Err("not found in the re-check".into()),
        (_, Some(o)) => {
            let left: Vec<String> =
                o.diff.fields.iter().filter(|f| options.repairs(f.class)).map(|f| f.path.to_string()).collect();
            match o.diff.class {
                ObjectClass::Missing => Err("still missing after the repair".into()),
                ObjectClass::Error | ObjectClass::UnknownKind => Err(o.error.clone().unwrap_or_default()),
                _ if !left.is_empty() => Err(format!("still differs after the repair: {}", left.join(", "))),
                _ => Ok(()),
            }
        }
    }
}

fn print_plan(plan: &[PlannedFix], rejected: &HashMap<ObjectRef, String>) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "Repair plan:");
    for fix in plan {
        let action = match fix.action {
            FixAction::Apply => "apply ",
            FixAction::Create => "create",
            FixAction::Delete => "delete",
            FixAction::Skip => "skip  ",
        };
        let detail = match (&fix.reason, fix.action) {
            (Some(reason), _) => reason.clone(),
            (None, FixAction::Apply) => {
                let fields: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
                format!("{} (as {})", fields.join(", "), fix.manager)
            }
            (None, _) => format!("(as {})", fix.manager),
        };
        let _ = writeln!(err, "  {action}  {}  {detail}", fix.reference);
        if let Some(message) = rejected.get(&fix.reference) {
            let _ = writeln!(err, "          rejected by the server's dry-run: {message}");
        }
    }
}

fn confirm() -> anyhow::Result<bool> {
    eprint!("Apply this plan? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).context("reading the answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "host".into())
}

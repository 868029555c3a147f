//! `--fix` as the session runs it: plan the repair from the audit, take the
//! repair lock, audit again under it (a run that waited must not repeat
//! another's repair), check the plan with a server-side dry-run, show it,
//! ask, apply, verify with a fresh audit and record Events. The interactive
//! parts go through [`RepairUi`], so a watch loop or a test drives the same
//! code as a terminal.
//!
//! When the API server stops answering (a request times out), the repair
//! stops there: what was written is said, what was not reached is said, and
//! nothing is reported as repaired that was not verified.

use std::collections::HashMap;
use std::time::Duration;

use super::{Desired, Session, SessionError};
use crate::diff::{Audit, ObjectClass};
use crate::fix::{self, FixAction, FixError, FixOptions, FixOutcome, FixRecord, PlannedFix};
use crate::object::ObjectRef;

/// A `coordination.k8s.io` Lease, as `NAMESPACE/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseName {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

/// How to repair.
#[derive(Debug, Clone)]
pub struct RepairSettings {
    /// Which findings to repair, and as which field manager.
    pub options: FixOptions,
    /// Show the plan, checked by a server-side dry-run, and write nothing.
    pub dry_run: bool,
    /// Repair without asking.
    pub assume_yes: bool,
    /// Record a `DriftCorrected` Event on each repaired object.
    pub events: bool,
    /// The Lease that keeps two repairs from running at once.
    pub lock: LeaseName,
    /// How long to wait for another holder of the lock.
    pub lock_timeout: Duration,
    /// Who holds the lock (`driftctl-HOST-PID`).
    pub identity: String,
}

/// The interactive parts of a repair.
pub trait RepairUi {
    /// Whether [`RepairUi::confirm`] can ask anybody (a terminal); without one, a repair
    /// needs `assume_yes`.
    fn can_confirm(&self) -> bool;
    /// Shows the plan before anything is written, with the objects the server's
    /// dry-run rejected and why.
    fn show_plan(&mut self, plan: &[PlannedFix], rejected: &HashMap<ObjectRef, String>);
    /// Asks whether to go on.
    fn confirm(&mut self) -> bool;
    /// A step worth telling (waiting for the lock, nothing to repair…).
    fn note(&mut self, message: &str);
}

/// What a repair did.
#[derive(Debug, Clone)]
pub struct Repair {
    /// The audit the plan was made from (taken again under the lock).
    pub found: Audit,
    /// Per object: what was attempted and how it ended.
    pub records: Vec<FixRecord>,
    /// The fresh audit after writing; `None` when nothing was written.
    pub verified: Option<Audit>,
}

impl Repair {
    /// The repairs that did not end as planned, as `KIND/NS/NAME: why` lines.
    pub fn failures(&self) -> Vec<String> {
        self.records
            .iter()
            .filter(|r| r.outcome == FixOutcome::Failed)
            .map(|r| format!("{}: {}", r.reference, r.message.as_deref().unwrap_or("failed")))
            .collect()
    }

    /// The audit that says how things stand now: the verified one after writing, else the one found.
    pub fn current(&self) -> &Audit {
        self.verified.as_ref().unwrap_or(&self.found)
    }
}

impl Session {
    /// Repairs what `audit` found, as `settings` say.
    pub async fn repair(
        &self,
        desired: &Desired,
        audit: Audit,
        settings: &RepairSettings,
        ui: &mut dyn RepairUi,
    ) -> Result<Repair, SessionError> {
        let plan = fix::plan_fixes(&audit, &settings.options);
        if !plan.iter().any(writes) {
            ui.note("Nothing to repair.");
            let records = plan.iter().map(|f| record(f, FixOutcome::Skipped, f.reason.clone())).collect();
            return Ok(Repair { found: audit, records, verified: None });
        }
        if !settings.dry_run && !settings.assume_yes && !ui.can_confirm() {
            ui.show_plan(&plan, &HashMap::new());
            return Err(SessionError::NeedsConfirmation);
        }
        let connection = self.connection().ok_or(SessionError::NeedsCluster { what: "--fix" })?;
        if settings.dry_run {
            return self.repair_locked(desired, audit, settings, ui).await;
        }
        let LeaseName { namespace, name } = &settings.lock;
        self.observer.note(&format!("waiting for the repair lock {namespace}/{name}"));
        let lock =
            fix::acquire_lock(&connection.client, namespace, name, &settings.identity, settings.lock_timeout).await?;
        // Audit again under the lock: a run that waited must not repeat another's repair.
        let result = match self.audit_live(desired).await {
            Ok((_, audit)) => self.repair_locked(desired, audit, settings, ui).await,
            Err(e) => Err(e),
        };
        lock.release().await;
        result
    }

    async fn repair_locked(
        &self,
        desired: &Desired,
        audit: Audit,
        settings: &RepairSettings,
        ui: &mut dyn RepairUi,
    ) -> Result<Repair, SessionError> {
        let connection = self.connection().ok_or(SessionError::NeedsCluster { what: "--fix" })?;
        let plan = fix::plan_fixes(&audit, &settings.options);
        if !plan.iter().any(writes) {
            ui.note("Nothing to repair (another run may have repaired it meanwhile).");
            return Ok(Repair { found: audit, records: Vec::new(), verified: None });
        }
        let mut rejected = HashMap::new();
        for planned in plan.iter().filter(|f| writes(f)) {
            let verdict = match desired.kinds.resources.get(&planned.reference) {
                Some(info) => fix::preview_fix(&connection.client, planned, info).await,
                None => Err(FixError::Unserved { reference: planned.reference.clone() }),
            };
            if let Err(error) = verdict {
                rejected.insert(planned.reference.clone(), crate::error_chain::one_line(&error));
            }
        }
        ui.show_plan(&plan, &rejected);
        if settings.dry_run {
            let records = plan
                .iter()
                .map(|f| match rejected.get(&f.reference) {
                    Some(m) => record(f, FixOutcome::Failed, Some(m.clone())),
                    None => record(f, FixOutcome::Skipped, Some("dry run".into())),
                })
                .collect();
            return Ok(Repair { found: audit, records, verified: None });
        }
        if !settings.assume_yes && !ui.confirm() {
            return Err(SessionError::Cancelled);
        }

        let mut records = Vec::new();
        let mut applied = Vec::new();
        let mut stopped: Option<String> = None;
        for planned in &plan {
            if !writes(planned) {
                records.push(record(planned, FixOutcome::Skipped, planned.reason.clone()));
            } else if let Some(why) = &stopped {
                records.push(record(planned, FixOutcome::Skipped, Some(format!("not reached: {why}"))));
            } else if let Some(message) = rejected.get(&planned.reference) {
                let message = format!("rejected by the server's dry-run: {message}");
                records.push(record(planned, FixOutcome::Failed, Some(message)));
            } else {
                let info = &desired.kinds.resources[&planned.reference];
                match fix::apply_fix(&connection.client, planned, info).await {
                    Ok(()) => applied.push(planned),
                    Err(error) => {
                        if error.is_timeout() {
                            stopped = Some("the API server stopped answering before this object was repaired".into());
                        }
                        records.push(record(planned, FixOutcome::Failed, Some(crate::error_chain::one_line(&error))));
                    }
                }
            }
        }

        // Verify with a fresh read of everything, then record Events for what holds.
        let after = match self.audit_live(desired).await {
            Ok((legs, after)) => Some((legs, after)),
            Err(error) => {
                let why = crate::error_chain::one_line(&error);
                for planned in applied.drain(..) {
                    let message = format!("written, but not verified: {why}");
                    records.push(record(planned, FixOutcome::Failed, Some(message)));
                }
                None
            }
        };
        if let Some((legs, after)) = &after {
            for planned in applied {
                let verdict = verify(planned, after, &settings.options);
                if verdict.is_ok() && settings.events && planned.action != FixAction::Delete {
                    let uid = legs
                        .live
                        .get(&planned.reference)
                        .and_then(|o| o.0.pointer("/metadata/uid"))
                        .and_then(|u| u.as_str())
                        .map(str::to_string);
                    if let Err(error) = fix::record_event(&connection.client, planned, uid).await {
                        ui.note(&format!("warning: {}: {}", planned.reference, crate::error_chain::one_line(&error)));
                    }
                }
                records.push(match verdict {
                    Ok(()) => record(planned, FixOutcome::Fixed, Some(describe_fields(planned))),
                    Err(message) => record(planned, FixOutcome::Failed, Some(message)),
                });
            }
        }
        records.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(Repair { found: audit, records, verified: after.map(|(_, audit)| audit) })
    }
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
                ObjectClass::Error | ObjectClass::UnknownKind => {
                    Err(format!("written, but not verified: {}", o.error.as_deref().unwrap_or("cannot be read again")))
                }
                _ if !left.is_empty() => Err(format!("still differs after the repair: {}", left.join(", "))),
                _ => Ok(()),
            }
        }
    }
}

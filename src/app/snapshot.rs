//! `driftctl snapshot`: the live objects a source's desired objects name,
//! read with the session's live read and written to a directory that
//! `check --live-from` reads back.

use std::sync::Arc;

use anyhow::bail;

use super::Outcome;
use super::terminal::TerminalObserver;
use crate::cli::{Config, SnapshotArgs, plan_snapshot};
use crate::cluster::Unreadable;
use crate::pipeline::Session;

/// Runs `driftctl snapshot`.
pub fn snapshot(args: &SnapshotArgs, config: &Config) -> anyhow::Result<Outcome> {
    let plan = plan_snapshot(args, config)?;
    let runtime = super::runtime()?;
    let session = Session::open(plan.session, runtime.handle().clone(), Arc::new(TerminalObserver::new(config)))?;
    let desired = session.desired()?;
    let live = runtime.block_on(session.live_objects(&desired))?;
    if let Some((reference, problem)) = live.unreadable.iter().next() {
        let message = match problem {
            Unreadable::UnknownKind(m) | Unreadable::Error(m) => m,
        };
        bail!("cannot read {reference} for the snapshot: {message}");
    }
    let mut objects: Vec<_> = desired.set.objects.iter().filter_map(|o| live.objects.get(&o.object_ref())).collect();
    objects.sort_by_key(|m| m.object_ref());
    objects.dedup_by_key(|m| m.object_ref());
    let written = crate::cluster::write_snapshot(&plan.out, &objects)?;
    let desired_count = desired.set.objects.len();
    eprintln!(
        "wrote {} live objects to {} ({} of {desired_count} desired objects are absent from the cluster)",
        written.len(),
        plan.out.display(),
        desired_count - objects.len(),
    );
    Ok(Outcome::Clean)
}

//! `--fix`: put the cluster back. The plan says, per object, what will be
//! written (pure, from the audit); the preview sends it as a server-side
//! dry-run so rejections surface before anything changes; the repair applies
//! it with server-side apply under the field manager of the deployment tool,
//! records an Event, and is verified by a fresh audit. A Lease keeps two
//! repairs from running at once.
//!
//! Nothing outside the plan is written, and Secret values are sent only from
//! the real desired or last-applied object, never from a masked report.

mod apply;
mod events;
mod lock;
mod plan;
mod pointer_edit;

pub use apply::{apply_fix, preview_fix};
pub use events::record_event;
pub use lock::{RepairLock, acquire_lock};
pub use plan::{FixOptions, PROTECT_ANNOTATIONS, PlannedFix, plan_fixes};

use serde::Serialize;

use crate::object::ObjectRef;

/// What a repair does to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAction {
    /// Server-side apply over a modified object.
    Apply,
    /// Re-create a missing object.
    Create,
    /// Delete an extra object (`--prune`).
    Delete,
    /// Left alone (the message says why).
    Skip,
}

impl FixAction {
    /// The name used in reports (`apply`, `create`…).
    pub fn as_str(self) -> &'static str {
        match self {
            FixAction::Apply => "apply",
            FixAction::Create => "create",
            FixAction::Delete => "delete",
            FixAction::Skip => "skip",
        }
    }
}

/// How one repair ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixOutcome {
    /// Applied and verified by a fresh audit.
    Fixed,
    /// Rejected or not verified; the message has the API error.
    Failed,
    /// Not attempted.
    Skipped,
}

impl FixOutcome {
    /// The name used in reports (`fixed`, `failed`, `skipped`).
    pub fn as_str(self) -> &'static str {
        match self {
            FixOutcome::Fixed => "fixed",
            FixOutcome::Failed => "failed",
            FixOutcome::Skipped => "skipped",
        }
    }
}

/// The result of a repair for one object, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixRecord {
    /// The object.
    pub reference: ObjectRef,
    /// Its `apiVersion`.
    pub api_version: String,
    /// What was attempted.
    pub action: FixAction,
    /// How it ended.
    pub outcome: FixOutcome,
    /// The fields repaired, the error, or why it was skipped.
    pub message: Option<String>,
}

/// Why a repair, or the repair machinery, failed. Per-object failures end in a
/// [`FixRecord`]'s message; lock failures stop the run.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    /// Another run holds the repair lock.
    #[error(
        "another driftctl repair holds the lock {namespace}/{name} (holder: {holder}); waited {waited_secs}s. Try again later, or raise --lock-timeout"
    )]
    Locked {
        /// Lease namespace.
        namespace: String,
        /// Lease name.
        name: String,
        /// Who holds it, as far as known.
        holder: String,
        /// How long this run waited.
        waited_secs: u64,
    },
    /// The Lease could not be used.
    #[error("cannot use the repair lock {namespace}/{name}")]
    Lease {
        /// Lease namespace.
        namespace: String,
        /// Lease name.
        name: String,
        /// What failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The API server refused a write, or did not answer.
    #[error("{action}")]
    Api {
        /// What was being written.
        action: String,
        /// The server's answer.
        #[source]
        source: crate::cluster::ApiError,
    },
    /// A guarded patch found the object changed since the audit.
    #[error("{reference} changed while being repaired ({message}); nothing was written, run the check again")]
    Changed {
        /// The object.
        reference: ObjectRef,
        /// The server's message.
        message: String,
    },
    /// The cluster serves no resource for the object's kind.
    #[error("{reference}: the cluster does not serve this kind")]
    Unserved {
        /// The object.
        reference: ObjectRef,
    },
    /// A plan that should carry an object carries none (a bug).
    #[error("{reference}: no object to send (internal error)")]
    NothingToSend {
        /// The object.
        reference: ObjectRef,
    },
}

impl FixError {
    /// Whether the API server did not answer within the request timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, FixError::Api { source, .. } if source.is_timeout())
    }
}

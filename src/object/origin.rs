//! Where a desired object came from: the file and line in the source, and the
//! unit (plain file, chart, Helm release, Kustomization) that produced it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The deployment unit an object belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Unit {
    /// A plain manifest file, applied as is.
    Plain,
    /// A kustomize overlay rendered from the directory (relative to the source root).
    Kustomize {
        /// Directory of the kustomization.
        path: String,
    },
    /// A Helm chart found in the source (directory relative to the source root).
    Chart {
        /// Directory of the chart.
        path: String,
    },
    /// A Helm release (from a HelmRelease object or the cluster's release storage).
    HelmRelease {
        /// Release namespace.
        namespace: String,
        /// Release name.
        name: String,
    },
    /// A Flux Kustomization.
    FluxKustomization {
        /// Namespace of the Kustomization object.
        namespace: String,
        /// Name of the Kustomization object.
        name: String,
    },
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Plain => f.write_str("plain"),
            Unit::Kustomize { path } => write!(f, "kustomize/{path}"),
            Unit::Chart { path } => write!(f, "chart/{path}"),
            Unit::HelmRelease { namespace, name } => write!(f, "HelmRelease/{namespace}/{name}"),
            Unit::FluxKustomization { namespace, name } => write!(f, "Kustomization/{namespace}/{name}"),
        }
    }
}

/// The place a desired object was declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// File relative to the source root (`/`-separated).
    pub file: String,
    /// 1-based line of the object's document in that file (0 when rendered, with no line).
    pub line: usize,
    /// The unit that produced the object.
    pub unit: Unit,
}

/// Go's `path.Clean` of a relative, `/`-separated path: `.` and empty elements
/// dropped, `..` applied where it can be (kept at the front); `.` when nothing is left.
pub fn clean_relative_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

impl Origin {
    /// A file's path from the source root, given the directory of the unit
    /// that read it (from the source root; `.` for the root itself) and the
    /// file's path from that directory, which may climb out of it with `..`
    /// (an overlay's base, a chart's file). `.` and `..` are resolved as
    /// text, as the paths in reports are read.
    pub fn path_in_source(unit_dir: &str, relative: &str) -> String {
        clean_relative_path(&format!("{unit_dir}/{relative}"))
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 { write!(f, "{}:{}", self.file, self.line) } else { f.write_str(&self.file) }
    }
}

/// The Helm release revision that manages an object, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReleaseRef {
    /// Release namespace.
    pub namespace: String,
    /// Release name.
    pub name: String,
    /// The deployed revision compared against.
    pub revision: u64,
    /// `CHART-VERSION`.
    pub chart: String,
    /// What Helm recorded of the revision (`info.description`: `Install complete`,
    /// `Upgrade complete`, `Rollback to 3`…).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether the revision is known to come from Git; `None` where that is not in
    /// question (the release itself is the desired state, or Git renders exactly it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// Where a Helm release revision came from, as far as driftctl can show. Release
/// storage can be written by anyone who runs `helm upgrade`, so the revision is the
/// last-applied leg of a pending Git change only when it is shown to come from Git.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum Provenance {
    /// An earlier Git revision of the chart renders to it.
    Git {
        /// The commit.
        commit: String,
    },
    /// A Flux HelmRelease's status names it as the revision Flux applied.
    Flux {
        /// The HelmRelease, `NAMESPACE/NAME`.
        #[serde(rename = "helmRelease")]
        helm_release: String,
    },
    /// Nothing shows it came from Git: it was written by hand (`helm upgrade --set`…)
    /// or from files that were never committed.
    Unproven {
        /// How many Git revisions of the chart were rendered and compared (0: the
        /// source has no history, or the release is not from one of its charts).
        searched: usize,
    },
}

impl Provenance {
    /// Whether the revision is not shown to come from Git.
    pub fn is_unproven(&self) -> bool {
        matches!(self, Provenance::Unproven { .. })
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Git { commit } => write!(f, "rendered by Git revision {}", &commit[..commit.len().min(12)]),
            Provenance::Flux { helm_release } => write!(f, "applied by Flux HelmRelease {helm_release}"),
            Provenance::Unproven { searched: 0 } => {
                f.write_str("not shown to come from Git (no Git history to search)")
            }
            Provenance::Unproven { searched } => {
                write!(f, "not rendered by any of the {searched} Git revision(s) of the chart searched")
            }
        }
    }
}

impl ReleaseRef {
    /// The unit whose objects this release manages.
    pub fn unit(&self) -> Unit {
        Unit::HelmRelease { namespace: self.namespace.clone(), name: self.name.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_a_unit_are_given_from_the_source_root() {
        assert_eq!(Origin::path_in_source("apps/web", "templates/svc.yaml"), "apps/web/templates/svc.yaml");
        assert_eq!(Origin::path_in_source(".", "templates/svc.yaml"), "templates/svc.yaml");
        assert_eq!(Origin::path_in_source("clusters/prod", "../base/cm.yaml"), "clusters/base/cm.yaml");
        assert_eq!(Origin::path_in_source("prod", "../../shared/cm.yaml"), "../shared/cm.yaml");
        assert_eq!(Origin::path_in_source("./a/", "./b/../c.yaml"), "a/c.yaml");
    }
}

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

impl Origin {
    /// A file's path from the source root, given the directory of the unit
    /// that read it (from the source root; `.` for the root itself) and the
    /// file's path from that directory, which may climb out of it with `..`
    /// (an overlay's base, a chart's file). `.` and `..` are resolved as
    /// text, as the paths in reports are read.
    pub fn path_in_source(unit_dir: &str, relative: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for part in unit_dir.split('/').chain(relative.split('/')) {
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

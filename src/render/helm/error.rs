//! Errors of Helm chart rendering, worded as `helm template` words them so a
//! user can search Helm's documentation for them.
//!
//! This module must not render or load anything.

use std::path::PathBuf;

/// Everything that can stop a chart from rendering.
#[derive(Debug, thiserror::Error)]
pub enum HelmError {
    /// A chart file or directory could not be read.
    #[error("{}: cannot read: {source}; check the path and its permissions", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A chart file or directory leads out of the source through a symlink.
    #[error("{}: refused", path.display())]
    OutsideSource {
        /// The path in the chart.
        path: PathBuf,
        /// Where it leads.
        #[source]
        source: crate::source::OutsideSource,
    },
    /// The path holds no chart.
    #[error("{}: no Chart.yaml found; pass a chart directory or a packaged chart (.tgz)", path.display())]
    NotAChart {
        /// The path given.
        path: PathBuf,
    },
    /// A packaged chart is not a gzip-compressed tar archive Helm could read.
    #[error("{}: {message}", path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// `Chart.yaml`, `values.yaml` or another chart file is invalid; the message is Helm's.
    #[error("{message}")]
    InvalidChart {
        /// Helm's message, naming the chart and file.
        message: String,
    },
    /// A `.helmignore` rule is invalid; the message is Helm's, which names
    /// neither the file nor the rule.
    #[error("{message}")]
    Ignore {
        /// What is wrong.
        message: String,
    },
    /// A values file or `--set` flag could not be read; the message is Helm's.
    #[error("{message}")]
    Values {
        /// Helm's message.
        message: String,
    },
    /// The release name is not a valid DNS subdomain of at most 53 characters.
    #[error(
        "release name {name:?}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
    )]
    ReleaseName {
        /// The name given.
        name: String,
    },
    /// A dependency is missing from `charts/` or otherwise unusable.
    #[error("{message}")]
    Dependency {
        /// Helm's message, naming the dependencies.
        message: String,
    },
    /// Values do not satisfy `values.schema.json`.
    #[error("values don't meet the specifications of the schema(s) in the following chart(s):\n{details}")]
    Schema {
        /// One block per chart, as Helm prints them.
        details: String,
    },
    /// A template failed to parse or execute; the message is Helm's.
    #[error("{message}")]
    Template {
        /// Helm's message (`template: FILE:LINE:COL: ...`, `execution error at (...)`).
        message: String,
    },
    /// A rendered template is not valid YAML.
    #[error("YAML parse error on {file}: {message}")]
    RenderedYaml {
        /// The template file (`CHART/templates/FILE`).
        file: String,
        /// The parser's message.
        message: String,
    },
    /// The chart's `kubeVersion` constraint excludes the target cluster version.
    #[error("chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version}")]
    KubeVersion {
        /// The chart's constraint.
        constraint: String,
        /// The Kubernetes version rendered for.
        version: String,
    },
}

//! Errors of the kustomize renderer. Messages follow `kustomize build`'s wording where
//! users search for it, and always name the file (and line when known) to look at.

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can go wrong while building a kustomization.
#[derive(Debug, Error)]
pub enum KustomizeError {
    /// A file or directory could not be read.
    #[error("{path}: {source}; check that the path exists and is readable")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The directory has no kustomization file.
    #[error(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{}'",
        dir.display()
    )]
    MissingKustomization {
        /// The directory searched.
        dir: PathBuf,
    },
    /// The directory has more than one kustomization file.
    #[error("found multiple kustomization files under: {}; keep only one", dir.display())]
    MultipleKustomizations {
        /// The directory searched.
        dir: PathBuf,
    },
    /// A YAML file is not well formed or not the expected shape.
    #[error("{}:{line}: {message}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The kustomization file has a field or value kustomize rejects.
    #[error("invalid Kustomization {}: {message}", path.display())]
    InvalidKustomization {
        /// The kustomization file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A feature kustomize has that driftctl does not render.
    #[error("{}: `{feature}` is not supported by driftctl's kustomize renderer; {hint}", path.display())]
    Unsupported {
        /// The kustomization file.
        path: PathBuf,
        /// The field or construct.
        feature: String,
        /// What to do instead.
        hint: String,
    },
    /// A resource entry names a remote URL.
    #[error(
        "{}: remote resource '{url}' is not supported offline; vendor it into the repository and refer to the local copy",
        path.display()
    )]
    RemoteResource {
        /// The kustomization file naming it.
        path: PathBuf,
        /// The URL.
        url: String,
    },
    /// A resource, component, patch or generator file does not exist.
    #[error("{}: '{entry}': '{}' does not exist; fix the path in the kustomization", kustomization.display(), resolved.display())]
    MissingEntry {
        /// The kustomization file naming it.
        kustomization: PathBuf,
        /// The entry as written.
        entry: String,
        /// The path it resolved to.
        resolved: PathBuf,
    },
    /// Kustomizations include each other in a loop.
    #[error("cycle detected: '{}' is already being built (chain: {chain}); remove one of the references", dir.display())]
    Cycle {
        /// The directory seen twice.
        dir: PathBuf,
        /// The chain of directories that led here.
        chain: String,
    },
    /// Two resources have the same identity.
    #[error("may not add resource with an already registered id: {id} (from {}); give one of them another name or namespace", origin.display())]
    ConflictingId {
        /// The id, as kustomize prints it.
        id: String,
        /// Where the second copy came from.
        origin: PathBuf,
    },
    /// A patch targets nothing.
    #[error("{}: no resource matches the patch target {target}; check its kind, name and namespace", path.display())]
    PatchTargetNotFound {
        /// The kustomization or patch file.
        path: PathBuf,
        /// The target, as written.
        target: String,
    },
    /// A patch is malformed or cannot be applied.
    #[error("{}: {message}", path.display())]
    Patch {
        /// The kustomization or patch file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A generator could not produce its object.
    #[error("{}: {kind} generator '{name}': {message}", path.display())]
    Generator {
        /// The kustomization file.
        path: PathBuf,
        /// `ConfigMap` or `Secret`.
        kind: &'static str,
        /// Generator name.
        name: String,
        /// What failed.
        message: String,
    },
    /// A replacement or var could not be resolved.
    #[error("{}: {message}", path.display())]
    Replacement {
        /// The kustomization file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A transformer found a value of the wrong shape.
    /// A `crds:` file that is not an OpenAPI definition map.
    #[error("loading CRDs [{entries}]: unable to parse open API definition from '{entry}': {message}")]
    Definitions {
        /// Every entry under `crds:`, space-separated.
        entries: String,
        /// The entry as listed under `crds:`.
        entry: String,
        /// What was wrong.
        message: String,
    },
    #[error("{object}: {message}")]
    Transform {
        /// The object, as `Kind/namespace/name`.
        object: String,
        /// What failed.
        message: String,
    },
}

/// Shorthand for results of this module.
pub type Result<T> = std::result::Result<T, KustomizeError>;

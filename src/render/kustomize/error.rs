//! Errors of the kustomize renderer. Messages follow `kustomize build`'s wording where
//! users search for it, and always name the file (and line when known) to look at.

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can go wrong while building a kustomization. Messages are worded as
/// `kustomize build` (v5.5.0) words them, including the prefixes it adds on the way up
/// (`Wrapped`, `Accumulation`), so that users can search for them; paths are absolute.
#[derive(Debug, Error)]
pub enum KustomizeError {
    /// A file or directory could not be read.
    #[error("{}: {source}; check that the path exists and is readable", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file or directory does not exist (Go's `filepath.EvalSymlinks` failure).
    #[error("evalsymlink failure on '{}' : lstat {}: no such file or directory", path.display(), first_missing.display())]
    Missing {
        /// The path asked for.
        path: PathBuf,
        /// Its first component that does not exist.
        first_missing: PathBuf,
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
    #[error("Found multiple kustomization files under: {}", dir.display())]
    MultipleKustomizations {
        /// The directory searched.
        dir: PathBuf,
    },
    /// A resource file is not well-formed YAML.
    #[error("MalformedYAMLError: {message} in File: {entry}")]
    MalformedYaml {
        /// The file.
        path: PathBuf,
        /// The entry as written in the kustomization.
        entry: String,
        /// go-yaml's message (`yaml: line N: ...`).
        message: String,
    },
    /// A YAML document is not the expected shape.
    #[error("{}:{line}: {message}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The kustomization file is not valid YAML or has a field kustomize rejects.
    #[error("invalid Kustomization: {message}")]
    InvalidKustomization {
        /// The kustomization file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The kustomization asks for something kustomize refuses (a file outside its
    /// directory, a Component where a Kustomization belongs, ...).
    #[error("{message}")]
    Refused {
        /// The kustomization file or directory concerned.
        path: PathBuf,
        /// kustomize's message.
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
        "remote resource '{url}' is not supported offline; vendor it into the repository and refer to the local copy"
    )]
    RemoteResource {
        /// The kustomization file naming it.
        path: PathBuf,
        /// The URL.
        url: String,
    },
    /// A kustomization (directly or through others) includes a directory at or above itself.
    #[error("cycle detected: candidate root '{}' contains visited root '{}'", candidate.display(), visited.display())]
    Cycle {
        /// The directory about to be built.
        candidate: PathBuf,
        /// The directory being built that lies at or below it.
        visited: PathBuf,
    },
    /// Two resources have the same identity.
    #[error("may not add resource with an already registered id: {id}")]
    ConflictingId {
        /// The id, as kustomize prints it.
        id: String,
        /// Where the second copy came from.
        origin: PathBuf,
    },
    /// A patch without a target names an object that does not exist.
    #[error("no matches for Id {id}; failed to find unique target for patch {id}")]
    PatchTargetNotFound {
        /// The kustomization or patch file.
        path: PathBuf,
        /// The id the patch names.
        id: String,
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
    #[error("{message}")]
    Generator {
        /// The kustomization file.
        path: PathBuf,
        /// kustomize's message.
        message: String,
    },
    /// A generated object clashes with an existing one, or merges into nothing.
    #[error("merging from generator &{{0xc000000000 <nil>}}: {message}")]
    GeneratorMerge {
        /// The kustomization file.
        path: PathBuf,
        /// kustomize's message, naming the id in Go syntax.
        message: String,
    },
    /// A replacement or var could not be resolved.
    #[error("{message}")]
    Replacement {
        /// The kustomization file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A `crds:` file that is not an OpenAPI definition map.
    #[error("unable to parse open API definition from '{entry}': {message}")]
    Definitions {
        /// The entry as listed under `crds:`.
        entry: String,
        /// What was wrong.
        message: String,
    },
    /// A transformer found a value of the wrong shape.
    #[error("{object}: {message}")]
    Transform {
        /// The object, as `Kind/namespace/name`.
        object: String,
        /// What failed.
        message: String,
    },
    /// An error with the context kustomize prefixes it with on the way up.
    #[error("{context}: {inner}")]
    Wrapped {
        /// What was being done (`accumulating resources`, `recursed accumulation of path ...`).
        context: String,
        /// The error itself.
        inner: Box<KustomizeError>,
    },
    /// A field spec's path that cannot be walked in an object.
    #[error(transparent)]
    FieldWalk(#[from] super::fieldspec::FieldWalkError),
    /// A kustomization directory (the one built, or a base or component it names) leads out
    /// of the source through a symlink or `..`: kustomize would read it, driftctl does not.
    #[error("kustomization refused")]
    OutsideSource {
        /// Where it leads.
        #[source]
        source: crate::source::OutsideSource,
    },
    /// A resource entry that failed both as a file and as a directory: kustomize reports both.
    #[error("accumulation err='{as_file}': {as_directory}")]
    Accumulation {
        /// Why it could not be read as a file.
        as_file: Box<KustomizeError>,
        /// Why it could not be built as a directory.
        as_directory: Box<KustomizeError>,
    },
}

impl KustomizeError {
    /// This error behind kustomize's `context: ` prefix.
    pub fn within(self, context: impl Into<String>) -> Self {
        KustomizeError::Wrapped { context: context.into(), inner: Box::new(self) }
    }

    /// True when the error (behind any prefixes) is a resource file that is not valid YAML.
    pub fn is_malformed_yaml(&self) -> bool {
        match self {
            KustomizeError::MalformedYaml { .. } => true,
            KustomizeError::Wrapped { inner, .. } => inner.is_malformed_yaml(),
            _ => false,
        }
    }
}

/// Go's `%q` of a string, from the crate's one Go quoter.
pub(crate) use crate::yaml::goquote::quote as go_quote;

/// Shorthand for results of this module.
pub type Result<T> = std::result::Result<T, KustomizeError>;

//! File access for one kustomization directory: finding the kustomization file, resolving
//! entries relative to it, and kustomize's load restriction (`LoadRestrictionsRootOnly`:
//! files a kustomization reads must be in or below its own directory once symlinks are
//! resolved). Other kustomizations may live anywhere in kustomize; here they must stay
//! inside the source's boundary, which every loader of one build carries.

use std::path::{Component, Path, PathBuf};

use super::error::{KustomizeError, Result};
use crate::discover::KUSTOMIZATION_FILES;
use crate::source::SourceRoot;

/// Reads files on behalf of one kustomization.
#[derive(Debug, Clone)]
pub struct Loader {
    /// The kustomization's directory (absolute, symlinks resolved as kustomize resolves
    /// its root).
    pub root: PathBuf,
    /// The kustomization file, for messages.
    pub kustomization_path: PathBuf,
    /// What any kustomization of the build may read: the source's boundary.
    pub boundary: SourceRoot,
}

impl Loader {
    /// A loader for the kustomization in `dir`; fails when there is none or more than one,
    /// or when `dir` leads out of `boundary`.
    pub fn for_directory(dir: &Path, boundary: &SourceRoot) -> Result<Self> {
        let root = absolute(dir)?;
        boundary.resolve(&root).map_err(|source| KustomizeError::OutsideSource { source })?;
        let found: Vec<PathBuf> = KUSTOMIZATION_FILES.iter().map(|n| root.join(n)).filter(|p| p.is_file()).collect();
        match found.as_slice() {
            [] => Err(KustomizeError::MissingKustomization { dir: root }),
            [one] => Ok(Loader { kustomization_path: one.clone(), root, boundary: boundary.clone() }),
            _ => Err(KustomizeError::MultipleKustomizations { dir: root }),
        }
    }

    /// The kustomization file's text.
    pub fn read_kustomization(&self) -> Result<String> {
        read_text(&self.kustomization_path)
    }

    /// An entry's path, resolved against the kustomization directory and normalized.
    pub fn resolve(&self, entry: &str) -> PathBuf {
        normalize(&self.root.join(entry))
    }

    /// Reads a file named relative to the kustomization, enforcing the load restriction.
    pub fn read_relative(&self, entry: &str) -> Result<Vec<u8>> {
        let path = self.resolve(entry);
        if !path.exists() {
            return Err(missing(&path));
        }
        if path.is_dir() {
            return Err(KustomizeError::Refused {
                message: format!("'{}' must resolve to a file", path.display()),
                path,
            });
        }
        self.check_within_root(&path)?;
        std::fs::read(&path).map_err(|source| KustomizeError::Io { path, source })
    }

    /// Fails when a file lies outside the kustomization's directory once its symlinks are
    /// resolved (kustomize's `fileLoader.Load`); kustomize names the path as written.
    pub fn check_within_root(&self, path: &Path) -> Result<()> {
        let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if resolved.starts_with(&self.root) {
            return Ok(());
        }
        Err(KustomizeError::Refused {
            path: self.kustomization_path.clone(),
            message: format!("security; file '{}' is not in or below '{}'", path.display(), self.root.display()),
        })
    }
}

/// The error for a path that does not exist, naming its first missing component as Go's
/// `lstat` does.
pub fn missing(path: &Path) -> KustomizeError {
    let first_missing = path
        .ancestors()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|ancestor| !ancestor.exists())
        .unwrap_or(path)
        .to_path_buf();
    KustomizeError::Missing { path: path.to_path_buf(), first_missing }
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| KustomizeError::Io { path: path.to_path_buf(), source })
}

/// The directory absolute, with its symlinks resolved when it exists (kustomize's
/// `ConfirmDir`), else normalized lexically.
fn absolute(dir: &Path) -> Result<PathBuf> {
    let joined = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(|source| KustomizeError::Io { path: dir.to_path_buf(), source })?.join(dir)
    };
    Ok(joined.canonicalize().unwrap_or_else(|_| normalize(&joined)))
}

/// Removes `.` and resolves `..` lexically, as kustomize does for its file names.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// True for entries kustomize would fetch over the network.
pub fn is_remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.contains("?ref=")
}

//! The boundary of a source: the directory (symlinks resolved) that nothing
//! driftctl reads may leave. A repository anyone can push to could otherwise
//! point a symlink at `/etc/shadow` or `~/.kube/config` and have its content
//! printed in a report or applied to a cluster by `--fix`.
//!
//! Every reader of the source's files (discover, the kustomize loader, the
//! chart loader, the project settings file) asks [`SourceRoot::resolve`]
//! before reading; this module must not read file contents itself.

use std::path::{Path, PathBuf};

/// A path of the source that resolves (through symlinks) to a place outside it.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} resolves to {}, outside the source {}; driftctl reads nothing outside the source (symlinks within it are fine)",
    path.display(),
    target.display(),
    root.display()
)]
pub struct OutsideSource {
    /// The path as found in the source.
    pub path: PathBuf,
    /// Where it leads once every symlink is resolved.
    pub target: PathBuf,
    /// The source's root, symlinks resolved.
    pub root: PathBuf,
}

/// The canonical directory (or single file) a source is read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceRoot {
    canonical: PathBuf,
}

impl SourceRoot {
    /// The boundary at `path` (a directory or a single file), symlinks resolved.
    pub fn new(path: &Path) -> std::io::Result<Self> {
        Ok(SourceRoot { canonical: path.canonicalize()? })
    }

    /// The boundary at `path`, or at `path` taken as it is when it cannot be
    /// resolved (it does not exist: then nothing below it can be read either).
    pub fn new_or_lexical(path: &Path) -> Self {
        SourceRoot::new(path).unwrap_or_else(|_| SourceRoot { canonical: path.to_path_buf() })
    }

    /// The root, symlinks resolved.
    pub fn path(&self) -> &Path {
        &self.canonical
    }

    /// Where `path` leads, symlinks resolved, when that is inside the root. A
    /// path that does not resolve (missing, or a dangling link) is returned
    /// as it is: reading it fails on its own, and says why.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, OutsideSource> {
        match path.canonicalize() {
            Ok(target) if target.starts_with(&self.canonical) => Ok(target),
            Ok(target) => Err(OutsideSource { path: path.to_path_buf(), target, root: self.canonical.clone() }),
            Err(_) => Ok(path.to_path_buf()),
        }
    }

    /// Whether `path` resolves to a place inside the root (see [`SourceRoot::resolve`]).
    pub fn contains(&self, path: &Path) -> bool {
        self.resolve(path).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn symlinks_inside_stay_allowed_and_those_leaving_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/real.yaml"), "x").unwrap();
        symlink("real.yaml", dir.path().join("a/inside.yaml")).unwrap();
        symlink(outside.path().join("secret"), dir.path().join("a/leak")).unwrap();
        symlink("../../../../../../../../etc", dir.path().join("etc")).unwrap();
        let root = SourceRoot::new(dir.path()).unwrap();

        assert!(root.contains(&dir.path().join("a/inside.yaml")));
        assert!(root.contains(&dir.path().join("a/../a/real.yaml")));
        assert!(root.contains(&dir.path().join("missing.yaml")), "reading reports what is missing");
        let err = root.resolve(&dir.path().join("a/leak")).unwrap_err();
        assert_eq!(err.target, outside.path().canonicalize().unwrap().join("secret"));
        assert!(err.to_string().contains("outside the source"), "{err}");
        assert!(!root.contains(&dir.path().join("etc")));
        assert!(!root.contains(&dir.path().join("a/../..")), "a path climbing out is outside too");
    }

    #[test]
    fn a_single_file_is_its_own_boundary() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("one.yaml"), "x").unwrap();
        let root = SourceRoot::new(&dir.path().join("one.yaml")).unwrap();
        assert!(root.contains(&dir.path().join("one.yaml")));
        assert!(!root.contains(dir.path()));
    }
}

//! Where the desired state comes from: a local directory, or a Git repository
//! at a ref. Both end as a directory on disk that later stages read; a Git
//! tree is exported from the object database of a cached bare clone (no
//! working tree, no index), once per commit, so renderers read plain files.
//!
//! Must not parse or interpret any file: that is `discover`.

mod git;
mod history;
mod root;

use std::path::{Path, PathBuf};

pub use git::GitAuth;
pub use history::{History, Version};
pub use root::{OutsideSource, SourceRoot};

/// Errors opening a source.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The local directory does not exist or is not a directory.
    #[error("source directory {path} does not exist or is not a directory")]
    NoSuchDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// `--path` leaves the source or names nothing.
    #[error("--path {path} does not name a directory inside the source ({source_root})")]
    BadSubdirectory {
        /// The `--path` value.
        path: String,
        /// The source root it was resolved against.
        source_root: String,
    },
    /// `--ref` was given for a local directory.
    #[error(
        "--ref {reference} only applies to a Git URL; {path} is a local directory (check out the ref there, or pass the repository URL)"
    )]
    RefWithoutGit {
        /// The ref given.
        reference: String,
        /// The local path.
        path: PathBuf,
    },
    /// Cloning or fetching failed.
    #[error("cannot fetch {url}: {message}")]
    Fetch {
        /// Repository URL.
        url: String,
        /// What git said, and what to check.
        message: String,
    },
    /// The ref does not name a branch, tag or commit of the repository.
    #[error("ref {reference} is not a branch, tag or commit of {url}")]
    UnknownRef {
        /// The ref given.
        reference: String,
        /// Repository URL.
        url: String,
    },
    /// Reading the repository or writing the exported tree failed.
    #[error("git repository cache {path}: {message}")]
    Cache {
        /// The cache directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// What the user asked for: `SOURCE`, `--ref` and `--path`.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// A directory, or a Git URL (`https://`, `ssh://`, `git@host:path`, `file://`).
    pub location: String,
    /// Branch, tag or commit (Git URLs only); default: the remote's HEAD.
    pub reference: Option<String>,
    /// Subdirectory of the source to audit.
    pub path: Option<String>,
}

/// An opened source: the directory to read and a description for reports.
#[derive(Debug, Clone)]
pub struct Source {
    /// Directory holding the desired state (after `--path`).
    pub root: PathBuf,
    /// The source as the user knows it, e.g. `file:///repo@main (3f2a9c1)` or `./clusters/prod`.
    pub description: String,
    /// Commit id for Git sources.
    pub revision: Option<String>,
    /// The Git history the source's files come from (`None`: a plain directory).
    pub history: Option<History>,
    /// What may be read: the whole directory or repository (also with
    /// `--path`, so an overlay may use a base beside it), symlinks resolved.
    pub boundary: SourceRoot,
}

/// Returns true when `location` is a Git URL rather than a local path.
pub fn is_git_url(location: &str) -> bool {
    ["https://", "http://", "ssh://", "git://", "file://"].iter().any(|p| location.starts_with(p))
        || is_scp_like(location)
}

/// `git@host:org/repo` (scp-like syntax): a user@host before the first colon, no slash before it.
fn is_scp_like(location: &str) -> bool {
    match location.split_once(':') {
        Some((head, rest)) => head.contains('@') && !head.contains('/') && !rest.is_empty(),
        None => false,
    }
}

/// Opens a source: local directories are used in place; Git URLs are fetched
/// into `cache_dir` and the tree at the ref is exported once per commit.
pub fn open(spec: &SourceSpec, cache_dir: &Path, auth: &GitAuth) -> Result<Source, SourceError> {
    let (base, description, revision, history) = if is_git_url(&spec.location) {
        let export = git::open(&spec.location, spec.reference.as_deref(), cache_dir, auth)?;
        let short = &export.commit[..export.commit.len().min(7)];
        let at = spec.reference.as_deref().map(|r| format!("@{r}")).unwrap_or_default();
        let history = History::of_clone(
            &export.git_dir,
            &export.commit,
            Path::new(spec.path.as_deref().unwrap_or_default().trim_matches('/')),
        );
        (export.tree_dir, format!("{}{at} ({short})", spec.location), Some(export.commit), history)
    } else {
        let path = PathBuf::from(&spec.location);
        if let Some(reference) = &spec.reference {
            return Err(SourceError::RefWithoutGit { reference: reference.clone(), path });
        }
        if !path.is_dir() {
            return Err(SourceError::NoSuchDirectory { path });
        }
        let history = History::of_directory(&path);
        (path, spec.location.clone(), None, history)
    };
    let history = match (&spec.path, history) {
        // A local directory's history was found from the directory itself; `--path` moves the root down.
        (Some(sub), Some(history)) if revision.is_none() => history.below(Path::new(sub.trim_matches('/'))),
        (_, history) => history,
    };
    let boundary = SourceRoot::new(&base).map_err(|_| SourceError::NoSuchDirectory { path: base.clone() })?;
    let root = match &spec.path {
        None => base,
        Some(sub) => subdirectory(&base, sub)
            .filter(|dir| boundary.contains(dir))
            .ok_or_else(|| SourceError::BadSubdirectory { path: sub.clone(), source_root: description.clone() })?,
    };
    let description = match &spec.path {
        Some(sub) => format!("{description}//{}", sub.trim_matches('/')),
        None => description,
    };
    Ok(Source { root, description, revision, history, boundary })
}

/// Resolves `--path` inside `base`, refusing anything that climbs out of it.
fn subdirectory(base: &Path, sub: &str) -> Option<PathBuf> {
    let relative = Path::new(sub.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir)) {
        return None;
    }
    let dir = base.join(relative);
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_git_urls() {
        for url in ["https://github.com/o/r", "ssh://git@h/o/r.git", "git@github.com:o/r.git", "file:///tmp/repo"] {
            assert!(is_git_url(url), "{url}");
        }
        for path in [".", "./clusters/prod", "/abs/dir", "C:/x", "dir:with:colons"] {
            assert!(!is_git_url(path), "{path}");
        }
    }

    #[test]
    fn subdirectory_must_stay_inside() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("a/b")).unwrap();
        assert!(subdirectory(tmp.path(), "a/b").is_some());
        assert!(subdirectory(tmp.path(), "/a/").is_some());
        assert!(subdirectory(tmp.path(), "../etc").is_none());
        assert!(subdirectory(tmp.path(), "missing").is_none());
    }

    #[test]
    fn local_source_rejects_ref_and_missing_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let spec = |location: &str, reference: Option<&str>| SourceSpec {
            location: location.into(),
            reference: reference.map(Into::into),
            path: None,
        };
        let auth = GitAuth::default();
        let dir = tmp.path().to_str().unwrap();
        assert!(matches!(open(&spec(dir, Some("main")), tmp.path(), &auth), Err(SourceError::RefWithoutGit { .. })));
        let missing = tmp.path().join("nope");
        assert!(matches!(
            open(&spec(missing.to_str().unwrap(), None), tmp.path(), &auth),
            Err(SourceError::NoSuchDirectory { .. })
        ));
        assert_eq!(open(&spec(dir, None), tmp.path(), &auth).unwrap().root, tmp.path());
    }
}

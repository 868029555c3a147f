//! The Git history behind a source: the earlier versions of one of its
//! directories (a chart), newest first, each exported to a directory of its
//! own, so a later stage can render them and show which revision produced a
//! state found in the cluster.
//!
//! A local directory has a history when it lies inside a Git work tree (its
//! `HEAD` is where the history starts; uncommitted changes are not part of
//! it); a Git URL's history is the cached clone, from the commit audited.
//! Must not parse or render any file: that is `discover` and `render`.

use std::path::{Component, Path, PathBuf};

use git2::{ObjectType, Oid, Repository, Sort};

use super::SourceError;

/// At most this many commits are walked looking for the versions of one
/// directory, however few versions are found: a long history is not read to
/// its start.
const MAX_COMMITS_WALKED: usize = 10_000;

/// Where a source sits in a Git repository.
#[derive(Debug, Clone)]
pub struct History {
    /// The repository (`.git` directory or bare clone).
    git_dir: PathBuf,
    /// The commit the source's files are at.
    commit: Oid,
    /// The source root's path inside the commit's tree (empty: the top).
    root_in_tree: PathBuf,
}

/// One version of a directory: the newest commit that has it.
#[derive(Debug, Clone)]
pub struct Version {
    /// The commit.
    pub commit: String,
    /// The directory's tree in that commit.
    tree: Oid,
}

impl Version {
    /// The directory's tree id: names the version's content, whatever commit has it.
    pub fn tree_id(&self) -> String {
        self.tree.to_string()
    }
}

impl History {
    /// The history of a Git URL's export: `root_in_tree` is `--path`.
    pub(super) fn of_clone(git_dir: &Path, commit: &str, root_in_tree: &Path) -> Option<History> {
        Some(History {
            git_dir: git_dir.to_path_buf(),
            commit: Oid::from_str(commit).ok()?,
            root_in_tree: root_in_tree.to_path_buf(),
        })
    }

    /// The history of a local directory: its work tree's `HEAD`, or `None` when the
    /// directory is not inside a Git work tree with at least one commit.
    pub(super) fn of_directory(root: &Path) -> Option<History> {
        let root = root.canonicalize().ok()?;
        let repo = Repository::discover(&root).ok()?;
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let root_in_tree = root.strip_prefix(&workdir).ok()?.to_path_buf();
        let commit = repo.head().ok()?.peel_to_commit().ok()?.id();
        Some(History { git_dir: repo.path().to_path_buf(), commit, root_in_tree })
    }

    /// The same history for a subdirectory of the source (`--path`).
    pub(super) fn below(self, sub: &Path) -> Option<History> {
        Some(History { root_in_tree: self.root_in_tree.join(sub), ..self })
    }

    /// The distinct versions of `dir` (relative to the source root), newest first:
    /// the version at the audited commit, then each earlier one a commit changed it
    /// to, at most `depth` in all. Merges are followed along every parent.
    pub fn versions(&self, dir: &Path, depth: usize) -> Result<Vec<Version>, SourceError> {
        let repo = self.open()?;
        let path = self.path_in_tree(dir);
        let mut walk = repo.revwalk().map_err(|e| self.error(e))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).map_err(|e| self.error(e))?;
        walk.push(self.commit).map_err(|e| self.error(e))?;
        let mut versions: Vec<Version> = Vec::new();
        for oid in walk.take(MAX_COMMITS_WALKED) {
            if versions.len() >= depth {
                break;
            }
            let oid = oid.map_err(|e| self.error(e))?;
            let commit = repo.find_commit(oid).map_err(|e| self.error(e))?;
            let tree = commit.tree().map_err(|e| self.error(e))?;
            let Some(dir_tree) = subtree(&tree, &path) else { continue };
            if !versions.iter().any(|v| v.tree == dir_tree) {
                versions.push(Version { commit: oid.to_string(), tree: dir_tree });
            }
        }
        Ok(versions)
    }

    /// Writes `version`'s files below `target` (which must not exist yet).
    pub fn export(&self, version: &Version, target: &Path) -> Result<(), SourceError> {
        let repo = self.open()?;
        let tree = repo.find_tree(version.tree).map_err(|e| self.error(e))?;
        let staging = target.parent().unwrap_or(target);
        super::git::export_tree(&repo, &tree, staging, target)
            .map_err(|message| SourceError::Cache { path: target.to_path_buf(), message })
    }

    fn path_in_tree(&self, dir: &Path) -> PathBuf {
        self.root_in_tree.join(dir).components().filter(|c| matches!(c, Component::Normal(_))).collect()
    }

    fn open(&self) -> Result<Repository, SourceError> {
        Repository::open(&self.git_dir).map_err(|e| self.error(e))
    }

    fn error(&self, e: git2::Error) -> SourceError {
        SourceError::Cache { path: self.git_dir.clone(), message: e.message().to_string() }
    }
}

/// The tree at `path` below `tree` (`tree` itself for an empty path).
fn subtree(tree: &git2::Tree<'_>, path: &Path) -> Option<Oid> {
    if path.as_os_str().is_empty() {
        return Some(tree.id());
    }
    let entry = tree.get_path(path).ok()?;
    (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn versions_of_a_directory_are_listed_newest_first_and_exported() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join("apps/web")).unwrap();
        git(&repo, &["init", "-q"]);
        for (file, text) in [("apps/web/v", "1"), ("other", "x"), ("apps/web/v", "2"), ("apps/web/v", "1")] {
            std::fs::write(repo.join(file), text).unwrap();
            git(&repo, &["add", "."]);
            git(&repo, &["commit", "-q", "-m", text]);
        }
        let history = History::of_directory(&repo.join("apps")).unwrap();
        let versions = history.versions(Path::new("web"), 10).unwrap();
        // v=1 (newest), v=2; the oldest v=1 is the same tree as the newest.
        assert_eq!(versions.len(), 2);
        let target = tmp.path().join("out/web");
        history.export(&versions[1], &target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("v")).unwrap(), "2");
        assert_eq!(history.versions(Path::new("web"), 1).unwrap().len(), 1);
        assert!(History::of_directory(tmp.path()).is_none(), "no work tree around it");
    }
}

//! Git sources: a bare clone per repository URL under the cache directory,
//! fetched on every run, and the tree at the requested ref exported (written
//! blob by blob from the object database, without a working tree or index)
//! into `trees/<commit>/`. A commit's export never changes, so it is reused.
//! The whole Git cache (`<cache>/git`) is readable by its owner only (0700):
//! a repository may hold Secrets.
//!
//! Symlink blobs are written as links, so links within the tree work as in a
//! checkout; one that leads out of the export is refused when read, by the
//! source's boundary (the export directory). An entry whose name could climb
//! out of the export (`..`, a `/`) fails the export: Git itself never writes one.

use std::path::{Path, PathBuf};

use git2::{
    Cred, CredentialType, FetchOptions, ObjectType, Oid, RemoteCallbacks, Repository, TreeWalkMode, TreeWalkResult,
};

use super::SourceError;

/// Credentials for fetching: the ssh agent and default keys are always tried.
#[derive(Debug, Clone, Default)]
pub struct GitAuth {
    /// Private key file for ssh URLs (`--ssh-key`, `DRIFTCTL_SSH_KEY`).
    pub ssh_key: Option<PathBuf>,
    /// Token for https URLs (`DRIFTCTL_GIT_TOKEN`), sent as the password.
    pub https_token: Option<String>,
    /// Home directory, for the default keys `~/.ssh/id_ed25519`, `~/.ssh/id_ecdsa`, `~/.ssh/id_rsa`.
    pub home: Option<PathBuf>,
}

/// The tree of one commit, exported to disk.
pub(super) struct Export {
    /// Directory holding the files of the commit.
    pub tree_dir: PathBuf,
    /// The bare clone it was exported from.
    pub git_dir: PathBuf,
    /// Full commit id.
    pub commit: String,
}

const FETCH_REFSPECS: [&str; 3] =
    ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*", "+HEAD:refs/remotes/origin/HEAD"];

/// Fetches `url` into the cache and exports the tree at `reference` (default: the remote HEAD).
pub(super) fn open(
    url: &str,
    reference: Option<&str>,
    cache_dir: &Path,
    auth: &GitAuth,
) -> Result<Export, SourceError> {
    let git_dir = cache_dir.join("git");
    let repo_dir = git_dir.join(cache_name(url));
    let cache_err = |message: String| SourceError::Cache { path: repo_dir.clone(), message };
    crate::owner_only::restrict_dir(&git_dir).map_err(|e| cache_err(e.to_string()))?;
    let repo = if repo_dir.join("HEAD").exists() {
        Repository::open_bare(&repo_dir).map_err(|e| cache_err(e.message().to_string()))?
    } else {
        crate::owner_only::create_dir_all(&repo_dir).map_err(|e| cache_err(e.to_string()))?;
        Repository::init_bare(&repo_dir).map_err(|e| cache_err(e.message().to_string()))?
    };

    // A full commit id already in the cache cannot change: no need to reach the remote.
    let cached_commit = reference
        .filter(|r| r.len() == 40)
        .and_then(|r| Oid::from_str(r).ok())
        .filter(|oid| repo.find_commit(*oid).is_ok());
    if cached_commit.is_none() {
        fetch(&repo, url, auth)?;
    }

    let commit = match cached_commit {
        Some(oid) => repo.find_commit(oid).map_err(|e| cache_err(e.message().to_string()))?,
        None => resolve(&repo, reference).ok_or_else(|| SourceError::UnknownRef {
            reference: reference.unwrap_or("HEAD").to_string(),
            url: url.to_string(),
        })?,
    };
    let commit_id = commit.id().to_string();
    let tree_dir = repo_dir.join("trees").join(&commit_id);
    if !tree_dir.is_dir() {
        export_tree(&repo, &commit.tree().map_err(|e| cache_err(e.message().to_string()))?, &repo_dir, &tree_dir)
            .map_err(cache_err)?;
    }
    Ok(Export { tree_dir, git_dir: repo_dir, commit: commit_id })
}

/// A readable, collision-free directory name for a URL: `host-org-repo-<hash>`.
fn cache_name(url: &str) -> String {
    let readable: String = url
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
        .collect();
    // FNV-1a: stable across runs and Rust versions, unlike std's hasher.
    let hash = url.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    format!("{readable}-{:012x}", hash & 0xffff_ffff_ffff)
}

fn fetch(repo: &Repository, url: &str, auth: &GitAuth) -> Result<(), SourceError> {
    let mut remote = repo.remote_anonymous(url).map_err(|e| fetch_error(url, &e))?;
    let mut callbacks = RemoteCallbacks::new();
    let mut attempts = 0u32;
    callbacks.credentials(move |_url, username, allowed| {
        attempts += 1;
        credentials(auth, username, allowed, attempts)
    });
    let mut options = FetchOptions::new();
    options.remote_callbacks(callbacks).download_tags(git2::AutotagOption::None);
    remote.fetch(&FETCH_REFSPECS, Some(&mut options), None).map_err(|e| fetch_error(url, &e))
}

/// Tries, in order, across libgit2's repeated callbacks: ssh agent, the key
/// file given, the default keys, then an https token.
fn credentials(
    auth: &GitAuth,
    username: Option<&str>,
    allowed: CredentialType,
    attempt: u32,
) -> Result<Cred, git2::Error> {
    let user = username.unwrap_or("git");
    if allowed.contains(CredentialType::SSH_KEY) {
        let mut keys: Vec<PathBuf> = auth.ssh_key.iter().cloned().collect();
        if let Some(home) = &auth.home {
            keys.extend(["id_ed25519", "id_ecdsa", "id_rsa"].iter().map(|k| home.join(".ssh").join(k)));
        }
        let keys: Vec<_> = keys.into_iter().filter(|k| k.exists()).collect();
        // Attempt 1 is the agent; each later attempt the next key file.
        return match attempt {
            1 => Cred::ssh_key_from_agent(user),
            n => match keys.get(n as usize - 2) {
                Some(key) => Cred::ssh_key(user, None, key, None),
                None => Err(git2::Error::from_str(
                    "no ssh credentials worked (tried the ssh agent and the key files); pass --ssh-key",
                )),
            },
        };
    }
    if let Some(token) = auth.https_token.as_ref().filter(|_| allowed.contains(CredentialType::USER_PASS_PLAINTEXT))
        && attempt == 1
    {
        return Cred::userpass_plaintext(username.unwrap_or("x-access-token"), token);
    }
    if allowed.contains(CredentialType::DEFAULT) && attempt == 1 {
        return Cred::default();
    }
    Err(git2::Error::from_str("authentication required; set DRIFTCTL_GIT_TOKEN for https or --ssh-key for ssh"))
}

fn fetch_error(url: &str, err: &git2::Error) -> SourceError {
    SourceError::Fetch {
        url: url.to_string(),
        message: format!("{}; check the URL, your network and credentials", err.message()),
    }
}

/// Resolves a branch, tag, commit id (full or abbreviated) or, with no ref, the remote HEAD.
fn resolve<'r>(repo: &'r Repository, reference: Option<&str>) -> Option<git2::Commit<'r>> {
    let candidates: Vec<String> = match reference {
        None => vec!["refs/remotes/origin/HEAD".into()],
        Some(r) => vec![format!("refs/remotes/origin/{r}"), format!("refs/tags/{r}"), r.to_string()],
    };
    candidates.iter().find_map(|spec| repo.revparse_single(spec).ok()?.peel_to_commit().ok())
}

/// Writes every blob of `tree` below `target`, via a temporary directory (under
/// `repo_dir/trees`) renamed into place, so an interrupted export never looks complete.
pub(super) fn export_tree(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    repo_dir: &Path,
    target: &Path,
) -> Result<(), String> {
    let staging = repo_dir.join("trees").join(format!(".partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
    let mut failure = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let Ok(name) = entry.name() else { return TreeWalkResult::Skip };
        if matches!(name, "" | "." | "..") || name.contains(['/', '\0']) {
            failure = Some(format!("tree entry {dir}{name:?} is not a file name; refusing to export it"));
            return TreeWalkResult::Abort;
        }
        let path = staging.join(dir).join(name);
        let written = match entry.kind() {
            Some(ObjectType::Tree) => std::fs::create_dir_all(&path).map_err(|e| e.to_string()),
            Some(ObjectType::Blob) => entry
                .to_object(repo)
                .map_err(|e| e.message().to_string())
                .and_then(|o| o.peel_to_blob().map_err(|e| e.message().to_string()))
                .and_then(|blob| write_blob(&path, blob.content(), entry.filemode())),
            // Submodules are not part of this repository's content.
            _ => Ok(()),
        };
        match written {
            Ok(()) => TreeWalkResult::Ok,
            Err(e) => {
                failure = Some(format!("exporting {}: {e}", path.display()));
                TreeWalkResult::Abort
            }
        }
    })
    .map_err(|e| failure.clone().unwrap_or_else(|| e.message().to_string()))?;
    if let Some(f) = failure {
        return Err(f);
    }
    match std::fs::rename(&staging, target) {
        Ok(()) => Ok(()),
        // Another run exported the same commit first: its export is identical.
        Err(_) if target.is_dir() => std::fs::remove_dir_all(&staging).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn write_blob(path: &Path, content: &[u8], mode: i32) -> Result<(), String> {
    const SYMLINK: i32 = 0o120000;
    if mode == SYMLINK {
        // Kept as a link so relative references inside the tree behave as in a checkout.
        let target = String::from_utf8_lossy(content).to_string();
        return std::os::unix::fs::symlink(target, path).map_err(|e| e.to_string());
    }
    std::fs::write(path, content).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names_are_readable_and_distinct() {
        let a = cache_name("https://github.com/org/fleet.git");
        assert!(a.starts_with("org-fleet-"), "{a}");
        assert_ne!(a, cache_name("https://gitlab.com/org/fleet.git"));
        assert!(cache_name("git@github.com:org/fleet.git").starts_with("org-fleet-"));
    }
}

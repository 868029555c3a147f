//! Git sources: real repositories made by the test (`file://`), read at a
//! branch, a tag and a commit, cached between runs, with clear errors.

use std::path::Path;
use std::process::Command;

use driftctl::source::{GitAuth, SourceError, SourceSpec, open};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit_file(repo: &Path, path: &str, text: &str, message: &str) -> String {
    let file = repo.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", message]);
    git(repo, &["rev-parse", "HEAD"])
}

fn spec(url: &str, reference: Option<&str>, path: Option<&str>) -> SourceSpec {
    SourceSpec { location: url.to_string(), reference: reference.map(Into::into), path: path.map(Into::into) }
}

#[test]
fn reads_branches_tags_and_commits_and_reuses_the_cache() {
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    let first = commit_file(repo.path(), "apps/cm.yaml", "color: blue\n", "first");
    git(repo.path(), &["tag", "v1"]);
    git(repo.path(), &["checkout", "-qb", "feature"]);
    commit_file(repo.path(), "apps/cm.yaml", "color: green\n", "feature");
    git(repo.path(), &["checkout", "-q", "main"]);
    let url = format!("file://{}", repo.path().display());
    let auth = GitAuth::default();
    let read = |reference: Option<&str>| {
        let source = open(&spec(&url, reference, Some("apps")), cache.path(), &auth).unwrap();
        std::fs::read_to_string(source.root.join("cm.yaml")).unwrap()
    };
    assert_eq!(read(None), "color: blue\n", "default is the remote HEAD");
    assert_eq!(read(Some("feature")), "color: green\n");
    assert_eq!(read(Some("v1")), "color: blue\n");
    assert_eq!(read(Some(&first)), "color: blue\n");
    assert_eq!(read(Some(&first[..10])), "color: blue\n", "abbreviated commit ids work");

    // A later run fetches into the same cache and sees new commits.
    let clones: Vec<_> = std::fs::read_dir(cache.path().join("git")).unwrap().collect();
    assert_eq!(clones.len(), 1, "one cached clone per URL");
    commit_file(repo.path(), "apps/cm.yaml", "color: red\n", "second");
    assert_eq!(read(Some("main")), "color: red\n");
    assert_eq!(std::fs::read_dir(cache.path().join("git")).unwrap().count(), 1);

    // A commit already in the cache is read without the remote.
    std::fs::remove_dir_all(repo.path()).unwrap();
    assert_eq!(read(Some(&first)), "color: blue\n");
}

#[test]
fn bad_refs_and_urls_are_clear_errors() {
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    commit_file(repo.path(), "a.yaml", "x: 1\n", "first");
    let url = format!("file://{}", repo.path().display());
    let err = open(&spec(&url, Some("no-such-branch"), None), cache.path(), &GitAuth::default()).unwrap_err();
    assert!(matches!(err, SourceError::UnknownRef { .. }), "{err}");
    assert!(err.to_string().contains("no-such-branch"));
    let err = open(&spec("file:///nonexistent/repo", None, None), cache.path(), &GitAuth::default()).unwrap_err();
    assert!(matches!(err, SourceError::Fetch { .. }), "{err}");
    let err = open(&spec(&url, None, Some("missing/dir")), cache.path(), &GitAuth::default()).unwrap_err();
    assert!(matches!(err, SourceError::BadSubdirectory { .. }), "{err}");
}

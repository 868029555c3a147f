//! Command-line behavior of the binary: help, errors and exit codes.

use assert_cmd::Command;

fn driftctl() -> Command {
    let mut cmd = Command::cargo_bin("driftctl").unwrap();
    cmd.env_clear();
    cmd
}

#[test]
fn help_lists_the_subcommands_and_exit_codes() {
    let out = driftctl().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in
        ["check", "render", "snapshot", "completions", "--kubeconfig", "--context", "--color", "--output", "Exit codes"]
    {
        assert!(help.contains(word), "--help should mention {word}:\n{help}");
    }
}

#[test]
fn usage_error_exits_2() {
    let out = driftctl().arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn check_with_empty_snapshot(source: &str, extra: &[&str]) -> (i32, String, String) {
    let snapshot = tempfile::tempdir().unwrap();
    let out = driftctl()
        .args(["check", source, "--live-from", snapshot.path().to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_input_names_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n").unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n").unwrap();
    std::fs::write(dir.path().join("nameless.yaml"), "# c\napiVersion: v1\nkind: Service\nmetadata: {}\n").unwrap();
    let (code, stdout, stderr) = check_with_empty_snapshot(dir.path().to_str().unwrap(), &[]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty(), "no report when the input is bad:\n{stdout}");
    assert!(stderr.contains("broken.yaml:5:1: yaml: line 5"), "{stderr}");
    assert!(stderr.contains("nameless.yaml:2: v1 Service has no metadata.name"), "{stderr}");
}

#[test]
fn a_bad_git_ref_exits_2() {
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(repo.path().join("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "x"]);
    let cache = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let snapshot = tempfile::tempdir().unwrap();
    let out = driftctl()
        .env("DRIFTCTL_CACHE", cache.path())
        .args(["check", &url, "--ref", "no-such-tag", "--live-from", snapshot.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ref no-such-tag is not a branch, tag or commit"), "{stderr}");
}

#[test]
fn the_bundled_example_reports_its_drift() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = {
        let out = driftctl()
            .current_dir(root)
            .args(["check", "examples/gitops", "--live-from", "examples/snapshot", "-o", "json"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["missing"], 1);
    assert_eq!(report["summary"]["modified"], 3);
    assert!(!stdout.contains("hunter2") && !stdout.contains("aHVudGVyMg=="), "Secret values are masked");
}

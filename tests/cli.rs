//! Command-line behavior of the binary: help, errors and exit codes.

use assert_cmd::Command;

fn driftctl() -> Command {
    let mut cmd = Command::cargo_bin("driftctl").unwrap();
    cmd.env_clear();
    cmd
}

#[test]
fn help_lists_the_subcommands_and_exit_codes() {
    let help = |args: &[&str]| {
        let out = driftctl().args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in ["check", "render", "snapshot", "completions", "--verbose", "Exit codes"] {
        assert!(top.contains(word), "--help should mention {word}:\n{top}");
    }
    let check = help(&["check", "--help"]);
    for word in ["--kubeconfig", "--context", "--color", "--output", "--request-timeout", "--fix"] {
        assert!(check.contains(word), "check --help should mention {word}:\n{check}");
    }
}

#[test]
fn each_subcommand_takes_only_the_flags_it_uses() {
    for args in [
        &["render", "chart", "-o", "json"][..],
        &["snapshot", "--out", "x", "-o", "json"],
        &["render", "chart", "--kubeconfig", "k"],
        &["completions", "bash", "--color", "always"],
    ] {
        let out = driftctl().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} is refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("unexpected argument"), "{args:?}: {stderr}");
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

#[test]
fn a_closed_stdout_keeps_the_exit_code_the_run_earned() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (format, expected) in [("human", 1), ("json", 1)] {
        // The reader goes away before driftctl writes its report (`driftctl check | true`).
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("driftctl"))
            .current_dir(root)
            .env_clear()
            .args(["check", "examples/gitops", "--live-from", "examples/snapshot", "-o", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(expected), "-o {format}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // An error is still an error when nobody reads the report.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n").unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("driftctl"))
        .env_clear()
        .args(["check", dir.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
}

#[test]
fn a_report_saved_in_the_source_does_not_break_the_next_run() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = tempfile::tempdir().unwrap();
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        let ok = std::process::Command::new("cp").arg("-r").arg(from).arg(to).status().unwrap().success();
        assert!(ok);
    };
    copy(&root.join("examples/gitops/."), source.path());
    let run = |format: &str| {
        driftctl()
            .args(["check", source.path().to_str().unwrap(), "--live-from"])
            .arg(root.join("examples/snapshot"))
            .args(["-o", format, "-v"])
            .output()
            .unwrap()
    };
    // The README's CI example: the JSON report and the SARIF log saved at the source root.
    let first = run("json");
    assert_eq!(first.status.code(), Some(1));
    std::fs::write(source.path().join("drift.json"), &first.stdout).unwrap();
    std::fs::write(source.path().join("drift.sarif.json"), run("sarif").stdout).unwrap();
    let second = run("json");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("skipped drift.json: no Kubernetes objects"), "{stderr}");
    let (before, after): (serde_json::Value, serde_json::Value) =
        (serde_json::from_slice(&first.stdout).unwrap(), serde_json::from_slice(&second.stdout).unwrap());
    assert_eq!(before["summary"], after["summary"]);
}

#[test]
fn render_prints_a_directory_of_plain_manifests() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
    )
    .unwrap();
    let out = driftctl().args(["render", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "---\n# Source: app.yaml:1\napiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: a\n\
         ---\n# Source: app.yaml:6\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
    );
    let file = driftctl().args(["render", dir.path().join("app.yaml").to_str().unwrap()]).output().unwrap();
    assert_eq!(file.status.code(), Some(0));
    assert!(String::from_utf8(file.stdout).unwrap().contains("# Source: app.yaml:6\n"));
}

#[test]
fn reports_locate_rendered_objects_at_their_template_and_resource_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("apps/web/Chart.yaml", "apiVersion: v2\nname: webchart\nversion: 1.0.0\n");
    write(
        "apps/web/templates/config.yaml",
        "{{- /* two objects */}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\n# the second\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n",
    );
    write("clusters/base/cm.yaml", "# settings\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
    write("clusters/prod/kustomization.yaml", "namePrefix: prod-\nresources:\n- ../base\n");
    let snapshot = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out = driftctl()
            .args(["check", dir.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()])
            .args(["-o", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let report = run("json");
    let located: std::collections::BTreeMap<String, (String, u64)> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let origin = &o["origin"];
            (
                o["ref"]["name"].as_str().unwrap().to_string(),
                (origin["file"].as_str().unwrap().to_string(), origin["line"].as_u64().unwrap()),
            )
        })
        .collect();
    let at = |file: &str, line: u64| (file.to_string(), line);
    assert_eq!(located["first"], at("apps/web/templates/config.yaml", 2), "the template, from the source root");
    assert_eq!(located["second"], at("apps/web/templates/config.yaml", 8), "its document's line in the output");
    assert_eq!(located["prod-settings"], at("clusters/base/cm.yaml", 2), "the resource file the overlay read");

    let sarif = run("sarif");
    let mut locations: Vec<(String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                location["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    locations.sort();
    assert_eq!(
        locations,
        [
            at("apps/web/templates/config.yaml", 2),
            at("apps/web/templates/config.yaml", 8),
            at("clusters/base/cm.yaml", 2)
        ]
    );
}

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
fn files_that_may_hold_secrets_are_owner_only_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
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
    std::fs::write(
        repo.path().join("secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {p: aHVudGVyMg==}\n",
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "x"]);
    let cache = tempfile::tempdir().unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    // A umask that takes nothing away: only driftctl's own modes protect the files.
    let out = std::process::Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" \"$@\""])
        .arg(assert_cmd::cargo::cargo_bin("driftctl"))
        .args(["check", &format!("file://{}", repo.path().display())])
        .args(["--live-from", snapshot.path().to_str().unwrap()])
        .env_clear()
        .env("DRIFTCTL_CACHE", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let git_cache = cache.path().join("git");
    assert_eq!(mode(&git_cache), 0o700, "the Git cache holds the repository's Secrets");
    for entry in std::fs::read_dir(&git_cache).unwrap() {
        assert_eq!(mode(&entry.unwrap().path()), 0o700);
    }

    let help = driftctl().args(["snapshot", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("mode 0600") && help.contains("0700"), "snapshot --help says how files are written:\n{help}");
}

/// Runs driftctl under `ulimit -v` (KiB of address space: the run thread's
/// 1 GiB stack and the allocator's arena are reserved, not used, and count),
/// so a reader that takes memory without bound fails the test instead of the machine.
fn driftctl_within(kib: u64, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new("sh")
        .env_clear()
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("driftctl"))
        .args(args)
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

const FOUR_GIB: u64 = 4 << 20;

fn deep_config_map(name: &str, depth: usize) -> String {
    // The root mapping is one level, the flow sequences the rest.
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\nextra: {}x{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn yaml_nested_beyond_go_yamls_depth_is_refused_at_its_file_and_line_in_bounded_memory() {
    let source = tempfile::tempdir().unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    // 40 KB of nesting: 8.7 GB and an allocation failure before the limit.
    std::fs::write(source.path().join("deep.yaml"), deep_config_map("deep", 20_000)).unwrap();
    let args = ["check", source.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()];
    let (code, stdout, stderr) = driftctl_within(FOUR_GIB, &args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // The first flow sequence past the limit: line 6, column 7 + 10,000.
    assert!(stderr.contains("deep.yaml:6:10007: yaml: line 6, column 10007: exceeded max depth of 10000"), "{stderr}");

    // The same nesting in a snapshot of live objects.
    std::fs::remove_file(source.path().join("deep.yaml")).unwrap();
    std::fs::write(source.path().join("ok.yaml"), deep_config_map("ok", 1)).unwrap();
    std::fs::write(snapshot.path().join("live.yaml"), deep_config_map("ok", 20_000)).unwrap();
    let (code, _, stderr) = driftctl_within(FOUR_GIB, &args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("live.yaml:6:10007: yaml: line 6, column 10007: exceeded max depth of 10000"), "{stderr}");
}

#[test]
fn an_alias_bomb_is_refused_at_its_file_and_line_in_bounded_memory() {
    let source = tempfile::tempdir().unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    // 200,000 written nodes used to allow 20 million copied ones (gigabytes once
    // read as JSON and compared); go-yaml lets aliases add about 900,000 here.
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\npad: [");
    text.push_str(&"0,".repeat(200_000));
    text.push_str("0]\nlaughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!("  a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
    }
    std::fs::write(source.path().join("bomb.yaml"), text).unwrap();
    let args = ["check", source.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()];
    let (code, stdout, stderr) = driftctl_within(FOUR_GIB, &args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("bomb.yaml:11:"), "{stderr}");
    assert!(stderr.contains("document contains excessive aliasing"), "{stderr}");
}

#[test]
fn yaml_nested_up_to_the_limit_is_audited_in_bounded_memory() {
    // 10,000 levels, the most go-yaml reads, in Git and live: 3.1 GB and 10 s
    // when every level of a walk copied the path above it.
    let source = tempfile::tempdir().unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    std::fs::write(source.path().join("deep.yaml"), deep_config_map("deep", 9_999)).unwrap();
    std::fs::write(snapshot.path().join("deep.yaml"), deep_config_map("deep", 9_999)).unwrap();
    let args = ["check", source.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()];
    let started = std::time::Instant::now();
    let (code, stdout, stderr) = driftctl_within(FOUR_GIB, &args);
    assert_eq!(code, 0, "in sync:\n{stdout}\n{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn a_secret_key_empty_in_git_and_null_live_is_in_sync() {
    // The API server stores both as the same empty bytes.
    let source = tempfile::tempdir().unwrap();
    let snapshot = tempfile::tempdir().unwrap();
    let secret = |value: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\ntype: Opaque\ndata:\n  empty: {value}\n  full: eA==\n"
        )
    };
    std::fs::write(source.path().join("secret.yaml"), secret("\"\"")).unwrap();
    std::fs::write(snapshot.path().join("secret.yaml"), secret("null")).unwrap();
    let out = driftctl()
        .args(["check", source.path().to_str().unwrap(), "--live-from", snapshot.path().to_str().unwrap()])
        .args(["-o", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["objects"][0]["class"], "in-sync", "{report:#}");
    assert_eq!(out.status.code(), Some(0));
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
    write("clusters/base/kustomization.yaml", "resources:\n- cm.yaml\n");
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

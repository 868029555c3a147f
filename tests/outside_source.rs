//! Nothing outside the source is read: a symlink (in a directory or in a Git
//! repository) that leads out of the source, used as a plain manifest, by a
//! `configMapGenerator`, by a chart's templates or `.Files`, is refused with
//! the file named, and its content appears nowhere; chart archives with `..`
//! or absolute entries are refused with Helm's words. Symlinks that stay
//! inside the source keep working.
//!
//! No cluster is needed: the live side is an empty snapshot (`--live-from`).

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// What the files outside the source hold: it must never be printed.
const SECRET: &str = "TOPSECRET-d41d8cd9";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn driftctl(args: &[&str]) -> Run {
    let out = assert_cmd::Command::cargo_bin("driftctl").unwrap().env_clear().args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `driftctl check SOURCE` against an empty snapshot, as JSON.
fn check(source: &str, extra: &[&str]) -> Run {
    let snapshot = tempfile::tempdir().unwrap();
    let mut args = vec!["check", source, "--live-from", snapshot.path().to_str().unwrap(), "-o", "json"];
    args.extend_from_slice(extra);
    driftctl(&args)
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn link(root: &Path, name: &str, target: &Path) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, path).unwrap();
}

/// A directory outside every source, holding a secret file and a secret manifest.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shadow", &format!("root:{SECRET}:19000:0:99999:7:::\n"));
    write(
        dir.path(),
        "leak.yaml",
        &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  password: {SECRET}\n"),
    );
    dir
}

fn assert_refused(run: &Run, expected: &[&str]) {
    assert_eq!(run.code, 2, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    for text in expected {
        assert!(run.stderr.contains(text), "stderr should contain {text:?}:\n{}", run.stderr);
    }
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the secret leaked:\n{}{}",
        run.stdout,
        run.stderr
    );
}

const CONFIG_MAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: real\ndata:\n  a: b\n";

#[test]
fn a_plain_manifest_linked_out_of_the_source_is_refused() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    write(source.path(), "apps/real.yaml", CONFIG_MAP);
    link(source.path(), "apps/leak.yaml", &secret.path().join("leak.yaml"));
    let run = check(source.path().to_str().unwrap(), &[]);
    assert_refused(&run, &["apps/leak.yaml: refused", "outside the source"]);

    // The same tree with only a link that stays inside (into a hidden folder the walk
    // skips, so the object is declared once): read as the file it names.
    std::fs::remove_file(source.path().join("apps/leak.yaml")).unwrap();
    std::fs::remove_file(source.path().join("apps/real.yaml")).unwrap();
    write(source.path(), ".shared/real.yaml", CONFIG_MAP);
    link(source.path(), "apps/alias.yaml", Path::new("../.shared/real.yaml"));
    let run = check(source.path().to_str().unwrap(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["missing"], 1, "the linked file's object: {report:#}");
}

#[test]
fn a_directory_linked_out_of_the_source_is_not_walked() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    write(source.path(), "real.yaml", CONFIG_MAP);
    link(source.path(), "elsewhere", secret.path());
    assert_refused(&check(source.path().to_str().unwrap(), &[]), &["elsewhere: refused"]);
}

#[test]
fn a_config_map_generator_reading_a_link_out_of_the_source_is_refused_as_kustomize_refuses_it() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    write(source.path(), "gen/kustomization.yaml", "configMapGenerator:\n- name: stolen\n  files:\n  - shadow\n");
    link(source.path(), "gen/shadow", &secret.path().join("shadow"));
    let dir = source.path().canonicalize().unwrap().join("gen");
    let message = format!(
        "loading KV pairs: file sources: [shadow]: security; file '{}' is not in or below '{}'",
        dir.join("shadow").display(),
        dir.display()
    );
    assert_refused(&check(source.path().to_str().unwrap(), &[]), &[&message]);
}

#[test]
fn a_resource_linked_out_of_the_source_is_refused_as_kustomize_refuses_it() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    write(source.path(), "app/kustomization.yaml", "resources:\n- cm.yaml\n");
    link(source.path(), "app/cm.yaml", &secret.path().join("leak.yaml"));
    let dir = source.path().canonicalize().unwrap().join("app");
    let message = format!("security; file '{}' is not in or below '{}'", dir.join("cm.yaml").display(), dir.display());
    assert_refused(&check(source.path().to_str().unwrap(), &[]), &[&message]);
}

#[test]
fn a_base_linked_out_of_the_source_is_refused() {
    let secret = outside();
    write(secret.path(), "base/kustomization.yaml", "resources:\n- ../leak.yaml\n");
    let source = tempfile::tempdir().unwrap();
    write(source.path(), "prod/kustomization.yaml", "resources:\n- ../base\n");
    link(source.path(), "base", &secret.path().join("base"));
    assert_refused(&check(source.path().to_str().unwrap(), &[]), &["outside the source"]);
}

fn chart(root: &Path, dir: &str) {
    write(root, &format!("{dir}/Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
    write(root, &format!("{dir}/templates/real.yaml"), CONFIG_MAP);
}

#[test]
fn a_chart_template_linked_out_of_the_source_is_refused() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    chart(source.path(), "web");
    link(source.path(), "web/templates/leak.yaml", &secret.path().join("leak.yaml"));
    assert_refused(
        &check(source.path().to_str().unwrap(), &[]),
        &["templates/leak.yaml: refused", "outside the source"],
    );
}

#[test]
fn chart_files_linked_out_of_the_source_are_refused_and_those_inside_read() {
    let secret = outside();
    let source = tempfile::tempdir().unwrap();
    chart(source.path(), "web");
    write(
        source.path(),
        "web/templates/files.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files-{{ .Files.Get \"files/token\" | trim }}\n",
    );
    link(source.path(), "web/files/token", &secret.path().join("shadow"));
    assert_refused(&check(source.path().to_str().unwrap(), &[]), &["files/token: refused"]);

    // A link to another file of the source is read.
    std::fs::remove_file(source.path().join("web/files/token")).unwrap();
    write(source.path(), "shared/token", "shared-token\n");
    link(source.path(), "web/files/token", Path::new("../../shared/token"));
    let run = check(source.path().to_str().unwrap(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("\"files-shared-token\""), "the linked file was read: {}", run.stdout);
}

/// A `.tgz` with these (name, content) entries, as ustar.
fn chart_archive(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut tar = Vec::new();
    for (name, content) in entries {
        let mut header = vec![0u8; 512];
        header[..name.len()].copy_from_slice(name.as_bytes());
        header[100..107].copy_from_slice(b"0000644");
        header[124..135].copy_from_slice(format!("{:011o}", content.len()).as_bytes());
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
        header[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        tar.extend(header);
        tar.extend(content.as_bytes());
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.extend(vec![0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

#[test]
fn chart_archives_with_parent_or_absolute_entries_are_refused_as_helm_refuses_them() {
    let chart_yaml = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
    for (entry, message) in [
        ("web/../../etc/cron.d/evil", "chart illegally references parent directory"),
        ("web//etc/cron.d/evil", "chart illegally contains absolute paths"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("web-1.0.0.tgz");
        let bytes =
            chart_archive(&[("web/Chart.yaml", chart_yaml), ("web/templates/cm.yaml", CONFIG_MAP), (entry, "x\n")]);
        std::fs::write(&archive, &bytes).unwrap();
        let run = driftctl(&["render", archive.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{entry}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{entry}: {}", run.stderr);

        // The same archive as a subchart of a chart in a source.
        let source = tempfile::tempdir().unwrap();
        chart(source.path(), "app");
        std::fs::create_dir_all(source.path().join("app/charts")).unwrap();
        std::fs::write(source.path().join("app/charts/web-1.0.0.tgz"), &bytes).unwrap();
        assert_refused(&check(source.path().to_str().unwrap(), &[]), &[message]);
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_git_repository_with_links_out_of_it_is_refused_when_read_by_ref() {
    let secret = outside();
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q"]);
    write(repo.path(), ".shared/real.yaml", CONFIG_MAP);
    link(repo.path(), "apps/alias.yaml", Path::new("../.shared/real.yaml"));
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "inside"]);
    git(repo.path(), &["tag", "inside"]);
    link(repo.path(), "apps/leak.yaml", &secret.path().join("leak.yaml"));
    write(repo.path(), "gen/kustomization.yaml", "configMapGenerator:\n- name: stolen\n  files:\n  - shadow\n");
    // A relative link climbing out of the repository (and so out of the exported tree).
    let climb = "../".repeat(repo.path().components().count() + 8);
    link(repo.path(), "gen/shadow", &Path::new(&climb).join(secret.path().strip_prefix("/").unwrap()).join("shadow"));
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "leak"]);
    let url = format!("file://{}", repo.path().display());
    let cache = tempfile::tempdir().unwrap();
    let env_check = |reference: &str| {
        let snapshot = tempfile::tempdir().unwrap();
        let out = assert_cmd::Command::cargo_bin("driftctl")
            .unwrap()
            .env_clear()
            .env("DRIFTCTL_CACHE", cache.path())
            .args(["check", &url, "--ref", reference, "--live-from", snapshot.path().to_str().unwrap(), "-o", "json"])
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let run = env_check("main");
    assert_refused(&run, &["apps/leak.yaml: refused", "loading KV pairs: file sources: [shadow]: security; file '"]);

    let run = env_check("inside");
    assert_eq!(run.code, 1, "a link inside the repository is read: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["missing"], 1);
}

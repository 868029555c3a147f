//! Helm releases on the real API server, installed by the real Helm 3 and
//! Helm 4 (`../shared/tools/reference-helm`): audits from release storage,
//! repairs that leave Helm's record true, revisions, failures and corrupt storage.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestCluster, report_fields, report_object};

/// The real Helm binary of a major version, or `None` (skip) outside CI when it cannot be had.
fn helm(major: &str) -> Option<PathBuf> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/reference-helm");
    let out = Command::new(&tool).arg(major).output();
    match out {
        Ok(out) if out.status.success() => Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())),
        other => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "no Helm {major} under CI: {other:?}");
            eprintln!("skipping: Helm {major} is not available ({})", tool.display());
            None
        }
    }
}

fn chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/helm/shop")
}

fn run_helm(helm: &Path, cluster: &TestCluster, args: &[&str]) -> std::process::Output {
    Command::new(helm)
        .args(args)
        .args(["--namespace", &cluster.namespace, "--kubeconfig", cluster.kubeconfig.to_str().unwrap()])
        .env("HELM_CACHE_HOME", std::env::temp_dir().join("driftctl-test-helm-cache"))
        .env("HELM_CONFIG_HOME", std::env::temp_dir().join("driftctl-test-helm-config"))
        .env("HELM_DATA_HOME", std::env::temp_dir().join("driftctl-test-helm-data"))
        .output()
        .expect("run helm")
}

fn helm_ok(helm: &Path, cluster: &TestCluster, args: &[&str]) {
    let out = run_helm(helm, cluster, args);
    assert!(out.status.success(), "helm {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn release_check(cluster: &TestCluster, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let release = format!("{}/web", cluster.namespace);
    let mut args = vec!["check", "--release", &release, "-o", "json"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = cluster.driftctl(&args);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: exit {code}\n{stdout}\n{stderr}"));
    (code, report, stderr)
}

async fn drift_and_repair(major: &str) {
    let Some(helm) = helm(major) else { return };
    let Some(cluster) = common::cluster(&format!("helm-{major}")).await else { return };
    let chart = chart();
    helm_ok(&helm, &cluster, &["install", "web", chart.to_str().unwrap()]);

    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "in sync right after install: {report:#}");
    assert_eq!(report["summary"]["objects"], 4, "hooks are not part of the release's objects");

    cluster.kubectl(&["scale", "deployment/web", "--replicas=4"]);
    cluster.kubectl(&[
        "patch",
        "deployment/web",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/value","value":"debug"}]"#,
    ]);
    cluster.kubectl(&[
        "patch",
        "service/web",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/ports/0/port","value":8081}]"#,
    ]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 1);
    let fields = report_fields(report_object(&report, "Deployment", "web"));
    let paths: Vec<(&str, &str)> = fields.iter().map(|(p, c, _)| (p.as_str(), c.as_str())).collect();
    assert_eq!(paths, [("/spec/replicas", "drift"), ("/spec/template/spec/containers/0/env/0/value", "drift")]);
    assert_eq!(fields[1].2.as_deref(), Some("kubectl-patch"));
    assert_eq!(report_fields(report_object(&report, "Service", "web"))[0].0, "/spec/ports/0/port");
    let release = &report_object(&report, "Deployment", "web")["release"];
    assert_eq!(
        release,
        &serde_json::json!({"namespace": cluster.namespace, "name": "web", "revision": 1, "chart": "shop-1.2.0",
            "description": "Install complete"}),
        "objects name the release revision they were compared with"
    );

    let (code, _, stderr) = release_check(&cluster, &["--fix", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "in sync after the repair: {report:#}");

    cluster.kubectl(&["delete", "deployment/web"]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!((code, report_object(&report, "Deployment", "web")["class"].clone()), (1, "missing".into()));
    let (code, _, stderr) = release_check(&cluster, &["--fix", "--yes"]);
    assert_eq!(code, 0, "{stderr}");

    // Helm's record stayed true: the next upgrade applies cleanly and the release is in sync again.
    helm_ok(&helm, &cluster, &["upgrade", "web", chart.to_str().unwrap(), "--set", "replicaCount=3"]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "in sync after the upgrade: {report:#}");
    let secrets = cluster.kubectl(&["get", "secrets", "-l", "owner=helm", "-o", "name"]);
    assert_eq!(String::from_utf8_lossy(&secrets.stdout).lines().count(), 2, "storage has only Helm's own revisions");
}

#[tokio::test]
async fn helm3_release_drift_is_found_and_repaired() {
    drift_and_repair("v3").await;
}

#[tokio::test]
async fn helm4_release_drift_is_found_and_repaired() {
    drift_and_repair("v4").await;
}

#[tokio::test]
async fn revisions_rollbacks_and_failures() {
    let Some(helm) = helm("v3") else { return };
    let Some(cluster) = common::cluster("helm-revisions").await else { return };
    let chart = chart();
    helm_ok(&helm, &cluster, &["install", "web", chart.to_str().unwrap()]);
    helm_ok(&helm, &cluster, &["upgrade", "web", chart.to_str().unwrap(), "--set", "image.tag=1.26"]);
    helm_ok(&helm, &cluster, &["rollback", "web", "1"]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "the rollback's revision is the deployed one: {report:#}");
    assert_eq!(report_object(&report, "Deployment", "web")["release"]["revision"], 3);

    // An upgrade the API server rejects leaves a failed revision: reported, not audited as deployed.
    let out = run_helm(&helm, &cluster, &["upgrade", "web", chart.to_str().unwrap(), "--set", "service.port=99999"]);
    assert!(!out.status.success());
    let (code, report, stderr) = release_check(&cluster, &[]);
    assert_eq!(code, 2, "{stderr}");
    let errors: Vec<&serde_json::Value> =
        report["objects"].as_array().unwrap().iter().filter(|o| o["class"] == "error").collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert!(errors[0]["error"].as_str().unwrap().contains("revision 4 is failed"), "{}", errors[0]);
}

#[tokio::test]
async fn corrupt_storage_is_a_per_release_error() {
    let Some(helm) = helm("v3") else { return };
    let Some(cluster) = common::cluster("helm-corrupt").await else { return };
    helm_ok(&helm, &cluster, &["install", "web", chart().to_str().unwrap()]);
    let base64 = |bytes: &[u8]| {
        use std::io::Write;
        let mut child = Command::new("base64")
            .arg("-w0")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    // What Helm writes is base64 text; the Secret's data holds it base64-encoded once more.
    let cases: [(&str, String); 3] = [
        ("badb64", "not base64 at all!".to_string()),
        ("badgzip", base64(&[0x1f, 0x8b, 0x08, 0x00, 0x00])),
        ("badjson", base64(b"{\"name\": ")),
    ];
    for (name, payload) in &cases {
        let secret = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
            "metadata": {"name": format!("sh.helm.release.v1.{name}.v1"),
                         "labels": {"owner": "helm", "name": name, "status": "deployed", "version": "1"}},
            "data": {"release": base64(payload.as_bytes())}
        });
        let file = std::env::temp_dir().join(format!("{}-{name}.json", cluster.namespace));
        std::fs::write(&file, secret.to_string()).unwrap();
        cluster.kubectl(&["apply", "-f", file.to_str().unwrap()]);
    }
    let (code, stdout, stderr) = cluster.driftctl(&["check", "--all-releases", "-n", &cluster.namespace, "-o", "json"]);
    assert_eq!(code, 2, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for (name, layer) in [("badb64", "base64"), ("badgzip", "gzip"), ("badjson", "JSON")] {
        let entry = report["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["error"].as_str().is_some_and(|e| e.contains(&format!("/{name}:"))))
            .unwrap_or_else(|| panic!("no error for {name}: {report:#}"));
        assert!(entry["error"].as_str().unwrap().contains(layer), "{entry}");
    }
    assert_eq!(report_object(&report, "Deployment", "web")["class"], "in-sync", "the healthy release is still audited");
}

#[tokio::test]
async fn a_helm_releases_drift_detection_is_honored() {
    let Some(helm) = helm("v3") else { return };
    let Some(cluster) = common::cluster("helm-drift-detection").await else { return };
    let crd = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/flux/helmrelease-crd.yaml");
    cluster.kubectl_anywhere(&["apply", "-f", crd.to_str().unwrap()]);
    cluster.kubectl_anywhere(&["wait", "--for", "condition=established", "crd/helmreleases.helm.toolkit.fluxcd.io"]);
    helm_ok(&helm, &cluster, &["install", "web", chart().to_str().unwrap()]);
    // What helm-controller's post-renderer puts on every object of a HelmRelease.
    for kind in ["deployment/web", "service/web", "configmap/web-config", "secret/web-secret"] {
        cluster.kubectl(&[
            "label",
            kind,
            "helm.toolkit.fluxcd.io/name=web",
            &format!("helm.toolkit.fluxcd.io/namespace={}", cluster.namespace),
        ]);
    }
    let set_policy = |mode: &str| {
        let hr = serde_json::json!({
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "web", "namespace": cluster.namespace},
            "spec": {"chart": {"spec": {"chart": "shop"}}, "driftDetection": {"mode": mode,
                "ignore": [{"paths": ["/spec/replicas"], "target": {"kind": "Deployment"}}]}}
        });
        let file = std::env::temp_dir().join(format!("{}-hr.json", cluster.namespace));
        std::fs::write(&file, hr.to_string()).unwrap();
        cluster.kubectl(&["apply", "-f", file.to_str().unwrap()]);
    };
    set_policy("enabled");
    cluster.kubectl(&["scale", "deployment/web", "--replicas=4"]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "replicas are ignored by the HelmRelease's rule: {report:#}");
    cluster.kubectl(&["patch", "configmap/web-config", "-p", r#"{"data":{"greeting":"hi"}}"#]);
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 1);
    assert_eq!(report_fields(report_object(&report, "ConfigMap", "web-config"))[0].0, "/data/greeting");

    set_policy("warn");
    let (code, report, stderr) = release_check(&cluster, &["--fix", "--yes"]);
    assert_eq!(code, 1, "warn mode reports drift but repairs nothing: {stderr}");
    assert_eq!(report["fixes"][0]["action"], "skip", "{report:#}");

    set_policy("disabled");
    let (code, report, _) = release_check(&cluster, &[]);
    assert_eq!(code, 0, "no drift detection: {report:#}");
    assert_eq!(report["summary"]["ignored"], 4);
}

/// Runs git in `dir` with a fixed identity.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=driftctl-test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The Deployment's image field in a source check's report: (class, provenance of the release).
fn image_field(report: &serde_json::Value) -> (String, serde_json::Value) {
    let deployment = report_object(report, "Deployment", "web");
    let fields = report_fields(deployment);
    let image = fields
        .iter()
        .find(|f| f.0 == "/spec/template/spec/containers/0/image")
        .unwrap_or_else(|| panic!("no image field: {deployment:#}"));
    (image.1.clone(), deployment["release"]["provenance"].clone())
}

#[tokio::test]
async fn a_hand_made_helm_upgrade_is_drift_and_an_earlier_git_revision_is_pending() {
    let Some(helm) = helm("v3") else { return };
    let Some(cluster) = common::cluster("helm-provenance").await else { return };
    let repo = tempfile::tempdir().unwrap();
    let chart_dir = repo.path().join("web");
    copy_dir(&chart(), &chart_dir);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "web 1.25"]);
    let chart_arg = chart_dir.to_str().unwrap();
    let source = repo.path().to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", source, "-n", &cluster.namespace, "-o", "json"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = cluster.driftctl(&args);
        let report: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: exit {code}\n{stdout}\n{stderr}"));
        (code, report, stderr)
    };

    helm_ok(&helm, &cluster, &["install", "web", chart_arg]);
    let (code, report, stderr) = check(&[]);
    assert_eq!(code, 0, "in sync after installing what Git holds: {report:#}\n{stderr}");

    // Someone upgrades the release by hand: the release storage itself now disagrees with Git.
    helm_ok(&helm, &cluster, &["upgrade", "web", chart_arg, "--set", "image.tag=evil"]);
    let (code, report, _) = check(&[]);
    assert_eq!(code, 1, "a hand-made revision is drift: {report:#}");
    let (class, provenance) = image_field(&report);
    assert_eq!(class, "drift");
    assert_eq!(provenance, serde_json::json!({"from": "unproven", "searched": 1}));
    let deployment = report_object(&report, "Deployment", "web");
    assert_eq!(deployment["release"]["revision"], 2);
    assert_eq!(deployment["release"]["description"], "Upgrade complete");
    let (code, human, _) = cluster.driftctl(&["check", source, "-n", &cluster.namespace]);
    assert_eq!(code, 1);
    assert!(
        human.contains("revision 2 (\"Upgrade complete\") is not rendered by any of the 1 Git revision(s)"),
        "{human}"
    );
    // Without searching the history nothing shows where the revision came from either.
    let (code, report, _) = check(&["--history-depth", "0"]);
    assert_eq!(code, 1);
    assert_eq!(image_field(&report).1, serde_json::json!({"from": "unproven", "searched": 0}));

    // --fix puts Git's image back.
    let (code, _, stderr) = check(&["--fix", "--yes"]);
    assert_eq!(code, 0, "repaired: {stderr}");
    let image = cluster.kubectl(&["get", "deployment/web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
    assert_eq!(String::from_utf8_lossy(&image.stdout), "nginx:1.25");

    // A revision made from Git (without --reset-values Helm would keep the hand-set tag),
    // then a new commit not deployed yet: a pending Git change.
    helm_ok(&helm, &cluster, &["upgrade", "web", chart_arg, "--reset-values"]);
    let first = String::from_utf8(
        Command::new("git").args(["rev-parse", "HEAD"]).current_dir(repo.path()).output().unwrap().stdout,
    )
    .unwrap();
    let values = chart_dir.join("values.yaml");
    std::fs::write(&values, std::fs::read_to_string(&values).unwrap().replace("\"1.25\"", "\"1.26\"")).unwrap();
    git(repo.path(), &["commit", "-q", "-am", "web 1.26"]);
    let (code, report, stderr) = check(&[]);
    assert_eq!(code, 0, "a pending Git change alone does not fail: {report:#}\n{stderr}");
    let (class, provenance) = image_field(&report);
    assert_eq!(class, "pending");
    assert_eq!(provenance, serde_json::json!({"from": "git", "commit": first.trim()}));
}

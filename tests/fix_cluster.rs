//! `driftctl check --fix` against the real API server: repairs that stick and
//! give ownership back, idempotence, the plan's dry-run, confirmation, the
//! repair lock, and per-object failures.

mod common;

use std::path::Path;

use common::{TestCluster, report_object};

/// `(reads, writes, dry-run writes)` from the `-v` request line on stderr.
fn requests(stderr: &str) -> (u64, u64, u64) {
    let line =
        stderr.lines().find(|l| l.contains("API requests:")).unwrap_or_else(|| panic!("no request line:\n{stderr}"));
    let numbers: Vec<u64> =
        line.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
    // "API requests: T (R reads, W writes of which D dry-run)"
    (numbers[1], numbers[2], numbers[3])
}

fn setup(cluster: &TestCluster, dir: &Path) {
    cluster.write_fixtures(dir, &["config.yaml", "network.yaml", "workloads.yaml"]);
    for file in ["config.yaml", "network.yaml", "workloads.yaml"] {
        cluster.kubectl(&["apply", "-f", dir.join(file).to_str().unwrap()]);
    }
}

fn managers_of(cluster: &TestCluster, resource: &str) -> Vec<String> {
    let out = cluster.kubectl(&["get", resource, "-o", "json", "--show-managed-fields"]);
    let object: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    object["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["manager"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn fix_repairs_every_scenario_and_returns_ownership() {
    let Some(cluster) = common::cluster("fix-all").await else { return };
    let dir = tempfile::tempdir().unwrap();
    setup(&cluster, dir.path());
    cluster.make_hand_changes();
    let path = dir.path().to_str().unwrap();

    let (code, _, stderr) = cluster.driftctl(&["check", path, "--fix", "--yes", "-v"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 0, "in sync after the repair: {report:#}");
    assert_eq!(report["summary"]["modified"], 0);
    assert_eq!(report["summary"]["missing"], 0);

    for resource in
        ["deployment/web", "statefulset/db", "daemonset/agent", "service/web", "secret/creds", "configmap/settings"]
    {
        let managers = managers_of(&cluster, resource);
        assert!(
            managers.iter().all(|m| m == "kubectl-client-side-apply"),
            "{resource}: fields belong to the deploying manager again, got {managers:?}"
        );
    }
    let password = cluster.kubectl(&["get", "secret/creds", "-o", "jsonpath={.data.password}"]);
    assert_eq!(String::from_utf8_lossy(&password.stdout), "aHVudGVyMg==", "the real Secret value was restored");
    let events = cluster.kubectl(&["get", "events", "--field-selector", "reason=DriftCorrected", "-o", "name"]);
    assert_eq!(String::from_utf8_lossy(&events.stdout).lines().count(), 7, "one Event per repaired object");

    // A second run has nothing to do and writes nothing.
    let (code, _, stderr) = cluster.driftctl(&["check", path, "--fix", "--yes", "-v"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(requests(&stderr).1, 0, "no writes on a second --fix: {stderr}");
}

#[tokio::test]
async fn dry_run_and_missing_confirmation_write_nothing() {
    let Some(cluster) = common::cluster("fix-dry-run").await else { return };
    let dir = tempfile::tempdir().unwrap();
    setup(&cluster, dir.path());
    cluster.make_hand_changes();
    let path = dir.path().to_str().unwrap();

    let (code, _, stderr) = cluster.driftctl(&["check", path, "--fix", "--dry-run", "-v"]);
    assert_eq!(code, 1, "drift is still there: {stderr}");
    let (_, writes, dry_runs) = requests(&stderr);
    assert!(dry_runs > 0, "the plan is checked by the server");
    assert_eq!(writes, dry_runs, "--dry-run writes nothing: {stderr}");
    assert!(stderr.contains("Repair plan:") && stderr.contains("/spec/replicas"), "{stderr}");

    // No terminal (assert_cmd gives no stdin tty) and no --yes.
    let (code, _, stderr) = cluster.driftctl(&["check", path, "--fix", "-v"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("pass --yes"), "{stderr}");
    let (_, writes, _) = requests(&stderr);
    assert_eq!(writes, 0);
    let (code, _) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 1, "still drifted");
}

#[tokio::test]
async fn a_rejected_object_fails_alone() {
    let Some(cluster) = common::cluster("fix-rejected").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml", "workloads.yaml"]);
    cluster.kubectl(&["apply", "-f", dir.path().join("config.yaml").to_str().unwrap()]);
    // The Job in the cluster was created by hand with another command: a Job's template is immutable.
    let text = std::fs::read_to_string(dir.path().join("workloads.yaml")).unwrap();
    let job = text.split("---").find(|d| d.contains("kind: Job")).unwrap().replace("[echo, done]", "[echo, other]");
    std::fs::write(dir.path().join("job-by-hand.yaml"), &job).unwrap();
    cluster.kubectl(&["create", "-f", dir.path().join("job-by-hand.yaml").to_str().unwrap()]);
    std::fs::remove_file(dir.path().join("job-by-hand.yaml")).unwrap();
    std::fs::write(dir.path().join("workloads.yaml"), text.split("---").find(|d| d.contains("kind: Job")).unwrap())
        .unwrap();
    cluster.kubectl(&["patch", "configmap/settings", "-p", r#"{"data":{"color":"green"}}"#]);

    let (code, stdout, stderr) =
        cluster.driftctl(&["check", dir.path().to_str().unwrap(), "--fix", "--yes", "-o", "json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Job") && stderr.contains("immutable"), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let fixes = report["fixes"].as_array().unwrap();
    let outcome = |kind: &str| fixes.iter().find(|f| f["ref"]["kind"] == kind).map(|f| f["outcome"].clone());
    assert_eq!(outcome("Job"), Some("failed".into()));
    assert_eq!(outcome("ConfigMap"), Some("fixed".into()));
    let (_, after) = cluster.check_json(dir.path(), &[]);
    assert_eq!(report_object(&after, "ConfigMap", "settings")["class"], "in-sync");
}

#[tokio::test]
async fn the_lease_serializes_repairs_and_expires_after_a_crash() {
    let Some(cluster) = common::cluster("fix-lock").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml"]);
    cluster.kubectl(&["apply", "-f", dir.path().join("config.yaml").to_str().unwrap()]);
    cluster.kubectl(&["patch", "configmap/settings", "-p", r#"{"data":{"color":"green"}}"#]);
    let path = dir.path().to_str().unwrap();
    let lock = format!("{}/repair-lock", cluster.namespace);

    // Held by a live holder: a second run gives up after --lock-timeout.
    let now = std::process::Command::new("date").args(["-u", "+%Y-%m-%dT%H:%M:%S.000000Z"]).output().unwrap();
    let now = String::from_utf8_lossy(&now.stdout).trim().to_string();
    let lease = format!(
        "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {{name: repair-lock}}\nspec: {{holderIdentity: other-run, leaseDurationSeconds: 3600, acquireTime: '{now}', renewTime: '{now}'}}\n"
    );
    std::fs::write(dir.path().join("lease.txt"), &lease).unwrap();
    cluster.kubectl(&["apply", "-f", dir.path().join("lease.txt").to_str().unwrap()]);
    let (code, _, stderr) =
        cluster.driftctl(&["check", path, "--fix", "--yes", "--lock", &lock, "--lock-timeout", "3"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds the lock") && stderr.contains("other-run"), "{stderr}");
    let (code, _) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 1, "nothing was repaired while locked");

    // A holder that stopped renewing long ago (crashed): its lease has expired.
    let old = lease.replace(&now, "2020-01-01T00:00:00.000000Z").replace("3600", "15");
    std::fs::write(dir.path().join("lease.txt"), old).unwrap();
    cluster.kubectl(&["apply", "-f", dir.path().join("lease.txt").to_str().unwrap()]);
    let (code, _, stderr) =
        cluster.driftctl(&["check", path, "--fix", "--yes", "--lock", &lock, "--lock-timeout", "20"]);
    assert_eq!(code, 0, "{stderr}");

    // Two runs at once: one repairs, the other finds nothing left (or times out); one Event in all.
    cluster.kubectl(&["patch", "configmap/settings", "-p", r#"{"data":{"color":"red"}}"#]);
    let run = || {
        let (kubeconfig, path, lock) = (cluster.kubeconfig.clone(), path.to_string(), lock.clone());
        std::thread::spawn(move || {
            assert_cmd::Command::cargo_bin("driftctl")
                .unwrap()
                .env_clear()
                .args(["check", "--kubeconfig", kubeconfig.to_str().unwrap(), &path, "--fix", "--yes", "--lock", &lock])
                .output()
                .unwrap()
        })
    };
    let (a, b) = (run(), run());
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.iter().all(|c| *c == Some(0) || *c == Some(2)), "{codes:?}");
    let repaired = [&a, &b].iter().filter(|o| String::from_utf8_lossy(&o.stderr).contains("Repaired 1 object")).count();
    assert_eq!(repaired, 1, "exactly one run repairs");
    let events = cluster.kubectl(&["get", "events", "--field-selector", "reason=DriftCorrected", "-o", "name"]);
    assert_eq!(String::from_utf8_lossy(&events.stdout).lines().count(), 2, "one Event per repair, none doubled");
}

#[tokio::test]
async fn a_killed_repair_leaves_objects_whole_and_its_lease_expires() {
    use std::io::BufRead;

    let Some(cluster) = common::cluster("fix-killed").await else { return };
    let dir = tempfile::tempdir().unwrap();
    setup(&cluster, dir.path());
    let (_, before) = cluster.check_json(dir.path(), &[]);
    cluster.make_hand_changes();
    let (_, drifted) = cluster.check_json(dir.path(), &[]);
    let lock = format!("{}/killed-lock", cluster.namespace);

    // Kill the repair as soon as it has shown its plan, i.e. in the middle of writing.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("driftctl"))
        .env_clear()
        .args(["check", "--kubeconfig", cluster.kubeconfig.to_str().unwrap(), dir.path().to_str().unwrap()])
        .args(["--fix", "--yes", "--lock", &lock])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    for line in stderr.lines() {
        if line.unwrap().starts_with("Repair plan:") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Every object is either as the hand changes left it, or repaired: nothing in between.
    let (_, after) = cluster.check_json(dir.path(), &[]);
    for object in after["objects"].as_array().unwrap() {
        let (kind, name) = (object["ref"]["kind"].as_str().unwrap(), object["ref"]["name"].as_str().unwrap());
        let fields = |report: &serde_json::Value| report_object(report, kind, name)["fields"].clone();
        let class = |report: &serde_json::Value| report_object(report, kind, name)["class"].clone();
        let untouched = fields(&drifted) == object["fields"] && class(&drifted) == object["class"];
        let repaired = fields(&before) == object["fields"] && class(&before) == object["class"];
        assert!(untouched || repaired, "{kind}/{name} is half repaired: {object:#}");
    }

    // The killed run's lease expires: the next run gets the lock within the lease's lifetime and repairs.
    let (code, _, stderr) = cluster.driftctl(&[
        "check",
        dir.path().to_str().unwrap(),
        "--fix",
        "--yes",
        "--lock",
        &lock,
        "--lock-timeout",
        "60",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 0);
}

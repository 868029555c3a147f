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

#[tokio::test]
async fn values_with_markup_characters_are_repaired_and_the_summary_is_the_verified_state() {
    let Some(cluster) = common::cluster("fix-markup").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: markup\n  namespace: {}\ndata:\n  plain: plain\n  html: \"<b>&amp;</b> a > b\"\n",
        cluster.namespace
    );
    std::fs::write(dir.path().join("markup.yaml"), manifest).unwrap();
    cluster.kubectl(&["apply", "-f", dir.path().join("markup.yaml").to_str().unwrap()]);
    // The drifted values hold what JSON encoders escape: the guarded patch must test them as the server stores them.
    cluster.kubectl(&["patch", "configmap/markup", "-p", r#"{"data":{"plain":"x&y<z>","html":"changed"}}"#]);

    let path = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = cluster.driftctl(&["check", path, "--fix", "--yes", "--color", "never"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let out = cluster.kubectl(&["get", "configmap/markup", "-o", "json"]);
    let live: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(live["data"], serde_json::json!({"plain": "plain", "html": "<b>&amp;</b> a > b"}));

    // The last lines: what the audit found, then what the fresh audit after the repair verified.
    let lines: Vec<&str> = stdout.lines().rev().take(2).collect();
    assert_eq!(lines, ["After the repair: 1 object: 1 in sync", "Before the repair: 1 object: 1 modified"], "{stdout}");
}

#[tokio::test]
async fn a_frozen_api_server_times_out_and_the_repair_says_what_it_reached() {
    let Some(cluster) = common::cluster("fix-timeout").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let manifests: String = ["t-a", "t-b", "t-c"]
        .iter()
        .map(|name| {
            format!(
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {}\ndata:\n  v: git\n",
                cluster.namespace
            )
        })
        .collect();
    let source = dir.path().join("source");
    std::fs::create_dir(&source).unwrap();
    std::fs::write(source.join("maps.yaml"), manifests).unwrap();
    cluster.kubectl(&["apply", "-f", source.join("maps.yaml").to_str().unwrap()]);
    for name in ["t-a", "t-b", "t-c"] {
        cluster.kubectl(&["patch", &format!("configmap/{name}"), "-p", r#"{"data":{"v":"hand"}}"#]);
    }

    let proxy = common::FreezingProxy::start(common::api_address(&cluster.kubeconfig));
    let kubeconfig = proxy.kubeconfig(&cluster.kubeconfig, dir.path());
    let lock = format!("{}/fix-timeout", cluster.namespace);
    // One request a second: time enough to freeze the server between two repairs.
    let mut run = std::process::Command::new(env!("CARGO_BIN_EXE_driftctl"))
        .args(["check", source.to_str().unwrap(), "--kubeconfig", kubeconfig.to_str().unwrap()])
        .args(["--fix", "--yes", "-o", "json", "--qps", "1", "--burst", "1", "--request-timeout", "3s"])
        .args(["--lock", &lock])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let repaired = |name: &str| {
        let out = cluster.kubectl(&["get", &format!("configmap/{name}"), "-o", "jsonpath={.data.v}"]);
        String::from_utf8_lossy(&out.stdout) == "git"
    };
    let started = std::time::Instant::now();
    while !repaired("t-a") {
        assert!(run.try_wait().unwrap().is_none(), "driftctl ended before repairing anything");
        assert!(started.elapsed().as_secs() < 300, "t-a was never repaired");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    proxy.freeze();
    // The run must end on its own (a hung run would be killed here and the test fail).
    while run.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 300 {
            run.kill().unwrap();
            panic!("driftctl still waits for a frozen API server");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let out = run.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    let fix = |name: &str| {
        report["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["ref"]["name"] == name)
            .unwrap_or_else(|| panic!("no fix of {name}: {report:#}"))
            .clone()
    };
    let (a, b, c) = (fix("t-a"), fix("t-b"), fix("t-c"));
    assert_eq!(a["outcome"], "failed", "{a:#}");
    assert!(a["message"].as_str().unwrap().starts_with("written, but not verified"), "{a:#}");
    assert_eq!(b["outcome"], "failed", "{b:#}");
    assert!(b["message"].as_str().unwrap().contains("did not answer in time"), "{b:#}");
    assert_eq!(c["outcome"], "skipped", "{c:#}");
    assert!(c["message"].as_str().unwrap().starts_with("not reached"), "{c:#}");
    assert!(repaired("t-a") && !repaired("t-b") && !repaired("t-c"));
}

/// A repair UI with nobody behind it, as a watch loop or a test has: it records what it was shown.
#[derive(Default)]
struct Unattended {
    planned: usize,
    notes: Vec<String>,
}

impl driftctl::pipeline::RepairUi for Unattended {
    fn can_confirm(&self) -> bool {
        false
    }
    fn show_plan(
        &mut self,
        plan: &[driftctl::fix::PlannedFix],
        _rejected: &std::collections::HashMap<driftctl::object::ObjectRef, String>,
    ) {
        self.planned = plan.len();
    }
    fn confirm(&mut self) -> bool {
        unreachable!("an unattended repair is never asked")
    }
    fn note(&mut self, message: &str) {
        self.notes.push(message.to_string());
    }
}

#[tokio::test]
async fn a_session_audits_and_repairs_without_a_command_line_or_terminal() {
    use driftctl::diff::{ObjectClass, Verdict};
    use driftctl::pipeline::{LeaseName, RepairSettings, Session, Silent};

    let Some(cluster) = common::cluster("session-repair").await else { return };
    let dir = tempfile::tempdir().unwrap();
    setup(&cluster, dir.path());
    cluster.make_hand_changes();
    let settings = cluster.session_settings(dir.path());
    let namespace = cluster.namespace.clone();
    let (found, repair, ui) = tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let session = Session::open(settings, runtime.handle().clone(), std::sync::Arc::new(Silent)).unwrap();
        let desired = session.desired().unwrap();
        let (_, audit) = runtime.block_on(session.audit_live(&desired)).unwrap();
        let found = session.verdict(&audit);
        let repair_settings = RepairSettings {
            options: Default::default(),
            dry_run: false,
            assume_yes: true,
            events: true,
            lock: LeaseName { namespace, name: "session-repair".into() },
            lock_timeout: std::time::Duration::from_secs(30),
            identity: "session-test".into(),
        };
        let mut ui = Unattended::default();
        let repair = runtime.block_on(session.repair(&desired, audit, &repair_settings, &mut ui)).unwrap();
        (found, repair, ui)
    })
    .await
    .unwrap();

    assert_eq!(found, Verdict::Findings, "the hand changes are found");
    assert!(ui.planned > 0, "the plan was shown");
    assert!(repair.failures().is_empty(), "{:?}", repair.failures());
    let verified = repair.verified.as_ref().expect("a verifying audit after writing");
    assert!(
        verified.objects.iter().all(|o| o.diff.class == ObjectClass::InSync),
        "{:?}",
        verified
            .objects
            .iter()
            .filter(|o| o.diff.class != ObjectClass::InSync)
            .map(|o| &o.reference)
            .collect::<Vec<_>>()
    );
    // And the cluster agrees, read by the command line afterwards.
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
}

//! Realistic objects (`fixtures/cluster/realistic/`: the kinds charts and
//! overlays produce, in the spellings people write) on the real API server,
//! applied the ways tools apply them — `kubectl apply`, `kubectl apply
//! --server-side`, `kubectl create`, `helm install` — must audit as in sync,
//! with and without `--server-side` and offline from a snapshot; controllers'
//! additions are not drift; hand changes must be reported on exactly the
//! changed field, and `--fix` must put them back.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestCluster, report_fields, report_object};
use serde_json::{Value, json};

/// The fixture files, the CRD first (its custom resources need it established).
const FILES: [&str; 7] =
    ["crd.yaml", "access.yaml", "admission.yaml", "config.yaml", "network.yaml", "workloads.yaml", "custom.yaml"];
/// Objects in the fixture files.
const OBJECTS: usize = 38;

/// Writes the fixtures for the test's namespace into `dir`; returns their paths in apply order.
fn write(cluster: &TestCluster, dir: &Path) -> Vec<PathBuf> {
    let names: Vec<String> = FILES.iter().map(|f| format!("realistic/{f}")).collect();
    cluster.write_fixtures(dir, &names.iter().map(String::as_str).collect::<Vec<_>>());
    names.iter().map(|n| dir.join(n)).collect()
}

/// Applies the files with `kubectl VERB ARGS -f FILE`, waiting for the CRD between the first file and the rest.
/// Validation is off as with Helm or Flux: one custom resource carries a field its schema prunes.
fn kubectl_each(cluster: &TestCluster, files: &[PathBuf], verb: &[&str]) {
    for (i, file) in files.iter().enumerate() {
        let mut args = verb.to_vec();
        args.extend(["--validate=false", "-f", file.to_str().unwrap()]);
        cluster.kubectl(&args);
        if i == 0 {
            let crd = format!("crd/gadgets.{}.example.com", cluster.namespace);
            cluster.kubectl_anywhere(&["wait", "--for", "condition=established", &crd]);
        }
    }
}

/// Asserts that every fixture object audits in sync, with no field reported at all, in both modes.
fn assert_in_sync(cluster: &TestCluster, source: &Path, extra: &[&str]) {
    for mode in [&[][..], &["--server-side"][..]] {
        let mut args = extra.to_vec();
        args.extend_from_slice(mode);
        let (code, report) = cluster.check_json(source, &args);
        let not_in_sync: Vec<String> = report["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["class"] != "in-sync" || !o["fields"].as_array().unwrap().is_empty())
            .map(|o| format!("{} {}: {} {}", o["ref"], o["class"], o["fields"], o["error"]))
            .collect();
        assert!(not_in_sync.is_empty(), "false positives ({mode:?}):\n{}", not_in_sync.join("\n"));
        assert_eq!(code, 0, "{mode:?}");
        assert_eq!(report["summary"]["objects"], OBJECTS, "every fixture object is audited");
    }
}

#[tokio::test]
async fn kubectl_client_side_apply_is_in_sync_and_hand_changes_are_found_and_repaired() {
    let Some(cluster) = common::cluster("real-csa").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = write(&cluster, dir.path());
    kubectl_each(&cluster, &files, &["apply"]);
    make_controller_changes(&cluster);
    assert_in_sync(&cluster, dir.path(), &[]);
    // Offline, from a snapshot: the CRD in Git says which field the server pruned.
    let snapshot = tempfile::tempdir().unwrap();
    let (code, _, stderr) =
        cluster.driftctl(&["snapshot", dir.path().to_str().unwrap(), "--out", snapshot.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (code, report) = cluster.check_json(dir.path(), &["--live-from", snapshot.path().to_str().unwrap()]);
    assert_eq!((code, &report["summary"]["inSync"]), (0, &json!(OBJECTS)), "{report:#}");
    hand_changes_are_found_and_repaired(&cluster, dir.path(), &[]);

    // A person server-side applies a few fields: kubectl rewrites the last-applied record with
    // them and takes over (and so drops) the fields it recorded before.
    let partial = dir.path().join("partial.json");
    let config = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "api-settings", "namespace": cluster.namespace, "labels": {"debug": "true"}},
        "data": {"EXTRA_KEY": "added"}});
    std::fs::write(&partial, config.to_string()).unwrap();
    cluster.kubectl(&["apply", "--server-side", "-f", partial.to_str().unwrap()]);
    std::fs::remove_file(&partial).unwrap();
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let fields = report_fields(report_object(&report, "ConfigMap", "api-settings"));
    let by_kubectl: Vec<&str> =
        fields.iter().filter(|(_, _, m)| m.as_deref() == Some("kubectl")).map(|(p, _, _)| p.as_str()).collect();
    assert_eq!(by_kubectl, ["/data/EXTRA_KEY", "/metadata/labels/debug"]);
    assert!(fields.iter().all(|(_, class, _)| class == "drift"), "{fields:?}");
    assert!(fields.iter().any(|(p, _, _)| p == "/data/LOG_FORMAT"), "the dropped keys are drift too: {fields:?}");
}

#[tokio::test]
async fn kubectl_create_is_in_sync_and_hand_changes_are_found_and_repaired() {
    let Some(cluster) = common::cluster("real-create").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = write(&cluster, dir.path());
    kubectl_each(&cluster, &files, &["create"]);
    make_controller_changes(&cluster);
    assert_in_sync(&cluster, dir.path(), &[]);
    hand_changes_are_found_and_repaired(&cluster, dir.path(), &[]);
}

/// The fixtures as server-side apply on Kubernetes 1.20 accepts them, which is how
/// Git must spell them for `kubectl apply --server-side` or Flux: quantities as strings,
/// ports with a protocol, no field a CRD does not declare. Read by kubectl itself.
fn strict_spelling(cluster: &TestCluster, file: &Path) -> Value {
    let out = cluster.kubectl(&[
        "create",
        "--dry-run=client",
        "--validate=false",
        "-o",
        "json",
        "-f",
        file.to_str().unwrap(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut items: Vec<Value> = serde_json::Deserializer::from_str(&text).into_iter().map(Result::unwrap).collect();
    for item in &mut items {
        strictly(item, "");
        if let Some(spec) = item.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("legacyField");
        }
    }
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}

fn strictly(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            let quantities = ["requests", "limits", "hard", "default", "defaultRequest", "max", "min"].contains(&key);
            for (k, v) in map.iter_mut() {
                if quantities && v.is_number() {
                    *v = Value::String(v.to_string());
                }
                strictly(v, k);
            }
        }
        Value::Array(items) => {
            for item in items {
                let port = item.as_object_mut().filter(|p| p.contains_key("port") || p.contains_key("containerPort"));
                if let Some(port) = port.filter(|p| key == "ports" && !p.contains_key("protocol")) {
                    port.insert("protocol".into(), "TCP".into());
                }
                strictly(item, key);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn kubectl_server_side_apply_is_in_sync_and_hand_changes_are_found_and_repaired() {
    let Some(cluster) = common::cluster("real-ssa").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = write(&cluster, dir.path());
    for file in &files {
        // Converted one file at a time: kubectl reads custom resources only once their CRD is there.
        let strict = file.with_extension("json");
        std::fs::write(&strict, strict_spelling(&cluster, file).to_string()).unwrap();
        std::fs::remove_file(file).unwrap();
        kubectl_each(&cluster, &[strict], &["apply", "--server-side"]);
    }
    make_controller_changes(&cluster);
    assert_in_sync(&cluster, dir.path(), &[]);
    hand_changes_are_found_and_repaired(&cluster, dir.path(), &[]);
}

/// The real Helm 3 binary, or `None` (skip) outside CI when it cannot be had.
fn helm3() -> Option<PathBuf> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/reference-helm");
    match Command::new(&tool).arg("v3").output() {
        Ok(out) if out.status.success() => Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())),
        other => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "no Helm 3 under CI: {other:?}");
            eprintln!("skipping: Helm 3 is not available ({})", tool.display());
            None
        }
    }
}

#[tokio::test]
async fn helm_install_is_in_sync_and_hand_changes_are_found_and_repaired() {
    let Some(helm) = helm3() else { return };
    let Some(cluster) = common::cluster("real-helm").await else { return };
    // The same objects as a chart: the CRD in crds/, everything else in templates/.
    let git = tempfile::tempdir().unwrap();
    let chart = git.path().join("shop");
    let files = write(&cluster, &chart);
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 1.0.0\n").unwrap();
    for (i, file) in files.iter().enumerate() {
        let folder = chart.join(if i == 0 { "crds" } else { "templates" });
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::rename(file, folder.join(file.file_name().unwrap())).unwrap();
    }
    let out = Command::new(&helm)
        .args(["install", "shop", chart.to_str().unwrap(), "--disable-openapi-validation"])
        .args(["--namespace", &cluster.namespace, "--kubeconfig", cluster.kubeconfig.to_str().unwrap()])
        .env("HELM_CACHE_HOME", std::env::temp_dir().join("driftctl-test-helm-cache"))
        .env("HELM_CONFIG_HOME", std::env::temp_dir().join("driftctl-test-helm-config"))
        .env("HELM_DATA_HOME", std::env::temp_dir().join("driftctl-test-helm-data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "helm install: {}", String::from_utf8_lossy(&out.stderr));

    make_controller_changes(&cluster);
    // Git as the chart, and as plain manifests of the same objects; both against Helm's own record.
    assert_in_sync(&cluster, git.path(), &["-n", &cluster.namespace]);
    let plain = tempfile::tempdir().unwrap();
    write(&cluster, plain.path());
    assert_in_sync(&cluster, plain.path(), &[]);
    let release = format!("{}/shop", cluster.namespace);
    let (code, stdout, stderr) = cluster.driftctl(&["check", "--release", &release, "-o", "json"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    hand_changes_are_found_and_repaired(&cluster, git.path(), &["-n", &cluster.namespace]);
}

/// What controllers add to the objects, under their own field managers: cert-manager's
/// cainjector fills a webhook's `caBundle`, the aggregation controller fills an aggregated
/// ClusterRole's rules, an operator annotates a Deployment. None of it is drift.
fn make_controller_changes(cluster: &TestCluster) {
    let ns = cluster.namespace.as_str();
    let patch = |manager: &str, resource: &str, kind: &str, body: &str| {
        cluster.kubectl(&[
            "patch",
            resource,
            &format!("--field-manager={manager}"),
            &format!("--type={kind}"),
            "-p",
            body,
        ]);
    };
    let ca_bundle = r#"[{"op":"add","path":"/webhooks/0/clientConfig/caBundle","value":"Q0EK"}]"#;
    patch("cainjector", &format!("validatingwebhookconfiguration/{ns}-policy"), "json", ca_bundle);
    let rules = r#"{"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get","list"]}]}"#;
    patch("clusterrole-aggregation-controller", &format!("clusterrole/{ns}-shop"), "merge", rules);
    patch(
        "manager",
        "deployment/api",
        "merge",
        r#"{"metadata":{"annotations":{"operator.example.com/observed":"2"}}}"#,
    );
}

/// Changes every kind the ways people do by hand: `kubectl scale`, `set image`,
/// `set env`, `label`, `annotate`, a patch of a nested field, a removed list
/// element, an added container or Service port, `delete`.
fn make_hand_changes(cluster: &TestCluster) {
    let ns = cluster.namespace.as_str();
    let patch = |resource: &str, kind: &str, body: &str| {
        cluster.kubectl(&["patch", resource, &format!("--type={kind}"), "-p", body]);
    };
    cluster.kubectl(&["scale", "deployment/api", "--replicas=5"]);
    cluster.kubectl(&["set", "image", "deployment/worker", "worker=registry.example.com/shop/worker:hotfix"]);
    cluster.kubectl(&["set", "env", "deployment/api", "LOG_LEVEL=debug", "EXTRA=1"]);
    cluster.kubectl(&["set", "image", "daemonset/log-agent", "agent=fluent/fluent-bit:3.0"]);
    cluster.kubectl(&["label", "statefulset/db", "tier=data"]);
    cluster.kubectl(&["annotate", "service/api", "owner=bob"]);
    cluster.kubectl(&["label", "job/migrate", "retried=yes"]);
    let ports = r#"[{"op":"add","path":"/spec/template/spec/containers/0/ports/-","value":{"containerPort":9999,"name":"debug"}}]"#;
    patch("deployment/api", "json", ports);
    let delay =
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/initialDelaySeconds","value":30}]"#;
    patch("deployment/api", "json", delay);
    let memory =
        r#"[{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests/memory","value":"4Gi"}]"#;
    patch("statefulset/db", "json", memory);
    patch(
        "service/api",
        "json",
        r#"[{"op":"add","path":"/spec/ports/-","value":{"name":"extra","port":8081,"targetPort":8081}}]"#,
    );
    let backend = r#"[{"op":"replace","path":"/spec/rules/0/http/paths/1/backend/service/port/number","value":9091}]"#;
    patch("ingress/api", "json", backend);
    patch(
        "networkpolicy/api",
        "json",
        r#"[{"op":"replace","path":"/spec/egress/0/to/0/ipBlock/cidr","value":"0.0.0.0/0"}]"#,
    );
    patch("hpa/api", "merge", r#"{"spec":{"maxReplicas":20}}"#);
    patch("pdb/api", "merge", r#"{"spec":{"maxUnavailable":2}}"#);
    patch("cronjob/cleanup", "merge", r#"{"spec":{"schedule":"0 4 * * *"}}"#);
    patch("configmap/api-settings", "merge", r#"{"data":{"LOG_FORMAT":"text"}}"#);
    patch("secret/db-credentials", "merge", r#"{"data":{"password":"aGFja2Vk"}}"#);
    patch("role/api", "json", r#"[{"op":"remove","path":"/rules/1"}]"#);
    patch("rolebinding/api", "json", r#"[{"op":"remove","path":"/subjects/1"}]"#);
    patch("serviceaccount/api", "json", r#"[{"op":"remove","path":"/imagePullSecrets"}]"#);
    patch("resourcequota/compute", "merge", r#"{"spec":{"hard":{"pods":"100"}}}"#);
    patch("limitrange/defaults", "json", r#"[{"op":"replace","path":"/spec/limits/0/max/memory","value":"16Gi"}]"#);
    patch(&format!("gadgets.{ns}.example.com/small"), "merge", r#"{"spec":{"size":7}}"#);
    cluster.kubectl(&["delete", "configmap/scripts"]);
    cluster.kubectl(&["delete", "networkpolicy/default-deny"]);
    let timeout = r#"[{"op":"replace","path":"/webhooks/0/timeoutSeconds","value":30}]"#;
    patch(&format!("validatingwebhookconfiguration/{ns}-policy"), "json", timeout);
    patch(
        &format!("clusterrole/{ns}-shop-view"),
        "json",
        r#"[{"op":"add","path":"/rules/0/verbs/-","value":"delete"}]"#,
    );
    patch(&format!("storageclass/{ns}-fast"), "merge", r#"{"allowVolumeExpansion":false}"#);
    cluster.kubectl(&["label", &format!("priorityclass/{ns}-high"), "hand=made"]);
}

/// A drifted field's path and the manager expected to have changed it.
type ExpectedField<'a> = (&'a str, Option<&'a str>);

/// Every hand change is reported as drift on exactly the field changed, with the
/// manager that changed it; `--fix` puts everything back and a later audit is clean.
fn hand_changes_are_found_and_repaired(cluster: &TestCluster, source: &Path, args: &[&str]) {
    make_hand_changes(cluster);
    let ns = cluster.namespace.as_str();
    let (code, report) = cluster.check_json(source, args);
    assert_eq!(code, 1, "drift exits 1: {report:#}");
    let (patched, set) = (Some("kubectl-patch"), Some("kubectl-set"));
    let shop_view = format!("{ns}-shop-view");
    let (fast, policy, high) = (format!("{ns}-fast"), format!("{ns}-policy"), format!("{ns}-high"));
    // The 1.20 API server records no manager for writes through the scale subresource;
    // a field removed by hand has no owner left to name.
    let expected: Vec<(&str, &str, Vec<ExpectedField>)> = vec![
        (
            "Deployment",
            "api",
            vec![
                ("/spec/replicas", None),
                ("/spec/template/spec/containers/0/env/1/value", set),
                ("/spec/template/spec/containers/0/env/5", set),
                ("/spec/template/spec/containers/0/ports/2", patched),
                ("/spec/template/spec/containers/0/readinessProbe/initialDelaySeconds", patched),
                // `kubectl set env` sets init containers too.
                ("/spec/template/spec/initContainers/0/env", set),
            ],
        ),
        ("Deployment", "worker", vec![("/spec/template/spec/containers/0/image", set)]),
        ("DaemonSet", "log-agent", vec![("/spec/template/spec/containers/0/image", set)]),
        (
            "StatefulSet",
            "db",
            vec![
                ("/metadata/labels/tier", Some("kubectl-label")),
                ("/spec/template/spec/containers/0/resources/requests/memory", patched),
            ],
        ),
        ("Job", "migrate", vec![("/metadata/labels/retried", Some("kubectl-label"))]),
        ("CronJob", "cleanup", vec![("/spec/schedule", patched)]),
        ("HorizontalPodAutoscaler", "api", vec![("/spec/maxReplicas", patched)]),
        ("PodDisruptionBudget", "api", vec![("/spec/maxUnavailable", patched)]),
        ("Service", "api", vec![("/metadata/annotations/owner", Some("kubectl-annotate")), ("/spec/ports/2", patched)]),
        ("Ingress", "api", vec![("/spec/rules/0/http/paths/1/backend/service/port/number", patched)]),
        ("NetworkPolicy", "api", vec![("/spec/egress/0/to/0/ipBlock/cidr", patched)]),
        ("ConfigMap", "api-settings", vec![("/data/LOG_FORMAT", patched)]),
        ("Secret", "db-credentials", vec![("/data/password", patched)]),
        ("Role", "api", vec![("/rules/1", patched)]),
        ("RoleBinding", "api", vec![("/subjects/1", patched)]),
        ("ServiceAccount", "api", vec![("/imagePullSecrets", None)]),
        ("ResourceQuota", "compute", vec![("/spec/hard/pods", patched)]),
        ("LimitRange", "defaults", vec![("/spec/limits/0/max/memory", patched)]),
        ("Gadget", "small", vec![("/spec/size", patched)]),
        ("ValidatingWebhookConfiguration", &policy, vec![("/webhooks/0/timeoutSeconds", patched)]),
        ("ClusterRole", &shop_view, vec![("/rules/0/verbs", patched)]),
        ("StorageClass", &fast, vec![("/allowVolumeExpansion", patched)]),
        ("PriorityClass", &high, vec![("/metadata/labels/hand", Some("kubectl-label"))]),
    ];
    let mut modified = 0;
    for (kind, name, fields) in &expected {
        let want: Vec<(String, String, Option<String>)> = fields
            .iter()
            .map(|(path, manager)| (path.to_string(), "drift".to_string(), manager.map(str::to_string)))
            .collect();
        assert_eq!(report_fields(report_object(&report, kind, name)), want, "{kind}/{name}");
        modified += 1;
    }
    for name in ["scripts", "default-deny"] {
        let object = report["objects"].as_array().unwrap().iter().find(|o| o["ref"]["name"] == name).unwrap();
        assert_eq!(object["class"], "missing", "{object:#}");
    }
    assert_eq!(report["summary"]["modified"], modified, "nothing else is reported: {report:#}");
    assert!(!report.to_string().contains("aGFja2Vk"), "the changed secret value is masked");

    let mut fix = vec!["check", source.to_str().unwrap(), "--fix", "--yes"];
    fix.extend_from_slice(args);
    let (code, _, stderr) = cluster.driftctl(&fix);
    assert_eq!(code, 0, "{stderr}");
    assert_in_sync(cluster, source, args);
    // Nothing was lost: the values come back from Git, not from the report.
    let password = cluster.kubectl(&["get", "secret/db-credentials", "-o", "jsonpath={.data.password}"]);
    assert_eq!(String::from_utf8_lossy(&password.stdout), "czNjcjN0LXZhbHVl");
    let script = cluster.kubectl(&["get", "configmap/scripts", "-o", "jsonpath={.data.start\\.sh}"]);
    assert!(String::from_utf8_lossy(&script.stdout).contains("exec /bin/worker"));
}

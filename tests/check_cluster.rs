//! `driftctl check` against the real API server: no false positives on
//! server-defaulted objects, no missed drift, three-way classes, attribution,
//! request counts and errors.

mod common;

use std::path::Path;

use common::{TestCluster, report_fields, report_object};

const ALL_FIXTURES: [&str; 4] = ["config.yaml", "network.yaml", "workloads.yaml", "widget.yaml"];

/// Applies every fixture kind (the CRD first, then its custom resource) with kubectl.
fn apply_everything(cluster: &TestCluster, dir: &Path, server_side: bool) {
    cluster.write_fixtures(dir, &["crd.yaml"]);
    cluster.write_fixtures(dir, &ALL_FIXTURES);
    let apply = |file: &str| {
        let path = dir.join(file);
        let mut args = vec!["apply", "-f", path.to_str().unwrap()];
        if server_side {
            args.push("--server-side");
        }
        cluster.kubectl(&args);
    };
    apply("crd.yaml");
    cluster.kubectl(&[
        "wait",
        "--for",
        "condition=established",
        &format!("crd/widgets.{}.example.com", cluster.namespace),
    ]);
    for file in ALL_FIXTURES {
        apply(file);
    }
}

fn assert_all_in_sync(report: &serde_json::Value, code: i32) {
    let not_in_sync: Vec<_> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["class"] != "in-sync")
        .map(|o| format!("{} {}: {}", o["ref"], o["class"], o["fields"]))
        .collect();
    assert!(not_in_sync.is_empty(), "false positives:\n{}", not_in_sync.join("\n"));
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["objects"], 20, "every fixture object is audited");
}

#[tokio::test]
async fn no_false_positives_after_client_side_apply() {
    let Some(cluster) = common::cluster("fp-client-side").await else { return };
    let dir = tempfile::tempdir().unwrap();
    apply_everything(&cluster, dir.path(), false);
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_all_in_sync(&report, code);
    let (code, report) = cluster.check_json(dir.path(), &["--server-side"]);
    assert_all_in_sync(&report, code);
}

#[tokio::test]
async fn no_false_positives_after_server_side_apply() {
    let Some(cluster) = common::cluster("fp-server-side").await else { return };
    let dir = tempfile::tempdir().unwrap();
    apply_everything(&cluster, dir.path(), true);
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_all_in_sync(&report, code);
    let (code, report) = cluster.check_json(dir.path(), &["--server-side"]);
    assert_all_in_sync(&report, code);
}

#[tokio::test]
async fn every_hand_change_is_reported_on_the_right_field_and_manager() {
    let Some(cluster) = common::cluster("hand-changes").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml", "network.yaml", "workloads.yaml"]);
    for file in ["config.yaml", "network.yaml", "workloads.yaml"] {
        cluster.kubectl(&["apply", "-f", dir.path().join(file).to_str().unwrap()]);
    }
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!((code, &report["summary"]["modified"]), (0, &serde_json::json!(0)), "{report:#}");

    cluster.make_hand_changes();

    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 1, "drift exits 1");
    let field = |kind: &str, name: &str| report_fields(report_object(&report, kind, name));
    let drift =
        |path: &str, manager: Option<&str>| (path.to_string(), "drift".to_string(), manager.map(str::to_string));

    // The 1.20 API server records no field manager for writes through the scale subresource.
    assert_eq!(
        field("Deployment", "web"),
        [
            drift("/spec/replicas", None),
            drift("/spec/template/spec/containers/0/env/0/value", Some("kubectl-set")),
            drift("/spec/template/spec/containers/0/env/2", Some("kubectl-set")),
            drift("/spec/template/spec/containers/0/resources/limits/memory", Some("kubectl-patch")),
        ]
    );
    assert_eq!(field("StatefulSet", "db"), [drift("/spec/template/spec/containers/0/image", Some("kubectl-set"))]);
    assert_eq!(field("DaemonSet", "agent"), [drift("/metadata/labels/team", Some("kubectl-label"))]);
    assert_eq!(field("Service", "web"), [drift("/metadata/annotations/owner", Some("kubectl-annotate"))]);
    assert_eq!(field("Secret", "creds"), [drift("/data/password", Some("kubectl-patch"))]);
    assert_eq!(field("ConfigMap", "settings"), [drift("/data/color", Some("kubectl-patch"))]);
    assert_eq!(report_object(&report, "Ingress", "web")["class"], "missing");
    for (kind, name) in
        [("Job", "migrate"), ("CronJob", "report"), ("Role", "reader"), ("PersistentVolumeClaim", "cache")]
    {
        assert_eq!(report_object(&report, kind, name)["class"], "in-sync", "{kind}/{name} was not touched");
    }
    assert!(!report.to_string().contains("c3dvcmRmaXNo"), "the new secret value is masked");
}

#[tokio::test]
async fn pending_and_conflict_need_last_applied() {
    let Some(cluster) = common::cluster("three-way").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml"]);
    let file = dir.path().join("config.yaml");
    cluster.kubectl(&["apply", "-f", file.to_str().unwrap()]);
    // Git changes `color` and `enabled`; the cluster changes `enabled` differently.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("color: blue", "color: purple").replace("enabled: \"true\"", "enabled: \"false\""),
    )
    .unwrap();
    cluster.kubectl(&["patch", "configmap/settings", "-p", r#"{"data":{"enabled":"maybe"}}"#]);

    let (code, report) = cluster.check_json(dir.path(), &[]);
    let fields = report_fields(report_object(&report, "ConfigMap", "settings"));
    assert_eq!(
        fields,
        [
            ("/data/color".to_string(), "pending".to_string(), None),
            ("/data/enabled".to_string(), "conflict".to_string(), Some("kubectl-patch".to_string())),
        ]
    );
    assert_eq!(code, 1, "conflict is in the default --fail-on");
    let (code, _) = cluster.check_json(dir.path(), &["--fail-on", "drift"]);
    assert_eq!(code, 0, "pending and conflict alone do not fail --fail-on drift");
}

#[tokio::test]
async fn snapshot_then_live_from_gives_the_same_audit() {
    let Some(cluster) = common::cluster("snapshot").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml", "workloads.yaml"]);
    for file in ["config.yaml", "workloads.yaml"] {
        cluster.kubectl(&["apply", "-f", dir.path().join(file).to_str().unwrap()]);
    }
    cluster.kubectl(&["scale", "deployment/web", "--replicas=4"]);
    cluster.kubectl(&["delete", "configmap/settings"]);
    let snap = tempfile::tempdir().unwrap();
    let (code, _, stderr) =
        cluster.driftctl(&["snapshot", dir.path().to_str().unwrap(), "--out", snap.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (live_code, live) = cluster.check_json(dir.path(), &[]);
    let (snap_code, offline) = cluster.check_json(dir.path(), &["--live-from", snap.path().to_str().unwrap()]);
    assert_eq!((live_code, snap_code), (1, 1));
    assert_eq!(live["objects"], offline["objects"]);
    assert_eq!(report_object(&offline, "ConfigMap", "settings")["class"], "missing");
}

#[tokio::test]
async fn unknown_kind_is_reported_per_object_and_exits_2() {
    let Some(cluster) = common::cluster("unknown-kind").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml", "widget.yaml"]);
    let file = dir.path().join("config.yaml");
    cluster.kubectl(&["apply", "-f", file.to_str().unwrap()]);
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 2);
    let widget = report_object(&report, "Widget", "gear");
    assert_eq!(widget["class"], "unknown-kind");
    assert!(widget["error"].as_str().unwrap().contains("CRD"), "{widget}");
    assert_eq!(report_object(&report, "ConfigMap", "settings")["class"], "in-sync", "other objects are still audited");
}

#[tokio::test]
async fn unreachable_cluster_is_an_error() {
    let Some(cluster) = common::cluster("unreachable").await else { return };
    let dir = tempfile::tempdir().unwrap();
    cluster.write_fixtures(dir.path(), &["config.yaml"]);
    let bad = dir.path().join("bad-kubeconfig");
    let text = std::fs::read_to_string(&cluster.kubeconfig).unwrap();
    let server = text.lines().find(|l| l.trim_start().starts_with("server:")).unwrap().trim().to_string();
    std::fs::write(&bad, text.replace(&server, "server: https://127.0.0.1:1")).unwrap();
    let out = assert_cmd::Command::cargo_bin("driftctl")
        .unwrap()
        .env_clear()
        .args(["check", "--kubeconfig", bad.to_str().unwrap(), dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is the cluster reachable"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing is reported as in sync");
}

#[tokio::test]
async fn audit_lists_once_per_resource_and_namespace() {
    let Some(cluster) = common::cluster("list-count").await else { return };
    let dir = tempfile::tempdir().unwrap();
    // 30 ConfigMaps and 10 Secrets in two namespaces: 4 (resource, namespace) pairs.
    let other = format!("{}-b", cluster.namespace);
    cluster.kubectl(&["create", "namespace", &other]);
    let mut docs = Vec::new();
    for ns in [&cluster.namespace, &other] {
        for i in 0..15 {
            docs.push(format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm-{i}, namespace: {ns}}}\ndata: {{i: \"{i}\"}}\n"
            ));
        }
        for i in 0..5 {
            docs.push(format!(
                "apiVersion: v1\nkind: Secret\nmetadata: {{name: s-{i}, namespace: {ns}}}\nstringData: {{i: \"{i}\"}}\n"
            ));
        }
    }
    std::fs::write(dir.path().join("many.yaml"), docs.join("---\n")).unwrap();
    cluster.kubectl_anywhere(&["apply", "-f", dir.path().join("many.yaml").to_str().unwrap()]);

    let settings = cluster.session_settings(dir.path());
    let probe = driftctl::cluster::connect(match &settings.live {
        driftctl::pipeline::LiveFrom::Cluster(c) => c,
        _ => unreachable!(),
    })
    .await
    .unwrap();
    let groups = std::iter::once(String::new()).collect();
    driftctl::cluster::ApiCatalog::discover(&probe.client, &groups).await.unwrap();
    let discovery_reads = probe.traffic.stats().reads;

    let live = tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let session = driftctl::pipeline::Session::open(
            settings,
            runtime.handle().clone(),
            std::sync::Arc::new(driftctl::pipeline::Silent),
        )
        .unwrap();
        let desired = session.desired().unwrap();
        assert_eq!(desired.set.objects.len(), 40);
        let live = runtime.block_on(session.live_objects(&desired)).unwrap();
        (live, session.connection().unwrap().traffic.stats())
    })
    .await
    .unwrap();
    let (live, stats) = live;
    assert_eq!(live.objects.len(), 40);
    assert_eq!(stats.reads - discovery_reads, 4, "one LIST per (resource, namespace)");
    assert_eq!(stats.writes, 0);
}

#[tokio::test]
async fn kustomize_overlays_are_rendered_and_audited() {
    let Some(cluster) = common::cluster("kustomize").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    cluster.write_fixtures(&dir.path().join("base"), &["workloads.yaml"]);
    let workloads = std::fs::read_to_string(dir.path().join("base/workloads.yaml")).unwrap();
    let deployment = workloads.split("---").find(|d| d.contains("kind: Deployment")).unwrap().to_string();
    write("base/workloads.yaml", &deployment.replace(&format!("namespace: {}", cluster.namespace), ""));
    write("base/kustomization.yaml", "resources: [workloads.yaml]\n");
    write(
        "overlays/prod/kustomization.yaml",
        &format!(
            "namespace: {}\nnamePrefix: prod-\nlabels:\n- pairs: {{env: prod}}\nresources: [../../base]\nconfigMapGenerator:\n- name: settings\n  literals: [color=blue]\nreplicas:\n- name: web\n  count: 3\n",
            cluster.namespace
        ),
    );
    cluster.kubectl_anywhere(&["apply", "-k", dir.path().join("overlays/prod").to_str().unwrap()]);

    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 0, "in sync after kubectl apply -k: {report:#}");
    assert_eq!(report["summary"]["objects"], 2, "the base is audited only through the overlay: {report:#}");
    let deployment = report_object(&report, "Deployment", "prod-web");
    assert_eq!(deployment["origin"]["unit"], "kustomize/overlays/prod");

    cluster.kubectl(&["scale", "deployment/prod-web", "--replicas=1"]);
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report_fields(report_object(&report, "Deployment", "prod-web"))[0].0, "/spec/replicas");
}

#[tokio::test]
async fn charts_render_for_the_live_cluster_with_lookup_and_capabilities() {
    let Some(cluster) = common::cluster("chartlive").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    write(
        "app/templates/facts.yaml",
        r#"{{- $seed := lookup "v1" "ConfigMap" .Release.Namespace "seed" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: facts
data:
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  cronjobs: {{ if .Capabilities.APIVersions.Has "batch/v1beta1/CronJob" }}v1beta1{{ else }}v1{{ end }}
  seed: {{ $seed.data.value | default "none" | quote }}
  autoscaling: {{ if .Capabilities.APIVersions.Has "autoscaling/v2" }}v2{{ else }}v2beta2{{ end }}
  namespace: {{ .Release.Namespace | quote }}
"#,
    );
    write(
        "app/templates/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  user: admin\n  token: {{ randAlphaNum 20 | quote }}\n",
    );
    cluster.kubectl(&["create", "configmap", "seed", "--from-literal=value=from-the-cluster"]);
    // What `helm install` against this cluster would have applied.
    let version = cluster.kubectl(&["version", "-o", "json"]);
    let version: serde_json::Value = serde_json::from_slice(&version.stdout).unwrap();
    let kube = version["serverVersion"]["gitVersion"].as_str().unwrap().to_string();
    let deployed = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: facts\ndata:\n  kube: {kube}\n  cronjobs: v1beta1\n  seed: from-the-cluster\n  autoscaling: v2beta2\n  namespace: {ns}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  user: admin\n  token: generated-at-install\n",
        ns = cluster.namespace
    );
    let deployed_path = dir.path().join("deployed.yaml");
    std::fs::write(&deployed_path, deployed).unwrap();
    cluster.kubectl(&["apply", "-f", deployed_path.to_str().unwrap()]);
    std::fs::remove_file(&deployed_path).unwrap();

    let (code, report) = cluster.check_json(dir.path(), &["-n", &cluster.namespace]);
    assert_eq!(code, 0, "lookup, KubeVersion and APIVersions come from the cluster: {report:#}");
    assert_eq!(report_object(&report, "ConfigMap", "facts")["class"], "in-sync");
    let secret = report_object(&report, "Secret", "token");
    assert_eq!(secret["class"], "in-sync", "{secret:#}");
    let fields = report_fields(secret);
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!((fields[0].0.as_str(), fields[0].1.as_str()), ("/data/token", "nondeterministic"));

    cluster.kubectl(&["patch", "secret", "token", "-p", r#"{"stringData":{"user":"root"}}"#]);
    let (code, report) = cluster.check_json(dir.path(), &["-n", &cluster.namespace]);
    assert_eq!(code, 1, "drift beside a nondeterministic field is still drift: {report:#}");
    let classes: Vec<_> =
        report_fields(report_object(&report, "Secret", "token")).into_iter().map(|(p, c, _)| (p, c)).collect();
    assert_eq!(
        classes,
        [("/data/token".to_string(), "nondeterministic".to_string()), ("/data/user".to_string(), "drift".to_string())]
    );

    let (code, _, stderr) =
        cluster.driftctl(&["check", dir.path().to_str().unwrap(), "-n", &cluster.namespace, "--fix", "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    let token = cluster.kubectl(&["get", "secret", "token", "-o", "jsonpath={.data.token}"]);
    assert_eq!(
        String::from_utf8_lossy(&token.stdout),
        "Z2VuZXJhdGVkLWF0LWluc3RhbGw=",
        "--fix keeps the value generated at install"
    );
    let user = cluster.kubectl(&["get", "secret", "token", "-o", "jsonpath={.data.user}"]);
    assert_eq!(String::from_utf8_lossy(&user.stdout), "YWRtaW4=", "--fix puts back the drifted field");
}

#[tokio::test]
async fn credentials_the_server_refuses_are_explained_not_dumped() {
    let Some(cluster) = common::cluster("unauthorized").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = std::fs::read_to_string(&cluster.kubeconfig).unwrap();
    let token = kubeconfig.lines().find(|l| l.trim_start().starts_with("token:")).expect("a token line");
    let bad = dir.path().join("kubeconfig");
    std::fs::write(&bad, kubeconfig.replace(token, "    token: not-the-token")).unwrap();
    std::fs::write(
        dir.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_driftctl"))
        .args(["check", dir.path().to_str().unwrap(), "--kubeconfig", bad.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Unauthorized"), "the server's words: {stderr}");
    assert!(stderr.contains("--context") && stderr.contains("token"), "what to do: {stderr}");
    assert!(!stderr.contains("Status {") && !stderr.contains("ErrorResponse"), "no debug structure: {stderr}");
}

#[tokio::test]
async fn values_a_chart_reads_from_a_secret_are_masked_in_every_format_and_fix_restores_them() {
    let Some(cluster) = common::cluster("lookup-secret").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    write(
        "app/templates/client.yaml",
        r#"{{- $db := lookup "v1" "Secret" .Release.Namespace "db" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: client
data:
  password: {{ $db.data.password | quote }}
  url: {{ printf "postgres://app:%s@db" ($db.data.password | b64dec) | quote }}
  mode: fast
"#,
    );
    cluster.kubectl(&["create", "secret", "generic", "db", "--from-literal=password=s3cr3t-cluster"]);
    let encoded = "czNjcjN0LWNsdXN0ZXI=";
    let deployed = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: client\ndata:\n  password: {encoded}\n  url: postgres://app:s3cr3t-cluster@db\n  mode: fast\n"
    );
    let deployed_path = dir.path().join("deployed.yaml");
    std::fs::write(&deployed_path, deployed).unwrap();
    cluster.kubectl(&["apply", "-f", deployed_path.to_str().unwrap()]);
    std::fs::remove_file(&deployed_path).unwrap();
    cluster.kubectl(&[
        "patch",
        "configmap",
        "client",
        "-p",
        r#"{"data":{"password":"aGFuZC1lZGl0ZWQ=","url":"postgres://app:hand-edited@db"}}"#,
    ]);

    let path = dir.path().to_str().unwrap();
    for format in ["human", "json", "yaml", "markdown", "sarif", "junit"] {
        let (code, stdout, stderr) = cluster.driftctl(&["check", path, "-n", &cluster.namespace, "-o", format, "-v"]);
        assert_eq!(code, 1, "{format}: {stderr}");
        for secret in [encoded, "s3cr3t-cluster", "aGFuZC1lZGl0ZWQ=", "hand-edited"] {
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{format} leaks {secret}:\n{stdout}\n{stderr}"
            );
        }
        assert!(stdout.contains("secret: differs from"), "{format}:\n{stdout}");
    }

    let (code, stdout, stderr) = cluster.driftctl(&["check", path, "-n", &cluster.namespace, "--fix", "--yes"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stdout.contains("s3cr3t-cluster") && !stderr.contains("s3cr3t-cluster"), "{stdout}\n{stderr}");
    let live = cluster.kubectl(&["get", "configmap", "client", "-o", "json"]);
    let live: serde_json::Value = serde_json::from_slice(&live.stdout).unwrap();
    assert_eq!(live["data"]["password"], encoded, "the real value was written, not its mask");
    assert_eq!(live["data"]["url"], "postgres://app:s3cr3t-cluster@db");
}

#[tokio::test]
async fn snapshot_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let Some(cluster) = common::cluster("snapshot-modes").await else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("secret.yaml"),
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: {}\nstringData:\n  password: hunter2\n",
            cluster.namespace
        ),
    )
    .unwrap();
    cluster.kubectl(&["apply", "-f", dir.path().join("secret.yaml").to_str().unwrap()]);
    let out = tempfile::tempdir().unwrap();
    let snap = out.path().join("snap");
    let (code, _, stderr) =
        cluster.driftctl(&["snapshot", dir.path().to_str().unwrap(), "--out", snap.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&snap), 0o700);
    let folder = snap.join(&cluster.namespace);
    assert_eq!(mode(&folder), 0o700);
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(mode(&files[0]), 0o600, "{}", files[0].display());
}

#[tokio::test]
async fn a_secret_key_empty_in_git_is_in_sync_whatever_form_the_server_returns() {
    let Some(cluster) = common::cluster("secret-empty-key").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: empty-key\n  namespace: {}\ntype: Opaque\ndata:\n  empty: \"\"\n  full: eA==\n",
        cluster.namespace
    );
    std::fs::write(dir.path().join("secret.yaml"), secret).unwrap();
    cluster.kubectl(&["apply", "-f", dir.path().join("secret.yaml").to_str().unwrap()]);
    let (code, report) = cluster.check_json(dir.path(), &[]);
    assert_eq!(report_object(&report, "Secret", "empty-key")["class"], "in-sync", "{report:#}");
    assert_eq!(code, 0);
    let (code, report) = cluster.check_json(dir.path(), &["--server-side"]);
    assert_eq!(report_object(&report, "Secret", "empty-key")["class"], "in-sync", "{report:#}");
    assert_eq!(code, 0);
}

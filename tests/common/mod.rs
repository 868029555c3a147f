//! Shared test support: access to the real test cluster started by
//! `scripts/test-cluster.sh run`, one fresh namespace per test.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};

/// Environment variable naming the test cluster's kubeconfig.
pub const KUBECONFIG_VAR: &str = "DRIFTCTL_TEST_KUBECONFIG";

/// A connection to the real test cluster, with a namespace of the test's own.
pub struct TestCluster {
    /// Client for the cluster.
    pub client: kube::Client,
    /// The kubeconfig file (for running the driftctl binary or kubectl against the cluster).
    pub kubeconfig: PathBuf,
    /// A namespace created for this test alone.
    pub namespace: String,
}

/// Returns the test cluster, or `None` (after printing how to get one) when no
/// cluster is configured. Under `CI=true` a missing cluster fails the test.
pub async fn cluster(test: &str) -> Option<TestCluster> {
    let Some(kubeconfig) = std::env::var_os(KUBECONFIG_VAR).map(PathBuf::from) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{KUBECONFIG_VAR} is not set under CI=true: run the tests through scripts/test.sh");
        }
        eprintln!("skipping cluster test {test}: no cluster (run `scripts/test.sh` to start a real one)");
        return None;
    };
    let kubeconfig_text = kube::config::Kubeconfig::read_from(&kubeconfig).expect("read test kubeconfig");
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig_text, &Default::default()).await.expect("load test kubeconfig");
    let client = kube::Client::try_from(config).expect("build client");
    let namespace = unique_namespace(test);
    let ns: Namespace = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}
    }))
    .unwrap();
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await.expect("create test namespace");
    Some(TestCluster { client, kubeconfig, namespace })
}

/// A namespace name no other test (or earlier run against the same cluster) uses.
fn unique_namespace(test: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let stem: String =
        test.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let stem = stem.trim_matches('-');
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let suffix = format!("-{}-{n}-{:x}", std::process::id() % 10000, nanos % 0xfffff);
    let max_stem = 63 - suffix.len();
    format!("{}{suffix}", &stem[..stem.len().min(max_stem)]).trim_start_matches('-').to_string()
}

impl TestCluster {
    /// Runs kubectl against the cluster in the test's namespace; fails the test if kubectl fails.
    pub fn kubectl(&self, args: &[&str]) -> std::process::Output {
        let mut all = vec!["-n", self.namespace.as_str()];
        all.extend_from_slice(args);
        self.kubectl_anywhere(&all)
    }

    /// Runs kubectl against the cluster with no namespace chosen (objects name their own).
    pub fn kubectl_anywhere(&self, args: &[&str]) -> std::process::Output {
        let out = std::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .output()
            .expect("run kubectl");
        assert!(out.status.success(), "kubectl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// Changes the objects of `fixtures/cluster/` (applied in the test namespace) the
    /// ways people do by hand: scale, set image, set env (one changed, one added),
    /// label, annotate, a patch of a nested field, delete, a Secret value, a ConfigMap key.
    pub fn make_hand_changes(&self) {
        self.kubectl(&["scale", "deployment/web", "--replicas=5"]);
        self.kubectl(&["set", "image", "statefulset/db", "db=postgres:17"]);
        self.kubectl(&["set", "env", "deployment/web", "MODE=debug", "EXTRA=1"]);
        self.kubectl(&["label", "daemonset/agent", "team=ops"]);
        self.kubectl(&["annotate", "service/web", "owner=alice"]);
        let memory =
            r#"[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"512Mi"}]"#;
        self.kubectl(&["patch", "deployment/web", "--type=json", "-p", memory]);
        self.kubectl(&["delete", "ingress/web"]);
        self.kubectl(&["patch", "secret/creds", "-p", r#"{"data":{"password":"c3dvcmRmaXNo"}}"#]);
        self.kubectl(&["patch", "configmap/settings", "-p", r#"{"data":{"color":"green"}}"#]);
    }

    /// Copies fixture files from `fixtures/cluster/` into `dir`, with `__NS__` replaced by the namespace.
    pub fn write_fixtures(&self, dir: &std::path::Path, names: &[&str]) {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cluster");
        std::fs::create_dir_all(dir).unwrap();
        for name in names {
            let text = std::fs::read_to_string(fixtures.join(name)).expect("fixture");
            let target = dir.join(name);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, text.replace("__NS__", &self.namespace)).unwrap();
        }
    }

    /// Session settings that audit `dir` against this cluster, as `driftctl check DIR` would.
    pub fn session_settings(&self, dir: &std::path::Path) -> driftctl::pipeline::Settings {
        driftctl::pipeline::Settings {
            desired: driftctl::pipeline::DesiredFrom::Source(driftctl::source::SourceSpec {
                location: dir.to_str().unwrap().to_string(),
                reference: None,
                path: None,
            }),
            live: driftctl::pipeline::LiveFrom::Cluster(driftctl::cluster::ClusterSettings {
                kubeconfig: Some(self.kubeconfig.clone()),
                request_timeout: Some(std::time::Duration::from_secs(30)),
                ..Default::default()
            }),
            namespace: None,
            cache_dir: std::env::temp_dir().join("driftctl-test-cache"),
            git_auth: Default::default(),
            project_file: None,
            ignore: Vec::new(),
            mode: driftctl::diff::Mode::DesiredFields,
            fail_on: driftctl::diff::FailOn::DEFAULT.to_vec(),
            history_depth: driftctl::pipeline::DEFAULT_HISTORY_DEPTH,
        }
    }

    /// Runs the driftctl binary against the cluster; returns exit code, stdout and stderr.
    /// The kubeconfig goes after the subcommand (`check`, `snapshot`), which takes it.
    pub fn driftctl(&self, args: &[&str]) -> (i32, String, String) {
        let (subcommand, rest) = args.split_first().expect("a subcommand");
        let out = assert_cmd::Command::cargo_bin("driftctl")
            .unwrap()
            .env_clear()
            .env("HOME", std::env::temp_dir())
            .arg(subcommand)
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(rest)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `driftctl check DIR -o json` (plus `extra` args) and parses the report.
    pub fn check_json(&self, dir: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value) {
        let mut args = vec!["check", dir.to_str().unwrap(), "-o", "json"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = self.driftctl(&args);
        let report = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("report is not JSON ({e}); exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"));
        (code, report)
    }
}

/// The report's entry for `kind/name`.
pub fn report_object<'a>(report: &'a serde_json::Value, kind: &str, name: &str) -> &'a serde_json::Value {
    report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["ref"]["kind"] == kind && o["ref"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}/{name} in report:\n{report:#}"))
}

/// `(path, class, changedBy.manager)` of every field of an object's entry.
pub fn report_fields(object: &serde_json::Value) -> Vec<(String, String, Option<String>)> {
    object["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["class"].as_str().unwrap().to_string(),
                f["changedBy"]["manager"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// A TCP proxy in front of the API server that can be frozen: from then on it
/// holds every connection open and forwards nothing, as a server that hangs
/// does. Runs on threads of its own, so it works while the test blocks.
pub struct FreezingProxy {
    /// `127.0.0.1:PORT` to point a kubeconfig at.
    pub address: std::net::SocketAddr,
    frozen: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FreezingProxy {
    /// Starts forwarding to `upstream`.
    pub fn start(upstream: std::net::SocketAddr) -> FreezingProxy {
        use std::sync::Arc;
        use std::sync::atomic::AtomicBool;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = frozen.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = std::net::TcpStream::connect(upstream) else { continue };
                for (from, to) in [(client.try_clone().unwrap(), server.try_clone().unwrap()), (server, client)] {
                    let flag = flag.clone();
                    std::thread::spawn(move || forward(from, to, &flag));
                }
            }
        });
        FreezingProxy { address, frozen }
    }

    /// Stops forwarding, for good.
    pub fn freeze(&self) {
        self.frozen.store(true, Ordering::SeqCst);
    }

    /// A copy of `kubeconfig` whose server is this proxy, written into `dir`.
    pub fn kubeconfig(&self, kubeconfig: &std::path::Path, dir: &std::path::Path) -> PathBuf {
        let text = std::fs::read_to_string(kubeconfig).unwrap();
        let line = text.lines().find(|l| l.trim_start().starts_with("server:")).expect("a server line");
        let rewritten = text.replace(line, &format!("    server: https://{}", self.address));
        let path = dir.join("proxied-kubeconfig");
        std::fs::write(&path, rewritten).unwrap();
        path
    }
}

fn forward(mut from: std::net::TcpStream, mut to: std::net::TcpStream, frozen: &std::sync::atomic::AtomicBool) {
    use std::io::{Read, Write};
    let mut buffer = [0u8; 16384];
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while frozen.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        if to.write_all(&buffer[..n]).is_err() {
            return;
        }
    }
}

/// The API server's address, from the test kubeconfig's `server:` line.
pub fn api_address(kubeconfig: &std::path::Path) -> std::net::SocketAddr {
    let text = std::fs::read_to_string(kubeconfig).unwrap();
    let server = text.lines().find_map(|l| l.trim_start().strip_prefix("server:")).expect("a server line").trim();
    server.trim_start_matches("https://").parse().expect("server is https://IP:PORT")
}

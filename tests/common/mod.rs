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

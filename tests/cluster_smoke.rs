//! Proves the test harness is a real API server: discovery, server-side apply
//! bookkeeping in managedFields, and server-side defaulting.

mod common;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams};
use kube::discovery::Discovery;
use serde_json::json;

#[tokio::test]
async fn discovery_lists_apps_v1_deployment() {
    let Some(cluster) = common::cluster("discovery").await else { return };
    let discovery = Discovery::new(cluster.client.clone()).run().await.expect("discovery");
    let group = discovery.get("apps").expect("apps group is served");
    let (resource, caps) = group
        .versioned_resources("v1")
        .into_iter()
        .find(|(r, _)| r.kind == "Deployment")
        .expect("apps/v1 Deployment is served");
    assert_eq!(resource.plural, "deployments");
    assert_eq!(caps.scope, kube::discovery::Scope::Namespaced);
}

#[tokio::test]
async fn server_side_apply_records_the_field_manager() {
    let Some(cluster) = common::cluster("ssa-manager").await else { return };
    let api: Api<ConfigMap> = Api::namespaced(cluster.client.clone(), &cluster.namespace);
    let cm = json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "settings"},
        "data": {"color": "blue"}
    });
    api.patch("settings", &PatchParams::apply("driftctl-test"), &Patch::Apply(&cm)).await.expect("apply");
    let live = api.get("settings").await.expect("get");
    let managers: Vec<_> = live
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.manager.unwrap_or_default(), m.operation.unwrap_or_default()))
        .collect();
    assert!(
        managers.contains(&("driftctl-test".to_string(), "Apply".to_string())),
        "managedFields should name driftctl-test/Apply, got {managers:?}"
    );
    assert_eq!(live.data.unwrap().get("color").map(String::as_str), Some("blue"));
}

#[tokio::test]
async fn deployment_comes_back_with_server_defaults() {
    let Some(cluster) = common::cluster("defaults").await else { return };
    let api: Api<Deployment> = Api::namespaced(cluster.client.clone(), &cluster.namespace);
    let deploy = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}
            }
        }
    });
    api.patch("web", &PatchParams::apply("driftctl-test"), &Patch::Apply(&deploy)).await.expect("apply");
    let live = api.get("web").await.expect("get");
    let spec = live.spec;
    assert_eq!(spec.revision_history_limit, Some(10), "revisionHistoryLimit is defaulted by the server");
    assert_eq!(spec.replicas, Some(1), "replicas is defaulted by the server");
    let container = &spec.template.spec.expect("pod spec").containers[0];
    assert_eq!(container.termination_message_path.as_deref(), Some("/dev/termination-log"));
    assert_eq!(container.image_pull_policy.as_deref(), Some("IfNotPresent"));
}

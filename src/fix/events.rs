//! Records each repair as a Kubernetes Event on the repaired object (reason
//! `DriftCorrected`), so `kubectl describe` shows who put it back and what.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::{Api, PostParams};

use super::{FixError, PlannedFix};
use crate::cluster::ApiError;

/// Event reason for a repair.
pub const REASON: &str = "DriftCorrected";

/// Creates the Event for a completed repair; `uid` is the repaired object's.
pub async fn record_event(client: &kube::Client, fix: &PlannedFix, uid: Option<String>) -> Result<(), FixError> {
    // Events of cluster-scoped objects live in `default`, as kubectl's do.
    let namespace = fix.reference.namespace.clone().unwrap_or_else(|| "default".into());
    let fields: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
    let message = match fix.action {
        super::FixAction::Create => format!("driftctl re-created the object (field manager {})", fix.manager),
        super::FixAction::Delete => "driftctl deleted the object (not in Git, --prune)".to_string(),
        _ => format!("driftctl restored {} (field manager {})", fields.join(", "), fix.manager),
    };
    let now = k8s_openapi::jiff::Timestamp::now();
    let event = Event {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}.", fix.reference.name)),
            namespace: Some(namespace.clone()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            api_version: Some(fix.api_version.clone()),
            kind: Some(fix.reference.kind.clone()),
            name: Some(fix.reference.name.clone()),
            namespace: fix.reference.namespace.clone(),
            uid,
            ..Default::default()
        },
        reason: Some(REASON.into()),
        message: Some(message),
        type_: Some("Normal".into()),
        source: Some(EventSource { component: Some("driftctl".into()), host: None }),
        // The legacy event fields: an eventTime would also require a reporting controller and instance.
        count: Some(1),
        first_timestamp: Some(Time(now)),
        last_timestamp: Some(Time(now)),
        ..Default::default()
    };
    let api: Api<Event> = Api::namespaced(client.clone(), &namespace);
    api.create(&PostParams::default(), &event)
        .await
        .map(|_| ())
        .map_err(|e| FixError::Api { action: "recording the repair Event".into(), source: ApiError(e) })
}

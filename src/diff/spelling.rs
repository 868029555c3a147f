//! Git's loose spellings, rewritten as the API server reads them: a number in
//! a quantity field (`cpu: 0.5`, `pods: 10`) becomes a string, and a port of a
//! built-in kind written without `protocol` gets `TCP`, the server's default.
//!
//! Both are what the stored object holds anyway; server-side apply on older
//! API servers (1.20) rejects the loose forms ("expected string", "omits key
//! field protocol"), so dry-runs and repairs send this form. Never changes
//! what a value means. Applied over an existing object, an empty string of a
//! typed field (`clusterIP: ""`, which asks for an allocated value) takes the
//! value the server allocated: applied again, it would ask to unset it.

use serde_json::{Map, Value};

use super::value::{is_quantity_path, sets_nothing};
use crate::object::Pointer;

/// The object with quantities as strings and built-in ports with a protocol.
pub fn apply_form(object: &Value) -> Value {
    let mut object = object.clone();
    let built_in = object.get("apiVersion").and_then(Value::as_str).is_some_and(is_built_in_api);
    respell(&Pointer::root(), &mut object, built_in);
    object
}

/// [`apply_form`] for applying over `live`, the object as it exists: an empty string of a
/// typed field asks the server for a value, so it takes the value the server gave (or goes).
pub fn update_form(object: &Value, live: &Value) -> Value {
    let mut object = apply_form(object);
    fill_empty_strings(&Pointer::root(), &mut object, live);
    object
}

fn fill_empty_strings(path: &Pointer, value: &mut Value, live: &Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, child| {
                let child_path = path.child(key.as_str());
                let asks = child.as_str() == Some("") && sets_nothing(&child_path, Some(child));
                match live.pointer(&child_path.to_string()).filter(|_| asks) {
                    Some(given) => {
                        *child = given.clone();
                        true
                    }
                    None => !asks,
                }
            });
            for (key, child) in map.iter_mut() {
                fill_empty_strings(&path.child(key.as_str()), child, live);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                fill_empty_strings(&path.child(i.to_string()), item, live);
            }
        }
        _ => {}
    }
}

/// Kubernetes' own API groups: the core group, unqualified groups (`apps`,
/// `batch`) and `*.k8s.io`. Custom resources keep their ports as their schema says.
fn is_built_in_api(api_version: &str) -> bool {
    match api_version.rsplit_once('/') {
        None => true,
        Some((group, _)) => !group.contains('.') || group.ends_with(".k8s.io"),
    }
}

fn respell(path: &Pointer, value: &mut Value, built_in: bool) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_path = path.child(key.as_str());
                if let Value::Number(n) = child
                    && is_quantity_path(&child_path)
                {
                    *child = Value::String(n.to_string());
                }
                respell(&child_path, child, built_in);
            }
        }
        Value::Array(items) => {
            let is_ports = path.last() == Some("ports");
            for (i, item) in items.iter_mut().enumerate() {
                if built_in
                    && is_ports
                    && let Value::Object(port) = item
                {
                    default_protocol(port);
                }
                respell(&path.child(i.to_string()), item, built_in);
            }
        }
        _ => {}
    }
}

fn default_protocol(port: &mut Map<String, Value>) {
    let numbered = port.contains_key("port") || port.contains_key("containerPort");
    if numbered && port.get("protocol").is_none_or(Value::is_null) {
        port.insert("protocol".into(), Value::String("TCP".into()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn quantities_become_strings_and_ports_get_the_default_protocol() {
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 3, "template": {"spec": {
            "containers": [{"name": "a", "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
                            "resources": {"requests": {"cpu": 0.5, "memory": "1Gi"}}}]}}}});
        let respelled = apply_form(&deployment);
        let container = &respelled["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(container["resources"]["requests"], json!({"cpu": "0.5", "memory": "1Gi"}));
        assert_eq!(
            container["ports"],
            json!([{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 53, "protocol": "UDP"}])
        );
        assert_eq!(respelled["spec"]["replicas"], 3, "other numbers stay numbers");
        let quota = json!({"apiVersion": "v1", "kind": "ResourceQuota", "spec": {"hard": {"pods": 10}}});
        assert_eq!(apply_form(&quota)["spec"]["hard"]["pods"], "10");
    }

    #[test]
    fn updates_keep_what_the_server_gave_for_empty_strings() {
        let service = json!({"apiVersion": "v1", "kind": "Service", "spec": {"clusterIP": "", "loadBalancerIP": ""}});
        let live = json!({"apiVersion": "v1", "kind": "Service", "spec": {"clusterIP": "10.96.0.7"}});
        assert_eq!(
            update_form(&service, &live),
            json!({"apiVersion": "v1", "kind": "Service", "spec": {"clusterIP": "10.96.0.7"}})
        );
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"EMPTY": ""}});
        assert_eq!(update_form(&config, &json!({})), config);
    }

    #[test]
    fn custom_resources_keep_their_ports() {
        let custom = json!({"apiVersion": "example.com/v1", "kind": "Gadget", "spec": {"ports": [{"port": 80}]}});
        assert_eq!(apply_form(&custom), custom);
        let policy = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                            "spec": {"ingress": [{"ports": [{"port": 8080}]}]}});
        assert_eq!(apply_form(&policy)["spec"]["ingress"][0]["ports"][0]["protocol"], "TCP");
    }
}

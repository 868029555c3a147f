//! A chart that reads a password from a cluster Secret with `lookup` and puts
//! it in a ConfigMap and an env value: every report format masks it (no
//! plaintext, no base64), and the repair plan still carries the real value.
//! Pure: the lookup is answered in-process, the live objects are given.

use std::rc::Rc;

use driftctl::diff::{AuditOptions, Legs, audit};
use driftctl::fix::{FixOptions, plan_fixes};
use driftctl::object::{DesiredSet, Manifest};
use driftctl::render::{RenderTarget, render_units};
use driftctl::report::{OutputFormat, ReportOptions, write_report};
use driftctl::template::Lookup;
use serde_json::{Value, json};

/// base64 of the password the cluster's Secret holds.
const ENCODED: &str = "czNjcjN0LWNsdXN0ZXI=";
const PLAIN: &str = "s3cr3t-cluster";

/// A cluster with one Secret, `web/db`.
struct ClusterWithSecret;

impl Lookup for ClusterWithSecret {
    fn lookup(&self, _: &str, kind: &str, namespace: &str, name: &str) -> Result<Value, String> {
        Ok(match (kind, namespace, name) {
            ("Secret", "web", "db") => json!({"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": "db", "namespace": "web"}, "data": {"password": ENCODED}}),
            _ => json!({}),
        })
    }
}

fn write(dir: &std::path::Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn values_a_chart_reads_from_a_secret_are_masked_and_repaired_with_the_real_value() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n");
    write(
        dir.path(),
        "db/templates/client.yaml",
        r#"{{- $secret := lookup "v1" "Secret" .Release.Namespace "db" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: db-client
  namespace: {{ .Release.Namespace }}
data:
  encoded: {{ $secret.data.password | quote }}
  url: {{ printf "postgres://app:%s@db" ($secret.data.password | b64dec) | quote }}
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db-client
  namespace: {{ .Release.Namespace }}
spec:
  selector: {matchLabels: {app: db-client}}
  template:
    metadata: {labels: {app: db-client}}
    spec:
      containers:
      - name: app
        image: app:1
        env:
        - {name: MODE, value: fast}
        - {name: PASSWORD, value: {{ $secret.data.password | b64dec | quote }}}
"#,
    );
    let boundary = driftctl::source::SourceRoot::new(dir.path()).unwrap();
    let units = driftctl::discover::discover(dir.path(), &boundary).units;
    let target = RenderTarget {
        namespace: "web".into(),
        kube_version: None,
        api_versions: None,
        lookup: Rc::new(ClusterWithSecret),
    };
    let (objects, problems) = render_units(&units, &target);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(objects.len(), 2);
    let desired = DesiredSet { objects, ..Default::default() };

    // The cluster: the values were changed by hand (the env list in another order).
    let mut legs = Legs::default();
    for object in &desired.objects {
        let mut live = object.manifest.0.clone();
        match object.manifest.kind() {
            "ConfigMap" => {
                live["data"]["encoded"] = json!("aGFuZC1lZGl0ZWQ=");
                live["data"]["url"] = json!("postgres://app:hand-edited@db");
            }
            _ => {
                live["spec"]["template"]["spec"]["containers"][0]["env"] =
                    json!([{"name": "PASSWORD", "value": "hand-edited"}, {"name": "MODE", "value": "fast"}]);
            }
        }
        legs.live.insert(object.object_ref(), Manifest(live));
    }
    let audit = audit("git", &desired, &legs, &AuditOptions::default()).unwrap();
    assert!(audit.objects.iter().all(|o| !o.diff.fields.is_empty()), "{audit:#?}");

    for format in OutputFormat::ALL {
        let mut out = Vec::new();
        let options = ReportOptions { verbose: true, ..Default::default() };
        write_report(&audit, format, &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for secret in [ENCODED, PLAIN, "aGFuZC1lZGl0ZWQ=", "hand-edited"] {
            assert!(!text.contains(secret), "{} leaks {secret}:\n{text}", format.name());
        }
        assert!(text.contains("secret: differs from"), "{}:\n{text}", format.name());
    }

    // The repair sends Git's real values, never a mask.
    let plan = plan_fixes(&audit, &FixOptions::default());
    let sent = format!("{plan:?}");
    assert!(sent.contains(ENCODED) && sent.contains(PLAIN), "{sent}");
    assert!(!sent.contains("<secret"), "{sent}");
}

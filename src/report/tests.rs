//! Snapshot tests of every format for one hand-built audit that has each
//! object class, each field class, attribution, and a Secret whose value
//! differs (to prove masking).

use serde_json::Value;

use super::OutputFormat;
use super::{ReportOptions, Tally, write_report, write_report_with_fixes};
use crate::diff::{Audit, AuditedObject, ChangedBy, FieldClass, FieldDiff, ObjectClass, ObjectDiff};
use crate::fix::{FixAction, FixOutcome, FixRecord};
use crate::object::Pointer;
use crate::object::{Manifest, ObjectRef, Origin, ReleaseRef, Unit};

/// The Secret's values in Git and in the cluster, base64 and plain: none may appear in a masked report.
const SECRET_VALUES: [&str; 4] = ["czNjcjN0LWdpdA==", "s3cr3t-git", "aGFuZC1lZGl0ZWQ=", "hand-edited"];

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("test YAML parses")
}

fn changed_by(manager: &str, operation: &str, time: &str) -> Option<ChangedBy> {
    Some(ChangedBy { manager: manager.into(), operation: operation.into(), time: Some(time.into()) })
}

fn field(
    path: &str,
    class: FieldClass,
    [desired, last_applied, live]: [Option<&str>; 3],
    changed_by: Option<ChangedBy>,
) -> FieldDiff {
    FieldDiff {
        path: Pointer::parse(path).expect("test pointer parses"),
        class,
        desired: desired.map(yaml),
        last_applied: last_applied.map(yaml),
        live: live.map(yaml),
        changed_by,
    }
}

fn object(
    desired: Option<&str>,
    live: Option<&str>,
    origin: Option<(&str, usize, Unit)>,
    class: ObjectClass,
    fields: Vec<FieldDiff>,
) -> AuditedObject {
    let desired = desired.map(|text| Manifest(yaml(text)));
    let live = live.map(|text| Manifest(yaml(text)));
    let any = desired.as_ref().or(live.as_ref()).expect("an object has a desired or a live side");
    AuditedObject {
        reference: any.object_ref(),
        api_version: any.api_version().to_string(),
        origin: origin.map(|(file, line, unit)| Origin { file: file.into(), line, unit }),
        diff: ObjectDiff { class, fields },
        error: None,
        desired,
        live,
        release: None,
        secret_fields: Vec::new(),
    }
}

fn failed(api_version: &str, kind: &str, name: &str, class: ObjectClass, message: &str) -> AuditedObject {
    AuditedObject {
        reference: ObjectRef::new(api_version, kind, Some("web"), name),
        api_version: api_version.into(),
        origin: Some(Origin { file: "apps/web/extras.yaml".into(), line: 12, unit: Unit::Plain }),
        diff: ObjectDiff { class, fields: vec![] },
        error: Some(message.into()),
        desired: None,
        live: None,
        release: None,
        secret_fields: Vec::new(),
    }
}

fn podinfo() -> AuditedObject {
    let release = || {
        Some(("apps/podinfo/release.yaml", 1, Unit::HelmRelease { namespace: "web".into(), name: "podinfo".into() }))
    };
    let desired = "
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: web
  labels: {app: podinfo, tier: frontend}
spec:
  replicas: 2
  minReadySeconds: 5
  selector:
    matchLabels: {app: podinfo}
  template:
    metadata:
      labels: {app: podinfo}
    spec:
      containers:
      - name: podinfo
        image: ghcr.io/stefanprodan/podinfo:6.7.1
        ports:
        - {name: http, containerPort: 9898, protocol: TCP}
        resources:
          limits: {cpu: '1', memory: 256Mi}
";
    let live = "
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: web
  uid: 0b6f3c4e-1111-2222-3333-444455556666
  resourceVersion: '48213'
  generation: 7
  labels: {app: podinfo, tier: backend, app.kubernetes.io/managed-by: Helm}
spec:
  replicas: 5
  minReadySeconds: 5
  progressDeadlineSeconds: 600
  revisionHistoryLimit: 10
  selector:
    matchLabels: {app: podinfo}
  template:
    metadata:
      labels: {app: podinfo}
    spec:
      containers:
      - name: podinfo
        image: ghcr.io/stefanprodan/podinfo:6.7.0
        imagePullPolicy: IfNotPresent
        ports:
        - {name: http, containerPort: 9898, protocol: TCP}
        resources:
          limits: {cpu: 1000m, memory: 256Mi}
        terminationMessagePath: /dev/termination-log
      - name: debug
        image: busybox:1.36
      dnsPolicy: ClusterFirst
status:
  readyReplicas: 5
";
    let mut podinfo = object(
        Some(desired),
        Some(live),
        release(),
        ObjectClass::Modified,
        vec![
            field(
                "/spec/replicas",
                FieldClass::Drift,
                [Some("2"), Some("2"), Some("5")],
                changed_by("kubectl-scale", "Update", "2026-11-24T10:00:00Z"),
            ),
            field(
                "/spec/template/spec/containers/0/image",
                FieldClass::Pending,
                [
                    Some("ghcr.io/stefanprodan/podinfo:6.7.1"),
                    Some("ghcr.io/stefanprodan/podinfo:6.7.0"),
                    Some("ghcr.io/stefanprodan/podinfo:6.7.0"),
                ],
                changed_by("helm-controller", "Apply", "2026-11-20T08:30:00Z"),
            ),
            field(
                "/metadata/labels/tier",
                FieldClass::Conflict,
                [Some("frontend"), Some("web"), Some("backend")],
                changed_by("kubectl-edit", "Update", "2026-11-24T11:15:00Z"),
            ),
            field(
                "/spec/minReadySeconds",
                FieldClass::Converged,
                [Some("5"), Some("0"), Some("5")],
                changed_by("kubectl-patch", "Update", "2026-11-23T09:00:00Z"),
            ),
            field(
                "/spec/template/spec/containers/1",
                FieldClass::Drift,
                [None, None, Some("{name: debug, image: 'busybox:1.36'}")],
                changed_by("kubectl-edit", "Update", "2026-11-24T11:15:00Z"),
            ),
        ],
    );
    podinfo.release = Some(ReleaseRef {
        namespace: "web".into(),
        name: "podinfo".into(),
        revision: 4,
        chart: "podinfo-6.7.1".into(),
        description: "Upgrade complete".into(),
        provenance: None,
    });
    podinfo
}

fn credentials() -> AuditedObject {
    let desired = "
apiVersion: v1
kind: Secret
metadata: {name: credentials, namespace: web}
type: Opaque
data: {password: czNjcjN0LWdpdA==, username: YWRtaW4=}
";
    let live = r#"
apiVersion: v1
kind: Secret
metadata:
  name: credentials
  namespace: web
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"password":"czNjcjN0LWdpdA==","username":"YWRtaW4="},"kind":"Secret","metadata":{"name":"credentials","namespace":"web"},"type":"Opaque"}
type: Opaque
data: {password: aGFuZC1lZGl0ZWQ=, username: YWRtaW4=}
"#;
    object(
        Some(desired),
        Some(live),
        Some(("apps/web/secret.yaml", 1, Unit::Plain)),
        ObjectClass::Modified,
        vec![field(
            "/data/password",
            FieldClass::Drift,
            [Some("czNjcjN0LWdpdA=="), Some("czNjcjN0LWdpdA=="), Some("aGFuZC1lZGl0ZWQ=")],
            changed_by("kubectl-edit", "Update", "2026-11-24T12:00:00Z"),
        )],
    )
}

fn settings() -> AuditedObject {
    let manifest = "
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: web}
data: {LOG_LEVEL: info}
";
    let origin = Some(("apps/web/config.yaml", 1, Unit::Kustomize { path: "apps/web".into() }));
    object(Some(manifest), Some(manifest), origin, ObjectClass::InSync, vec![])
}

fn web_service() -> AuditedObject {
    let desired = "
apiVersion: v1
kind: Service
metadata: {name: podinfo, namespace: web}
spec:
  selector: {app: podinfo}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP}
";
    let origin = Some(("apps/podinfo/service.yaml", 3, Unit::Chart { path: "charts/podinfo".into() }));
    object(Some(desired), None, origin, ObjectClass::Missing, vec![])
}

fn leftover() -> AuditedObject {
    let live = "
apiVersion: v1
kind: ServiceAccount
metadata: {name: podinfo-old, namespace: web}
";
    object(None, Some(live), None, ObjectClass::Extra, vec![])
}

fn audit() -> Audit {
    Audit {
        source: "https://github.com/example/fleet@main".into(),
        objects: vec![
            podinfo(),
            credentials(),
            settings(),
            web_service(),
            leftover(),
            failed(
                "monitoring.coreos.com/v1",
                "ServiceMonitor",
                "podinfo",
                ObjectClass::UnknownKind,
                "the cluster does not serve monitoring.coreos.com/v1 ServiceMonitor; install its CRD or ignore the object",
            ),
            failed(
                "v1",
                "ConfigMap",
                "huge",
                ObjectClass::Error,
                "reading ConfigMap web/huge: 403 Forbidden; check RBAC for list configmaps",
            ),
        ],
        ignored: vec![ObjectRef::new("batch/v1", "Job", Some("web"), "migrate")],
        report_only: vec![],
    }
}

fn options() -> ReportOptions {
    ReportOptions { color: false, show_secrets: false, context_lines: 3, verbose: false }
}

fn render(audit: &Audit, format: OutputFormat, options: &ReportOptions) -> String {
    let mut out = Vec::new();
    write_report(audit, format, options, &mut out).expect("writing to memory succeeds");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// ANSI escapes made visible so color snapshots can be read.
fn visible_escapes(text: &str) -> String {
    text.replace('\x1b', "␛")
}

#[test]
fn human_plain() {
    let text = render(&audit(), OutputFormat::Human, &options());
    assert!(!text.contains('\x1b'), "no ANSI codes without color");
    insta::assert_snapshot!(text);
}

#[test]
fn human_color() {
    let text = render(&audit(), OutputFormat::Human, &ReportOptions { color: true, ..options() });
    assert!(text.contains("\x1b[31m"), "drift is colored");
    insta::assert_snapshot!(visible_escapes(&text));
}

#[test]
fn human_verbose_lists_in_sync_and_ignored_objects() {
    let text = render(&audit(), OutputFormat::Human, &ReportOptions { verbose: true, context_lines: 1, ..options() });
    insta::assert_snapshot!(text);
}

#[test]
fn human_all_in_sync() {
    let audit = Audit { source: "fleet".into(), objects: vec![settings()], ignored: vec![], report_only: vec![] };
    insta::assert_snapshot!(render(&audit, OutputFormat::Human, &options()), @r"
    Drift audit of fleet

    1 object: 1 in sync
    ");
}

#[test]
fn json_document() {
    insta::assert_snapshot!(render(&audit(), OutputFormat::Json, &options()));
}

#[test]
fn yaml_document() {
    insta::assert_snapshot!(render(&audit(), OutputFormat::Yaml, &options()));
}

#[test]
fn yaml_is_the_json_document() {
    let json: Value = serde_json::from_str(&render(&audit(), OutputFormat::Json, &options())).unwrap();
    let yaml: Value = serde_yaml::from_str(&render(&audit(), OutputFormat::Yaml, &options())).unwrap();
    assert_eq!(json, yaml);
}

#[test]
fn json_follows_the_contract() {
    let report: Value = serde_json::from_str(&render(&audit(), OutputFormat::Json, &options())).unwrap();
    assert_eq!(report["apiVersion"], "driftctl.dev/v1");
    assert_eq!(report["kind"], "DriftReport");
    let summary = &report["summary"];
    let counts: Vec<u64> = ["objects", "inSync", "modified", "missing", "extra", "errors", "unknownKind", "ignored"]
        .iter()
        .map(|key| summary[key].as_u64().unwrap_or_else(|| panic!("summary.{key} is a count")))
        .collect();
    assert_eq!(counts, [7, 1, 2, 1, 1, 2, 1, 1], "errors counts error + unknown-kind");
    let deployment = &report["objects"][0];
    assert_eq!(
        deployment["ref"],
        serde_json::json!({"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "web", "name": "podinfo"})
    );
    assert_eq!(deployment["class"], "modified");
    assert_eq!(
        deployment["origin"],
        serde_json::json!({"file": "apps/podinfo/release.yaml", "line": 1, "unit": "HelmRelease/web/podinfo"})
    );
    assert_eq!(deployment["error"], Value::Null);
    assert_eq!(
        deployment["fields"][0],
        serde_json::json!({"path": "/spec/replicas", "class": "drift", "desired": 2, "lastApplied": 2, "live": 5,
            "changedBy": {"manager": "kubectl-scale", "operation": "Update", "time": "2026-11-24T10:00:00Z"}})
    );
    let classes: Vec<&str> =
        deployment["fields"].as_array().unwrap().iter().map(|f| f["class"].as_str().unwrap()).collect();
    assert_eq!(classes, ["drift", "pending", "conflict", "converged", "drift"]);
    assert_eq!(report["objects"][4]["origin"], Value::Null, "extra objects have no origin");
    assert_eq!(report["objects"][5]["class"], "unknown-kind");
    assert!(report["objects"][6]["error"].as_str().unwrap().contains("403 Forbidden"));
    assert_eq!(report["fixes"], serde_json::json!([]));
}

#[test]
fn secrets_are_masked_in_every_format() {
    for format in [
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Yaml,
        OutputFormat::Junit,
        OutputFormat::Sarif,
        OutputFormat::Markdown,
    ] {
        for color in [false, true] {
            let text = render(&audit(), format, &ReportOptions { color, verbose: true, ..options() });
            for secret in SECRET_VALUES {
                assert!(!text.contains(secret), "{format:?} (color {color}) leaks {secret}");
            }
            assert!(text.contains("secret: differs from live"), "{format:?} shows how the masked value compares");
            for hint in ["bytes", "sha256"] {
                assert!(!text.contains(hint), "{format:?} (color {color}) says something of the bytes: {hint}");
            }
        }
    }
}

/// A ConfigMap and a Deployment a chart filled with a password it read from a
/// cluster Secret with `lookup`: Git (the render) has the Secret's value, the
/// cluster was changed by hand to another.
fn filled_from_a_secret() -> Vec<AuditedObject> {
    let desired = "
apiVersion: v1
kind: ConfigMap
metadata: {name: db-client, namespace: web}
data: {password: czNjcjN0LWdpdA==, url: 'postgres://app:s3cr3t-git@db', mode: fast}
";
    let live = "
apiVersion: v1
kind: ConfigMap
metadata: {name: db-client, namespace: web}
data: {password: aGFuZC1lZGl0ZWQ=, url: 'postgres://app:hand-edited@db', mode: fast}
";
    let origin = Some(("charts/db/templates/config.yaml", 0, Unit::Chart { path: "charts/db".into() }));
    let mut config = object(
        Some(desired),
        Some(live),
        origin.clone(),
        ObjectClass::Modified,
        vec![
            field(
                "/data/password",
                FieldClass::Drift,
                [Some("czNjcjN0LWdpdA=="), None, Some("aGFuZC1lZGl0ZWQ=")],
                changed_by("kubectl-edit", "Update", "2026-11-24T12:00:00Z"),
            ),
            field("/data", FieldClass::Drift, [Some("{url: 'postgres://app:s3cr3t-git@db'}"), None, None], None),
        ],
    );
    config.secret_fields = ["/data/password", "/data/url"].map(|p| Pointer::parse(p).unwrap()).to_vec();
    let deployment = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: db-client, namespace: web}
spec: {template: {spec: {containers: [{name: app, env: [{name: PASSWORD, value: s3cr3t-git}]}]}}}
";
    let mut missing = object(Some(deployment), None, origin, ObjectClass::Missing, vec![]);
    missing.secret_fields = vec![Pointer::parse("/spec/template/spec/containers/0/env/0/value").unwrap()];
    vec![config, missing]
}

#[test]
fn values_a_chart_read_from_a_secret_are_masked_in_every_format() {
    let audit = Audit { source: "git".into(), objects: filled_from_a_secret(), ..Default::default() };
    for format in OutputFormat::ALL {
        for color in [false, true] {
            let text = render(&audit, format, &ReportOptions { color, verbose: true, ..options() });
            for secret in SECRET_VALUES {
                assert!(!text.contains(secret), "{format:?} (color {color}) leaks {secret}:\n{text}");
            }
            assert!(text.contains("secret: differs from live"), "{format:?} shows how the masked value compares");
            if format == OutputFormat::Human {
                assert!(text.contains("mode: fast"), "the other values stay readable:\n{text}");
            }
        }
    }
    let shown = render(&audit, OutputFormat::Json, &ReportOptions { show_secrets: true, ..options() });
    assert!(shown.contains("s3cr3t-git") && !shown.contains("<secret"), "--show-secrets shows them");
}

#[test]
fn masked_values_that_differ_look_different() {
    let report: Value = serde_json::from_str(&render(&audit(), OutputFormat::Json, &options())).unwrap();
    let field = &report["objects"][1]["fields"][0];
    assert_eq!(field["desired"], "<secret: differs from live, same as last-applied>");
    assert_eq!(field["lastApplied"], "<secret: differs from live, same as desired>");
    assert_eq!(field["live"], "<secret: differs from desired and last-applied>");
}

#[test]
fn show_secrets_reveals_values() {
    let shown = ReportOptions { show_secrets: true, ..options() };
    let json = render(&audit(), OutputFormat::Json, &shown);
    assert!(json.contains("aGFuZC1lZGl0ZWQ=") && json.contains("czNjcjN0LWdpdA=="));
    assert!(!json.contains("<secret:"));
    let human = render(&audit(), OutputFormat::Human, &shown);
    assert!(human.contains("aGFuZC1lZGl0ZWQ="));
}

#[test]
fn control_characters_from_the_cluster_never_reach_the_terminal() {
    let mut object = settings();
    object.diff.class = ObjectClass::Modified;
    let live = object.live.as_mut().unwrap();
    live.0["data"]["LOG_LEVEL"] = Value::String("\u{1b}[2Jwiped".into());
    object.diff.fields = vec![FieldDiff {
        path: Pointer::parse("/data/LOG_LEVEL").unwrap(),
        class: FieldClass::Drift,
        desired: Some(Value::String("info".into())),
        last_applied: None,
        live: Some(live.0["data"]["LOG_LEVEL"].clone()),
        changed_by: Some(ChangedBy { manager: "\u{1b}]0;owned\u{7}".into(), operation: "Update".into(), time: None }),
    }];
    object.error = Some("\u{1b}[31mred".into());
    let audit = Audit { source: "fleet\u{1b}[H".into(), objects: vec![object], ignored: vec![], report_only: vec![] };
    let text = render(&audit, OutputFormat::Human, &options());
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("wiped"), "{text}");
}

#[test]
fn markdown_carries_no_markup_from_the_input() {
    let hostile = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold**", "```", "a|b", "\n# Heading"];
    let mut object = settings();
    object.diff.class = ObjectClass::Error;
    object.reference.name = format!("web{}", hostile.concat());
    object.origin.as_mut().unwrap().file = "apps/`<b>`.yaml".into();
    object.error = Some(format!("failed:\n```\n{}", hostile.join("\n")));
    let mut modified = settings();
    modified.diff.class = ObjectClass::Modified;
    modified.diff.fields = hostile
        .iter()
        .map(|h| FieldDiff {
            path: Pointer::root().child(*h),
            class: FieldClass::Drift,
            desired: Some(Value::String(h.to_string())),
            last_applied: None,
            live: Some(Value::String(format!("``{h}``"))),
            changed_by: Some(ChangedBy { manager: h.to_string(), operation: "Update".into(), time: None }),
        })
        .collect();
    let audit = Audit { source: hostile.concat(), objects: vec![object, modified], ..Default::default() };
    let fix = FixRecord {
        reference: ObjectRef::new("v1", "ConfigMap", Some("web"), hostile[0]),
        api_version: "v1".into(),
        action: FixAction::Apply,
        outcome: FixOutcome::Failed,
        message: Some(hostile.concat()),
    };
    let mut out = Vec::new();
    write_report_with_fixes(&audit, &[fix], None, OutputFormat::Markdown, &options(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    // Outside code, nothing from the input may remain: strip every code span and block, then look.
    let prose = outside_code(&text);
    for markup in ["<img", "onerror", "](", "javascript", "**", "# Heading"] {
        assert!(!prose.contains(markup), "{markup} is outside code:\n{prose}\n---\n{text}");
    }
    // Every table row keeps its columns: a pipe from the input is escaped.
    for row in text.lines().filter(|l| l.starts_with('|')) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert!(cells == 4 || cells == 5 || cells == 7, "row with {cells} pipes: {row}");
    }
}

/// The text of a Markdown document outside its code spans and fenced blocks,
/// read as CommonMark reads them (a span ends at a run of exactly as many backticks).
fn outside_code(text: &str) -> String {
    let mut prose = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let fence = line.len() - line.trim_start_matches('`').len();
        if fence >= 3 {
            let closing = "`".repeat(fence);
            for inner in lines.by_ref() {
                if inner.trim_end() == closing {
                    break;
                }
            }
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '`' {
                prose.push(chars[i]);
                i += 1;
                continue;
            }
            let run = chars[i..].iter().take_while(|c| **c == '`').count();
            let mut j = i + run;
            let mut closed = None;
            while j < chars.len() {
                let other = chars[j..].iter().take_while(|c| **c == '`').count();
                if other == run {
                    closed = Some(j + other);
                    break;
                }
                j += other.max(1);
            }
            match closed {
                Some(end) => i = end,
                None => {
                    prose.extend(&chars[i..i + run]);
                    i += run;
                }
            }
        }
        prose.push('\n');
    }
    prose
}

fn fixes() -> Vec<FixRecord> {
    let record = |kind: &str, name: &str, action, outcome, message: Option<&str>| FixRecord {
        reference: ObjectRef::new("v1", kind, Some("web"), name),
        api_version: "v1".into(),
        action,
        outcome,
        message: message.map(str::to_string),
    };
    vec![
        record("Secret", "credentials", FixAction::Apply, FixOutcome::Fixed, Some("restored /data/password")),
        record("Service", "podinfo", FixAction::Create, FixOutcome::Failed, Some("403 Forbidden: create services")),
        record(
            "ServiceAccount",
            "podinfo-old",
            FixAction::Skip,
            FixOutcome::Skipped,
            Some("extra objects are pruned only with --prune"),
        ),
    ]
}

fn render_with_fixes(format: OutputFormat) -> String {
    let mut out = Vec::new();
    write_report_with_fixes(&audit(), &fixes(), None, format, &options(), &mut out)
        .expect("writing to memory succeeds");
    String::from_utf8(out).expect("reports are UTF-8")
}

#[test]
fn fixes_in_the_document() {
    let report: Value = serde_json::from_str(&render_with_fixes(OutputFormat::Json)).unwrap();
    assert_eq!(
        report["fixes"][1],
        serde_json::json!({"ref": {"group": "", "version": "v1", "kind": "Service", "namespace": "web", "name": "podinfo"},
            "action": "create", "outcome": "failed", "message": "403 Forbidden: create services"})
    );
    let yaml: Value = serde_yaml::from_str(&render_with_fixes(OutputFormat::Yaml)).unwrap();
    assert_eq!(yaml["fixes"], report["fixes"]);
}

#[test]
fn fixes_in_the_terminal() {
    let text = render_with_fixes(OutputFormat::Human);
    let repairs = &text[text.find("Repairs:").expect("a repairs table")..];
    insta::assert_snapshot!(repairs);
}

#[test]
fn junit_document() {
    insta::assert_snapshot!(render(&audit(), OutputFormat::Junit, &options()));
}

#[test]
fn sarif_document() {
    insta::assert_snapshot!(render(&audit(), OutputFormat::Sarif, &options()));
}

#[test]
fn markdown_document() {
    insta::assert_snapshot!(render_with_fixes(OutputFormat::Markdown));
}

#[test]
fn junit_counts_failures_and_errors() {
    let text = render(&audit(), OutputFormat::Junit, &options());
    let tally = Tally::of(&audit());
    let failures = tally.modified + tally.missing + tally.extra;
    assert!(text.contains(&format!(r#"tests="{}" failures="{failures}""#, tally.objects)), "{text}");
    assert_eq!(text.matches("<failure ").count(), failures);
    assert_eq!(text.matches("<error ").count(), tally.errors + tally.unknown_kind);
}

#[test]
fn sarif_results_point_at_git() {
    let log: Value = serde_json::from_str(&render(&audit(), OutputFormat::Sarif, &options())).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let replicas = results.iter().find(|r| r["message"]["text"].as_str().unwrap().contains("/spec/replicas")).unwrap();
    assert_eq!(replicas["ruleId"], "drift");
    assert_eq!(replicas["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "apps/podinfo/release.yaml");
    assert!(results.iter().all(|r| r["ruleId"] != "converged"), "converged fields are not findings");
}

//! Timing of parsing and executing a 1,000-line chart template (ignored by
//! default; it measures, it does not check). Run with
//! `cargo test --release --test template_bench -- --ignored --nocapture`.
//! DRIFTCTL_BENCH_CHART=DIR also writes the template as a one-file chart so
//! `helm template` can be timed on the same input.
//!
//! Measured on the project machine (2 cores shared with other work),
//! release build: parse 0.70 ms, execute 0.38 ms (medians of 51 runs; four
//! runs of the test gave 0.691–0.704 ms and 0.381–0.384 ms). Whole process
//! on the same template as a one-template chart, with identical output
//! (`perf stat -r 30`, load average about 2): `driftctl render` 7.6 ms
//! elapsed, 5.5 ms of CPU; Helm v3.17.3 `helm template` 63.9 ms elapsed,
//! 73.7 ms of CPU. `scripts/bench-render.py` times the test charts and
//! overlays the same way.

use std::time::Instant;

use driftctl::template::{TemplateSet, Value};

const HELPERS: &str = r#"{{- define "bench.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
"#;

/// One Deployment-like block of 25 lines; 40 of them make 1,000 lines.
fn block(i: usize) -> String {
    format!(
        r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{{{ printf "%s-{i}" .Release.Name | trunc 63 | trimSuffix "-" }}}}
  labels:
    {{{{- include "bench.labels" . | nindent 4 }}}}
  annotations:
    checksum/config: {{{{ toJson .Values.config | sha256sum }}}}
spec:
  replicas: {{{{ .Values.replicas | default 1 }}}}
  template:
    spec:
      containers:
        - name: app{i}
          image: "{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default "latest" }}}}"
          {{{{- if .Values.enabled }}}}
          env:
          {{{{- range $k, $v := .Values.env }}}}
            - name: {{{{ $k | upper }}}}
              value: {{{{ $v | quote }}}}
          {{{{- end }}}}
          {{{{- end }}}}
          resources:
            {{{{- toYaml .Values.resources | nindent 12 }}}}
"#
    )
}

fn template() -> String {
    (0..40).map(block).collect()
}

fn data() -> Value {
    let json = serde_json::json!({
        "Values": {
            "replicas": 3, "enabled": true,
            "image": {"repository": "nginx", "tag": "1.25"},
            "env": {"a": "1", "b": "two", "c": "3"},
            "config": {"x": 1, "y": [1, 2, 3]},
            "resources": {"limits": {"cpu": "100m", "memory": "128Mi"}, "requests": {"cpu": "50m"}},
        },
        "Release": {"Name": "bench"},
        "Chart": {"Name": "bench"},
    });
    Value::from_json(&json)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

#[test]
#[ignore = "timing, not a check"]
fn parse_and_execute_a_thousand_line_template() {
    let text = template();
    assert_eq!(text.lines().count(), 1000);
    if let Ok(dir) = std::env::var("DRIFTCTL_BENCH_CHART") {
        let templates = std::path::Path::new(&dir).join("templates");
        std::fs::create_dir_all(&templates).expect("create chart dir");
        std::fs::write(std::path::Path::new(&dir).join("Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 0.1.0\n")
            .expect("write Chart.yaml");
        let values = serde_json::to_string(&data().to_json()["Values"]).expect("values as JSON");
        std::fs::write(std::path::Path::new(&dir).join("values.yaml"), values).expect("write values");
        std::fs::write(templates.join("_helpers.tpl"), HELPERS).expect("write helpers");
        std::fs::write(templates.join("bench.yaml"), &text).expect("write template");
    }
    let data = data();
    let (mut parse, mut execute) = (Vec::new(), Vec::new());
    let mut output_len = 0;
    for _ in 0..51 {
        let start = Instant::now();
        let mut set = TemplateSet::new();
        set.add("bench/templates/_helpers.tpl", HELPERS).expect("helpers parse");
        set.add("bench/templates/bench.yaml", &text).expect("template parses");
        let parsed = Instant::now();
        let out = set.execute("bench/templates/bench.yaml", &data).expect("template executes");
        let done = Instant::now();
        output_len = out.text.len();
        parse.push((parsed - start).as_secs_f64() * 1e3);
        execute.push((done - parsed).as_secs_f64() * 1e3);
    }
    println!(
        "1000-line template ({output_len} bytes out): parse {:.3} ms, execute {:.3} ms (medians of 51 runs)",
        median(parse),
        median(execute)
    );
}

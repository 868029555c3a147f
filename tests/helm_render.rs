//! `driftctl render CHART` against goldens from the real `helm template`
//! (regenerate with `scripts/gen-helm-goldens.sh`). Each case in
//! `fixtures/helm/charts/NAME.args` must print its `NAME.golden.yaml` byte
//! for byte, or fail with exit 2 and the message in `NAME.golden.err` (its lines in any order).

use std::path::Path;

use assert_cmd::Command;

#[test]
fn every_chart_renders_as_helm_template_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/helm/charts");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "args"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "the golden cases are missing");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let lines: Vec<String> = std::fs::read_to_string(case).unwrap().lines().map(str::to_string).collect();
        let output = Command::cargo_bin("driftctl")
            .unwrap()
            .current_dir(&dir)
            .env_clear()
            .arg("render")
            .args(&lines)
            .output()
            .unwrap();
        let golden = dir.join(format!("{name}.golden.yaml"));
        if golden.exists() {
            let expected = std::fs::read_to_string(&golden).unwrap();
            let actual = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() || actual != expected {
                failures.push(format!(
                    "{name}: output differs from {}\nstderr: {}\n{}",
                    golden.display(),
                    String::from_utf8_lossy(&output.stderr),
                    first_difference(&expected, &actual)
                ));
            }
        } else {
            let expected = std::fs::read_to_string(dir.join(format!("{name}.golden.err"))).unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.code() != Some(2) || message_lines(&stderr) != message_lines(&expected) {
                failures.push(format!("{name}: expected exit 2 and {expected:?}, got {:?}: {stderr}", output.status));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} charts differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The lines of an error message without the tools' prefixes and Helm's
/// `--debug` hint, sorted: Helm lists schema violations in Go map order,
/// which changes from run to run.
fn message_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_start_matches("Error: ").trim_start_matches("error: ").to_string())
        .filter(|l| !l.is_empty() && !l.starts_with("Use --debug flag"))
        .collect();
    lines.sort();
    lines
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (index, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  helm:     {e:?}\n  driftctl: {a:?}", index + 1);
        }
    }
    format!("lengths differ: helm {} lines, driftctl {} lines", expected.lines().count(), actual.lines().count())
}

/// A render for a live cluster sees the cluster's API versions only (Helm's
/// defaults, which include `policy/v1`, are replaced), in both entry forms.
#[test]
fn discovered_api_versions_replace_helms_defaults() {
    use driftctl::render::helm::{RenderOptions, render_chart};
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/helm/charts/capabilities");
    let discovered = ["policy/v1beta1", "monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor"];
    let options = RenderOptions {
        kube_version: Some("1.24.3".to_string()),
        discovered_api_versions: Some(discovered.iter().map(|v| v.to_string()).collect()),
        ..RenderOptions::default()
    };
    let text = render_chart(&chart, &options).unwrap().to_helm_output();
    assert!(text.contains("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget"), "{text}");
    assert!(text.contains("kindSpecific: \"true\""), "{text}");
    let offline = render_chart(&chart, &RenderOptions::default()).unwrap().to_helm_output();
    assert!(offline.contains("apiVersion: policy/v1\nkind: PodDisruptionBudget"), "{offline}");
}

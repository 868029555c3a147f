//! Golden tests of the YAML layer against the real tools' output.
//!
//! Each fixture directory under `fixtures/yaml/` holds inputs and the output
//! the real tool produced for them; the script named in each test regenerates
//! them. These tests need no tool installed.

use std::fs;
use std::path::{Path, PathBuf};

use driftctl::yaml::{
    GoJsonOptions, from_yaml_helm, parse_documents, parse_nodes, to_json_go, to_yaml_helm, to_yaml_kustomize,
    to_yaml_pretty_helm,
};
use serde_json::Value;

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/yaml").join(name)
}

/// Numbers compare by value the way JSON readers see them: an integer golden
/// (`9223372036854776000`, printed by Go from a float64) equals the float64 we hold.
fn same_json(ours: &Value, golden: &Value) -> bool {
    match (ours, golden) {
        (Value::Number(a), Value::Number(b)) => {
            if a.is_f64() || b.is_f64() {
                a.as_f64() == b.as_f64()
            } else {
                a.as_i64() == b.as_i64() && a.as_u64() == b.as_u64()
            }
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, x)| b.get(key).is_some_and(|y| same_json(x, y)))
        }
        _ => ours == golden,
    }
}

/// Regenerate with `scripts/yaml-decode-goldens.sh` (real kubectl).
#[test]
fn parse_documents_matches_kubectl() {
    let dir = fixture_dir("decode");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut cases: Vec<_> = fs::read_dir(dir.join("cases")).unwrap().map(|entry| entry.unwrap().path()).collect();
    cases.sort();
    for case in cases {
        let name = case.file_stem().unwrap().to_str().unwrap().to_owned();
        let input = fs::read_to_string(&case).unwrap();
        let ours = parse_documents(&input);
        let golden_json = dir.join(format!("{name}.json"));
        if golden_json.exists() {
            let golden: Value = serde_json::from_str(&fs::read_to_string(&golden_json).unwrap()).unwrap();
            match ours {
                Ok(documents) => {
                    let values: Vec<Value> =
                        documents.into_iter().map(|document| document.value).filter(|value| !value.is_null()).collect();
                    let ours = Value::Array(values);
                    if !same_json(&ours, &golden) {
                        failures.push(format!("{name}: got {ours:#}\nwant {golden:#}"));
                    }
                }
                Err(error) => failures.push(format!("{name}: unexpected error {error}")),
            }
        } else {
            let golden = fs::read_to_string(dir.join(format!("{name}.error"))).unwrap();
            match ours {
                Ok(documents) => failures.push(format!("{name}: expected error {golden}, got {documents:?}")),
                Err(error) => {
                    // go-yaml's line numbers are off by one for parser errors; compare the problem text.
                    let problem = golden.rsplit(": ").next().unwrap().trim();
                    let ours = error.to_string();
                    let known = [
                        "json: unsupported value",
                        "unsupported map key",
                        "invalid map key",
                        "unknown anchor",
                        "cannot decode",
                        "invalid Yaml document separator",
                    ];
                    let expected_words = known.iter().find(|word| golden.contains(*word)).copied().unwrap_or(problem);
                    if !ours.contains(expected_words) {
                        failures.push(format!("{name}: error {ours:?} does not say {expected_words:?}"));
                    }
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 45, "only {checked} decode cases found");
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn documents_report_their_first_content_line() {
    // kubectl's pieces: a comment-only piece (null), one document, nothing between two `---`, a list.
    let documents = parse_documents("# c\n---\n\n# x\na: 1\n---\n---\n- b\n").unwrap();
    let lines: Vec<_> = documents.iter().map(|document| document.line).collect();
    assert_eq!(lines, [1, 5, 8]);
    assert!(documents[0].value.is_null());
}

/// Helm holds every number of `.Values` as float64.
fn numbers_as_helm_values(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_helm_values).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(key, value)| (key, numbers_as_helm_values(value))).collect())
        }
        other => other,
    }
}

/// Regenerate with `scripts/yaml-to-yaml-goldens.sh` (real `helm template`).
#[test]
fn helm_serializers_match_helm() {
    let dir = fixture_dir("to_yaml");
    let values = fs::read_to_string(dir.join("chart/values.yaml")).unwrap();
    let values = parse_documents(&values).unwrap().remove(0).value;
    let expected: Value = serde_json::from_str(&fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let cases = values["cases"].as_object().unwrap();
    type Render<'a> = &'a dyn Fn(&Value) -> String;
    let functions: [(&str, Render); 5] = [
        ("toYaml", &to_yaml_helm),
        ("toYamlPretty", &to_yaml_pretty_helm),
        ("toJson", &|value| to_json_go(value, GoJsonOptions::TO_JSON)),
        ("toPrettyJson", &|value| to_json_go(value, GoJsonOptions::TO_PRETTY_JSON)),
        ("toRawJson", &|value| to_json_go(value, GoJsonOptions::TO_RAW_JSON)),
    ];
    let mut failures = Vec::new();
    for (function, render) in functions {
        let expected = expected[function].as_object().unwrap();
        assert!(cases.len() >= 150 && cases.len() == expected.len(), "{function}: {} cases", expected.len());
        for (name, value) in cases {
            let ours = render(&numbers_as_helm_values(value.clone()));
            let want = expected[name].as_str().unwrap();
            if ours != want {
                failures.push(format!("{function} {name} ({value}):\n got {ours:?}\nwant {want:?}"));
            }
        }
    }
    for (name, text) in values["fromYaml"].as_object().unwrap() {
        let want: Value = serde_json::from_str(expected["fromYaml"][name].as_str().unwrap()).unwrap();
        let want = &want;
        match from_yaml_helm(text.as_str().unwrap()) {
            // Helm reports failures as {"Error": message}.
            Err(_) if want.get("Error").is_some() => {}
            // fromYaml wants a map; refusing other kinds is the caller's check.
            Ok(ours) if want.get("Error").is_some() && !ours.is_object() && !ours.is_null() => {}
            // An empty document is an empty map to Helm.
            Ok(Value::Null) if want == &serde_json::json!({}) => {}
            Ok(ours) if same_json(&ours, want) => {}
            other => failures.push(format!("fromYaml {name}: got {other:?}, want {want}")),
        }
    }
    assert!(failures.is_empty(), "{} cases differ:\n{}", failures.len(), failures.join("\n"));
}

/// Regenerate with `scripts/yaml-kustomize-goldens.sh` (real `kubectl kustomize`).
#[test]
fn to_yaml_kustomize_matches_kustomize_build() {
    let dir = fixture_dir("kustomize");
    let mut cases: Vec<_> = fs::read_dir(dir.join("cases")).unwrap().map(|entry| entry.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 80, "only {} kustomize cases", cases.len());
    // Where our reader is libyaml's and kyaml's differs (kept as fixtures so the difference stays visible).
    let known_differences = [
        ("merge_quoted_is_key", "kyaml treats a quoted '<<' key as a merge key"),
        (
            "syn_block_scalar_indicator_order",
            "go-yaml v3 keeps one more trailing break of a `>+` block at the end of a file",
        ),
        ("syn_map_seq_tags", "go-yaml v3 decodes the empty values of a `!!set` as \"\""),
        ("syn_document_start_literal", "kustomize refuses a resource that is not a mapping (not a YAML matter)"),
        ("syn_tag_directive", "kyaml splits files on \"\\n---\\n\" first, so a directive is parsed alone"),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_str().unwrap();
        if known_differences.iter().any(|(known, _)| *known == name) {
            continue;
        }
        let input = fs::read_to_string(case).unwrap();
        let ours: Result<Vec<String>, String> =
            parse_nodes(&input).map_err(|error| error.to_string()).and_then(|nodes| {
                nodes
                    .iter()
                    .filter(|node| node.as_scalar() != Some(""))
                    .map(|node| to_yaml_kustomize(node).map_err(|error| error.to_string()))
                    .collect()
            });
        let golden = dir.join(format!("{name}.out"));
        match (ours, golden.exists()) {
            (Ok(documents), true) => {
                let ours = documents.join("---\n");
                let want = fs::read_to_string(&golden).unwrap();
                if ours != want {
                    failures.push(format!("{name}:\n got {ours:?}\nwant {want:?}"));
                }
            }
            (Err(_), false) => {}
            (Ok(documents), false) => failures.push(format!("{name}: kustomize fails, we printed {documents:?}")),
            (Err(error), true) => failures.push(format!("{name}: unexpected error {error}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// Small deterministic generator (xorshift) so the mutation test is reproducible.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

/// Every reader and writer returns an error or a value on damaged input; none panics.
#[test]
fn malformed_inputs_never_panic() {
    let dir = fixture_dir("decode/cases");
    let mut inputs: Vec<String> =
        fs::read_dir(&dir).unwrap().map(|entry| fs::read_to_string(entry.unwrap().path()).unwrap()).collect();
    inputs.sort();
    let alphabet: Vec<char> =
        " \t\n\r-:?[]{},#&*!|>'\"%@`\\/.0123456789aeyn~<=\u{85}\u{2028}\u{feff}é😀".chars().collect();
    let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut outcomes = (0, 0);
    for round in 0..3000 {
        let mut characters: Vec<char> = inputs[round % inputs.len()].chars().collect();
        for _ in 0..1 + random.below(4) {
            let at = random.below(characters.len() + 1);
            match random.below(3) {
                0 if at < characters.len() => {
                    characters.remove(at);
                }
                1 if at < characters.len() => characters[at] = alphabet[random.below(alphabet.len())],
                _ => characters.insert(at, alphabet[random.below(alphabet.len())]),
            }
        }
        let text: String = characters.into_iter().collect();
        match parse_documents(&text) {
            Ok(documents) => {
                outcomes.0 += 1;
                for document in documents {
                    to_yaml_helm(&document.value);
                    to_yaml_pretty_helm(&document.value);
                }
            }
            Err(_) => outcomes.1 += 1,
        }
        if let Ok(nodes) = parse_nodes(&text) {
            for node in nodes {
                let _ = to_yaml_kustomize(&node);
            }
        }
        let _ = from_yaml_helm(&text);
    }
    // Both paths must have been exercised for the test to mean anything.
    assert!(outcomes.0 > 100 && outcomes.1 > 100, "parsed {} / rejected {}", outcomes.0, outcomes.1);
}

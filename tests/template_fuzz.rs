//! Property tests: random templates built from the language's tokens and
//! the function names must parse or fail with an error, and execute or fail
//! with an error — never panic. One runs the engine on plain values; the
//! other renders each template as a chart's, so it meets Helm's host objects
//! (`.Capabilities`, `.Files`, `.Chart`, `.Subcharts`) and Helm's handling of
//! the output. Each runs for DRIFTCTL_FUZZ_SECS seconds (default 2);
//! DRIFTCTL_FUZZ_SEED replays a run.

use std::path::Path;
use std::time::{Duration, Instant};

use driftctl::render::helm::{RenderOptions, render_chart};
use driftctl::template::{TemplateSet, Value, function_names};

const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    " ",
    "\n",
    "if ",
    "else ",
    "else if ",
    "end",
    "range ",
    "with ",
    "define \"a\"",
    "template \"a\"",
    "template \"a\" .",
    "block \"b\" .",
    "break",
    "continue",
    ".",
    ".Values",
    ".Values.list",
    ".Values.map",
    ".Values.num",
    ".Values.str",
    ".a.b",
    ".Values.missing.x",
    "$",
    "$x",
    "$x := ",
    "$x = ",
    "$i, $v := ",
    "|",
    "(",
    ")",
    "\"s\"",
    "\"\"",
    "`raw`",
    "1",
    "0",
    "-3",
    "2.5",
    "1e3",
    "'c'",
    "nil",
    "true",
    "false",
    "/*",
    "*/",
    "{{/* c */}}",
    "text",
    "é",
    "\\",
    "\"",
    ",",
    ":=",
    "=",
    "include \"a\" .",
    "tpl \"{{ . }}\" .",
    "dict \"k\" 1",
    "list 1 2",
    "index . 0",
    "and 1 0",
    "or 0 1",
    "not",
    "eq 1 1",
    "printf \"%v %d\" .",
    "len .",
    ".Capabilities",
    ".Capabilities.APIVersions",
    ".Capabilities.KubeVersion",
    ".Capabilities.KubeVersion.Version",
    ".Files",
    ".Files.Glob \"files/*\"",
    ".Files.Get \"files/a.txt\"",
    ".Chart",
    ".Chart.Name",
    ".Release",
    ".Template",
    ".Subcharts",
    ".Subcharts.sub",
];

fn random_template(rng: &mut fastrand::Rng, names: &[&str]) -> String {
    let mut out = String::new();
    for _ in 0..rng.usize(1..40) {
        if rng.u8(..) < 40 {
            out.push_str(names[rng.usize(..names.len())]);
            out.push(' ');
        } else {
            out.push_str(FRAGMENTS[rng.usize(..FRAGMENTS.len())]);
        }
    }
    out
}

fn data() -> Value {
    let json = serde_json::json!({
        "Values": {"list": [1, "a", null, {"b": 2}], "map": {"k": "v", "n": 1.5}, "num": 1000000, "str": "hi"},
        "a": {"b": [1, 2]},
    });
    Value::from_json(&json)
}

/// Functions whose output size is driven by their arguments; random numbers
/// could ask them for gigabytes, which is not what this test looks for.
const SIZE_DRIVEN: &[&str] = &[
    "repeat",
    "until",
    "untilStep",
    "seq",
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "randBytes",
    "indent",
    "nindent",
    "wrap",
    "wrapWith",
    "chunk",
];

/// Generates random templates for DRIFTCTL_FUZZ_SECS seconds and hands each
/// to `try_one`, which reports whether it parsed and whether it ran.
fn fuzz(mut try_one: impl FnMut(&str) -> (bool, bool)) {
    let seconds: u64 = std::env::var("DRIFTCTL_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let seed: u64 =
        std::env::var("DRIFTCTL_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("fuzz seed {seed}, {seconds}s");
    let mut rng = fastrand::Rng::with_seed(seed);
    let names: Vec<&str> = function_names().into_iter().filter(|n| !SIZE_DRIVEN.contains(n)).collect();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut parsed, mut executed) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let text = random_template(&mut rng, &names);
        runs += 1;
        let (did_parse, did_run) = try_one(&text);
        parsed += u64::from(did_parse);
        executed += u64::from(did_run);
    }
    println!("fuzz: {runs} templates, {parsed} parsed, {executed} executed without error, no panic");
    assert!(runs > 0 && parsed > 0, "the generator made no template that parses");
}

/// Runs `body` on a thread with room for deep template recursion.
fn on_big_stack(body: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(body)
        .expect("spawn fuzz thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

#[test]
fn random_templates_never_panic() {
    on_big_stack(|| {
        let data = data();
        fuzz(|text| {
            let mut set = TemplateSet::new();
            if set.add("fuzz", text).is_err() {
                return (false, false);
            }
            (true, set.execute("fuzz", &data).is_ok())
        });
    });
}

/// A chart with values, files to glob and a subchart, whose one template
/// the fuzzer rewrites.
fn write_fuzz_chart(root: &Path) {
    let write = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("Chart.yaml", "apiVersion: v2\nname: fuzz\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 0.1.0\n");
    write("values.yaml", "list: [1, a, null, {b: 2}]\nmap: {k: v, n: 1.5}\nnum: 1000000\nstr: hi\nsub: {x: 1}\n");
    write("files/a.txt", "line one\nline two\n");
    write("files/b.yaml", "k: v\n");
    write("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    write(
        "charts/sub/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n",
    );
}

#[test]
fn random_chart_templates_never_panic() {
    on_big_stack(|| {
        let dir = tempfile::tempdir().unwrap();
        write_fuzz_chart(dir.path());
        let template = dir.path().join("templates/fuzz.yaml");
        std::fs::create_dir_all(template.parent().unwrap()).unwrap();
        let options = RenderOptions::default();
        fuzz(|text| {
            std::fs::write(&template, text).unwrap();
            match render_chart(dir.path(), &options) {
                Ok(_) => (true, true),
                Err(error) => {
                    // Random output is seldom YAML: the template ran, Helm's reading of it failed.
                    let message = error.to_string();
                    let ran = message.contains("YAML parse error");
                    (ran || message.contains("executing"), ran)
                }
            }
        });
    });
}

//! Property test: random templates built from the language's tokens and
//! the function names must parse or fail with an error, and execute or fail
//! with an error — never panic. Runs for DRIFTCTL_FUZZ_SECS seconds (default
//! 2); DRIFTCTL_FUZZ_SEED replays a run.

use std::time::{Duration, Instant};

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

fn run() {
    let seconds: u64 = std::env::var("DRIFTCTL_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let seed: u64 =
        std::env::var("DRIFTCTL_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| fastrand::u64(..));
    println!("fuzz seed {seed}, {seconds}s");
    let mut rng = fastrand::Rng::with_seed(seed);
    let names: Vec<&str> = function_names().into_iter().filter(|n| !SIZE_DRIVEN.contains(n)).collect();
    let data = data();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut parsed, mut executed) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let text = random_template(&mut rng, &names);
        runs += 1;
        let mut set = TemplateSet::new();
        if set.add("fuzz", &text).is_err() {
            continue;
        }
        parsed += 1;
        if set.execute("fuzz", &data).is_ok() {
            executed += 1;
        }
    }
    println!("fuzz: {runs} templates, {parsed} parsed, {executed} executed without error, no panic");
    assert!(runs > 0);
}

#[test]
fn random_templates_never_panic() {
    std::thread::Builder::new()
        .stack_size(512 * 1024 * 1024)
        .spawn(run)
        .expect("spawn fuzz thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

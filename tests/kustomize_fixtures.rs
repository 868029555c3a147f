//! Every overlay under fixtures/kustomize/ is built natively and compared with the output
//! of the real `kubectl kustomize` (kustomize v5.5.0) committed beside it; regenerate the
//! expected files with `scripts/gen-kustomize-goldens.sh`.

use std::path::{Path, PathBuf};

use driftctl::render::kustomize;
use driftctl::source::SourceRoot;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kustomize");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/kustomize exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The fixtures may use each other as bases, as overlays of one repository do.
fn boundary() -> SourceRoot {
    SourceRoot::new(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kustomize"))
        .expect("fixtures/kustomize exists")
}

#[test]
fn builds_match_real_kustomize() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in cases() {
        let expected = dir.join("expected.yaml");
        if !expected.exists() {
            continue;
        }
        checked += 1;
        let want = std::fs::read_to_string(&expected).unwrap();
        match kustomize::render(&dir, &boundary()) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{}: output differs\n--- want\n{want}\n--- got\n{got}", dir.display())),
            Err(err) => failures.push(format!("{}: failed: {err}", dir.display())),
        }
    }
    assert!(checked >= 40, "expected at least 40 overlay fixtures, found {checked}");
    assert!(failures.is_empty(), "{} of {checked} fixtures differ:\n{}", failures.len(), failures.join("\n\n"));
}

/// kustomize's message for a fixture that fails, compared in full. Paths in it are
/// absolute; the goldens hold them relative to the repository root. A fixture whose real
/// message depends on the network (remote bases) holds in `offline-prefix.txt` the part
/// both tools must agree on. kubectl's log line cannot show whether a message ends with a
/// line break (kyaml's node dumps do), so trailing whitespace is not compared.
#[test]
fn errors_match_real_kustomize() {
    let root = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in cases() {
        let Ok(want) = std::fs::read_to_string(dir.join("expected-error.txt")) else {
            continue;
        };
        checked += 1;
        let want = want.trim_end();
        let got = match kustomize::render(&dir, &boundary()) {
            Ok(_) => {
                failures.push(format!("{}: built, but kustomize fails with: {want}", dir.display()));
                continue;
            }
            Err(err) => err.to_string().replace(&root, "").trim_end().to_string(),
        };
        let agreed = match std::fs::read_to_string(dir.join("offline-prefix.txt")) {
            Ok(prefix) => {
                let prefix = prefix.trim_end();
                want.starts_with(prefix) && got.starts_with(prefix)
            }
            Err(_) => got == want,
        };
        if !agreed {
            failures.push(format!(
                "{}:
  want: {want}
  got:  {got}",
                dir.display()
            ));
        }
    }
    assert!(checked >= 15, "expected at least 15 error fixtures, found {checked}");
    assert!(failures.is_empty(), "{} of {checked} error messages differ:\n{}", failures.len(), failures.join("\n"));
}

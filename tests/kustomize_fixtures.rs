//! Every overlay under fixtures/kustomize/ is built natively and compared with the output
//! of the real `kubectl kustomize` (kustomize v5.5.0) committed beside it; regenerate the
//! expected files with `scripts/gen-kustomize-goldens.sh`.

use std::path::{Path, PathBuf};

use driftctl::render::kustomize;

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
        match kustomize::render(&dir) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{}: output differs\n--- want\n{want}\n--- got\n{got}", dir.display())),
            Err(err) => failures.push(format!("{}: failed: {err}", dir.display())),
        }
    }
    assert!(checked >= 40, "expected at least 40 overlay fixtures, found {checked}");
    assert!(failures.is_empty(), "{} of {checked} fixtures differ:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn errors_match_real_kustomize() {
    let mut failures = Vec::new();
    for dir in cases() {
        let phrase = dir.join("error-contains.txt");
        if !phrase.exists() {
            continue;
        }
        let phrase = std::fs::read_to_string(&phrase).unwrap().trim().to_string();
        let real = std::fs::read_to_string(dir.join("expected-error.txt")).unwrap_or_default();
        match kustomize::render(&dir) {
            Ok(_) => failures.push(format!("{}: built, but kustomize fails with: {real}", dir.display())),
            Err(err) if err.to_string().contains(&phrase) => {}
            Err(err) => failures.push(format!("{}: error lacks '{phrase}': {err}", dir.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

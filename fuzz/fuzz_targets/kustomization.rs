//! The kustomization loader: a `kustomization.yaml` as kustomize reads it.
#![no_main]

use std::path::Path;

use driftctl::render::kustomize::kustomization::Kustomization;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Kustomization::parse(text, Path::new("kustomization.yaml"));
});

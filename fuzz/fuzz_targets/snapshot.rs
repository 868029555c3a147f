//! The snapshot reader: one file of a `--live-from` directory, read as the
//! live objects it holds.
#![no_main]

use driftctl::cluster::Snapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Snapshot::parse(text, "fuzz.yaml");
});

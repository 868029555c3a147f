//! The chart archive loader: a packaged chart (`.tgz`) as `helm` loads it,
//! from the gzip stream to the parsed `Chart.yaml`, values and templates.
#![no_main]

use driftctl::render::helm::loader::load_archive;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = load_archive(data, "fuzz.tgz");
});

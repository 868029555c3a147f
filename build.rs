//! Links the `driftctl` executable position-dependent (`-no-pie`) on Linux.
//!
//! A position-independent executable of this size carries about 47,000
//! relative relocations that the dynamic loader applies on every start,
//! copying some 220 pages: 2 of the 3 ms a `--version` run costs, and half of
//! a whole `driftctl render` of a chart. Linked at a fixed address, the
//! linker resolves them once. Only the binary is affected (not the library,
//! its tests or the proc-macros the build loads); the price is that the
//! executable's own code is not address-randomized.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" && std::env::var_os("DRIFTCTL_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-env-changed=DRIFTCTL_PIE");
    println!("cargo:rerun-if-changed=build.rs");
}

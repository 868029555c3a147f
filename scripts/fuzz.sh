#!/usr/bin/env bash
# Runs one fuzz target of fuzz/ (yaml, kustomization, chart_archive,
# snapshot) for SECONDS (default 600) under libFuzzer, failing on a panic, an
# abort or more than 1 GiB of memory; installs cargo-fuzz when missing.
#
#   scripts/fuzz.sh TARGET [SECONDS] [LIBFUZZER_ARGS...]
#
# libFuzzer prints its figures (execs, peak RSS) on its last lines; crashes go
# to fuzz/artifacts/TARGET, the corpus to fuzz/corpus/TARGET (both ignored by Git).
# FUZZ_SANITIZER=address builds with AddressSanitizer (for the unsafe libyaml
# port); sanitizers are unstable compiler flags, so the stable toolchain is
# told to accept them with RUSTC_BOOTSTRAP=1. The default, none, works on stable.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [LIBFUZZER_ARGS...]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
sanitizer=${FUZZ_SANITIZER:-none}

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
if [ "$sanitizer" != none ]; then
    export RUSTC_BOOTSTRAP=1
fi

mkdir -p "corpus/$target"
start=$(date +%s)
cargo fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" -- \
    -rss_limit_mb=1024 -max_total_time="$seconds" -print_final_stats=1 "$@"
echo "fuzz: $target ran $(($(date +%s) - start)) s without a crash"

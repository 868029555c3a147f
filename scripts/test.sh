#!/usr/bin/env bash
# Runs every test, the real-cluster integration tests included: installs what
# the machine lacks (Debian packages; builds and caches kube-apiserver on the
# first run), starts etcd + kube-apiserver on loopback, runs `cargo test`
# against them, and stops them. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/test-cluster.sh run cargo test --all-targets "$@"

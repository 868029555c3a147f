#!/bin/sh
# Regenerate the expected outputs of the kustomize fixtures with the real tool
# (kubectl kustomize, kustomize v5.5.0). Run from the repository root:
#
#     scripts/gen-kustomize-goldens.sh
#
# Each fixtures/kustomize/<case>/ is a kustomization directory. On success the build
# output is written to <case>/expected.yaml; on failure kustomize's error message goes to
# <case>/expected-error.txt (the test then checks driftctl fails with the phrase in
# <case>/error-contains.txt).
set -eu
cd "$(dirname "$0")/.."
for dir in fixtures/kustomize/*/; do
    case=${dir%/}
    rm -f "$case/expected.yaml" "$case/expected-error.txt"
    if kubectl kustomize "$case" >"$case/expected.yaml.tmp" 2>"$case/stderr.tmp"; then
        mv "$case/expected.yaml.tmp" "$case/expected.yaml"
    else
        rm -f "$case/expected.yaml.tmp"
        sed -e "s|$(pwd)/||g" -e 's/^E[0-9]* [0-9:.]* *[0-9]* [a-z_.]*:[0-9]*\] //' "$case/stderr.tmp" >"$case/expected-error.txt"
    fi
    rm -f "$case/stderr.tmp"
done

#!/usr/bin/env bash
# Regenerates fixtures/yaml/kustomize/*.out from the real kustomize (kubectl
# kustomize, v5.5.0 here): each fixtures/yaml/kustomize/cases/NAME.yaml is the
# only resource of a kustomization, and NAME.out is what the build prints.
# When kustomize rejects the input, NAME.error holds its message instead.
#
# Command: scripts/yaml-kustomize-goldens.sh
set -euo pipefail
cd "$(dirname "$0")/../fixtures/yaml/kustomize"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'resources:\n- resource.yaml\n' >"$work/kustomization.yaml"
for input in cases/*.yaml; do
  name=$(basename "$input" .yaml)
  rm -f "$name.out" "$name.error"
  cp "$input" "$work/resource.yaml"
  if ! kubectl kustomize "$work" >"$name.out" 2>"$work/stderr"; then
    rm -f "$name.out"
    # Keep the message, not kubectl's log prefix with its timestamp, nor the temporary directory.
    sed -e 's/^E[0-9]* [0-9:.]* *[0-9]* run.go:[0-9]*\] //' -e "s|$work|WORKDIR|g" "$work/stderr" >"$name.error"
  fi
done

#!/usr/bin/env bash
# Regenerates fixtures/yaml/decode/*.json from the real kubectl, which reads
# manifests through sigs.k8s.io/yaml (go-yaml v2, YAML 1.1, then JSON).
#
# Command: scripts/yaml-decode-goldens.sh
#
# For each fixtures/yaml/decode/cases/NAME.yaml it runs
#   kubectl label --local -f NAME.yaml driftctl-golden=1 -o json
# (local: no cluster), removes the label it added, and writes NAME.json: a JSON
# array of the non-empty documents. When kubectl rejects the input, NAME.error
# holds its message instead. Needs kubectl and python3 (jq would round
# 64-bit integers through doubles).
set -euo pipefail
cd "$(dirname "$0")/../fixtures/yaml/decode"
strip='
import json, sys
text, decoder, items, at = sys.stdin.read(), json.JSONDecoder(), [], 0
while text[at:].strip():
    document, at = decoder.raw_decode(text, at + len(text[at:]) - len(text[at:].lstrip()))
    items.extend(document["items"] if document.get("kind") == "List" else [document])
for item in items:
    labels = item["metadata"]["labels"]
    del labels["driftctl-golden"]
    if not labels:
        del item["metadata"]["labels"]
print(json.dumps(items, indent=2, sort_keys=True, ensure_ascii=False))
'
for input in cases/*.yaml; do
  name=$(basename "$input" .yaml)
  rm -f "$name.json" "$name.error"
  if output=$(kubectl label --local -f "$input" driftctl-golden=1 -o json 2>&1); then
    printf '%s' "$output" | python3 -c "$strip" >"$name.json"
  else
    printf '%s\n' "$output" >"$name.error"
  fi
done

#!/bin/sh
# Regenerate the expected outputs of the kustomize fixtures with the real tool
# (kubectl kustomize, kustomize v5.5.0). Run from the repository root:
#
#     scripts/gen-kustomize-goldens.sh
#
# Each fixtures/kustomize/<case>/ is a kustomization directory. On success the build
# output is written to <case>/expected.yaml; on failure kustomize's error message (the
# `err` of kubectl's "command failed" log line, unquoted, with the repository path
# removed so paths read relative to its root) goes to <case>/expected-error.txt, which
# the test compares with driftctl's message in full.
set -eu
cd "$(dirname "$0")/.."
for dir in fixtures/kustomize/*/; do
    case=${dir%/}
    rm -f "$case/expected.yaml" "$case/expected-error.txt"
    if kubectl kustomize "$case" >"$case/expected.yaml.tmp" 2>"$case/stderr.tmp"; then
        mv "$case/expected.yaml.tmp" "$case/expected.yaml"
    else
        rm -f "$case/expected.yaml.tmp"
        python3 - "$case/stderr.tmp" "$(pwd)/" >"$case/expected-error.txt" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
# klog writes `err="<Go-quoted message>"`, or `err=<` then tab-indented lines and ` >`.
quoted = re.search(r'"command failed" err=("(?:[^"\\]|\\.)*")', text)
if quoted:
    message = json.loads(quoted.group(1))
else:
    block = re.search(r'"command failed" err=<\n(.*?)\n >', text, re.S)
    message = "\n".join(line[1:] if line.startswith("\t") else line for line in block.group(1).split("\n"))
# Go pointers printed with %v change from run to run.
message = re.sub(r"0xc[0-9a-f]{9}", "0xc000000000", message)
sys.stdout.write(message.replace(sys.argv[2], "") + "\n")
PY
    fi
    rm -f "$case/stderr.tmp"
done

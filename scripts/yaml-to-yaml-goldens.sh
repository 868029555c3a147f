#!/usr/bin/env bash
# Regenerates fixtures/yaml/to_yaml/expected.json from the real Helm: the
# chart in fixtures/yaml/to_yaml/chart prints `toYaml`, `toYamlPretty`, `toJson`,
# `toPrettyJson` and `toRawJson` of every value under .Values.cases and
# `fromYaml | toJson` of every text under .Values.fromYaml (base64,
# one comment line each), and this script decodes those lines into a JSON
# object {function: {case name: output}}.
#
# Command: scripts/yaml-to-yaml-goldens.sh
# (runs "$(/work/shared/tools/reference-helm) template ./chart"; set HELM to use another helm binary)
set -euo pipefail
cd "$(dirname "$0")/../fixtures/yaml/to_yaml"
helm=${HELM:-$(/work/shared/tools/reference-helm)}
"$helm" template ./chart | python3 -c '
import base64, json, sys
cases = {}
for line in sys.stdin:
    parts = line.split()
    if len(parts) in (3, 4) and parts[0] == "#" and parts[1] in ("toYaml", "toYamlPretty", "toJson", "toPrettyJson", "toRawJson", "fromYaml"):
        encoded = parts[3] if len(parts) == 4 else ""
        cases.setdefault(parts[1], {})[parts[2]] = base64.b64decode(encoded).decode("utf-8")
json.dump(cases, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
print()
' >expected.json

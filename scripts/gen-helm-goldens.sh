#!/usr/bin/env bash
# Regenerates the Helm rendering goldens from the real `helm template`.
#
#   scripts/gen-helm-goldens.sh            (run from the repository root)
#
# Each case is fixtures/helm/charts/NAME.args: the chart path (relative to
# fixtures/helm/charts) on the first line, then one driftctl `render` argument
# per line. The same arguments are given to helm, translated where the two
# CLIs differ: `--release-name X` becomes helm's positional release name. helm runs from
# fixtures/helm/charts, so values files are named relative to it.
# Output: NAME.golden.yaml (stdout) when helm succeeds, NAME.golden.err
# (stderr) when it fails. Charts under packages/ are packaged first.
set -euo pipefail
HELM="$(cd "$(dirname "$0")/.." && ../shared/tools/reference-helm 2>/dev/null || /work/shared/tools/reference-helm)"
cd "$(dirname "$0")/../fixtures/helm/charts"
# Packaged charts are built from packages/ by the real `helm package`.
"$HELM" package packages/cache -d umbrella/charts > /dev/null
"$HELM" package packages/packaged -d . > /dev/null
for args_file in *.args; do
    name="${args_file%.args}"
    mapfile -t lines < "$args_file"
    chart="${lines[0]}"
    release="release-name"
    helm_args=()
    i=1
    while [ "$i" -lt "${#lines[@]}" ]; do
        arg="${lines[$i]}"
        case "$arg" in
            --release-name) i=$((i + 1)); release="${lines[$i]}" ;;
            *) helm_args+=("$arg") ;;
        esac
        i=$((i + 1))
    done
    rm -f "$name.golden.yaml" "$name.golden.err"
    if "$HELM" template "$release" "$chart" "${helm_args[@]}" > "$name.golden.yaml" 2> "$name.golden.err"; then
        rm -f "$name.golden.err"
    else
        rm -f "$name.golden.yaml"
    fi
done

#!/usr/bin/env python3
"""Whole-process rendering benchmark: driftctl against the real tools.

Command (from the repository root, after `cargo build --release`):

    python3 scripts/bench-render.py target/release/driftctl "$(../shared/tools/reference-helm)" [--runs N]

Times, on the same inputs, each pair of commands as whole processes (start,
render, print, exit), after checking that both print the same bytes:

- the largest test chart: `driftctl render` and `helm template`;
- the largest test overlay: `driftctl render` and `kubectl kustomize`.

Each command runs --runs times (default 31) after 3 warm-up runs, the two
interleaved so that load on the machine falls on both alike. Prints the
median and minimum of each and the ratio of the medians.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHARTS = os.path.join(ROOT, "fixtures", "helm", "charts")
OVERLAY = os.path.join(ROOT, "fixtures", "kustomize", "large-overlay")


def run(command, cwd):
    return subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True).stdout


def time_once(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def compare(title, ours, theirs, cwd, runs):
    if run(ours, cwd) != run(theirs, cwd):
        sys.exit(f"{title}: the outputs differ; fix that before timing")
    for _ in range(3):
        time_once(ours, cwd)
        time_once(theirs, cwd)
    a, b = [], []
    for _ in range(runs):
        a.append(time_once(ours, cwd))
        b.append(time_once(theirs, cwd))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{title}")
    print(f"  {' '.join(ours[:3]):40} median {ma:7.2f} ms  min {min(a):7.2f} ms")
    print(f"  {' '.join(theirs[:3]):40} median {mb:7.2f} ms  min {min(b):7.2f} ms")
    print(f"  ratio of medians: {mb / ma:.1f}x")


def largest_chart_case():
    """The .args case whose golden output is largest."""
    goldens = [f for f in os.listdir(CHARTS) if f.endswith(".golden.yaml")]
    name = max(goldens, key=lambda f: os.path.getsize(os.path.join(CHARTS, f)))[: -len(".golden.yaml")]
    with open(os.path.join(CHARTS, name + ".args"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    return name, lines


def helm_args(lines):
    """driftctl's render arguments as helm template takes them (as gen-helm-goldens.sh does)."""
    chart, release, hooks, rest = lines[0], "release-name", ["--no-hooks"], []
    i = 1
    while i < len(lines):
        if lines[i] == "--release-name":
            i += 1
            release = lines[i]
        elif lines[i] == "--include-hooks":
            hooks = []
        else:
            rest.append(lines[i])
        i += 1
    return ["template", release, chart, *hooks, *rest]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("driftctl")
    parser.add_argument("helm")
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    driftctl = os.path.abspath(args.driftctl)
    name, lines = largest_chart_case()
    compare(f"chart {name}", [driftctl, "render", *lines], [args.helm, *helm_args(lines)], CHARTS, args.runs)
    compare("overlay large-overlay", [driftctl, "render", OVERLAY], ["kubectl", "kustomize", OVERLAY], ROOT, args.runs)


if __name__ == "__main__":
    main()

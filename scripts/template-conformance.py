#!/usr/bin/env python3
"""Regenerate the expected outputs of the template conformance suite with the real Helm.

Command (from the repository root):

    python3 scripts/template-conformance.py "$(../shared/tools/reference-helm)"

Helm runs with TZ=UTC, so toDate and date read Go's Local zone as UTC; the
test sets the same zone.

Reads fixtures/template/cases.txt (blocks starting with a line `=== NAME`; the
template is the text up to the next block, without its final newline),
fixtures/template/values.yaml and fixtures/template/helpers.tpl, and writes
fixtures/template/expected.json: for every case either {"output": TEXT} or
{"error": MESSAGE} (the text `helm template` prints after `Error: `).

Each case becomes one template file of a chart named `conf`, wrapped as
`<<<TEMPLATE>>>` so surrounding text cannot change trimming but whitespace at
the edges survives. A deliberately invalid YAML file makes `helm template
--debug` print every rendered file verbatim. Cases that fail are run again
one by one to record their error.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures", "template")
CHART = "conf"


def read_cases():
    cases = []
    name, lines = None, []
    with open(os.path.join(FIXTURES, "cases.txt"), encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("=== "):
                if name is not None:
                    cases.append((name, "\n".join(lines)))
                name, lines = line[4:].strip(), []
            elif name is not None:
                lines.append(line)
    if name is not None:
        cases.append((name, "\n".join(lines)))
    while cases and cases[-1][1].endswith("\n"):
        cases[-1] = (cases[-1][0], cases[-1][1][:-1])
    names = [n for n, _ in cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        sys.exit(f"duplicate case names: {sorted(dupes)}")
    return cases


def make_chart(directory, cases, force_dump):
    templates = os.path.join(directory, "templates")
    os.makedirs(templates)
    with open(os.path.join(directory, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {CHART}\nversion: 0.1.0\n")
    shutil.copy(os.path.join(FIXTURES, "values.yaml"), os.path.join(directory, "values.yaml"))
    shutil.copy(os.path.join(FIXTURES, "helpers.tpl"), os.path.join(templates, "_helpers.tpl"))
    for name, template in cases:
        with open(os.path.join(templates, name + ".yaml"), "w", encoding="utf-8") as f:
            f.write("<<<" + template + ">>>")
    if force_dump:
        with open(os.path.join(templates, "zzz-not-yaml.yaml"), "w") as f:
            f.write("a: [\n")


def run_helm(helm, cases, force_dump):
    with tempfile.TemporaryDirectory() as tmp:
        chart = os.path.join(tmp, CHART)
        make_chart(chart, cases, force_dump)
        args = [helm, "template", "t", chart] + (["--debug"] if force_dump else [])
        # Dates are read in Go's Local zone: make it UTC on every machine.
        env = dict(os.environ, TZ="UTC")
        return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", env=env)


def error_message(stderr):
    lines = [l for l in stderr.split("\n") if "[debug]" not in l]
    text = "\n".join(lines)
    start = text.find("Error: ")
    if start < 0:
        return text.strip()
    message = text[start + len("Error: "):]
    end = message.find("\nhelm.go:")
    if end >= 0:
        message = message[:end]
    # The CLI's hint, not part of the template error.
    message = message.rstrip("\n")
    hint = "\n\nUse --debug flag to render out invalid YAML"
    if message.endswith(hint):
        message = message[: -len(hint)]
    return message


def failing_case(stderr, names):
    if "Error: YAML parse error on" in stderr:
        return None
    match = re.search(CHART + r"/templates/([^:)\s]+)\.yaml", stderr)
    if match and match.group(1) in names:
        return match.group(1)
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    helm = sys.argv[1]
    cases = read_cases()
    pending = list(cases)
    failing = []
    while True:
        result = run_helm(helm, pending, True)
        names = {n for n, _ in pending}
        broken = failing_case(result.stderr, names)
        if broken is None:
            break
        failing.append(broken)
        pending = [(n, t) for n, t in pending if n != broken]
    expected = {}
    sources = re.split(r"(?m)^---\n# Source: " + CHART + r"/templates/(.*)\n", result.stdout)
    for i in range(1, len(sources), 2):
        name = sources[i][: -len(".yaml")]
        body = sources[i + 1]
        if name not in names:
            continue
        end = body.rfind(">>>")
        if not body.startswith("<<<") or end < 0:
            sys.exit(f"case {name}: unexpected rendering {body!r}")
        expected[name] = {"output": body[3:end]}
    by_name = dict(cases)
    for name in failing:
        result = run_helm(helm, [(name, by_name[name])], False)
        if result.returncode == 0:
            sys.exit(f"case {name} failed with the others but passes alone")
        expected[name] = {"error": error_message(result.stderr)}
    missing = [n for n, _ in cases if n not in expected]
    if missing:
        sys.exit(f"no result for cases: {missing}")
    ordered = {n: expected[n] for n, _ in cases}
    with open(os.path.join(FIXTURES, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(ordered, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    print(f"{len(cases)} cases: {len(cases) - len(failing)} outputs, {len(failing)} errors")


if __name__ == "__main__":
    main()

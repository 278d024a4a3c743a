#!/usr/bin/env bash
# The main job end to end on examples/hello, which needs no registry:
# validate the design, bring the environment up, run the implementation
# plan (with the acceptance checks after it), write the evaluation report,
# and remove the environment. `make demo` builds the binary and the local
# images first.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./bin/proeftuin
lab=examples/hello
name="demo-$$"
out="${DEMO_REPORT_DIR:-$(mktemp -d -t proeftuin-demo-XXXXXX)}"

cleanup() { "$bin" --dir "$lab" --name "$name" down >/dev/null 2>&1 || true; }
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "validate: is the design correct?"
"$bin" --dir "$lab" validate
step "up: create the environment and wait until it is ready"
"$bin" --dir "$lab" --name "$name" up
step "status"
"$bin" --dir "$lab" --name "$name" status
step "run: carry out the implementation plan and write the evaluation report"
"$bin" --dir "$lab" --name "$name" run --lang en --author "proeftuin demo" --report-dir "$out"
step "down: remove everything the lab created"
"$bin" --dir "$lab" --name "$name" down
trap - EXIT

printf '\nThe evaluation report is in %s:\n' "$out"
ls -1 "$out"

#!/usr/bin/env bash
# The main job end to end on the catalogue's hello lab:
# validate the design, bring the environment up, run the implementation
# plan (with the acceptance checks after it), write the evaluation report,
# and remove the environment. `make demo` builds the binary and the local
# images first.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./bin/proeftuin
name="demo-$$"
out="${DEMO_REPORT_DIR:-$(mktemp -d -t proeftuin-demo-XXXXXX)}"
# The hello lab of the built-in catalogue, as a new user gets it. Its image
# is public (busybox); there is no registry here, so the local image goes
# in through the lab's variable (PROEFTUIN_VAR_image, like --var image=).
lab="$(mktemp -d -t proeftuin-demo-lab-XXXXXX)/hello"
export PROEFTUIN_VAR_image="${DEMO_IMAGE:-proeftuin/busybox:1}"
"$bin" init --from hello "$lab"

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

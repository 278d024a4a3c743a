#!/usr/bin/env bash
# The main job end to end on examples/hello, which needs no registry:
# validate, up, status, a command in a service, the acceptance checks from
# the host, and down. Run it through `make demo` (it builds the binary and
# the local images first).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./bin/proeftuin
lab=examples/hello
name="demo-$$"

cleanup() { "$bin" --dir "$lab" --name "$name" down >/dev/null 2>&1 || true; }
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "validate";  "$bin" --dir "$lab" validate
step "plan";      "$bin" --dir "$lab" --name "$name" plan
step "up";        "$bin" --dir "$lab" --name "$name" up
step "status";    "$bin" --dir "$lab" --name "$name" status
step "exec";      "$bin" --dir "$lab" --name "$name" exec web -- cat /www/index.html
step "from the host"
port=$("$bin" --dir "$lab" --name "$name" --output json status | sed -n 's/.*"host_port": *\([0-9]*\).*/\1/p' | head -1)
if [ -n "$port" ] && command -v curl >/dev/null; then curl -fsS "http://127.0.0.1:$port/"; fi
step "down";      "$bin" --dir "$lab" --name "$name" down
trap - EXIT
echo
echo "demo finished: the lab went up, answered, and was removed"

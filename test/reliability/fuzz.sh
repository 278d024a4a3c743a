#!/usr/bin/env bash
# Runs the fuzz targets of the reliability suite one after the other, at the
# lowest priority, and prints the executions of each (docs/reliability.md).
#   FUZZTIME=10m bash test/reliability/fuzz.sh [TARGET...]
# TARGET is one of config, report, bundle (default: all three).
# KEEP=1 copies the corpus the fuzzer grew (in Go's cache) into the
# package's testdata/fuzz/<target>/, where `go test` runs every entry as a
# seed: CI replays what fuzzing found without fuzzing.
set -u
cd "$(dirname "$0")/../.."
time=${FUZZTIME:-10m}
par=${FUZZPARALLEL:-1}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config report bundle)
status=0
for t in "${targets[@]}"; do
	case $t in
	config) fn=FuzzLoad pkg=./internal/config/ ;;
	report) fn=FuzzRender pkg=./internal/report/ ;;
	bundle) fn=FuzzBundleRead pkg=./internal/bundle/ ;;
	*) echo "unknown target $t" >&2; exit 2 ;;
	esac
	if ! grep -qs "func $fn(" "$pkg"*_test.go; then
		echo "== $fn: not present in $pkg, skipped"
		continue
	fi
	echo "== $fn ($pkg) for $time, -parallel $par"
	log=$(mktemp)
	nice -n 19 go test -run '^$' -fuzz "^$fn\$" -fuzztime "$time" -parallel "$par" "$pkg" 2>&1 | tee "$log" | grep -v '^fuzz: elapsed' 
	rc=${PIPESTATUS[0]}
	last=$(grep '^fuzz: elapsed' "$log" | tail -1)
	echo "== $fn: exit $rc; last progress line: $last"
	if [ -n "${KEEP:-}" ]; then
		src="$(go env GOCACHE)/fuzz/$(go list "$pkg")/$fn"
		dst="$pkg/testdata/fuzz/$fn"
		mkdir -p "$dst"
		n=0
		for f in "$src"/*; do
			[ -f "$f" ] || continue
			# Entries over 64 KiB would bloat the repository; the
			# fuzzer keeps them in its cache.
			[ "$(stat -c %s "$f")" -le 65536 ] || continue
			[ -e "$dst/$(basename "$f")" ] || { cp "$f" "$dst/"; n=$((n + 1)); }
		done
		echo "== $fn: kept $n new corpus entries in $dst"
	fi
	[ "$rc" -ne 0 ] && status=1
	rm -f "$log"
done
exit $status

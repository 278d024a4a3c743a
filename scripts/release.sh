#!/usr/bin/env bash
# Release builds: proeftuin for linux, darwin and windows on amd64 and
# arm64, static (CGO_ENABLED=0), -trimpath, version stamped, each carrying
# the static Linux probes for amd64 and arm64 (`make probes`, -tags
# embedprobes). One archive per target (tar.gz; zip for Windows) with the
# binary, README.md and LICENSE, and SHA256SUMS over the archives.
#   VERSION  the version to stamp (default: git describe)
#   DIST     output folder (default: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
DIST="${DIST:-dist}"
TARGETS="${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}"
ldflags="-s -w -X github.com/proeftuin/proeftuin/internal/version.Version=${VERSION}"

for a in amd64 arm64; do
  [ -f "internal/probebin/assets/probe-linux-$a.gz" ] || { echo "release: run \`make probes\` first (probe-linux-$a.gz missing)" >&2; exit 1; }
done

rm -rf "$DIST"
mkdir -p "$DIST"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf '%-16s %10s\n' target "binary bytes"
for t in $TARGETS; do
  os="${t%/*}" arch="${t#*/}"
  name="proeftuin_${VERSION}_${os}_${arch}"
  exe=proeftuin; [ "$os" = windows ] && exe=proeftuin.exe
  dir="$work/$name"
  mkdir -p "$dir"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" "$GO" build -trimpath -tags embedprobes -ldflags "$ldflags" -o "$dir/$exe" ./cmd/proeftuin
  cp README.md LICENSE "$dir/"
  printf '%-16s %10s\n' "$os/$arch" "$(wc -c <"$dir/$exe")"
  if [ "$os" = windows ]; then
    (cd "$work" && zip -q -r -X "$OLDPWD/$DIST/$name.zip" "$name")
  else
    tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$DIST/$name.tar.gz" "$name"
  fi
done
(cd "$DIST" && sha256sum -- *.tar.gz *.zip >SHA256SUMS)
echo "release: $(ls "$DIST" | wc -l) files in $DIST/"

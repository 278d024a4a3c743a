//go:build embedprobes

package probebin

import (
	"embed"
	"io/fs"
)

// assets holds probe-linux-<arch>.gz for amd64 and arm64, written by
// `make probes` before a release build (`-tags embedprobes`).
//
//go:embed assets/probe-linux-*.gz
var assets embed.FS

var embedded fs.FS = assets

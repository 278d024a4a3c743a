//go:build !embedprobes

package probebin

import "io/fs"

// embedded is nil in a development build: it carries no probes.
var embedded fs.FS

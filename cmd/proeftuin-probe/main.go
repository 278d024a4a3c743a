// Command proeftuin-probe is the in-container side of checks run `from` a
// service, on its own: the probe sidecar runs it in a FROM scratch image.
// It takes the same command line as `proeftuin probe` (a leading "probe" is
// skipped), so the sidecar runs either binary the same way. Release builds
// of proeftuin carry it, built for linux/amd64 and linux/arm64, inside them
// (internal/probebin); it is small because it holds only internal/probe.
package main

import (
	"context"
	"os"

	"github.com/proeftuin/proeftuin/internal/probe"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "probe" {
		args = args[1:]
	}
	os.Exit(probe.Main(context.Background(), args, os.Stdout, os.Stderr))
}

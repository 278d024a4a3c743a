// Command probebin stands in for the proeftuin binary in the probe sidecar
// when ./cmd/proeftuin cannot be built or does not have the `probe`
// command yet: it runs `probebin probe <kind> ...` exactly as
// `proeftuin probe <kind> ...` does.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/proeftuin/proeftuin/internal/probe"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "probe" {
		fmt.Fprintln(os.Stderr, "usage: probebin probe <kind> [flags]")
		os.Exit(2)
	}
	os.Exit(probe.Main(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
}

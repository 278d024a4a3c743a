// Command proeftuin provisions reproducible test environments from HCL.
package main

import (
	"os"

	"github.com/proeftuin/proeftuin/internal/cli"
	"github.com/proeftuin/proeftuin/internal/gctune"
)

func main() {
	gctune.Apply()
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

package cli

import (
	"fmt"
	"runtime"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/version"
)

func versionCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "version",
		Usage:       "print the version of proeftuin",
		ArgsUsage:   " ",
		Description: help("version"),
		Action:      runVersion,
	}
}

func runVersion(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, map[string]string{
			"version": version.Version,
			"go":      runtime.Version(),
			"os":      runtime.GOOS,
			"arch":    runtime.GOARCH,
		})
	}
	_, err := fmt.Fprintf(c.App.Writer, "proeftuin %s (%s, %s/%s)\n", version.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

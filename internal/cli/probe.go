package cli

import (
	"context"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/probe"
)

// probeCommand is the hidden `probe` subcommand: the in-container side of
// checks run `from` a service. internal/check runs the proeftuin binary in a
// FROM scratch "probe sidecar" that shares the service's network namespace
// and execs `/proeftuin probe <kind> --json ...` there. Flags are parsed by
// internal/probe (see probe.Main), not by urfave/cli, so the sidecar's
// command line stays independent of the global flags.
func probeCommand() *ucli.Command {
	return &ucli.Command{
		Name:            "probe",
		Usage:           "internal: run a check probe inside a probe sidecar",
		UsageText:       "proeftuin probe serve|sleep|tcp|http|dns [flags]",
		Hidden:          true,
		SkipFlagParsing: true,
		HideHelp:        true,
		Action: func(c *ucli.Context) error {
			ctx := c.Context
			if ctx == nil {
				ctx = context.Background()
			}
			code := probe.Main(ctx, c.Args().Slice(), c.App.Writer, c.App.ErrWriter)
			if code != probe.ExitOK {
				return exit(code, nil)
			}
			return nil
		},
	}
}

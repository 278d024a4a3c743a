package cli

import (
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/environments"
	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/connect"
	"github.com/proeftuin/proeftuin/internal/labs"
)

// Shell completion: `proeftuin completion SHELL` prints cmdline's script
// for SHELL, which asks the hidden `proeftuin __complete` for the
// candidates (see package cmdline).

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "completion",
		Usage:       "print a shell completion script: bash, zsh, fish or powershell",
		ArgsUsage:   "SHELL",
		Description: help("completion"),
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 || cmdline.Script(c.Args().First()) == "" {
				return exit(ExitInvalid, fmt.Errorf("completion takes one shell: %s", strings.Join(cmdline.Shells, ", ")))
			}
			_, err := fmt.Fprint(c.App.Writer, cmdline.Script(c.Args().First()))
			return err
		},
	}
}

func completeCommand() *ucli.Command {
	return &ucli.Command{
		Name:            "__complete",
		Hidden:          true,
		SkipFlagParsing: true,
		HideHelp:        true,
		Action: func(c *ucli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 || !strings.HasPrefix(args[0], "=") {
				return exit(ExitInvalid, fmt.Errorf("usage: proeftuin __complete =CURRENT [WORD...]"))
			}
			for _, s := range cmdline.Complete(c.App, args[1:], args[0][1:], candidates(func() []string { return connect.InstanceNames(time.Second) })) {
				fmt.Fprintln(c.App.Writer, s)
			}
			return nil
		},
	}
}

// candidates are what completion offers beyond commands and flags (see
// cmdline.Values): the labs of the catalogue and the engine's instances.
func candidates(instances func() []string) cmdline.Candidates {
	return cmdline.Values(func() []string { names, _ := labs.Names(environments.FS); return names }, instances)
}

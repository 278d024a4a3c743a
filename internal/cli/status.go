package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

func statusCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "status",
		Usage:       "show the instance's services: state, health, ports, networks",
		Description: help("status"),
		Flags:       engineFlags(),
		Action:      runStatus,
	}
}

func runStatus(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("status takes no arguments, got %q", c.Args().First()))
	}
	env, inst, err := openLooking(c)
	if err != nil {
		return err
	}
	defer inst.Close()
	rep, err := inst.Status(c.Context, env)
	if err != nil {
		return fail(c, env, err)
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, rep)
	}
	return rep.WriteText(c.App.Writer)
}

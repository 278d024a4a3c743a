package cli

import (
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/progress"
)

func downCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "down",
		Usage:       "remove everything this instance owns",
		Description: help("down"),
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "volumes", Aliases: []string{"v"}, Usage: "also remove the instance's volumes (their data is lost)"},
			lockFlag(),
		),
		Action: runDown,
	}
}

func runDown(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("down takes no arguments, got %q", c.Args().First()))
	}
	env, name, err := optionalEnv(c)
	if err != nil {
		return err
	}
	inst, err := openInstance(c, name, nil, newProgress(c, env), true)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	start := time.Now()
	err = inst.Down(c.Context, c.Bool("volumes"))
	inst.Instance.Close()
	if err != nil {
		return fail(c, env, err)
	}
	if outputJSON(c) {
		return nil // apply's last event says the instance is removed
	}
	fmt.Fprintf(c.App.Writer, "instance %s removed (%s)\n", name, progress.FormatDuration(time.Since(start)))
	return nil
}

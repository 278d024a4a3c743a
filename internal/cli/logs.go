package cli

import (
	"fmt"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/fault"
	"github.com/proeftuin/proeftuin/internal/instance"
)

func logsCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "logs",
		Usage:       "show services' logs",
		ArgsUsage:   "[SERVICE...]",
		Description: help("logs"),
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing new output until interrupted"},
			&ucli.StringFlag{Name: "tail", Value: "all", Usage: "number of lines to show from the end of each log, or all"},
		),
		Action: runLogs,
	}
}

func runLogs(c *ucli.Context) error {
	tail := c.String("tail")
	if tail != "all" {
		if n, err := strconv.Atoi(tail); err != nil || n < 0 {
			return exit(ExitInvalid, fmt.Errorf("--tail must be a number or all, not %q", tail))
		}
	}
	// Ctrl-C is how -f ends: no message.
	env, inst, err := openLooking(c)
	if err != nil {
		return err
	}
	defer inst.Close()
	fault.RecordDiagnosisOf(c.Context, c.App.ErrWriter, inst.Instance, env, "logs", c.Args().Slice())
	err = inst.Logs(c.Context, c.Args().Slice(), c.App.Writer, instance.LogOptions{
		LogOptions: engine.LogOptions{Follow: c.Bool("follow"), Tail: tail},
		Redact:     redactor(env),
	})
	if c.Context.Err() != nil {
		return exit(ExitInterrupted, nil)
	}
	return fail(c, env, err)
}

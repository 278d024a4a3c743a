package cli

import (
	"errors"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/apply"
)

func downCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "down",
		Usage: "remove everything this instance owns",
		Description: `Removes every container and network labelled with the instance (and,
with --volumes, its volumes). It finds them by label on the engine, so it
works after a crash, after the HCL changed, and without any HCL at all when
--name names the instance.

Examples:
  proeftuin down
  proeftuin down --volumes
  proeftuin --name student7 down      # the lab folder is gone`,
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
	env, instance, err := optionalEnv(c)
	if err != nil {
		return err
	}
	sink := newProgress(c, env)
	defer sink.Close()
	stop, interrupted := interruptible(c, notifier(sink, instance))
	defer stop()

	eng, err := connect(c)
	if err != nil {
		return err
	}
	defer eng.Close()
	l, err := takeLock(c, eng, instance, commandLine())
	if err != nil {
		return err
	}
	defer l.Release()

	start := time.Now()
	err = apply.Down(c.Context, eng, instance, c.Bool("volumes"), sink)
	sink.Close()
	if err != nil {
		if interrupted() {
			return exit(ExitInterrupted, errors.New("interrupted; run down again to finish"))
		}
		return engineExit(redactErr(env, err))
	}
	if outputJSON(c) {
		return nil // apply's last event says the instance is removed
	}
	fmt.Fprintf(c.App.Writer, "instance %s removed (%s)\n", instance, elapsed(time.Since(start)))
	return nil
}

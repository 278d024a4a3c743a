package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
)

func planCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "plan",
		Usage:       "show what up would do, each change with its cause",
		Description: help("plan"),
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when there are changes, 0 when there are none"},
		),
		Action: runPlan,
	}
}

func runPlan(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("plan takes no arguments, got %q", c.Args().First()))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	inst, err := openInstance(c, instanceName(c, env), configOf(c, env), progress.Discard, false)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	res, err := inst.Plan(c.Context, env)
	if err != nil {
		return fail(c, res.Env, err)
	}
	out := res.Output(inst.Name())
	if outputJSON(c) {
		if err := printJSON(c.App.Writer, out); err != nil {
			return err
		}
	} else {
		planner.WriteText(c.App.Writer, out.Instance, out.Environment, out.Operations, res.Plan)
	}
	if c.Bool("detailed-exitcode") && out.Changes {
		return exit(ExitInvalid, nil)
	}
	return nil
}

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

// planOutput is plan's JSON document.
type planOutput struct {
	Instance    string              `json:"instance"`
	Environment string              `json:"environment"`
	Operations  []planner.Operation `json:"operations"`
	Summary     planner.Counts      `json:"summary"`
	Changes     bool                `json:"changes"`
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
	p, env := res.Plan, res.Env
	n := planner.Count(p)
	hide := redactor(env)
	ops := make([]planner.Operation, len(p.Operations))
	for i, op := range p.Operations {
		if hide != nil {
			op.Cause = hide(op.Cause)
		}
		op.ID = planner.ShortID(op.ID)
		ops[i] = op
	}
	if outputJSON(c) {
		out := planOutput{Instance: inst.Name(), Environment: env.Name, Operations: ops, Summary: n, Changes: n.Changed()}
		if out.Operations == nil {
			out.Operations = []planner.Operation{}
		}
		if err := printJSON(c.App.Writer, out); err != nil {
			return err
		}
	} else {
		planner.WriteText(c.App.Writer, inst.Name(), env.Name, ops, p)
	}
	if c.Bool("detailed-exitcode") && n.Changed() {
		return exit(ExitInvalid, nil)
	}
	return nil
}

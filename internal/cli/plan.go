package cli

import (
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

func planCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "plan",
		Usage: "show what up would do, each change with its cause",
		Description: `Compares the environment with what the engine holds for the instance and
lists, per network, volume and service, what up would create, recreate,
start, remove or keep, and why. Nothing is changed. Values of sensitive
variables are hidden.

With --detailed-exitcode the exit code tells CI whether anything would
change: 0 no changes, 2 changes (1 and 3 keep their meaning).

Examples:
  proeftuin plan
  proeftuin --var web_port=9090 plan
  proeftuin plan --detailed-exitcode || echo "environment drifted"
  proeftuin --output json plan | jq '.operations[] | select(.kind != "keep")'`,
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
	Summary     counts              `json:"summary"`
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
	instance := instanceName(c, env)
	eng, err := connect(c)
	if err != nil {
		return err
	}
	defer eng.Close()

	p, env, err := computePlan(c, eng, env, instance)
	if err != nil {
		return err
	}
	n := countPlan(p)
	hide := redactor(env)
	ops := make([]planner.Operation, len(p.Operations))
	for i, op := range p.Operations {
		if hide != nil {
			op.Cause = hide(op.Cause)
		}
		op.ID = shortID(op.ID)
		ops[i] = op
	}

	if outputJSON(c) {
		out := planOutput{Instance: instance, Environment: env.Name, Operations: ops, Summary: n, Changes: n.changes()}
		if out.Operations == nil {
			out.Operations = []planner.Operation{}
		}
		if err := printJSON(c.App.Writer, out); err != nil {
			return err
		}
	} else {
		writePlan(c, instance, env, ops, p)
	}
	if c.Bool("detailed-exitcode") && n.changes() {
		return exit(ExitInvalid, nil)
	}
	return nil
}

// computePlan observes the instance and computes its plan. Auto subnets
// that already exist are passed to the loader so addresses computed from
// them (cidrhost) match what up created; images are resolved to their IDs
// as up does, so unchanged services hash the same.
func computePlan(c *ucli.Context, eng engine.Engine, env *config.Environment, instance string) (*planner.Plan, *config.Environment, error) {
	actual, err := planner.Observe(c.Context, eng, instance)
	if err != nil {
		return nil, env, engineExit(err)
	}
	subnets := map[string]string{}
	for _, n := range env.Networks {
		if !n.AutoSubnet {
			continue
		}
		if have, ok := actual.Networks[n.Name]; ok && len(have.Subnets) > 0 {
			subnets[n.Name] = have.Subnets[0]
		}
	}
	if len(subnets) > 0 {
		reloaded, diags := config.Load(options(c, subnets))
		if diags.HasErrors() {
			// Show them the usual way (the first load had none).
			if _, err := loadEnv(c, subnets); err != nil {
				return nil, env, err
			}
		}
		env = reloaded
	}
	images := map[string]string{}
	for _, s := range env.Services {
		id, err := eng.ImageID(c.Context, planner.ImageRef(env, s))
		switch {
		case err == nil:
			images[s.Name] = id
		case errors.Is(err, engine.ErrNotFound):
		default:
			return nil, env, engineExit(err)
		}
	}
	desired, err := planner.Desire(env, instance, images)
	if err != nil {
		return nil, env, exit(ExitInvalid, redactErr(env, err))
	}
	return planner.Compute(desired, actual), env, nil
}

// writePlan prints the operations grouped by resource kind, then a
// summary line.
func writePlan(c *ucli.Context, instance string, env *config.Environment, ops []planner.Operation, p *planner.Plan) {
	w := c.App.Writer
	fmt.Fprintf(w, "Plan for instance %s (environment %s):\n", instance, env.Name)
	groups := []struct {
		resource planner.ResourceKind
		title    string
	}{
		{planner.ResNetwork, "Networks"},
		{planner.ResVolume, "Volumes"},
		{planner.ResService, "Services"},
	}
	for _, g := range groups {
		var lines []string
		for _, op := range ops {
			if op.Resource == g.resource {
				lines = append(lines, "  "+opMark(op.Kind)+" "+op.String())
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n%s\n", g.title, strings.Join(lines, "\n"))
	}
	n := countPlan(p)
	fmt.Fprintf(w, "\n%s.\n", capitalize(summarize(p)))
	if !n.changes() {
		fmt.Fprintln(w, "No changes: the instance matches the environment.")
	}
}

// opMark is a one-character sign per operation, as Terraform shows them.
func opMark(k planner.OpKind) string {
	switch k {
	case planner.Create:
		return "+"
	case planner.Recreate:
		return "~"
	case planner.Start:
		return ">"
	case planner.Remove:
		return "-"
	default:
		return " "
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

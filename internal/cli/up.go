package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/policy"
	"github.com/proeftuin/proeftuin/internal/redact"
)

func upCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "up",
		Usage:       "create or converge the environment and wait until every service is ready",
		Description: help("up"),
		Flags: append(engineFlags(),
			parallelFlag(8, "how many resources to work on at once"),
			&ucli.DurationFlag{Name: "wait-timeout", Usage: "readiness timeout for every service, overriding ready.timeout"},
			&ucli.BoolFlag{Name: "keep-on-failure", Usage: "leave what a failed first up created, to inspect it"},
			&ucli.StringSliceFlag{Name: "allow", Usage: "unsafe settings to allow, comma separated: " + strings.Join(policy.Names, ", ")},
			pullFlag(),
			lockFlag(),
		),
		Action: runUp,
	}
}

func runUp(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("up takes no arguments, got %q", c.Args().First()))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	inst, err := openInstance(c, instanceName(c, env), configOf(c, env), newProgress(c, env), true)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	res, err := inst.Up(c.Context, env, instance.UpOptions{
		Parallel:      c.Int("parallel"),
		WaitTimeout:   c.Duration("wait-timeout"),
		KeepOnFailure: c.Bool("keep-on-failure"),
		Allow:         splitList(c.StringSlice("allow")),
		Pull:          c.String("pull"),
	})
	inst.Instance.Close()
	if err != nil {
		return fail(c, res.Env, err)
	}
	if outputJSON(c) {
		return nil // apply's last event says the instance is ready
	}
	res.WriteSummary(c.App.Writer, inst.Name())
	return nil
}

// redactErr hides env's secrets in an error's text; errors.Is and
// errors.As still see the original.
func redactErr(env *config.Environment, err error) error {
	return redact.Error(err, env.SecretValues())
}

// redactor returns a function hiding env's secrets (nil when none).
func redactor(env *config.Environment) func(string) string { return redact.Func(env.SecretValues()) }

// splitList accepts both --allow a,b and --allow a --allow b.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

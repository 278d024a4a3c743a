package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/outfile"
	"github.com/proeftuin/proeftuin/internal/runner"
)

func checkCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "check",
		Usage:       "run the acceptance checks against the running environment and write a report",
		Description: help("check"),
		Flags: append(append(engineFlags(), reportFlags()...),
			checkParallelFlag(),
			&ucli.StringFlag{Name: "run-id", Usage: "the `ID` of this check run (default: date, time and a random suffix)"},
			lockFlag(),
		),
		Action: runCheck,
	}
}

func runCheck(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	rs, err := readReportFlags(c)
	if err != nil {
		return err
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	if len(env.Checks) == 0 {
		return exit(ExitInvalid, fmt.Errorf("the environment %s declares no check blocks: there is nothing to check; see docs/language.md#check", env.Name))
	}
	inst, err := openInstance(c, instanceName(c, env), configOf(c, env), runProgress(c, env), true)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	res, err := inst.Check(c.Context, env, rs)
	inst.Instance.Close()
	if err != nil {
		return fail(c, env, err)
	}
	if err := res.WriteResult(c.App.Writer, outputJSON(c), rs.Lang, outfile.Display); err != nil {
		return exit(ExitFailed, err)
	}
	if res.FilesErr != nil {
		return exit(ExitEngine, redactErr(res.Env, fmt.Errorf("the checks ran but their files could not all be written: %w", res.FilesErr)))
	}
	return resultExit(&res.RunResult)
}

// checkParallelFlag is --parallel of run and check: how many acceptance
// checks run at once.
func checkParallelFlag() ucli.Flag {
	return parallelFlag(runner.DefaultParallel, "how many acceptance checks to run at once (1: one after the other, in declaration order)")
}

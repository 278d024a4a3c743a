package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/runner"
)

func checkCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "check",
		Usage: "run the acceptance checks against the running environment and write a report",
		Description: `Runs every check block of the environment (the acceptance checks, each
verifying requirements) against the running instance, several at once,
and writes the same report as run, without steps: result.json, report.md,
report.html and junit.xml in .proeftuin/runs/<run-id>/ (or --report-dir).
The environment must be up: run 'proeftuin up' (or 'proeftuin run') first.

Exit codes: 0 every check passed; 1 a check failed; 2 invalid input or the
environment is not up; 3 the engine failed; 130 interrupted.

Examples:
  proeftuin check
  proeftuin check --format junit --report-dir out/
  proeftuin --output json check | jq .summary`,
		Flags: append(append(engineFlags(), reportFlags()...),
			&ucli.IntFlag{Name: "parallel", Value: runner.DefaultParallel, Usage: "how many checks to run at once"},
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
	if c.Int("parallel") < 1 {
		return exit(ExitInvalid, errors.New("--parallel must be at least 1"))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	instance := instanceName(c, env)
	if len(env.Checks) == 0 {
		return exit(ExitInvalid, fmt.Errorf("the environment %s declares no check blocks: there is nothing to check; see docs/language.md#check", env.Name))
	}

	sink := runProgress(c, env)
	defer sink.Close()
	stop, _ := interruptible(c, notifier(sink, instance))
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

	// The checks run against what exists: the environment reloaded with
	// the instance's auto subnets (addresses computed from them).
	_, env, err = computePlan(c, eng, env, instance)
	if err != nil {
		return err
	}
	have, err := serviceContainers(c.Context, eng, instance)
	if err != nil {
		return engineExit(err)
	}
	if len(have) == 0 {
		return exit(ExitInvalid, fmt.Errorf("instance %s is not up: run 'proeftuin up' (or 'proeftuin run') first", instance))
	}
	var notRunning []string
	for _, s := range env.Services {
		if ct, ok := have[s.Name]; !ok {
			notRunning = append(notRunning, s.Name+" (missing)")
		} else if !ct.State.Running() {
			notRunning = append(notRunning, s.Name+" ("+ct.State.String()+")")
		}
	}
	if len(notRunning) > 0 {
		sort.Strings(notRunning)
		fmt.Fprintf(c.App.ErrWriter, "proeftuin: warning: not every service runs: %s; run 'proeftuin up' to fix that\n", strings.Join(notRunning, ", "))
	}

	opts := runner.Options{
		Engine:    eng,
		Env:       env,
		Instance:  instance,
		RunID:     c.String("run-id"),
		ReportDir: rs.dir,
		Formats:   rs.formats,
		Lang:      rs.lang,
		Author:    rs.author,
		Notes:     rs.notes,
		Progress:  sink,
		Parallel:  c.Int("parallel"),
	}
	res, checkErr := runner.Check(c.Context, opts)
	sink.Close()
	if res == nil {
		return runnerError(env, checkErr)
	}
	if err := printResult(c, res, runner.Paths(opts, res), rs.lang); err != nil {
		return exit(ExitFailed, err)
	}
	if checkErr != nil {
		return exit(ExitEngine, redactErr(env, fmt.Errorf("the checks ran but their files could not all be written: %w", checkErr)))
	}
	return resultExit(res)
}

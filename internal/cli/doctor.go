package cli

import (
	"errors"
	"fmt"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/doctor"
	ucli "github.com/urfave/cli/v2"
)

func doctorCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "doctor",
		Usage:       "check that the engine answers and the environment can come up",
		Description: help("doctor"),
		Flags:       engineFlags(),
		Action:      runDoctor,
	}
}

func runDoctor(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("doctor takes no arguments, got %q", c.Args().First()))
	}
	rep := &doctor.Report{Checks: []doctor.Check{}}
	eng, err := dialEngine(c)
	if err != nil {
		rep.Add(doctor.Fail, "engine", "%v", errors.Unwrap(err))
		return finishDoctor(c, rep, ExitEngine)
	}
	defer eng.Close()
	if !doctor.Engine(c.Context, eng, rep) {
		return finishDoctor(c, rep, ExitEngine)
	}
	if !config.HasDefinition(envDir(c)) {
		rep.Add(doctor.Info, "environment", "no *.hcl files in %s: images and ports not checked", envDir(c))
		return finishDoctor(c, rep, ExitOK)
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		rep.Add(doctor.Fail, "environment", "the environment in %s does not load (see above)", envDir(c))
		return finishDoctor(c, rep, ExitInvalid)
	}
	if !doctor.Environment(c.Context, eng, env, instanceName(c, env), rep) {
		return finishDoctor(c, rep, ExitFailed)
	}
	return finishDoctor(c, rep, ExitOK)
}

func finishDoctor(c *ucli.Context, rep *doctor.Report, code int) error {
	if outputJSON(c) {
		if err := printJSON(c.App.Writer, rep); err != nil {
			return err
		}
	} else {
		rep.WriteText(c.App.Writer)
	}
	if code != ExitOK {
		return exit(code, nil)
	}
	return nil
}

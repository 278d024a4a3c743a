package cli

import (
	"errors"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/environments"
	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/labs"
	"github.com/proeftuin/proeftuin/internal/outfile"
	"github.com/proeftuin/proeftuin/internal/policy"
)

// labCommands are the commands of the lab catalogue: labs, lab verify,
// init.
func labCommands() []*ucli.Command {
	return []*ucli.Command{labsCommand(), labCommand(), initCommand()}
}

func labsCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "labs",
		Usage:       "list the standard labs built into proeftuin",
		Description: help("labs"),
		Action:      runLabs,
	}
}

func runLabs(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	list, err := labs.Catalogue(environments.FS)
	if err != nil {
		return exit(ExitFailed, err)
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, list)
	}
	return labs.WriteCatalogue(c.App.Writer, list)
}

func initCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "init",
		Usage:       "start a new lab in a folder: a standard lab (--from) or a small starter",
		ArgsUsage:   "DIR",
		Description: help("init"),
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "from", Usage: "copy lab `NAME` of the catalogue"},
		},
		Action: runInit,
	}
}

func runInit(c *ucli.Context) error {
	if c.NArg() != 1 {
		return exit(ExitInvalid, errors.New("init takes one argument, the new folder: proeftuin init [--from LAB] DIR"))
	}
	dest := c.Args().First()
	from := c.String("from")
	err := labs.Init(environments.FS, from, dest)
	var unknown *labs.UnknownError
	if errors.Is(err, labs.ErrNotEmpty) || errors.As(err, &unknown) {
		return exit(ExitInvalid, err)
	}
	if err != nil {
		return exit(ExitFailed, err)
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, map[string]string{"dir": dest, "from": from})
	}
	labs.WriteInit(c.App.Writer, from, dest)
	return nil
}

func labCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "lab",
		Usage: "teacher's tools for a lab (verify)",
		Subcommands: []*ucli.Command{
			{
				Name:        "verify",
				Usage:       "check that a lab is sound: its checks fail before the plan and pass after it",
				ArgsUsage:   "[LAB]",
				Description: help("lab-verify"),
				Flags: append(engineFlags(),
					&ucli.DurationFlag{Name: "before-timeout", Value: labs.DefaultBeforeTimeout, Usage: "cap on every check's timeout before the plan"},
					&ucli.DurationFlag{Name: "wait-timeout", Usage: "readiness timeout for every service, overriding ready.timeout"},
					&ucli.StringSliceFlag{Name: "allow", Usage: "unsafe settings to allow, comma separated: " + strings.Join(policy.Names, ", ")},
					pullFlag(),
					&ucli.StringFlag{Name: "report-dir", Usage: "keep the plan's evaluation report in `DIR` (default: not kept)", TakesFile: true},
					&ucli.BoolFlag{Name: "keep", Usage: "leave the instance running afterwards, to investigate (remove it with down --volumes)"},
					parallelFlag(4, "how many checks to run at once"),
				),
				Action: runLabVerify,
			},
		},
	}
}

func runLabVerify(c *ucli.Context) error {
	dir, cleanup, err := labDir(c)
	if err != nil {
		return err
	}
	defer cleanup()
	cfg := options(c, nil)
	cfg.Dir = dir
	env, diags := config.Load(cfg)
	if len(diags) > 0 {
		renderDiags(c, env, diags)
	}
	if diags.HasErrors() {
		return exit(ExitInvalid, nil)
	}
	name := cmdline.String(c, "name")
	if name == "" {
		name = labs.NewInstanceName(env.Name)
	}
	opts := labs.VerifyOptions{
		Env:           env,
		BeforeTimeout: c.Duration("before-timeout"),
		Allow:         splitList(c.StringSlice("allow")),
		Pull:          c.String("pull"),
		WaitTimeout:   c.Duration("wait-timeout"),
		Parallel:      c.Int("parallel"),
		Keep:          c.Bool("keep"),
		ReportDir:     c.String("report-dir"),
	}
	inst, err := openInstance(c, name, &cfg, runProgress(c, env), true)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	if !outputJSON(c) {
		fmt.Fprintf(c.App.ErrWriter, "verifying lab %s on instance %s\n", env.Name, name)
	}
	res, verr := labs.Verify(c.Context, inst.Instance, opts)
	inst.Instance.Close()
	return verifyOutcome(c, env, opts.ReportDir, res, verr)
}

// labDir is the lab's folder: --dir, or a lab of the catalogue extracted
// into a temporary folder that cleanup removes.
func labDir(c *ucli.Context) (dir string, cleanup func(), err error) {
	cleanup = func() {}
	if err := atMostOneArg(c, "lab verify", "the lab's name", "a lab of the catalogue"); err != nil {
		return "", cleanup, err
	}
	name := c.Args().First()
	if name == "" {
		return cmdline.String(c, "dir"), cleanup, nil
	}
	dir, cleanup, err = labs.ExtractTemp(environments.FS, name)
	var unknown *labs.UnknownError
	switch {
	case errors.As(err, &unknown):
		return "", cleanup, exit(ExitInvalid, fmt.Errorf("%w, or use --dir for a folder", err))
	case err != nil:
		return "", cleanup, exit(ExitFailed, err)
	}
	return dir, cleanup, nil
}

// verifyOutcome prints a verification and returns its exit code: an
// engine refusal of the up is the engine's (3), any other failure 1.
func verifyOutcome(c *ucli.Context, env *config.Environment, reportDir string, res *labs.Result, verr error) error {
	var exists *labs.ExistsError
	var input *instance.InputError
	var eng *instance.EngineError
	if errors.As(verr, &exists) {
		return exit(ExitInvalid, verr)
	}
	if res == nil {
		return fail(c, env, verr)
	}
	problem, shown := "", ""
	if verr != nil {
		problem = redactErr(env, verr).Error()
	}
	if reportDir != "" {
		shown = outfile.Display(reportDir)
	}
	if err := res.Write(c.App.Writer, outputJSON(c), shown, problem); err != nil {
		return exit(ExitFailed, err)
	}
	switch {
	case c.Context.Err() != nil:
		return exit(ExitInterrupted, nil)
	case errors.As(verr, &input) && len(input.Diags) > 0:
		return fail(c, env, verr)
	case errors.As(verr, &eng):
		return exit(ExitEngine, nil)
	case verr != nil || !res.Sound:
		return exit(ExitFailed, nil)
	}
	return nil
}

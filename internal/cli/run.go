package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/outfile"
	"github.com/proeftuin/proeftuin/internal/policy"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
	"github.com/proeftuin/proeftuin/internal/terminal"
)

// runCommands are the commands of the implementation plan and the
// evaluation report: run, check, report.
func runCommands() []*ucli.Command {
	return []*ucli.Command{runCommand(), checkCommand(), reportCommand()}
}

// defaultFormats are the report files run and check write.
const defaultFormats = "json,md,html,junit"

// reportFlags are the flags of run and check about the report they write.
func reportFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "format", Value: defaultFormats, Usage: "report `FORMATS` to write, comma separated: " + strings.Join(report.Formats, ", ")},
		&ucli.StringFlag{Name: "lang", Value: report.DefaultLang, Usage: "report `LANGUAGE`: " + strings.Join(report.Languages(), " or ")},
		&ucli.StringFlag{Name: "report-dir", Usage: "write the report (and the run's state) to `DIR` instead of .proeftuin/runs/<run-id> in the environment folder", TakesFile: true},
		&ucli.StringFlag{Name: "notes", Usage: "include the Markdown `FILE` as your reflection in the report", TakesFile: true},
		&ucli.StringFlag{Name: "author", Usage: "your `NAME`, shown in the report"},
	}
}

func runCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "run",
		Usage:       "run the implementation plan and write the evaluation report",
		ArgsUsage:   "[PLAN]",
		Description: help("run"),
		Flags: append(append(engineFlags(), reportFlags()...),
			&ucli.BoolFlag{Name: "resume", Usage: "continue the latest run of this instance (or --run-id), skipping the steps that passed"},
			&ucli.StringFlag{Name: "run-id", Usage: "with --resume: the run `ID` to continue; otherwise the ID of the new run"},
			&ucli.StringFlag{Name: "from-step", Usage: "start at step `ID`; the steps before it are skipped"},
			&ucli.StringFlag{Name: "only", Usage: "run only step `ID`"},
			&ucli.BoolFlag{Name: "force", Usage: "with --resume: run again the passed steps whose declaration changed"},
			&ucli.BoolFlag{Name: "acceptance", Value: true, Usage: "run the acceptance checks after the plan (--acceptance=false leaves them out)"},
			checkParallelFlag(),
			&ucli.BoolFlag{Name: "keep", Value: true, Usage: "keep the environment after the run, to inspect it"},
			&ucli.BoolFlag{Name: "down", Usage: "remove the environment after the run (volumes are kept)"},
			&ucli.DurationFlag{Name: "wait-timeout", Usage: "readiness timeout for every service when bringing it up, overriding ready.timeout"},
			&ucli.StringSliceFlag{Name: "allow", Usage: "unsafe settings to allow when bringing it up, comma separated: " + strings.Join(policy.Names, ", ")},
			pullFlag(),
			lockFlag(),
		),
		Action: runRun,
	}
}

// readReportFlags checks the report flags and returns the runner
// options they set.
func readReportFlags(c *ucli.Context) (runner.Options, error) {
	o, err := reportFlagValues(c).Options()
	if err != nil {
		return o, exit(ExitInvalid, err)
	}
	o.RunID = c.String("run-id")
	return o, nil
}

func reportFlagValues(c *ucli.Context) runner.ReportFlags {
	return runner.ReportFlags{Formats: c.String("format"), Lang: c.String("lang"), Dir: c.String("report-dir"),
		Notes: c.String("notes"), Author: c.String("author")}
}

func runRun(c *ucli.Context) error {
	if err := atMostOneArg(c, "run", "the plan's name", "the plan's name"); err != nil {
		return err
	}
	flags := instance.RunFlags{
		Plan: c.Args().First(), Report: reportFlagValues(c), RunID: c.String("run-id"),
		Up:     instance.UpOptions{WaitTimeout: c.Duration("wait-timeout"), Allow: splitList(c.StringSlice("allow")), Pull: c.String("pull")},
		Resume: c.Bool("resume"), Force: c.Bool("force"), FromStep: c.String("from-step"), Only: c.String("only"),
		Acceptance: c.Bool("acceptance"), Parallel: c.Int("parallel"), Keep: c.Bool("keep"), KeepSet: c.IsSet("keep"), Down: c.Bool("down"),
	}
	if err := flags.Validate(); err != nil {
		return fail(c, nil, err) // before the definition is read, as always
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	name := instanceName(c, env)
	opts, err := flags.Options(env, name)
	if fin, ok := runner.AsFinished(err); ok {
		// Nothing to do and nothing changed: not an error.
		fmt.Fprintf(c.App.ErrWriter, "proeftuin: %s\n", displayFinished(fin))
		return nil
	} else if err != nil {
		return fail(c, env, err)
	}
	inst, err := openInstance(c, name, configOf(c, env), runProgress(c, env), true)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	res, err := inst.Run(c.Context, env, opts)
	inst.Instance.Close()
	if err != nil {
		return fail(c, res.Env, err)
	}
	return runOutcome(c, name, opts.Runner, res)
}

// atMostOneArg refuses more than one argument (name: what it is called,
// what: what it may be), with a hint when flags came after it.
func atMostOneArg(c *ucli.Context, command, name, what string) error {
	switch {
	case c.NArg() <= 1:
		return nil
	case strings.HasPrefix(c.Args().Get(1), "-"):
		return exit(ExitInvalid, fmt.Errorf("put the flags before %s: proeftuin %s %s %s", name, command, strings.Join(c.Args().Tail(), " "), c.Args().First()))
	}
	return exit(ExitInvalid, fmt.Errorf("%s takes at most one argument, %s; got %q", command, what, strings.Join(c.Args().Slice(), " ")))
}

// runOutcome prints a finished run and returns its exit code.
func runOutcome(c *ucli.Context, name string, rs runner.Options, res *instance.RunResult) error {
	if res.DownErr != nil {
		fmt.Fprintf(c.App.ErrWriter, "proeftuin: removing the environment after the run: %v\n", redactErr(res.Env, res.DownErr))
	}
	if err := res.WriteResult(c.App.Writer, outputJSON(c), rs.Lang, outfile.Display); err != nil {
		return exit(ExitFailed, err)
	}
	if res.FilesErr != nil {
		return exit(ExitEngine, redactErr(res.Env, fmt.Errorf("the run finished but its files could not all be written: %w", res.FilesErr)))
	}
	if res.Removed && !outputJSON(c) {
		fmt.Fprintf(c.App.Writer, "instance %s removed\n", name)
	}
	if !c.Bool("down") && c.Bool("keep") {
		// The state of this run is saved: say how to go on.
		res.WriteResumeHint(c.App.ErrWriter, rs.ReportDir, outfile.Display)
	}
	return resultExit(res)
}

// displayFinished is a FinishedError's message with the folder shown
// relative to the working folder.
func displayFinished(fin *runner.FinishedError) string {
	cp := *fin
	cp.Dir = outfile.Display(fin.Dir)
	return cp.Error()
}

// runProgress reports the steps on stderr: in place on a terminal, one
// line per event otherwise. stdout is kept for the summary or, with
// --output json, for the result document alone.
func runProgress(c *ucli.Context, env *config.Environment) progress.Renderer {
	opts := progress.RenderOptions{Redact: redactor(env)}
	w := c.App.ErrWriter
	if useColor(c, w) {
		opts.Format = progress.FormatTTY
		opts.Width = int(terminal.Width(w))
	}
	return progress.New(w, opts)
}

// resultExit is the exit code of a finished run or check: from its
// status (see exitCode); the report said why, so nothing more is printed.
func resultExit(res *instance.RunResult) error {
	if err := res.Err(); err != nil {
		return exit(exitCode(err), nil)
	}
	return nil
}

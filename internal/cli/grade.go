package cli

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/connect"
	"github.com/proeftuin/proeftuin/internal/grade"
)

func gradeCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "grade",
		Usage:       "grade a folder of submissions, each on its own instance, with a rubric of hidden checks",
		ArgsUsage:   "SUBMISSIONS",
		Description: help("grade"),
		Flags: append(engineFlags(),
			&ucli.StringFlag{Name: "rubric", Required: true, Usage: "the grading `FILE` (rubric, requires, hidden checks, points, limits)"},
			&ucli.IntFlag{Name: "parallel", Usage: "how many submissions to grade at once on each engine (default: from the cores and memory)"},
			&ucli.StringSliceFlag{Name: "engine", Usage: "a docker `CONTEXT` or host (tcp://, ssh://, unix://) to grade on; repeat it for several engines (default: --context or the current one)"},
			&ucli.DurationFlag{Name: "timeout", Value: grade.DefaultTimeout, Usage: "how long one submission may take, from up to down"},
			&ucli.StringFlag{Name: "out", Value: "grades", Usage: "the `DIR` for the grades"},
			&ucli.StringFlag{Name: "lang", Value: "en", Usage: "language of the overview and feedback: en or nl", Action: oneOf("lang", "en", "nl")},
			&ucli.BoolFlag{Name: "resume", Usage: "keep the grades in --out of submissions whose content did not change"},
		),
		Action: runGrade,
	}
}

func runGrade(c *ucli.Context) error {
	if c.NArg() != 1 {
		return exit(ExitInvalid, errors.New("give the folder of submissions: proeftuin grade --rubric grading.hcl SUBMISSIONS"))
	}
	if c.Int("parallel") < 0 {
		return exit(ExitInvalid, errors.New("--parallel must be at least 1"))
	}
	path := c.String("rubric")
	rub, diags := config.LoadRubric(path)
	if diags.HasErrors() {
		renderDiags(c, &config.Environment{Dir: filepath.Dir(path), Files: map[string]*hcl.File{path: rub.File}}, diags)
		return exit(ExitInvalid, nil)
	}
	engines, err := gradeEngines(c)
	if err != nil {
		return err
	}
	defer func() {
		for _, e := range engines {
			e.Engine.Close()
		}
	}()
	stop, _ := interruptible(c, func(msg string) { fmt.Fprintln(c.App.ErrWriter, "proeftuin: "+msg) })
	defer stop()
	class, err := grade.Grade(c.Context, grade.Options{
		Engines:     engines,
		Rubric:      rub,
		Submissions: c.Args().First(),
		Out:         c.String("out"),
		Parallel:    c.Int("parallel"),
		Timeout:     c.Duration("timeout"),
		Resume:      c.Bool("resume"),
		Lang:        c.String("lang"),
		// Each lab is the student's alone: none of the teacher's --var,
		// environment or folder; evaluation is bounded, and a lab that
		// gets stuck is not allowed to end the whole grade run.
		Config: config.Options{MemoryLimit: evalMemoryLimit, TimeLimit: evalTimeLimit},
		Notice: func(msg string) { fmt.Fprintln(c.App.ErrWriter, msg) },
	})
	if err != nil {
		return fail(c, nil, grade.TypedError(err))
	}
	class.WriteSummary(c.App.Writer, c.App.ErrWriter, c.String("out"))
	if err := class.Failed(); err != nil {
		return exit(ExitEngine, err)
	}
	return nil
}

// gradeEngines connects to every --engine (or the one of --context); one
// that does not answer is left out with a warning, unless none answers.
func gradeEngines(c *ucli.Context) ([]grade.Engine, error) {
	out, err := connect.Engines(c.Context, c.String("context"), c.StringSlice("engine"), c.App.ErrWriter)
	if err != nil {
		return nil, engineExit(err)
	}
	return out, nil
}

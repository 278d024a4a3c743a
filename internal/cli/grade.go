package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine/docker"
	"github.com/proeftuin/proeftuin/internal/grade"
	"github.com/proeftuin/proeftuin/internal/instance"
)

func gradeCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "grade",
		Usage:     "grade a folder of submissions, each on its own instance, with a rubric of hidden checks",
		ArgsUsage: "SUBMISSIONS",
		Description: `Grades every entry of the SUBMISSIONS folder (a student's lab folder, a
.zip or .tar.gz of one, or a proeftuin bundle, named after the student):
validate; refuse unsafe settings (whatever --allow says elsewhere); up as
instance grade-<student>; run the student's plan and acceptance checks and
the rubric's hidden checks; down, always. Submissions that claim the same
literal subnet or host port never run at the same time.

Writes grades.json, grades.csv, overview.html and <student>/feedback.md
(with <student>/report/) to --out. See docs/teachers.md.

Exit codes: 0 every submission has a grade; 2 invalid input (the rubric);
3 the engine failed (a submission ended "error"); 130 interrupted (--resume
grades the rest).

Examples:
  proeftuin grade --rubric grading.hcl submissions/
  proeftuin grade --rubric grading.hcl --engine server1 --engine ssh://docent@server2 submissions/
  proeftuin grade --rubric grading.hcl --parallel 2 --timeout 10m --out grades/ --resume submissions/`,
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
		return fail(c, nil, gradeError(err))
	}
	for _, w := range class.Warnings {
		fmt.Fprintln(c.App.ErrWriter, "proeftuin: warning: "+w)
	}
	fmt.Fprintf(c.App.Writer, "graded %d submissions: %s\n", len(class.Results), filepath.Join(c.String("out"), "grades.csv"))
	for _, r := range class.Results {
		if r.Status == grade.Error {
			return exit(ExitEngine, fmt.Errorf("%s could not be graded: %s", r.Student, r.Reason))
		}
	}
	return nil
}

// gradeEngines connects to every --engine (or the one of --context); one
// that does not answer is left out with a warning, unless none answers.
func gradeEngines(c *ucli.Context) ([]grade.Engine, error) {
	names := c.StringSlice("engine")
	if len(names) == 0 {
		eng, err := connect(c)
		if err != nil {
			return nil, err
		}
		return []grade.Engine{{Name: "default", Engine: eng}}, nil
	}
	var out []grade.Engine
	var errs []error
	for _, name := range names {
		o := docker.Options{Context: name}
		if strings.Contains(name, "://") {
			o = docker.Options{Host: name}
		}
		eng, err := docker.New(c.Context, o)
		if err != nil {
			fmt.Fprintf(c.App.ErrWriter, "proeftuin: warning: engine %s does not answer; grading without it: %v\n", name, err)
			errs = append(errs, err)
			continue
		}
		out = append(out, grade.Engine{Name: name, Engine: eng})
	}
	if len(out) == 0 {
		return nil, engineExit(errors.Join(errs...))
	}
	return out, nil
}

// gradeError types an error of grade.Grade for exitCode.
func gradeError(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return &instance.InputError{Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &instance.InterruptedError{Msg: "interrupted; run again with --resume to grade the rest"}
	}
	return err
}

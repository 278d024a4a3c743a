package instance

import (
	"errors"
	"fmt"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// RunFlags are the settings of `run` as the user gave them on the
// command line.
type RunFlags struct {
	// Plan is the plan's name given as the argument ("": any).
	Plan   string
	Report runner.ReportFlags
	RunID  string
	Up     UpOptions
	// Resume, Force, FromStep, Only: which steps run (see runner.Options).
	Resume, Force  bool
	FromStep, Only string
	// Acceptance runs the acceptance checks after the plan.
	Acceptance bool
	// Parallel bounds the acceptance checks running at once (0: the
	// runner's default).
	Parallel int
	// Keep keeps the instance after the run (KeepSet: the user said so);
	// Down removes it.
	Keep, KeepSet, Down bool
}

// Validate checks the flags that need no definition: the report's and
// --keep against --down. A mistake is an InputError.
func (f RunFlags) Validate() error {
	if _, err := f.Report.Options(); err != nil {
		return &InputError{Err: err}
	}
	if f.Down && f.KeepSet && f.Keep {
		return &InputError{Err: errors.New("--keep and --down exclude each other")}
	}
	return nil
}

// Options checks f against env and returns the options of Run for the
// instance name. A mistake in the flags is an InputError; a selection of
// steps with nothing left to do is a *runner.FinishedError.
func (f RunFlags) Options(env *config.Environment, name string) (RunOptions, error) {
	var o RunOptions
	if err := f.Validate(); err != nil {
		return o, err
	}
	rs, _ := f.Report.Options() // checked by Validate
	if env.Plan == nil {
		return o, &InputError{Err: fmt.Errorf("the environment %s in %s has no plan block, so there is nothing to run; see docs/language.md#plan-and-step", env.Name, env.Dir)}
	}
	if f.Plan != "" && f.Plan != env.Plan.Name {
		return o, &InputError{Err: fmt.Errorf("the environment's plan is %q, not %q", env.Plan.Name, f.Plan)}
	}
	rs.RunID = f.RunID
	rs.Resume, rs.Force = f.Resume, f.Force
	rs.FromStep, rs.Only = f.FromStep, f.Only
	rs.SkipAcceptance = !f.Acceptance
	rs.Parallel = f.Parallel
	// Refuse a bad selection before anything is brought up.
	rs.Env, rs.Instance = env, name
	o = RunOptions{Up: f.Up, Runner: rs, Down: f.Down || !f.Keep}
	if err := runner.Validate(rs); err != nil {
		if _, ok := runner.AsFinished(err); ok {
			return o, err
		}
		return o, &InputError{Err: err}
	}
	return o, nil
}

package instance

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// RunOptions control Run.
type RunOptions struct {
	Up UpOptions
	// Runner selects the steps, the report and where it goes; Engine,
	// Env, Instance and Progress are set by Run.
	Runner runner.Options
	// Down removes the instance after the run (not after an interrupt).
	Down bool
}

// RunResult is a finished run or check.
type RunResult struct {
	Result *report.Result
	// Output says where the result's files went.
	Output runner.Output
	// Env is the environment loaded with the instance's auto subnets.
	Env *config.Environment
	// FilesErr: the run finished but not every file could be written.
	FilesErr error
	// Removed: RunOptions.Down removed the instance; DownErr: it failed.
	Removed bool
	DownErr error
}

// Run brings the instance up (as Up), runs the plan's steps and the
// acceptance checks and writes the report; with Down it removes the
// instance afterwards. A selection of steps that cannot run is refused
// before anything is brought up. The result is never nil: Env is the
// environment last loaded, also on failure.
func (i *Instance) Run(ctx context.Context, env *config.Environment, o RunOptions) (*RunResult, error) {
	o.Runner.Env, o.Runner.Instance = env, i.name
	if err := runner.Validate(o.Runner); err != nil {
		return &RunResult{Env: env}, runnerError(err)
	}
	up, err := i.Up(ctx, env, o.Up)
	if err != nil {
		return &RunResult{Env: up.Env}, err
	}
	res, err := i.RunPlan(ctx, up.Env, o.Runner)
	if err != nil {
		return res, err
	}
	if o.Down && ctx.Err() == nil {
		res.DownErr = apply.Down(context.WithoutCancel(ctx), i.eng, i.name, false, i.sink)
		res.Removed = res.DownErr == nil
	}
	return res, nil
}

// RunPlan runs the plan's steps and the acceptance checks against the
// instance as it is (already up) and writes the report.
func (i *Instance) RunPlan(ctx context.Context, env *config.Environment, o runner.Options) (*RunResult, error) {
	o.Engine, o.Env, o.Instance, o.Progress = i.eng, env, i.name, i.sink
	res, err := runner.Run(ctx, o)
	if res == nil {
		return &RunResult{Env: env}, runnerError(err)
	}
	return &RunResult{Result: res, Output: runner.Paths(o, res), Env: env, FilesErr: err}, nil
}

// CheckResult is a finished check run.
type CheckResult struct {
	RunResult
	// NotRunning are the declared services without a running container
	// ("web (exited)", "db (missing)"); the checks ran anyway.
	NotRunning []string
}

// Check runs the environment's acceptance checks against the running
// instance and writes the report. The instance must be up: an instance
// without containers is an InputError.
func (i *Instance) Check(ctx context.Context, env *config.Environment, o runner.Options) (*CheckResult, error) {
	// The checks run against what exists: the environment loaded with
	// the instance's auto subnets (addresses computed from them).
	if !subnetsKnown(env) {
		p, err := i.Plan(ctx, env)
		if err != nil {
			return nil, err
		}
		env = p.Env
	}
	have, err := i.services(ctx)
	if err != nil {
		return nil, err
	}
	if len(have) == 0 {
		return nil, &InputError{Err: fmt.Errorf("instance %s is not up: run 'proeftuin up' (or 'proeftuin run') first", i.name)}
	}
	out := &CheckResult{NotRunning: notRunning(env, have)}
	if len(out.NotRunning) > 0 {
		i.opts.Notice(fmt.Sprintf("proeftuin: warning: not every service runs: %s; run 'proeftuin up' to fix that", strings.Join(out.NotRunning, ", ")))
	}
	o.Engine, o.Env, o.Instance, o.Progress = i.eng, env, i.name, i.sink
	res, err := runner.Check(ctx, o)
	if res == nil {
		return nil, runnerError(err)
	}
	out.RunResult = RunResult{Result: res, Output: runner.Paths(o, res), Env: env, FilesErr: err}
	return out, nil
}

// subnetsKnown reports whether every auto network of env has its subnet
// (env was loaded with them).
func subnetsKnown(env *config.Environment) bool {
	for _, n := range env.Networks {
		if n.AutoSubnet && n.Subnet == "" {
			return false
		}
	}
	return true
}

// services maps the instance's services to their containers, a running
// one first.
func (i *Instance) services(ctx context.Context) (map[string]engine.Container, error) {
	cs, err := i.eng.Containers(ctx, engine.Instance(i.name))
	if err != nil {
		return nil, engineError(err)
	}
	out := map[string]engine.Container{}
	for _, ct := range cs {
		if s := ct.Labels[engine.LabelService]; s != "" && engine.MadeFor(ct, i.name) {
			if have, ok := out[s]; !ok || !have.State.Running() {
				out[s] = ct
			}
		}
	}
	return out, nil
}

// notRunning lists the declared services without a running container.
func notRunning(env *config.Environment, have map[string]engine.Container) []string {
	var out []string
	for _, s := range env.Services {
		if ct, ok := have[s.Name]; !ok {
			out = append(out, s.Name+" (missing)")
		} else if !ct.State.Running() {
			out = append(out, s.Name+" ("+ct.State.String()+")")
		}
	}
	sort.Strings(out)
	return out
}

package instance

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// What fault exercises need of an instance: actions and checks outside a
// plan, and recreating services from the design. They run against the
// environment loaded with the instance's auto subnets.

// Loaded is env loaded with the instance's auto subnets (as Check does).
func (i *Instance) Loaded(ctx context.Context, env *config.Environment) (*config.Environment, error) {
	if subnetsKnown(env) {
		return env, nil
	}
	p, err := i.Plan(ctx, env)
	if err != nil {
		return nil, err
	}
	return p.Env, nil
}

// Actions runs actions against the running instance one after another,
// stopping at the first that does not pass (see runner.Actions). o names
// the network helper of netem and block.
func (i *Instance) Actions(ctx context.Context, env *config.Environment, actions []*config.Action, o runner.Options) ([]report.Action, error) {
	o.Engine, o.Env, o.Instance, o.Progress = i.eng, env, i.name, i.sink
	res, err := runner.Actions(ctx, o, actions)
	if err != nil {
		return res, runnerError(err)
	}
	return res, nil
}

// Checks runs checks against the running instance, all at once.
func (i *Instance) Checks(ctx context.Context, env *config.Environment, checks []*config.Check, o runner.Options) ([]report.Check, error) {
	o.Engine, o.Env, o.Instance, o.Progress = i.eng, env, i.name, i.sink
	res, err := runner.Checks(ctx, o, checks)
	if err != nil {
		return res, runnerError(err)
	}
	return res, nil
}

// IsUp says why the instance is not up ("" when every service of env has
// a container and one runs). A stopped service does not count against
// it: a plan may stop one on purpose (see Stopped); the recovered checks
// tell whether the instance is healthy.
func (i *Instance) IsUp(ctx context.Context, env *config.Environment) (string, error) {
	have, err := i.services(ctx)
	if err != nil {
		return "", err
	}
	if len(have) == 0 {
		return fmt.Sprintf("instance %s is not up: run 'proeftuin up' first", i.name), nil
	}
	var bad []string
	for _, s := range env.Services {
		if ct, ok := have[s.Name]; !ok {
			bad = append(bad, s.Name+" (missing)")
		} else if !ct.State.Running() && !stopped(ct.State) {
			bad = append(bad, s.Name+" ("+ct.State.String()+")")
		}
	}
	if len(bad) > 0 {
		return fmt.Sprintf("not every service of instance %s is up (%v): run 'proeftuin up' first", i.name, bad), nil
	}
	return "", nil
}

// Stopped are the services of env whose container exists but is stopped
// (exited or never started), sorted: restoring after a fault leaves them
// stopped (UpOptions.KeepStopped).
func (i *Instance) Stopped(ctx context.Context, env *config.Environment) ([]string, error) {
	have, err := i.services(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range env.Services {
		if ct, ok := have[s.Name]; ok && stopped(ct.State) {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out, nil
}

func stopped(s engine.ContainerState) bool {
	return s == engine.StateExited || s == engine.StateCreated
}

// Recreate removes the containers of services and of every container
// matching extra (the instance's label added), then brings the instance
// up again from the design: what restores it after a fault.
func (i *Instance) Recreate(ctx context.Context, env *config.Environment, services []string, extra map[string]string, o UpOptions) (*UpResult, error) {
	var gone []engine.Container
	for _, s := range services {
		cs, err := i.eng.Containers(ctx, engine.Service(i.name, s))
		if err != nil {
			return nil, engineError(err)
		}
		gone = append(gone, cs...)
	}
	if len(extra) > 0 {
		match := engine.Instance(i.name)
		for k, v := range extra {
			match[k] = v
		}
		cs, err := i.eng.Containers(ctx, match)
		if err != nil {
			return nil, engineError(err)
		}
		gone = append(gone, cs...)
	}
	for _, c := range gone {
		if err := i.eng.RemoveContainer(ctx, c.ID); err != nil && !errors.Is(err, engine.ErrNotFound) {
			return nil, engineError(fmt.Errorf("remove %s: %w", c.Name, err))
		}
	}
	return i.Up(ctx, env, o)
}

// Folder is the lab folder the instance was brought up from, as its
// containers record it ("" when none does): where its open incident is
// kept, whatever folder a command runs in.
func (i *Instance) Folder(ctx context.Context) (string, error) {
	have, err := i.services(ctx)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(have))
	for s := range have {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		if f := have[s].Labels[planner.LabelFolder]; f != "" {
			return f, nil
		}
	}
	return "", nil
}

package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// Plan computes what Up would do with the same options, changing nothing:
// it observes the instance, allocates auto subnets the same way (an
// existing network keeps its own; Reload is called as in Up), and looks
// images up locally without pulling or building (an absent image counts
// as unknown, so its service shows as changed or new).
func Plan(ctx context.Context, eng engine.Engine, env *config.Environment, opts Options) (*planner.Plan, error) {
	if env == nil {
		return nil, errors.New("no environment")
	}
	instance := opts.Instance
	if instance == "" {
		instance = env.Name
	}
	r := newRun(eng, instance, opts)
	actual, err := planner.Observe(ctx, eng, instance)
	if err != nil {
		return nil, err
	}
	env, _, err = r.subnets(ctx, env, actual)
	if err != nil {
		return nil, err
	}
	images := map[string]string{}
	for _, s := range env.Services {
		ref := planner.ImageRef(env, s)
		id, err := eng.ImageID(ctx, ref)
		switch {
		case err == nil:
			images[s.Name] = id
		case !errors.Is(err, engine.ErrNotFound):
			return nil, fmt.Errorf("look up image %s: %w", ref, err)
		}
	}
	desired, err := planner.Desire(env, instance, images)
	if err != nil {
		return nil, &DefinitionError{Err: err}
	}
	plan := planner.Compute(desired, actual)
	r.dir = env.Dir
	if err := r.markLost(ctx, env, plan); err != nil {
		return nil, err
	}
	return plan, nil
}

// DefinitionError: the environment cannot be turned into engine objects
// (a network or volume that is not declared, a service without image).
type DefinitionError struct{ Err error }

func (e *DefinitionError) Error() string { return e.Err.Error() }
func (e *DefinitionError) Unwrap() error { return e.Err }
